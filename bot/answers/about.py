"""Answers about a qualification, and where to go: units, credits, GLH, rules, audience, benefits, contacts."""

from __future__ import annotations

import re

from bot.answers.describe import describe_rule, describe_structure, group_of, structure_of, units_list
from bot.answers.request import Reply, Request, handles
from bot.answers.units import not_together
from bot.knowledge.lookup import glossary_terms
from bot.knowledge.models import Knowledge, Qualification
from bot.rules import Engine, Record
from bot.rules.explain import join
from bot.rules.requirements import CreditsFromGroup, walk

# -- qualifications --------------------------------------------------------


@handles("list_qualifications", other_levels=True)
def list_qualifications(req: Request) -> Reply:
    items = [
        req.t.render("list_qualifications", "item", title=q.title, credits=q.credits)
        for q in req.knowledge.qualifications.values()
    ]
    return Reply(req.t.render("list_qualifications", "answer", count=len(items), items=join(items)))


@handles("qualification_overview", needs_qualification=True, text_fact=True)
def overview(req: Request) -> Reply:
    q = req.q
    assert q is not None
    text = q.overview or describe_structure(q, req.knowledge)
    if q.overview and req.has("structur", "made up", "put together", "organised", "organized"):
        text += " " + describe_structure(q, req.knowledge)  # "how is the C&M structured?": its groups too
    return Reply(
        req.t.render("qualification_overview", "answer", title=q.title, level=q.level, credits=q.credits, overview=text)
    )


@handles("qualification_units", needs_qualification=True, attributes=("unit_count",), re_read=True)
def qualification_units(req: Request) -> Reply:
    q = req.q
    assert q is not None
    if (route := _route_through(req, q)) is not None:
        return route
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
    if req.frame.attribute != "unit_count" and (focus := _units_focus(req, q)) is not None:
        return focus
    text = req.t.render(
        "qualification_units",
        "answer",
        title=q.title,
        credits=q.credits,
        structure=describe_structure(q, req.knowledge),
    )
    if req.frame.attribute == "unit_count":  # "how many units do I need?": the number first
        count = join([str(n) for n in sorted({len(r) for r in req.engine.completion_options(q, Record())})], "or")
        text = req.t.render("qualification_units", "count", title=q.title, count=count) + " " + text
    return Reply(text, structure=structure_of(q, req.knowledge))


#: "If I choose group 1, which units do I take in total?": the whole way to complete it through that group.
_CHOSEN = re.compile(
    r"\b(if|when|once) (i|you|we)\b.{0,12}\b(choose|chose|pick|go for|go with|take|do|opt for|select)\b|"
    r"\b(in total|full list|altogether|overall|whole list|complete list)\b"
)


def _route_through(req: Request, q: Qualification) -> Reply | None:
    """Every unit of the ways to complete the qualification (the rules engine's) that go through the group chosen."""
    if not req.groups or req.frame.attribute == "unit_count" or not _CHOSEN.search(req.text):
        return None
    chosen = {r for g in q.groups if g.id in req.groups for r in g.units}
    routes = [r for r in req.engine.completion_options(q, Record()) if chosen & set(r)]
    if len(routes) != 1:
        return None
    route = routes[0]
    names = join([g.name for g in q.groups if g.id in req.groups], "and")
    credits = sum(req.knowledge.units[r].credits for r in route)
    return Reply(
        f"Through {names}, the {q.title} takes {len(route)} units ({credits} credits): "
        f"{units_list(route, req.knowledge)}."
    )


_FOCUS = re.compile(
    r"\b(focus|focuses|cover|covers|outline|describe|content|contents|involve|involves)\b|"
    r"\bwhat (are|is)\b.{0,50}\babout\b"
)


def _units_focus(req: Request, q: Qualification) -> Reply | None:
    """'What do the two mandatory units of the C&M focus on?': each unit's brochure summary."""
    if not _FOCUS.search(req.text):
        return None
    k = req.knowledge
    wanted = "mandatory" if req.has("mandatory", "compulsory", "core") else None
    refs = [r for g in q.groups if wanted is None or g.id == wanted for r in g.units]
    lines = [f"{r} {k.units[r].title}: {k.units[r].summary}" for r in dict.fromkeys(refs) if k.units[r].summary]
    return Reply(" ".join(lines)) if lines else None


