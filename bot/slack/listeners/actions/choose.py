"""'Which certificate?' answered by a button: the held question is answered in place."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, Respond

from bot.slack import replies
from bot.slack.blocks import choice_owner, read_choice_value
from bot.slack.services import SlackServices

OTHERS_QUESTION = "That question was asked by someone else; ask me yourself and I'll answer you."


def choose_qualification(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, services: SlackServices
) -> None:
    ack()
    user = body["user"]["id"]
    owner = choice_owner(action.get("block_id", ""))
    if owner and owner != user:
        respond(text=OTHERS_QUESTION, response_type="ephemeral", replace_original=False)
        return
    qid, held = read_choice_value(str(action.get("value", "")))
    qualification = services.brain().knowledge.qualifications.get(qid)
    if qualification is None:
        respond(text="That choice is no longer available; please ask again.", replace_original=False)
        return
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    thread = container.get("thread_ts") or (body.get("message") or {}).get("thread_ts")
    answer = services.assistant.choose(user, replies.conversation(channel, thread), qid, held)
    text, blocks = replies.message(answer, qualification.title, asker=user, experts=services.experts_enabled)
    if replies.is_personal(answer) and not replies.in_dm(channel):
        respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)
    else:
        respond(text=text, blocks=blocks, replace_original=True)
