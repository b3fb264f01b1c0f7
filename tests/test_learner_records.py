"""Records people can trust (issue 15): corrections, idempotent imports, sign-off, subject access, retention.

Store and action level, on SQLite always and PostgreSQL when asked; the
command line's contract (exit codes, messages) is in test_learner_cli.py.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.errors import SettingError
from bot.knowledge import Knowledge, load_knowledge
from bot.learners import actions
from bot.learners.csv_import import CsvImportError, parse_changes, summary
from bot.learners.learner import PENDING, NotRecordedError
from bot.learners.progress import progress_of
from bot.learners.records import LearnerStore
from bot.learners.settings import MAX_DAYS, RecordSettings
from bot.nlu.context import DialogueContext
from bot.storage import FallbackLog, SqlContextStore, audit, retention
from bot.storage.database import Database
from bot.storage.feedback import FeedbackLog
from bot.storage.models import DialogueContextRow, Fallback, Feedback

AWARD = "l3-award-mentoring"
D1, D2 = date(2025, 1, 6), date(2025, 2, 14)
TODAY = date(2025, 6, 30)
HR = actions.Who(user="U1", actor="cli:hr", source="hr", name="U1")
ME = actions.Who(user="U1", actor="slack:U1", source="self", name="you")


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge()


@pytest.fixture
def store(db: Database) -> LearnerStore:
    return LearnerStore(db, RecordSettings())


def snapshot(store: LearnerStore, user: str = "U1") -> object:
    record = store.learner(user)
    return (record.enrolments, record.units, [(h.id, h.hours, h.kind, h.status) for h in record.hours])


# -- corrections ----------------------------------------------------------------------------------


def test_unenrol_remove_and_unlog_change_only_what_they_name_and_are_audited(
    store: LearnerStore, knowledge: Knowledge
) -> None:
    store.enrol("U1", AWARD, on=D1, actor="cli:hr")
    store.record_units("U1", ["8577-304", "8577-307"], on=D2, source="hr", actor="cli:hr")
    keep = store.log_hours("U1", 2, "mentoring", on=D2, actor="cli:hr", source="hr")
    drop = store.log_hours("U1", 1.5, "mentoring", unit="8577-305", note="Sam", on=D2, actor="cli:hr", source="hr")

    said = actions.unlog(store, HR, str(drop))
    assert said == f"Deleted hours entry {drop} for U1: 1.5 hours of mentoring practice toward 8577-305 on 2025-02-14."
    said = actions.remove(store, knowledge, HR, ["8577/307"])
    assert said.startswith("Removed from the record of U1: 8577-307")
    said = actions.unenrol(store, knowledge, HR, "award in mentoring")
    title = "ILM Level 3 Award in Mentoring"
    assert said.startswith(f"Unenrolled U1 from the {title} ({AWARD}), enrolled since 2025-01-06.")

    record = store.learner("U1")
    assert record.enrolments == ()
    assert [u.unit for u in record.units] == ["8577-304"]
    assert [h.id for h in record.hours] == [keep]
    entries = store.audit_entries(subject="U1")
    assert [e.action for e in entries[:3]] == ["unenrol", "remove_unit", "unlog_hours"]
    assert entries[2].detail["entry"] == drop and "note" not in entries[2].detail  # notes never go in the audit


def test_corrections_of_what_is_not_recorded_change_nothing(store: LearnerStore, knowledge: Knowledge) -> None:
    store.enrol("U1", AWARD, on=D1, actor="cli:hr")
    store.record_units("U1", ["8577-304"], on=D2, source="hr", actor="cli:hr")
    other = store.log_hours("U2", 1, "tutorial", on=D2, actor="cli:hr", source="hr")
    before, audit_before = snapshot(store), len(store.audit_entries())
    refusals = [
        (lambda: actions.unenrol(store, knowledge, HR, "certificate in coaching"), "U1 is not enrolled on the"),
        (lambda: actions.unenrol(store, knowledge, HR, "diploma in basket weaving"), "qualification"),
        (lambda: actions.remove(store, knowledge, HR, ["8577-304", "8577-307"]), "not recorded for U1: 8577-307"),
        (lambda: actions.remove(store, knowledge, HR, ["8577-399"]), "unknown unit 8577-399"),
        (lambda: actions.unlog(store, HR, str(other)), f"no hours entry {other} for U1"),  # someone else's entry
        (lambda: actions.unenrol(store, knowledge, ME, "certificate in coaching"), "You are not enrolled on the"),
    ]
    for refuse, message in refusals:
        with pytest.raises(ValueError, match=message):
            refuse()
    assert snapshot(store) == before
    assert len(store.audit_entries()) == audit_before
    # The store's own guard (another process removed it in between) changes nothing either.
    with pytest.raises(NotRecordedError):
        store.remove_units("U1", ["8577-304", "8577-305"], actor="cli:hr")
    assert snapshot(store) == before


@settings(
    max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.one_of(st.text(max_size=30), st.integers(-(2**70), 2**70).map(str), st.just("#1"), st.just("1e3")))
def test_any_entry_id_text_is_refused_with_a_message_or_deletes_exactly_that_entry(
    store: LearnerStore, text: str
) -> None:
    """Generated entry ids: numbers too big for the database, signs, words, unicode digits ('²')."""
    if store.learner("U1").empty:
        store.log_hours("U1", 1, "tutorial", on=D1, actor="cli:hr", source="hr")
    ids = [h.id for h in store.learner("U1").hours]
    try:
        said = actions.unlog(store, HR, text)
    except ValueError as exc:
        assert (str(exc) and "nothing changed" in str(exc)) or "is not an hours entry id" in str(exc)
        assert [h.id for h in store.learner("U1").hours] == ids
        return
    assert said.startswith("Deleted hours entry")
    assert [h.id for h in store.learner("U1").hours] == [i for i in ids if str(i) != text.strip().removeprefix("#")]


# -- imports that can be run twice ----------------------------------------------------------------

CSV = """user,type,qualification,unit,hours,kind,date,note,source,entry_id
U1,enrol,award in mentoring,,,,2025-01-06,,,
U1,unit,,8577-304,,,2025-02-14,,hr,
U1,hours,,,1,tutorial,,weekly,,
U1,hours,,,1,tutorial,,weekly,,
U1,hours,,8577-305,2,mentoring,2025-03-01,,self,HRS-1
U2,hours,,8577-305,2,mentoring,2025-03-01,,self,HRS-1
"""


def test_importing_the_same_file_twice_records_nothing_new(store: LearnerStore, knowledge: Knowledge) -> None:
    text = CSV
    first = store.import_changes(parse_changes(text, knowledge, TODAY), actor="cli:hr")
    assert summary(first) == "6 rows new (1 enrolment, 1 unit, 4 hours entries), 0 rows already recorded"
    before = snapshot(store), snapshot(store, "U2")
    # A day later (blank dates now mean another day), the same file: every row is already recorded.
    again = store.import_changes(parse_changes(text, knowledge, TODAY + timedelta(days=1)), actor="cli:hr")
    assert summary(again) == "0 rows new (0 enrolments, 0 units, 0 hours entries), 6 rows already recorded"
    assert (snapshot(store), snapshot(store, "U2")) == before
    # Two identical rows in one file are two entries (two sessions); a third copy later is a new one.
    assert [h.hours for h in store.learner("U1").hours].count(1.0) == 2
    row = "U1,hours,,,1,tutorial,,weekly,,\n"
    three = text.replace(row * 2, row * 3)
    third = store.import_changes(parse_changes(three, knowledge, TODAY), actor="cli:hr")
    assert (third.hours, len(third.unchanged)) == (1, 6)
    imports = [e for e in store.audit_entries() if e.action == "import"]
    assert [e.detail for e in imports] == [
        {"rows_new": 1, "rows_already_recorded": 6},
        {"rows_new": 0, "rows_already_recorded": 6},
        {"rows_new": 6, "rows_already_recorded": 0},
    ]


def test_a_preview_says_what_an_import_would_do_and_writes_nothing(store: LearnerStore, knowledge: Knowledge) -> None:
    text = CSV.replace("user,type,", "supervisor,user,type,").replace("\nU", "\n,U") + "USUP,U2,supervisor\n"
    changes = parse_changes(text, knowledge, TODAY)
    audit_before = len(store.audit_entries())
    preview = store.import_changes(changes, actor="slack:UHR", dry_run=True)
    assert (preview.new, preview.supervisors, len(preview.unchanged)) == (7, 1, 0)
    assert store.learner("U1").empty and store.learner("U2").empty
    assert len(store.audit_entries()) == audit_before
    done = store.import_changes(changes, actor="slack:UHR")
    assert (done.new, done.enrolments, done.hours) == (preview.new, preview.enrolments, preview.hours)


def test_entry_ids_name_rows_per_learner_and_may_not_repeat(knowledge: Knowledge) -> None:
    header = "user,type,hours,kind,entry_id\n"
    changes = parse_changes(header + "U1,hours,1,tutorial,A\nU2,hours,1,tutorial,A\n", knowledge, TODAY)
    assert [c.import_key for c in changes] == ["id:A", "id:A"]
    with pytest.raises(CsvImportError) as err:
        parse_changes(header + "U1,hours,1,tutorial,A\nU1,hours,2,tutorial,A\n", knowledge, TODAY)
    assert [str(e) for e in err.value.errors] == ["row 3, column entry_id: already used on row 2"]
    with pytest.raises(CsvImportError) as err:
        parse_changes(header + f"U1,hours,1,tutorial,{'x' * 129}\n", knowledge, TODAY)
    assert [str(e) for e in err.value.errors] == ["row 2, column entry_id: is 129 characters long; at most 128"]


def test_learners_by_email_are_looked_up_once_and_an_unknown_email_is_a_row_error(knowledge: Knowledge) -> None:
    directory = {"ann@example.org": "UANN", "sup@example.org": "USUP"}
    asked: list[str] = []

    def lookup(email: str) -> str | None:
        asked.append(email)
        return directory.get(email)

    text = (
        "email,type,qualification,supervisor\n"
        "Ann@Example.org,enrol,award in mentoring,\n"
        "ann@example.org,supervisor,,sup@example.org\n"
        "ann@example.org,supervisor,,U0SUP\n"
    )
    changes = parse_changes(text, knowledge, TODAY, lookup)
    assert [(c.user, getattr(c, "supervisor", None)) for c in changes] == [
        ("UANN", None),
        ("UANN", "USUP"),
        ("UANN", "U0SUP"),
    ]
    assert sorted(asked) == ["ann@example.org", "sup@example.org"]
    with pytest.raises(CsvImportError) as err:
        parse_changes(text + "nobody@example.org,enrol,award in mentoring,\n", knowledge, TODAY, lookup)
    assert [str(e) for e in err.value.errors] == ["row 5, column email: no Slack user has the email nobody@example.org"]
    with pytest.raises(CsvImportError) as err:
        parse_changes(text, knowledge, TODAY, None)
    assert [str(e) for e in err.value.errors] == [
        "row 2, column email: emails are looked up in Slack, which needs SLACK_BOT_TOKEN set"
    ]


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"], exclude_characters=',"\r\n'), max_size=60))
def test_any_email_cell_is_an_address_or_a_row_error(cell: str) -> None:
    knowledge = load_knowledge()
    text = f"email,type,qualification\n{cell},enrol,award in mentoring\n"
    try:
        changes = parse_changes(text, knowledge, TODAY, lambda e: "U" + str(abs(hash(e)) % 10**8))
    except CsvImportError as exc:
        assert all(e.row == 2 and e.column in ("email", "user", None) for e in exc.errors), exc.errors
        return
    if not cell.strip():
        pytest.fail("a row with no learner was accepted")
    assert len(changes) == 1 and changes[0].user.startswith("U")


# -- supervisor sign-off ------------------------------------------------------------------------------


def test_with_verification_a_learners_own_unit_waits_and_counts_once_confirmed(db: Database) -> None:
    knowledge = load_knowledge()
    store = LearnerStore(db, RecordSettings(verification="units"))
    store.enrol("U1", AWARD, on=D1, actor="cli:hr")
    store.record_units("U1", ["8577-304"], on=D2, source="self", actor="slack:U1")
    store.record_units("U1", ["8577-307"], on=D2, source="hr", actor="cli:hr")  # HR's are verified already
    store.log_hours("U1", 3, "mentoring", unit="8577-305", on=D2, actor="slack:U1", source="self")  # units only

    record = store.learner("U1")
    assert [(u.unit, u.status) for u in record.units] == [("8577-304", PENDING), ("8577-307", "confirmed")]
    progress = progress_of(record, knowledge)
    data = progress.to_dict()
    assert [(u["unit"], u["verified"]) for u in data["units"]] == [("8577-304", False), ("8577-307", True)]
    assert [h["verified"] for h in data["hours_entries"]] == [True]
    assert progress.qualifications[0].units_done == ("8577-307",)  # the pending unit doesn't count
    assert "8577-304" in progress.qualifications[0].units_left
    assert store.audit_entries(subject="U1")[2].detail["status"] == PENDING

    everything = LearnerStore(db, RecordSettings(verification="all"))
    everything.log_hours("U1", 1, "tutorial", on=D2, actor="slack:U1", source="self")
    assert [h.status for h in everything.learner("U1").hours] == ["confirmed", PENDING]


def test_verification_off_counts_a_learners_own_entries_as_today(store: LearnerStore) -> None:
    store.record_units("U1", ["8577-304"], on=D2, source="self", actor="slack:U1")
    store.log_hours("U1", 1, "tutorial", on=D2, actor="slack:U1", source="self")
    record = store.learner("U1")
    assert all(u.verified for u in record.units) and all(h.verified for h in record.hours)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    mode=st.one_of(st.sampled_from(["off", "units", "all", " ALL ", ""]), st.text(max_size=8)),
    days=st.one_of(st.integers(-5, MAX_DAYS + 5).map(str), st.text(max_size=8), st.just("٣")),
)
def test_settings_are_valid_or_refused_naming_the_variable(mode: str, days: str) -> None:
    env = {"ILM_VERIFICATION": mode, "ILM_RETENTION_DAYS": days, "ILM_STALLED_DAYS": days}
    try:
        got = RecordSettings.from_env(env)
    except SettingError as exc:
        assert str(exc).startswith(("ILM_VERIFICATION must be", "ILM_RETENTION_DAYS must be"))
        return
    assert got.verification in ("off", "units", "all")
    assert (1 <= got.retention_days <= MAX_DAYS and got.retention_days == got.stalled_days) or not days.strip()


# -- subject access ---------------------------------------------------------------------------------


def test_export_holds_everything_forget_would_erase(store: LearnerStore) -> None:
    db = store.db
    store.enrol("U1", AWARD, on=D1, actor="cli:hr")
    store.record_units("U1", ["8577-304"], on=D2, source="self", actor="slack:U1")
    store.log_hours("U1", 2, "mentoring", note="with Sam", on=D2, actor="cli:hr", source="hr")
    store.set_supervisor("U1", "USUP", actor="cli:hr")
    SqlContextStore(db).put("U1", DialogueContext(intent="progress"))
    FallbackLog(db).record("U1", "can my manager see this?")
    FeedbackLog(db).record("U1", False, "my_progress", "am I on track?")
    store.enrol("U2", AWARD, on=D1, actor="cli:hr")  # someone else: never in U1's export

    document = store.export("U1", actor="cli:hr")
    text = json.dumps(document)
    assert document["user"] == "U1" and "U2" not in text
    assert [e["qualification"] for e in document["enrolments"]] == [AWARD]
    assert document["units"][0] | {} == document["units"][0] and document["units"][0]["unit"] == "8577-304"
    assert document["hours"][0]["note"] == "with Sam" and document["hours"][0]["verified"] is True
    assert document["supervisor"] == "USUP"
    assert "progress" in json.dumps(document["conversation_context"])  # every conversation the row holds
    assert [q["text"] for q in document["unanswered_questions"]] == ["can my manager see this?"]
    assert [(r["helpful"], r["question"]) for r in document["ratings"]] == [(False, "am I on track?")]
    assert document["reminder_deliveries"] == []
    actions_seen = [a["action"] for a in document["audit_entries"]]
    assert actions_seen == ["enrol", "record_unit", "log_hours", "set_supervisor", "export"]
    assert store.audit_entries(subject="U1")[0].action == "export"  # the export itself is audited

    erased = store.forget("U1", actor="cli:hr")
    after = store.export("U1", actor="cli:hr")
    assert erased.anything
    for key in ("enrolments", "units", "hours", "unanswered_questions", "ratings"):
        assert after[key] == [], key
    assert after["conversation_context"] is None and after["supervisor"] is None


# -- retention -------------------------------------------------------------------------------------


def test_retention_deletes_old_conversation_data_and_keeps_the_audit_log(store: LearnerStore) -> None:
    db = store.db
    now = datetime(2026, 11, 29, 12, tzinfo=UTC)
    old, recent = now - timedelta(days=366), now - timedelta(days=364)
    store.enrol("U1", AWARD, on=D1, actor="cli:hr")
    with db.transaction() as session:
        session.add_all(
            [
                DialogueContextRow(user_id="U1", data={"intent": "x"}, updated_at=old),
                DialogueContextRow(user_id="U2", data={"intent": "y"}, updated_at=recent),
                Fallback(user_id="U1", text="old question", at=old),
                Fallback(user_id="U2", text="recent question", at=recent),
                Feedback(user_id="U1", helpful=True, question="old", at=old),
                Feedback(user_id="U2", helpful=False, question="recent", at=recent),
            ]
        )
    purged = retention.purge(db, now, 365)
    assert purged == retention.Purged(contexts=1, unanswered_questions=1, ratings=1)
    assert [f.text for f in FallbackLog(db).recent()] == ["recent question"]
    assert [f.question for f in FeedbackLog(db).recent()] == ["recent"]
    assert SqlContextStore(db).get("U1") == DialogueContext() and SqlContextStore(db).get("U2").intent == "y"
    assert store.learner("U1").enrolments  # records are not conversation data
    entries = store.audit_entries()
    assert entries[0].action == "retention_purge" and entries[0].actor == "scheduler"
    assert entries[0].detail == {
        "days": 365,
        "contexts": 1,
        "unanswered_questions": 1,
        "ratings": 1,
        "pending_imports": 0,
    }
    assert any(e.action == "enrol" for e in entries)  # the audit log is kept
    assert retention.purge(db, now, 365) == retention.Purged()
    assert store.audit_entries()[0].action == "retention_purge"  # nothing purged: no new entry
    assert len([e for e in store.audit_entries() if e.action == "retention_purge"]) == 1


def test_the_scheduler_purges_about_hourly(db: Database) -> None:
    from bot.reminders.config import ReminderSettings
    from bot.reminders.scheduler import PURGE_EVERY, Scheduler

    now = [datetime(2026, 11, 29, 12, tzinfo=UTC)]
    scheduler = Scheduler(db, outbox=None, settings=ReminderSettings(), clock=lambda: now[0], retention_days=30)  # type: ignore[arg-type]
    FallbackLog(db).record("U1", "a question")
    with db.transaction() as session:
        for row in session.query(Fallback):
            row.at = now[0] - timedelta(days=31)
    assert scheduler.purge_if_due() == retention.Purged(unanswered_questions=1)
    FallbackLog(db).record("U1", "another")
    with db.transaction() as session:
        for row in session.query(Fallback):
            row.at = now[0] - timedelta(days=31)
    assert scheduler.purge_if_due() is None  # not an hour yet
    now[0] += PURGE_EVERY
    assert scheduler.purge_if_due() == retention.Purged(unanswered_questions=1)
    assert Scheduler(db, None, ReminderSettings(), clock=lambda: now[0]).purge_if_due() is None  # type: ignore[arg-type]


def test_audit_of_refusals_keeps_no_words(store: LearnerStore) -> None:
    audit.log(store.db, "cli:hr", "unlog_hours_refused", "U1")
    assert store.audit_entries(subject="U1")[0].detail == {}


def test_only_the_learners_supervisor_decides_and_each_decision_counts_once(db: Database) -> None:
    from bot.learners.records import NotAllowedError

    store = LearnerStore(db, RecordSettings(verification="all"))
    store.set_supervisor("U1", "USUP", actor="slack:U1")
    store.record_units("U1", ["8577-304", "8577-307"], on=D2, source="self", actor="slack:U1")
    hours = store.log_hours("U1", 2, "mentoring", on=D2, actor="slack:U1", source="self")
    units = {u.unit: u.id for u in store.learner("U1").units}
    assert store.pending_entry("unit", units["8577-304"]) == ("U1", store.learner("U1").units[0])
    before = snapshot(store)
    for supervisor in ("U2", "U1"):  # another user, or the learner themself
        with pytest.raises(NotAllowedError):
            store.decide("unit", units["8577-304"], supervisor=supervisor, confirm=True)
    with pytest.raises(NotRecordedError):
        store.decide("hours", 999_999, supervisor="USUP", confirm=True)
    assert snapshot(store) == before

    confirmed = store.decide("unit", units["8577-304"], supervisor="USUP", confirm=True)
    rejected = store.decide("hours", hours, supervisor="USUP", confirm=False)
    assert (confirmed.user, confirmed.entry.verified) == ("U1", True)
    assert (rejected.entry.status, rejected.entry.verified) == ("rejected", False)
    with pytest.raises(NotRecordedError, match="already confirmed"):
        store.decide("unit", units["8577-304"], supervisor="USUP", confirm=False)
    record = store.learner("U1")
    assert [(u.unit, u.status) for u in record.units] == [("8577-304", "confirmed"), ("8577-307", "pending")]
    assert store.pending_entry("unit", units["8577-304"]) is None
    decisions = [e.detail for e in store.audit_entries(subject="U1") if e.action == "sign_off"]
    assert decisions == [
        {"kind": "hours", "entry": hours, "decision": "rejected"},
        {"kind": "unit", "entry": units["8577-304"], "decision": "confirmed"},
    ]


# -- CSV imports in Slack: preview, then Confirm --------------------------------------------------------------


def test_a_previewed_import_is_confirmed_only_by_its_uploader_once(store: LearnerStore, knowledge: Knowledge) -> None:
    from bot.learners.learner import NotRecordedError as Gone
    from bot.learners.pending_imports import PendingImports
    from bot.learners.records import NotAllowedError
    from bot.storage.models import PendingImport

    imports = PendingImports(store, lambda: knowledge)
    bad = imports.preview("UHR", "bad.csv", b"user,type\nU1,nonsense\n", None, TODAY)
    assert bad.token is None and bad.errors == (
        "row 2, column type: 'nonsense' is not one of enrol, unit, hours, supervisor",
    )
    latin = imports.preview("UHR", "latin.csv", "user,type,note\nU1,hours,caf\xe9\n".encode("latin-1"), None, TODAY)
    assert latin.token is None and "is not UTF-8 text" in latin.errors[0]

    preview = imports.preview("UHR", "hr.csv", CSV.encode(), None, TODAY)
    assert (preview.new, preview.already, preview.errors) == (6, 0, ()) and preview.token
    assert store.learner("U1").empty  # a preview records nothing
    with pytest.raises(NotAllowedError):
        imports.confirm(preview.token, "UOTHER", None, TODAY)
    assert store.learner("U1").empty
    said = imports.confirm(preview.token, "UHR", None, TODAY)
    assert said == "Imported hr.csv: 6 rows new (1 enrolment, 1 unit, 4 hours entries), 0 rows already recorded."
    with pytest.raises(Gone, match="expired or was already used"):
        imports.confirm(preview.token, "UHR", None, TODAY)
    again = imports.preview("UHR", "hr.csv", CSV.encode(), None, TODAY)
    assert (again.new, again.already, again.token) == (0, 6, None)  # nothing new: nothing to confirm

    extra = CSV + "U3,enrol,award in mentoring,,,,,,,\n"
    stale = imports.preview("UHR", "hr2.csv", extra.encode(), None, TODAY)
    assert imports.cancel(stale.token, "UHR") == "Cancelled the import of hr2.csv; nothing was recorded."
    old = imports.preview("UHR", "hr3.csv", extra.encode(), None, TODAY)
    with store.db.transaction() as session:
        session.get(PendingImport, old.token).created_at = datetime.now(UTC) - timedelta(days=2)
    with pytest.raises(Gone):
        imports.confirm(old.token, "UHR", None, TODAY)
    assert store.learner("U3").empty
    assert retention.purge(store.db, datetime.now(UTC), 365).pending_imports == 1
    actions_seen = [e.action for e in store.audit_entries() if e.actor == "slack:UHR"]
    assert {"import_preview", "import", "import_cancel"} <= set(actions_seen)
