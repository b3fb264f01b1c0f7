"""Render a rules-engine evaluation as a readable plain-text report.

Shared by `ilm-bot check`, the chat's personal answers and learner progress,
so a verdict reads the same wherever it is shown.
"""

from __future__ import annotations

from bot.knowledge.models import Knowledge
from bot.rules.explain import hours_text, join
from bot.rules.result import Evaluation, Status

_MARK = {Status.MET: "✓", Status.UNMET: "✗", Status.UNKNOWN: "?"}


def unit_label(ref: str, knowledge: Knowledge) -> str:
    unit = knowledge.units.get(ref)
    return f"{ref} {unit.title}" if unit else ref


def options_text(ev: Evaluation, knowledge: Knowledge) -> str:
    """'8578-303 Reflecting on…' or 'either A or B' — every shortest way to finish."""
    ways = [join([unit_label(r, knowledge) for r in option]) for option in ev.completion_options]
    if not ways:
        return ""
    if len(ways) == 1:
        return ways[0]
    return "either " + " or ".join(ways)


def verdict_line(ev: Evaluation, knowledge: Knowledge) -> str:
    q = knowledge.qualifications[ev.qualification]
    if ev.achieved:
        credits = f"{ev.credits_achieved} of {ev.credits_required} credits"
        return f"Yes: the rules of combination for the {q.title} are met ({credits})."
    line = f"Not yet: {ev.credits_achieved} of {ev.credits_required} credits toward the {q.title}."
    finish = options_text(ev, knowledge)
    if finish:
        line += f" To finish you need {finish}."
    return line


def render_report(ev: Evaluation, knowledge: Knowledge) -> str:
    lines = [verdict_line(ev, knowledge), "", "Rules of combination:"]
    depth = {ev.tree.id: 0}
    for node in ev.tree.walk():
        for child in node.children:
            depth[child.id] = depth[node.id] + 1
        indent = "  " * (depth[node.id] + 1)
        lines.append(f"{indent}{_MARK[node.status]} {node.description or node.id}: {node.explanation}")
    if ev.transfers:
        lines.append("")
        lines.append("Credit transfer: " + join([f"{c.achieved} counted as {c.required}" for c in ev.transfers]) + ".")
    if ev.not_counted:
        lines.append(f"Not counted toward this qualification: {join(list(ev.not_counted))}.")
    if ev.programme or ev.practice:
        lines.append("")
        lines.append("Beside the verdict (tracked, not part of the rules of combination):")
        for node in ev.programme:
            lines.append(f"  {_MARK[node.status]} {node.description}: {node.explanation}")
        for p in ev.practice:
            unit = knowledge.units[p.unit]
            wording = unit.practice.wording if unit.practice else f"{p.kind} practice"
            if p.status is Status.UNKNOWN:
                state = f"{hours_text(p.hours_need)} hours needed; none stated"
            else:
                have, need, left = (hours_text(h) for h in (p.hours_have, p.hours_need, p.hours_remaining))
                state = f"{have} of {need} hours, {left} to go"
            lines.append(f"  {_MARK[p.status]} {p.unit} practice ({wording}): {state}")
    return "\n".join(lines)
