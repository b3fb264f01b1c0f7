"""Developer entry point: ``python -m bot.storage.migrations upgrade|revision MESSAGE`` on DATABASE_URL."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from alembic import command

from bot.storage.database import database_url, make_engine
from bot.storage.migrate import alembic_config, upgrade


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.storage.migrations")
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("upgrade", help="apply every pending migration to DATABASE_URL")
    rev = sub.add_parser("revision", help="draft a migration from the difference between the models and DATABASE_URL")
    rev.add_argument("message")
    args = parser.parse_args(argv)
    engine = make_engine(database_url())
    try:
        upgrade(engine)
        if args.action == "revision":
            with engine.begin() as connection:
                command.revision(alembic_config(connection), message=args.message, autogenerate=True)
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
