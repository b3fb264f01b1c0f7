"""In-process answer latency of ``Assistant.reply``, on the shipped knowledge and on synthetic knowledge N times larger.

Every scale's knowledge is built first (timing each loading step). Then, after
a warm-up, every ``reply`` is timed with ``time.perf_counter_ns`` over passes of
the question workload, in ``--rounds`` rounds that take turns between the
scales, so a burst of load from another process on this shared machine lands
on every scale alike rather than on one. Each pass uses fresh user ids, so
multi-turn cases replay their context exactly. Reported per scale: the median
over rounds of each round's p50 and p99 (the headline figures), and p50, p90,
p99, max and mean of all timed replies pooled.

    .venv/bin/python -m benchmarks.bench_latency                      # scales 1,10,100
    .venv/bin/python -m benchmarks.bench_latency --scales 1 --rounds 3
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks import synthetic
from benchmarks.common import RESULTS, Conversation, load_workload, machine, parse_scales, summary, write_json
from bot.core.assistant import Assistant
from bot.core.brain import Brain, content_hash
from bot.knowledge import load_knowledge
from bot.nlu.intents import default_intents_dir, load_intents

MS = 1e6  # nanoseconds per millisecond
#: Relative run-to-run noise of p50 / mean tolerated when judging "no worse than linear".
NOISE = 0.10

Sample = tuple[int, int, int, int]  # (conversation, turn, wall-clock ns, CPU ns of this thread)


@dataclass
class Scale:
    """One scale under test: its brain, the questions it is timed on, and the timings so far."""

    scale: int
    brain: Brain
    assistant: Assistant
    load: dict[str, float]
    generate_s: float
    workload: list[Conversation] = field(default_factory=list)
    stride: int = 1
    warmup_s: float | None = None
    passes_per_round: int = 1
    rounds: list[list[Sample]] = field(default_factory=list)

    @property
    def turns(self) -> int:
        return sum(len(c) for c in self.workload)


def build(kdir: Path, idir: Path) -> tuple[Brain, dict[str, float]]:
    """What ``Brain.load`` does, step by step, with the seconds each step took."""
    t0 = time.perf_counter()
    knowledge = load_knowledge(kdir)
    t1 = time.perf_counter()
    intents = load_intents(idir)
    t2 = time.perf_counter()
    version = content_hash(kdir, idir)
    t3 = time.perf_counter()
    brain = Brain.build(knowledge, intents, version)
    t4 = time.perf_counter()
    return brain, {
        "load_knowledge_s": t1 - t0,
        "load_intents_s": t2 - t1,
        "content_hash_s": t3 - t2,
        "brain_build_s": t4 - t3,
        "total_s": t4 - t0,
    }


def run_pass(assistant: Assistant, workload: list[Conversation], tag: str) -> list[Sample]:
    """Answer every turn once; return (case, turn, wall ns, CPU ns) per reply.

    CPU time (``thread_time_ns``) leaves out the time the thread waited for a core: on a
    shared 2-core machine it shows what a reply costs when another process is busy.
    """
    out: list[Sample] = []
    clock = time.perf_counter_ns
    cpu = time.thread_time_ns
    reply = assistant.reply
    for ci, turns in enumerate(workload):
        user = f"{tag}-{ci}"
        for ti, text in enumerate(turns):
            c0 = cpu()
            start = clock()
            reply(user, text)
            wall = clock() - start
            out.append((ci, ti, wall, cpu() - c0))
    return out


def prepare(scale: int, workload: list[Conversation], args: argparse.Namespace, workdir: Path) -> Scale:
    """Build the scale's brain, choose the questions it is timed on, and warm it up."""
    t0 = time.perf_counter()
    shipped_k, shipped_i = workdir / "shipped" / "knowledge", workdir / "shipped" / "intents"
    if scale == 1:
        kdir, idir = shipped_k, shipped_i
    else:
        kdir, idir = synthetic.write(workdir / f"scale-{scale}", scale, args.seed, shipped_k, shipped_i)
    generate_s = time.perf_counter() - t0
    brain, load = build(kdir, idir)
    st = Scale(scale, brain, Assistant(brain), load, generate_s)
    print(
        f"scale {scale}: {len(brain.knowledge.qualifications)} qualifications, {len(brain.knowledge.units)} units, "
        f"{len(brain.matcher.keys)} intent examples; built in {load['total_s']:.2f} s",
        flush=True,
    )

    # A probe on every 20th conversation estimates the cost of a reply. When the replies wanted
    # would not fit the time budget even at one pass per round, every k-th conversation is used.
    probe = workload[::20]
    t_probe = time.perf_counter()
    run_pass(st.assistant, probe, "probe")
    per_turn_s = (time.perf_counter() - t_probe) / sum(len(c) for c in probe)
    full_turns = sum(len(c) for c in workload)
    st.stride = 1 if args.passes else max(1, math.ceil(per_turn_s * full_turns * args.rounds / args.max_seconds))
    st.workload = workload[:: st.stride]
    pass_s = per_turn_s * st.turns
    passes = math.ceil(args.min_replies / st.turns) if args.passes is None else args.passes * args.rounds
    if args.passes is None:
        passes = max(args.rounds, min(passes, math.floor(args.max_seconds / max(pass_s, 1e-9))))
    st.passes_per_round = max(1, math.ceil(passes / args.rounds))

    # Warm-up fills the caches (typo corrections, regexes) for exactly the questions timed. When a
    # pass takes longer than --max-warmup-seconds, a cache miss (well under 1 ms) is lost in the
    # reply time anyway, so the probe's warm-up is enough and the time goes to timed replies.
    if pass_s <= args.max_warmup_seconds:
        t_warm = time.perf_counter()
        run_pass(st.assistant, st.workload, "warmup")
        st.warmup_s = time.perf_counter() - t_warm
    return st


