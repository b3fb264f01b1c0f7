"""A DM to the bot (outside an assistant thread, which ``listeners.assistant`` answers)."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from bot.slack import replies
from bot.slack.services import SlackServices


def direct_message(event: dict[str, Any], client: WebClient, services: SlackServices) -> None:
    """Edits, deletions, bots' messages and channel messages are not questions."""
    if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id") or not event.get("user"):
        return
    question = event.get("text") or ""
    dialogue = replies.conversation(event["channel"], event.get("thread_ts"))
    answer = services.assistant.reply(event["user"], question, dialogue)
    text, blocks = replies.message(answer, question, asker=event["user"], experts=services.experts_enabled)
    client.chat_postMessage(channel=event["channel"], text=text, blocks=blocks, thread_ts=event.get("thread_ts"))
