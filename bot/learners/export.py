"""Subject access: everything held about one person, as one JSON document.

The right of access mirrors the right to erasure: this reads every table
``LearnerStore.forget`` erases from, so whatever forget would delete, the
export shows. Built inside one transaction (a consistent snapshot) that also
writes the audit entry recording the export.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.storage import audit
from bot.storage.audit import as_utc
from bot.storage.models import (
    AuditEntry,
    DialogueContextRow,
    Fallback,
    Feedback,
    HoursEntry,
    Reminder,
    ReminderDelivery,
    Supervisor,
    UnitAchievement,
)
from bot.storage.models import Enrolment as EnrolmentRow

#: Bumped when a field changes meaning, so whoever reads old exports can tell.
FORMAT = 1


def subject_access(session: Session, user: str, now: datetime) -> dict[str, Any]:
    """The export of ``user``'s data as of ``now`` (enrolments, units, hours and notes first)."""
    supervisor = session.get(Supervisor, user)
    context = session.get(DialogueContextRow, user)
    return {
        "format": FORMAT,
        "user": user,
        "exported_at": _stamp(now),
        "enrolments": [
            {"qualification": e.qualification, "enrolled_on": _day(e.enrolled_on), "recorded_by": e.recorded_by}
            for e in _rows(session, EnrolmentRow, user, EnrolmentRow.enrolled_on)
        ],
        "units": [
            {
                "unit": u.unit,
                "date": _day(u.achieved_on),
                "source": u.source,
                "verified": u.status == "confirmed",
                "status": u.status,
                "recorded_by": u.recorded_by,
            }
            for u in _rows(session, UnitAchievement, user, UnitAchievement.achieved_on)
        ],
        "hours": [_hours(h) for h in _rows(session, HoursEntry, user, HoursEntry.logged_on)],
        "supervisor": supervisor.supervisor if supervisor else None,
        "supervises": list(session.scalars(select(Supervisor.user_id).where(Supervisor.supervisor == user))),
        "conversation_context": dict(context.data) if context else None,
        "unanswered_questions": [
            {"at": _stamp(f.at), "text": f.text, "guess_intent": f.guess_intent}
            for f in _rows(session, Fallback, user, Fallback.at)
        ],
        "ratings": [
            {"at": _stamp(f.at), "helpful": f.helpful, "intent": f.intent, "question": f.question}
            for f in _rows(session, Feedback, user, Feedback.at)
        ],
        "reminder_deliveries": _deliveries(session, user),
        "audit_entries": [
            {"at": _stamp(a.at), "actor": a.actor, "action": a.action, "detail": dict(a.detail or {})}
            for a in session.scalars(select(AuditEntry).where(AuditEntry.subject == user).order_by(AuditEntry.id))
        ],
    }


def export(session: Session, user: str, actor: str, now: datetime) -> dict[str, Any]:
    """Audit the export (so the document lists it too), then build it."""
    audit.record(session, actor, "export", user, {})
    session.flush()
    return subject_access(session, user, now)


def _rows(session: Session, model: Any, user: str, order: Any) -> list[Any]:
    return list(session.scalars(select(model).where(model.user_id == user).order_by(order, model.id)))


def _hours(h: HoursEntry) -> dict[str, Any]:
    return {
        "id": h.id,
        "hours": h.hours,
        "kind": h.kind,
        "unit": h.unit,
        "date": _day(h.logged_on),
        "note": h.note,
        "source": h.source,
        "verified": h.status == "confirmed",
        "status": h.status,
        "recorded_by": h.recorded_by,
    }


def _deliveries(session: Session, user: str) -> list[dict[str, Any]]:
    """Reminders sent (or due) to the person by DM, with the message they were sent."""
    query = (
        select(ReminderDelivery, Reminder.text)
        .join(Reminder, Reminder.id == ReminderDelivery.reminder_id)
        .where(ReminderDelivery.recipient == user)
        .order_by(ReminderDelivery.id)
    )
    return [
        {
            "reminder": d.reminder_id,
            "occurrence": _stamp(d.occurrence),
            "purpose": d.purpose,
            "status": d.status,
            "sent_at": _stamp(d.sent_at) if d.sent_at else None,
            "channel": d.channel,
            "text": text,
        }
        for d, text in session.execute(query)
    ]


def _stamp(value: datetime) -> str:
    return as_utc(value).isoformat()


def _day(value: date) -> str:
    return value.isoformat()
