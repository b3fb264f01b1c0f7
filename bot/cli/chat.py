"""`ilm-bot chat`: the terminal conversation, on the same engine as Slack.

Line editing and history come from the standard ``readline`` module where
the platform has it; history is kept in ``~/.ilm_bot_history``.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import sys
from pathlib import Path

from bot.cli.common import brain_or_exit
from bot.runtime.services import Services

HISTORY = Path.home() / ".ilm_bot_history"
PROMPT = "you> "


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "chat",
        help="chat with the bot in the terminal",
        description="An interactive conversation with the bot. Type 'quit' or press Ctrl-D to leave.",
    )
    p.add_argument("--user", default=None, help="the user id to chat as (default: your login name)")
    p.set_defaults(func=run)


def _readline() -> object | None:
    try:
        import readline  # noqa: PLC0415 - optional on some platforms
    except ImportError:
        return None
    with contextlib.suppress(OSError):
        readline.read_history_file(HISTORY)
    readline.set_history_length(1000)
    return readline


def run(args: argparse.Namespace) -> int:
    assistant = Services(brain_or_exit()).assistant()
    user = args.user or getpass.getuser()
    rl = _readline()
    interactive = sys.stdin.isatty()
    if interactive:
        print(
            "ilm-bot: ask me about the ILM Level 3 coaching and mentoring qualifications. "
            "Type 'help' for ideas, 'quit' to leave."
        )
    try:
        while True:
            try:
                line = input(PROMPT if interactive else "")
            except EOFError:
                break
            if line.strip().lower() in {"quit", "exit", ":q"}:
                break
            if not line.strip():
                continue
            answer = assistant.reply(user, "what can you do" if line.strip().lower() == "help" else line)
            print(f"bot> {answer.text}\n" if interactive else answer.text)
    except KeyboardInterrupt:
        print()
    finally:
        if rl is not None:
            with contextlib.suppress(OSError):
                rl.write_history_file(HISTORY)  # type: ignore[attr-defined]
    return 0
