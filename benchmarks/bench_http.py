"""The Slack HTTP path under load: signed DM events at a fixed rate into `ilm-bot serve`, answers into a fake Slack.

Everything real except Slack: ``ilm-bot serve`` processes (waitress, Bolt, the
database, the engine) on loopback, a load generator that signs and sends
``message.im`` events the way Slack does, and the test suite's fake Slack Web
API (``tests/fakeslack.py``) receiving the answers. The issue's target: 100
events/s for 60 s on one process, every request acked within 3 s, every answer
delivered; then the same on two processes sharing a database.

Why it is built this way:

* **Open loop.** Each event has a scheduled send time (``i / rate``) and is
  handed to a thread pool at that time, so a slow ack does not slow the sender
  down and hide itself (coordinated omission). How late the generator was
  against its schedule is reported (``generator_lag_ms``); the ack latency is
  measured from the actual send to the end of the HTTP response, on a new
  connection per request, as Slack makes them.
* **The fake Slack runs in its own process.** It records every call in Python;
  in the load generator's process its threads would compete for the GIL with
  the clients being timed. Both processes read the same monotonic clock, so an
  answer's delay is the time from sending the event to the fake recording the
  ``chat.postMessage``. Its listen backlog is raised from the standard
  library's 5 to 128 (only inside that child process), so a burst of the bot's
  connections is not met with dropped SYNs and one-second retransmits, which
  would be the fake's limit and not the bot's. Its CPU time is reported, to
  show whether it kept up.
* **Many users, real conversations.** Event *i* comes from user ``i mod
  --users``; each user works through whole conversations of the workload
  (``benchmarks.common``), so clarifications and follow-ups meet their context
  in the database. Answers are matched to events by DM channel, first in first
  out per channel.

    .venv/bin/python -m benchmarks.bench_http                       # 100/s for 60 s, 1 process, SQLite
    .venv/bin/python -m benchmarks.bench_http --database-url postgresql+psycopg://postgres@127.0.0.1:5432/ilm_bench
    .venv/bin/python -m benchmarks.bench_http --processes 2 --database-url postgresql+psycopg://…

A PostgreSQL URL gets a fresh schema for the run (the database itself is created
if missing), dropped afterwards. Results: ``benchmarks/results/http*.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import json
import multiprocessing
import os
import random
import shutil
import signal
import string
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from benchmarks.common import REPO, RESULTS, Conversation, load_workload, machine, summary, write_json
from benchmarks.synthetic import write

sys.path.insert(0, str(REPO / "tests"))
from slack_payloads import event_callback, message_im, signed_headers  # the test suite's Slack shapes, on purpose

ILM_BOT = str(Path(sys.executable).parent / "ilm-bot")
ACK_LIMIT_S = 3.0
CLOCK_TICK = os.sysconf("SC_CLK_TCK")
#: Listen backlog of the fake Slack's server in its own process (the standard library's default is 5).
FAKE_BACKLOG = 128


# -- processes: memory and CPU from /proc ------------------------------------------------


def proc_status(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM (peak) of a live process, in MB."""
    out: dict[str, float] = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) / 1024
    return out


def rss_mb(pid: int) -> float:
    return proc_status(pid).get("VmRSS", float("nan"))


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a live process (all its threads)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICK  # utime, stime (fields 14 and 15 of stat)


# -- the fake Slack, in a process of its own ------------------------------------------------


@dataclass(frozen=True)
class Post:
    """What the benchmark needs of one call the fake Slack recorded."""

    method: str
    channel: str | None
    at: float  # time.monotonic() in the fake's process (the same clock as ours)
    ok: bool


