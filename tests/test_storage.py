"""The database layer: URLs, engine settings, migrations, and the shared stores (context, fallbacks, events).

Every test that touches a database runs on SQLite and, when
``ILM_TEST_DATABASE_URL`` is set, on PostgreSQL (see ``conftest.py``).
"""

from __future__ import annotations

import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select, text

from bot.nlu.context import DialogueContext, Pending
from bot.storage import FallbackLog, SqlContextStore, claim_event, open_database, prune_events
from bot.storage.database import Database, DatabaseError, database_url, make_engine, normalise_url, safe_url
from bot.storage.migrate import current_revision, head_revision, upgrade
from bot.storage.models import Base, DialogueContextRow, HoursEntry, utcnow

TABLES = {
    "enrolments",
    "supervisors",
    "pending_imports",
    "unit_achievements",
    "hours_entries",
    "feedback",
    "audit_log",
    "dialogue_contexts",
    "fallbacks",
    "processed_events",
    "knowledge_versions",
    "knowledge_loads",
    "replicas",
    "reminders",
    "reminder_deliveries",
    "expert_questions",
    "assistant_threads",
}


# -- URL and engine ---------------------------------------------------------------------------------


def test_default_url_is_a_sqlite_file_in_the_xdg_data_directory(tmp_path: Path) -> None:
    url = database_url({"XDG_DATA_HOME": str(tmp_path)})
    assert url == f"sqlite:///{tmp_path}/ilm-bot/ilm-bot.db"
    home = database_url({})
    assert home == f"sqlite:///{Path.home()}/.local/share/ilm-bot/ilm-bot.db"


def test_database_url_env_wins_and_plain_postgresql_means_psycopg() -> None:
    assert database_url({"DATABASE_URL": "sqlite:////srv/bot.db"}) == "sqlite:////srv/bot.db"
    assert database_url({"DATABASE_URL": "postgresql://bot:pw@db:5432/ilm"}) == (
        "postgresql+psycopg://bot:pw@db:5432/ilm"
    )
    assert normalise_url("postgres://db/ilm").drivername == "postgresql+psycopg"
    assert normalise_url("postgresql+psycopg://db/ilm").drivername == "postgresql+psycopg"


def test_bad_urls_are_clear_errors_that_never_show_a_password() -> None:
    with pytest.raises(DatabaseError, match="not a database URL"):
        normalise_url("nonsense")
    with pytest.raises(DatabaseError) as err:
        make_engine("mysql://bot:s3cret@db/ilm")
    assert "s3cret" not in str(err.value)
    assert "s3cret" not in safe_url("postgresql://bot:s3cret@db/ilm")


def test_sqlite_engine_creates_the_directory_and_sets_wal_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "bot.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
        assert path.parent.is_dir()
    finally:
        engine.dispose()


