"""The scheduler: starts due reminders, posts their deliveries exactly once, and recovers after a crash.

``tick`` does one pass and returns what it did, so tests drive it with an
injected clock; ``start`` runs it every ``poll_seconds`` in a daemon thread
beside the Slack server (``ilm-bot serve``).

Exactly once, per delivery row:

1. A row is posted only by the scheduler holding its claim, and only while
   the claim is younger than ``lease - 2 x send_timeout``. The request then
   ends (answer or timeout) before ``lease - send_timeout``, leaving one
   more timeout's margin for a request still in Slack's hands.
2. Outcomes that prove nothing was posted (429, an ``ok: false`` refusal, a
   post never started) give the row back or fail it. Posts that succeeded
   are recorded with their ``ts`` and audit entries when the batch ends, in
   one transaction (a crash before that is step 3's case).
3. A crash (``kill -9``), a timeout or a dropped connection leaves the row
   ``sending``. Once its lease has expired, whichever scheduler claims it
   reads the conversation back (``Outbox.find``): the message is there
   (recorded as sent) or it is not (the row becomes pending and is posted).
   If the history can't be read, the row fails rather than risk a second post.

Rate limits: on 429 the scheduler sleeps ``Retry-After`` and carries on
with the same row; if the wait would outlast the claim, the unposted rows
go back and posting pauses for ``Retry-After``.
"""

from __future__ import annotations

import functools
import itertools
import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.knowledge import load_knowledge
from bot.knowledge.models import Knowledge
from bot.reminders import audience, messages, queue
from bot.reminders.config import ReminderSettings
from bot.reminders.outbox import Outbox, OutcomeUnknownError, RateLimitedError, RefusedError, SlackOutbox
from bot.reminders.queue import Job
from bot.reminders.when import zone
from bot.runtime import metrics
from bot.storage import retention
from bot.storage.database import Database
from bot.storage.models import utcnow

log = logging.getLogger("ilm_bot.reminders")

#: Posting pauses this long after a post whose outcome is unknown (Slack or the network is struggling).
UNKNOWN_BACKOFF = 5.0
#: Messages are looked for from this long before the occurrence started, for clocks that disagree.
CLOCK_MARGIN = timedelta(minutes=1)
#: How often old conversation data is purged (ILM_RETENTION_DAYS); a day's retention is the finest setting.
PURGE_EVERY = timedelta(hours=1)


@dataclass
class Tally:
    """What one ``tick`` did."""

    started: int = 0
    missed: int = 0
    sent: int = 0
    failed: int = 0
    recovered: int = 0
    reposted: int = 0
    rate_limited: int = 0
    unknown: int = 0
    finished: list[queue.Finished] = field(default_factory=list)


