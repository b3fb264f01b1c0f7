"""Bolt listeners grouped by surface, each a thin adapter from a Slack payload to the core and back."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners import actions, commands, events, reminder_actions, views
from bot.slack.services import SlackServices


def register(app: App, services: SlackServices) -> None:
    events.register(app, services)
    commands.register(app, services)
    actions.register(app, services)
    reminder_actions.register(app, services)
    views.register(app, services)
