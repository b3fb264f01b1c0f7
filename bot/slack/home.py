"""The App Home for one user: what to ask, and their own progress when they have a record.

Each render reads the serving knowledge once, so a reload in the middle of a
render can't mix two versions in one view.
"""

from __future__ import annotations

from typing import Any

from bot.answers.handlers import Request, capabilities
from bot.core.brain import Brain
from bot.learners.learner import LearnerRecord
from bot.learners.progress import progress_of
from bot.slack.blocks import home_view
from bot.slack.services import SlackServices


def examples(brain: Brain) -> list[str]:
    """Example questions for the Home buttons, from `intents/responses.yaml` (data, not code)."""
    text = brain.templates.render("home", "examples") if brain.templates.has("home", "examples") else ""
    return [line.strip() for line in text.splitlines() if line.strip()]


def capabilities_text(brain: Brain) -> str:
    return capabilities(Request(knowledge=brain.knowledge, engine=brain.engine, t=brain.templates, text=""))


def progress_dict(brain: Brain, record: LearnerRecord) -> dict[str, Any] | None:
    """The user's own progress, or None when they have no enrolment."""
    if not record.enrolments:
        return None
    return progress_of(record, brain.knowledge, brain.engine).to_dict()


def view_for(s: SlackServices, user: str) -> dict[str, Any]:
    brain = s.brain()
    progress = progress_dict(brain, s.learners.learner(user))
    return home_view(progress, examples(brain), capabilities_text(brain), knowledge=brain.knowledge)
