"""Opening the database that ``DATABASE_URL`` names, with transactions that never lose an update.

One place decides the URL, the engine settings and the transaction
boundaries, so the CLI, the terminal chat and every Slack process open the
database the same way and agree on the schema (migrations run on open).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.errors import DatabaseError
from bot.settings import read_environment
from bot.storage.migrate import upgrade

ENV_VAR = "DATABASE_URL"
SUPPORTED_BACKENDS = ("sqlite", "postgresql")

#: How long a SQLite writer waits for another process's write to finish before giving up.
SQLITE_BUSY_TIMEOUT_MS = 30_000


def default_sqlite_path(environ: Mapping[str, str] | None = None) -> Path:
    """``${XDG_DATA_HOME:-~/.local/share}/ilm-bot/ilm-bot.db``: per-user data, per the XDG spec."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_DATA_HOME", "")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".local" / "share"
    return root / "ilm-bot" / "ilm-bot.db"


def database_url(environ: Mapping[str, str] | None = None) -> str:
    """The URL from ``DATABASE_URL`` (or the file ``DATABASE_URL_FILE`` names), else the embedded default:
    a SQLite file in the user's data directory. A ``*_FILE`` that can't be read is a ``SettingError``."""
    env = os.environ if environ is None else environ
    configured = read_environment(env, only=("database_url",)).get("database_url", "").strip()
    if configured:
        return normalise_url(configured).render_as_string(hide_password=False)
    return f"sqlite:///{default_sqlite_path(env)}"


def normalise_url(url: str | URL) -> URL:
    """Parse a URL; a plain ``postgresql://`` (or Heroku-style ``postgres://``) means the psycopg 3 driver.

    SQLAlchemy would otherwise pick psycopg2, which is not installed.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(f"{ENV_VAR}: not a database URL (e.g. sqlite:///path or postgresql://…)") from None
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def safe_url(url: str | URL) -> str:
    """The URL as it may be shown to a person: password masked."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unparsable URL)"


def make_engine(url: str | URL) -> Engine:
    """An engine with the settings concurrency needs on each backend.

    SQLite: WAL (readers never block the writer), a busy timeout (a second
    process waits instead of failing), foreign keys on, and every
    transaction started with ``BEGIN IMMEDIATE``. The last matters most: a
    deferred transaction that reads and then writes fails at once with
    "database is locked" when another process wrote in between, whereas an
    immediate one waits its turn, so no update is ever lost.

    PostgreSQL: ``pool_pre_ping`` so a connection dropped by a restart or a
    proxy is replaced rather than failing a user's request.
    """
    parsed = normalise_url(url)
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        raise DatabaseError(f"{safe_url(parsed)}: ilm-bot supports SQLite and PostgreSQL databases, not {backend}")
    try:
        if backend == "sqlite":
            _ensure_sqlite_directory(parsed)
            engine = create_engine(parsed, hide_parameters=True)
            event.listen(engine, "connect", _sqlite_on_connect)
            event.listen(engine, "begin", _sqlite_begin_immediate)
            return engine
        return create_engine(parsed, pool_pre_ping=True, hide_parameters=True)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise DatabaseError(f"cannot use the database {safe_url(parsed)}: {_reason(exc)}") from None


def _ensure_sqlite_directory(url: URL) -> None:
    """Create the SQLite file's directory; one that can't be made (read-only, not a directory) is named."""
    database = url.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        directory = Path(database).expanduser().parent
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise DatabaseError(
                f"cannot create the directory {directory} for the SQLite database ({reason}): "
                f"set {ENV_VAR}, or XDG_DATA_HOME to a writable directory (the container image uses /data)"
            ) from None


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Hand BEGIN to SQLAlchemy (see _sqlite_begin_immediate) instead of the driver's own guesswork.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        # Deleted rows are overwritten with zeros rather than left in free pages: erasure must erase.
        cursor.execute("PRAGMA secure_delete = ON")
    finally:
        cursor.close()


def _sqlite_begin_immediate(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _reason(exc: BaseException) -> str:
    """The first line of the driver's message, never the SQL or its parameters (they may be personal)."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()
    return text[0] if text else type(orig).__name__


@dataclass(frozen=True)
class Database:
    """An open, migrated database: the engine and a factory of sessions bound to it."""

    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises.

        A database failure surfaces as ``DatabaseError`` with the driver's first line only (never the
        SQL or its parameters, which may be personal), so every caller handles one exception.
        """
        try:
            with self.sessions.begin() as session:
                yield session
        except SQLAlchemyError as exc:
            raise DatabaseError(f"database error on {safe_url(self.engine.url)}: {_reason(exc)}") from None

    def checkpoint(self) -> None:
        """SQLite: copy the write-ahead log into the database file and truncate it to zero bytes.

        After an erasure, the WAL still holds the pages as they were before
        (erased text included) until the next automatic checkpoint; this makes
        it go now. It waits (up to the busy timeout) for readers to move on. A
        no-op on PostgreSQL, whose dead rows go with autovacuum.
        """
        if self.dialect != "sqlite":
            return
        raw = self.engine.raw_connection()
        try:
            # On the driver's connection, outside any transaction (a checkpoint can't run inside one).
            raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        except sqlite3.Error as exc:
            raise DatabaseError(f"database error on {safe_url(self.engine.url)}: {_reason(exc)}") from None
        finally:
            raw.close()

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str | URL | None = None, *, migrate: bool = True) -> Database:
    """Open ``url`` (default: ``DATABASE_URL``) and bring its schema up to date.

    Raises ``DatabaseError`` with a message fit for a person when the URL is
    wrong or the server cannot be reached.
    """
    engine = make_engine(url if url is not None else database_url())
    try:
        if migrate:
            upgrade(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        raise DatabaseError(f"cannot open the database {safe_url(engine.url)}: {_reason(exc)}") from None
    return Database(engine, sessionmaker(engine, expire_on_commit=False))


def reachable(db: Database) -> bool:
    """Does the database answer a trivial query right now (for readiness and status)?"""
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True
