"""Unit tests for the rules engine: every node kind, credit transfer, practice and what-if.

The shipped qualifications are tested through the real knowledge base; node
kinds and shapes the shipped data does not use (min_hours inside the rules,
a pool with more credits than it needs, all_of nested in one_of) are tested
on small synthetic qualifications built from the same pydantic models the
YAML is validated with.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from pydantic import TypeAdapter

from bot.knowledge import Knowledge, load_knowledge
from bot.rules import Catalogue, Engine, Record, Status
from bot.rules.catalogue import PracticeNeed
from bot.rules.requirements import Group, MinHours, Requirement
from bot.rules.result import Counted, Evaluation, NodeResult

AWARD = "l3-award-mentoring"
CERT = "l3-certificate-mentoring"
CM = "l3-certificate-coaching-mentoring"

REQUIREMENT = TypeAdapter(Requirement)


# -- fixtures and helpers ----------------------------------------------------------


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge()


@pytest.fixture(scope="module")
def engine(knowledge: Knowledge) -> Engine:
    return Engine(knowledge.catalogue)


def evaluate(
    engine: Engine,
    knowledge: Knowledge,
    qid: str,
    units: Iterable[str] = (),
    *,
    hours: Mapping[str, float] | None = None,
    unit_hours: Mapping[str, float] | None = None,
) -> Evaluation:
    return engine.evaluate(knowledge.qualifications[qid], Record.of(units, hours, unit_hours))


def node(ev: Evaluation, node_id: str) -> NodeResult:
    found = [n for n in ev.tree.walk() if n.id == node_id]
    assert len(found) == 1, node_id
    return found[0]


@dataclass(frozen=True)
class Synthetic:
    """A qualification made up for a test: just what the engine reads."""

    rules: Requirement
    groups: tuple[Group, ...] = ()
    programme: tuple[MinHours, ...] = ()
    credits: int = 0
    id: str = "synthetic"


def synthetic(rules: dict[str, Any], groups: Mapping[str, Iterable[str]] | None = None) -> Synthetic:
    """Validate the tree exactly as the YAML loader would."""
    return Synthetic(
        rules=REQUIREMENT.validate_python(rules),
        groups=tuple(Group(id=gid, name=gid.title(), units=tuple(refs)) for gid, refs in (groups or {}).items()),
    )


@dataclass
class Lab:
    """An engine over a made-up catalogue of units."""

    credits: dict[str, int]
    equivalences: list[tuple[str, ...]] = field(default_factory=list)
    practice: dict[str, PracticeNeed] = field(default_factory=dict)

    @property
    def engine(self) -> Engine:
        return Engine(Catalogue.build(self.credits, self.practice, self.equivalences))

    def eval(self, q: Synthetic, units: Iterable[str] = (), hours: Mapping[str, float] | None = None) -> Evaluation:
        return self.engine.evaluate(q, Record.of(units, hours))


LAB = Lab({"a": 3, "b": 3, "c": 3, "d": 4, "e": 3, "p": 7, "q": 3, "r": 7, "s": 3})


# -- the required completion-option examples ------------------------------------


def test_cm_with_mandatory_and_coaching_practice_needs_reflecting_on_coaching(
    engine: Engine, knowledge: Knowledge
) -> None:
    ev = evaluate(engine, knowledge, CM, ["8578-300", "8578-304", "8578-302"])
    assert not ev.achieved
    assert ev.completion_options == (("8578-303",),)
    assert (ev.credits_achieved, ev.credits_required) == (13, 16)


def test_cm_with_both_groups_started_offers_either_finish(engine: Engine, knowledge: Knowledge) -> None:
    ev = evaluate(engine, knowledge, CM, ["8578-300", "8578-304", "8578-302", "8578-306"])
    assert not ev.achieved
    assert ev.completion_options == (("8578-303",), ("8578-307",))


def test_whole_certificate_in_mentoring_needs_only_coaching_good_practice_for_cm(
    engine: Engine, knowledge: Knowledge
) -> None:
    ev = evaluate(engine, knowledge, CM, ["8577-304", "8577-306", "8577-307"])
    assert not ev.achieved
    assert ev.completion_options == (("8578-300",),)
    assert ev.credits_achieved == 13
    assert {(c.required, c.achieved) for c in ev.transfers} == {
        ("8578-304", "8577-304"),
        ("8578-306", "8577-306"),
        ("8578-307", "8577-307"),
    }


def test_cm_from_nothing_lists_both_routes(engine: Engine, knowledge: Knowledge) -> None:
    ev = evaluate(engine, knowledge, CM)
    assert ev.completion_options == (
        ("8578-300", "8578-302", "8578-303", "8578-304"),
        ("8578-300", "8578-304", "8578-306", "8578-307"),
    )
    assert ev.credits_achieved == 0


def test_completion_options_are_empty_once_achieved(engine: Engine, knowledge: Knowledge) -> None:
    q = knowledge.qualifications[CM]
    record = Record.of(["8578-300", "8578-304", "8578-306", "8578-307"])
    assert engine.achieved(q, record)
    assert engine.completion_options(q, record) == ()
    assert engine.evaluate(q, record).completion_options == ()


def test_evaluate_and_completion_options_agree(engine: Engine, knowledge: Knowledge) -> None:
    q = knowledge.qualifications[CERT]
    record = Record.of(["8577-304"])
    assert engine.evaluate(q, record).completion_options == engine.completion_options(q, record)
    assert engine.completion_options(q, record) == (("8577-306", "8577-307"),)


# -- units ----------------------------------------------------------------------------


def test_units_node_met() -> None:
    q = synthetic({"kind": "units", "id": "core", "units": ["a", "b"]})
    ev = LAB.eval(q, ["a", "b"])
    assert ev.achieved
    assert ev.tree.status is Status.MET
    assert (ev.credits_achieved, ev.credits_required) == (6, 6)
    assert ev.tree.explanation == "Met: a and b achieved."


def test_units_node_unmet_names_what_is_missing() -> None:
    q = synthetic({"kind": "units", "id": "core", "units": ["a", "b", "c"]})
    ev = LAB.eval(q, ["b"])
    assert not ev.achieved
    assert ev.tree.status is Status.UNMET
    assert ev.tree.missing == ("a", "c")
    assert ev.tree.explanation == "Not met: still needs a and c. Done: b."
    assert ev.completion_options == (("a", "c"),)


def test_units_not_in_the_rules_are_not_counted() -> None:
    q = synthetic({"kind": "units", "id": "core", "units": ["a"]})
    ev = LAB.eval(q, ["a", "p"])
    assert ev.achieved
    assert ev.not_counted == ("p",)
    assert ev.credits_achieved == 3


# -- credits_from_group ------------------------------------------------------------------


def test_credits_from_group_exactly_enough() -> None:
    q = synthetic({"kind": "credits_from_group", "id": "pool", "group": "g", "credits": 10}, {"g": ["p", "q"]})
    assert LAB.eval(q, ["p", "q"]).achieved
    ev = LAB.eval(q, ["p"])
    assert not ev.achieved
    assert ev.tree.explanation == "Not met: 7 of 10 credits (p); 3 more needed."
    assert ev.completion_options == (("q",),)


def test_group_with_more_credits_than_needed() -> None:
    """Any two of three 3-credit units make 6: each is a way to finish, none is forced."""
    q = synthetic({"kind": "credits_from_group", "id": "pool", "group": "g", "credits": 6}, {"g": ["a", "b", "c"]})
    assert LAB.eval(q).completion_options == (("a", "b"), ("a", "c"), ("b", "c"))
    ev = LAB.eval(q, ["a"])
    assert not ev.achieved
    assert ev.completion_options == (("b",), ("c",))
    for pair in (["a", "b"], ["a", "c"], ["b", "c"]):
        assert LAB.eval(q, pair).achieved
    full = LAB.eval(q, ["a", "b", "c"])
    assert full.achieved
    assert full.credits_achieved >= 6


def test_group_keeps_only_the_shortest_ways_to_finish() -> None:
    """4 credits from {a:3, b:3, d:4}: d alone, not also a+b (longer, though it adds up)."""
    q = synthetic({"kind": "credits_from_group", "id": "pool", "group": "g", "credits": 4}, {"g": ["a", "b", "d"]})
    assert LAB.eval(q).completion_options == (("d",),)
    assert LAB.eval(q, ["a", "b"]).achieved
    assert LAB.eval(q, ["a"]).completion_options == (("b",), ("d",))


def test_group_only_counts_its_own_units() -> None:
    q = synthetic({"kind": "credits_from_group", "id": "pool", "group": "g", "credits": 6}, {"g": ["a", "b"]})
    ev = LAB.eval(q, ["a", "c", "e"])
    assert not ev.achieved
    assert ev.credits_achieved == 3
    assert ev.not_counted == ("c", "e")


# -- one_of -------------------------------------------------------------------------------

ONE_OF = {
    "kind": "one_of",
    "id": "either",
    "options": [
        {"kind": "credits_from_group", "id": "g1", "group": "g1", "credits": 10},
        {"kind": "credits_from_group", "id": "g2", "group": "g2", "credits": 10},
    ],
}
ONE_OF_GROUPS = {"g1": ["p", "q"], "g2": ["r", "s"]}


def test_one_of_is_never_mixed() -> None:
    """7 from one group and 3 from the other make 10 credits, but not 10 from one group."""
    q = synthetic(ONE_OF, ONE_OF_GROUPS)
    ev = LAB.eval(q, ["p", "s"])
    assert not ev.achieved
    assert ev.tree.status is Status.UNMET
    assert ev.tree.chosen == "g1"  # the closest option: 7 of 10
    assert ev.credits_achieved == 7
    assert "never mixed" in ev.tree.explanation
    assert ev.completion_options == (("q",), ("r",))
    assert ev.not_counted == ("s",)


def test_one_of_met_through_either_option() -> None:
    q = synthetic(ONE_OF, ONE_OF_GROUPS)
    for units, chosen in ((["p", "q"], "g1"), (["r", "s"], "g2")):
        ev = LAB.eval(q, units)
        assert ev.achieved
        assert ev.tree.chosen == chosen
        assert ev.tree.explanation.startswith(f"Met through {chosen.title()}")


def test_one_of_with_both_options_done_counts_one_only() -> None:
    q = synthetic(ONE_OF, ONE_OF_GROUPS)
    ev = LAB.eval(q, ["p", "q", "r", "s"])
    assert ev.achieved
    assert ev.credits_achieved == 10
    assert sorted(c.achieved for c in ev.counted) == ["p", "q"]
    assert ev.not_counted == ("r", "s")


def test_one_of_prefers_a_met_option_over_more_credits() -> None:
    q = synthetic(
        {
            "kind": "one_of",
            "id": "either",
            "options": [
                {"kind": "credits_from_group", "id": "big", "group": "g1", "credits": 10},
                {"kind": "units", "id": "small", "units": ["a"]},
            ],
        },
        {"g1": ["p", "q"]},
    )
    ev = LAB.eval(q, ["p", "a"])
    assert ev.achieved
    assert ev.tree.chosen == "small"
    assert ev.credits_achieved == 3
    assert ev.not_counted == ("p",)


def test_nested_all_of_inside_one_of() -> None:
    q = synthetic(
        {
            "kind": "one_of",
            "id": "route",
            "options": [
                {
                    "kind": "all_of",
                    "id": "long",
                    "children": [
                        {"kind": "units", "id": "core", "units": ["a"]},
                        {"kind": "credits_from_group", "id": "extra", "group": "g", "credits": 3},
                    ],
                },
                {"kind": "units", "id": "short", "units": ["d", "e"]},
            ],
        },
        {"g": ["b", "c"]},
    )
    assert LAB.eval(q).completion_options == (("a", "b"), ("a", "c"), ("d", "e"))
    assert LAB.eval(q, ["a"]).completion_options == (("b",), ("c",))
    assert LAB.eval(q, ["d"]).completion_options == (("e",),)
    assert LAB.eval(q, ["a", "d"]).completion_options == (("b",), ("c",), ("e",))
    ev = LAB.eval(q, ["a", "c"])
    assert ev.achieved
    assert ev.tree.chosen == "long"
    # Mixing does not help: a from one route and e from the other finish neither.
    mixed = LAB.eval(q, ["a", "e"])
    assert not mixed.achieved


# -- all_of and allocation ---------------------------------------------------------------


def test_all_of_needs_every_child() -> None:
    q = synthetic(
        {
            "kind": "all_of",
            "id": "all",
            "children": [
                {"kind": "units", "id": "core", "units": ["a"]},
                {"kind": "credits_from_group", "id": "pool", "group": "g", "credits": 3},
            ],
        },
        {"g": ["b", "c"]},
    )
    assert not LAB.eval(q, ["a"]).achieved
    assert not LAB.eval(q, ["b"]).achieved
    ev = LAB.eval(q, ["a", "b"])
    assert ev.achieved
    assert [c.status for c in ev.tree.children] == [Status.MET, Status.MET]
    assert (ev.credits_achieved, ev.credits_required) == (6, 6)
    assert "still open: pool" not in ev.tree.explanation
    assert LAB.eval(q, ["a"]).tree.explanation == "Not met: 3 of 6 credits; still open: pool."


def test_no_unit_is_counted_twice() -> None:
    """A unit named by a units node and also in a pool counts once, for the named requirement."""
    q = synthetic(
        {
            "kind": "all_of",
            "id": "all",
            "children": [
                # The pool is written first: named units still claim first.
                {"kind": "credits_from_group", "id": "pool", "group": "g", "credits": 3},
                {"kind": "units", "id": "core", "units": ["a"]},
            ],
        },
        {"g": ["a", "b"]},
    )
    ev = LAB.eval(q, ["a"])
    assert not ev.achieved
    assert ev.credits_achieved == 3
    assert [c.achieved for c in ev.counted] == ["a"]
    assert ev.completion_options == (("b",),)
    assert LAB.eval(q, ["a", "b"]).achieved


def test_equivalent_unit_counts_once_not_for_both_requirements() -> None:
    lab = Lab({"x": 3, "y": 3}, equivalences=[("x", "y")])
    q = synthetic(
        {
            "kind": "all_of",
            "id": "all",
            "children": [
                {"kind": "units", "id": "first", "units": ["x"]},
                {"kind": "units", "id": "second", "units": ["y"]},
            ],
        }
    )
    ev = lab.eval(q, ["x"])
    assert not ev.achieved
    assert ev.completion_options == (("y",),)
    assert lab.eval(q, ["x", "y"]).achieved


# -- min_hours ------------------------------------------------------------------------------

HOURS_RULES = {
    "kind": "all_of",
    "id": "all",
    "children": [
        {"kind": "units", "id": "core", "units": ["a"]},
        {
            "kind": "min_hours",
            "id": "practice",
            "description": "Ten hours coaching",
            "hours_kind": "coaching",
            "hours": 10,
        },
    ],
}


def test_min_hours_met() -> None:
    ev = LAB.eval(synthetic(HOURS_RULES), ["a"], {"coaching": 10})
    assert ev.achieved
    hours = node(ev, "practice")
    assert hours.status is Status.MET
    assert (hours.hours_have, hours.hours_need) == (10, 10)
    assert hours.explanation == "Met: 10 of 10 hours."


def test_min_hours_unmet() -> None:
    ev = LAB.eval(synthetic(HOURS_RULES), ["a"], {"coaching": 5.5})
    assert not ev.achieved
    hours = node(ev, "practice")
    assert hours.status is Status.UNMET
    assert hours.explanation == "Not met: 5.5 of 10 hours; 4.5 more needed."
    assert ev.tree.status is Status.UNMET


def test_min_hours_of_another_kind_do_not_count() -> None:
    ev = LAB.eval(synthetic(HOURS_RULES), ["a"], {"mentoring": 40})
    assert not ev.achieved
    assert node(ev, "practice").status is Status.UNMET


def test_min_hours_unknown_when_no_hours_are_stated() -> None:
    """'You told me nothing' is not 'you have done none'."""
    ev = LAB.eval(synthetic(HOURS_RULES), ["a"])
    assert not ev.achieved
    hours = node(ev, "practice")
    assert hours.status is Status.UNKNOWN
    assert hours.explanation == "Unknown: no hours stated; 10 needed."
    assert ev.tree.status is Status.UNKNOWN
    # No unit can supply hours, so there is no unit to suggest.
    assert ev.completion_options == ()


def test_unmet_outranks_unknown_in_all_of() -> None:
    ev = LAB.eval(synthetic(HOURS_RULES), [])
    assert node(ev, "practice").status is Status.UNKNOWN
    assert node(ev, "core").status is Status.UNMET
    assert ev.tree.status is Status.UNMET


def test_completion_options_with_hours_met_suggest_units() -> None:
    ev = LAB.eval(synthetic(HOURS_RULES), [], {"coaching": 12})
    assert ev.completion_options == (("a",),)


# -- credit transfer -------------------------------------------------------------------------


def test_credit_transfer_synthetic() -> None:
    lab = Lab({"x": 3, "y": 3}, equivalences=[("x", "y")])
    q = synthetic({"kind": "units", "id": "core", "units": ["x"]})
    ev = lab.eval(q, ["y"])
    assert ev.achieved
    assert ev.counted == (Counted("x", "y", 3),)
    assert ev.counted[0].transfer
    assert "credit transfer" in ev.tree.explanation


def test_8577_304_counts_toward_8578_304_and_says_so(engine: Engine, knowledge: Knowledge) -> None:
    ev = evaluate(engine, knowledge, CM, ["8578-300", "8577-304"])
    mandatory = node(ev, "mandatory")
    assert mandatory.status is Status.MET
    counted = {c.required: c for c in mandatory.counted}
    assert counted["8578-304"] == Counted("8578-304", "8577-304", 3)
    assert counted["8578-304"].transfer
    assert not counted["8578-300"].transfer
    assert "credit transfer" in mandatory.explanation
    assert "8577-304" in mandatory.explanation
    assert ev.transfers == (Counted("8578-304", "8577-304", 3),)
    assert ev.not_counted == ()


def test_transfer_the_other_way_completes_the_award(engine: Engine, knowledge: Knowledge) -> None:
    ev = evaluate(engine, knowledge, AWARD, ["8578-304", "8577-305", "8578-307"])
    assert ev.achieved
    assert {(c.required, c.achieved) for c in ev.transfers} == {("8577-304", "8578-304"), ("8577-307", "8578-307")}
    assert ev.credits_achieved == 10


def test_holding_both_equivalents_counts_one(engine: Engine, knowledge: Knowledge) -> None:
    ev = evaluate(engine, knowledge, CM, ["8578-300", "8578-304", "8577-304"])
    achieved = [c.achieved for c in ev.counted]
    assert achieved == ["8578-300", "8578-304"]  # the unit itself is preferred over a transfer
    assert ev.not_counted == ("8577-304",)
    assert ev.credits_achieved == 6


def test_certificate_in_mentoring_does_not_accept_the_award_practice_unit(engine: Engine, knowledge: Knowledge) -> None:
    """8577-305 (six hours) is not equivalent to 8577-306 (36 hours)."""
    ev = evaluate(engine, knowledge, CERT, ["8577-304", "8577-305", "8577-307"])
    assert not ev.achieved
    assert ev.completion_options == (("8577-306",),)
    assert ev.not_counted == ("8577-305",)


def test_cm_with_every_unit_counts_sixteen_credits_once(engine: Engine, knowledge: Knowledge) -> None:
    every = [r for r in knowledge.units if r.startswith("8578")]
    ev = evaluate(engine, knowledge, CM, every)
    assert ev.achieved
    assert ev.credits_achieved == 16
    achieved = [c.achieved for c in ev.counted]
    assert len(achieved) == len(set(achieved)) == 4
    assert set(ev.not_counted) | set(achieved) == set(every)


# -- practice and programme hours ------------------------------------------------------------


def practice(ev: Evaluation, ref: str) -> Any:
    found = [p for p in ev.practice if p.unit == ref]
    assert len(found) == 1, ref
    return found[0]


def test_coaching_hours_remaining_for_extended_coaching(engine: Engine, knowledge: Knowledge) -> None:
    ev = evaluate(engine, knowledge, CM, ["8578-300"], hours={"coaching": 30})
    p = practice(ev, "8578-302")
    assert (p.kind, p.hours_need, p.hours_have, p.hours_remaining) == ("coaching", 36, 30, 6)
    assert p.status is Status.UNMET
    # Coaching hours are not mentoring hours.
    assert practice(ev, "8578-306").hours_remaining == 36


def test_mentoring_hours_logged_on_a_unit(engine: Engine, knowledge: Knowledge) -> None:
    ev = evaluate(engine, knowledge, CERT, ["8577-304"], unit_hours={"8577-306": 20})
    p = practice(ev, "8577-306")
    assert (p.kind, p.hours_have, p.hours_remaining) == ("mentoring", 20, 16)
    assert p.status is Status.UNMET


def test_mentoring_hours_on_8577_306_count_for_8578_306(engine: Engine, knowledge: Knowledge) -> None:
    ev = evaluate(engine, knowledge, CM, [], unit_hours={"8577-306": 20})
    assert practice(ev, "8578-306").hours_remaining == 16
    assert practice(ev, "8578-302").hours_remaining == 36


def test_unit_and_unattached_hours_add_up(engine: Engine, knowledge: Knowledge) -> None:
    ev = evaluate(engine, knowledge, CERT, [], hours={"mentoring": 16}, unit_hours={"8577-306": 20})
    p = practice(ev, "8577-306")
    assert p.hours_remaining == 0
    assert p.status is Status.MET


def test_practice_unknown_when_no_hours_are_stated(engine: Engine, knowledge: Knowledge) -> None:
    ev = evaluate(engine, knowledge, AWARD)
    p = practice(ev, "8577-305")
    assert p.status is Status.UNKNOWN
    assert p.hours_remaining == 6
    assert [n.status for n in ev.programme] == [Status.UNKNOWN, Status.UNKNOWN]


def test_practice_only_for_units_the_qualification_uses(engine: Engine, knowledge: Knowledge) -> None:
    assert [p.unit for p in evaluate(engine, knowledge, AWARD).practice] == ["8577-305"]
    assert [p.unit for p in evaluate(engine, knowledge, CERT).practice] == ["8577-306"]
    assert sorted(p.unit for p in evaluate(engine, knowledge, CM).practice) == ["8578-302", "8578-306"]


def test_programme_hours_are_tracked_beside_the_verdict(engine: Engine, knowledge: Knowledge) -> None:
    units = ["8577-304", "8577-305", "8577-307"]
    ev = evaluate(engine, knowledge, AWARD, units, hours={"induction": 1, "tutorial": 1})
    assert ev.achieved  # the rules of combination are met whatever the hours
    programme = {n.id: n for n in ev.programme}
    assert programme["induction"].status is Status.MET
    assert programme["tutorial"].status is Status.UNMET
    assert programme["tutorial"].explanation == "Not met: 1 of 2 hours; 1 more needed."


def test_cm_tutorial_needs_four_hours(engine: Engine, knowledge: Knowledge) -> None:
    ev = evaluate(engine, knowledge, CM, hours={"tutorial": 3})
    tutorial = next(n for n in ev.programme if n.id == "tutorial")
    assert (tutorial.status, tutorial.hours_need) == (Status.UNMET, 4)
    ev = evaluate(engine, knowledge, CM, hours={"tutorial": 4})
    assert next(n for n in ev.programme if n.id == "tutorial").status is Status.MET


# -- what-if -------------------------------------------------------------------------------------


def test_what_if_adds_units_without_changing_the_record(engine: Engine, knowledge: Knowledge) -> None:
    q = knowledge.qualifications[CM]
    record = Record.of(["8578-300", "8578-304", "8578-302"], {"coaching": 30})
    ev = engine.what_if(q, record, ["8578-303"])
    assert ev.achieved
    assert ev.credits_achieved == 16
    assert ev.completion_options == ()
    assert practice(ev, "8578-302").hours_remaining == 6  # hours carry over
    assert record.units == frozenset({"8578-300", "8578-304", "8578-302"})
    assert not engine.evaluate(q, record).achieved


def test_what_if_with_the_wrong_group_does_not_finish(engine: Engine, knowledge: Knowledge) -> None:
    q = knowledge.qualifications[CM]
    record = Record.of(["8578-300", "8578-304", "8578-302"])
    ev = engine.what_if(q, record, ["8578-307"])
    assert not ev.achieved
    assert ev.completion_options == (("8578-303",), ("8578-306",))


def test_what_if_through_credit_transfer(engine: Engine, knowledge: Knowledge) -> None:
    q = knowledge.qualifications[CM]
    record = Record.of(["8577-304", "8577-306", "8577-307"])
    ev = engine.what_if(q, record, ["8578-300"])
    assert ev.achieved
    assert len(ev.transfers) == 3


def test_what_if_nothing_is_the_plain_evaluation(engine: Engine, knowledge: Knowledge) -> None:
    q = knowledge.qualifications[AWARD]
    record = Record.of(["8577-304"])
    assert engine.what_if(q, record, []) == engine.evaluate(q, record)
