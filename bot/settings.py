"""Every environment variable the bot reads, in one typed settings object, checked once at the entry point.

The entry point (``ilm-bot serve``, ``ilm-bot migrate``…) calls
``Settings.load()`` and passes what each part needs down (``SlackSettings``,
``ReminderSettings``, seconds, a URL); nothing below reads the environment
for these. A malformed value is a ``SettingError`` whose message names the
variable and what it should look like, before anything starts.

Secrets may come from files instead (Docker and Kubernetes secrets): for
each of ``SECRETS``, ``<NAME>_FILE`` names a file whose content (trailing
newline stripped) is the value. Setting both is refused, so it's never a
guess which one won.

The README's configuration table documents each field's variable;
``tests/test_settings.py`` checks the table against this class.
"""

from __future__ import annotations

import logging
import math
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from bot.errors import SettingError

#: Variables that hold secrets, each of which may instead be read from the file ``<NAME>_FILE`` names.
SECRETS = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "DATABASE_URL")
SLACK_API = "https://slack.com/api/"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
VERIFICATION_MODES = ("off", "units", "all")
#: The longest retention or stalled period accepted: a century, far beyond any policy, well inside a date's range.
MAX_DAYS = 36_500
MAX_ANSWER_QUEUE = 100_000
#: The most expert questions per learner per day, and HTTP connections per client address.
MAX_COUNT = 1000

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.I)
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def duration_seconds(name: str, text: str) -> float:
    """``90``, ``90s``, ``30m``, ``6h`` or ``1d`` as seconds; must be positive."""
    match = _DURATION.match(text)
    if match is None or float(match[1]) <= 0:
        raise ValueError(f"{name} must be a positive duration such as 90s, 30m, 6h or 1d, got {text!r}")
    return float(match[1]) * _UNIT_SECONDS[match[2].lower()]


def bounded_seconds(name: str, text: str, low: float, high: float, *, low_inclusive: bool = True) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    ok = (low <= value if low_inclusive else low < value) and value <= high
    if not ok:
        raise ValueError(f"{name} must be seconds between {low:g} and {high:g}, got {text!r}")
    return value


