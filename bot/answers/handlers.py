"""One function per intent: resolved entities plus knowledge in, a reply out.

Handlers are pure: they read the knowledge, may run the rules engine, and
fill templates. When they lack something (which qualification? which
unit?) they say so with ``Reply.need`` and the assistant asks the user.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.answers.describe import describe_structure, group_of, unit_roles, units_list
from bot.answers.report import options_text
from bot.answers.templates import Templates
from bot.knowledge.models import Knowledge, Qualification
from bot.learners.learner import LearnerRecord
from bot.rules import Engine, Record
from bot.rules.explain import hours_text, join
from bot.rules.requirements import CreditsFromGroup, MinHours, walk


@dataclass(frozen=True)
class Request:
    knowledge: Knowledge
    engine: Engine
    t: Templates
    text: str
    quals: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    hours: float | None = None
    kinds: tuple[str, ...] = ()
    hours_by_kind: tuple[tuple[str, float], ...] = ()
    source_quals: tuple[str, ...] = ()
    #: The asker's own stored record, when the surface has one (never anybody else's).
    learner: LearnerRecord | None = None

    @property
    def q(self) -> Qualification | None:
        return self.knowledge.qualifications[self.quals[0]] if self.quals else None

    def has(self, *words: str) -> bool:
        return any(re.search(rf"\b{w}", self.text) for w in words)


@dataclass(frozen=True)
class Reply:
    text: str = ""
    check: dict | None = None
    need: str | None = None


Handler = Callable[[Request], Reply]
HANDLERS: dict[str, Handler] = {}
NEEDS_QUALIFICATION: set[str] = set()


def handles(intent: str, needs_qualification: bool = False) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        HANDLERS[intent] = fn
        if needs_qualification:
            NEEDS_QUALIFICATION.add(intent)
        return fn

    return register


def _ask_qualification() -> Reply:
    return Reply(need="qualification")


def capabilities(req: Request) -> str:
    titles = join([q.short_title for q in req.knowledge.qualifications.values()])
    return req.t.render("capabilities", "list", qualifications=titles)


# -- small talk ------------------------------------------------------------


@handles("greeting")
def greeting(req: Request) -> Reply:
    return Reply(req.t.render("greeting", "answer", capabilities=capabilities(req)))


@handles("thanks")
def thanks(req: Request) -> Reply:
    return Reply(req.t.render("thanks", "answer"))


@handles("goodbye")
def goodbye(req: Request) -> Reply:
    return Reply(req.t.render("goodbye", "answer"))


@handles("capabilities")
def capabilities_answer(req: Request) -> Reply:
    return Reply(req.t.render("capabilities", "answer", capabilities=capabilities(req)))


# -- qualifications --------------------------------------------------------


@handles("list_qualifications")
def list_qualifications(req: Request) -> Reply:
    items = [
        req.t.render("list_qualifications", "item", title=q.title, credits=q.credits)
        for q in req.knowledge.qualifications.values()
    ]
    return Reply(req.t.render("list_qualifications", "answer", count=len(items), items=join(items)))


@handles("qualification_overview", needs_qualification=True)
def overview(req: Request) -> Reply:
    q = req.q
    assert q is not None
    text = q.overview or describe_structure(q, req.knowledge)
    return Reply(
        req.t.render("qualification_overview", "answer", title=q.title, level=q.level, credits=q.credits, overview=text)
    )


@handles("qualification_units", needs_qualification=True)
def qualification_units(req: Request) -> Reply:
    q = req.q
    assert q is not None
    for gid in req.groups:
        group = group_of(q, gid)
        if group:
            return Reply(
                req.t.render(
                    "qualification_units",
                    "group",
                    group=group.name,
                    title=q.title,
                    units=units_list(group.units, req.knowledge),
                )
            )
    return Reply(
        req.t.render(
            "qualification_units",
            "answer",
            title=q.title,
            credits=q.credits,
            structure=describe_structure(q, req.knowledge),
        )
    )


@handles("qualification_credits", needs_qualification=True)
def qualification_credits(req: Request) -> Reply:
    q = req.q
    assert q is not None
    k = req.knowledge
    for gid in req.groups:
        group = group_of(q, gid)
        node = next((n for n in _credit_nodes(q) if n.group == gid), None)
        if group and node:
            return Reply(
                req.t.render(
                    "qualification_credits",
                    "group",
                    credits=node.credits,
                    group=group.name,
                    title=q.title,
                    units=units_list(group.units, k),
                )
            )
    mandatory = group_of(q, "mandatory")
    if req.has("mandatory", "compulsory", "core") and mandatory:
        credits = sum(k.units[r].credits for r in mandatory.units)
        return Reply(
            req.t.render(
                "qualification_credits",
                "mandatory",
                title=q.title,
                credits=credits,
                units=units_list(mandatory.units, k),
            )
        )
    return Reply(
        req.t.render(
            "qualification_credits", "answer", title=q.title, credits=q.credits, breakdown=describe_structure(q, k)
        )
    )


def _credit_nodes(q: Qualification) -> list[CreditsFromGroup]:
    return [n for n in walk(q.rules) if isinstance(n, CreditsFromGroup)]


def glh_routes(q: Qualification, knowledge: Knowledge, engine: Engine) -> list[tuple[int, tuple[str, ...]]]:
    """Total GLH for every shortest way to achieve the qualification from nothing."""
    options = engine.completion_options(q, Record())
    return [(sum(knowledge.units[r].glh for r in option), option) for option in options]


@handles("qualification_glh", needs_qualification=True)
def qualification_glh(req: Request) -> Reply:
    q = req.q
    assert q is not None
    k = req.knowledge
    routes = glh_routes(q, k, req.engine)
    parts = [" + ".join(f"{r} {k.units[r].glh}" for r in option) + f" = {total}" for total, option in routes]
    totals = {total for total, _ in routes}
    if len(routes) > 1 and len(totals) == 1:
        return Reply(
            req.t.render("qualification_glh", "same", title=q.title, glh=totals.pop(), routes="; ".join(parts))
        )
    if len(routes) == 1:
        return Reply(req.t.render("qualification_glh", "single", title=q.title, glh=routes[0][0], routes=parts[0]))
    return Reply(req.t.render("qualification_glh", "varies", title=q.title, routes="; ".join(parts)))


@handles("rules_of_combination", needs_qualification=True)
def rules_of_combination(req: Request) -> Reply:
    q = req.q
    assert q is not None
    return Reply(
        req.t.render("rules_of_combination", "answer", title=q.title, rules=describe_structure(q, req.knowledge))
    )


def _first_programme(q: Qualification, kind: str) -> MinHours | None:
    return next((p for p in q.programme if p.hours_kind == kind), None)


def _in_sentence(wording: str) -> str:
    """The brochure's wording ("At least two hours tutorial support") inside a sentence."""
    return wording[:1].lower() + wording[1:]


