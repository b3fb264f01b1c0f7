"""Turning the core's answers into Slack messages: where they may be shown, and the feedback they carry."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.answers.answer import Answer
from bot.nlu.normalise import clean
from bot.slack.blocks import (
    ACTION_ASK_EXPERT,
    BLOCK_ASK_EXPERT,
    MAX_MESSAGE_BLOCKS,
    Block,
    actions,
    answer_blocks,
    button,
    escape,
)

_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
#: The question kept in a feedback button's value (Slack allows 2,000 characters there).
MAX_QUESTION_IN_BUTTON = 1500
#: Longest stretch of someone's own input quoted back in an error reply, and longest error reply.
MAX_QUOTED = 80
MAX_PROBLEM = 600
_QUOTED = re.compile(rf"'([^']{{{MAX_QUOTED + 1},}})'|\"([^\"]{{{MAX_QUOTED + 1},}})\"")


def is_personal(answer: Answer) -> bool:
    """About the asker (their record or what they say they've done): the core says so on the document."""
    return answer.personal


def conversation(channel: str | None, thread: str | None = None) -> str:
    """The dialogue a message belongs to: the DM with the bot (one per user), or a channel, each per thread.

    A clarification pending in a channel thread never captures the same user's next DM."""
    where = "dm" if in_dm(channel) else str(channel or "")
    return f"{where}:{thread}" if thread else where


def in_dm(channel: str | None) -> bool:
    """Slack's direct-message channel ids start with D."""
    return bool(channel) and str(channel).startswith("D")


def say(respond: Any, text: str, **kwargs: Any) -> None:
    """An ephemeral reply whose text can never ping: plain text is escaped (``escape``, the one place),
    so what the user typed is defused and placeholders such as ``<qualification>`` show as written."""
    respond(text=escape(text), response_type="ephemeral", **kwargs)


def problem(exc: Exception) -> str:
    """An input error as one sentence, with what it quotes of the user's input (and itself) kept short."""

    def shorten(match: re.Match[str]) -> str:
        quoted = match.group(1) if match.group(1) is not None else match.group(2)
        mark = "'" if match.group(1) is not None else '"'
        return f"{mark}{quoted[: MAX_QUOTED - 1]}…{mark}"

    text = _QUOTED.sub(shorten, str(exc).strip())
    if len(text) > MAX_PROBLEM:
        text = text[: MAX_PROBLEM - 1].rstrip() + "…"
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def without_mentions(text: str) -> str:
    """The question of an @mention, without the mention itself."""
    return _MENTION.sub(" ", text).strip()


def message(
    answer: Answer, question: str, asker: str | None = None, *, experts: bool = False
) -> tuple[str, list[Block]]:
    """(fallback text, blocks) with 👍/👎 on real answers (not on clarifications or fallbacks).

    Clarification buttons carry the asker, so nobody else can answer (and so see) their question.
    With ``experts`` (ILM_EXPERTS_CHANNEL set), an answer that falls back or says a fact isn't
    known offers "Ask HR", carrying the question so pressing it needs nothing stored."""
    rate = answer.understood and not answer.choices
    text, blocks = answer_blocks(answer, feedback_id=feedback_value(answer, question) if rate else None, owner=asker)
    if experts and needs_expert(answer) and question.strip() and len(blocks) < MAX_MESSAGE_BLOCKS:
        ask = button("Ask HR", ACTION_ASK_EXPERT, expert_value(question))
        blocks = [*blocks, *actions([ask], f"{BLOCK_ASK_EXPERT}:{asker}" if asker else BLOCK_ASK_EXPERT)]
    return text, blocks


def needs_expert(answer: Answer) -> bool:
    """An answer that fell back, or said the fact asked for isn't in the knowledge."""
    return not answer.understood or answer.intent == "unknown_fact"


def expert_value(question: str) -> str:
    return json.dumps({"q": clean(question)[:MAX_QUESTION_IN_BUTTON]}, ensure_ascii=False)


def expert_asker(block_id: str) -> str | None:
    """Who may press an Ask HR button (``ask_expert:U123``): only the person who asked."""
    head, _, owner = block_id.partition(":")
    return owner or None if head == BLOCK_ASK_EXPERT else None


def read_expert_value(value: str) -> str:
    """The question an Ask HR button carries ("" when it carries none)."""
    try:
        data: Any = json.loads(value)
    except ValueError:
        return ""
    question = data.get("q") if isinstance(data, dict) else None
    return question.strip() if isinstance(question, str) else ""


def feedback_value(answer: Answer, question: str) -> str:
    """What a rating needs, carried in the button itself so no answer has to be stored to be rated."""
    cleaned = clean(question)[:MAX_QUESTION_IN_BUTTON]  # shown later only through escape
    return json.dumps({"i": answer.intent, "q": cleaned}, ensure_ascii=False)


def read_feedback_value(value: str) -> tuple[str | None, str]:
    try:
        data: Any = json.loads(value)
    except ValueError:
        return None, ""
    if not isinstance(data, dict):
        return None, ""
    intent = data.get("i") if isinstance(data.get("i"), str) else None
    question = data.get("q") if isinstance(data.get("q"), str) else ""
    return intent, question
