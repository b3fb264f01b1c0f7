"""One table of comparable facts: an attribute's value for a qualification, a unit or a group.

Claims ("the Award is 12 credits, right?"), comparisons on any attribute,
superlatives and sums all read values from here, so a new attribute is one
function and every operation gets it. Every value comes from the knowledge.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.answers.delivery import first_programme
from bot.knowledge.models import Knowledge, Qualification
from bot.rules import Engine, Record
from bot.rules.explain import hours_text, join


@dataclass(frozen=True)
class Subject:
    """Something a fact can be about. ``kind`` is qualification, unit or group."""

    kind: str
    id: str
    #: For a group, the qualification it belongs to.
    owner: str | None = None

    def label(self, k: Knowledge) -> str:
        if self.kind == "qualification":
            return f"the {k.qualifications[self.id].title}"
        if self.kind == "unit":
            return f"{self.id} {k.units[self.id].title}"
        q = k.qualifications[self.owner or ""]
        group = next(g for g in q.groups if g.id == self.id)
        return f"{group.name} of the {q.short_title}"

    def short(self, k: Knowledge) -> str:
        if self.kind == "qualification":
            return f"the {k.qualifications[self.id].short_title}"
        if self.kind == "unit":
            return self.id
        q = k.qualifications[self.owner or ""]
        return next(g.name for g in q.groups if g.id == self.id)


@dataclass(frozen=True)
class Value:
    """A fact's value: ``numbers`` (one per route when it varies) and how it reads in a sentence."""

    numbers: tuple[float, ...]
    text: str
    #: The figure is a minimum ("at least two hours tutorial support"), not a fixed amount or a cap.
    minimum: bool = False

    @property
    def single(self) -> float | None:
        return self.numbers[0] if len(set(self.numbers)) == 1 else None

    def agrees(self, value: float, text: str | None) -> bool:
        """Does a claimed figure (or identifier) match this value? Identifiers compare without spaces or case."""
        if text is not None:
            return _plain(text) in _plain(self.text)
        return value in self.numbers


def _plain(text: str) -> str:
    return "".join(text.lower().split())


@dataclass(frozen=True)
class Facts:
    knowledge: Knowledge
    engine: Engine

    def value(self, subject: Subject, attribute: str) -> Value | None:
        getter = _GETTERS.get((subject.kind, attribute))
        return getter(self, subject) if getter else None

    # -- qualifications ------------------------------------------------------

    def q(self, s: Subject) -> Qualification:
        return self.knowledge.qualifications[s.id if s.kind == "qualification" else s.owner or ""]

    def routes(self, q: Qualification) -> list[tuple[str, ...]]:
        return [tuple(o) for o in self.engine.completion_options(q, Record())]

    def q_credits(self, s: Subject) -> Value:
        n = self.q(s).credits
        return Value((n,), f"{n} credits")

    def q_glh(self, s: Subject) -> Value:
        k = self.knowledge
        totals = tuple(sorted({sum(k.units[r].glh for r in route) for route in self.routes(self.q(s))}))
        return Value(totals, join([str(t) for t in totals], "or") + " guided learning hours")

    def q_units(self, s: Subject) -> Value:
        counts = tuple(sorted({len(route) for route in self.routes(self.q(s))}))
        return Value(counts, join([str(c) for c in counts], "or") + " units")

    def q_mandatory(self, s: Subject) -> Value:
        units = next((g.units for g in self.q(s).groups if g.id == "mandatory"), ())
        return Value((len(units),), f"{len(units)} mandatory units ({join(list(units))})")

    def q_level(self, s: Subject) -> Value:
        n = self.q(s).level
        return Value((n,), f"Level {n}")

    def q_practice(self, s: Subject) -> Value | None:
        units = [u for u in self.knowledge.units_of(s.id) if u.practice]
        if not units:
            return None
        hours = tuple(sorted({u.practice.hours for u in units if u.practice}))
        kinds = join(sorted({u.practice.kind for u in units if u.practice}), "or")
        least = all(_at_least(u.practice.wording) for u in units if u.practice)
        return Value(hours, f"{join([hours_text(h) for h in hours], 'or')} hours of supervised {kinds}", minimum=least)

    def q_email(self, s: Subject) -> Value:
        return Value((), self.q(s).contact.email)

    def q_phone(self, s: Subject) -> Value:
        return Value((), self.q(s).contact.phone)

    def q_number(self, s: Subject) -> Value:
        number = self.q(s).qualification_number
        return Value((), number or "none given in the brochure")

    # -- units and groups ----------------------------------------------------

    def u_credits(self, s: Subject) -> Value:
        n = self.knowledge.units[s.id].credits
        return Value((n,), f"{n} credits")

    def u_glh(self, s: Subject) -> Value:
        n = self.knowledge.units[s.id].glh
        return Value((n,), f"{n} guided learning hours")

    def u_level(self, s: Subject) -> Value:
        n = self.knowledge.units[s.id].level
        return Value((n,), f"Level {n}")

    def u_part_of(self, s: Subject) -> Value:
        quals = [f"the {q.short_title}" for q in self.knowledge.qualifications_with(s.id)]
        return Value((), join(quals) or "none of these qualifications")

    def u_practice(self, s: Subject) -> Value:
        p = self.knowledge.units[s.id].practice
        if p is None:
            return Value((0,), "no supervised practice")
        return Value((p.hours,), f"{hours_text(p.hours)} hours of {p.kind}", minimum=_at_least(p.wording))

    def group_units(self, s: Subject) -> tuple[str, ...]:
        return next(g.units for g in self.q(s).groups if g.id == s.id)

    def g_units(self, s: Subject) -> Value:
        n = len(self.group_units(s))
        return Value((n,), f"{n} units")

    def g_unit_list(self, s: Subject) -> Value:
        k = self.knowledge
        return Value((), join([f"{r} {k.units[r].title}" for r in self.group_units(s)]))

    def g_practice(self, s: Subject) -> Value:
        units = [self.knowledge.units[r] for r in self.group_units(s)]
        hours = [f"{hours_text(u.practice.hours)} hours of supervised {u.practice.kind}" for u in units if u.practice]
        return Value((), join(hours, "or") or "no supervised practice")


