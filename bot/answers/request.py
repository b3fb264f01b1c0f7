"""What every answer handler receives and returns, and the table of handlers by intent.

Handlers are pure: they read the knowledge, may run the rules engine, and
fill templates. When they lack something (which qualification? which
unit?) they say so with ``Reply.need`` and the assistant asks the user.

What each kind of question needs is declared here, once, beside its handler
(``@handles``): whether it needs a qualification, whether the answer is about
the asker (``personal``, never shown where others can read it), whether it
reads the stored record, and whether it is short enough to answer for every
qualification at once when none is named.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.answers.answer import Row
from bot.answers.templates import Templates
from bot.knowledge.models import Knowledge, Qualification
from bot.learners.learner import LearnerRecord
from bot.nlu.frame import Frame
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
    frame: Frame = field(default_factory=Frame)

    @property
    def q(self) -> Qualification | None:
        return self.knowledge.qualifications[self.quals[0]] if self.quals else None

    def has(self, *words: str) -> bool:
        return any(re.search(rf"\b{w}", self.text) for w in words)


@dataclass(frozen=True)
class Reply:
    #: The answer's first paragraph; its first sentence answers the question as asked.
    text: str = ""
    check: dict | None = None
    need: str | None = None
    #: A table under the lead (comparisons): column headings and rows.
    columns: tuple[str, ...] = ()
    rows: tuple[Row, ...] = ()


@dataclass(frozen=True)
class Behaviour:
    """What a kind of question needs and how its answer may be shown."""

    needs_qualification: bool = False
    #: About the asker (their record or what they say they have done): private to them.
    personal: bool = False
    #: Answered from the asker's stored record.
    record: bool = False
    #: Short and of the same shape for every qualification: answer for all instead of asking which.
    per_qualification: bool = False
    #: Reads units from the conversation when the question names none ("and its GLH?").
    unit_topic: bool = False


Handler = Callable[[Request], Reply]
HANDLERS: dict[str, Handler] = {}
BEHAVIOUR: dict[str, Behaviour] = {}
NEEDS_QUALIFICATION: set[str] = set()


def handles(
    intent: str,
    needs_qualification: bool = False,
    *,
    personal: bool = False,
    record: bool = False,
    per_qualification: bool = False,
    unit_topic: bool = False,
) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        HANDLERS[intent] = fn
        BEHAVIOUR[intent] = Behaviour(needs_qualification, personal, record, per_qualification, unit_topic)
        if needs_qualification:
            NEEDS_QUALIFICATION.add(intent)
        return fn

    return register


def behaviour(intent: str | None) -> Behaviour:
    return BEHAVIOUR.get(intent or "", Behaviour())


def ask_qualification() -> Reply:
    return Reply(need="qualification")
