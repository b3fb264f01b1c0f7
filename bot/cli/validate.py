"""`ilm-bot validate [DIR]`: check a knowledge directory before it goes live."""

from __future__ import annotations

import argparse
import sys

from bot.admin.snapshot import check_sources
from bot.cli.common import knowledge_dir
from bot.core.brain import source_dirs


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate",
        help="validate the knowledge YAML",
        description="Validate a knowledge directory: schema, references, credit totals, progression; and the "
        "intents directory ($ILM_INTENTS_DIR or the bundled intents/), read as a reload reads it. "
        "Exits 0 with a one-line summary when valid, 1 with every error listed otherwise.",
    )
    p.add_argument("dir", nargs="?", help="knowledge directory (default: $ILM_KNOWLEDGE_DIR or the bundled knowledge/)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    knowledge, errors = check_sources(knowledge_dir(args.dir), source_dirs()[1])
    if errors:
        n = len(errors)
        print(f"invalid: {n} error{'s' if n != 1 else ''}", file=sys.stderr)
        for err in errors:
            print(f"  {err}", file=sys.stderr)
        return 1
    assert knowledge is not None  # no errors means it loaded
    k = knowledge
    print(f"valid: {len(k.qualifications)} qualifications, {len(k.units)} units, {len(k.equivalences)} equivalences")
    return 0
