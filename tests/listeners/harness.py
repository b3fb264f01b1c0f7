"""In-process listener tests, in the manner of Slack's Bolt starter template and bolt-python's own tests.

The real Bolt app (``bot.slack.app.build_app``) with the real services on a
SQLite file receives signed ``BoltRequest``s through ``App.dispatch`` — the
same entry point the HTTP server and Socket Mode use — and its Web API and
``response_url`` calls go to the fake Slack on loopback. No process is
started, so each test takes milliseconds. ``process_before_response`` makes a
dispatch return only when the listener has finished, so what it did can be
asserted at once.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from fakeslack import Call, FakeSlack
from pgschema import fresh_schema
from slack_bolt import App, BoltResponse
from slack_bolt.request import BoltRequest
from slack_payloads import event_callback, form_request, interactive_request, json_request, slash_command

from bot.core.brain import Brain
from bot.runtime.brain_holder import BrainHolder
from bot.slack.app import build_app
from bot.slack.config import SlackSettings
from bot.slack.services import SlackServices

HR = "UHR1"
ADMIN = "UADMIN1"
EXPERTS = "CEXPERTS"


@dataclass
class Harness:
    """One app over one database; ``command``/``event``/``action``/``view``/``shortcut`` dispatch signed requests."""

    slack: FakeSlack
    services: SlackServices
    app: App

    def dispatch(self, request: Any) -> BoltResponse:
        headers = request.headers(self.slack.signing_secret)
        return self.app.dispatch(BoltRequest(body=request.body, headers=headers))

    def command(self, command: str, text: str, user: str, **fields: str) -> tuple[BoltResponse, Call | None]:
        name = f"r{self.slack.mark()}-{user}"
        mark = self.slack.mark()
        body = slash_command(command, text, user_id=user, response_url=self.slack.response_url(name), **fields)
        response = self.dispatch(form_request(body))
        replies = self.slack.calls_to("response_url", lambda c: c.target == name)
        return response, replies[-1] if replies and self.slack.mark() > mark else None

    def event(self, event: dict[str, Any], **kwargs: Any) -> BoltResponse:
        return self.dispatch(json_request(event_callback(event, **kwargs)))

    def interactive(self, payload: dict[str, Any]) -> BoltResponse:
        return self.dispatch(interactive_request(payload))

    def calls_since(self, mark: int, method: str | None = None) -> list[Call]:
        return [c for c in self.slack.calls[mark:] if method is None or c.method == method]


def make_harness(
    slack: FakeSlack, brain: Brain, directory: Path, *, database_url: str | None = None, **settings: Any
) -> Harness:
    base = SlackSettings(
        bot_token=slack.bot_token,
        signing_secret=slack.signing_secret,
        api_url=slack.url,
        admins=frozenset({ADMIN}),
        hr=frozenset({HR}),
    )
    url = database_url or f"sqlite:///{directory / 'bot.db'}"
    services = SlackServices.create(replace(base, **settings), BrainHolder(brain), url)
    return Harness(slack, services, build_app(services, process_before_response=True))


@contextmanager
def database(backend: str, directory: Path) -> Iterator[str]:
    """A SQLite file, or (when ILM_TEST_DATABASE_URL is set) a fresh PostgreSQL schema."""
    if backend == "sqlite":
        yield f"sqlite:///{directory / 'bot.db'}"
        return
    configured = os.environ.get("ILM_TEST_DATABASE_URL", "").strip()
    if not configured:
        pytest.skip("ILM_TEST_DATABASE_URL is not set; PostgreSQL tests skipped")
    with fresh_schema(configured) as url:
        yield url
