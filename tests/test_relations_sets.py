"""Yes/no questions about how things relate, checked against the rules engine and the knowledge:
practice claimed for several kinds at once, the same-or-different units of two qualifications, a route's
units, and "without any mentoring units" (issue 12, held-out set 10)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answers.attributes import Facts, Subject
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


def ask(text: str) -> str:
    answer = Assistant(BRAIN).reply("U1", text)
    return answer.text


def _ways(qid: str) -> list[dict[str, float]]:
    """Practice hours by kind on every shortest way to complete the qualification (the engine's)."""
    q = K.qualifications[qid]
    ways = []
    for route in BRAIN.engine.completion_options(q, Record()):
        hours: dict[str, float] = {}
        for ref in route:
            p = K.units[ref].practice
            if p is not None:
                hours[p.kind] = hours.get(p.kind, 0.0) + p.hours
        ways.append(hours)
    return ways


@settings(max_examples=30, deadline=None, derandomize=True)
@given(
    qid=st.sampled_from(sorted(NAMES)),
    coaching=st.sampled_from([6, 12, 36]),
    mentoring=st.sampled_from([6, 12, 36]),
    shape=st.sampled_from(
        [
            "my colleague says u need {c} hours of coaching AND {m} hours of mentoring for {q}. is that right?",
            "for {q} is it {c} hours of coaching and another {m} hours of mentoring?",
        ]
    ),
)
def test_practice_claimed_for_several_kinds_is_checked_against_every_route(
    qid: str, coaching: int, mentoring: int, shape: str
) -> None:
    claimed = {"coaching": coaching, "mentoring": mentoring}
    true = all(all(w.get(kind) == h for kind, h in claimed.items()) for w in _ways(qid))
    text = ask(shape.format(c=coaching, m=mentoring, q=NAMES[qid]))
    assert text.startswith("Yes" if true else "No"), text
    for way in _ways(qid):
        for kind, hours in way.items():
            assert f"{hours:g} hours of supervised {kind}" in text, text


@settings(max_examples=24, deadline=None, derandomize=True)
@given(
    pair=st.permutations(sorted(NAMES)).map(lambda p: tuple(p[:2])),
    attribute=st.sampled_from([("tutorial", "tutorial support"), ("induction", "induction"), ("glh", "GLH")]),
)
def test_a_fact_the_same_on_two_qualifications_named_after_on_the_keeps_both(
    pair: tuple[str, str], attribute: tuple[str, str]
) -> None:
    """'Is the tutorial support on the C&M the same as on the Award?': both are subjects, neither is where units
    came from."""
    name, words = attribute
    facts = Facts(K, BRAIN.engine)
    a, b = (facts.value(Subject("qualification", q), name) for q in pair)
    assert a is not None and b is not None
    text = ask(f"Is the {words} on {NAMES[pair[0]]} the same as on {NAMES[pair[1]]}?")
    assert text.startswith("Yes" if a.single == b.single else "No"), text
    assert f"{a.single:g}" in text and f"{b.single:g}" in text, text


@settings(max_examples=12, deadline=None, derandomize=True)
@given(
    pair=st.permutations(sorted(NAMES)).map(lambda p: tuple(p[:2])),
    shape=st.sampled_from(
        ["in credits, how much bigger is {a} than {b}?", "how much smaller is {a} than {b} in credits?"]
    ),
)
def test_how_much_bigger_is_a_comparison_giving_the_difference(pair: tuple[str, str], shape: str) -> None:
    a, b = (K.qualifications[q].credits for q in pair)
    text = ask(shape.format(a=NAMES[pair[0]], b=NAMES[pair[1]]))
    if a != b:
        assert re.search(rf"\b{abs(a - b)} (more|fewer) credits", text), text


_TITLES = {}
for _ref, _u in sorted(K.units.items()):
    _TITLES.setdefault(_u.title, []).append(_ref)
_UNIQUE_TITLES = sorted(t for t, refs in _TITLES.items() if len(refs) == 1)


@settings(max_examples=20, deadline=None, derandomize=True)
@given(pair=st.permutations(_UNIQUE_TITLES).map(lambda p: tuple(p[:2])))
def test_an_attribute_word_inside_a_unit_title_is_not_the_attribute_asked(pair: tuple[str, str]) -> None:
    """'Which is worth more credits: Understanding Good Practice in … or …?' compares credits, not practice."""
    a, b = (K.units[_TITLES[t][0]].credits for t in pair)
    text = ask(f"Which is worth more credits: {pair[0]} or {pair[1]}?")
    assert "Credits:" in text and "practice" not in text.split("\n")[0].lower(), text
    assert f"Credits: {a} vs {b}" in text or f"Credits: {b} vs {a}" in text, text


_OPTIONAL_GROUPS = sorted((q.id, g.id) for q in K.qualifications.values() for g in q.groups if g.id != "mandatory")


@settings(max_examples=12, deadline=None, derandomize=True)
@given(
    chosen=st.sampled_from(_OPTIONAL_GROUPS),
    shape=st.sampled_from(
        [
            "If I choose {g}, which units do I take in total for {q}?",
            "if I go for {g} on {q}, what's the full list of units?",
        ]
    ),
)
def test_a_group_chosen_is_answered_with_the_whole_route_through_it(chosen: tuple[str, str], shape: str) -> None:
    qid, gid = chosen
    q = K.qualifications[qid]
    members = {r for g in q.groups if g.id == gid for r in g.units}
    routes = [r for r in BRAIN.engine.completion_options(q, Record()) if members & set(r)]
    text = ask(shape.format(g=gid.replace("-", " "), q=NAMES[qid]))
    assert len(routes) == 1 and all(ref in text for ref in routes[0]), text


@pytest.mark.parametrize("qid", sorted(NAMES))
def test_tutorial_hours_beside_practice_hours_are_not_a_second_kind_of_practice(qid: str) -> None:
    """'… needs 36 hours of mentoring and 4 hours tutorial support?': both figures checked, each on its own."""
    tutorial = Facts(K, BRAIN.engine).value(Subject("qualification", qid), "tutorial")
    assert tutorial is not None
    text = ask(f"I believe {NAMES[qid]} needs 36 hours of mentoring and 4 hours tutorial support, is that right?")
    assert "tutorial" in text and f"{tutorial.single:g}" in text, text
