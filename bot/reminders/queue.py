"""The scheduler's side of the reminder tables: claiming work in transactions, so each post is made once.

Every step is one transaction, and every claim is made so that two
schedulers (threads, processes, replicas) can never hold the same row:
on PostgreSQL with ``SELECT … FOR UPDATE SKIP LOCKED`` (replicas take
different rows and never wait for each other), on SQLite because every
transaction begins ``IMMEDIATE`` (``bot.storage.database``), which
serialises writers.

- ``start_due``: a due reminder becomes ``sending`` together with one
  ``pending`` delivery row per recipient (the unique key makes a second row
  for the same post impossible), or, when it is later than the grace,
  ``missed`` with a notice to its creator.
- ``claim``: pending deliveries become ``sending`` under a claim id and a
  time. Only the claimant posts them, and only while its claim is young
  (see ``Scheduler``).
- ``claim_stale``: ``sending`` rows whose claim has expired. Their post
  may or may not have happened; the scheduler reads Slack back before any
  second attempt.
- ``finish``: an occurrence with nothing left to send is closed; a weekly
  reminder moves to its next time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from bot.reminders.audience import Narrow
from bot.reminders.store import learners_on, occurrence_counts, subject
from bot.reminders.when import Repeat
from bot.storage import audit, dialect
from bot.storage.audit import as_utc
from bot.storage.database import Database
from bot.storage.models import Reminder, ReminderDelivery

SCHEDULER = "scheduler"
_KEY = ["reminder_id", "occurrence", "purpose", "recipient"]


@dataclass(frozen=True)
class Job:
    """A claimed delivery and everything needed to post it."""

    id: int
    reminder_id: int
    occurrence: datetime
    purpose: str
    recipient: str
    claim: str
    claimed_at: datetime
    text: str
    target_kind: str
    target: str
    created_by: str
    zone: str


@dataclass(frozen=True)
class Started:
    reminder_id: int
    occurrence: datetime
    recipients: int


@dataclass(frozen=True)
class Missed:
    reminder_id: int
    occurrence: datetime


@dataclass(frozen=True)
class Finished:
    reminder_id: int
    occurrence: datetime
    sent: int
    failed: int
    next_due: datetime | None


# -- starting occurrences ---------------------------------------------------------------------------


def start_due(
    db: Database, now: datetime, grace: timedelta, limit: int = 20, narrow: Narrow | None = None
) -> list[Started | Missed]:
    """Start every reminder due by ``now``: fan it out to its recipients, or mark it missed if too late.

    ``narrow`` works out who a narrowed ``learners:`` reminder reaches (``bot.reminders.audience``);
    without it, a narrowed reminder is not sent to anyone (it must never reach people it excludes).
    """
    with db.transaction() as session:
        rows = session.scalars(
            select(Reminder)
            .where(Reminder.status == "scheduled", Reminder.due_at <= now)
            .order_by(Reminder.due_at, Reminder.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        events: list[Started | Missed] = []
        for row in rows:
            events.extend(_start(session, row, now, grace, narrow))
        return events


def _start(
    session: Session, row: Reminder, now: datetime, grace: timedelta, narrow: Narrow | None
) -> list[Started | Missed]:
    repeat = Repeat.from_json(row.repeat) if row.repeat else None
    due = as_utc(row.due_at)
    events: list[Started | Missed] = []
    while now - due >= grace:  # the bot was down at its time, and it is too late now
        _add(session, row.id, due, "missed", [row.created_by])
        late = int((now - due).total_seconds())
        detail = {"reminder": row.id, "occurrence": due.isoformat(), "late_seconds": late}
        audit.record(session, SCHEDULER, "reminder_missed", subject(row.id), detail)
        events.append(Missed(row.id, due))
        following = repeat.next_after(due) if repeat else None
        if following is None:
            row.status, row.updated_at = "missed", now
            return events
        due = following
        row.due_at, row.updated_at = following, now
    if due > now:
        return events
    recipients = _recipients(session, row, due, narrow)
    _add(session, row.id, due, "reminder", recipients)
    row.status, row.updated_at = "sending", now
    detail = {"reminder": row.id, "occurrence": due.isoformat(), "recipients": len(recipients)}
    audit.record(session, SCHEDULER, "reminder_start", subject(row.id), detail)
    return [*events, Started(row.id, due, len(recipients))]


def _recipients(session: Session, row: Reminder, due: datetime, narrow: Narrow | None) -> list[str]:
    if row.target_kind == "channel":
        return [row.target]
    if row.audience is None:
        return learners_on(session, row.target)
    return narrow(session, row.target, row.audience, due) if narrow is not None else []


def _add(session: Session, reminder_id: int, occurrence: datetime, purpose: str, recipients: Sequence[str]) -> None:
    if not recipients:
        return
    rows = [
        {
            "reminder_id": reminder_id,
            "occurrence": occurrence,
            "purpose": purpose,
            "recipient": r,
            "status": "pending",
            "attempts": 0,
        }
        for r in dict.fromkeys(recipients)
    ]
    session.execute(dialect.insert(session, ReminderDelivery).on_conflict_do_nothing(index_elements=_KEY), rows)


def expire_pending(db: Database, now: datetime, grace: timedelta) -> int:
    """Reminder deliveries still unsent more than ``grace`` after their time fail as missed (a restart that late).

    Notices to HR are not expired: they say what happened, however late.
    """
    with db.transaction() as session:
        rows = session.scalars(
            select(ReminderDelivery)
            .where(
                ReminderDelivery.status == "pending",
                ReminderDelivery.purpose == "reminder",
                ReminderDelivery.occurrence <= now - grace,
            )
            .with_for_update(skip_locked=True)
        ).all()
        for row in rows:
            row.status, row.error = "failed", "missed"
            _audit_failed(session, row, "missed")
        return len(rows)


# -- claiming deliveries ------------------------------------------------------------------------------


def claim(
    db: Database, now: datetime, claim_id: str, limit: int, *, after_reminder: int, not_before: datetime
) -> list[Job]:
    """Claim up to ``limit`` pending deliveries of one reminder: the first with pending rows after
    ``after_reminder``, so a large fan-out and a small reminder due meanwhile take turns."""
    with db.transaction() as session:
        tried: set[int] = set()
        cursor = after_reminder
        while True:
            reminder_id = _next_pending(session, cursor, not_before)
            if reminder_id is None and cursor:
                cursor = 0  # wrap around to the first reminder with work
                continue
            if reminder_id is None or reminder_id in tried:
                return []
            tried.add(reminder_id)
            rows = session.execute(
                select(ReminderDelivery, Reminder)
                .join(Reminder, Reminder.id == ReminderDelivery.reminder_id)
                .where(ReminderDelivery.reminder_id == reminder_id, ReminderDelivery.status == "pending")
                .order_by(ReminderDelivery.id)
                .limit(limit)
                .with_for_update(skip_locked=True, of=ReminderDelivery)
            ).all()
            if rows:
                return [_claim(delivery, reminder, claim_id, now) for delivery, reminder in rows]
            cursor = reminder_id  # every row locked by another scheduler: try the next reminder


def _next_pending(session: Session, after: int, not_before: datetime) -> int | None:
    return session.scalar(
        select(func.min(ReminderDelivery.reminder_id)).where(
            ReminderDelivery.status == "pending",
            ReminderDelivery.reminder_id > after,
            or_(ReminderDelivery.purpose != "reminder", ReminderDelivery.occurrence > not_before),
        )
    )


def claim_stale(db: Database, now: datetime, lease: timedelta, claim_id: str, limit: int) -> list[Job]:
    """Take over deliveries whose claim expired while ``sending``: their post is in doubt."""
    with db.transaction() as session:
        rows = session.execute(
            select(ReminderDelivery, Reminder)
            .join(Reminder, Reminder.id == ReminderDelivery.reminder_id)
            .where(ReminderDelivery.status == "sending", ReminderDelivery.claimed_at < now - lease)
            .order_by(ReminderDelivery.claimed_at)
            .limit(limit)
            .with_for_update(skip_locked=True, of=ReminderDelivery)
        ).all()
        return [_claim(delivery, reminder, claim_id, now) for delivery, reminder in rows]


def _claim(delivery: ReminderDelivery, reminder: Reminder, claim_id: str, now: datetime) -> Job:
    delivery.status, delivery.claimed_by, delivery.claimed_at = "sending", claim_id, now
    delivery.attempts += 1
    return Job(
        id=delivery.id,
        reminder_id=reminder.id,
        occurrence=as_utc(delivery.occurrence),
        purpose=delivery.purpose,
        recipient=delivery.recipient,
        claim=claim_id,
        claimed_at=now,
        text=reminder.text,
        target_kind=reminder.target_kind,
        target=reminder.target,
        created_by=reminder.created_by,
        zone=reminder.zone,
    )


# -- outcomes -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    """A post Slack confirmed (``recovered``: found in the conversation's history after a crash or timeout)."""

    job: Job
    channel: str
    ts: str
    recovered: bool = False


def record_sent(db: Database, sent: Sequence[Sent], now: datetime) -> int:
    """Record posts, each with its audit entry, in one transaction; returns how many claims had been lost (0).

    A batch is written at once to spare a commit per post: if the process dies first, the rows are still
    ``sending`` and the read-back after the lease finds the messages, so nothing is posted twice.
    """
    if not sent:
        return 0
    lost = 0
    with db.transaction() as session:
        for item in sent:
            job = item.job
            row = _owned(session, job)
            if row is None:
                lost += 1
                continue
            row.status, row.channel, row.ts, row.sent_at, row.error = "sent", item.channel, item.ts, now, None
            detail = {
                "reminder": job.reminder_id,
                "occurrence": job.occurrence.isoformat(),
                "purpose": job.purpose,
                "delivery": job.id,
                "channel": item.channel,
                "ts": item.ts,
                "recovered": item.recovered,
            }
            audit.record(session, SCHEDULER, "reminder_delivered", job.recipient, detail)
    return lost


def mark_failed(db: Database, job: Job, error: str) -> bool:
    """Slack refused the post (or it can't be confirmed): it will not be tried again."""
    with db.transaction() as session:
        row = _owned(session, job)
        if row is None:
            return False
        row.status, row.error = "failed", error[:64]
        _audit_failed(session, row, error)
        return True


def _audit_failed(session: Session, row: ReminderDelivery, error: str) -> None:
    detail = {
        "reminder": row.reminder_id,
        "occurrence": as_utc(row.occurrence).isoformat(),
        "purpose": row.purpose,
        "delivery": row.id,
        "error": error[:64],
    }
    audit.record(session, SCHEDULER, "reminder_failed", row.recipient, detail)


def release(db: Database, jobs: Sequence[Job]) -> None:
    """Give back deliveries known *not* to have been posted (never tried, 429, or read back as absent).

    A delivery of a reminder cancelled meanwhile is cancelled rather than given back.
    """
    if not jobs:
        return
    with db.transaction() as session:
        cancelled = set(
            session.scalars(
                select(Reminder.id).where(
                    Reminder.id.in_({j.reminder_id for j in jobs}), Reminder.status == "cancelled"
                )
            )
        )
        for job in jobs:
            stop = job.purpose == "reminder" and job.reminder_id in cancelled
            session.execute(
                update(ReminderDelivery)
                .where(
                    ReminderDelivery.id == job.id,
                    ReminderDelivery.claimed_by == job.claim,
                    ReminderDelivery.status == "sending",
                )
                .values(status="cancelled" if stop else "pending", claimed_by=None, claimed_at=None)
            )


def _owned(session: Session, job: Job) -> ReminderDelivery | None:
    return session.scalar(
        select(ReminderDelivery)
        .where(
            ReminderDelivery.id == job.id,
            ReminderDelivery.claimed_by == job.claim,
            ReminderDelivery.status == "sending",
        )
        .with_for_update()
    )


# -- closing occurrences --------------------------------------------------------------------------------


def finish(db: Database, now: datetime) -> list[Finished]:
    """Close every occurrence with nothing left to send: tell the creator about failures, move weekly ones on."""
    with db.transaction() as session:
        rows = session.scalars(
            select(Reminder).where(Reminder.status == "sending").with_for_update(skip_locked=True)
        ).all()
        done: list[Finished] = []
        for row in rows:
            occurrence = as_utc(row.due_at)
            counts = occurrence_counts(session, row.id, occurrence)
            if counts.get("pending") or counts.get("sending"):
                continue
            sent, failed = counts.get("sent", 0), counts.get("failed", 0)
            if failed:
                _add(session, row.id, occurrence, "failed", [row.created_by])
            following = Repeat.from_json(row.repeat).next_after(occurrence) if row.repeat else None
            if following is None:
                row.status = "sent"
            else:
                row.status, row.due_at = "scheduled", following.astimezone(UTC)
            row.updated_at = now
            detail = {"reminder": row.id, "occurrence": occurrence.isoformat(), "sent": sent, "failed": failed}
            audit.record(session, SCHEDULER, "reminder_done", subject(row.id), detail)
            done.append(Finished(row.id, occurrence, sent, failed, following))
        return done


def failure_counts(db: Database, reminder_id: int, occurrence: datetime) -> tuple[int, int, dict[str, int]]:
    """(sent, total, failures by error) of one occurrence, for the notice to its creator."""
    with db.transaction() as session:
        counts = occurrence_counts(session, reminder_id, occurrence)
        errors = session.execute(
            select(ReminderDelivery.error, func.count())
            .where(
                ReminderDelivery.reminder_id == reminder_id,
                ReminderDelivery.occurrence == occurrence,
                ReminderDelivery.purpose == "reminder",
                ReminderDelivery.status == "failed",
            )
            .group_by(ReminderDelivery.error)
        )
        by_error = {str(error or "unknown"): int(n) for error, n in errors}
    return counts.get("sent", 0), sum(counts.values()), by_error
