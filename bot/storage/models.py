"""The database schema as SQLAlchemy 2 typed models.

The migrations in ``migrations/versions`` create exactly this schema; a test
compares the two, so a model changed without a migration fails the suite.
Rows are plain storage: the repositories in ``bot.learners`` and
``bot.storage`` turn them into immutable dataclasses before they leave a
transaction.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.rules.record import HOURS_KINDS

#: Constraint names are spelled out so migrations can refer to them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: Who recorded a unit or hours: the learner themself (in Slack) or HR (CLI, import).
SOURCES = ("self", "hr")
#: Supervisor sign-off of a unit or hours entry (ILM_VERIFICATION): only confirmed ones count.
VERIFICATION_STATUSES = ("confirmed", "pending", "rejected")

USER = 64  # Slack user ids are ~11 characters; room for other surfaces' ids
ACTOR = 128
UNIT = 16
QUALIFICATION = 64
KIND = 16
IMPORT_KEY = 160  # "id:" + HR's entry_id (at most 128), or "row:" + a digest and a count


def utcnow() -> datetime:
    return datetime.now(UTC)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        datetime: DateTime(timezone=True),
        date: Date(),
        dict[str, Any]: JSON(),
    }


class Enrolment(Base):
    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("user_id", "qualification"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(String(USER))
    qualification: Mapped[str] = mapped_column(String(QUALIFICATION))
    enrolled_on: Mapped[date]
    recorded_by: Mapped[str] = mapped_column(String(ACTOR))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class UnitAchievement(Base):
    __tablename__ = "unit_achievements"
    __table_args__ = (
        UniqueConstraint("user_id", "unit"),
        CheckConstraint(_in("source", SOURCES), name="source"),
        CheckConstraint(_in("status", VERIFICATION_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(String(USER))
    unit: Mapped[str] = mapped_column(String(UNIT))  # canonical code, e.g. "8577-304"
    achieved_on: Mapped[date]
    source: Mapped[str] = mapped_column(String(8))
    recorded_by: Mapped[str] = mapped_column(String(ACTOR))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="confirmed", server_default="confirmed")
    decided_by: Mapped[str | None] = mapped_column(String(ACTOR))
    decided_at: Mapped[datetime | None]


class HoursEntry(Base):
    """One log of hours. Always an insert, never an update, so simultaneous logs are all kept.

    ``import_key`` names the CSV row an entry came from (HR's ``entry_id``,
    or a digest of the row), so importing the same file again adds nothing.
    """

    __tablename__ = "hours_entries"
    __table_args__ = (
        CheckConstraint("hours > 0", name="hours_positive"),
        CheckConstraint(_in("kind", HOURS_KINDS), name="kind"),
        CheckConstraint(_in("source", SOURCES), name="source"),
        CheckConstraint(_in("status", VERIFICATION_STATUSES), name="status"),
        Index(None, "user_id"),
        UniqueConstraint("user_id", "import_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(String(USER))
    kind: Mapped[str] = mapped_column(String(KIND))
    hours: Mapped[float] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(UNIT))
    logged_on: Mapped[date]
    note: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(8))
    recorded_by: Mapped[str] = mapped_column(String(ACTOR))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    import_key: Mapped[str | None] = mapped_column(String(IMPORT_KEY))
    status: Mapped[str] = mapped_column(String(16), default="confirmed", server_default="confirmed")
    decided_by: Mapped[str | None] = mapped_column(String(ACTOR))
    decided_at: Mapped[datetime | None]


class PendingImport(Base):
    """A CSV HR uploaded in Slack, between its preview and the Confirm button (at most a day).

    Kept whole, so the import that is confirmed is exactly the file that was previewed.
    """

    __tablename__ = "pending_imports"

    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_by: Mapped[str] = mapped_column(String(USER))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    filename: Mapped[str] = mapped_column(String(255))
    content: Mapped[str] = mapped_column(Text)


class Supervisor(Base):
    """Who confirms a learner's units and hours when ILM_VERIFICATION is on."""

    __tablename__ = "supervisors"

    user_id: Mapped[str] = mapped_column(String(USER), primary_key=True)
    supervisor: Mapped[str] = mapped_column(String(USER))
    set_by: Mapped[str] = mapped_column(String(ACTOR))
    set_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEntry(Base):
    """Who changed whose record, and when. ``detail`` holds facts, never free text a person typed."""

    __tablename__ = "audit_log"
    __table_args__ = (Index(None, "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(ACTOR))
    action: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str | None] = mapped_column(String(USER))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class DialogueContextRow(Base):
    __tablename__ = "dialogue_contexts"

    user_id: Mapped[str] = mapped_column(String(USER), primary_key=True)
    data: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Fallback(Base):
    """A question the bot could not answer, kept for admins to review."""

    __tablename__ = "fallbacks"
    __table_args__ = (Index(None, "at"), Index(None, "user_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[str] = mapped_column(String(USER))
    text: Mapped[str] = mapped_column(Text)
    guess_intent: Mapped[str | None] = mapped_column(String(64))


class Feedback(Base):
    """A 👍 or 👎 on an answer, kept for admins to review which answers help and which don't."""

    __tablename__ = "feedback"
    __table_args__ = (Index(None, "at"), Index(None, "user_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[str] = mapped_column(String(USER))
    helpful: Mapped[bool]
    intent: Mapped[str | None] = mapped_column(String(64))
    question: Mapped[str] = mapped_column(Text)


class ProcessedEvent(Base):
    """A Slack event id already handled: Slack retries deliveries, and each must be answered once."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class KnowledgeVersion(Base):
    """A whole knowledge version (every YAML file), so any replica can load it and a rollback needs no files."""

    __tablename__ = "knowledge_versions"

    version: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    files: Mapped[dict[str, Any]]
    counts: Mapped[str] = mapped_column(Text)


class KnowledgeLoad(Base):
    """Each time a version became the one to serve: the newest row is current for every replica."""

    __tablename__ = "knowledge_loads"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[str] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(ACTOR))
    action: Mapped[str] = mapped_column(String(16))


class Replica(Base):
    """A bot process's heartbeat: which version it serves, and why it could not switch if it could not."""

    __tablename__ = "replicas"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[str] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(Text)


#: A reminder goes to one channel, or by DM to every learner enrolled on a qualification.
REMINDER_TARGETS = ("channel", "learners")
#: scheduled (waiting for due_at) -> sending (deliveries being posted) -> sent; or cancelled, or missed.
#: A weekly reminder goes back to scheduled with its next due_at after each occurrence.
REMINDER_STATUSES = ("scheduled", "sending", "sent", "cancelled", "missed")
#: What a delivery posts: the reminder itself, or a notice to its creator that it was missed or partly failed.
DELIVERY_PURPOSES = ("reminder", "missed", "failed")
#: pending -> sending (claimed; the post may be in flight) -> sent or failed; pending -> cancelled.
DELIVERY_STATUSES = ("pending", "sending", "sent", "failed", "cancelled")
ZONE = 64  # IANA time-zone names are at most ~30 characters
CHANNEL = 64


class Reminder(Base):
    """An HR reminder. ``due_at`` is its next (or current) occurrence, in UTC.

    ``text`` is HR's message as written (Slack markup included) and never
    goes into the audit log; ``repeat`` is a weekly rule (see
    ``bot.reminders.when.Repeat``) or null for a one-off.
    """

    __tablename__ = "reminders"
    __table_args__ = (
        CheckConstraint(_in("target_kind", REMINDER_TARGETS), name="target_kind"),
        CheckConstraint(_in("status", REMINDER_STATUSES), name="status"),
        Index(None, "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by: Mapped[str] = mapped_column(String(USER))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    target_kind: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(String(CHANNEL))  # a channel id, or a qualification id
    #: Learners narrowed when it falls due: "not-achieved" or "stalled-<days>" (see bot.reminders.target).
    audience: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    zone: Mapped[str] = mapped_column(String(ZONE))  # the creator's time zone, for what they are shown
    due_at: Mapped[datetime]
    repeat: Mapped[dict[str, Any] | None]
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReminderDelivery(Base):
    """One post of one occurrence of a reminder to one recipient: the unit of "exactly once".

    The unique key makes a second row for the same post impossible. While a
    row is ``sending``, ``claimed_by``/``claimed_at`` say which scheduler
    owns it and since when; ``ts`` is the message Slack created.
    """

    __tablename__ = "reminder_deliveries"
    __table_args__ = (
        UniqueConstraint("reminder_id", "occurrence", "purpose", "recipient"),
        CheckConstraint(_in("purpose", DELIVERY_PURPOSES), name="purpose"),
        CheckConstraint(_in("status", DELIVERY_STATUSES), name="status"),
        Index(None, "status", "claimed_at"),
        Index(None, "recipient"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reminder_id: Mapped[int] = mapped_column(ForeignKey("reminders.id"))
    occurrence: Mapped[datetime]
    purpose: Mapped[str] = mapped_column(String(16), default="reminder")
    recipient: Mapped[str] = mapped_column(String(CHANNEL))  # a channel id, or a user id (a DM)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    channel: Mapped[str | None] = mapped_column(String(CHANNEL))
    ts: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[datetime | None]


#: open (passed to the experts, waiting) -> answered (the answer went back to the learner).
EXPERT_STATUSES = ("open", "answered")
TS = 32  # Slack message timestamps ("1700000000.123456")


class ExpertQuestion(Base):
    """A question a learner passed to the experts with "Ask HR", and (once given) the expert's answer.

    ``channel``/``thread_ts`` say where the learner asked, so the answer goes back there;
    ``expert_channel``/``expert_ts`` are the post in the experts' channel (its thread takes answers).
    Answered pairs are knowledge candidates for admins (``/ilm-admin unanswered``).
    """

    __tablename__ = "expert_questions"
    __table_args__ = (
        CheckConstraint(_in("status", EXPERT_STATUSES), name="status"),
        Index(None, "user_id", "asked_at"),
        Index(None, "expert_channel", "expert_ts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    asked_at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[str] = mapped_column(String(USER))
    channel: Mapped[str] = mapped_column(String(CHANNEL))
    thread_ts: Mapped[str | None] = mapped_column(String(TS))
    question: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")
    expert_channel: Mapped[str | None] = mapped_column(String(CHANNEL))
    expert_ts: Mapped[str | None] = mapped_column(String(TS))
    expert: Mapped[str | None] = mapped_column(String(USER))
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None]


class AssistantThread(Base):
    """An assistant-pane thread: the channel the user was viewing (its context) and whether it has a title."""

    __tablename__ = "assistant_threads"
    __table_args__ = (Index(None, "user_id"),)

    channel_id: Mapped[str] = mapped_column(String(CHANNEL), primary_key=True)
    thread_ts: Mapped[str] = mapped_column(String(TS), primary_key=True)
    user_id: Mapped[str | None] = mapped_column(String(USER))
    context: Mapped[dict[str, Any]] = mapped_column(default=dict)
    titled: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
