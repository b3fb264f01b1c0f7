"""HR reminders end to end: `ilm-bot serve` processes, signed slash commands and modals in, posts out.

The only fake is Slack (tests/fakeslack.py). Covered: only HR may schedule
(nothing is stored otherwise); a reminder is posted once, on time; the list
with its Cancel buttons; the modal; a bot killed with -9 while a post is in
flight, then restarted, still reaching each learner exactly once; and two
bots sharing one PostgreSQL database.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from botprocess import BotProcess
from conftest import backend_url
from fakeslack import Call, FakeSlack
from slack_payloads import APP_ID, TEAM_ID, block_actions, form_request, interactive_request, slash_command
from sqlalchemy import func, select

from bot.learners.learner import Enrol
from bot.learners.records import LearnerStore
from bot.reminders.outbox import EVENT_TYPE
from bot.reminders.when import format_local
from bot.storage import audit, open_database
from bot.storage.models import Reminder, ReminderDelivery

HR = "UHR1"
NEW_YORK = ZoneInfo("America/New_York")
AWARD = "l3-award-mentoring"
#: Fast polling and a short lease, so a restart's recovery happens within seconds.
REMINDER_ENV = {
    "ILM_HR_USERS": HR,
    "ILM_REMINDER_POLL_SECONDS": "0.2",
    "ILM_REMINDER_SEND_TIMEOUT": "1",
    "ILM_REMINDER_LEASE_SECONDS": "3",
}
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def slack() -> Iterator[FakeSlack]:
    with FakeSlack(socket_mode=False) as fake:
        fake.set_user(HR, tz="America/New_York", tz_offset=-18000)
        yield fake


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('reminders') / 'bot.db'}"


@pytest.fixture(scope="module")
def bot(slack: FakeSlack, url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotProcess]:
    running = BotProcess(slack, tmp_path_factory.mktemp("log") / "bot.log", DATABASE_URL=url, **REMINDER_ENV)
    yield running
    running.stop()
    assert slack.bot_token not in running.log.read_text(), "a token reached the log"


def send_hr(slack: FakeSlack, bot: BotProcess, text: str, user: str = HR, name: str = "hr", **fields: str) -> None:
    """A signed `/ilm-hr` command, as Slack sends it; its reply goes to the response_url called ``name``."""
    body = slash_command("/ilm-hr", text, user_id=user, response_url=slack.response_url(name), **fields)
    assert slack.send(bot.events, form_request(body)).status == 200


def hr(slack: FakeSlack, bot: BotProcess, text: str, user: str = HR) -> Call:
    """A signed `/ilm-hr` command and the ephemeral reply it gets."""
    name = f"r{time.monotonic_ns()}"
    mark = slack.mark()
    send_hr(slack, bot, text, user, name)
    return slack.wait_for("response_url", lambda c: c.target == name, after=mark, timeout=10)


def iso_in(seconds: float) -> tuple[datetime, str]:
    due = (datetime.now(UTC) + timedelta(seconds=seconds)).replace(microsecond=0)
    return due, due.isoformat()


def reminder_posts(slack: FakeSlack) -> Counter[tuple[str, int]]:
    """Every reminder message Slack holds, by (conversation, delivery id) from its metadata."""
    found: Counter[tuple[str, int]] = Counter()
    for (channel, _ts), message in list(slack.messages.items()):
        meta = message.get("metadata") or {}
        if meta.get("event_type") == EVENT_TYPE:
            found[(channel, int(meta["event_payload"]["delivery"]))] += 1
    return found


def wait_until(check: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def enrol(url: str, users: list[str]) -> None:
    db = open_database(url)
    try:
        LearnerStore(db).apply([Enrol(u, AWARD, date(2026, 1, 5)) for u in users], actor="test")
    finally:
        db.dispose()


def count_reminders(url: str, **where: str) -> int:
    db = open_database(url)
    try:
        with db.transaction() as session:
            query = select(func.count()).select_from(Reminder)
            for column, value in where.items():
                query = query.where(getattr(Reminder, column) == value)
            return int(session.scalar(query) or 0)
    finally:
        db.dispose()


# -- who may ------------------------------------------------------------------------------------------------


def test_non_hr_users_are_refused_and_nothing_is_stored(slack: FakeSlack, bot: BotProcess, url: str) -> None:
    mark = slack.mark()
    for text in ("remind <#C0E2E0001|general> in 5 minutes Hello", "remind", "reminders", "cancel 1"):
        reply = hr(slack, bot, text, user="UNOTHR")
        assert reply.ephemeral and "only for HR" in reply.text and "Nothing was done" in reply.text
    slack.expect_no_call(["views.open", "users.info", "conversations.info"], wait=0.5, after=mark)
    assert count_reminders(url, created_by="UNOTHR") == 0


# -- on time, once -----------------------------------------------------------------------------------------------


def test_a_reminder_is_confirmed_then_posted_once_within_15_seconds(
    slack: FakeSlack, bot: BotProcess, url: str
) -> None:
    due, when = iso_in(3)
    reply = hr(slack, bot, f"remind <#C0E2E0001|general> {when} Enrolment closes Friday <!channel>")
    assert reply.ephemeral
    assert "✅ Reminder *#" in reply.text and "to <#C0E2E0001>" in reply.text
    assert f"*{format_local(due, NEW_YORK)}*" in reply.text  # in the HR user's Slack time zone
    assert "> Enrolment closes Friday ‹!channel>" in reply.text  # quoted back, broadcast defused
    post = slack.wait_for("chat.postMessage", lambda c: c.channel == "C0E2E0001", timeout=20)
    posted_at = time.time() - (time.monotonic() - post.at)
    assert -0.5 <= posted_at - due.timestamp() < 15
    assert post.text == "Enrolment closes Friday <!channel>"  # as HR wrote it, broadcast and all
    time.sleep(1.5)
    assert [c.ok for c in slack.calls_to("chat.postMessage", lambda c: c.channel == "C0E2E0001")] == [True]
    assert count_reminders(url, status="sent") >= 1


def test_refusals_give_the_reason_and_store_nothing(slack: FakeSlack, bot: BotProcess, url: str) -> None:
    before = count_reminders(url)
    slack.fail_next("conversations.info", error="channel_not_found")
    cases = {
        "remind <#C0GONE001|old> tomorrow 09:00 Hi": "I can't find that channel",
        "remind <#C0E2E0001|general> 2020-01-01 09:00 Hi": "is in the past (it is now",
        "remind learners:underwater basket weaving tomorrow 09:00 Hi": "unknown qualification",
        "remind <#C0E2E0001|general> tomorrow 09:00": "the message is empty",
        "remind <#C0E2E0001|general> every funday 09:00 Hi": "'funday' is not a day of the week",
    }
    for text, reason in cases.items():
        reply = hr(slack, bot, text)
        assert reply.text.startswith("Nothing was scheduled:") and reason in reply.text, reply.text
    assert count_reminders(url) == before


# -- the list, cancelling, the modal ------------------------------------------------------------------------------


def test_list_shows_upcoming_reminders_and_cancel_buttons_work(slack: FakeSlack, bot: BotProcess, url: str) -> None:
    enrol(url, ["ULIST1", "ULIST2"])
    first = hr(slack, bot, "remind <#C0E2E0002|random> in 2 hours Sessions moved to Thursday")
    second = hr(slack, bot, "remind learners:award in mentoring every monday 09:00 until 2027-03-01 Log your hours")
    assert "2 learners are enrolled now" in second.text and "repeats every Monday at 09:00" in second.text
    ids = [int(c.text.split("*#")[1].split("*")[0]) for c in (first, second)]
    listing = hr(slack, bot, "reminders")
    assert listing.status == 200  # the fake Slack checked the blocks
    buttons = {
        b["accessory"]["value"]: b["accessory"]
        for b in listing.blocks
        if b.get("accessory", {}).get("type") == "button"
    }
    assert {str(i) for i in ids} <= set(buttons)
    text = listing.all_text()
    assert "Sessions moved to Thursday" in text and "the learners on ILM Level 3 Award in Mentoring" in text
    mark = slack.mark()
    stranger = block_actions(
        "UNOTHR", buttons[str(ids[0])]["action_id"], str(ids[0]), response_url=slack.response_url("x1"), ephemeral=True
    )
    slack.send(bot.events, interactive_request(stranger))
    assert "only for HR" in slack.wait_for("response_url", lambda c: c.target == "x1", after=mark).text
    mark = slack.mark()
    press = block_actions(
        HR,
        buttons[str(ids[0])]["action_id"],
        str(ids[0]),
        response_url=slack.response_url("cancel1"),
        ephemeral=True,
    )
    slack.send(bot.events, interactive_request(press))
    redrawn = slack.wait_for("response_url", lambda c: c.target == "cancel1", after=mark)
    assert redrawn.params.get("replace_original") is True
    assert f"Cancelled reminder *#{ids[0]}*" in redrawn.all_text()
    assert str(ids[0]) not in {b.get("accessory", {}).get("value") for b in redrawn.blocks}
    assert f"Cancelled reminder *#{ids[1]}*" in hr(slack, bot, f"cancel {ids[1]}").text
    assert "was already cancelled" in hr(slack, bot, f"cancel #{ids[1]}").text
    assert "there is no reminder #99999" in hr(slack, bot, "cancel 99999").text


def view_submission(user: str, values: dict[str, Any]) -> dict[str, Any]:
    """A ``view_submission`` payload for the reminder modal, shaped as Slack sends it."""
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "ilm-test"},
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": "verification-token-unused",
        "trigger_id": f"{time.monotonic_ns()}.{TEAM_ID}.trigger",
        "view": {
            "id": "VMODAL1",
            "team_id": TEAM_ID,
            "type": "modal",
            "callback_id": "reminder_create",
            "private_metadata": "",
            "state": {"values": values},
            "hash": "1.abc",
            "app_id": APP_ID,
        },
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def test_the_modal_schedules_what_the_command_would(slack: FakeSlack, bot: BotProcess, url: str) -> None:
    learners = ["UMODAL1", "UMODAL2", "UMODAL3"]
    enrol(url, learners)
    mark = slack.mark()
    send_hr(slack, bot, "remind", trigger_id="trig.modal.1")
    opened = slack.wait_for("views.open", after=mark)
    assert opened.ok and opened.params["trigger_id"] == "trig.modal.1"
    assert opened.params["view"]["callback_id"] == "reminder_create"

    due = int(time.time()) + 2
    both = {
        "channel": {"value": {"type": "conversations_select", "selected_conversation": "C0E2E0003"}},
        "learners": {"value": {"type": "static_select", "selected_option": {"value": AWARD}}},
        "when": {"value": {"type": "datetimepicker", "selected_date_time": due}},
        "message": {"value": {"type": "plain_text_input", "value": "New cohort & <!here> starts"}},
    }
    refused = slack.send(bot.events, interactive_request(view_submission(HR, both)))
    assert refused.status == 200 and refused.json()["response_action"] == "errors"
    assert set(refused.json()["errors"]) == {"channel", "learners"}

    learners_only = {k: v for k, v in both.items() if k != "channel"}
    mark = slack.mark()
    accepted = slack.send(bot.events, interactive_request(view_submission(HR, learners_only)))
    assert accepted.status == 200 and not accepted.body.strip()  # the modal closes
    confirmation = slack.wait_for("chat.postMessage", lambda c: c.channel == HR, after=mark)
    assert (
        "✅ Reminder *#" in confirmation.text and "the learners on ILM Level 3 Award in Mentoring" in confirmation.text
    )

    def delivered() -> bool:
        return all(any(c == f"D{u}" for c, _ in reminder_posts(slack)) for u in learners)

    wait_until(delivered, 20, "the modal's reminder to reach every learner")
    dms = [m for (c, _), m in slack.messages.items() if c in {f"D{u}" for u in learners} and m.get("metadata")]
    assert len(dms) == 3 and {m["text"] for m in dms} == {"New cohort &amp; <!here> starts"}


# -- crashes and replicas ----------------------------------------------------------------------------------------


def test_kill_9_while_a_post_is_in_flight_then_restart_reaches_each_learner_once(
    slack: FakeSlack, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'kill.db'}"
    learners = [f"UKILL{n:03d}" for n in range(30)]
    enrol(url, learners)
    first = BotProcess(slack, tmp_path / "first.log", DATABASE_URL=url, **REMINDER_ENV)
    try:
        _, when = iso_in(2)
        hr(slack, first, f"remind learners:{AWARD} {when} Your portfolio is due")
        before = len(slack.calls_to("chat.postMessage"))
        slack.delay_next("chat.postMessage", 0, times=10)
        slack.delay_next("chat.postMessage", 8)  # the 11th post reaches Slack, its answer never reaches the bot
        slack.wait_for_count("chat.postMessage", before + 11, timeout=20)
        first.kill()
    finally:
        first.kill()
    posted_before_restart = len(reminder_posts(slack))
    assert 11 <= posted_before_restart < 30
    second = BotProcess(slack, tmp_path / "second.log", DATABASE_URL=url, **REMINDER_ENV)
    try:
        wanted = {f"D{u}" for u in learners}
        wait_until(lambda: wanted <= {c for c, _ in reminder_posts(slack)}, 30, "every learner's DM")
        time.sleep(1.5)
        per_learner = Counter(c for c, _ in reminder_posts(slack) if c in wanted)
        assert per_learner == {c: 1 for c in wanted}
        assert all(n == 1 for n in reminder_posts(slack).values())
        assert slack.calls_to("conversations.history"), "the in-doubt posts were checked in Slack"
        db = open_database(url)
        try:
            with db.transaction() as session:
                states = Counter(session.scalars(select(ReminderDelivery.status)))
                recovered = [e for e in audit.entries(session, limit=500) if e.detail.get("recovered")]
        finally:
            db.dispose()
        assert states == {"sent": 30}
        assert recovered, "the post in flight at the kill was found in Slack, not sent again"
    finally:
        second.stop()


def test_two_bots_on_one_postgresql_database_post_each_reminder_once(slack: FakeSlack, tmp_path: Path) -> None:
    with backend_url("postgres", tmp_path) as url:
        learners = [f"UPG{n:04d}" for n in range(150)]
        enrol(url, learners)
        bots = [BotProcess(slack, tmp_path / f"pg{i}.log", DATABASE_URL=url, **REMINDER_ENV) for i in range(2)]
        try:
            _, when = iso_in(3)
            hr(slack, bots[0], f"remind learners:{AWARD} {when} Tutorials start next week")
            hr(slack, bots[1], f"remind <#C0E2EPG01|cohort> {when} Tutorials start next week")
            wanted = {f"D{u}" for u in learners} | {"C0E2EPG01"}
            wait_until(lambda: wanted <= {c for c, _ in reminder_posts(slack)}, 30, "every post")
            time.sleep(1.5)
            per_target = Counter(c for c, _ in reminder_posts(slack) if c in wanted)
            assert per_target == {c: 1 for c in wanted}
            db = open_database(url)
            try:
                with db.transaction() as session:
                    states = Counter(session.scalars(select(ReminderDelivery.status)))
            finally:
                db.dispose()
            assert states == {"sent": 151}
        finally:
            for b in bots:
                b.stop()
