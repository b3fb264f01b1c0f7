"""Buttons of issue 15: Delete on an App Home hours entry, an import's Confirm/Cancel, a supervisor's
Confirm/Reject, and HR's App Home switch. Every change and every refusal is audited."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.errors import InputError
from bot.learners import actions
from bot.learners.records import NotAllowedError
from bot.runtime.slack_users import email_lookup
from bot.slack import home, records, replies
from bot.slack.blocks import Mrkdwn, escape
from bot.slack.blocks.records import sign_off_reason_modal
from bot.slack.services import SlackServices
from bot.storage import audit


def _user(body: dict[str, Any]) -> str:
    return str((body.get("user") or {}).get("id") or "")


def hours_delete(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, services: SlackServices
) -> None:
    """The Delete button beside one of the clicker's own hours entries (the store checks it is theirs)."""
    ack()
    user = _user(body)
    who = actions.Who(user=user, actor=f"slack:{user}", source="self", name="you")
    try:
        said = actions.unlog(services.learners, who, str(action.get("value", "")))
    except InputError as exc:
        audit.log(services.db, f"slack:{user}", "unlog_hours_refused", user)
        said = f"Nothing was deleted: {replies.problem(exc)}"
    client.views_publish(user_id=user, view=home.view_for(services, user))
    client.chat_postMessage(channel=user, text=escape(said))


def import_confirm(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, client: WebClient, services: SlackServices
) -> None:
    """HR's Confirm under an import preview: imports the file previewed, all or nothing."""
    ack()
    token, lookup = str(action.get("value", "")), email_lookup(client)
    _pending_import(body, respond, services, lambda user: services.imports.confirm(token, user, lookup, date.today()))


def import_cancel(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, services: SlackServices
) -> None:
    ack()
    token = str(action.get("value", ""))
    _pending_import(body, respond, services, lambda user: services.imports.cancel(token, user))


def _pending_import(body: dict[str, Any], respond: Respond, services: SlackServices, run: Callable[[str], str]) -> None:
    """Confirm or cancel a preview; a refusal (expired, used, someone else's) is shown and audited."""
    user = _user(body)
    try:
        said = run(user)
    except (InputError, NotAllowedError) as exc:
        audit.log(services.db, f"slack:{user}", "import_refused", None)
        replies.say(respond, f"Nothing was imported: {replies.problem(exc)}", replace_original=False)
        return
    respond(text=escape(said), replace_original=True)


def sign_off_confirm(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, client: WebClient, services: SlackServices
) -> None:
    ack()
    _decide(body, str(action.get("value", "")), respond, client, services, confirm=True, reason="")


def sign_off_reject(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
    """Reject asks for an optional reason first; the decision is made when the form is submitted."""
    ack()
    channel = str((body.get("container") or {}).get("channel_id") or (body.get("channel") or {}).get("id") or "")
    ts = str((body.get("container") or {}).get("message_ts") or (body.get("message") or {}).get("ts") or "")
    meta = json.dumps({"v": str(action.get("value", ""))[:64], "c": channel[:32], "t": ts[:32]})
    client.views_open(trigger_id=body["trigger_id"], view=sign_off_reason_modal(meta))


def _decide(
    body: dict[str, Any],
    value: str,
    respond: Respond,
    client: WebClient,
    services: SlackServices,
    *,
    confirm: bool,
    reason: str,
) -> None:
    said = records.decide_and_update(services, client, _user(body), value, confirm=confirm, reason=reason)
    respond(text=Mrkdwn(said), replace_original=True)


def home_cohort(ack: Ack, body: dict[str, Any], client: WebClient, services: SlackServices) -> None:
    """HR's App Home switched to the cohort (the HR check is the listener's middleware)."""
    ack()
    user = _user(body)
    audit.log(services.db, f"slack:{user}", "cohort_report", None, {"surface": "home"})
    client.views_publish(user_id=user, view=home.view_for(services, user, cohort=True))


def home_mine(ack: Ack, body: dict[str, Any], client: WebClient, services: SlackServices) -> None:
    ack()
    user = _user(body)
    client.views_publish(user_id=user, view=home.view_for(services, user))