@handles("qualification_credits", needs_qualification=True, per_qualification=True, attributes=("credits",))
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
    parts = _credit_parts(req, q)
    if parts:
        return Reply(" ".join(parts))
    return Reply(
        req.t.render(
            "qualification_credits", "answer", title=q.title, credits=q.credits, breakdown=describe_structure(q, k)
        )
    )


_OUTSIDE = r"(outside|besides|apart from|other than|beyond|on top of|non-?|not) (the )?(mandatory|compulsory|core)"


def _credit_parts(req: Request, q: Qualification) -> list[str]:
    """'Mandatory vs optional credits on the C&M': the mandatory units' credits, the optional part's, or both."""
    k = req.knowledge
    mandatory = group_of(q, "mandatory")
    if mandatory is None:
        return []
    outside = req.has(_OUTSIDE)
    wants_mandatory = req.has("mandatory", "compulsory", "core") and not outside
    wants_optional = outside or req.has("optional", "optionals", "electives?", "the rest", "remaining")
    credits = sum(k.units[r].credits for r in mandatory.units)
    parts = []
    if wants_mandatory:
        units = units_list(mandatory.units, k)
        parts.append(req.t.render("qualification_credits", "mandatory", title=q.title, credits=credits, units=units))
        wants_optional = wants_optional or req.has("only", "just")  # "only the mandatory units": not enough alone
    if wants_optional:
        nodes = _credit_nodes(q)
        if nodes:
            choice = next((n for n in walk(q.rules) if any(o in nodes for o in getattr(n, "options", ()))), nodes[0])
            rule = describe_rule(choice, q, k)
            extra = q.credits - credits
            parts.append(req.t.render("qualification_credits", "optional", title=q.title, credits=extra, rule=rule))
        else:
            parts.append(req.t.render("qualification_credits", "no_optional", title=q.title, credits=q.credits))
    return parts


def _credit_nodes(q: Qualification) -> list[CreditsFromGroup]:
    return [n for n in walk(q.rules) if isinstance(n, CreditsFromGroup)]


def glh_routes(q: Qualification, knowledge: Knowledge, engine: Engine) -> list[tuple[int, tuple[str, ...]]]:
    """Total GLH for every shortest way to achieve the qualification from nothing."""
    options = engine.completion_options(q, Record())
    return [(sum(knowledge.units[r].glh for r in option), option) for option in options]


@handles("qualification_glh", needs_qualification=True, per_qualification=True, attributes=("glh",))
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
    if (together := not_together(req, say_yes=True)) is not None:
        return together  # "could I do 8578-302 and 8578-307?": whether they combine, then the rules
    return Reply(
        req.t.render("rules_of_combination", "answer", title=q.title, rules=describe_structure(q, req.knowledge)),
        structure=structure_of(q, req.knowledge),
    )


@handles("audience", needs_qualification=True, per_qualification=True, text_fact=True)
def audience(req: Request) -> Reply:
    q = req.q
    assert q is not None
    text = q.audience[0].lower() + q.audience[1:]
    return Reply(req.t.render("audience", "answer", title=q.title, audience=text))


@handles("benefits_individuals", needs_qualification=True, text_fact=True)
def benefits_individuals(req: Request) -> Reply:
    q = req.q
    assert q is not None
    return Reply(req.t.render("benefits_individuals", "answer", title=q.title, items="; ".join(q.benefits.individuals)))


@handles("benefits_employers", needs_qualification=True, text_fact=True)
def benefits_employers(req: Request) -> Reply:
    q = req.q
    assert q is not None
    return Reply(req.t.render("benefits_employers", "answer", title=q.title, items="; ".join(q.benefits.employers)))


