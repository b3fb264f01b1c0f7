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


def statement_lead(req: Request, kind: str, qid: str) -> str:
    """'Noted: you hold the Award (8577-304, …).': a statement about the asker, acknowledged briefly."""
    q = req.knowledge.qualifications[qid]
    held = replace(req, source_quals=(qid,))
    return req.t.render("personal_check", kind, title=q.title, units=join(_source_units(held)))


#: "swap 305 for 306", "replace 305 with 306": the first unit goes out, the second comes in.
_SWAP_OUT_IN = re.compile(
    r"\b(?:swap(?:ped|ping)?|switch(?:ed|ing)?|replac(?:e|ed|ing)|exchang(?:e|ed|ing)|trad(?:e|ed|ing))\s+"
    r"(?:unit\s+)?(?:\d{4}\s?[-/\s.]?\s?)?(\d{3})\s+(?:for|with|by|to)\s+(?:unit\s+)?(?:\d{4}\s?[-/\s.]?\s?)?(\d{3})"
)
#: "306 instead of 305": the first unit comes in, the second goes out.
_SWAP_IN_OUT = re.compile(
    r"(\d{3})\s+(?:instead of|in place of|rather than)\s+(?:unit\s+)?(?:\d{4}\s?[-/\s.]?\s?)?(\d{3})"
)
#: "what would I end up with?", "which qualification would I get?": every qualification a set achieves.
_WHAT_RESULT = re.compile(
    r"\bwhat (?:would|will|do|does|did) (?:i|that|it|this) (?:end up with|get|have|give me|leave me with)\b"
    r"|\bwhich (?:qualifications?|quals?|certificates?|ones?) (?:would|will|do|does|did|could|can)\b"
)


def _ref(req: Request, number: str) -> str | None:
    return next((r for r in (*req.units, *req.asked) if r.endswith(f"-{number}")), None)


def _swap(req: Request) -> tuple[str, str] | None:
    """The unit taken out and the one put in, when the question swaps one for another."""
    for pattern, out_first in ((_SWAP_OUT_IN, True), (_SWAP_IN_OUT, False)):
        m = pattern.search(req.text)
        if m is not None:
            a, b = _ref(req, m.group(1)), _ref(req, m.group(2))
            if a and b:
                return (a, b) if out_first else (b, a)
    return None


def _what_if(req: Request, units: list[str]) -> Reply:
    """A hypothetical set of units: every qualification it achieves (the engine), and what the one named lacks."""
    k = req.knowledge
    record = Record.of(units)
    achieved = [q for q in k.qualifications.values() if req.engine.achieved(q, record)]
    labels = join(sorted(units))
    titles = join([f"{q.title} ({q.credits} credits)" for q in achieved], "and")
    lines = [
        req.t.render("personal_check", "whatif_achieves", units=labels, titles=titles)
        if achieved
        else req.t.render("personal_check", "whatif_none", units=labels)
    ]
    q = req.q
    # The answer's check is the qualification named, or else the first one the units achieve.
    check = req.engine.evaluate(achieved[0], record).to_dict() if achieved and q is None else None
    if q is not None:
        ev = req.engine.evaluate(q, record)
        check = ev.to_dict()
        key = "whatif_named_done" if ev.achieved else "whatif_named_missing"
        lines.append(req.t.render("personal_check", key, title=q.title, options=options_text(ev, k)))
    return Reply(" ".join(lines), check=check)


def _hypothesis(req: Request) -> list[str] | None:
    """The units of a what-if: a swap within the stated units (or the named qualification's), or the units
    stated when the question asks what they would add up to."""
    swap = _swap(req)
    if swap is not None:
        out, into = swap
        base = [u for u in req.units if u not in swap] or [u for u in _base_units(req) if u != into]
        return [u for u in dict.fromkeys([*base, into]) if u != out]
    if _WHAT_RESULT.search(req.text) and req.units:
        return list(req.units)
    return None


def _base_units(req: Request) -> list[str]:
    """The units of the qualification a swap is made in ("…in the Award"): its first way to achieve it."""
    q = req.q
    if q is None:
        return []
    options = req.engine.completion_options(q, Record())
    return list(options[0]) if options else []


