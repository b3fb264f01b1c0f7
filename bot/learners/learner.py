"""A learner's record and the changes that can be made to it, as plain immutable values.

No database here: progress, cohort reports and the CSV import work on these
values, so they can be computed and tested without a database, and the
store is the only code that knows about tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.rules.record import HOURS_KINDS

#: Who recorded a unit or hours: the learner (self-reported, in Slack) or HR (the CLI and imports).
SOURCES: tuple[str, ...] = ("self", "hr")
SOURCE_WORDS = {"self": "self-reported", "hr": "recorded by HR"}


@dataclass(frozen=True)
class Enrolment:
    qualification: str
    enrolled_on: date


@dataclass(frozen=True)
class UnitAchieved:
    unit: str
    achieved_on: date
    source: str


@dataclass(frozen=True)
class HoursLogged:
    kind: str
    hours: float
    logged_on: date
    unit: str | None = None
    note: str | None = None
    source: str = "hr"
    id: int | None = None


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

    def __post_init__(self) -> None:
        # The last line of defence (the database has the same CHECKs): callers validate with messages first.
        if not (0 < self.hours < float("inf")):
            raise ValueError(f"hours must be a positive number, got {self.hours!r}")
        if self.kind not in HOURS_KINDS:
            raise ValueError(f"unknown hours kind {self.kind!r}")
        if self.source not in SOURCES:
            raise ValueError(f"unknown source {self.source!r}")


Change = Enrol | RecordUnit | LogHours
