"""Reading the ``<when>`` of ``/ilm-hr remind``, and the next time a weekly reminder falls due.

Pure: ``now`` and the HR user's time zone are passed in, so every rule is
tested without a clock or Slack. Reading happens in two steps. ``read`` turns
the words into a ``Spec`` (syntax only: no clock involved, so the command
parser can use it to find where ``<when>`` ends); ``schedule`` turns a spec
into UTC instants, given ``now`` and the zone.

Wall-clock times are converted with ``zoneinfo``, so daylight saving is
handled by the time-zone database, not by arithmetic: "tomorrow 09:00" is
09:00 local on either side of a clock change. A one-off time that does not
exist (inside the spring-forward gap) is refused with the reason; a weekly
reminder whose time falls in the gap that one week is sent just after the
gap, as cron-like schedulers do; a time that happens twice (autumn) means
the first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import InputError

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DAY_ALIASES = (("mon",), ("tue", "tues"), ("wed",), ("thu", "thur", "thurs"), ("fri",), ("sat",), ("sun",))
WEEKDAYS: dict[str, int] = {
    name: n
    for n, (day, aliases) in enumerate(zip(DAY_NAMES, _DAY_ALIASES, strict=True))
    for name in (day.lower(), *aliases)
}
_UNITS = {
    **dict.fromkeys(("minute", "minutes", "min", "mins"), "minutes"),
    **dict.fromkeys(("hour", "hours", "hr", "hrs"), "hours"),
    **dict.fromkeys(("day", "days"), "days"),
}
FORMS = (
    "`2026-12-01T09:00:00+00:00` (ISO 8601), `2026-12-01 09:00`, `tomorrow 09:00`, "
    "`in 30 minutes` (or hours, days) or `every monday 09:00 [until 2026-12-31]`"
)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_COUNT = re.compile(r"^\d{1,9}$")
_ISO_HINT = re.compile(r"^\d{4}-?\d{2}-?\d{2}T", re.I)

UTC_ZONE = ZoneInfo("UTC")


# -- specs: what was written ------------------------------------------------------------------


@dataclass(frozen=True)
class Moment:
    """An ISO 8601 date-time with an offset: one instant, whatever the zone."""

    at: datetime


@dataclass(frozen=True)
class WallClock:
    """A local date and time (ISO without an offset, or ``YYYY-MM-DD HH:MM``), in the HR user's zone."""

    at: datetime


@dataclass(frozen=True)
class DaysAhead:
    """``today HH:MM`` (0) or ``tomorrow HH:MM`` (1)."""

    days: int
    at: time


@dataclass(frozen=True)
class Later:
    """``in N minutes|hours|days``."""

    amount: int
    unit: str


@dataclass(frozen=True)
class Weekly:
    """``every <weekday> HH:MM [until YYYY-MM-DD]``."""

    weekday: int
    at: time
    until: date | None = None


Spec = Moment | WallClock | DaysAhead | Later | Weekly


# -- schedules: when it falls due ---------------------------------------------------------------


@dataclass(frozen=True)
class Repeat:
    """A weekly rule: ``weekday`` (0 = Monday) at wall-clock ``at`` in ``zone``, up to ``until`` (inclusive)."""

    weekday: int
    at: time
    zone: str
    until: date | None = None

    def next_after(self, after: datetime) -> datetime | None:
        """The first occurrence strictly after ``after`` (UTC), or None once past ``until``."""
        tz = zone(self.zone)
        day = after.astimezone(tz).date()
        day += timedelta(days=(self.weekday - day.weekday()) % 7)
        while (candidate := to_utc(datetime.combine(day, self.at), tz)) <= after:
            day += timedelta(days=7)
        if self.until is not None and day > self.until:
            return None
        return candidate

    def describe(self) -> str:
        until = f" until {self.until.isoformat()}" if self.until else ""
        return f"every {DAY_NAMES[self.weekday]} at {self.at:%H:%M} ({self.zone}){until}"

    def to_json(self) -> dict[str, Any]:
        until = self.until.isoformat() if self.until else None
        return {"weekday": self.weekday, "at": self.at.isoformat("seconds"), "zone": self.zone, "until": until}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Repeat:
        until = data.get("until")
        return cls(
            weekday=int(data["weekday"]),
            at=time.fromisoformat(str(data["at"])),
            zone=str(data["zone"]),
            until=date.fromisoformat(until) if until else None,
        )


