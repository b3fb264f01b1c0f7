"""A learner's progress: the rules engine's verdict on their record, for each enrolled qualification.

Pure (no database, no Slack), like the engine it wraps, so the CLI, the
chat's "am I on track?" and the cohort report all say the same thing, and
every number in it comes from the knowledge base through the engine.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.knowledge.models import Knowledge
from bot.learners.learner import PENDING, HoursLogged, LearnerRecord, UnitAchieved
from bot.learners.report import options_text, unit_label, verdict_line
from bot.rules import Engine, MinHours, Record
from bot.rules.explain import hours_text, join
from bot.rules.result import Evaluation

#: How each kind of hours is named in a sentence ("log 4 more hours of mentoring practice").
KIND_WORDS = {
    "induction": "induction",
    "tutorial": "tutorial support",
    "coaching": "coaching practice",
    "mentoring": "mentoring practice",
}


def engine_record(record: LearnerRecord, knowledge: Knowledge) -> Record:
    """The learner's record as the rules engine reads it.

    Hours attached to a unit go to ``unit_hours`` only when they are that
    unit's own kind of practice: the engine counts ``unit_hours`` toward the
    unit's practice whatever their kind, and counts unattached hours of a
    kind toward every unit practising that kind. Anything else (tutorial
    support for a unit, say) counts by kind. Sums are rounded to hundredths
    so 0.1 + 0.2 hours reads as 0.3.

    ``hours_known`` is always true: the log is the whole story, so no hours
    logged means none done ("0 of 6"), not "you haven't told me".
    """
    by_kind: dict[str, list[float]] = defaultdict(list)
    by_unit: dict[str, list[float]] = defaultdict(list)
    for entry in record.hours:
        need = knowledge.catalogue.practice.get(entry.unit) if entry.unit else None
        if entry.unit and need is not None and need.kind == entry.kind:
            by_unit[entry.unit].append(entry.hours)
        else:
            by_kind[entry.kind].append(entry.hours)
    return Record(
        units=frozenset(u.unit for u in record.units),
        hours={k: round(math.fsum(v), 2) for k, v in by_kind.items()},
        unit_hours={u: round(math.fsum(v), 2) for u, v in by_unit.items()},
        hours_known=True,
    )


@dataclass(frozen=True)
class HoursRequirement:
    """Hours a qualification asks for: programme support (induction, tutorial) or a unit's practice."""

    id: str
    description: str
    kind: str
    unit: str | None
    logged: float
    required: float

    @property
    def remaining(self) -> float:
        return round(max(0.0, self.required - self.logged), 2)

    @property
    def met(self) -> bool:
        return self.logged >= self.required

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "description": self.description,
            "kind": self.kind,
            "unit": self.unit,
            "status": "met" if self.met else "unmet",
            "hours_logged": round(self.logged, 2),
            "hours_required": self.required,
            "hours_remaining": self.remaining,
        }


@dataclass(frozen=True)
class QualificationProgress:
    qualification: str
    title: str
    enrolled_on: date
    evaluation: Evaluation
    hours: tuple[HoursRequirement, ...]
    units_done: tuple[str, ...]
    units_left: tuple[str, ...]
    next_step: str

    @property
    def complete(self) -> bool:
        """The rules of combination are met and every required hour is logged."""
        return self.evaluation.achieved and all(h.met for h in self.hours)

    @property
    def credits_percent(self) -> float:
        ev = self.evaluation
        return min(100.0, 100.0 * ev.credits_achieved / ev.credits_required) if ev.credits_required else 100.0

    def to_dict(self) -> dict[str, Any]:
        """The ``ilm-bot check --json`` fields, plus the learner's hours, units and next step."""
        return {
            **self.evaluation.to_dict(),
            "title": self.title,
            "enrolled_on": self.enrolled_on.isoformat(),
            "units_done": list(self.units_done),
            "units_left": list(self.units_left),
            "hours": [h.to_dict() for h in self.hours],
            "complete": self.complete,
            "next_step": self.next_step,
        }


