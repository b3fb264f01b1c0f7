"""Which of several units are (or aren't) in a qualification: a set operation over the units named.

"Which of those aren't in the cert?" after the Award's units is answered from
the knowledge by membership, one line per qualification in play, the answer first.
"""

from __future__ import annotations

import re

from bot.answers.request import Reply, Request
from bot.nlu.entities import Entities
from bot.rules.explain import join

_WHICH = re.compile(r"\bwhich\b")
_NOT = re.compile(r"\b(aren'?t|arent|are not|isn'?t|isnt|is not|not|don'?t|dont|do not|doesn'?t|never)\b")


#: "which of {unit}, {unit} and {unit} aren't in the {qualification}": which units range over a membership.
_WHICH_OF = re.compile(
    r"\bwhich (?:ones? )?of (?:the )?\{unit\}(?:\W+(?:and |or )?\{unit\})+\W+"
    r"(?:are|is|aren'?t|arent|isn'?t|isnt|do|does|don'?t|dont|doesn'?t|also|still|not|\s)*"
    r"\b(?:in|on|part of|belongs?|counts?|count towards?|included in)\b[^{]*\{qualification\}"
)


def asks_which_of(text: str, entities: Entities) -> bool:
    """'Which of 8577-304, 8577-305 and 8577-307 aren't in the cert?': several units, one qualification."""
    return len(entities.qualifications) == 1 and bool(_WHICH_OF.search(entities.template))


def which_of(req: Request) -> Reply | None:
    """The units named that are in (or, asked with "not", outside) each qualification in play."""
    if len(req.units) < 2 or not req.quals or not _WHICH.search(req.text):
        return None
    k = req.knowledge
    negated = bool(_NOT.search(req.text))
    lines = []
    for qid in req.quals:
        q = k.qualifications[qid]
        members = k.units_of_ids(qid)
        inside = [r for r in req.units if r in members]
        outside = [r for r in req.units if r not in members]
        picked, rest = (outside, inside) if negated else (inside, outside)
        where = "not in" if negated else "in"
        if not picked:
            lines.append(
                f"None of {join(list(req.units))} {'is' if len(req.units) == 1 else 'are'} {where} the {q.title}."
            )
            continue
        named = join([f"{r} {k.units[r].title}" for r in picked])
        line = f"{named} {'is' if len(picked) == 1 else 'are'} {where} the {q.title}"
        if rest:
            line += f"; {join(rest)} {'is' if len(rest) == 1 else 'are'} {'in it' if negated else 'not'}"
        twins = [f"{t} is its equivalent of {r}" for r in outside for t in k.equivalents(r) if t != r and t in members]
        lines.append(line + (f" ({join(twins)})" if twins else "") + ".")
    return Reply("\n".join(lines))
