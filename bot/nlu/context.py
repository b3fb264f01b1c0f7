"""Per-user dialogue context: what the last turn was about, and any open question.

Serialisable to plain JSON so it can live in the database and be shared by
several bot processes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Pending:
    """A clarification the bot asked ("Which certificate?") and the question it is holding."""

    intent: str
    candidates: tuple[str, ...]
    units: tuple[str, ...] = ()
    hours: float | None = None
    kinds: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    #: The question as asked, and what its frame asked for, so the choice answers exactly that.
    text: str = ""
    frame: dict[str, Any] | None = None
    #: Answered for all of them already; only a short reply naming one ("the mentoring one") picks it.
    soft: bool = False

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Pending:
        """A held question from storage or a button; unknown or malformed fields are dropped."""
        fields = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**fields)


@dataclass(frozen=True)
class DialogueContext:
    intent: str | None = None
    qualifications: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    stated_units: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    hours: float | None = None
    pending: Pending | None = None
    turns: int = 0
    #: Qualifications the asker says they hold or have finished ("I've got the Award"): what they top up from.
    held: tuple[str, ...] = ()
    #: The units the last answer listed: what "those", "of them", "which of these" refer to.
    listed: tuple[str, ...] = ()
    #: The attribute the last answer gave (credits, glh, tutorial…): what "is that more than …?" compares.
    attribute: str | None = None
    #: The last question as answered: what "sorry, I meant the Award" asks again of another subject.
    text: str = ""

    @property
    def qualification(self) -> str | None:
        return self.qualifications[0] if self.qualifications else None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> DialogueContext:
        if not data:
            return cls()
        data = dict(data)
        pending = data.pop("pending", None)
        fields = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in cls.__dataclass_fields__}
        if pending:
            pending = Pending.from_json(pending)
        return cls(**fields, pending=pending)


#: Conversations remembered per user (oldest dropped first): threads, DMs, the terminal.
MAX_CONVERSATIONS = 20


def pick(data: dict[str, Any] | None, conversation: str) -> DialogueContext:
    """One conversation's context out of a user's stored map (an older single-context row counts as "")."""
    if not data:
        return DialogueContext()
    convs = data.get("conversations")
    if not isinstance(convs, dict):
        return DialogueContext.from_json(data) if conversation == "" else DialogueContext()
    return DialogueContext.from_json(convs.get(conversation))


def store(data: dict[str, Any] | None, conversation: str, context: DialogueContext) -> dict[str, Any]:
    """The user's map with this conversation's context written last (so it is dropped last)."""
    convs = dict(data.get("conversations") or {}) if isinstance(data, dict) else {}
    convs.pop(conversation, None)
    convs[conversation] = context.to_json()
    while len(convs) > MAX_CONVERSATIONS:
        convs.pop(next(iter(convs)))
    return {"conversations": convs}


class ContextStore(Protocol):
    """Dialogue state per conversation: Slack's user + channel + thread, or the user in the terminal."""

    def get(self, user: str, conversation: str = "") -> DialogueContext: ...
    def put(self, user: str, context: DialogueContext, conversation: str = "") -> None: ...


class MemoryContextStore:
    """Context kept in this process only: for the terminal chat and tests."""

    def __init__(self) -> None:
        self._data: dict[tuple[str, str], DialogueContext] = {}

    def get(self, user: str, conversation: str = "") -> DialogueContext:
        return self._data.get((user, conversation), DialogueContext())

    def put(self, user: str, context: DialogueContext, conversation: str = "") -> None:
        self._data[(user, conversation)] = context
