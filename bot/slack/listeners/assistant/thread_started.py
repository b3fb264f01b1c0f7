"""A new assistant thread: a short greeting and suggested prompts (personal ones when the user has a record)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Say, SetSuggestedPrompts
from slack_sdk.errors import SlackApiError

from bot.core.brain import Brain
from bot.slack import home
from bot.slack.blocks import clip_plain, escape
from bot.slack.services import SlackServices

log = logging.getLogger("ilm_bot.slack.assistant")

GREETING = (
    "Hi! I'm ILM Coach. Ask me about the ILM Level 3 coaching and mentoring qualifications (units, credits, "
    "hours, who they are for) or about your own progress."
)
#: Slack shows at most four suggested prompts.
MAX_PROMPTS = 4
MAX_PROMPT_TITLE = 75


def suggested_prompts(brain: Brain, enrolled: list[str]) -> list[dict[str, str]]:
    """At least three prompts from the knowledge: first about the user's own qualifications, then examples."""
    prompts: list[tuple[str, str]] = []
    for qid in enrolled:
        if q := brain.knowledge.qualifications.get(qid):
            prompts.append((f"My progress: {q.short_title}", f"What do I still need for the {q.title}?"))
    prompts += [(example, example) for example in home.examples(brain)]
    prompts += [
        (f"Units of the {q.short_title}", f"Which units are in the {q.title}?")
        for q in brain.knowledge.qualifications.values()
    ]
    unique = list(dict.fromkeys(prompts))[:MAX_PROMPTS]
    return [{"title": clip_plain(title, MAX_PROMPT_TITLE), "message": message} for title, message in unique]


def thread_started(
    event: dict[str, Any], say: Say, set_suggested_prompts: SetSuggestedPrompts, services: SlackServices
) -> None:
    thread = event.get("assistant_thread") or {}
    user = str(thread.get("user_id") or "")
    services.threads.remember(thread["channel_id"], thread["thread_ts"], thread.get("context") or {}, user=user or None)
    say(text=escape(GREETING))
    enrolled = [e.qualification for e in services.learners.learner(user).enrolments] if user else []
    try:
        set_suggested_prompts(prompts=suggested_prompts(services.brain(), enrolled), title="Try asking:")
    except SlackApiError as exc:  # the greeting is there; prompts are a convenience
        log.warning("could not set suggested prompts: %s", exc.response.get("error"))
