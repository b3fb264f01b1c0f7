"""The learner store on a real database: round trips, idempotence, atomicity, concurrency, erasure, audit.

Runs on SQLite and, when ``ILM_TEST_DATABASE_URL`` is set, on PostgreSQL.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.learners.learner import Enrol, Enrolment, LogHours, RecordUnit, UnitAchieved
from bot.learners.records import LearnerStore
from bot.nlu.context import DialogueContext
from bot.storage import FallbackLog, SqlContextStore, audit, open_database
from bot.storage.database import Database
from bot.storage.experts import ExpertStore
from bot.storage.feedback import FeedbackLog
from bot.storage.models import Reminder, ReminderDelivery
from bot.storage.threads import ThreadStore

AWARD = "l3-award-mentoring"
CM = "l3-certificate-coaching-mentoring"
D1, D2 = date(2025, 1, 6), date(2025, 2, 14)


@pytest.fixture
def store(db: Database) -> LearnerStore:
    return LearnerStore(db)


def test_enrol_units_and_hours_round_trip(store: LearnerStore) -> None:
    assert store.enrol("U1", AWARD, on=D1, actor="cli:hr") is True
    assert store.enrol("U1", CM, on=D2, actor="cli:hr") is True
    assert store.record_units("U1", ["8577-304", "8577-307"], on=D2, source="hr", actor="cli:hr") == (
        "8577-304",
        "8577-307",
    )
    first = store.log_hours(
        "U1", 1.5, "mentoring", unit="8577-305", note="with Sam", on=D2, actor="cli:hr", source="hr"
    )
    second = store.log_hours("U1", 2, "tutorial", on=D1, actor="slack:U1", source="self")
    assert first != second

    record = store.learner("U1")
    assert record.enrolments == (Enrolment(AWARD, D1), Enrolment(CM, D2))
    assert record.units == (UnitAchieved("8577-304", D2, "hr"), UnitAchieved("8577-307", D2, "hr"))
    assert [(h.kind, h.hours, h.unit, h.note, h.logged_on, h.source) for h in record.hours] == [
        ("tutorial", 2.0, None, None, D1, "self"),  # oldest date first
        ("mentoring", 1.5, "8577-305", "with Sam", D2, "hr"),
    ]
    assert store.learner("U2").empty


def test_duplicates_are_idempotent(store: LearnerStore) -> None:
    assert store.enrol("U1", AWARD, on=D1, actor="a") is True
    assert store.enrol("U1", AWARD, on=D2, actor="a") is False
    store.record_units("U1", ["8577-304"], on=D1, source="hr", actor="a")
    assert store.record_units("U1", ["8577-304", "8577-305"], on=D2, source="self", actor="a") == ("8577-305",)
    record = store.learner("U1")
    assert record.enrolments == (Enrolment(AWARD, D1),)  # the first enrolment date stands
    assert [(u.unit, u.achieved_on, u.source) for u in record.units] == [
        ("8577-304", D1, "hr"),
        ("8577-305", D2, "self"),
    ]


def test_a_batch_is_all_or_nothing(store: LearnerStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure half-way (here: the third audit write) leaves no trace of the earlier changes."""
    real = audit.record
    calls = {"n": 0}

    def flaky(*args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(audit, "record", flaky)
    changes = [
        Enrol("U1", AWARD, D1),
        RecordUnit("U1", "8577-304", D1),
        LogHours("U1", 2, "mentoring", D1),
    ]
    with pytest.raises(RuntimeError):
        store.apply(changes, actor="import")
    monkeypatch.setattr(audit, "record", real)
    assert store.learner("U1").empty
    assert store.audit_entries() == []


def test_every_write_is_audited_with_its_actor_and_no_note(store: LearnerStore) -> None:
    store.enrol("U1", AWARD, on=D1, actor="cli:alice")
    store.record_units("U1", ["8577-304"], on=D1, source="hr", actor="cli:alice")
    store.record_units("U1", ["8577-304"], on=D1, source="hr", actor="cli:alice")  # no change, no entry
    entry = store.log_hours("U1", 3, "mentoring", note="Sam's divorce", on=D2, actor="slack:U1", source="self")
    entries = list(reversed(store.audit_entries(subject="U1")))
    assert [(e.actor, e.action, e.subject) for e in entries] == [
        ("cli:alice", "enrol", "U1"),
        ("cli:alice", "record_unit", "U1"),
        ("slack:U1", "log_hours", "U1"),
    ]
    assert entries[0].detail == {"qualification": AWARD, "enrolled_on": "2025-01-06"}
    assert entries[1].detail == {"unit": "8577-304", "achieved_on": "2025-01-06", "source": "hr"}
    assert entries[2].detail["entry"] == entry
    assert entries[2].detail["hours"] == 3
    assert "divorce" not in repr(entries)


def test_concurrent_logs_by_the_same_learner_are_all_kept(database_url: str) -> None:
    """Several processes (engines) and threads log at the same moment: every entry survives."""
    dbs = [open_database(database_url) for _ in range(2)]
    stores = [LearnerStore(d) for d in dbs]
    threads_n, each = 6, 5
    barrier = threading.Barrier(threads_n)
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            barrier.wait()
            for j in range(each):
                stores[i % 2].log_hours("U1", 0.5 + j, "mentoring", on=D1, actor=f"t{i}", source="self")
        except BaseException as exc:  # surfaced below, with the thread's own error
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(threads_n)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        hours = stores[0].learner("U1").hours
        assert len(hours) == threads_n * each
        assert sum(h.hours for h in hours) == pytest.approx(threads_n * sum(0.5 + j for j in range(each)))
        assert len(stores[1].audit_entries(subject="U1", limit=1000)) == threads_n * each
    finally:
        for d in dbs:
            d.dispose()


def test_concurrent_enrolments_on_the_same_qualification_make_one_row(database_url: str) -> None:
    dbs = [open_database(database_url) for _ in range(2)]
    results: list[bool] = []
    barrier = threading.Barrier(4)

    def enrol(i: int) -> None:
        barrier.wait()
        results.append(LearnerStore(dbs[i % 2]).enrol("U1", AWARD, on=D1, actor="t"))

    threads = [threading.Thread(target=enrol, args=(i,)) for i in range(4)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results) == [False, False, False, True]
        assert LearnerStore(dbs[0]).learner("U1").enrolments == (Enrolment(AWARD, D1),)
    finally:
        for d in dbs:
            d.dispose()


def test_forget_erases_everything_personal_and_audits_the_erasure(store: LearnerStore) -> None:
    db = store.db
    store.enrol("U1", AWARD, on=D1, actor="cli:hr")
    store.record_units("U1", ["8577-304"], on=D1, source="hr", actor="cli:hr")
    store.log_hours("U1", 2, "mentoring", note="private", on=D1, actor="cli:hr", source="hr")
    SqlContextStore(db).put("U1", DialogueContext(intent="progress"))
    FallbackLog(db).record("U1", "am I on track with my mentee Sam?")
    FeedbackLog(db).record("U1", False, "my_progress", "am I on track?")
    with db.transaction() as session:
        reminder = Reminder(
            created_by="UHR",
            target_kind="learners",
            target=AWARD,
            text="Enrol by Friday",
            zone="UTC",
            due_at=datetime(2026, 11, 1, tzinfo=UTC),
            status="sending",
        )
        session.add(reminder)
        session.flush()
        when = datetime(2026, 11, 1, tzinfo=UTC)
        session.add(ReminderDelivery(reminder_id=reminder.id, occurrence=when, recipient="U1", status="sent"))
        session.add(ReminderDelivery(reminder_id=reminder.id, occurrence=when, recipient="U1", purpose="missed"))
        session.add(ReminderDelivery(reminder_id=reminder.id, occurrence=when, recipient="U2", status="sent"))
    store.set_supervisor("U3", "U1", actor="cli:hr")  # U1 supervising someone is about U1 too
    ExpertStore(db).ask("U1", "DU1", None, "what is the postal address for ILM?", limit=5)
    ThreadStore(db).remember("DU1", "1.1", {"channel_id": "C1"}, user="U1")
    # Someone else's data stays.
    store.enrol("U2", AWARD, on=D1, actor="cli:hr")
    SqlContextStore(db).put("U2", DialogueContext(intent="other"))
    FallbackLog(db).record("U2", "hello?")
    FeedbackLog(db).record("U2", True, "greeting", "hello")

    erased = store.forget("U1", actor="cli:hr")

    assert (erased.enrolments, erased.units, erased.hours, erased.contexts, erased.fallbacks) == (1, 1, 1, 1, 1)
    assert erased.feedback == 1 and erased.reminder_deliveries == 2
    assert erased.expert_questions == 1 and erased.assistant_threads == 1
    assert ThreadStore(db).context("DU1", "1.1") is None and ExpertStore(db).get(1) is None
    with db.transaction() as session:
        recipients = sorted(r.recipient for r in session.scalars(select(ReminderDelivery)))
    assert len(recipients) == 2 and "U2" in recipients and "U1" not in recipients
    assert any(r.startswith("erased:") for r in recipients)
    assert [f.user for f in FeedbackLog(db).recent()] == ["U2"]
    assert store.learner("U1").empty
    assert SqlContextStore(db).get("U1") == DialogueContext()
    assert [f.user for f in FallbackLog(db).recent()] == ["U2"]
    assert store.learner("U2").enrolments == (Enrolment(AWARD, D1),)
    assert SqlContextStore(db).get("U2").intent == "other"

    entries = store.audit_entries(subject="U1")
    assert entries[0].action == "forget"
    assert entries[0].actor == "cli:hr"
    assert entries[0].detail == {
        "erased": {
            "enrolments": 1,
            "units": 1,
            "hours": 1,
            "contexts": 1,
            "fallbacks": 1,
            "feedback": 1,
            "reminder_deliveries": 2,
            "supervisors": 1,
            "expert_questions": 1,
            "assistant_threads": 1,
        },
    }
    assert store.supervisor_of("U3") is None
    # Earlier entries keep who and when, but no longer describe the record.
    assert [e.action for e in entries[1:]] == ["expert_ask", "log_hours", "record_unit", "enrol"]
    assert all(e.detail == {} for e in entries[1:])
    assert store.audit_entries(subject="U2")[0].detail != {}
    assert "8577-304" not in repr(store.audit_entries(subject="U1"))


def test_learners_lists_every_enrolled_learner_with_their_record(store: LearnerStore) -> None:
    store.enrol("U2", AWARD, on=D1, actor="a")
    store.enrol("U1", CM, on=D1, actor="a")
    store.record_units("U1", ["8578-300"], on=D1, source="hr", actor="a")
    store.record_units("U3", ["8578-300"], on=D1, source="hr", actor="a")  # not enrolled: not in the cohort
    records = store.learners()
    assert [r.user for r in records] == ["U1", "U2"]
    assert [u.unit for u in records[0].units] == ["8578-300"]


def test_log_hours_refuses_what_must_never_be_stored(store: LearnerStore) -> None:
    for hours, kind in ((0, "mentoring"), (-3, "mentoring"), (float("nan"), "mentoring"), (1, "juggling")):
        with pytest.raises(ValueError):
            store.log_hours("U1", hours, kind, on=D1, actor="a", source="hr")
    assert store.learner("U1").empty


def _bytes_on_disk(path: Path) -> bytes:
    """The database file and its SQLite companions (-wal, -shm, -journal), as they are on disk."""
    return b"".join(p.read_bytes() for p in sorted(path.parent.glob(path.name + "*")))


def test_forget_leaves_no_trace_in_the_sqlite_files(tmp_path: Path) -> None:
    """Every place the erased learner's words went: hours notes, unanswered questions, ratings, the
    dialogue context, a refused admin command (as earlier versions audited it) and a sent reminder's DM
    channel. After forget, none of them is anywhere in the database files, WAL included."""
    path = tmp_path / "erase.db"
    db = open_database(f"sqlite:///{path}")
    try:
        store = LearnerStore(db)
        secrets = {
            "note": "ZQXNOTE mentee Sam's divorce",
            "fallback": "ZQXFALLBACK is my manager allowed to see this",
            "feedback": "ZQXFEEDBACK am I on track",
            "admin": "ZQXADMIN please make me an admin",
            "channel": "DZQXCHANNEL",
            "context": "ZQXCONTEXT",
        }
        store.enrol("U1", AWARD, on=D1, actor="cli:hr")
        store.log_hours("U1", 2, "mentoring", note=secrets["note"], on=D1, actor="cli:hr", source="hr")
        FallbackLog(db).record("U1", secrets["fallback"])
        FeedbackLog(db).record("U1", False, "my_progress", secrets["feedback"])
        SqlContextStore(db).put("U1", DialogueContext(intent="progress", units=(secrets["context"],)))
        audit.log(db, "slack:U1", "admin_refused", None, {"command": secrets["admin"]})
        with db.transaction() as session:
            reminder = Reminder(
                created_by="UHR",
                target_kind="learners",
                target=AWARD,
                text="Enrol by Friday",
                zone="UTC",
                due_at=datetime(2026, 11, 1, tzinfo=UTC),
                status="sent",
            )
            session.add(reminder)
            session.flush()
            when = datetime(2026, 11, 1, tzinfo=UTC)
            session.add(
                ReminderDelivery(
                    reminder_id=reminder.id,
                    occurrence=when,
                    recipient="U1",
                    status="sent",
                    channel=secrets["channel"],
                    ts="1700000000.000100",
                )
            )
        db.checkpoint()  # the rows are in the database file itself, not only in the WAL
        before = _bytes_on_disk(path)
        assert all(s.encode() in before for s in secrets.values())  # the check below can fail

        store.forget("U1", actor="cli:hr")

        after = _bytes_on_disk(path)
        assert [name for name, s in secrets.items() if s.encode() in after] == []
        assert (tmp_path / "erase.db-wal").stat().st_size == 0
        # Other data is intact and the database still works.
        store.enrol("U2", AWARD, on=D1, actor="cli:hr")
        assert store.learner("U2").enrolments == (Enrolment(AWARD, D1),)
    finally:
        db.dispose()


def test_forget_clears_the_users_own_refused_commands_only(store: LearnerStore) -> None:
    db = store.db
    audit.log(db, "slack:U1", "admin_refused", None, {"command": "typed words"})
    audit.log(db, "slack:U2", "admin_refused", None, {"command": "other words"})
    audit.log(db, "slack:U1", "reload", None, {"version": "v1"})
    store.forget("U1", actor="slack:U1")
    details = {(e.actor, e.action): e.detail for e in store.audit_entries()}
    assert details[("slack:U1", "admin_refused")] == {}
    assert details[("slack:U2", "admin_refused")] == {"command": "other words"}
    assert details[("slack:U1", "reload")] == {"version": "v1"}
