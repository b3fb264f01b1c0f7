"""A fresh PostgreSQL schema for one test or benchmark run, dropped afterwards.

Each user of the database gets a schema of its own (through the connection's
``search_path``), so runs never see each other's rows and the URL works
unchanged in a subprocess's ``DATABASE_URL``. The database itself is created
if it is missing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL

from bot.storage.database import normalise_url

_created: set[str] = set()


def ensure_database(url: URL) -> None:
    """CREATE DATABASE if it does not exist, from the ``postgres`` maintenance database."""
    key = url.render_as_string(hide_password=False)
    if key in _created:
        return
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database})
            if not exists:
                conn.exec_driver_sql(f'CREATE DATABASE "{url.database}"')
    finally:
        admin.dispose()
    _created.add(key)


@contextmanager
def fresh_schema(url: str, prefix: str = "test") -> Iterator[str]:
    """The URL of a new, empty schema in the database ``url``; the schema is dropped on exit."""
    base = normalise_url(url)
    ensure_database(base)
    schema = f"{prefix}_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        yield base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    finally:
        admin.dispose()
