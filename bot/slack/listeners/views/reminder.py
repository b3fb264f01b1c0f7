"""The "new reminder" form that `/ilm-hr remind` (with no arguments) opens; HR only (``access.requires``).

It schedules exactly what the typed command would, through the same checks
(``bot.reminders.scheduling``). A problem is shown beside the field it
concerns and nothing is stored; on success the modal closes and the
confirmation arrives as a DM.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.errors import InputError
from bot.reminders import messages, scheduling, when
from bot.reminders.scheduling import MAX_TEXT
from bot.reminders.target import ChannelTarget, LearnersTarget, Target
from bot.slack.blocks import (
    MODAL_CHANNEL,
    MODAL_LEARNERS,
    MODAL_MESSAGE,
    MODAL_REPEAT,
    MODAL_UNTIL,
    MODAL_WEEKLY,
    MODAL_WHEN,
)
from bot.slack.forms import Form, FormError, errors_of
from bot.slack.services import SlackServices
from bot.storage.models import utcnow


@dataclass(frozen=True)
class ReminderForm:
    target: Target
    at: datetime
    text: str
    weekly: bool
    until: date | None


def read_form(view: dict[str, Any]) -> ReminderForm:
    """The submitted modal as a form; ``InputError`` (on its field) for anything missing, malformed or contradictory."""
    form = Form(view)
    errors: dict[str, str] = {}
    channel, qualification = form.conversation(MODAL_CHANNEL), form.option(MODAL_LEARNERS)
    if bool(channel) == bool(qualification):
        both = "Pick a channel or a qualification's learners, not both." if channel else None
        errors[MODAL_CHANNEL] = both or "Pick a channel, or a qualification below."
        errors[MODAL_LEARNERS] = both or "…or pick a qualification: each of its learners gets a DM."
    at = until = None
    for block, read in ((MODAL_WHEN, form.date_time), (MODAL_UNTIL, form.date)):
        try:
            value = read(block)
        except InputError as exc:
            errors[block] = str(exc)
            continue
        at, until = (value, until) if block == MODAL_WHEN else (at, value)
    if at is None and MODAL_WHEN not in errors:
        errors[MODAL_WHEN] = "Pick a date and a time."
    text = messages.from_input(form.text(MODAL_MESSAGE) or "")
    if not text:
        errors[MODAL_MESSAGE] = "Write the message."
    elif len(text) > MAX_TEXT:
        errors[MODAL_MESSAGE] = f"Keep it under {MAX_TEXT:,} characters."
    weekly = MODAL_WEEKLY in form.options(MODAL_REPEAT)
    if until and not weekly:
        errors[MODAL_UNTIL] = "Tick “Every week” to repeat, or leave this empty."
    if errors or at is None:
        raise FormError(errors)
    target: Target = ChannelTarget(str(channel)) if channel else LearnersTarget(str(qualification))
    return ReminderForm(target, at, text, weekly, until)


def reminder_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, services: SlackServices
) -> None:
    user = body["user"]["id"]
    try:
        form = read_form(view)
        tz, known = scheduling.user_zone(client, user)
        where = MODAL_UNTIL if form.until else MODAL_WHEN
        try:
            first = when.picked(form.at, utcnow(), tz, weekly=form.weekly, until=form.until)
        except InputError as exc:
            raise InputError(str(exc), field=exc.field or where) from None
        target_field = MODAL_CHANNEL if isinstance(form.target, ChannelTarget) else MODAL_LEARNERS
        try:
            _, confirmation = scheduling.schedule(
                services.reminders,
                client,
                services.brain().knowledge,
                hr_user=user,
                target=form.target,
                first=first,
                text=form.text,
                tz=tz,
            )
        except InputError as exc:
            raise InputError(str(exc), field=exc.field or target_field) from None
    except InputError as exc:
        ack(response_action="errors", errors=errors_of(exc, MODAL_MESSAGE))
        return
    ack()
    client.chat_postMessage(channel=user, text=confirmation + scheduling.zone_note(known))
