"""INSERT … ON CONFLICT for the two supported backends.

Idempotent writes (enrol twice, claim an event id, save a context) are a
single atomic statement rather than read-then-write, so two processes racing
on the same key never fail and never lose an update. SQLite and PostgreSQL
spell it the same way, through their own dialect's ``insert``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def insert(session: Session, model: Any) -> Any:
    """An INSERT for ``model`` that supports ``on_conflict_do_nothing`` / ``on_conflict_do_update``."""
    name = session.get_bind().dialect.name
    try:
        return _INSERTS[name](model)
    except KeyError:
        raise NotImplementedError(f"ilm-bot supports SQLite and PostgreSQL databases, not {name}") from None


def insert_new(session: Session, model: Any, values: Mapping[str, Any], keys: Sequence[str]) -> bool:
    """Insert a row unless one with the same ``keys`` exists; True when this call inserted it.

    Decided by RETURNING, not ``rowcount``: psycopg reports -1 for an
    INSERT … ON CONFLICT, and a row returned is proof on both backends.
    """
    primary = inspect(model).primary_key[0]
    statement = insert(session, model).values(**values).on_conflict_do_nothing(index_elements=list(keys))
    return session.execute(statement.returning(primary)).first() is not None