def _fake_slack_main(conn: Connection, backlog: int) -> None:
    """Child process: run FakeSlack and answer the parent's questions about the calls it recorded."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when we stop
    from http.server import ThreadingHTTPServer  # noqa: PLC0415

    from fakeslack import FakeSlack  # noqa: PLC0415

    ThreadingHTTPServer.request_queue_size = backlog  # only in this process
    with FakeSlack(socket_mode=False) as slack:
        conn.send({"env": slack.env(), "pid": os.getpid()})
        while True:
            command, arg = conn.recv()
            if command == "count":
                conn.send(len(slack.calls_to(arg)))
            elif command == "calls":
                conn.send([Post(c.method, c.channel, c.at, c.ok) for c in slack.calls[arg:]])
            elif command == "mark":
                conn.send(slack.mark())
            else:
                conn.send(None)
                return


class FakeSlackProcess:
    """``tests/fakeslack.py`` in a child process; ``env`` is what a bot process needs to use it."""

    def __init__(self) -> None:
        ctx = multiprocessing.get_context("fork")  # before any thread of ours starts
        self._conn, child = ctx.Pipe()
        self._lock = threading.Lock()
        self.proc = ctx.Process(target=_fake_slack_main, args=(child, FAKE_BACKLOG), daemon=True)
        self.proc.start()
        hello = self._conn.recv()
        self.env: dict[str, str] = hello["env"]
        self.pid: int = hello["pid"]
        self.secret = self.env["SLACK_SIGNING_SECRET"]

    def _ask(self, command: str, arg: Any = None) -> Any:
        with self._lock:
            self._conn.send((command, arg))
            return self._conn.recv()

    def count(self, methods: Sequence[str]) -> int:
        return int(self._ask("count", list(methods)))

    def calls(self, after: int = 0) -> list[Post]:
        return list(self._ask("calls", after))

    def mark(self) -> int:
        return int(self._ask("mark"))

    def stop(self) -> None:
        if self.proc.is_alive():
            with contextlib.suppress(OSError, EOFError):
                self._ask("stop")
            self.proc.join(5)
        if self.proc.is_alive():
            self.proc.kill()

    def __enter__(self) -> FakeSlackProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


# -- bot processes ----------------------------------------------------------------------------


def free_port() -> int:
    import socket  # noqa: PLC0415

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def http_get(url: str, timeout: float = 5.0) -> int:
    """Status of a GET; 0 when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            resp.read()
            return int(resp.status)
    except urllib.error.HTTPError as e:
        return int(e.code)
    except OSError:
        return 0


class Bot:
    """``ilm-bot serve`` in HTTP mode on a free port; ``ready_seconds`` is process start to the first /readyz 200.

    /readyz is polled every 10 ms (the test helper polls every 100 ms, too coarse for a cold start figure).
    """

    def __init__(self, slack_env: dict[str, str], log: Path, env: dict[str, str], timeout: float = 300.0) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.events = f"{self.base}/slack/events"
        self.log = log
        environ = {**os.environ, **slack_env, "PORT": str(self.port), **env}
        environ.pop("SLACK_APP_TOKEN", None)  # HTTP mode
        started = time.perf_counter()
        self.proc = subprocess.Popen([ILM_BOT, "serve"], env=environ, stdout=log.open("a"), stderr=subprocess.STDOUT)
        self.pid = self.proc.pid
        deadline = time.monotonic() + timeout
        while http_get(f"{self.base}/readyz", timeout=1.0) != 200:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"bot did not become ready:\n{log.read_text()[-4000:]}")
            time.sleep(0.01)
        self.ready_seconds = time.perf_counter() - started

    def metrics(self) -> str:
        try:
            with urllib.request.urlopen(f"{self.base}/metrics", timeout=5) as resp:
                return str(resp.read().decode())
        except OSError:
            return ""

    def log_levels(self) -> dict[str, Any]:
        """How many log lines of each level the bot wrote, and its most frequent warnings and errors.

        Its logs are JSON, one object per line; a problem under load shows here before it shows anywhere else.
        """
        levels: Counter[str] = Counter()
        problems: Counter[str] = Counter()
        for line in self.log.read_text(errors="replace").splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                levels["not-json"] += 1
                problems[line[:200]] += 1
                continue
            level = str(entry.get("level", "?"))
            levels[level] += 1
            if level not in ("info", "debug"):
                problems[f"{level} {entry.get('logger')}: {str(entry.get('msg'))[:200]}"] += 1
        return {"levels": dict(levels), "top_problems": problems.most_common(5)}

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


# -- databases -----------------------------------------------------------------------------------


@contextlib.contextmanager
def database(url: str | None, directory: Path) -> Iterator[str]:
    """A fresh SQLite file in ``directory``, or a fresh schema in the PostgreSQL database ``url`` (created if missing).

    The schema is dropped afterwards (``tests/pgschema.py``, shared with the tests); the bot migrates it on
    start like any empty database.
    """
    if not url:
        yield f"sqlite:///{directory / 'bench.db'}"
        return
    from pgschema import fresh_schema  # noqa: PLC0415 - imports the bot's storage, only needed for PostgreSQL

    with fresh_schema(url, prefix="bench") as scratch:
        yield scratch


