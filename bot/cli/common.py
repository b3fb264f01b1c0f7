"""Helpers every subcommand shares: loading knowledge, exiting with a clear message."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path
from typing import NoReturn

from bot.core.brain import Brain
from bot.errors import InputError
from bot.knowledge import KnowledgeInvalidError, load_knowledge
from bot.knowledge.lookup import qualification_id, unit_refs
from bot.knowledge.models import Knowledge

EXIT_USAGE = 2


#: Bad input from the user: printed on stderr, exit code 2, never a traceback. The same type every layer
#: raises for input mistakes, so a lower layer's ``InputError`` reaching ``bot.cli.main`` is shown the same way.
UsageError = InputError


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    print(f"ilm-bot: {message}", file=sys.stderr)
    raise SystemExit(code)


def knowledge_dir(explicit: str | None = None) -> Path | None:
    value = explicit or os.environ.get("ILM_KNOWLEDGE_DIR")
    return Path(value) if value else None


def _exit_invalid(what: str, exc: KnowledgeInvalidError) -> NoReturn:
    print(f"ilm-bot: the {what} invalid:", file=sys.stderr)
    for err in exc.errors:
        print(f"  {err}", file=sys.stderr)
    raise SystemExit(1)


def load_or_exit(explicit: str | None = None) -> Knowledge:
    try:
        return load_knowledge(knowledge_dir(explicit))
    except KnowledgeInvalidError as exc:
        _exit_invalid("knowledge base is", exc)


def brain_or_exit(knowledge: Path | None = None, intents: Path | None = None) -> Brain:
    """Load knowledge and intents (given, else ILM_KNOWLEDGE_DIR / ILM_INTENTS_DIR, else the shipped ones),
    or exit 1 with every error."""
    try:
        return Brain.load(knowledge, intents)
    except KnowledgeInvalidError as exc:
        _exit_invalid("knowledge or intents are", exc)


def qualification_or_error(text: str, knowledge: Knowledge) -> str:
    try:
        return qualification_id(text, knowledge)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def units_or_error(items: list[str], knowledge: Knowledge) -> list[str]:
    """Parse unit references; any unknown one is an error naming the nearest real codes."""
    try:
        return unit_refs(items, knowledge)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def actor() -> str:
    """Who is making the change, for the audit log: ``cli:`` and the operator's login name."""
    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):  # no login name (some containers)
        return "cli:unknown"
