"""`/ilm-hr`: HR's commands. Only users in ILM_HR_USERS (or ILM_ADMIN_USERS) may use them.

The HR check comes before anything else: anyone else is refused, and
nothing is read, stored or sent on their behalf. Every reply is ephemeral.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.answers.safety import neutralise
from bot.reminders import command as remind_command
from bot.reminders import messages, scheduling, when
from bot.slack import command_text
from bot.slack.blocks import reminder_list_blocks, reminder_modal
from bot.slack.listeners.commands.ilm import show_progress
from bot.slack.services import SlackServices
from bot.storage import audit
from bot.storage.models import utcnow

REFUSAL = "Sorry, `/ilm-hr` is only for HR. Nothing was done."
HELP = "\n".join(
    (
        "HR commands:",
        "• `/ilm-hr progress @learner` — a learner's progress",
        f"• {remind_command.USAGE} — schedule a reminder; `<when>` is {when.FORMS}",
        "• `/ilm-hr remind` — the same, in a form",
        "• `/ilm-hr reminders` — upcoming reminders, each with a Cancel button",
        "• `/ilm-hr cancel <id>` — cancel a reminder",
    )
)


@dataclass(frozen=True)
class HrRequest:
    s: SlackServices
    respond: Respond
    client: WebClient
    user: str
    rest: str
    trigger_id: str | None

    def reply(self, text: str, **kwargs: Any) -> None:
        self.respond(text=text, response_type="ephemeral", **kwargs)


def register(app: App, s: SlackServices) -> None:
    @app.command("/ilm-hr")
    def ilm_hr(ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        user = command["user_id"]
        if not s.settings.is_hr(user):
            audit.log(s.db, f"slack:{user}", "hr_refused")  # refusals are recorded too: who tried, not what
            respond(text=REFUSAL, response_type="ephemeral")
            return
        sub, rest = command_text.split(command.get("text", ""))
        handler = HR.get(sub)
        request = HrRequest(s, respond, client, user, rest, command.get("trigger_id"))
        if handler is None:
            request.reply(HELP)
            return
        handler(request)


def _progress(r: HrRequest) -> None:
    try:
        learner = command_text.user_ref(r.rest)
    except ValueError as exc:
        r.reply(str(exc))
        return
    audit.log(r.s.db, f"slack:{r.user}", "hr_view_progress", learner)  # HR reading a record is audited
    show_progress(r.respond, r.s, learner, mine=False)


def _remind(r: HrRequest) -> None:
    if not r.rest:
        _open_modal(r)
        return
    try:
        request = remind_command.parse(r.rest)
        tz, known = scheduling.user_zone(r.client, r.user)
        first = when.schedule(request.when, utcnow(), tz)
        _, text = scheduling.schedule(
            r.s.reminders,
            r.client,
            r.s.brain().knowledge,
            hr_user=r.user,
            target=request.target,
            first=first,
            text=request.message,
            tz=tz,
        )
    except ValueError as exc:
        problem = neutralise(sentence(exc))  # the reason may quote what was typed
        r.reply(f"Nothing was scheduled: {problem}\nUsage: {remind_command.USAGE}; `<when>` is {when.FORMS}.")
        return
    r.reply(text + scheduling.zone_note(known))


def _open_modal(r: HrRequest) -> None:
    knowledge = r.s.brain().knowledge
    qualifications = sorted((q.id, q.title) for q in knowledge.qualifications.values())
    r.client.views_open(trigger_id=r.trigger_id, view=reminder_modal(qualifications))


def _reminders(r: HrRequest) -> None:
    tz, known = scheduling.user_zone(r.client, r.user)
    text, blocks = reminder_list(r.s, tz, note=scheduling.zone_note(known).strip() or None)
    r.reply(text, blocks=blocks)


def reminder_list(s: SlackServices, tz: ZoneInfo, note: str | None = None) -> tuple[str, list[dict[str, Any]]]:
    """``/ilm-hr reminders`` as (fallback, blocks); also what the Cancel button redraws."""
    title = scheduling.title_of(s.brain().knowledge)
    items = [
        (info.id, messages.summary(info, tz, messages.target_label(info.target_kind, info.target, title)))
        for info in s.reminders.upcoming()
    ]
    return reminder_list_blocks(items, note=note)


def _cancel(r: HrRequest) -> None:
    ident = r.rest.strip().lstrip("#")
    if not ident.isdigit():
        r.reply("Which reminder? Write `/ilm-hr cancel <id>`, e.g. `/ilm-hr cancel 12`; `/ilm-hr reminders` lists ids.")
        return
    r.reply(cancel_text(r.s, r.client, r.user, int(ident)))


def cancel_text(s: SlackServices, client: WebClient, user: str, reminder_id: int) -> str:
    """Cancel a reminder for ``user`` and say what happened (or why nothing did)."""
    try:
        info = s.reminders.cancel(reminder_id, by=user)
    except ValueError as exc:
        return f"Nothing was cancelled: {sentence(exc)}"
    tz, _ = scheduling.user_zone(client, user)
    label = messages.target_label(info.target_kind, info.target, scheduling.title_of(s.brain().knowledge))
    return messages.cancelled(info, tz, label)


def sentence(exc: Exception) -> str:
    text = str(exc).strip()
    return text if text.endswith((".", "!", "?")) else text + "."


HR: dict[str, Callable[[HrRequest], None]] = {
    "progress": _progress,
    "remind": _remind,
    "reminders": _reminders,
    "cancel": _cancel,
}
