"""`/ilm-hr`: HR's commands. Only users in ILM_HR_USERS (or ILM_ADMIN_USERS) get here (``access.requires``).

Every reply is ephemeral.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.errors import InputError
from bot.learners import actions
from bot.reminders import command as remind_command
from bot.reminders import messages, scheduling, when
from bot.slack import command_text, records
from bot.slack.blocks import Mrkdwn, reminder_modal
from bot.slack.blocks.records import import_modal
from bot.slack.presenters import cancel_text, progress_reply, reminder_id, reminder_list
from bot.slack.router import CommandRequest, Router, Subcommand, request_from
from bot.slack.services import SlackServices
from bot.storage import audit
from bot.storage.models import utcnow

UNCHANGED = "Nothing was changed:"


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


def _learner_and(r: CommandRequest, usage: str) -> tuple[str, str]:
    learner, rest = command_text.user_and_rest(r.rest, usage)
    if not rest:
        raise InputError(f"and what? Usage: {usage}")
    return learner, rest


def remove(r: CommandRequest) -> None:
    learner, rest = _learner_and(r, "`/ilm-hr remove @learner <unit> [<unit> ...]`")
    knowledge = r.services.brain().knowledge
    change = lambda who: actions.remove(r.services.learners, knowledge, who, [rest])  # noqa: E731
    r.reply(records.hr_correction(r.services, r.user, learner, "remove_unit", change))


def unenrol(r: CommandRequest) -> None:
    learner, rest = _learner_and(r, "`/ilm-hr unenrol @learner <qualification>`")
    knowledge = r.services.brain().knowledge
    change = lambda who: actions.unenrol(r.services.learners, knowledge, who, rest)  # noqa: E731
    r.reply(records.hr_correction(r.services, r.user, learner, "unenrol", change))


def unlog(r: CommandRequest) -> None:
    learner, rest = _learner_and(r, "`/ilm-hr unlog @learner <entry id>` (ids from `/ilm-hr hours @learner`)")
    change = lambda who: actions.unlog(r.services.learners, who, rest)  # noqa: E731
    r.reply(records.hr_correction(r.services, r.user, learner, "unlog_hours", change))


def hours(r: CommandRequest) -> None:
    with records.refusal_audited(r.services, r.user, "view_hours"):
        learner = command_text.user_ref(r.rest)
    r.reply(records.hours_listing(r.services, r.user, learner))


def supervisor(r: CommandRequest) -> None:
    with records.refusal_audited(r.services, r.user, "set_supervisor"):
        learner, rest = _learner_and(r, "`/ilm-hr supervisor @learner @supervisor`")
        chosen = command_text.user_ref(rest, "name the supervisor with an @mention: `/ilm-hr supervisor @learner @sup`")
        if chosen == learner:
            raise InputError("a learner can't be their own supervisor")
    changed = r.services.learners.set_supervisor(learner, chosen, actor=f"slack:{r.user}")
    r.reply(Mrkdwn(f"<@{chosen}> is {'now' if changed else 'already'} the supervisor of <@{learner}>."))


def import_csv(r: CommandRequest) -> None:
    """A form to attach the CSV; the preview and its Confirm button then come in a DM."""
    r.client.views_open(trigger_id=r.trigger_id, view=import_modal())


def report(r: CommandRequest) -> None:
    records.cohort_report(r.services, r.client, r.user, r.rest)
    r.reply("I've sent the cohort report, with its CSV and chart, to our direct messages.")


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
        Subcommand("hours", hours, "@learner", "a learner's hours entries, with the ids `unlog` takes"),
        Subcommand(
            "remove", remove, "@learner <unit> [<unit> ...]", "remove units from a learner's record", refused=UNCHANGED
        ),
        Subcommand(
            "unenrol", unenrol, "@learner <qualification>", "take a learner off a qualification", refused=UNCHANGED
        ),
        Subcommand("unlog", unlog, "@learner <entry id>", "delete one of a learner's hours entries", refused=UNCHANGED),
        Subcommand("supervisor", supervisor, "@learner @supervisor", "set a learner's supervisor", refused=UNCHANGED),
        Subcommand(
            "import",
            import_csv,
            summary="import a CSV of enrolments, units, hours and supervisors: attach it (or share it in a DM "
            "with me), check the preview, then Confirm",
        ),
        Subcommand(
            "report",
            report,
            "[qualification]",
            "the cohort: enrolled, achieved, in progress and stalled, with a chart and the CSV, in a DM",
            refused="No report:",
        ),
    ],
    intro=(
        "HR commands. A reminder's `<target>` is a #channel or `learners:<qualification>`, narrowed with "
        "`:not-achieved` (not achieved yet), `:stalled` (nothing recorded for ILM_STALLED_DAYS) or "
        "`:stalled-<days>`, e.g. `learners:award in mentoring:stalled-45`."
    ),
)
