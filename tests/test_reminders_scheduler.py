"""The reminder scheduler on a real database (SQLite, and PostgreSQL when configured) against the fake Slack.

The clock is injected, so "six hours later" or "after the lease" is one
step; posts are real HTTP to the fake Slack Web API. Crashes are reproduced
by leaving the database exactly as a killed process would: deliveries
claimed by a scheduler that never comes back, some of them already posted.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from fakeslack import FakeSlack
from sqlalchemy import func, select

from bot.learners.learner import Enrol
from bot.learners.records import LearnerStore
from bot.reminders import queue
from bot.reminders.config import ReminderSettings
from bot.reminders.outbox import SlackOutbox, is_delivery
from bot.reminders.scheduler import Scheduler
from bot.reminders.store import ReminderInfo, ReminderStore
from bot.reminders.when import Repeat, Schedule
from bot.storage import audit, open_database
from bot.storage.database import Database
from bot.storage.models import AuditEntry, ReminderDelivery, utcnow

HR = "UHR1"
CHANNEL = "C0REMIND1"
AWARD = "l3-award-mentoring"
SETTINGS = ReminderSettings(grace=timedelta(hours=6), send_timeout=1.0, lease_seconds=10.0)


class Clock:
    """Starts at the real time (Slack's message timestamps are real), then moves only when told."""

    def __init__(self) -> None:
        self.now = utcnow()
        self.slept: list[float] = []

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.advance(seconds=seconds)


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack(socket_mode=False) as fake:
        yield fake


@pytest.fixture
def clock() -> Clock:
    return Clock()


def scheduler(db: Database, slack: FakeSlack, clock: Clock, name: str = "s1", **settings: object) -> Scheduler:
    config = ReminderSettings(**{**SETTINGS.__dict__, **settings})  # type: ignore[arg-type]
    outbox = SlackOutbox.connect(slack.bot_token, slack.url, config.send_timeout)
    return Scheduler(db, outbox, config, clock=clock, sleep=clock.sleep, name=name, title=lambda q: f"Q({q})")


def remind(db: Database, due: datetime, *, kind: str = "channel", target: str = CHANNEL, **kw: object) -> ReminderInfo:
    text = str(kw.pop("text", "Enrolment closes Friday <!channel> &amp; good luck"))
    repeat = kw.pop("repeat", None)
    return ReminderStore(db).create(
        created_by=HR,
        target_kind=kind,
        target=target,
        text=text,
        schedule=Schedule(due, repeat),  # type: ignore[arg-type]
        zone="Europe/London",
    )


def enrol(db: Database, count: int, qualification: str = AWARD) -> list[str]:
    users = [f"UL{n:05d}" for n in range(count)]
    LearnerStore(db).apply([Enrol(u, qualification, date(2026, 1, 5)) for u in users], actor="test")
    return users


def posts(slack: FakeSlack) -> Counter[str]:
    """Messages the fake Slack holds (i.e. really posted), by conversation."""
    return Counter(channel for channel, _ts in slack.messages)


def posts_of(slack: FakeSlack, reminder: ReminderInfo, db: Database) -> Counter[str]:
    """Messages posted for ``reminder`` itself (found by their metadata; not notices to HR), by conversation."""
    with db.transaction() as session:
        ids = set(
            session.scalars(
                select(ReminderDelivery.id).where(
                    ReminderDelivery.reminder_id == reminder.id, ReminderDelivery.purpose == "reminder"
                )
            )
        )
    return Counter(c for (c, _ts), m in slack.messages.items() if any(is_delivery(m, i) for i in ids))


def actions(db: Database) -> Counter[str]:
    with db.transaction() as session:
        return Counter(dict(session.execute(select(AuditEntry.action, func.count()).group_by(AuditEntry.action)).all()))


# -- on time, once ----------------------------------------------------------------------------------------


def test_posted_once_at_its_time_as_written_and_audited(db: Database, slack: FakeSlack, clock: Clock) -> None:
    reminder = remind(db, clock.now + timedelta(seconds=30))
    s = scheduler(db, slack, clock)
    assert s.tick().started == 0 and not posts(slack)
    clock.advance(seconds=29)
    s.tick()
    assert not posts(slack)
    clock.advance(seconds=1)
    tally = s.tick()
    assert (tally.started, tally.sent) == (1, 1)
    [(channel, ts)] = list(slack.messages)
    message = slack.messages[(channel, ts)]
    assert channel == CHANNEL
    assert message["text"] == "Enrolment closes Friday <!channel> &amp; good luck"  # as written: no escaping
    assert message["metadata"]["event_type"] == "ilm_reminder"
    for _ in range(3):
        clock.advance(seconds=5)
        s.tick()
    assert posts(slack) == {CHANNEL: 1}
    info = ReminderStore(db).get(reminder.id)
    assert info is not None and info.status == "sent" and info.progress is not None
    assert info.progress.describe() == "sent 1 of 1"
    counts = actions(db)
    assert counts["reminder_create"] == counts["reminder_start"] == counts["reminder_delivered"] == 1
    assert counts["reminder_done"] == 1
    with db.transaction() as session:
        [delivered] = [e for e in audit.entries(session) if e.action == "reminder_delivered"]
        texts = [str(e.detail) for e in audit.entries(session)]
    assert delivered.subject == CHANNEL and delivered.detail["ts"] == ts and delivered.actor == "scheduler"
    assert not any("Enrolment closes" in t for t in texts)  # HR's free text never enters the audit log


def test_fan_out_waits_out_429s_and_reaches_every_learner_once(db: Database, slack: FakeSlack, clock: Clock) -> None:
    learners = enrol(db, 120)
    enrol(db, 3, "l3-certificate-mentoring")  # other qualifications' learners are not reminded
    reminder = remind(db, clock.now, kind="learners", target=AWARD, text="Cohort starts Monday")
    slack.fail_next("chat.postMessage", retry_after=2, times=3)
    tally = scheduler(db, slack, clock).tick()
    assert tally.rate_limited == 3 and clock.slept == [2, 2, 2]
    assert posts_of(slack, reminder, db) == {f"D{u}": 1 for u in learners}
    assert tally.sent == 120 and tally.finished[0].sent == 120
    rate_limited = [c for c in slack.calls_to("chat.postMessage") if c.status == 429]
    assert len(rate_limited) == 3
    assert actions(db)["reminder_delivered"] == 120


def test_progress_is_visible_while_a_fan_out_is_under_way(db: Database, slack: FakeSlack, clock: Clock) -> None:
    enrol(db, 120)
    reminder = remind(db, clock.now, kind="learners", target=AWARD)
    queue.start_due(db, clock.now, SETTINGS.grace)
    jobs = queue.claim(db, clock.now, "w/1", 40, after_reminder=0, not_before=clock.now - SETTINGS.grace)
    outbox = SlackOutbox.connect(slack.bot_token, slack.url, 1)
    posted = [outbox.post(job.recipient, job.text, job.id) for job in jobs]
    queue.record_sent(db, [queue.Sent(job, p.channel, p.ts) for job, p in zip(jobs, posted, strict=True)], clock.now)
    [info] = ReminderStore(db).upcoming()
    assert info.id == reminder.id and info.status == "sending"
    assert info.progress is not None and info.progress.describe() == "sent 40 of 120"


# -- crashes: kill -9 before, during and after a post ----------------------------------------------------------


def _dead_worker(db: Database, slack: FakeSlack, clock: Clock, posted: int) -> list[queue.Job]:
    """What a scheduler killed mid-batch leaves: 50 deliveries claimed, the first ``posted`` of them really
    posted to Slack but not recorded (it died between the post and the database write)."""
    queue.start_due(db, clock.now, SETTINGS.grace)
    jobs = queue.claim(db, clock.now, "dead/1", 50, after_reminder=0, not_before=clock.now - SETTINGS.grace)
    outbox = SlackOutbox.connect(slack.bot_token, slack.url, 1)
    for job in jobs[:posted]:
        outbox.post(job.recipient, job.text, job.id)
    return jobs


@pytest.mark.parametrize("posted", [0, 20, 50], ids=["before-post", "mid-batch", "after-posts"])
def test_a_killed_worker_is_taken_over_and_nobody_gets_two(
    db: Database, slack: FakeSlack, clock: Clock, posted: int
) -> None:
    learners = enrol(db, 120)
    reminder = remind(db, clock.now, kind="learners", target=AWARD)
    _dead_worker(db, slack, clock, posted)
    survivor = scheduler(db, slack, clock, name="s2")
    early = survivor.tick()  # the dead worker's claim is still young: its rows are left alone
    assert early.recovered == early.reposted == 0 and early.sent == 70
    clock.advance(seconds=SETTINGS.lease_seconds + 1)
    tally = survivor.tick()
    assert (tally.recovered, tally.reposted, tally.sent) == (posted, 50 - posted, 50 - posted)
    assert posts_of(slack, reminder, db) == {f"D{u}": 1 for u in learners}
    info = ReminderStore(db).get(reminder.id)
    assert info is not None and info.status == "sent"
    with db.transaction() as session:
        recovered = [e for e in audit.entries(session, limit=500) if e.detail.get("recovered")]
    assert len(recovered) == posted


def test_a_timed_out_post_that_reached_slack_is_found_not_repeated(
    db: Database, slack: FakeSlack, clock: Clock
) -> None:
    reminder = remind(db, clock.now)
    slack.delay_next("chat.postMessage", 2.5)  # Slack posts it, but answers after the 1 s timeout
    s = scheduler(db, slack, clock)
    assert s.tick().unknown == 1
    assert ReminderStore(db).get(reminder.id).status == "sending"  # type: ignore[union-attr]
    clock.advance(seconds=SETTINGS.lease_seconds + 1)
    tally = s.tick()
    assert (tally.recovered, tally.reposted) == (1, 0)
    assert posts(slack) == {CHANNEL: 1}
    assert slack.calls_to("conversations.history")[-1].params["include_all_metadata"] in {"1", "true", True}


def test_a_post_lost_in_a_5xx_is_read_back_as_absent_then_posted_once(
    db: Database, slack: FakeSlack, clock: Clock
) -> None:
    remind(db, clock.now)
    slack.fail_next("chat.postMessage", status=503)
    s = scheduler(db, slack, clock)
    assert s.tick().unknown == 1 and not posts(slack)
    clock.advance(seconds=4)
    assert s.tick().sent == 0  # paused, and the claim is still young: nothing is re-posted blind
    clock.advance(seconds=SETTINGS.lease_seconds)
    tally = s.tick()
    assert (tally.reposted, tally.sent) == (1, 1)
    assert posts(slack) == {CHANNEL: 1}


def test_when_slack_history_cannot_be_read_the_post_fails_rather_than_risk_a_duplicate(
    db: Database, slack: FakeSlack, clock: Clock
) -> None:
    remind(db, clock.now)
    slack.delay_next("chat.postMessage", 2.5)
    s = scheduler(db, slack, clock)
    s.tick()
    slack.fail_next("conversations.history", error="missing_scope")
    clock.advance(seconds=SETTINGS.lease_seconds + 1)
    assert s.tick().failed == 1
    clock.advance(seconds=2)
    s.tick()  # the notice to the creator
    assert posts(slack)[CHANNEL] == 1
    notice = slack.calls_to("chat.postMessage", lambda c: c.channel == HR)[-1]
    assert "reached 0 of 1" in notice.text and "not confirmed, perhaps sent (missing_scope)" in notice.text


def test_a_refused_post_is_not_retried_and_the_creator_is_told(db: Database, slack: FakeSlack, clock: Clock) -> None:
    reminder = remind(db, clock.now)
    slack.fail_next("chat.postMessage", error="not_in_channel")
    s = scheduler(db, slack, clock)
    tally = s.tick()
    assert tally.failed == 1 and tally.finished[0].failed == 1
    clock.advance(seconds=30)
    s.tick()
    assert posts(slack) == {f"D{HR}": 1}  # the notice only: the refused post is not tried again
    notice = slack.messages[next(k for k in slack.messages if k[0] == f"D{HR}")]
    assert f"reminder *#{reminder.id}* to <#{CHANNEL}>" in notice["text"]
    assert "I'm not in the channel (1)" in notice["text"]


# -- downtime: grace and missed ----------------------------------------------------------------------------------


def test_late_within_the_grace_is_sent_beyond_it_is_missed_and_its_creator_told(
    db: Database, slack: FakeSlack, clock: Clock
) -> None:
    start = clock.now
    missed = remind(db, start, text="too late")
    late = remind(db, start + timedelta(hours=2), text="still useful")
    clock.advance(hours=6, minutes=30)  # the bot was down all this time
    s = scheduler(db, slack, clock)
    tally = s.tick()
    assert (tally.missed, tally.started, tally.sent) == (1, 1, 2)  # the late one, and the notice about the other
    texts = [m["text"] for m in slack.messages.values()]
    assert "still useful" in texts and "too late" not in texts
    notice = next(t for t in texts if t.startswith("⚠️"))
    assert f"*#{missed.id}*" in notice and "was *not sent*" in notice and "more than 6 hours late" in notice
    assert ReminderStore(db).get(missed.id).status == "missed"  # type: ignore[union-attr]
    assert ReminderStore(db).get(late.id).status == "sent"  # type: ignore[union-attr]
    assert actions(db)["reminder_missed"] == 1


def test_a_fan_out_interrupted_for_longer_than_the_grace_is_not_finished_late(
    db: Database, slack: FakeSlack, clock: Clock
) -> None:
    enrol(db, 120)
    reminder = remind(db, clock.now, kind="learners", target=AWARD)
    _dead_worker(db, slack, clock, posted=10)
    clock.advance(hours=7)
    s = scheduler(db, slack, clock)
    s.tick()
    s.tick()
    assert posts_of(slack, reminder, db).total() == 10  # the 10 that went out before the crash, no more
    info = ReminderStore(db).get(reminder.id)
    assert info is not None and info.status == "sent"
    assert (info.progress.sent, info.progress.failed) == (10, 110)  # type: ignore[union-attr]
    notice = next(m["text"] for (c, _), m in slack.messages.items() if c == f"D{HR}")
    assert "reached 10 of 120" in notice and "too late after a restart (110)" in notice


def test_weekly_reminders_repeat_skip_a_missed_week_and_stop_after_until(
    db: Database, slack: FakeSlack, clock: Clock
) -> None:
    first = (clock.now + timedelta(minutes=1)).replace(microsecond=0)
    rule = Repeat(first.weekday(), first.time(), "UTC", (first + timedelta(days=14)).date())
    reminder = remind(db, first, repeat=rule, text="weekly")
    s = scheduler(db, slack, clock)
    clock.now = first
    s.tick()
    assert posts(slack) == {CHANNEL: 1}
    info = ReminderStore(db).get(reminder.id)
    assert info is not None and info.status == "scheduled"
    assert info.due_at == first + timedelta(days=7)
    clock.now = first + timedelta(days=7, hours=7)  # down over the second week's time
    assert s.tick().missed == 1
    clock.now = first + timedelta(days=14)
    s.tick()
    assert posts(slack)[CHANNEL] == 2
    assert ReminderStore(db).get(reminder.id).status == "sent"  # type: ignore[union-attr]


# -- cancelling -----------------------------------------------------------------------------------------------------


def test_cancelled_reminders_are_not_sent_not_even_the_rest_of_a_fan_out(
    db: Database, slack: FakeSlack, clock: Clock
) -> None:
    store = ReminderStore(db)
    scheduled = remind(db, clock.now + timedelta(minutes=5))
    store.cancel(scheduled.id, by=HR)
    enrol(db, 120)
    fan_out = remind(db, clock.now, kind="learners", target=AWARD)
    _dead_worker(db, slack, clock, posted=5)  # 5 of a batch of 50 posted, 70 more waiting
    cancelled = store.cancel(fan_out.id, by=HR)
    assert cancelled.progress is not None and cancelled.progress.cancelled == 70
    clock.advance(minutes=10)
    s = scheduler(db, slack, clock)
    s.tick()
    assert posts(slack).total() == 5 and not posts(slack).get(CHANNEL)
    with db.transaction() as session:
        states = Counter(session.scalars(select(ReminderDelivery.status)))
    assert states == {"sent": 5, "cancelled": 115}
    with pytest.raises(ValueError, match=f"reminder #{fan_out.id} was already cancelled"):
        store.cancel(fan_out.id, by=HR)
    with pytest.raises(ValueError, match="there is no reminder #999"):
        store.cancel(999, by=HR)
    assert actions(db)["reminder_cancel"] == 2


def test_a_cancel_during_a_batch_reports_every_post_of_the_batch_in_hand(
    db: Database, slack: FakeSlack, clock: Clock
) -> None:
    """Posts are recorded when their batch ends: the reply waits for that, so it counts what was really posted."""
    enrol(db, 120)
    fan_out = remind(db, clock.now, kind="learners", target=AWARD)
    slack.delay_next("chat.postMessage", 0.04, times=200)
    s = scheduler(db, slack, clock)
    worker = threading.Thread(target=s.tick)
    worker.start()
    deadline = time.monotonic() + 10
    while posts_of(slack, fan_out, db).total() < 10 and time.monotonic() < deadline:
        time.sleep(0.01)
    cancelled = ReminderStore(db, settle_seconds=20).cancel(fan_out.id, by=HR)
    worker.join(30)
    posted = posts_of(slack, fan_out, db).total()
    assert 10 <= posted < 120
    assert cancelled.progress is not None and cancelled.progress.sent == posted
    assert cancelled.progress.sent + cancelled.progress.cancelled == 120


# -- several schedulers on one database ---------------------------------------------------------------------------


def test_schedulers_racing_on_one_database_post_each_delivery_once(database_url: str, slack: FakeSlack) -> None:
    """Three schedulers, each with its own engine (as separate processes would have), drain one fan-out."""
    dbs = [open_database(database_url) for _ in range(3)]
    try:
        learners = enrol(dbs[0], 300)
        now = utcnow()
        reminder = remind(dbs[0], now, kind="learners", target=AWARD)
        remind(dbs[0], now)
        config = ReminderSettings(send_timeout=2.0, lease_seconds=30.0, batch=20)
        schedulers = [
            Scheduler(d, SlackOutbox.connect(slack.bot_token, slack.url, 2.0), config, name=f"r{n}")
            for n, d in enumerate(dbs)
        ]
        barrier = threading.Barrier(len(schedulers))
        sent: list[int] = []

        def run(s: Scheduler) -> None:
            barrier.wait()
            for _ in range(3):
                sent.append(s.tick().sent)

        threads = [threading.Thread(target=run, args=(s,)) for s in schedulers]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert posts_of(slack, reminder, dbs[0]) == {f"D{u}": 1 for u in learners}
        assert posts(slack)[CHANNEL] == 1
        assert sum(sent) == 301
    finally:
        for d in dbs:
            d.dispose()


# -- reminders aimed at who needs them (issue 15) -----------------------------------------------------------


def narrowed(db: Database, due: datetime, audience: str) -> ReminderInfo:
    schedule = Schedule(due, None)
    return ReminderStore(db).create(
        created_by=HR,
        target_kind="learners",
        target=AWARD,
        text=audience,
        schedule=schedule,
        zone="UTC",
        audience=audience,
    )


def test_narrowed_reminders_reach_only_learners_not_achieved_or_stalled(
    db: Database, slack: FakeSlack, clock: Clock
) -> None:
    """Recipients are worked out when the reminder falls due, from the records as they are then."""
    store = LearnerStore(db)
    today = clock.now.date()
    for user in ("UDONE", "UBUSY", "USTALL"):
        store.enrol(user, AWARD, on=today - timedelta(days=90), actor="test")
    # The Award: 8577-304, 8577-305 and 8577-307 (see the brochure); UDONE has them all.
    store.record_units("UDONE", ["8577-304", "8577-305", "8577-307"], on=today, source="hr", actor="test")
    store.log_hours("UBUSY", 1, "tutorial", on=today - timedelta(days=3), actor="test", source="hr")
    not_achieved = narrowed(db, clock.now + timedelta(minutes=5), "not-achieved")
    stalled = narrowed(db, clock.now + timedelta(minutes=5), "stalled-30")
    everyone = remind(db, clock.now + timedelta(minutes=5), kind="learners", target=AWARD, text="Hello all")
    store.log_hours("USTALL", 1, "tutorial", on=today - timedelta(days=40), actor="test", source="hr")
    s = scheduler(db, slack, clock)
    clock.advance(minutes=5)
    s.tick()
    assert posts_of(slack, not_achieved, db) == {"DUBUSY": 1, "DUSTALL": 1}
    assert posts_of(slack, stalled, db) == {"DUSTALL": 1}
    assert posts_of(slack, everyone, db) == {"DUDONE": 1, "DUBUSY": 1, "DUSTALL": 1}


def test_a_narrowed_reminder_without_a_way_to_narrow_reaches_nobody(db: Database, clock: Clock) -> None:
    enrol(db, 3)
    narrowed(db, clock.now, "not-achieved")
    [started] = queue.start_due(db, clock.now, timedelta(hours=6), narrow=None)
    assert isinstance(started, queue.Started) and started.recipients == 0