def _at_least(wording: str | None) -> bool:
    """The brochure words a figure as a minimum ("at least 36 hours", "minimum four hours")."""
    return bool(wording and re.search(r"\b(at least|minimum|min)\b", wording, re.I))


def _programme(kind: str) -> Callable[[Facts, Subject], Value | None]:
    """Induction or tutorial hours from the qualification's programme."""

    def get(facts: Facts, s: Subject) -> Value | None:
        node = first_programme(facts.q(s), kind)
        if node is None:
            return None
        word = "tutorial support" if kind == "tutorial" else kind
        plural = "" if node.hours == 1 else "s"
        text = f"{hours_text(node.hours)} hour{plural} of {word}"
        return Value((node.hours,), text, minimum=_at_least(node.description))  # as the brochure words it

    return get


def _group_sum(field: str, noun: str) -> Callable[[Facts, Subject], Value]:
    """A group's credits or GLH: the sum over its units."""

    def get(facts: Facts, s: Subject) -> Value:
        n = sum(getattr(facts.knowledge.units[r], field) for r in facts.group_units(s))
        return Value((n,), f"{n} {noun}")

    return get


_GETTERS: dict[tuple[str, str], Callable[[Facts, Subject], Value | None]] = {
    ("qualification", "credits"): Facts.q_credits,
    ("qualification", "glh"): Facts.q_glh,
    ("qualification", "unit_count"): Facts.q_units,
    ("qualification", "level"): Facts.q_level,
    ("qualification", "mandatory_units"): Facts.q_mandatory,
    ("qualification", "induction"): _programme("induction"),
    ("qualification", "tutorial"): _programme("tutorial"),
    ("qualification", "practice"): Facts.q_practice,
    ("qualification", "email"): Facts.q_email,
    ("qualification", "phone"): Facts.q_phone,
    ("qualification", "number"): Facts.q_number,
    ("unit", "credits"): Facts.u_credits,
    ("unit", "glh"): Facts.u_glh,
    ("unit", "level"): Facts.u_level,
    ("unit", "practice"): Facts.u_practice,
    ("unit", "part_of"): Facts.u_part_of,
    ("group", "credits"): _group_sum("credits", "credits"),
    ("group", "glh"): _group_sum("glh", "guided learning hours"),
    ("group", "unit_count"): Facts.g_units,
    ("group", "units"): Facts.g_unit_list,
    ("group", "practice"): Facts.g_practice,
}

#: How an attribute reads in "which has more …".
ATTRIBUTE_NOUNS = {
    "credits": "credits",
    "glh": "guided learning hours",
    "unit_count": "units",
    "level": "level",
    "induction": "induction",
    "tutorial": "tutorial support",
    "practice": "supervised practice hours",
    "email": "email address",
    "phone": "phone number",
    "number": "qualification number",
    "units": "units",
    "mandatory_units": "mandatory units",
    "part_of": "the qualifications they belong to",
}
