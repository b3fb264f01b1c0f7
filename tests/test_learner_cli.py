"""The `ilm-bot learner` contract, run as a user runs it: the installed script in a subprocess.

Each backend (SQLite always, PostgreSQL when ``ILM_TEST_DATABASE_URL`` is
set) gets one database through ``DATABASE_URL``. The commands run once per
backend, as a few independent learners' stories in parallel (one learner
each, so they cannot disturb each other and several processes really do
share the database), then the cohort report; each test checks one part of
the results. No command may ever print a traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.learners.cohort import CSV_COLUMNS
from bot.learners.learner import LearnerRecord
from bot.learners.records import LearnerStore

ILM_BOT = Path(sys.executable).parent / "ilm-bot"
AWARD = "l3-award-mentoring"
CM = "l3-certificate-coaching-mentoring"

# Valid rows for UE, then two bad ones: nothing of UE may be imported.
BAD_CSV = """user,type,qualification,unit,hours,kind,date,note,source
UE,enrol,award in mentoring,,,,2025-01-06,,
UE,unit,,8577-304,,,2025-02-14,,hr
UE,hours,,,-2,mentoring,2025-03-01,,self
UE,unit,,8577-399,,,,,
"""
GOOD_CSV = """\ufeffuser,type,qualification,unit,hours,kind,date,note,source
UD,enrol,award in mentoring,,,,2025-01-06,,
UD,unit,,8577-304,,,2025-02-14,,hr

