"""HTTP mode: Slack's requests at POST /slack/events, liveness and readiness checks, on waitress.

Requests are checked here before Bolt sees them: a bad or missing signature or
a stale timestamp gets 401, a body that is not Slack's form or JSON gets 400,
so nothing malformed can crash a listener or be acted on.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from slack_bolt import App
from slack_bolt.request import BoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.runtime.logs import new_request_id
from bot.runtime.metrics import REGISTRY

log = logging.getLogger("ilm_bot.http")

EVENTS_PATH = "/slack/events"
#: Slack's payloads are small; anything larger is not from Slack.
MAX_BODY = 1_000_000
StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class SlackHttp:
    """A WSGI application in front of the Bolt app."""

    def __init__(self, app: App, signing_secret: str, ready: Callable[[], bool]) -> None:
        self.app = app
        self.verifier = SignatureVerifier(signing_secret)
        self.ready = ready

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "")
        new_request_id()
        if path == "/metrics" and method == "GET":
            data = generate_latest(REGISTRY)
            start_response("200 OK", [("Content-Type", CONTENT_TYPE_LATEST), ("Content-Length", str(len(data)))])
            return [data]
        if path == "/healthz" and method == "GET":
            return _reply(start_response, 200, {"status": "ok"})
        if path == "/readyz" and method == "GET":
            ok = self.ready()
            return _reply(start_response, 200 if ok else 503, {"status": "ready" if ok else "not ready"})
        if path != EVENTS_PATH:
            return _reply(start_response, 404, {"error": "not found"})
        if method != "POST":
            return _reply(start_response, 405, {"error": "use POST"})
        return self._slack(environ, start_response)

    def _slack(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _reply(start_response, 400, {"error": "bad content length"})
        if length > MAX_BODY:
            return _reply(start_response, 413, {"error": "body too large"})
        raw = environ["wsgi.input"].read(length) if length else b""
        headers = _headers(environ)
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            return _reply(start_response, 401 if not self._signed(raw, headers) else 400, {"error": "bad body"})
        if not self.verifier.is_valid_request(body, headers):
            return _reply(start_response, 401, {"error": "invalid signature"})
        if not _well_formed(body, headers.get("content-type", "")):
            return _reply(start_response, 400, {"error": "malformed body"})
        try:
            response = self.app.dispatch(BoltRequest(body=body, headers=headers))
        except Exception:
            log.exception("request could not be handled")
            return _reply(start_response, 400, {"error": "request could not be handled"})
        start_response(f"{response.status} {_REASONS.get(response.status, '')}".strip(), _pairs(response.headers))
        return [response.body.encode("utf-8") if isinstance(response.body, str) else bytes(response.body or b"")]

    def _signed(self, raw: bytes, headers: dict[str, str]) -> bool:
        return self.verifier.is_valid(
            raw, headers.get("x-slack-request-timestamp", ""), headers.get("x-slack-signature", "")
        )


def _well_formed(body: str, content_type: str) -> bool:
    """Slack sends JSON (events) or a form (commands; interactivity with a JSON `payload`)."""
    try:
        if "application/json" in content_type:
            return isinstance(json.loads(body), dict)
        form = parse_qs(body, strict_parsing=bool(body), keep_blank_values=True)
        if "payload" in form:
            return isinstance(json.loads(form["payload"][0]), dict)
        return bool(form)
    except ValueError:
        return False


def _headers(environ: dict[str, Any]) -> dict[str, str]:
    out = {k[5:].lower().replace("_", "-"): str(v) for k, v in environ.items() if k.startswith("HTTP_")}
    if environ.get("CONTENT_TYPE"):
        out["content-type"] = environ["CONTENT_TYPE"]
    return out


def _pairs(headers: dict[str, Any]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for name, value in (headers or {}).items():
        for item in value if isinstance(value, list | tuple) else [value]:
            pairs.append((name, str(item)))
    return pairs


_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Payload Too Large",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def _reply(start_response: StartResponse, status: int, body: dict[str, Any]) -> Iterable[bytes]:
    data = json.dumps(body).encode()
    start_response(
        f"{status} {_REASONS[status]}", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    )
    return [data]


def serve(handler: SlackHttp, port: int, host: str = "0.0.0.0", threads: int = 8) -> None:
    """Serve on waitress, a production WSGI server (Bolt's own server is for development only)."""
    from waitress import serve as waitress_serve  # noqa: PLC0415 - only HTTP mode needs it

    # waitress warns on every request that waits for a thread; under load that floods the log with
    # lines that say nothing the metrics don't.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    log.info("listening on %s:%d (POST %s, GET /healthz, GET /readyz, GET /metrics)", host, port, EVENTS_PATH)
    waitress_serve(handler, host=host, port=port, threads=threads, ident="ilm-bot")
