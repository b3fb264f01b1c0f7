"""Cold start and resident memory of `ilm-bot serve` and `ilm-bot ask`, at the shipped size and at 100× knowledge.

For each scale (1 = the shipped ``knowledge/`` and ``intents/``; N > 1 =
``benchmarks.synthetic`` output, through ``ILM_KNOWLEDGE_DIR`` /
``ILM_INTENTS_DIR``):

* **serve**: time from starting ``ilm-bot serve`` (HTTP mode, against the fake
  Slack in its own process) to the first ``/readyz`` 200, polled every 10 ms;
  its ``VmRSS`` at that moment and one second later. One discarded start first
  creates and migrates the SQLite database and warms the OS file cache, so the
  runs measured are restarts of a deployed bot, as a rolling update or a crash
  makes them. The last run then answers ``--questions`` DMs (1,000) over HTTP
  through the whole stack, and ``VmRSS`` and ``VmHWM`` (the peak) are read after
  the last answer: the memory of a bot that has been working, not just started.
* **ask**: wall time of ``ilm-bot ask "how many credits is the award?"`` as a new
  process, and its peak RSS (``ru_maxrss`` from ``wait4``), after one discarded
  run.

Why these: the issue asks for cold start and resident memory at the shipped
size and at 100×; a replica restart pays the serve figure, and every
container's memory limit must cover the working RSS.

    .venv/bin/python -m benchmarks.bench_memory            # scales 1 and 100 (~3 min)

Results: ``benchmarks/results/memory.json``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.bench_http import (
    ILM_BOT,
    Bot,
    FakeSlackProcess,
    bot_env,
    make_events,
    match,
    proc_status,
    results_of,
    run_load,
    wait_for_answers,
)
from benchmarks.common import RESULTS, load_workload, machine, parse_scales, write_json
from benchmarks.synthetic import INTENTS, KNOWLEDGE, write

QUESTION = "how many credits is the award?"


def serve_runs(
    slack: FakeSlackProcess, env: dict[str, str], runs: int, questions: int, rate: float, workdir: Path
) -> dict[str, Any]:
    """``runs`` timed starts of ``ilm-bot serve`` after one discarded; the last one answers ``questions`` DMs."""
    ready: list[float] = []
    rss_at_ready: list[float] = []
    rss_settled: list[float] = []
    worked: dict[str, Any] = {}
    for n in range(runs + 1):
        bot = Bot(slack.env, workdir / f"serve{n}.log", env)
        try:
            at_ready = proc_status(bot.pid).get("VmRSS", float("nan"))
            time.sleep(1.0)
            settled = proc_status(bot.pid).get("VmRSS", float("nan"))
            if n == 0:
                continue  # creates the database, warms the file cache
            ready.append(bot.ready_seconds)
            rss_at_ready.append(at_ready)
            rss_settled.append(settled)
            if n == runs and questions:
                worked = answer_questions(slack, bot, questions, rate)
        finally:
            bot.stop()
    return {
        "runs": runs,
        "ready_seconds": [round(x, 3) for x in ready],
        "ready_seconds_median": round(statistics.median(ready), 3),
        "rss_mb_at_ready": [round(x, 1) for x in rss_at_ready],
        "rss_mb_at_ready_median": round(statistics.median(rss_at_ready), 1),
        "rss_mb_1s_after_ready_median": round(statistics.median(rss_settled), 1),
        "after_questions": worked,
    }


def answer_questions(slack: FakeSlackProcess, bot: Bot, count: int, rate: float) -> dict[str, Any]:
    """Send ``count`` workload DMs to ``bot`` at ``rate``/s, wait for every answer, then read its memory."""
    events = make_events(count, min(count, 200), load_workload())
    mark = slack.mark()
    sent = run_load(events, [bot], slack.secret, rate)
    posts, _ = wait_for_answers(slack, mark, count, timeout=120.0, quiet=0.5)
    status = proc_status(bot.pid)
    load = {**results_of(sent, rate, count / rate), **match(sent, posts)}
    return {
        "questions": count,
        "delivered": load["delivered"],
        "acked_within_3s": load["acked_within_3s"],
        "rss_mb": round(status.get("VmRSS", float("nan")), 1),
        "peak_rss_mb": round(status.get("VmHWM", float("nan")), 1),
        "ack_ms": {k: round(load["ack_ms"][k], 1) for k in ("p50", "p99", "max")},
        "answer_delay_ms": {k: round(v, 1) for k, v in (load["answer_delay_ms"] or {}).items() if k != "n"},
    }


def ask_runs(env: dict[str, str], runs: int) -> dict[str, Any]:
    """Wall time and peak RSS of ``ilm-bot ask QUESTION`` as a new process, ``runs`` times after one discarded."""
    environ = {**os.environ, **env}
    walls: list[float] = []
    peaks: list[float] = []
    answer = ""
    for n in range(runs + 1):
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            started = time.perf_counter()
            proc = subprocess.Popen([ILM_BOT, "ask", QUESTION], env=environ, stdout=out, stderr=err)
            _, status, usage = os.wait4(proc.pid, 0)  # not proc.wait(): wait4 also gives the child's peak RSS
            wall = time.perf_counter() - started
            proc.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            err.seek(0)
            if proc.returncode != 0:
                raise RuntimeError(f"ilm-bot ask failed ({proc.returncode}): {err.read().decode()[-2000:]}")
            answer = out.read().decode().strip()
        if n == 0:
            continue
        walls.append(wall)
        peaks.append(usage.ru_maxrss / 1024)
    return {
        "runs": runs,
        "wall_seconds": [round(x, 3) for x in walls],
        "wall_seconds_median": round(statistics.median(walls), 3),
        "peak_rss_mb": [round(x, 1) for x in peaks],
        "peak_rss_mb_median": round(statistics.median(peaks), 1),
        "answer": answer[:200],
    }


def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    workdir = Path(tempfile.mkdtemp(prefix="ilm-bench-memory-"))
    results: list[dict[str, Any]] = []
    try:
        with FakeSlackProcess() as slack:
            for scale in parse_scales(args.scales):
                knowledge = None if scale == 1 else write(workdir / f"scale{scale}", scale)
                env = bot_env(f"sqlite:///{workdir / f'scale{scale}.db'}", knowledge)
                if knowledge is None:  # the shipped knowledge, whatever the caller's environment says
                    env["ILM_KNOWLEDGE_DIR"], env["ILM_INTENTS_DIR"] = str(KNOWLEDGE), str(INTENTS)
                runs = args.runs if scale == 1 else args.large_runs
                print(f"scale {scale}: serve x{runs + 1}, ask x{runs + 1}...", flush=True)
                serve = serve_runs(slack, env, runs, args.questions, args.rate, workdir)
                ask = ask_runs(env, runs)
                results.append({"scale": scale, "serve": serve, "ask": ask})
                worked = serve["after_questions"]
                print(
                    f"  serve ready {serve['ready_seconds_median']} s, RSS {serve['rss_mb_at_ready_median']} MB at "
                    f"ready, {worked.get('rss_mb')} MB after {worked.get('questions')} answers "
                    f"(peak {worked.get('peak_rss_mb')}); ask {ask['wall_seconds_median']} s, "
                    f"peak RSS {ask['peak_rss_mb_median']} MB",
                    flush=True,
                )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_memory", description=__doc__.split("\n")[0])
    parser.add_argument("--scales", default="1,100", help="knowledge scales (default 1,100)")
    parser.add_argument("--runs", type=int, default=5, help="measured starts at scale 1 (default 5)")
    parser.add_argument("--large-runs", type=int, default=3, help="measured starts at larger scales (default 3)")
    parser.add_argument("--questions", type=int, default=1000, help="DMs answered before the working RSS (1,000)")
    parser.add_argument("--rate", type=float, default=100.0, help="rate of those DMs per second (default 100)")
    parser.add_argument("--out", type=Path, default=RESULTS / "memory.json")
    args = parser.parse_args(argv)
    facts = machine()
    results = run(args)
    settings = {k: getattr(args, k) for k in ("scales", "runs", "large_runs", "questions", "rate")}
    settings["pythonpath"] = os.environ.get("PYTHONPATH")
    command = " ".join(["python -m benchmarks.bench_memory", *(argv if argv is not None else sys.argv[1:])])
    write_json(
        {"benchmark": "memory", "machine": facts, "command": command, "settings": settings, "results": results},
        args.out,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