@dataclass(frozen=True)
class Progress:
    user: str
    qualifications: tuple[QualificationProgress, ...]
    next_step: str
    #: Enrolments on qualifications this knowledge base does not describe (it changed since).
    unknown: tuple[str, ...] = ()
    #: Every unit and hours entry on the record, confirmed or not (only confirmed ones count above).
    units: tuple[UnitAchieved, ...] = ()
    hours_entries: tuple[HoursLogged, ...] = ()

    @property
    def pending(self) -> tuple[UnitAchieved | HoursLogged, ...]:
        """Entries waiting for the supervisor's confirmation: shown apart, not counted."""
        return tuple(e for e in (*self.units, *self.hours_entries) if e.status == PENDING)

    def to_dict(self) -> dict[str, Any]:
        return {
            "user": self.user,
            "qualifications": [q.to_dict() for q in self.qualifications],
            "unknown_qualifications": list(self.unknown),
            "next_step": self.next_step,
            "units": [
                {"unit": u.unit, "date": u.achieved_on.isoformat(), "source": u.source, "verified": u.verified}
                for u in self.units
            ],
            "hours_entries": [h.to_dict() for h in self.hours_entries],
        }


def enrol_hint(user: str) -> str:
    return f"Not enrolled on a qualification yet: enrol with `ilm-bot learner enrol {user} QUALIFICATION`."


def progress_of(record: LearnerRecord, knowledge: Knowledge, engine: Engine | None = None) -> Progress:
    """Evaluate the record against every qualification the learner is enrolled on, oldest enrolment first."""
    engine = engine or Engine(knowledge.catalogue)
    facts = engine_record(record.confirmed(), knowledge)  # entries awaiting sign-off don't count yet
    known = [e for e in record.enrolments if e.qualification in knowledge.qualifications]
    unknown = tuple(e.qualification for e in record.enrolments if e.qualification not in knowledge.qualifications)
    quals = tuple(_qualification_progress(e.qualification, e.enrolled_on, facts, knowledge, engine) for e in known)
    next_step = _overall_next_step(record.user, quals, knowledge)
    return Progress(record.user, quals, next_step, unknown, units=record.units, hours_entries=record.hours)


def _qualification_progress(
    qid: str, enrolled_on: date, facts: Record, knowledge: Knowledge, engine: Engine
) -> QualificationProgress:
    q = knowledge.qualifications[qid]
    ev = engine.evaluate(q, facts)
    done = tuple(dict.fromkeys(c.required for c in ev.counted))
    options = [set(o) for o in ev.completion_options]
    # Units every shortest way to finish needs; the alternatives stay in completion_options.
    certain = set.intersection(*options) if options else set()
    left = tuple(sorted(certain))
    possible = set(done).union(*options)
    hours = _hours(q.programme, ev, possible, knowledge)
    needed_for_sure = set(done) | certain
    todo = [h for h in hours if not h.met and (h.unit is None or h.unit in needed_for_sure)]
    return QualificationProgress(
        qualification=qid,
        title=q.title,
        enrolled_on=enrolled_on,
        evaluation=ev,
        hours=hours,
        units_done=done,
        units_left=left,
        next_step=_next_step(q.title, ev, todo, knowledge),
    )


def _hours(
    programme: Sequence[MinHours], ev: Evaluation, units: set[str], knowledge: Knowledge
) -> tuple[HoursRequirement, ...]:
    """Programme hours, then the practice of every unit done or on some shortest way to finish."""
    kinds = {node.id: node.hours_kind for node in programme}
    out = [
        HoursRequirement(n.id, n.description, kinds[n.id], None, n.hours_have or 0.0, n.hours_need or 0.0)
        for n in ev.programme
    ]
    for p in ev.practice:
        if p.unit not in units:
            continue
        practice = knowledge.units[p.unit].practice
        wording = practice.wording if practice else f"{p.kind} practice"
        description = f"{unit_label(p.unit, knowledge)}: {wording}"
        out.append(HoursRequirement(f"practice-{p.unit}", description, p.kind, p.unit, p.hours_have, p.hours_need))
    return tuple(out)


