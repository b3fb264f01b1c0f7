"""Modal submissions: the "new reminder" form that `/ilm-hr remind` (with no arguments) opens.

It schedules exactly what the typed command would, through the same checks
(``bot.reminders.scheduling``). A problem is shown beside the field it
concerns (``response_action: errors``) and nothing is stored; on success
the modal closes and the confirmation arrives as a DM.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.reminders import messages, scheduling, when
from bot.reminders.scheduling import MAX_TEXT
from bot.reminders.target import ChannelTarget, LearnersTarget, Target
from bot.slack.blocks import (
    MODAL_CHANNEL,
    MODAL_LEARNERS,
    MODAL_MESSAGE,
    MODAL_REPEAT,
    MODAL_UNTIL,
    MODAL_VALUE,
    MODAL_WEEKLY,
    MODAL_WHEN,
    REMINDER_MODAL,
)
from bot.slack.services import SlackServices
from bot.storage.models import utcnow


class FormError(ValueError):
    """Problems with the form, by block id, as Slack shows them beside each field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class ReminderForm:
    target: Target
    at: datetime
    text: str
    weekly: bool
    until: date | None


def read_form(values: dict[str, Any]) -> ReminderForm:
    """The modal's state (``view.state.values``) as a form; ``FormError`` for anything missing or contradictory."""

    def value(block: str) -> dict[str, Any]:
        return (values.get(block) or {}).get(MODAL_VALUE) or {}

    channel = value(MODAL_CHANNEL).get("selected_conversation")
    qualification = (value(MODAL_LEARNERS).get("selected_option") or {}).get("value")
    picked = value(MODAL_WHEN).get("selected_date_time")
    raw = value(MODAL_MESSAGE).get("value") or ""
    weekly = any(o.get("value") == MODAL_WEEKLY for o in value(MODAL_REPEAT).get("selected_options") or ())
    until_text = value(MODAL_UNTIL).get("selected_date")
    errors: dict[str, str] = {}
    if bool(channel) == bool(qualification):
        both = "Pick a channel or a qualification's learners, not both." if channel else None
        errors[MODAL_CHANNEL] = both or "Pick a channel, or a qualification below."
        errors[MODAL_LEARNERS] = both or "…or pick a qualification: each of its learners gets a DM."
    if not isinstance(picked, int | float):
        errors[MODAL_WHEN] = "Pick a date and a time."
    text = messages.from_input(raw.strip())
    if not text:
        errors[MODAL_MESSAGE] = "Write the message."
    elif len(text) > MAX_TEXT:
        errors[MODAL_MESSAGE] = f"Keep it under {MAX_TEXT:,} characters."
    if until_text and not weekly:
        errors[MODAL_UNTIL] = "Tick “Every week” to repeat, or leave this empty."
    if errors:
        raise FormError(errors)
    target: Target = ChannelTarget(str(channel)) if channel else LearnersTarget(str(qualification))
    until = date.fromisoformat(until_text) if until_text else None
    return ReminderForm(target, datetime.fromtimestamp(float(picked), UTC), text, weekly, until)  # type: ignore[arg-type]


def register(app: App, s: SlackServices) -> None:
    @app.view(REMINDER_MODAL)
    def reminder_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        user = body["user"]["id"]
        if not s.settings.is_hr(user):  # the modal is only opened for HR, but a submission is checked again
            ack(response_action="errors", errors={MODAL_MESSAGE: "Only HR can schedule reminders."})
            return
        try:
            form = read_form(view.get("state", {}).get("values", {}))
        except FormError as exc:
            ack(response_action="errors", errors=exc.errors)
            return
        tz, known = scheduling.user_zone(client, user)
        try:
            first = when.picked(form.at, utcnow(), tz, weekly=form.weekly, until=form.until)
        except ValueError as exc:
            ack(response_action="errors", errors={MODAL_UNTIL if form.until else MODAL_WHEN: str(exc)})
            return
        try:
            _, confirmation = scheduling.schedule(
                s.reminders,
                client,
                s.brain().knowledge,
                hr_user=user,
                target=form.target,
                first=first,
                text=form.text,
                tz=tz,
            )
        except ValueError as exc:
            block = MODAL_CHANNEL if isinstance(form.target, ChannelTarget) else MODAL_LEARNERS
            ack(response_action="errors", errors={block: str(exc)})
            return
        ack()
        client.chat_postMessage(channel=user, text=confirmation + scheduling.zone_note(known))
