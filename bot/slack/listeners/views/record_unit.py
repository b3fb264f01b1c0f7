"""The "Record a unit" form: recorded like `/ilm done`, only units of the learner's own qualifications."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.errors import InputError
from bot.learners import actions, validate
from bot.slack import sign_off
from bot.slack.blocks import Mrkdwn, escape
from bot.slack.blocks.forms import FIELD_DATE, FIELD_UNIT
from bot.slack.forms import Form, errors_of
from bot.slack.services import SlackServices
from bot.slack.shortcut_forms import units_for


def record_unit_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, services: SlackServices
) -> None:
    user = body["user"]["id"]
    who = actions.Who(user=user, actor=f"slack:{user}", source="self", name="you")
    knowledge = services.brain().knowledge
    today = date.today()
    try:
        form = Form(view)
        unit = form.option(FIELD_UNIT)
        if unit not in dict(units_for(services, knowledge, user)):
            raise InputError("Pick one of the units of your qualifications.", field=FIELD_UNIT)
        picked = form.date(FIELD_DATE) or today
        try:
            day = validate.day(picked.isoformat(), today)
        except InputError as exc:
            raise InputError(str(exc), field=FIELD_DATE) from None
        done = actions.done(services.learners, knowledge, who, [str(unit)], day)
    except InputError as exc:
        ack(response_action="errors", errors=errors_of(exc, FIELD_UNIT))
        return
    ack()
    note = sign_off.request(client, services.learners, knowledge, user)  # ILM_VERIFICATION: to the supervisor
    client.chat_postMessage(channel=user, text=Mrkdwn(escape(done) + (f"\n{note}" if note else "")))
