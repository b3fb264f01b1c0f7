"""The cohort summary HR asks for: per qualification, who is enrolled, who has achieved, how far along.

Aggregates only, never a user id, so the report can be shared beyond HR.
Built from the same ``progress_of`` as a learner's own progress, so the
cohort's numbers and each learner's add up.
"""

from __future__ import annotations

import csv
import statistics
from collections.abc import Iterable
from dataclasses import astuple, dataclass, fields
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


CSV_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(CohortRow))


def cohort_summary(records: Iterable[LearnerRecord], knowledge: Knowledge) -> tuple[CohortRow, ...]:
    """A row for every qualification in the knowledge base, enrolled on or not, in id order.

    *Achieved* means the rules of combination are met; *complete* counts
    the learners who have also logged every required hour.
    """
    engine = Engine(knowledge.catalogue)
    percents: dict[str, list[float]] = {qid: [] for qid in knowledge.qualifications}
    achieved = dict.fromkeys(knowledge.qualifications, 0)
    complete = dict.fromkeys(knowledge.qualifications, 0)
    for record in records:
        for qp in progress_of(record, knowledge, engine).qualifications:
            if qp.evaluation.achieved:
                achieved[qp.qualification] += 1
            else:
                percents[qp.qualification].append(qp.credits_percent)
            complete[qp.qualification] += qp.complete
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
            )
        )
    return tuple(rows)


def render_cohort(rows: Iterable[CohortRow]) -> str:
    """A plain-text table for the terminal."""
    header = ("qualification", "enrolled", "achieved", "in progress", "median %", "mean %", "complete")
    body = [
        (
            r.title,
            str(r.enrolled),
            str(r.achieved),
            str(r.in_progress),
            _percent(r.in_progress_median_percent),
            _percent(r.in_progress_mean_percent),
            str(r.complete),
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
    return "\n".join(lines)


def write_cohort_csv(rows: Iterable[CohortRow], out: TextIO) -> None:
    """The same rows as CSV, one per qualification, with a header; blank where nobody is in progress."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(["" if v is None else v for v in astuple(row)])


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"
