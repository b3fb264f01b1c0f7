"""Slack event ids already processed, so a retried delivery is answered once across every bot process."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete

from bot.storage import dialect
from bot.storage.database import Database
from bot.storage.models import ProcessedEvent, utcnow


def claim_event(db: Database, event_id: str) -> bool:
    """True the first time ``event_id`` is seen, False ever after.

    A single INSERT … ON CONFLICT DO NOTHING decides it: the database lets
    exactly one of several racing processes insert the row, so exactly one
    of them answers the event.
    """
    with db.transaction() as session:
        return dialect.insert_new(
            session, ProcessedEvent, {"event_id": event_id, "received_at": utcnow()}, ["event_id"]
        )


def release_event(db: Database, event_id: str) -> None:
    """Forget a claim whose answer failed, so Slack's retry of the event is answered instead of dropped."""
    with db.transaction() as session:
        session.execute(delete(ProcessedEvent).where(ProcessedEvent.event_id == event_id))


def prune_events(db: Database, older_than: timedelta = timedelta(days=2), now: datetime | None = None) -> int:
    """Forget ids older than Slack's retry window; returns how many were removed."""
    cutoff = (now or utcnow()) - older_than
    with db.transaction() as session:
        return int(session.execute(delete(ProcessedEvent).where(ProcessedEvent.received_at < cutoff)).rowcount or 0)
