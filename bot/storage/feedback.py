"""👍/👎 on answers, kept so admins can see which answers help."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from bot.storage.audit import as_utc
from bot.storage.database import Database
from bot.storage.fallbacks import MAX_TEXT
from bot.storage.models import Feedback


@dataclass(frozen=True)
class FeedbackRecord:
    id: int
    at: datetime
    user: str
    helpful: bool
    intent: str | None
    question: str


class FeedbackLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    def record(self, user: str, helpful: bool, intent: str | None, question: str) -> None:
        with self.db.transaction() as session:
            session.add(Feedback(user_id=user, helpful=helpful, intent=intent, question=question[:MAX_TEXT]))

    def recent(self, limit: int = 50) -> list[FeedbackRecord]:
        """The newest first."""
        with self.db.transaction() as session:
            rows = session.scalars(select(Feedback).order_by(Feedback.id.desc()).limit(limit))
            return [FeedbackRecord(r.id, as_utc(r.at), r.user_id, r.helpful, r.intent, r.question) for r in rows]
