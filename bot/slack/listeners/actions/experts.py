"""Ask HR (under an answer that fell back) and Answer (under the question in the experts' channel)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.errors import InputError
from bot.slack import experts, replies
from bot.slack.blocks.forms import expert_modal
from bot.slack.services import SlackServices


def ask_expert(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, client: WebClient, services: SlackServices
) -> None:
    """The learner pressed Ask HR: the question goes to ILM_EXPERTS_CHANNEL and they are told so."""
    ack()
    user = body["user"]["id"]
    asker = replies.expert_asker(str(action.get("block_id", "")))
    if asker and asker != user:  # a button under someone else's answer in a channel thread
        replies.say(respond, "That question was asked by someone else; ask me yourself to pass yours on.")
        return
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id") or user
    thread = (body.get("message") or {}).get("thread_ts") or container.get("thread_ts")
    try:
        text = experts.pass_on(
            services, client, user, channel, thread, replies.read_expert_value(action.get("value", ""))
        )
    except InputError as exc:
        text = f"Not passed on: {replies.problem(exc)}"
    replies.say(respond, text, replace_original=False)


def answer_expert(
    ack: Ack, action: dict[str, Any], body: dict[str, Any], respond: Respond, client: WebClient, services: SlackServices
) -> None:
    """An expert (HR, checked by ``access.requires``) pressed Answer: the answer modal opens."""
    ack()
    ident = experts.question_id(str(action.get("value", "")))
    info = services.experts.get(ident) if ident is not None else None
    if info is None or info.status == "answered":
        replies.say(respond, "That question is already answered, or no longer stored.", replace_original=False)
        return
    client.views_open(trigger_id=body["trigger_id"], view=expert_modal(info.id, info.question))
