"""The scheduler's settings from the environment, checked before it starts.

| variable | default | meaning |
| --- | --- | --- |
| ``ILM_REMINDER_GRACE`` | ``6h`` | how late a reminder may still be sent (after downtime); later ones are missed |
| ``ILM_REMINDER_POLL_SECONDS`` | ``1`` | how often the scheduler looks for due reminders |
| ``ILM_REMINDER_SEND_TIMEOUT`` | ``10`` | seconds one post to Slack may take before its outcome counts as unknown |
| ``ILM_REMINDER_LEASE_SECONDS`` | ``60`` | how long a claim on a delivery lasts; at least 3 x the timeout |
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from bot.errors import SettingError
from bot.settings import Settings

#: Deliveries claimed per transaction: fewer commits, and at most this many to check after a crash.
BATCH = 50


class ReminderSettingError(SettingError):
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
    def from_settings(cls, s: Settings) -> ReminderSettings:
        return cls(
            grace=timedelta(seconds=s.ilm_reminder_grace),
            poll_seconds=s.ilm_reminder_poll_seconds,
            send_timeout=s.ilm_reminder_send_timeout,
            lease_seconds=s.ilm_reminder_lease_seconds,
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ReminderSettings:
        """From the environment (``os.environ`` by default) through ``Settings``: its checks and messages."""
        try:
            return cls.from_settings(Settings.load(environ))
        except SettingError as exc:
            raise ReminderSettingError(str(exc)) from None
