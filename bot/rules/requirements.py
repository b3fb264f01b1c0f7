"""The requirement tree: how a qualification's rules of combination are written down.

The tree lives in the knowledge YAML (`rules:` and `programme:`), so the
nodes are pydantic models that validate that data directly. Each node kind
is one sentence a brochure can say:

* ``all_of``             — every child must be met;
* ``units``              — these specific units;
* ``credits_from_group`` — at least N credits from the units of a group;
* ``one_of``             — exactly one branch, never mixed ("10 credits from
  Group 1 *or* 10 credits from Group 2");
* ``min_hours``          — at least N hours of a kind (induction, tutorial…).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

HoursKind = Literal["induction", "tutorial", "coaching", "mentoring"]
NodeId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]

#: Upper bounds on what knowledge may state. ILM Level 3 asks for tens of hours and
#: credits; anything past these is a typo (``1e308``, ``.inf``) that would print
#: nonsense and break sums, so validation refuses it.
MAX_HOURS = 1000.0
MAX_CREDITS = 1000
Hours = Annotated[float, Field(gt=0, le=MAX_HOURS, allow_inf_nan=False)]
Credits = Annotated[int, Field(gt=0, le=MAX_CREDITS)]


class _Node(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: NodeId
    description: str = ""


class SpecificUnits(_Node):
    kind: Literal["units"]
    units: tuple[str, ...] = Field(min_length=1)


class CreditsFromGroup(_Node):
    kind: Literal["credits_from_group"]
    group: str
    credits: Credits


class MinHours(_Node):
    kind: Literal["min_hours"]
    hours_kind: HoursKind
    hours: Hours


class AllOf(_Node):
    kind: Literal["all_of"]
    children: tuple[Requirement, ...] = Field(min_length=1)


class OneOf(_Node):
    kind: Literal["one_of"]
    options: tuple[Requirement, ...] = Field(min_length=2)


Requirement = Annotated[
    AllOf | OneOf | SpecificUnits | CreditsFromGroup | MinHours,
    Field(discriminator="kind"),
]

AllOf.model_rebuild()
OneOf.model_rebuild()


def children_of(node: Requirement) -> tuple[Requirement, ...]:
    """The direct sub-requirements of a node (empty for leaves)."""
    if isinstance(node, AllOf):
        return node.children
    if isinstance(node, OneOf):
        return node.options
    return ()


def walk(node: Requirement) -> list[Requirement]:
    """Every node of the tree in pre-order, the root first."""
    out: list[Requirement] = [node]
    for child in children_of(node):
        out.extend(walk(child))
    return out


class Group(BaseModel):
    """A named set of units a ``credits_from_group`` node draws from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: NodeId
    name: str
    units: tuple[str, ...] = Field(min_length=1)
