"""Modal submissions. A problem is shown beside the field it concerns (``response_action: errors``)."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.access import HR, requires
from bot.slack.blocks import REMINDER_MODAL
from bot.slack.listeners.views.reminder import reminder_submitted


def register(app: App) -> None:
    app.view(REMINDER_MODAL, middleware=[requires(HR)])(reminder_submitted)
