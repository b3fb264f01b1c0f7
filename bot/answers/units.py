"""Answers about units: look-up by code or title, credits, GLH, membership, credit transfer, practice."""

from __future__ import annotations

import re
from dataclasses import replace

from rapidfuzz import fuzz

from bot.answers.answer import lead_with
from bot.answers.describe import describe_rule, unit_roles, units_list
from bot.answers.request import Reply, Request, ask_qualification, handles
from bot.rules import Record
from bot.rules.explain import hours_text, join

# -- units -------------------------------------------------------------------


def _need_unit(req: Request) -> Reply | None:
    return None if req.units else Reply(need="unit")


@handles("unit_lookup", unit_topic=True, text_fact=True)
def unit_lookup(req: Request) -> Reply:
    if (r := _need_unit(req)) is not None:
        return r
    if req.has(*_REPLACING) and (other := _referring(req)) is not None:
        return other
    k = req.knowledge
    texts = []
    for ref in req.units:
        u = k.units[ref]
        summary = u.summary or ""
        told = u.practice is None or says(summary, u.practice.wording)  # the summary already says it
        practice = "" if told else req.t.render("unit_lookup", "practice", wording=u.practice.wording)  # type: ignore[union-attr]
        quals = [f"the {q.title} ({join(unit_roles(ref, q), 'and')})" for q in k.qualifications_with(ref)]
        membership_text = req.t.render("unit_lookup", "membership", quals=join(quals)) if quals else ""
        texts.append(
            req.t.render(
                "unit_lookup",
                "answer",
                ref=ref,
                title=u.title,
                level=u.level,
                credits=u.credits,
                glh=u.glh,
                summary=summary,
                practice=practice,
                membership=membership_text,
            )
        )
    return Reply("\n".join(texts))


def says(text: str, wording: str) -> bool:
    """Whether a text already states a wording, up to case, spacing and punctuation."""
    plain = " ".join(re.findall(r"[a-z0-9]+", text.lower()))
    return " ".join(re.findall(r"[a-z0-9]+", wording.lower())) in plain


@handles("unit_credits", unit_topic=True, attributes=("credits",))
def unit_credits(req: Request) -> Reply:
    if (r := _need_unit(req)) is not None:
        return r
    k = req.knowledge
    return Reply(
        " ".join(
            req.t.render("unit_credits", "answer", ref=ref, title=k.units[ref].title, credits=k.units[ref].credits)
            for ref in req.units
        )
    )


@handles("unit_glh", unit_topic=True, attributes=("glh",))
def unit_glh(req: Request) -> Reply:
    if (r := _need_unit(req)) is not None:
        return r
    k = req.knowledge
    return Reply(
        " ".join(
            req.t.render("unit_glh", "answer", ref=ref, title=k.units[ref].title, glh=k.units[ref].glh)
            for ref in req.units
        )
    )


_SEARCH_STOP = frozenset(
    [
        "which",
        "what",
        "unit",
        "units",
        "is",
        "are",
        "about",
        "covers",
        "cover",
        "covering",
        "the",
        "a",
        "an",
        "on",
        "of",
        "for",
        "in",
        "to",
        "do",
        "does",
        "there",
        "any",
        "i",
        "my",
        "me",
        "that",
        "deals",
        "with",
        "deal",
        "looks",
        "look",
        "at",
        "one",
    ]
)


def _units_by_practice(req: Request) -> list[str]:
    """'which unit has the 6 hours of mentoring practice': units whose practice fits the hours and kind named."""
    return [
        ref
        for ref, u in sorted(req.knowledge.units.items())
        if u.practice is not None
        and (req.hours is None or u.practice.hours == req.hours)
        and (not req.kinds or u.practice.kind in req.kinds)
        and (not req.quals or any(ref in req.knowledge.units_of_ids(q) for q in req.quals))
    ]


