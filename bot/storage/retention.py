"""Retention: conversation context, unanswered questions and ratings are kept for ILM_RETENTION_DAYS, then deleted.

What a person said to the bot is needed for a while (follow-up questions,
admins reviewing what the bot couldn't answer or answered badly) but not for
ever. The audit log is kept: it holds facts about changes, never what anyone
typed. The scheduler runs ``purge`` about hourly in every ``serve`` process;
it is one idempotent DELETE per table, so replicas running it together is safe.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete

from bot.storage import audit
from bot.storage.database import Database
from bot.storage.models import DialogueContextRow, Fallback, Feedback, PendingImport

ACTOR = "scheduler"
#: A CSV uploaded in Slack waits this long for HR's Confirm; then it is deleted (it holds learners' data).
PENDING_IMPORT_MAX_AGE = timedelta(days=1)


@dataclass(frozen=True)
class Purged:
    contexts: int = 0
    unanswered_questions: int = 0
    ratings: int = 0
    pending_imports: int = 0

    @property
    def anything(self) -> bool:
        return any(asdict(self).values())


def purge(db: Database, now: datetime, days: int) -> Purged:
    """Delete what is older than ``days`` before ``now``; audited (counts only) when anything went."""
    cutoff = now - timedelta(days=days)
    with db.transaction() as session:
        purged = Purged(
            contexts=_count(session.execute(delete(DialogueContextRow).where(DialogueContextRow.updated_at < cutoff))),
            unanswered_questions=_count(session.execute(delete(Fallback).where(Fallback.at < cutoff))),
            ratings=_count(session.execute(delete(Feedback).where(Feedback.at < cutoff))),
            pending_imports=_count(
                session.execute(delete(PendingImport).where(PendingImport.created_at < now - PENDING_IMPORT_MAX_AGE))
            ),
        )
        if purged.anything:
            audit.record(session, ACTOR, "retention_purge", None, {"days": days, **asdict(purged)})
    if purged.anything:
        db.checkpoint()  # as after an erasure: what was deleted must not linger in SQLite's log
    return purged


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
