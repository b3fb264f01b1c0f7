"""👍/👎 on an answer: stored for admins, and the buttons become a thank-you."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, Respond

from bot.slack import replies
from bot.slack.blocks import feedback_given
from bot.slack.services import SlackServices


def feedback_up(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, services: SlackServices
) -> None:
    ack()
    _rate(services, body, action, respond, helpful=True)


def feedback_down(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, services: SlackServices
) -> None:
    ack()
    _rate(services, body, action, respond, helpful=False)


def _rate(s: SlackServices, body: dict[str, Any], action: dict[str, Any], respond: Respond, *, helpful: bool) -> None:
    intent, question = replies.read_feedback_value(action.get("value", ""))
    s.feedback.record(body["user"]["id"], helpful, intent, question)
    message = body.get("message")
    if message and message.get("blocks"):
        respond(text=message.get("text", ""), blocks=feedback_given(message["blocks"], helpful), replace_original=True)
    else:  # an ephemeral answer: Slack doesn't send it back, so thank without touching it
        respond(text="Thanks for the feedback.", replace_original=False, response_type="ephemeral")
