"""The HTTP edge under hostile input, end to end: generated bad headers get 401 and signed malformed bodies 400.

`ilm-bot serve` runs as a process on SQLite and on PostgreSQL (where an event
id longer than its column used to be a 500). Requests go over real HTTP with
raw header bytes, so a timestamp of 4,300 digits or a non-ASCII signature
arrives exactly as an attacker would send it. Whatever arrives: no 5xx, no
traceback in the log, and the bot keeps answering.
"""

from __future__ import annotations

import http.client
import json
import shutil
import subprocess
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from botprocess import BotProcess, get
from fakeslack import FakeSlack
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from prometheus_client.parser import text_string_to_metric_families
from slack_payloads import (
    block_actions,
    event_callback,
    json_request,
    message_im,
    signature,
    slash_command,
)

pytestmark = pytest.mark.slow
GENERATED = settings(
    max_examples=120,
    derandomize=True,  # a fixed seed: the same cases on every run
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def slack() -> Iterator[FakeSlack]:
    with FakeSlack(socket_mode=False) as fake:
        yield fake


@pytest.fixture(scope="module")
def bot(slack: FakeSlack, module_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotProcess]:
    log = tmp_path_factory.mktemp("edge") / "bot.log"
    running = BotProcess(slack, log, DATABASE_URL=module_database_url)
    yield running
    running.stop()


def send(bot: BotProcess, body: bytes, headers: list[tuple[str, bytes]]) -> int:
    """POST with header values sent as the raw bytes given."""
    conn = http.client.HTTPConnection("127.0.0.1", bot.port, timeout=10)
    try:
        conn.putrequest("POST", "/slack/events")
        for name, value in headers:
            conn.putheader(name, value)
        conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        return conn.getresponse().status
    finally:
        conn.close()


def signed(secret: str, body: bytes, content_type: str) -> list[tuple[str, bytes]]:
    ts = str(int(time.time()))
    return [
        ("Content-Type", content_type.encode()),
        ("X-Slack-Request-Timestamp", ts.encode()),
        ("X-Slack-Signature", signature(secret, ts, body).encode()),
    ]


def assert_no_tracebacks(bot: BotProcess) -> None:
    text = bot.log.read_text()
    assert "Traceback" not in text, "a request left a traceback in the log"
    assert get(f"{bot.base}/healthz")[0] == 200


# -- bad headers: 401 -------------------------------------------------------------------------------------

_header_byte = st.integers(min_value=0x20, max_value=0xFF).filter(lambda b: b != 0x7F)
_raw = st.lists(_header_byte, max_size=80).map(bytes)
timestamps = st.one_of(
    st.integers().map(lambda n: str(n).encode()),
    st.floats(allow_nan=True).map(lambda f: repr(f).encode()),
    st.just(b""),
    st.integers(min_value=13, max_value=5000).map(lambda n: b"1" * n),  # 4,300 digits was a ValueError
    st.sampled_from(["١٧٠٠٠٠٠٠٠٠", "１７００", "1.5", "abc", " 1700000000", "0x10"]).map(str.encode),
    _raw,
)
signatures = st.one_of(
    st.just(b""),
    st.text(min_size=1, max_size=70).map(lambda t: t.encode("utf-8")),  # non-ASCII arrives as raw bytes
    st.binary(min_size=32, max_size=32).map(lambda b: b"v0=" + b.hex().encode()),  # well formed, wrong
    st.binary(min_size=32, max_size=32).map(lambda b: b"v0=" + b.hex().upper().encode()),
    _raw,
).filter(lambda v: all(b >= 0x20 and b != 0x7F for b in v))  # control characters are waitress's own 400
bodies = st.one_of(
    st.binary(max_size=300),
    st.just(json.dumps(event_callback(message_im("UH1", "hi"))).encode()),
    st.just(b"\xff\xfe{not utf-8"),
)


@GENERATED
@given(timestamp=timestamps, sig=signatures, body=bodies, drop=st.sampled_from(["", "timestamp", "signature"]))
def test_bad_headers_get_401_never_500(bot: BotProcess, timestamp: bytes, sig: bytes, body: bytes, drop: str) -> None:
    headers = [("Content-Type", b"application/json")]
    if drop != "timestamp":
        headers.append(("X-Slack-Request-Timestamp", timestamp))
    if drop != "signature":
        headers.append(("X-Slack-Signature", sig))
    assert send(bot, body, headers) == 401


def test_the_reported_bad_headers_get_401_and_leave_no_traceback(slack: FakeSlack, bot: BotProcess) -> None:
    body = json.dumps(event_callback(message_im("UH2", "how many credits is the award?"))).encode()
    ts = str(int(time.time()))
    good = signature(slack.signing_secret, ts, body).encode()
    for timestamp, sig in [
        (b"abc", good),
        (b"1.5", good),
        (b"", good),
        (b"9" * 4300, good),
        (ts.encode(), "v0=é".encode()),
        (ts.encode(), "v0=\u00e9".encode("latin-1")),
    ]:
        headers = [("Content-Type", b"application/json"), ("X-Slack-Request-Timestamp", timestamp)]
        assert send(bot, body, [*headers, ("X-Slack-Signature", sig)]) == 401
    not_utf8 = b'{"type": "event_callback", "x": "\xff"}'
    assert send(bot, not_utf8, signed(slack.signing_secret, not_utf8, "application/json")) == 400
    forged = [("Content-Type", b"application/json"), ("X-Slack-Request-Timestamp", ts.encode())]
    assert send(bot, not_utf8, [*forged, ("X-Slack-Signature", b"v0=" + b"0" * 64)]) == 401
    assert_no_tracebacks(bot)


# -- signed but malformed bodies: 400 ---------------------------------------------------------------------


def _bases() -> dict[str, tuple[dict[str, Any], str]]:
    dm = event_callback(message_im("UH3", "how many credits is the award?"))
    button = block_actions("UH3", "feedback_up", json.dumps({"i": "x", "q": "y"}), response_url="http://127.0.0.1:1/x")
    modal = {
        "type": "view_submission",
        "user": {"id": "UH3", "team_id": "T0001"},
        "team": {"id": "T0001"},
        "view": {"id": "V1", "type": "modal", "callback_id": "reminder_modal", "state": {"values": {}}},
    }
    shortcut = {"type": "shortcut", "callback_id": "log_hours", "user": {"id": "UH3"}, "trigger_id": "1.2.3"}
    return {"event": (dm, "json"), "action": (button, "form"), "view": (modal, "form"), "shortcut": (shortcut, "form")}


_PATHS = [
    ["event"],
    ["event", "type"],
    ["event", "user"],
    ["event", "channel"],
    ["event", "text"],
    ["event", "blocks"],
    ["event_id"],
    ["authorizations"],
    ["team"],
    ["enterprise"],
    ["actions"],
    ["actions", 0],
    ["actions", 0, "action_id"],
    ["actions", 0, "value"],
    ["user"],
    ["user", "id"],
    ["channel"],
    ["container"],
    ["message"],
    ["view"],
    ["view", "state"],
    ["view", "state", "values"],
    ["view", "callback_id"],
    ["callback_id"],
    ["type"],
]
wrong_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.integers(min_value=129, max_value=5000).map(lambda n: "E" * n),  # longer than the event id column
)


