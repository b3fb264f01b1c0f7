"""`/ilm-hr`: HR's commands. Only users in ILM_HR_USERS (or ILM_ADMIN_USERS) may use them."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond

from bot.slack import command_text
from bot.slack.listeners.commands.ilm import show_progress
from bot.slack.services import SlackServices
from bot.storage import audit


def register(app: App, s: SlackServices) -> None:
    @app.command("/ilm-hr")
    def ilm_hr(ack: Ack, command: dict[str, Any], respond: Respond) -> None:
        ack()
        user = command["user_id"]
        if not s.settings.is_hr(user):
            respond(text="Sorry, `/ilm-hr` is only for HR. Nothing was done.", response_type="ephemeral")
            return
        sub, rest = command_text.split(command.get("text", ""))
        if sub == "progress":
            _hr_progress(respond, s, user, rest)
        else:
            respond(text="HR commands: `/ilm-hr progress @learner`.", response_type="ephemeral")


def _hr_progress(respond: Respond, s: SlackServices, hr_user: str, rest: str) -> None:
    try:
        learner = command_text.user_ref(rest)
    except ValueError as exc:
        respond(text=str(exc), response_type="ephemeral")
        return
    with s.db.transaction() as session:  # HR looking at a record is itself recorded
        audit.record(session, f"slack:{hr_user}", "hr_view_progress", learner, {})
    show_progress(respond, s, learner)
