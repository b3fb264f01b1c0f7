"""Slash commands, one module per command, each a router of subcommands (``bot.slack.router``)."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.access import ADMIN, HR, requires
from bot.slack.listeners.commands.ilm import ilm_command
from bot.slack.listeners.commands.ilm_admin import ilm_admin_command
from bot.slack.listeners.commands.ilm_hr import ilm_hr_command


def register(app: App) -> None:
    app.command("/ilm")(ilm_command)
    app.command("/ilm-hr", middleware=[requires(HR)])(ilm_hr_command)
    app.command("/ilm-admin", middleware=[requires(ADMIN)])(ilm_admin_command)
