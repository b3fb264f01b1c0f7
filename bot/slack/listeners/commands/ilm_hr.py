"""`/ilm-hr`: HR's commands. Only users in ILM_HR_USERS (or ILM_ADMIN_USERS) get here (``access.requires``).

Every reply is ephemeral.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.reminders import command as remind_command
from bot.reminders import messages, scheduling, when
from bot.slack import command_text
from bot.slack.blocks import Mrkdwn, reminder_modal
from bot.slack.presenters import cancel_text, progress_reply, reminder_id, reminder_list
from bot.slack.router import CommandRequest, Router, Subcommand, request_from
from bot.slack.services import SlackServices
from bot.storage import audit
from bot.storage.models import utcnow


def ilm_hr_command(
    ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient, services: SlackServices
) -> None:
    ack()
    HR_COMMANDS.dispatch(request_from(command, services, respond, client))


def progress(r: CommandRequest) -> None:
    learner = command_text.user_ref(r.rest)
    audit.log(r.services.db, f"slack:{r.user}", "hr_view_progress", learner)  # HR reading a record is audited
    text, blocks = progress_reply(r.services, learner, mine=False)
    r.reply(text, blocks)


def remind(r: CommandRequest) -> None:
    if not r.rest:
        knowledge = r.services.brain().knowledge
        qualifications = sorted((q.id, q.title) for q in knowledge.qualifications.values())
        r.client.views_open(trigger_id=r.trigger_id, view=reminder_modal(qualifications))
        return
    request = remind_command.parse(r.rest)
    tz, known = scheduling.user_zone(r.client, r.user)
    first = when.schedule(request.when, utcnow(), tz)
    _, text = scheduling.schedule(
        r.services.reminders,
        r.client,
        r.services.brain().knowledge,
        hr_user=r.user,
        target=request.target,
        first=first,
        text=messages.from_input(request.message),  # decoded at the edge; markup as the modal makes it
        tz=tz,
    )
    r.reply(Mrkdwn(text + scheduling.zone_note(known)))


def reminders(r: CommandRequest) -> None:
    tz, known = scheduling.user_zone(r.client, r.user)
    text, blocks = reminder_list(r.services, tz, note=scheduling.zone_note(known).strip() or None)
    r.reply(text, blocks)


def cancel(r: CommandRequest) -> None:
    r.reply(cancel_text(r.services, r.client, r.user, reminder_id(r.rest)))


HR_COMMANDS = Router(
    "/ilm-hr",
    [
        Subcommand("progress", progress, "@learner", "a learner's progress"),
        Subcommand(
            "remind",
            remind,
            remind_command.USAGE.strip("`").removeprefix("/ilm-hr remind "),
            f"schedule a reminder; `<when>` is {when.FORMS}; with nothing after it, a form",
            refused="Nothing was scheduled:",
            hint=f"Usage: {remind_command.USAGE}; `<when>` is {when.FORMS}.",
        ),
        Subcommand("reminders", reminders, summary="upcoming reminders, each with a Cancel button"),
        Subcommand("cancel", cancel, "<id>", "cancel a reminder", refused="Nothing was cancelled:"),
    ],
    intro="HR commands:",
)
