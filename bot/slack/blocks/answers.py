"""Answers as Block Kit: unit lists easy to scan, check bars, choices, suggestions, 👍/👎."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from bot.answers.answer import Answer
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

#: "8578-300 Understanding Good Practice in Workplace Coaching (3 credits, 9 GLH)", as answers write units.
_UNIT = re.compile(
    r"(?P<ref>\b\d{4}-\d{3}\b)\s+(?P<title>[^()\n]+?)\s*"
    r"\((?P<credits>\d+)\s+credits?,\s*(?P<glh>\d+)\s+(?:GLH|guided learning hours)\)"
)
_LIST_GLUE = re.compile(r"^\s*(?:,|;|,?\s*and|,?\s*or)?\s*$")


def unit_item(ref: str, title: str | None = None, credits: Any = None, glh: Any = None) -> str:
    """``• *8578-300* Understanding Good Practice… · 3 credits · 9 GLH`` (``title`` already escaped)."""
    parts = [f"*{ref}*" + (f" {title}" if title else "")]
    if credits is not None:
        parts.append(f"{credits} credit" + ("" if str(credits) == "1" else "s"))
    if glh is not None:
        parts.append(f"{glh} GLH")
    return "• " + " · ".join(parts)


def format_units(text: str) -> str:
    """Turn the units an answer names inline into bullet lines, keeping the prose around them.

    "Two mandatory units (6 credits): A (3 credits, 9 GLH) and B (…); then either 10
    credits from Group 1 (C … and D …) or …" becomes the lead-in, a bullet per unit,
    then "then either 10 credits from Group 1:" and its bullets, and so on. Only the
    brackets and commas that joined the units are dropped; every word stays. Answers
    naming fewer than two units are returned unchanged.
    """
    matches = list(_UNIT.finditer(text))
    if len(matches) < 2:
        return text
    lines: list[str] = []
    pos = 0
    for m in matches:
        between = text[pos : m.start()]
        if pos == 0 or not _LIST_GLUE.match(between):
            prose = between.strip().lstrip(")];,. ").rstrip("( ").strip() if pos else between.strip().rstrip("( ")
            if prose:
                lines.append(prose if prose.endswith((":", ".", "?", "!")) else prose + ":")
        lines.append(unit_item(m["ref"], m["title"].strip(), m["credits"], m["glh"]))
        pos = m.end()
    tail = text[pos:].strip().lstrip(")];,. ").strip()
    if tail:
        lines.append(tail)
    return "\n".join(lines)


# -- answers ------------------------------------------------------------------------------------


def answer_blocks(
    answer: Answer, *, feedback_id: str | None = None, owner: str | None = None
) -> tuple[str, list[Block]]:
    """(fallback text, blocks) for one answer, in a DM, a thread or an ephemeral reply.

    The answer in ``mrkdwn`` (unit lists as bullets), bars for a rules check, the
    clarification choices as buttons (value = qualification id; the block id carries
    the intent so a handler can answer in place), suggestions as a context line, and
    👍/👎 buttons when ``feedback_id`` is given.
    """
    body = format_units(escape(answer.text.strip())) or ELLIPSIS
    tail: list[Block] = []
    if answer.check:
        tail.extend(check_blocks(answer.check))
    if answer.choices:
        block_id = f"{BLOCK_CHOICES}:{answer.intent or ''}" + (f":{owner}" if owner else "")
        items = [(c.label, c.value) for c in answer.choices[:MAX_ACTIONS_ELEMENTS]]
        tail.extend(actions(indexed_buttons(ACTION_CHOOSE, items), block_id))
    if answer.suggestions:
        tail.append(context("Did you mean: " + "  ·  ".join(escape(s) for s in answer.suggestions) + "?"))
    if feedback_id:
        tail.extend(feedback_blocks(feedback_id))

    shortened = len(body) > MAX_ANSWER_TEXT
    pieces = split_text(clip(body, MAX_ANSWER_TEXT) if shortened else body)
    room = MAX_MESSAGE_BLOCKS - len(tail) - 1
    if len(pieces) > room:
        pieces, shortened = pieces[:room], True
    blocks = [section(p) for p in pieces]
    if shortened:
        blocks.append(context("_This answer was shortened to fit in Slack; ask about one part for the rest._"))
    return fallback(answer.text), blocks + tail


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
