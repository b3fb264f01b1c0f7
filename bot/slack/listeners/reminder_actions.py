"""The Cancel button beside each reminder in `/ilm-hr reminders`: cancels it and redraws the list."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.reminders import scheduling
from bot.slack.blocks import ACTION_REMINDER_CANCEL, action_pattern
from bot.slack.listeners.commands.hr import REFUSAL, cancel_text, reminder_list
from bot.slack.services import SlackServices


def register(app: App, s: SlackServices) -> None:
    @app.action(action_pattern(ACTION_REMINDER_CANCEL))
    def cancel_reminder(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        ack()
        user = body["user"]["id"]
        if not s.settings.is_hr(user):
            respond(text=REFUSAL, response_type="ephemeral", replace_original=False)
            return
        value = str(action.get("value", ""))
        if not value.isdigit():
            respond(text="That reminder is no longer listed; see `/ilm-hr reminders`.", replace_original=False)
            return
        done = cancel_text(s, client, user, int(value))
        tz, _ = scheduling.user_zone(client, user)
        text, blocks = reminder_list(s, tz, note=done)
        respond(text=f"{done}\n{text}", blocks=blocks, replace_original=True)
