"""Dialogue context in the database, so every bot process continues the same conversation."""

from __future__ import annotations

from bot.nlu.context import DialogueContext, pick, store
from bot.storage import dialect
from bot.storage.database import Database
from bot.storage.models import DialogueContextRow, utcnow


class SqlContextStore:
    """The ``ContextStore`` protocol (``get``/``put``) over the ``dialogue_contexts`` table."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, user: str, conversation: str = "") -> DialogueContext:
        """The conversation's context; a fresh one when there is none or it no longer reads.

        A context written by an older version that this one cannot read is
        dropped rather than failing the turn: losing "what we were talking
        about" costs one clarifying question, failing costs the answer.
        """
        try:
            return pick(self._read(user), conversation)
        except (TypeError, ValueError, AttributeError):
            return DialogueContext()

    def _read(self, user: str) -> dict | None:
        with self.db.transaction() as session:
            row = session.get(DialogueContextRow, user)
            return dict(row.data) if row is not None else None

    def put(self, user: str, context: DialogueContext, conversation: str = "") -> None:
        """Insert or replace the user's row; the last writer of a user's row wins, nobody fails.

        One row per user keeps erasure and export simple; the row holds a small map of
        conversations (threads, DMs), so a clarification pending in one thread never
        captures the same user's next message elsewhere."""
        try:
            current = self._read(user)
        except (TypeError, ValueError):
            current = None
        data, now = store(current, conversation, context), utcnow()
        with self.db.transaction() as session:
            statement = dialect.insert(session, DialogueContextRow).values(user_id=user, data=data, updated_at=now)
            session.execute(
                statement.on_conflict_do_update(index_elements=["user_id"], set_={"data": data, "updated_at": now})
            )
