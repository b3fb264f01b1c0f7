"""One immutable bundle of everything built from a knowledge version.

Swapping knowledge (reload, rollback) means building a new ``Brain`` and
replacing one reference; questions in flight keep the one they started with.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from bot.answers.contract import check_contract
from bot.answers.templates import Templates
from bot.knowledge import load_knowledge
from bot.knowledge.errors import KnowledgeInvalidError
from bot.knowledge.files import knowledge_files, read_all
from bot.knowledge.loader import default_knowledge_dir
from bot.knowledge.lookup import TextIndex
from bot.knowledge.models import Knowledge
from bot.nlu.entities import EntityExtractor
from bot.nlu.intents import IntentSet, default_intents_dir, intent_files, load_intents
from bot.nlu.matcher import IntentMatcher
from bot.rules import Engine


@dataclass(frozen=True)
class Brain:
    knowledge: Knowledge
    intents: IntentSet
    extractor: EntityExtractor
    matcher: IntentMatcher
    engine: Engine
    templates: Templates
    version: str
    texts: TextIndex

    @classmethod
    def build(cls, knowledge: Knowledge, intents: IntentSet, version: str = "") -> Brain:
        """Build everything for one knowledge version; refuse it when the data and the code disagree."""
        if errors := check_contract(intents):
            raise KnowledgeInvalidError(errors)
        extractor = EntityExtractor(knowledge)
        return cls(
            knowledge=knowledge,
            intents=intents,
            extractor=extractor,
            matcher=IntentMatcher(intents, extractor),
            engine=Engine(knowledge.catalogue),
            templates=Templates(intents.responses),
            version=version,
            texts=TextIndex(knowledge),
        )

    @classmethod
    def load(cls, knowledge_dir: Path | str | None = None, intents_dir: Path | str | None = None) -> Brain:
        """Load from directories; defaults come from ``ILM_KNOWLEDGE_DIR`` / ``ILM_INTENTS_DIR`` or the repo."""
        kdir, idir = source_dirs(knowledge_dir, intents_dir)
        return cls.build(load_knowledge(kdir), load_intents(idir), content_hash(kdir, idir))


def source_dirs(knowledge_dir: Path | str | None = None, intents_dir: Path | str | None = None) -> tuple[Path, Path]:
    """The directories to load: given ones, else ``ILM_KNOWLEDGE_DIR`` / ``ILM_INTENTS_DIR``, else the repo's."""
    kdir = Path(knowledge_dir or os.environ.get("ILM_KNOWLEDGE_DIR") or default_knowledge_dir())
    idir = Path(intents_dir or os.environ.get("ILM_INTENTS_DIR") or default_intents_dir())
    return kdir, idir


def content_hash(knowledge_dir: Path, intents_dir: Path) -> str:
    """A short id for the exact content of the files the loaders read: equal content, equal version."""
    digest = hashlib.sha256()
    for root, paths in ((knowledge_dir, knowledge_files(knowledge_dir)), (intents_dir, intent_files(intents_dir))):
        texts, _ = read_all(root, paths)  # unreadable files are the loaders' errors, reported before this
        for rel in sorted(texts):
            digest.update(rel.encode())
            digest.update(b"\0")
            digest.update(texts[rel].encode())
            digest.update(b"\0")
    return digest.hexdigest()[:12]
