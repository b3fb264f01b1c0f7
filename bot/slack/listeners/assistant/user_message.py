"""A message in an assistant thread: "is thinking…", the answer in the thread, the title from the first question."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Say, SetStatus, SetTitle
from slack_sdk.errors import SlackApiError

from bot.slack import replies
from bot.slack.blocks import clip_plain
from bot.slack.services import SlackServices

log = logging.getLogger("ilm_bot.slack.assistant")
THINKING = "is thinking…"
MAX_TITLE = 100


def user_message(
    payload: dict[str, Any], say: Say, set_status: SetStatus, set_title: SetTitle, services: SlackServices
) -> None:
    user, question = payload["user"], payload.get("text") or ""
    _optional(lambda: set_status(THINKING), "status")
    answer = services.assistant.reply(user, question, replies.conversation(payload["channel"], payload["thread_ts"]))
    text, blocks = replies.message(answer, question, asker=user, experts=services.experts_enabled)
    say(text=text, blocks=blocks)
    if question.strip() and services.threads.first_title(payload["channel"], payload["thread_ts"], user):
        _optional(lambda: set_title(clip_plain(replies.without_mentions(question), MAX_TITLE)), "title")


def _optional(call: Any, what: str) -> None:
    """Assistant-only calls: a workspace without the feature refuses them, and the answer still goes out."""
    try:
        call()
    except SlackApiError as exc:
        log.info("assistant %s not set: %s", what, exc.response.get("error"))
