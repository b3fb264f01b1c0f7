"""Personal checks from what the user states: what is left, and hours still to do (what-if, never stored)."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.answers.about import unknown_fact
from bot.answers.delivery import first_programme, in_sentence
from bot.answers.request import Reply, Request, ask_qualification, handles
from bot.knowledge.models import Knowledge
from bot.learners.report import options_text
from bot.rules import Evaluation, Record
from bot.rules.explain import hours_text, join

# -- personal checks ---------------------------------------------------------


def _source_units(req: Request) -> list[str]:
    """Units implied by a completed qualification the user mentions ("I completed the Certificate in Mentoring")."""
    units: list[str] = []
    for qid in req.source_quals:
        options = req.engine.completion_options(req.knowledge.qualifications[qid], Record())
        if options:
            units.extend(options[0])
    return units


def _mandatory_done(req: Request) -> list[str]:
    """'Plus both mandatories', 'I've done the mandatory units': the qualification's mandatory units."""
    q = req.q
    if q is None or not _MANDATORY_DONE.search(req.text):
        return []
    return [ref for g in q.groups if g.id == "mandatory" for ref in g.units]


#: The mandatory units stated as done: after a word of having done them, never "do I need the mandatory units?".
_MANDATORY_DONE = re.compile(
    r"\b(?:done|did|completed?|finished|passed|achieved|got|plus|as well as)\b[^.?!;]{0,60}?"
    r"\b(?:both|all|the|my)(?: of)?(?: the| my)? mandator(?:y|ies)\b"
)


def _not_counted(req: Request, spare: list[str]) -> str:
    """Units stated but not used: not part of the qualification at all, or part of a route not taken."""
    q = req.q
    assert q is not None
    listed = {ref for g in q.groups for ref in g.units}
    elsewhere = [u for u in spare if u not in listed and not set(req.knowledge.equivalents(u)) & listed]
    other_route = [u for u in spare if u not in elsewhere]
    notes = ""
    for key, units in (("not_counted", elsewhere), ("other_route", other_route)):
        if units:
            one = len(units) == 1
            notes += req.t.render(
                "personal_check",
                key,
                units=join(units),
                title=q.title,
                be="is" if one else "are",
                pronoun="it" if one else "them",
                count=("doesn't count" if key == "not_counted" else "counts")
                if one
                else ("don't count" if key == "not_counted" else "count"),
            )
    return notes


@handles("personal_check", needs_qualification=True, personal=True, unit_topic=True)
def personal_check(req: Request) -> Reply:
    if len(req.quals) > 1:
        return _for_each(req)
    q = req.q
    assert q is not None
    k = req.knowledge
    units = list(dict.fromkeys([*req.units, *_source_units(req), *_mandatory_done(req)]))
    record = Record.of(units)
    ev = req.engine.evaluate(q, record)
    check = ev.to_dict()
    if not units:
        return Reply(
            req.t.render(
                "personal_check", "nothing", title=q.title, need=ev.credits_required, options=options_text(ev, k)
            ),
            check=check,
        )
    transfers = ""
    if ev.transfers:
        items = join([f"{c.achieved} counts as {c.required}" for c in ev.transfers])
        transfers = req.t.render("personal_check", "transfers", items=items)
    notes = ""
    if ev.not_counted:
        notes = _not_counted(req, list(ev.not_counted))
    key = "achieved" if ev.achieved else "missing"
    lead, hours = _asked(req, ev)
    text = req.t.render(
        "personal_check",
        key,
        lead="" if lead is not None else req.t.render("personal_check", f"lead_{key}"),
        units=join(units),
        have=ev.credits_achieved,
        need=ev.credits_required,
        title=q.title,
        options=options_text(ev, k),
        transfers=transfers,
        notes=notes,
        give="gives" if len(units) == 1 else "give",
        left=f"{max(ev.credits_required - ev.credits_achieved, 0)} more credits",
    )
    if lead:
        text = lead + text[:1].upper() + text[1:]
    return Reply(_with_hours(req, text, hours), check=check)


def _for_each(req: Request) -> Reply:
    """Topping up to "the certificate", which could be either: what is left for each, one line each."""
    lines = []
    checks = []
    for qid in req.quals:
        q = req.knowledge.qualifications[qid]
        ev = req.engine.evaluate(q, Record.of(_source_units(req)))
        checks.append(ev.to_dict())
        key = "each_achieved" if ev.achieved else "each_missing"
        left = max(ev.credits_required - ev.credits_achieved, 0)
        lines.append(
            req.t.render("personal_check", key, title=q.title, options=options_text(ev, req.knowledge), left=left)
        )
    return Reply("\n".join(lines), check=checks[0] if checks else None)


def unit_readings(
    k: Knowledge, units: tuple[str, ...], open_units: tuple[tuple[str, ...], ...]
) -> list[tuple[str, tuple[str, ...]]]:
    """Every qualification the units stated could count toward, with the units read in its scheme.

    A bare number in both schemes ("did 304, 306, 307") is read as the one the qualification has,
    so each scheme's reading is checked; a qualification none of the units belongs to is no reading."""
    readings = []
    for q in k.qualifications.values():
        own = k.units_of_ids(q.id)
        schemes = {ref.split("-")[0] for ref in own}
        picked = [*units, *(next((r for r in o if r.split("-")[0] in schemes), o[0]) for o in open_units)]
        if any(ref in own for ref in picked):
            readings.append((q.id, tuple(sorted(dict.fromkeys(picked)))))
    return readings


