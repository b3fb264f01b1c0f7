"""The facts about units the engine needs: credits, practice and equivalences."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class PracticeNeed:
    """Supervised practice a unit requires (e.g. 36 hours of mentoring)."""

    kind: str
    hours: float


@dataclass(frozen=True)
class Catalogue:
    """Unit credits, practice needs and equivalence classes, by reference.

    Built once from the validated knowledge; the engine never reads files.
    """

    credits: Mapping[str, int]
    practice: Mapping[str, PracticeNeed]
    equivalent: Mapping[str, frozenset[str]]

    @classmethod
    def build(
        cls,
        credits: Mapping[str, int],
        practice: Mapping[str, PracticeNeed],
        equivalences: Iterable[Iterable[str]],
    ) -> Catalogue:
        eq: dict[str, set[str]] = {ref: {ref} for ref in credits}
        for klass in equivalences:
            members = set(klass)
            merged = set().union(*(eq.get(m, {m}) for m in members))
            for ref in merged:
                eq[ref] = merged
        return cls(dict(credits), dict(practice), {k: frozenset(v) for k, v in eq.items()})

    def equivalents(self, ref: str) -> frozenset[str]:
        """The refs that satisfy a requirement for ``ref``, itself first in meaning."""
        return self.equivalent.get(ref, frozenset({ref}))
