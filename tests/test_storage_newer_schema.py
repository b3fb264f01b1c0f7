"""A database migrated by a newer version is refused with a clear message, never a traceback."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.errors import DatabaseError
from bot.storage.database import open_database


def _from_the_future(path: Path) -> str:
    url = f"sqlite:///{path}"
    open_database(url).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    return url


def test_a_newer_schema_is_a_database_error(tmp_path: Path) -> None:
    url = _from_the_future(tmp_path / "bot.db")
    with pytest.raises(DatabaseError, match="newer version"):
        open_database(url)


def test_the_command_line_says_so_and_exits_1(tmp_path: Path) -> None:
    url = _from_the_future(tmp_path / "bot.db")
    env = {"DATABASE_URL": url, "PATH": "/usr/bin:/bin", "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "ilm-bot"), "learner", "report"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 1 and "newer version" in proc.stderr and "Traceback" not in proc.stderr
