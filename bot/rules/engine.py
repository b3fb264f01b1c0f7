"""Evaluate a record against a qualification's requirement tree.

Allocation: every achieved unit is counted at most once per qualification.
Within an ``all_of`` the ``units`` children claim first (a named unit is a
stronger claim than a pool of credits); a ``one_of`` evaluates each branch
on its own and keeps the best one, so groups are never mixed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from itertools import combinations, product
from typing import Protocol

from bot.rules.catalogue import Catalogue
from bot.rules.explain import explain
from bot.rules.record import Record
from bot.rules.requirements import (
    AllOf,
    CreditsFromGroup,
    Group,
    MinHours,
    Requirement,
    SpecificUnits,
    walk,
)
from bot.rules.result import Counted, Evaluation, NodeResult, PracticeResult, Status


class QualificationRules(Protocol):
    """What the engine needs to know about a qualification."""

    @property
    def id(self) -> str: ...
    @property
    def credits(self) -> int: ...
    @property
    def rules(self) -> Requirement: ...
    @property
    def programme(self) -> Sequence[MinHours]: ...
    @property
    def groups(self) -> Sequence[Group]: ...


_RANK = {Status.MET: 0, Status.UNKNOWN: 1, Status.UNMET: 2}


def _combine(statuses: Iterable[Status]) -> Status:
    """All-of: unmet wins over unknown, which wins over met."""
    return max(statuses, key=lambda s: _RANK[s], default=Status.MET)


class Engine:
    """The rules engine, bound to a catalogue of units."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue

    # -- public API ---------------------------------------------------------

    def evaluate(self, qualification: QualificationRules, record: Record) -> Evaluation:
        """Decide achievement, explain every node, and list every shortest way to finish."""
        base = self._verdict(qualification, record)
        if base.achieved:
            return base
        return replace(base, completion_options=self._shortest_completions(qualification, record))

    def what_if(self, qualification: QualificationRules, record: Record, extra_units: Iterable[str]) -> Evaluation:
        """Evaluate the record as if ``extra_units`` were also achieved."""
        return self.evaluate(qualification, record.plus(extra_units))

    def achieved(self, qualification: QualificationRules, record: Record) -> bool:
        tree, _ = self._eval(qualification, qualification.rules, record, frozenset())
        return tree.status is Status.MET

    def completion_options(self, qualification: QualificationRules, record: Record) -> tuple[tuple[str, ...], ...]:
        """Every shortest way to finish: each smallest set of additional units that completes it.

        Only the smallest sets are kept: with 8578-300, 8578-304 and 8578-302
        done, the answer is 8578-303, not also "start Group 2 over". Each set
        is minimal (no unit in it can be dropped). Candidates are proposed by
        the tree's nodes, then each is confirmed by a full evaluation, so a
        proposal can never be wrong, only absent — which the property tests
        check against a brute-force oracle.
        """
        if self.achieved(qualification, record):
            return ()
        return self._shortest_completions(qualification, record)

    def _shortest_completions(self, qualification: QualificationRules, record: Record) -> tuple[tuple[str, ...], ...]:
        """Completion options for a record already known not to achieve the qualification."""
        candidates = self._proposals(qualification, qualification.rules, record, frozenset())
        valid = {c for c in candidates if c and self.achieved(qualification, record.plus(c))}
        if not valid:
            return ()
        shortest = min(len(c) for c in valid)
        return tuple(sorted(tuple(sorted(c)) for c in valid if len(c) == shortest))

    # -- evaluation -----------------------------------------------------------

    def _verdict(self, q: QualificationRules, record: Record) -> Evaluation:
        tree, _used = self._eval(q, q.rules, record, frozenset())
        programme = tuple(self._eval(q, node, record, frozenset())[0] for node in q.programme)
        counted = {c.achieved for c in tree.all_counted()}
        return Evaluation(
            qualification=q.id,
            achieved=tree.status is Status.MET,
            credits_achieved=tree.credits_achieved,
            credits_required=tree.credits_required,
            tree=tree,
            programme=programme,
            practice=self._practice(q, record),
            not_counted=tuple(sorted(record.units - counted)),
        )

    def _satisfier(self, ref: str, record: Record, used: frozenset[str]) -> str | None:
        """The achieved unit that meets a requirement for ``ref``: itself, else an equivalent."""
        if ref in record.units and ref not in used:
            return ref
        for other in sorted(self.catalogue.equivalents(ref) - {ref}):
            if other in record.units and other not in used:
                return other
        return None

    def _claim(
        self, refs: Iterable[str], record: Record, used: frozenset[str]
    ) -> tuple[list[Counted], list[str], frozenset[str]]:
        counted: list[Counted] = []
        missing: list[str] = []
        for ref in refs:
            got = self._satisfier(ref, record, used)
            if got is None:
                missing.append(ref)
            else:
                used = used | {got}
                counted.append(Counted(ref, got, self.catalogue.credits[ref]))
        return counted, missing, used

    def _eval(
        self, q: QualificationRules, node: Requirement, record: Record, used: frozenset[str]
    ) -> tuple[NodeResult, frozenset[str]]:
        if isinstance(node, SpecificUnits):
            counted, missing, used = self._claim(node.units, record, used)
            result = NodeResult(
                id=node.id,
                kind=node.kind,
                description=node.description,
                status=Status.UNMET if missing else Status.MET,
                explanation="",
                credits_achieved=sum(c.credits for c in counted),
                credits_required=sum(self.catalogue.credits[r] for r in node.units),
                counted=tuple(counted),
                missing=tuple(missing),
            )
        elif isinstance(node, CreditsFromGroup):
            group = _group(q, node.group)
            counted, missing, used = self._claim(group.units, record, used)
            have = sum(c.credits for c in counted)
            result = NodeResult(
                id=node.id,
                kind=node.kind,
                description=node.description,
                status=Status.MET if have >= node.credits else Status.UNMET,
                explanation="",
                credits_achieved=have,
                credits_required=node.credits,
                counted=tuple(counted),
                missing=tuple(missing),
            )
        elif isinstance(node, MinHours):
            have = record.hours_of(node.hours_kind)
            status = _hours_status(have, node.hours, record)
            result = NodeResult(
                id=node.id,
                kind=node.kind,
                description=node.description,
                status=status,
                explanation="",
                hours_have=have,
                hours_need=node.hours,
            )
        elif isinstance(node, AllOf):
            by_id: dict[str, NodeResult] = {}
            for child in _claim_order(node):
                by_id[child.id], used = self._eval(q, child, record, used)
            children = tuple(by_id[c.id] for c in node.children)
            result = NodeResult(
                id=node.id,
                kind=node.kind,
                description=node.description,
                status=_combine(c.status for c in children),
                explanation="",
                credits_achieved=sum(c.credits_achieved for c in children),
                credits_required=sum(c.credits_required for c in children),
                children=children,
            )
        else:  # OneOf
            branches = [self._eval(q, opt, record, used) for opt in node.options]
            best = min(
                range(len(branches)),
                key=lambda i: (_RANK[branches[i][0].status], -branches[i][0].credits_achieved, i),
            )
            chosen, used = branches[best]
            result = NodeResult(
                id=node.id,
                kind=node.kind,
                description=node.description,
                status=chosen.status,
                explanation="",
                credits_achieved=chosen.credits_achieved,
                credits_required=min(b.credits_required for b, _ in branches),
                chosen=chosen.id,
                children=tuple(b for b, _ in branches),
            )
        return _with_explanation(result, q), used

    def _practice(self, q: QualificationRules, record: Record) -> tuple[PracticeResult, ...]:
        """Practice hours per unit: hours logged on it (or an equivalent) plus unattached hours of its kind."""
        out: list[PracticeResult] = []
        for ref in _referenced_units(q):
            need = self.catalogue.practice.get(ref)
            if need is None:
                continue
            have = record.hours_of(need.kind) + sum(
                record.unit_hours.get(r, 0.0) for r in self.catalogue.equivalents(ref)
            )
            status = _hours_status(have, need.hours, record)
            out.append(PracticeResult(ref, need.kind, need.hours, have, status))
        return tuple(out)

    # -- completion options ---------------------------------------------------

    def _proposals(
        self, q: QualificationRules, node: Requirement, record: Record, used: frozenset[str]
    ) -> list[frozenset[str]]:
        """Sets of additional units that would meet ``node`` (a superset of the minimal ones)."""
        if isinstance(node, SpecificUnits):
            _, missing, _ = self._claim(node.units, record, used)
            return [frozenset(missing)]
        if isinstance(node, CreditsFromGroup):
            counted, missing, _ = self._claim(_group(q, node.group).units, record, used)
            short = node.credits - sum(c.credits for c in counted)
            if short <= 0:
                return [frozenset()]
            return _minimal_credit_sets(missing, short, self.catalogue)
        if isinstance(node, MinHours):
            met = record.hours_of(node.hours_kind) >= node.hours
            return [frozenset()] if met else []
        if isinstance(node, AllOf):
            parts = []
            for child in _claim_order(node):
                parts.append(self._proposals(q, child, record, used))
                _, used = self._eval(q, child, record, used)
            return [frozenset().union(*combo) for combo in product(*parts)]
        return [p for opt in node.options for p in self._proposals(q, opt, record, used)]


