"""Progress and cohort reports from learner records, on the real shipped knowledge. No database.

Expected figures are read straight from the knowledge YAML here, not from
the code under test, so a wrong number in either place fails a test.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.knowledge import Knowledge, load_knowledge
from bot.learners import progress_of, render_progress
from bot.learners.cohort import CSV_COLUMNS, cohort_summary, render_cohort, write_cohort_csv
from bot.learners.learner import Enrolment, HoursLogged, LearnerRecord, UnitAchieved
from bot.learners.progress import engine_record
from bot.rules import Engine, Record

KNOWLEDGE_DIR = Path(__file__).resolve().parents[1] / "knowledge"
AWARD = "l3-award-mentoring"
CERT = "l3-certificate-mentoring"
CM = "l3-certificate-coaching-mentoring"
DAY = date(2025, 3, 1)


def _yaml(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


UNITS = {u["ref"]: u for u in _yaml(KNOWLEDGE_DIR / "units.yaml")["units"]}
QUALS = {p.stem: _yaml(p) for p in (KNOWLEDGE_DIR / "qualifications").glob("*.yaml")}


def programme_hours(qid: str, kind: str) -> float:
    return next(float(p["hours"]) for p in QUALS[qid]["programme"] if p["hours_kind"] == kind)


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge()


def learner(
    *enrolments: str, units: tuple[str, ...] = (), hours: tuple[HoursLogged, ...] = (), user: str = "U1"
) -> LearnerRecord:
    return LearnerRecord(
        user,
        tuple(Enrolment(q, DAY) for q in enrolments),
        tuple(UnitAchieved(u, DAY, "hr") for u in units),
        hours,
    )


def logged(kind: str, hours: float, unit: str | None = None) -> HoursLogged:
    return HoursLogged(kind, hours, DAY, unit)


# -- one learner ------------------------------------------------------------------------------------


def test_award_in_mentoring_part_way(knowledge: Knowledge) -> None:
    record = learner(AWARD, units=("8577-304", "8577-307"), hours=(logged("mentoring", 2),))
    [qp] = progress_of(record, knowledge).qualifications
    data = qp.to_dict()

    mandatory = QUALS[AWARD]["rules"]["units"]
    assert (data["credits_achieved"], data["credits_required"]) == (
        UNITS["8577-304"]["credits"] + UNITS["8577-307"]["credits"],
        QUALS[AWARD]["credits"],
    )
    assert data["units_done"] == ["8577-304", "8577-307"]
    assert data["units_left"] == [u for u in mandatory if u not in {"8577-304", "8577-307"}] == ["8577-305"]
    assert data["completion_options"] == [["8577-305"]]

    hours = {h["id"]: h for h in data["hours"]}
    practice_need = UNITS["8577-305"]["practice"]["hours"]
    assert hours["practice-8577-305"]["kind"] == "mentoring"
    assert hours["practice-8577-305"]["hours_logged"] == 2
    assert hours["practice-8577-305"]["hours_required"] == practice_need
    assert hours["practice-8577-305"]["hours_remaining"] == practice_need - 2 == 4
    assert hours["induction"]["hours_remaining"] == programme_hours(AWARD, "induction")
    assert hours["tutorial"]["hours_remaining"] == programme_hours(AWARD, "tutorial")
    assert {h["status"] for h in data["hours"]} == {"unmet"}

    step = data["next_step"]
    assert step.startswith("Next: complete 8577-305 Undertaking Mentoring in the Workplace")
    assert "4 more hours of mentoring practice" in step
    assert "1 more hour of induction" in step
    assert "2 more hours of tutorial support" in step
    assert data["complete"] is False


def test_progress_json_holds_every_check_field(knowledge: Knowledge) -> None:
    record = learner(CM, units=("8578-300", "8578-304", "8578-302"), hours=(logged("coaching", 30),))
    data = progress_of(record, knowledge).to_dict()
    assert data["user"] == "U1"
    [q] = data["qualifications"]
    check = Engine(knowledge.catalogue).evaluate(knowledge.qualifications[CM], engine_record(record, knowledge))
    expected = check.to_dict()
    assert {k: q[k] for k in expected} == expected
    assert {"hours", "units_done", "units_left", "next_step", "enrolled_on", "title"} <= set(q)
    json.dumps(data)  # serialisable as it stands


def test_hours_go_to_the_unit_only_when_they_are_its_practice(knowledge: Knowledge) -> None:
    record = learner(
        AWARD,
        hours=(
            logged("mentoring", 1.5, "8577-305"),  # the unit's own practice
            logged("tutorial", 1, "8577-305"),  # tutorial support for the unit: still tutorial
            logged("mentoring", 0.1),
            logged("mentoring", 0.2),
        ),
    )
    facts = engine_record(record, knowledge)
    assert facts == Record(frozenset(), {"tutorial": 1.0, "mentoring": 0.3}, {"8577-305": 1.5}, hours_known=True)
    hours = {h.id: h for h in progress_of(record, knowledge).qualifications[0].hours}
    assert hours["practice-8577-305"].logged == pytest.approx(1.8)
    assert hours["tutorial"].logged == 1


def test_no_hours_logged_means_none_done_not_unknown(knowledge: Knowledge) -> None:
    [qp] = progress_of(learner(AWARD), knowledge).qualifications
    assert {p.status.value for p in qp.evaluation.practice} == {"unmet"}
    assert {n.status.value for n in qp.evaluation.programme} == {"unmet"}


def test_alternatives_stay_alternatives(knowledge: Knowledge) -> None:
    """With nothing done, C&M can finish through Group 1 or Group 2: only the mandatory units are certain."""
    [qp] = progress_of(learner(CM), knowledge).qualifications
    mandatory = QUALS[CM]["rules"]["children"][0]["units"]
    assert list(qp.units_left) == sorted(mandatory)
    assert {h.unit for h in qp.hours if h.unit} == {"8578-302", "8578-306"}  # both practices are possible
    assert "either" in qp.next_step
    assert "coaching practice" not in qp.next_step and "mentoring practice" not in qp.next_step


def test_credit_transfer_counts_and_is_shown(knowledge: Knowledge) -> None:
    record = learner(CM, units=("8577-304", "8578-300"))
    progress = progress_of(record, knowledge)
    [qp] = progress.qualifications
    assert qp.units_done == ("8578-300", "8578-304")
    assert "8578-304 Understanding Good Practice in Workplace Mentoring (through 8577-304, credit transfer)" in (
        render_progress(progress, knowledge)
    )


def test_done_when_the_rules_are_met_and_every_hour_is_logged(knowledge: Knowledge) -> None:
    need = UNITS["8577-305"]["practice"]["hours"]
    hours = (
        logged("mentoring", need, "8577-305"),
        logged("induction", programme_hours(AWARD, "induction")),
        logged("tutorial", programme_hours(AWARD, "tutorial")),
    )
    record = learner(AWARD, units=("8577-304", "8577-305", "8577-307"), hours=hours)
    [qp] = progress_of(record, knowledge).qualifications
    assert qp.complete
    assert qp.units_left == ()
    assert qp.next_step.startswith("Done:")
    hours_short = learner(AWARD, units=("8577-304", "8577-305", "8577-307"), hours=hours[:2])
    [qp] = progress_of(hours_short, knowledge).qualifications
    assert qp.evaluation.achieved and not qp.complete
    assert qp.next_step == "Next: log 2 more hours of tutorial support."


def test_not_enrolled_says_how_to_start(knowledge: Knowledge) -> None:
    progress = progress_of(learner(units=("8577-304",), user="U9"), knowledge)
    assert progress.qualifications == ()
    assert "ilm-bot learner enrol U9 QUALIFICATION" in progress.next_step
    assert render_progress(progress, knowledge).startswith("Progress of U9: Not enrolled")
    assert render_progress(progress, knowledge, heading="Your progress").startswith("Your progress: Not enrolled")


def test_several_qualifications_and_one_the_knowledge_no_longer_has(knowledge: Knowledge) -> None:
    record = learner(AWARD, CERT, "l3-retired", units=("8577-304", "8577-307"))
    progress = progress_of(record, knowledge)
    assert [q.qualification for q in progress.qualifications] == [AWARD, CERT]
    assert progress.unknown == ("l3-retired",)
    assert progress.next_step.startswith("Award in Mentoring — Next: complete 8577-305")
    text = render_progress(progress, knowledge)
    assert "ILM Level 3 Certificate in Mentoring (l3-certificate-mentoring)" in text
    assert "l3-retired, which this knowledge base does not describe" in text


def test_progress_is_pure() -> None:
    """Computing progress never imports the database stack."""
    code = "import sys, bot.learners, bot.learners.cohort; print('sqlalchemy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- cohort -----------------------------------------------------------------------------------------


def test_cohort_summary_counts_and_percentages(knowledge: Knowledge) -> None:
    award_all = ("8577-304", "8577-305", "8577-307")
    records = [
        learner(AWARD, units=award_all, user="A"),  # achieved
        learner(AWARD, units=("8577-304",), user="B"),  # 3 of 10
        learner(AWARD, CM, units=("8577-304", "8577-307"), user="C"),  # 6 of 10; C&M 6 of 16 (304 and 307 by transfer)
        learner(CM, user="D"),  # 0 of 16
    ]
    rows = {r.qualification: r for r in cohort_summary(records, knowledge)}
    assert set(rows) == set(QUALS)
    award, cm, cert = rows[AWARD], rows[CM], rows[CERT]
    total = QUALS[AWARD]["credits"]
    assert (award.enrolled, award.achieved, award.in_progress) == (3, 1, 2)
    b = 100 * UNITS["8577-304"]["credits"] / total
    c = 100 * (UNITS["8577-304"]["credits"] + UNITS["8577-307"]["credits"]) / total
    assert award.in_progress_mean_percent == pytest.approx((b + c) / 2, abs=0.06)
    assert award.in_progress_median_percent == pytest.approx((b + c) / 2, abs=0.06)
    assert (cm.enrolled, cm.achieved, cm.in_progress) == (2, 0, 2)
    transferred = UNITS["8578-304"]["credits"] + UNITS["8578-307"]["credits"]
    assert cm.in_progress_median_percent == pytest.approx((100 * transferred / QUALS[CM]["credits"] + 0) / 2, abs=0.06)
    assert (cert.enrolled, cert.in_progress_mean_percent) == (0, None)

    table = render_cohort(rows.values())
    assert "ILM Level 3 Award in Mentoring" in table
    assert "A" not in table.split() and "U1" not in table  # aggregates only

    out = io.StringIO()
    write_cohort_csv(cohort_summary(records, knowledge), out)
    parsed = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(parsed[0]) == CSV_COLUMNS
    by_id = {r["qualification"]: r for r in parsed}
    assert (by_id[AWARD]["enrolled"], by_id[AWARD]["achieved"]) == ("3", "1")
    assert by_id[CERT]["in_progress_mean_percent"] == ""


def test_stalled_learners_have_nothing_recorded_for_the_stalled_days(knowledge: Knowledge) -> None:
    from bot.learners.cohort import ACHIEVED, IN_PROGRESS, STALLED, standing

    today = date(2025, 6, 30)
    old, recent = today - timedelta(days=31), today - timedelta(days=29)
    records = [
        LearnerRecord("OLD", (Enrolment(AWARD, old),), (UnitAchieved("8577-304", old, "hr"),)),
        LearnerRecord("NEW", (Enrolment(AWARD, old),), (), (HoursLogged("tutorial", 1, recent),)),
        LearnerRecord(
            "DONE",
            (Enrolment(AWARD, old),),
            tuple(UnitAchieved(u, old, "hr") for u in ("8577-304", "8577-305", "8577-307")),
        ),
    ]
    states = {s.user: s.state for s in standing(records, knowledge, today, 30)}
    assert states == {"OLD": STALLED, "NEW": IN_PROGRESS, "DONE": ACHIEVED}  # achieved is never stalled
    assert {s.state for s in standing(records, knowledge)} == {ACHIEVED, IN_PROGRESS}  # no date: nobody stalled
    award = next(r for r in cohort_summary(records, knowledge, today, 30) if r.qualification == AWARD)
    assert (award.enrolled, award.achieved, award.in_progress, award.stalled) == (3, 1, 2, 1)
    assert "stalled" in render_cohort([award]).splitlines()[0]


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    st.lists(
        st.tuples(st.text(min_size=1, max_size=80), st.integers(0, 500), st.integers(0, 500), st.integers(0, 500)),
        max_size=8,
    )
)
def test_the_cohort_chart_is_a_png_for_any_cohort(rows: list[tuple[str, int, int, int]]) -> None:
    """Any titles (long, unicode) and counts, none, or all zero: a PNG Slack can show, one row per qualification."""
    from PIL import Image

    from bot.learners.cohort import CohortRow
    from bot.learners.cohort_chart import ROW, TOP, WIDTH, chart_png

    cohort = [
        CohortRow(f"q{i}", title, a + p + s, a, p + s, None, None, 0, s) for i, (title, a, p, s) in enumerate(rows)
    ]
    data = chart_png(cohort)
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size[0] == WIDTH
    assert image.size[1] >= TOP + ROW * max(1, len(rows))
