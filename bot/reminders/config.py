"""The scheduler's settings from the environment, checked before it starts.

| variable | default | meaning |
| --- | --- | --- |
| ``ILM_REMINDER_GRACE`` | ``6h`` | how late a reminder may still be sent (after downtime); later ones are missed |
| ``ILM_REMINDER_POLL_SECONDS`` | ``1`` | how often the scheduler looks for due reminders |
| ``ILM_REMINDER_SEND_TIMEOUT`` | ``10`` | seconds one post to Slack may take before its outcome counts as unknown |
| ``ILM_REMINDER_LEASE_SECONDS`` | ``60`` | how long a claim on a delivery lasts; at least 3 x the timeout |
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.I)
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
#: Deliveries claimed per transaction: fewer commits, and at most this many to check after a crash.
BATCH = 50


class ReminderSettingError(ValueError):
    """A reminder setting is malformed; the message names the variable."""


@dataclass(frozen=True)
class ReminderSettings:
    grace: timedelta = timedelta(hours=6)
    poll_seconds: float = 1.0
    send_timeout: float = 10.0
    lease_seconds: float = 60.0
    batch: int = BATCH

    def __post_init__(self) -> None:
        # A claim must outlast the post it covers, with room for the request to still be in Slack's hands
        # when the timeout fires (see Scheduler: a post starts only while lease - 2 x timeout remains).
        if self.lease_seconds < 3 * self.send_timeout:
            raise ReminderSettingError(
                f"ILM_REMINDER_LEASE_SECONDS ({self.lease_seconds:g}) must be at least 3 x "
                f"ILM_REMINDER_SEND_TIMEOUT ({self.send_timeout:g})"
            )

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=self.lease_seconds)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ReminderSettings:
        env = os.environ if environ is None else environ
        defaults = cls()
        return cls(
            grace=timedelta(seconds=_seconds(env, "ILM_REMINDER_GRACE", defaults.grace.total_seconds())),
            poll_seconds=_seconds(env, "ILM_REMINDER_POLL_SECONDS", defaults.poll_seconds),
            send_timeout=_seconds(env, "ILM_REMINDER_SEND_TIMEOUT", defaults.send_timeout),
            lease_seconds=_seconds(env, "ILM_REMINDER_LEASE_SECONDS", defaults.lease_seconds),
        )


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    """``90``, ``90s``, ``30m``, ``6h`` or ``1d`` as seconds; must be positive."""
    text = env.get(name, "").strip()
    if not text:
        return default
    match = _DURATION.match(text)
    if match is None or float(match[1]) <= 0:
        raise ReminderSettingError(f"{name} must be a positive duration such as 90s, 30m, 6h or 1d, got {text!r}")
    return float(match[1]) * _UNIT_SECONDS[match[2].lower()]
