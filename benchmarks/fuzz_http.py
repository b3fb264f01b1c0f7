"""HTTP fuzz run: thousands of forged, malformed and valid requests into a running `ilm-bot serve`.

What it sends (a seeded mix, ``--requests`` in all, ``--workers`` at a time):

* **forged**: no signature, a wrong one, a non-ASCII one, stale or future
  timestamps, timestamps that are not numbers (``abc``, ``1.5``, 4,300
  digits, Arabic-Indic digits), a body that is not UTF-8 — each must get 401;
* **malformed** (signed correctly): random bytes, non-UTF-8, deep nesting,
  parts of the wrong type or ``null`` (``event``, ``actions``, ``view``,
  ``user``…), event ids longer than their column, empty forms, a body over
  the size limit — each must get 400 (413 for the size);
* **protocol**: other methods and paths — 404 or 405;
* **valid**: DMs, each from its own user, some delivered two or three times
  (Slack's retries) — each must get 200 and be answered exactly once.

What it counts: crashes (the process exits, or a request finds nothing
listening), 5xx responses, any status other than the expected one,
tracebacks in the bot's log, and lost (acknowledged, never answered) or
duplicated answers. The bot's log and the fake Slack's calls are the
evidence; the numbers go to ``benchmarks/results/fuzz_http.json``.

    .venv/bin/python -m benchmarks.fuzz_http                      # 3,000 requests, SQLite
    .venv/bin/python -m benchmarks.fuzz_http --requests 10000 --database-url postgresql+psycopg://…/ilm_fuzz
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlencode

from benchmarks.bench_http import Bot, database
from benchmarks.common import REPO, RESULTS, machine, write_json

sys.path.insert(0, str(REPO / "tests"))
from fakeslack import FakeSlack  # the test suite's fake Slack, on purpose
from slack_payloads import block_actions, event_callback, message_im, signature

QUESTIONS = [
    "how many credits is the award?",
    "how many credits is 8578-302?",
    "which units are in the award in mentoring?",
    "what level is the certificate?",
    "how many GLH is the award?",
    "C&amp;M &lt;b&gt; <!channel> ?",
    "",
]


@dataclass
class Case:
    kind: str  # forged, malformed, protocol, valid
    name: str
    method: str
    path: str
    body: bytes
    headers: list[tuple[str, bytes]]
    expect: tuple[int, ...]
    channel: str | None = None  # a valid DM: the channel its answer must reach


class Generator:
    def __init__(self, seed: int, secret: str) -> None:
        self.rng = random.Random(seed)
        self.secret = secret
        self.users = 0

    def signed(self, body: bytes, content_type: str, ts: str | None = None) -> list[tuple[str, bytes]]:
        ts = ts or str(int(time.time()))
        return [
            ("Content-Type", content_type.encode()),
            ("X-Slack-Request-Timestamp", ts.encode()),
            ("X-Slack-Signature", signature(self.secret, ts, body).encode()),
        ]

    def dm(self) -> tuple[dict[str, Any], str]:
        self.users += 1
        user = f"UFZ{self.users:06d}"
        return event_callback(message_im(user, self.rng.choice(QUESTIONS))), f"D{user}"

    # -- forged ----------------------------------------------------------------------------------

    def forged(self) -> Case:
        payload, _ = self.dm()
        body = json.dumps(payload).encode()
        now = int(time.time())
        good_ts = str(now).encode()
        good_sig = signature(self.secret, str(now), body).encode()
        variants: dict[str, tuple[bytes | None, bytes | None, bytes]] = {
            "no signature": (good_ts, None, body),
            "no timestamp": (None, good_sig, body),
            "wrong signature": (good_ts, b"v0=" + self.rng.randbytes(32).hex().encode(), body),
            "signature of another body": (good_ts, signature(self.secret, str(now), b"{}").encode(), body),
            "non-ASCII signature": (good_ts, "v0=é€".encode(), body),
            "latin-1 signature": (good_ts, "v0=\xe9".encode("latin-1"), body),
            "stale": (str(now - 400).encode(), signature(self.secret, str(now - 400), body).encode(), body),
            "future": (str(now + 400).encode(), signature(self.secret, str(now + 400), body).encode(), body),
            "timestamp abc": (b"abc", good_sig, body),
            "timestamp 1.5": (b"1.5", good_sig, body),
            "timestamp empty": (b"", good_sig, body),
            "timestamp 4300 digits": (b"9" * 4300, good_sig, body),
            "timestamp arabic digits": ("١٧٠٠٠٠٠٠٠٠".encode(), good_sig, body),
            "timestamp negative": (b"-1", good_sig, body),
            "not UTF-8, unsigned": (good_ts, b"v0=" + b"0" * 64, b"\xff\xfe" + body),
        }
        name = self.rng.choice(sorted(variants))
        ts, sig, raw = variants[name]
        headers = [("Content-Type", b"application/json")]
        if ts is not None:
            headers.append(("X-Slack-Request-Timestamp", ts))
        if sig is not None:
            headers.append(("X-Slack-Signature", sig))
        return Case("forged", name, "POST", "/slack/events", raw, headers, (401,))

    # -- malformed, signed -----------------------------------------------------------------------

    def malformed(self) -> Case:
        name = self.rng.choice(sorted(self._malformed))
        raw, content_type, expect = self._malformed[name](self)
        return Case("malformed", name, "POST", "/slack/events", raw, self.signed(raw, content_type), expect)

    def _wrong_part(self) -> tuple[bytes, str, tuple[int, ...]]:
        """A part Bolt or a listener reads, given a type it can't be (or an explicit null)."""
        wrong = self.rng.choice([None, 1, [1, 2], True, 1.5, "x"])
        if self.rng.random() < 0.5:
            payload, _ = self.dm()
            key = self.rng.choice(["event", "event_id", "authorizations", "event.user"])
            if key == "event.user":
                payload["event"]["user"] = [wrong]
            else:
                payload[key] = wrong if wrong != "x" or key != "event_id" else 12345  # "x" is a fine id
            return json.dumps(payload).encode(), "application/json", (400,)
        action = block_actions("UFZX", "feedback_up", "{}")
        action[self.rng.choice(["actions", "user", "view"])] = wrong
        return urlencode({"payload": json.dumps(action)}).encode(), "application/x-www-form-urlencoded", (400,)

    _malformed: ClassVar[dict[str, Callable[[Generator], tuple[bytes, str, tuple[int, ...]]]]] = {
        "random bytes as JSON": lambda g: (g.rng.randbytes(g.rng.randint(0, 300)), "application/json", (400,)),
        "random bytes as a form": lambda g: (
            g.rng.randbytes(g.rng.randint(1, 300)),
            "application/x-www-form-urlencoded",
            (400,),
        ),
        "not UTF-8, signed": lambda g: (b'{"type": "event_callback", "x": "\xff"}', "application/json", (400,)),
        "deep nesting": lambda g: (
            b'{"type": "event_callback", "event": ' + b"[" * (d := g.rng.randint(65, 100_000)) + b"]" * d + b"}",
            "application/json",
            (400,),
        ),
        "JSON that is not an object": lambda g: (
            json.dumps(g.rng.choice([[1], "x", 1, None])).encode(),
            "application/json",
            (400,),
        ),
        "part of the wrong type": _wrong_part,
        "event id longer than its column": lambda g: (
            json.dumps({**g.dm()[0], "event_id": "E" * g.rng.randint(129, 5000)}).encode(),
            "application/json",
            (400,),
        ),
        "payload not JSON": lambda g: (b"payload=%7Bnot", "application/x-www-form-urlencoded", (400,)),
        "command without a user": lambda g: (b"command=%2Film&text=help", "application/x-www-form-urlencoded", (400,)),
        # waitress answers 413 from the declared length and closes: a client still writing may see a reset (0).
        "body over the limit": lambda g: (b"{" + b" " * 1_000_001 + b"}", "application/json", (413, 0)),
    }

    # -- protocol and valid ----------------------------------------------------------------------

    def protocol(self) -> Case:
        method, path, expect = self.rng.choice(
            [("GET", "/slack/events", 405), ("PUT", "/slack/events", 405), ("POST", "/", 404), ("GET", "/x", 404)]
        )
        return Case("protocol", f"{method} {path}", method, path, b"", [], (expect,))

    def valid(self) -> list[Case]:
        """One DM, delivered once or, as Slack's retries do, two or three times."""
        payload, channel = self.dm()
        body = json.dumps(payload).encode()
        copies = self.rng.choice([1, 1, 1, 2, 3])
        return [
            Case("valid", "DM" if n == 0 else "DM retried", "POST", "/slack/events", body, [], (200,), channel)
            for n in range(copies)
        ]

    def cases(self, count: int) -> list[Case]:
        out: list[Case] = []
        while len(out) < count:
            roll = self.rng.random()
            if roll < 0.35:
                out.append(self.forged())
            elif roll < 0.75:
                out.append(self.malformed())
            elif roll < 0.8:
                out.append(self.protocol())
            else:
                out.extend(self.valid())
        return out[:count]


