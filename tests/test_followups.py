"""Follow-ups that point back at the previous answer: "those", "the other one", "that", "sorry, I meant…".

Every case is generated from the knowledge and its truth is worked out from the knowledge (or the
rules engine's facts), so the tests follow the brochures, not one wording of one answer.
"""

from __future__ import annotations

import itertools
import re

import pytest

from bot.answers.attributes import Facts, Subject
from bot.core.assistant import Assistant
from bot.core.brain import Brain
from bot.nlu.context import DialogueContext, pick, store

BRAIN = Brain.load()
K = BRAIN.knowledge
QUALS = list(K.qualifications.values())


@pytest.fixture
def bot() -> Assistant:
    return Assistant(BRAIN)


def _talk(bot: Assistant, *turns: str) -> str:
    answer = None
    for turn in turns:
        answer = bot.reply("U1", turn)
    assert answer is not None and answer.understood, answer
    return answer.text


def _mandatory(q) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    return next((g.units for g in q.groups if g.id == "mandatory"), ())


def _has(text: str, figure: float) -> bool:
    return re.search(rf"(?<![\d-]){figure:g}(?![\d-])", text) is not None


@pytest.mark.parametrize("q", QUALS, ids=lambda q: q.id)
def test_which_of_those_ranges_over_the_units_just_listed(bot: Assistant, q) -> None:  # type: ignore[no-untyped-def]
    units = [u.ref for u in K.units_of(q.id)]
    most = max(K.units[r].glh for r in units)
    winners = [r for r in units if K.units[r].glh == most]
    text = _talk(bot, f"what units are in the {q.title}?", "which of those has the most GLH?")
    lead = text.split(". ")[0]
    assert all(r in lead for r in winners) and _has(lead, most), text
    assert not any(r in lead for r in units if r not in winners), text


@pytest.mark.parametrize("q", [q for q in QUALS if len(_mandatory(q)) >= 2], ids=lambda q: q.id)
def test_those_together_adds_up_the_units_listed_with_that_role(bot: Assistant, q) -> None:  # type: ignore[no-untyped-def]
    total = sum(K.units[r].glh for r in _mandatory(q))
    text = _talk(bot, f"mandatory units for the {q.title}?", "how many GLH are those together")
    assert _has(text.split("(")[0], total), text


@pytest.mark.parametrize(("a", "b"), list(itertools.permutations(QUALS, 2)), ids=lambda q: q.id)
def test_a_correction_asks_the_previous_question_of_the_subject_now_named(bot: Assistant, a, b) -> None:  # type: ignore[no-untyped-def]
    text = _talk(bot, f"credits for the {a.title}?", f"sorry, I meant the {b.title}")
    assert b.title in text and _has(text, b.credits), text
    if a.credits != b.credits:
        assert not _has(text.split(".")[0], a.credits), text


@pytest.mark.parametrize("q", QUALS, ids=lambda q: q.id)
def test_a_correction_to_a_unit_keeps_the_attribute(bot: Assistant, q) -> None:  # type: ignore[no-untyped-def]
    other = next(u for u in K.units.values() if u.ref not in K.units_of_ids(q.id))
    text = _talk(bot, f"how many GLH is the {q.title}", f"no, I meant {other.ref}")
    assert other.ref in text and _has(text, other.glh), text


@pytest.mark.parametrize(
    ("q", "ref"),
    [(q, r) for q in QUALS if len(_mandatory(q)) == 2 for r in _mandatory(q)],
    ids=str,
)
def test_the_other_mandatory_one_is_the_remaining_unit_with_that_role(bot: Assistant, q, ref: str) -> None:  # type: ignore[no-untyped-def]
    (other,) = [r for r in _mandatory(q) if r != ref]
    text = _talk(bot, f"what's {ref} about", "and the other mandatory one?")
    assert text.startswith(other), text


@pytest.mark.parametrize(("a", "b"), list(itertools.permutations(QUALS, 2)), ids=lambda q: q.id)
def test_which_of_those_are_not_in_another_qualification_is_a_set_difference(bot: Assistant, a, b) -> None:  # type: ignore[no-untyped-def]
    listed = [u.ref for u in K.units_of(a.id)]
    outside = [r for r in listed if r not in K.units_of_ids(b.id)]
    text = _talk(bot, f"units in the {a.title}", f"ok which of those aren't in the {b.title}")
    lead = text.split(";")[0]
    if len(outside) == len(listed) or not outside:
        assert lead.startswith("None") or all(r in lead for r in outside), text
    else:
        assert all(r in lead for r in outside) and not any(r in lead for r in listed if r not in outside), text


def test_an_ambiguous_name_is_the_one_candidate_holding_the_units_listed(bot: Assistant) -> None:
    award = K.qualifications["l3-award-mentoring"]
    listed = [u.ref for u in K.units_of(award.id)]
    holders = [q for q in QUALS if q.kind == "certificate" and set(listed) & K.units_of_ids(q.id)]
    assert len(holders) == 1
    outside = [r for r in listed if r not in K.units_of_ids(holders[0].id)]
    text = _talk(bot, "units in the award", "ok which of those aren't in the cert")
    assert holders[0].title in text and all(r in text.split(";")[0] for r in outside), text


@pytest.mark.parametrize(("a", "b"), list(itertools.permutations(QUALS, 2)), ids=lambda q: q.id)
def test_is_that_more_compares_the_attribute_just_given(bot: Assistant, a, b) -> None:  # type: ignore[no-untyped-def]
    facts = Facts(K, BRAIN.engine)
    mine, theirs = (facts.value(Subject("qualification", q.id), "tutorial") for q in (a, b))
    assert mine and theirs and mine.single is not None and theirs.single is not None
    text = _talk(bot, f"how much tutorial support on the {a.title}", f"hmm is that more or less than the {b.title}")
    lead = text.split("\n")[0].lower()
    if mine.single == theirs.single:
        assert "same" in lead, text
        return
    said = re.search(r"the (.+?) has (more|fewer|less)\b", lead)
    assert said and _has(lead, mine.single) and _has(lead, theirs.single), text
    values = {a.short_title.lower(): mine.single, b.short_title.lower(): theirs.single}
    who, other = said.group(1), next(v for n, v in values.items() if n != said.group(1))
    assert (values[who] > other) == (said.group(2) == "more"), text


@pytest.mark.parametrize(("q", "group"), [(q, g) for q in QUALS for g in q.groups if g.id != "mandatory"], ids=str)
def test_a_group_named_means_its_units_and_the_next_group_follows(bot: Assistant, q, group) -> None:  # type: ignore[no-untyped-def]
    others = [g for g in q.groups if g.id not in ("mandatory", group.id)]
    number = group.id.split("-")[-1]
    text = _talk(bot, f"tell me about group {number} on the {q.title}")
    assert all(r in text for r in group.units), text
    for other in others:
        text = _talk(bot, f"and group {other.id.split('-')[-1]}?")
        assert all(r in text for r in other.units), text


def test_the_dialogue_state_keeps_what_was_listed_and_old_contexts_still_load() -> None:
    old = {"intent": "qualification_units", "qualifications": ["l3-award-mentoring"], "turns": 2}
    assert DialogueContext.from_json(old).listed == ()
    ctx = DialogueContext(intent="qualification_units", listed=("8577-304", "8577-305"), attribute="glh", text="x")
    assert pick(store(None, "c", ctx), "c") == ctx