class Scheduler:
    def __init__(
        self,
        db: Database,
        outbox: Outbox,
        settings: ReminderSettings,
        *,
        title: Callable[[str], str] = str,
        clock: Callable[[], datetime] = utcnow,
        sleep: Callable[[float], None] = time.sleep,
        name: str | None = None,
        retention_days: int | None = None,
        knowledge: Callable[[], Knowledge] | None = None,
    ) -> None:
        """``title`` names a qualification id in notices; ``clock`` and ``sleep`` are injectable for tests.

        ``retention_days``: also delete old conversation data (``bot.storage.retention``) about hourly.
        ``knowledge``: the knowledge being served, for reminders narrowed to learners who have not
        achieved a qualification or are stalled (default: the knowledge files, loaded once).
        """
        self.db = db
        self.outbox = outbox
        self.settings = settings
        self.title = title
        self.clock = clock
        self.sleep = sleep
        self.name = name or uuid.uuid4().hex[:16]
        self._claims = itertools.count(1)
        #: Set to stop: the post in hand finishes, the rest of the batch is given back (``Running.stop``).
        self.stopping = threading.Event()
        self._paused_until: datetime | None = None
        self._last_reminder = 0
        self.retention_days = retention_days
        self.narrow = audience.narrower(knowledge or _shipped_knowledge())
        self._next_purge: datetime | None = None

    # -- one pass ---------------------------------------------------------------------------------

    def tick(self) -> Tally:
        tally = Tally()
        self._start_due(tally)
        if not self._paused():
            self._recover(tally)
        for _ in range(2):  # a second round sends the notices about occurrences the first one closed
            self._drain(tally)
            finished = queue.finish(self.db, self.clock())
            tally.finished.extend(finished)
            if not finished:
                break
        return tally

    def _drain(self, tally: Tally) -> None:
        """Post pending deliveries batch by batch, a reminder at a time in turn, until none are left."""
        while not self._paused() and not self.stopping.is_set():
            jobs = queue.claim(
                self.db,
                self.clock(),
                self._claim_id(),
                self.settings.batch,
                after_reminder=self._last_reminder,
                not_before=self.clock() - self.settings.grace,
            )
            if not jobs:
                return
            self._last_reminder = jobs[0].reminder_id
            self._deliver(jobs, tally)
            self._start_due(tally)  # reminders due meanwhile take their turn in the rotation

    def _start_due(self, tally: Tally) -> None:
        now = self.clock()
        for event in queue.start_due(self.db, now, self.settings.grace, narrow=self.narrow):
            if isinstance(event, queue.Missed):
                tally.missed += 1
            else:
                tally.started += 1
        tally.failed += queue.expire_pending(self.db, now, self.settings.grace)

    def _claim_id(self) -> str:
        return f"{self.name}/{next(self._claims)}"

    def _paused(self) -> bool:
        return self._paused_until is not None and self.clock() < self._paused_until

    def _pause(self, seconds: float) -> None:
        self._paused_until = self.clock() + timedelta(seconds=seconds)

    # -- posting ------------------------------------------------------------------------------------

    def _deliver(self, jobs: list[Job], tally: Tally) -> None:
        """Post each claimed row once, while the claim is young enough for the post to end inside it.

        Confirmed posts are recorded together when the batch ends (one commit, not one per post).
        """
        sent: list[queue.Sent] = []
        try:
            self._post_batch(jobs, sent, tally)
        finally:
            if queue.record_sent(self.db, sent, self.clock()):
                log.error("reminder deliveries: a claim was lost while posting")
            tally.sent += len(sent)

    def _post_batch(self, jobs: list[Job], sent: list[queue.Sent], tally: Tally) -> None:
        s = self.settings
        deadline = jobs[0].claimed_at + s.lease - timedelta(seconds=2 * s.send_timeout)
        for i, job in enumerate(jobs):
            while True:
                if self.clock() >= deadline or self.stopping.is_set():
                    queue.release(self.db, jobs[i:])
                    return
                try:
                    posted = self.outbox.post(job.recipient, self._text(job), job.id)
                except RateLimitedError as exc:
                    tally.rate_limited += 1
                    if self.clock() + timedelta(seconds=exc.retry_after) >= deadline:
                        queue.release(self.db, jobs[i:])
                        self._pause(exc.retry_after)
                        return
                    self.sleep(exc.retry_after)
                    continue
                except RefusedError as exc:
                    queue.mark_failed(self.db, job, exc.error)
                    tally.failed += 1
                except OutcomeUnknownError as exc:  # left 'sending': read back after the lease, never re-posted blind
                    log.warning("reminder delivery %d: outcome unknown (%s); will check Slack", job.id, exc)
                    tally.unknown += 1
                    queue.release(self.db, jobs[i + 1 :])
                    self._pause(UNKNOWN_BACKOFF)
                    return
                else:
                    sent.append(queue.Sent(job, posted.channel, posted.ts))
                break

    def _recover(self, tally: Tally) -> None:
        """Settle posts in doubt: found in Slack → sent; not there → pending again; unreadable → failed."""
        s = self.settings
        for job in queue.claim_stale(self.db, self.clock(), s.lease, self._claim_id(), s.batch):
            try:
                found = self.outbox.find(job.recipient, job.id, since=job.occurrence - CLOCK_MARGIN)
            except RateLimitedError as exc:
                self._pause(exc.retry_after)  # the rest stay claimed and are taken again after the lease
                return
            except OutcomeUnknownError:
                self._pause(UNKNOWN_BACKOFF)
                return
            except RefusedError as exc:  # the post can't be confirmed: fail it rather than risk a duplicate
                log.warning("reminder delivery %d: cannot check Slack (%s); not re-posting", job.id, exc.error)
                queue.mark_failed(self.db, job, f"unverified: {exc.error}")
                tally.failed += 1
                continue
            if found is not None:
                queue.record_sent(self.db, [queue.Sent(job, found.channel, found.ts, recovered=True)], self.clock())
                tally.recovered += 1
            else:
                queue.release(self.db, [job])
                tally.reposted += 1

    def _text(self, job: Job) -> str:
        """The reminder as HR wrote it; or the notice to its creator."""
        if job.purpose == "reminder":
            return job.text
        tz = zone(job.zone)
        label = messages.target_label(job.target_kind, job.target, self.title)
        if job.purpose == "missed":
            return messages.missed_notice(job.reminder_id, label, job.occurrence, tz, self.settings.grace)
        sent, total, errors = queue.failure_counts(self.db, job.reminder_id, job.occurrence)
        return messages.failed_notice(job.reminder_id, label, job.occurrence, tz, sent, total, errors)

    # -- in the background --------------------------------------------------------------------------

    def run(self) -> None:
        """Tick every ``poll_seconds`` until stopped; a failed pass (database blip) is logged and retried."""
        while not self.stopping.is_set():
            try:
                count(self.tick())
            except Exception as exc:
                log.warning("reminder pass failed: %s", type(exc).__name__)
            try:
                self.purge_if_due()
            except Exception as exc:
                log.warning("retention purge failed: %s", type(exc).__name__)
            self.stopping.wait(self.settings.poll_seconds)

    def purge_if_due(self) -> retention.Purged | None:
        """Delete conversation data older than the retention period, at most once per ``PURGE_EVERY``."""
        now = self.clock()
        if self.retention_days is None or (self._next_purge is not None and now < self._next_purge):
            return None
        self._next_purge = now + PURGE_EVERY
        purged = retention.purge(self.db, now, self.retention_days)
        if purged.anything:
            log.info("retention: deleted data older than %d days: %s", self.retention_days, purged)
        return purged

    def start(self) -> Running:
        """Run in a daemon thread until ``Running.stop``."""
        thread = threading.Thread(target=self.run, name="reminders", daemon=True)
        thread.start()
        return Running(self, thread)


