"""Answers from the learner's own stored record: "am I on track?", "how many hours have I logged?".

The surface (CLI, Slack) reads the record of the user who is asking and hands
it in on the request, so these handlers stay pure and can only ever see the
asker's own record.
"""

from __future__ import annotations

from dataclasses import replace

from bot.answers.request import Reply, Request, handles
from bot.learners.progress import KIND_WORDS, Progress, progress_of, render_progress
from bot.rules.explain import hours_text, join


def _progress(req: Request) -> Progress | None:
    record = req.learner
    if record is None or not record.enrolments:
        return None
    return progress_of(record, req.knowledge, req.engine)


def _only_asked(progress: Progress, req: Request) -> tuple[Progress, str]:
    """Narrow to the qualification asked about; say so when the learner isn't enrolled on it."""
    if not req.quals:
        return progress, ""
    asked = [qp for qp in progress.qualifications if qp.qualification in req.quals]
    if asked:
        return replace(progress, qualifications=tuple(asked), next_step=asked[0].next_step), ""
    title = req.knowledge.qualifications[req.quals[0]].title
    return progress, req.t.render("my_progress", "not_enrolled", title=title)


@handles("my_progress", personal=True, record=True)
def my_progress(req: Request) -> Reply:
    progress = _progress(req)
    if progress is None or not (progress.qualifications or progress.unknown):
        return Reply(req.t.render("my_progress", "no_record"))
    progress, note = _only_asked(progress, req)
    text = render_progress(progress, req.knowledge, heading="Your progress")
    check = progress.qualifications[0].to_dict() if progress.qualifications else None
    return Reply(f"{note}\n{text}" if note else text, check=check)


def _amount(hours: float, what: str) -> str:
    value = round(hours, 2)
    return f"{hours_text(value)} hour{'' if value == 1 else 's'} of {what}"


@handles("my_hours", personal=True, record=True)
def my_hours(req: Request) -> Reply:
    record = req.learner
    if record is None or not record.hours:
        return Reply(req.t.render("my_hours", "none"))
    totals: dict[str, float] = {}
    for entry in record.hours:
        totals[entry.kind] = totals.get(entry.kind, 0.0) + entry.hours
    kinds = [kd for kd in totals if not req.kinds or kd in req.kinds] or list(totals)
    parts = [_amount(totals[kd], KIND_WORDS.get(kd, kd)) for kd in kinds]
    lines = []
    progress = _progress(req)
    if progress is not None:
        progress, _ = _only_asked(progress, req)
        for qp in progress.qualifications:
            for h in qp.hours:
                if req.kinds and h.kind not in req.kinds:
                    continue
                left = "" if h.met else f", {hours_text(h.remaining)} to go"
                lines.append(
                    req.t.render(
                        "my_hours",
                        "requirement",
                        description=h.description,
                        logged=hours_text(h.logged),
                        required=hours_text(h.required),
                        left=left,
                    )
                )
    requirements = "; ".join(dict.fromkeys(lines))
    text = req.t.render("my_hours", "answer", totals=join(parts), requirements=requirements + "." if lines else "")
    return Reply(text.strip())
