"""Reading an HR spreadsheet of enrolments, units and hours, checked completely before anything is written.

The whole file is validated first and every problem is reported by row and
column, so one run shows everything to fix; only a file with no errors
becomes a list of changes, which the store writes in a single transaction.

Format (documented in the README): a header row, then one row per
enrolment, unit achievement or hours entry::

    user,type,qualification,unit,hours,kind,date,note,source
    U012ABCDEF,enrol,award in mentoring,,,,2025-01-06,,
    U012ABCDEF,unit,,8577-304,,,2025-02-14,,hr
    U012ABCDEF,hours,,8577-305,1.5,mentoring,2025-03-01,first session,self

Rows are numbered as a spreadsheet shows them: the header is row 1.
Qualifications and units are resolved with the CLI's own helpers, so a
typo gets the same "nearest real units" hint as ``ilm-bot learner done``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import stat
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from bot.errors import InputError, UnreadableFileError
from bot.knowledge.lookup import qualification_id, unit_refs
from bot.knowledge.models import Knowledge
from bot.learners import validate
from bot.learners.learner import Change, Enrol, LogHours, RecordUnit, SetSupervisor
from bot.rules.explain import counted

if TYPE_CHECKING:  # the store's result type only; the import itself never touches the database
    from bot.learners.records import Applied

T = TypeVar("T")

#: Characters no value may hold: C0 controls (NUL above all) except tab, and DEL. A line's own ending is
#: stripped by the CSV reader, so a line break found in a value means it came from inside quotes.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")

#: The largest CSV file read: ample for tens of thousands of rows, small enough to check in memory.
MAX_CSV_BYTES = 8 * 2**20

COLUMNS: tuple[str, ...] = ("user", "type", "qualification", "unit", "hours", "kind", "date", "note", "source")
#: Columns a file may add: HR's own id for an hours row, the learner's email instead of a user id, a supervisor.
OPTIONAL_COLUMNS: tuple[str, ...] = ("entry_id", "email", "supervisor")
ALWAYS_REQUIRED: tuple[str, ...] = ("type",)
#: The columns each row type must fill in (beyond user and type).
REQUIRED_BY_TYPE: dict[str, tuple[str, ...]] = {
    "enrol": ("qualification",),
    "unit": ("unit",),
    "hours": ("hours", "kind"),
    "supervisor": ("supervisor",),
}
#: Longest ``entry_id`` kept (the database column holds it with a prefix).
MAX_ENTRY_ID = 128
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_EMAIL = 254

#: Looks up the Slack user with an email: their id, or None when there is none (``users.lookupByEmail``).
EmailLookup = Callable[[str], "str | None"]


@dataclass(frozen=True)
class RowError:
    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}, column {self.column}" if self.column else f"row {self.row}"
        return f"{where}: {self.message}"


class CsvImportError(Exception):
    """The file has errors; nothing may be imported."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = tuple(errors)


#: Errors a failed import lists: a broken file can have one per row, and the first ones show what to fix.
MAX_LISTED_ERRORS = 50


def describe_errors(exc: CsvImportError, limit: int = MAX_LISTED_ERRORS) -> str:
    """'3 errors; nothing was imported.' and the first ``limit`` errors, one a line."""
    listing = "\n".join(f"  {e}" for e in exc.errors[:limit])
    if len(exc.errors) > limit:
        listing += f"\n  … and {len(exc.errors) - limit} more; fix these and run the import again."
    return f"{counted(len(exc.errors), 'error')}; nothing was imported.\n{listing}"


def summary(applied: Applied) -> str:
    """'3 rows new (1 enrolment, 1 unit, 1 hours entry), 1 row already recorded'."""
    kinds = [
        counted(applied.enrolments, "enrolment"),
        counted(applied.units, "unit"),
        counted(applied.hours, "hours entry", "hours entries"),
    ]
    if applied.supervisors:
        kinds.append(counted(applied.supervisors, "supervisor"))
    already = counted(len(applied.unchanged), "row")
    return f"{counted(applied.new, 'row')} new ({', '.join(kinds)}), {already} already recorded"


def read_changes(path: Path, knowledge: Knowledge, today: date, lookup: EmailLookup | None = None) -> list[Change]:
    """Read and check ``path``; raises ``CsvImportError`` listing every problem, or ``InputError`` if unreadable."""
    return parse_changes(decode(read_file(path), str(path)), knowledge, today, lookup)


