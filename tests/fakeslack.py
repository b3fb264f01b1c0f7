"""A fake Slack on loopback: the Web API, ``response_url`` endpoints and a Socket Mode server.

End-to-end tests run the real bot process against this instead of Slack, then
assert on what it did: which Web API methods it called, with which parameters,
where and in which thread, and whether it acknowledged Socket Mode envelopes.
It speaks real HTTP and real WebSockets so the bot's slack-sdk / Bolt stack is
exercised unchanged; only the base URL differs (``SLACK_API_URL``).

It behaves like Slack where a bot could get it wrong: it checks tokens (bot vs
app-level), refuses over-long messages and block lists, returns ``ts``/``channel``
the way Slack does, and can inject ``429`` rate limits (with ``Retry-After``) or
``{"ok": false, "error": ...}`` failures on demand.

    with FakeSlack() as slack:
        env = {**os.environ, **slack.env()}          # SLACK_API_URL, tokens, signing secret
        ... start `ilm-bot serve` with env ...
        slack.socket.wait_connected()
        eid = slack.socket.send_envelope("events_api", event_callback(message_im("U1", "hi")))
        slack.socket.wait_for_ack(eid)
        post = slack.wait_for("chat.postMessage", lambda c: c.channel == "DU1")
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from slack_payloads import APP_ID, BOT_ID, BOT_USER_ID, TEAM_DOMAIN, TEAM_ID, HttpResult, SlackRequest

log = logging.getLogger("fakeslack")

#: Parameters Slack accepts as JSON strings in form bodies; recorded decoded.
_JSON_PARAMS = ("blocks", "attachments", "view", "metadata", "prompts")
#: Slack's limits the fake enforces (https://api.slack.com/reference/block-kit/blocks).
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_MESSAGE_TEXT = 40_000
MAX_RESPONSES_PER_URL = 5
#: Methods Slack serves without a token.
_NO_AUTH = frozenset({"api.test", "oauth.v2.access"})

Responder = Callable[["Call"], dict[str, Any]]


@dataclass(frozen=True)
class Call:
    """One request the fake received: a Web API method, or a post to a ``response_url``."""

    method: str
    params: dict[str, Any]
    headers: dict[str, str]  # lower-cased names
    status: int  # the HTTP status the fake answered
    response: Any  # the body the fake answered (dict for JSON)
    target: str | None = None  # the response_url name, for method == "response_url"
    at: float = field(default_factory=time.monotonic)

    @property
    def token(self) -> str | None:
        auth = self.headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            return auth[7:].strip()
        token = self.params.get("token")
        return token if isinstance(token, str) else None

    @property
    def ok(self) -> bool:
        return self.status == 200 and isinstance(self.response, dict) and self.response.get("ok") is True

    @property
    def text(self) -> str:
        return str(self.params.get("text") or "")

    @property
    def channel(self) -> str | None:
        return self.params.get("channel") or self.params.get("channel_id")

    @property
    def thread_ts(self) -> str | None:
        return self.params.get("thread_ts") or None

    @property
    def blocks(self) -> list[dict[str, Any]]:
        blocks = self.params.get("blocks")
        if blocks is None and isinstance(self.params.get("view"), dict):
            blocks = self.params["view"].get("blocks")
        return blocks if isinstance(blocks, list) else []

    @property
    def ephemeral(self) -> bool:
        """Seen only by one user: chat.postEphemeral, or a response_url post not sent ``in_channel``."""
        if self.method == "chat.postEphemeral":
            return True
        if self.method == "response_url":
            return self.params.get("response_type", "ephemeral") != "in_channel"
        return False

    def all_text(self) -> str:
        """The fallback text plus every text in the blocks (or view), for content assertions."""
        parts = [self.text]
        _collect_text(self.blocks, parts)
        return "\n".join(p for p in parts if p)

    def __getitem__(self, key: str) -> Any:
        return self.params[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.params.get(key, default)


def _collect_text(node: Any, out: list[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "text" and isinstance(value, str):
                out.append(value)
            else:
                _collect_text(value, out)
    elif isinstance(node, list):
        for item in node:
            _collect_text(item, out)


@dataclass
class _Failure:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]
    times: int


class FakeSlack:
    """The fake Slack. Start it with ``with FakeSlack() as slack:`` (or ``start()`` / ``stop()``)."""

    def __init__(
        self,
        *,
        bot_token: str = "xoxb-test",
        app_token: str = "xapp-1-test",
        signing_secret: str = "test-signing-secret",
        bot_user_id: str = BOT_USER_ID,
        bot_id: str = BOT_ID,
        team_id: str = TEAM_ID,
        app_id: str = APP_ID,
        socket_mode: bool = True,
        strict: bool = False,
        check_limits: bool = True,
        assistant: bool = True,
    ) -> None:
        """``strict``: unknown methods, users and messages are errors (as in Slack) instead of ``ok``.

        ``assistant=False``: a workspace without the assistant feature; ``assistant.threads.*`` fail."""
        self.bot_token = bot_token
        self.app_token = app_token
        self.signing_secret = signing_secret
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.team_id = team_id
        self.app_id = app_id
        self.strict = strict
        self.check_limits = check_limits
        self.assistant = assistant
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}  # (channel, ts) -> message
        self.files: dict[str, dict[str, Any]] = {}  # file id -> file object (content under "_content")
        self.socket: FakeSocketMode | None = FakeSocketMode(app_id=app_id) if socket_mode else None
        self._calls: list[Call] = []
        self._cond = threading.Condition()
        self._failures: dict[str, list[_Failure]] = {}
        self._delays: dict[str, list[list[float]]] = {}  # method -> [[seconds, times left], ...]
        self._responders: dict[str, Responder] = {}
        self._response_counts: dict[str, int] = {}
        self._ids = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------

    def start(self) -> FakeSlack:
        if self._server is not None:
            return self
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.fake = self  # type: ignore[attr-defined]
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        if self.socket is not None:
            self.socket.start()
        return self

    def stop(self) -> None:
        if self.socket is not None:
            self.socket.stop()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- addresses -------------------------------------------------------------------

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT`` (no trailing slash)."""
        if self._server is None:
            raise RuntimeError("FakeSlack is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def url(self) -> str:
        """The Web API base URL, as slack-sdk's ``WebClient(base_url=...)`` wants it (ends in ``/api/``)."""
        return self.base + "/api/"

    def response_url(self, name: str = "default") -> str:
        """A ``response_url`` to put in a slash command or action payload; posts are recorded as calls."""
        return f"{self.base}/response/{name}"

    def env(self, **extra: str) -> dict[str, str]:
        """Environment for a bot process: the API URL, tokens and signing secret of this fake."""
        return {
            "SLACK_API_URL": self.url,
            "SLACK_BOT_TOKEN": self.bot_token,
            "SLACK_APP_TOKEN": self.app_token,
            "SLACK_SIGNING_SECRET": self.signing_secret,
            **extra,
        }

    def send(self, url: str, request: SlackRequest, **kwargs: Any) -> HttpResult:
        """Send a request to the bot's HTTP endpoint, signed with this fake's signing secret."""
        return request.send(url, self.signing_secret, **kwargs)

    # -- configuration ---------------------------------------------------------------

    def set_user(
        self,
        user_id: str,
        *,
        tz: str = "Europe/London",
        tz_offset: int = 0,
        name: str | None = None,
        real_name: str | None = None,
        is_admin: bool = False,
        is_bot: bool = False,
        deleted: bool = False,
        **extra: Any,
    ) -> None:
        """What users.info returns for ``user_id`` (unknown users get a default Europe/London profile)."""
        name = name or user_id.lower()
        real_name = real_name or name.title()
        self.users[user_id] = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name,
            "real_name": real_name,
            "deleted": deleted,
            "tz": tz,
            "tz_label": tz,
            "tz_offset": tz_offset,
            "is_admin": is_admin,
            "is_owner": False,
            "is_bot": is_bot,
            "profile": {"real_name": real_name, "display_name": name},
            **extra,
        }

    def set_channel(self, channel_id: str, **fields: Any) -> None:
        """Extra fields for conversations.info on ``channel_id`` (e.g. ``is_ext_shared=True``)."""
        self.channels[channel_id] = fields

    def set_response(self, method: str, responder: dict[str, Any] | Responder) -> None:
        """Answer ``method`` with this body (or ``responder(call)``) instead of the built-in one."""
        self._responders[method] = responder if callable(responder) else (lambda _c, body=responder: body)

    def fail_next(
        self,
        method: str,
        status: int | None = None,
        *,
        error: str | None = None,
        retry_after: int = 1,
        times: int = 1,
    ) -> None:
        """Fail the next ``times`` calls to ``method`` ("response_url" for response URLs).

        Default: HTTP 429 with ``Retry-After: retry_after`` and ``{"ok": false, "error": "ratelimited"}``.
        ``error="channel_not_found"``: HTTP 200 with ``{"ok": false, "error": ...}`` (Slack's usual failure).
        ``status=500``: that status with an ``internal_error`` body.
        """
        if status is None:
            status = 200 if error is not None else 429
        headers: dict[str, str] = {}
        if status == 429:
            headers["Retry-After"] = str(retry_after)
            error = error or "ratelimited"
        body = {"ok": False, "error": error or ("internal_error" if status >= 500 else "fake_failure")}
        with self._cond:
            self._failures.setdefault(method, []).append(_Failure(status, body, headers, times))

    def delay_next(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Answer the next ``times`` calls to ``method`` only after ``seconds``.

        The call is handled and recorded at once (a post is stored, as Slack would once it has the
        request); only the answer is late. A test can kill the bot while the answer is in flight.
        """
        with self._cond:
            self._delays.setdefault(method, []).append([seconds, times])

    # -- inspection ------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        """A snapshot of every call so far, in arrival order."""
        with self._cond:
            return list(self._calls)

    def calls_to(self, method: str | Iterable[str], predicate: Callable[[Call], bool] | None = None) -> list[Call]:
        methods = {method} if isinstance(method, str) else set(method)
        return [c for c in self.calls if c.method in methods and (predicate is None or predicate(c))]

    def mark(self) -> int:
        """The number of calls so far; pass as ``after=`` to wait only for later calls."""
        with self._cond:
            return len(self._calls)

    def clear(self) -> None:
        with self._cond:
            self._calls.clear()

    def wait_for(
        self,
        method: str | Iterable[str],
        predicate: Callable[[Call], bool] | None = None,
        timeout: float = 5.0,
        *,
        after: int = 0,
    ) -> Call:
        """The first call (from index ``after``) to ``method`` matching ``predicate``; waits up to ``timeout``."""
        methods = {method} if isinstance(method, str) else set(method)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for c in self._calls[after:]:
                    if c.method in methods and (predicate is None or predicate(c)):
                        return c
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = "\n".join(f"  {c.method} {c.status} {_short(c.params)}" for c in self._calls[after:])
                    raise AssertionError(f"no {sorted(methods)} call matched within {timeout}s; calls:\n{seen}")
                self._cond.wait(remaining)

    def wait_for_count(self, method: str, count: int, timeout: float = 5.0) -> list[Call]:
        """Wait until ``method`` has been called at least ``count`` times; return those calls."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [c for c in self._calls if c.method == method]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"{method} called {len(found)} times, expected {count}")
                self._cond.wait(remaining)

    def expect_no_call(
        self,
        method: str | Iterable[str],
        predicate: Callable[[Call], bool] | None = None,
        wait: float = 0.5,
        *,
        after: int = 0,
    ) -> None:
        """Assert that no matching call arrives within ``wait`` seconds (e.g. the bot ignores its own messages)."""
        try:
            found = self.wait_for(method, predicate, timeout=wait, after=after)
        except AssertionError:
            return
        raise AssertionError(f"unexpected call: {found.method} {_short(found.params)}")

    # -- request handling ------------------------------------------------------------

    def _handle(self, req: BaseHTTPRequestHandler) -> None:
        split = urlsplit(req.path)
        length = int(req.headers.get("Content-Length") or 0)
        raw = req.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in req.headers.items()}
        params = _parse_params(split.query, raw, headers.get("content-type", ""))

        parts = [p for p in split.path.split("/") if p]
        target: str | None = None
        if len(parts) == 2 and parts[0] == "api":
            method = parts[1]
        elif len(parts) == 2 and parts[0] == "response":
            method, target = "response_url", parts[1]
        elif len(parts) >= 2 and parts[0] in {"upload", "files"}:  # file bodies: raw bytes, not form fields
            method, target = f"file_{parts[0]}", parts[1]
            params = {"_raw": raw}
        else:
            method = "?" + split.path

        with self._cond:
            failure = self._take_failure(method)
        if failure is not None:
            status, body, extra = failure.status, failure.body, failure.headers
        else:
            probe = Call(method, params, headers, 200, None, target)
            try:
                status, body, extra = self._respond(probe)
            except Exception as e:  # a bug in the fake must show up in the test, not hang it
                log.exception("fake Slack failed on %s", method)
                status, body, extra = 500, {"ok": False, "error": f"fake_error: {e}"}, {}

        call = Call(method, params, headers, status, body, target)
        with self._cond:
            self._calls.append(call)
            self._cond.notify_all()

        with self._cond:
            delay = self._take_delay(method)
        if delay:
            time.sleep(delay)
        if isinstance(body, bytes):
            payload = body
        else:
            payload = json.dumps(body).encode("utf-8") if isinstance(body, dict) else str(body).encode("utf-8")
        try:
            req.send_response(status)
            req.send_header(
                "Content-Type", "application/json; charset=utf-8" if isinstance(body, dict) else "text/plain"
            )
            req.send_header("Content-Length", str(len(payload)))
            for k, v in extra.items():
                req.send_header(k, v)
            req.end_headers()
            req.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):  # the client went away (killed, or timed out) meanwhile
            pass

    def _take_delay(self, method: str) -> float:
        queue = self._delays.get(method)
        if not queue:
            return 0.0
        entry = queue[0]
        entry[1] -= 1
        if entry[1] <= 0:
            queue.pop(0)
        return entry[0]

    def _take_failure(self, method: str) -> _Failure | None:
        queue = self._failures.get(method)
        if not queue:
            return None
        failure = queue[0]
        failure.times -= 1
        if failure.times <= 0:
            queue.pop(0)
        return failure

    def _respond(self, call: Call) -> tuple[int, Any, dict[str, str]]:
        if call.method == "response_url":
            return self._response_url(call)
        if call.method in {"file_upload", "file_files"}:
            return self._file_body(call)
        if call.method.startswith("?"):
            return 404, {"ok": False, "error": "not_found"}, {}
        auth_error = self._check_token(call)
        if auth_error:
            return 200, {"ok": False, "error": auth_error}, {}
        if call.method in self._responders:
            return 200, self._responders[call.method](call), {}
        handler = _METHODS.get(call.method)
        if handler is None:
            return 200, ({"ok": False, "error": "unknown_method"} if self.strict else {"ok": True}), {}
        return 200, handler(self, call), {}

    def _check_token(self, call: Call) -> str | None:
        if call.method in _NO_AUTH:
            return None
        token = call.token
        if not token:
            return "not_authed"
        if call.method == "apps.connections.open":
            return (
                None
                if token == self.app_token
                else ("invalid_auth" if token.startswith("xapp-") else "not_allowed_token_type")
            )
        if token == self.app_token:
            return "not_allowed_token_type"
        return None if token == self.bot_token else "invalid_auth"

    def _response_url(self, call: Call) -> tuple[int, Any, dict[str, str]]:
        name = call.target or ""
        with self._cond:
            self._response_counts[name] = self._response_counts.get(name, 0) + 1
            count = self._response_counts[name]
        if self.check_limits and count > MAX_RESPONSES_PER_URL:
            return 404, "used_url", {}
        if self.check_limits and not _blocks_ok(call.params.get("blocks"), MAX_MESSAGE_BLOCKS):
            return 400, "invalid_blocks", {}
        return 200, {"ok": True}, {}

    def _ts(self) -> str:
        return f"{int(time.time())}.{next(self._ids):06d}"

    def _message_error(self, call: Call) -> str | None:
        p = call.params
        if not p.get("channel"):
            return "channel_not_found"
        if not (p.get("text") or p.get("blocks") or p.get("attachments")):
            return "no_text"
        if self.check_limits:
            if len(str(p.get("text") or "")) > MAX_MESSAGE_TEXT:
                return "msg_too_long"
            if not _blocks_ok(p.get("blocks"), MAX_MESSAGE_BLOCKS):
                return "invalid_blocks"
        return None

    def _dm_or(self, channel: str) -> str:
        """Slack accepts a user id as the channel of a DM post and answers with the DM's id."""
        return "D" + channel if channel[:1] in {"U", "W"} else channel

    def _post_message(self, call: Call) -> dict[str, Any]:
        error = self._message_error(call)
        if error:
            return {"ok": False, "error": error}
        channel, ts = self._dm_or(call.params["channel"]), self._ts()
        message = {
            "type": "message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "team": self.team_id,
            "text": call.params.get("text") or "",
            "ts": ts,
        }
        if call.params.get("blocks"):
            message["blocks"] = call.params["blocks"]
        if call.params.get("thread_ts"):
            message["thread_ts"] = call.params["thread_ts"]
        if isinstance(call.params.get("metadata"), dict):
            message["metadata"] = call.params["metadata"]
        with self._cond:
            self.messages[(channel, ts)] = message
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _post_ephemeral(self, call: Call) -> dict[str, Any]:
        error = self._message_error(call)
        if error:
            return {"ok": False, "error": error}
        if not call.params.get("user"):
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "message_ts": self._ts()}

    def _update(self, call: Call) -> dict[str, Any]:
        p = call.params
        if not p.get("channel"):
            return {"ok": False, "error": "channel_not_found"}
        if not p.get("ts"):
            return {"ok": False, "error": "message_not_found"}
        if self.check_limits and not _blocks_ok(p.get("blocks"), MAX_MESSAGE_BLOCKS):
            return {"ok": False, "error": "invalid_blocks"}
        key = (p["channel"], p["ts"])
        with self._cond:
            message = self.messages.get(key)
            if message is None and self.strict:
                return {"ok": False, "error": "message_not_found"}
            message = dict(message or {"type": "message", "user": self.bot_user_id, "ts": p["ts"]})
            message.update({"text": p.get("text") or "", "blocks": p.get("blocks") or []})
            self.messages[key] = message
        return {"ok": True, "channel": p["channel"], "ts": p["ts"], "text": message["text"], "message": message}

    def _view(self, call: Call, *, need: str) -> dict[str, Any]:
        view = call.params.get("view")
        if not call.params.get(need) and not (need == "view_id" and call.params.get("external_id")):
            return {"ok": False, "error": "invalid_arguments"}
        if not isinstance(view, dict) or "type" not in view:
            return {"ok": False, "error": "invalid_arguments"}
        if need == "user_id" and view["type"] != "home":
            return {"ok": False, "error": "invalid_arguments"}
        if self.check_limits and not _blocks_ok(view.get("blocks"), MAX_VIEW_BLOCKS, required=True):
            return {"ok": False, "error": "invalid_arguments"}
        view_id = call.params.get("view_id") or f"V{next(self._ids):08d}"
        return {
            "ok": True,
            "view": {**view, "id": view_id, "team_id": self.team_id, "app_id": self.app_id, "hash": uuid.uuid4().hex},
        }

    def _users_info(self, call: Call) -> dict[str, Any]:
        user = call.params.get("user")
        if not user:
            return {"ok": False, "error": "user_not_found"}
        if user not in self.users:
            if self.strict:
                return {"ok": False, "error": "user_not_found"}
            self.set_user(user)
        return {"ok": True, "user": self.users[user]}

    # -- files -------------------------------------------------------------------------

    def add_file(self, name: str, content: bytes, *, user: str, filetype: str = "csv", **fields: Any) -> dict[str, Any]:
        """A file ``user`` uploaded (as in a DM to the bot); returns the file object events and files.info carry."""
        file_id = f"F{next(self._ids):08d}"
        self.files[file_id] = {
            "id": file_id,
            "name": name,
            "title": name,
            "filetype": filetype,
            "mimetype": "text/csv" if filetype == "csv" else "application/octet-stream",
            "size": len(content),
            "user": user,
            "url_private": f"{self.base}/files/{file_id}/{name}",
            "url_private_download": f"{self.base}/files/{file_id}/download/{name}",
            "_content": content,
            **fields,
        }
        return self.public_file(file_id)

    def public_file(self, file_id: str) -> dict[str, Any]:
        return {k: v for k, v in self.files[file_id].items() if not k.startswith("_")}

    def file_content(self, file_id: str) -> bytes:
        return self.files[file_id]["_content"]

    def _file_body(self, call: Call) -> tuple[int, Any, dict[str, str]]:
        """``POST /upload/<id>`` (files_upload_v2's upload URL) stores bytes; ``GET /files/<id>/…`` returns them."""
        file = self.files.get(call.target or "")
        if file is None:
            return 404, "not found", {}
        if call.method == "file_upload":
            file["_content"], file["size"] = call.params["_raw"], len(call.params["_raw"])
            return 200, f"OK - {file['size']}", {}
        if call.headers.get("authorization") != f"Bearer {self.bot_token}":
            return 403, "forbidden", {}  # Slack serves private files only with a token
        return 200, file["_content"], {}

    def _files_get_upload_url(self, call: Call) -> dict[str, Any]:
        name = str(call.params.get("filename") or "")
        if not name or not str(call.params.get("length") or "").isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file = self.add_file(name, b"", user=self.bot_user_id, filetype=name.rpartition(".")[2] or "binary")
        return {"ok": True, "upload_url": f"{self.base}/upload/{file['id']}", "file_id": file["id"]}

    def _files_complete_upload(self, call: Call) -> dict[str, Any]:
        items = call.params.get("files")
        if isinstance(items, str):
            items = json.loads(items)
        if not items or any(i.get("id") not in self.files for i in items):
            return {"ok": False, "error": "file_not_found"}
        for item in items:
            self.files[item["id"]]["title"] = item.get("title") or self.files[item["id"]]["name"]
        channel = call.params.get("channel_id")
        if channel:
            ts = self._ts()
            shared = [self.public_file(i["id"]) for i in items]
            message = {
                "ts": ts,
                "user": self.bot_user_id,
                "text": call.params.get("initial_comment", ""),
                "files": shared,
            }
            with self._cond:
                self.messages[(self._dm_or(str(channel)), ts)] = message
        return {"ok": True, "files": [{"id": i["id"], "title": self.files[i["id"]]["title"]} for i in items]}

    def _files_info(self, call: Call) -> dict[str, Any]:
        file_id = str(call.params.get("file") or "")
        if file_id not in self.files:
            return {"ok": False, "error": "file_not_found"}
        return {"ok": True, "file": self.public_file(file_id)}

    def _users_lookup_by_email(self, call: Call) -> dict[str, Any]:
        """The user whose profile has this email (``set_user(..., profile_email=...)``), as Slack matches it."""
        email = str(call.params.get("email") or "").strip().lower()
        if not email:
            return {"ok": False, "error": "invalid_arguments"}
        for user in self.users.values():
            if str(user.get("profile_email") or "").lower() == email:
                profile = {**user["profile"], "email": user["profile_email"]}
                return {"ok": True, "user": {**user, "profile": profile}}
        return {"ok": False, "error": "users_not_found"}

    def _conversations_open(self, call: Call) -> dict[str, Any]:
        users = [u for u in str(call.params.get("users") or "").split(",") if u]
        if call.params.get("channel"):
            return {"ok": True, "channel": {"id": call.params["channel"]}, "already_open": True}
        if not users:
            return {"ok": False, "error": "users_list_not_supplied"}
        channel = "D" + users[0] if len(users) == 1 else "G" + "".join(users)
        return {"ok": True, "channel": {"id": channel}, "no_op": True, "already_open": True}

    def _conversations_info(self, call: Call) -> dict[str, Any]:
        cid = str(call.params.get("channel") or "")
        if not cid:
            return {"ok": False, "error": "channel_not_found"}
        if self.strict and cid not in self.channels and cid[:1] != "D":
            return {"ok": False, "error": "channel_not_found"}
        info: dict[str, Any] = {
            "id": cid,
            "is_im": cid.startswith("D"),
            "is_channel": cid.startswith("C"),
            "is_group": cid.startswith("G"),
            "is_private": cid.startswith(("G", "D")),
            "is_mpim": False,
            "is_archived": False,
            "is_ext_shared": False,
            "is_member": True,
            "context_team_id": self.team_id,
        }
        if cid.startswith("D"):
            info["user"] = cid[1:]
        else:
            info["name"] = "general" if cid.startswith("C") else "private"
        info.update(self.channels.get(cid, {}))
        return {"ok": True, "channel": info}

    def _conversations_history(self, call: Call) -> dict[str, Any]:
        """Messages posted in a channel, newest first; ``metadata`` only with ``include_all_metadata``."""
        p = call.params
        cid = str(p.get("channel") or "")
        if not cid or (self.strict and cid not in self.channels and cid[:1] != "D"):
            return {"ok": False, "error": "channel_not_found"}
        inclusive = _truthy(p.get("inclusive"))
        oldest, latest = float(p.get("oldest") or 0), float(p.get("latest") or "inf")
        with self._cond:
            found = [dict(m) for (c, _ts), m in self.messages.items() if c == cid]
        found = [
            m
            for m in found
            if (oldest <= float(m["ts"]) if inclusive else oldest < float(m["ts"]))
            and (float(m["ts"]) <= latest if inclusive else float(m["ts"]) < latest)
        ]
        found.sort(key=lambda m: float(m["ts"]), reverse=True)
        if not _truthy(p.get("include_all_metadata")):
            for m in found:
                m.pop("metadata", None)
        start = int(p.get("cursor") or 0)
        limit = max(1, min(int(p.get("limit") or 100), 999))
        page = found[start : start + limit]
        more = start + limit < len(found)
        return {
            "ok": True,
            "messages": page,
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def _auth_test(self, _call: Call) -> dict[str, Any]:
        return {
            "ok": True,
            "url": f"https://{TEAM_DOMAIN}.slack.com/",
            "team": "ILM Test",
            "user": "ilm-coach",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _assistant_threads(self, call: Call, *, need: str) -> dict[str, Any]:
        """``assistant.threads.setStatus`` / ``setSuggestedPrompts`` / ``setTitle``: a thread and the one field."""
        p = call.params
        if not self.assistant:
            return {"ok": False, "error": "feature_not_enabled"}  # a stand-in for the workspace's refusal
        if not p.get("channel_id") or not p.get("thread_ts"):
            return {"ok": False, "error": "invalid_arguments"}
        value = p.get(need)
        if isinstance(value, str) and value.startswith("["):
            with contextlib.suppress(json.JSONDecodeError):
                value = json.loads(value)
        valid = {
            "prompts": isinstance(value, list)
            and 1 <= len(value) <= 4
            and all(isinstance(x, dict) and x.get("title") and x.get("message") for x in value),
            "title": isinstance(value, str) and bool(value.strip()),
            "status": isinstance(value, str),
        }
        return {"ok": True} if valid[need] else {"ok": False, "error": "invalid_arguments"}

    def _connections_open(self, _call: Call) -> dict[str, Any]:
        if self.socket is None:
            return {"ok": False, "error": "socket_mode_disabled"}
        return {"ok": True, "url": self.socket.new_url()}


_METHODS: dict[str, Callable[[FakeSlack, Call], dict[str, Any]]] = {
    "api.test": lambda _f, c: {"ok": True, "args": c.params},
    "auth.test": FakeSlack._auth_test,
    "chat.postMessage": FakeSlack._post_message,
    "chat.postEphemeral": FakeSlack._post_ephemeral,
    "chat.update": FakeSlack._update,
    "chat.delete": lambda _f, c: {"ok": True, "channel": c.params.get("channel"), "ts": c.params.get("ts")},
    "views.publish": lambda f, c: f._view(c, need="user_id"),
    "views.open": lambda f, c: f._view(c, need="trigger_id"),
    "views.push": lambda f, c: f._view(c, need="trigger_id"),
    "views.update": lambda f, c: f._view(c, need="view_id"),
    "users.info": FakeSlack._users_info,
    "users.lookupByEmail": FakeSlack._users_lookup_by_email,
    "files.getUploadURLExternal": FakeSlack._files_get_upload_url,
    "files.completeUploadExternal": FakeSlack._files_complete_upload,
    "files.info": FakeSlack._files_info,
    "conversations.open": FakeSlack._conversations_open,
    "conversations.info": FakeSlack._conversations_info,
    "conversations.history": FakeSlack._conversations_history,
    "apps.connections.open": FakeSlack._connections_open,
    "assistant.threads.setStatus": lambda f, c: f._assistant_threads(c, need="status"),
    "assistant.threads.setSuggestedPrompts": lambda f, c: f._assistant_threads(c, need="prompts"),
    "assistant.threads.setTitle": lambda f, c: f._assistant_threads(c, need="title"),
}


def _truthy(value: Any) -> bool:
    """Slack's boolean parameters: ``true``/``1`` (slack-sdk sends ``1``), or a JSON ``true``."""
    return value is True or str(value).lower() in {"1", "true"}


def _blocks_ok(blocks: Any, limit: int, *, required: bool = False) -> bool:
    """Slack's structural checks: a list of typed blocks, within ``limit``, ids unique.

    Slack answers ``invalid_blocks`` when two blocks share a ``block_id`` or two elements
    of one block share an ``action_id`` (a real-world trap with repeated buttons).
    """
    if blocks is None or blocks == "":
        return not required
    if not isinstance(blocks, list) or len(blocks) > limit:
        return False
    block_ids: list[str] = []
    for block in blocks:
        if not isinstance(block, dict) or "type" not in block:
            return False
        if "block_id" in block:
            block_ids.append(block["block_id"])
        elements = block.get("elements") if block["type"] == "actions" else None
        if elements is not None:
            action_ids = [e.get("action_id") for e in elements if isinstance(e, dict) and e.get("action_id")]
            if not elements or len(elements) > 25 or len(action_ids) != len(set(action_ids)):
                return False
    return len(block_ids) == len(set(block_ids))


def _parse_params(query: str, raw: bytes, content_type: str) -> dict[str, Any]:
    params: dict[str, Any] = {k: v[-1] for k, v in parse_qs(query).items()}
    text = raw.decode("utf-8", "replace")
    if "json" in content_type:
        try:
            body = json.loads(text) if text else {}
        except json.JSONDecodeError:
            body = {"_raw": text}
        params.update(body if isinstance(body, dict) else {"_json": body})
    elif text:
        params.update({k: v[-1] for k, v in parse_qs(text, keep_blank_values=True).items()})
    for key in _JSON_PARAMS:
        if isinstance(params.get(key), str):
            with contextlib.suppress(json.JSONDecodeError):
                params[key] = json.loads(params[key])
    return params


def _short(params: dict[str, Any], limit: int = 160) -> str:
    text = json.dumps({k: v for k, v in params.items() if k != "token"}, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Handler(BaseHTTPRequestHandler):
    server_version = "FakeSlack/1.0"

    def do_POST(self) -> None:
        self.server.fake._handle(self)  # type: ignore[attr-defined]

    def do_GET(self) -> None:  # slack-sdk always POSTs; GET is here for curl and browsers
        self.server.fake._handle(self)  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the calls list is the log
        pass


# -- Socket Mode ----------------------------------------------------------------------


@dataclass(frozen=True)
class Ack:
    envelope_id: str
    payload: dict[str, Any] | None
    latency: float  # seconds from sending the envelope to receiving the ack
    raw: dict[str, Any]


class FakeSocketMode:
    """A Socket Mode server: hands out ``ws://`` URLs, says ``hello``, sends envelopes, records acks.

    Follows https://api.slack.com/apis/socket-mode: the client gets a one-off URL from
    ``apps.connections.open``, connects, receives ``{"type": "hello", ...}``, then
    envelopes ``{"envelope_id", "type", "payload", "accepts_response_payload"}``, each
    of which it must acknowledge with ``{"envelope_id": ..., "payload"?: ...}``.
    """

    def __init__(self, *, app_id: str = APP_ID) -> None:
        self.app_id = app_id
        self.received: list[Any] = []  # every message from clients, decoded JSON where possible
        self.acks: dict[str, Ack] = {}
        self.connections = 0  # how many clients ever connected (with a valid ticket)
        self._tickets: set[str] = set()
        self._open: list[Any] = []  # live connections that have been sent hello
        self._sent_at: dict[str, float] = {}
        self._cond = threading.Condition()
        self._server: Any = None
        self._thread: threading.Thread | None = None

    def start(self) -> FakeSocketMode:
        from websockets.sync.server import serve

        self._server = serve(self._serve, "127.0.0.1", 0, compression=None, logger=log.getChild("socket"))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def close_connections(self, code: int = 1001, reason: str = "") -> None:
        """Close every client connection from the server side (clients then stop at once, not on a timeout)."""
        with self._cond:
            conns = list(self._open)
        for ws in conns:
            with contextlib.suppress(Exception):  # already gone
                ws.close(code=code, reason=reason)

    def stop(self) -> None:
        self.close_connections()
        if self._server is not None:
            self._server.shutdown()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    @property
    def base(self) -> str:
        host, port = self._server.socket.getsockname()[:2]
        return f"ws://{host}:{port}"

    def new_url(self) -> str:
        """A fresh connection URL with a one-off ticket, as apps.connections.open returns."""
        ticket = uuid.uuid4().hex
        with self._cond:
            self._tickets.add(ticket)
        return f"{self.base}/link/?ticket={ticket}&app_id={self.app_id}"

    def _serve(self, ws: Any) -> None:
        from websockets.exceptions import ConnectionClosed

        query = parse_qs(urlsplit(ws.request.path).query)
        ticket = (query.get("ticket") or [""])[0]
        with self._cond:
            valid = ticket in self._tickets
            self._tickets.discard(ticket)  # one-off, like Slack's
        if not valid:
            ws.close(code=1008, reason="invalid_ticket")
            return
        with self._cond:
            self.connections += 1
            num = len(self._open) + 1
        hello = {
            "type": "hello",
            "num_connections": num,
            "debug_info": {"host": "applink-fake", "build_number": 1, "approximate_connection_time": 18060},
            "connection_info": {"app_id": self.app_id},
        }
        try:
            ws.send(json.dumps(hello))
            with self._cond:
                self._open.append(ws)
                self._cond.notify_all()
            for message in ws:
                self._record(message)
        except ConnectionClosed:
            pass
        finally:
            with self._cond:
                if ws in self._open:
                    self._open.remove(ws)
                self._cond.notify_all()

    def _record(self, message: str | bytes) -> None:
        text = message.decode("utf-8", "replace") if isinstance(message, bytes) else message
        try:
            data: Any = json.loads(text)
        except json.JSONDecodeError:
            data = text
        with self._cond:
            self.received.append(data)
            if isinstance(data, dict) and isinstance(data.get("envelope_id"), str):
                eid = data["envelope_id"]
                sent = self._sent_at.get(eid)
                latency = time.monotonic() - sent if sent is not None else float("nan")
                self.acks.setdefault(eid, Ack(eid, data.get("payload"), latency, data))
            self._cond.notify_all()

    @property
    def connected(self) -> int:
        """Live connections (that have been greeted)."""
        with self._cond:
            return len(self._open)

    def wait_connected(self, timeout: float = 10.0, count: int = 1) -> None:
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self._open) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no Socket Mode client connected within {timeout}s")
                self._cond.wait(remaining)

    def send_raw(self, message: dict[str, Any] | str) -> None:
        """Send anything to the newest connection."""
        with self._cond:
            if not self._open:
                raise AssertionError("no Socket Mode client is connected")
            ws = self._open[-1]
        ws.send(message if isinstance(message, str) else json.dumps(message))

    def send_envelope(
        self,
        type: str,
        payload: dict[str, Any],
        *,
        envelope_id: str | None = None,
        accepts_response_payload: bool | None = None,
        retry_attempt: int = 0,
        retry_reason: str = "",
    ) -> str:
        """Send an envelope (``events_api``, ``slash_commands`` or ``interactive``); returns its envelope_id."""
        eid = envelope_id or str(uuid.uuid4())
        if accepts_response_payload is None:
            # Slack expects a response payload for slash commands (and view submissions), not for events.
            accepts_response_payload = type == "slash_commands" or payload.get("type") == "view_submission"
        envelope: dict[str, Any] = {
            "envelope_id": eid,
            "payload": payload,
            "type": type,
            "accepts_response_payload": accepts_response_payload,
        }
        if type == "events_api":
            envelope["retry_attempt"] = retry_attempt
            envelope["retry_reason"] = retry_reason
        with self._cond:
            self._sent_at[eid] = time.monotonic()
        self.send_raw(envelope)
        return eid

    def send_disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask the client to reconnect, as Slack does every few hours."""
        self.send_raw({"type": "disconnect", "reason": reason, "debug_info": {"host": "applink-fake"}})

    def wait_for_ack(self, envelope_id: str, timeout: float = 5.0) -> Ack:
        deadline = time.monotonic() + timeout
        with self._cond:
            while envelope_id not in self.acks:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"envelope {envelope_id} was not acknowledged within {timeout}s")
                self._cond.wait(remaining)
            return self.acks[envelope_id]
