"""Slack's assistant surface (the split-view AI app), through Bolt's ``Assistant`` middleware.

The middleware takes the events of assistant threads (``assistant_thread_started``,
``assistant_thread_context_changed`` and messages in the thread) before the plain
event listeners; other DMs go on to ``listeners.events``. In a workspace without the
feature no assistant events arrive, and a threaded DM is answered in its thread as
before (the assistant-only calls that fail there are skipped).
"""

from __future__ import annotations

from slack_bolt import App, Assistant
from slack_bolt.context.assistant.thread_context_store.store import AssistantThreadContextStore

from bot.slack.listeners.assistant.context_changed import context_changed
from bot.slack.listeners.assistant.thread_started import thread_started
from bot.slack.listeners.assistant.user_message import user_message


def register(app: App, thread_contexts: AssistantThreadContextStore) -> None:
    assistant = Assistant(thread_context_store=thread_contexts)
    assistant.thread_started(thread_started)
    assistant.user_message(user_message)
    assistant.thread_context_changed(context_changed)
    app.assistant(assistant)
