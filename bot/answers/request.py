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
from typing import Any

from bot.answers.answer import Row, Structure
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
    #: Units a personal check asks about ("do I still need 304?"), apart from the ones done.
    asked: tuple[str, ...] = ()
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
    structure: Structure | None = None
    #: The units a ranking ranged over ("which unit has the most credits?"): what "and which has the fewest
    #: GLH?" ranks next.
    ranged: tuple[str, ...] = ()


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
    #: The facts this topic is about (``bot.answers.attributes``): claims and comparisons of them land here.
    attributes: tuple[str, ...] = ()
    #: Its facts are text (who it's for, where it leads): a yes/no about them is checked word by word.
    text_fact: bool = False
    #: May speak of other levels in its own right ("does it lead to a Level 5?").
    other_levels: bool = False
    #: The frame may re-read it: a yes/no naming a unit and a qualification as membership, units the
    #: asker says they've done as a personal check. By default topics about one fact are not.
    re_read: bool = True

    @property
    def rereadable(self) -> bool:
        return self.re_read and not self.record


Handler = Callable[[Request], Reply]
HANDLERS: dict[str, Handler] = {}
BEHAVIOUR: dict[str, Behaviour] = {}
NEEDS_QUALIFICATION: set[str] = set()


def handles(intent: str, needs_qualification: bool = False, **declared: Any) -> Callable[[Handler], Handler]:
    """Register a handler and declare its behaviour (the fields of ``Behaviour``) beside it.

    Unless said otherwise, a topic about one fact (``attributes``) is not re-read by the frame."""
    declared.setdefault("re_read", not declared.get("attributes"))
    how = Behaviour(needs_qualification=needs_qualification, **declared)

    def register(fn: Handler) -> Handler:
        HANDLERS[intent] = fn
        BEHAVIOUR[intent] = how
        if needs_qualification:
            NEEDS_QUALIFICATION.add(intent)
        return fn

    return register


def behaviour(intent: str | None) -> Behaviour:
    return BEHAVIOUR.get(intent or "", Behaviour())


def topic_for(attribute: str | None, about_unit: bool = False) -> str | None:
    """The topic that answers an attribute: of a unit when the question is about one, else of a qualification."""
    topics = [i for i, b in BEHAVIOUR.items() if attribute and attribute in b.attributes]
    preferred = [i for i in topics if BEHAVIOUR[i].unit_topic == about_unit]
    return (preferred or topics or [None])[0]


def attribute_of_topic(intent: str | None) -> str | None:
    attributes = behaviour(intent).attributes
    return attributes[0] if attributes else None


def ask_qualification() -> Reply:
    return Reply(need="qualification")
