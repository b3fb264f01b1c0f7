"""The answer document every surface renders: terminal, `ask --json` and Block Kit.

The core returns structure, not a finished string: a ``lead`` whose first
sentence answers the question as asked, further paragraphs (``details``),
an optional table (``columns``/``rows``), the rules result (``check``),
buttons (``choices``), ``suggestions`` and whether it is ``personal`` (about
the asker: never shown where others can read it). ``text`` is the plain
rendering of the same document, for the terminal and the JSON contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Choice:
    """A button the user can press instead of typing (clarifications, suggestions)."""

    label: str
    value: str
    #: What answering with this choice needs (the held question), so no surface re-reads the label.
    payload: dict[str, Any] | None = None


@dataclass(frozen=True)
class Row:
    """One line of a side-by-side answer: a label and one value per column."""

    label: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class UnitItem:
    ref: str
    title: str
    credits: int
    glh: int


@dataclass(frozen=True)
class UnitList:
    """A heading and its units ("Two mandatory units (6 credits)", "or 10 credits from Group 2")."""

    heading: str
    units: tuple[UnitItem, ...]


@dataclass(frozen=True)
class Structure:
    """A qualification's units as its rules group them: for surfaces that show lists (Block Kit)."""

    title: str
    lists: tuple[UnitList, ...]
    note: str = ""


def render_plain(lead: str, details: tuple[str, ...], columns: tuple[str, ...], rows: tuple[Row, ...]) -> str:
    """The document as plain text: lead, then each detail, then the table one row per line."""
    lines = [lead, *details] if lead else list(details)
    if rows:
        if columns:
            lines.append(" vs ".join(columns) + ":")
        lines += [f"{r.label}: " + " vs ".join(r.values) for r in rows]
    return "\n".join(line for line in lines if line)


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
    lead: str = ""
    details: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    rows: tuple[Row, ...] = ()
    #: About the asker (their record, or what they say they have done): private to them.
    personal: bool = False
    #: The units the answer lists, grouped as the rules group them (the text says the same in prose).
    structure: Structure | None = None

    @classmethod
    def document(
        cls,
        lead: str,
        *,
        details: tuple[str, ...] = (),
        columns: tuple[str, ...] = (),
        rows: tuple[Row, ...] = (),
        **fields: Any,
    ) -> Answer:
        """Build an answer from its parts; ``text`` is rendered from them so the two never disagree."""
        text = render_plain(lead, details, columns, rows)
        return cls(text=text, lead=lead, details=details, columns=columns, rows=rows, **fields)

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
            "personal": self.personal,
            "lead": self.lead,
        }


def lead_with(verdict: str, text: str) -> str:
    """'Yes: the Award …': a verdict before a sentence, whose first letter is lowered unless it starts
    an acronym or a code ('ILM membership', '8577-305')."""
    keep = len(text) > 1 and (text[1].isupper() or not text[:1].isalpha())
    return f"{verdict}: {text if keep else text[:1].lower() + text[1:]}"
