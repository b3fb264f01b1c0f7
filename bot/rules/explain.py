"""Plain-English explanations of rule results, one sentence or two per node.

Kept apart from the evaluation so the wording can change without touching
the logic, and so every surface explains a verdict the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.rules.result import Counted, NodeResult, Status


def join(items: Sequence[str], word: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def counted(n: int, one: str, many: str | None = None) -> str:
    """'1 unit', '2 units', '3 hours entries' (``many`` when the plural isn't ``one`` + s)."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def hours_text(value: float) -> str:
    """1.0 -> '1', 1.5 -> '1.5'."""
    return f"{value:g}"


def counted_text(counted: Sequence[Counted]) -> str:
    parts = [f"{c.required} (through {c.achieved}, credit transfer)" if c.transfer else c.required for c in counted]
    return join(parts)


def explain(node: NodeResult, group_names: Mapping[str, str]) -> str:
    label = node.description or node.id
    if node.kind == "units":
        if node.status is Status.MET:
            return f"Met: {counted_text(node.counted)} achieved."
        done = f" Done: {counted_text(node.counted)}." if node.counted else ""
        return f"Not met: still needs {join(node.missing)}.{done}"
    if node.kind == "credits_from_group":
        have, need = node.credits_achieved, node.credits_required
        from_units = f" ({counted_text(node.counted)})" if node.counted else ""
        if node.status is Status.MET:
            return f"Met: {have} of {need} credits{from_units}."
        return f"Not met: {have} of {need} credits{from_units}; {need - have} more needed."
    if node.kind == "min_hours":
        have, need = node.hours_have or 0.0, node.hours_need or 0.0
        if node.status is Status.MET:
            return f"Met: {hours_text(have)} of {hours_text(need)} hours."
        if node.status is Status.UNKNOWN:
            return f"Unknown: no hours stated; {hours_text(need)} needed."
        return f"Not met: {hours_text(have)} of {hours_text(need)} hours; {hours_text(need - have)} more needed."
    if node.kind == "one_of":
        chosen = next((c for c in node.children if c.id == node.chosen), None)
        chosen_name = group_names.get(chosen.id, chosen.id) if chosen else ""
        if node.status is Status.MET:
            return f"Met through {chosen_name}; the options are never mixed."
        if chosen and chosen.credits_achieved:
            return (
                f"Not met: one option must be completed on its own, never mixed; "
                f"closest is {chosen_name} ({chosen.credits_achieved} of {chosen.credits_required} credits)."
            )
        return "Not met: one option must be completed on its own, never mixed."
    # all_of
    unmet = [c.description or c.id for c in node.children if c.status is not Status.MET]
    if node.status is Status.MET:
        return f"Met: {label}."
    return f"Not met: {node.credits_achieved} of {node.credits_required} credits; still open: {join(unmet, 'and')}."
