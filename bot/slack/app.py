"""The Bolt app: the Web API client, once-per-event delivery, error handling and the listeners.

In the style of Slack's Bolt starter template: this module only assembles;
what each surface does lives in ``bot.slack.listeners``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler
from slack_sdk.webhook import WebhookClient

from bot.slack import listeners
from bot.slack.services import SlackServices

log = logging.getLogger("ilm_bot.slack")

#: Slack's 429 answers say how long to wait (Retry-After); waiting and retrying loses nothing.
RATE_LIMIT_RETRIES = 10
SORRY = "Sorry, something went wrong on my side and I couldn't finish that. Please try again in a moment."


def web_client(s: SlackServices) -> WebClient:
    return WebClient(
        token=s.settings.bot_token,
        base_url=s.settings.api_url,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
            ConnectionErrorRetryHandler(max_retry_count=2),
        ],
    )


def build_app(s: SlackServices) -> App:
    app = App(client=web_client(s), signing_secret=s.settings.signing_secret, logger=log)

    @app.middleware
    def once_per_event(body: dict[str, Any], next: Callable[[], None]) -> BoltResponse | None:
        """Slack redelivers events it thinks were missed: each event id is answered once, by one process."""
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not s.first_delivery(str(event_id)):
            return BoltResponse(status=200, body="")
        next()
        return None

    @app.error
    def on_error(error: Exception, body: dict[str, Any]) -> None:
        """Log without tokens (the log filter redacts them) and tell the user, never leaving them waiting."""
        detail = error.response.get("error") if isinstance(error, SlackApiError) else type(error).__name__
        log.error("listener failed: %s", detail, exc_info=not isinstance(error, SlackApiError))
        _tell_user(app.client, body)

    listeners.register(app, s)
    return app


def _tell_user(client: WebClient, body: dict[str, Any]) -> None:
    try:
        if url := body.get("response_url"):
            WebhookClient(url).send(text=SORRY, response_type="ephemeral", replace_original=False)
            return
        event = body.get("event") or {}
        user = event.get("user") or (body.get("user") or {}).get("id")
        channel = event.get("channel") or (body.get("channel") or {}).get("id")
        if user and channel:
            client.chat_postEphemeral(channel=channel, user=user, text=SORRY)
    except Exception as exc:
        log.warning("could not tell the user about a failure: %s", type(exc).__name__)
