"""Questions passed to experts ("Ask HR") and assistant-pane threads.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "expert_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("thread_ts", sa.String(length=32), nullable=True),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("expert_channel", sa.String(length=64), nullable=True),
        sa.Column("expert_ts", sa.String(length=32), nullable=True),
        sa.Column("expert", sa.String(length=64), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('open', 'answered')", name=op.f("ck_expert_questions_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_questions")),
    )
    op.create_index(op.f("ix_expert_questions_user_id_asked_at"), "expert_questions", ["user_id", "asked_at"])
    op.create_index(
        op.f("ix_expert_questions_expert_channel_expert_ts"), "expert_questions", ["expert_channel", "expert_ts"]
    )
    op.create_table(
        "assistant_threads",
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("thread_ts", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=True),
        sa.Column("context", sa.JSON(), nullable=False),
        sa.Column("titled", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("channel_id", "thread_ts", name=op.f("pk_assistant_threads")),
    )
    op.create_index(op.f("ix_assistant_threads_user_id"), "assistant_threads", ["user_id"])


def downgrade() -> None:
    op.drop_table("assistant_threads")
    op.drop_table("expert_questions")
