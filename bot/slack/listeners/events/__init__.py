"""Events: direct messages, @mentions (answered in a thread), the App Home tab, and experts' thread answers."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners.events.app_home_opened import app_home_opened
from bot.slack.listeners.events.app_mention import app_mention
from bot.slack.listeners.events.direct_message import direct_message
from bot.slack.listeners.events.expert_thread import expert_thread_reply, is_expert_reply
from bot.slack.listeners.events.file_share import file_shared, is_file_share


def register(app: App) -> None:
    app.event("message", matchers=[is_expert_reply])(expert_thread_reply)  # before DMs: first match wins
    app.event("message", matchers=[is_file_share])(file_shared)  # HR's CSV imports, before questions
    app.event("message")(direct_message)
    app.event("app_mention")(app_mention)
    app.event("app_home_opened")(app_home_opened)