@handles("progression", needs_qualification=True, per_qualification=True, text_fact=True, other_levels=True)
def progression(req: Request) -> Reply:
    q = req.q
    assert q is not None
    k = req.knowledge
    items = [k.qualifications[p.qualification].title if p.qualification else str(p.external) for p in q.progression]
    return Reply(req.t.render("progression", "answer", title=q.title, items="; ".join(items)))


@handles("level", needs_qualification=True, per_qualification=True, attributes=("level",), other_levels=True)
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


@handles("qualification_number", needs_qualification=True, per_qualification=True, attributes=("number",))
def qualification_number(req: Request) -> Reply:
    q = req.q
    assert q is not None
    if q.qualification_number:
        return Reply(req.t.render("qualification_number", "answer", title=q.title, number=q.qualification_number))
    return Reply(req.t.render("qualification_number", "none", title=q.title, contact=_contact_line(req, q)))


@handles("contact", attributes=("email", "phone"))
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


@handles("learning_resources", needs_qualification=True, per_qualification=True, text_fact=True)
def learning_resources(req: Request) -> Reply:
    q = req.q
    assert q is not None
    res = q.learning_resources
    if res is None:
        return unknown_fact(req)
    url = f" See {res.url}." if res.url else ""
    return Reply(req.t.render("learning_resources", "answer", title=q.title, text=res.text, url=url))


@handles("glossary")
def glossary(req: Request) -> Reply:
    """'What does GLH stand for?': the brochures' own notes; every term the question names."""
    terms = glossary_terms(req.knowledge, req.text)
    if not terms:
        terms = list(req.knowledge.organisation.glossary)  # "explain the abbreviations": all of them
    if not terms:
        return Reply(req.t.render("glossary", "none", contact=_contact_line(req, None)))
    return Reply(" ".join(req.t.render("glossary", "answer", term=t.term, meaning=t.meaning) for t in terms))


@handles("membership", text_fact=True)
def membership(req: Request) -> Reply:
    m = req.knowledge.organisation.membership
    if m is None:
        return unknown_fact(req)
    return Reply(req.t.render("membership", "answer", text=m.text, url=m.url or ""))


@handles("about_ilm", text_fact=True, other_levels=True)
def about_ilm(req: Request) -> Reply:
    org = req.knowledge.organisation
    return Reply(req.t.render("about_ilm", "answer", ethos=org.ethos or "", service=org.customer_service or ""))


#: A qualification at another level, or a diploma: not something the Level 3 brochures describe.
OTHER_LEVEL = re.compile(r"\blevel\s*[124-8]\b|\bl[124-8]\b|\bdiplomas?\b")
_TOPICS = (
    (
        (
            "cost",
            "price",
            "fee",
            "pay",
            "paid",
            "fund",
            "free",
            "£",
            "expensive",
            "cheap",
            "money",
            "discount",
            "how much is it",
        ),
        "the cost",
    ),
    (("exam", "assess", "test", "pass", "mark", "grade", "fail"), "assessment details such as exams or pass marks"),
    (
        ("arrive", "issued", "posted", "sent out", "in the post", "come through", "receive my", "get my cert"),
        "when the certificate is issued",
    ),
    (("month", "week", "year", "how long", "duration", "take to"), "how long it takes"),
    (("date", "deadline", "start", "when", "cohort", "intake", "enrol"), "dates"),
    (("online", "classroom", "in person", "remote", "virtual", "tutor", "who teaches", "where"), "delivery details"),
)


@handles("unknown_fact", other_levels=True, re_read=False)
def unknown_fact(req: Request) -> Reply:
    if OTHER_LEVEL.search(req.text):
        titles = join([q.title for q in req.knowledge.qualifications.values()])
        return Reply(req.t.render("unknown_fact", "other_level", titles=titles, contact=_contact_line(req, None)))
    topic = next((name for words, name in _TOPICS if any(w in req.text for w in words)), "that")
    q = req.q if len(req.quals) == 1 else None  # several: "these qualifications", one contact line for all
    subject = f"the {q.title}" if q else "these qualifications"
    return Reply(req.t.render("unknown_fact", "answer", topic=topic, subject=subject, contact=_contact_line(req, q)))
