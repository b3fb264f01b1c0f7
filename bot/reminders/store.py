"""Reminders in the database, as HR sees them: create, list with progress, cancel. Every change audited.

Each method is one transaction that writes the change and its audit entry
together. The audit entry holds facts (ids, times, the target), never the
message itself: it is free text HR typed, and the audit log keeps none.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.errors import InputError
from bot.reminders.when import Repeat, Schedule
from bot.storage import audit
from bot.storage.audit import as_utc
from bot.storage.database import Database
from bot.storage.models import Enrolment, Reminder, ReminderDelivery, utcnow

#: Reminders that are still to come or being sent.
OPEN = ("scheduled", "sending")
#: Seconds between looks at a batch being posted while a cancel waits for it.
SETTLE_POLL = 0.2


def subject(reminder_id: int) -> str:
    """The audit subject of a reminder's own entries (deliveries are filed under their recipient)."""
    return f"reminder:{reminder_id}"


if TYPE_CHECKING:  # the narrowing is handed in: it reads learner records, which this module never does
    from bot.reminders.audience import Narrow


@dataclass(frozen=True)
class Progress:
    """Deliveries of one occurrence by state."""

    total: int = 0
    sent: int = 0
    failed: int = 0
    cancelled: int = 0

    @property
    def waiting(self) -> int:
        return self.total - self.sent - self.failed - self.cancelled

    def describe(self) -> str:
        """``sent 1,240 of 2,000`` (and how many failed)."""
        text = f"sent {self.sent:,} of {self.total:,}"
        return text + (f", {self.failed:,} failed" if self.failed else "")


@dataclass(frozen=True)
class ReminderInfo:
    id: int
    created_by: str
    created_at: datetime
    target_kind: str
    target: str
    text: str
    zone: str
    due_at: datetime
    repeat: Repeat | None
    status: str
    progress: Progress | None = None
    audience: str | None = None


