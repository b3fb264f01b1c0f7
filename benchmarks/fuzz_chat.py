"""Feed hostile chat messages through the Assistant in process and count what goes wrong.

Issue 13's measure: at least 100,000 generated chat inputs with 0 crashes, 0
tracebacks shown to users and 0 empty answers; and (its security rule) no
broadcast or mention markup in any answer. The messages come from
``tests/hostile_chat.py`` (shared with the bounded test ``tests/test_chat_fuzz.py``):
random unicode, Slack markup and ``<!channel>``, messages built to be quoted
back, huge inputs, entity soup, unit codes, numbers, repeated tokens, mixed
languages, control characters and lone surrogates, format strings and
injections, mutated real questions, blanks, follow-ups, composed and
multi-part questions. A fixed seed gives the same messages every run.

    .venv/bin/python -m benchmarks.fuzz_chat --count 250000

Writes ``benchmarks/results/fuzz-chat.json``: the counts by problem and by
kind of input, up to 20 reproducing inputs per problem, and the answer time
per kind (a message that takes seconds is a problem too). Exit status 1 when
any problem was found.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import REPO, RESULTS, machine, summary, write_json
from bot.core.assistant import Assistant
from bot.core.brain import Brain

sys.path.insert(0, str(REPO / "tests"))
from hostile_chat import PROBLEMS, Tally, check, messages

DEFAULT_SEED = 13_2026


def run(seed: int, count: int, users: int, progress_every: int) -> dict[str, Any]:
    facts = machine()  # before the run: the commit and files measured are those loaded now
    assistant = Assistant(Brain.load())
    tally = Tally(keep=20)
    times: dict[str, list[float]] = {}
    slowest: list[tuple[float, str, str]] = []
    answer_chars: list[int] = []
    start = time.perf_counter()
    for message in messages(seed, count, users):
        t0 = time.perf_counter()
        text = check(lambda user, text: assistant.reply(user, text).text, message, tally)
        elapsed = time.perf_counter() - t0
        times.setdefault(message.kind, []).append(elapsed)
        answer_chars.append(len(text or ""))
        if elapsed > 0.1:
            slowest.append((elapsed, message.kind, message.text[:200]))
        if progress_every and (message.index + 1) % progress_every == 0:
            rate = (message.index + 1) / (time.perf_counter() - start)
            print(f"{message.index + 1:>8,} messages, {rate:,.0f}/s, problems {tally.problems}", file=sys.stderr)
    wall = time.perf_counter() - start
    every = [t for ts in times.values() for t in ts]
    slowest.sort(reverse=True)
    return {
        "seed": seed,
        "messages": tally.total,
        "users": users,
        "wall_s": round(wall, 1),
        "messages_per_s": round(tally.total / wall, 1),
        "problems": {p: tally.count(p) for p in PROBLEMS},
        "examples": tally.examples,
        "by_kind": {kind: tally.by_kind[kind] for kind in sorted(tally.by_kind)},
        "latency_ms": {"all": _ms(summary(every)), **{k: _ms(summary(v)) for k, v in sorted(times.items())}},
        "answer_chars": summary([float(n) for n in answer_chars]),
        "slowest": [{"s": round(s, 3), "kind": k, "input": t} for s, k, t in slowest[:10]],
        "machine": facts,
    }


def _ms(s: dict[str, float]) -> dict[str, float]:
    return {k: (v if k == "n" else round(v * 1000, 3)) for k, v in s.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=100_000, help="messages to send (default 100,000)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--users", type=int, default=500, help="distinct users (conversations) the messages come from")
    ap.add_argument("--out", type=Path, default=RESULTS / "fuzz-chat.json")
    ap.add_argument("--progress", type=int, default=10_000, help="print a progress line every N messages (0: never)")
    args = ap.parse_args(argv)
    result = run(args.seed, args.count, args.users, args.progress)
    write_json(result, args.out)
    lat = result["latency_ms"]["all"]
    print(
        f"{result['messages']:,} messages in {result['wall_s']} s ({result['messages_per_s']:,}/s); "
        f"answer p50 {lat['p50']} ms, p99 {lat['p99']} ms, max {lat['max']} ms"
    )
    for problem, n in result["problems"].items():
        print(f"  {problem}: {n}")
    return 1 if any(result["problems"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
