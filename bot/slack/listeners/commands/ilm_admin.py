"""`/ilm-admin`: knowledge reload, rollback, status and history, and what admins review.

Only users in ILM_ADMIN_USERS get here (``access.requires``); every call, refused or not, is in the audit log.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.admin import render
from bot.admin.unanswered import group
from bot.slack.router import CommandRequest, Router, Subcommand, request_from
from bot.slack.services import SlackServices
from bot.storage import FallbackLog, audit


def ilm_admin_command(
    ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient, services: SlackServices
) -> None:
    ack()
    ADMIN_COMMANDS.dispatch(request_from(command, services, respond, client))


def _actor(r: CommandRequest) -> str:
    return f"slack:{r.user}"


def _audited(r: CommandRequest, what: str) -> None:
    audit.log(r.services.db, _actor(r), f"admin_{what}", None, {})


def reload(r: CommandRequest) -> None:  # audits itself, with its outcome
    r.reply(render.outcome(r.services.admin.reload(_actor(r)), "reload"))


def rollback(r: CommandRequest) -> None:  # audits itself, with its outcome
    r.reply(render.outcome(r.services.admin.rollback(_actor(r), r.rest or None), "rollback"))


def status(r: CommandRequest) -> None:
    _audited(r, "status")
    r.reply(render.status(r.services.admin.status(), r.services.ready()))


def history(r: CommandRequest) -> None:
    _audited(r, "history")
    r.reply(render.history(r.services.admin.store.history(15)))


def unanswered(r: CommandRequest) -> None:
    _audited(r, "unanswered")
    text = render.unanswered(group([f.text for f in FallbackLog(r.services.db).recent(500)])[:15])
    r.reply("\n\n".join(p for p in (text, render.candidates(r.services.experts.candidates(15))) if p))


def feedback(r: CommandRequest) -> None:
    _audited(r, "feedback")
    r.reply(render.feedback(r.services.feedback.recent(200)[:50]))


ADMIN_COMMANDS = Router(
    "/ilm-admin",
    [
        Subcommand(
            "reload", reload, summary="load the knowledge files again (refused, naming file and line, if broken)"
        ),
        Subcommand("status", status, summary="the version each replica serves"),
        Subcommand("history", history, summary="recent reloads and rollbacks"),
        Subcommand("rollback", rollback, "[VERSION]", "serve an earlier version"),
        Subcommand("unanswered", unanswered, summary="questions the bot fell back on, and experts' answers to review"),
        Subcommand("feedback", feedback, summary="answers marked 👎"),
    ],
    intro="Admin commands:",
)
