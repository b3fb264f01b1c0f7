"""Admin replies as text, the same in Slack and at the command line."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from bot.admin.service import Outcome, Status
from bot.admin.unanswered import Group
from bot.admin.versions import Load
from bot.storage.experts import ExpertQuestionInfo
from bot.storage.feedback import FeedbackRecord

#: Errors listed in one reply; the rest are counted.
MAX_ERRORS = 20


def outcome(result: Outcome, what: str) -> str:
    if not result.ok:
        shown = list(result.errors[:MAX_ERRORS])
        more = len(result.errors) - len(shown)
        lines = [f"{what.capitalize()} refused; still serving the previous version unchanged. Errors:"]
        lines += [f"• {e}" for e in shown] + ([f"…and {more} more"] if more > 0 else [])
        return "\n".join(lines)
    if result.unchanged:
        return f"Nothing to {what}: the files are version {result.version}, which is already serving ({result.counts})."
    lines = [f"{what.capitalize()} done: now serving version {result.version} ({result.counts})."]
    if result.diff is not None:
        lines += [f"• {line}" for line in result.diff.lines()]
    lines.append("Other replicas switch within seconds.")
    return "\n".join(lines)


def status(s: Status, database_ok: bool, now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    lines = [
        f"Version {s.version}, loaded {_ago(s.loaded_at, now)} by {s.loaded_by} ({s.counts}).",
        f"Database: {'reachable' if database_ok else 'NOT reachable'}.",
    ]
    if s.current is not None and s.current.version != s.version:
        lines.append(f"Current stored version is {s.current.version}; this process has not switched to it yet.")
    if s.replicas:
        lines.append("Replicas seen in the last 2 minutes:")
        for r in s.replicas:
            err = f" — {r.error}" if r.error else ""
            lines.append(f"• {r.id}: {r.version}, up {_span(now - r.started_at)}, seen {_ago(r.seen_at, now)}{err}")
    return "\n".join(lines)


def history(loads: Sequence[Load], now: datetime | None = None) -> str:
    if not loads:
        return "No versions recorded yet."
    now = now or datetime.now(UTC)
    lines = ["Recent versions (newest first):"]
    lines += [f"• {x.version} — {x.action} by {x.actor}, {x.at:%Y-%m-%d %H:%M} UTC ({_ago(x.at, now)})" for x in loads]
    return "\n".join(lines)


def unanswered(groups: Sequence[Group]) -> str:
    if not groups:
        return "No unanswered questions recorded."
    lines = ["Questions the bot fell back on, most asked first:"]
    for g in groups:
        examples = " | ".join(f"“{e}”" for e in g.examples)
        lines.append(f"• {g.count}× {examples}")
    return "\n".join(lines)


def feedback(records: Sequence[FeedbackRecord]) -> str:
    down = [r for r in records if not r.helpful]
    if not down:
        return "No answers marked 👎."
    lines = ["Answers marked 👎 (newest first):"]
    lines += [f"• {r.at:%Y-%m-%d %H:%M} [{r.intent or 'no intent'}] “{r.question}”" for r in down]
    return "\n".join(lines)


def _ago(at: datetime, now: datetime) -> str:
    return f"{_span(now - at)} ago"


def _span(delta: timedelta) -> str:
    seconds = max(0, int(delta.total_seconds()))
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def candidates(items: Sequence[ExpertQuestionInfo]) -> str:
    """Questions HR answered through Ask HR: pairs an admin may add to the knowledge (issue 16)."""
    if not items:
        return ""
    lines = ["Answered by HR through Ask HR (candidates for the knowledge, newest first):"]
    lines += [f"• {i.answered_at or i.asked_at:%Y-%m-%d} “{i.question}” → “{i.answer}” (by {i.expert})" for i in items]
    return "\n".join(lines)
