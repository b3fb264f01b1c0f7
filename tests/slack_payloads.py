"""Requests shaped the way Slack sends them: signed HTTP bodies and realistic payloads.

End-to-end tests drive the bot exactly as Slack would, so these builders follow
Slack's documented shapes (Events API ``event_callback`` envelopes, slash command
form bodies, ``block_actions`` payloads) and its request signing
(https://api.slack.com/authentication/verifying-requests-from-slack). The same
payload dicts are what the fake Socket Mode server wraps in envelopes.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

TEAM_ID = "T0001"
TEAM_DOMAIN = "ilm-test"
APP_ID = "A0001"
BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
ENTERPRISE_ID = None

_counter = itertools.count(1)


def _next() -> int:
    return next(_counter)


def new_ts() -> str:
    """A fresh, increasing Slack message timestamp ("seconds.micro")."""
    return f"{int(time.time())}.{_next():06d}"


def dm_channel(user: str) -> str:
    """The DM channel id the fake Web API gives a user (conversations.open)."""
    return "D" + user


# -- signing -------------------------------------------------------------------


def signature(secret: str, timestamp: str | int, body: str | bytes) -> str:
    """Slack's ``X-Slack-Signature``: ``v0=`` + hex HMAC-SHA256 of ``v0:{timestamp}:{body}``."""
    raw = body.encode("utf-8") if isinstance(body, str) else body
    base = b"v0:" + str(timestamp).encode("ascii") + b":" + raw
    return "v0=" + hmac.new(secret.encode("utf-8"), base, hashlib.sha256).hexdigest()


def signed_headers(
    secret: str,
    body: str | bytes,
    *,
    content_type: str,
    timestamp: int | None = None,
    retry_num: int | None = None,
    retry_reason: str | None = None,
) -> dict[str, str]:
    """The headers Slack sends with a request; ``timestamp`` defaults to now (Bolt rejects > 5 min old)."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature(secret, ts, body),
        "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
    }
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = retry_reason or "http_timeout"
    return headers


@dataclass(frozen=True)
class HttpResult:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class SlackRequest:
    """A body plus its content type, ready to sign and send."""

    body: str
    content_type: str
    meta: dict[str, Any] = field(default_factory=dict)

    def headers(self, secret: str, **kwargs: Any) -> dict[str, str]:
        return signed_headers(secret, self.body, content_type=self.content_type, **kwargs)

    def send(
        self,
        url: str,
        secret: str,
        *,
        timestamp: int | None = None,
        retry_num: int | None = None,
        retry_reason: str | None = None,
        bad_signature: bool = False,
        timeout: float = 10.0,
    ) -> HttpResult:
        """POST to the bot (e.g. ``http://127.0.0.1:PORT/slack/events``); HTTP errors are returned, not raised."""
        headers = self.headers(secret, timestamp=timestamp, retry_num=retry_num, retry_reason=retry_reason)
        if bad_signature:
            headers["X-Slack-Signature"] = "v0=" + "0" * 64
        return post(url, self.body.encode("utf-8"), headers, timeout=timeout)


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float = 10.0) -> HttpResult:
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return HttpResult(resp.status, dict(resp.headers.items()), resp.read())
    except urllib.error.HTTPError as e:
        return HttpResult(e.code, dict(e.headers.items()), e.read())


def json_request(payload: dict[str, Any]) -> SlackRequest:
    """Events API bodies are JSON."""
    return SlackRequest(json.dumps(payload), "application/json", {"payload": payload})


def form_request(fields: dict[str, str]) -> SlackRequest:
    """Slash commands are form-encoded fields."""
    return SlackRequest(urlencode(fields), "application/x-www-form-urlencoded", {"fields": fields})


def interactive_request(payload: dict[str, Any]) -> SlackRequest:
    """Interactivity is a form with one field, ``payload``, holding JSON."""
    return SlackRequest(
        urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded", {"payload": payload}
    )


# -- Events API ------------------------------------------------------------------


def event_callback(
    event: dict[str, Any],
    *,
    event_id: str | None = None,
    team_id: str = TEAM_ID,
    api_app_id: str = APP_ID,
    authorized_user: str = BOT_USER_ID,
) -> dict[str, Any]:
    """The ``event_callback`` envelope around one event (the HTTP body, and the Socket Mode payload)."""
    return {
        "token": "verification-token-unused",
        "team_id": team_id,
        "api_app_id": api_app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{_next():08d}",
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": ENTERPRISE_ID,
                "team_id": team_id,
                "user_id": authorized_user,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": f"4-eyJldCI6Im1lc3NhZ2UifQ-{_next()}",
    }


