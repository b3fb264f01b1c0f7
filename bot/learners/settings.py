"""Record-keeping settings from the environment, checked before they are used.

- ``ILM_VERIFICATION`` (``off``): supervisor sign-off: ``off``, ``units`` (each unit a learner
  records themself), ``all`` (their hours too).
- ``ILM_RETENTION_DAYS`` (``365``): conversation context, unanswered questions and ratings older
  than this are deleted by the scheduler.
- ``ILM_STALLED_DAYS`` (``30``): a learner with nothing recorded for this long is *stalled*.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from bot.errors import SettingError

VERIFICATION_MODES = ("off", "units", "all")
#: The longest retention or stalled period accepted: a century, far beyond any policy, well inside a date's range.
MAX_DAYS = 36_500


@dataclass(frozen=True)
class RecordSettings:
    verification: str = "off"
    retention_days: int = 365
    stalled_days: int = 30

    def needs_sign_off(self, what: str) -> bool:
        """Does a learner's own ``unit`` or ``hours`` entry wait for their supervisor's confirmation?"""
        return self.verification == "all" or (self.verification == "units" and what == "unit")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> RecordSettings:
        env = os.environ if environ is None else environ
        mode = env.get("ILM_VERIFICATION", "").strip().lower() or "off"
        if mode not in VERIFICATION_MODES:
            raise SettingError(f"ILM_VERIFICATION must be one of {', '.join(VERIFICATION_MODES)}, got {mode!r}")
        return cls(
            verification=mode,
            retention_days=_days(env, "ILM_RETENTION_DAYS", cls.retention_days),
            stalled_days=_days(env, "ILM_STALLED_DAYS", cls.stalled_days),
        )


def _days(env: Mapping[str, str], name: str, default: int) -> int:
    text = env.get(name, "").strip()
    if not text:
        return default
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= MAX_DAYS:
        raise SettingError(f"{name} must be a whole number of days from 1 to {MAX_DAYS}, got {text[:40]!r}")
    return int(text)