@dataclass(frozen=True)
class Schedule:
    """The first time a reminder is due (UTC) and, for a weekly one, its rule."""

    first: datetime
    repeat: Repeat | None = None


# -- reading --------------------------------------------------------------------------------------


def read(words: Sequence[str]) -> tuple[Spec, int]:
    """The ``<when>`` at the start of ``words`` and how many words it took; ``ValueError`` saying what is wrong.

    Each form is recognised by its first word, then takes exactly the words
    that form needs; ``every`` takes ``until <date>`` too when it follows.
    """
    if not words:
        raise InputError(f"when should it be sent? Write the time as {FORMS}")
    first = words[0].lower()
    if first == "every":
        return _weekly(words)
    if first == "in":
        return _later(words), 3
    if first in {"today", "tomorrow"}:
        return DaysAhead(0 if first == "today" else 1, _time(_word(words, 1, f"a time after {first!r}"))), 2
    if _DATE.match(words[0]):
        day = _date(words[0])
        at = _time(_word(words, 1, f"a time (HH:MM) after {words[0]}"))
        return WallClock(datetime.combine(day, at)), 2
    if _ISO_HINT.match(words[0]):
        return _iso(words[0]), 1
    raise InputError(f"I can't read {words[0]!r} as a time. Write it as {FORMS}")


def parse(text: str) -> Spec:
    """A whole string as one ``<when>`` (nothing may follow it)."""
    words = text.split()
    spec, used = read(words)
    if used != len(words):
        raise InputError(f"unexpected {' '.join(words[used:])!r} after the time")
    return spec


def _word(words: Sequence[str], n: int, what: str) -> str:
    if len(words) <= n:
        raise InputError(f"missing {what}")
    return words[n]


def _time(text: str) -> time:
    match = _TIME.match(text)
    if match is not None:
        hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
        if hour < 24 and minute < 60 and second < 60:
            return time(hour, minute, second)
    raise InputError(f"{text!r} is not a time; write it as HH:MM on the 24-hour clock, e.g. 09:00 or 17:30")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-12-01") from None


def _iso(text: str) -> Moment | WallClock:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"{text!r} is not an ISO 8601 date-time such as 2026-12-01T09:00:00+00:00") from None
    return Moment(moment) if moment.tzinfo is not None else WallClock(moment)


def _later(words: Sequence[str]) -> Later:
    count = _word(words, 1, "a number after 'in', e.g. in 30 minutes")
    unit = _word(words, 2, f"minutes, hours or days after 'in {count}'").lower()
    if not _COUNT.match(count) or int(count) == 0:
        raise InputError(f"{count!r} is not a positive whole number; write e.g. `in 30 minutes`")
    if unit not in _UNITS:
        raise InputError(f"{unit!r} is not minutes, hours or days; write e.g. `in 2 hours`")
    return Later(int(count), _UNITS[unit])


def _weekly(words: Sequence[str]) -> tuple[Weekly, int]:
    day = _word(words, 1, "a day of the week after 'every', e.g. every monday 09:00").lower()
    if day not in WEEKDAYS:
        raise InputError(f"{day!r} is not a day of the week; write e.g. `every monday 09:00`")
    at = _time(_word(words, 2, f"a time after 'every {day}', e.g. 09:00"))
    if len(words) > 3 and words[3].lower() == "until":
        return Weekly(WEEKDAYS[day], at, _date(_word(words, 4, "a date (YYYY-MM-DD) after 'until'"))), 5
    return Weekly(WEEKDAYS[day], at), 3