def _programme_reply(req: Request, intent: str, kind: str) -> Reply:
    """Induction and tutorial support: the programme requirement of that kind, in the brochure's words."""
    q = req.q
    assert q is not None
    node = _first_programme(q, kind)
    if node is None:
        return unknown_fact(req)
    return Reply(
        req.t.render(
            intent,
            "answer",
            title=q.title,
            wording=_in_sentence(node.description),
            hours=hours_text(node.hours),
            s="" if node.hours == 1 else "s",
        )
    )


@handles("induction", needs_qualification=True)
def induction(req: Request) -> Reply:
    return _programme_reply(req, "induction", "induction")


@handles("tutorial_support", needs_qualification=True)
def tutorial_support(req: Request) -> Reply:
    return _programme_reply(req, "tutorial_support", "tutorial")


@handles("audience", needs_qualification=True)
def audience(req: Request) -> Reply:
    q = req.q
    assert q is not None
    text = q.audience[0].lower() + q.audience[1:]
    return Reply(req.t.render("audience", "answer", title=q.title, audience=text))


@handles("benefits_individuals", needs_qualification=True)
def benefits_individuals(req: Request) -> Reply:
    q = req.q
    assert q is not None
    return Reply(req.t.render("benefits_individuals", "answer", title=q.title, items="; ".join(q.benefits.individuals)))


@handles("benefits_employers", needs_qualification=True)
def benefits_employers(req: Request) -> Reply:
    q = req.q
    assert q is not None
    return Reply(req.t.render("benefits_employers", "answer", title=q.title, items="; ".join(q.benefits.employers)))


@handles("progression", needs_qualification=True)
def progression(req: Request) -> Reply:
    q = req.q
    assert q is not None
    k = req.knowledge
    items = [k.qualifications[p.qualification].title if p.qualification else str(p.external) for p in q.progression]
    return Reply(req.t.render("progression", "answer", title=q.title, items="; ".join(items)))


