"""`ilm-bot ask --json` batches: a bad line gets an error object on its own line, and the batch goes on.

Issue 13 item 6. A seeded generator mixes good questions with every class of
bad line (lone surrogates in the user id or text, deep nesting, bytes that are
not UTF-8, JSON that is not an object, no text, a line over the size cap) and
runs the real command under strict UTF-8 locales. Every input line must get
exactly one output line, in order, and the good ones must still be answered
in their conversation.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.cli.ask import MAX_LINE_BYTES

ILM_BOT = str(Path(sys.executable).parent / "ilm-bot")
SEED = 6
BAD_LINES = 240


def _surrogate(rng: random.Random) -> bytes:
    lone = f"\\u{rng.randrange(0xD800, 0xE000):04x}"
    field = rng.choice(["user", "text"])
    other = {"user": "U1", "text": "what level is the award?"}
    body = ", ".join(f'"{k}": "{lone if k == field else v}"' for k, v in other.items())
    return ("{" + body + "}").encode()


def _nested(rng: random.Random) -> bytes:
    depth = rng.choice([rng.randrange(1_000, 5_000), rng.randrange(5_000, 200_000)])
    inner = rng.choice(["[" * depth + "]" * depth, '{"a": ' * depth + "1" + "}" * depth])
    return rng.choice([inner, f'{{"user": "U2", "text": {inner}}}', f'{{"user": {inner}, "text": "hi"}}']).encode()


def _not_utf8(rng: random.Random) -> bytes:
    good = json.dumps({"user": "U3", "text": "how many credits is the award worth?"}).encode()
    bad = rng.choice([b"\xff", b"\xc3(", b"\xe9", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\x80", b"\xc0\xaf"])
    at = rng.randrange(1, len(good) - 1)
    return good[:at] + bad + good[at:]


def _not_an_object(rng: random.Random) -> bytes:
    return rng.choice(["[1, 2]", '"text"', "42", "null", "true", "1e999", '[{"text": "hi"}]', "nope", "{"]).encode()


def _no_text(rng: random.Random) -> bytes:
    obj = rng.choice([{"user": "U4"}, {"user": "U4", "text": None}, {"text": 7}, {"text": ["a"]}, {"text": {}}, {}])
    return json.dumps(obj).encode()


def _bad_user(rng: random.Random) -> bytes:
    return json.dumps({"user": rng.choice([["U"], {"id": "U"}, 1.5]), "text": "hello"}).encode()


BAD: dict[str, Callable[[random.Random], bytes]] = {
    "surrogate": _surrogate,
    "nested": _nested,
    "not utf-8": _not_utf8,
    "not an object": _not_an_object,
    "no text": _no_text,
    "bad user": _bad_user,
}

#: A conversation that must survive the bad lines around it: the follow-ups need the context.
GOOD = [
    ({"user": "G", "text": "How many GLH is 8577-306?"}, "12 guided learning hours"),
    ({"user": "G", "text": "and 8577-307?"}, "6 guided learning hours"),
    ({"user": "H", "text": "what are the units of the award"}, "8577-304"),
    ({"user": "H", "text": "and the certificate in mentoring?"}, "8577-306"),
]


def _batch(rng: random.Random) -> tuple[bytes, list[tuple[str, str | None]]]:
    """Input bytes, and per line what must come back: ("error", None) or ("answer", expected text)."""
    lines: list[bytes] = []
    expect: list[tuple[str, str | None]] = []
    kinds = [rng.choice(list(BAD)) for _ in range(BAD_LINES)]
    good = iter(GOOD)
    for i, kind in enumerate(kinds):
        if i % (BAD_LINES // len(GOOD)) == 0 and (item := next(good, None)):
            lines.append(json.dumps(item[0]).encode())
            expect.append(("answer", item[1]))
        lines.append(BAD[kind](rng))
        expect.append(("error", kind))
    lines.append(b'{"user": "Z", "text": "' + b"x" * (MAX_LINE_BYTES + 10) + b'"}')
    expect.append(("error", "too long"))
    lines.append(json.dumps({"user": "Z", "text": "what level is the award?"}).encode())
    expect.append(("answer", "Level 3"))
    return b"\n".join(lines) + b"\n", expect


@pytest.mark.parametrize(
    "env",
    [{"LC_ALL": "C.UTF-8"}, {"LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8:strict"}, {"PYTHONIOENCODING": "ascii"}],
    ids=["C.UTF-8", "strict", "ascii"],
)
def test_every_bad_line_gets_its_own_error_and_the_batch_goes_on(env: dict[str, str]) -> None:
    stdin, expect = _batch(random.Random(SEED))
    proc = subprocess.run(
        [ILM_BOT, "ask", "--json"],
        input=stdin,
        capture_output=True,
        timeout=300,
        env={**os.environ, **env},
        check=False,
    )
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 0, stderr[-2000:]
    assert "Traceback" not in stderr
    out = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    assert len(out) == len(expect)
    for got, (what, detail) in zip(out, expect, strict=True):
        assert got["text"].strip(), got
        if what == "error":
            assert got["understood"] is False and got["error"] == got["text"], (detail, got)
            assert "\\u" not in got["text"] and len(got["text"]) < 300, (detail, got)
        else:
            assert "error" not in got and detail in got["text"], (detail, got)
