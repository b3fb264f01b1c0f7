"""A graceful stop on SIGTERM or SIGINT, within ``ILM_SHUTDOWN_SECONDS``.

Kubernetes sends SIGTERM on every rolling update and kills the pod after
``terminationGracePeriodSeconds``. In that time ``ilm-bot serve``:

1. stops taking new events at once: /readyz turns 503 and events get 503,
   so Slack retries them (on another replica); Socket Mode disconnects;
2. finishes every answer already acknowledged (Slack will not resend it);
3. releases the claim of any answer it could not finish, and logs each;
4. lets the reminder scheduler finish the post in hand;
5. stops the HTTP server, then closes the database, and exits 0.

The steps are plain callables given by the entry point (``bot.cli.serve``),
so this module knows nothing of Slack or waitress.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger("ilm_bot.lifecycle")

DEFAULT_SHUTDOWN_SECONDS = 20.0


@dataclass(frozen=True)
class StopSteps:
    """What a graceful stop does, in order; each step is given the seconds left."""

    stop_intake: Callable[[], None]
    finish_answers: Callable[[float], list[str]]
    release: Callable[[str], None]
    finish_reminders: Callable[[float], bool]
    stop_server: Callable[[], None]


class Lifecycle:
    """Whether the process is stopping, and the stop itself, run once in its own thread."""

    def __init__(self, seconds: float = DEFAULT_SHUTDOWN_SECONDS) -> None:
        self.seconds = seconds
        self.stopping = threading.Event()
        self.stopped = threading.Event()

    def install(self, steps: StopSteps) -> None:
        """Handle SIGTERM and SIGINT (from the main thread, where signal handlers must be set)."""

        def on_signal(signum: int, _frame: object) -> None:
            if self.stopping.is_set():
                log.info("%s again: already stopping", signal.Signals(signum).name)
                return
            log.info("%s: stopping within %gs", signal.Signals(signum).name, self.seconds)
            self.begin(steps)

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)

    def begin(self, steps: StopSteps) -> threading.Thread:
        """Stop taking work now, and finish the rest in a thread (the server keeps answering meanwhile)."""
        self.stopping.set()
        thread = threading.Thread(target=self._stop, args=(steps,), name="shutdown", daemon=True)
        thread.start()
        return thread

    def _stop(self, steps: StopSteps) -> None:
        deadline = time.monotonic() + self.seconds

        def left() -> float:
            return max(deadline - time.monotonic(), 0.0)

        try:
            steps.stop_intake()
            unfinished = steps.finish_answers(left() * 0.9)  # the rest of the time is for the steps below
            for event_id in unfinished:
                _release(steps, event_id)
            if not steps.finish_reminders(left()):
                log.warning("the reminder post in hand did not finish in time; its claim expires and it is checked")
            log.info("stopped taking work: %d answer(s) unfinished", len(unfinished))
        except Exception as exc:  # the stop must complete whatever fails on the way
            log.error("graceful stop failed: %s", type(exc).__name__)
        finally:
            self.stopped.set()
            steps.stop_server()


def _release(steps: StopSteps, event_id: str) -> None:
    try:
        steps.release(event_id)
        log.warning("event %s not answered before shutdown: its claim is released for Slack's retry", event_id)
    except Exception as exc:
        log.error("event %s not answered before shutdown, and its claim could not be released: %s", event_id, exc)
