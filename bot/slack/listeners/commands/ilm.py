"""`/ilm`: questions and the learner's own record (enrol, done, log, progress, forget-me).

Every reply is ephemeral: slash commands are typed in channels, and what they
show (answers to personal questions, progress, confirmations) is the asker's.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.errors import InputError
from bot.knowledge.models import Knowledge
from bot.learners import actions
from bot.slack import command_text, files, home, records, replies, sign_off
from bot.slack.blocks import confirm_forget_blocks, help_blocks
from bot.slack.blocks.kit import Mrkdwn, escape
from bot.slack.presenters import progress_reply
from bot.slack.router import CommandRequest, Router, Subcommand, request_from
from bot.slack.services import SlackServices

NOT_RECORDED = "Nothing was recorded:"


def ilm_command(
    ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient, services: SlackServices
) -> None:
    ack()
    ILM.dispatch(request_from(command, services, respond, client))


def me(user: str) -> actions.Who:
    return actions.Who(user=user, actor=f"slack:{user}", source="self", name="you")


def ask(r: CommandRequest) -> None:
    answer = r.services.assistant.reply(r.user, r.text, replies.conversation(r.channel))
    text, blocks = replies.message(answer, r.text, asker=r.user, experts=r.services.experts_enabled)
    r.respond(text=text, blocks=blocks, response_type="ephemeral")


def show_help(r: CommandRequest) -> None:
    text, blocks = help_blocks(home.capabilities_text(r.services.brain()), ILM.help_lines())
    r.respond(text=text, blocks=blocks, response_type="ephemeral")


def enrol(r: CommandRequest) -> None:
    if not r.rest:
        raise InputError("which qualification? For example `/ilm enrol award in mentoring`.")
    r.reply(actions.enrol(r.services.learners, r.services.brain().knowledge, me(r.user), r.rest, date.today()))


def done(r: CommandRequest) -> None:
    knowledge = r.services.brain().knowledge
    said = actions.done(r.services.learners, knowledge, me(r.user), [r.rest], date.today())
    r.reply(with_sign_off(r, said, knowledge))


def log(r: CommandRequest) -> None:
    args = command_text.log_args(r.rest)
    knowledge = r.services.brain().knowledge
    said = actions.log(r.services.learners, knowledge, me(r.user), args.hours, args.kind, date.today(), note=args.note)
    r.reply(with_sign_off(r, said, knowledge))


def with_sign_off(r: CommandRequest, said: str, knowledge: Knowledge) -> str:
    """With ILM_VERIFICATION on, what the learner just recorded goes to their supervisor to confirm."""
    note = sign_off.request(r.client, r.services.learners, knowledge, r.user)
    return Mrkdwn(escape(said) + (f"\n{note}" if note else ""))


def unenrol(r: CommandRequest) -> None:
    if not r.rest:
        raise InputError("which qualification? For example `/ilm unenrol award in mentoring`.")
    corrected(r, "unenrol", lambda k: actions.unenrol(r.services.learners, k, me(r.user), r.rest))


def remove(r: CommandRequest) -> None:
    corrected(r, "remove_unit", lambda k: actions.remove(r.services.learners, k, me(r.user), [r.rest]))


def corrected(r: CommandRequest, action: str, change: Callable[[Knowledge], str]) -> None:
    """A correction of the learner's own record; a refusal is audited (who tried which correction)."""
    with records.refusal_audited(r.services, r.user, action, r.user):
        r.reply(change(r.services.brain().knowledge))


def supervisor(r: CommandRequest) -> None:
    """Name the supervisor who confirms your units (and hours) when sign-off is on."""
    with records.refusal_audited(r.services, r.user, "set_supervisor", r.user):
        chosen = command_text.user_ref(r.rest, "name your supervisor with an @mention, e.g. `/ilm supervisor @Sam`")
        if chosen == r.user:
            raise InputError("you can't be your own supervisor; name the person who supervises your practice")
    changed = r.services.learners.set_supervisor(r.user, chosen, actor=f"slack:{r.user}")
    said = f"<@{chosen}> is {'now' if changed else 'already'} your supervisor."
    note = sign_off.request(r.client, r.services.learners, r.services.brain().knowledge, r.user)
    r.reply(Mrkdwn(said + (f"\n{note}" if note and note != sign_off.NO_SUPERVISOR else "")))


def my_data(r: CommandRequest) -> None:
    """Everything held about you, as a JSON file in our DM (the right of access); audited."""
    document = r.services.learners.export(r.user, actor=f"slack:{r.user}")
    content = json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8")
    title, channel = "Everything ILM Coach holds about you", files.dm_channel(r.client, r.user)
    files.upload(r.client, f"my-data-{r.user}.json", content, title=title, channel=channel)
    r.reply("I've sent you everything I hold about you as a file in our direct messages.")


def progress(r: CommandRequest) -> None:
    text, blocks = progress_reply(r.services, r.user)
    r.reply(text, blocks)


def forget(r: CommandRequest) -> None:
    text, blocks = confirm_forget_blocks()
    r.respond(text=text, blocks=blocks, response_type="ephemeral")


ILM = Router(
    "/ilm",
    [
        Subcommand("help", show_help, summary="what I can answer, and these commands"),
        Subcommand(
            "enrol", enrol, "<qualification>", "start your record on a qualification", ("enroll",), NOT_RECORDED
        ),
        Subcommand("done", done, "<unit> [<unit> ...]", "record units you have achieved", refused=NOT_RECORDED),
        Subcommand(
            "log",
            log,
            "<hours>h <kind> [note]",
            "log hours of induction, tutorial, coaching or mentoring",
            refused=NOT_RECORDED,
        ),
        Subcommand("progress", progress, summary="your progress: units, credits, hours and the next step"),
        Subcommand(
            "unenrol",
            unenrol,
            "<qualification>",
            "take yourself off a qualification (units and hours stay)",
            ("unenroll",),
            "Nothing was changed:",
        ),
        Subcommand(
            "remove", remove, "<unit> [<unit> ...]", "remove units recorded by mistake", refused="Nothing was changed:"
        ),
        Subcommand(
            "supervisor",
            supervisor,
            "@user",
            "name the supervisor who confirms your entries",
            refused="Nothing was changed:",
        ),
        Subcommand("my-data", my_data, summary="everything I hold about you, as a file in a DM"),
        Subcommand("forget-me", forget, summary="erase everything stored about you (asks first)"),
    ],
    default=ask,
    default_help=("<question>", "ask anything about the qualifications; only you see the answer"),
)
