"""The engine's answer: a result tree that says what is met, counted and missing."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    MET = "met"
    UNMET = "unmet"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Counted:
    """One achieved unit counted toward one requirement.

    ``required`` is the unit the rules name; ``achieved`` the one the learner
    holds. They differ when an equivalent unit was counted (credit transfer).
    """

    required: str
    achieved: str
    credits: int

    @property
    def transfer(self) -> bool:
        return self.required != self.achieved


@dataclass(frozen=True)
class NodeResult:
    id: str
    kind: str
    description: str
    status: Status
    explanation: str
    credits_achieved: int = 0
    credits_required: int = 0
    counted: tuple[Counted, ...] = ()
    missing: tuple[str, ...] = ()
    hours_have: float | None = None
    hours_need: float | None = None
    chosen: str | None = None
    children: tuple[NodeResult, ...] = ()

    def walk(self) -> list[NodeResult]:
        out: list[NodeResult] = [self]
        for child in self.children:
            out.extend(child.walk())
        return out

    def all_counted(self) -> tuple[Counted, ...]:
        """Units counted in this subtree, following only the chosen branch of a one-of."""
        if self.kind == "one_of":
            chosen = next((c for c in self.children if c.id == self.chosen), None)
            return chosen.all_counted() if chosen else ()
        if self.children:
            return tuple(c for child in self.children for c in child.all_counted())
        return self.counted


@dataclass(frozen=True)
class PracticeResult:
    """Supervised practice a unit requires, against the hours logged."""

    unit: str
    kind: str
    hours_need: float
    hours_have: float
    status: Status

    @property
    def hours_remaining(self) -> float:
        return max(0.0, self.hours_need - self.hours_have)


@dataclass(frozen=True)
class Evaluation:
    """Everything the engine decided about one qualification for one record."""

    qualification: str
    achieved: bool
    credits_achieved: int
    credits_required: int
    tree: NodeResult
    programme: tuple[NodeResult, ...] = ()
    practice: tuple[PracticeResult, ...] = ()
    completion_options: tuple[tuple[str, ...], ...] = ()
    not_counted: tuple[str, ...] = field(default=())

    @property
    def counted(self) -> tuple[Counted, ...]:
        return self.tree.all_counted()

    @property
    def transfers(self) -> tuple[Counted, ...]:
        return tuple(c for c in self.counted if c.transfer)

    def to_dict(self) -> dict[str, Any]:
        """The `ilm-bot check --json` contract, plus detail for other surfaces."""
        return {
            "qualification": self.qualification,
            "achieved": self.achieved,
            "credits_achieved": self.credits_achieved,
            "credits_required": self.credits_required,
            "completion_options": [list(o) for o in self.completion_options],
            "requirements": [
                {
                    "id": n.id,
                    "description": n.description,
                    "status": str(n.status),
                    "explanation": n.explanation,
                    "credits_achieved": n.credits_achieved,
                    "credits_required": n.credits_required,
                }
                for n in self.tree.walk()
            ],
            "units_counted": [
                {"unit": c.required, "achieved_as": c.achieved, "credits": c.credits, "transfer": c.transfer}
                for c in self.counted
            ],
            "not_counted": list(self.not_counted),
            "programme": [
                {
                    "id": n.id,
                    "description": n.description,
                    "status": str(n.status),
                    "hours_logged": n.hours_have,
                    "hours_required": n.hours_need,
                    "hours_remaining": _remaining(n.hours_need, n.hours_have),
                }
                for n in self.programme
            ],
            "practice": [
                {
                    "unit": p.unit,
                    "kind": p.kind,
                    "status": str(p.status),
                    "hours_logged": p.hours_have,
                    "hours_required": p.hours_need,
                    "hours_remaining": p.hours_remaining,
                }
                for p in self.practice
            ],
        }


def _remaining(need: float | None, have: float | None) -> float | None:
    if need is None:
        return None
    return max(0.0, need - (have or 0.0))
