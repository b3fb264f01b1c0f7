"""The App Home for one user: what to ask, and their own progress when they have a record."""

from __future__ import annotations

from typing import Any

from bot.answers.handlers import Request, capabilities
from bot.learners.progress import progress_of
from bot.slack.blocks import home_view
from bot.slack.services import SlackServices


def examples(s: SlackServices) -> list[str]:
    """Example questions for the Home buttons, from `intents/responses.yaml` (data, not code)."""
    brain = s.brain()
    text = brain.templates.render("home", "examples") if brain.templates.has("home", "examples") else ""
    return [line.strip() for line in text.splitlines() if line.strip()]


def capabilities_text(s: SlackServices) -> str:
    brain = s.brain()
    return capabilities(Request(knowledge=brain.knowledge, engine=brain.engine, t=brain.templates, text=""))


def progress_dict(s: SlackServices, user: str) -> dict[str, Any] | None:
    """The user's own progress, or None when they have no enrolment."""
    record = s.learners.learner(user)
    if not record.enrolments:
        return None
    brain = s.brain()
    return progress_of(record, brain.knowledge, brain.engine).to_dict()


def view_for(s: SlackServices, user: str) -> dict[str, Any]:
    brain = s.brain()
    return home_view(progress_dict(s, user), examples(s), capabilities_text(s), knowledge=brain.knowledge)
