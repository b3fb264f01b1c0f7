"""Schema migrations with Alembic, run from code whenever the database is opened.

The scripts live inside the package (``bot/storage/migrations``) so an
installed bot can migrate its database without the source tree or an
``alembic.ini``. To write a new revision after changing ``models.py``::

    DATABASE_URL=sqlite:////tmp/scratch.db .venv/bin/python -m bot.storage.migrations revision "add reminders"

then review the generated file: autogenerate is a draft, not a verdict.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

#: PostgreSQL advisory lock held while migrating, so processes starting together migrate one at a time.
_PG_MIGRATION_LOCK = 0x11B0_7001


def alembic_config(connection: Connection | None = None) -> Config:
    """A Config that needs no ini file; ``env.py`` uses ``connection`` when one is given."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine) -> None:
    """Apply every pending migration in one transaction; a no-op when the schema is current.

    Serialised across processes: on PostgreSQL by an advisory lock, on
    SQLite by the write lock ``BEGIN IMMEDIATE`` takes.
    """
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        command.upgrade(alembic_config(connection), "head")


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
