"""Small talk: greetings, thanks, goodbye, and what the bot can do."""

from __future__ import annotations

from bot.answers.request import Reply, Request, handles
from bot.rules.explain import join


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
