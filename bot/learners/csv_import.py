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
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

from bot.errors import InputError
from bot.knowledge.lookup import qualification_id, unit_refs
from bot.knowledge.models import Knowledge
from bot.learners import validate
from bot.learners.learner import Change, Enrol, LogHours, RecordUnit

T = TypeVar("T")

COLUMNS: tuple[str, ...] = ("user", "type", "qualification", "unit", "hours", "kind", "date", "note", "source")
ALWAYS_REQUIRED: tuple[str, ...] = ("user", "type")
#: The columns each row type must fill in (beyond user and type).
REQUIRED_BY_TYPE: dict[str, tuple[str, ...]] = {
    "enrol": ("qualification",),
    "unit": ("unit",),
    "hours": ("hours", "kind"),
}


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


def read_changes(path: Path, knowledge: Knowledge, today: date) -> list[Change]:
    """Read and check ``path``; raises ``CsvImportError`` listing every problem, or ``InputError`` if unreadable."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a directory, not a CSV file") from None
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text; save the spreadsheet as 'CSV UTF-8'") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror})") from None
    return parse_changes(text, knowledge, today)


def parse_changes(text: str, knowledge: Knowledge, today: date) -> list[Change]:
    """Check every row of CSV ``text``; the changes it describes, or ``CsvImportError`` with every problem."""
    rows = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    errors: list[RowError] = []
    changes: list[Change] = []
    try:
        header = _header(next(rows, None), errors)
        if header is None:
            raise CsvImportError(errors)
        for number, cells in enumerate(rows, start=2):
            if not any(cell.strip() for cell in cells):
                continue  # blank line
            if len(cells) > len(header):
                errors.append(RowError(number, None, f"{len(cells)} values but the header has {len(header)} columns"))
                continue
            values = dict(zip(header, cells, strict=False))
            change = _row(number, values, knowledge, today, errors)
            if change is not None:
                changes.append(change)
    except csv.Error as exc:
        errors.append(RowError(rows.line_num, None, f"not valid CSV ({exc})"))
    if errors:
        raise CsvImportError(errors)
    return changes


def _header(cells: list[str] | None, errors: list[RowError]) -> list[str] | None:
    if cells is None or not any(c.strip() for c in cells):
        errors.append(RowError(1, None, f"the header row is missing; expected columns: {','.join(COLUMNS)}"))
        return None
    names = [c.strip().lower() for c in cells]
    for name in names:
        if name not in COLUMNS:
            errors.append(RowError(1, name or "(blank)", f"unknown column; columns are {', '.join(COLUMNS)}"))
    for name in dict.fromkeys(n for n in names if names.count(n) > 1):
        errors.append(RowError(1, name, "appears more than once"))
    missing = [c for c in ALWAYS_REQUIRED if c not in names]
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
    user = row.required("user", validate.user_id)
    if kind not in REQUIRED_BY_TYPE:
        got = f"{kind!r} is not" if kind else "required;"
        row.error("type", f"{got} one of {', '.join(REQUIRED_BY_TYPE)}")
        return None
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
    if not (row.ok and user and hours and hours_kind and on and source):
        return None
    return LogHours(user, hours, hours_kind, on, unit=unit, note=note, source=source)


def _one_unit(text: str, knowledge: Knowledge) -> str:
    return unit_refs([text], knowledge)[0]
