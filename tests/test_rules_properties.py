"""Property tests: the engine against a brute-force oracle written from the brochures.

The oracle shares no code with the engine. It encodes each qualification's
rules of combination as the brochures print them (mandatory units; for
Coaching and Mentoring, 10 credits from Group 1 *or* from Group 2), the
unit credit values from the brochure tables, and the units both brochures
list under both schemes (credit transfer). Achievement is decided by trying
every way of filling the required units with distinct achieved units;
completion options by trying every set of the qualification's own units,
smallest first.

The unit sets are small, so besides the hypothesis tests every subset is
checked exhaustively.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from itertools import chain, combinations, product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.knowledge import Knowledge, load_knowledge
from bot.rules import Engine, Record

AWARD = "l3-award-mentoring"
CERT = "l3-certificate-mentoring"
CM = "l3-certificate-coaching-mentoring"
QIDS = (AWARD, CERT, CM)

# -- the oracle: the brochures, written down independently ------------------------

#: Credit values from the brochures' "Overview of units" tables.
CREDITS = {
    "8577-304": 3,
    "8577-305": 4,
    "8577-306": 7,
    "8577-307": 3,
    "8578-300": 3,
    "8578-302": 7,
    "8578-303": 3,
    "8578-304": 3,
    "8578-306": 7,
    "8578-307": 3,
}
ALL_UNITS = tuple(sorted(CREDITS))

#: Same title, level, credit value and GLH under both schemes: one counts for the other.
SAME_UNIT = {"8577-304": "8578-304", "8577-306": "8578-306", "8577-307": "8578-307"}
SAME_UNIT |= {b: a for a, b in SAME_UNIT.items()}

#: qualification -> (mandatory units, optional groups as (credits needed, units); pick exactly one group).
BROCHURE: dict[str, tuple[tuple[str, ...], tuple[tuple[int, tuple[str, ...]], ...]]] = {
    AWARD: (("8577-304", "8577-305", "8577-307"), ()),
    CERT: (("8577-304", "8577-306", "8577-307"), ()),
    CM: (("8578-300", "8578-304"), ((10, ("8578-302", "8578-303")), (10, ("8578-306", "8578-307")))),
}


def own_units(qid: str) -> tuple[str, ...]:
    mandatory, groups = BROCHURE[qid]
    return tuple(sorted({*mandatory, *(u for _, units in groups for u in units)}))


#: Each qualification's own units plus their equivalents from the other scheme.
UNIVERSE = {
    qid: tuple(sorted({*own_units(qid), *(SAME_UNIT[u] for u in own_units(qid) if u in SAME_UNIT)})) for qid in QIDS
}


def subsets(items: Iterable[str]) -> Iterable[tuple[str, ...]]:
    items = tuple(items)
    return chain.from_iterable(combinations(items, k) for k in range(len(items) + 1))


@cache
def routes(qid: str) -> tuple[tuple[str, ...], ...]:
    """Every list of units that, held, meets the rules (mandatory plus enough of one group)."""
    mandatory, groups = BROCHURE[qid]
    if not groups:
        return (mandatory,)
    out = []
    for need, units in groups:
        for chosen in subsets(units):
            if sum(CREDITS[u] for u in chosen) >= need:
                out.append(mandatory + chosen)
    return tuple(out)


def fillable(required: tuple[str, ...], held: frozenset[str]) -> bool:
    """Can each required unit be met by a different held unit (itself or its equivalent)?"""
    choices = [[u for u in (ref, SAME_UNIT.get(ref)) if u is not None and u in held] for ref in required]
    return any(len(set(pick)) == len(pick) for pick in product(*choices))


@cache
def oracle_achieved(qid: str, held: frozenset[str]) -> bool:
    return any(fillable(route, held) for route in routes(qid))


@cache
def oracle_options(qid: str, held: frozenset[str]) -> tuple[tuple[str, ...], ...]:
    """Every minimum-size set of the qualification's own units that completes it, sorted."""
    if oracle_achieved(qid, held):
        return ()
    own = own_units(qid)
    for k in range(1, len(own) + 1):
        found = [c for c in combinations(own, k) if oracle_achieved(qid, held | frozenset(c))]
        if found:
            return tuple(sorted(found))
    return ()


def test_the_oracle_reads_the_brochures_as_intended() -> None:
    """Spot checks of the oracle itself, so a broken oracle cannot agree with a broken engine."""
    assert oracle_achieved(AWARD, frozenset({"8577-304", "8577-305", "8577-307"}))
    assert not oracle_achieved(CERT, frozenset({"8577-304", "8577-305", "8577-307"}))
    assert oracle_achieved(CM, frozenset({"8578-300", "8577-304", "8578-302", "8578-303"}))
    assert not oracle_achieved(CM, frozenset({"8578-300", "8578-304", "8578-302", "8578-307"}))  # mixed groups
    assert not oracle_achieved(AWARD, frozenset({"8577-304", "8578-304", "8577-305"}))  # 304 twice is not 307
    assert oracle_options(CM, frozenset({"8577-304", "8577-306", "8577-307"})) == (("8578-300",),)
    assert oracle_options(CM, frozenset({"8578-300", "8578-304", "8578-302", "8578-306"})) == (
        ("8578-303",),
        ("8578-307",),
    )
    assert len(routes(CM)) == 2
    assert UNIVERSE[CM] == (
        "8577-304",
        "8577-306",
        "8577-307",
        "8578-300",
        "8578-302",
        "8578-303",
        "8578-304",
        "8578-306",
        "8578-307",
    )


# -- the engine ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge()


