"""`ilm-bot learner`: HR's tool for learner records.

Enrol learners, record units and hours, show progress, import a
spreadsheet, report on the cohort and erase a learner's data. Records made
here are marked as recorded by HR, and every change is audited with the
operator's login name. The database stack is imported only when a learner
command runs, so the other commands start as fast as before.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.common import UsageError, actor, load_or_exit
from bot.knowledge.models import Knowledge
from bot.learners import actions, validate
from bot.learners.cohort import cohort_summary, render_cohort, write_cohort_csv
from bot.learners.csv_import import CsvImportError, read_changes
from bot.learners.progress import progress_of, render_progress
from bot.rules import HOURS_KINDS
from bot.rules.explain import join

if TYPE_CHECKING:
    from bot.learners.records import LearnerStore

#: What the command line records: HR keeps these records; learners self-report in Slack.
SOURCE = "hr"
#: Errors a failed import lists: a broken file can have one per row, and the first ones show what to fix.
MAX_LISTED_ERRORS = 50

_EXAMPLES = """examples:
  ilm-bot learner enrol U012ABCDEF "award in mentoring"
  ilm-bot learner done U012ABCDEF 8577-304 8577-307
  ilm-bot learner log U012ABCDEF 1.5 mentoring --unit 8577-305 --note "first session"
  ilm-bot learner progress U012ABCDEF --json
  ilm-bot learner import learners.csv
  ilm-bot learner report --csv cohort.csv
  ilm-bot learner forget U012ABCDEF --yes

The database is DATABASE_URL (default: a SQLite file in ~/.local/share/ilm-bot).
A learner's record is personal: show it only to that learner and to HR."""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "learner",
        help="learner records: enrol, record units and hours, progress, import, cohort report, erase",
        description="Keep learners' records (enrolments, units achieved, hours logged) and report progress "
        "under each qualification's rules. USER is a Slack user id.",
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)

    a = _action(
        actions, "enrol", "enrol a learner on a qualification", 'ilm-bot learner enrol U012ABCDEF "C&M"', _enrol
    )
    a.add_argument("user", metavar="USER", help="the learner's Slack user id")
    a.add_argument("qualification", metavar="QUALIFICATION", help="an id, name or alias, e.g. l3-award-mentoring")

    a = _action(actions, "done", "record units achieved", "ilm-bot learner done U012ABCDEF 8577-304 8577/307", _done)
    a.add_argument("user", metavar="USER", help="the learner's Slack user id")
    a.add_argument("units", metavar="UNIT", nargs="+", help="unit references, e.g. 8577-304, 8577 304 or 8577/304")

    a = _action(
        actions,
        "log",
        "log hours",
        "ilm-bot learner log U012ABCDEF 1.5 mentoring --unit 8577-305 --note 'with Sam'",
        _log,
    )
    a.add_argument("user", metavar="USER", help="the learner's Slack user id")
    a.add_argument("hours", metavar="HOURS", help="a positive number of hours, e.g. 1.5")
    a.add_argument("kind", metavar="KIND", help=f"one of {', '.join(HOURS_KINDS)}")
    a.add_argument("--unit", help="the unit the hours are for, e.g. 8577-305 (its supervised practice)")
    a.add_argument("--note", help=f"a short note kept with the entry (at most {validate.MAX_NOTE} characters)")

    a = _action(
        actions, "progress", "show a learner's progress", "ilm-bot learner progress U012ABCDEF --json", _progress
    )
    a.add_argument("user", metavar="USER", help="the learner's Slack user id")
    a.add_argument("--json", action="store_true", help="print one JSON object instead of text")

    a = _action(
        actions, "import", "import a CSV of enrolments, units and hours", "ilm-bot learner import hr.csv", _import
    )
    a.add_argument(
        "file", metavar="FILE.csv", type=Path, help="columns: user,type,qualification,unit,hours,kind,date,note,source"
    )

    a = _action(
        actions, "report", "cohort summary per qualification", "ilm-bot learner report --csv cohort.csv", _report
    )
    a.add_argument("--csv", metavar="FILE", type=Path, help="also write the summary to FILE as CSV")

    a = _action(
        actions, "forget", "erase a learner's personal data", "ilm-bot learner forget U012ABCDEF --yes", _forget
    )
    a.add_argument("user", metavar="USER", help="the learner's Slack user id")
    a.add_argument("--yes", action="store_true", help="confirm: the erasure cannot be undone")


def _action(
    actions: argparse._SubParsersAction,
    name: str,
    summary: str,
    example: str,
    func: Callable[[argparse.Namespace], int],
) -> argparse.ArgumentParser:
    parser = actions.add_parser(name, help=summary, description=summary[0].upper() + summary[1:] + ".")
    parser.epilog = f"example: {example}"
    parser.set_defaults(func=func)
    return parser


# -- shared ---------------------------------------------------------------------------------------


