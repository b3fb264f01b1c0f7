"""Dialogue context in the database, so every bot process continues the same conversation."""

from __future__ import annotations

from bot.nlu.context import DialogueContext
from bot.storage import dialect
from bot.storage.database import Database
from bot.storage.models import DialogueContextRow, utcnow


class SqlContextStore:
    """The ``ContextStore`` protocol (``get``/``put``) over the ``dialogue_contexts`` table."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, user: str) -> DialogueContext:
        """The user's context; a fresh one when there is none or it no longer reads.

        A context written by an older version that this one cannot read is
        dropped rather than failing the turn: losing "what we were talking
        about" costs one clarifying question, failing costs the answer.
        """
        with self.db.transaction() as session:
            row = session.get(DialogueContextRow, user)
            data = dict(row.data) if row is not None else None
        try:
            return DialogueContext.from_json(data)
        except (TypeError, ValueError):
            return DialogueContext()

    def put(self, user: str, context: DialogueContext) -> None:
        """Insert or replace in one statement: the last writer wins, nobody fails."""
        data, now = context.to_json(), utcnow()
        with self.db.transaction() as session:
            statement = dialect.insert(session, DialogueContextRow).values(user_id=user, data=data, updated_at=now)
            session.execute(
                statement.on_conflict_do_update(index_elements=["user_id"], set_={"data": data, "updated_at": now})
            )
