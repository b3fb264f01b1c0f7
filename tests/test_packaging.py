"""The package that `pip install` produces works on its own: data shipped, entry points, metadata.

The slow test builds the real wheel from a clean copy of the source, installs it
(not editable) into a fresh virtualenv and asks a question from an unrelated
directory with no ILM_* variables, which is how an operator would first try it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

from bot.shipped import SHIPPED, shipped_dir

ROOT = Path(__file__).resolve().parents[1]
DATA = ("knowledge", "intents")
#: What a wheel is built from; everything else (tests, .venv, .git) must not be needed.
SOURCES = ("bot", "knowledge", "intents", "pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "LICENSE")
QUESTION = "how many credits is the award?"


def _clean_env(home: Path) -> dict[str, str]:
    """No ILM_*, Slack or database variables: the defaults are what is being tested."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("ILM_", "SLACK_", "DATABASE_", "XDG_"))}
    return {**keep, "HOME": str(home), "PYTHONDONTWRITEBYTECODE": "1"}


def test_a_source_checkout_reads_the_repositorys_own_directories() -> None:
    """Editable installs and checkouts have no copy: editing knowledge/ is live without a rebuild."""
    for name in DATA:
        assert shipped_dir(name) == ROOT / name
    assert not (ROOT / "bot" / SHIPPED).exists(), "the build step must never copy data into the source tree"


def test_metadata_names_the_licence_urls_and_classifiers() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT" and (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert {"Homepage", "Documentation", "Source", "Issues"} <= set(project["urls"])
    classifiers = project["classifiers"]
    assert "Programming Language :: Python :: 3.11" in classifiers and len(classifiers) == len(set(classifiers))
    assert not any(c.startswith("License ::") for c in classifiers), "PEP 639: the licence is the SPDX expression"


def test_python_dash_m_bot_is_the_ilm_bot_command(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", QUESTION],
        cwd=tmp_path,
        env=_clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "10 credits" in done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built by ``pip wheel --no-deps`` from a copy holding only the sources it may use."""
    src = tmp_path_factory.mktemp("src")
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, src / name)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(src)],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    (built,) = out.glob("ilm_bot-*.whl")
    return built


@pytest.mark.slow
def test_the_wheel_ships_every_knowledge_and_intent_file(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    for name in DATA:
        files = (ROOT / name).rglob("*.yaml")
        shipped = {f"bot/{SHIPPED}/{name}/{p.relative_to(ROOT / name).as_posix()}" for p in files}
        assert shipped and shipped <= names, sorted(shipped - names)
    assert {"bot/__main__.py", "bot/py.typed", "bot/storage/migrations/script.py.mako"} <= names
    assert not any(n.startswith(("tests/", "knowledge/", "intents/")) for n in names), "data belongs inside the package"


@pytest.mark.slow
def test_an_installed_wheel_answers_from_any_directory(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    # Dependencies come from the machine's pip configuration (its local cache first), as a user's install would.
    subprocess.run([python, "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True, timeout=600)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = _clean_env(tmp_path)
    where = subprocess.run(
        [python, "-c", "import bot, bot.shipped as s; print(bot.__file__); print(s.shipped_dir('knowledge'))"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert all(Path(p).is_relative_to(env_dir) for p in where), where  # the installed copy, not this checkout
    for command in ([env_dir / "bin" / "ilm-bot"], [python, "-m", "bot"]):
        done = subprocess.run(
            [*command, "ask", QUESTION],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert "Award in Mentoring is worth 10 credits" in done.stdout, done.stdout
        assert "Traceback" not in done.stderr