def read_file(path: Path, limit: int = MAX_CSV_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    A wrong path (missing, a directory) is a ``InputError``; something that
    is not a file to import (a device, a pipe, a file over ``limit``) is an
    ``UnreadableFileError``.

    Opened without blocking and checked before reading, so a FIFO (which
    would wait for a writer forever), a device such as ``/dev/zero`` (which
    never ends) or a huge file is refused at once instead of hanging or
    exhausting memory. The read itself is bounded too, in case the file grows.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror})") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"{path} is a directory, not a CSV file")
        raise UnreadableFileError(f"{path} is not a regular file (a device, pipe or socket); save the CSV to a file")
    with os.fdopen(fd, "rb") as file:
        if info.st_size > limit:
            raise UnreadableFileError(f"{path} is {_size(info.st_size)}; a CSV import may be at most {_size(limit)}")
        try:
            data = file.read(limit + 1)
        except OSError as exc:
            raise UnreadableFileError(f"{path}: cannot read it ({exc.strerror})") from None
    if len(data) > limit:
        raise UnreadableFileError(f"{path} is larger than {_size(limit)}, the most a CSV import may be")
    return data


def text_of(data: bytes, name: str) -> str | CsvImportError:
    """UTF-8 text (a byte-order mark, as Excel writes, is dropped), or the error saying it isn't."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return CsvImportError([RowError(1, None, f"{name} is not UTF-8 text; save the spreadsheet as 'CSV UTF-8'")])


def decode(data: bytes, name: str) -> str:
    """UTF-8 text, or ``InputError`` (at the command line, a file that isn't text is a usage error)."""
    text = text_of(data, name)
    if isinstance(text, CsvImportError):
        raise InputError(text.errors[0].message) from None
    return text


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n:,} bytes"


def parse_changes(text: str, knowledge: Knowledge, today: date, lookup: EmailLookup | None = None) -> list[Change]:
    """Check every row of CSV ``text``; the changes it describes, or ``CsvImportError`` with every problem.

    Learners (and supervisors) named by email are looked up with ``lookup``
    once every row has been read; an email with no Slack user is an error on
    its row. Each hours row gets an import key, so the same file imported
    twice records its hours once: HR's ``entry_id`` when the row has one,
    else a digest of the row as written (a blank date stays blank, so the
    key doesn't change with the day of the import) and how many identical
    rows came before it in the file.
    """
    errors: list[RowError] = []
    changes: list[tuple[int, Change]] = []
    rows = _rows(text.removeprefix("\ufeff"), errors)
    first = next(rows, None)
    broken_header = first is not None and first[0] != 1  # row 1 itself was refused; its errors say why
    header = None if broken_header else _header(first[1] if first else None, errors)
    if header is None:
        raise CsvImportError(errors)
    for number, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue  # blank line
        if len(cells) > len(header):
            errors.append(RowError(number, None, f"{len(cells)} values but the header has {len(header)} columns"))
            continue
        values = dict(zip(header, cells, strict=False))
        change = _row(number, values, knowledge, today, errors)
        if change is not None:
            changes.append((number, change))
    resolved = _resolve_emails(changes, lookup, errors)
    if errors:
        raise CsvImportError(errors)
    return _with_import_keys(resolved, errors)


#: Learners named by email are carried as ``EMAIL_PREFIX + address`` until the lookup.
EMAIL_PREFIX = "email:"


def _resolve_emails(
    changes: list[tuple[int, Change]], lookup: EmailLookup | None, errors: list[RowError]
) -> list[tuple[int, Change]]:
    """Replace every email with the Slack user id it belongs to, each address looked up once."""
    wanted = {
        value
        for _, change in changes
        for value in (change.user, getattr(change, "supervisor", ""))
        if value.startswith(EMAIL_PREFIX)
    }
    if not wanted:
        return changes
    if lookup is None:
        first = min(n for n, c in changes if c.user in wanted or getattr(c, "supervisor", "") in wanted)
        errors.append(RowError(first, "email", "emails are looked up in Slack, which needs SLACK_BOT_TOKEN set"))
        return changes
    found = {key: lookup(key.removeprefix(EMAIL_PREFIX)) for key in sorted(wanted)}
    out: list[tuple[int, Change]] = []
    for number, change in changes:
        updates = {}
        for field, column in (("user", "email"), ("supervisor", "supervisor")):
            value = getattr(change, field, "")
            if not value.startswith(EMAIL_PREFIX):
                continue
            if found[value] is None:
                address = value.removeprefix(EMAIL_PREFIX)
                errors.append(RowError(number, column, f"no Slack user has the email {address}"))
            else:
                updates[field] = found[value]
        out.append((number, replace(change, **updates)))
    return out


