"""Block Kit building blocks and Slack's limits: escaped text, elements, buttons, fitting."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

from bot.answers.safety import neutralise

Block = dict[str, Any]


# -- Slack's limits (https://api.slack.com/reference/block-kit) ----------------------------

MAX_MESSAGE_BLOCKS = 50
MAX_HOME_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_ACTION_ID = 255
MAX_BLOCK_ID = 255
MAX_BUTTON_VALUE = 2000
MAX_ACTIONS_ELEMENTS = 25
MAX_CONTEXT_ELEMENTS = 10
MAX_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_CONFIRM_TITLE = 100
MAX_CONFIRM_TEXT = 300
MAX_CONFIRM_BUTTON = 30
#: The top-level ``text``: Slack truncates beyond 40,000 characters, but notifications and
#: screen readers only need the gist, and a long fallback doubles the message's size.
MAX_FALLBACK_TEXT = 4000
#: Answer text shown in one message. Slack also caps a message's total block content
#: (``msg_blocks_too_long``) below 50 × 3000, so stay well under it.
MAX_ANSWER_TEXT = 12_000

# -- action ids (match with action_pattern) -------------------------------------------------

ACTION_CHOOSE = "choose_qualification"
ACTION_EXAMPLE = "ask_example"
ACTION_FEEDBACK_UP = "feedback_up"
ACTION_FEEDBACK_DOWN = "feedback_down"
ACTION_FORGET_CONFIRM = "forget_confirm"
ACTION_FORGET_CANCEL = "forget_cancel"
#: "Ask HR" under an answer that fell back or said a fact isn't known (issue contract).
ACTION_ASK_EXPERT = "ask_expert"
#: "Answer" under a question posted in the experts' channel.
ACTION_ANSWER_EXPERT = "answer_expert"
#: block_id of the Ask HR block.
BLOCK_ASK_EXPERT = "ask_expert"
#: block_id of the 👍/👎 block, so a handler can swap it for a thank-you (feedback_given).
BLOCK_FEEDBACK = "feedback"
#: block_id prefix of the clarification buttons; the rest is the intent being clarified.
BLOCK_CHOICES = "choices"

ELLIPSIS = "…"
FILLED, EMPTY = "▓", "░"


def action_pattern(name: str) -> re.Pattern[str]:
    """Matches ``name`` and its indexed forms ``name:0``, ``name:1``… (for ``app.action``)."""
    return re.compile(rf"^{re.escape(name)}(?::\d+)?$")


def action_name(action_id: str) -> str:
    """``choose_qualification:2`` -> ``choose_qualification``."""
    return action_id.split(":", 1)[0]


def choice_intent(block_id: str) -> str | None:
    """The intent a clarification block was asking about (``choices:qualification_units[:U123]``), if any."""
    parts = block_id.split(":")
    return parts[1] or None if parts[0] == BLOCK_CHOICES and len(parts) > 1 else None


def choice_owner(block_id: str) -> str | None:
    """Who asked the question a clarification block belongs to (only they may answer it)."""
    parts = block_id.split(":")
    return parts[2] or None if parts[0] == BLOCK_CHOICES and len(parts) > 2 else None


# -- text ---------------------------------------------------------------------------------

_ENTITY_TAIL = re.compile(r"&[a-z]{0,4}$")


class Mrkdwn(str):
    """Text that is already Slack ``mrkdwn`` built by the bot (e.g. a reminder naming ``<#C123>``).

    Everything else that reaches Slack is plain text and goes through :func:`escape`,
    the one place where user text is neutralised; only this marker skips it.
    """

    __slots__ = ()


def escape(text: str) -> str:
    """Text for ``mrkdwn``: broadcasts defused, then ``&``, ``<`` and ``>`` escaped as Slack asks.

    The one place where the Slack layer neutralises text: every reply, answer, block and
    fallback passes through here, exactly once (text marked :class:`Mrkdwn` is already markup).
    """
    if isinstance(text, Mrkdwn):
        return str(text)
    text = neutralise(text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _safe_cut(text: str, limit: int) -> str:
    """``text[:limit]`` moved back so it never ends inside an ``&amp;``-style escape."""
    cut = text[:limit]
    tail = _ENTITY_TAIL.search(cut)
    if tail and len(text) > limit:
        cut = cut[: tail.start()]
    return cut


def clip(text: str, limit: int) -> str:
    """Shorten ``mrkdwn`` to ``limit`` characters with "…": at a word if one is near, never mid-escape,
    never leaving a ``*bold*``/``_italic_``/`` `code` `` span open on the last line."""
    if len(text) <= limit:
        return text
    cut = _safe_cut(text, limit - len(ELLIPSIS))
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space >= len(cut) * 0.8:
        cut = cut[:space]
    last_line_start = cut.rfind("\n") + 1
    for mark in "*_~`":
        line = cut[last_line_start:]
        if line.count(mark) % 2:
            cut = cut[: last_line_start + line.rfind(mark)]
    return cut.rstrip() + ELLIPSIS


def clip_plain(text: str, limit: int) -> str:
    """Shorten ``plain_text`` (no markup to protect) to ``limit`` characters with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    space = cut.rfind(" ")
    if space >= len(cut) * 0.7:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS


def split_text(text: str, limit: int = MAX_SECTION_TEXT) -> list[str]:
    """Split ``mrkdwn`` into pieces of at most ``limit``: at paragraphs, else lines, else words."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        pos = -1
        for sep in ("\n\n", "\n", " "):
            found = window.rfind(sep)
            if found >= limit // 3:
                pos = found
                break
        if pos <= 0:
            pos = len(_safe_cut(rest, limit)) or limit
        piece = rest[:pos].rstrip()
        if piece:
            pieces.append(piece)
        rest = rest[pos:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def number(value: float) -> str:
    """12.0 -> '12', 12.5 -> '12.5', 1/3 -> '0.33'."""
    return f"{round(float(value), 2):g}"


def bar(have: float, need: float, width: int = 10) -> str:
    """A text progress bar such as ``▓▓▓▓░░░░░░``.

    Full only when ``have >= need`` (so "nearly there" never looks done), never empty
    once something is done, and ``need <= 0`` (nothing required) counts as done.
    """
    width = max(1, int(width))
    have = _finite(have)
    need = _finite(need)
    if need <= 0 or have >= need:
        filled = width
    elif have <= 0:
        filled = 0
    else:
        filled = min(width - 1, max(1, math.floor(have / need * width + 0.5)))
    return FILLED * filled + EMPTY * (width - filled)


def progress_line(have: float, need: float | None, what: str) -> str:
    """``"`▓▓▓▓░░░░░░` 6/16 credits"``, with ✓ when done; just "3 hours · … logged" when nothing is required."""
    if need is None:
        return f"{number(have)} {what} · logged"
    mark = " ✓" if _finite(have) >= _finite(need) else ""
    return f"`{bar(have, need)}` {number(have)}/{number(need)} {what}{mark}"


def _finite(value: Any) -> float:
    try:
        number_ = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number_ if math.isfinite(number_) else 0.0


# -- elements and blocks -----------------------------------------------------------------------


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def plain(text: str, limit: int = MAX_SECTION_TEXT) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip_plain(text, limit) or " ", "emoji": True}


def section(text: str) -> Block:
    """A ``mrkdwn`` section; ``text`` must already be escaped."""
    return {"type": "section", "text": mrkdwn(clip(text, MAX_SECTION_TEXT))}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text, MAX_HEADER_TEXT)}


def context(*texts: str) -> Block:
    """A context line; ``texts`` must already be escaped."""
    elements = [mrkdwn(clip(t, MAX_SECTION_TEXT)) for t in texts if t][:MAX_CONTEXT_ELEMENTS]
    return {"type": "context", "elements": elements or [mrkdwn(" ")]}


def divider() -> Block:
    return {"type": "divider"}


def button(
    text: str, action_id: str, value: str, *, style: str | None = None, confirm: dict[str, Any] | None = None
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": plain(text, MAX_BUTTON_TEXT),
        "action_id": action_id[:MAX_ACTION_ID],
        "value": value[:MAX_BUTTON_VALUE],
    }
    if style in {"primary", "danger"}:
        element["style"] = style
    if confirm is not None:
        element["confirm"] = confirm
    return element


def actions(buttons: Sequence[dict[str, Any]], block_id: str | None = None) -> list[Block]:
    """Buttons in as many ``actions`` blocks as Slack's 25-per-block limit needs (block ids kept unique)."""
    out: list[Block] = []
    for n, start in enumerate(range(0, len(buttons), MAX_ACTIONS_ELEMENTS)):
        block: Block = {"type": "actions", "elements": list(buttons[start : start + MAX_ACTIONS_ELEMENTS])}
        if block_id:
            block["block_id"] = (block_id if n == 0 else f"{block_id}#{n}")[:MAX_BLOCK_ID]
        out.append(block)
    return out


def indexed_buttons(action: str, items: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    """One button per (label, value), with unique ``action:index`` ids."""
    return [button(label, f"{action}:{i}", value) for i, (label, value) in enumerate(items)]


def fit(blocks: list[Block], limit: int, note: str) -> list[Block]:
    """At most ``limit`` blocks: when cut, the last one is a context ``note`` saying so."""
    if len(blocks) <= limit:
        return blocks
    kept = blocks[: limit - 1]
    while kept and kept[-1]["type"] in {"header", "divider"}:  # don't end on a dangling heading
        kept.pop()
    return [*kept, context(note)]


def fallback(text: str) -> str:
    """The top-level ``text`` beside blocks: escaped (it is ``mrkdwn`` too) and at most 4000 characters."""
    return clip(escape(text.strip()), MAX_FALLBACK_TEXT) or " "
