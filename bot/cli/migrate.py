"""`ilm-bot migrate`: bring DATABASE_URL's schema up to date, then exit (a Kubernetes Job or initContainer).

Every process also migrates whenever it opens the database (serialised across
replicas, a no-op when current), so running this first is an option: it moves
the schema change out of the pods' start-up and fails the rollout early.
"""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "migrate",
        help="apply pending database migrations to DATABASE_URL and exit",
        description="Apply every pending migration to the database DATABASE_URL names (the default SQLite file "
        "when unset) and print its schema revision. Safe to run while bots are serving and from several places "
        "at once: migrations are serialised.",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: other commands start without the database stack.
    from bot.storage.database import database_url, open_database, safe_url  # noqa: PLC0415
    from bot.storage.migrate import current_revision  # noqa: PLC0415

    url = args.settings.secret("database_url") or database_url()
    db = open_database(url)  # a DatabaseError exits 1 with the reason (bot.cli.main)
    try:
        print(f"{safe_url(url)}: schema at revision {current_revision(db.engine)}")
    finally:
        db.dispose()
    return 0