def _group_by_kind(req: Request) -> Reply | None:
    """'Which group covers coaching?': the option whose units are that kind of practice."""
    if not (req.kinds and req.has("group", "route", "option", "pathway")):
        return None
    k = req.knowledge
    lines = []
    for q in k.qualifications.values():
        for g in q.groups:
            kinds = {k.units[r].practice.kind for r in g.units if k.units[r].practice}  # type: ignore[union-attr]
            if g.id != "mandatory" and kinds & set(req.kinds):
                lines.append(f"{g.name} of the {q.title} covers {join(sorted(kinds))}: {units_list(g.units, k)}.")
    return Reply(" ".join(lines)) if lines else None


def described_units(req: Request) -> list[str]:
    """The units a question describes in words ("the extended mentoring unit"): the closest titles or
    summaries, within the qualification in play when it has one; none when nothing is close."""
    k = req.knowledge
    words = " ".join(w for w in re.findall(r"[a-z]+", req.text) if w not in _SEARCH_STOP)
    scored = []
    for ref, u in k.units.items():
        title_score = fuzz.token_set_ratio(words, u.title.lower())
        summary_score = fuzz.token_set_ratio(words, (u.summary or "").lower()) * 0.9
        scored.append((max(title_score, summary_score), ref))
    scored.sort(key=lambda s: (-s[0], s[1]))
    if not words or scored[0][0] < 50:
        return []
    top = scored[0][0]
    best = [ref for score, ref in scored if score >= top - 3]
    if req.q is not None:
        best = [r for r in best if req.q and any(r in g.units for g in req.q.groups)] or best
    return best


@handles("unit_search")
def unit_search(req: Request) -> Reply:
    k = req.knowledge
    if not req.units and (by_group := _group_by_kind(req)) is not None:
        return by_group
    if req.units:
        return unit_lookup(req)
    doing = req.has(*_DOING) and (bool(req.kinds) or req.has("coaching", "mentoring"))  # "actually doing the coaching"
    if req.hours is not None or doing or req.has("supervised", r"practi[cs]e (hours|time)", "hours of"):
        by_practice = _units_by_practice(req)
        if by_practice:
            return Reply(req.t.render("unit_search", "answer", units=units_list(by_practice, k)))
        if doing:  # no unit has that practice (coaching on the Award): said, not a unit of another kind
            return Reply(req.t.render("unit_search", "none", units=units_list(sorted(k.units), k)))
    best = described_units(req)
    if not best:
        return Reply(req.t.render("unit_search", "none", units=units_list(sorted(k.units), k)))
    if len(best) == 1:  # "what's involved in the extended coaching unit": that unit, described
        return unit_lookup(replace(req, units=tuple(best)))
    if all(r in k.equivalents(best[0]) for r in best[1:]):  # the same unit under both schemes: described once
        described = unit_lookup(replace(req, units=(best[0],)))
        same = req.t.render("unit_search", "same_unit", units=join(best[1:], "and"), ref=best[0])
        return replace(described, text=f"{described.text} {same}")
    return Reply(req.t.render("unit_search", "answer", units=units_list(best, k)))


#: Words of doing the practice itself, not of learning about it.
_DOING = (r"actually", r"sessions?", r"carr(y|ies|ying) out", r"hands[- ]on", "placement", "practical", "practise")


#: "What replaces 8577-305?", "what do I do instead of 8577-305?": another unit, related to the one named.
_REPLACING = ("replac", "instead of", "in place of", "swap")


def _referring(req: Request) -> Reply | None:
    """'What replaces 8577-305 at Certificate level?': the units whose brochure summary names that unit."""
    k = req.knowledge
    named = [k.units[ref].title for ref in req.units]
    found = [
        ref
        for ref, u in sorted(k.units.items())
        if ref not in req.units and any(says(u.summary or "", t) for t in named)
    ]
    return unit_lookup(replace(req, units=tuple(found))) if found else None


