"""Questions passed to the experts ("Ask HR"), their answers, and the daily limit per learner.

Every step is audited (asked, answered, delivered) with ids only: the
question and answer text live in their own row, which erasure removes
(``LearnerStore.forget``), never in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time

from sqlalchemy import func, select

from bot.errors import InputError
from bot.storage import audit
from bot.storage.audit import as_utc
from bot.storage.database import Database
from bot.storage.fallbacks import MAX_TEXT
from bot.storage.models import ExpertQuestion, utcnow


@dataclass(frozen=True)
class ExpertQuestionInfo:
    id: int
    asked_at: datetime
    user: str
    channel: str
    thread_ts: str | None
    question: str
    status: str
    expert_channel: str | None
    expert_ts: str | None
    expert: str | None
    answer: str | None
    answered_at: datetime | None


def _info(row: ExpertQuestion) -> ExpertQuestionInfo:
    return ExpertQuestionInfo(
        row.id,
        as_utc(row.asked_at),
        row.user_id,
        row.channel,
        row.thread_ts,
        row.question,
        row.status,
        row.expert_channel,
        row.expert_ts,
        row.expert,
        row.answer,
        as_utc(row.answered_at) if row.answered_at else None,
    )


class ExpertStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def ask(
        self, user: str, channel: str, thread_ts: str | None, question: str, *, limit: int, now: datetime | None = None
    ) -> ExpertQuestionInfo:
        """Keep a question for the experts; ``InputError`` when ``user`` has asked ``limit`` today (UTC) already."""
        now = now or utcnow()
        midnight = datetime.combine(now.astimezone(UTC).date(), time(), UTC)
        with self.db.transaction() as session:
            asked = session.scalar(
                select(func.count())
                .select_from(ExpertQuestion)
                .where(ExpertQuestion.user_id == user, ExpertQuestion.asked_at >= midnight)
            )
            if int(asked or 0) < limit:
                row = ExpertQuestion(
                    asked_at=now, user_id=user, channel=channel, thread_ts=thread_ts, question=question[:MAX_TEXT]
                )
                session.add(row)
                session.flush()
                audit.record(session, f"slack:{user}", "expert_ask", user, {"question": row.id})
                return _info(row)
        audit.log(self.db, f"slack:{user}", "expert_limit", user, {"limit": limit})  # the refusal is kept
        raise InputError(
            f"you have already passed on {limit} question{'' if limit == 1 else 's'} to HR today; "
            "please wait until tomorrow, or contact HR directly"
        )

    def posted(self, question_id: int, channel: str, ts: str) -> None:
        """Where the question was posted for the experts (its thread takes answers)."""
        with self.db.transaction() as session:
            row = session.get(ExpertQuestion, question_id)
            if row is not None:
                row.expert_channel, row.expert_ts = channel, ts
                audit.record(session, "bot", "expert_posted", row.user_id, {"question": row.id})

    def get(self, question_id: int) -> ExpertQuestionInfo | None:
        with self.db.transaction() as session:
            row = session.get(ExpertQuestion, question_id)
            return _info(row) if row is not None else None

    def by_post(self, channel: str, ts: str) -> ExpertQuestionInfo | None:
        """The question posted as message ``ts`` in the experts' ``channel``, if any."""
        with self.db.transaction() as session:
            row = session.scalar(
                select(ExpertQuestion).where(ExpertQuestion.expert_channel == channel, ExpertQuestion.expert_ts == ts)
            )
            return _info(row) if row is not None else None

    def answer(self, question_id: int, expert: str, text: str) -> ExpertQuestionInfo:
        """Record the expert's answer, once; ``InputError`` if the question is gone or already answered."""
        with self.db.transaction() as session:
            row = session.scalar(select(ExpertQuestion).where(ExpertQuestion.id == question_id).with_for_update())
            if row is None:
                raise InputError("that question is no longer stored (the learner may have asked to be forgotten)")
            if row.status == "answered":
                raise InputError("this question was already answered; the learner has that answer")
            row.status, row.expert, row.answer, row.answered_at = "answered", expert, text[:MAX_TEXT], utcnow()
            audit.record(session, f"slack:{expert}", "expert_answer", row.user_id, {"question": row.id})
            return _info(row)

    def delivered(self, info: ExpertQuestionInfo) -> None:
        audit.log(self.db, "bot", "expert_delivered", info.user, {"question": info.id})

    def candidates(self, limit: int = 15) -> list[ExpertQuestionInfo]:
        """Answered questions, newest first: pairs an admin may add to the knowledge."""
        with self.db.transaction() as session:
            rows = session.scalars(
                select(ExpertQuestion)
                .where(ExpertQuestion.status == "answered")
                .order_by(ExpertQuestion.id.desc())
                .limit(limit)
            )
            return [_info(r) for r in rows]
