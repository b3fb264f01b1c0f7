"""Ask an expert: passing a learner's question to ILM_EXPERTS_CHANNEL, and taking the answer back to them.

Modelled on Teams FAQ Plus's "ask an expert" and the review loop of Azure
question answering: a question the bot couldn't answer goes to people who
can; their answer reaches the learner where they asked (the DM, or the
thread), and the pair waits in ``/ilm-admin unanswered`` as a candidate for
the knowledge. Every step is audited by ``bot.storage.experts``.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import InputError
from bot.slack.blocks.forms import expert_answered, expert_post, expert_reply
from bot.slack.services import SlackServices
from bot.storage.experts import ExpertQuestionInfo

log = logging.getLogger("ilm_bot.slack.experts")

PASSED_ON = "I've passed your question to HR. Their answer will come back to you here."


def question_id(text: str) -> int | None:
    """The question id a button or form carries, or None when it can't be one (ids are 32-bit integers)."""
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def pass_on(s: SlackServices, client: WebClient, user: str, channel: str, thread_ts: str | None, question: str) -> str:
    """Keep the question, post it to the experts, and say what happened; ``InputError`` when it can't go."""
    if not s.settings.experts_channel:
        raise InputError("asking HR isn't set up in this workspace")
    if not question:
        raise InputError("that question can't be passed on; please ask me again")
    info = s.experts.ask(user, channel, thread_ts, question, limit=s.settings.expert_daily_limit)
    text, blocks = expert_post(info.id, user, question)
    posted = client.chat_postMessage(channel=s.settings.experts_channel, text=text, blocks=blocks)
    s.experts.posted(info.id, str(posted["channel"]), str(posted["ts"]))
    return PASSED_ON


def answer(s: SlackServices, client: WebClient, question_id: int, expert: str, text: str) -> ExpertQuestionInfo:
    """Record ``expert``'s answer and send it to the learner where they asked; ``InputError`` if it can't be."""
    if not text.strip():
        raise InputError("write the answer")
    info = s.experts.answer(question_id, expert, text.strip())
    reply_text, blocks = expert_reply(info.question, info.answer or "")
    client.chat_postMessage(channel=info.channel, thread_ts=info.thread_ts, text=reply_text, blocks=blocks)
    s.experts.delivered(info)
    if info.expert_channel and info.expert_ts:
        done_text, done_blocks = expert_answered(info.user, info.question, expert, info.answer or "")
        try:
            client.chat_update(channel=info.expert_channel, ts=info.expert_ts, text=done_text, blocks=done_blocks)
        except SlackApiError as exc:  # the learner has the answer; a stale button in the channel is only cosmetic
            log.warning("could not update the experts' post: %s", exc.response.get("error"))
    return info
