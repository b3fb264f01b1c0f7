"""Unanswered questions grouped by similarity, so admins see what people ask that the bot can't answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.nlu.normalise import tokens

#: token_set_ratio at which two questions count as the same question asked differently.
SIMILAR = 70.0


@dataclass(frozen=True)
class Group:
    examples: tuple[str, ...]  # newest first
    count: int


def group(questions: Sequence[str], examples_per_group: int = 3) -> list[Group]:
    """Greedy clustering, newest first in, largest group first out."""
    clusters: list[tuple[str, list[str]]] = []
    for question in questions:
        key = " ".join(tokens(question))
        for head, members in clusters:
            if fuzz.token_set_ratio(key, head) >= SIMILAR:
                members.append(question)
                break
        else:
            clusters.append((key, [question]))
    ordered = sorted(clusters, key=lambda c: -len(c[1]))
    return [Group(tuple(dict.fromkeys(m))[:examples_per_group], len(m)) for _, m in ordered]