def each_reading(req: Request, readings: list[tuple[str, tuple[str, ...]]]) -> Reply:
    """Units done that no one qualification settles: what they give toward each, achieved ones first."""
    replies = [personal_check(replace(req, quals=(qid,), units=units)) for qid, units in readings]
    replies.sort(key=lambda r: not (r.check or {}).get("achieved"))
    return Reply("\n".join(r.text for r in replies), check=replies[0].check if replies else None)


def _asked(req: Request, ev: Evaluation) -> tuple[str | None, str]:
    """What the question asks about the units it names but hasn't done: the lead, and their practice hours.

    "Do I still need 304?" leads with whether every way to finish needs it; "how many hours for 305?"
    and "5 hrs for 305, have I got it?" add the unit's practice hours, with what is still to do."""
    if not req.asked:
        return None, ""
    about_hours = req.hours is not None or req.has("hours?", "hrs?")
    practice = [ref for ref in req.asked if req.knowledge.units[ref].practice] if about_hours else []
    hours = " ".join(_practice_left(req, ref) for ref in practice).strip()
    if not req.has("need", "require") or about_hours:
        return None, hours
    options = ev.completion_options
    labels = join(req.asked)
    in_all = all(any(_fills(req, ref, o) for ref in req.asked) for o in options) and bool(options)
    in_some = any(any(_fills(req, ref, o) for ref in req.asked) for o in options)
    key = "asked_needed" if in_all else "asked_one_way" if in_some else "asked_not_needed"
    return req.t.render("personal_check", key, asked=labels), hours


def _fills(req: Request, ref: str, option: tuple[str, ...]) -> bool:
    """The unit asked about, or its equivalent under the other scheme, is part of this way to finish."""
    return bool({ref, *req.knowledge.equivalents(ref)} & set(option))


def _practice_left(req: Request, ref: str) -> str:
    """'8577-305 … needs 6 hours of mentoring; with 5 logged you need 1 more.' (or just what it needs)."""
    unit = req.knowledge.units[ref]
    assert unit.practice is not None
    paired = dict(req.hours_by_kind)
    have = paired.get(unit.practice.kind, req.hours)
    values = {"ref": ref, "title": unit.title, "need": hours_text(unit.practice.hours), "kind": unit.practice.kind}
    if have is None:
        return req.t.render("personal_check", "asked_hours", **values)
    left = max(0.0, unit.practice.hours - have)
    return req.t.render(
        "hours_remaining", "done" if left == 0 else "item", have=hours_text(have), left=hours_text(left), **values
    )


def _with_hours(req: Request, text: str, hours: str) -> str:
    """The hours asked about lead a "how many hours?" question; otherwise they follow the verdict."""
    if not hours:
        return text
    if req.has("how many", "how much"):
        return f"{hours} {text}"
    return f"{text} {hours}"


def _programme_remaining(req: Request, kinds: list[str]) -> Reply:
    """Induction or tutorial hours still to come, against the qualification's programme minimum.

    Each kind is checked on its own against its own hours ("1 hr induction and 2 hrs of tutorial"):
    hours of one kind never count toward another, nor are they added up."""
    q = req.q
    if q is None:
        return ask_qualification()
    paired = dict(req.hours_by_kind)
    stated = [kd for kd in kinds if kd in paired] or kinds[:1]
    nodes = [(kd, node) for kd in stated if (node := first_programme(q, kd)) is not None]
    if not nodes:
        return unknown_fact(req)
    have_of = {kd: paired.get(kd, req.hours if len(stated) == 1 else 0.0) or 0.0 for kd, _ in nodes}
    lines = []
    for kind, node in nodes:
        left = max(0.0, node.hours - have_of[kind])
        lines.append(
            req.t.render(
                "hours_remaining",
                "programme_done" if left == 0 else "programme",
                title=q.title,
                wording=in_sentence(node.description),
                need=hours_text(node.hours),
                kind=PROGRAMME_KIND_NAMES.get(kind, kind),
                have=hours_text(have_of[kind]),
                left=hours_text(left),
            )
        )
    check = req.engine.evaluate(q, Record.of(hours=have_of)).to_dict()
    met = all(have_of[kd] >= node.hours for kd, node in nodes)
    return Reply(_with_verdict(req, " ".join(lines), met), check=check)


