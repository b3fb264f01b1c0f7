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
    assert "row 7, column type: 'done' is not one of enrol, unit, hours" in errors
    assert "row 8, column unit: 8577-305 needs mentoring practice, not coaching" in errors
    assert "row 9, column unit: required for unit rows" in errors
    assert any(e.startswith("row 10: 10 values but the header has 9 columns") for e in errors)
    assert not any(e.startswith("row 2") for e in errors)


def test_header_problems(knowledge: Knowledge) -> None:
    assert errors_of("", knowledge) == [f"row 1: the header row is missing; expected columns: {HEADER}"]
    errors = errors_of("user,kind,huors,kind\nU1,mentoring,1,\n", knowledge)
    assert "row 1, column huors: unknown column; columns are " + ", ".join(HEADER.split(",")) in errors
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
