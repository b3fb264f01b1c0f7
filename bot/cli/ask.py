"""`ilm-bot ask`: questions in, answers out — one-off, or as a JSON-lines batch.

Batch mode (``--json`` with no question) is how answers are evaluated at
scale: one process, thousands of lines, context kept per user, one output
line per input line in order, and a bad line never stops the batch.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from bot.answers.answer import Answer
from bot.cli.common import brain_or_exit
from bot.core.assistant import Assistant
from bot.runtime.services import Services

DEFAULT_USER = "local"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "ask",
        help="ask one or more questions (one conversation), or answer a JSON-lines batch",
        description="Answer questions as the bot would. Several questions are one conversation, in order. "
        'With --json and no question, read {"user": ..., "text": ...} objects, one per line, from stdin and '
        "write one JSON answer per line.",
    )
    p.add_argument("questions", nargs="*", metavar="QUESTION")
    p.add_argument("--json", action="store_true", help="print answers as JSON objects, one per line")
    p.add_argument("--user", default=DEFAULT_USER, help="the user id the conversation belongs to")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    assistant = Services(brain_or_exit()).assistant()
    if not args.questions:
        if not args.json:
            print("ilm-bot: give a question, or use --json to read JSON lines from stdin", file=sys.stderr)
            return 2
        return batch(assistant, sys.stdin, sys.stdout)
    for question in args.questions:
        answer = assistant.reply(args.user, question)
        print(json.dumps(answer.to_json(), ensure_ascii=False) if args.json else answer.text)
    return 0


def batch(assistant: Assistant, stdin: TextIO, stdout: TextIO) -> int:
    for line in stdin:
        if not line.strip():
            continue
        user, text, error = _parse(line)
        if error:
            out: dict[str, Any] = Answer(text=error, understood=False).to_json()
        else:
            out = assistant.reply(user, text).to_json()
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        stdout.flush()
    return 0


def _parse(line: str) -> tuple[str, str, str | None]:
    try:
        obj = json.loads(line)
    except ValueError:
        return DEFAULT_USER, "", 'Each line must be a JSON object like {"user": "U1", "text": "question"}.'
    if not isinstance(obj, dict):
        return DEFAULT_USER, "", 'Each line must be a JSON object like {"user": "U1", "text": "question"}.'
    text = obj.get("text")
    user = obj.get("user")
    return (str(user) if user else DEFAULT_USER), (text if isinstance(text, str) else ""), None
