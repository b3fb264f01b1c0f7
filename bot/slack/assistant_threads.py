"""Bolt's assistant thread-context store, kept in the database (``bot.storage.threads``).

Bolt's default store keeps a thread's context in the metadata of the bot's
first reply, found again with ``conversations.replies`` on every message;
the database answers without a Web API call and is shared by every replica.
"""

from __future__ import annotations

from slack_bolt.context.assistant.thread_context import AssistantThreadContext
from slack_bolt.context.assistant.thread_context_store.store import AssistantThreadContextStore

from bot.slack.services import SlackServices


class SqlThreadContextStore(AssistantThreadContextStore):
    """Reads ``services.threads`` when called, so registration needs no database (``bot.slack.manifest``)."""

    def __init__(self, services: SlackServices) -> None:
        self.services = services

    def save(self, *, channel_id: str, thread_ts: str, context: dict[str, str]) -> None:
        self.services.threads.remember(channel_id, thread_ts, dict(context))

    def find(self, *, channel_id: str, thread_ts: str) -> AssistantThreadContext | None:
        context = self.services.threads.context(channel_id, thread_ts)
        return AssistantThreadContext(context) if context and context.get("channel_id") else None
