"""Progress as Block Kit: a header per qualification, bars for credits and hours, units done and left."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.knowledge.models import Knowledge

from bot.slack.blocks.answers import unit_item
from bot.slack.blocks.kit import (
    MAX_FIELD_TEXT,
    MAX_FIELDS,
    MAX_MESSAGE_BLOCKS,
    Block,
    clip,
    context,
    divider,
    escape,
    fallback,
    fit,
    header,
    mrkdwn,
    number,
    progress_line,
    section,
    split_text,
)

# -- progress ----------------------------------------------------------------------------------


def progress_blocks(progress: Mapping[str, Any], *, knowledge: Knowledge | None = None) -> list[Block]:
    """A learner's progress (``Progress.to_dict()``): per qualification a header, bars, units and next step.

    Written against the JSON, not the classes, and tolerant of missing keys, so it
    renders ``ilm-bot learner progress --json`` output from any version. With
    ``knowledge`` the units show their titles, credits and GLH.
    """
    quals = [q for q in progress.get("qualifications") or () if isinstance(q, Mapping)]
    blocks: list[Block] = []
    if not quals:
        hint = progress.get("next_step") or "You are not enrolled on a qualification yet."
        blocks.append(section(escape(str(hint))))
    for n, q in enumerate(quals):
        if n:
            blocks.append(divider())
        blocks.extend(_qualification_blocks(q, knowledge))
    for qid in progress.get("unknown_qualifications") or ():
        blocks.append(context(escape(f"Enrolled on {qid}, which the current knowledge base does not describe.")))
    return blocks


def _qualification_blocks(q: Mapping[str, Any], knowledge: Knowledge | None) -> list[Block]:
    qid = str(q.get("qualification") or "")
    title = str(q.get("title") or _title(qid, knowledge) or qid or "Qualification")
    complete = q.get("complete", q.get("achieved", False))
    icon = "✅" if complete else ("🟡" if q.get("achieved") else "📘")
    blocks: list[Block] = [header(f"{icon} {title}")]

    lines = [progress_line(q.get("credits_achieved", 0), q.get("credits_required", 0), "credits")]
    for h in q.get("hours") or ():
        if not isinstance(h, Mapping):
            continue
        what = "hours · " + escape(str(h.get("description") or h.get("kind") or "practice"))
        required = h.get("hours_required")
        lines.append(progress_line(h.get("hours_logged") or 0, None if required is None else required, what))
    blocks.extend(section(p) for p in split_text("\n".join(lines)))

    done = [_unit_line(u, knowledge) for u in q.get("units_done") or ()]
    left = [_unit_line(u, knowledge) for u in q.get("units_left") or ()]
    fields = []
    if done:
        fields.append(mrkdwn(clip("*Units done*\n" + "\n".join(done), MAX_FIELD_TEXT)))
    if left:
        fields.append(mrkdwn(clip("*Units left*\n" + "\n".join(left), MAX_FIELD_TEXT)))
    options = [o for o in q.get("completion_options") or () if o]
    if not left and len(options) > 1 and not q.get("achieved"):
        ways = "\n".join("• " + " + ".join(escape(str(r)) for r in o) for o in options[:5])
        fields.append(mrkdwn(clip("*Ways to finish (pick one)*\n" + ways, MAX_FIELD_TEXT)))
    if fields:
        blocks.append({"type": "section", "fields": fields[:MAX_FIELDS]})

    if q.get("next_step"):
        blocks.append(context(escape(str(q["next_step"]))))
    return blocks


def _title(qid: str, knowledge: Knowledge | None) -> str | None:
    q = knowledge.qualifications.get(qid) if knowledge is not None else None
    return q.title if q is not None else None


def _unit_line(unit: Any, knowledge: Knowledge | None) -> str:
    """A unit as a bullet, from a ref ("8578-300") or a dict with ref/unit, title, credits, glh."""
    if isinstance(unit, Mapping):
        ref = str(unit.get("ref") or unit.get("unit") or unit.get("code") or "?")
        info: Mapping[str, Any] = unit
    else:
        ref, info = str(unit), {}
    known = knowledge.units.get(ref) if knowledge is not None else None
    title = info.get("title") or (known.title if known else None)
    credits = info.get("credits", known.credits if known else None)
    glh = info.get("glh", known.glh if known else None)
    return unit_item(escape(ref), escape(str(title)) if title else None, credits, glh)


def progress_message(progress: Mapping[str, Any], *, knowledge: Knowledge | None = None) -> tuple[str, list[Block]]:
    """(fallback, blocks) for ``/ilm progress`` and ``/ilm-hr progress @user``: within a message's 50 blocks."""
    blocks = fit(progress_blocks(progress, knowledge=knowledge), MAX_MESSAGE_BLOCKS, "…and more: see the App Home.")
    lines = []
    for q in progress.get("qualifications") or ():
        title = q.get("title") or q.get("qualification") or "Qualification"
        lines.append(f"{title}: {number(q.get('credits_achieved', 0))}/{number(q.get('credits_required', 0))} credits")
    lines.append(str(progress.get("next_step") or ""))
    return fallback("\n".join(x for x in lines if x)), blocks
