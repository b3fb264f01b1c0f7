"""Checks that span files: references resolve, credits add up, nothing is duplicated.

Schema validation sees one file at a time; these checks see the whole
knowledge base, which is where most real editing mistakes show up (a unit
renamed in one place, a credit value changed without the rules).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from bot.knowledge.errors import KnowledgeError
from bot.knowledge.lookup import normalise_name
from bot.knowledge.models import Qualification, UnitsFile
from bot.rules.requirements import (
    AllOf,
    CreditsFromGroup,
    MinHours,
    OneOf,
    Requirement,
    SpecificUnits,
)

Lines = dict[tuple[Any, ...], int]


def crosscheck(
    units_file: UnitsFile,
    units_name: str,
    units_lines: Lines,
    quals: list[tuple[Qualification, str, Lines]],
    invalid_ids: Iterable[str] = (),
) -> list[KnowledgeError]:
    """Every cross-file error; ``invalid_ids`` are qualifications whose files failed
    validation (already reported), which still count as known progression targets."""
    errors: list[KnowledgeError] = []
    credits = {u.ref: u.credits for u in units_file.units}
    by_ref = {u.ref: u for u in units_file.units}

    for ref, n in Counter(u.ref for u in units_file.units).items():
        if n > 1:
            idx = [i for i, u in enumerate(units_file.units) if u.ref == ref][-1]
            errors.append(_err(units_name, units_lines, ("units", idx, "ref"), f"duplicate unit reference {ref}"))

    seen_in_class: dict[str, int] = {}
    for i, klass in enumerate(units_file.equivalences):
        for j, ref in enumerate(klass):
            path = ("equivalences", i, j)
            if ref not in by_ref:
                errors.append(_err(units_name, units_lines, path, f"unknown unit {ref}"))
            elif ref in seen_in_class and seen_in_class[ref] != i:
                errors.append(_err(units_name, units_lines, path, f"{ref} is in two equivalence lists"))
            seen_in_class[ref] = i
        if len(set(klass)) != len(klass):
            errors.append(
                _err(
                    units_name,
                    units_lines,
                    ("equivalences", i),
                    "a unit is listed twice: it can't be equivalent to itself",
                )
            )
        known = [by_ref[r] for r in klass if r in by_ref]
        for other in known[1:]:
            first = known[0]
            for attr in ("title", "level", "credits", "glh"):
                if getattr(first, attr) != getattr(other, attr):
                    errors.append(
                        _err(
                            units_name,
                            units_lines,
                            ("equivalences", i),
                            f"equivalent units {first.ref} and {other.ref} differ in {attr}",
                        )
                    )

    ids = Counter(q.id for q, _, _ in quals)
    known_ids = set(ids) | set(invalid_ids)
    for q, name, lines in quals:
        if ids[q.id] > 1:
            errors.append(_err(name, lines, ("id",), f"duplicate qualification id {q.id}"))
        errors.extend(_check_qualification(q, name, lines, credits, known_ids))
    errors.extend(_check_aliases(quals))
    return errors


#: A unit code as people type it: ``8577-306``, ``8577 306``, ``8577306``, ``306``, ``unit 306``.
_UNIT_CODE = re.compile(r"(?:units?\s*)?(?:\d{4}\s*[-/]?\s*)?\d{3}")


def _check_aliases(quals: list[tuple[Qualification, str, Lines]]) -> list[KnowledgeError]:
    """An alias must name its own qualification and nothing else.

    An alias that is another qualification's id, title, short title or number,
    or that reads as a unit code, would send questions about that one to this
    one. Generic aliases several qualifications list on purpose ("the
    Certificate") are fine: they make the question ambiguous, and the bot asks.
    """
    identity: dict[str, str] = {}
    for q, _, _ in quals:
        for name in (q.id, q.title, q.short_title, q.qualification_number):
            if name:
                identity.setdefault(normalise_name(name), q.id)
    errors: list[KnowledgeError] = []
    for q, name, lines in quals:
        for i, alias in enumerate(q.aliases):
            key = normalise_name(alias)
            owner = identity.get(key)
            problem = None
            if not key:
                problem = f"alias {alias!r} has no letters or digits"
            elif owner is not None and owner != q.id:
                problem = f"alias {alias!r} names another qualification, {owner}"
            elif _UNIT_CODE.fullmatch(key):
                problem = f"alias {alias!r} reads as a unit code"
            if problem:
                errors.append(_err(name, lines, ("aliases", i), problem))
    return errors


def _check_qualification(
    q: Qualification, name: str, lines: Lines, credits: dict[str, int], known_ids: set[str]
) -> list[KnowledgeError]:
    rules = _RulesCheck(q, name, lines, credits)
    required = rules.visit(q.rules, ("rules",))
    errors = _check_groups(q, name, lines, credits) + rules.errors
    for nid, n in rules.node_ids.items():
        if n > 1:
            errors.append(_err(name, lines, ("rules",), f"requirement id {nid!r} is used more than once"))
    if required is not None and required != q.credits:
        message = f"stated credit value {q.credits} but the rules of combination require {required}"
        errors.append(_err(name, lines, ("credits",), message))
    return errors + _check_progression(q, name, lines, known_ids)


def _check_groups(q: Qualification, name: str, lines: Lines, credits: dict[str, int]) -> list[KnowledgeError]:
    errors: list[KnowledgeError] = []
    for gi, group in enumerate(q.groups):
        for ui, ref in enumerate(group.units):
            if ref not in credits:
                errors.append(_err(name, lines, ("groups", gi, "units", ui), f"unknown unit {ref}"))
        if len(set(group.units)) != len(group.units):
            errors.append(_err(name, lines, ("groups", gi, "units"), "a unit is listed twice in this group"))
    for gid, n in Counter(g.id for g in q.groups).items():
        if n > 1:
            errors.append(_err(name, lines, ("groups",), f"duplicate group id {gid}"))
    return errors


def _check_progression(q: Qualification, name: str, lines: Lines, known_ids: set[str]) -> list[KnowledgeError]:
    errors: list[KnowledgeError] = []
    for i, route in enumerate(q.progression):
        where = ("progression", i, "qualification")
        if route.qualification is None:
            continue
        if route.qualification not in known_ids:
            message = f"unknown qualification {route.qualification!r}; mark routes outside this knowledge as 'external'"
            errors.append(_err(name, lines, where, message))
        elif route.qualification == q.id:
            errors.append(_err(name, lines, where, "a qualification cannot progress to itself"))
    return errors


class _RulesCheck:
    """Walks a rules tree once: the credits each node requires, and what is wrong with it."""

    def __init__(self, q: Qualification, name: str, lines: Lines, credits: dict[str, int]) -> None:
        self.groups = {g.id: g for g in q.groups}
        self.name, self.lines, self.credits = name, lines, credits
        self.errors: list[KnowledgeError] = []
        self.node_ids: Counter[str] = Counter()

    def error(self, path: tuple[Any, ...], message: str) -> None:
        self.errors.append(_err(self.name, self.lines, path, message))

    def visit(self, node: Requirement, path: tuple[Any, ...]) -> int | None:
        """Check a node; return the credits it requires (None when not computable)."""
        self.node_ids[node.id] += 1
        if isinstance(node, SpecificUnits):
            return self.units(node, path)
        if isinstance(node, CreditsFromGroup):
            return self.from_group(node, path)
        if isinstance(node, MinHours):
            return 0
        if isinstance(node, AllOf):
            parts = [self.visit(c, (*path, "children", i)) for i, c in enumerate(node.children)]
            return None if any(p is None for p in parts) else sum(p for p in parts if p is not None)
        assert isinstance(node, OneOf)
        parts = [self.visit(c, (*path, "options", i)) for i, c in enumerate(node.options)]
        if any(p is None for p in parts):
            return None
        if len(set(parts)) > 1:
            self.error(path, f"options require different credits: {parts}")
            return None
        return parts[0]

    def units(self, node: SpecificUnits, path: tuple[Any, ...]) -> int | None:
        for i, ref in enumerate(node.units):
            if ref not in self.credits:
                self.error((*path, "units", i), f"unknown unit {ref}")
                return None
        if len(set(node.units)) != len(node.units):
            self.error((*path, "units"), "a unit is listed twice")
        return sum(self.credits[ref] for ref in node.units)

    def from_group(self, node: CreditsFromGroup, path: tuple[Any, ...]) -> int | None:
        group = self.groups.get(node.group)
        if group is None:
            self.error((*path, "group"), f"unknown group {node.group!r} (groups: {', '.join(self.groups) or 'none'})")
            return None
        available = sum(self.credits.get(r, 0) for r in group.units)
        if available < node.credits:
            self.error((*path, "credits"), f"needs {node.credits} credits but group {group.id} only has {available}")
        return node.credits


def _err(file: str, lines: Lines, path: tuple[Any, ...], message: str) -> KnowledgeError:
    line = None
    probe = path
    while probe and line is None:
        line = lines.get(probe)
        probe = probe[:-1]
    field = ""
    for seg in path:
        field += f"[{seg}]" if isinstance(seg, int) else (f".{seg}" if field else str(seg))
    return KnowledgeError(file, line, field, message)
