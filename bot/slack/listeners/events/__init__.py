"""Events: direct messages, @mentions (answered in a thread) and the App Home tab."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners.events.app_home_opened import app_home_opened
from bot.slack.listeners.events.app_mention import app_mention
from bot.slack.listeners.events.direct_message import direct_message


def register(app: App) -> None:
    app.event("message")(direct_message)
    app.event("app_mention")(app_mention)
    app.event("app_home_opened")(app_home_opened)
