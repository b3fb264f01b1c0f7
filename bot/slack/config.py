"""Slack settings from the environment (the contract in the README), checked before anything starts."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

DEFAULT_PORT = 3000
#: Questions one learner may pass to the experts in a day (ILM_EXPERT_DAILY_LIMIT).
DEFAULT_EXPERT_DAILY_LIMIT = 5
SLACK_API = "https://slack.com/api/"


class MissingSettingError(Exception):
    """A required environment variable is not set; the message names it."""


@dataclass(frozen=True)
class SlackSettings:
    bot_token: str = field(repr=False)
    signing_secret: str = field(repr=False)
    app_token: str | None = field(default=None, repr=False)
    api_url: str = SLACK_API
    port: int = DEFAULT_PORT
    admins: frozenset[str] = frozenset()
    hr: frozenset[str] = frozenset()
    #: ILM_EXPERTS_CHANNEL: where "Ask HR" questions go; unset, no Ask HR button is shown.
    experts_channel: str | None = None
    expert_daily_limit: int = DEFAULT_EXPERT_DAILY_LIMIT

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)

    def is_admin(self, user: str) -> bool:
        return user in self.admins

    def is_hr(self, user: str) -> bool:
        """HR actions are open to HR users and to admins."""
        return user in self.hr or user in self.admins

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SlackSettings:
        env = os.environ if environ is None else environ
        for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"):
            if not env.get(name, "").strip():
                raise MissingSettingError(f"{name} is not set; it is required to connect to Slack (see the README)")
        port_text = env.get("PORT", "").strip() or str(DEFAULT_PORT)
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise MissingSettingError(f"PORT must be a port number, got {port_text!r}")
        api_url = env.get("SLACK_API_URL", "").strip() or SLACK_API
        limit_text = env.get("ILM_EXPERT_DAILY_LIMIT", "").strip() or str(DEFAULT_EXPERT_DAILY_LIMIT)
        if not limit_text.isascii() or not limit_text.isdigit() or not 0 <= int(limit_text) <= 1000:
            raise MissingSettingError(
                f"ILM_EXPERT_DAILY_LIMIT must be a whole number from 0 to 1000, got {limit_text!r}"
            )
        return cls(
            bot_token=env["SLACK_BOT_TOKEN"].strip(),
            signing_secret=env["SLACK_SIGNING_SECRET"].strip(),
            app_token=env.get("SLACK_APP_TOKEN", "").strip() or None,
            api_url=api_url if api_url.endswith("/") else api_url + "/",
            port=int(port_text),
            admins=_ids(env.get("ILM_ADMIN_USERS", "")),
            hr=_ids(env.get("ILM_HR_USERS", "")),
            experts_channel=env.get("ILM_EXPERTS_CHANNEL", "").strip() or None,
            expert_daily_limit=int(limit_text),
        )


def _ids(text: str) -> frozenset[str]:
    return frozenset(part.strip() for part in text.split(",") if part.strip())
