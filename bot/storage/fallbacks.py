"""Questions the bot could not answer, kept so admins can review them and improve the intents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from bot.storage.audit import as_utc
from bot.storage.database import Database
from bot.storage.models import Fallback

#: Longest question kept: enough to see what was asked, without storing pasted documents.
MAX_TEXT = 2000


@dataclass(frozen=True)
class FallbackRecord:
    id: int
    at: datetime
    user: str
    text: str
    guess: str | None


class FallbackLog:
    """``record`` matches the assistant's ``on_fallback`` sink: ``(user, question, best guess)``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def record(self, user: str, text: str, guess: str | None = None) -> None:
        with self.db.transaction() as session:
            session.add(Fallback(user_id=user, text=text[:MAX_TEXT], guess_intent=guess))

    __call__ = record

    def recent(self, limit: int = 50) -> list[FallbackRecord]:
        """The newest first."""
        with self.db.transaction() as session:
            rows = session.scalars(select(Fallback).order_by(Fallback.id.desc()).limit(limit))
            return [FallbackRecord(r.id, as_utc(r.at), r.user_id, r.text, r.guess_intent) for r in rows]
