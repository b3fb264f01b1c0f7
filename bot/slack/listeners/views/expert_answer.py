"""The expert's answer modal: the answer goes back to the learner; problems show on the field."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.errors import InputError
from bot.slack import experts
from bot.slack.blocks.forms import FIELD_ANSWER
from bot.slack.forms import Form, errors_of
from bot.slack.services import SlackServices


def expert_answer_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, services: SlackServices
) -> None:
    expert = body["user"]["id"]
    ident = experts.question_id(str(view.get("private_metadata") or ""))
    try:
        if ident is None:
            raise InputError("this form no longer matches a question; press Answer again")
        answer = Form(view).text(FIELD_ANSWER)
        if answer is None:
            raise InputError("write the answer", field=FIELD_ANSWER)
        experts.answer(services, client, ident, expert, answer)
    except InputError as exc:
        ack(response_action="errors", errors=errors_of(exc, FIELD_ANSWER))
        return
    ack()
