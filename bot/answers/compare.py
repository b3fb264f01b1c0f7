"""Two qualifications side by side."""

from __future__ import annotations

from bot.answers.about import glh_routes
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
    ("(practi[cs]e|supervis)", "Supervised practice"),
    ("(qualification number|number)", "Qualification number"),
)


@handles("compare", other_levels=True)
def compare(req: Request) -> Reply:
    k = req.knowledge
    if len(req.units) >= 2 and len(req.quals) < 2:
        return _compare_units(req, req.units[0], req.units[1])
    ids = list(req.quals[:2])
    if len(ids) < 2:
        others = [i for i in k.qualifications if i not in ids]
        if len(ids) == 1 and len(others) == 1:
            ids.append(others[0])
        else:
            return ask_qualification()
    a, b = (k.qualifications[i] for i in ids)

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
        }

    fa, fb = facts(a), facts(b)
    asked = [label for pattern, label in _COMPARE_TOPICS if req.has(pattern)]
    labels = [label for label in fa if label in asked] or list(fa)
    rows = "\n".join(req.t.render("compare", "row", label=label, va=fa[label], vb=fb[label]) for label in labels)
    return Reply(req.t.render("compare", "answer", a=a.title, b=b.title, rows="\n" + rows))


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
    rows = "\n".join(req.t.render("compare", "row", label=label, va=fa[label], vb=fb[label]) for label in fa)
    return Reply(req.t.render("compare", "answer", a=a, b=b, rows="\n" + rows))
