"""A learner's record and the changes that can be made to it, as plain immutable values.

No database here: progress, cohort reports and the CSV import work on these
values, so they can be computed and tested without a database, and the
store is the only code that knows about tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from bot.errors import InputError
from bot.rules.record import HOURS_KINDS

#: Who recorded a unit or hours: the learner (self-reported, in Slack) or HR (the CLI and imports).
SOURCES: tuple[str, ...] = ("self", "hr")
SOURCE_WORDS = {"self": "self-reported", "hr": "recorded by HR"}
#: Supervisor sign-off (ILM_VERIFICATION): only confirmed entries count toward achievement and hours.
CONFIRMED, PENDING, REJECTED = "confirmed", "pending", "rejected"


class NotRecordedError(InputError):
    """A correction names something the learner's record does not hold; nothing was changed.

    Surfaces check first and word the message for the person asking; the store raises it too, inside
    its transaction, in case another process changed the record in between, so a race changes nothing.
    """


@dataclass(frozen=True)
class Enrolment:
    qualification: str
    enrolled_on: date


@dataclass(frozen=True)
class UnitAchieved:
    unit: str
    achieved_on: date
    source: str
    status: str = CONFIRMED
    id: int | None = field(default=None, compare=False)

    @property
    def verified(self) -> bool:
        return self.status == CONFIRMED


@dataclass(frozen=True)
class HoursLogged:
    kind: str
    hours: float
    logged_on: date
    unit: str | None = None
    note: str | None = None
    source: str = "hr"
    id: int | None = None
    status: str = CONFIRMED

    @property
    def verified(self) -> bool:
        return self.status == CONFIRMED

    def to_dict(self) -> dict[str, Any]:
        """The ``learner hours --json`` entry."""
        return {
            "id": self.id,
            "hours": self.hours,
            "kind": self.kind,
            "unit": self.unit,
            "date": self.logged_on.isoformat(),
            "note": self.note,
            "source": self.source,
            "verified": self.verified,
        }


@dataclass(frozen=True)
class LearnerRecord:
    """Everything stored about one learner: enrolments, units achieved and hours logged, oldest first."""

    user: str
    enrolments: tuple[Enrolment, ...] = ()
    units: tuple[UnitAchieved, ...] = ()
    hours: tuple[HoursLogged, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.enrolments or self.units or self.hours)

    def enrolled_on(self, qualification: str) -> date | None:
        return next((e.enrolled_on for e in self.enrolments if e.qualification == qualification), None)

    def confirmed(self) -> LearnerRecord:
        """The record as it counts: units and hours awaiting (or refused) sign-off left out."""
        units = tuple(u for u in self.units if u.verified)
        return replace(self, units=units, hours=tuple(h for h in self.hours if h.verified))

    @property
    def last_recorded(self) -> date | None:
        """The latest date anything was recorded for (stalled learners have nothing recent)."""
        days = [e.enrolled_on for e in self.enrolments] + [u.achieved_on for u in self.units]
        return max([*days, *(h.logged_on for h in self.hours)], default=None)


# -- changes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Enrol:
    user: str
    qualification: str
    on: date


@dataclass(frozen=True)
class RecordUnit:
    user: str
    unit: str
    on: date
    source: str = "hr"

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise ValueError(f"unknown source {self.source!r}")


@dataclass(frozen=True)
class LogHours:
    user: str
    hours: float
    kind: str
    on: date
    unit: str | None = None
    note: str | None = None
    source: str = "hr"
    #: The CSV row this came from (HR's ``entry_id`` or a digest of the row): imported once only.
    #: Bookkeeping, not part of what the change records, so it is left out of comparisons.
    import_key: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        # The last line of defence (the database has the same CHECKs): callers validate with messages first.
        if not (0 < self.hours < float("inf")):
            raise ValueError(f"hours must be a positive number, got {self.hours!r}")
        if self.kind not in HOURS_KINDS:
            raise ValueError(f"unknown hours kind {self.kind!r}")
        if self.source not in SOURCES:
            raise ValueError(f"unknown source {self.source!r}")


@dataclass(frozen=True)
class SetSupervisor:
    user: str
    supervisor: str


Change = Enrol | RecordUnit | LogHours | SetSupervisor
