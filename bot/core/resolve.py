"""Resolution: which qualifications and units a question is about, decided in one place.

One rule each, in this order:
1. what the message says explicitly;
2. what its other mentions imply (8578 units mean the C&M; a group means the
   qualification that has it; units only one qualification has mean that one);
3. the conversation so far;
4. when the answer is short and of the same shape for every candidate, all of them;
5. otherwise ask (the assistant does, when a handler still lacks a qualification).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answers.request import Behaviour
from bot.core.understanding import (
    Slots,
    asks_for_several,
    groups_stated,
    mentions_also,
    refers_to_other,
    units_asked_about,
    units_denied,
)
from bot.knowledge.models import Knowledge
from bot.nlu.context import DialogueContext
from bot.nlu.entities import Entities


@dataclass(frozen=True)
class Resolution:
    quals: tuple[str, ...]
    units: tuple[str, ...]
    #: Qualifications a vague name could mean ("the certificate"), still open.
    ambiguous: tuple[str, ...] = ()
    #: Unit numbers that exist in both schemes and nothing settles ("unit 304").
    open_units: tuple[tuple[str, ...], ...] = ()
    #: Units the user says they have (personal checks), including earlier turns' when they say "also".
    stated: tuple[str, ...] = ()
    #: Answered for every candidate because none was named (rule 4): a short reply may still pick one.
    for_all: bool = False
    #: Units a personal check asks about ("do I still need 304?") or denies ("but not 304"): never counted as done.
    asked: tuple[str, ...] = ()


def owners_of(k: Knowledge, units: tuple[str, ...]) -> tuple[str, ...]:
    """The qualifications that contain every one of these units."""
    if not units:
        return ()
    return tuple(q.id for q in k.qualifications.values() if set(units) <= k.units_of_ids(q.id))


def _scheme_units(
    k: Knowledge,
    units: list[str],
    ambiguous_units: tuple[tuple[str, ...], ...],
    scope: tuple[str, ...],
    text: str = "",
) -> tuple[list[str], list[tuple[str, ...]]]:
    """'unit 304' is 8577-304 or 8578-304: the qualification in play, the scheme of the other units, or the scheme
    the question names ("the 8577 modules 304 to 307") settles it."""
    schemes = {u.split("-")[0] for u in units} | set(_SCHEME_WORD.findall(text))
    still_open: list[tuple[str, ...]] = []
    for options in ambiguous_units:
        in_scope = [r for r in options if any(r in k.units_of_ids(q) for q in scope)]
        same_scheme = [r for r in options if r.split("-")[0] in schemes]
        pick = in_scope if len(in_scope) == 1 else same_scheme if len(same_scheme) == 1 else []
        if pick:
            units.append(pick[0])
        else:
            still_open.append(options)
    if still_open and not units:
        # Several open numbers, one scheme holds them all ("304 305 307": only 8577 has a 305).
        joint = [
            s
            for s in {r.split("-")[0] for o in still_open for r in o}
            if all(any(r.startswith(s) for r in o) for o in still_open)
        ]
        if len(joint) == 1:
            units.extend(next(r for r in o if r.startswith(joint[0])) for o in still_open)
            still_open = []
    return units, still_open


_SCHEME_WORD = re.compile(r"\b(8577|8578)\b(?![-/ ]?\d)")


def _scheme_owner(k: Knowledge, text: str) -> tuple[str, ...]:
    """The one qualification whose units are all of the scheme the question names ("the 8578-xxx modules")."""
    schemes = set(_SCHEME_WORD.findall(text)) | set(re.findall(r"\b(8577|8578)-?x+", text))
    if len(schemes) != 1:
        return ()
    scheme = schemes.pop()
    owners = tuple(q for q in k.qualifications if all(r.startswith(scheme) for r in k.units_of_ids(q)))
    return owners if len(owners) == 1 else ()


def _same_unit(k: Knowledge, options: tuple[str, ...]) -> bool:
    return all(o in k.equivalents(options[0]) for o in options[1:])


def resolve(
    k: Knowledge,
    ctx: DialogueContext,
    intent: str,
    behaviour: Behaviour,
    entities: Entities,
    slots: Slots,
    text: str,
    claims: bool = False,
    compares: bool = False,
) -> Resolution:
    quals, ambiguous = slots.quals, slots.ambiguous
    # 1. explicit, and unit numbers settled by what is explicit.
    scope = quals or (ctx.qualifications if not entities.qualifications else ())
    units, open_units = _scheme_units(k, list(entities.units), entities.ambiguous_units, scope, text)
    if open_units and not units and not behaviour.personal and all(_same_unit(k, o) for o in open_units):
        # "GLH of 307?": 8577-307 and 8578-307 are the same unit, so the answer is the same for both.
        units, open_units = [r for o in open_units for r in o], []
    # 2. implied by the other mentions.
    if not quals:
        keep_context = intent == "unit_membership" and bool(ctx.qualifications)
        quals, ambiguous = _implied(k, entities, units, ambiguous, text, bool(slots.source_quals) or keep_context)
    # 3. the conversation: "the Certificate" after talking about one of them, "the other one", the last subject.
    if not quals and ambiguous:
        known = [q for q in ctx.qualifications if q in ambiguous]
        if refers_to_other(text):
            known = [q for q in ambiguous if q not in ctx.qualifications]
        if len(known) == 1:
            quals, ambiguous = (known[0],), ()
    if not quals and not ambiguous and not entities.qualifications:
        quals = ctx.qualifications if intent == "compare" else ctx.qualifications[:1]
    units = _units_from_context(
        ctx, intent, behaviour, units, slots.quals, bool(entities.units or entities.ambiguous_units)
    )
    if intent == "compare" and len(quals) == 1 and ctx.qualification and ctx.qualification != quals[0]:
        quals = (quals[0], ctx.qualification)
    if intent == "personal_check" and len(quals) == 1:
        units = [*units, *_group_units(k, quals[0], groups_stated(entities.template, entities.groups))]
    units, stated, asked = _stated(ctx, intent, units, text)
    # 4. short answers of the same shape: for every candidate.
    several = asks_for_several(text) and (bool(ambiguous) or not units)  # "both" units is not both qualifications
    # "How many more hours does the cert need than the Award?": every certificate against the Award.
    several = several or (compares and bool(quals) and bool(ambiguous))
    if several and quals and ambiguous:  # "the C&M vs the mentoring quals": the named one and the plural ones
        quals, ambiguous = tuple(dict.fromkeys([*quals, *ambiguous])), ()
    for_all = False
    short = behaviour.per_qualification and not behaviour.personal
    held = slots.source_quals or (ctx.held if intent == "personal_check" else ())  # held in an earlier turn too
    if not quals and intent in ("personal_check", "hours_remaining") and held and not units:
        # Topping up from a qualification held to "the certificate": what is left for each, one line each.
        quals = tuple(q for q in (ambiguous or tuple(k.qualifications)) if q not in held)
        return Resolution(quals, (), ambiguous, tuple(open_units), stated, len(quals) > 1, asked)
    # A claim, or whether a unit counts toward "the certificate", is checked for each candidate.
    checks_each = claims or (intent == "credit_transfer" and bool(units))
    if not quals and (several or short or (checks_each and ambiguous)):
        quals = ambiguous or (tuple(k.qualifications) if several or not units else ())
        for_all = len(quals) > 1 and not several
    return Resolution(tuple(quals), tuple(units), ambiguous, tuple(open_units), stated, for_all, asked)


def _implied(
    k: Knowledge, entities: Entities, units: list[str], ambiguous: tuple[str, ...], text: str, not_by_units: bool
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Rule 2: the qualification the question's other mentions imply (its scheme, a group, its units)."""
    if not units and (schemed := _scheme_owner(k, text)):  # "the 8578 units": only the C&M has them
        return schemed, ambiguous
    if entities.groups:
        owners = tuple(q.id for q in k.qualifications.values() if any(g.id in entities.groups for g in q.groups))
        if len(owners) == 1:
            return owners, ambiguous
    if units and not not_by_units:
        owners = owners_of(k, tuple(units))
        if ambiguous:
            owners = tuple(o for o in owners if o in ambiguous)
        if len(owners) == 1:
            return owners, ()
    if ambiguous and units:
        # "which of the Award's units aren't in the cert?": the one candidate that has any of them.
        holders = tuple(q for q in ambiguous if set(units) & k.units_of_ids(q))
        if len(holders) == 1:
            return holders, ()
    return (), ambiguous


