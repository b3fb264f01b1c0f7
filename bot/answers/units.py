"""Answers about units: look-up by code or title, credits, GLH, membership, credit transfer, practice."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from bot.answers.describe import unit_roles, units_list
from bot.answers.request import Reply, Request, ask_qualification, handles
from bot.rules.explain import hours_text, join

# -- units -------------------------------------------------------------------


def _need_unit(req: Request) -> Reply | None:
    return None if req.units else Reply(need="unit")


@handles("unit_lookup", unit_topic=True)
def unit_lookup(req: Request) -> Reply:
    if (r := _need_unit(req)) is not None:
        return r
    k = req.knowledge
    texts = []
    for ref in req.units:
        u = k.units[ref]
        practice = req.t.render("unit_lookup", "practice", wording=u.practice.wording) if u.practice else ""
        quals = [f"the {q.title} ({join(unit_roles(ref, q), 'and')})" for q in k.qualifications_with(ref)]
        membership_text = req.t.render("unit_lookup", "membership", quals=join(quals)) if quals else ""
        summary = u.summary or ""
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


@handles("unit_credits", unit_topic=True)
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


@handles("unit_glh", unit_topic=True)
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
        and (req.q is None or any(ref in g.units for g in req.q.groups))
    ]


@handles("unit_search")
def unit_search(req: Request) -> Reply:
    k = req.knowledge
    if req.units:
        return unit_lookup(req)
    if req.hours is not None or req.has("supervised", r"practi[cs]e (hours|time)", "hours of"):
        by_practice = _units_by_practice(req)
        if by_practice:
            return Reply(req.t.render("unit_search", "answer", units=units_list(by_practice, k)))
    words = " ".join(w for w in re.findall(r"[a-z]+", req.text) if w not in _SEARCH_STOP)
    scored = []
    for ref, u in k.units.items():
        title_score = fuzz.token_set_ratio(words, u.title.lower())
        summary_score = fuzz.token_set_ratio(words, (u.summary or "").lower()) * 0.9
        scored.append((max(title_score, summary_score), ref))
    scored.sort(key=lambda s: (-s[0], s[1]))
    if not words or scored[0][0] < 50:
        return Reply(req.t.render("unit_search", "none", units=units_list(sorted(k.units), k)))
    top = scored[0][0]
    best = [ref for score, ref in scored if score >= top - 3]
    if req.q is not None:
        best = [r for r in best if req.q and any(r in g.units for g in req.q.groups)] or best
    return Reply(req.t.render("unit_search", "answer", units=units_list(best, k)))


@handles("unit_membership", unit_topic=True, per_qualification=True)
def unit_membership(req: Request) -> Reply:
    if (r := _need_unit(req)) is not None:
        return r
    k = req.knowledge
    out = []
    for ref in req.units:
        u = k.units[ref]
        if req.q is not None:
            roles = unit_roles(ref, req.q)
            if roles:
                key = "role_differs" if _role_differs(req.frame.role, roles) else "in"
                out.append(
                    req.t.render(
                        "unit_membership", key, ref=ref, title=u.title, role=join(roles, "and"), qual=req.q.title
                    )
                )
            else:
                refs = [x.ref for x in k.units_of(req.q.id)]
                out.append(
                    req.t.render(
                        "unit_membership", "not_in", ref=ref, title=u.title, qual=req.q.title, units=join(refs)
                    )
                )
            continue
        roles_all = [f"{join(unit_roles(ref, q), 'and')} in the {q.title}" for q in k.qualifications_with(ref)]
        key = "where" if roles_all else "nowhere"
        out.append(req.t.render("unit_membership", key, ref=ref, title=u.title, roles=join(roles_all)))
    return Reply(" ".join(out))


def _role_differs(asked: str | None, roles: list[str]) -> bool:
    """'Is 8578-300 optional?' when it is mandatory (or the reverse): the answer is No, whatever else is true."""
    if asked is None:
        return False
    mandatory = any(r == "mandatory" for r in roles)
    return mandatory != (asked == "mandatory")


@handles("credit_transfer", unit_topic=True)
def credit_transfer(req: Request) -> Reply:
    k = req.knowledge
    if req.units:
        out = []
        for ref in req.units:
            eq = k.equivalents(ref)
            key = "unit" if eq else "none"
            out.append(req.t.render("credit_transfer", key, ref=ref, equivalents=join(eq)))
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


@handles("practice_hours", unit_topic=True, per_qualification=True)
def practice_hours(req: Request) -> Reply:
    k = req.knowledge
    units = [r for r in req.units if k.units[r].practice]
    if units:
        return Reply(" ".join(_practice_line(req, "unit", r) for r in units))
    q = req.q
    if q is None:
        return ask_qualification()
    refs = [u.ref for u in k.units_of(q.id) if u.practice and (not req.kinds or u.practice.kind in req.kinds)]
    if not refs:
        refs = [u.ref for u in k.units_of(q.id) if u.practice]
    if not refs:
        return Reply(req.t.render("practice_hours", "none", title=q.title))
    items = [_practice_line(req, "item", r) for r in refs]
    return Reply(req.t.render("practice_hours", "qual", title=q.title, items="; ".join(items)))


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
