"""Schema of the knowledge YAML, validated with pydantic.

Fields mirror what the brochures say; anything a brochure does not give is
optional and absent (``None``), never a made-up default, so the answer layer
can say "I don't have that" honestly.
"""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from bot.rules.catalogue import Catalogue, PracticeNeed
from bot.rules.requirements import Credits, Group, Hours, HoursKind, MinHours, Requirement

UnitRef = Annotated[str, Field(pattern=r"^\d{4}-\d{3}$")]

#: Most guided learning hours a unit may state (the shipped units have 9 to 25).
MAX_GLH = 10_000


def _not_blank(value: str) -> str:
    """Text the bot says to people: blank would print "The  is worth 10 credits"."""
    if not value.strip():
        raise ValueError("must not be empty")
    return value


#: Text that must say something (not empty, not only spaces).
Text = Annotated[str, AfterValidator(_not_blank)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Practice(_Model):
    kind: HoursKind
    hours: Hours
    wording: Text


class Unit(_Model):
    ref: UnitRef
    title: Text
    level: int = Field(ge=1, le=8)
    credits: Credits
    glh: int = Field(gt=0, le=MAX_GLH)
    summary: Text | None = None
    practice: Practice | None = None

    @property
    def scheme(self) -> str:
        return self.ref.split("-")[0]

    @property
    def number(self) -> str:
        return self.ref.split("-")[1]


class UnitsFile(_Model):
    units: tuple[Unit, ...] = Field(min_length=1)
    #: Each list names units that count for one another, so it names at least two.
    equivalences: tuple[Annotated[tuple[UnitRef, ...], Field(min_length=2)], ...] = ()


class Benefits(_Model):
    individuals: tuple[Text, ...] = ()
    employers: tuple[Text, ...] = ()


class Progression(_Model):
    """A progression route: a qualification we know, or one outside this knowledge."""

    qualification: str | None = None
    external: Text | None = None

    @model_validator(mode="after")
    def _one_target(self) -> Progression:
        if (self.qualification is None) == (self.external is None):
            raise ValueError("give exactly one of 'qualification' (a known id) or 'external' (a name)")
        return self


class Link(_Model):
    text: Text
    url: str | None = None


class Contact(_Model):
    phone: Text
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+$")


class Qualification(_Model):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    title: Text
    short_title: Text
    kind: Literal["award", "certificate", "diploma"]
    level: int = Field(ge=1, le=8)
    credits: Credits
    qualification_number: Text | None = None
    aliases: tuple[Text, ...] = ()
    audience: Text
    overview: Text | None = None
    benefits: Benefits
    groups: tuple[Group, ...] = ()
    rules: Requirement
    programme: tuple[MinHours, ...] = ()
    progression: tuple[Progression, ...] = ()
    learning_resources: Link | None = None
    contact: Contact


class Term(_Model):
    """An abbreviation or mark the brochures explain in their notes ("**Guided learning hours.")."""

    term: Text
    aliases: tuple[Text, ...] = ()
    meaning: Text


class Organisation(_Model):
    name: Text
    ethos: Text | None = None
    membership: Link | None = None
    customer_service: str | None = None
    glossary: tuple[Term, ...] = ()


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
