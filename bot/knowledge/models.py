"""Schema of the knowledge YAML, validated with pydantic.

Fields mirror what the brochures say; anything a brochure does not give is
optional and absent (``None``), never a made-up default, so the answer layer
can say "I don't have that" honestly.
"""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.rules.catalogue import Catalogue, PracticeNeed
from bot.rules.requirements import Group, HoursKind, MinHours, Requirement

UnitRef = Annotated[str, Field(pattern=r"^\d{4}-\d{3}$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Practice(_Model):
    kind: HoursKind
    hours: float = Field(gt=0)
    wording: str


class Unit(_Model):
    ref: UnitRef
    title: str = Field(min_length=1)
    level: int = Field(ge=1, le=8)
    credits: int = Field(gt=0)
    glh: int = Field(gt=0)
    summary: str | None = None
    practice: Practice | None = None

    @property
    def scheme(self) -> str:
        return self.ref.split("-")[0]

    @property
    def number(self) -> str:
        return self.ref.split("-")[1]


class UnitsFile(_Model):
    units: tuple[Unit, ...] = Field(min_length=1)
    equivalences: tuple[tuple[UnitRef, ...], ...] = ()


class Benefits(_Model):
    individuals: tuple[str, ...] = ()
    employers: tuple[str, ...] = ()


class Progression(_Model):
    """A progression route: a qualification we know, or one outside this knowledge."""

    qualification: str | None = None
    external: str | None = None

    @model_validator(mode="after")
    def _one_target(self) -> Progression:
        if (self.qualification is None) == (self.external is None):
            raise ValueError("give exactly one of 'qualification' (a known id) or 'external' (a name)")
        return self


class Link(_Model):
    text: str
    url: str | None = None


class Contact(_Model):
    phone: str
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+$")


class Qualification(_Model):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    title: str
    short_title: str
    kind: Literal["award", "certificate", "diploma"]
    level: int = Field(ge=1, le=8)
    credits: int = Field(gt=0)
    qualification_number: str | None = None
    aliases: tuple[str, ...] = ()
    audience: str
    overview: str | None = None
    benefits: Benefits
    groups: tuple[Group, ...] = ()
    rules: Requirement
    programme: tuple[MinHours, ...] = ()
    progression: tuple[Progression, ...] = ()
    learning_resources: Link | None = None
    contact: Contact


class Organisation(_Model):
    name: str
    ethos: str | None = None
    membership: Link | None = None
    customer_service: str | None = None


class Knowledge(_Model):
    """The whole validated knowledge base, with indexes the rest of the bot uses."""

    organisation: Organisation
    units: dict[str, Unit]
    equivalences: tuple[tuple[str, ...], ...]
    qualifications: dict[str, Qualification]

    @cached_property
    def catalogue(self) -> Catalogue:
        return Catalogue.build(
            credits={r: u.credits for r, u in self.units.items()},
            practice={r: PracticeNeed(u.practice.kind, u.practice.hours) for r, u in self.units.items() if u.practice},
            equivalences=self.equivalences,
        )

    def equivalents(self, ref: str) -> list[str]:
        """Units equivalent to ``ref`` (credit transfer), not including itself."""
        return sorted(self.catalogue.equivalents(ref) - {ref})

    def units_of(self, qualification_id: str) -> list[Unit]:
        """Every unit a qualification's groups list, in brochure order."""
        q = self.qualifications[qualification_id]
        refs = dict.fromkeys(ref for g in q.groups for ref in g.units)
        return [self.units[r] for r in refs]

    def units_of_ids(self, qualification_id: str) -> frozenset[str]:
        """The unit codes a qualification's groups list."""
        return frozenset(ref for g in self.qualifications[qualification_id].groups for ref in g.units)

    def qualifications_with(self, ref: str) -> list[Qualification]:
        return [q for q in self.qualifications.values() if any(ref in g.units for g in q.groups)]
