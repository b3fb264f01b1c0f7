"""Global shortcut "Record a unit": a unit picker limited to the learner's qualifications (enrol first, else)."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.slack.blocks.forms import notice_modal, record_unit_modal
from bot.slack.services import SlackServices
from bot.slack.shortcut_forms import units_for

ENROL_FIRST = (
    "You aren't enrolled on a qualification yet, so there are no units to pick. Enrol with /ilm enrol, then try again."
)


def record_unit(ack: Ack, shortcut: dict[str, Any], client: WebClient, services: SlackServices) -> None:
    ack()
    units = units_for(services, services.brain().knowledge, shortcut["user"]["id"])
    view = record_unit_modal(units, date.today()) if units else notice_modal("Record a unit", ENROL_FIRST)
    client.views_open(trigger_id=shortcut["trigger_id"], view=view)
