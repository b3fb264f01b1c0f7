"""Which of several units are (or aren't) in a qualification: a set operation over the units named.

"Which of those aren't in the cert?" after the Award's units is answered from
the knowledge by membership, one line per qualification in play, the answer first.
"""

from __future__ import annotations

import re

from bot.answers.request import Reply, Request
from bot.knowledge.models import Knowledge
from bot.nlu.entities import Entities
from bot.rules.explain import join

_WHICH = re.compile(r"\bwhich\b")
_NOT = re.compile(r"\b(aren'?t|arent|are not|isn'?t|isnt|is not|not|don'?t|dont|do not|doesn'?t|never)\b")


#: "which of {unit}, {unit} and {unit} aren't in the {qualification}": which units range over a membership.
_WHICH_OF = re.compile(
    r"\bwhich (?:ones? )?of (?:the )?\{unit\}(?:\W+(?:and |or )?\{unit\})+\W+"
    r"(?:are|is|aren'?t|arent|isn'?t|isnt|do|does|don'?t|dont|doesn'?t|also|still|not|\s)*"
    r"\b(?:in|on|part of|belongs?|counts?|count towards?|included in)\b[^{]*\{qualification\}"
)


def asks_which_of(text: str, entities: Entities) -> bool:
    """'Which of 8577-304, 8577-305 and 8577-307 aren't in the cert?': several units, one qualification."""
    return len(entities.qualifications) == 1 and bool(_WHICH_OF.search(entities.template))


def which_of(req: Request) -> Reply | None:
    """The units named that are in (or, asked with "not", outside) each qualification in play."""
    if len(req.units) < 2 or not req.quals or not _WHICH.search(req.text):
        return None
    k = req.knowledge
    negated = bool(_NOT.search(req.text))
    lines = []
    for qid in req.quals:
        q = k.qualifications[qid]
        members = k.units_of_ids(qid)
        inside = [r for r in req.units if r in members]
        outside = [r for r in req.units if r not in members]
        picked, rest = (outside, inside) if negated else (inside, outside)
        where = "not in" if negated else "in"
        if not picked:
            lines.append(
                f"None of {join(list(req.units))} {'is' if len(req.units) == 1 else 'are'} {where} the {q.title}."
            )
            continue
        named = join([f"{r} {k.units[r].title}" for r in picked])
        line = f"{named} {'is' if len(picked) == 1 else 'are'} {where} the {q.title}"
        if rest:
            line += f"; {join(rest)} {'is' if len(rest) == 1 else 'are'} {'in it' if negated else 'not'}"
        twins = [f"{t} is its equivalent of {r}" for r in outside for t in k.equivalents(r) if t != r and t in members]
        lines.append(line + (f" ({join(twins)})" if twins else "") + ".")
    return Reply("\n".join(lines))


#: "Which unit is different?", "which units differ between …": the units one qualification has and the other not.
_DIFFER = re.compile(r"\b(differ|differs|different|difference|differences|not the same|isn'?t the same)\b")
_UNIT_WORD = re.compile(r"\b(units?|modules?)\b")


def asks_units_differ(text: str, entities: Entities) -> bool:
    """'Which unit is different?' between qualifications (named, or the two just compared): no unit named."""
    return bool(_DIFFER.search(text) and _UNIT_WORD.search(text)) and not (entities.units or entities.ambiguous_units)


def units_differ(req: Request) -> Reply | None:
    """The units each of two qualifications has that the other hasn't (an equivalent unit counts as the same),
    then the ones they share."""
    if len(req.quals) != 2:
        return None
    k = req.knowledge
    a, b = req.quals
    units_a, units_b = k.units_of_ids(a), k.units_of_ids(b)

    def only(mine: set[str], theirs: set[str]) -> list[str]:
        return sorted(r for r in mine if r not in theirs and not set(k.equivalents(r)) & theirs)

    only_a, only_b = only(units_a, units_b), only(units_b, units_a)
    if not only_a and not only_b:
        return Reply(f"The {k.qualifications[a].title} and the {k.qualifications[b].title} have the same units.")
    parts = [
        f"only the {k.qualifications[q].title} has {join([_named(k, r) for r in rs])}"
        for q, rs in ((a, only_a), (b, only_b))
        if rs
    ]
    shared = sorted(r for r in units_a if r not in only_a)
    text = "; ".join(parts) + "."
    if shared:
        text += f" Both have {join([_with_twin(k, r, units_b) for r in shared])}."
    return Reply(text[:1].upper() + text[1:])


def _named(k: Knowledge, ref: str) -> str:
    return f"{ref} {k.units[ref].title} ({k.units[ref].credits:g} credits)"


def _with_twin(k: Knowledge, ref: str, other: set[str]) -> str:
    """A shared unit by its code, with the other qualification's code for it when that differs."""
    twin = next((t for t in k.equivalents(ref) if t in other and t != ref), None)
    return f"{ref} ({twin} in the other)" if twin and ref not in other else ref


#: "Which units go alongside 8577-305?", "what goes with 8578-302?": the rest of its qualification's units.
_ALONGSIDE = re.compile(
    r"\b(alongside|go(?:es)? with|goes together with|together with|paired with|combined with|sit with|"
    r"taken with|done with)\b"
)


def asks_companions(text: str, entities: Entities) -> bool:
    """'Which units go alongside 8577-305?': one unit named, asking what it is taken with."""
    return len(entities.units) == 1 and bool(_ALONGSIDE.search(text) and _UNIT_WORD.search(text))


def companions(req: Request) -> Reply | None:
    """The other units of each qualification that has the unit (an either-or group says so)."""
    if len(req.units) != 1:
        return None
    k = req.knowledge
    ref = req.units[0]
    lines = []
    for q in k.qualifications.values():
        if ref not in k.units_of_ids(q.id):
            continue
        mine = next(g for g in q.groups if ref in g.units)
        alongside = [r for g in q.groups if g.id in ("mandatory", mine.id) for r in g.units if r != ref]
        line = f"In the {q.title}, {ref} goes with {join([_named(k, r) for r in alongside])}"
        if mine.id != "mandatory":
            line += f" (the rest of {mine.name} and the mandatory units)"
        lines.append(line + ".")
    return Reply("\n".join(lines)) if lines else None
