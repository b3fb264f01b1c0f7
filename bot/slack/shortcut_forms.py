"""What the two shortcut forms offer a learner: kinds of hours, and the units of their own qualifications."""

from __future__ import annotations

from bot.knowledge.models import Knowledge
from bot.learners.progress import KIND_WORDS
from bot.rules.record import HOURS_KINDS
from bot.slack.services import SlackServices


def kinds() -> list[tuple[str, str]]:
    return [(kind, KIND_WORDS.get(kind, kind).capitalize()) for kind in HOURS_KINDS]


def units_for(s: SlackServices, knowledge: Knowledge, user: str) -> list[tuple[str, str]]:
    """(ref, "ref title") for every unit of the qualifications ``user`` is enrolled on, each once."""
    refs: dict[str, str] = {}
    for enrolment in s.learners.learner(user).enrolments:
        if enrolment.qualification in knowledge.qualifications:
            for unit in knowledge.units_of(enrolment.qualification):
                refs.setdefault(unit.ref, f"{unit.ref} {unit.title}")
    return sorted(refs.items())