UD,hours,,8577-305,2.5,mentoring,2025-03-01,first session,self
UD,unit,,8577-304,,,2025-02-14,,hr
"""

Step = tuple[str, tuple[str, ...]]


@dataclass(frozen=True)
class Run:
    url: str
    results: dict[str, subprocess.CompletedProcess[str]]
    report_csv: Path

    def __getitem__(self, label: str) -> subprocess.CompletedProcess[str]:
        return self.results[label]

    def json(self, label: str) -> dict[str, Any]:
        proc = self.results[label]
        assert proc.returncode == 0, proc.stderr
        data = json.loads(proc.stdout)
        assert isinstance(data, dict)
        return data

    def usage_error(self, label: str) -> str:
        """A refused command: exit 2, nothing on stdout, one clear message on stderr."""
        proc = self.results[label]
        assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
        assert proc.stdout == ""
        assert proc.stderr.startswith("ilm-bot: "), proc.stderr
        return proc.stderr


def _ilm_bot(args: tuple[str, ...], url: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"ILM_KNOWLEDGE_DIR", "DATABASE_URL"}}
    env["DATABASE_URL"] = url
    proc = subprocess.run(
        [str(ILM_BOT), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tempfile.gettempdir(),
        timeout=120,
        check=False,
    )
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    return proc


def _story(steps: list[Step], url: str) -> dict[str, subprocess.CompletedProcess[str]]:
    return {label: _ilm_bot(args, url) for label, args in steps}


@pytest.fixture(scope="module")
def run(module_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Run:
    assert ILM_BOT.is_file(), f"the ilm-bot console script is not installed next to {sys.executable}"
    url = module_database_url
    directory = tmp_path_factory.mktemp("learner-cli")
    bad, good, report = directory / "bad.csv", directory / "good.csv", directory / "out" / "cohort.csv"
    bad.write_text(BAD_CSV, encoding="utf-8")
    good.write_text(GOOD_CSV, encoding="utf-8")
    report.parent.mkdir()
    stories: list[list[Step]] = [
        [
            ("A enrol", ("learner", "enrol", "UA", "award in mentoring")),
            ("A done unknown", ("learner", "done", "UA", "8577-305", "8577-399")),
            ("A log -3", ("learner", "log", "UA", "-3", "mentoring")),
            ("A done", ("learner", "done", "UA", "8577-304", "8577/307")),
            ("A log 1.5", ("learner", "log", "UA", "1.5", "mentoring", "--unit", "8577-305", "--note", "with Sam")),
            ("A progress json", ("learner", "progress", "UA", "--json")),
            ("A progress", ("learner", "progress", "UA")),
        ],
        [
            ("C enrol", ("learner", "enrol", "UC", "certificate in mentoring")),
            ("C log", ("learner", "log", "UC", "2", "tutorial", "--note", "private")),
            ("C forget without yes", ("learner", "forget", "UC")),
            ("C forget", ("learner", "forget", "UC", "--yes")),
        ],
        [
            ("D import bad", ("learner", "import", str(bad))),
            ("D import good", ("learner", "import", str(good))),
        ],
    ]
    results: dict[str, subprocess.CompletedProcess[str]] = {}
    with ThreadPoolExecutor(max_workers=len(stories)) as pool:
        for done in pool.map(lambda steps: _story(steps, url), stories):
            results.update(done)
    results.update(_story([("report", ("learner", "report", "--csv", str(report)))], url))
    return Run(url, results, report)


def record(run: Run, user: str) -> LearnerRecord:
    store = LearnerStore.open(run.url)
    try:
        return store.learner(user)
    finally:
        store.db.dispose()


def test_enrol_done_and_log_confirm_what_they_recorded(run: Run) -> None:
    for label in ("A enrol", "A done", "A log 1.5"):
        assert run[label].returncode == 0, run[label].stderr
    assert "Enrolled UA on the ILM Level 3 Award in Mentoring (l3-award-mentoring)" in run["A enrol"].stdout
    done = run["A done"].stdout
    assert "8577-304 Understanding Good Practice in Workplace Mentoring" in done
    assert "8577-307 Reflecting on Workplace Mentoring Skills" in done
    assert "recorded by HR" in done
    assert "Logged 1.5 hours of mentoring practice toward 8577-305 for UA" in run["A log 1.5"].stdout
    stored = record(run, "UA")
    assert [u.unit for u in stored.units] == ["8577-304", "8577-307"]
    assert [(h.hours, h.kind, h.unit, h.note, h.source) for h in stored.hours] == [
        (1.5, "mentoring", "8577-305", "with Sam", "hr")
    ]


def test_unknown_unit_exits_2_names_the_nearest_and_records_nothing(run: Run) -> None:
    message = run.usage_error("A done unknown")
    assert "unknown unit 8577-399; nearest real units: 8577-3" in message
    assert "8577-305" not in [u.unit for u in record(run, "UA").units]  # valid, but not recorded either


def test_hours_must_be_positive(run: Run) -> None:
    assert "'-3' is not a positive number of hours" in run.usage_error("A log -3")
    assert [h.hours for h in record(run, "UA").hours] == [1.5]


def test_progress_json(run: Run) -> None:
    data = run.json("A progress json")
    assert data["user"] == "UA"
    [q] = data["qualifications"]
    # The `ilm-bot check --json` fields …
    for field in ("qualification", "achieved", "credits_achieved", "credits_required", "completion_options"):
        assert field in q
    assert (q["qualification"], q["achieved"], q["credits_achieved"], q["credits_required"]) == (AWARD, False, 6, 10)
    assert q["completion_options"] == [["8577-305"]]
    assert {"requirements", "units_counted", "programme", "practice"} <= set(q)
    # … plus hours logged and remaining per requirement.
    hours = {h["id"]: h for h in q["hours"]}
    assert set(hours) == {"induction", "tutorial", "practice-8577-305"}
    assert (hours["practice-8577-305"]["hours_logged"], hours["practice-8577-305"]["hours_remaining"]) == (1.5, 4.5)
    assert (hours["tutorial"]["hours_logged"], hours["tutorial"]["hours_remaining"]) == (0, 2)
    assert q["units_done"] == ["8577-304", "8577-307"]
    assert q["units_left"] == ["8577-305"]
    assert "8577-305" in q["next_step"]


def test_progress_text(run: Run) -> None:
    out = run["A progress"]
    assert out.returncode == 0, out.stderr
    assert "Not yet: 6 of 10 credits toward the ILM Level 3 Award in Mentoring" in out.stdout
    assert "Next: complete 8577-305 Undertaking Mentoring in the Workplace" in out.stdout
    assert "4.5 more hours of mentoring practice" in out.stdout


def test_forget_needs_yes_then_erases_and_is_audited(run: Run) -> None:
    message = run.usage_error("C forget without yes")
    assert "--yes" in message and "cannot be undone" in message
    out = run["C forget"]
    assert out.returncode == 0, out.stderr
    assert "1 enrolment" in out.stdout and "1 hours entry" in out.stdout  # the refusal erased nothing
    assert "audit log" in out.stdout
    assert record(run, "UC").empty
    store = LearnerStore.open(run.url)
    try:
        entries = store.audit_entries(subject="UC")
    finally:
        store.db.dispose()
    assert entries[0].action == "forget"
    assert entries[0].actor.startswith("cli:")
    assert "private" not in repr(entries)
    assert [e.detail for e in entries[1:]] == [{}, {}]


def test_import_with_errors_imports_nothing(run: Run) -> None:
    message = run.usage_error("D import bad")
    assert "2 errors; nothing was imported" in message
    assert "row 4, column hours: '-2' is not a positive number of hours" in message
    assert "row 5, column unit: unknown unit 8577-399" in message
    assert record(run, "UE").empty


def test_import_good_file(run: Run) -> None:
    out = run["D import good"]
    assert out.returncode == 0, out.stderr
    assert "1 enrolment, 1 unit, 1 hours entry" in out.stdout
    assert "1 row already recorded" in out.stdout
    stored = record(run, "UD")
    assert [(e.qualification, e.enrolled_on.isoformat()) for e in stored.enrolments] == [(AWARD, "2025-01-06")]
    assert [(u.unit, u.source) for u in stored.units] == [("8577-304", "hr")]
    assert [(h.hours, h.unit, h.note, h.source) for h in stored.hours] == [(2.5, "8577-305", "first session", "self")]


def test_report_prints_a_table_and_writes_csv(run: Run) -> None:
    out = run["report"]
    assert out.returncode == 0, out.stderr
    assert "ILM Level 3 Award in Mentoring" in out.stdout
    assert f"Wrote the cohort summary to {run.report_csv}" in out.stdout
    lines = run.report_csv.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(CSV_COLUMNS)
    award = next(line for line in lines if line.startswith(AWARD + ","))
    # UA and UD are enrolled on the Award (UC was erased, UE never imported); neither has achieved it.
    assert award.split(",")[2:5] == ["2", "0", "2"]


def test_other_commands_do_not_load_the_database_stack() -> None:
    code = "import sys, bot.cli.main; print('sqlalchemy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_files_that_cannot_be_imported_and_unusable_databases_exit_1_cleanly(tmp_path: Path) -> None:
    """A device, a FIFO, a file over the size cap, a SQLite file whose directory can't be made: one line, exit 1."""
    url = f"sqlite:///{tmp_path / 'ok.db'}"
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as out:
        out.truncate(9 * 2**20)  # sparse: larger than the cap without using the disk
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    cases = [
        (("learner", "import", "/dev/zero"), url, "/dev/zero is not a regular file"),
        (("learner", "import", str(fifo)), url, "pipe.csv is not a regular file"),
        (("learner", "import", str(huge)), url, "huge.csv is 9.0 MB; a CSV import may be at most 8.0 MB"),
        (("learner", "progress", "U1"), f"sqlite:///{blocker}/sub/x.db", "cannot create the directory"),
    ]
    for args, database, message in cases:
        proc = _ilm_bot(args, database)  # the helper fails on any traceback; a hang hits its timeout
        assert proc.returncode == 1, (args, proc.stderr)
        assert proc.stdout == ""
        assert proc.stderr.startswith("ilm-bot: ") and message in proc.stderr, proc.stderr
        assert proc.stderr.count("\n") == 1


