"""The bot's database: learner records, conversation context, fallbacks and Slack event ids.

Everything several bot processes must agree on lives here, so they can share
one database. ``DATABASE_URL`` chooses it (a SQLite file by default,
PostgreSQL in production); the schema is migrated with Alembic whenever the
database is opened with ``open_database``.
"""

from bot.storage.context_store import SqlContextStore
from bot.storage.database import Database, DatabaseError, database_url, make_engine, open_database
from bot.storage.events import claim_event, prune_events, release_event
from bot.storage.fallbacks import FallbackLog, FallbackRecord

__all__ = [
    "Database",
    "DatabaseError",
    "FallbackLog",
    "FallbackRecord",
    "SqlContextStore",
    "claim_event",
    "database_url",
    "make_engine",
    "open_database",
    "prune_events",
    "release_event",
]
