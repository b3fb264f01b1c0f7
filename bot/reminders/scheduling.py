"""Scheduling a reminder for HR, from ``/ilm-hr remind …`` or from the modal.

The checks that need Slack (the HR user's time zone, whether a channel
exists and the bot is in it) and the knowledge base (which qualification a
name means) live here, so both surfaces refuse the same things with the
same words, and nothing is stored unless every check passed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import InputError
from bot.knowledge.lookup import qualification_id
from bot.knowledge.models import Knowledge
from bot.learners.settings import RecordSettings
from bot.reminders import messages
from bot.reminders import when as when_
from bot.reminders.audience import narrower
from bot.reminders.store import ReminderInfo, ReminderStore
from bot.reminders.target import STALLED, ChannelTarget, Target, stalled_days

#: Slack recommends at most 4,000 characters per message; longer texts are truncated by clients.
MAX_TEXT = 4000
_MISSING_CHANNEL = frozenset({"channel_not_found", "not_in_channel", "invalid_channel"})


def user_zone(client: WebClient, user: str) -> tuple[ZoneInfo, bool]:
    """The user's Slack time zone (``users.info``), and whether it was known; UTC when it can't be read."""
    try:
        name = (client.users_info(user=user).get("user") or {}).get("tz")
    except SlackApiError:
        return when_.UTC_ZONE, False
    tz = when_.zone(name)
    return tz, bool(name) and tz.key == name


def zone_note(known: bool) -> str:
    """A note for replies when the zone had to be guessed."""
    return "" if known else "\n_I couldn't read your Slack time zone, so times are in UTC._"


def check_channel(client: WebClient, channel: str) -> None:
    """``ValueError`` unless the channel exists, is not archived and the bot is in it (so it can post)."""
    try:
        info = client.conversations_info(channel=channel).get("channel") or {}
    except SlackApiError as exc:
        if exc.response.get("error") in _MISSING_CHANNEL:
            raise InputError("I can't find that channel. If it is private, invite me to it first") from None
        raise
    if info.get("is_archived"):
        raise InputError(f"<#{channel}> is archived")
    if not info.get("is_member", True):
        raise InputError(f"I'm not in <#{channel}>: invite me with `/invite @ILM Coach`, then try again")


def qualification_title(knowledge: Knowledge, qualification: str) -> str:
    """A qualification's title by id (the id itself if the knowledge base no longer has it)."""
    found = knowledge.qualifications.get(qualification)
    return found.title if found is not None else qualification


def canonical_audience(audience: str | None, default_days: int) -> str | None:
    """As stored: ``not-achieved``, or ``stalled-<days>`` with the days fixed now (ILM_STALLED_DAYS by default)."""
    days = stalled_days(audience, default_days)
    return f"{STALLED}-{days}" if days is not None else audience


def title_of(knowledge: Knowledge) -> Callable[[str], str]:
    return partial(qualification_title, knowledge)


def schedule(
    store: ReminderStore,
    client: WebClient,
    knowledge: Knowledge,
    *,
    hr_user: str,
    target: Target,
    first: when_.Schedule,
    text: str,
    tz: ZoneInfo,
) -> tuple[ReminderInfo, str]:
    """Check everything, then store the reminder; returns it and the confirmation to show HR.

    ``ValueError`` says what is wrong, and then nothing is stored.
    """
    if not text.strip():
        raise InputError("the message is empty")
    if len(text) > MAX_TEXT:
        raise InputError(f"the message is {len(text):,} characters long; keep it under {MAX_TEXT:,}")
    audience = None
    if isinstance(target, ChannelTarget):
        check_channel(client, target.channel)
        kind, ident, enrolled = "channel", target.channel, None
    else:
        kind, ident = "learners", qualification_id(target.qualification, knowledge)
        audience = canonical_audience(target.audience, RecordSettings.from_env().stalled_days)
        enrolled = store.enrolled(ident, audience, narrower(lambda: knowledge))
    info = store.create(
        created_by=hr_user, target_kind=kind, target=ident, text=text, schedule=first, zone=tz.key, audience=audience
    )
    label = messages.target_label(kind, ident, title_of(knowledge), audience)
    return info, messages.confirmation(info, tz, label, enrolled)
