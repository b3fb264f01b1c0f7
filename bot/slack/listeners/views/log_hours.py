"""The "Log practice hours" form: logged like `/ilm log`, with each problem shown on its field."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.errors import InputError
from bot.learners import actions, validate
from bot.slack import sign_off
from bot.slack.blocks import Mrkdwn, escape
from bot.slack.blocks.forms import FIELD_DATE, FIELD_HOURS, FIELD_KIND, FIELD_NOTE, FIELD_UNIT
from bot.slack.forms import Form, FormError, errors_of
from bot.slack.services import SlackServices


def _on(field: str, check: Any, *args: Any) -> Any:
    """Run a check from ``bot.learners.validate``; its InputError is shown on ``field``."""
    try:
        return check(*args)
    except InputError as exc:
        raise InputError(str(exc), field=field) from None


def read(view: dict[str, Any], today: date) -> tuple[str, str, str | None, date, str | None]:
    """(hours as typed, kind, unit, day, note), every field checked; ``FormError`` listing each problem."""
    form, errors = Form(view), {}
    hours, kind, unit = form.text(FIELD_HOURS) or "", form.option(FIELD_KIND) or "", form.option(FIELD_UNIT)
    day: date = today
    checks = (
        (FIELD_HOURS, lambda: _on(FIELD_HOURS, validate.positive_hours, hours)),
        (FIELD_KIND, lambda: _on(FIELD_KIND, validate.hours_kind, kind)),
        (FIELD_DATE, lambda: _on(FIELD_DATE, validate.day, (form.date(FIELD_DATE) or today).isoformat(), today)),
        (FIELD_NOTE, lambda: _on(FIELD_NOTE, validate.note, form.text(FIELD_NOTE))),
    )
    for field, check in checks:
        try:
            value = check()
        except InputError as exc:
            errors[field] = str(exc)
            continue
        if field == FIELD_DATE:
            day = value
    if errors:
        raise FormError(errors)
    return hours, kind, unit, day, form.text(FIELD_NOTE)


def log_hours_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, services: SlackServices
) -> None:
    user = body["user"]["id"]
    who = actions.Who(user=user, actor=f"slack:{user}", source="self", name="you")
    try:
        hours, kind, unit, day, note = read(view, date.today())
        knowledge = services.brain().knowledge
        try:
            done = actions.log(services.learners, knowledge, who, hours, kind, day, unit=unit, note=note)
        except InputError as exc:  # what's left is about the unit (not one of theirs, or the wrong practice)
            raise InputError(str(exc), field=FIELD_UNIT if unit else FIELD_KIND) from None
    except InputError as exc:
        ack(response_action="errors", errors=errors_of(exc, FIELD_HOURS))
        return
    ack()
    note = sign_off.request(client, services.learners, knowledge, user)  # ILM_VERIFICATION: to the supervisor
    client.chat_postMessage(channel=user, text=Mrkdwn(escape(done) + (f"\n{note}" if note else "")))