@pytest.fixture(scope="module")
def engine(knowledge: Knowledge) -> Engine:
    return Engine(knowledge.catalogue)


def test_knowledge_and_oracle_agree_on_the_units(knowledge: Knowledge) -> None:
    assert {r: u.credits for r, u in knowledge.units.items()} == CREDITS
    for qid in QIDS:
        assert {u.ref for u in knowledge.units_of(qid)} == set(own_units(qid))


def check_case(engine: Engine, knowledge: Knowledge, qid: str, held: frozenset[str]) -> None:
    """Every property that needs only one record."""
    q = knowledge.qualifications[qid]
    record = Record.of(held)
    ev = engine.evaluate(q, record)
    expected = oracle_achieved(qid, held)

    # (1) the verdict agrees with the oracle, however it is asked for
    assert ev.achieved is expected, (qid, sorted(held))
    assert engine.achieved(q, record) is expected

    # (5) the options are exactly every shortest way to finish, sorted
    options = engine.completion_options(q, record)
    assert options == ev.completion_options
    assert options == oracle_options(qid, held), (qid, sorted(held))
    assert list(options) == sorted(options)
    assert all(list(o) == sorted(o) for o in options)
    if expected:
        assert options == ()
    else:
        assert options, "a qualification not yet achieved can always be finished with its own units"

    for option in options:
        done = held | frozenset(option)
        # (3) applying an option achieves the qualification
        assert engine.achieved(q, Record.of(done)), (qid, sorted(held), option)
        assert oracle_achieved(qid, done)
        # (4) each option is minimal: no unit in it can be dropped
        for unit in option:
            assert unit not in held
            assert not engine.achieved(q, Record.of(done - {unit})), (qid, sorted(held), option, unit)

    # (6) credits and allocation: nothing counted twice, nothing counted that is not held
    counted = ev.counted
    achieved_as = [c.achieved for c in counted]
    assert len(achieved_as) == len(set(achieved_as)), counted
    required = [c.required for c in counted]
    assert len(required) == len(set(required)), counted
    assert set(achieved_as) <= held
    for c in counted:
        assert c.achieved == c.required or SAME_UNIT.get(c.required) == c.achieved, c
        assert c.credits == CREDITS[c.required]
        assert c.transfer is (c.achieved != c.required)
    assert ev.credits_achieved <= sum(c.credits for c in counted)
    assert ev.credits_achieved <= sum(CREDITS[u] for u in held)
    assert set(ev.not_counted) == held - set(achieved_as)
    if ev.achieved:
        assert ev.credits_achieved >= ev.credits_required == q.credits


unit_sets = st.frozensets(st.sampled_from(ALL_UNITS))


@st.composite
def cases(draw: st.DrawFn) -> tuple[str, frozenset[str]]:
    qid = draw(st.sampled_from(QIDS))
    return qid, draw(st.frozensets(st.sampled_from(UNIVERSE[qid])))


@settings(max_examples=200, deadline=None)
@given(cases())
def test_engine_agrees_with_the_oracle(engine: Engine, knowledge: Knowledge, case: tuple[str, frozenset[str]]) -> None:
    qid, held = case
    check_case(engine, knowledge, qid, held)


@settings(max_examples=200, deadline=None)
@given(cases(), unit_sets)
def test_adding_units_never_undoes_achievement(
    engine: Engine, knowledge: Knowledge, case: tuple[str, frozenset[str]], extra: frozenset[str]
) -> None:
    # (2) monotone: more units (any units, even unrelated ones) never turn "yes" into "no"
    qid, held = case
    q = knowledge.qualifications[qid]
    if engine.achieved(q, Record.of(held)):
        assert engine.achieved(q, Record.of(held | extra)), (qid, sorted(held), sorted(extra))
        assert engine.what_if(q, Record.of(held), extra).achieved


@settings(max_examples=100, deadline=None)
@given(cases())
def test_what_if_an_option_is_achieved(engine: Engine, knowledge: Knowledge, case: tuple[str, frozenset[str]]) -> None:
    qid, held = case
    q = knowledge.qualifications[qid]
    record = Record.of(held)
    for option in engine.completion_options(q, record):
        assert engine.what_if(q, record, option).achieved


@pytest.mark.parametrize("qid", QIDS)
def test_every_subset_exhaustively(engine: Engine, knowledge: Knowledge, qid: str) -> None:
    """All subsets of the qualification's units and their equivalents: every property, every case."""
    universe = UNIVERSE[qid]
    seen_achieved = seen_not = 0
    for held in map(frozenset, subsets(universe)):
        check_case(engine, knowledge, qid, held)
        q = knowledge.qualifications[qid]
        if engine.achieved(q, Record.of(held)):
            seen_achieved += 1
            for unit in ALL_UNITS:
                assert engine.achieved(q, Record.of(held | {unit})), (qid, sorted(held), unit)
        else:
            seen_not += 1
    assert seen_achieved and seen_not
    assert seen_achieved + seen_not == 2 ** len(universe)


def test_unrelated_units_change_nothing(engine: Engine, knowledge: Knowledge) -> None:
    """Units outside a qualification and its equivalents never change its verdict or options."""
    for qid in QIDS:
        q = knowledge.qualifications[qid]
        outside = frozenset(ALL_UNITS) - frozenset(UNIVERSE[qid])
        for held in map(frozenset, subsets(UNIVERSE[qid])):
            with_outside = engine.evaluate(q, Record.of(held | outside))
            assert with_outside.achieved is oracle_achieved(qid, held)
            assert with_outside.completion_options == oracle_options(qid, held)
            assert set(with_outside.not_counted) >= outside
