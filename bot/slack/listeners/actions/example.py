"""A question button on the App Home: asked and answered in the user's DM with the bot."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.slack import replies
from bot.slack.services import SlackServices


def ask_example(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, services: SlackServices
) -> None:
    ack()
    user, question = body["user"]["id"], action.get("value", "")
    answer = services.assistant.reply(user, question, "dm")  # answered in the DM with the bot
    text, blocks = replies.message(answer, question, asker=user, experts=services.experts_enabled)
    client.chat_postMessage(channel=user, text=text, blocks=blocks)
