"""The HTTP edge: Slack's requests at POST /slack/events, liveness, readiness and metrics, on waitress.

Requests are checked here, once, before Bolt sees them (Bolt's own check is
off, so each request is verified once and gets one request id):

* a missing, malformed or wrong signature, or a stale timestamp, gets 401;
  the headers are read as the text they must be (a timestamp of digits, a
  ``v0=`` + 64 hex signature), so no header value can raise;
* a signed body that is not Slack's form or JSON, or whose parts have the
  wrong types (``bot.slack.envelope``), gets 400;
* anything that still fails gets a 500 and one log line, never a traceback
  per request (anyone can send requests, and they must not flood the log).

Every response is counted by path and status (``ilm_http_responses_total``).
In Socket Mode the same server answers /healthz, /readyz and /metrics only.

Slow clients: waitress reads each request in its event loop before a worker
thread sees it, so the limits that matter are the connections. ``EdgeServer``
closes a connection whose request has been arriving for longer than
``READ_SECONDS`` (a slow-loris trickle) or that has been idle that long, and
refuses a client more than ``CONNECTIONS_PER_CLIENT`` connections at once,
so one client cannot fill the server and /healthz keeps answering.
docs/deploy.md says what a reverse proxy in front should add.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import re
import socket
import time
import traceback
from collections.abc import Callable, Iterable
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from slack_bolt import Ack, App, BoltResponse
from slack_bolt.request import BoltRequest
from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer

from bot.runtime import metrics
from bot.runtime.logs import new_request_id
from bot.runtime.metrics import REGISTRY
from bot.slack.envelope import well_formed

log = logging.getLogger("ilm_bot.http")

EVENTS_PATH = "/slack/events"
#: Slack's payloads are small; anything larger is not from Slack.
MAX_BODY = 1_000_000
#: Slack refuses to sign more than 5 minutes ahead or behind; so does Bolt.
MAX_CLOCK_SKEW = 5 * 60
#: A request must arrive within this many seconds of its first byte (and an idle connection closes after it).
READ_SECONDS = 10
#: Connections one client address may hold at once (``ILM_HTTP_CONNECTIONS_PER_CLIENT``; 0 = no limit). Slack
#: sends from few addresses, and behind a reverse proxy every request comes from the proxy: see docs/deploy.md.
CONNECTIONS_PER_CLIENT = 128
#: Connections in all; beyond it waitress stops accepting until some close.
CONNECTION_LIMIT = 1000
#: waitress worker threads: they only run the ack path (answers run on the answer queue).
THREADS = 8

_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")
_PATHS = {EVENTS_PATH: "events", "/healthz": "healthz", "/readyz": "readyz", "/metrics": "metrics"}
StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class SlackHttp:
    """A WSGI application in front of the Bolt app (``app=None``: health and metrics only, for Socket Mode)."""

    def __init__(self, app: App | None, signing_secret: str, ready: Callable[[], bool]) -> None:
        self.app = app
        self.secret = signing_secret.encode("utf-8")
        self.ready = ready

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        new_request_id()
        path = environ.get("PATH_INFO", "")
        counted = _counting(start_response, _PATHS.get(path, "other"))
        try:
            return self._route(environ, counted, path)
        except Exception as exc:  # a bug, not the sender's fault: one line, no traceback to flood the log
            log.error("request failed: %s at %s", type(exc).__name__, _where(exc))
            return _reply(counted, 500, {"error": "internal error"})

    def _route(self, environ: dict[str, Any], start_response: StartResponse, path: str) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        if path == "/metrics" and method == "GET":
            data = generate_latest(REGISTRY)
            start_response("200 OK", [("Content-Type", CONTENT_TYPE_LATEST), ("Content-Length", str(len(data)))])
            return [data]
        if path == "/healthz" and method == "GET":
            return _reply(start_response, 200, {"status": "ok"})
        if path == "/readyz" and method == "GET":
            ok = self.ready()
            return _reply(start_response, 200 if ok else 503, {"status": "ready" if ok else "not ready"})
        if path != EVENTS_PATH or self.app is None:
            return _reply(start_response, 404, {"error": "not found"})
        if method != "POST":
            return _reply(start_response, 405, {"error": "use POST"})
        return self._slack(self.app, environ, start_response)

    def _slack(self, app: App, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        length_text = str(environ.get("CONTENT_LENGTH") or "0")
        if not length_text.isascii() or not length_text.isdigit():
            return _reply(start_response, 400, {"error": "bad content length"})
        if int(length_text) > MAX_BODY:
            return _reply(start_response, 413, {"error": "body too large"})
        raw = environ["wsgi.input"].read(int(length_text)) if int(length_text) else b""
        headers = _headers(environ)
        if not self.signed(raw, headers):
            return _reply(start_response, 401, {"error": "invalid signature"})
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            return _reply(start_response, 400, {"error": "body is not UTF-8"})
        if not well_formed(body, headers.get("content-type", "")):
            return _reply(start_response, 400, {"error": "malformed body"})
        request = BoltRequest(body=body, headers=headers)
        request.context["ack"] = acked = RememberedAck()
        try:
            response = app.dispatch(request)
        except Exception as exc:
            log.warning("request could not be handled: %s at %s", type(exc).__name__, _where(exc))
            return _reply(start_response, 400, {"error": "request could not be handled"})
        if acked.first is not None:
            # What the listener acknowledged with. Bolt's own answer races with a listener that fails after
            # ack(): it can turn into a 500 or a 404, although the failure is handled (and logged) after it.
            response = acked.first
        start_response(f"{response.status} {_REASONS.get(response.status, '')}".strip(), _pairs(response.headers))
        return [response.body.encode("utf-8") if isinstance(response.body, str) else bytes(response.body or b"")]

    def signed(self, raw: bytes, headers: dict[str, str]) -> bool:
        """Slack's signature over the raw bytes, with headers that are the text they must be, and a fresh time."""
        timestamp = headers.get("x-slack-request-timestamp", "")
        signature = headers.get("x-slack-signature", "")
        if not (_TIMESTAMP.fullmatch(timestamp) and _SIGNATURE.fullmatch(signature)):
            return False
        if abs(time.time() - int(timestamp)) > MAX_CLOCK_SKEW:
            return False
        # Over the raw bytes: slack-sdk's verifier decodes the body first, and raises on non-UTF-8.
        expected = hmac.new(self.secret, b"v0:" + timestamp.encode() + b":" + raw, hashlib.sha256).hexdigest()
        return hmac.compare_digest("v0=" + expected, signature)