def url_verification(challenge: str = "challenge-123") -> dict[str, Any]:
    return {"token": "verification-token-unused", "challenge": challenge, "type": "url_verification"}


def message_im(
    user: str,
    text: str,
    *,
    channel: str | None = None,
    ts: str | None = None,
    thread_ts: str | None = None,
    team_id: str = TEAM_ID,
) -> dict[str, Any]:
    """A ``message.im`` event: someone wrote in the bot's DM."""
    ts = ts or new_ts()
    event: dict[str, Any] = {
        "type": "message",
        "channel_type": "im",
        "channel": channel or dm_channel(user),
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "team": team_id,
        "client_msg_id": f"msg-{_next()}",
        "blocks": [_rich_text(text)],
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def bot_message_im(text: str, *, channel: str, bot_id: str = BOT_ID) -> dict[str, Any]:
    """The bot's own message echoed back as a message.im event; a bot must ignore it (no loops)."""
    ts = new_ts()
    return {
        "type": "message",
        "subtype": "bot_message",
        "channel_type": "im",
        "channel": channel,
        "bot_id": bot_id,
        "text": text,
        "ts": ts,
        "event_ts": ts,
    }


def app_mention(
    user: str,
    text: str,
    *,
    channel: str = "C0001",
    ts: str | None = None,
    thread_ts: str | None = None,
    bot_user: str = BOT_USER_ID,
    team_id: str = TEAM_ID,
) -> dict[str, Any]:
    """An ``app_mention`` event; the text starts with the bot's mention, as Slack sends it."""
    ts = ts or new_ts()
    full = f"<@{bot_user}> {text}"
    event: dict[str, Any] = {
        "type": "app_mention",
        "channel": channel,
        "user": user,
        "text": full,
        "ts": ts,
        "event_ts": ts,
        "team": team_id,
        "client_msg_id": f"msg-{_next()}",
        "blocks": [_rich_text(full)],
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def app_home_opened(user: str, *, tab: str = "home", view_id: str | None = None) -> dict[str, Any]:
    """``app_home_opened``: the user opened the Home (or Messages) tab."""
    event: dict[str, Any] = {
        "type": "app_home_opened",
        "user": user,
        "channel": dm_channel(user),
        "tab": tab,
        "event_ts": new_ts(),
    }
    if view_id:
        event["view"] = {"id": view_id, "type": "home", "blocks": []}
    return event


def _rich_text(text: str) -> dict[str, Any]:
    return {
        "type": "rich_text",
        "block_id": f"rt{_next()}",
        "elements": [{"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}],
    }


# -- slash commands --------------------------------------------------------------


def slash_command(
    command: str,
    text: str,
    *,
    user_id: str,
    response_url: str,
    channel_id: str = "C0001",
    channel_name: str = "general",
    user_name: str | None = None,
    trigger_id: str | None = None,
    team_id: str = TEAM_ID,
    api_app_id: str = APP_ID,
) -> dict[str, str]:
    """The form fields of a slash command (the HTTP body, and the Socket Mode payload)."""
    return {
        "token": "verification-token-unused",
        "team_id": team_id,
        "team_domain": TEAM_DOMAIN,
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name or user_id.lower(),
        "command": command,
        "text": text,
        "api_app_id": api_app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id or f"{_next()}.{team_id}.trigger",
    }


# -- interactivity ---------------------------------------------------------------


def block_actions(
    user: str,
    action_id: str,
    value: str,
    *,
    response_url: str | None = None,
    channel: str | None = None,
    message_ts: str | None = None,
    message: dict[str, Any] | None = None,
    block_id: str = "actions",
    text: str = "button",
    view: dict[str, Any] | None = None,
    ephemeral: bool = False,
    trigger_id: str | None = None,
    team_id: str = TEAM_ID,
    api_app_id: str = APP_ID,
) -> dict[str, Any]:
    """A ``block_actions`` payload: a button pressed in a message, or (with ``view``) in the App Home.

    Slack sends no ``message`` for a button in an ephemeral message, only the container
    (with ``is_ephemeral``) and the ``response_url``: the bot can answer in place only through it.
    """
    action = {
        "type": "button",
        "action_id": action_id,
        "block_id": block_id,
        "text": {"type": "plain_text", "text": text, "emoji": True},
        "value": value,
        "action_ts": new_ts(),
    }
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": team_id},
        "api_app_id": api_app_id,
        "token": "verification-token-unused",
        "trigger_id": trigger_id or f"{_next()}.{team_id}.trigger",
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "enterprise": None,
        "is_enterprise_install": False,
        "actions": [action],
    }
    if view is not None:
        payload["container"] = {"type": "view", "view_id": view.get("id", "VHOME")}
        payload["view"] = view
    else:
        ch = channel or dm_channel(user)
        ts = message_ts or new_ts()
        payload["container"] = {"type": "message", "message_ts": ts, "channel_id": ch, "is_ephemeral": ephemeral}
        payload["channel"] = {"id": ch, "name": "directmessage" if ch.startswith("D") else "general"}
        if not ephemeral:
            payload["message"] = message or {"type": "message", "user": BOT_USER_ID, "ts": ts, "text": "", "blocks": []}
        payload["state"] = {"values": {}}
    if response_url is not None:
        payload["response_url"] = response_url
    return payload


def view_submission(
    user: str,
    callback_id: str,
    values: dict[str, Any],
    *,
    private_metadata: str = "",
    view_id: str = "VMODAL1",
    team_id: str = TEAM_ID,
    api_app_id: str = APP_ID,
) -> dict[str, Any]:
    """A ``view_submission`` payload: a modal's Submit, with its ``state.values`` by block id and action id."""
    return {
        "type": "view_submission",
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": team_id},
        "api_app_id": api_app_id,
        "token": "verification-token-unused",
        "trigger_id": f"{_next()}.{team_id}.trigger",
        "view": {
            "id": view_id,
            "team_id": team_id,
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": private_metadata,
            "state": {"values": values},
            "hash": "1.abc",
            "app_id": api_app_id,
        },
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def input_value(kind: str, **value: Any) -> dict[str, Any]:
    """One field of ``state.values`` (our modals' elements all use the action id ``value``)."""
    return {"value": {"type": kind, **value}}


def global_shortcut(user: str, callback_id: str, *, team_id: str = TEAM_ID) -> dict[str, Any]:
    """A global shortcut (from the composer or search): no channel, no response_url, a trigger_id for a modal."""
    return {
        "type": "shortcut",
        "token": "verification-token-unused",
        "action_ts": new_ts(),
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "user": {"id": user, "username": user.lower(), "team_id": team_id},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": f"{_next()}.{team_id}.trigger",
    }


def message_shortcut(
    user: str, callback_id: str, message_text: str, *, channel: str, response_url: str, author: str = "UAUTHOR1"
) -> dict[str, Any]:
    """A message shortcut (``message_action``) on someone's message, with the message and a response_url."""
    ts = new_ts()
    return {
        "type": "message_action",
        "token": "verification-token-unused",
        "action_ts": new_ts(),
        "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
        "user": {"id": user, "name": user.lower()},
        "channel": {"id": channel, "name": "general"},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": f"{_next()}.{TEAM_ID}.trigger",
        "response_url": response_url,
        "message_ts": ts,
        "message": {"type": "message", "user": author, "ts": ts, "text": message_text},
    }


def assistant_thread_started(
    user: str, *, channel: str | None = None, thread_ts: str | None = None, viewing: str = "C0001"
) -> dict[str, Any]:
    """``assistant_thread_started``: the user opened the assistant pane (a new thread in the bot's DM)."""
    return {
        "type": "assistant_thread_started",
        "assistant_thread": {
            "user_id": user,
            "context": {"channel_id": viewing, "team_id": TEAM_ID, "enterprise_id": None},
            "channel_id": channel or dm_channel(user),
            "thread_ts": thread_ts or new_ts(),
        },
        "event_ts": new_ts(),
    }


def assistant_thread_context_changed(user: str, *, channel: str, thread_ts: str, viewing: str) -> dict[str, Any]:
    """``assistant_thread_context_changed``: the user switched channels with the pane open."""
    event = assistant_thread_started(user, channel=channel, thread_ts=thread_ts, viewing=viewing)
    return {**event, "type": "assistant_thread_context_changed"}


def channel_message(user: str, text: str, *, channel: str, thread_ts: str | None = None) -> dict[str, Any]:
    """A ``message.channels`` event: someone wrote in a channel (here, a reply in a thread)."""
    ts = new_ts()
    event: dict[str, Any] = {
        "type": "message",
        "channel_type": "channel",
        "channel": channel,
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "team": TEAM_ID,
        "client_msg_id": f"msg-{_next()}",
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event
