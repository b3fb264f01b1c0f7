"""'Why 10?' after a figure: the parts the figure is made of, taken from the knowledge.

A qualification's credits (or GLH) are those of the units of each way to achieve it,
as the rules engine lists them; the sum is shown only when it is the figure itself.
"""

from __future__ import annotations

from bot.answers.request import Reply, Request
from bot.rules import Record
from bot.rules.explain import join

#: Attributes whose figure is the sum of the units' own, and how each reads.
SUMMED = {"credits": "credits", "glh": "GLH"}


def _value(req: Request, ref: str, attribute: str) -> int:
    unit = req.knowledge.units[ref]
    return int(unit.credits if attribute == "credits" else unit.glh)


def why_figure(req: Request, attribute: str) -> Reply | None:
    """The units of each way to achieve the qualification, and their figures added up."""
    q = req.q
    if q is None or attribute not in SUMMED:
        return None
    ways = req.engine.completion_options(q, Record())
    if not ways:
        return None
    sums = []
    for way in ways:
        values = [_value(req, ref, attribute) for ref in way]
        parts = ", ".join(f"{ref}: {value}" for ref, value in zip(way, values, strict=True))
        sums.append((sum(values), f"{' + '.join(map(str, values))} = {sum(values)} ({parts})"))
    if attribute == "credits" and any(total != q.credits for total, _ in sums):
        return None  # the figure isn't simply the units' sum: say nothing rather than something wrong
    key = "one_way" if len(sums) == 1 else "each_way"
    totals = sorted({total for total, _ in sums})
    text = req.t.render(
        "why_figure",
        key,
        title=q.title,
        what=SUMMED[attribute],
        total=join([str(t) for t in totals], "or"),
        sums=join([s for _, s in sums], "or"),
    )
    return Reply(text)
