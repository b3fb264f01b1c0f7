"""Turning the core's answers into Slack messages: where they may be shown, and the feedback they carry."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.answers.answer import Answer
from bot.answers.safety import neutralise
from bot.nlu.normalise import clean
from bot.slack.blocks import Block, answer_blocks

_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
#: The question kept in a feedback button's value (Slack allows 2,000 characters there).
MAX_QUESTION_IN_BUTTON = 1500


def is_personal(answer: Answer) -> bool:
    """About the asker (their record or what they say they've done): the core says so on the document."""
    return answer.personal


def in_dm(channel: str | None) -> bool:
    """Slack's direct-message channel ids start with D."""
    return bool(channel) and str(channel).startswith("D")


def say(respond: Any, text: str, **kwargs: Any) -> None:
    """An ephemeral command reply whose text can never ping: whatever the user typed is defused."""
    respond(text=neutralise(text), response_type="ephemeral", **kwargs)


def without_mentions(text: str) -> str:
    """The question of an @mention, without the mention itself."""
    return _MENTION.sub(" ", text).strip()


def message(answer: Answer, question: str, asker: str | None = None) -> tuple[str, list[Block]]:
    """(fallback text, blocks) with 👍/👎 on real answers (not on clarifications or fallbacks).

    Clarification buttons carry the asker, so nobody else can answer (and so see) their question."""
    rate = answer.understood and not answer.choices
    return answer_blocks(answer, feedback_id=feedback_value(answer, question) if rate else None, owner=asker)


def feedback_value(answer: Answer, question: str) -> str:
    """What a rating needs, carried in the button itself so no answer has to be stored to be rated."""
    cleaned = neutralise(clean(question))[:MAX_QUESTION_IN_BUTTON]
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
