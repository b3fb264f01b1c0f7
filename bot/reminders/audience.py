"""Who a narrowed ``learners:`` reminder reaches: learners who have not achieved the qualification, or stalled ones.

Worked out when the reminder falls due (as the enrolled learners always
were), from the records as they are then and the knowledge being served, in
the scheduler's own transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from bot.knowledge.models import Knowledge
from bot.learners.cohort import IN_PROGRESS, STALLED, standing
from bot.learners.records import records_of
from bot.reminders.store import learners_on
from bot.reminders.target import NOT_ACHIEVED, stalled_days

#: Recipients of a ``learners:`` reminder on a qualification, narrowed by an audience, at a moment.
Narrow = Callable[[Session, str, str | None, datetime], list[str]]


def narrower(knowledge: Callable[[], Knowledge]) -> Narrow:
    """The recipients function the scheduler uses, reading the knowledge served when the reminder is due."""

    def narrow(session: Session, qualification: str, audience: str | None, now: datetime) -> list[str]:
        users = learners_on(session, qualification)
        if audience is None or not users:
            return users
        return recipients(session, knowledge(), qualification, audience, now, users)

    return narrow


def recipients(
    session: Session, knowledge: Knowledge, qualification: str, audience: str, now: datetime, users: list[str]
) -> list[str]:
    """The ``users`` enrolled on ``qualification`` who are in ``audience`` (``not-achieved`` or ``stalled-N``)."""
    days = stalled_days(audience, 0)
    wanted = {IN_PROGRESS, STALLED} if audience == NOT_ACHIEVED else {STALLED}
    records = records_of(session, users).values()
    found = standing(records, knowledge, now.date(), days if days is not None else None)
    return sorted({s.user for s in found if s.qualification == qualification and s.state in wanted})