def _hours_status(have: float, need: float, record: Record) -> Status:
    """Met when enough hours are logged; unknown (not unmet) when no hours were stated at all."""
    if have >= need:
        return Status.MET
    return Status.UNMET if record.hours_known else Status.UNKNOWN


def _claim_order(node: AllOf) -> list[Requirement]:
    """Named units claim before credit pools, whatever the YAML order."""
    return sorted(node.children, key=lambda c: not isinstance(c, SpecificUnits))


def _minimal_credit_sets(refs: Sequence[str], short: int, catalogue: Catalogue) -> list[frozenset[str]]:
    """Every subset of ``refs`` worth at least ``short`` credits with no unit to spare."""
    found: list[frozenset[str]] = []
    for size in range(1, len(refs) + 1):
        for combo in combinations(refs, size):
            total = sum(catalogue.credits[r] for r in combo)
            if total >= short and all(total - catalogue.credits[r] < short for r in combo):
                found.append(frozenset(combo))
    return found


def _group(q: QualificationRules, group_id: str) -> Group:
    for group in q.groups:
        if group.id == group_id:
            return group
    raise KeyError(f"{q.id}: no group {group_id!r}")


def _referenced_units(q: QualificationRules) -> list[str]:
    """Every unit the rules name, directly or through a group, in order of first mention."""
    seen: dict[str, None] = {}
    for node in walk(q.rules):
        if isinstance(node, SpecificUnits):
            seen.update(dict.fromkeys(node.units))
        elif isinstance(node, CreditsFromGroup):
            seen.update(dict.fromkeys(_group(q, node.group).units))
    return list(seen)


def _with_explanation(result: NodeResult, q: QualificationRules) -> NodeResult:
    names = {g.id: g.name for g in q.groups}
    return replace(result, explanation=explain(result, names))
