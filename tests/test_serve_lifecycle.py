"""`ilm-bot serve` stopping gracefully (SIGTERM, SIGINT), back-pressure, and health in Socket Mode.

Real processes against the fake Slack. The property a rolling update needs:
every question acknowledged before the signal is answered exactly once, new
events are refused with a non-2xx status (so Slack retries them elsewhere),
the reminder in hand is finished or given back, and the process exits 0.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import pytest
from botprocess import BotProcess, free_port, get
from fakeslack import FakeSlack
from slack_payloads import event_callback, json_request, message_im
from sqlalchemy import select

from bot.learners.learner import Enrol
from bot.learners.records import LearnerStore
from bot.reminders.store import ReminderStore
from bot.reminders.when import Schedule
from bot.storage import open_database
from bot.storage.models import ReminderDelivery, utcnow

ILM_BOT = str(Path(sys.executable).parent / "ilm-bot")
QUESTION = "how many credits is the award?"
pytestmark = pytest.mark.slow


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


def wait_until(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def posts_by_channel(slack: FakeSlack) -> Counter[str]:
    return Counter(str(c.channel) for c in slack.calls_to("chat.postMessage"))


def ask_many(slack: FakeSlack, bot: BotProcess, users: list[str]) -> list[int]:
    """Each user asks once, in parallel, as Slack would deliver a burst; returns the HTTP statuses."""
    requests = [json_request(event_callback(message_im(u, QUESTION))) for u in users]
    with ThreadPoolExecutor(16) as pool:
        return list(pool.map(lambda r: slack.send(bot.events, r).status, requests))


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_under_load_answers_every_acknowledged_question_exactly_once(
    slack: FakeSlack, tmp_path: Path, sig: signal.Signals
) -> None:
    bot = BotProcess(slack, tmp_path / "bot.log", DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}")
    try:
        users = [f"USTOP{n:03d}" for n in range(40)]
        slack.delay_next("chat.postMessage", 1.0, times=len(users))  # a slow Slack: answers pile up behind acks
        assert ask_many(slack, bot, users) == [200] * len(users)
        started = time.monotonic()
        bot.proc.send_signal(sig)
        wait_until(lambda: get(f"{bot.base}/readyz")[0] == 503, 2, "/readyz to turn 503")
        late = slack.send(bot.events, json_request(event_callback(message_im("ULATE", QUESTION))))
        assert late.status == 503  # not acknowledged: Slack retries it on another replica
        assert get(f"{bot.base}/healthz")[0] == 200  # alive while it drains
        assert bot.proc.wait(25) == 0
        assert time.monotonic() - started < 20  # ILM_SHUTDOWN_SECONDS' default
    finally:
        bot.stop()
    assert posts_by_channel(slack) == {f"D{u}": 1 for u in users}
    log = bot.log.read_text()
    assert f"{sig.name}: stopping" in log and "0 answer(s) unfinished" in log and "Traceback" not in log


def test_answers_it_cannot_finish_in_time_are_released_and_named(slack: FakeSlack, tmp_path: Path) -> None:
    """With 2 s to stop and a Slack that takes 6 s, the queued answers are not lost: their claims are released,
    each is logged, and Slack's retry of each is answered by the next process."""
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    bot = BotProcess(slack, tmp_path / "first.log", DATABASE_URL=url, ILM_SHUTDOWN_SECONDS="2")
    users = [f"USLOW{n:03d}" for n in range(30)]
    requests = {u: json_request(event_callback(message_im(u, QUESTION))) for u in users}
    try:
        slack.delay_next("chat.postMessage", 6.0, times=len(users))
        with ThreadPoolExecutor(16) as pool:
            assert list(pool.map(lambda r: slack.send(bot.events, r).status, requests.values())) == [200] * 30
        bot.proc.send_signal(signal.SIGTERM)
        assert bot.proc.wait(10) == 0
    finally:
        bot.stop()
    released = [line for line in bot.log.read_text().splitlines() if "not answered before shutdown" in line]
    posted = posts_by_channel(slack)
    unanswered = [u for u in users if f"D{u}" not in posted]
    assert unanswered and len(released) >= len(unanswered)
    slack.clear()
    second = BotProcess(slack, tmp_path / "second.log", DATABASE_URL=url)
    try:
        for user in unanswered:  # Slack's retry (when the ack was lost with the process, or it resends)
            assert slack.send(second.events, requests[user], retry_num=1, retry_reason="http_error").status == 200
        wait_until(lambda: {f"D{u}" for u in unanswered} <= set(posts_by_channel(slack)), 15, "the retried answers")
    finally:
        second.stop()
    assert all(n == 1 for n in posts_by_channel(slack).values())


