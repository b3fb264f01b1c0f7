"""Events: direct messages, @mentions (answered in a thread) and the App Home tab."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.slack import home, replies
from bot.slack.services import SlackServices


def register(app: App, s: SlackServices) -> None:
    @app.event("message")
    def direct_message(event: dict[str, Any], client: WebClient) -> None:
        """A DM to the bot. Edits, deletions, bots' messages and channel messages are not questions."""
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id") or not event.get("user"):
            return
        question = event.get("text") or ""
        answer = s.assistant.reply(event["user"], question)
        text, blocks = replies.message(answer, question, asker=event["user"])
        client.chat_postMessage(channel=event["channel"], text=text, blocks=blocks, thread_ts=event.get("thread_ts"))

    @app.event("app_mention")
    def mention(event: dict[str, Any], client: WebClient) -> None:
        """An @mention in a channel: answered in a thread; personal answers only to the asker."""
        if event.get("bot_id") or not event.get("user"):
            return
        if event.get("channel_type") == "im" or replies.in_dm(event.get("channel")):
            return  # a mention inside the DM also arrives as message.im, which answers it
        question = replies.without_mentions(event.get("text") or "")
        answer = s.assistant.reply(event["user"], question)
        text, blocks = replies.message(answer, question, asker=event["user"])
        thread = event.get("thread_ts") or event["ts"]
        if replies.is_personal(answer):
            client.chat_postEphemeral(
                channel=event["channel"], user=event["user"], text=text, blocks=blocks, thread_ts=thread
            )
        else:
            client.chat_postMessage(channel=event["channel"], text=text, blocks=blocks, thread_ts=thread)

    @app.event("app_home_opened")
    def home_opened(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        client.views_publish(user_id=event["user"], view=home.view_for(s, event["user"]))
