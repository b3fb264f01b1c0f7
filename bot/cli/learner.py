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
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.common import UsageError, actor, load_or_exit
from bot.knowledge.models import Knowledge
from bot.learners import actions, validate
from bot.learners.cohort import cohort_summary, render_cohort, write_cohort_csv
from bot.learners.csv_import import CsvImportError, describe_errors, read_changes, summary
from bot.learners.progress import progress_of, render_hours, render_progress
from bot.rules import HOURS_KINDS
from bot.rules.explain import counted, join

if TYPE_CHECKING:
    from bot.learners.records import LearnerStore

#: What the command line records: HR keeps these records; learners self-report in Slack.
SOURCE = "hr"

_EXAMPLES = """examples:
  ilm-bot learner enrol U012ABCDEF "award in mentoring"
  ilm-bot learner done U012ABCDEF 8577-304 8577-307
  ilm-bot learner log U012ABCDEF 1.5 mentoring --unit 8577-305 --note "first session"
  ilm-bot learner progress U012ABCDEF --json
  ilm-bot learner hours U012ABCDEF
  ilm-bot learner unlog U012ABCDEF 42
  ilm-bot learner remove U012ABCDEF 8577-307
  ilm-bot learner unenrol U012ABCDEF "award in mentoring"
  ilm-bot learner import learners.csv
  ilm-bot learner export U012ABCDEF --output U012ABCDEF.json
  ilm-bot learner report --csv cohort.csv
  ilm-bot learner forget U012ABCDEF --yes

The database is DATABASE_URL (default: a SQLite file in ~/.local/share/ilm-bot).
A learner's record is personal: show it only to that learner and to HR."""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "learner",
        help="learner records: enrol, record and correct units and hours, progress, import, report, export, erase",
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
        actions,
        "hours",
        "list a learner's hours entries (with the ids unlog takes)",
        "ilm-bot learner hours U012ABCDEF --json",
        _hours,
    )
    a.add_argument("user", metavar="USER", help="the learner's Slack user id")
    a.add_argument("--json", action="store_true", help="print a JSON list of entries instead of text")

    a = _action(actions, "unlog", "delete one hours entry", "ilm-bot learner unlog U012ABCDEF 42", _unlog)
    a.add_argument("user", metavar="USER", help="the learner's Slack user id")
    a.add_argument("entry", metavar="ENTRY_ID", help="the entry's id, as `learner hours` lists it")

    a = _action(
        actions, "remove", "remove units recorded by mistake", "ilm-bot learner remove U012ABCDEF 8577-307", _remove
    )
    a.add_argument("user", metavar="USER", help="the learner's Slack user id")
    a.add_argument("units", metavar="UNIT", nargs="+", help="unit references, e.g. 8577-304")

    a = _action(
        actions,
        "unenrol",
        "take a learner off a qualification (units and hours stay)",
        'ilm-bot learner unenrol U012ABCDEF "award in mentoring"',
        _unenrol,
    )
    a.add_argument("user", metavar="USER", help="the learner's Slack user id")
    a.add_argument("qualification", metavar="QUALIFICATION", help="an id, name or alias")

    a = _action(
        actions,
        "import",
        "import a CSV of enrolments, units, hours and supervisors (running it again adds nothing)",
        "ilm-bot learner import hr.csv",
        _import,
    )
    a.add_argument(
        "file",
        metavar="FILE.csv",
        type=Path,
        help="columns: user (or email),type,qualification,unit,hours,kind,date,note,source[,entry_id,supervisor]",
    )

    a = _action(
        actions,
        "export",
        "everything held about a person, as one JSON document (subject access)",
        "ilm-bot learner export U012ABCDEF --output U012ABCDEF.json",
        _export,
    )
    a.add_argument("user", metavar="USER", help="the person's Slack user id")
    a.add_argument("--output", metavar="FILE", type=Path, help="write the JSON to FILE instead of standard output")

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


def _change(change: Callable[[LearnerStore, Knowledge], str], refusal: tuple[str, str] | None = None) -> int:
    """Run one change against the store; bad input exits 2 with the reason and records nothing.

    ``refusal``: (audit action, subject) recorded when the change is refused, so the audit log shows
    who tried to correct which record even when nothing changed.
    """
    knowledge = load_or_exit()
    with _store() as store:
        try:
            print(change(store, knowledge))
        except ValueError as exc:
            if refusal is not None:
                _audit_read(store, *refusal)
            raise UsageError(str(exc)) from None
    return 0


