"""What a learner has done, as the rules engine sees it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

HOURS_KINDS: tuple[str, ...] = ("induction", "tutorial", "coaching", "mentoring")


@dataclass(frozen=True)
class Record:
    """Units achieved and hours logged.

    ``hours`` holds hours by kind that are not attached to a unit;
    ``unit_hours`` holds practice hours logged against a specific unit.
    ``hours_known`` says whether hours were stated at all: when they were not,
    hour requirements are reported as *unknown* rather than *unmet*, because
    "you told me nothing" is not the same as "you have done none".
    """

    units: frozenset[str] = frozenset()
    hours: Mapping[str, float] = field(default_factory=dict)
    unit_hours: Mapping[str, float] = field(default_factory=dict)
    hours_known: bool = False

    @classmethod
    def of(
        cls,
        units: Iterable[str] = (),
        hours: Mapping[str, float] | None = None,
        unit_hours: Mapping[str, float] | None = None,
    ) -> Record:
        known = bool(hours) or bool(unit_hours)
        return cls(frozenset(units), dict(hours or {}), dict(unit_hours or {}), known)

    def plus(self, units: Iterable[str]) -> Record:
        """The same record with extra units, for what-if questions."""
        return Record(self.units | frozenset(units), self.hours, self.unit_hours, self.hours_known)

    def hours_of(self, kind: str) -> float:
        return float(self.hours.get(kind, 0.0))