@pytest.mark.parametrize("depth", [1, 2, 4])
def test_a_sqlite_directory_that_cannot_be_made_is_named_not_a_traceback(tmp_path: Path, depth: int) -> None:
    """E.g. a container whose home isn't writable: the message says what to set (holds for root too)."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    path = blocker.joinpath(*[f"d{i}" for i in range(depth)], "ilm-bot.db")
    with pytest.raises(DatabaseError, match=r"cannot create .*a-file.* for the SQLite database") as err:
        make_engine(f"sqlite:///{path}")
    assert "DATABASE_URL" in str(err.value) and "XDG_DATA_HOME" in str(err.value)


# -- migrations -------------------------------------------------------------------------------------


def test_upgrade_on_an_empty_database_creates_every_table(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        assert TABLES.isdisjoint(inspect(engine).get_table_names())
        upgrade(engine)
        assert TABLES | {"alembic_version"} <= set(inspect(engine).get_table_names())
        assert current_revision(engine) == head_revision() == "0007"
    finally:
        engine.dispose()


def test_running_migrations_twice_is_a_no_op(db: Database) -> None:
    with db.transaction() as session:
        session.add(DialogueContextRow(user_id="U1", data={"intent": "x"}))
    upgrade(db.engine)
    upgrade(db.engine)
    assert current_revision(db.engine) == head_revision()
    with db.transaction() as session:
        assert session.get(DialogueContextRow, "U1") is not None  # data survives


def test_models_match_the_migrated_schema(db: Database) -> None:
    with db.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diffs == []


def test_database_constraints_refuse_what_the_code_must_never_write(db: Database) -> None:
    """The last line of defence: non-positive hours and unknown kinds fail in the database itself."""
    insert = (
        "INSERT INTO hours_entries (user_id, kind, hours, logged_on, source, recorded_by, created_at) "
        "VALUES ('U1', :kind, :hours, '2025-01-01', 'hr', 't', '2025-01-01 00:00:00')"
    )
    for kind, hours in (("mentoring", 0), ("mentoring", -3), ("juggling", 1)):
        with pytest.raises(DatabaseError, match=r"(?i)check"), db.transaction() as session:
            session.execute(text(insert), {"kind": kind, "hours": hours})
    # A sign-off status is one of confirmed, pending, rejected.
    bad_status = [
        (
            "INSERT INTO unit_achievements (user_id, unit, achieved_on, source, recorded_by, created_at, status) "
            "VALUES ('U1', '8577-304', '2025-01-01', 'hr', 't', '2025-01-01 00:00:00', 'maybe')"
        ),
        insert.replace("created_at)", "created_at, status)").replace("00:00:00')", "00:00:00', 'maybe')"),
    ]
    for statement in bad_status:
        with pytest.raises(DatabaseError, match=r"(?i)check"), db.transaction() as session:
            session.execute(text(statement), {"kind": "mentoring", "hours": 1})


# -- shared stores ----------------------------------------------------------------------------------


def test_context_store_round_trip_and_overwrite(db: Database) -> None:
    store = SqlContextStore(db)
    assert store.get("U1") == DialogueContext()
    first = DialogueContext(intent="unit_info", units=("8577-304",), pending=Pending("x", ("a", "b")), turns=2)
    store.put("U1", first)
    assert store.get("U1") == first
    second = DialogueContext(intent="hours", qualifications=("l3-award-mentoring",), hours=1.5)
    store.put("U1", second)
    assert store.get("U1") == second
    assert store.get("U2") == DialogueContext()


def test_context_store_drops_a_context_it_cannot_read(db: Database) -> None:
    with db.transaction() as session:
        session.add(DialogueContextRow(user_id="U1", data={"pending": {"no_such_field": 1}}))
    assert SqlContextStore(db).get("U1") == DialogueContext()


def test_context_store_two_engines_share_one_conversation(database_url: str) -> None:
    a, b = open_database(database_url), open_database(database_url)
    try:
        SqlContextStore(a).put("U1", DialogueContext(intent="one"))
        assert SqlContextStore(b).get("U1").intent == "one"
    finally:
        a.dispose()
        b.dispose()


def test_fallbacks_are_recorded_and_listed_newest_first(db: Database) -> None:
    log = FallbackLog(db)
    log.record("U1", "what is the meaning of life", None)
    log("U2", "x" * 5000, "unit_info")
    recent = log.recent()
    assert [(f.user, f.guess) for f in recent] == [("U2", "unit_info"), ("U1", None)]
    assert len(recent[0].text) == 2000
    assert recent[1].text == "what is the meaning of life"
    assert recent[0].at.tzinfo is not None


def test_claim_event_is_true_once_across_two_engines(database_url: str) -> None:
    a, b = open_database(database_url), open_database(database_url)
    try:
        assert claim_event(a, "Ev1") is True
        assert claim_event(b, "Ev1") is False
        assert claim_event(a, "Ev1") is False
        assert claim_event(b, "Ev2") is True
    finally:
        a.dispose()
        b.dispose()


def test_claim_event_race_has_exactly_one_winner(database_url: str) -> None:
    engines = [open_database(database_url) for _ in range(2)]
    results: list[bool] = []
    barrier = threading.Barrier(6)

    def claim(i: int) -> None:
        barrier.wait()
        results.append(claim_event(engines[i % 2], "EvRace"))

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(6)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        for e in engines:
            e.dispose()
    assert sorted(results) == [False] * 5 + [True]


def test_prune_events_forgets_only_old_ids(db: Database) -> None:
    assert claim_event(db, "old")
    assert claim_event(db, "new")
    assert prune_events(db, older_than=timedelta(days=2), now=utcnow() + timedelta(days=3)) == 2
    assert claim_event(db, "old") is True
    assert prune_events(db, older_than=timedelta(days=2)) == 0
    assert claim_event(db, "old") is False


def test_a_transaction_that_reads_then_writes_survives_a_concurrent_write(database_url: str) -> None:
    """No lost update for read-then-write: on SQLite a deferred transaction would fail with 'database is locked'."""
    a, b = open_database(database_url), open_database(database_url)

    def entry(user: str) -> HoursEntry:
        return HoursEntry(
            user_id=user, kind="mentoring", hours=1, logged_on=date(2025, 1, 1), source="hr", recorded_by="t"
        )

    def other_process() -> None:
        with b.transaction() as session:
            session.add(entry("U2"))

    try:
        with a.transaction() as session:
            assert session.scalar(select(func.count()).select_from(HoursEntry)) == 0
            writer = threading.Thread(target=other_process)
            writer.start()
            writer.join(timeout=0.3)  # SQLite: waits for this transaction; PostgreSQL: done already
            session.add(entry("U1"))
        writer.join()
        with a.transaction() as session:
            assert sorted(session.scalars(select(HoursEntry.user_id))) == ["U1", "U2"]
    finally:
        a.dispose()
        b.dispose()
