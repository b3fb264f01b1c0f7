"""Validation and every reload read knowledge files the same way, and refuse the same ones with the same words.

Each hostile kind of file (not UTF-8, a directory named ``x.yaml``, a link
loop, a dangling link, ``/dev/zero``, a FIFO, a file over the size cap) is
placed in each place the loaders look, one at a time; ``ilm-bot validate``'s
check and ``KnowledgeAdmin.reload`` (behind ``ilm-bot admin reload`` and
``/ilm-admin reload``) must give the same non-empty list of errors, the old
version must keep serving, and nothing may hang or raise. A stray file the
loaders never read (``knowledge/notes.yaml``) is ignored by both.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from botprocess import knowledge_copy

from bot.admin.service import KnowledgeAdmin
from bot.admin.snapshot import check_sources
from bot.admin.versions import VersionStore
from bot.core.brain import Brain
from bot.knowledge.files import MAX_FILE_BYTES
from bot.runtime.brain_holder import BrainHolder
from bot.storage import Database

ILM_BOT = str(Path(sys.executable).parent / "ilm-bot")
SEED = 13


def _binary(path: Path, rng: random.Random) -> None:
    """Bytes that are not UTF-8 somewhere after a valid start (the line of the first bad byte is reported)."""
    good = "units:\n  - x\n" * rng.randrange(0, 4)
    bad = bytes([rng.choice([0x80, 0xC3, 0xE9, 0xFF, 0xFE, 0xC0])]) + os.urandom(rng.randrange(0, 40))
    path.write_bytes(good.encode() + bad)


def _latin1(path: Path, rng: random.Random) -> None:
    path.write_bytes("title: Café crème\n".encode("latin-1") * rng.randrange(1, 3))


def _directory(path: Path, rng: random.Random) -> None:
    path.mkdir()
    (path / "inside.yaml").write_text("a: 1\n", encoding="utf-8")


def _loop(path: Path, rng: random.Random) -> None:
    path.symlink_to(path.name)


def _mutual_loop(path: Path, rng: random.Random) -> None:
    other = _partner(path)
    other.symlink_to(path.name)
    path.symlink_to(other.name)


def _partner(path: Path) -> Path:
    return path.with_name(f".{path.name}-other")


def _dangling(path: Path, rng: random.Random) -> None:
    path.symlink_to(f"missing-{rng.randrange(10**6)}.yaml")


def _dev_zero(path: Path, rng: random.Random) -> None:
    path.symlink_to("/dev/zero")


def _fifo(path: Path, rng: random.Random) -> None:
    os.mkfifo(path)


def _too_large(path: Path, rng: random.Random) -> None:
    with path.open("wb") as f:  # sparse: costs no disk
        f.truncate(MAX_FILE_BYTES + rng.randrange(1, 10**6))


HOSTILE: dict[str, Callable[[Path, random.Random], None]] = {
    "binary": _binary,
    "latin-1": _latin1,
    "directory": _directory,
    "link loop": _loop,
    "two links in a loop": _mutual_loop,
    "dangling link": _dangling,
    "/dev/zero": _dev_zero,
    "fifo": _fifo,
    "too large": _too_large,
}

#: Where the loaders look: new files beside the real ones, and the real ones replaced.
PLACES = (
    "knowledge/qualifications/extra.yaml",
    "knowledge/qualifications/extra.yml",
    "knowledge/units.yaml",
    "knowledge/organisation.yaml",
    "knowledge/qualifications/l3-award-mentoring.yaml",
    "intents/notes.yaml",
    "intents/responses.yaml",
    "intents/greeting.yaml",
)
#: Where nothing is read: both must ignore what is there.
IGNORED = ("knowledge/notes.yaml", "knowledge/qualifications/notes.txt", "intents/sub/x.yaml")


@contextmanager
def placed(root: Path, rel: str, make: Callable[[Path, random.Random], None], rng: random.Random) -> Iterator[Path]:
    """``rel`` under ``root`` made hostile by ``make``; the original restored afterwards."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    saved = path.read_bytes() if path.is_file() and not path.is_symlink() else None
    _remove(path)
    make(path, rng)
    try:
        yield path
    finally:
        _remove(path)
        if _partner(path).is_symlink():
            _partner(path).unlink()
        if saved is not None:
            path.write_bytes(saved)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file() or path.is_fifo():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


@pytest.fixture
def dirs(tmp_path: Path) -> tuple[Path, Path]:
    return knowledge_copy(tmp_path)


def _cases() -> list[tuple[str, str]]:
    return [(kind, place) for kind in HOSTILE for place in PLACES]


