"""Knowledge reload, rollback and replica sync on a real database (SQLite always, PostgreSQL when asked)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.admin.service import KnowledgeAdmin
from bot.admin.snapshot import Snapshot
from bot.admin.unanswered import group
from bot.admin.versions import VersionStore
from bot.core.assistant import Assistant
from bot.core.brain import Brain
from bot.knowledge.loader import default_knowledge_dir
from bot.nlu.intents import default_intents_dir
from bot.runtime.brain_holder import BrainHolder
from bot.storage import Database

PHONE = "01543 266867"
NEW_PHONE = "01543 000111"
AWARD = "knowledge/qualifications/l3-award-mentoring.yaml"


@pytest.fixture
def dirs(tmp_path: Path) -> tuple[Path, Path]:
    kdir, idir = tmp_path / "knowledge", tmp_path / "intents"
    shutil.copytree(default_knowledge_dir(), kdir)
    shutil.copytree(default_intents_dir(), idir)
    return kdir, idir


def _replica(db: Database, dirs: tuple[Path, Path], name: str) -> tuple[KnowledgeAdmin, BrainHolder]:
    holder = BrainHolder(Brain.load(*dirs))
    admin = KnowledgeAdmin(VersionStore(db), holder, dirs, replica=name)
    admin.register_start()
    return admin, holder


def _phone_answer(holder: BrainHolder) -> str:
    return Assistant(holder).reply("U1", "what's the phone number for the award in mentoring?").text


def _edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_a_changed_fact_is_live_after_reload_and_gone_after_rollback(db: Database, dirs: tuple[Path, Path]) -> None:
    admin, holder = _replica(db, dirs, "a")
    first = holder().version
    _edit(dirs[0] / "qualifications/l3-award-mentoring.yaml", PHONE, NEW_PHONE)

    result = admin.reload("slack:UADMIN")
    assert result.ok and result.version != first
    assert result.diff is not None and result.diff.qualifications.changed == ("l3-award-mentoring",)
    assert NEW_PHONE in _phone_answer(holder)

    back = admin.rollback("slack:UADMIN")
    assert back.ok and back.version == first
    assert PHONE in _phone_answer(holder) and NEW_PHONE not in _phone_answer(holder)
    assert [x.action for x in admin.store.history()] == ["rollback", "reload", "start"]


def test_a_broken_file_is_refused_with_file_and_line_and_the_old_version_keeps_serving(
    db: Database, dirs: tuple[Path, Path]
) -> None:
    admin, holder = _replica(db, dirs, "a")
    before = holder()
    path = dirs[0] / "units.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n  - ref: [unclosed\n", encoding="utf-8")

    result = admin.reload("slack:UADMIN")
    assert not result.ok
    assert any("units.yaml" in e and ":" in e for e in result.errors), result.errors
    assert holder() is before
    assert PHONE in _phone_answer(holder)
    assert [x.action for x in admin.store.history()] == ["start"]


def test_reloading_unchanged_files_changes_nothing(db: Database, dirs: tuple[Path, Path]) -> None:
    admin, holder = _replica(db, dirs, "a")
    result = admin.reload("cli:ops")
    assert result.ok and result.unchanged and result.version == holder().version
    assert [x.action for x in admin.store.history()] == ["start"]


def test_a_reload_on_one_replica_reaches_another(db: Database, dirs: tuple[Path, Path]) -> None:
    a, holder_a = _replica(db, dirs, "a")
    b, holder_b = _replica(db, dirs, "b")
    _edit(dirs[0] / "qualifications/l3-award-mentoring.yaml", PHONE, NEW_PHONE)
    assert a.reload("slack:UADMIN").ok

    assert b.sync() == holder_a().version
    assert holder_b().version == holder_a().version and NEW_PHONE in _phone_answer(holder_b)
    seen = {r.id: r.version for r in a.store.replicas()}
    assert seen == {"a": holder_a().version, "b": holder_a().version}


def test_a_replica_that_cannot_build_a_version_keeps_its_own_and_reports(db: Database, dirs: tuple[Path, Path]) -> None:
    b, holder_b = _replica(db, dirs, "b")
    before = holder_b().version
    store = VersionStore(db)
    broken = Snapshot({**Snapshot.read(*dirs).files, AWARD: "name: [broken\n"})
    store.save("broken0version", broken, "")
    store.record_load("broken0version", "slack:UADMIN", "reload")

    assert b.sync() is None
    assert holder_b().version == before
    (replica,) = store.replicas()
    assert replica.version == before and replica.error and "broken0version" in replica.error


def test_a_restart_with_known_files_does_not_undo_a_rollback(db: Database, dirs: tuple[Path, Path]) -> None:
    admin, holder = _replica(db, dirs, "a")
    original = holder().version
    _edit(dirs[0] / "qualifications/l3-award-mentoring.yaml", PHONE, NEW_PHONE)
    admin.reload("slack:UADMIN")
    _edit(dirs[0] / "qualifications/l3-award-mentoring.yaml", NEW_PHONE, PHONE)  # files back as they were
    admin.rollback("slack:UADMIN", original[:6])
    _, restarted = _replica(db, dirs, "c")
    assert restarted().version == original


def test_unanswered_questions_are_grouped_by_similarity() -> None:
    groups = group(
        [
            "how do I book annual leave",
            "how do i book my annual leave?",
            "what's the weather",
            "book annual leave please",
        ]
    )
    assert groups[0].count == 3 and "how do I book annual leave" in groups[0].examples
    assert groups[1].count == 1