@dataclass(frozen=True)
class Running:
    """A scheduler running in its thread."""

    scheduler: Scheduler
    thread: threading.Thread

    def stop(self, timeout: float) -> bool:
        """Stop after the post in hand (its batch's unposted rows go back); False if it outlasted ``timeout``."""
        self.scheduler.stopping.set()
        self.thread.join(max(timeout, 0.0))
        return not self.thread.is_alive()


def _shipped_knowledge() -> Callable[[], Knowledge]:
    """The knowledge files, loaded on first use (only a narrowed reminder needs them)."""
    return functools.cache(load_knowledge)


def count(tally: Tally) -> None:
    """Deliveries for /metrics: delivered (including those found already posted), missed, failed."""
    metrics.REMINDERS.labels("delivered").inc(tally.sent + tally.recovered)
    metrics.REMINDERS.labels("missed").inc(tally.missed)
    metrics.REMINDERS.labels("failed").inc(tally.failed)


def start_in_background(
    db: Database,
    settings: ReminderSettings,
    *,
    token: str,
    api_url: str,
    title: Callable[[str], str],
    retention_days: int | None = None,
    knowledge: Callable[[], Knowledge] | None = None,
) -> Running:
    """The scheduler ``ilm-bot serve`` runs beside the Slack app, with a Slack client of its own."""
    outbox = SlackOutbox.connect(token, api_url, settings.send_timeout)
    log.info("reminder scheduler started (poll every %gs, grace %s)", settings.poll_seconds, settings.grace)
    scheduler = Scheduler(db, outbox, settings, title=title, retention_days=retention_days, knowledge=knowledge)
    return scheduler.start()
