"""In-process answer latency of ``Assistant.reply``, on the shipped knowledge and on synthetic knowledge N times larger.

For each scale: build the knowledge (timing each loading step), answer the
whole workload once to warm up, then time every ``reply`` with
``time.perf_counter_ns`` over repeated passes of the workload. Every pass uses
fresh user ids, so multi-turn cases replay their context exactly.

    .venv/bin/python -m benchmarks.bench_latency                      # scales 1,10,100
    .venv/bin/python -m benchmarks.bench_latency --scales 1 --repeat 20
    .venv/bin/python -m benchmarks.bench_latency --scales 100 --profile

Results: a table on stdout and ``benchmarks/results/latency.json``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import math
import pstats
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import synthetic
from benchmarks.common import RESULTS, Conversation, load_workload, machine, parse_scales, summary, write_json
from bot.core.assistant import Assistant
from bot.core.brain import Brain, content_hash
from bot.knowledge import load_knowledge
from bot.nlu.intents import default_intents_dir, load_intents

MS = 1e6  # nanoseconds per millisecond


def build(kdir: Path, idir: Path) -> tuple[Brain, dict[str, float]]:
    """What ``Brain.load`` does, step by step, with the seconds each step took."""
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    knowledge = load_knowledge(kdir)
    t1 = time.perf_counter()
    intents = load_intents(idir)
    t2 = time.perf_counter()
    version = content_hash(kdir, idir)
    t3 = time.perf_counter()
    brain = Brain.build(knowledge, intents, version)
    t4 = time.perf_counter()
    times.update(
        load_knowledge_s=t1 - t0, load_intents_s=t2 - t1, content_hash_s=t3 - t2, brain_build_s=t4 - t3, total_s=t4 - t0
    )
    return brain, times


def run_pass(assistant: Assistant, workload: list[Conversation], tag: str) -> list[tuple[int, int, int]]:
    """Answer every turn once; return (case, turn, nanoseconds) per reply."""
    out: list[tuple[int, int, int]] = []
    clock = time.perf_counter_ns
    reply = assistant.reply
    for ci, turns in enumerate(workload):
        user = f"{tag}-{ci}"
        for ti, text in enumerate(turns):
            start = clock()
            reply(user, text)
            out.append((ci, ti, clock() - start))
    return out


def profile_pass(assistant: Assistant, workload: list[Conversation], path: Path) -> list[dict[str, Any]]:
    """One profiled pass; the full report goes to ``path``, the top functions (own time) are returned."""
    prof = cProfile.Profile()
    prof.enable()
    run_pass(assistant, workload, "profile")
    prof.disable()
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf)
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(30)
    path.write_text(buf.getvalue(), encoding="utf-8")
    total = sum(row[2] for row in stats.stats.values()) or 1.0  # type: ignore[attr-defined]
    rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:12]  # type: ignore[attr-defined]
    return [
        {
            "function": f"{Path(file).name}:{line}({name})",
            "calls": calls,
            "own_s": round(tottime, 3),
            "own_share": round(tottime / total, 3),
            "cumulative_s": round(cumtime, 3),
        }
        for (file, line, name), (_, calls, tottime, cumtime, _) in rows
    ]


def bench_scale(scale: int, workload: list[Conversation], args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    t0 = time.perf_counter()
    shipped_k, shipped_i = workdir / "shipped" / "knowledge", workdir / "shipped" / "intents"
    if scale == 1:
        kdir, idir = shipped_k, shipped_i
    else:
        kdir, idir = synthetic.write(workdir / f"scale-{scale}", scale, args.seed, shipped_k, shipped_i)
    generate_s = time.perf_counter() - t0
    brain, load_times = build(kdir, idir)
    assistant = Assistant(brain)
    turns = sum(len(c) for c in workload)
    print(
        f"scale {scale}: {len(brain.knowledge.qualifications)} qualifications, {len(brain.knowledge.units)} units, "
        f"{len(brain.matcher.keys)} intent examples; built in {load_times['total_s']:.2f} s",
        flush=True,
    )

    # A probe on every 20th conversation estimates the cost of a reply; when a full pass
    # would not fit the time budget, every k-th conversation is used instead (k as small as fits).
    probe = workload[::20]
    t_probe = time.perf_counter()
    run_pass(assistant, probe, "probe")
    per_turn_s = (time.perf_counter() - t_probe) / sum(len(c) for c in probe)
    stride = 1 if args.repeat else max(1, math.ceil(per_turn_s * turns / args.max_seconds))
    workload = workload[::stride]
    turns = sum(len(c) for c in workload)

    t_warm = time.perf_counter()
    run_pass(assistant, workload, "warmup")
    warm_s = time.perf_counter() - t_warm
    passes = args.repeat or max(1, math.ceil(args.min_replies / turns))
    if not args.repeat:  # bounded by the time budget, but always at least one full pass
        passes = max(1, min(passes, math.floor(args.max_seconds / max(warm_s, 1e-9))))

    samples: list[tuple[int, int, int]] = []
    pass_p50: list[float] = []
    pass_p99: list[float] = []
    t_timed = time.perf_counter()
    for r in range(passes):
        got = run_pass(assistant, workload, f"pass{r}")
        samples.extend(got)
        s = summary([ns for _, _, ns in got])
        pass_p50.append(s["p50"] / MS)
        pass_p99.append(s["p99"] / MS)
    timed_s = time.perf_counter() - t_timed

    stats = {k: (v / MS if k != "n" else v) for k, v in summary([ns for _, _, ns in samples]).items()}
    per_turn: dict[tuple[int, int], list[int]] = {}
    for ci, ti, ns in samples:
        per_turn.setdefault((ci, ti), []).append(ns)
    slowest = sorted(per_turn.items(), key=lambda kv: -statistics.median(kv[1]))[:5]
    result: dict[str, Any] = {
        "scale": scale,
        "qualifications": len(brain.knowledge.qualifications),
        "units": len(brain.knowledge.units),
        "intent_examples": len(brain.matcher.keys),
        # The matcher's cost per example grows with its length: this should stay about the same across scales.
        "mean_example_tokens": round(statistics.fmean(len(k.split()) for k in brain.matcher.keys), 2),
        "generate_s": round(generate_s, 3),
        "load": {k: round(v, 4) for k, v in load_times.items()},
        "sample_stride": stride,
        "sample_turns": turns,
        "warmup_pass_s": round(warm_s, 3),
        "passes": passes,
        "timed_s": round(timed_s, 3),
        "latency_ms": {k: round(v, 4) if isinstance(v, float) else v for k, v in stats.items()},
        "per_pass_p50_ms": {"median": statistics.median(pass_p50), "min": min(pass_p50), "max": max(pass_p50)},
        "per_pass_p99_ms": {"median": statistics.median(pass_p99), "min": min(pass_p99), "max": max(pass_p99)},
        "slowest_turns": [
            {"median_ms": round(statistics.median(v) / MS, 3), "text": workload[ci][ti][:120]}
            for (ci, ti), v in slowest
        ],
    }
    if args.profile:
        path = RESULTS / f"profile-scale{scale}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        result["profile_top_own_time"] = profile_pass(assistant, workload, path)
        print(f"  profile written to {path}")
    return result


def growth(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Latency ratio to scale 1, and the log-log slope (1.0 = linear) from the smallest scale."""
    base = next((r for r in results if r["scale"] == 1), results[0] if results else None)
    if base is None:
        return []
    out = []
    for r in results:
        if r is base:
            continue
        factor = r["scale"] / base["scale"]
        row: dict[str, Any] = {"scale": r["scale"], "size_factor": factor}
        for key in ("p50", "p99", "mean"):
            ratio = r["latency_ms"][key] / base["latency_ms"][key]
            row[f"{key}_ratio"] = round(ratio, 2)
            row[f"{key}_exponent"] = round(math.log(ratio) / math.log(factor), 2)
        row["build_ratio"] = round(r["load"]["total_s"] / base["load"]["total_s"], 1)
        row["build_exponent"] = round(math.log(row["build_ratio"]) / math.log(factor), 2)
        row["at_most_linear"] = row["p50_ratio"] <= factor and row["p99_ratio"] <= factor
        out.append(row)
    return out


