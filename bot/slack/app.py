"""The Bolt app: the Web API client, once-per-event delivery, error handling and the listeners.

In the style of Slack's Bolt starter template: this module only assembles;
what each surface does lives in ``bot.slack.listeners``. The global middleware,
in order: the shared services go into Bolt's context (listeners take them as
``services``), forged ids are refused, Slack's HTML entities are decoded once
(``bot.slack.inbound``), and each event id is answered once.

Signatures are verified once, at the HTTP edge (``bot.slack.server``), so
Bolt's own check is off; Socket Mode has no signatures. Each request gets
its id where it enters (the HTTP edge, or ``SocketModeEntry``).

An event is refused with a non-2xx status, so that Slack retries it, when
the process is shutting down, when the answer queue is full, or when the
database can't record that the event was taken (the claim): it is never
acknowledged and then dropped.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.webhook import WebhookClient

from bot.runtime import metrics
from bot.runtime.answers import AnswerQueue, as_event, as_interactive
from bot.runtime.logs import new_request_id
from bot.slack import inbound, listeners
from bot.slack.services import SlackServices
from bot.storage import DatabaseError

log = logging.getLogger("ilm_bot.slack")

#: Slack's 429 answers say how long to wait (Retry-After); waiting and retrying loses nothing.
RATE_LIMIT_RETRIES = 10
#: Slack's 5xx answers are retried (with slack-sdk's backoff) this many times.
SERVER_ERROR_RETRIES = 2
SORRY = "Sorry, something went wrong on my side and I couldn't finish that. Please try again in a moment."


class CountedRateLimitRetry(RateLimitErrorRetryHandler):
    """slack-sdk's wait-for-Retry-After handler, counted for /metrics."""

    def prepare_for_next_attempt(self, **kwargs: Any) -> None:
        metrics.SLACK_RATE_LIMITED.inc()
        super().prepare_for_next_attempt(**kwargs)


class TimedWebClient(WebClient):
    """slack-sdk's client, each Web API call timed by method for /metrics (retries included)."""

    def api_call(self, api_method: str, **kwargs: Any) -> Any:  # type: ignore[override]
        started = time.perf_counter()
        try:
            return super().api_call(api_method, **kwargs)
        finally:
            metrics.SLACK_API_SECONDS.labels(api_method).observe(time.perf_counter() - started)


def web_client(token: str, api_url: str, **kwargs: Any) -> WebClient:
    """The bot's Web API client: waits out 429s, retries Slack's 5xx and dropped connections."""
    return TimedWebClient(
        token=token,
        base_url=api_url,
        retry_handlers=[
            CountedRateLimitRetry(max_retry_count=RATE_LIMIT_RETRIES),
            ServerErrorRetryHandler(max_retry_count=SERVER_ERROR_RETRIES),
            ConnectionErrorRetryHandler(max_retry_count=2),
        ],
        **kwargs,
    )


def build_app(
    s: SlackServices,
    answers: AnswerQueue | None = None,
    stopping: Callable[[], bool] = lambda: False,
    *,
    process_before_response: bool = False,
) -> App:
    """The app; ``answers`` runs the work after each ack, ``stopping`` says the process is shutting down.

    ``process_before_response`` (for in-process tests) answers a request only once its listener ends."""
    queue = answers or AnswerQueue()
    app = App(
        client=web_client(s.settings.bot_token, s.settings.api_url),
        request_verification_enabled=False,  # verified once, at the edge (bot.slack.server)
        logger=log,
        listener_executor=queue,
        process_before_response=process_before_response,
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
    def once_per_event(body: dict[str, Any], context: BoltContext, next: Callable[[], None]) -> BoltResponse | None:
        """Slack redelivers events it thinks were missed: each event id is answered once, by one process."""
        metrics.REQUESTS.labels(metrics.surface(body)).inc()
        # Bolt gives each request a plain WebClient copied from ours; time its calls too (no state is added).
        context.client.__class__ = TimedWebClient
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if not event_id:
            as_interactive()
            next()
            return None
        refusal = "draining" if stopping() else None if queue.has_room() else "queue_full"
        try:
            first = refusal is None and s.first_delivery(str(event_id))
        except DatabaseError as exc:  # not taken, so not acknowledged: Slack's retry is answered instead
            log.warning("event %s left to Slack's retry: %s", event_id, exc)
            refusal = "database"
        if refusal:
            metrics.REFUSED.labels(refusal).inc()
            return BoltResponse(status=503, body=refusal)
        if not first:
            return BoltResponse(status=200, body="")
        as_event(str(event_id))
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


class SocketModeEntry(SocketModeHandler):
    """Bolt's Socket Mode adapter, giving each envelope its request id (the HTTP edge does it for HTTP)."""

    def handle(self, client: Any, req: SocketModeRequest) -> None:
        new_request_id()
        super().handle(client, req)


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