def _stated(
    ctx: DialogueContext, intent: str, units: list[str], text: str
) -> tuple[list[str], tuple[str, ...], tuple[str, ...]]:
    """A personal check's units done (with earlier turns' when it says "also") and the ones it asks about."""
    if intent != "personal_check":
        return units, tuple(units), ()
    # Units denied or in progress are not done, but not asked about either ("I'm on 305, what else?").
    asked = tuple(u for u in units if u.split("-")[1] in units_asked_about(text))
    denied = units_denied(text)
    units = [u for u in units if u not in asked and u.split("-")[1] not in denied]
    if mentions_also(text) or not units:
        units = [
            u for u in dict.fromkeys([*ctx.stated_units, *units]) if u not in asked and u.split("-")[1] not in denied
        ]
    return units, tuple(units), asked


def _group_units(k: Knowledge, qid: str, groups: tuple[str, ...]) -> list[str]:
    """'both group 2 modules', 'the core units': the units of the groups the asker says they have done."""
    return [ref for g in k.qualifications[qid].groups if g.id in groups for ref in g.units]


def _units_from_context(
    ctx: DialogueContext, intent: str, behaviour: Behaviour, units: list[str], quals: tuple[str, ...], named: bool
) -> list[str]:
    """'what about its GLH?' after a unit: the unit carries over, for unit topics only."""
    if units or named or not behaviour.unit_topic or intent == "personal_check":
        return units
    if intent == "hours_remaining" and ctx.intent not in ("practice_hours", "hours_remaining"):
        return units
    if quals and intent != ctx.intent:
        return units
    return list(ctx.units)
