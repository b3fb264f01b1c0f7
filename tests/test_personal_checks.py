"""Personal checks from what the asker states: which units are done, which one is asked about, hours still to do.

The truth is always the rules engine's verdict on the units the asker said they have done; the
phrasings are generated over every subset of each qualification's units, so the way units are stated
("I've done", "did", "have", "got", "… done") and the unit asked about ("do I still need 304?") are
checked as mechanisms, not as sentences.
"""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answers.answer import Answer
from bot.core.assistant import Assistant
from bot.core.brain import Brain
from bot.rules import Record

BRAIN = Brain.load()
K = BRAIN.knowledge
NAMES = {
    "l3-award-mentoring": "the award in mentoring",
    "l3-certificate-mentoring": "the certificate in mentoring",
    "l3-certificate-coaching-mentoring": "the C&M cert",
}
#: Ways people state what they have done; {units} is a list of codes, {q} the qualification.
STATED = (
    "I've done {units}. have I got {q}?",
    "did {units}, got {q}?",
    "have {units} - what do i still need for {q}",
    "{q}: {units} done. what's left?",
    "passed {units}, is that {q} complete?",
    "got {units}, whats missing for {q}",
)
#: The shapes above that ask yes/no whether the qualification is achieved: a shortfall leads "No, not yet".
YES_NO = frozenset({STATED[0], STATED[1], STATED[4]})


def units_of(qid: str) -> list[str]:
    return sorted(K.units_of_ids(qid))


def subsets(qid: str) -> list[tuple[str, ...]]:
    refs = units_of(qid)
    return [s for n in range(1, len(refs) + 1) for s in itertools.combinations(refs, n)]


def listed(refs: tuple[str, ...]) -> str:
    return refs[0] if len(refs) == 1 else f"{', '.join(refs[:-1])} and {refs[-1]}"


def reply(text: str) -> Answer:
    return Assistant(BRAIN).reply("U1", text)


CASES = [(qid, s, shape) for qid in NAMES for s in subsets(qid) for shape in STATED]


@settings(max_examples=600, deadline=None, derandomize=True)
@given(case=st.sampled_from(CASES))
def test_stated_units_get_the_engines_verdict_whatever_the_wording(case: tuple[str, tuple[str, ...], str]) -> None:
    qid, done, shape = case
    answer = reply(shape.format(units=listed(done), q=NAMES[qid]))
    truth = BRAIN.engine.evaluate(K.qualifications[qid], Record.of(done))
    assert answer.check is not None, answer.text
    assert answer.check["qualification"] == qid
    assert answer.check["achieved"] is truth.achieved, answer.text
    if truth.achieved:
        assert re.match(r"yes\b", answer.text, re.I), answer.text
    else:
        lead = r"no, not yet\b" if shape in YES_NO else r"not yet\b"
        assert re.match(lead, answer.text, re.I), answer.text
        assert f"{truth.credits_required - truth.credits_achieved} credits to go" in answer.text
        for option in truth.completion_options:
            assert all(ref in answer.text for ref in option), answer.text


@pytest.mark.parametrize("qid", sorted(NAMES))
def test_bare_unit_numbers_count_as_the_named_qualifications_units(qid: str) -> None:
    """'did 304 305 307, got the award?': the numbers are the named qualification's units."""
    for done in subsets(qid):
        numbers = " ".join(ref.split("-")[1] for ref in done)
        answer = reply(f"did {numbers}, got {NAMES[qid]}?")
        truth = BRAIN.engine.evaluate(K.qualifications[qid], Record.of(done))
        assert answer.check is not None and answer.check["achieved"] is truth.achieved, (done, answer.text)


ASKED = [
    (qid, s, u)
    for qid in NAMES
    for s in subsets(qid)
    for u in units_of(qid)
    if u not in s and len(s) < len(units_of(qid)) - 1
]


@settings(max_examples=400, deadline=None, derandomize=True)
@given(
    case=st.sampled_from(ASKED),
    shape=st.sampled_from(
        [
            "did {units}... do i still need {unit} for {q}?",
            "I've done {units} for {q}. do I need {unit}?",
            "done {units} on {q} - do i still need {unit} or not",
        ]
    ),
)
def test_the_unit_asked_about_is_never_counted_as_done(case: tuple[str, tuple[str, ...], str], shape: str) -> None:
    qid, done, asked = case
    answer = reply(shape.format(units=listed(done), unit=asked, q=NAMES[qid]))
    truth = BRAIN.engine.evaluate(K.qualifications[qid], Record.of(done))
    assert answer.check is not None and answer.check["achieved"] is truth.achieved, answer.text
    options = truth.completion_options
    if options and all(asked in o for o in options):
        assert re.match(r"yes, you still need " + asked, answer.text, re.I), answer.text
    elif any(asked in o for o in options):
        assert re.match(r"not necessarily\b", answer.text, re.I), answer.text
    else:
        assert re.match(r"no, you don't need " + asked, answer.text, re.I), answer.text


PRACTICE = [(qid, ref) for qid in NAMES for ref in units_of(qid) if K.units[ref].practice]


@settings(max_examples=60, deadline=None, derandomize=True)
@given(case=st.sampled_from(PRACTICE), hours=st.integers(min_value=0, max_value=40), verdict=st.booleans())
def test_hours_for_the_unit_asked_about_say_what_is_left(case: tuple[str, str], hours: int, verdict: bool) -> None:
    """'i've done X and 5 hrs mentoring for 305. have I got it?': 305 isn't done; its hours still to do are said."""
    qid, ref = case
    practice = K.units[ref].practice
    assert practice is not None
    others = tuple(u for u in units_of(qid) if u != ref)[:2]
    ask = f"have i got {NAMES[qid]}?" if verdict else f"how many hours do i need for {ref}?"
    answer = reply(f"i've done {listed(others)}, and {hours} hrs {practice.kind} for {ref}. {ask}")
    left = max(0, int(practice.hours) - hours)
    assert answer.check is not None and answer.check["achieved"] is False, answer.text
    assert (f"you need {left} more" if left else "that requirement is met") in answer.text, answer.text
    if verdict:
        assert re.match(r"no, not yet\b", answer.text, re.I), answer.text
    else:
        assert answer.text.startswith(ref), answer.text


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    case=st.sampled_from(PRACTICE),
    hours=st.integers(min_value=0, max_value=40),
    tail=st.sampled_from(["enough?", "is that enough?", "is that sorted?"]),
)
def test_a_yes_no_about_hours_leads_with_the_verdict(case: tuple[str, str], hours: int, tail: str) -> None:
    _, ref = case
    practice = K.units[ref].practice
    assert practice is not None
    answer = reply(f"i've done {hours} hours {practice.kind} for {ref}, {tail}")
    lead = "yes" if hours >= practice.hours else "no"
    assert re.match(lead + r"\b", answer.text, re.I), answer.text
