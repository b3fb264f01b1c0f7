"""The knowledge base says what the brochures say, and nothing they do not.

Two independent sources are compared with the YAML: a table hard-coded here,
read by eye from the brochures, and the brochures' own "Overview of units"
tables parsed from the seed text. The parsed tests are skipped (with the
reason) when the seed files are not next to the repository.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.knowledge import Knowledge, Qualification, load_knowledge
from bot.rules.requirements import AllOf, CreditsFromGroup, OneOf, SpecificUnits, walk

REPO = Path(__file__).resolve().parents[1]
KNOWLEDGE_DIR = REPO / "knowledge"
SEEDS = REPO.parent / "shared" / "seeds"
CM_BROCHURE = SEEDS / "000_4706dbebd1b038b3.txt"  # ILM Level 3 Certificate in Coaching and Mentoring
MENTORING_BROCHURE = SEEDS / "002_9154fd85f54b48a0.txt"  # ILM Level 3 Award and Certificate in Mentoring

AWARD = "l3-award-mentoring"
CERT = "l3-certificate-mentoring"
CM = "l3-certificate-coaching-mentoring"

#: ref -> (title, level, credit value, guided learning hours), as printed in the brochures.
UNIT_TABLE: dict[str, tuple[str, int, int, int]] = {
    "8578-300": ("Understanding Good Practice in Workplace Coaching", 3, 3, 9),
    "8578-304": ("Understanding Good Practice in Workplace Mentoring", 3, 3, 9),
    "8578-302": ("Undertaking an Extended Period of Coaching in the Workplace", 3, 7, 12),
    "8578-303": ("Reflecting on Workplace Coaching Skills", 3, 3, 6),
    "8578-306": ("Undertaking an Extended Period of Mentoring in the Workplace", 3, 7, 12),
    "8578-307": ("Reflecting on Workplace Mentoring Skills", 3, 3, 6),
    "8577-304": ("Understanding Good Practice in Workplace Mentoring", 3, 3, 9),
    "8577-305": ("Undertaking Mentoring in the Workplace", 3, 4, 6),
    "8577-306": ("Undertaking an Extended Period of Mentoring in the Workplace", 3, 7, 12),
    "8577-307": ("Reflecting on Workplace Mentoring Skills", 3, 3, 6),
}

#: The brochures' structure of each qualification: mandatory units and optional groups.
MANDATORY = {
    AWARD: {"8577-304", "8577-305", "8577-307"},  # rows marked A
    CERT: {"8577-304", "8577-306", "8577-307"},  # rows marked C
    CM: {"8578-300", "8578-304"},
}
CM_GROUPS = {"Group 1": {"8578-302", "8578-303"}, "Group 2": {"8578-306", "8578-307"}}

#: Supervised practice: "at least six hours of mentoring", "36 hours of either coaching or mentoring".
PRACTICE = {
    "8577-305": ("mentoring", 6),
    "8577-306": ("mentoring", 36),
    "8578-306": ("mentoring", 36),
    "8578-302": ("coaching", 36),
}

ROW = re.compile(r"^(\d{4}-\d{3}) (.+?) (\d) (\d+) (\d+)(?:\s+([AC](?:\s+C)?))?\s*$", re.MULTILINE)


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge(KNOWLEDGE_DIR)


def seed(path: Path) -> str:
    if not path.is_file():
        pytest.skip(f"brochure text not found at {path}")
    return path.read_text(encoding="utf-8")


def units_table(text: str) -> str:
    """The brochure's 'Overview of units' section, up to its footnote."""
    start = text.index("Overview of units")
    return text[start : text.index("*Credit value.", start)]


def parsed_rows(text: str) -> dict[str, tuple[str, int, int, int, str]]:
    rows = {}
    for m in ROW.finditer(units_table(text)):
        ref, title, level, cv, glh, marks = m.groups()
        rows[ref] = (title.strip(), int(level), int(cv), int(glh), " ".join((marks or "").split()))
    return rows


# -- units -----------------------------------------------------------------------


def test_every_unit_matches_the_hard_coded_brochure_table(knowledge: Knowledge) -> None:
    assert set(knowledge.units) == set(UNIT_TABLE)
    for ref, (title, level, credits, glh) in UNIT_TABLE.items():
        unit = knowledge.units[ref]
        assert (unit.title, unit.level, unit.credits, unit.glh) == (title, level, credits, glh), ref


def test_hard_coded_table_matches_the_parsed_brochures() -> None:
    rows = parsed_rows(seed(CM_BROCHURE)) | parsed_rows(seed(MENTORING_BROCHURE))
    assert {ref: row[:4] for ref, row in rows.items()} == UNIT_TABLE


