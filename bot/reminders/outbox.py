"""Posting reminders to Slack, and finding out afterwards whether a post went out.

Every post carries message metadata naming its delivery row
(``{"event_type": "ilm_reminder", "event_payload": {"delivery": 123}}``).
When a post's outcome is unknown (the process died, or the request timed
out), ``find`` reads the conversation's history for that metadata: the
message is there or it is not, and only then may the delivery be posted
again. That read-back is what turns "at least once" into "exactly once".

Errors are sorted by what they say about the post, which is all the
scheduler needs: ``RateLimitedError`` and ``RefusedError`` mean it was *not* posted
(safe to retry, or to give up on); ``OutcomeUnknownError`` means it may have been.
Slack's own ``internal_error`` and ``fatal_error`` say "it's possible some
aspect of the operation succeeded", so they are ``OutcomeUnknownError`` too.

The client makes no retries of its own: a retried post whose first attempt
did reach Slack would be a duplicate.
"""

from __future__ import annotations

import http.client
import urllib.error
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

EVENT_TYPE = "ilm_reminder"
#: ok:false errors after which the post may have happened (https://api.slack.com/methods/chat.postMessage).
_MAYBE_DONE = frozenset({"internal_error", "fatal_error", "service_unavailable"})
#: History pages read when looking for one post; each page holds up to HISTORY_PAGE messages.
HISTORY_PAGES = 20
HISTORY_PAGE = 200
DEFAULT_RETRY_AFTER = 1.0

T = TypeVar("T")


@dataclass(frozen=True)
class Posted:
    channel: str
    ts: str


class RateLimitedError(Exception):
    """Slack answered 429: not posted; wait ``retry_after`` seconds."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited for {retry_after:g}s")
        self.retry_after = retry_after


class RefusedError(Exception):
    """Slack answered and did not post (``channel_not_found``, ``not_in_channel``…)."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


class OutcomeUnknownError(Exception):
    """No answer that says whether the post happened: a timeout, a dropped connection, a 5xx."""


class Outbox(Protocol):
    def post(self, recipient: str, text: str, delivery: int) -> Posted: ...

    def find(self, recipient: str, delivery: int, since: datetime) -> Posted | None: ...


def metadata(delivery: int) -> dict[str, Any]:
    return {"event_type": EVENT_TYPE, "event_payload": {"delivery": delivery}}


def is_delivery(message: Mapping[str, Any], delivery: int) -> bool:
    meta = message.get("metadata") or {}
    payload = meta.get("event_payload") or {}
    return meta.get("event_type") == EVENT_TYPE and str(payload.get("delivery")) == str(delivery)


class SlackOutbox:
    """The ``Outbox`` over Slack's Web API."""

    def __init__(self, client: WebClient) -> None:
        self.client = client

    @classmethod
    def connect(cls, token: str, api_url: str, timeout: float) -> SlackOutbox:
        """A client of its own: ``timeout`` bounds each request, and there are no automatic retries."""
        return cls(WebClient(token=token, base_url=api_url, timeout=timeout, retry_handlers=[]))  # type: ignore[arg-type]

    def post(self, recipient: str, text: str, delivery: int) -> Posted:
        """Post ``text`` as written (Slack markup such as ``<!channel>`` works) to a channel, or a user's DM."""
        response = _call(
            lambda: self.client.chat_postMessage(channel=recipient, text=text, metadata=metadata(delivery))
        )
        return Posted(str(response.get("channel") or recipient), str(response["ts"]))

    def find(self, recipient: str, delivery: int, since: datetime) -> Posted | None:
        """The message posted for ``delivery`` since ``since``, or None when there is none."""
        channel = self._conversation(recipient)
        cursor: str | None = None
        for _ in range(HISTORY_PAGES):
            page = _call(
                lambda c=cursor: self.client.conversations_history(
                    channel=channel,
                    oldest=f"{since.timestamp():.6f}",
                    inclusive=True,
                    include_all_metadata=True,
                    limit=HISTORY_PAGE,
                    cursor=c,
                )
            )
            for message in page.get("messages") or ():
                if is_delivery(message, delivery):
                    return Posted(channel, str(message["ts"]))
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if not page.get("has_more") or not cursor:
                return None
        raise OutcomeUnknownError("history too long to search")

    def _conversation(self, recipient: str) -> str:
        """A DM is read by its conversation id (``D…``), which ``conversations.open`` gives for a user id."""
        if recipient[:1] not in {"U", "W"}:
            return recipient
        opened = _call(lambda: self.client.conversations_open(users=recipient))
        return str(opened["channel"]["id"])


def _call(request: Callable[[], T]) -> T:
    try:
        return request()
    except SlackApiError as exc:
        response = exc.response
        if response.status_code == 429:
            raise RateLimitedError(_retry_after(response.headers)) from None
        if response.status_code >= 500:
            raise OutcomeUnknownError(f"HTTP {response.status_code}") from None
        error = str(response.get("error") or "unknown_error")
        if error == "ratelimited":
            raise RateLimitedError(_retry_after(response.headers)) from None
        if error in _MAYBE_DONE:
            raise OutcomeUnknownError(error) from None
        raise RefusedError(error) from None
    except (OSError, http.client.HTTPException, urllib.error.URLError, SlackClientError) as exc:
        raise OutcomeUnknownError(type(exc).__name__) from None


def _retry_after(headers: Mapping[str, Any]) -> float:
    for name, value in (headers or {}).items():
        if name.lower() == "retry-after":
            text = value[0] if isinstance(value, list | tuple) else value
            try:
                return max(0.0, float(text))
            except (TypeError, ValueError):
                break
    return DEFAULT_RETRY_AFTER
