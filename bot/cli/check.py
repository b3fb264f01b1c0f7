"""`ilm-bot check`: has this set of units achieved a qualification, and what is missing?"""

from __future__ import annotations

import argparse
import json

from bot.cli.common import UsageError, load_or_exit, qualification_or_error, units_or_error
from bot.learners.report import render_report
from bot.rules import HOURS_KINDS, Engine, Record


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check",
        help="check achievement of a qualification from a list of units",
        description="Decide whether the given units achieve a qualification under its rules of "
        "combination, and list every shortest way to finish.",
        epilog='example: ilm-bot check "award in mentoring" --units 8577-304,8577-307 --hours mentoring=4',
    )
    p.add_argument("qualification", help="an id, name or alias, e.g. l3-award-mentoring or 'C&M'")
    p.add_argument("--units", default="", help="comma-separated unit references, e.g. 8577-304,8577 307")
    kinds = ", ".join(HOURS_KINDS)
    p.add_argument("--hours", default="", help=f"hours by kind, e.g. mentoring=20,tutorial=2 (kinds: {kinds})")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a report")
    p.set_defaults(func=run)


def parse_hours(text: str) -> dict[str, float]:
    hours: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        kind, sep, value = item.partition("=")
        kind = kind.strip().lower()
        if not sep:
            raise UsageError(f"--hours: {item!r} should look like KIND=N, e.g. mentoring=20")
        if kind not in HOURS_KINDS:
            raise UsageError(f"--hours: unknown kind {kind!r}; kinds are {', '.join(HOURS_KINDS)}")
        try:
            n = float(value)
        except ValueError:
            raise UsageError(f"--hours: {value.strip()!r} is not a number of hours") from None
        if not n >= 0 or n == float("inf"):
            raise UsageError(f"--hours: hours must be zero or more, got {value.strip()}")
        hours[kind] = hours.get(kind, 0.0) + n
    return hours


def run(args: argparse.Namespace) -> int:
    knowledge = load_or_exit()
    qid = qualification_or_error(args.qualification, knowledge)
    units = units_or_error([u for u in args.units.split(",") if u.strip()], knowledge)
    record = Record.of(units, parse_hours(args.hours))
    ev = Engine(knowledge.catalogue).evaluate(knowledge.qualifications[qid], record)
    if args.json:
        print(json.dumps(ev.to_dict(), indent=2))
    else:
        print(render_report(ev, knowledge))
    return 0
