"""Batch throughput of ``ilm-bot ask --json`` and cold start of ``ilm-bot ask``, as separate processes.

* **Throughput**: the workload's turns, repeated with fresh user ids up to
  ``--lines`` JSON lines, piped through one ``ilm-bot ask --json`` process;
  questions per second = lines / wall time (start-up included), median of ``--runs``.
* **Cold start**: wall time of ``ilm-bot ask "how many credits is the award?"``
  (a new process, imports, knowledge load, one answer), over ``--cold-runs``
  runs after ``--cold-warmup`` discarded runs (those warm the OS file cache).
  Where the time goes is measured once in-process by a small timing script.

    .venv/bin/python -m benchmarks.bench_batch
    .venv/bin/python -m benchmarks.bench_batch --lines 10000 --runs 5 --cold-runs 30

Results: a summary on stdout and ``benchmarks/results/batch.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import RESULTS, load_workload, machine, summary, write_json

COLD_QUESTION = "how many credits is the award?"

#: Run in a fresh interpreter: where a cold ``ilm-bot ask`` spends its time.
_PHASES = """
import json, sys, time
t0 = time.perf_counter()
from bot.cli.main import main  # noqa: F401  (everything `ilm-bot` imports)
t1 = time.perf_counter()
from bot.core.brain import Brain
from bot.core.assistant import Assistant
brain = Brain.load()
t2 = time.perf_counter()
Assistant(brain).reply("local", sys.argv[1])
t3 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "brain_load_s": t2 - t1, "first_reply_s": t3 - t2}))
"""


def ilm_bot() -> str:
    """The ``ilm-bot`` script next to this interpreter (the venv's), else the one on PATH."""
    here = Path(sys.executable).with_name("ilm-bot")
    found = str(here) if here.exists() else shutil.which("ilm-bot")
    if not found:
        raise SystemExit("ilm-bot not found: install the project (pip install -e .) or activate the venv")
    return found


def batch_input(lines: int) -> str:
    """JSON lines from the workload: whole conversations, each pass with fresh users, until ``lines``."""
    workload = load_workload()
    out: list[str] = []
    rep = 0
    while len(out) < lines:
        for ci, turns in enumerate(workload):
            user = f"U{rep:03d}-{ci:04d}"
            out.extend(json.dumps({"user": user, "text": t}) for t in turns)
        rep += 1
    return "\n".join(out[:lines]) + "\n"


def run_batch(cmd: list[str], data: Path, lines: int, env: dict[str, str]) -> float:
    with data.open("rb") as stdin:
        start = time.perf_counter()
        proc = subprocess.run(cmd, stdin=stdin, capture_output=True, env=env, check=False)
        wall = time.perf_counter() - start
    answers = [line for line in proc.stdout.splitlines() if line.strip()]
    if proc.returncode != 0 or len(answers) != lines:
        raise SystemExit(
            f"batch run failed: exit {proc.returncode}, {len(answers)} answers for {lines} lines\n"
            f"{proc.stderr.decode(errors='replace')[-2000:]}"
        )
    return wall


def run_once(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, env=env, check=False)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.decode(errors='replace')[-2000:]}")
    return wall


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=10000, help="JSON lines per batch run")
    ap.add_argument("--runs", type=int, default=5, help="batch runs (the median is reported)")
    ap.add_argument("--cold-runs", type=int, default=20, help="timed cold starts")
    ap.add_argument("--cold-warmup", type=int, default=2, help="cold starts run first and discarded")
    ap.add_argument("--out", type=Path, default=RESULTS / "batch.json")
    args = ap.parse_args(argv)

    exe = ilm_bot()
    # The shipped knowledge, whatever the caller's environment says.
    env = {k: v for k, v in os.environ.items() if k not in ("ILM_KNOWLEDGE_DIR", "ILM_INTENTS_DIR")}
    info = machine()
    print(f"{info['cpu']}, {info['nproc']} CPUs, Python {info['python']}, load {info['loadavg_at_start']}")
    results: dict[str, Any] = {}

    # -- cold start --------------------------------------------------------------
    cold_cmd = [exe, "ask", COLD_QUESTION]
    python_cmd = [sys.executable, "-c", "pass"]
    for _ in range(args.cold_warmup):
        run_once(cold_cmd, env)
    cold = [run_once(cold_cmd, env) for _ in range(args.cold_runs)]
    bare = [run_once(python_cmd, env) for _ in range(args.cold_runs)]
    phases = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", _PHASES, COLD_QUESTION], capture_output=True, env=env, check=True, text=True
            ).stdout
        )
        for _ in range(5)
    ]
    results["cold_start"] = {
        "command": f"ilm-bot ask {COLD_QUESTION!r}",
        "runs": args.cold_runs,
        "seconds": {k: round(v, 4) if isinstance(v, float) else v for k, v in summary(cold).items()},
        "bare_python_startup_s": round(statistics.median(bare), 4),
        "phases_median_s": {k: round(statistics.median(p[k] for p in phases), 4) for k in phases[0]},
    }
    c = results["cold_start"]["seconds"]
    print(
        f"cold start: median {c['p50'] * 1e3:.0f} ms, p99 {c['p99'] * 1e3:.0f} ms, min {c['min'] * 1e3:.0f} ms "
        f"({args.cold_runs} runs); bare python {results['cold_start']['bare_python_startup_s'] * 1e3:.0f} ms; "
        f"phases {results['cold_start']['phases_median_s']}",
        flush=True,
    )

    # -- batch throughput ----------------------------------------------------------
    with tempfile.TemporaryDirectory(prefix="ilm-batch-") as tmp:
        data = Path(tmp) / "batch.jsonl"
        data.write_text(batch_input(args.lines), encoding="utf-8")
        batch_cmd = [exe, "ask", "--json"]
        walls = []
        for i in range(args.runs):
            walls.append(run_batch(batch_cmd, data, args.lines, env))
            print(f"batch run {i + 1}/{args.runs}: {args.lines} lines in {walls[-1]:.2f} s", flush=True)
    wall = statistics.median(walls)
    startup = results["cold_start"]["seconds"]["p50"]
    results["batch"] = {
        "command": "ilm-bot ask --json < batch.jsonl",
        "lines": args.lines,
        "runs": args.runs,
        "wall_s": [round(w, 3) for w in walls],
        "median_wall_s": round(wall, 3),
        "questions_per_s": round(args.lines / wall, 1),
        "questions_per_s_per_run": [round(args.lines / w, 1) for w in walls],
        # Answering alone: the median cold start (which includes one answer) taken off.
        "questions_per_s_excluding_startup": round(args.lines / max(wall - startup, 1e-9), 1),
    }
    b = results["batch"]
    print(
        f"batch: {b['questions_per_s']} questions/s median over {args.runs} runs "
        f"({b['questions_per_s_excluding_startup']} q/s without start-up)"
    )
    write_json({"benchmark": "batch", "machine": info, **results}, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
