"""`ilm-bot admin`: the operators' side of `/ilm-admin` (reload, status, history, rollback).

The command line serves nothing itself: a reload or rollback here is stored in
the database, and every running replica switches to it within seconds.
"""

from __future__ import annotations

import argparse

from bot.cli.common import EXIT_USAGE, actor


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "admin",
        help="reload or roll back the knowledge of the running bots; status and history",
        description="Knowledge versions, shared by every replica through DATABASE_URL.",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("reload", help="validate ILM_KNOWLEDGE_DIR and ILM_INTENTS_DIR and make them current")
    actions.add_parser("status", help="the current version, the database, and the replicas seen recently")
    actions.add_parser("history", help="recent versions, who loaded them and when")
    r = actions.add_parser("rollback", help="make the previous version (or VERSION) current again")
    r.add_argument("version", nargs="?", metavar="VERSION", help="a version id or its first characters")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from bot.admin import render  # noqa: PLC0415 - the database stack loads only for this command
    from bot.admin.service import KnowledgeAdmin  # noqa: PLC0415
    from bot.admin.versions import VersionStore  # noqa: PLC0415
    from bot.storage import open_database  # noqa: PLC0415
    from bot.storage.database import reachable  # noqa: PLC0415

    db = open_database()  # a DatabaseError becomes exit 1 with the reason, in bot.cli.main
    try:
        admin = KnowledgeAdmin(VersionStore(db))
        if args.action == "reload":
            result = admin.reload(actor())
            print(render.outcome(result, "reload"))
            return 0 if result.ok else EXIT_USAGE
        if args.action == "rollback":
            result = admin.rollback(actor(), args.version)
            print(render.outcome(result, "rollback"))
            return 0 if result.ok else EXIT_USAGE
        if args.action == "status":
            print(render.status(admin.status(), database_ok=reachable(db)))
        else:
            print(render.history(admin.store.history(15)))
        return 0
    finally:
        db.dispose()
