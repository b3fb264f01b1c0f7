"""The App Home tab: what to ask, and the user's own progress."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from bot.slack import home
from bot.slack.services import SlackServices


def app_home_opened(event: dict[str, Any], client: WebClient, services: SlackServices) -> None:
    if event.get("tab", "home") != "home":
        return
    client.views_publish(user_id=event["user"], view=home.view_for(services, event["user"]))
