"""`/ilm-admin`: admins' commands. Only users in ILM_ADMIN_USERS may use them."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond

from bot.slack.services import SlackServices


def register(app: App, s: SlackServices) -> None:
    @app.command("/ilm-admin")
    def ilm_admin(ack: Ack, command: dict[str, Any], respond: Respond) -> None:
        ack()
        if not s.settings.is_admin(command["user_id"]):
            respond(text="Sorry, `/ilm-admin` is only for admins. Nothing was done.", response_type="ephemeral")
            return
        respond(text="Admin commands are not available in this version yet.", response_type="ephemeral")
