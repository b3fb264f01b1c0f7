"""Describe knowledge in sentences: unit labels, group listings, rules of combination."""

from __future__ import annotations

from bot.answers.answer import Structure, UnitItem, UnitList
from bot.knowledge.models import Knowledge, Qualification
from bot.rules.explain import hours_text, join
from bot.rules.requirements import AllOf, CreditsFromGroup, Group, MinHours, OneOf, Requirement, SpecificUnits


def unit_line(ref: str, knowledge: Knowledge) -> str:
    u = knowledge.units[ref]
    return f"{u.ref} {u.title} ({u.credits} credits, {u.glh} GLH)"


def units_list(refs: list[str] | tuple[str, ...], knowledge: Knowledge) -> str:
    return join([unit_line(r, knowledge) for r in refs])


def group_of(q: Qualification, group_id: str) -> Group | None:
    return next((g for g in q.groups if g.id == group_id), None)


def describe_rule(node: Requirement, q: Qualification, knowledge: Knowledge) -> str:
    """One qualification's rules of combination in plain English, from the tree itself."""
    if isinstance(node, SpecificUnits):
        credits = sum(knowledge.units[r].credits for r in node.units)
        head = node.description or f"{len(node.units)} units ({credits} credits)"
        return f"{head}: {units_list(node.units, knowledge)}"
    if isinstance(node, CreditsFromGroup):
        group = group_of(q, node.group)
        name = group.name if group else node.group
        units = units_list(group.units, knowledge) if group else ""
        return f"{node.credits} credits from {name} ({units})"
    if isinstance(node, MinHours):
        return node.description or f"at least {hours_text(node.hours)} hours of {node.hours_kind}"
    if isinstance(node, OneOf):
        parts = [describe_rule(o, q, knowledge) for o in node.options]
        return "either " + " or ".join(parts) + ". The options can't be mixed: all the credits must come from one"
    assert isinstance(node, AllOf)
    return "; then ".join(describe_rule(c, q, knowledge) for c in node.children)


def unit_items(refs: tuple[str, ...] | list[str], knowledge: Knowledge) -> tuple[UnitItem, ...]:
    return tuple(
        UnitItem(r, knowledge.units[r].title, knowledge.units[r].credits, knowledge.units[r].glh) for r in refs
    )


def structure_of(q: Qualification, knowledge: Knowledge) -> Structure:
    """The qualification's units, grouped as its rules of combination group them."""
    lists: list[UnitList] = []
    note = ""

    def visit(node: Requirement, prefix: str = "") -> None:
        nonlocal note
        if isinstance(node, SpecificUnits):
            credits = sum(knowledge.units[r].credits for r in node.units)
            heading = node.description or f"{len(node.units)} units ({credits} credits)"
            lists.append(UnitList(prefix + heading, unit_items(node.units, knowledge)))
        elif isinstance(node, CreditsFromGroup):
            group = group_of(q, node.group)
            name = group.name if group else node.group
            lists.append(
                UnitList(
                    f"{prefix}{node.credits} credits from {name}", unit_items(group.units, knowledge) if group else ()
                )
            )
        elif isinstance(node, OneOf):
            note = "The options can't be mixed: all the credits must come from one."
            for i, option in enumerate(node.options):
                visit(option, "either " if i == 0 else "or ")
        elif isinstance(node, AllOf):
            for child in node.children:
                visit(child, prefix)

    visit(q.rules)
    return Structure(f"The {q.title}: {q.credits} credits in total", tuple(lists), note)


def describe_structure(q: Qualification, knowledge: Knowledge) -> str:
    """'16 credits in total: two mandatory units …; then 10 credits from Group 1 or …'."""
    return f"{q.credits} credits in total: " + describe_rule(q.rules, q, knowledge) + "."


def unit_roles(ref: str, q: Qualification) -> list[str]:
    """How a unit figures in a qualification, read from its rules tree: 'mandatory', 'optional (Group 1)'."""
    roles: list[str] = []

    def visit(node: Requirement, optional: bool) -> None:
        if isinstance(node, SpecificUnits) and ref in node.units:
            roles.append("an optional unit" if optional else "mandatory")
        elif isinstance(node, CreditsFromGroup):
            group = group_of(q, node.group)
            if group and ref in group.units:
                roles.append(f"an optional unit in {group.name}")
        elif isinstance(node, AllOf):
            for child in node.children:
                visit(child, optional)
        elif isinstance(node, OneOf):
            for option in node.options:
                visit(option, True)

    visit(q.rules, False)
    return roles
