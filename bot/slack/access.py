"""Who may do what, checked once, as Bolt listener middleware, for every kind of Slack request.

HR and admin actions are reached through slash commands, buttons, modal
submissions and shortcuts. Each listener that needs a role is registered with
``middleware=[requires(HR)]`` (or ``ADMIN``), so the check is written once: the
user id Slack signed is compared with ``ILM_HR_USERS`` / ``ILM_ADMIN_USERS``,
anyone else is refused in the way that surface shows messages, nothing is read
or changed for them, and the refusal is audited (who tried which surface; never
what they typed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, BoltResponse, Respond
from slack_sdk import WebClient

from bot.slack.blocks import escape
from bot.slack.services import SlackServices
from bot.storage import audit


@dataclass(frozen=True)
class Role:
    name: str
    #: What a refused user reads, naming the role.
    refusal: str
    allows: Callable[[SlackServices, str], bool]


HR = Role("hr", "Sorry, that is only for HR. Nothing was done.", lambda s, user: s.settings.is_hr(user))
ADMIN = Role("admin", "Sorry, that is only for admins. Nothing was done.", lambda s, user: s.settings.is_admin(user))


def user_of(body: dict[str, Any]) -> str:
    """The Slack user behind a command, button, modal, shortcut or event payload."""
    user = body.get("user_id") or body.get("user") or (body.get("event") or {}).get("user")
    return str(user.get("id") if isinstance(user, dict) else user or "")


def surface_of(body: dict[str, Any]) -> tuple[str, str]:
    """(kind of request, our own name for it): ``("command", "/ilm-hr")``, ``("view", "reminder_create")``…"""
    if body.get("command"):
        return "command", str(body["command"])
    kind = str(body.get("type") or "request")
    if kind == "block_actions":
        action = (body.get("actions") or [{}])[0]
        return "action", str(action.get("action_id", ""))
    if kind in {"view_submission", "view_closed"}:
        return "view", str((body.get("view") or {}).get("callback_id", ""))
    if kind in {"shortcut", "message_action"}:
        return "shortcut", str(body.get("callback_id", ""))
    return kind, ""


def requires(role: Role) -> Callable[..., BoltResponse | None]:
    """Listener middleware letting only ``role`` through; everyone else is refused, told, and audited."""

    def check(
        ack: Ack,
        body: dict[str, Any],
        client: WebClient,
        respond: Respond | None,
        services: SlackServices,
        next: Callable[[], None],
    ) -> BoltResponse | None:
        user = user_of(body)
        if user and role.allows(services, user):
            next()
            return None
        kind, name = surface_of(body)
        audit.log(services.db, f"slack:{user}", f"{role.name}_refused", None, {"surface": kind, "name": name})
        refuse(ack, body, client, respond, role.refusal)
        return ack.response or BoltResponse(status=200, body="")  # answered: no other listener is tried

    check.__name__ = f"requires_{role.name}"
    return check


def refuse(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond | None, text: str) -> None:
    """Tell the user ``text`` where this kind of request can show it (a modal shows it on its first field)."""
    if body.get("type") == "view_submission":
        values = ((body.get("view") or {}).get("state") or {}).get("values") or {}
        field = next(iter(values), None)
        if field:
            ack(response_action="errors", errors={field: text})
            return
    ack()
    user = user_of(body)
    if respond is not None and body.get("response_url"):
        respond(text=escape(text), response_type="ephemeral", replace_original=False)
    elif user:
        client.chat_postMessage(channel=user, text=escape(text))