@handles("personal_check", needs_qualification=True, personal=True, unit_topic=True)
def personal_check(req: Request) -> Reply:
    if (hypothesis := _hypothesis(req)) is not None:
        return _what_if(req, hypothesis)
    if len(req.quals) > 1:
        return _for_each(req)
    q = req.q
    assert q is not None
    k = req.knowledge
    units = list(dict.fromkeys([*req.units, *_source_units(req), *_mandatory_done(req)]))
    record = Record.of(units, _stated_hours(req))
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
    hours = hours or _practice_to_do(req, ev)
    if lead is None and (claimed := _wrong_credits_claim(req, ev)) is not None:
        # "…which is 16 credits, so I've got it?": the stated figure is checked, never adopted.
        yes_no = req.t.render("personal_check", "lead_achieved" if ev.achieved else "lead_missing_yes_no")
        lead = yes_no + req.t.render("personal_check", "claim_credits", have=ev.credits_achieved, claimed=claimed)
    text = req.t.render(
        "personal_check",
        key,
        lead="" if lead is not None else req.t.render("personal_check", _lead_key(req, key)),
        units=join(units),
        have=ev.credits_achieved,
        need=ev.credits_required,
        title=q.title,
        options=options_text(ev, k),
        transfers=transfers,
        notes=notes,
        give="gives" if len(units) == 1 else "give",
        left=max(ev.credits_required - ev.credits_achieved, 0),
    )
    if lead:
        text = lead + text[:1].upper() + text[1:]
    return Reply(_with_hours(req, text, hours), check=check)


def _stated_kinds(req: Request) -> dict[str, float]:
    """Practice hours the asker states, by kind ("25 hours of mentoring so far"); none without a kind."""
    if req.hours_by_kind:
        return dict(req.hours_by_kind)
    kinds = [kd for kd in req.kinds if kd in ("coaching", "mentoring")]
    return {kinds[0]: req.hours} if req.hours is not None and len(kinds) == 1 else {}


def _stated_hours(req: Request) -> dict[str, float] | None:
    return _stated_kinds(req) or None


def _practice_to_do(req: Request, ev: Evaluation) -> str:
    """With practice hours stated, what is left of them on the units still to do that need that kind
    ("8578-306 … needs 36 hours of mentoring; with 25 logged you need 11 more"); with none stated but
    "how many hours?" asked, the practice hours those units need ("whats left and how many mentoring hrs")."""
    stated = _stated_kinds(req)
    asks_hours = not stated and req.hours is None and req.has("hours?", "hrs?")
    todo = dict.fromkeys(ref for option in ev.completion_options for ref in option)
    practice = [
        r for r in todo if (p := req.knowledge.units[r].practice) is not None and (asks_hours or p.kind in stated)
    ]
    return " ".join(_practice_left(req, ref) for ref in practice).strip()


def _wrong_credits_claim(req: Request, ev: Evaluation) -> str | None:
    """A credit total the asker states for their units that the rules don't give them, as written."""
    for claim in req.frame.claims:
        about_credits = claim.attribute == "credits" or (claim.attribute is None and req.frame.attribute == "credits")
        if about_credits and claim.text is None and claim.value != ev.credits_achieved:
            return hours_text(claim.value)
    return None


#: Where the question of a message begins: its last sentence or dashed-off clause.
_LAST_CLAUSE = re.compile(r"[.?!;:]\s+|\s[-–—]+\s")
#: Not "have I got it?" but what is still to do: "what's left?", "do I just need one more unit?";
#: "do I still get the award?" stays a yes/no.
_ASKS_TO_DO = re.compile(
    r"\b(what|what's|whats|which|how|where|when|why|who|need|needs|needed|require[sd]?|more|left|remain\w*|else|"
    r"missing|still(?!\s+(?:get|have|hold|qualify|achieve|pass)\b)|outstanding)\b"
)
_AUXILIARY = re.compile(r"^(?:so|and|ok|okay|then|now)?\W*(am|is|are|have|has|do|does|did|will|would|can|could)\b")


#: A question tag that makes the whole message a yes/no: "…, so I've got the C&M right?".
_TAG_END = re.compile(r"\b(?:right|yeah|yes|correct|true|innit|isn'?t it|haven'?t i|don'?t i|am i right|no)\W*$")


def asks_if_achieved(text: str) -> bool:
    """'…, am I done?', 'cert mentoring?', 'would they hold the Certificate?', '…, got it right?': whether
    the qualification is achieved, asked as a yes/no, so a shortfall is "No, not yet"; "what's left?" is
    answered "Not yet"."""
    question = _LAST_CLAUSE.split(text.strip().rstrip("?!. "))[-1]
    asks = text.rstrip().endswith("?") or bool(_AUXILIARY.search(question))
    return bool(_TAG_END.search(text)) or (asks and not _ASKS_TO_DO.search(question))


