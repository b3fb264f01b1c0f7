"""A database outage while DMs arrive: nothing acknowledged is dropped, and Slack's retries are answered.

The bot reaches PostgreSQL through a TCP proxy (tests/tcpproxy.py) that the
test cuts and restores while events arrive at a steady rate, so only this
bot loses its database. When the bot can't claim an event (record that it
is taking it), it must answer non-2xx so that Slack retries; an event it did
acknowledge must still be answered. The test plays Slack: a refused event
is sent again, with ``X-Slack-Retry-Num``, until it is acknowledged.
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from botprocess import BotProcess, get
from conftest import PG_ENV, backend_url
from fakeslack import FakeSlack
from slack_payloads import SlackRequest, event_callback, json_request, message_im
from sqlalchemy.engine import make_url
from tcpproxy import TcpProxy

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
RATE = 20.0  # events per second
CUT_AFTER, CUT_FOR, SEND_FOR = 1.5, 4.0, 7.0  # seconds


@pytest.fixture
def proxied(tmp_path: Path) -> Iterator[tuple[str, TcpProxy]]:
    if not os.environ.get(PG_ENV, "").strip():
        pytest.skip(f"{PG_ENV} is not set; the outage test needs PostgreSQL")
    with backend_url("postgres", tmp_path) as url:
        parsed = make_url(url)
        proxy = TcpProxy(parsed.host or "127.0.0.1", parsed.port or 5432).start()
        try:
            yield parsed.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False), proxy
        finally:
            proxy.cut()


def test_events_during_an_outage_are_refused_then_answered_once_on_retry(
    proxied: tuple[str, TcpProxy], tmp_path: Path
) -> None:
    url, proxy = proxied
    with FakeSlack(socket_mode=False) as slack:
        bot = BotProcess(slack, tmp_path / "bot.log", DATABASE_URL=url)
        try:
            requests: list[tuple[str, SlackRequest]] = []
            statuses: dict[str, int] = {}
            readiness: list[int] = []

            def outage() -> None:
                time.sleep(CUT_AFTER)
                proxy.cut()
                time.sleep(CUT_FOR / 2)
                readiness.append(get(f"{bot.base}/readyz")[0])
                time.sleep(CUT_FOR / 2)
                proxy.restore()

            cutter = threading.Thread(target=outage)
            cutter.start()
            started = time.monotonic()
            for i in range(int(RATE * SEND_FOR)):
                time.sleep(max(started + i / RATE - time.monotonic(), 0))
                user = f"UOUT{i:04d}"
                request = json_request(event_callback(message_im(user, "how many credits is the award?")))
                requests.append((user, request))
                statuses[user] = slack.send(bot.events, request).status
            cutter.join()
            refused = [(u, r) for u, r in requests if statuses[u] != 200]
            assert refused, "the outage refused nothing: the proxy did not cut the database"
            assert all(statuses[u] == 503 for u, _ in refused)  # non-2xx, so Slack retries; never a 500
            assert readiness == [503]
            deadline = time.monotonic() + 30
            for user, request in refused:  # Slack's retries, after the outage
                while (status := slack.send(bot.events, request, retry_num=1, retry_reason="http_error").status) != 200:
                    assert time.monotonic() < deadline, f"the retry of {user}'s event got {status}"
                    time.sleep(0.5)
                statuses[user] = status
            wanted = {f"D{u}" for u, _ in requests}
            wait_until = time.monotonic() + 30
            while not wanted <= {str(c.channel) for c in slack.calls_to("chat.postMessage")}:
                assert time.monotonic() < wait_until, "some acknowledged questions were never answered"
                time.sleep(0.1)
            time.sleep(1.0)
            answered = Counter(str(c.channel) for c in slack.calls_to("chat.postMessage"))
            assert answered == {c: 1 for c in wanted}  # each question answered exactly once
            assert not slack.calls_to("chat.postEphemeral"), "someone was told 'Sorry'"
        finally:
            bot.stop()
        assert "Traceback" not in bot.log.read_text()
