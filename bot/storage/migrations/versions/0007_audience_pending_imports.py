"""Reminders narrowed to who needs them (not achieved, stalled); CSV imports waiting for HR's Confirm in Slack.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reminders") as batch:
        batch.add_column(sa.Column("audience", sa.String(length=32), nullable=True))
    op.create_table(
        "pending_imports",
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_pending_imports")),
    )


def downgrade() -> None:
    op.drop_table("pending_imports")
    with op.batch_alter_table("reminders") as batch:
        batch.drop_column("audience")
