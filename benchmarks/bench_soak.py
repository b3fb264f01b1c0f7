"""A bounded soak: one `ilm-bot serve` answering a steady stream of DMs for minutes; does its memory grow?

Same set-up as ``bench_http`` (the real bot process on loopback, signed events
from an open-loop load generator, the fake Slack in its own process), at a
moderate rate for ``--minutes``. The bot's resident memory (``VmRSS`` from
``/proc/<pid>/status``) is sampled every ``--sample-seconds``.

Why the second half: the first minutes include warm-up that is not a leak
(the engine's word caches filling, the database's connection pool and page
cache, the allocator's arenas). A leak shows as a steady slope once that is
done, so the verdict is the least-squares slope over the second half of the
samples, in MB per minute, against ``--max-slope`` (default 0.2 MB/min, 12 MB
an hour: far below what a per-request leak at this rate would give, since
even 1 KB lost per message is 1.8 MB/min at 30/s).

By default 10% of messages get a word never seen before ("…, thanks,
<word>"), as real messages carry names and typos; the engine remembers word
look-ups in bounded LRU caches, and unbounded growth there would show up here.

    .venv/bin/python -m benchmarks.bench_soak                 # 30 events/s for 10 minutes, SQLite
    .venv/bin/python -m benchmarks.bench_soak --minutes 2     # a quicker look

Results: ``benchmarks/results/soak.json``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks.bench_http import (
    Bot,
    FakeSlackProcess,
    add_load_arguments,
    bot_env,
    cpu_seconds,
    database,
    make_events,
    match,
    results_of,
    rss_mb,
    run_load,
    wait_for_answers,
)
from benchmarks.common import RESULTS, load_workload, machine, write_json


def slope_per_minute(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MB) points, in MB per minute."""
    if len(points) < 2:
        return float("nan")
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return statistics.linear_regression(xs, ys).slope * 60


def sample(pid: int, every: float, stop: threading.Event, out: list[dict[str, float]]) -> None:
    """Append {t, rss_mb, cpu_s} for ``pid`` every ``every`` seconds until ``stop`` (t from the first sample)."""
    t0 = time.monotonic()
    while True:
        out.append({"t": round(time.monotonic() - t0, 2), "rss_mb": round(rss_mb(pid), 2), "cpu_s": cpu_seconds(pid)})
        if stop.wait(every):
            return


def verdict(samples: list[dict[str, float]], max_slope: float) -> dict[str, Any]:
    """First, last and max RSS, slopes over the whole run and its second half, and whether memory grows."""
    points = [(s["t"], s["rss_mb"]) for s in samples]
    half = points[len(points) // 2 :]
    first_half = points[: len(points) // 2] or points
    second_slope = slope_per_minute(half)
    return {
        "samples": len(points),
        "first_mb": points[0][1],
        "last_mb": points[-1][1],
        "max_mb": max(p[1] for p in points),
        "max_first_half_mb": max(p[1] for p in first_half),
        "max_second_half_mb": max(p[1] for p in half),
        "slope_mb_per_min_all": round(slope_per_minute(points), 4),
        "slope_mb_per_min_second_half": round(second_slope, 4),
        "projected_mb_per_hour": round(second_slope * 60, 2),
        "max_slope_mb_per_min": max_slope,
        "memory_grows": bool(second_slope > max_slope),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    duration = args.minutes * 60
    count = int(args.rate * duration)
    events = make_events(count, args.users, load_workload(), fresh_fraction=args.fresh_words)
    workdir = Path(tempfile.mkdtemp(prefix="ilm-bench-soak-"))
    try:
        with FakeSlackProcess() as slack, database(args.database_url, workdir) as url:
            bot = Bot(slack.env, workdir / "bot.log", bot_env(url))
            try:
                mark = slack.mark()
                samples: list[dict[str, float]] = []
                stop = threading.Event()
                sampler = threading.Thread(target=sample, args=(bot.pid, args.sample_seconds, stop, samples))
                sampler.start()
                started = time.monotonic()
                print(f"soak: {count} events at {args.rate}/s for {args.minutes} min...", flush=True)

                def progress(i: int) -> None:
                    if i % int(args.rate * 60) == 0:
                        print(
                            f"  {time.monotonic() - started:.0f} s: {i} sent, RSS {samples[-1]['rss_mb']} MB",
                            flush=True,
                        )

                sent = run_load(events, [bot], slack.secret, args.rate, workers=args.workers, progress=progress)
                stop.set()
                sampler.join()
                posts, waited = wait_for_answers(slack, mark, count, args.drain_timeout)
                fake_cpu = cpu_seconds(slack.pid)
            finally:
                bot.stop()
            levels = bot.log_levels()
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return {
        "rss": verdict(samples, args.max_slope),
        "load": {
            **results_of(sent, args.rate, duration),
            **match(sent, posts),
            "waited_for_answers_s": round(waited, 2),
        },
        "bot_cpu_seconds": round(samples[-1]["cpu_s"] - samples[0]["cpu_s"], 2),
        "fake_slack_cpu_seconds": round(fake_cpu, 2),
        "bot_log_levels": levels,
        "samples": samples,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_soak", description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="length of the soak (default 10)")
    parser.add_argument("--sample-seconds", type=float, default=10.0, help="RSS sampling interval (default 10)")
    parser.add_argument("--fresh-words", type=float, default=0.1, help="share of messages with a new word (0.1)")
    parser.add_argument("--max-slope", type=float, default=0.2, help="MB/min over the second half that means growth")
    add_load_arguments(parser, rate=30.0, users=1000)
    parser.add_argument("--out", type=Path, default=RESULTS / "soak.json")
    args = parser.parse_args(argv)
    facts = machine()
    result = run(args)
    rss, load = result["rss"], result["load"]
    print(
        f"RSS first {rss['first_mb']} MB, last {rss['last_mb']} MB, max {rss['max_mb']} MB; slope over the second "
        f"half {rss['slope_mb_per_min_second_half']} MB/min ({rss['projected_mb_per_hour']} MB/h): "
        f"{'GROWS' if rss['memory_grows'] else 'does not grow'}\n"
        f"sent {load['sent']}, acked within 3 s {load['acked_within_3s_percent']}%, delivered {load['delivered']}, "
        f"ack p99 {load['ack_ms']['p99']:.1f} ms"
    )
    settings = {
        "rate": args.rate,
        "minutes": args.minutes,
        "users": args.users,
        "fresh_words": args.fresh_words,
        "sample_seconds": args.sample_seconds,
        "database": "postgresql" if args.database_url else "sqlite",
        "pythonpath": os.environ.get("PYTHONPATH"),
    }
    command = " ".join(["python -m benchmarks.bench_soak", *(argv if argv is not None else sys.argv[1:])])
    write_json(
        {"benchmark": "soak", "machine": facts, "command": command, "settings": settings, "result": result}, args.out
    )
    return 1 if rss["memory_grows"] else 0


if __name__ == "__main__":
    sys.exit(main())