# -- the events ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    """One signed-at-send-time DM event: its body is built in advance, so the sender only signs and posts."""

    index: int
    user: str
    channel: str
    body: bytes


def _fresh_word(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(6, 10)))


def make_events(
    count: int,
    users: int,
    conversations: Sequence[Conversation],
    *,
    fresh_fraction: float = 0.0,
    seed: int = 8,
) -> list[Event]:
    """``count`` DM events from ``users`` users, each user going through whole conversations of the workload.

    ``fresh_fraction`` of the messages get a word never seen before appended ("thanks, <word>"), as real
    traffic carries names and typos: it exercises the engine's word-level caches with new keys.
    """
    rng = random.Random(seed)
    next_conversation = itertools.cycle(range(len(conversations)))
    queues: dict[str, deque[str]] = {}
    run = uuid.uuid4().hex[:8]
    events: list[Event] = []
    for i in range(count):
        user = f"UL{i % users:05d}"
        queue = queues.get(user)
        if not queue:
            queue = queues[user] = deque(conversations[next(next_conversation)])
        text = queue.popleft()
        if fresh_fraction and rng.random() < fresh_fraction:
            text = f"{text} thanks, {_fresh_word(rng)}"
        event = message_im(user, text)
        payload = event_callback(event, event_id=f"Ev{run}{i:07d}")
        events.append(Event(i, user, event["channel"], json.dumps(payload).encode("utf-8")))
    return events


# -- the load generator -------------------------------------------------------------------------------


@dataclass
class Sent:
    """One request as the load generator saw it; times are ``time.monotonic()``."""

    index: int
    target: int  # which bot process
    channel: str
    scheduled: float
    started: float = 0.0
    finished: float = 0.0
    status: int = 0
    error: str | None = None

    @property
    def ack_ms(self) -> float:
        return (self.finished - self.started) * 1000

    @property
    def acked_in_time(self) -> bool:
        return self.status == 200 and self.finished - self.started <= ACK_LIMIT_S


def _post(port: int, body: bytes, secret: str, timeout: float) -> int:
    """POST one signed event on a new connection (as Slack does); the HTTP status."""
    headers = signed_headers(secret, body, content_type="application/json")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", "/slack/events", body=body, headers=headers)
        resp = conn.getresponse()
        resp.read()
        return int(resp.status)
    finally:
        conn.close()


def run_load(
    events: Sequence[Event],
    bots: Sequence[Bot],
    secret: str,
    rate: float,
    *,
    workers: int = 256,
    timeout: float = 10.0,
    progress: Callable[[int], None] | None = None,
) -> list[Sent]:
    """Send ``events`` at ``rate`` per second, open loop, alternating between ``bots``; every request's outcome."""
    ports = [b.port for b in bots]
    sent = [Sent(e.index, e.index % len(bots), e.channel, 0.0) for e in events]

    def send(i: int) -> None:
        record = sent[i]
        record.started = time.monotonic()
        try:
            record.status = _post(ports[record.target], events[i].body, secret, timeout)
        except Exception as exc:  # a refused or timed-out request is a result, not a crash
            record.error = type(exc).__name__
        record.finished = time.monotonic()

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="load") as pool:
        start = time.monotonic() + 0.2
        for i in range(len(events)):
            at = start + i / rate
            delay = at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            sent[i].scheduled = at
            pool.submit(send, i)
            if progress and i and i % int(rate * 10) == 0:
                progress(i)
    return sent


def wait_for_answers(
    slack: FakeSlackProcess, after: int, expected: int, timeout: float, quiet: float = 2.0
) -> tuple[list[Post], float]:
    """The answers posted since call ``after``, once ``expected`` are in and ``quiet`` s pass with no more.

    Waiting a little past the expected count lets a duplicate answer show up; ``timeout`` bounds the wait
    when answers are missing. Returns (posts, seconds waited).
    """
    started = time.monotonic()
    deadline = started + timeout
    methods = ["chat.postMessage", "chat.postEphemeral"]
    baseline = len([c for c in slack.calls(0)[:after] if c.method in methods])
    last, last_change = -1, started
    while True:
        now = time.monotonic()
        count = slack.count(methods) - baseline
        if count != last:
            last, last_change = count, now
        if (count >= expected and now - last_change >= quiet) or now > deadline:
            break
        time.sleep(0.25)
    posts = [c for c in slack.calls(after) if c.method in methods]
    return posts, time.monotonic() - started