def _more(h: HoursRequirement) -> str:
    unit = "hour" if h.remaining == 1 else "hours"
    return f"{hours_text(h.remaining)} more {unit} of {KIND_WORDS.get(h.kind, h.kind)}"


def _next_step(title: str, ev: Evaluation, todo: list[HoursRequirement], knowledge: Knowledge) -> str:
    parts: list[str] = []
    if not ev.achieved:
        finish = options_text(ev, knowledge)
        parts.append(f"complete {finish}" if finish else "complete the remaining units")
    if todo:
        parts.append("log " + join([_more(h) for h in todo]))
    if not parts:
        return f"Done: the rules of combination for the {title} are met and every required hour is logged."
    # "complete A and B, and log …": the comma keeps the two halves apart when each is a list.
    glue = ", and " if len(parts) == 2 and " and " in parts[0] else " and "
    return "Next: " + glue.join(parts) + "."


def _overall_next_step(user: str, quals: tuple[QualificationProgress, ...], knowledge: Knowledge) -> str:
    if not quals:
        return enrol_hint(user)
    if len(quals) == 1:
        return quals[0].next_step
    pending = next((q for q in quals if not q.complete), None)
    if pending is None:
        return "Done: every enrolled qualification's rules of combination are met and every required hour is logged."
    return f"{knowledge.qualifications[pending.qualification].short_title} — {pending.next_step}"


# -- text ---------------------------------------------------------------------------------------


def _pending_label(entry: UnitAchieved | HoursLogged, knowledge: Knowledge) -> str:
    if isinstance(entry, UnitAchieved):
        return unit_label(entry.unit, knowledge)
    amount = hours_text(entry.hours)
    return f"{amount} {'hour' if entry.hours == 1 else 'hours'} of {KIND_WORDS.get(entry.kind, entry.kind)}"


def render_progress(progress: Progress, knowledge: Knowledge, heading: str | None = None) -> str:
    """Progress for a terminal or a chat message: per qualification, verdict, units, hours, next step.

    ``heading`` replaces the first line ("Progress of U123"), e.g. "Your progress" when the learner asks.
    """
    title = heading or f"Progress of {progress.user}"
    if not progress.qualifications and not progress.unknown:
        return f"{title}: {progress.next_step}"
    lines = [title]
    for qp in progress.qualifications:
        lines += ["", f"{qp.title} ({qp.qualification}), enrolled {qp.enrolled_on.isoformat()}"]
        lines.append(f"  {verdict_line(qp.evaluation, knowledge)}")
        if qp.units_done:
            done = [
                unit_label(c.required, knowledge) + (f" (through {c.achieved}, credit transfer)" if c.transfer else "")
                for c in qp.evaluation.counted
            ]
            lines.append(f"  Units done: {join(done)}.")
        if qp.hours:
            lines.append("  Hours:")
            for h in qp.hours:
                have, need, left = (hours_text(x) for x in (h.logged, h.required, h.remaining))
                state = f"{have} of {need} logged" + ("" if h.met else f", {left} to go")
                lines.append(f"    {'✓' if h.met else '✗'} {h.description}: {state}")
        lines.append(f"  {qp.next_step}")
    for qid in progress.unknown:
        lines += ["", f"Enrolled on {qid}, which this knowledge base does not describe."]
    if progress.pending:
        waiting = [_pending_label(e, knowledge) for e in progress.pending]
        lines += ["", f"Waiting for the supervisor's confirmation (not counted yet): {join(waiting)}."]
    if len(progress.qualifications) > 1:
        lines += ["", progress.next_step]
    return "\n".join(lines)


def render_hours(entries: Sequence[HoursLogged]) -> str:
    """Hours entries as a table for the terminal, with the ids ``learner unlog`` takes."""
    header = ("id", "date", "hours", "kind", "unit", "source", "verified", "note")
    body = [
        (
            str(h.id),
            h.logged_on.isoformat(),
            hours_text(h.hours),
            h.kind,
            h.unit or "",
            h.source,
            "yes" if h.verified else h.status,
            h.note or "",
        )
        for h in entries
    ]
    widths = [max(len(line[i]) for line in (header, *body)) for i in range(len(header))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in (header, *body)
    )
