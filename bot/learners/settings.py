"""Record-keeping settings from the environment, checked before they are used.

- ``ILM_VERIFICATION`` (``off``): supervisor sign-off: ``off``, ``units`` (each unit a learner
  records themself), ``all`` (their hours too).
- ``ILM_RETENTION_DAYS`` (``365``): conversation context, unanswered questions and ratings older
  than this are deleted by the scheduler.
- ``ILM_STALLED_DAYS`` (``30``): a learner with nothing recorded for this long is *stalled*.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.settings import MAX_DAYS, VERIFICATION_MODES, Settings

__all__ = ["MAX_DAYS", "VERIFICATION_MODES", "RecordSettings"]


@dataclass(frozen=True)
class RecordSettings:
    verification: str = "off"
    retention_days: int = 365
    stalled_days: int = 30

    def needs_sign_off(self, what: str) -> bool:
        """Does a learner's own ``unit`` or ``hours`` entry wait for their supervisor's confirmation?"""
        return self.verification == "all" or (self.verification == "units" and what == "unit")

    @classmethod
    def from_settings(cls, s: Settings) -> RecordSettings:
        return cls(
            verification=s.ilm_verification, retention_days=s.ilm_retention_days, stalled_days=s.ilm_stalled_days
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> RecordSettings:
        """From the environment (``os.environ`` by default) through ``Settings``; ``SettingError`` names a bad one."""
        return cls.from_settings(Settings.load(environ))