def test_a_full_answer_queue_refuses_events_so_that_slack_retries(slack: FakeSlack, tmp_path: Path) -> None:
    bot = BotProcess(
        slack, tmp_path / "bot.log", DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}", ILM_ANSWER_QUEUE="20"
    )
    try:
        slack.delay_next("chat.postMessage", 3.0, times=100)
        users = [f"UQ{n:03d}" for n in range(60)]
        statuses = ask_many(slack, bot, users)
        assert set(statuses) == {200, 503} and statuses.count(200) >= 20
        refused = [u for u, status in zip(users, statuses, strict=True) if status == 503]
        _, metrics = get(f"{bot.base}/metrics")
        assert f'ilm_events_refused_total{{reason="queue_full"}} {float(len(refused))}' in metrics
        accepted = {f"D{u}" for u, status in zip(users, statuses, strict=True) if status == 200}
        wait_until(lambda: accepted <= set(posts_by_channel(slack)), 30, "the accepted answers")
        assert all(f"D{u}" not in posts_by_channel(slack) for u in refused)  # refused, so not half-done
    finally:
        bot.stop()


def test_sigterm_lets_the_reminder_in_hand_finish_and_gives_the_rest_back(slack: FakeSlack, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    db = open_database(url)
    learners = [f"UREM{n:03d}" for n in range(120)]
    try:
        LearnerStore(db).apply([Enrol(u, "l3-award-mentoring", date(2026, 1, 5)) for u in learners], actor="test")
        ReminderStore(db).create(
            created_by="UHR1",
            target_kind="learners",
            target="l3-award-mentoring",
            text="Portfolio due",
            schedule=Schedule(utcnow() + timedelta(seconds=1)),
            zone="UTC",
        )
    finally:
        db.dispose()
    env = {"DATABASE_URL": url, "ILM_REMINDER_POLL_SECONDS": "0.2"}
    slack.delay_next("chat.postMessage", 0.1, times=200)
    bot = BotProcess(slack, tmp_path / "first.log", **env)
    try:
        wait_until(lambda: len(slack.calls_to("chat.postMessage")) >= 10, 20, "the reminder to start")
        bot.proc.send_signal(signal.SIGTERM)
        assert bot.proc.wait(10) == 0
    finally:
        bot.stop()
    first_round = len(slack.calls_to("chat.postMessage"))
    assert first_round < len(learners)
    db = open_database(url)
    try:
        with db.transaction() as session:
            states = Counter(session.scalars(select(ReminderDelivery.status)))
    finally:
        db.dispose()
    assert "sending" not in states and states["sent"] == first_round  # nothing left in doubt
    second = BotProcess(slack, tmp_path / "second.log", **env)
    try:
        wanted = set(learners)  # a reminder is posted to the user id: Slack opens the DM
        wait_until(lambda: wanted <= set(posts_by_channel(slack)), 40, "every learner's reminder")
        time.sleep(0.5)
    finally:
        second.stop()
    assert posts_by_channel(slack) == {u: 1 for u in wanted}


def test_socket_mode_serves_health_on_port_and_stops_cleanly(slack: FakeSlack, tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, **slack.env(), "PORT": str(port), "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}"}
    log = tmp_path / "bot.log"
    proc = subprocess.Popen([ILM_BOT, "serve"], env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        assert slack.socket is not None
        slack.socket.wait_connected(timeout=60)
        base = f"http://127.0.0.1:{port}"
        wait_until(lambda: get(f"{base}/readyz")[0] == 200, 20, "/readyz")
        assert get(f"{base}/healthz")[0] == 200
        status, metrics = get(f"{base}/metrics")
        assert status == 200 and "process_resident_memory_bytes" in metrics
        assert get(f"{base}/slack/events")[0] == 404  # Socket Mode takes no events over HTTP
        eid = slack.socket.send_envelope("events_api", event_callback(message_im("USM1", QUESTION)))
        slack.socket.wait_for_ack(eid, timeout=10)
        slack.wait_for("chat.postMessage", lambda c: c.channel == "DUSM1", timeout=10)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(25) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    text = log.read_text()
    assert "SIGTERM: stopping" in text and "token` will be unused" not in text and "Traceback" not in text
