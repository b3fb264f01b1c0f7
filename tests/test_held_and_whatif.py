"""Conversation state for personal questions, and what-ifs: the truth is always the rules engine's.

A qualification the asker says they hold is acknowledged and kept for the next turns; a swap or a
hypothetical set of units is evaluated against every qualification; hours alone never achieve a
qualification; "why 10?" and "how many more is the Cert?" follow up on the figure just given.
The phrasings are generated over every qualification and unit, so these are checked as mechanisms.
"""

from __future__ import annotations

import itertools
import re

import pytest

from bot.core.assistant import Assistant
from bot.core.brain import Brain
from bot.nlu.context import DialogueContext, pick, store
from bot.rules import Record

BRAIN = Brain.load()
K = BRAIN.knowledge
QUALS = list(K.qualifications.values())


def _ask(*turns: str) -> tuple[list[str], DialogueContext]:
    bot = Assistant(BRAIN)
    answers = [bot.reply("u", t).text for t in turns]
    return answers, bot.contexts.get("u")


def _first_way(qid: str) -> tuple[str, ...]:
    return BRAIN.engine.completion_options(K.qualifications[qid], Record())[0]


def test_held_context_round_trips_and_old_contexts_stay_readable() -> None:
    ctx = DialogueContext(
        intent="personal_check", qualifications=("l3-certificate-mentoring",), held=("l3-award-mentoring",)
    )
    assert pick(store(None, "c", ctx), "c") == ctx
    old = {"intent": "qualification_credits", "qualifications": ["l3-award-mentoring"], "turns": 2}
    assert DialogueContext.from_json(old).held == ()


@pytest.mark.parametrize("q", QUALS, ids=lambda q: q.id)
@pytest.mark.parametrize("said", ["I've got {t}", "I finished {t} last year", "i hold {t} already"])
def test_holding_a_qualification_is_acknowledged_with_what_it_leads_to(q, said: str) -> None:
    (answer,), ctx = _ask(said.format(t=f"the {q.title}"))
    assert answer.startswith("Noted")
    assert ctx.held == (q.id,)
    held = Record.of(_first_way(q.id))
    for other in QUALS:
        if other.id == q.id:
            continue
        ev = BRAIN.engine.evaluate(other, held)
        assert other.title in answer
        for ref in (ev.completion_options or ((),))[0]:
            assert ref in answer, (other.id, ref)


def test_the_next_turn_tops_up_from_the_qualification_held() -> None:
    answers, _ = _ask(
        "I've got the award in mentoring", "how many more mentoring hours would I need for the certificate?"
    )
    hours = answers[1]
    assert re.search(r"\b36 hours of mentoring for 8577-306\b", hours)
    assert "8577-305" in hours and "don't count" in hours  # the Award's 6 hours were for 8577-305


def test_a_unit_counts_toward_each_certificate_checked_separately() -> None:
    answers, _ = _ask("I finished the Award last year", "does 305 count for the certificate?")
    lines = answers[1].splitlines()
    for qid in ("l3-certificate-mentoring", "l3-certificate-coaching-mentoring"):
        line = next(x for x in lines if K.qualifications[qid].title in x)
        assert line.startswith("No"), line  # 8577-305 is in neither, and has no equivalent


def test_bare_numbers_resolved_by_the_qualification_the_asker_is_on() -> None:
    answers, ctx = _ask("i'm on the C&M cert", "i've done 304 and 307 so far, what else")
    assert answers[0].startswith("Noted") and ctx.qualification == "l3-certificate-coaching-mentoring"
    assert "8578-304 and 8578-307" in answers[1] and "Not yet" in answers[1]


def _swaps() -> list[tuple[str, str, str]]:
    out = []
    for q in QUALS:
        way = _first_way(q.id)
        scheme = way[0].split("-")[0]
        for gone, come in itertools.product(way, sorted(K.units)):
            if come.startswith(scheme) and come not in way:
                out.append((q.id, gone, come))
    return out


@pytest.mark.parametrize(("qid", "gone", "come"), _swaps())
def test_a_swap_is_evaluated_against_every_qualification(qid: str, gone: str, come: str) -> None:
    q = K.qualifications[qid]
    (answer,), _ = _ask(f"what if I swap {gone} for {come} in the {q.title}? what would i end up with")
    units = Record.of([u for u in _first_way(qid) if u != gone] + [come])
    achieved = [p.title for p in QUALS if BRAIN.engine.achieved(p, units)]
    lead = answer.split(". ")[0]
    assert all(t in lead for t in achieved), (achieved, answer)
    assert all(p.title not in lead for p in QUALS if p.title not in achieved)
    if q.title not in achieved:
        assert f"Not the {q.title}" in answer and gone in answer


@pytest.mark.parametrize("q", QUALS, ids=lambda q: q.id)
def test_practice_hours_alone_never_achieve_a_qualification(q) -> None:
    for ref in sorted(K.units_of_ids(q.id)):
        practice = K.units[ref].practice
        if practice is None:
            continue
        (answer,), _ = _ask(f"done {practice.hours:g} hours of {practice.kind}, does that mean i've got the {q.title}")
        assert answer.startswith("No"), answer
        assert ref in answer


@pytest.mark.parametrize("q", QUALS, ids=lambda q: q.id)
def test_why_a_figure_adds_up_its_units(q) -> None:
    answers, _ = _ask(f"how many credits is the {q.title}", f"why {q.credits}?")
    for way in BRAIN.engine.completion_options(q, Record()):
        sum_text = " + ".join(str(K.units[r].credits) for r in way) + f" = {q.credits}"
        assert sum_text in answers[1]


@pytest.mark.parametrize(("a", "b"), list(itertools.permutations(QUALS, 2)), ids=str)
def test_how_many_more_compares_with_the_previous_subject(a, b) -> None:
    answers, _ = _ask(f"credits for the {a.title}?", f"how many more is the {b.title}")
    assert re.search(rf"\b{b.credits}\b", answers[1]) and re.search(rf"\b{a.credits}\b", answers[1])
    assert re.search(rf"\b{abs(a.credits - b.credits)} (more|fewer|less)\b", answers[1]), answers[1]
