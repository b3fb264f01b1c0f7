"""The shared services a surface needs, with the database opened only when first used.

A question about credits never touches the database, so `ilm-bot ask` starts
fast and works on a machine whose database is unreachable; a question about
the asker's own record, or a fallback to log, opens it on first need.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.core.assistant import Assistant, RecordsUnavailableError
from bot.core.brain import Brain
from bot.learners.learner import LearnerRecord
from bot.nlu.context import ContextStore, DialogueContext

if TYPE_CHECKING:
    from bot.storage import Database

log = logging.getLogger("ilm_bot.services")


class Services:
    def __init__(self, brain: Brain | Callable[[], Brain], database_url: str | None = None) -> None:
        self._brain = brain
        self._url = database_url
        self._db: Database | None = None
        self._lock = threading.Lock()
        self._warned = False

    def database(self) -> Database:
        """Open (and migrate) on first use; SQLAlchemy is imported only then."""
        from bot.storage import open_database

        with self._lock:
            if self._db is None:
                self._db = open_database(self._url)
            return self._db

    def record_of(self, user: str) -> LearnerRecord | None:
        """The asker's own record; ``RecordsUnavailableError`` when the database can't be read."""
        from bot.learners.records import LearnerStore
        from bot.storage import DatabaseError

        try:
            record = LearnerStore(self.database()).learner(user)
        except DatabaseError as exc:
            raise RecordsUnavailableError(str(exc)) from None
        return None if record.empty else record

    def log_fallback(self, user: str, text: str, guess: str | None) -> None:
        """Keep the question for admins; a database problem is reported once and never breaks the answer."""
        from bot.storage import DatabaseError, FallbackLog

        try:
            FallbackLog(self.database()).record(user, text, guess)
        except DatabaseError as exc:
            if not self._warned:
                self._warned = True
                print(f"ilm-bot: not logging unanswered questions: {exc}", file=sys.stderr)

    def assistant(self, contexts: ContextStore | None = None) -> Assistant:
        return Assistant(self._brain, contexts=contexts, on_fallback=self.log_fallback, records=self.record_of)

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.dispose()
                self._db: Database | None = None


class TolerantContexts:
    """A context store whose database failures cost the conversation's context, never the answer.

    An event already acknowledged must be answered: Slack will not send it
    again. If the database drops while it is being answered, the question is
    answered as a fresh conversation (at worst one clarifying question) and
    the context is not saved, instead of failing with "Sorry".
    """

    def __init__(self, inner: ContextStore) -> None:
        self.inner = inner

    def get(self, user: str, conversation: str = "") -> DialogueContext:
        from bot.storage import DatabaseError

        try:
            return self.inner.get(user, conversation)
        except DatabaseError as exc:
            log.warning("conversation context not read, answering without it: %s", exc)
            return DialogueContext()

    def put(self, user: str, context: DialogueContext, conversation: str = "") -> None:
        from bot.storage import DatabaseError

        try:
            self.inner.put(user, context, conversation)
        except DatabaseError as exc:
            log.warning("conversation context not saved: %s", exc)