def match(sent: Sequence[Sent], posts: Sequence[Post]) -> dict[str, Any]:
    """Answers matched to events per DM channel, first in first out: delivered, lost, duplicated, answer delay."""
    by_channel: dict[str, deque[Sent]] = defaultdict(deque)
    for s in sorted(sent, key=lambda s: s.started):
        if s.status == 200:
            by_channel[s.channel].append(s)
    delays: list[float] = []
    extra = errors = 0
    for p in sorted(posts, key=lambda p: p.at):
        if p.method != "chat.postMessage" or not p.ok:
            errors += 1  # the bot told the user something went wrong, or Slack refused the post
            continue
        queue = by_channel.get(p.channel or "")
        if not queue:
            extra += 1
            continue
        s = queue.popleft()
        delays.append((p.at - s.started) * 1000)
    lost = sum(len(q) for q in by_channel.values())
    return {
        "delivered": len(delays),
        "not_delivered": lost,
        "duplicated_or_unmatched": extra,
        "error_posts": errors,
        "answer_delay_ms": summary(delays) if delays else None,
    }


def results_of(sent: Sequence[Sent], rate: float, duration: float) -> dict[str, Any]:
    """Ack latency, statuses and the rate achieved, from the load generator's records."""
    done = [s for s in sent if s.started]
    starts = sorted(s.started for s in done)
    span = starts[-1] - starts[0] if len(starts) > 1 else float("nan")
    acks = [s.ack_ms for s in done if s.status == 200]
    statuses = Counter(str(s.status) if not s.error else s.error for s in done)
    in_time = sum(1 for s in done if s.acked_in_time)
    return {
        "offered_rate_per_s": rate,
        "duration_s": duration,
        "sent": len(done),
        "achieved_rate_per_s": round((len(starts) - 1) / span, 2) if len(starts) > 1 else None,
        "statuses": dict(statuses),
        "acked_within_3s": in_time,
        "acked_within_3s_percent": round(100 * in_time / len(done), 3) if done else 0.0,
        "ack_ms": summary(acks) if acks else None,
        # Refused with a non-2xx (a full answer queue, a stopping bot): Slack retries them; how fast they came back.
        "refused_ms": summary(refused) if (refused := [s.ack_ms for s in done if 500 <= s.status < 600]) else None,
        "answered_within_3s_of_sending": sum(1 for s in done if s.finished - s.started <= ACK_LIMIT_S),
        "generator_lag_ms": summary([(s.started - s.scheduled) * 1000 for s in done]),
        "timeline": timeline(done),
    }


