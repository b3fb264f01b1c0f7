"""The audit log: who changed whose record, when, and what kind of change it was.

Entries are written in the same transaction as the change they describe, so
there is never a change without its entry or an entry without its change.
``detail`` holds structured facts (a unit code, a number of hours), never
free text someone typed, and it is cleared when the subject's data is erased.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.storage.database import Database
from bot.storage.models import AuditEntry


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: datetime
    actor: str
    action: str
    subject: str | None
    detail: dict[str, Any]


def record(
    session: Session, actor: str, action: str, subject: str | None, detail: dict[str, Any] | None = None
) -> None:
    session.add(AuditEntry(actor=actor, action=action, subject=subject, detail=dict(detail or {})))


def log(
    db: Database, actor: str, action: str, subject: str | None = None, detail: dict[str, Any] | None = None
) -> None:
    """One entry in a transaction of its own: for actions that change nothing else (reads, refusals)."""
    with db.transaction() as session:
        record(session, actor, action, subject, detail)


def entries(session: Session, subject: str | None = None, limit: int = 100) -> list[AuditRecord]:
    """The newest entries first, optionally only those about ``subject``."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if subject is not None:
        query = query.where(AuditEntry.subject == subject)
    return [
        AuditRecord(e.id, as_utc(e.at), e.actor, e.action, e.subject, dict(e.detail or {}))
        for e in session.scalars(query)
    ]


def scrub(session: Session, subject: str) -> int:
    """Clear the detail of every entry about ``subject``; who did what and when stays. Returns how many."""
    result = session.execute(update(AuditEntry).where(AuditEntry.subject == subject).values(detail={}))
    return int(result.rowcount or 0)


def scrub_refusals(session: Session, actor: str) -> int:
    """Clear the detail of ``actor``'s refused requests (``*_refused``): it may hold words they typed."""
    query = update(AuditEntry).where(AuditEntry.actor == actor, AuditEntry.action.endswith("_refused"))
    return int(session.execute(query.values(detail={})).rowcount or 0)


def as_utc(value: datetime) -> datetime:
    """SQLite returns timestamps without their zone; every timestamp is written in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)
