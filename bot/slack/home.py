"""The App Home for one user: what to ask, and their own progress when they have a record.

Each render reads the serving knowledge once, so a reload in the middle of a
render can't mix two versions in one view.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.answers.handlers import Request, capabilities
from bot.core.brain import Brain
from bot.learners.cohort import cohort_summary
from bot.learners.learner import PENDING, LearnerRecord
from bot.learners.progress import progress_of
from bot.learners.report import unit_label
from bot.rules.explain import join
from bot.slack.blocks import home_view
from bot.slack.blocks.kit import MAX_HOME_BLOCKS, Block, context, escape, fit
from bot.slack.blocks.records import cohort_blocks, home_switch, recent_entries_blocks
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


def view_for(s: SlackServices, user: str, *, cohort: bool = False) -> dict[str, Any]:
    """The user's App Home; HR get a switch to the cohort (``cohort=True`` shows it instead of their record)."""
    brain = s.brain()
    hr = s.settings.is_hr(user)
    top = home_switch(cohort) if hr else []
    if cohort and hr:
        return cohort_view(s, brain, top)
    record = s.learners.learner(user)
    progress = progress_dict(brain, record)
    extra = [*pending_blocks(record, brain), *recent_entries_blocks(record.hours)]
    return home_view(
        progress, examples(brain), capabilities_text(brain), knowledge=brain.knowledge, top=top, extra=extra
    )


def pending_blocks(record: LearnerRecord, brain: Brain) -> list[Block]:
    """Units waiting for the supervisor's confirmation, marked apart (they don't count yet)."""
    waiting = [unit_label(u.unit, brain.knowledge) for u in record.units if u.status == PENDING]
    if not waiting:
        return []
    return [context(escape(f"⏳ Waiting for your supervisor's confirmation (not counted yet): {join(waiting)}."))]


def cohort_view(s: SlackServices, brain: Brain, top: list[Block]) -> dict[str, Any]:
    rows = cohort_summary(s.learners.learners(), brain.knowledge, date.today(), s.learners.settings.stalled_days)
    _, blocks = cohort_blocks(rows, s.learners.settings.stalled_days, None, title="Cohort")
    blocks.append(context("`/ilm-hr report` sends this with a chart and the CSV to our DM."))
    return {"type": "home", "blocks": fit([*top, *blocks], MAX_HOME_BLOCKS, "…more than fits here.")}
