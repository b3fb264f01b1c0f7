"""Personal checks where the asker says more than which units are done: a unit in progress, practice hours
so far, a credit total they worked out, a team member's units, and two questions about the same units.

Every truth is the rules engine's, on exactly the units stated as done; the phrasings are generated over
the units of every qualification, so these check mechanisms, not sentences:
- a unit the asker is "on", "doing", "halfway through" or has "started" is in progress, never done;
- practice hours stated ("25 hours of mentoring so far") count down the practice of the units still to do;
- a credit total the asker states is checked against the rules, corrected when wrong, never adopted;
- "my team member did …" is a personal check about them;
- "how many credits have I got" is answered as a number of credits, and one answer is never said twice.
"""

from __future__ import annotations

import itertools
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from test_personal_statements import BRAIN, NAMES, K, listed, reply, units_of

from bot.rules import Evaluation, Record


def evaluate(qid: str, done: tuple[str, ...], hours: dict[str, float] | None = None) -> Evaluation:
    return BRAIN.engine.evaluate(K.qualifications[qid], Record.of(done, hours))


def assert_engine(answer_check: dict | None, qid: str, ev: Evaluation, text: str) -> None:
    assert answer_check is not None, text
    assert answer_check["qualification"] == qid, text
    assert answer_check["achieved"] is ev.achieved, text
    assert answer_check["credits_achieved"] == ev.credits_achieved, text


#: (qualification, units done, a unit in progress): every unit of each qualification in progress, with
#: every set of one or more of its other units done.
IN_PROGRESS = [
    (qid, done, doing)
    for qid in NAMES
    for doing in units_of(qid)
    for n in range(1, len(units_of(qid)))
    for done in itertools.combinations([u for u in units_of(qid) if u != doing], n)
]


@settings(max_examples=80, deadline=None, derandomize=True)
@given(
    case=st.sampled_from(IN_PROGRESS),
    shape=st.sampled_from(
        [
            "I've done {units} and I'm on {unit}. what's left for {q}?",
            "done {units}, currently doing {unit} - have I got {q}?",
            "I did {units} and I'm halfway through {unit}, what's left on {q}?",
            "finished {units}, started {unit}. what's left for {q}?",
            "I've done {units} and am working on {unit} - what else do I need for {q}?",
        ]
    ),
)
def test_a_unit_in_progress_is_never_done(case: tuple[str, tuple[str, ...], str], shape: str) -> None:
    qid, done, doing = case
    answer = reply(shape.format(units=listed(done), unit=doing, q=NAMES[qid]))
    ev = evaluate(qid, done)
    assert_engine(answer.check, qid, ev, answer.text)
    assert doing not in {c["unit"] for c in answer.check["units_counted"]}, answer.text
    if not ev.achieved:
        assert not re.match(r"yes\b", answer.text, re.I), answer.text


#: (qualification, units done, a practice unit in progress): practice hours stated for the unit on the go.
PRACTISING = [
    (qid, done, doing)
    for (qid, done, doing) in IN_PROGRESS
    if K.units[doing].practice is not None and doing not in done
]


@settings(max_examples=60, deadline=None, derandomize=True)
@given(case=st.sampled_from(PRACTISING), hours=st.integers(min_value=0, max_value=40))
def test_practice_hours_so_far_count_down(case: tuple[str, tuple[str, ...], str], hours: int) -> None:
    """ "I'm on 8578-306 with 25 hours of mentoring so far. what's left?": 11 more hours (36 - 25)."""
    qid, done, doing = case
    practice = K.units[doing].practice
    assert practice is not None
    text = f"I've done {listed(done)} and I'm on {doing} with {hours} hours of {practice.kind} so far. what's left?"
    answer = reply(f"{NAMES[qid]}: {text}")
    ev = evaluate(qid, done, {practice.kind: float(hours)})
    assert_engine(answer.check, qid, ev, answer.text)
    still = any(doing in option for option in ev.completion_options)
    left = max(0, int(practice.hours) - hours)
    if still and left:
        assert f"need {left} more" in answer.text, answer.text


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    case=st.sampled_from([(qid, s) for (qid, s, _) in IN_PROGRESS]),
    off=st.sampled_from([0, 1, -1]),
    shape=st.sampled_from(
        [
            "I've done {units} which is {n} credits so I've got {q} right?",
            "done {units}, that's {n} credits, so {q} is in the bag yeah?",
        ]
    ),
)
def test_a_stated_credit_total_is_checked_never_adopted(
    case: tuple[str, tuple[str, ...]], off: int, shape: str
) -> None:
    """The asker's own sum of the units' credits (or a slip of it) against what the rules count."""
    qid, done = case
    claimed = sum(K.units[u].credits for u in done) + off
    answer = reply(shape.format(units=listed(done), n=claimed, q=NAMES[qid]))
    ev = evaluate(qid, done)
    assert_engine(answer.check, qid, ev, answer.text)
    assert re.match(r"yes\b" if ev.achieved else r"no\b", answer.text, re.I), answer.text
    if claimed != ev.credits_achieved:
        assert f"{ev.credits_achieved} credits" in answer.text and f"not {claimed}" in answer.text, answer.text


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    case=st.sampled_from([(qid, s) for (qid, s, _) in IN_PROGRESS]),
    shape=st.sampled_from(
        [
            "manager here - my team member did {units} only. how many more credits for {q}?",
            "my colleague has passed {units}, how many more credits does she need for {q}?",
        ]
    ),
)
def test_how_many_more_credits_for_a_team_member(case: tuple[str, tuple[str, ...]], shape: str) -> None:
    qid, done = case
    answer = reply(shape.format(units=listed(done), q=NAMES[qid]))
    ev = evaluate(qid, done)
    assert_engine(answer.check, qid, ev, answer.text)
    if not ev.achieved:
        assert f"{ev.credits_required - ev.credits_achieved} credits" in answer.text, answer.text


@settings(max_examples=40, deadline=None, derandomize=True)
@given(case=st.sampled_from([(qid, s) for (qid, s, _) in IN_PROGRESS]))
def test_credits_got_and_what_is_left_in_one_answer(case: tuple[str, tuple[str, ...]]) -> None:
    """'how many credits have I got and what's left?': the credits as "N credits", said once."""
    qid, done = case
    answer = reply(f"done {listed(done)} - how many credits have I got and what's left for {NAMES[qid]}?")
    ev = evaluate(qid, done)
    assert_engine(answer.check, qid, ev, answer.text)
    assert f"{ev.credits_achieved} credits" in answer.text or ev.achieved, answer.text
    sentences = [s for s in re.split(r"(?<=\.)\s+", answer.text) if s]
    assert len(sentences) == len(set(sentences)), answer.text
