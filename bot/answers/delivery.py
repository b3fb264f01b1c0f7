"""How a qualification is delivered: induction and tutorial support, from its programme."""

from __future__ import annotations

from bot.answers.about import unknown_fact
from bot.answers.request import Reply, Request, handles
from bot.knowledge.models import Qualification
from bot.rules.explain import hours_text
from bot.rules.requirements import MinHours


def first_programme(q: Qualification, kind: str) -> MinHours | None:
    return next((p for p in q.programme if p.hours_kind == kind), None)


def in_sentence(wording: str) -> str:
    """The brochure's wording ("At least two hours tutorial support") inside a sentence."""
    return wording[:1].lower() + wording[1:]


def _programme_reply(req: Request, intent: str, kind: str) -> Reply:
    """Induction and tutorial support: the programme requirement of that kind, in the brochure's words."""
    q = req.q
    assert q is not None
    node = first_programme(q, kind)
    if node is None:
        return unknown_fact(req)
    return Reply(
        req.t.render(
            intent,
            "answer",
            title=q.title,
            wording=in_sentence(node.description),
            hours=hours_text(node.hours),
            s="" if node.hours == 1 else "s",
        )
    )


@handles("induction", needs_qualification=True, per_qualification=True, attributes=("induction",))
def induction(req: Request) -> Reply:
    return _programme_reply(req, "induction", "induction")


@handles("tutorial_support", needs_qualification=True, per_qualification=True, attributes=("tutorial",))
def tutorial_support(req: Request) -> Reply:
    return _programme_reply(req, "tutorial_support", "tutorial")
