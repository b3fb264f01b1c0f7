"""What HR is told about reminders: confirmations and the notices the scheduler sends their creators.

Pure text (Slack ``mrkdwn``). HR's own message is quoted back with
broadcasts defused, so a confirmation never pings a channel; the reminder
itself is posted as written (``bot.reminders.outbox``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.answers.safety import neutralise
from bot.reminders.store import ReminderInfo
from bot.reminders.when import format_local

_SLACK_SEQUENCE = re.compile(r"<(?:[!#@][^<>\s|]+|https?://[^<>\s|]+|mailto:[^<>\s|]+)(?:\|[^<>]*)?>")
#: Longest quote of HR's text in a confirmation or list; the reminder itself is never shortened.
MAX_QUOTE = 600


def from_input(raw: str) -> str:
    """Text typed into the modal (plain text) as Slack ``mrkdwn``, as the slash command would have sent it.

    ``&``, ``<`` and ``>`` are escaped as Slack asks, except in Slack's own
    sequences (``<!channel>``, ``<@U…>``, ``<#C…>``, ``<https://…|…>``), which HR
    may use deliberately and which must reach Slack unchanged.
    """
    out: list[str] = []
    pos = 0
    for match in _SLACK_SEQUENCE.finditer(raw):
        out.extend((_escape(raw[pos : match.start()]), match.group()))
        pos = match.end()
    out.append(_escape(raw[pos:]))
    return "".join(out)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def target_label(kind: str, target: str, title: Callable[[str], str], audience: str | None = None) -> str:
    """``<#C123>`` (Slack shows the channel's name) or "the learners on ILM Level 3 Award in Mentoring"
    (narrowed: "… who have not achieved it", "… with nothing recorded for 30 days")."""
    if kind == "channel":
        return f"<#{target}>"
    label = f"the learners on {title(target)}"
    if audience == "not-achieved":
        return f"{label} who have not achieved it"
    if audience and audience.startswith("stalled"):
        days = audience.partition("-")[2]
        return f"{label} who have not achieved it and have nothing recorded for {days} days"
    return label


def quote(text: str, limit: int = MAX_QUOTE) -> str:
    """HR's text as a block quote, broadcasts and mentions defused, shortened if long."""
    safe = neutralise(text.strip())
    if len(safe) > limit:
        safe = safe[: limit - 1].rstrip() + "…"
    return "\n".join(f"> {line}" for line in safe.splitlines() or [""])


def confirmation(info: ReminderInfo, tz: ZoneInfo, label: str, learners_now: int | None = None) -> str:
    lines = [f"✅ Reminder *#{info.id}* scheduled for *{format_local(info.due_at, tz)}* to {label}."]
    if info.repeat is not None:
        lines.append(f"It repeats {info.repeat.describe()}.")
    if learners_now is not None:
        who = "enrolled" if info.audience is None else "in that group"
        enrolled = f"{learners_now:,} learner{'s are' if learners_now != 1 else ' is'} {who} now"
        lines.append(f"{enrolled}; each gets a DM, and the list is taken again when it is sent.")
    lines.append(quote(info.text))
    lines.append(f"Cancel it with `/ilm-hr cancel {info.id}`; see every reminder with `/ilm-hr reminders`.")
    return "\n".join(lines)


def summary(info: ReminderInfo, tz: ZoneInfo, label: str) -> str:
    """One reminder in ``/ilm-hr reminders``: id, time, target, repeat, progress, and the text quoted."""
    lines = [f"*#{info.id}* · {format_local(info.due_at, tz)} → {label}"]
    if info.repeat is not None:
        lines.append(f"Repeats {info.repeat.describe()}")
    if info.progress is not None:
        lines.append(f"📤 Sending now: {info.progress.describe()}")
    lines.append(quote(info.text, limit=300))
    return "\n".join(lines)


def cancelled(info: ReminderInfo, tz: ZoneInfo, label: str) -> str:
    text = f"Cancelled reminder *#{info.id}* to {label}, due {format_local(info.due_at, tz)}."
    if info.progress is not None:
        text += f" It was being sent: {info.progress.describe()} before it stopped; nobody else will get it."
    return text


def missed_notice(reminder_id: int, label: str, occurrence: datetime, tz: ZoneInfo, grace: timedelta) -> str:
    return (
        f"⚠️ Your reminder *#{reminder_id}* to {label}, due *{format_local(occurrence, tz)}*, was *not sent*: "
        f"I was not running at that time, and by the time I was back it was more than {duration(grace)} late. "
        "Send it again with `/ilm-hr remind` if it is still useful."
    )


def failed_notice(
    reminder_id: int,
    label: str,
    occurrence: datetime,
    tz: ZoneInfo,
    sent: int,
    total: int,
    errors: Mapping[str, int],
) -> str:
    failed = total - sent
    reasons = ", ".join(f"{reason(e)} ({n:,})" for e, n in sorted(errors.items(), key=lambda x: -x[1]))
    return (
        f"⚠️ Your reminder *#{reminder_id}* to {label}, due *{format_local(occurrence, tz)}*, reached "
        f"{sent:,} of {total:,}. {failed:,} could not be delivered: {reasons or 'no reason given'}."
    )


_REASONS = {
    "missed": "too late after a restart",
    "channel_not_found": "channel not found",
    "not_in_channel": "I'm not in the channel",
    "is_archived": "channel archived",
    "user_not_found": "user not found",
    "user_disabled": "account deactivated",
    "cannot_dm_bot": "a bot",
}


def reason(error: str) -> str:
    """A delivery's error in words: Slack's error code, or why a post could not be confirmed."""
    if error.startswith("unverified:"):
        return f"not confirmed, perhaps sent ({error.partition(':')[2].strip()})"
    return _REASONS.get(error, error)


def duration(value: timedelta) -> str:
    """6:00:00 -> "6 hours", 0:30:00 -> "30 minutes"."""
    seconds = int(value.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            n = seconds // size
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return f"{seconds} seconds"
