"""Prometheus metrics: requests by surface, HTTP responses by status, answer latency, intents and
fallbacks, Slack Web API latency, errors and 429s, the answer queue, reminders, the knowledge version,
and the process and Python runtime. Labels never carry user ids or text."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client import (
    GC_COLLECTOR,
    PLATFORM_COLLECTOR,
    PROCESS_COLLECTOR,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from bot.answers.answer import Answer
from bot.core.assistant import Assistant
from bot.core.brain import Brain

REGISTRY = CollectorRegistry(auto_describe=True)
#: Replies computed at once by one serving process (see ``MeteredAssistant``).
COMPUTE_SLOTS = 6
# The standard process (CPU, memory, open files), platform (Python version) and garbage-collector metrics.
for _collector in (PROCESS_COLLECTOR, PLATFORM_COLLECTOR, GC_COLLECTOR):
    REGISTRY.register(_collector)

HTTP_RESPONSES = Counter(
    "ilm_http_responses",
    "HTTP responses, by path (events, healthz, readyz, metrics, other) and status, including refusals",
    ["path", "status"],
    registry=REGISTRY,
)
REFUSED = Counter(
    "ilm_events_refused",
    "Slack events answered non-2xx so that Slack retries them, by reason (draining, queue_full, database)",
    ["reason"],
    registry=REGISTRY,
)
ANSWER_QUEUE = Gauge("ilm_answer_queue", "Acknowledged events waiting for or being answered", registry=REGISTRY)
SLACK_API_SECONDS = Histogram(
    "ilm_slack_api_seconds",
    "Slack Web API call latency, by method (including retries)",
    ["method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)

REQUESTS = Counter("ilm_requests", "Slack requests received, by surface", ["surface"], registry=REGISTRY)
ANSWER_SECONDS = Histogram(
    "ilm_answer_seconds",
    "Time to answer one question, including reading and writing its conversation context",
    buckets=(0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0),
    registry=REGISTRY,
)
INTENTS = Counter("ilm_intents", "Questions answered, by intent matched", ["intent"], registry=REGISTRY)
FALLBACKS = Counter("ilm_fallbacks", "Questions the bot could not answer", registry=REGISTRY)
SLACK_ERRORS = Counter("ilm_slack_api_errors", "Slack Web API calls that failed", ["error"], registry=REGISTRY)
SLACK_RATE_LIMITED = Counter("ilm_slack_rate_limited", "HTTP 429 answers from Slack (each retried)", registry=REGISTRY)
REMINDERS = Counter(
    "ilm_reminder_deliveries",
    "Reminder deliveries, by outcome (delivered, missed, failed)",
    ["outcome"],
    registry=REGISTRY,
)


class KnowledgeVersion(Collector):
    """``ilm_knowledge_version_info{version="…"} 1``, read from the brain serving at scrape time."""

    def __init__(self, brain: Callable[[], Brain]) -> None:
        self.brain = brain

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily("ilm_knowledge_version_info", "The knowledge version served", labels=["version"])
        family.add_metric([self.brain().version], 1.0)
        yield family


class MeteredAssistant:
    """The assistant as the server runs it: timed, counted, and at most ``compute_slots`` replies at once.

    The engine is CPU work, and in one process every thread shares one GIL:
    with many answers computing at once, the short acks Slack waits for
    (3 s at most) queue behind them for the interpreter. Capping the replies
    computed at once keeps the interpreter free for acks, while the answer
    threads' Slack Web API calls (I/O, the larger part of an answer's time in
    production) still run in parallel.
    """

    def __init__(self, assistant: Assistant, compute_slots: int = COMPUTE_SLOTS) -> None:
        self.inner = assistant
        self._slots = threading.BoundedSemaphore(compute_slots)

    def reply(self, user: str, text: str, conversation: str = "") -> Answer:
        with self._slots:
            started = time.perf_counter()
            return self._counted(self.inner.reply(user, text, conversation), started)

    def choose(self, user: str, conversation: str, qualification: str, held: dict[str, Any] | None = None) -> Answer:
        with self._slots:
            started = time.perf_counter()
            return self._counted(self.inner.choose(user, conversation, qualification, held), started)

    @staticmethod
    def _counted(answer: Answer, started: float) -> Answer:
        ANSWER_SECONDS.observe(time.perf_counter() - started)
        if answer.understood and answer.intent:
            INTENTS.labels(answer.intent).inc()
        else:
            FALLBACKS.inc()
        return answer


def surface(body: dict[str, object]) -> str:
    """'message', 'app_mention', 'app_home_opened', '/ilm', 'block_actions', 'view_submission'…"""
    kind = body.get("type")
    if kind == "event_callback" and isinstance(body.get("event"), dict):
        return str(body["event"].get("type", "event"))  # type: ignore[union-attr]
    if isinstance(body.get("command"), str):
        return str(body["command"])
    return str(kind or "unknown")
