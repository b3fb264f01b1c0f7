"""`ilm-bot ask --user`: personal questions answered from the stored record, through the real database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from bot.learners.records import LearnerStore
from bot.storage import FallbackLog, open_database

ILM_BOT = str(Path(sys.executable).parent / "ilm-bot")


def _ask(url: str, *args: str) -> list[dict]:
    env = {**os.environ, "DATABASE_URL": url}
    proc = subprocess.run(
        [ILM_BOT, "ask", "--json", *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


def test_personal_questions_read_the_askers_record_and_fallbacks_are_kept(database_url: str) -> None:
    db = open_database(database_url)
    store = LearnerStore(db)
    day = date(2026, 11, 2)
    store.enrol("U100", "l3-certificate-mentoring", on=day, actor="test")
    store.record_units("U100", ["8577-304"], on=day, source="hr", actor="test")
    store.log_hours("U100", 10, "mentoring", on=day, actor="test", source="hr")

    on_track, hours, stated, weather = _ask(
        database_url,
        "--user",
        "U100",
        "am I on track?",
        "how many hours have I logged?",
        "I've done 8577-304, 8577-306 and 8577-307, have I got the certificate in mentoring?",
        "what's the weather in Leeds?",
    )
    # Certificate in Mentoring: 13 credits; 8577-304 is 3; 8577-306 needs 36 hours of mentoring.
    assert on_track["intent"] == "my_progress" and "3 of 13" in on_track["text"], on_track["text"]
    assert "26 to go" in on_track["text"]
    assert on_track["check"]["credits_achieved"] == 3
    assert hours["intent"] == "my_hours" and "10 hours of mentoring practice" in hours["text"]
    # A what-if from statements is answered but never written to the record.
    assert stated["intent"] == "personal_check" and stated["check"]["achieved"] is True
    assert [u.unit for u in store.learner("U100").units] == ["8577-304"]
    assert not weather["understood"]
    logged = FallbackLog(db).recent()
    assert [(f.user, f.text) for f in logged] == [("U100", "what's the weather in Leeds?")]

    (other,) = _ask(database_url, "--user", "U200", "am I on track?")
    assert "/ilm enrol" in other["text"] and "8577" not in other["text"]
    db.dispose()


def test_an_unreachable_database_is_said_plainly_and_general_questions_still_work(tmp_path: Path) -> None:
    url = "postgresql+psycopg://nobody@127.0.0.1:9/none"
    credits, mine = _ask(url, "--user", "U1", "how many credits is the award?", "am I on track?")
    assert "10 credits" in credits["text"]
    assert "can't read your record" in mine["text"]


def test_hr_reading_records_at_the_command_line_is_audited(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    env = {**os.environ, "DATABASE_URL": url}
    for args in (["learner", "progress", "U300"], ["learner", "report"]):
        proc = subprocess.run([ILM_BOT, *args], capture_output=True, text=True, env=env, timeout=120, check=False)
        assert proc.returncode == 0, proc.stderr
    db = open_database(url)
    actions = {(e.action, e.subject) for e in LearnerStore(db).audit_entries()}
    db.dispose()
    assert ("view_progress", "U300") in actions and ("cohort_report", None) in actions