def _with_import_keys(changes: list[tuple[int, Change]], errors: list[RowError]) -> list[Change]:
    """Hours rows keyed by HR's entry_id, or by the row's digest and its count among identical rows."""
    seen: Counter[tuple[str, str]] = Counter()
    first_row: dict[tuple[str, str], int] = {}
    out: list[Change] = []
    for number, change in changes:
        if not isinstance(change, LogHours) or change.import_key is None:
            out.append(change)
            continue
        key = (change.user, change.import_key)
        seen[key] += 1
        if change.import_key.startswith("id:"):
            if seen[key] > 1:
                errors.append(RowError(number, "entry_id", f"already used on row {first_row[key]}"))
            first_row.setdefault(key, number)
            out.append(change)
        else:
            out.append(replace(change, import_key=f"{change.import_key}:{seen[key]}"))
    if errors:
        raise CsvImportError(errors)
    return out


def _rows(text: str, errors: list[RowError]) -> Iterator[tuple[int, list[str]]]:
    """Each line's cells with its row number; a line that isn't well-formed CSV is an error, never skipped.

    Every line is parsed on its own, strictly, so one value can never run
    into the next lines: a quote that is opened and not closed on its line
    (which a lenient reader would carry on to the end of the file, turning
    other learners' rows into one note) is refused with its row and column.
    No value in this import needs a line break, so none may hold one. A
    control character (a NUL, say: the file is binary or corrupted) is
    refused where it occurs.
    """
    columns: list[str] = []
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        try:
            cells = next(csv.reader([line], strict=True), [])
        except csv.Error as exc:
            errors.append(_malformed(number, line, columns, exc))
            continue
        bad = [(i, m[0]) for i, c in enumerate(cells) if (m := _CONTROL.search(c))]
        for index, char in bad:
            message = f"contains the control character {_codepoint(char)}"
            errors.append(RowError(number, _column(columns, index), message))
        if number == 1:
            columns = [c.strip().lower() for c in cells]
        if not bad:
            yield number, cells


def _malformed(number: int, line: str, columns: list[str], exc: csv.Error) -> RowError:
    """Where a line stops being CSV: an unclosed quote is placed at the value it opens (the last one read)."""
    if "unexpected end of data" in str(exc):
        cells = next(csv.reader([line]), [""])  # leniently: the unclosed value is the last one
        return RowError(
            number,
            _column(columns, len(cells) - 1),
            "a quote opens this value and is not closed on the same line (a value can't span lines); "
            'close it, and write "" for a quote inside a value',
        )
    return RowError(number, None, f'not valid CSV ({exc}); a quote inside a quoted value must be written ""')


def _column(columns: list[str], index: int) -> str:
    """The column's name from the header, or its position when the header has no name for it."""
    name = columns[index] if index < len(columns) else ""
    return name or f"#{index + 1}"


def _codepoint(char: str) -> str:
    names = {"\0": "NUL", "\r": "carriage return", "\n": "line break"}
    return f"U+{ord(char):04X}" + (f" ({names[char]})" if char in names else "")


def _header(cells: list[str] | None, errors: list[RowError]) -> list[str] | None:
    if cells is None or not any(c.strip() for c in cells):
        errors.append(RowError(1, None, f"the header row is missing; expected columns: {','.join(COLUMNS)}"))
        return None
    names = [c.strip().lower() for c in cells]
    known = (*COLUMNS, *OPTIONAL_COLUMNS)
    for name in names:
        if name not in known:
            errors.append(RowError(1, name or "(blank)", f"unknown column; columns are {', '.join(known)}"))
    for name in dict.fromkeys(n for n in names if names.count(n) > 1):
        errors.append(RowError(1, name, "appears more than once"))
    missing = [c for c in ALWAYS_REQUIRED if c not in names]
    if "user" not in names and "email" not in names:
        missing.insert(0, "user (or email)")
    if missing:
        errors.append(RowError(1, None, f"missing required column(s): {', '.join(missing)}"))
    return None if errors else names


