"""Message shortcut "Ask the ILM assistant": answers about that message's text, only to the person who used it."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, Respond

from bot.slack import replies
from bot.slack.services import SlackServices

NO_TEXT = "That message has no text I can read; ask me in a DM instead."


def ask_assistant(ack: Ack, shortcut: dict[str, Any], respond: Respond, services: SlackServices) -> None:
    ack()
    user = shortcut["user"]["id"]
    question = str((shortcut.get("message") or {}).get("text") or "").strip()
    if not question:
        replies.say(respond, NO_TEXT)
        return
    channel = str((shortcut.get("channel") or {}).get("id") or "")
    answer = services.assistant.reply(user, replies.without_mentions(question), f"shortcut:{channel}")
    text, blocks = replies.message(answer, question, asker=user, experts=services.experts_enabled)
    respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)
