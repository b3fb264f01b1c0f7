"""Everything the Slack listeners use, built once at start and shared by every request thread.

The database is opened eagerly here (unlike the terminal), because `/readyz`
must report it and every DM needs the shared conversation context.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.admin.service import KnowledgeAdmin
from bot.admin.versions import VersionStore
from bot.core.brain import Brain
from bot.learners.pending_imports import PendingImports
from bot.learners.records import LearnerStore
from bot.learners.settings import RecordSettings
from bot.reminders.store import ReminderStore
from bot.runtime.brain_holder import BrainHolder
from bot.runtime.metrics import MeteredAssistant
from bot.runtime.services import Services, TolerantContexts
from bot.slack.config import SlackSettings
from bot.storage import Database, SqlContextStore, claim_event, release_event
from bot.storage.database import reachable
from bot.storage.experts import ExpertStore
from bot.storage.feedback import FeedbackLog
from bot.storage.threads import ThreadStore

#: A cancel waits this long for the batch of posts in hand, so its reply counts them (issue 13, item 14).
CANCEL_SETTLE_SECONDS = 30.0


@dataclass(frozen=True)
class SlackServices:
    settings: SlackSettings
    brain: Callable[[], Brain]
    db: Database
    assistant: MeteredAssistant
    learners: LearnerStore
    feedback: FeedbackLog
    admin: KnowledgeAdmin
    reminders: ReminderStore
    experts: ExpertStore
    threads: ThreadStore
    imports: PendingImports

    @classmethod
    def create(
        cls,
        settings: SlackSettings,
        holder: BrainHolder,
        database_url: str | None = None,
        records: RecordSettings | None = None,
    ) -> SlackServices:
        services = Services(holder, database_url)
        db = services.database()
        learners = LearnerStore(db, records)
        return cls(
            settings=settings,
            brain=holder,
            db=db,
            assistant=MeteredAssistant(services.assistant(contexts=TolerantContexts(SqlContextStore(db)))),
            learners=learners,
            feedback=FeedbackLog(db),
            admin=KnowledgeAdmin(VersionStore(db), holder),
            reminders=ReminderStore(db, settle_seconds=CANCEL_SETTLE_SECONDS),
            experts=ExpertStore(db),
            threads=ThreadStore(db),
            imports=PendingImports(learners, lambda: holder().knowledge),
        )

    def first_delivery(self, event_id: str) -> bool:
        """True once per Slack event id, across restarts and replicas (the id is kept in the database)."""
        return claim_event(self.db, event_id)

    def failed_delivery(self, event_id: str) -> None:
        """The answer to this event failed: let Slack's retry be answered."""
        release_event(self.db, event_id)

    @property
    def experts_enabled(self) -> bool:
        """Ask HR is offered only where there is a channel to ask in (ILM_EXPERTS_CHANNEL)."""
        return bool(self.settings.experts_channel)

    def ready(self) -> bool:
        """Knowledge loaded and the database answering."""
        return self.brain() is not None and reachable(self.db)
