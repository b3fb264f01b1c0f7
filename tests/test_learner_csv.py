"""The CSV import's reading and checking: every problem reported by row and column, or a list of changes.

Pure: no database. Writing the changes in one transaction is covered by the
store and CLI tests.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.cli.common import UsageError
from bot.knowledge import Knowledge, load_knowledge
from bot.learners.csv_import import CsvImportError, parse_changes, read_changes
from bot.learners.learner import Enrol, LogHours, RecordUnit

TODAY = date(2025, 6, 30)
HEADER = "user,type,qualification,unit,hours,kind,date,note,source"


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge()


def errors_of(text: str, knowledge: Knowledge) -> list[str]:
    with pytest.raises(CsvImportError) as err:
        parse_changes(text, knowledge, TODAY)
    return [str(e) for e in err.value.errors]


def test_a_valid_file_with_bom_blank_lines_and_spreadsheet_quirks(tmp_path: Path, knowledge: Knowledge) -> None:
    text = (
        "\ufeffUser, Type ,Qualification,Unit,Hours,Kind,Date,Note,Source\r\n"
        'U1,enrol,"award in mentoring",,,,2025-01-06,,\r\n'
        "\r\n"
        "U1,unit,,8577 304,,,2025-02-14,,\r\n"
        "U1,UNIT,,8577/307,,,,,self\r\n"
        'U1,hours,,8577-305,1.5,Mentoring,2025-03-01,"first session, with notes",self\r\n'
        "U2,hours,,,2,tutorial,,,\r\n"
        ",,,,,,,,\r\n"
    )
    path = tmp_path / "hr.csv"
    path.write_bytes(text.encode("utf-8"))
    assert read_changes(path, knowledge, TODAY) == [
        Enrol("U1", "l3-award-mentoring", date(2025, 1, 6)),
        RecordUnit("U1", "8577-304", date(2025, 2, 14), "hr"),
        RecordUnit("U1", "8577-307", TODAY, "self"),  # a blank date is the day of the import
        LogHours(
            "U1", 1.5, "mentoring", date(2025, 3, 1), unit="8577-305", note="first session, with notes", source="self"
        ),
        LogHours("U2", 2.0, "tutorial", TODAY, source="hr"),
    ]


def test_every_error_is_reported_by_row_and_column(knowledge: Knowledge) -> None:
    text = "\n".join(
        [
            HEADER,
            "U1,enrol,award in mentoring,,,,,,",  # row 2: fine
            "U1,hours,,,-2,mentoring,,,",  # row 3
            "U1,unit,,8577-399,,,,,",  # row 4
            "U1,hours,,8577-304,abc,juggling,2025-13-01,,boss",  # row 5: four problems
            "U 1,enrol,diploma in basket weaving,,,,2099-01-01,,",  # row 6: three
            "U1,done,,,,,,,",  # row 7
            "U1,hours,,8577-305,2,coaching,,,",  # row 8
            "U1,unit,,,,,,,",  # row 9
            "U1,enrol,award,,,,,,,extra",  # row 10
        ]
    )
    errors = errors_of(text, knowledge)
    assert "row 3, column hours: '-2' is not a positive number of hours" in errors
    assert any(e.startswith("row 4, column unit: unknown unit 8577-399; nearest real units: 8577-3") for e in errors)
    row5 = [e for e in errors if e.startswith("row 5,")]
    assert [e.split(":")[0] for e in row5] == [
        "row 5, column date",
        "row 5, column source",
        "row 5, column hours",
        "row 5, column kind",
    ]
    row6 = " | ".join(e for e in errors if e.startswith("row 6,"))
    assert "column user" in row6 and "column qualification" in row6 and "is in the future" in row6
    assert "row 7, column type: 'done' is not one of enrol, unit, hours, supervisor" in errors
    assert "row 8, column unit: 8577-305 needs mentoring practice, not coaching" in errors
    assert "row 9, column unit: required for unit rows" in errors
    assert any(e.startswith("row 10: 10 values but the header has 9 columns") for e in errors)
    assert not any(e.startswith("row 2") for e in errors)


def test_header_problems(knowledge: Knowledge) -> None:
    assert errors_of("", knowledge) == [f"row 1: the header row is missing; expected columns: {HEADER}"]
    errors = errors_of("user,kind,huors,kind\nU1,mentoring,1,\n", knowledge)
    known = [*HEADER.split(","), "entry_id", "email", "supervisor"]
    assert "row 1, column huors: unknown column; columns are " + ", ".join(known) in errors
    assert "row 1, column kind: appears more than once" in errors
    assert "row 1: missing required column(s): type" in errors


def test_only_the_columns_a_file_uses_are_needed(knowledge: Knowledge) -> None:
    changes = parse_changes("type,user,unit\nunit,U1,8578-300\n", knowledge, TODAY)
    assert changes == [RecordUnit("U1", "8578-300", TODAY, "hr")]
    assert errors_of("type,user\nhours,U1\n", knowledge) == [
        "row 2, column hours: required for hours rows",
        "row 2, column kind: required for hours rows",
    ]


def test_unreadable_files_are_usage_errors(tmp_path: Path, knowledge: Knowledge) -> None:
    with pytest.raises(UsageError, match="no such file"):
        read_changes(tmp_path / "missing.csv", knowledge, TODAY)
    latin = tmp_path / "latin1.csv"
    latin.write_bytes(f"{HEADER}\nU1,hours,,,1,tutorial,,caf\xe9,\n".encode("latin-1"))
    with pytest.raises(UsageError, match="not UTF-8"):
        read_changes(latin, knowledge, TODAY)


# -- malformed files: generated ---------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

COLUMNS = HEADER.split(",")
#: Valid rows for several learners: a malformed one must never let another row's data run into it.
VALID_ROWS = [
    "U{n},enrol,award in mentoring,,,,2025-01-06,,",
    "U{n},unit,,8577-304,,,2025-02-14,,hr",
    "U{n},hours,,8577-305,1.5,mentoring,2025-03-01,first session,self",
    "U{n},hours,,,2,tutorial,,a note,",
]


@st.composite
def valid_files(draw: st.DrawFn) -> list[list[str]]:
    """A header and 1-12 valid data rows, as lists of cells."""
    count = draw(st.integers(1, 12))
    rows = [draw(st.sampled_from(VALID_ROWS)).format(n=i).split(",") for i in range(count)]
    return [COLUMNS, *rows]


def as_csv(rows: list[list[str]]) -> str:
    return "\n".join(",".join(cells) for cells in rows) + "\n"


@settings(max_examples=150, deadline=None, derandomize=True)
@given(valid_files(), st.data())
def test_an_unterminated_quote_is_refused_at_its_row_and_column(rows: list[list[str]], data: st.DataObject) -> None:
    """The row before a bad quote, and every row after it, stay separate rows: nothing is swallowed."""
    knowledge = load_knowledge()  # a module fixture can't be used with @given; the load is cached
    rows = [list(cells) for cells in rows]  # hypothesis may replay the same example: never change it
    row = data.draw(st.integers(1, len(rows) - 1), label="row")
    column = data.draw(st.integers(0, len(COLUMNS) - 1), label="column")
    rest = data.draw(st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=20))
    rows[row][column] = '"' + rows[row][column] + rest.replace('"', "")
    errors = errors_of(as_csv(rows), knowledge)
    assert errors == [
        f"row {row + 1}, column {COLUMNS[column]}: a quote opens this value and is not closed on the same line "
        '(a value can\'t span lines); close it, and write "" for a quote inside a value'
    ]


@settings(max_examples=150, deadline=None, derandomize=True)
@given(valid_files(), st.data())
def test_a_control_character_in_a_field_is_refused_at_its_row_and_column(
    rows: list[list[str]], data: st.DataObject
) -> None:
    knowledge = load_knowledge()
    rows = [list(cells) for cells in rows]
    row = data.draw(st.integers(0, len(rows) - 1), label="row")
    column = data.draw(st.integers(0, len(COLUMNS) - 1), label="column")
    char = data.draw(st.sampled_from(["\x00", "\x01", "\x1b", "\x7f", "\x0b", "\x0c"]), label="char")
    cell = rows[row][column]
    at = data.draw(st.integers(0, len(cell)), label="at")
    rows[row][column] = cell[:at] + char + cell[at:]
    errors = errors_of(as_csv(rows), knowledge)
    name = COLUMNS[column] if row > 0 else f"#{column + 1}"  # in the header itself, columns have no names yet
    assert errors == [
        f"row {row + 1}, column {name}: contains the control character U+{ord(char):04X}"
        + (" (NUL)" if char == "\x00" else "")
    ]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(valid_files(), st.text(alphabet=st.sampled_from('",\r\n\x00ab1 '), max_size=40), st.data())
def test_any_garbage_is_refused_or_read_row_for_row(rows: list[list[str]], junk: str, data: st.DataObject) -> None:
    """Junk spliced anywhere into a valid file: either a row and column are named, or every line is its own row."""
    knowledge = load_knowledge()
    text = as_csv(rows)
    at = data.draw(st.integers(len(text.split("\n", 1)[0]) + 1, len(text)), label="at")
    spliced = text[:at] + junk + text[at:]
    try:
        changes = parse_changes(spliced, knowledge, TODAY)
    except CsvImportError as exc:
        assert exc.errors and all(e.row >= 1 for e in exc.errors)
        return
    # Accepted: no value holds a line break or a control character, and no row was merged into another.
    assert len(changes) <= sum(1 for line in spliced.replace("\r\n", "\n").replace("\r", "\n").split("\n")[1:] if line)
    for change in changes:
        assert not any(ch in str(vars(change)) for ch in "\x00\n\r")


def test_a_quote_closed_rows_later_does_not_swallow_them(knowledge: Knowledge) -> None:
    """The issue's example: the rest of the file became one learner's note, other learners' ids included."""
    text = "\n".join(
        [HEADER, 'U1,hours,,,1,tutorial,,"my note,', "U2,enrol,award in mentoring,,,,,,", 'U3,hours,,,1,tutorial,,x",']
    )
    errors = errors_of(text, knowledge)
    # Rows 3 and 4 are read as rows of their own (both valid: a stray quote inside a plain value is kept).
    assert len(errors) == 1
    assert errors[0].startswith("row 2, column note: a quote opens this value and is not closed on the same line")


def test_files_that_are_not_files_or_too_big_are_refused_without_reading(tmp_path: Path, knowledge: Knowledge) -> None:
    import os

    from bot.errors import UnreadableFileError
    from bot.learners.csv_import import read_file

    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)  # opened for reading, a FIFO would wait for a writer forever
    for path, error, message in [
        (Path("/dev/zero"), UnreadableFileError, "is not a regular file"),
        (fifo, UnreadableFileError, "is not a regular file"),
        (tmp_path, UsageError, "is a directory"),
        (tmp_path / "missing.csv", UsageError, "no such file"),
    ]:
        with pytest.raises(error, match=message):
            read_file(path)
    big = tmp_path / "big.csv"
    big.write_bytes(HEADER.encode() + b"\n" + b"U1,hours,,,1,tutorial,,,\n" * 50)
    with pytest.raises(UnreadableFileError, match=r"is 1,\d+ bytes; a CSV import may be at most 1,000 bytes"):
        read_file(big, limit=1000)
    assert read_file(big, limit=10_000).startswith(HEADER.encode())
