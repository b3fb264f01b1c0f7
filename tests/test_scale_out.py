"""Two `ilm-bot serve` processes on one PostgreSQL: events spread over both, retries sent to the other.

Each event must be answered exactly once, and a reload on one must be live on both.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from botprocess import BotProcess, admin_env, get, knowledge_copy
from conftest import backend_url
from fakeslack import FakeSlack
from slack_payloads import event_callback, form_request, json_request, message_im, slash_command

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
ADMIN = "UADMIN1"
HR = "UHR1"
PHONE, NEW_PHONE = "01543 266867", "01543 000111"


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeSlack, list[BotProcess], Path]]:
    root = tmp_path_factory.mktemp("scale")
    kdir, idir = knowledge_copy(root)
    with backend_url("postgres", root) as url, FakeSlack() as slack:
        env = {**admin_env(url, kdir, idir, ADMIN), "ILM_HR_USERS": HR, "ILM_REMINDER_POLL_SECONDS": "0.3"}
        bots = [BotProcess(slack, root / f"bot{i}.log", **env) for i in range(2)]
        try:
            yield slack, bots, kdir
        finally:
            for b in bots:
                b.stop()


def test_each_event_is_answered_once_whichever_process_gets_each_delivery(
    pair: tuple[FakeSlack, list[BotProcess], Path],
) -> None:
    slack, bots, _ = pair
    mark = slack.mark()
    events = [event_callback(message_im(f"U{i}", f"how many credits is unit 30{i % 4 + 2} of C&M?")) for i in range(20)]
    for i, body in enumerate(events):
        first, other = bots[i % 2], bots[(i + 1) % 2]
        assert slack.send(first.events, json_request(body)).status == 200
        retry = slack.send(other.events, json_request(body), retry_num=1, retry_reason="http_timeout")
        assert retry.status == 200
    deadline = time.monotonic() + 30
    while len([c for c in slack.calls[mark:] if c.method == "chat.postMessage"]) < 20:
        assert time.monotonic() < deadline, "not every event was answered"
        time.sleep(0.1)
    time.sleep(1.5)  # time for any duplicate to show up
    posts = [c for c in slack.calls[mark:] if c.method == "chat.postMessage"]
    channels = sorted(c.channel for c in posts)
    assert channels == sorted(e["event"]["channel"] for e in events)


def test_a_reload_on_one_process_is_live_on_both(pair: tuple[FakeSlack, list[BotProcess], Path]) -> None:
    slack, bots, kdir = pair
    path = kdir / "qualifications" / "l3-award-mentoring.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(PHONE, NEW_PHONE), encoding="utf-8")
    mark = slack.mark()
    url = slack.response_url("reload")
    slack.send(bots[0].events, form_request(slash_command("/ilm-admin", "reload", user_id=ADMIN, response_url=url)))
    assert "Reload done" in slack.wait_for("response_url", lambda c: c.target == "reload", after=mark, timeout=30).text
    deadline = time.monotonic() + 10
    for bot in bots:
        while True:
            m = slack.mark()
            slack.send(bot.events, json_request(event_callback(message_im("U99", "phone number for the award?"))))
            if NEW_PHONE in slack.wait_for("chat.postMessage", after=m, timeout=10).text:
                break
            assert time.monotonic() < deadline, "the reload did not reach both processes within 10 s"
            time.sleep(0.5)


def test_a_reminder_is_posted_once_by_the_pair(pair: tuple[FakeSlack, list[BotProcess], Path]) -> None:
    slack, bots, _ = pair
    due = (datetime.now(UTC) + timedelta(seconds=4)).replace(microsecond=0).isoformat()
    mark = slack.mark()
    url = slack.response_url("remind")
    text = f"remind <#C0SCALE01|cohort> {due} Scale-out reminder"
    slack.send(bots[0].events, form_request(slash_command("/ilm-hr", text, user_id=HR, response_url=url)))
    assert "Scale-out reminder" in slack.wait_for("response_url", lambda c: c.target == "remind", after=mark).text
    slack.wait_for("chat.postMessage", lambda c: "Scale-out reminder" in c.text, after=mark, timeout=20)
    time.sleep(3)  # both schedulers keep polling: any duplicate would appear now
    posts = [c for c in slack.calls[mark:] if c.method == "chat.postMessage" and "Scale-out reminder" in c.text]
    assert len(posts) == 1 and posts[0].channel == "C0SCALE01"
    delivered = 0.0
    for bot in bots:
        _, body = get(f"{bot.base}/metrics")
        line = next(x for x in body.splitlines() if x.startswith('ilm_reminder_deliveries_total{outcome="delivered"}'))
        delivered += float(line.split()[-1])
    assert delivered == 1.0
