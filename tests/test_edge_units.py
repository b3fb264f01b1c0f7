"""The edge's parts in-process: signature and body checks, the answer queue, a database-less conversation,
and the serving settings. Fast; the end-to-end behaviour is in test_http_edge and test_serve_lifecycle."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from slack_payloads import block_actions, event_callback, message_im, signature
from sqlalchemy import text

from bot.cli.common import brain_or_exit
from bot.core.assistant import Assistant
from bot.runtime.answers import AnswerQueue, as_event, as_interactive
from bot.runtime.services import TolerantContexts
from bot.settings import Settings
from bot.slack.envelope import EVENT_ID_MAX, well_formed
from bot.slack.server import SlackHttp
from bot.storage import SqlContextStore, open_database

SECRET = "unit-secret"
GENERATED = settings(max_examples=300, derandomize=True, deadline=None)
http = SlackHttp(None, SECRET, lambda: True)


# -- signatures ------------------------------------------------------------------------------------------


def test_a_fresh_correct_signature_over_any_bytes_is_accepted() -> None:
    for body in (b"{}", b"\xff\xfe not utf-8", b""):
        ts = str(int(time.time()))
        assert http.signed(body, {"x-slack-request-timestamp": ts, "x-slack-signature": signature(SECRET, ts, body)})


@GENERATED
@given(timestamp=st.text(max_size=5000), sig=st.text(max_size=100), body=st.binary(max_size=100))
def test_any_header_text_is_a_refusal_never_an_exception(timestamp: str, sig: str, body: bytes) -> None:
    assert http.signed(body, {"x-slack-request-timestamp": timestamp, "x-slack-signature": sig}) is False


def test_stale_and_future_timestamps_are_refused() -> None:
    for skew in (-301, 301, -(10**11)):
        ts = str(int(time.time()) + skew)
        if ts.startswith("-"):
            ts = ts[1:]
        body = b"{}"
        assert not http.signed(
            body, {"x-slack-request-timestamp": ts, "x-slack-signature": signature(SECRET, ts, body)}
        )


# -- bodies ----------------------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)


@GENERATED
@given(data=json_values)
def test_any_json_is_judged_without_raising(data: object) -> None:
    well_formed(json.dumps(data), "application/json")


@GENERATED
@given(
    key=st.sampled_from(["event", "view", "actions", "user", "authorizations"]),
    value=st.none() | st.integers() | st.floats() | st.text(max_size=5),
)
def test_a_part_bolt_reads_as_an_object_must_be_one(key: str, value: object) -> None:
    dm = event_callback(message_im("U1", "hi"))
    action = block_actions("U1", "a", "v")
    for payload in (dm, action):
        if key in payload or key in ("event", "actions"):
            assert not well_formed(json.dumps({**payload, key: value}), "application/json")


def test_slacks_own_shapes_pass() -> None:
    assert well_formed(json.dumps(event_callback(message_im("U1", "hi"))), "application/json")
    assert well_formed(json.dumps(block_actions("U1", "a", "v")), "application/json")
    assert well_formed("command=%2Film&text=help&user_id=U1&channel_id=C1", "application/x-www-form-urlencoded")


def test_an_event_id_longer_than_its_column_is_refused() -> None:
    for length, ok in ((EVENT_ID_MAX, True), (EVENT_ID_MAX + 1, False)):
        payload = event_callback(message_im("U1", "hi"), event_id="E" * length)
        assert well_formed(json.dumps(payload), "application/json") is ok


def test_nesting_deeper_than_the_parser_is_a_refusal() -> None:
    for depth in (65, 5000, 100_000):
        assert not well_formed('{"event": ' + "[" * depth + "]" * depth + "}", "application/json")


# -- the answer queue ------------------------------------------------------------------------------------


def test_the_queue_refuses_beyond_capacity_and_a_drain_names_what_it_could_not_finish() -> None:
    queue = AnswerQueue(answer_threads=2, capacity=4, interactive_threads=1)
    release = threading.Event()
    for n in range(4):
        as_event(f"E{n}")
        queue.submit(release.wait)
    assert not queue.has_room()
    as_interactive()
    assert queue.submit(lambda: "interactive").result(timeout=5) == "interactive"  # its own lane, not blocked
    unfinished = queue.drain(0.2)
    assert sorted(unfinished) == ["E0", "E1", "E2", "E3"]  # two running, two cancelled before they started
    release.set()
    queue.shutdown()


def test_a_drain_waits_for_answers_that_finish_in_time() -> None:
    queue = AnswerQueue(answer_threads=2, capacity=10)
    done: list[int] = []
    for n in range(6):
        as_event(f"E{n}")
        queue.submit(lambda n=n: (time.sleep(0.05), done.append(n)))
    assert queue.drain(5.0) == [] and sorted(done) == list(range(6))
    assert queue.has_room()
    queue.shutdown()


# -- a conversation without its database ---------------------------------------------------------------


def test_an_unreachable_context_store_costs_the_context_not_the_answer(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'bot.db'}")
    try:
        with db.transaction() as session:
            session.execute(text("DROP TABLE dialogue_contexts"))  # every read and write of a context now fails
        assistant = Assistant(brain_or_exit(), contexts=TolerantContexts(SqlContextStore(db)))
        answer = assistant.reply("U1", "how many credits is 8578-302?")
        assert "7 credits" in answer.text
    finally:
        db.dispose()


# -- settings --------------------------------------------------------------------------------------------


def test_serving_settings_are_checked_with_the_variable_named() -> None:
    """Read once at the entry point through the typed settings; a bad value names its variable."""
    defaults = Settings.load({})
    assert (
        defaults.ilm_shutdown_seconds == 20
        and Settings.load({"ILM_SHUTDOWN_SECONDS": "2.5"}).ilm_shutdown_seconds == 2.5
    )
    assert defaults.ilm_answer_queue == 512 and Settings.load({"ILM_ANSWER_QUEUE": "20"}).ilm_answer_queue == 20
    assert Settings.load({"LOG_LEVEL": "debug"}).log_level_number == 10 and defaults.log_level_number == 20
    assert defaults.ilm_http_connections_per_client == 128
    assert Settings.load({"ILM_HTTP_CONNECTIONS_PER_CLIENT": "0"}).ilm_http_connections_per_client == 0
    for bad in (
        {"ILM_SHUTDOWN_SECONDS": "0"},
        {"ILM_SHUTDOWN_SECONDS": "soon"},
        {"ILM_ANSWER_QUEUE": "-1"},
        {"LOG_LEVEL": "LOUD"},
        {"ILM_HTTP_CONNECTIONS_PER_CLIENT": "many"},
    ):
        with pytest.raises(ValueError, match=next(iter(bad))):
            Settings.load(bad)
