"""Reading the text after a slash command: the subcommand, and `/ilm log`'s "1.5h mentoring with Sam"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.errors import InputError

_HOURS = re.compile(r"^(?P<n>[-+]?\d+(?:\.\d+)?|[-+]?\.\d+)\s*(?:h|hr|hrs|hour|hours)?$", re.I)
_USER_REF = re.compile(r"^<@(?P<id>[UW][A-Z0-9]+)(?:\|[^>]*)?>$|^(?P<bare>[UW][A-Z0-9]{2,})$")


def split(text: str) -> tuple[str, str]:
    """('log', '1.5h mentoring') from 'log 1.5h mentoring'; the subcommand is lower-cased."""
    head, _, rest = (text or "").strip().partition(" ")
    return head.lower(), rest.strip()


@dataclass(frozen=True)
class LogArgs:
    hours: str
    kind: str
    note: str | None


def log_args(text: str) -> LogArgs:
    """`<hours>h <kind> [note]`, also `<hours> h <kind>` and `<hours> hours <kind>`."""
    words = text.split()
    if len(words) >= 2 and words[1].lower() in {"h", "hr", "hrs", "hour", "hours"}:
        words = [words[0] + "h", *words[2:]]
    if len(words) < 2:
        raise InputError("usage: `/ilm log <hours>h <kind> [note]`, for example `/ilm log 1.5h mentoring with Sam`")
    match = _HOURS.match(words[0])
    if match is None:
        raise InputError(f"{words[0]!r} is not a number of hours; write it like `1.5h`")
    note = " ".join(words[2:]).strip() or None
    return LogArgs(hours=match.group("n"), kind=words[1], note=note)


def user_ref(text: str, hint: str = "name the learner with an @mention, for example `/ilm-hr progress @Sam`") -> str:
    """A user as Slack sends it in a command (`<@U123|name>` with escaping on, or a bare id)."""
    match = _USER_REF.match(text.strip())
    if match is None:
        raise InputError(hint)
    return match.group("id") or match.group("bare")


def user_and_rest(text: str, usage: str) -> tuple[str, str]:
    """(`U123`, `8577-304`) from `<@U123|sam> 8577-304`: HR's commands name the learner first."""
    head, _, rest = (text or "").strip().partition(" ")
    if not head:
        raise InputError(f"name the learner first: {usage}")
    return user_ref(head, f"name the learner with an @mention first: {usage}"), rest.strip()