@handles("level", needs_qualification=True)
def level(req: Request) -> Reply:
    q = req.q
    assert q is not None
    return Reply(req.t.render("level", "answer", title=q.title, level=q.level))


def _contact_line(req: Request, q: Qualification | None) -> str:
    if q is not None:
        return req.t.render("unknown_fact", "contact", phone=q.contact.phone, email=q.contact.email)
    quals = list(req.knowledge.qualifications.values())
    emails = join(sorted({x.contact.email for x in quals}), "or")
    return req.t.render("unknown_fact", "contact", phone=quals[0].contact.phone, email=emails)


@handles("qualification_number", needs_qualification=True)
def qualification_number(req: Request) -> Reply:
    q = req.q
    assert q is not None
    if q.qualification_number:
        return Reply(req.t.render("qualification_number", "answer", title=q.title, number=q.qualification_number))
    return Reply(req.t.render("qualification_number", "none", title=q.title, contact=_contact_line(req, q)))


@handles("contact")
def contact(req: Request) -> Reply:
    q = req.q
    if q is not None:
        return Reply(req.t.render("contact", "answer", title=q.title, phone=q.contact.phone, email=q.contact.email))
    quals = list(req.knowledge.qualifications.values())
    by_email: dict[str, list[str]] = {}
    for x in quals:
        by_email.setdefault(x.contact.email, []).append(x.short_title)
    items = join([f"{email} for the {join(titles)}" for email, titles in by_email.items()])
    return Reply(req.t.render("contact", "all", phone=quals[0].contact.phone, items=items))


@handles("learning_resources", needs_qualification=True)
def learning_resources(req: Request) -> Reply:
    q = req.q
    assert q is not None
    res = q.learning_resources
    if res is None:
        return unknown_fact(req)
    url = f" See {res.url}." if res.url else ""
    return Reply(req.t.render("learning_resources", "answer", title=q.title, text=res.text, url=url))


@handles("membership")
def membership(req: Request) -> Reply:
    m = req.knowledge.organisation.membership
    if m is None:
        return unknown_fact(req)
    return Reply(req.t.render("membership", "answer", text=m.text, url=m.url or ""))


@handles("about_ilm")
def about_ilm(req: Request) -> Reply:
    org = req.knowledge.organisation
    return Reply(req.t.render("about_ilm", "answer", ethos=org.ethos or "", service=org.customer_service or ""))


_TOPICS = (
    (("cost", "price", "fee", "pay", "paid", "fund", "free", "£", "expensive", "cheap", "money"), "the cost"),
    (("exam", "assess", "test", "pass", "mark", "grade", "fail"), "assessment details such as exams or pass marks"),
    (("month", "week", "year", "how long", "duration", "take to"), "how long it takes"),
    (("date", "deadline", "start", "when", "cohort", "intake", "enrol"), "dates"),
    (("online", "classroom", "in person", "remote", "virtual", "tutor", "who teaches", "where"), "delivery details"),
)


@handles("unknown_fact")
def unknown_fact(req: Request) -> Reply:
    topic = next((name for words, name in _TOPICS if any(w in req.text for w in words)), "that")
    q = req.q
    subject = f"the {q.title}" if q else "these qualifications"
    return Reply(req.t.render("unknown_fact", "answer", topic=topic, subject=subject, contact=_contact_line(req, q)))


# -- units -------------------------------------------------------------------


def _need_unit(req: Request) -> Reply | None:
    return None if req.units else Reply(need="unit")


@handles("unit_lookup")
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


@handles("unit_credits")
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


@handles("unit_glh")
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


