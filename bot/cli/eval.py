"""`ilm-bot eval [FILE]`: score the bot on a labelled question file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import yaml

from bot.cli.common import UsageError, brain_or_exit
from bot.core.assistant import Assistant
from bot.evaluation.plot import write_confusion_png
from bot.evaluation.scoring import Report, evaluate_cases

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "tests" / "data" / "heldout_questions.yaml"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "eval",
        help="score intents and answers on a labelled question file",
        description="Run a labelled question file (expected intent plus facts the answer must contain) and print "
        "accuracy, per-intent precision/recall/F1, the confusions and the failures.",
    )
    p.add_argument("file", nargs="?", default=str(DEFAULT_FILE), help="YAML question file (default: the held-out set)")
    p.add_argument("--out", default="reports", help="directory for report.json and confusion.png (default: reports)")
    p.add_argument("--failures", type=int, default=50, help="how many failures to print (default 50)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"no such question file: {path}") from None
    except yaml.YAMLError as exc:
        raise UsageError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(cases, list) or not all(isinstance(c, dict) and c.get("turns") for c in cases):
        raise UsageError(f"{path}: expected a list of cases, each with 'turns'")
    report = evaluate_cases(Assistant(brain_or_exit()), cases)
    print_report(report, args.failures)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(report.to_json(), indent=2), encoding="utf-8")
    png = write_confusion_png(report, out / "confusion.png")
    print(
        f"\nreport: {out / 'report.json'}"
        + (f", confusion matrix: {png}" if png else " (install the 'plots' extra for the confusion-matrix PNG)")
    )
    return 0


def print_report(report: Report, max_failures: int) -> None:
    n = len(report.results)
    print(
        f"cases: {n}   accuracy (intent and facts): {report.accuracy:.1%}   intent accuracy: "
        f"{report.intent_accuracy:.1%}\n"
    )
    print(f"{'intent':28s} {'precision':>9s} {'recall':>7s} {'f1':>6s} {'support':>7s}")
    for label, m in report.per_intent().items():
        print(f"{label:28s} {m['precision']:9.2f} {m['recall']:7.2f} {m['f1']:6.2f} {int(m['support']):7d}")
    confusions = report.confusions()
    if confusions:
        print("\nconfusions (expected -> predicted):")
        for e, p, c in confusions[:20]:
            print(f"  {c:3d}  {e} -> {p}")
    failures = [r for r in report.results if not r.passed]
    if failures:
        print(f"\nfailures ({len(failures)}):")
        for r in failures[:max_failures]:
            print(f"  {r.id}: {r.question!r}\n    expected {r.expected}, got {r.predicted}; {'; '.join(r.reasons)}")
            print(f"    answer: {' '.join(r.answer.split())[:200]}")
