"""What changed between two knowledge versions, in the words an admin checks a reload by."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.core.brain import Brain


@dataclass(frozen=True)
class Change:
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)

    def summary(self, what: str) -> str:
        if self.empty:
            return f"{what}: no change"
        parts = [
            f"{label} {', '.join(items)}"
            for label, items in (("added", self.added), ("changed", self.changed), ("removed", self.removed))
            if items
        ]
        return f"{what}: " + "; ".join(parts)


@dataclass(frozen=True)
class Diff:
    qualifications: Change
    units: Change
    intents: Change
    examples_added: int
    examples_removed: int

    @property
    def empty(self) -> bool:
        return (
            self.qualifications.empty
            and self.units.empty
            and self.intents.empty
            and not self.examples_added
            and not self.examples_removed
        )

    def lines(self) -> list[str]:
        if self.empty:
            return ["No change in qualifications, units or intents (wording or templates may differ)."]
        return [
            self.qualifications.summary("Qualifications"),
            self.units.summary("Units"),
            self.intents.summary("Intents"),
            f"Examples: {self.examples_added} added, {self.examples_removed} removed",
        ]


def _compare(old: Mapping[str, Any], new: Mapping[str, Any]) -> Change:
    return Change(
        added=tuple(sorted(set(new) - set(old))),
        changed=tuple(sorted(k for k in set(old) & set(new) if old[k] != new[k])),
        removed=tuple(sorted(set(old) - set(new))),
    )


def diff(old: Brain, new: Brain) -> Diff:
    old_examples = {(i.name, e) for i in old.intents.intents for e in i.examples}
    new_examples = {(i.name, e) for i in new.intents.intents for e in i.examples}
    return Diff(
        qualifications=_compare(old.knowledge.qualifications, new.knowledge.qualifications),
        units=_compare(old.knowledge.units, new.knowledge.units),
        intents=_compare(
            {i.name: i.examples for i in old.intents.intents}, {i.name: i.examples for i in new.intents.intents}
        ),
        examples_added=len(new_examples - old_examples),
        examples_removed=len(old_examples - new_examples),
    )


def counts(brain: Brain) -> str:
    k, i = brain.knowledge, brain.intents
    examples = sum(len(spec.examples) for spec in i.intents)
    return (
        f"{len(k.qualifications)} qualifications, {len(k.units)} units, {len(i.intents)} intents, {examples} examples"
    )
