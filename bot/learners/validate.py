"""Reading learner input (user ids, hours, kinds, dates, sources) with messages a person can act on.

Shared by ``ilm-bot learner`` and the CSV import so a value is accepted or
refused, with the same words, wherever it is typed. Every function raises
``ValueError`` whose message names the bad value and what is expected;
callers add where it came from (an option, a CSV row and column).
"""

from __future__ import annotations

import math
import re
from datetime import date

from bot.errors import InputError
from bot.knowledge.models import Knowledge
from bot.learners.learner import SOURCES
from bot.rules.record import HOURS_KINDS

_USER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@:-]{0,63}$")

#: Most hours one entry may hold: far above any requirement (36), low enough that sums stay exact.
MAX_HOURS = 1000.0
#: Fewest hours one entry may hold (6 minutes): less is a typo, and "1e-07 hours" is no practice.
MIN_HOURS = 0.1
#: Longest note kept with an hours entry.
MAX_NOTE = 500


def user_id(text: str) -> str:
    """A Slack user id such as U012ABCDEF (any id without spaces, up to 64 characters)."""
    value = text.strip()
    if not _USER.fullmatch(value):
        raise InputError(f"{text!r} is not a user id (expected a Slack user id such as U012ABCDEF)")
    return value


def positive_hours(text: str) -> float:
    """'1.5' → 1.5; zero, negative, under ``MIN_HOURS``, non-numbers, infinity and NaN are refused."""
    try:
        value = float(text.strip())
    except ValueError:
        raise InputError(f"{text.strip()!r} is not a number of hours") from None
    if not math.isfinite(value) or value <= 0:
        raise InputError(f"{text.strip()!r} is not a positive number of hours")
    if value < MIN_HOURS:
        raise InputError(f"{text.strip()!r} hours is less than one entry can hold (at least {MIN_HOURS:g}, 6 minutes)")
    if value > MAX_HOURS:
        raise InputError(f"{text.strip()!r} hours is more than one entry can hold (at most {MAX_HOURS:g}); split it up")
    return value


def hours_kind(text: str) -> str:
    kind = text.strip().lower()
    if kind not in HOURS_KINDS:
        raise InputError(f"{text.strip()!r} is not a kind of hours; kinds are {', '.join(HOURS_KINDS)}")
    return kind


def source(text: str, default: str = "hr") -> str:
    value = text.strip().lower() or default
    if value not in SOURCES:
        raise InputError(f"{text.strip()!r} is not a source; sources are {' and '.join(SOURCES)}")
    return value


def day(text: str, today: date) -> date:
    """An ISO date (YYYY-MM-DD), not in the future; blank means ``today``."""
    value = text.strip()
    if not value:
        return today
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{value!r} is not a date (expected YYYY-MM-DD, e.g. {today.isoformat()})") from None
    if parsed > today:
        raise InputError(f"{value} is in the future")
    return parsed


def note(text: str | None) -> str | None:
    value = (text or "").strip()
    if len(value) > MAX_NOTE:
        raise InputError(f"the note is {len(value)} characters long; at most {MAX_NOTE} are kept")
    return value or None


def practice_unit(kind: str, unit: str | None, knowledge: Knowledge) -> None:
    """Coaching or mentoring hours attached to a unit must be that unit's supervised practice.

    The rules engine counts hours attached to a unit toward that unit's
    practice whatever their kind, so 20 coaching hours on a mentoring unit
    would silently count as mentoring. Induction and tutorial hours may name
    a unit (tutorial support for it) and count by kind.
    """
    if unit is None or kind in {"induction", "tutorial"}:
        return
    need = knowledge.units[unit].practice
    if need is None:
        raise InputError(f"{unit} has no supervised {kind} practice; log the hours without a unit")
    if need.kind != kind:
        raise InputError(f"{unit} needs {need.kind} practice, not {kind}")