def profile_pass(st: Scale, path: Path) -> list[dict[str, Any]]:
    """One profiled pass; the full report goes to ``path``, the top functions (own time) are returned."""
    prof = cProfile.Profile()
    prof.enable()
    run_pass(st.assistant, st.workload, "profile")
    prof.disable()
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf)
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(30)
    path.write_text(buf.getvalue(), encoding="utf-8")
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(row[2] for row in raw.values()) or 1.0
    rows = sorted(raw.items(), key=lambda kv: -kv[1][2])[:12]
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


def _ms(stats: dict[str, float]) -> dict[str, float]:
    return {k: (v if k == "n" else round(v / MS, 4)) for k, v in stats.items()}


def report(st: Scale) -> dict[str, Any]:
    pooled = [s for r in st.rounds for s in r]
    per_round = [summary([s[2] for s in r]) for r in st.rounds]
    per_round_cpu = [summary([s[3] for s in r]) for r in st.rounds]
    p50s = [s["p50"] / MS for s in per_round]
    p99s = [s["p99"] / MS for s in per_round]
    cpu_p50s = [s["p50"] / MS for s in per_round_cpu]
    cpu_p99s = [s["p99"] / MS for s in per_round_cpu]
    per_turn: dict[tuple[int, int], list[int]] = {}
    for ci, ti, ns, _ in pooled:
        per_turn.setdefault((ci, ti), []).append(ns)
    slowest = sorted(per_turn.items(), key=lambda kv: -statistics.median(kv[1]))[:5]
    keys = st.brain.matcher.keys
    return {
        "scale": st.scale,
        "qualifications": len(st.brain.knowledge.qualifications),
        "units": len(st.brain.knowledge.units),
        "intent_examples": len(keys),
        # The matcher's cost per example grows with its length: this should stay about the same across scales.
        "mean_example_tokens": round(statistics.fmean(len(k.split()) for k in keys), 2),
        "generate_s": round(st.generate_s, 3),
        "load": {k: round(v, 4) for k, v in st.load.items()},
        "sample_stride": st.stride,
        "sample_turns": st.turns,
        "warmup_pass_s": None if st.warmup_s is None else round(st.warmup_s, 3),
        "rounds": len(st.rounds),
        "passes_per_round": st.passes_per_round,
        # Headline figures: each round's percentile, median over the rounds (and their spread).
        "p50_ms": {"median_of_rounds": round(statistics.median(p50s), 4), "min": min(p50s), "max": max(p50s)},
        "p99_ms": {"median_of_rounds": round(statistics.median(p99s), 4), "min": min(p99s), "max": max(p99s)},
        "pooled_ms": _ms(summary([s[2] for s in pooled])),
        # The same figures in CPU time of the answering thread (waiting for a core left out).
        "cpu_p50_ms": {"median_of_rounds": round(statistics.median(cpu_p50s), 4), "min": min(cpu_p50s)},
        "cpu_p99_ms": {"median_of_rounds": round(statistics.median(cpu_p99s), 4), "min": min(cpu_p99s)},
        "cpu_pooled_ms": _ms(summary([s[3] for s in pooled])),
        "slowest_turns": [
            {"median_ms": round(statistics.median(v) / MS, 3), "text": st.workload[ci][ti][:120]}
            for (ci, ti), v in slowest
        ],
    }


