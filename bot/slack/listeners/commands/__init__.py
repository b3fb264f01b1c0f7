"""Slash commands, one module per command."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners.commands import admin, hr, ilm
from bot.slack.services import SlackServices


def register(app: App, services: SlackServices) -> None:
    ilm.register(app, services)
    hr.register(app, services)
    admin.register(app, services)
