"""Database fixtures: storage and learner tests run on SQLite always, and on PostgreSQL when asked.

``database_url`` is parametrised over both backends. The PostgreSQL case runs
when ``ILM_TEST_DATABASE_URL`` is set (``.ci/run`` sets it) and is skipped,
with the reason, when it is not. Its database is created if missing, and
each test gets a fresh schema of its own (through the connection's
``search_path``), so tests never see each other's rows and the URL works
unchanged in a subprocess's ``DATABASE_URL``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pgschema import fresh_schema

from bot.storage.database import Database, open_database

#: Commands run by tests never touch the developer's own database (~/.local/share/ilm-bot): a test
#: that leaves a question pending must not change what the next test's ``ilm-bot ask`` answers.
if not os.environ.get("DATABASE_URL"):
    import tempfile

    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='ilm-tests-')}/default.db"

PG_ENV = "ILM_TEST_DATABASE_URL"
PG_SKIP = f"{PG_ENV} is not set; PostgreSQL tests skipped"


@contextmanager
def backend_url(backend: str, directory: Path) -> Iterator[str]:
    """An empty database on ``backend``: a SQLite file in ``directory``, or a fresh PostgreSQL schema.

    The PostgreSQL case skips when ``ILM_TEST_DATABASE_URL`` is not set; its
    schema is dropped afterwards.
    """
    if backend == "sqlite":
        yield f"sqlite:///{directory / 'ilm-bot.db'}"
        return
    configured = os.environ.get(PG_ENV, "").strip()
    if not configured:
        pytest.skip(PG_SKIP)
    with fresh_schema(configured) as url:
        yield url


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file, or a fresh PostgreSQL schema."""
    with backend_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """The database at ``database_url``, migrated to the latest schema."""
    database = open_database(database_url)
    try:
        yield database
    finally:
        database.dispose()


@pytest.fixture(scope="module", params=BACKENDS)
def module_database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Like ``database_url``, shared by a whole module (for tests that run a story once and check its parts)."""
    with backend_url(request.param, tmp_path_factory.mktemp(f"db-{request.param}")) as url:
        yield url