def send(port: int, case: Case, secret: str) -> int:
    """The status, or 0 when nothing answered (a crash, or a dropped connection)."""
    headers = case.headers
    extra: list[tuple[str, bytes]] = []
    if case.kind == "valid":  # signed at send time, so a queued retry is never stale
        ts = str(int(time.time()))
        headers = [
            ("Content-Type", b"application/json"),
            ("X-Slack-Request-Timestamp", ts.encode()),
            ("X-Slack-Signature", signature(secret, ts, case.body).encode()),
        ]
        if case.name == "DM retried":
            extra = [("X-Slack-Retry-Num", b"1"), ("X-Slack-Retry-Reason", b"http_timeout")]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.putrequest(case.method, case.path)
        for name, value in headers + extra:
            conn.putheader(name, value)
        conn.putheader("Content-Length", str(len(case.body)))
        conn.endheaders(case.body)
        return conn.getresponse().status
    except OSError:
        return 0
    finally:
        conn.close()


def run(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp, FakeSlack(socket_mode=False) as slack:
        workdir = Path(tmp)
        with database(args.database_url, workdir) as url:
            bot = Bot(slack.env(), workdir / "bot.log", {"DATABASE_URL": url})
            try:
                cases = Generator(args.seed, slack.signing_secret).cases(args.requests)
                started = time.monotonic()
                with ThreadPoolExecutor(args.workers) as pool:
                    statuses = list(pool.map(lambda c: send(bot.port, c, slack.signing_secret), cases))
                elapsed = time.monotonic() - started
                wanted = {c.channel for c, s in zip(cases, statuses, strict=True) if c.channel and s == 200}
                deadline = time.monotonic() + args.drain_timeout
                while time.monotonic() < deadline:
                    if wanted <= {str(c.channel) for c in slack.calls_to("chat.postMessage")}:
                        break
                    time.sleep(0.2)
                time.sleep(2.0)  # a duplicate would arrive after the first answer
                alive = bot.proc.poll() is None
                log = bot.log.read_text(errors="replace")
            finally:
                bot.stop()
    answers = Counter(str(c.channel) for c in slack.calls_to("chat.postMessage"))
    by_kind: dict[str, Counter[str]] = {}
    unexpected: Counter[str] = Counter()
    for case, status in zip(cases, statuses, strict=True):
        by_kind.setdefault(case.kind, Counter())[str(status)] += 1
        if status not in case.expect:
            unexpected[f"{case.kind}: {case.name} -> {status}"] += 1
    valid_events = {c.channel for c in cases if c.channel}
    return {
        "requests": len(cases),
        "seed": args.seed,
        "seconds": round(elapsed, 1),
        "by_kind": {kind: dict(counts) for kind, counts in sorted(by_kind.items())},
        "cases": dict(Counter(f"{c.kind}: {c.name}" for c in cases)),
        "crashes": int(not alive),  # the process exited
        "no_response": statuses.count(0),  # connection closed without an answer (expected only over the limit)
        "responses_5xx": sum(1 for s in statuses if s >= 500),
        "unexpected_status": dict(unexpected),
        "tracebacks_in_log": log.count("Traceback"),
        "error_lines_in_log": sum(1 for line in log.splitlines() if '"level": "error"' in line),
        "valid_events": len(valid_events),
        "valid_deliveries": sum(1 for c in cases if c.channel),
        "acknowledged_events": len(wanted),
        "lost_answers": len(wanted - set(answers)),
        "duplicated_answers": sum(n - 1 for channel, n in answers.items() if channel in valid_events and n > 1),
        "sorry_messages": len(slack.calls_to("chat.postEphemeral")),
        "machine": machine(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fuzz_http", description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=3000, help="requests to send (default 3000)")
    parser.add_argument("--seed", type=int, default=13, help="random seed (default 13)")
    parser.add_argument("--workers", type=int, default=8, help="requests in flight at once (default 8)")
    parser.add_argument("--database-url", default=None, help="PostgreSQL to use (default: a fresh SQLite file)")
    parser.add_argument("--drain-timeout", type=float, default=60.0, help="longest wait for the answers (s)")
    parser.add_argument("--out", type=Path, default=RESULTS / "fuzz_http.json")
    args = parser.parse_args(argv)
    result = run(args)
    write_json(result, args.out)
    shown = {k: v for k, v in result.items() if k not in ("machine", "cases")}
    print(json.dumps(shown, indent=2))
    failed = result["crashes"] or result["responses_5xx"] or result["unexpected_status"] or result["tracebacks_in_log"]
    # "no_response" alone is the over-limit body's reset, which the expectations already allow
    return 1 if failed or result["lost_answers"] or result["duplicated_answers"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
