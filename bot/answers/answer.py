"""The answer every surface renders: plain text, Block Kit, and the rules result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Choice:
    """A button the user can press instead of typing (clarifications, suggestions)."""

    label: str
    value: str


@dataclass(frozen=True)
class Answer:
    text: str
    understood: bool
    intent: str | None = None
    confidence: float = 0.0
    entities: dict[str, Any] = field(default_factory=dict)
    check: dict[str, Any] | None = None
    suggestions: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()
    blocks: tuple[dict[str, Any], ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The `ilm-bot ask --json` contract."""
        return {
            "text": self.text,
            "understood": self.understood,
            "intent": self.intent,
            "confidence": round(max(0.0, min(1.0, self.confidence)), 4),
            "entities": self.entities,
            "check": self.check,
            "suggestions": list(self.suggestions),
        }