@handles("unit_membership", unit_topic=True, per_qualification=True)
def unit_membership(req: Request) -> Reply:
    if (r := _need_unit(req)) is not None:
        return r
    k = req.knowledge
    if req.q is not None and (apart := not_together(req, say_yes=req.frame.role is None)) is not None:
        return apart
    out = []
    for ref in req.units:
        u = k.units[ref]
        if req.q is not None:
            roles = unit_roles(ref, req.q)
            if roles:
                differs = _role_differs(req.frame.role, roles) or _group_differs(req, ref)
                key = "role_differs" if differs else "in" if _asks_yes_no(req) else "is_in"
                out.append(
                    req.t.render(
                        "unit_membership", key, ref=ref, title=u.title, role=join(roles, "and"), qual=req.q.title
                    )
                )
            else:
                refs = [x.ref for x in k.units_of(req.q.id)]
                out.append(
                    req.t.render(
                        "unit_membership",
                        "not_in",
                        ref=ref,
                        title=u.title,
                        qual=req.q.title,
                        units=join(refs),
                        elsewhere=_elsewhere(req, ref),
                    )
                )
            continue
        out.append(where_is(req, ref))
    return Reply(" ".join(out))


#: "Which group is 8578-303 in?" asks for the group, not for a Yes.
_WH = re.compile(r"\b(what|what's|whats|which|where)\b")


def _asks_yes_no(req: Request) -> bool:
    return req.frame.yes_no or not _WH.search(req.text)


def where_is(req: Request, ref: str) -> str:
    """'8577-307 Reflecting on … is mandatory in the Award and mandatory in the Certificate.': every home."""
    k = req.knowledge
    roles = [f"{join(unit_roles(ref, q), 'and')} in the {q.title}" for q in k.qualifications_with(ref)]
    key = "where" if roles else "nowhere"
    return req.t.render("unit_membership", key, ref=ref, title=k.units[ref].title, roles=join(roles))


def _elsewhere(req: Request, ref: str) -> str:
    """Where a unit does belong, when the question placed it wrongly."""
    roles = [f"{join(unit_roles(ref, q), 'and')} in the {q.title}" for q in req.knowledge.qualifications_with(ref)]
    return req.t.render("unit_membership", "elsewhere", ref=ref, roles=join(roles)) if roles else ""


def _group_differs(req: Request, ref: str) -> bool:
    """'Is 8578-303 in Group 2?' when it is in Group 1."""
    q = req.q
    asked = [g for g in req.groups if q is not None and any(x.id == g for x in q.groups)]
    return bool(asked) and q is not None and not any(ref in x.units for x in q.groups if x.id in asked)


def not_together(req: Request, say_yes: bool = False) -> Reply | None:
    """'Do you need both 8578-302 and 8578-306?': units from options that can't be mixed never count together."""
    q = req.q
    assert q is not None
    units = [r for r in req.units if r in req.knowledge.units_of_ids(q.id)]
    if len(units) < 2 or not req.frame.yes_no:
        return None
    routes = req.engine.completion_options(q, Record())
    if any(set(units) <= set(route) for route in routes):
        if say_yes:
            return Reply(req.t.render("unit_membership", "together", units=join(units, "and"), qual=q.title))
        return None
    return Reply(
        req.t.render(
            "unit_membership",
            "apart",
            units=join(units, "and"),
            qual=q.title,
            rules=describe_rule(q.rules, q, req.knowledge),
        )
    )


def _role_differs(asked: str | None, roles: list[str]) -> bool:
    """'Is 8578-300 optional?' when it is mandatory (or the reverse): the answer is No, whatever else is true."""
    if asked is None:
        return False
    mandatory = any(r == "mandatory" for r in roles)
    return mandatory != (asked == "mandatory")