def timeline(sent: Sequence[Sent], window: float = 5.0) -> list[dict[str, float]]:
    """Ack p50/p99/max per ``window`` seconds of the run: shows whether a slow tail is spread out or one stall."""
    if not sent:
        return []
    t0 = min(s.started for s in sent)
    buckets: dict[int, list[float]] = defaultdict(list)
    for s in sent:
        buckets[int((s.started - t0) // window)].append(s.ack_ms)
    out = []
    for k in sorted(buckets):
        stats = summary(buckets[k])
        out.append(
            {
                "from_s": k * window,
                "n": stats["n"],
                "p50_ms": round(stats["p50"], 1),
                "p99_ms": round(stats["p99"], 1),
                "max_ms": round(stats["max"], 1),
            }
        )
    return out


# -- one benchmark run ---------------------------------------------------------------------------------


def bot_env(database_url: str, knowledge: tuple[Path, Path] | None = None) -> dict[str, str]:
    """The bot's environment: its defaults, plus the database and, when given, the knowledge directories."""
    # The load generator is one address standing for all of Slack's (as a reverse proxy would be): the
    # per-client connection limit is off, as docs/deploy.md says to run it behind a proxy.
    env = {"DATABASE_URL": database_url, "ILM_HTTP_CONNECTIONS_PER_CLIENT": "0"}
    if knowledge:
        env["ILM_KNOWLEDGE_DIR"], env["ILM_INTENTS_DIR"] = str(knowledge[0]), str(knowledge[1])
    return env


def snapshot(pids: dict[str, int]) -> dict[str, dict[str, float]]:
    return {name: {"cpu_s": cpu_seconds(pid), **proc_status(pid)} for name, pid in pids.items()}


def run(args: argparse.Namespace) -> dict[str, Any]:
    conversations = load_workload()
    count = int(args.rate * args.duration)
    events = make_events(count, args.users, conversations)
    workdir = Path(tempfile.mkdtemp(prefix="ilm-bench-http-"))
    try:
        with FakeSlackProcess() as slack, database(args.database_url, workdir) as url:
            bots: list[Bot] = []
            knowledge = write(workdir / f"scale{args.scale}", args.scale) if args.scale > 1 else None
            try:
                for n in range(args.processes):
                    bots.append(Bot(slack.env, workdir / f"bot{n}.log", bot_env(url, knowledge)))
                pids = {f"bot{n}": b.pid for n, b in enumerate(bots)} | {"fake_slack": slack.pid}
                before = snapshot(pids)
                own_cpu = time.process_time()
                mark = slack.mark()
                print(f"sending {count} events at {args.rate}/s to {len(bots)} process(es)...", flush=True)
                started = time.monotonic()
                stopper = _sigterm_later(bots[0], args.sigterm_after)
                sent = run_load(
                    events,
                    bots,
                    slack.secret,
                    args.rate,
                    workers=args.workers,
                    progress=lambda i: print(f"  {i} sent, {time.monotonic() - started:.0f} s", flush=True),
                )
                load_seconds = time.monotonic() - started
                acked = sum(1 for x in sent if x.status == 200)  # refused events are Slack's to retry
                posts, waited = wait_for_answers(slack, mark, acked, args.drain_timeout)
                after = snapshot(pids)
                own_cpu = time.process_time() - own_cpu
                per_bot = (
                    [
                        results_of([s for s in sent if s.target == n], args.rate / len(bots), args.duration)
                        for n in range(len(bots))
                    ]
                    if len(bots) > 1
                    else []
                )
                result = {
                    **results_of(sent, args.rate, args.duration),
                    **match(sent, posts),
                    "load_seconds": round(load_seconds, 2),
                    "waited_for_answers_s": round(waited, 2),
                    "calls_to_fake_slack": dict(Counter(p.method for p in slack.calls(mark))),
                    "cpu_seconds": {
                        **{k: round(after[k]["cpu_s"] - before[k]["cpu_s"], 2) for k in pids},
                        "load_generator": round(own_cpu, 2),
                    },
                    "rss_mb": {
                        k: {
                            "before": round(before[k].get("VmRSS", 0), 1),
                            "after": round(after[k].get("VmRSS", 0), 1),
                            "peak": round(after[k].get("VmHWM", 0), 1),
                        }
                        for k in pids
                    },
                    "per_process": per_bot,
                    "bot_ready_seconds": [round(b.ready_seconds, 2) for b in bots],
                    "bot_answer_metrics": [answer_histogram(b.metrics()) for b in bots],
                }
                if stopper is not None:
                    result["sigterm"] = _sigterm_result(bots[0], stopper, sent, result)
            finally:
                for b in bots:
                    b.stop()
            result["bot_log_levels"] = [b.log_levels() for b in bots]
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return result


def _sigterm_later(bot: Bot, seconds: float | None) -> threading.Timer | None:
    """SIGTERM to ``bot`` ``seconds`` into the load, as a rolling update would send it."""
    if seconds is None:
        return None
    timer = threading.Timer(seconds, lambda: bot.proc.send_signal(signal.SIGTERM))
    timer.start()
    return timer


def _sigterm_result(bot: Bot, timer: threading.Timer, sent: Sequence[Sent], result: dict[str, Any]) -> dict[str, Any]:
    """What a SIGTERM under load did: acknowledged questions lost must be 0; the rest were refused or unsent."""
    timer.join()
    try:
        code = bot.proc.wait(60)
    except subprocess.TimeoutExpired:
        code = None
    return {
        "exit_code": code,
        "acknowledged": sum(1 for x in sent if x.status == 200),
        "refused_503": sum(1 for x in sent if x.status == 503),
        "not_connected_after_exit": sum(1 for x in sent if x.error),
        "questions_lost": result["not_delivered"],
        "answered_twice": result["duplicated_or_unmatched"],
    }


def answer_histogram(text: str) -> dict[str, float]:
    """The bot's own ``ilm_answer_seconds`` count and sum from /metrics (time inside the engine)."""
    out: dict[str, float] = {}
    for line in text.splitlines():
        for name in ("ilm_answer_seconds_count", "ilm_answer_seconds_sum"):
            if line.startswith(name):
                out[name] = out.get(name, 0.0) + float(line.rsplit(" ", 1)[1])
    if out.get("ilm_answer_seconds_count"):
        out["mean_ms"] = 1000 * out["ilm_answer_seconds_sum"] / out["ilm_answer_seconds_count"]
    return out


def default_out(processes: int, postgres: bool) -> Path:
    name = "http"
    if processes > 1:
        name += f"-{processes}proc" + ("" if postgres else "-sqlite")
    elif postgres:
        name += "-postgresql"
    return RESULTS / f"{name}.json"


def print_summary(r: dict[str, Any]) -> None:
    ack = r["ack_ms"] or {}
    delay = r["answer_delay_ms"] or {}
    print(
        f"sent {r['sent']} at {r['achieved_rate_per_s']}/s (offered {r['offered_rate_per_s']}/s); "
        f"acked within 3 s: {r['acked_within_3s']} ({r['acked_within_3s_percent']}%); statuses {r['statuses']}\n"
        f"ack ms: p50 {ack.get('p50', 0):.1f}  p90 {ack.get('p90', 0):.1f}  p99 {ack.get('p99', 0):.1f}  "
        f"max {ack.get('max', 0):.1f}\n"
        f"delivered {r['delivered']}/{r['sent']} (not delivered {r['not_delivered']}, extra "
        f"{r['duplicated_or_unmatched']}, error posts {r['error_posts']}); answer delay ms: "
        f"p50 {delay.get('p50', 0):.1f}  p99 {delay.get('p99', 0):.1f}  max {delay.get('max', 0):.1f}\n"
        f"generator lag ms p99 {r['generator_lag_ms']['p99']:.1f}; CPU s {r['cpu_seconds']}"
    )


def add_load_arguments(parser: argparse.ArgumentParser, rate: float, users: int) -> None:
    parser.add_argument("--rate", type=float, default=rate, help=f"events per second, open loop (default {rate:g})")
    parser.add_argument("--users", type=int, default=users, help=f"distinct users sending DMs (default {users})")
    parser.add_argument("--database-url", default=None, help="PostgreSQL to use (default: a fresh SQLite file)")
    parser.add_argument("--workers", type=int, default=256, help="load generator threads (default 256)")
    parser.add_argument("--drain-timeout", type=float, default=120.0, help="longest wait for the answers (s)")
    parser.add_argument("--keep", action="store_true", help="keep the working directory (bot logs, SQLite file)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_http", description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    parser.add_argument("--processes", type=int, default=1, help="bot processes, events alternated (default 1)")
    add_load_arguments(parser, rate=100.0, users=1000)
    parser.add_argument("--scale", type=int, default=1, help="knowledge size, N x the shipped (default 1)")
    parser.add_argument(
        "--sigterm-after", type=float, default=None, help="SIGTERM the (first) bot this many seconds into the load"
    )
    parser.add_argument("--out", type=Path, default=None, help="default: results/http[-Nproc][-postgresql].json")
    args = parser.parse_args(argv)
    facts = machine()
    result = run(args)
    print_summary(result)
    out = args.out or default_out(args.processes, bool(args.database_url))
    settings = {
        "rate": args.rate,
        "duration": args.duration,
        "processes": args.processes,
        "users": args.users,
        "database": "postgresql" if args.database_url else "sqlite",
        "workers": args.workers,
        "fake_slack_backlog": FAKE_BACKLOG,
        "pythonpath": os.environ.get("PYTHONPATH"),
        "scale": args.scale,
        "sigterm_after": args.sigterm_after,
    }
    command = " ".join(["python -m benchmarks.bench_http", *(argv if argv is not None else sys.argv[1:])])
    write_json({"benchmark": "http", "machine": facts, "command": command, "settings": settings, "result": result}, out)
    if args.sigterm_after is not None:
        return 0 if result["sigterm"]["questions_lost"] == 0 and result["sigterm"]["exit_code"] == 0 else 1
    met = result["acked_within_3s"] == result["sent"] and result["delivered"] == result["sent"]
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
