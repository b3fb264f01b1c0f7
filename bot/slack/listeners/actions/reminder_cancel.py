"""The Cancel button beside each reminder in `/ilm-hr reminders` (HR only): cancels it and redraws the list."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.errors import InputError
from bot.reminders import scheduling
from bot.slack import replies
from bot.slack.blocks import Mrkdwn
from bot.slack.presenters import cancel_text, reminder_id, reminder_list
from bot.slack.services import SlackServices


def reminder_cancel(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, client: WebClient, services: SlackServices
) -> None:
    ack()
    user = body["user"]["id"]
    try:
        done = cancel_text(services, client, user, reminder_id(str(action.get("value", ""))))
    except InputError as exc:
        done = f"Nothing was cancelled: {replies.problem(exc)}"
        replies.say(respond, done, replace_original=False)
        return
    tz, _ = scheduling.user_zone(client, user)
    text, blocks = reminder_list(services, tz, note=done)
    respond(text=Mrkdwn(f"{done}\n{text}"), blocks=blocks, replace_original=True)