class Settings(BaseSettings):
    """The bot's configuration. Field ``x`` is the variable ``X``; ``None`` means not set."""

    model_config = SettingsConfigDict(frozen=True, extra="forbid", validate_default=False)

    # Slack
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = SLACK_API
    port: int = 3000
    ilm_admin_users: frozenset[str] = frozenset()
    ilm_hr_users: frozenset[str] = frozenset()
    ilm_experts_channel: str | None = None
    ilm_expert_daily_limit: int = 5
    ilm_http_connections_per_client: int = 128
    # storage and knowledge
    database_url: SecretStr | None = None
    xdg_data_home: str | None = None
    ilm_knowledge_dir: Path | None = None
    ilm_intents_dir: Path | None = None
    # running
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    ilm_sync_seconds: float = 3.0
    ilm_shutdown_seconds: float = 20.0
    # reminders (seconds)
    ilm_reminder_grace: float = Field(default=6 * 3600.0)
    ilm_reminder_poll_seconds: float = 1.0
    ilm_reminder_send_timeout: float = 10.0
    ilm_reminder_lease_seconds: float = 60.0
    ilm_answer_queue: int = 512
    # learner records
    ilm_verification: Literal["off", "units", "all"] = "off"
    ilm_retention_days: int = 365
    ilm_stalled_days: int = 30

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Only what ``load`` reads (the environment and the ``*_FILE`` files), never a stray .env or secrets dir."""
        return (init_settings,)

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read and check every variable (``os.environ`` by default); ``SettingError`` on the first bad one."""
        values = read_environment(os.environ if environ is None else environ)
        try:
            return cls(**values)
        except ValidationError as exc:
            raise SettingError(describe(exc)) from None

    @classmethod
    def variables(cls) -> list[str]:
        """Every variable the bot reads, ``*_FILE`` variants included."""
        names = [name.upper() for name in cls.model_fields]
        return names + [f"{name}_FILE" for name in SECRETS]

    @property
    def log_level_number(self) -> int:
        return int(logging.getLevelName(self.log_level))

    def secret(self, name: str) -> str | None:
        """The plain value of a secret field (``"slack_bot_token"``…), for the one place that uses it."""
        value: SecretStr | None = getattr(self, name)
        return value.get_secret_value() if value is not None else None

    # -- checks: each message names the variable and shows what is expected ---------------------------------------

    @field_validator("slack_api_url", mode="before")
    @classmethod
    def _api_url(cls, v: str) -> str:
        text = str(v).strip()
        if not re.match(r"^https?://[^\s/]+", text):
            raise ValueError(f"SLACK_API_URL must be an http(s) URL such as {SLACK_API}, got {text!r}")
        return text if text.endswith("/") else text + "/"

    @field_validator("port", mode="before")
    @classmethod
    def _port(cls, v: Any) -> int:
        text = str(v).strip()
        if not text.isdigit() or not 0 < int(text) < 65536:
            raise ValueError(f"PORT must be a port number, got {text!r}")
        return int(text)

    @field_validator("ilm_admin_users", "ilm_hr_users", mode="before")
    @classmethod
    def _ids(cls, v: Any) -> frozenset[str]:
        if isinstance(v, str):
            return frozenset(part.strip() for part in v.split(",") if part.strip())
        return frozenset(v)

    @field_validator("log_level", mode="before")
    @classmethod
    def _level(cls, v: Any) -> str:
        text = str(v).strip().upper()
        if text not in LOG_LEVELS:
            raise ValueError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {v!r}")
        return text

    @field_validator("ilm_sync_seconds", mode="before")
    @classmethod
    def _sync(cls, v: Any) -> float:
        return bounded_seconds("ILM_SYNC_SECONDS", str(v).strip(), 0.2, 60.0)

    @field_validator("ilm_shutdown_seconds", mode="before")
    @classmethod
    def _shutdown(cls, v: Any) -> float:
        return bounded_seconds("ILM_SHUTDOWN_SECONDS", str(v).strip(), 0, 3600.0, low_inclusive=False)

    @field_validator(
        "ilm_reminder_grace",
        "ilm_reminder_poll_seconds",
        "ilm_reminder_send_timeout",
        "ilm_reminder_lease_seconds",
        mode="before",
    )
    @classmethod
    def _duration(cls, v: Any, info: Any) -> float:
        return duration_seconds(info.field_name.upper(), str(v))

    @field_validator("ilm_answer_queue", mode="before")
    @classmethod
    def _queue(cls, v: Any) -> int:
        return whole_number("ILM_ANSWER_QUEUE", str(v).strip(), 1, MAX_ANSWER_QUEUE)

    @field_validator("ilm_expert_daily_limit", "ilm_http_connections_per_client", mode="before")
    @classmethod
    def _count(cls, v: Any, info: Any) -> int:
        return whole_number(info.field_name.upper(), str(v).strip(), 0, MAX_COUNT)

    @field_validator("ilm_experts_channel", mode="before")
    @classmethod
    def _channel(cls, v: Any) -> str:
        return str(v).strip()

    @field_validator("ilm_verification", mode="before")
    @classmethod
    def _verification(cls, v: Any) -> str:
        mode = str(v).strip().lower()
        if mode not in VERIFICATION_MODES:
            raise ValueError(f"ILM_VERIFICATION must be one of {', '.join(VERIFICATION_MODES)}, got {mode!r}")
        return mode

    @field_validator("ilm_retention_days", "ilm_stalled_days", mode="before")
    @classmethod
    def _days(cls, v: Any, info: Any) -> int:
        return whole_number(info.field_name.upper(), str(v).strip(), 1, MAX_DAYS, "a whole number of days")


def whole_number(name: str, text: str, low: int, high: int, what: str = "a whole number") -> int:
    if not text.isascii() or not text.isdigit() or not low <= int(text) <= high:
        raise ValueError(f"{name} must be {what} from {low} to {high}, got {text[:40]!r}")
    return int(text)


def read_environment(environ: Mapping[str, str], only: tuple[str, ...] | None = None) -> dict[str, str]:
    """The variables that are set (blank counts as unset), with each secret's ``*_FILE`` read; ``only`` those fields."""
    fields = [name for name in Settings.model_fields if only is None or name in only]
    values = {name: environ[name.upper()] for name in fields if environ.get(name.upper(), "").strip()}
    for name in (s for s in SECRETS if s.lower() in fields):
        path = environ.get(f"{name}_FILE", "").strip()
        if not path:
            continue
        if name.lower() in values:
            raise SettingError(f"both {name} and {name}_FILE are set: set one of them")
        try:
            text = Path(path).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or type(exc).__name__
            raise SettingError(f"{name}_FILE: cannot read {path} ({reason})") from None
        if not text:
            raise SettingError(f"{name}_FILE: {path} is empty")
        values[name.lower()] = text
    for name in ("slack_bot_token", "slack_signing_secret", "slack_app_token", "database_url"):
        if name in values:
            values[name] = values[name].strip()
    return values


def describe(exc: ValidationError) -> str:
    """Each bad variable: our own message where a check wrote one, else pydantic's; never a secret's input."""
    lines = []
    for error in exc.errors():
        name = str(error["loc"][0]).upper() if error["loc"] else "settings"
        own = error.get("ctx", {}).get("error")
        if isinstance(own, ValueError):
            lines.append(str(own))
        else:
            lines.append(f"{name}: {error['msg']}")
    return "; ".join(lines)
