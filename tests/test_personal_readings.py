"""Personal checks from Slack-thread messages: several readings, several people, several kinds of hours.

"did 304, 306, 307" (numbers both schemes have), "done all 4 of the 8577 units" (no one qualification
holds them), "Priya did …; Tom did …", "plus both mandatories", "1 hr induction and 2 hrs of tutorial":
each is checked with the rules engine over generated inputs, never against a written sentence.
"""

from __future__ import annotations

import itertools
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.assistant import Assistant
from bot.core.brain import Brain
from bot.rules import Record

BRAIN = Brain.load()
K = BRAIN.knowledge
NAMES = {
    "l3-award-mentoring": "the award",
    "l3-certificate-mentoring": "the cert in mentoring",
    "l3-certificate-coaching-mentoring": "the C&M",
}
AWARD = "l3-award-mentoring"
CM = "l3-certificate-coaching-mentoring"
YES = re.compile(r"^\W*yes\b", re.I)
NO = re.compile(r"^\W*(no|not yet)\b", re.I)


def ask(text: str):  # type: ignore[no-untyped-def]
    return Assistant(BRAIN).reply("U1", text)


def achieved(qid: str, units: list[str] | tuple[str, ...]) -> bool:
    return BRAIN.engine.evaluate(K.qualifications[qid], Record.of(list(units))).achieved


def lines_for(text: str, title: str) -> list[str]:
    return [line for line in text.splitlines() if re.search(rf"\b{re.escape(title)}\b(?! or)", line)]


# -- several readings: no one qualification settles the units ------------------------------------


def _numbers() -> list[str]:
    """Unit numbers both schemes have ("304"), so a bare one could be either."""
    schemes = {ref.split("-")[0] for ref in K.units}
    per = [{ref.split("-")[1] for ref in K.units if ref.startswith(s)} for s in schemes]
    return sorted(set.intersection(*per))


@settings(max_examples=25, deadline=None, derandomize=True)
@given(numbers=st.lists(st.sampled_from(_numbers()), min_size=2, max_size=3, unique=True))
def test_bare_numbers_are_checked_under_every_reading_not_asked_about(numbers: list[str]) -> None:
    """'did 304, 306, 307 - what have i got?': what each qualification gets from its own scheme's units."""
    answer = ask(f"did {', '.join(numbers)} - what have i got?")
    assert not answer.text.startswith("Unit "), answer.text  # not "which one do you mean?"
    for q in K.qualifications.values():
        own = K.units_of_ids(q.id)
        scheme = {ref.split("-")[0] for ref in own}
        reading = [next(r for r in K.units if r.split("-")[0] in scheme and r.endswith(f"-{n}")) for n in numbers]
        lines = [
            line for line in answer.text.splitlines() if any(f"the {q.title}{c}" in line for c in (" (", ",", ":"))
        ]
        if not set(reading) & own:
            assert not lines, answer.text
            continue
        assert lines, (q.title, answer.text)
        assert bool(YES.match(lines[0])) == achieved(q.id, reading), lines[0]


@settings(max_examples=20, deadline=None, derandomize=True)
@given(scheme=st.sampled_from(sorted({ref.split("-")[0] for ref in K.units})))
def test_all_of_a_schemes_units_says_every_qualification_they_achieve(scheme: str) -> None:
    """'done all 4 of the 8577 units (304 305 306 307). which quals does that give me'."""
    refs = sorted(ref for ref in K.units if ref.startswith(scheme))
    owners = [q for q in K.qualifications.values() if set(refs) <= K.units_of_ids(q.id)]
    if len(owners) == 1:
        return  # one qualification holds them all: answered for it alone
    numbers = " ".join(ref.split("-")[1] for ref in refs)
    answer = ask(f"done all {len(refs)} of the {scheme} units ({numbers}). which quals does that give me")
    got = [q for q in K.qualifications.values() if achieved(q.id, refs)]
    for q in K.qualifications.values():  # each achieved one named, no other said to be achieved
        assert (q.title in answer.text) == (q in got), (q.title, answer.text)
    assert answer.check is not None and answer.check["achieved"] == bool(got)


# -- several people -----------------------------------------------------------------------------