class _Row:
    """One data row being checked: parses fields, collecting an error for each bad one."""

    def __init__(self, number: int, values: dict[str, str], kind: str, errors: list[RowError]) -> None:
        self.number, self.values, self.kind, self.errors = number, values, kind, errors
        self._before = len(errors)

    @property
    def ok(self) -> bool:
        return len(self.errors) == self._before

    def error(self, column: str | None, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))

    def optional(self, column: str, parse: Callable[[str], T]) -> T | None:
        """The parsed value; blank is passed to ``parse`` too, for fields with a default (date, source)."""
        try:
            return parse(self.values.get(column, "").strip())
        except ValueError as exc:  # InputError is a ValueError
            self.error(column, str(exc))
            return None

    def required(self, column: str, parse: Callable[[str], T]) -> T | None:
        if not self.values.get(column, "").strip():
            self.error(column, f"required for {self.kind} rows")
            return None
        return self.optional(column, parse)


def _row(
    number: int, values: dict[str, str], knowledge: Knowledge, today: date, errors: list[RowError]
) -> Change | None:
    """The change one row describes, or None after recording every one of its errors."""
    kind = values.get("type", "").strip().lower()
    row = _Row(number, values, kind or "every", errors)
    user = _learner(row)
    if kind not in REQUIRED_BY_TYPE:
        got = f"{kind!r} is not" if kind else "required;"
        row.error("type", f"{got} one of {', '.join(REQUIRED_BY_TYPE)}")
        return None
    if kind == "supervisor":
        supervisor = row.required("supervisor", _person)
        return SetSupervisor(user, supervisor) if row.ok and user and supervisor else None
    on = row.optional("date", lambda v: validate.day(v, today))
    if kind == "enrol":
        qid = row.required("qualification", lambda v: qualification_id(v, knowledge))
        return Enrol(user, qid, on) if row.ok and user and qid and on else None
    source = row.optional("source", validate.source)
    if kind == "unit":
        unit = row.required("unit", lambda v: _one_unit(v, knowledge))
        return RecordUnit(user, unit, on, source) if row.ok and user and unit and on and source else None
    hours = row.required("hours", validate.positive_hours)
    hours_kind = row.required("kind", validate.hours_kind)
    unit = row.optional("unit", lambda v: _one_unit(v, knowledge) if v else None)
    note = row.optional("note", validate.note)
    if hours_kind and unit:
        row.optional("unit", lambda _: validate.practice_unit(hours_kind, unit, knowledge))
    entry_id = row.optional("entry_id", _entry_id)
    if not (row.ok and user and hours and hours_kind and on and source):
        return None
    key = f"id:{entry_id}" if entry_id else "row:" + _digest(user, hours, hours_kind, unit, note, source, values)
    return LogHours(user, hours, hours_kind, on, unit=unit, note=note, source=source, import_key=key)


def _learner(row: _Row) -> str | None:
    """The row's learner: a Slack user id, or an email to look up (``user`` wins when both are filled in)."""
    if row.values.get("user", "").strip() or not row.values.get("email", "").strip():
        return row.required("user", validate.user_id)
    return row.optional("email", _email)


def _person(text: str) -> str:
    """A user id, or an email (looked up later)."""
    return _email(text) if "@" in text else validate.user_id(text)


def _email(text: str) -> str:
    if len(text) > MAX_EMAIL or not _EMAIL.fullmatch(text):
        raise ValueError(f"{text[:60]!r} is not an email address")
    return EMAIL_PREFIX + text.lower()


def _entry_id(text: str) -> str | None:
    if len(text) > MAX_ENTRY_ID:
        raise ValueError(f"is {len(text)} characters long; at most {MAX_ENTRY_ID}")
    return text or None


def _digest(
    user: str, hours: float, kind: str, unit: str | None, note: str | None, source: str, values: dict[str, str]
) -> str:
    """A stable name for a row without an entry_id: what it records, with its date as written."""
    parts = (user, repr(hours), kind, unit or "", note or "", source, values.get("date", "").strip())
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _one_unit(text: str, knowledge: Knowledge) -> str:
    return unit_refs([text], knowledge)[0]