@handles("unit_membership")
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
                out.append(
                    req.t.render(
                        "unit_membership", "in", ref=ref, title=u.title, role=join(roles, "and"), qual=req.q.title
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


@handles("credit_transfer")
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


@handles("practice_hours")
def practice_hours(req: Request) -> Reply:
    k = req.knowledge
    units = [r for r in req.units if k.units[r].practice]
    if units:
        return Reply(" ".join(_practice_line(req, "unit", r) for r in units))
    q = req.q
    if q is None:
        return _ask_qualification()
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


# -- comparison --------------------------------------------------------------


#: What a comparison can be about ("compare the GLH of…"): only those rows are shown.
_COMPARE_TOPICS = (
    ("credit", "Credits"),
    ("units?\\b", "Units"),
    ("(glh|guided)", "Guided learning hours"),
    ("induction", "Induction"),
    ("tutorial", "Tutorial support"),
    ("(practi[cs]e|supervis)", "Supervised practice"),
    ("(qualification number|number)", "Qualification number"),
)


@handles("compare")
def compare(req: Request) -> Reply:
    k = req.knowledge
    ids = list(req.quals[:2])
    if len(ids) < 2:
        others = [i for i in k.qualifications if i not in ids]
        if len(ids) == 1 and len(others) == 1:
            ids.append(others[0])
        else:
            return _ask_qualification()
    a, b = (k.qualifications[i] for i in ids)

    def facts(q: Qualification) -> dict[str, str]:
        routes = glh_routes(q, k, req.engine)
        totals = sorted({t for t, _ in routes})
        induction_node = _first_programme(q, "induction")
        tutorial_node = _first_programme(q, "tutorial")
        practice = [
            f"{hours_text(u.practice.hours)} hours of {u.practice.kind} ({u.ref})"
            for u in k.units_of(q.id)
            if u.practice
        ]
        return {
            "Credits": str(q.credits),
            "Units": describe_structure(q, k).rstrip("."),
            "Guided learning hours": " or ".join(str(t) for t in totals),
            "Induction": induction_node.description if induction_node else "not stated",
            "Tutorial support": tutorial_node.description if tutorial_node else "not stated",
            "Supervised practice": join(practice, "or") or "none",
            "Qualification number": q.qualification_number or "not given in the brochure",
        }

    fa, fb = facts(a), facts(b)
    asked = [label for pattern, label in _COMPARE_TOPICS if req.has(pattern)]
    labels = [label for label in fa if label in asked] or list(fa)
    rows = "\n".join(req.t.render("compare", "row", label=label, va=fa[label], vb=fb[label]) for label in labels)
    return Reply(req.t.render("compare", "answer", a=a.title, b=b.title, rows="\n" + rows))


# -- personal checks ---------------------------------------------------------


def _source_units(req: Request) -> list[str]:
    """Units implied by a completed qualification the user mentions ("I completed the Certificate in Mentoring")."""
    units: list[str] = []
    for qid in req.source_quals:
        options = req.engine.completion_options(req.knowledge.qualifications[qid], Record())
        if options:
            units.extend(options[0])
    return units


@handles("personal_check", needs_qualification=True)
def personal_check(req: Request) -> Reply:
    q = req.q
    assert q is not None
    k = req.knowledge
    units = list(dict.fromkeys([*req.units, *_source_units(req)]))
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
        notes = req.t.render("personal_check", "not_counted", units=join(list(ev.not_counted)))
    key = "achieved" if ev.achieved else "missing"
    text = req.t.render(
        "personal_check",
        key,
        units=join(units),
        have=ev.credits_achieved,
        need=ev.credits_required,
        title=q.title,
        options=options_text(ev, k),
        transfers=transfers,
        notes=notes,
    )
    return Reply(text, check=check)


def _programme_remaining(req: Request, kind: str) -> Reply:
    """Induction or tutorial hours still to come, against the qualification's programme minimum."""
    q = req.q
    if q is None:
        return _ask_qualification()
    node = _first_programme(q, kind)
    if node is None:
        return unknown_fact(req)
    have = req.hours or 0.0
    left = max(0.0, node.hours - have)
    record = Record.of(hours={kind: have})
    check = req.engine.evaluate(q, record).to_dict()
    return Reply(
        req.t.render(
            "hours_remaining",
            "programme_done" if left == 0 else "programme",
            title=q.title,
            wording=_in_sentence(node.description),
            need=hours_text(node.hours),
            kind=PROGRAMME_KIND_NAMES.get(kind, kind),
            have=hours_text(have),
            left=hours_text(left),
        ),
        check=check,
    )


#: How the programme's hour kinds read in a sentence.
PROGRAMME_KIND_NAMES = {"induction": "induction", "tutorial": "tutorial support"}


@handles("hours_remaining")
def hours_remaining(req: Request) -> Reply:
    k = req.knowledge
    if req.hours is None:
        return Reply(req.t.render("hours_remaining", "need_hours"))
    kinds = [kd for kd in req.kinds if kd in ("coaching", "mentoring")]
    programme_kinds = [kd for kd in req.kinds if kd not in kinds]
    if programme_kinds and not kinds and not req.units:
        return _programme_remaining(req, programme_kinds[0])
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
    return Reply(req.t.render("hours_remaining", "answer", items=" ".join(items)), check=check)


# Record-based answers register themselves in the same table.
from bot.answers import personal  # noqa: E402, F401
