"""An @mention in a channel: answered in a thread; personal answers only to the asker."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from bot.slack import replies
from bot.slack.services import SlackServices


def app_mention(event: dict[str, Any], client: WebClient, services: SlackServices) -> None:
    if event.get("bot_id") or not event.get("user"):
        return
    if event.get("channel_type") == "im" or replies.in_dm(event.get("channel")):
        return  # a mention inside the DM also arrives as message.im, which answers it
    question = replies.without_mentions(event.get("text") or "")
    thread = event.get("thread_ts") or event["ts"]
    answer = services.assistant.reply(event["user"], question, replies.conversation(event["channel"], thread))
    text, blocks = replies.message(answer, question, asker=event["user"], experts=services.experts_enabled)
    if replies.is_personal(answer):
        client.chat_postEphemeral(
            channel=event["channel"], user=event["user"], text=text, blocks=blocks, thread_ts=thread
        )
    else:
        client.chat_postMessage(channel=event["channel"], text=text, blocks=blocks, thread_ts=thread)
