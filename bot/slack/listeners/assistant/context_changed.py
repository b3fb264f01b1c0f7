"""The user switched channels with the assistant open: the channel they view is remembered for the thread."""

from __future__ import annotations

from typing import Any

from bot.slack.services import SlackServices


def context_changed(event: dict[str, Any], services: SlackServices) -> None:
    thread = event.get("assistant_thread") or {}
    if thread.get("channel_id") and thread.get("thread_ts"):
        services.threads.remember(
            thread["channel_id"], thread["thread_ts"], thread.get("context") or {}, user=thread.get("user_id")
        )
