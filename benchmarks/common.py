"""What the benchmarks share: the question workload, percentiles, machine facts, JSON output."""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"
#: The labelled questions: held-out set in the repo, and the shared sample set when it is there.
DEFAULT_QUESTIONS = (REPO / "tests/data/heldout_questions.yaml", Path("/work/shared/eval/sample_questions.yaml"))

Conversation = list[str]


def expand(turn: str) -> str:
    """A turn written ``REPEAT:<text>:<n>`` is ``<text>`` repeated n times (as ask_eval.py reads it)."""
    if turn.startswith("REPEAT:"):
        _, text, n = turn.split(":", 2)
        return text * int(n)
    return turn


def load_workload(paths: Sequence[Path] = DEFAULT_QUESTIONS) -> list[Conversation]:
    """Every case's turns, in file order; each case is one user's conversation."""
    conversations: list[Conversation] = []
    for path in paths:
        if not path.is_file():
            print(f"note: question file {path} not found, skipped", file=sys.stderr)
            continue
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            conversations.append([expand(t) for t in case["turns"]])
    if not conversations:
        raise SystemExit("no questions found")
    return conversations


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted sequence."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def summary(values: Sequence[float]) -> dict[str, float]:
    """p50, p90, p99, max, mean and count of a sample."""
    s = sorted(values)
    return {
        "n": len(s),
        "p50": percentile(s, 50),
        "p90": percentile(s, 90),
        "p99": percentile(s, 99),
        "max": s[-1],
        "min": s[0],
        "mean": statistics.fmean(s),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _os_name() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return platform.platform()


def _git(*args: str) -> str | None:
    try:
        out = subprocess.run(
            ["git", "--no-optional-locks", "-C", str(REPO), *args], capture_output=True, text=True, check=False
        )
    except OSError:
        return None
    return out.stdout if out.returncode == 0 else None


def _git_dirty() -> list[str] | None:
    """Tracked files under bot/, knowledge/ and intents/ with uncommitted changes (what was measured)."""
    out = _git("status", "--porcelain", "--untracked-files=no", "--", "bot", "knowledge", "intents")
    return None if out is None else [line[3:] for line in out.splitlines()]


def machine() -> dict[str, Any]:
    """The facts a reader needs to compare these numbers with their own."""
    return {
        "nproc": os.cpu_count(),
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "os": _os_name(),
        "kernel": platform.release(),
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
        "git_commit": (_git("rev-parse", "--short", "HEAD") or "").strip() or None,
        "uncommitted_changes": _git_dirty(),
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def write_json(data: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {**data, "loadavg_at_end": [round(x, 2) for x in os.getloadavg()]}
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path}")


def parse_scales(text: str) -> list[int]:
    return [int(s) for s in text.split(",") if s.strip()]