def _asks_verdict(req: Request) -> bool:
    """A yes/no about the hours, at the start or after what the asker has done ("36 hrs, have I done enough?")."""
    return req.frame.yes_no or bool(_VERDICT_ONLY.search(req.text) or _ASKS_IF.search(req.text))


def _with_verdict(req: Request, text: str, met: bool) -> str:
    """'Is that sorted?' is Yes when every requirement is met; 'do I need to do more?' is then No."""
    if not _asks_verdict(req):
        return text
    more = req.has("more", "left", "remaining", "still", "to go", "outstanding")
    return ("Yes: " if met != more else "No: ") + text[:1].lower() + text[1:]


#: How the programme's hour kinds read in a sentence.
PROGRAMME_KIND_NAMES = {"induction": "induction", "tutorial": "tutorial support"}


@handles("hours_remaining", personal=True, unit_topic=True, re_read=False)
def hours_remaining(req: Request) -> Reply:
    k = req.knowledge
    if req.hours is None:
        return Reply(req.t.render("hours_remaining", "need_hours"))
    kinds = [kd for kd in req.kinds if kd in ("coaching", "mentoring")]
    programme_kinds = [kd for kd in req.kinds if kd not in kinds]
    if programme_kinds and not kinds and not req.units:
        return _programme_remaining(req, programme_kinds)
    targets: list[str] = [r for r in req.units if k.units[r].practice]
    if not targets:
        quals = [req.q] if req.q else list(k.qualifications.values())
        for q in quals:
            targets += [
                u.ref
                for u in k.units_of(q.id)
                if u.practice and (not kinds or u.practice.kind in kinds) and u.ref not in targets
            ]
        if req.q and not targets:
            return Reply(req.t.render("hours_remaining", "no_unit", title=req.q.title, kind=join(kinds, "or")))
    if not targets:
        return Reply(need="unit")
    paired = dict(req.hours_by_kind)
    items = []
    for ref in targets:
        u = k.units[ref]
        assert u.practice is not None
        if len(paired) > 1 and u.practice.kind not in paired:
            continue
        have = paired.get(u.practice.kind, req.hours) if len(paired) > 1 else req.hours
        left = max(0.0, u.practice.hours - have)
        key = "done" if left == 0 else "item"
        items.append(
            req.t.render(
                "hours_remaining",
                key,
                ref=ref,
                title=u.title,
                need=hours_text(u.practice.hours),
                kind=u.practice.kind,
                have=hours_text(have),
                left=hours_text(left),
            )
        )
    check = None
    if req.q is not None:
        kind = kinds[0] if kinds else k.units[targets[0]].practice.kind  # type: ignore[union-attr]
        record = Record.of(req.units, paired if len(paired) > 1 else {kind: req.hours})
        check = req.engine.evaluate(req.q, record).to_dict()
    text = req.t.render("hours_remaining", "answer", items=" ".join(items))
    if items:
        text = _with_verdict(req, text, all(_met(req, r) for r in targets))
    return Reply(text, check=check)


#: "…, enough?", "is that sorted?": a yes/no about the hours even when worded as a bare tail.
_VERDICT_ONLY = re.compile(r"\b(enough|sufficient|sorted|covered)\W*$")
#: "…, have I done enough hours", "… - is that the minimum?": a yes/no asked after the facts.
_ASKS_IF = re.compile(
    r"(?:^|[,;:.!?\u2013-]\s*)(have i|am i|did i|do i|is that|is it|are they|has that|will that|does that)\b", re.I
)


def _met(req: Request, ref: str) -> bool:
    practice = req.knowledge.units[ref].practice
    paired = dict(req.hours_by_kind)
    have = paired.get(practice.kind, req.hours or 0.0) if practice and len(paired) > 1 else (req.hours or 0.0)
    return practice is None or have >= practice.hours