@contextmanager
def _store() -> Iterator[LearnerStore]:
    """The store on DATABASE_URL, migrated. A database that can't be opened or used raises
    ``DatabaseError``, which the command line turns into exit 1 with the reason."""
    from bot.learners.records import LearnerStore  # noqa: PLC0415 - the database stack loads only for learner commands

    store = LearnerStore.open()
    try:
        yield store
    finally:
        store.db.dispose()


def _audit_read(store: LearnerStore, action: str, subject: str | None = None) -> None:
    """HR reading records here is audited, as `/ilm-hr progress` is in Slack."""
    from bot.storage import audit  # noqa: PLC0415 - the database stack loads only for learner commands

    audit.log(store.db, actor(), action, subject)


def _user(text: str) -> str:
    try:
        return validate.user_id(text)
    except ValueError as exc:
        raise UsageError(f"USER: {exc}") from None


# -- actions ----------------------------------------------------------------------------------------


def _who(args: argparse.Namespace) -> actions.Who:
    user = _user(args.user)
    return actions.Who(user=user, actor=actor(), source=SOURCE, name=user)


def _change(change: Callable[[LearnerStore, Knowledge], str]) -> int:
    """Run one change against the store; bad input exits 2 with the reason and records nothing."""
    knowledge = load_or_exit()
    with _store() as store:
        try:
            print(change(store, knowledge))
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    return 0


def _enrol(args: argparse.Namespace) -> int:
    who = _who(args)
    return _change(lambda store, k: actions.enrol(store, k, who, args.qualification, date.today()))


def _done(args: argparse.Namespace) -> int:
    who = _who(args)
    return _change(lambda store, k: actions.done(store, k, who, args.units, date.today()))


def _log(args: argparse.Namespace) -> int:
    who = _who(args)
    return _change(
        lambda store, k: actions.log(store, k, who, args.hours, args.kind, date.today(), unit=args.unit, note=args.note)
    )


def _progress(args: argparse.Namespace) -> int:
    knowledge = load_or_exit()
    user = _user(args.user)
    with _store() as store:
        record = store.learner(user)
        _audit_read(store, "view_progress", user)
    progress = progress_of(record, knowledge)
    if args.json:
        print(json.dumps(progress.to_dict(), indent=2))
    else:
        print(render_progress(progress, knowledge))
    return 0


def _import(args: argparse.Namespace) -> int:
    knowledge = load_or_exit()
    try:
        changes = read_changes(args.file, knowledge, date.today())
    except CsvImportError as exc:
        listing = "\n".join(f"  {e}" for e in exc.errors[:MAX_LISTED_ERRORS])
        if len(exc.errors) > MAX_LISTED_ERRORS:
            listing += f"\n  … and {len(exc.errors) - MAX_LISTED_ERRORS} more; fix these and run the import again."
        count = f"{len(exc.errors)} error{'s' if len(exc.errors) != 1 else ''}"
        raise UsageError(f"{args.file}: {count}; nothing was imported.\n{listing}") from None
    if not changes:
        print(f"{args.file}: no data rows; nothing to import.")
        return 0
    with _store() as store:
        applied = store.apply(changes, actor=actor())
    print(
        f"Imported {args.file}: {_count(applied.enrolments, 'enrolment')}, {_count(applied.units, 'unit')}, "
        f"{_count(applied.hours, 'hours entry', 'hours entries')}."
    )
    if applied.unchanged:
        print(f"{_count(len(applied.unchanged), 'row')} already recorded, unchanged.")
    return 0


def _report(args: argparse.Namespace) -> int:
    knowledge = load_or_exit()
    with _store() as store:
        records = store.learners()
        _audit_read(store, "cohort_report")
    rows = cohort_summary(records, knowledge)
    if args.csv is not None:
        try:
            with args.csv.open("w", encoding="utf-8", newline="") as out:
                write_cohort_csv(rows, out)
        except OSError as exc:
            raise UsageError(f"--csv: cannot write {args.csv} ({exc.strerror})") from None
    print(render_cohort(rows))
    if args.csv is not None:
        print(f"\nWrote the cohort summary to {args.csv}.")
    return 0


def _forget(args: argparse.Namespace) -> int:
    user = _user(args.user)
    if not args.yes:
        raise UsageError(
            f"forget erases everything stored about {user} (enrolments, units, hours and their notes, "
            "conversation context and unanswered questions) and cannot be undone; "
            f"to go ahead, run: ilm-bot learner forget {user} --yes"
        )
    with _store() as store:
        erased = store.forget(user, actor=actor())
    if erased.anything:
        counts = join(
            [
                _count(erased.enrolments, "enrolment"),
                _count(erased.units, "unit"),
                _count(erased.hours, "hours entry", "hours entries"),
                _count(erased.contexts, "conversation context"),
                _count(erased.fallbacks, "unanswered question"),
                _count(erased.feedback, "answer rating"),
                _count(erased.reminder_deliveries, "reminder delivery", "reminder deliveries"),
            ]
        )
        print(f"Erased the personal data of {user}: {counts}. The audit log records the erasure.")
    else:
        print(f"Nothing was stored about {user}. The audit log records the request.")
    return 0


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"