class RememberedAck(Ack):
    """Bolt's ``ack``, remembering the first answer given (Bolt clears ``response`` if the listener fails)."""

    first: BoltResponse | None = None

    def __call__(self, *args: Any, **kwargs: Any) -> BoltResponse:
        response = super().__call__(*args, **kwargs)
        if self.first is None:
            self.first = response
        return response


def _where(exc: BaseException) -> str:
    """``file:line`` of the innermost frame: enough to find a bug, too short to flood the log."""
    frames = traceback.extract_tb(exc.__traceback__)
    return f"{frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno}" if frames else "?"


def _counting(start_response: StartResponse, path: str) -> StartResponse:
    def counted(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
        metrics.HTTP_RESPONSES.labels(path, status.split(" ", 1)[0]).inc()
        return start_response(status, headers, *args)

    return counted


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


# -- the server ---------------------------------------------------------------------------------------


class TimedChannel(HTTPChannel):
    """A waitress connection that remembers when the request it is reading began."""

    request_started = 0.0

    def received(self, data: bytes) -> bool:
        if self.request is None:
            self.request_started = time.time()
        return bool(super().received(data))


class EdgeServer(TcpWSGIServer):
    """waitress with a bound on each request's read time and on each client's connections."""

    channel_class = TimedChannel

    def __init__(
        self,
        app: Any,
        *,
        per_client: int = CONNECTIONS_PER_CLIENT,
        read_seconds: float = READ_SECONDS,
        **adjustments: Any,
    ) -> None:
        self.per_client = per_client
        self.read_seconds = read_seconds
        super().__init__(app, adj=Adjustments(**adjustments))

    def handle_accept(self) -> None:
        try:
            accepted = self.accept()
        except OSError:
            return
        if accepted is None:
            return
        conn, addr = accepted
        client = addr[0] if isinstance(addr, tuple) else addr
        held = sum(1 for channel in self.active_channels.values() if _client(channel) == client)
        if self.per_client and held >= self.per_client:
            metrics.HTTP_RESPONSES.labels("connection", "503").inc()
            _refuse(conn)
            return
        try:
            self.set_socket_options(conn)
        except OSError:
            _close(conn)
            return
        self.channel_class(self, conn, self.fix_addr(addr), self.adj, map=self._map)

    def maintenance(self, now: float) -> None:
        """waitress closes idle connections; this also closes those still trickling one request in."""
        super().maintenance(now)
        cutoff = now - self.read_seconds
        for channel in list(self.active_channels.values()):
            if channel.request is not None and not channel.requests and channel.request_started < cutoff:
                channel.will_close = True

    def stop(self) -> None:
        """Close every connection and the listening socket from the server's own loop: ``run`` then returns."""
        self.trigger.pull_trigger(lambda: _close_all(self._map))


def _client(channel: Any) -> Any:
    addr = getattr(channel, "addr", None)
    return addr[0] if isinstance(addr, tuple) else addr


_BUSY = b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"


def _refuse(conn: socket.socket) -> None:
    """A 503 without reading the request (Slack retries it), then close; never blocks the server's loop."""
    with contextlib.suppress(OSError):
        conn.setblocking(False)
        conn.send(_BUSY)
    _close(conn)


def _close(conn: socket.socket) -> None:
    with contextlib.suppress(OSError):
        conn.close()


def _close_all(socket_map: dict[int, Any]) -> None:
    for dispatcher in list(socket_map.values()):
        with contextlib.suppress(OSError):
            dispatcher.close()


def create_server(
    handler: SlackHttp,
    port: int,
    host: str = "0.0.0.0",
    threads: int = THREADS,
    per_client: int = CONNECTIONS_PER_CLIENT,
) -> EdgeServer:
    """waitress, a production WSGI server (Bolt's own server is for development only), with the edge's limits."""
    # waitress warns on every request that waits for a thread; under load that floods the log with
    # lines that say nothing the metrics don't.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    server = EdgeServer(
        handler,
        per_client=per_client,
        host=host,
        port=port,
        threads=threads,
        ident="ilm-bot",
        channel_timeout=READ_SECONDS,
        cleanup_interval=1,
        connection_limit=CONNECTION_LIMIT,
        max_request_body_size=MAX_BODY,
        max_request_header_size=64 * 1024,
    )
    paths = f"POST {EVENTS_PATH}, GET /healthz" if handler.app is not None else "GET /healthz"
    log.info("listening on %s:%d (%s, GET /readyz, GET /metrics)", host, port, paths)
    return server


def serve(handler: SlackHttp, port: int, host: str = "0.0.0.0", threads: int = THREADS) -> None:
    """Serve until the process ends (``ilm-bot serve`` uses ``create_server`` and stops it gracefully)."""
    create_server(handler, port, host, threads).run()
