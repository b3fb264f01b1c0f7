"""Build step: the repository's ``knowledge/`` and ``intents/`` go into the wheel as ``bot/_shipped/``.

They stay top-level in the repository (the source of truth that admins edit and
the ConfigMaps are made from); only a built package carries a copy, which
``bot.shipped`` finds at run time. Everything else is declared in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
DATA = ("knowledge", "intents")


class BuildPyWithData(build_py):
    """build_py that also copies the shipped YAML into the built package (never into the source tree)."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads the repository's directories directly
            return
        target = Path(self.build_lib) / "bot" / "_shipped"
        for name in DATA:
            source = ROOT / name
            if not (source / ".").is_dir():
                raise FileNotFoundError(f"{source} is missing: the wheel must ship the knowledge and intents")
            shutil.rmtree(target / name, ignore_errors=True)
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildPyWithData})
