"""The learner store: enrolments, units and hours in the database, every write audited.

Each public method is one transaction, and so is ``apply`` for a whole
batch (a CSV import): everything is written, with its audit entries, or
nothing is. Writes never read-modify-write: hours are always a new row, and
enrolments and units are inserted with ON CONFLICT DO NOTHING, so two
processes writing for the same learner at the same moment are both kept.

The store trusts its callers to have checked codes against the knowledge
base (``bot.cli.common``, ``bot.learners.csv_import``); it checks only what
the database itself must never hold.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, astuple, dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, delete, select
from sqlalchemy.orm import Session

from bot.learners.learner import (
    Change,
    Enrol,
    Enrolment,
    HoursLogged,
    LearnerRecord,
    LogHours,
    RecordUnit,
    UnitAchieved,
)
from bot.storage import audit, dialect
from bot.storage.database import Database, open_database
from bot.storage.models import (
    AssistantThread,
    DialogueContextRow,
    ExpertQuestion,
    Fallback,
    Feedback,
    HoursEntry,
    ReminderDelivery,
    UnitAchievement,
)
from bot.storage.models import Enrolment as EnrolmentRow


@dataclass(frozen=True)
class Applied:
    """What a batch of changes did: new rows by kind, and changes that were already recorded."""

    enrolments: int = 0
    units: int = 0
    hours: int = 0
    unchanged: tuple[Change, ...] = ()
    hours_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Erasure:
    """How many rows of each kind ``forget`` removed."""

    enrolments: int
    units: int
    hours: int
    contexts: int
    fallbacks: int
    feedback: int = 0
    reminder_deliveries: int = 0
    expert_questions: int = 0
    assistant_threads: int = 0

    @property
    def anything(self) -> bool:
        return any(astuple(self))


class LearnerStore:
    """Learner records over an open, migrated database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @classmethod
    def open(cls, url: str | None = None) -> LearnerStore:
        """The store on ``url`` (default: ``DATABASE_URL``), schema migrated; raises ``DatabaseError``."""
        return cls(open_database(url))

    # -- writes ---------------------------------------------------------------------------------

    def enrol(self, user: str, qualification: str, *, on: date, actor: str) -> bool:
        """Enrol ``user``; False when already enrolled on that qualification (nothing changes)."""
        return self.apply([Enrol(user, qualification, on)], actor=actor).enrolments == 1

    def record_units(self, user: str, units: Sequence[str], *, on: date, source: str, actor: str) -> tuple[str, ...]:
        """Record units achieved, all or none; returns the ones that were not already recorded."""
        applied = self.apply([RecordUnit(user, u, on, source) for u in units], actor=actor)
        already = {c.unit for c in applied.unchanged if isinstance(c, RecordUnit)}
        return tuple(u for u in dict.fromkeys(units) if u not in already)

    def log_hours(
        self,
        user: str,
        hours: float,
        kind: str,
        *,
        on: date,
        actor: str,
        source: str,
        unit: str | None = None,
        note: str | None = None,
    ) -> int:
        """Log hours as a new entry (never merged into another); returns the entry's id."""
        change = LogHours(user, hours, kind, on, unit=unit, note=note, source=source)
        return self.apply([change], actor=actor).hours_ids[0]

    def apply(self, changes: Iterable[Change], *, actor: str) -> Applied:
        """Write every change and its audit entry in one transaction."""
        counts = {"enrolments": 0, "units": 0, "hours": 0}
        unchanged: list[Change] = []
        ids: list[int] = []
        with self.db.transaction() as session:
            for change in changes:
                if isinstance(change, Enrol):
                    wrote, key = _enrol(session, change, actor), "enrolments"
                elif isinstance(change, RecordUnit):
                    wrote, key = _record_unit(session, change, actor), "units"
                else:
                    ids.append(_log_hours(session, change, actor))
                    wrote, key = True, "hours"
                if wrote:
                    counts[key] += 1
                else:
                    unchanged.append(change)
        return Applied(**counts, unchanged=tuple(unchanged), hours_ids=tuple(ids))

    def forget(self, user: str, *, actor: str) -> Erasure:
        """Erase everything personal about ``user`` (the right to erasure), and audit that it happened.

        Removed: enrolments, units, hours (with their notes), the
        conversation context and the questions they asked that the bot
        could not answer. Earlier audit entries about the user keep who
        changed the record and when, but lose their detail (units, hours,
        dates), which described the record itself. The new entry holds only
        the user id and how many rows went: enough to show the erasure was
        done, nothing about what was erased.
        """
        with self.db.transaction() as session:
            erasure = Erasure(
                enrolments=_delete(session, EnrolmentRow, user),
                units=_delete(session, UnitAchievement, user),
                hours=_delete(session, HoursEntry, user),
                contexts=_delete(session, DialogueContextRow, user),
                fallbacks=_delete(session, Fallback, user),
                feedback=_delete(session, Feedback, user),
                reminder_deliveries=_erase_deliveries(session, user),
                expert_questions=_delete(session, ExpertQuestion, user),
                assistant_threads=_delete(session, AssistantThread, user),
            )
            audit.scrub(session, user)
            audit.record(session, actor, "forget", user, {"erased": asdict(erasure)})
        return erasure

    # -- reads ----------------------------------------------------------------------------------

    def learner(self, user: str) -> LearnerRecord:
        """The whole record of one learner (empty when nothing is stored)."""
        return self._records([user]).get(user, LearnerRecord(user))

    def learners(self) -> list[LearnerRecord]:
        """Every enrolled learner's record, for cohort reports (by user id)."""
        with self.db.transaction() as session:
            users = sorted(set(session.scalars(select(EnrolmentRow.user_id))))
        records = self._records(users)
        return [records[u] for u in users]

    def audit_entries(self, subject: str | None = None, limit: int = 100) -> list[audit.AuditRecord]:
        with self.db.transaction() as session:
            return audit.entries(session, subject, limit)

    def _records(self, users: Sequence[str]) -> dict[str, LearnerRecord]:
        if not users:
            return {}
        enrolments: dict[str, list[Enrolment]] = defaultdict(list)
        units: dict[str, list[UnitAchieved]] = defaultdict(list)
        hours: dict[str, list[HoursLogged]] = defaultdict(list)
        with self.db.transaction() as session:
            for e in session.scalars(_of(EnrolmentRow, users, EnrolmentRow.enrolled_on)):
                enrolments[e.user_id].append(Enrolment(e.qualification, e.enrolled_on))
            for u in session.scalars(_of(UnitAchievement, users, UnitAchievement.achieved_on)):
                units[u.user_id].append(UnitAchieved(u.unit, u.achieved_on, u.source))
            for h in session.scalars(_of(HoursEntry, users, HoursEntry.logged_on)):
                hours[h.user_id].append(HoursLogged(h.kind, h.hours, h.logged_on, h.unit, h.note, h.source, h.id))
        return {
            user: LearnerRecord(user, tuple(enrolments[user]), tuple(units[user]), tuple(hours[user]))
            for user in users
            if enrolments[user] or units[user] or hours[user]
        }