def test_every_unit_matches_the_parsed_brochures(knowledge: Knowledge) -> None:
    for path, scheme in ((CM_BROCHURE, "8578"), (MENTORING_BROCHURE, "8577")):
        rows = parsed_rows(seed(path))
        assert set(rows) == {ref for ref in knowledge.units if ref.startswith(scheme)}, path.name
        for ref, (title, level, credits, glh, _) in rows.items():
            unit = knowledge.units[ref]
            assert (unit.title, unit.level, unit.credits, unit.glh) == (title, level, credits, glh), ref


def test_award_and_certificate_units_follow_the_a_and_c_marks(knowledge: Knowledge) -> None:
    rows = parsed_rows(seed(MENTORING_BROCHURE))
    award = {ref for ref, row in rows.items() if "A" in row[4].split()}
    cert = {ref for ref, row in rows.items() if "C" in row[4].split()}
    assert award == MANDATORY[AWARD]
    assert cert == MANDATORY[CERT]
    for qid, refs in ((AWARD, award), (CERT, cert)):
        rules = knowledge.qualifications[qid].rules
        assert isinstance(rules, SpecificUnits)
        assert set(rules.units) == refs


def test_coaching_and_mentoring_groups_follow_the_brochure(knowledge: Knowledge) -> None:
    table = units_table(seed(CM_BROCHURE))
    sections = re.split(r"^(Mandatory|Group 1|Group 2)$", table, flags=re.MULTILINE)
    found = {sections[i]: set(re.findall(r"^(\d{4}-\d{3}) ", sections[i + 1], re.MULTILINE)) for i in (1, 3, 5)}
    assert found == {"Mandatory": MANDATORY[CM], **CM_GROUPS}

    q = knowledge.qualifications[CM]
    groups = {g.name: set(g.units) for g in q.groups}
    assert groups == {"Mandatory units": MANDATORY[CM], **CM_GROUPS}
    # Two mandatory units, then 10 credits from Group 1 or 10 credits from Group 2.
    assert isinstance(q.rules, AllOf)
    mandatory, optional = q.rules.children
    assert isinstance(mandatory, SpecificUnits) and set(mandatory.units) == MANDATORY[CM]
    assert isinstance(optional, OneOf)
    pools = {(groups_by_id(q)[o.group], o.credits) for o in optional.options if isinstance(o, CreditsFromGroup)}
    assert len(optional.options) == 2
    assert pools == {("Group 1", 10), ("Group 2", 10)}


def groups_by_id(q: Qualification) -> dict[str, str]:
    return {g.id: g.name for g in q.groups}


def test_practice_hours(knowledge: Knowledge) -> None:
    got = {ref: (u.practice.kind, u.practice.hours) for ref, u in knowledge.units.items() if u.practice}
    assert got == PRACTICE


def test_practice_hours_are_in_the_brochures() -> None:
    mentoring = seed(MENTORING_BROCHURE)
    assert "at least six hours of mentoring" in mentoring
    assert "at least 36 hours of mentoring" in mentoring
    cm = " ".join(seed(CM_BROCHURE).split())
    assert "carries out 36 hours of either coaching or mentoring" in cm


def test_equivalent_units_are_identical_in_both_brochures(knowledge: Knowledge) -> None:
    classes = {frozenset(c) for c in knowledge.equivalences}
    assert classes == {
        frozenset({"8577-304", "8578-304"}),
        frozenset({"8577-306", "8578-306"}),
        frozenset({"8577-307", "8578-307"}),
    }
    for klass in classes:
        assert len({UNIT_TABLE[ref] for ref in klass}) == 1, klass


# -- qualifications ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("qid", "title", "credits", "number"),
    [
        (AWARD, "ILM Level 3 Award in Mentoring", 10, None),
        (CERT, "ILM Level 3 Certificate in Mentoring", 13, None),
        (CM, "ILM Level 3 Certificate in Coaching and Mentoring", 16, "601/3698/4"),
    ],
)
def test_qualification_facts(knowledge: Knowledge, qid: str, title: str, credits: int, number: str | None) -> None:
    q = knowledge.qualifications[qid]
    assert q.title == title
    assert q.level == 3
    assert q.credits == credits
    assert q.qualification_number == number
    # The stated credit value is what the mandatory units (and one group) add up to.
    if qid == CM:
        assert sum(UNIT_TABLE[r][2] for r in MANDATORY[CM]) + 10 == credits
    else:
        assert sum(UNIT_TABLE[r][2] for r in MANDATORY[qid]) == credits


def test_credit_values_and_number_are_in_the_brochures() -> None:
    mentoring = seed(MENTORING_BROCHURE)
    assert "10 credits" in mentoring and "total credit value of 10" in mentoring
    assert "13 credits" in mentoring and "total credit value of 13" in mentoring
    assert "qualification number" not in mentoring.lower()
    assert not re.search(r"\d{3}/\d{4}/\d", mentoring)
    cm = seed(CM_BROCHURE)
    assert "Learners must gain 16 credits" in cm
    assert "601/3698/4" in cm


