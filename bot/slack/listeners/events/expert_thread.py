"""An expert's reply in the thread under a question in ILM_EXPERTS_CHANNEL: the answer goes to the learner."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from bot.errors import InputError
from bot.slack import experts, replies
from bot.slack.blocks import escape
from bot.slack.services import SlackServices


def is_expert_reply(event: dict[str, Any], services: SlackServices) -> bool:
    """Matcher: a person's reply in a thread of the experts' channel, by HR (others' chatter is not an answer)."""
    channel = services.settings.experts_channel
    return bool(
        channel
        and event.get("channel") == channel
        and event.get("thread_ts")
        and event.get("thread_ts") != event.get("ts")
        and not event.get("subtype")
        and not event.get("bot_id")
        and services.settings.is_hr(str(event.get("user") or ""))
    )


def expert_thread_reply(event: dict[str, Any], client: WebClient, services: SlackServices) -> None:
    info = services.experts.by_post(event["channel"], event["thread_ts"])
    if info is None:
        return  # a thread under something else in the channel
    try:
        experts.answer(services, client, info.id, event["user"], event.get("text") or "")
    except InputError as exc:
        text = f"Not sent: {replies.problem(exc)}"
    else:
        text = "✅ Sent to the learner."
    client.chat_postEphemeral(
        channel=event["channel"], user=event["user"], thread_ts=event["thread_ts"], text=escape(text)
    )
