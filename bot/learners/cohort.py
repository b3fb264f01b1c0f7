"""The cohort summary HR asks for: per qualification, who is enrolled, who has achieved, how far along.

The summary is aggregates only, never a user id, so the report can be
shared beyond HR; ``standing`` says where each learner is (for HR's own
view and for reminders aimed at who needs them). Built from the same
``progress_of`` as a learner's own progress, so the cohort's numbers and
each learner's add up.

A learner is *stalled* on a qualification they have not achieved when
nothing has been recorded for them (an enrolment, a unit, hours) for
``stalled_days`` (ILM_STALLED_DAYS).
"""

from __future__ import annotations

import csv
import statistics
from collections.abc import Iterable
from dataclasses import astuple, dataclass, fields
from datetime import date, timedelta
from typing import TextIO

from bot.knowledge.models import Knowledge
from bot.learners.learner import LearnerRecord
from bot.learners.progress import progress_of
from bot.rules import Engine


@dataclass(frozen=True)
class CohortRow:
    """One qualification. Percentages are credits achieved of credits required, over learners in progress."""

    qualification: str
    title: str
    enrolled: int
    achieved: int
    in_progress: int
    in_progress_mean_percent: float | None
    in_progress_median_percent: float | None
    complete: int
    stalled: int = 0


CSV_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(CohortRow))


#: Where a learner stands on a qualification they are enrolled on.
ACHIEVED, IN_PROGRESS, STALLED = "achieved", "in progress", "stalled"


@dataclass(frozen=True)
class Standing:
    user: str
    qualification: str
    state: str  # ACHIEVED, IN_PROGRESS or STALLED (which is in progress too)
    credits_percent: float
    complete: bool
    last_recorded: date | None


def standing(
    records: Iterable[LearnerRecord],
    knowledge: Knowledge,
    today: date | None = None,
    stalled_days: int | None = None,
) -> list[Standing]:
    """Every (learner, qualification) enrolment with its state; stalled only when ``today`` and the days are given."""
    engine = Engine(knowledge.catalogue)
    cutoff = today - timedelta(days=stalled_days) if today is not None and stalled_days is not None else None
    out = []
    for record in records:
        last = record.last_recorded
        for qp in progress_of(record, knowledge, engine).qualifications:
            if qp.evaluation.achieved:
                state = ACHIEVED
            elif cutoff is not None and (last is None or last < cutoff):
                state = STALLED
            else:
                state = IN_PROGRESS
            out.append(Standing(record.user, qp.qualification, state, qp.credits_percent, qp.complete, last))
    return out


def cohort_summary(
    records: Iterable[LearnerRecord],
    knowledge: Knowledge,
    today: date | None = None,
    stalled_days: int | None = None,
) -> tuple[CohortRow, ...]:
    """A row for every qualification in the knowledge base, enrolled on or not, in id order.

    *Achieved* means the rules of combination are met; *complete* counts
    the learners who have also logged every required hour; *stalled* counts
    those in progress with nothing recorded for ``stalled_days`` before ``today``.
    """
    percents: dict[str, list[float]] = {qid: [] for qid in knowledge.qualifications}
    achieved = dict.fromkeys(knowledge.qualifications, 0)
    complete = dict.fromkeys(knowledge.qualifications, 0)
    stalled = dict.fromkeys(knowledge.qualifications, 0)
    for s in standing(records, knowledge, today, stalled_days):
        if s.state == ACHIEVED:
            achieved[s.qualification] += 1
        else:
            percents[s.qualification].append(s.credits_percent)
        stalled[s.qualification] += s.state == STALLED
        complete[s.qualification] += s.complete
    rows = []
    for qid in sorted(knowledge.qualifications):
        going = percents[qid]
        rows.append(
            CohortRow(
                qualification=qid,
                title=knowledge.qualifications[qid].title,
                enrolled=achieved[qid] + len(going),
                achieved=achieved[qid],
                in_progress=len(going),
                in_progress_mean_percent=round(statistics.fmean(going), 1) if going else None,
                in_progress_median_percent=round(statistics.median(going), 1) if going else None,
                complete=complete[qid],
                stalled=stalled[qid],
            )
        )
    return tuple(rows)


def render_cohort(rows: Iterable[CohortRow]) -> str:
    """A plain-text table for the terminal."""
    header = ("qualification", "enrolled", "achieved", "in progress", "median %", "mean %", "complete", "stalled")
    body = [
        (
            r.title,
            str(r.enrolled),
            str(r.achieved),
            str(r.in_progress),
            _percent(r.in_progress_median_percent),
            _percent(r.in_progress_mean_percent),
            str(r.complete),
            str(r.stalled),
        )
        for r in rows
    ]
    widths = [max(len(line[i]) for line in (header, *body)) for i in range(len(header))]

    def fmt(line: tuple[str, ...]) -> str:
        cells = [line[0].ljust(widths[0])] + [cell.rjust(w) for cell, w in zip(line[1:], widths[1:], strict=True)]
        return "  ".join(cells).rstrip()

    lines = [fmt(header), "  ".join("-" * w for w in widths)]
    lines += [fmt(line) for line in body]
    lines.append("")
    lines.append("median % and mean %: credits achieved of credits required, over the learners in progress.")
    lines.append("complete: achieved, with every required hour logged.")
    lines.append("stalled: in progress, with nothing recorded for ILM_STALLED_DAYS (default 30) days.")
    return "\n".join(lines)


def write_cohort_csv(rows: Iterable[CohortRow], out: TextIO) -> None:
    """The same rows as CSV, one per qualification, with a header; blank where nobody is in progress."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(["" if v is None else v for v in astuple(row)])


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"
