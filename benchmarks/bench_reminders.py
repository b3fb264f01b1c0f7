"""A reminder fanned out to 5,000 learners against the fake Slack, with 429s injected: time, lost, duplicated.

The real scheduler (``bot.reminders.scheduler.Scheduler``, as ``ilm-bot serve``
runs it) on a real database, posting over real HTTP to the fake Slack Web API
from ``tests/fakeslack.py``. While it runs, a watcher injects a burst of
``--burst`` HTTP 429 answers (``Retry-After: --retry-after``) every
``--every`` posts. Afterwards every learner's DM conversation is counted:
lost = learners with no reminder, duplicated = reminders beyond the first.

    .venv/bin/python -m benchmarks.bench_reminders
    .venv/bin/python -m benchmarks.bench_reminders --database-url postgresql+psycopg://postgres@127.0.0.1:5432/ilm_bench
    .venv/bin/python -m benchmarks.bench_reminders --schedulers 2 --database-url postgresql+psycopg://…

Results: a summary on stdout and ``benchmarks/results/reminders-<database>.json``; written up in
``docs/reminders.md``.
A PostgreSQL URL gets a fresh schema of its own, dropped afterwards.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from benchmarks.common import REPO, RESULTS, machine, write_json
from bot.learners.learner import Enrol
from bot.learners.records import LearnerStore
from bot.reminders.config import ReminderSettings
from bot.reminders.outbox import EVENT_TYPE, SlackOutbox
from bot.reminders.scheduler import Scheduler, Tally
from bot.reminders.store import ReminderStore
from bot.reminders.when import Schedule
from bot.storage import open_database
from bot.storage.models import ReminderDelivery, utcnow

sys.path.insert(0, str(REPO / "tests"))
from fakeslack import FakeSlack  # the test suite's fake Slack, on purpose
from pgschema import fresh_schema

QUALIFICATION = "l3-award-mentoring"


@contextmanager
def database(url: str | None) -> Iterator[str]:
    """A SQLite file in a temporary directory, or a fresh schema in the PostgreSQL database ``url``."""
    if not url:
        with tempfile.TemporaryDirectory() as directory:
            yield f"sqlite:///{Path(directory) / 'bench.db'}"
        return
    with fresh_schema(url, prefix="bench") as scratch:
        yield scratch


def inject_429s(slack: FakeSlack, every: int, burst: int, retry_after: int, stop: threading.Event) -> list[int]:
    """Every ``every`` calls to the fake, make the next ``burst`` posts get 429; returns (live) when it fired."""
    fired: list[int] = []
    if burst <= 0:
        return fired

    def watch() -> None:
        next_at = every
        while not stop.wait(0.05):
            posts = slack.mark()  # calls so far: cheap, unlike filtering the list
            if posts >= next_at:
                slack.fail_next("chat.postMessage", retry_after=retry_after, times=burst)
                fired.append(posts)
                next_at += every

    threading.Thread(target=watch, daemon=True).start()
    return fired


def count(slack: FakeSlack, learners: list[str]) -> tuple[int, int]:
    """(lost, duplicated): learners without the reminder, and reminders beyond each learner's first."""
    per_channel = Counter(
        channel
        for (channel, _ts), message in list(slack.messages.items())
        if (message.get("metadata") or {}).get("event_type") == EVENT_TYPE
    )
    lost = sum(1 for u in learners if per_channel[f"D{u}"] == 0)
    duplicated = sum(max(0, per_channel[f"D{u}"] - 1) for u in learners)
    return lost, duplicated


def run(args: argparse.Namespace) -> dict[str, Any]:
    learners = [f"UB{n:06d}" for n in range(args.learners)]
    settings = ReminderSettings(send_timeout=10.0, lease_seconds=60.0)
    with database(args.database_url) as url, FakeSlack(socket_mode=False) as slack:
        dbs = [open_database(url) for _ in range(args.schedulers)]
        try:
            setup = time.perf_counter()
            LearnerStore(dbs[0]).apply([Enrol(u, QUALIFICATION, date(2026, 1, 5)) for u in learners], actor="bench")
            setup = time.perf_counter() - setup
            schedulers = [
                Scheduler(d, SlackOutbox.connect(slack.bot_token, slack.url, settings.send_timeout), settings)
                for d in dbs
            ]
            reminder = ReminderStore(dbs[0]).create(
                created_by="UHRBENCH",
                target_kind="learners",
                target=QUALIFICATION,
                text="Your portfolio is due on Friday",
                schedule=Schedule(utcnow()),
                zone="UTC",
            )
            stop = threading.Event()
            fired = inject_429s(slack, args.every, args.burst, args.retry_after, stop)
            tallies: list[Tally] = []
            started = time.perf_counter()

            def drain(s: Scheduler) -> None:
                while True:
                    tally = s.tick()
                    tallies.append(tally)
                    info = ReminderStore(s.db).get(reminder.id)
                    if info is not None and info.status == "sent":
                        return
                    time.sleep(settings.poll_seconds)

            threads = [threading.Thread(target=drain, args=(s,)) for s in schedulers]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - started
            stop.set()
            lost, duplicated = count(slack, learners)
            with dbs[0].transaction() as session:
                states = Counter(session.scalars(select(ReminderDelivery.status)))
            rate_limited = sum(1 for c in slack.calls_to("chat.postMessage") if c.status == 429)
        finally:
            for d in dbs:
                d.dispose()
    return {
        "learners": args.learners,
        "database": "postgresql" if args.database_url else "sqlite",
        "schedulers": args.schedulers,
        "injected_429": {"every_posts": args.every, "burst": args.burst, "retry_after_s": args.retry_after},
        "bursts_fired": len(fired),
        "responses_429": rate_limited,
        "seconds": round(elapsed, 2),
        "seconds_waiting_for_retry_after": rate_limited * args.retry_after,
        "posts_per_second": round(args.learners / elapsed, 1),
        "lost": lost,
        "duplicated": duplicated,
        "delivery_states": dict(states),
        "sent_by_scheduler_ticks": sum(t.sent for t in tallies),
        "enrolment_setup_seconds": round(setup, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_reminders", description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=5000)
    parser.add_argument("--every", type=int, default=500, help="inject a burst of 429s every N posts (default 500)")
    parser.add_argument("--burst", type=int, default=2, help="429 answers per burst (default 2)")
    parser.add_argument("--retry-after", type=int, default=1, help="Retry-After of each 429, seconds (default 1)")
    parser.add_argument("--schedulers", type=int, default=1, help="schedulers, each with its own engine (default 1)")
    parser.add_argument("--database-url", default=None, help="PostgreSQL to use (default: a temporary SQLite file)")
    parser.add_argument("--out", type=Path, default=None, help="default: results/reminders-<database>.json")
    args = parser.parse_args(argv)
    out = args.out or RESULTS / f"reminders-{'postgresql' if args.database_url else 'sqlite'}.json"
    facts = machine()  # before the run: its load average is the one the run started under
    result = run(args)
    print(
        f"{result['learners']:,} DMs on {result['database']} with {result['schedulers']} scheduler(s): "
        f"{result['seconds']} s ({result['posts_per_second']}/s), {result['responses_429']} × 429 "
        f"({result['seconds_waiting_for_retry_after']} s of Retry-After), "
        f"lost {result['lost']}, duplicated {result['duplicated']}"
    )
    write_json(
        {
            "machine": facts,
            "command": " ".join(["python -m benchmarks.bench_reminders", *sys.argv[1:]]),
            "result": result,
        },
        out,
    )
    return 0 if result["lost"] == 0 and result["duplicated"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