@pytest.mark.parametrize(
    ("qid", "induction", "tutorial"),
    [(AWARD, 1, 2), (CERT, 1, 2), (CM, 1, 4)],
)
def test_induction_and_tutorial_hours(knowledge: Knowledge, qid: str, induction: int, tutorial: int) -> None:
    programme = {node.hours_kind: node.hours for node in knowledge.qualifications[qid].programme}
    assert programme == {"induction": induction, "tutorial": tutorial}
    # Programme hours are tracked beside the verdict, not inside the rules of combination.
    assert not any(node.kind == "min_hours" for node in walk(knowledge.qualifications[qid].rules))


def test_induction_and_tutorial_wording_is_in_the_brochures() -> None:
    mentoring = seed(MENTORING_BROCHURE)
    assert mentoring.count("One hour induction") == 2
    assert mentoring.count("At least two hours tutorial support") == 2
    cm = seed(CM_BROCHURE)
    assert "At least one hour induction" in cm
    assert "Minimum four hours tutorial support" in cm


@pytest.mark.parametrize(
    ("qid", "email"),
    [(AWARD, "enquiries@i-l-m.com"), (CERT, "enquiries@i-l-m.com"), (CM, "customer@i-l-m.com")],
)
def test_contact(knowledge: Knowledge, qid: str, email: str) -> None:
    contact = knowledge.qualifications[qid].contact
    assert contact.email == email
    assert contact.phone == "01543 266867"


def test_contacts_are_in_the_brochures() -> None:
    mentoring, cm = seed(MENTORING_BROCHURE), seed(CM_BROCHURE)
    assert re.search(r"^E\s+enquiries@i-l-m\.com$", mentoring, re.MULTILINE)
    assert re.search(r"^E\s+customer@i-l-m\.com$", cm, re.MULTILINE)
    for text in (mentoring, cm):
        assert re.search(r"^T\s+01543 266867$", text, re.MULTILINE)


def test_progression(knowledge: Knowledge) -> None:
    external = {
        "ILM Level 3 Certificate or Diploma in Leadership and Management",
        "ILM Level 5 Certificate or Diploma in Coaching and Mentoring",
    }
    award = knowledge.qualifications[AWARD].progression
    assert {p.qualification for p in award if p.qualification} == {CERT, CM}
    assert {p.external for p in award if p.external} == external
    cm = knowledge.qualifications[CM].progression
    assert all(p.qualification is None for p in cm)
    assert {p.external for p in cm} == external


# -- nothing invented ------------------------------------------------------------------

NUMBER = re.compile(r"\d+(?:\.\d+)?")
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "six": 6}


def brochure_numbers() -> set[float]:
    """Every number the brochures print, as digits or as the words they use for hours and units."""
    numbers: set[float] = set()
    for path in (CM_BROCHURE, MENTORING_BROCHURE):
        text = seed(path)
        numbers |= {float(n) for n in NUMBER.findall(text)}
        words = set(re.findall(r"[a-z]+", text.lower()))
        numbers |= {float(v) for w, v in NUMBER_WORDS.items() if w in words}
    return numbers


def test_every_number_in_the_knowledge_is_in_a_brochure() -> None:
    """Guards against invented facts: a cost, a date or a number that no brochure prints.

    Nothing is exempt: unit references (8577-304 → 8577 and 304), the level
    in ids (``l3-…`` → 3) and the qualification number are all printed in the
    brochures, and the YAML has no list indices or other bookkeeping numbers.
    """
    allowed = brochure_numbers()
    for path in sorted(KNOWLEDGE_DIR.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        for lineno, line in enumerate(text.splitlines(), start=1):
            for n in NUMBER.findall(line):
                assert float(n) in allowed, f"{path.relative_to(REPO)}:{lineno}: {n} is in no brochure"


def test_every_unit_reference_in_the_knowledge_is_printed_in_a_brochure() -> None:
    printed = set(re.findall(r"\d{4}-\d{3}", seed(CM_BROCHURE) + seed(MENTORING_BROCHURE)))
    for path in sorted(KNOWLEDGE_DIR.rglob("*.yaml")):
        refs = set(re.findall(r"\d{4}-\d{3}", path.read_text(encoding="utf-8")))
        assert refs <= printed, (path.name, refs - printed)


def test_every_url_in_the_knowledge_is_printed_in_a_brochure() -> None:
    text = seed(CM_BROCHURE) + seed(MENTORING_BROCHURE)
    for path in sorted(KNOWLEDGE_DIR.rglob("*.yaml")):
        for url in re.findall(r"www\.[\w./-]+", path.read_text(encoding="utf-8")):
            assert url in text, (path.name, url)


def test_the_guard_catches_an_invented_number() -> None:
    """The number guard must be able to fail: a made-up cost is not in any brochure."""
    allowed = brochure_numbers()
    assert 495.0 not in allowed
    assert 2024.0 not in allowed