@handles("credit_transfer", unit_topic=True, re_read=False)
def credit_transfer(req: Request) -> Reply:
    k = req.knowledge
    if req.units and req.q is not None:
        return Reply(" ".join(_counts_toward(req, ref) for ref in req.units))
    if req.units:
        out = []
        for ref in req.units:
            eq = k.equivalents(ref)
            key = "unit" if eq else "none"
            out.append(req.t.render("credit_transfer", key, ref=ref, equivalents=join(eq)) + _elsewhere(req, ref))
        return Reply(" ".join(out))
    if len(req.quals) >= 2:
        a, b = (k.qualifications[i] for i in req.quals[:2])
        refs_b = {x.ref for x in k.units_of(b.id)}
        shared = [u.ref for u in k.units_of(a.id) if u.ref in refs_b]
        pairs = [f"{u.ref} = {e}" for u in k.units_of(a.id) for e in k.equivalents(u.ref) if e in refs_b]
        parts = []
        if shared:
            parts.append(req.t.render("credit_transfer", "shared", a=a.title, b=b.title, units=join(shared)))
        if pairs:
            parts.append(req.t.render("credit_transfer", "quals", a=a.title, b=b.title, pairs=join(pairs)))
        text = " ".join(parts) or req.t.render("credit_transfer", "quals_none", a=a.title, b=b.title)
        return Reply(text)
    pairs = [" = ".join(klass) for klass in k.equivalences]
    return Reply(req.t.render("credit_transfer", "general", pairs=join(pairs)))


def _counts_toward(req: Request, ref: str) -> str:
    """'Does 8577-305 count toward the Certificate in Mentoring?': as itself, as its equivalent, or not at all.

    With two qualifications named ("did it for the Award, can it count towards the C&M?") the target is the last."""
    k = req.knowledge
    q = k.qualifications[req.quals[-1]]
    roles = unit_roles(ref, q)
    if roles:
        return req.t.render("credit_transfer", "counts", ref=ref, qual=q.title, role=join(roles, "and"))
    same = [e for e in k.equivalents(ref) if e in k.units_of_ids(q.id)]
    if same:
        return req.t.render("credit_transfer", "counts_as", ref=ref, qual=q.title, equivalent=join(same))
    needed = [x.ref for x in k.units_of(q.id)]
    return req.t.render("credit_transfer", "not_counted", ref=ref, qual=q.title, units=join(needed)) + _elsewhere(
        req, ref
    )


@handles("practice_hours", unit_topic=True, per_qualification=True, attributes=("practice",))
def practice_hours(req: Request) -> Reply:
    k = req.knowledge
    units = [r for r in req.units if k.units[r].practice]
    if units:
        return Reply(" ".join(_practice_line(req, "unit", r) for r in units))
    q = req.q
    if q is None:
        return ask_qualification()
    refs = [u.ref for u in k.units_of(q.id) if u.practice and (not req.kinds or u.practice.kind in req.kinds)]
    of_kind = bool(refs)
    if not refs:
        refs = [u.ref for u in k.units_of(q.id) if u.practice]
    if not refs:
        return Reply(req.t.render("practice_hours", "none", title=q.title))
    items = [_practice_line(req, "item", r) for r in refs]
    text = req.t.render("practice_hours", "qual", title=q.title, items="; ".join(items))
    if req.frame.yes_no and req.hours is not None and of_kind:  # "I did 20 hours, is that enough for the Award?"
        need = min(k.units[r].practice.hours for r in refs)  # type: ignore[union-attr]
        ok = req.hours >= need
        short = "" if ok else f"; {hours_text(need - req.hours)} more to go"
        return Reply(lead_with("Yes" if ok else "No", f"{text} With {hours_text(req.hours)} hours{short}."))
    if req.frame.yes_no and len(req.kinds) == 1 and not req.frame.claims:  # "does the Award need any coaching hours?"
        text = lead_with("Yes" if of_kind else "No", text)
    return Reply(text)


def _practice_line(req: Request, key: str, ref: str) -> str:
    u = req.knowledge.units[ref]
    assert u.practice is not None
    return req.t.render(
        "practice_hours",
        key,
        ref=ref,
        title=u.title,
        wording=u.practice.wording,
        hours=hours_text(u.practice.hours),
        kind=u.practice.kind,
    )
