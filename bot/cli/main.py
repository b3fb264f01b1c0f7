"""Entry point of the `ilm-bot` console script.

Each subcommand lives in its own module with a ``register(subparsers)``
function; this module only wires them together and turns expected errors
into clean exits (users never see a traceback).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot import __version__
from bot.cli import admin, ask, chat, check, learner, manifest, migrate, serve, validate
from bot.cli import eval as eval_cmd
from bot.cli.common import UsageError, fail
from bot.errors import DatabaseError, ServiceError, SettingError, UnreadableFileError
from bot.settings import Settings

#: A database that can't be opened or used, a setting with a bad value, or an input file that can't be read:
#: a problem with the setup, not with what was typed or written in the file.
EXIT_SETUP = 1

COMMANDS = (admin, ask, chat, check, eval_cmd, learner, manifest, migrate, serve, validate)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ilm-bot",
        description=("The ILM Level 3 coaching and mentoring assistant. Run with no command to chat in the terminal."),
    )
    parser.add_argument("--version", action="version", version=f"ilm-bot {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        # Every variable, read and checked once here; commands take what they need from args.settings.
        args.settings = Settings.load()
        if args.command is None:  # connect to Slack when a bot token is set, else the terminal chat
            command = "serve" if args.settings.slack_bot_token else "chat"
            args = parser.parse_args([command], namespace=args)
        return int(args.func(args) or 0)
    except UsageError as exc:
        fail(str(exc))
    except (DatabaseError, ServiceError, SettingError, UnreadableFileError) as exc:
        fail(str(exc), EXIT_SETUP)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
