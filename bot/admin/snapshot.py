"""A knowledge version: every YAML file of both directories, whole, with its content hash.

Versions are stored whole in the database, so any replica can rebuild any
version without the files, and a rollback needs no files at all.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from bot.core.brain import Brain, content_hash

KNOWLEDGE = "knowledge"
INTENTS = "intents"


@dataclass(frozen=True)
class Snapshot:
    """Relative path (``knowledge/units.yaml``, ``intents/greeting.yaml``) → file text."""

    files: dict[str, str]

    @property
    def version(self) -> str:
        """The same id ``Brain.load`` gives these files: equal content, equal version."""
        with tempfile.TemporaryDirectory(prefix="ilm-version-") as tmp:
            kdir, idir = self.write(Path(tmp))
            return content_hash(kdir, idir)

    @classmethod
    def read(cls, knowledge_dir: Path, intents_dir: Path) -> Snapshot:
        files: dict[str, str] = {}
        for prefix, root in ((KNOWLEDGE, knowledge_dir), (INTENTS, intents_dir)):
            for path in sorted(root.rglob("*.y*ml")):
                files[f"{prefix}/{path.relative_to(root).as_posix()}"] = path.read_text(encoding="utf-8")
        return cls(files)

    def write(self, root: Path) -> tuple[Path, Path]:
        """Materialise under ``root``; returns (knowledge dir, intents dir)."""
        kdir, idir = root / KNOWLEDGE, root / INTENTS
        kdir.mkdir(parents=True, exist_ok=True)
        idir.mkdir(parents=True, exist_ok=True)
        for rel, text in self.files.items():
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        return kdir, idir

    def build(self) -> Brain:
        """Validate and build a brain from this snapshot; ``KnowledgeInvalidError`` lists every problem."""
        with tempfile.TemporaryDirectory(prefix="ilm-version-") as tmp:
            kdir, idir = self.write(Path(tmp))
            return Brain.load(kdir, idir)
