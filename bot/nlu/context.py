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
            pending = Pending(**{k: tuple(v) if isinstance(v, list) else v for k, v in pending.items()})
        return cls(**fields, pending=pending)


class ContextStore(Protocol):
    def get(self, user: str) -> DialogueContext: ...
    def put(self, user: str, context: DialogueContext) -> None: ...


class MemoryContextStore:
    """Context kept in this process only: for the terminal chat and tests."""

    def __init__(self) -> None:
        self._data: dict[str, DialogueContext] = {}

    def get(self, user: str) -> DialogueContext:
        return self._data.get(user, DialogueContext())

    def put(self, user: str, context: DialogueContext) -> None:
        self._data[user] = context
