"""Shortcuts: global ("Log practice hours", "Record a unit") and on a message ("Ask the ILM assistant")."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.blocks.forms import SHORTCUT_ASK, SHORTCUT_LOG_HOURS, SHORTCUT_RECORD_UNIT
from bot.slack.listeners.shortcuts.ask_assistant import ask_assistant
from bot.slack.listeners.shortcuts.log_hours import log_hours
from bot.slack.listeners.shortcuts.record_unit import record_unit


def register(app: App) -> None:
    app.shortcut(SHORTCUT_LOG_HOURS)(log_hours)
    app.shortcut(SHORTCUT_RECORD_UNIT)(record_unit)
    app.shortcut(SHORTCUT_ASK)(ask_assistant)
