"""The work after the ack: a bounded queue for answering events, a lane of its own for interactive requests.

Bolt acknowledges an event at once and hands the answer to its listener
executor; this is that executor. It keeps two lanes:

* **events** (DMs, mentions, App Home) go through a bounded queue. When it
  holds ``capacity`` answers, ``has_room`` says no and the event is refused
  with a non-2xx status *before* it is claimed or acknowledged, so Slack
  retries it later instead of waiting for an ack that would go stale.
* **interactive** requests (commands, buttons, modals) must call ``ack()``
  inside their listener within 3 s; they run on their own threads so they
  never wait behind a backlog of answers.

Every queued answer is tracked with its Slack event id, so a shutdown can
wait for the answers already acknowledged and name (and release) any it
could not finish.
"""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_all
from typing import Any

from bot.runtime import metrics

#: Which lane the request being dispatched in this thread belongs to, and its event id (set by the middleware).
LANE: contextvars.ContextVar[str] = contextvars.ContextVar("lane", default="interactive")
EVENT_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("event_id", default=None)

#: Threads answering events; answers mostly wait on Slack's Web API, so more threads than cores.
ANSWER_THREADS = 16
#: Answers acknowledged and not yet finished, at most (beyond it events are refused so that Slack retries).
ANSWER_CAPACITY = 512
#: Threads for commands, buttons and modals.
INTERACTIVE_THREADS = 8


def as_event(event_id: str) -> None:
    """Mark the request being dispatched as an event whose answer is queued (called by the middleware)."""
    LANE.set("event")
    EVENT_ID.set(event_id)


def as_interactive() -> None:
    LANE.set("interactive")
    EVENT_ID.set(None)


class AnswerQueue(Executor):
    """Bolt's ``listener_executor``: two lanes, the request context (its request id) carried into each task."""

    def __init__(
        self,
        answer_threads: int = ANSWER_THREADS,
        capacity: int = ANSWER_CAPACITY,
        interactive_threads: int = INTERACTIVE_THREADS,
    ) -> None:
        self.capacity = capacity
        self._answers = ThreadPoolExecutor(answer_threads, thread_name_prefix="answer")
        self._interactive = ThreadPoolExecutor(interactive_threads, thread_name_prefix="interactive")
        self._lock = threading.Lock()
        self._pending: dict[Future[Any], str | None] = {}
        self._other: set[Future[Any]] = set()

    def has_room(self) -> bool:
        """False when ``capacity`` answers are waiting or running: the caller refuses the event."""
        with self._lock:
            return len(self._pending) < self.capacity

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        ctx = contextvars.copy_context()
        if ctx.get(LANE) != "event":
            future = self._interactive.submit(ctx.run, fn, *args, **kwargs)
            self._track(future, self._other)
            return future
        future = self._answers.submit(ctx.run, fn, *args, **kwargs)
        with self._lock:
            self._pending[future] = ctx.get(EVENT_ID)
            metrics.ANSWER_QUEUE.set(len(self._pending))
        future.add_done_callback(self._done)
        return future

    def _track(self, future: Future[Any], into: set[Future[Any]]) -> None:
        with self._lock:
            into.add(future)
        future.add_done_callback(lambda f: self._forget(f, into))

    def _forget(self, future: Future[Any], into: set[Future[Any]]) -> None:
        with self._lock:
            into.discard(future)

    def _done(self, future: Future[Any]) -> None:
        with self._lock:
            self._pending.pop(future, None)
            metrics.ANSWER_QUEUE.set(len(self._pending))

    def drain(self, seconds: float) -> list[str]:
        """Wait up to ``seconds`` for every task; cancel what has not started. Returns unfinished event ids.

        An answer still running when time is up is reported too: the process is about to exit under it.
        """
        deadline = time.monotonic() + max(seconds, 0.0)
        with self._lock:
            futures = list(self._pending) + list(self._other)
        wait_all(futures, timeout=max(deadline - time.monotonic(), 0.0))
        with self._lock:
            left = dict(self._pending)
        for future in left:
            future.cancel()
        return [event_id for future, event_id in left.items() if event_id and (future.cancelled() or not future.done())]

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._answers.shutdown(wait=wait, cancel_futures=cancel_futures)
        self._interactive.shutdown(wait=wait, cancel_futures=cancel_futures)