def _of(model: type[EnrolmentRow | UnitAchievement | HoursEntry], users: Sequence[str], day: Any) -> Select[Any]:
    """The rows of ``users``, oldest first (by date, then by when they were written)."""
    return select(model).where(model.user_id.in_(users)).order_by(day, model.id)


def _erase_deliveries(session: Session, user: str) -> int:
    """Reminder DMs to ``user``: those not yet sent are dropped; sent ones keep their row (the record
    that each went out once) under an anonymous recipient."""
    rows = list(session.scalars(select(ReminderDelivery).where(ReminderDelivery.recipient == user)))
    for row in rows:
        if row.status == "pending":
            session.delete(row)
        else:
            row.recipient = f"erased:{row.id}"
    return len(rows)


def _delete(session: Session, model: type, user: str) -> int:
    return int(session.execute(delete(model).where(model.user_id == user)).rowcount or 0)


def _enrol(session: Session, change: Enrol, actor: str) -> bool:
    values = {"user_id": change.user, "qualification": change.qualification, "enrolled_on": change.on}
    if not dialect.insert_new(session, EnrolmentRow, {**values, "recorded_by": actor}, ["user_id", "qualification"]):
        return False
    detail = {"qualification": change.qualification, "enrolled_on": change.on.isoformat()}
    audit.record(session, actor, "enrol", change.user, detail)
    return True


def _record_unit(session: Session, change: RecordUnit, actor: str) -> bool:
    values = {"user_id": change.user, "unit": change.unit, "achieved_on": change.on, "source": change.source}
    if not dialect.insert_new(session, UnitAchievement, {**values, "recorded_by": actor}, ["user_id", "unit"]):
        return False
    detail = {"unit": change.unit, "achieved_on": change.on.isoformat(), "source": change.source}
    audit.record(session, actor, "record_unit", change.user, detail)
    return True


def _log_hours(session: Session, change: LogHours, actor: str) -> int:
    row = HoursEntry(
        user_id=change.user,
        kind=change.kind,
        hours=change.hours,
        unit=change.unit,
        logged_on=change.on,
        note=change.note,
        source=change.source,
        recorded_by=actor,
    )
    session.add(row)
    session.flush()
    # The note is free text (it may name a mentee), so it stays out of the audit log.
    detail = {
        "entry": row.id,
        "kind": change.kind,
        "hours": change.hours,
        "unit": change.unit,
        "logged_on": change.on.isoformat(),
        "source": change.source,
    }
    audit.record(session, actor, "log_hours", change.user, detail)
    return row.id
