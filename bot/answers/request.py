"""What every answer handler receives and returns, and the table of handlers by intent.

Handlers are pure: they read the knowledge, may run the rules engine, and
fill templates. When they lack something (which qualification? which
unit?) they say so with ``Reply.need`` and the assistant asks the user.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.answers.templates import Templates
from bot.knowledge.models import Knowledge, Qualification
from bot.learners.learner import LearnerRecord
from bot.rules import Engine


@dataclass(frozen=True)
class Request:
    knowledge: Knowledge
    engine: Engine
    t: Templates
    text: str
    quals: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    hours: float | None = None
    kinds: tuple[str, ...] = ()
    hours_by_kind: tuple[tuple[str, float], ...] = ()
    source_quals: tuple[str, ...] = ()
    #: The asker's own stored record, when the surface has one (never anybody else's).
    learner: LearnerRecord | None = None

    @property
    def q(self) -> Qualification | None:
        return self.knowledge.qualifications[self.quals[0]] if self.quals else None

    def has(self, *words: str) -> bool:
        return any(re.search(rf"\b{w}", self.text) for w in words)


@dataclass(frozen=True)
class Reply:
    text: str = ""
    check: dict | None = None
    need: str | None = None


Handler = Callable[[Request], Reply]
HANDLERS: dict[str, Handler] = {}
NEEDS_QUALIFICATION: set[str] = set()


def handles(intent: str, needs_qualification: bool = False) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        HANDLERS[intent] = fn
        if needs_qualification:
            NEEDS_QUALIFICATION.add(intent)
        return fn

    return register


def ask_qualification() -> Reply:
    return Reply(need="qualification")
