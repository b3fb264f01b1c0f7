"""Answers as Block Kit: unit lists easy to scan, check bars, choices, suggestions, 👍/👎."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from bot.answers.answer import Answer, Choice, Row, Structure
from bot.slack.blocks.kit import (
    ACTION_CHOOSE,
    ACTION_FEEDBACK_DOWN,
    ACTION_FEEDBACK_UP,
    BLOCK_CHOICES,
    BLOCK_FEEDBACK,
    ELLIPSIS,
    MAX_ACTIONS_ELEMENTS,
    MAX_ANSWER_TEXT,
    MAX_MESSAGE_BLOCKS,
    Block,
    actions,
    button,
    clip,
    context,
    escape,
    fallback,
    indexed_buttons,
    progress_line,
    section,
    split_text,
)

# -- unit lists -----------------------------------------------------------------------------


def unit_item(ref: str, title: str | None = None, credits: Any = None, glh: Any = None) -> str:
    """``• *8578-300* Understanding Good Practice… · 3 credits · 9 GLH`` (``title`` already escaped)."""
    parts = [f"*{ref}*" + (f" {title}" if title else "")]
    if credits is not None:
        parts.append(f"{credits} credit" + ("" if str(credits) == "1" else "s"))
    if glh is not None:
        parts.append(f"{glh} GLH")
    return "• " + " · ".join(parts)


def answer_blocks(
    answer: Answer, *, feedback_id: str | None = None, owner: str | None = None
) -> tuple[str, list[Block]]:
    """(fallback text, blocks) for one answer document, in a DM, a thread or an ephemeral reply.

    Rendered from the document's parts, never by re-reading its text: the lead (its first
    sentence answers the question), each further part as its own section, a side-by-side table
    as fields, bars for a rules check, the clarification choices as buttons (each carrying the
    question it answers), suggestions as a context line, and 👍/👎 when ``feedback_id`` is given.
    """
    tail: list[Block] = []
    if answer.rows:
        tail.extend(table_blocks(answer.columns, answer.rows))
    if answer.check:
        tail.extend(check_blocks(answer.check))
    if answer.choices:
        block_id = f"{BLOCK_CHOICES}:{answer.intent or ''}" + (f":{owner}" if owner else "")
        items = [(c.label, choice_value(c)) for c in answer.choices[:MAX_ACTIONS_ELEMENTS]]
        tail.extend(actions(indexed_buttons(ACTION_CHOOSE, items), block_id))
    if answer.suggestions:
        tail.append(context("Did you mean: " + "  ·  ".join(escape(s) for s in answer.suggestions) + "?"))
    if feedback_id:
        tail.extend(feedback_blocks(feedback_id))

    lead = structure_text(answer.structure) if answer.structure else escape((answer.lead or answer.text).strip())
    parts = [lead, *(escape(p.strip()) for p in answer.details)]
    parts = [p for p in parts if p] or [ELLIPSIS]
    pieces = [piece for part in parts for piece in split_text(part)]
    body_chars = sum(len(p) for p in pieces)
    shortened = body_chars > MAX_ANSWER_TEXT
    room = MAX_MESSAGE_BLOCKS - len(tail) - 1
    if len(pieces) > room:
        pieces, shortened = pieces[:room], True
    blocks = [section(p) for p in pieces]
    if shortened:
        blocks.append(context("_This answer was shortened to fit in Slack; ask about one part for the rest._"))
    return fallback(answer.text), blocks + tail


def structure_text(structure: Structure) -> str:
    """A qualification's units as the rules group them: a heading per group, a bullet per unit."""
    lines = [escape(structure.title) + ":"]
    for unit_list in structure.lists:
        lines.append(escape(unit_list.heading) + ":")
        lines += [unit_item(escape(u.ref), escape(u.title), u.credits, u.glh) for u in unit_list.units]
    if structure.note:
        lines.append(escape(structure.note))
    return "\n".join(lines)


#: Slack allows 2,000 characters in a button's value; the held question goes with the choice when it fits.
MAX_CHOICE_VALUE = 1900


def choice_value(choice: Choice) -> str:
    """The qualification chosen and, when it fits, the question it answers (so no NLU is needed)."""
    if choice.payload:
        value = json.dumps({"q": choice.value, "p": choice.payload}, ensure_ascii=False, separators=(",", ":"))
        if len(value) <= MAX_CHOICE_VALUE:
            return value
    return choice.value


def read_choice_value(value: str) -> tuple[str, dict[str, Any] | None]:
    """(qualification id, held question or None) from a choice button's value; plain ids still read."""
    if not value.startswith("{"):
        return value, None
    try:
        data = json.loads(value)
    except ValueError:
        return "", None
    if not isinstance(data, dict) or not isinstance(data.get("q"), str):
        return "", None
    held = data.get("p")
    return data["q"], held if isinstance(held, dict) else None


def table_blocks(columns: Sequence[str], rows: Sequence[Row]) -> list[Block]:
    """A side-by-side comparison: one section per row, its values as fields under their column names."""
    out: list[Block] = []
    for row in rows[: MAX_MESSAGE_BLOCKS // 3]:
        fields = [
            f"*{escape(col)}*\n{escape(clip(val, 1900))}" for col, val in zip(columns, row.values, strict=False)
        ] or [escape(" · ".join(row.values))]
        out.append({"type": "section", "text": {"type": "mrkdwn", "text": f"*{escape(row.label)}*"}})
        out.append({"type": "section", "fields": [{"type": "mrkdwn", "text": f} for f in fields[:10]]})
    return out


def feedback_blocks(feedback_id: str) -> list[Block]:
    buttons = [
        button("👍", ACTION_FEEDBACK_UP, feedback_id),
        button("👎", ACTION_FEEDBACK_DOWN, feedback_id),
    ]
    return actions(buttons, BLOCK_FEEDBACK)


def feedback_given(blocks: Sequence[Block], helpful: bool) -> list[Block]:
    """The same message with its 👍/👎 buttons replaced by a thank-you (for chat.update)."""
    thanks = context("👍 Thanks, glad it helped." if helpful else "👎 Thanks, noted: this answer will be reviewed.")
    return [thanks if b.get("block_id") == BLOCK_FEEDBACK else b for b in blocks]


def check_blocks(check: Mapping[str, Any]) -> list[Block]:
    """Bars for a rules-engine result (``Evaluation.to_dict()``): credits, then hours still tracked."""
    if "credits_required" not in check:
        return []
    lines = [progress_line(check.get("credits_achieved", 0), check.get("credits_required"), "credits")]
    for item in [*check.get("programme", ()), *check.get("practice", ())]:
        if item.get("hours_required") is None:
            continue
        label = item.get("description") or " ".join(str(x) for x in (item.get("unit"), item.get("kind")) if x)
        lines.append(progress_line(item.get("hours_logged") or 0, item["hours_required"], "hours · " + escape(label)))
    return [context("\n".join(lines))]
