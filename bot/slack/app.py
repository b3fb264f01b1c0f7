"""The Bolt app: the Web API client, the global middleware, error handling and the listeners.

In the style of Slack's Bolt starter template: this module only assembles;
what each surface does lives in ``bot.slack.listeners``. The global middleware,
in order: the shared services go into Bolt's context (listeners take them as
``services``), forged ids are refused, Slack's HTML entities are decoded once
(``bot.slack.inbound``), and each event id is answered once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler
from slack_sdk.webhook import WebhookClient

from bot.runtime import metrics
from bot.runtime.logs import ContextExecutor, new_request_id
from bot.slack import inbound, listeners
from bot.slack.services import SlackServices

log = logging.getLogger("ilm_bot.slack")

#: Slack's 429 answers say how long to wait (Retry-After); waiting and retrying loses nothing.
RATE_LIMIT_RETRIES = 10
#: Listener threads: answers run after the ack, in parallel with new requests.
LISTENER_THREADS = 16
SORRY = "Sorry, something went wrong on my side and I couldn't finish that. Please try again in a moment."


class CountedRateLimitRetry(RateLimitErrorRetryHandler):
    """slack-sdk's wait-for-Retry-After handler, counted for /metrics."""

    def prepare_for_next_attempt(self, **kwargs: Any) -> None:
        metrics.SLACK_RATE_LIMITED.inc()
        super().prepare_for_next_attempt(**kwargs)


def web_client(s: SlackServices) -> WebClient:
    return WebClient(
        token=s.settings.bot_token,
        base_url=s.settings.api_url,
        retry_handlers=[
            CountedRateLimitRetry(max_retry_count=RATE_LIMIT_RETRIES),
            ConnectionErrorRetryHandler(max_retry_count=2),
        ],
    )


def build_app(s: SlackServices, *, process_before_response: bool = False) -> App:
    """The app; ``process_before_response`` (for in-process tests) answers a request only once its listener ends."""
    app = App(
        client=web_client(s),
        signing_secret=s.settings.signing_secret,
        logger=log,
        process_before_response=process_before_response,
        listener_executor=ContextExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="listener"),
    )

    @app.middleware
    def services(context: BoltContext, body: dict[str, Any], next: Callable[[], None]) -> BoltResponse | None:
        """Listeners, matchers and listener middleware receive ``services`` as an argument."""
        context["services"] = s
        if forged := inbound.forged_ids(body):
            log.warning("request refused: malformed %s", ", ".join(forged))
            return BoltResponse(status=400, body="")
        inbound.decode_payload(body)
        next()
        return None

    @app.middleware
    def once_per_event(body: dict[str, Any], next: Callable[[], None]) -> BoltResponse | None:
        """Slack redelivers events it thinks were missed: each event id is answered once, by one process."""
        new_request_id()
        metrics.REQUESTS.labels(metrics.surface(body)).inc()
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not s.first_delivery(str(event_id)):
            return BoltResponse(status=200, body="")
        next()
        return None

    @app.error
    def on_error(error: Exception, body: dict[str, Any]) -> None:
        """Log without tokens (the log filter redacts them) and tell the user, never leaving them waiting."""
        detail = error.response.get("error") if isinstance(error, SlackApiError) else type(error).__name__
        if isinstance(error, SlackApiError):
            metrics.SLACK_ERRORS.labels(str(detail)).inc()
        log.error("listener failed: %s", detail)
        if body.get("type") == "event_callback" and body.get("event_id"):
            try:
                s.failed_delivery(str(body["event_id"]))
            except Exception as exc:  # the claim stays; the failure itself is already logged
                log.warning("could not release event %s: %s", body["event_id"], type(exc).__name__)
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