def _correction(args: argparse.Namespace, action: str, correct: Callable[..., str], *params: object) -> int:
    """A correction of an existing record: a USER with nothing recorded is refused, like any unknown thing."""
    who = _who(args)

    def run(store: LearnerStore, knowledge: Knowledge) -> str:
        if store.learner(who.user).empty:
            raise ValueError(f"nothing is recorded for {who.user}; check the user id")
        return correct(store, knowledge, who, *params)

    return _change(run, (f"{action}_refused", who.user))


def _unenrol(args: argparse.Namespace) -> int:
    return _correction(args, "unenrol", actions.unenrol, args.qualification)


def _remove(args: argparse.Namespace) -> int:
    return _correction(args, "remove_unit", actions.remove, args.units)


def _unlog(args: argparse.Namespace) -> int:
    return _correction(args, "unlog_hours", lambda store, _k, who, entry: actions.unlog(store, who, entry), args.entry)


def _hours(args: argparse.Namespace) -> int:
    user = _user(args.user)
    with _store() as store:
        record = store.learner(user)
        if record.empty:
            _audit_read(store, "view_hours_refused", user)
            raise UsageError(f"nothing is recorded for {user}; check the user id")
        _audit_read(store, "view_hours", user)
    if args.json:
        print(json.dumps([h.to_dict() for h in record.hours], indent=2))
    elif not record.hours:
        print(f"No hours logged for {user}.")
    else:
        print(render_hours(record.hours))
    return 0


def _export(args: argparse.Namespace) -> int:
    user = _user(args.user)
    with _store() as store:
        document = store.export(user, actor=actor())
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        # Personal data: readable by the owner only, and never written over another file (another person's export).
        fd = os.open(args.output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
    except FileExistsError:
        raise UsageError(f"--output: {args.output} already exists; choose a new file name") from None
    except OSError as exc:
        raise UsageError(f"--output: cannot write {args.output} ({exc.strerror})") from None
    print(f"Wrote everything held about {user} to {args.output}.", file=sys.stderr)
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
        changes = read_changes(args.file, knowledge, date.today(), _email_lookup())
    except CsvImportError as exc:
        raise UsageError(f"{args.file}: {describe_errors(exc)}") from None
    if not changes:
        print(f"{args.file}: no data rows; nothing to import.")
        return 0
    with _store() as store:
        applied = store.import_changes(changes, actor=actor())
    print(f"Imported {args.file}: {summary(applied)}.")
    return 0


def _email_lookup() -> Callable[[str], str | None] | None:
    """Emails in a CSV are looked up in Slack when SLACK_BOT_TOKEN is set (the client is made on first use)."""
    token = os.environ.get("SLACK_BOT_TOKEN", "").strip()
    if not token:
        return None
    from bot.runtime.slack_users import client_for, email_lookup  # noqa: PLC0415 - slack_sdk loads only when needed

    api_url = os.environ.get("SLACK_API_URL", "").strip() or "https://slack.com/api/"
    return email_lookup(client_for(token, api_url if api_url.endswith("/") else api_url + "/"))


def _report(args: argparse.Namespace) -> int:
    knowledge = load_or_exit()
    with _store() as store:
        records = store.learners()
        _audit_read(store, "cohort_report")
    rows = cohort_summary(records, knowledge, date.today(), store.settings.stalled_days)
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
                counted(erased.enrolments, "enrolment"),
                counted(erased.units, "unit"),
                counted(erased.hours, "hours entry", "hours entries"),
                counted(erased.contexts, "conversation context"),
                counted(erased.fallbacks, "unanswered question"),
                counted(erased.feedback, "answer rating"),
                counted(erased.reminder_deliveries, "reminder delivery", "reminder deliveries"),
                counted(erased.supervisors, "supervisor link"),
            ]
        )
        print(f"Erased the personal data of {user}: {counts}. The audit log records the erasure.")
    else:
        print(f"Nothing was stored about {user}. The audit log records the request.")
    return 0
