"""Initial schema: learner records, audit log, dialogue contexts, fallbacks, processed Slack events.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _stamp(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "enrolments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("qualification", sa.String(length=64), nullable=False),
        sa.Column("enrolled_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.String(length=128), nullable=False),
        _stamp("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrolments")),
        sa.UniqueConstraint("user_id", "qualification", name=op.f("uq_enrolments_user_id_qualification")),
    )
    op.create_table(
        "unit_achievements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("achieved_on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("recorded_by", sa.String(length=128), nullable=False),
        _stamp("created_at"),
        sa.CheckConstraint("source IN ('self', 'hr')", name=op.f("ck_unit_achievements_source")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_achievements")),
        sa.UniqueConstraint("user_id", "unit", name=op.f("uq_unit_achievements_user_id_unit")),
    )
    op.create_table(
        "hours_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("hours", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=True),
        sa.Column("logged_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("recorded_by", sa.String(length=128), nullable=False),
        _stamp("created_at"),
        sa.CheckConstraint("hours > 0", name=op.f("ck_hours_entries_hours_positive")),
        sa.CheckConstraint(
            "kind IN ('induction', 'tutorial', 'coaching', 'mentoring')", name=op.f("ck_hours_entries_kind")
        ),
        sa.CheckConstraint("source IN ('self', 'hr')", name=op.f("ck_hours_entries_source")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hours_entries")),
    )
    op.create_index(op.f("ix_hours_entries_user_id"), "hours_entries", ["user_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        _stamp("at"),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_subject"), "audit_log", ["subject"])
    op.create_table(
        "dialogue_contexts",
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        _stamp("updated_at"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_dialogue_contexts")),
    )
    op.create_table(
        "fallbacks",
        sa.Column("id", sa.Integer(), nullable=False),
        _stamp("at"),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("guess_intent", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fallbacks")),
    )
    op.create_index(op.f("ix_fallbacks_at"), "fallbacks", ["at"])
    op.create_index(op.f("ix_fallbacks_user_id"), "fallbacks", ["user_id"])
    op.create_table(
        "processed_events",
        sa.Column("event_id", sa.String(length=128), nullable=False),
        _stamp("received_at"),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_processed_events")),
    )


def downgrade() -> None:
    for table in (
        "processed_events",
        "fallbacks",
        "dialogue_contexts",
        "audit_log",
        "hours_entries",
        "unit_achievements",
        "enrolments",
    ):
        op.drop_table(table)