# -- scheduling -----------------------------------------------------------------------------------


def zone(name: str | None) -> ZoneInfo:
    """The zone called ``name``; UTC when it is missing or unknown to the time-zone database."""
    try:
        return ZoneInfo(name) if name else UTC_ZONE
    except (ZoneInfoNotFoundError, ValueError):
        return UTC_ZONE


def to_utc(wall: datetime, tz: ZoneInfo, *, strict: bool = False) -> datetime:
    """A local wall-clock time as a UTC instant.

    ``strict`` refuses a time skipped by a clock change; otherwise it is
    read with the offset in force before the change, i.e. as the same
    distance after the gap starts.
    """
    local = wall.replace(tzinfo=tz, fold=0)
    moment = local.astimezone(UTC)
    if strict and moment.astimezone(tz).replace(tzinfo=None) != wall:
        raise InputError(
            f"{wall:%Y-%m-%d %H:%M} does not exist in {tz.key}: the clocks go forward then. Pick another time"
        )
    return moment


def schedule(spec: Spec, now: datetime, tz: ZoneInfo) -> Schedule:
    """When ``spec`` falls due, seen from ``now`` in zone ``tz``; ``ValueError`` for a time in the past."""
    try:
        result = _schedule(spec, now, tz)
    except OverflowError:  # beyond year 1 or 9999 once moved to UTC: say which end
        if isinstance(spec, Moment | WallClock) and spec.at.year <= now.year:
            raise InputError(f"{spec.at:%Y-%m-%d %H:%M} is in the past (it is now {format_local(now, tz)})") from None
        raise InputError("that time is too far ahead") from None
    if result.first <= now:
        raise InputError(f"{format_local(result.first, tz)} is in the past (it is now {format_local(now, tz)})")
    return result


def _schedule(spec: Spec, now: datetime, tz: ZoneInfo) -> Schedule:
    if isinstance(spec, Moment):
        return Schedule(spec.at.astimezone(UTC))
    if isinstance(spec, WallClock):
        return Schedule(to_utc(spec.at, tz, strict=True))
    if isinstance(spec, DaysAhead):
        day = now.astimezone(tz).date() + timedelta(days=spec.days)
        return Schedule(to_utc(datetime.combine(day, spec.at), tz, strict=True))
    if isinstance(spec, Later):
        if spec.unit == "days":  # same wall-clock time N days on, across a clock change too
            local = now.astimezone(tz).replace(tzinfo=None) + timedelta(days=spec.amount)
            return Schedule(to_utc(local, tz))
        return Schedule(now + timedelta(**{spec.unit: spec.amount}))
    repeat = Repeat(spec.weekday, spec.at, tz.key, spec.until)
    first = repeat.next_after(now)
    if first is None:
        raise InputError(f"there is no {DAY_NAMES[spec.weekday]} {spec.at:%H:%M} between now and {spec.until}")
    return Schedule(first, repeat)


def picked(at: datetime, now: datetime, tz: ZoneInfo, *, weekly: bool, until: date | None) -> Schedule:
    """The modal's date-time picker (an instant) and its "every week" box and "until" date, as a schedule.

    A weekly reminder repeats on the picked time's weekday and wall-clock time in ``tz``.
    """
    first = at.astimezone(UTC)
    if first <= now:
        raise InputError(f"{format_local(first, tz)} is in the past (it is now {format_local(now, tz)})")
    if not weekly:
        return Schedule(first)
    local = first.astimezone(tz)
    if until is not None and until < local.date():
        raise InputError(f"'until' ({until}) is before the first reminder ({local.date()})")
    return Schedule(first, Repeat(local.weekday(), local.time().replace(microsecond=0), tz.key, until))


def format_local(moment: datetime, tz: ZoneInfo) -> str:
    """``Tue 1 Dec 2026, 09:00 GMT``: how a time is shown to the person who set it."""
    local = moment.astimezone(tz)
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M} {local.tzname() or tz.key}"
