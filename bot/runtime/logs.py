"""Structured JSON logs with a request id, that can never leak a token.

Every record is scrubbed of anything that looks like a Slack token before any
handler writes it, and carries the id of the request it belongs to, so one
Slack request can be followed across threads. Messages name events, methods
and error codes; user text and record contents are never logged.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

_TOKEN = re.compile(r"xox[abposer]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|(?i:bearer\s+)[A-Za-z0-9._~+/-]+=*")

#: The request being handled in this thread (or the thread that spawned this work).
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def redact(text: str) -> str:
    return _TOKEN.sub("[redacted]", text)


def new_request_id() -> str:
    rid = uuid.uuid4().hex[:12]
    request_id.set(rid)
    return rid


class RedactTokens(logging.Filter):
    """Rewrites the message (and its arguments) of every record with tokens replaced."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg, record.args = redact(message), ()
        if record.exc_info:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if record.exc_text:
            entry["error"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


def configure(level: int = logging.INFO) -> None:
    """One stderr handler, JSON lines, tokens redacted; libraries' loggers all flow through it."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RedactTokens())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


class ContextExecutor(ThreadPoolExecutor):
    """A thread pool that runs work in the submitter's context, so the request id follows it."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        ctx = contextvars.copy_context()
        return super().submit(ctx.run, fn, *args, **kwargs)
