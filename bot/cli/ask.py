"""`ilm-bot ask`: questions in, answers out — one-off, or as a JSON-lines batch.

Batch mode (``--json`` with no question) is how answers are evaluated at
scale: one process, thousands of lines, context kept per user, one output
line per input line in order, and a bad line never stops the batch.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, BinaryIO

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
        return batch(assistant, sys.stdin.buffer, sys.stdout.buffer)
    for question in args.questions:
        answer = assistant.reply(args.user, question)
        if args.json:
            sys.stdout.flush()
            sys.stdout.buffer.write(_encode(answer.to_json()))
            sys.stdout.buffer.flush()
        else:
            print(answer.text)
    return 0


#: Longest input line read; the rest of a longer line is skipped and the line answered with an error.
MAX_LINE_BYTES = 1_000_000
SHAPE = 'Each line must be a JSON object like {"user": "U1", "text": "question"}.'


class BadLineError(ValueError):
    """One input line that can't be answered; its message is that line's answer."""


def batch(assistant: Assistant, stdin: BinaryIO, stdout: BinaryIO) -> int:
    """Answer JSON lines from ``stdin`` (bytes, so a bad byte is one bad line, whatever the locale).

    Every non-blank input line gets exactly one output line, in order, as UTF-8;
    a line that can't be answered gets an object with ``"error"`` and the
    batch goes on.
    """
    number = 0
    while raw := stdin.readline(MAX_LINE_BYTES + 1):
        number += 1
        too_long = len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n")
        while too_long and (rest := stdin.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
            pass  # skip the rest of the line without holding it
        if not too_long and not raw.strip():
            continue
        try:
            if too_long:
                raise BadLineError(f"Line {number} is longer than {MAX_LINE_BYTES:,} bytes.")
            user, text = _parse(raw, number)
            out = assistant.reply(user, text).to_json()
        except BadLineError as exc:
            out = _error(str(exc))
        except Exception as exc:  # one failed answer must not end the batch
            print(f"ilm-bot: line {number}: could not be answered ({type(exc).__name__})", file=sys.stderr)
            out = _error(f"Line {number} could not be answered because of an internal error.")
        stdout.write(_encode(out))
        stdout.flush()
    return 0


def _parse(raw: bytes, number: int) -> tuple[str, str]:
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadLineError(
            f"Line {number} is not UTF-8 text (byte 0x{raw[exc.start]:02x} at byte {exc.start + 1})."
        ) from None
    try:
        obj = json.loads(line)
    except RecursionError:
        raise BadLineError(f"Line {number} is nested too deeply. {SHAPE}") from None
    except ValueError:
        raise BadLineError(f"Line {number} is not JSON. {SHAPE}") from None
    if not isinstance(obj, dict):
        raise BadLineError(f"Line {number} is not a JSON object. {SHAPE}")
    text, user = obj.get("text"), obj.get("user")
    if not isinstance(text, str):
        raise BadLineError(f'Line {number} has no "text" string. {SHAPE}')
    if user is not None and not isinstance(user, str | int):
        raise BadLineError(f'Line {number}: "user" must be a string. {SHAPE}')
    user = str(user) if user not in (None, "") else DEFAULT_USER
    for field, value in (("user", user), ("text", text)):
        if not _is_unicode(value):
            raise BadLineError(f'Line {number}: "{field}" holds a lone surrogate (U+D800 to U+DFFF), not text.')
    return user, text


def _is_unicode(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _error(message: str) -> dict[str, Any]:
    return {**Answer(text=message, understood=False).to_json(), "error": message}


def _encode(out: dict[str, Any]) -> bytes:
    """One JSON line as UTF-8; ASCII escapes if some text could still not be encoded."""
    try:
        return (json.dumps(out, ensure_ascii=False) + "\n").encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(out) + "\n").encode("ascii")
