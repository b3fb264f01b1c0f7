"""A knowledge version: every YAML file of both directories, whole, with its content hash.

Versions are stored whole in the database, so any replica can rebuild any
version without the files, and a rollback needs no files at all.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from bot.answers.contract import check_contract
from bot.core.brain import Brain, content_hash
from bot.knowledge import load_knowledge
from bot.knowledge.errors import KnowledgeError, KnowledgeInvalidError
from bot.knowledge.files import knowledge_files, read_all
from bot.knowledge.models import Knowledge
from bot.nlu.intents import default_intents_dir, intent_files, load_intents

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
        """Exactly the files ``ilm-bot validate`` and ``Brain.load`` read, read the same way.

        ``KnowledgeInvalidError`` names every file that can't be read (a directory,
        a broken link, a device, not UTF-8, too large), as validation would.
        """
        knowledge, errors = read_all(knowledge_dir, knowledge_files(knowledge_dir))
        intents, intent_errors = read_all(intents_dir, intent_files(intents_dir))
        missing = not (knowledge_dir.is_dir() and intents_dir.is_dir())
        if errors or intent_errors or missing:  # every error validation gives, not only the unreadable files
            raise KnowledgeInvalidError(check_sources(knowledge_dir, intents_dir)[1] or errors + intent_errors)
        files = {f"{KNOWLEDGE}/{rel}": text for rel, text in knowledge.items()}
        files.update({f"{INTENTS}/{rel}": text for rel, text in intents.items()})
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


def check_sources(
    knowledge_dir: Path | None, intents_dir: Path | None
) -> tuple[Knowledge | None, list[KnowledgeError]]:
    """Validate both directories on disk; every error of both, in the words ``validate`` and a reload use."""
    knowledge: Knowledge | None = None
    errors: list[KnowledgeError] = []
    try:
        knowledge = load_knowledge(knowledge_dir)
    except KnowledgeInvalidError as exc:
        errors.extend(exc.errors)
    try:
        intents = load_intents(intents_dir)
    except KnowledgeInvalidError as exc:
        errors.extend(exc.errors)
    else:
        errors.extend(check_contract(intents, (intents_dir or default_intents_dir()).name))
    return knowledge, errors
