"""Button clicks: clarification choices, 👍/👎, Home example questions and the forget-me confirmation."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.slack import replies
from bot.slack.blocks import (
    ACTION_CHOOSE,
    ACTION_EXAMPLE,
    ACTION_FEEDBACK_DOWN,
    ACTION_FEEDBACK_UP,
    ACTION_FORGET_CANCEL,
    ACTION_FORGET_CONFIRM,
    action_pattern,
    choice_owner,
    feedback_given,
)
from bot.slack.services import SlackServices

OTHERS_QUESTION = "That question was asked by someone else; ask me yourself and I'll answer you."


def register(app: App, s: SlackServices) -> None:
    @app.action(action_pattern(ACTION_CHOOSE))
    def choose(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        """'Which certificate?' answered by a button: the held question is answered in place."""
        ack()
        user = body["user"]["id"]
        owner = choice_owner(action.get("block_id", ""))
        if owner and owner != user:
            respond(text=OTHERS_QUESTION, response_type="ephemeral", replace_original=False)
            return
        qualification = s.brain().knowledge.qualifications.get(action.get("value", ""))
        if qualification is None:
            respond(text="That choice is no longer available; please ask again.", replace_original=False)
            return
        answer = s.assistant.reply(user, qualification.title)
        text, blocks = replies.message(answer, qualification.title, asker=user)
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
        if replies.is_personal(answer) and not replies.in_dm(channel):
            respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)
        else:
            respond(text=text, blocks=blocks, replace_original=True)

    @app.action(ACTION_FEEDBACK_UP)
    def helpful(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        _rate(s, body, action, respond, helpful=True)

    @app.action(ACTION_FEEDBACK_DOWN)
    def unhelpful(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        _rate(s, body, action, respond, helpful=False)

    @app.action(action_pattern(ACTION_EXAMPLE))
    def example(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        """A question button on the App Home: asked and answered in the user's DM with the bot."""
        ack()
        user, question = body["user"]["id"], action.get("value", "")
        answer = s.assistant.reply(user, question)
        text, blocks = replies.message(answer, question, asker=user)
        client.chat_postMessage(channel=user, text=text, blocks=blocks)

    @app.action(ACTION_FORGET_CONFIRM)
    def forget(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        user = body["user"]["id"]
        erased = s.learners.forget(user, actor=f"slack:{user}")
        done = "Done: everything I stored about you has been erased." if erased.anything else "I had nothing stored."
        respond(text=f"{done} The erasure itself is recorded in the audit log.", replace_original=True)

    @app.action(ACTION_FORGET_CANCEL)
    def keep(ack: Ack, respond: Respond) -> None:
        ack()
        respond(text="Nothing was erased.", replace_original=True)


def _rate(s: SlackServices, body: dict[str, Any], action: dict[str, Any], respond: Respond, *, helpful: bool) -> None:
    intent, question = replies.read_feedback_value(action.get("value", ""))
    s.feedback.record(body["user"]["id"], helpful, intent, question)
    message = body.get("message")
    if message and message.get("blocks"):
        respond(text=message.get("text", ""), blocks=feedback_given(message["blocks"], helpful), replace_original=True)
    else:  # an ephemeral answer: Slack doesn't send it back, so thank without touching it
        respond(text="Thanks for the feedback.", replace_original=False, response_type="ephemeral")
