"""Slack settings, taken from the one ``bot.settings.Settings`` the entry point reads (the README's contract)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.settings import SLACK_API, Settings

DEFAULT_PORT = 3000
#: Questions one learner may pass to the experts in a day (ILM_EXPERT_DAILY_LIMIT).
DEFAULT_EXPERT_DAILY_LIMIT = 5


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
    def from_settings(cls, s: Settings) -> SlackSettings:
        """The Slack part of the settings; the two required secrets must be set (directly or as ``*_FILE``)."""
        for name in ("slack_bot_token", "slack_signing_secret"):
            if s.secret(name) is None:
                variable = name.upper()
                raise MissingSettingError(
                    f"{variable} (or {variable}_FILE) is not set; it is required to connect to Slack (see the README)"
                )
        return cls(
            bot_token=s.secret("slack_bot_token") or "",
            signing_secret=s.secret("slack_signing_secret") or "",
            app_token=s.secret("slack_app_token"),
            api_url=s.slack_api_url,
            port=s.port,
            admins=s.ilm_admin_users,
            hr=s.ilm_hr_users,
            experts_channel=s.ilm_experts_channel,
            expert_daily_limit=s.ilm_expert_daily_limit,
        )
