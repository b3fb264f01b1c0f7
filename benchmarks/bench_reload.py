"""Knowledge reload: how long it takes, and answer latency while one runs (there must be no pause).

For each scale, a replica (BrainHolder + KnowledgeAdmin on a scratch SQLite
database) reloads changed files repeatedly in a background thread while the
main thread keeps answering the question workload. Latency is reported for
questions answered with no reload running (baseline) and while a reload is in
progress; the reload time is measured from the admin's call to the swap.

    .venv/bin/python -m benchmarks.bench_reload --scales 1,100
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.common import RESULTS, expand, load_workload, machine, parse_scales, summary, write_json
from benchmarks.synthetic import write
from bot.admin.service import KnowledgeAdmin
from bot.admin.versions import VersionStore
from bot.core.assistant import Assistant
from bot.core.brain import Brain
from bot.runtime.brain_holder import BrainHolder
from bot.storage import open_database


def _touch(kdir: Path, n: int) -> None:
    """Change one fact so every reload is a new version."""
    path = kdir / "organisation.yaml"
    text = path.read_text(encoding="utf-8").split("\n# reload ")[0]
    path.write_text(f"{text}\n# reload {n}\n", encoding="utf-8")


def _touch_examples(idir: Path, n: int) -> None:
    """Add a new intent example, so the learned intent model can't come from its cache: it is trained again."""
    path = idir / "greeting.yaml"
    text = path.read_text(encoding="utf-8").split("\n  - hello again number ")[0]
    path.write_text(f"{text}\n  - hello again number {n}\n", encoding="utf-8")


def run_scale(scale: int, reloads: int, workdir: Path, change: str = "knowledge") -> dict[str, object]:
    kdir, idir = write(workdir / f"scale{scale}", scale)
    db = open_database(f"sqlite:///{workdir / f'scale{scale}.db'}")
    holder = BrainHolder(Brain.load(kdir, idir))
    admin = KnowledgeAdmin(VersionStore(db), holder, (kdir, idir), replica="bench")
    admin.register_start()
    assistant = Assistant(holder)
    questions = [expand(t) for conv in load_workload() for t in conv]

    reloading = threading.Event()
    done = threading.Event()
    reload_times: list[float] = []

    def reloader() -> None:
        for n in range(reloads):
            time.sleep(0.3)
            _touch_examples(idir, n) if change == "examples" else _touch(kdir, n)
            reloading.set()
            started = time.perf_counter()
            result = admin.reload("bench")
            reload_times.append(time.perf_counter() - started)
            reloading.clear()
            assert result.ok, result.errors
        done.set()

    baseline: list[float] = []
    during: list[float] = []
    thread = threading.Thread(target=reloader)
    thread.start()
    i = 0
    while not done.is_set():
        q = questions[i % len(questions)]
        busy = reloading.is_set()
        started = time.perf_counter()
        assistant.reply(f"u{i % 50}", q)
        elapsed = (time.perf_counter() - started) * 1000
        (during if busy or reloading.is_set() else baseline).append(elapsed)
        i += 1
    thread.join()
    db.dispose()
    return {
        "scale": scale,
        "reloads": reloads,
        "change": change,
        "reload_seconds": summary(reload_times),
        "answer_ms_baseline": summary(baseline),
        "answer_ms_during_reload": summary(during),
        "answers": i,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", type=parse_scales, default=[1, 100])
    ap.add_argument("--reloads", type=int, default=5)
    ap.add_argument(
        "--change",
        choices=["knowledge", "examples"],
        default="knowledge",
        help="what each reload changes: a fact, or an intent example (the learned intent model is retrained)",
    )
    ap.add_argument("--out", type=Path, default=RESULTS / "reload.json")
    args = ap.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="ilm-bench-reload-") as tmp:
        for scale in args.scales:
            r = run_scale(scale, args.reloads, Path(tmp), args.change)
            results.append(r)
            rs, base, dur = r["reload_seconds"], r["answer_ms_baseline"], r["answer_ms_during_reload"]
            print(
                f"scale {scale:>3}: reload median {rs['p50']:.2f}s (max {rs['max']:.2f}s); "
                f"answers p50/p99/max {base['p50']:.2f}/{base['p99']:.2f}/{base['max']:.1f} ms baseline, "
                f"{dur['p50']:.2f}/{dur['p99']:.2f}/{dur['max']:.1f} ms during reload ({dur['n']:.0f} answered)"
            )
    write_json({"benchmark": "reload", "machine": machine(), "results": results}, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