def test_a_file_with_an_error_on_every_row_lists_the_first_ones(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("user,type\n" + "U1,nonsense\n" * 500, encoding="utf-8")
    proc = _ilm_bot(("learner", "import", str(bad)), f"sqlite:///{tmp_path / 'x.db'}")
    assert proc.returncode == 2
    assert "500 errors; nothing was imported." in proc.stderr
    assert "row 51, column type" in proc.stderr and "row 52, column type" not in proc.stderr
    assert "… and 450 more" in proc.stderr


# -- corrections, idempotent imports and subject access (issue 15) ----------------------------------------


def _ok(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 0, (proc.returncode, proc.stdout, proc.stderr)
    return proc.stdout


def _refused(proc: subprocess.CompletedProcess[str], message: str) -> None:
    """Exit 2, nothing on stdout, one clear message naming the problem."""
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert proc.stdout == "" and proc.stderr.startswith("ilm-bot: ") and message in proc.stderr, proc.stderr


def test_corrections_at_the_command_line(database_url: str) -> None:
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return _ilm_bot(args, database_url)

    _ok(cli("learner", "enrol", "UF", "award in mentoring"))
    _ok(cli("learner", "done", "UF", "8577-304", "8577-307"))
    _ok(cli("learner", "log", "UF", "1.5", "mentoring", "--unit", "8577-305", "--note", "with Sam"))
    _ok(cli("learner", "log", "UF", "2", "tutorial"))
    entries = json.loads(_ok(cli("learner", "hours", "UF", "--json")))
    assert [set(e) for e in entries] == [{"id", "hours", "kind", "unit", "date", "note", "source", "verified"}] * 2
    assert [(e["hours"], e["kind"], e["unit"], e["note"], e["source"], e["verified"]) for e in entries] == [
        (1.5, "mentoring", "8577-305", "with Sam", "hr", True),
        (2.0, "tutorial", None, None, "hr", True),
    ]
    assert "with Sam" in _ok(cli("learner", "hours", "UF"))
    first = entries[0]["id"]
    store = LearnerStore.open(database_url)
    try:
        before = store.learner("UF")
        _refused(cli("learner", "hours", "UNOBODY"), "nothing is recorded for UNOBODY")
        _refused(cli("learner", "unlog", "UNOBODY", str(first)), "nothing is recorded for UNOBODY")
        _refused(cli("learner", "unlog", "UF", "99999999999999999999"), "is not an hours entry id")
        _refused(cli("learner", "unlog", "UF", str(first + 1000)), f"no hours entry {first + 1000} for UF")
        _refused(cli("learner", "remove", "UF", "8577-305"), "not recorded for UF: 8577-305; nothing changed")
        _refused(cli("learner", "remove", "UF", "8577-307", "8577-399"), "unknown unit 8577-399")
        _refused(cli("learner", "unenrol", "UF", "certificate in coaching"), "UF is not enrolled on the")
        _refused(cli("learner", "unenrol", "UF", "diploma in basket weaving"), "qualification")
        assert store.learner("UF") == before  # every refusal changed nothing

        assert f"Deleted hours entry {first} for UF" in _ok(cli("learner", "unlog", "UF", str(first)))
        assert "Removed from the record of UF: 8577-307" in _ok(cli("learner", "remove", "UF", "8577-307"))
        assert "Unenrolled UF from the" in _ok(cli("learner", "unenrol", "UF", "award in mentoring"))
        after = store.learner("UF")
        assert after.enrolments == () and [u.unit for u in after.units] == ["8577-304"]
        assert [h.kind for h in after.hours] == ["tutorial"]
        actions_logged = [e.action for e in store.audit_entries(subject="UF")]
        assert actions_logged[:3] == ["unenrol", "remove_unit", "unlog_hours"]
        for refused in ("unlog_hours_refused", "remove_unit_refused", "unenrol_refused", "view_hours_refused"):
            assert refused in actions_logged or refused in [e.action for e in store.audit_entries(subject="UNOBODY")]
    finally:
        store.db.dispose()

    progress = json.loads(_ok(cli("learner", "progress", "UF", "--json")))
    assert progress["units"] == [
        {"unit": "8577-304", "date": progress["units"][0]["date"], "source": "hr", "verified": True}
    ]
    assert [h["verified"] for h in progress["hours_entries"]] == [True]


def test_import_twice_export_and_settings_at_the_command_line(database_url: str, tmp_path: Path) -> None:
    def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        if env is None:
            return _ilm_bot(args, database_url)
        with pytest.MonkeyPatch.context() as patch:
            for name, value in env.items():
                patch.setenv(name, value)
            return _ilm_bot(args, database_url)

    sheet = tmp_path / "hr.csv"
    sheet.write_text(
        "user,type,qualification,unit,hours,kind,date,note,entry_id\n"
        "UG,enrol,award in mentoring,,,,2025-01-06,,\n"
        "UG,hours,,,1,tutorial,,weekly,\n"
        "UG,hours,,,1,tutorial,,weekly,\n"
        "UG,hours,,8577-305,2,mentoring,2025-03-01,,HR-77\n",
        encoding="utf-8",
    )
    out = _ok(cli("learner", "import", str(sheet)))
    assert "4 rows new (1 enrolment, 0 units, 3 hours entries), 0 rows already recorded" in out
    out = _ok(cli("learner", "import", str(sheet)))
    assert "0 rows new (0 enrolments, 0 units, 0 hours entries), 4 rows already recorded" in out

    document = json.loads(_ok(cli("learner", "export", "UG")))
    assert [h["note"] for h in document["hours"]] == [None, "weekly", "weekly"]  # oldest date first
    assert {"enrolments", "units", "hours", "conversation_context", "unanswered_questions", "ratings"} <= set(document)
    assert {"reminder_deliveries", "audit_entries"} <= set(document)
    assert document["audit_entries"][-1]["action"] == "export"
    target = tmp_path / "UG.json"
    assert _ok(cli("learner", "export", "UG", "--output", str(target))) == ""
    assert json.loads(target.read_text(encoding="utf-8"))["user"] == "UG"
    assert target.stat().st_mode & 0o777 == 0o600  # personal data: the owner's eyes only
    _refused(cli("learner", "export", "UG", "--output", str(target)), "already exists")

    bad = cli("learner", "progress", "UG", env={"ILM_VERIFICATION": "sometimes"})
    assert bad.returncode == 1 and "ILM_VERIFICATION must be one of off, units, all" in bad.stderr


def test_import_by_email_looks_learners_up_in_slack(database_url: str, tmp_path: Path) -> None:
    from fakeslack import FakeSlack

    sheet = tmp_path / "emails.csv"
    sheet.write_text("email,type,qualification\nann@example.org,enrol,award in mentoring\n", encoding="utf-8")
    unknown = tmp_path / "unknown.csv"
    unknown.write_text(
        "email,type,qualification\nann@example.org,enrol,award in mentoring\nbob@example.org,enrol,award\n",
        encoding="utf-8",
    )
    with FakeSlack() as slack, pytest.MonkeyPatch.context() as patch:
        slack.set_user("UANN", profile_email="Ann@Example.org")
        for name, value in slack.env().items():
            patch.setenv(name, value)
        _refused(_ilm_bot(("learner", "import", str(unknown)), database_url), "no Slack user has the email bob@")
        assert "1 row new (1 enrolment" in _ok(_ilm_bot(("learner", "import", str(sheet)), database_url))
        assert [c.params["email"] for c in slack.calls_to("users.lookupByEmail")] == [
            "ann@example.org",
            "bob@example.org",
            "ann@example.org",
        ]
        slack.set_response("users.lookupByEmail", {"ok": False, "error": "missing_scope"})
        proc = _ilm_bot(("learner", "import", str(sheet)), database_url)
        assert proc.returncode == 1 and "needs the scope users:read.email" in proc.stderr
    store = LearnerStore.open(database_url)
    try:
        assert [e.qualification for e in store.learner("UANN").enrolments] == [AWARD]
    finally:
        store.db.dispose()