def _lead_key(req: Request, key: str) -> str:
    return f"lead_{key}_yes_no" if key == "missing" and asks_if_achieved(req.text) else f"lead_{key}"


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
    if _hypothesis(replace(req, units=readings[0][1])) is not None:  # "which quals does that give me?"
        sets = dict.fromkeys(units for _, units in readings)
        replies = [_what_if(replace(req, quals=(), units=units), list(units)) for units in sets]
    else:
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
    if req.hours is None and req.source_quals and req.quals:
        return _hours_after_held(req)
    if req.hours is None:
        return Reply(req.t.render("hours_remaining", "need_hours"))
    if req.q is not None and not req.units and _ASKS_ACHIEVED.search(req.text):
        return _hours_only(req)
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
_VERDICT_ONLY = re.compile(
    r"\b(enough|sufficient|sorted|covered)\b(?:\s+(?:for|on|towards?)\s+(?:the |my |an? )?[\w&+ -]{0,40})?\W*$"
)
#: "…, have I done enough hours", "… - is that the minimum?": a yes/no asked after the facts.
_ASKS_IF = re.compile(
    r"(?:^|[,;:.!?\u2013-]\s*)(have i|am i|did i|do i|is that|is it|are they|has that|will that|does that)\b", re.I
)


def _met(req: Request, ref: str) -> bool:
    practice = req.knowledge.units[ref].practice
    paired = dict(req.hours_by_kind)
    have = paired.get(practice.kind, req.hours or 0.0) if practice and len(paired) > 1 else (req.hours or 0.0)
    return practice is None or have >= practice.hours


#: "does that mean I've got the cert?", "have I passed?": whether a whole qualification is achieved.
_ASKS_ACHIEVED = re.compile(
    r"\b(?:have i|i've|i have|ive|am i|do i|is that|does that mean|does this mean|will i|would i)\b[^.?!]{0,25}"
    r"\b(?:got|get|passed|achieved|completed|finished|qualified|earned|have)\b(?![^.?!]*\b(?:hours?|hrs?)\b)"
)


def _practice_units(req: Request, qid: str) -> list[str]:
    kinds = [kd for kd in req.kinds if kd in ("coaching", "mentoring")]
    return [u.ref for u in req.knowledge.units_of(qid) if u.practice and (not kinds or u.practice.kind in kinds)]


def _hours_only(req: Request) -> Reply:
    """Hours stated, a qualification asked about: the hours meet one unit's practice at most, never the whole."""
    q = req.q
    assert q is not None and req.hours is not None
    practice = _practice_units(req, q.id)
    kind = req.knowledge.units[practice[0]].practice.kind if practice else (req.kinds or ("practice",))[0]  # type: ignore[union-attr]
    record = Record.of(hours={kind: req.hours})
    ev = req.engine.evaluate(q, record)
    named = join([f"{r} {req.knowledge.units[r].title}" for r in practice], "or") or "a unit"
    # The ways to finish that use these hours (coaching hours: the coaching route), when there are some.
    ways = [o for o in ev.completion_options if set(o) & set(practice)] or list(ev.completion_options)
    others = [r for r in (ways[:1] or [()])[0] if r not in practice]
    still = [r for r in practice if any(r in o for o in ways)]
    text = req.t.render(
        "personal_check",
        "hours_only",
        verdict="Yes" if ev.achieved else "No",
        hours=f"{hours_text(req.hours)} hour{'' if req.hours == 1 else 's'}",
        kind=kind,
        practice=named,
        title=q.title,
        options=join(others) if len(ways) == 1 and others else options_text(ev, req.knowledge),
        itself=req.t.render("personal_check", "hours_only_itself", practice=join(still)) if still and others else "",
    )
    return Reply(text, check=ev.to_dict())


def _hours_after_held(req: Request) -> Reply:
    """Practice hours still to do for each qualification topped up to from one held; the held one's don't carry."""
    k = req.knowledge
    held_units = _source_units(req)
    lines = []
    for qid in req.quals:
        q = k.qualifications[qid]
        ev = req.engine.evaluate(q, Record.of(held_units))
        todo = [r for r in (ev.completion_options[:1] or ((),))[0] if r in _practice_units(req, qid)]
        items = [_held_item(req, r) for r in todo]
        key = "after_held" if items else "after_held_none"
        lines.append(req.t.render("hours_remaining", key, title=q.title, items=join(items, "or")))
    targets = {r for qid in req.quals for r in k.units_of_ids(qid)}
    for sid in req.source_quals:
        for ref in _practice_units(req, sid):
            practice = k.units[ref].practice
            if practice and ref not in targets and not set(k.equivalents(ref)) & targets:
                lines.append(
                    req.t.render(
                        "hours_remaining",
                        "held_not_carried",
                        need=hours_text(practice.hours),
                        kind=practice.kind,
                        ref=ref,
                        held=k.qualifications[sid].title,
                    )
                )
    return Reply(" ".join(lines))


def _held_item(req: Request, ref: str) -> str:
    unit = req.knowledge.units[ref]
    assert unit.practice is not None
    return req.t.render(
        "hours_remaining",
        "after_held_item",
        need=hours_text(unit.practice.hours),
        kind=unit.practice.kind,
        ref=ref,
        unit=unit.title,
    )
