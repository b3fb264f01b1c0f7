"""HR reminders and their deliveries (one row per post, the unit of "exactly once").

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _stamp(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        _stamp("created_at"),
        sa.Column("target_kind", sa.String(length=16), nullable=False),
        sa.Column("target", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        _stamp("due_at"),
        sa.Column("repeat", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        _stamp("updated_at"),
        sa.CheckConstraint(
            "status IN ('scheduled', 'sending', 'sent', 'cancelled', 'missed')", name=op.f("ck_reminders_status")
        ),
        sa.CheckConstraint("target_kind IN ('channel', 'learners')", name=op.f("ck_reminders_target_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminders")),
    )
    op.create_index(op.f("ix_reminders_status_due_at"), "reminders", ["status", "due_at"])
    op.create_table(
        "reminder_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reminder_id", sa.Integer(), nullable=False),
        _stamp("occurrence"),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("recipient", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        _stamp("claimed_at", nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=True),
        sa.Column("ts", sa.String(length=32), nullable=True),
        sa.Column("error", sa.String(length=64), nullable=True),
        _stamp("sent_at", nullable=True),
        sa.CheckConstraint("purpose IN ('reminder', 'missed', 'failed')", name=op.f("ck_reminder_deliveries_purpose")),
        sa.CheckConstraint(
            "status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')",
            name=op.f("ck_reminder_deliveries_status"),
        ),
        sa.ForeignKeyConstraint(
            ["reminder_id"], ["reminders.id"], name=op.f("fk_reminder_deliveries_reminder_id_reminders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_deliveries")),
        sa.UniqueConstraint(
            "reminder_id",
            "occurrence",
            "purpose",
            "recipient",
            name=op.f("uq_reminder_deliveries_reminder_id_occurrence_purpose_recipient"),
        ),
    )
    op.create_index(op.f("ix_reminder_deliveries_recipient"), "reminder_deliveries", ["recipient"])
    op.create_index(op.f("ix_reminder_deliveries_status_claimed_at"), "reminder_deliveries", ["status", "claimed_at"])


def downgrade() -> None:
    op.drop_table("reminder_deliveries")
    op.drop_table("reminders")