@settings(max_examples=25, deadline=None, derandomize=True)
@given(
    first=st.sets(st.sampled_from(sorted(K.units_of_ids(AWARD))), min_size=1),
    second=st.sets(st.sampled_from(sorted(K.units_of_ids(AWARD))), min_size=1),
    names=st.sampled_from([("Priya", "Tom"), ("Sam", "Alex"), ("Jo", "Kieran")]),
)
def test_each_person_is_checked_on_their_own_units(first: set[str], second: set[str], names: tuple[str, str]) -> None:
    """'my team: Priya did …; Tom did … who has the award': one verdict per person, named plainly."""
    a, b = names
    done_a, done_b = ", ".join(sorted(first)), " and ".join(sorted(second))
    text = ask(f"my team: {a} did {done_a}; {b} did {done_b}. who has the award")
    lines = text.text.splitlines()
    for name, units in ((a, first), (b, second)):
        line = next((line for line in lines if line.startswith(f"{name}: ")), None)
        assert line is not None, text.text
        verdict = line[len(name) + 2 :]
        assert bool(YES.match(verdict)) == achieved(AWARD, sorted(units)), line
        assert NO.match(verdict) or YES.match(verdict), line
    assert "*" not in text.text and "_" + a not in text.text


# -- the mandatory units stated as done ------------------------------------------------------------


def _cm_optional() -> list[tuple[str, ...]]:
    mandatory = {ref for g in K.qualifications[CM].groups if g.id == "mandatory" for ref in g.units}
    rest = sorted(K.units_of_ids(CM) - mandatory)
    return [s for n in (1, 2) for s in itertools.combinations(rest, n)]


@settings(max_examples=15, deadline=None, derandomize=True)
@given(done=st.sampled_from(_cm_optional()), words=st.sampled_from(["both mandatories", "the mandatory units"]))
def test_the_mandatory_units_stated_as_done_count(done: tuple[str, ...], words: str) -> None:
    """'done 8578-302 and 8578-306 plus both mandatories. qualified?': the engine's verdict with them."""
    mandatory = [ref for g in K.qualifications[CM].groups if g.id == "mandatory" for ref in g.units]
    answer = ask(f"done {' and '.join(done)} plus {words}. qualified?")
    expected = achieved(CM, [*done, *mandatory])
    assert answer.check is not None and answer.check["achieved"] is expected, answer.text
    assert bool(YES.match(answer.text)) == expected, answer.text


def test_asking_whether_the_mandatory_units_are_needed_states_nothing_done() -> None:
    answer = ask("do i need the mandatory units for the C&M if I did 8578-302?")
    assert answer.check is not None and not answer.check["achieved"], answer.text


# -- hours: each kind on its own ------------------------------------------------------------------


@settings(max_examples=30, deadline=None, derandomize=True)
@given(
    qid=st.sampled_from(sorted(K.qualifications)),
    induction=st.sampled_from([0.5, 1, 2]),
    tutorial=st.sampled_from([1, 2, 3, 4, 5]),
)
def test_induction_and_tutorial_hours_are_checked_each_on_its_own(qid: str, induction: float, tutorial: int) -> None:
    """'had the 1hr induction and 2 hrs of tutorial on the award, have i had the minimum support?'."""
    q = K.qualifications[qid]
    need = {p.hours_kind: p.hours for p in q.programme}
    text = ask(
        f"had {induction:g} hrs of induction and {tutorial} hrs of tutorial on {NAMES[qid]}, "
        "have i had the minimum support?"
    ).text
    met = induction >= need["induction"] and tutorial >= need["tutorial"]
    assert bool(YES.match(text)) == met and bool(NO.match(text)) != met, text
    total = induction + tutorial
    assert f"with {total:g} so far" not in text or total in (induction, tutorial), text  # never added up


@settings(max_examples=20, deadline=None, derandomize=True)
@given(qid=st.sampled_from(sorted(K.qualifications)), hours=st.sampled_from([3, 6, 20, 36, 40]))
def test_enough_hours_asked_after_the_hours_leads_with_the_verdict(qid: str, hours: int) -> None:
    """'logged 36 hrs coaching for C&M, have i done enough hours': Yes or No first."""
    practice = [u.practice for u in K.units_of(qid) if u.practice]
    kind = practice[0].kind
    text = ask(f"logged {hours} hrs {kind} for {NAMES[qid]}, have i done enough hours").text
    met = all(hours >= p.hours for p in practice if p.kind == kind)
    assert bool(YES.match(text)) == met and bool(NO.match(text)) != met, text
