"""Global shortcut "Log practice hours": opens the form (hours, kind, optional unit, date, note)."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.slack.blocks.forms import log_hours_modal
from bot.slack.services import SlackServices
from bot.slack.shortcut_forms import kinds, units_for


def log_hours(ack: Ack, shortcut: dict[str, Any], client: WebClient, services: SlackServices) -> None:
    ack()
    user = shortcut["user"]["id"]
    units = units_for(services, services.brain().knowledge, user)
    client.views_open(trigger_id=shortcut["trigger_id"], view=log_hours_modal(kinds(), units, date.today()))
