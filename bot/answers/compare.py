"""Two qualifications side by side."""

from __future__ import annotations

import re

from bot.answers.about import glh_routes
from bot.answers.answer import Row, lead_with
from bot.answers.delivery import first_programme
from bot.answers.describe import describe_structure
from bot.answers.request import Reply, Request, ask_qualification, handles
from bot.knowledge.models import Qualification
from bot.rules.explain import hours_text, join

# -- comparison --------------------------------------------------------------


#: What a comparison can be about ("compare the GLH of…"): only those rows are shown.
_COMPARE_TOPICS = (
    ("credit", "Credits"),
    ("units?\\b", "Units"),
    ("(glh|guided)", "Guided learning hours"),
    ("induction", "Induction"),
    ("tutorial", "Tutorial support"),
    ("(practi[cs]e|supervis|hours of (coaching|mentoring)|(coaching|mentoring) hours)", "Supervised practice"),
    ("(qualification number|qual number|number)", "Qualification number"),
    ("(audience|who.{0,30}for|aimed|target|designed for|suitable)", "Who it is for"),
    ("(progress|leads?( on)? to\\b|go on|next|after)", "Progression"),  # not "team leader"
    ("employer", "Benefits for employers"),
    ("(benefit|individual|what.s in it)", "Benefits for individuals"),
    ("(resource|material|walled garden|portal|shop)", "Learning resources"),
    ("(e-?mail|contact|address)", "Email"),
    ("(phone|call|ring|number to)", "Phone"),
)
#: Rows shown when the question names none of the topics above.
_DEFAULT_ROWS = (
    "Credits",
    "Units",
    "Guided learning hours",
    "Induction",
    "Tutorial support",
    "Supervised practice",
    "Qualification number",
)


@handles("compare", other_levels=True)
def compare(req: Request) -> Reply:
    k = req.knowledge
    if len(req.units) >= 2 and len(req.quals) < 2:
        return _compare_units(req, req.units[0], req.units[1])
    ids = list(req.quals)
    if len(ids) < 2:
        others = [i for i in k.qualifications if i not in ids]
        if len(ids) == 1 and len(others) == 1:
            ids.append(others[0])
        else:
            return ask_qualification()
    quals = [k.qualifications[i] for i in ids]

    def facts(q: Qualification) -> dict[str, str]:
        routes = glh_routes(q, k, req.engine)
        totals = sorted({t for t, _ in routes})
        induction_node = first_programme(q, "induction")
        tutorial_node = first_programme(q, "tutorial")
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
            "Who it is for": q.audience,
            "Progression": "; ".join(_progression(q)),
            "Benefits for employers": "; ".join(q.benefits.employers),
            "Benefits for individuals": "; ".join(q.benefits.individuals),
            "Learning resources": q.learning_resources.text
            + (f" {q.learning_resources.url}" if q.learning_resources and q.learning_resources.url else "")
            if q.learning_resources
            else "not given in the brochure",
            "Email": q.contact.email,
            "Phone": q.contact.phone,
        }

    def _progression(q: Qualification) -> list[str]:
        return [k.qualifications[p.qualification].title if p.qualification else str(p.external) for p in q.progression]

    table = [facts(q) for q in quals]
    asked = [label for pattern, label in _COMPARE_TOPICS if req.has(pattern)]
    labels = [label for label in table[0] if label in asked] or list(_DEFAULT_ROWS)
    rows = tuple(Row(label, tuple(f[label] for f in table)) for label in labels)
    differ = [r.label.lower() for r in rows if len(set(r.values)) > 1]
    # Two facts both missing from the brochure are not "the same": nothing is known of either.
    same = [r.label.lower() for r in rows if len(set(r.values)) == 1 and r.values[0] not in _UNKNOWN]
    names = join([f"the {q.title}" for q in quals])
    if differ and same:
        lead = req.t.render("compare", "differ_same", names=names, differ=join(differ), same=join(same))
    elif differ:
        lead = req.t.render("compare", "differ", names=names, differ=join(differ))
    else:
        lead = req.t.render("compare", "same", names=names, same=join(same))
    if req.frame.yes_no and re.search(r"\b(same|identical|equal)\b", req.text):  # "… exactly the same units?"
        lead = lead_with("No" if differ else "Yes", lead)
    return Reply(lead, columns=tuple(q.short_title for q in quals), rows=rows)


_UNKNOWN = frozenset(("not given in the brochure", "not stated"))


def _compare_units(req: Request, a: str, b: str) -> Reply:
    """Two units side by side: credits, GLH, supervised practice and where each is used."""
    k = req.knowledge

    def facts(ref: str) -> dict[str, str]:
        u = k.units[ref]
        practice = f"{hours_text(u.practice.hours)} hours of {u.practice.kind}" if u.practice else "none"
        return {
            "Title": u.title,
            "Credits": str(u.credits),
            "Guided learning hours": str(u.glh),
            "Supervised practice": practice,
            "Part of": join([q.title for q in k.qualifications_with(ref)]) or "none of these qualifications",
        }

    fa, fb = facts(a), facts(b)
    rows = tuple(Row(label, (fa[label], fb[label])) for label in fa)
    return Reply(req.t.render("compare", "answer", names=f"{a} and {b}"), columns=(a, b), rows=rows)
