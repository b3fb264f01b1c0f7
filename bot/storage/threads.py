"""Assistant-pane threads: the channel the user is viewing (the thread's context) and whether it has a title.

Kept in the database so every replica sees the same context for a thread.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.storage.database import Database
from bot.storage.models import AssistantThread, utcnow


class ThreadStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def remember(self, channel: str, thread_ts: str, context: dict[str, Any], user: str | None = None) -> None:
        """Save the thread's context (the channel being viewed, from Slack's event), keeping its title flag."""
        clean = {k: v for k, v in context.items() if isinstance(k, str) and isinstance(v, str | None)}
        with self.db.transaction() as session:
            row = session.get(AssistantThread, (channel, thread_ts))
            if row is None:
                session.add(AssistantThread(channel_id=channel, thread_ts=thread_ts, user_id=user, context=clean))
                return
            row.context, row.updated_at = clean, utcnow()
            row.user_id = row.user_id or user

    def context(self, channel: str, thread_ts: str) -> dict[str, Any] | None:
        with self.db.transaction() as session:
            row = session.get(AssistantThread, (channel, thread_ts))
            return dict(row.context) if row is not None and row.context else None

    def first_title(self, channel: str, thread_ts: str, user: str | None = None) -> bool:
        """True once per thread: the caller sets the title from this (first) question."""
        with self.db.transaction() as session:
            row = session.scalar(
                select(AssistantThread)
                .where(AssistantThread.channel_id == channel, AssistantThread.thread_ts == thread_ts)
                .with_for_update()
            )
            if row is None:
                session.add(
                    AssistantThread(channel_id=channel, thread_ts=thread_ts, user_id=user, context={}, titled=True)
                )
                return True
            if row.titled:
                return False
            row.titled, row.updated_at = True, utcnow()
            return True
