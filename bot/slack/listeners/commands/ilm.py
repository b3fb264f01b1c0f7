"""`/ilm`: questions and the learner's own record (enrol, done, log, progress, forget-me).

Every reply is ephemeral: slash commands are typed in channels, and what they
show (answers to personal questions, progress, confirmations) is the asker's.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.errors import InputError
from bot.learners import actions
from bot.slack import command_text, home, replies
from bot.slack.blocks import confirm_forget_blocks, help_blocks
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
    r.reply(actions.done(r.services.learners, r.services.brain().knowledge, me(r.user), [r.rest], date.today()))


def log(r: CommandRequest) -> None:
    args = command_text.log_args(r.rest)
    knowledge = r.services.brain().knowledge
    r.reply(
        actions.log(r.services.learners, knowledge, me(r.user), args.hours, args.kind, date.today(), note=args.note)
    )


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
        Subcommand("forget-me", forget, summary="erase everything stored about you (asks first)"),
    ],
    default=ask,
    default_help=("<question>", "ask anything about the qualifications; only you see the answer"),
)