def test_validate_and_reload_refuse_every_hostile_file_with_the_same_errors(
    db: Database, dirs: tuple[Path, Path]
) -> None:
    kdir, idir = dirs
    holder = BrainHolder(Brain.load(kdir, idir))
    admin = KnowledgeAdmin(VersionStore(db), holder, dirs, replica="r")
    admin.register_start()
    before = holder()
    rng = random.Random(SEED)
    cases = _cases()
    assert len(cases) >= 70
    for kind, rel in cases:
        with placed(kdir.parent, rel, HOSTILE[kind], rng):
            _, validated = check_sources(kdir, idir)
            result = admin.reload("test")
        shown = [str(e) for e in validated]
        assert validated, (kind, rel)
        assert not result.ok, (kind, rel)
        assert list(result.errors) == shown, (kind, rel)
        assert any(e.file == rel for e in validated), (kind, rel, shown)
        assert holder() is before
    assert [x.action for x in admin.store.history()] == ["start"]


def test_files_the_loaders_never_read_are_ignored_by_both(db: Database, dirs: tuple[Path, Path]) -> None:
    kdir, idir = dirs
    holder = BrainHolder(Brain.load(kdir, idir))
    admin = KnowledgeAdmin(VersionStore(db), holder, dirs, replica="r")
    admin.register_start()
    version = holder().version
    rng = random.Random(SEED)
    for kind, make in HOSTILE.items():
        for rel in IGNORED:
            with placed(kdir.parent, rel, make, rng):
                knowledge, errors = check_sources(kdir, idir)
                result = admin.reload("test")
            assert knowledge is not None and not errors, (kind, rel, errors)
            assert result.ok and result.unchanged and result.version == version, (kind, rel, result)


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [ILM_BOT, *args], capture_output=True, text=True, timeout=60, env={**os.environ, **env}, check=False
    )


def test_the_commands_print_the_same_errors_and_no_traceback(tmp_path: Path) -> None:
    """`ilm-bot validate` and `ilm-bot admin reload` as an operator runs them, with every hostile kind at once."""
    kdir, idir = knowledge_copy(tmp_path)
    rng = random.Random(SEED)
    for i, make in enumerate(HOSTILE.values()):
        make(kdir / "qualifications" / f"bad{i}.yaml", rng)
    _binary(idir / "notes.yaml", rng)
    _binary(kdir / "notes.yaml", rng)  # not read by either
    env = {
        "ILM_KNOWLEDGE_DIR": str(kdir),
        "ILM_INTENTS_DIR": str(idir),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
    }
    validate = _cli("validate", env=env)
    reload = _cli("admin", "reload", env=env)
    assert validate.returncode == 1 and reload.returncode == 2, (validate, reload)
    for proc in (validate, reload):
        assert "Traceback" not in proc.stdout + proc.stderr
    listed = [line.strip() for line in validate.stderr.splitlines()[1:]]
    refused = [line.removeprefix("• ") for line in reload.stdout.splitlines()[1:]]
    assert len(listed) == len(HOSTILE) + 1
    assert listed == refused
    assert not any("knowledge/notes.yaml" in line for line in listed)


def _line_edit(root: Path, rng: random.Random) -> tuple[str, str]:
    """A random one-line edit of a random file the loaders read: deleted, doubled, or cut short."""
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*.yaml") if "sub" not in p.parts)
    rel = rng.choice(files)
    lines = (root / rel).read_text(encoding="utf-8").splitlines()
    at = rng.randrange(len(lines))
    edit = rng.randrange(3)
    if edit == 0:
        del lines[at]
    elif edit == 1:
        lines.insert(at, lines[at])
    else:
        lines[at] = lines[at][: rng.randrange(len(lines[at]) + 1)]
    return rel, "\n".join(lines) + "\n"


def test_validate_and_reload_agree_on_any_edit(db: Database, dirs: tuple[Path, Path]) -> None:
    """Whatever an edit breaks (schema, cross-file checks, the data-code contract), both report it alike."""
    kdir, idir = dirs
    holder = BrainHolder(Brain.load(kdir, idir))
    admin = KnowledgeAdmin(VersionStore(db), holder, dirs, replica="r")
    admin.register_start()
    rng = random.Random(SEED)
    refused = 0
    for _ in range(30):
        rel, text = _line_edit(kdir.parent, rng)
        path = kdir.parent / rel
        good = path.read_text(encoding="utf-8")
        path.write_text(text, encoding="utf-8")
        try:
            _, validated = check_sources(kdir, idir)
            result = admin.reload("test")
        finally:
            path.write_text(good, encoding="utf-8")
        assert result.ok == (not validated), (rel, [str(e) for e in validated], result.errors)
        assert list(result.errors) == [str(e) for e in validated], rel
        refused += not result.ok
    assert refused >= 5
