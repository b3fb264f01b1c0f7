"""Records people can trust: supervisor sign-off, idempotent imports, supervisors.

Existing units and hours were recorded before sign-off existed and count as
they always did: their status is ``confirmed``.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_STATUS = "status IN ('confirmed', 'pending', 'rejected')"


def _sign_off_columns() -> list[sa.Column]:
    return [
        sa.Column("status", sa.String(length=16), server_default="confirmed", nullable=False),
        sa.Column("decided_by", sa.String(length=128), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
    ]


def upgrade() -> None:
    with op.batch_alter_table("unit_achievements") as batch:
        for column in _sign_off_columns():
            batch.add_column(column)
        batch.create_check_constraint("status", _STATUS)
    with op.batch_alter_table("hours_entries") as batch:
        batch.add_column(sa.Column("import_key", sa.String(length=160), nullable=True))
        for column in _sign_off_columns():
            batch.add_column(column)
        batch.create_check_constraint("status", _STATUS)
        batch.create_unique_constraint(op.f("uq_hours_entries_user_id_import_key"), ["user_id", "import_key"])
    op.create_table(
        "supervisors",
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("supervisor", sa.String(length=64), nullable=False),
        sa.Column("set_by", sa.String(length=128), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_supervisors")),
    )


def downgrade() -> None:
    op.drop_table("supervisors")
    with op.batch_alter_table("hours_entries") as batch:
        batch.drop_constraint(op.f("uq_hours_entries_user_id_import_key"), type_="unique")
        batch.drop_constraint("ck_hours_entries_status", type_="check")
        for name in ("decided_at", "decided_by", "status", "import_key"):
            batch.drop_column(name)
    with op.batch_alter_table("unit_achievements") as batch:
        batch.drop_constraint("ck_unit_achievements_status", type_="check")
        for name in ("decided_at", "decided_by", "status"):
            batch.drop_column(name)