class ReminderStore:
    """HR's side of the ``reminders`` table.

    ``settle_seconds``: how long ``cancel`` waits for a batch a scheduler is
    posting at that moment, so that the reply counts its posts (they are
    recorded when the batch ends); 0 reports at once.
    """

    def __init__(self, db: Database, settle_seconds: float = 0.0) -> None:
        self.db = db
        self.settle_seconds = settle_seconds

    def create(
        self,
        *,
        created_by: str,
        target_kind: str,
        target: str,
        text: str,
        schedule: Schedule,
        zone: str,
        audience: str | None = None,
    ) -> ReminderInfo:
        repeat = schedule.repeat.to_json() if schedule.repeat else None
        with self.db.transaction() as session:
            row = Reminder(
                created_by=created_by,
                target_kind=target_kind,
                target=target,
                audience=audience,
                text=text,
                zone=zone,
                due_at=schedule.first.astimezone(UTC),  # SQLite keeps no zone: always write UTC
                repeat=repeat,
                status="scheduled",
            )
            session.add(row)
            session.flush()
            detail = {
                "reminder": row.id,
                "target_kind": target_kind,
                "target": target,
                "audience": audience,
                "due_at": schedule.first.isoformat(),
                "repeat": repeat,
            }
            audit.record(session, f"slack:{created_by}", "reminder_create", subject(row.id), detail)
            return _info(row)

    def cancel(self, reminder_id: int, *, by: str) -> ReminderInfo:
        """Cancel a scheduled reminder, or the rest of one being sent; ``ValueError`` when it can't be."""
        with self.db.transaction() as session:
            row = session.scalar(select(Reminder).where(Reminder.id == reminder_id).with_for_update())
            if row is None:
                raise InputError(f"there is no reminder #{reminder_id}")
            if row.status not in OPEN:
                raise InputError(f"reminder #{reminder_id} was already {row.status}, so there is nothing to cancel")
            was = row.status
            row.status, row.updated_at = "cancelled", utcnow()
            stopped = session.execute(
                update(ReminderDelivery)
                .where(
                    ReminderDelivery.reminder_id == reminder_id,
                    ReminderDelivery.purpose == "reminder",
                    ReminderDelivery.status == "pending",
                )
                .values(status="cancelled")
            ).rowcount
            detail = {"reminder": reminder_id, "was": was, "deliveries_stopped": int(stopped or 0)}
            audit.record(session, f"slack:{by}", "reminder_cancel", subject(reminder_id), detail)
            info = _info(row)
        return info if was != "sending" else self._settled(info)

    def _settled(self, info: ReminderInfo) -> ReminderInfo:
        """``info`` with its progress once no delivery is in a scheduler's hands (or ``settle_seconds`` passed)."""
        deadline = time.monotonic() + self.settle_seconds
        while True:
            with self.db.transaction() as session:
                counts = occurrence_counts(session, info.id, info.due_at)
            if not counts.get("sending") or time.monotonic() >= deadline:
                return replace(info, progress=_progress(counts))
            time.sleep(SETTLE_POLL)

    def get(self, reminder_id: int) -> ReminderInfo | None:
        with self.db.transaction() as session:
            row = session.get(Reminder, reminder_id)
            return None if row is None else _info(row, progress(session, row))

    def enrolled(self, qualification: str, audience: str | None = None, narrow: Narrow | None = None) -> int:
        """How many learners a ``learners:`` reminder on ``qualification`` would reach now.

        Narrowed by ``audience`` (with ``narrow``, see ``bot.reminders.audience``) when one is given.
        """
        with self.db.transaction() as session:
            if audience is None or narrow is None:
                return len(learners_on(session, qualification))
            return len(narrow(session, qualification, audience, utcnow()))

    def upcoming(self, limit: int = 40) -> list[ReminderInfo]:
        """Scheduled and in-progress reminders, soonest first; those being sent with their progress."""
        with self.db.transaction() as session:
            rows = session.scalars(
                select(Reminder).where(Reminder.status.in_(OPEN)).order_by(Reminder.due_at, Reminder.id).limit(limit)
            ).all()
            return [_info(r, progress(session, r) if r.status == "sending" else None) for r in rows]


def learners_on(session: Session, qualification: str) -> list[str]:
    """Everyone enrolled on ``qualification`` now (a reminder's recipients are fixed when it starts)."""
    query = select(Enrolment.user_id).where(Enrolment.qualification == qualification).distinct()
    return sorted(session.scalars(query))


def progress(session: Session, reminder: Reminder) -> Progress:
    """How far the current occurrence of ``reminder`` has got."""
    return _progress(occurrence_counts(session, reminder.id, as_utc(reminder.due_at)))


def _progress(counts: dict[str, int]) -> Progress:
    return Progress(
        total=sum(counts.values()),
        sent=counts.get("sent", 0),
        failed=counts.get("failed", 0),
        cancelled=counts.get("cancelled", 0),
    )


def occurrence_counts(session: Session, reminder_id: int, occurrence: datetime) -> dict[str, int]:
    """Deliveries of the reminder itself (not notices to its creator) for one occurrence, by status."""
    rows = session.execute(
        select(ReminderDelivery.status, func.count())
        .where(
            ReminderDelivery.reminder_id == reminder_id,
            ReminderDelivery.occurrence == occurrence,
            ReminderDelivery.purpose == "reminder",
        )
        .group_by(ReminderDelivery.status)
    )
    return {str(status): int(n) for status, n in rows}


def _info(row: Reminder, progress: Progress | None = None) -> ReminderInfo:
    data: dict[str, Any] | None = row.repeat
    return ReminderInfo(
        id=row.id,
        created_by=row.created_by,
        created_at=as_utc(row.created_at),
        target_kind=row.target_kind,
        target=row.target,
        text=row.text,
        zone=row.zone,
        due_at=as_utc(row.due_at),
        repeat=Repeat.from_json(data) if data else None,
        status=row.status,
        progress=progress,
        audience=row.audience,
    )
