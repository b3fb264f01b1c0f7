"""Slow-loris: hundreds of half-sent requests trickling in must not shut out /healthz or Slack.

Before, about 110 idle half-sent requests filled waitress's connection limit
and nothing answered. Now one client address may hold only a few dozen
connections, and a request that has been arriving for longer than the read
limit is closed, however slowly it keeps trickling.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from botprocess import BotProcess, get
from fakeslack import FakeSlack
from slack_payloads import event_callback, json_request, message_im

from bot.slack.server import CONNECTIONS_PER_CLIENT, READ_SECONDS

pytestmark = pytest.mark.slow
HALF_REQUEST = b"POST /slack/events HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\nContent-Length: 500\r\n"


@pytest.fixture
def bot(tmp_path: Path) -> Iterator[tuple[FakeSlack, BotProcess]]:
    with FakeSlack(socket_mode=False) as slack:
        running = BotProcess(slack, tmp_path / "bot.log", DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}")
        try:
            yield slack, running
        finally:
            running.stop()


def attack(port: int, source: str, count: int) -> list[socket.socket]:
    """``count`` connections from ``source`` (another loopback address), each with half a request sent."""
    sockets = []
    for _ in range(count):
        sock = socket.socket()
        sock.bind((source, 0))
        sock.connect(("127.0.0.1", port))
        with contextlib.suppress(OSError):
            sock.sendall(HALF_REQUEST)
        sockets.append(sock)
    return sockets


def closed_by_server(sock: socket.socket) -> bool:
    """Closed: at once with a 503 (over the client's limit), or silently (read too slowly)."""
    readable, _, _ = select.select([sock], [], [], 0)
    if not readable:
        return False
    try:
        data = sock.recv(1024)
    except OSError:
        return True
    return data == b"" or data.startswith(b"HTTP/1.1 503 ")


def test_healthz_and_slack_keep_answering_under_a_slow_loris_attack(bot: tuple[FakeSlack, BotProcess]) -> None:
    slack, running = bot
    one_client = attack(running.port, "127.0.0.2", CONNECTIONS_PER_CLIENT + 40)
    others = [s for n in range(3, 8) for s in attack(running.port, f"127.0.0.{n}", 30)]  # within their limit
    stop = threading.Event()

    def trickle() -> None:  # one byte a second on every connection: never idle, never finished
        while not stop.wait(1.0):
            for sock in one_client + others:
                with contextlib.suppress(OSError):
                    sock.send(b"X")

    threading.Thread(target=trickle, daemon=True).start()
    try:
        time.sleep(1.0)
        held = [s for s in one_client if not closed_by_server(s)]
        assert len(held) <= CONNECTIONS_PER_CLIENT  # the rest were closed at once
        started = time.monotonic()
        assert get(f"{running.base}/healthz")[0] == 200
        assert time.monotonic() - started < 2.0
        mark = slack.mark()
        question = json_request(event_callback(message_im("USLOW1", "how many credits is 8578-302?")))
        assert slack.send(running.events, question).status == 200
        assert "7 credits" in slack.wait_for("chat.postMessage", after=mark, timeout=10).text
        deadline = time.monotonic() + READ_SECONDS + 5
        while not all(closed_by_server(s) for s in held + others):
            assert time.monotonic() < deadline, "trickling requests outlived the read limit"
            time.sleep(0.5)
        assert get(f"{running.base}/healthz")[0] == 200
    finally:
        stop.set()
        for sock in one_client + others:
            sock.close()
