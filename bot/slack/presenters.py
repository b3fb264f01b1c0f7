"""Replies more than one listener shows: a learner's progress, the reminder list and a cancellation.

Listener modules don't import each other; what two of them share lives here.
"""

from __future__ import annotations

import re
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot.errors import InputError
from bot.learners.progress import progress_of
from bot.reminders import messages, scheduling
from bot.slack.blocks import Block, Mrkdwn, progress_message, reminder_list_blocks
from bot.slack.services import SlackServices

#: Reminder ids are 32-bit database integers: a longer number is no reminder (and must not reach PostgreSQL).
_REMINDER_ID = re.compile(r"[0-9]{1,9}")


def progress_reply(s: SlackServices, learner: str, *, mine: bool = True) -> tuple[str, list[Block] | None]:
    """A learner's progress as (text, blocks), to themself (``mine``) or to HR; no blocks when there is no record."""
    brain = s.brain()
    record = s.learners.learner(learner)
    if not record.enrolments:
        if mine:  # plain text: its `<qualification>` placeholders are escaped on the way out
            return brain.templates.render("my_progress", "no_record"), None
        # HR's copy mentions the learner (<@U…>): the template is the knowledge's, the id a checked Slack id
        return Mrkdwn(brain.templates.render("my_progress", "no_record_hr", user=learner)), None
    text, blocks = progress_message(
        progress_of(record, brain.knowledge, brain.engine).to_dict(), knowledge=brain.knowledge
    )
    return Mrkdwn(text), blocks


def reminder_list(s: SlackServices, tz: ZoneInfo, note: str | None = None) -> tuple[str, list[dict[str, Any]]]:
    """``/ilm-hr reminders`` as (fallback, blocks); also what the Cancel button redraws."""
    title = scheduling.title_of(s.brain().knowledge)
    items = [
        (info.id, messages.summary(info, tz, messages.target_label(info.target_kind, info.target, title)))
        for info in s.reminders.upcoming()
    ]
    text, blocks = reminder_list_blocks(items, note=note)
    return Mrkdwn(text), blocks


def reminder_id(text: str) -> int:
    """The reminder a person named (``12`` or ``#12``); ``InputError`` for anything that can't be one."""
    ident = text.strip().lstrip("#").strip()
    if _REMINDER_ID.fullmatch(ident):
        return int(ident)
    if ident and all(c.isdigit() for c in ident):  # "²", "٣", or more digits than any id has
        raise InputError(f"there is no such reminder ({ident[:20]!r}); `/ilm-hr reminders` lists them")
    raise InputError(
        "which reminder? Write `/ilm-hr cancel <id>`, e.g. `/ilm-hr cancel 12`; `/ilm-hr reminders` lists ids"
    )


def cancel_text(s: SlackServices, client: WebClient, user: str, reminder: int) -> str:
    """Cancel a reminder for ``user`` and say what happened; ``InputError`` when there is nothing to cancel."""
    info = s.reminders.cancel(reminder, by=user)
    tz, _ = scheduling.user_zone(client, user)
    label = messages.target_label(info.target_kind, info.target, scheduling.title_of(s.brain().knowledge))
    return Mrkdwn(messages.cancelled(info, tz, label))