def print_table(results: list[dict[str, Any]], growth_rows: list[dict[str, Any]]) -> None:
    print()
    print(
        f"{'scale':>5} {'quals':>6} {'units':>6} {'examples':>8} {'build s':>8} {'replies':>8} "
        f"{'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'max ms':>8} {'mean ms':>8}"
    )
    for r in results:
        lat = r["latency_ms"]
        print(
            f"{r['scale']:>5} {r['qualifications']:>6} {r['units']:>6} {r['intent_examples']:>8} "
            f"{r['load']['total_s']:>8.2f} {lat['n']:>8} {lat['p50']:>8.3f} {lat['p90']:>8.3f} "
            f"{lat['p99']:>8.3f} {lat['max']:>8.3f} {lat['mean']:>8.3f}"
        )
    if growth_rows:
        print()
        print(f"{'scale':>5} {'p50 x':>7} {'p99 x':>7} {'mean x':>7} {'slope p50':>9} {'build x':>8} {'<= linear':>9}")
        for g in growth_rows:
            print(
                f"{g['scale']:>5} {g['p50_ratio']:>7.2f} {g['p99_ratio']:>7.2f} {g['mean_ratio']:>7.2f} "
                f"{g['p50_exponent']:>9.2f} {g['build_ratio']:>8.1f} {g['at_most_linear']!s:>9}"
            )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", type=parse_scales, default=[1, 10, 100], help="comma-separated, e.g. 1,10,100")
    ap.add_argument("--repeat", type=int, default=0, help="timed passes of the workload per scale (default: auto)")
    ap.add_argument("--min-replies", type=int, default=5000, help="auto mode: timed replies wanted per scale")
    ap.add_argument("--max-seconds", type=float, default=60.0, help="auto mode: time budget for timed passes per scale")
    ap.add_argument("--seed", type=int, default=synthetic.DEFAULT_SEED)
    ap.add_argument("--profile", action="store_true", help="also cProfile one pass per scale (after timing)")
    ap.add_argument("--workdir", type=Path, help="where synthetic knowledge is written (default: a temp dir)")
    ap.add_argument("--out", type=Path, default=RESULTS / "latency.json")
    args = ap.parse_args(argv)

    workload = load_workload()
    info = machine()
    print(f"{info['cpu']}, {info['nproc']} CPUs, Python {info['python']}, load {info['loadavg_at_start']}")
    print(f"workload: {len(workload)} conversations, {sum(len(c) for c in workload)} turns")
    with tempfile.TemporaryDirectory(prefix="ilm-bench-") as tmp:
        workdir = args.workdir or Path(tmp)
        # One snapshot of the shipped YAML for every scale, even if someone edits it mid-run.
        shutil.rmtree(workdir / "shipped", ignore_errors=True)
        shutil.copytree(synthetic.KNOWLEDGE, workdir / "shipped" / "knowledge")
        shutil.copytree(default_intents_dir(), workdir / "shipped" / "intents")
        results = [bench_scale(n, workload, args, workdir) for n in args.scales]
    growth_rows = growth(results)
    print_table(results, growth_rows)
    write_json(
        {
            "benchmark": "latency",
            "machine": info,
            "workload": {"conversations": len(workload), "turns": sum(len(c) for c in workload)},
            "settings": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
            "results": results,
            "growth": growth_rows,
        },
        args.out,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
