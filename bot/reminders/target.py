"""Who a reminder goes to: a channel, or every learner enrolled on a qualification (each by DM).

Pure: this reads what HR wrote. Whether the channel exists and which
qualification a name means is checked by the caller, against Slack and the
knowledge base.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

from bot.errors import InputError

LEARNERS_PREFIX = "learners:"
#: Narrowing a ``learners:`` target: those who have not achieved the qualification, or are stalled on it.
NOT_ACHIEVED, STALLED = "not-achieved", "stalled"
_AUDIENCE = re.compile(r"^(?P<name>.*?)\s*:\s*(?P<audience>not-achieved|stalled(?:-(?P<days>\d+))?)$", re.I | re.ASCII)
#: A channel as Slack sends it in a command with escaping on (``<#C123|name>``), or a bare id.
_CHANNEL = re.compile(r"^<#(?P<id>[CG][A-Z0-9]{2,})(?:\|(?P<name>[^>]*))?>$|^(?P<bare>[CG][A-Z0-9]{6,})$")
USAGE = (
    "a channel (type # and pick it, e.g. #general) or `learners:<qualification>`, e.g. `learners:award in mentoring`, "
    "optionally narrowed with `:not-achieved`, `:stalled` or `:stalled-<days>`"
)


@dataclass(frozen=True)
class ChannelTarget:
    channel: str
    name: str | None = None


@dataclass(frozen=True)
class LearnersTarget:
    """Learners enrolled on ``qualification`` (as written: an id, name or alias, resolved by the caller).

    ``audience`` narrows them, worked out when the reminder falls due: ``not-achieved`` (the rules of
    combination are not met yet), ``stalled`` (not achieved, nothing recorded for ILM_STALLED_DAYS) or
    ``stalled-<days>``; None means everyone enrolled.
    """

    qualification: str
    audience: str | None = None


Target = ChannelTarget | LearnersTarget


def channel(text: str) -> ChannelTarget | None:
    """``<#C123|general>`` or ``C0123ABCD`` as a channel; None when ``text`` is not one."""
    match = _CHANNEL.match(text.strip())
    if match is None:
        return None
    return ChannelTarget(match["id"] or match["bare"], match["name"] or None)


def learners(text: str) -> LearnersTarget | None:
    """``learners:<qualification>`` (the name may be quoted); None when ``text`` does not start so.

    Slack escapes ``&`` in command text, so "C&amp;M" is read as "C&M".
    """
    if not text.lower().startswith(LEARNERS_PREFIX):
        return None
    name = unescape(text[len(LEARNERS_PREFIX) :]).strip()
    audience = None
    if narrowed := _AUDIENCE.match(name):
        name, audience = narrowed["name"], narrowed["audience"].lower()
        days = narrowed["days"]
        if days is not None and (len(days) > 6 or not 1 <= int(days) <= MAX_STALLED_DAYS):
            raise InputError(f"stalled for how long? Write a number of days from 1 to {MAX_STALLED_DAYS}")
    name = name.strip().strip("\"'“”‘’").strip()
    if not name:
        raise InputError("which qualification's learners? Write e.g. `learners:award in mentoring`")
    return LearnersTarget(name, audience)


#: The longest "stalled" period a reminder can name (about ten years).
MAX_STALLED_DAYS = 3650


def stalled_days(audience: str | None, default: int) -> int | None:
    """The days a ``stalled`` audience means (its own, or ``default``); None for any other audience."""
    if audience is None or not audience.startswith(STALLED):
        return None
    _, _, days = audience.partition("-")
    return int(days) if days else default


def parse(text: str) -> Target:
    """A whole target; ``ValueError`` saying what a target looks like."""
    found = channel(text) or learners(text)
    if found is None:
        if text.strip().startswith("#"):
            raise InputError(
                f"I can't tell which channel {text.strip()!r} is: type # and pick the channel from Slack's list, "
                "so it reaches me as a link"
            )
        raise InputError(f"{text.strip()!r} is not a target; write {USAGE}")
    return found