def growth(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Latency ratio to scale 1, and the log-log slope (1.0 = linear)."""
    base = next((r for r in results if r["scale"] == 1), results[0] if results else None)
    if base is None:
        return []
    figures = {
        "p50": lambda r: r["p50_ms"]["median_of_rounds"],
        "p99": lambda r: r["p99_ms"]["median_of_rounds"],
        "mean": lambda r: r["pooled_ms"]["mean"],
    }
    out = []
    for r in results:
        if r is base:
            continue
        factor = r["scale"] / base["scale"]
        row: dict[str, Any] = {"scale": r["scale"], "size_factor": factor}
        for key, get in figures.items():
            ratio = get(r) / get(base)
            row[f"{key}_ratio"] = round(ratio, 2)
            row[f"{key}_exponent"] = round(math.log(ratio) / math.log(factor), 2)
        build_ratio = r["load"]["total_s"] / base["load"]["total_s"]
        row["build_ratio"] = round(build_ratio, 1)
        row["build_exponent"] = round(math.log(build_ratio) / math.log(factor), 2)
        ratios = (row["p50_ratio"], row["mean_ratio"])
        row["at_most_linear"] = all(x <= factor for x in ratios)
        # Run-to-run spread of p50 on this shared 2-core machine is about 10%: a ratio within that is linear.
        row["at_most_linear_within_noise"] = all(x <= factor * (1 + NOISE) for x in ratios)
        out.append(row)
    return out


def print_table(results: list[dict[str, Any]], growth_rows: list[dict[str, Any]]) -> None:
    print()
    print(
        f"{'scale':>5} {'quals':>6} {'units':>6} {'examples':>8} {'build s':>8} {'replies':>8} "
        f"{'p50 ms':>8} {'p99 ms':>8} | {'pooled:':>7} {'p90 ms':>8} {'max ms':>8} {'mean ms':>8} | "
        f"{'cpu p50':>8} {'cpu p99':>8}"
    )
    for r in results:
        pooled = r["pooled_ms"]
        print(
            f"{r['scale']:>5} {r['qualifications']:>6} {r['units']:>6} {r['intent_examples']:>8} "
            f"{r['load']['total_s']:>8.2f} {pooled['n']:>8} {r['p50_ms']['median_of_rounds']:>8.3f} "
            f"{r['p99_ms']['median_of_rounds']:>8.3f} | {'':>7} {pooled['p90']:>8.3f} {pooled['max']:>8.3f} "
            f"{pooled['mean']:>8.3f} | {r['cpu_p50_ms']['median_of_rounds']:>8.3f} "
            f"{r['cpu_p99_ms']['median_of_rounds']:>8.3f}"
        )
    print("(p50 and p99: median over rounds of each round's percentile; cpu: the answering thread's CPU time)")
    if growth_rows:
        print()
        print(
            f"{'scale':>5} {'p50 x':>7} {'p99 x':>7} {'mean x':>7} {'slope p50':>9} {'build x':>8} "
            f"{'<= linear':>9} {'(+-10%)':>8}"
        )
        for g in growth_rows:
            print(
                f"{g['scale']:>5} {g['p50_ratio']:>7.2f} {g['p99_ratio']:>7.2f} {g['mean_ratio']:>7.2f} "
                f"{g['p50_exponent']:>9.2f} {g['build_ratio']:>8.1f} {g['at_most_linear']!s:>9} "
                f"{g['at_most_linear_within_noise']!s:>8}"
            )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", type=parse_scales, default=[1, 10, 100], help="comma-separated, e.g. 1,10,100")
    ap.add_argument("--rounds", type=int, default=5, help="rounds taking turns between the scales (default 5)")
    ap.add_argument("--passes", type=int, help="timed passes per round per scale (default: from the budget)")
    ap.add_argument("--min-replies", type=int, default=5000, help="timed replies wanted per scale (default 5000)")
    ap.add_argument("--max-seconds", type=float, default=60.0, help="time budget for timed replies per scale")
    ap.add_argument(
        "--max-warmup-seconds", type=float, default=30.0, help="skip the full warm-up pass when it would take longer"
    )
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
        scales = [prepare(n, workload, args, workdir) for n in args.scales]

    t_timed = time.perf_counter()
    for r in range(args.rounds):
        order = scales if r % 2 == 0 else scales[::-1]
        for st in order:
            got: list[Sample] = []
            for p in range(st.passes_per_round):
                got.extend(run_pass(st.assistant, st.workload, f"r{r}p{p}"))
            st.rounds.append(got)
        print(f"round {r + 1}/{args.rounds} done ({time.perf_counter() - t_timed:.0f} s)", flush=True)

    results = [report(st) for st in scales]
    if args.profile:
        for st, res in zip(scales, results, strict=True):
            path = RESULTS / f"profile-scale{st.scale}.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            res["profile_top_own_time"] = profile_pass(st, path)
            print(f"profile written to {path}")
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