def _mutate(payload: Any, path: list[Any], value: Any) -> bool:
    node = payload
    for key in path[:-1]:
        if (isinstance(node, dict) and key in node) or (isinstance(node, list) and isinstance(key, int) and node):
            node = node[key]
        else:
            return False
    last = path[-1]
    if isinstance(node, dict):
        node[last] = value
        return True
    if isinstance(node, list) and isinstance(last, int) and node:
        node[last] = value
        return True
    return False


def _encode(payload: dict[str, Any], kind: str) -> tuple[bytes, str]:
    text = json.dumps(payload)
    if kind == "json":
        return text.encode(), "application/json"
    return urlencode({"payload": text}).encode(), "application/x-www-form-urlencoded"


@GENERATED
@given(base=st.sampled_from(sorted(_bases())), path=st.sampled_from(_PATHS), value=wrong_values)
def test_signed_bodies_with_parts_of_the_wrong_type_never_get_5xx(
    slack: FakeSlack, bot: BotProcess, base: str, path: list[Any], value: Any
) -> None:
    payload, kind = _bases()[base]
    _mutate(payload, path, value)
    body, content_type = _encode(payload, kind)
    status = send(bot, body, signed(slack.signing_secret, body, content_type))
    assert status < 500, (base, path, value, status)


@GENERATED
@given(depth=st.integers(min_value=65, max_value=100_000), opener=st.sampled_from(["[", '{"a":']))
def test_signed_deeply_nested_bodies_get_400(slack: FakeSlack, bot: BotProcess, depth: int, opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    body = ('{"type": "event_callback", "event": ' + opener * depth + "1" + closer * depth + "}").encode()
    assert send(bot, body, signed(slack.signing_secret, body, "application/json")) == 400


def test_the_reported_malformed_bodies_get_400(slack: FakeSlack, bot: BotProcess) -> None:
    """Deep nesting, event as a list, actions or view of the wrong type, an event id longer than its column."""
    cases: list[tuple[dict[str, Any], str]] = []
    for path, value in [
        (["event"], [1, 2]),
        (["event_id"], "E" * 200),
        (["event_id"], 12345),
        (["event", "type"], None),
    ]:
        payload, kind = _bases()["event"]
        _mutate(payload, path, value)
        cases.append((payload, kind))
    for base, path, value in [
        ("action", ["actions"], {"action_id": "feedback_up"}),
        ("action", ["actions"], []),
        ("action", ["actions", 0], "feedback_up"),
        ("action", ["user"], "UH3"),
        ("view", ["view"], "reminder_modal"),
        ("view", ["view", "state"], [1]),
        ("view", ["view", "callback_id"], None),
    ]:
        payload, kind = _bases()[base]
        _mutate(payload, path, value)
        cases.append((payload, kind))
    for payload, kind in cases:
        body, content_type = _encode(payload, kind)
        assert send(bot, body, signed(slack.signing_secret, body, content_type)) == 400, payload
    command = urlencode(
        {**slash_command("/ilm", "help", user_id="UH3", response_url=slack.response_url("c")), "user_id": ""}
    ).encode()
    assert send(bot, command, signed(slack.signing_secret, command, "application/x-www-form-urlencoded")) == 400
    assert_no_tracebacks(bot)


def test_the_bot_still_answers_after_the_attack(slack: FakeSlack, bot: BotProcess) -> None:
    mark = slack.mark()
    assert (
        slack.send(bot.events, json_request(event_callback(message_im("UH9", "how many credits is 8578-302?")))).status
        == 200
    )
    assert "7 credits" in slack.wait_for("chat.postMessage", lambda c: c.channel == "DUH9", after=mark).text
    assert_no_tracebacks(bot)


# -- metrics ------------------------------------------------------------------------------------------------


def test_metrics_count_responses_by_status_and_slack_latency_and_parse_cleanly(bot: BotProcess) -> None:
    status, text = get(f"{bot.base}/metrics")
    assert status == 200
    families = {f.name: f for f in text_string_to_metric_families(text)}  # raises on a malformed exposition
    responses = {(s.labels["path"], s.labels["status"]): s.value for s in families["ilm_http_responses"].samples}
    assert responses[("events", "401")] > 0 and responses[("events", "400")] > 0
    assert responses[("events", "200")] > 0
    assert any(s.labels.get("method") == "chat.postMessage" for s in families["ilm_slack_api_seconds"].samples)
    assert {"process_resident_memory_bytes", "python_info", "python_gc_objects_collected"} <= set(families)
    if promtool := shutil.which("promtool"):  # Debian's `prometheus` package
        checked = subprocess.run(
            [promtool, "check", "metrics"], input=text, capture_output=True, text=True, check=False
        )
        assert checked.returncode == 0 and not checked.stdout.strip() and not checked.stderr.strip(), checked


def test_a_slack_5xx_is_retried_and_the_answer_still_arrives(slack: FakeSlack, bot: BotProcess) -> None:
    """slack-sdk's ServerErrorRetryHandler: Slack's own 500s and 503s are retried, not shown as "Sorry"."""
    mark = slack.mark()
    slack.fail_next("chat.postMessage", status=503)
    slack.fail_next("chat.postMessage", status=500)
    question = json_request(event_callback(message_im("UH10", "how many credits is 8578-302?")))
    assert slack.send(bot.events, question).status == 200
    answer = slack.wait_for("chat.postMessage", lambda c: c.ok, after=mark, timeout=15)
    assert "7 credits" in answer.text
    assert [c.status for c in slack.calls[mark:] if c.method == "chat.postMessage"] == [503, 500, 200]
    assert not [c for c in slack.calls[mark:] if c.method == "chat.postEphemeral"]
