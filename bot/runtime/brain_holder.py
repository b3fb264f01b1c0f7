"""The brain currently serving, swapped atomically by reload and rollback.

A question reads the reference once at its start (``Assistant`` calls the
holder once per turn), so questions in flight finish on the version they
began with while new ones get the new version: no lock, no pause.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.core.brain import Brain


@dataclass(frozen=True)
class Loaded:
    brain: Brain
    at: datetime
    by: str


class BrainHolder:
    def __init__(self, brain: Brain, by: str = "start") -> None:
        self._loaded = Loaded(brain, datetime.now(UTC), by)
        self._lock = threading.Lock()  # serialises swaps only; reads never wait

    def __call__(self) -> Brain:
        return self._loaded.brain

    @property
    def loaded(self) -> Loaded:
        return self._loaded

    def swap(self, brain: Brain, by: str) -> Brain:
        """Serve ``brain`` from now on; returns the one it replaced."""
        with self._lock:
            old = self._loaded.brain
            self._loaded = Loaded(brain, datetime.now(UTC), by)
            return old
