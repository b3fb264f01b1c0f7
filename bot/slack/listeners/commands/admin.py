"""`/ilm-admin`: knowledge reload, rollback, status and history, and what admins review.

Only users in ILM_ADMIN_USERS may use it; every call, refused or not, is in the audit log.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.admin import render
from bot.admin.unanswered import group
from bot.slack import command_text, replies
from bot.slack.services import SlackServices
from bot.storage import FallbackLog, audit

USAGE = (
    "Admin commands: `/ilm-admin reload`, `/ilm-admin status`, `/ilm-admin history`, "
    "`/ilm-admin rollback [VERSION]`, `/ilm-admin unanswered`, `/ilm-admin feedback`."
)


def register(app: App, s: SlackServices) -> None:
    @app.command("/ilm-admin")
    def ilm_admin(ack: Ack, command: dict[str, Any], respond: Respond) -> None:
        ack()
        user = command["user_id"]
        sub, rest = command_text.split(command.get("text", ""))
        actor = f"slack:{user}"
        if not s.settings.is_admin(user):
            # Only a known command's name: anything else is what they typed, which the audit log never keeps.
            audit.log(s.db, actor, "admin_refused", None, {"command": sub if sub in ADMIN else "other"})
            respond(text="Sorry, `/ilm-admin` is only for admins. Nothing was done.", response_type="ephemeral")
            return
        handler = ADMIN.get(sub)
        if handler is None:
            respond(text=USAGE, response_type="ephemeral")
            return
        if sub not in ("reload", "rollback"):  # those two audit themselves, with their outcome
            audit.log(s.db, actor, f"admin_{sub}", None, {})
        replies.say(respond, handler(s, actor, rest))  # unanswered questions and feedback quote users


def _reload(s: SlackServices, actor: str, rest: str) -> str:
    return render.outcome(s.admin.reload(actor), "reload")


def _rollback(s: SlackServices, actor: str, rest: str) -> str:
    return render.outcome(s.admin.rollback(actor, rest or None), "rollback")


def _status(s: SlackServices, actor: str, rest: str) -> str:
    return render.status(s.admin.status(), s.ready())


def _history(s: SlackServices, actor: str, rest: str) -> str:
    return render.history(s.admin.store.history(15))


def _unanswered(s: SlackServices, actor: str, rest: str) -> str:
    return render.unanswered(group([f.text for f in FallbackLog(s.db).recent(500)])[:15])


def _feedback(s: SlackServices, actor: str, rest: str) -> str:
    return render.feedback(s.feedback.recent(200)[:50])


ADMIN: dict[str, Callable[[SlackServices, str, str], str]] = {
    "reload": _reload,
    "rollback": _rollback,
    "status": _status,
    "history": _history,
    "unanswered": _unanswered,
    "feedback": _feedback,
}
