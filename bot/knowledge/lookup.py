"""Find qualifications and units from what people type.

Used by the command line (``check``, ``learner``) and by the conversation
engine, so "award in mentoring", "C&M" and "8577 304" mean the same
everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.errors import InputError
from bot.knowledge.models import Knowledge, Qualification

UNIT_CODE = re.compile(r"(?<!\d)(\d{4})\s*[-/\s.]?\s*(\d{3})(?!\d)")
_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w&/ ]+")

#: Fuzzy score (0-100) a qualification name must reach to count as a match.
QUALIFICATION_CUTOFF = 80.0


def normalise_name(text: str) -> str:
    """Lower-case, drop punctuation but '&' and '/', fold spaces and leading 'the'/'ilm'."""
    text = _PUNCT.sub(" ", text.lower())
    text = _SPACES.sub(" ", text).strip()
    for prefix in ("the ", "ilm "):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return text


def parse_unit_ref(text: str) -> str | None:
    """'8577 304', '8577/304', '8577-304' → '8577-304'; None if it is not a unit code."""
    m = UNIT_CODE.fullmatch(text.strip())
    return f"{m.group(1)}-{m.group(2)}" if m else None


def nearest_units(ref: str, knowledge: Knowledge, limit: int = 3) -> list[str]:
    """The real unit codes closest to ``ref``: fewest edits, then numerically nearest."""

    def key(real: str) -> tuple[float, int]:
        distance = 100 - fuzz.ratio(ref, real)
        try:
            gap = abs(int(ref.replace("-", "")) - int(real.replace("-", "")))
        except ValueError:
            gap = 10**9
        return distance, gap

    return sorted(knowledge.units, key=key)[:limit]


@dataclass(frozen=True)
class QualificationMatch:
    """The qualifications a name could mean. More than one means: ask which."""

    ids: tuple[str, ...]
    score: float

    @property
    def unique(self) -> str | None:
        return self.ids[0] if len(self.ids) == 1 else None


def name_index(knowledge: Knowledge) -> dict[str, set[str]]:
    """Every normalised id, title, short title and alias → the qualification ids it names."""
    index: dict[str, set[str]] = {}
    for q in knowledge.qualifications.values():
        names = [q.id, q.title, q.short_title, *q.aliases]
        if q.qualification_number:
            names.append(q.qualification_number)
        for name in names:
            index.setdefault(normalise_name(name), set()).add(q.id)
    return index


def resolve_qualification(text: str, knowledge: Knowledge) -> QualificationMatch | None:
    """Match a whole string to a qualification: exactly, else fuzzily above the cut-off."""
    index = name_index(knowledge)
    key = normalise_name(text)
    if not key:
        return None
    if key in index:
        return QualificationMatch(tuple(sorted(index[key])), 100.0)
    best = process.extractOne(key, list(index), scorer=fuzz.token_sort_ratio, score_cutoff=QUALIFICATION_CUTOFF)
    if best is None:
        return None
    name, score, _ = best
    return QualificationMatch(tuple(sorted(index[name])), float(score))


def describe_choices(ids: tuple[str, ...] | list[str], knowledge: Knowledge) -> str:
    quals: list[Qualification] = [knowledge.qualifications[i] for i in ids]
    return ", ".join(f"{q.id} ({q.title})" for q in quals)


def qualification_id(text: str, knowledge: Knowledge) -> str:
    """An id, name or alias (typos allowed) to one qualification id; ``ValueError`` saying what is valid."""
    match = resolve_qualification(text, knowledge)
    if match is None:
        valid = describe_choices(sorted(knowledge.qualifications), knowledge)
        raise InputError(f"unknown qualification {text!r}. Valid qualifications: {valid}")
    if match.unique is None:
        raise InputError(f"{text!r} could mean {describe_choices(match.ids, knowledge)}; please say which")
    return match.unique


def unit_refs(items: Sequence[str], knowledge: Knowledge) -> list[str]:
    """Unit references in any written form; ``ValueError`` naming the nearest real codes for unknown ones."""
    refs: list[str] = []
    problems: list[str] = []
    for item in items:
        ref = parse_unit_ref(item)
        if ref is None:
            problems.append(f"{item!r} is not a unit reference (expected e.g. 8577-304, 8577 304 or 8577/304)")
        elif ref not in knowledge.units:
            problems.append(f"unknown unit {ref}; nearest real units: {', '.join(nearest_units(ref, knowledge))}")
        else:
            refs.append(ref)
    if problems:
        raise InputError("; ".join(problems))
    return list(dict.fromkeys(refs))


#: Words too common in the brochures' prose to point at one qualification.
_COMMON = frozenset(
    {
        "about",
        "after",
        "also",
        "and",
        "any",
        "are",
        "can",
        "coach",
        "coaching",
        "could",
        "does",
        "for",
        "from",
        "have",
        "how",
        "ilm",
        "into",
        "its",
        "learning",
        "level",
        "management",
        "manager",
        "managers",
        "mentor",
        "mentoring",
        "more",
        "one",
        "people",
        "qualification",
        "qualifications",
        "range",
        "support",
        "that",
        "the",
        "their",
        "them",
        "there",
        "they",
        "this",
        "what",
        "when",
        "where",
        "which",
        "who",
        "will",
        "with",
        "work",
        "workplace",
        "your",
        "skills",
        "development",
        "organisation",
    }
)
_TEXT_WORD = re.compile(r"[a-z]{5,}")
#: Words of asking, not of the subject ("could you explain …").
_ASKING = frozenset({"about", "could", "would", "should", "explain", "please", "anyone", "know", "meaning", "means"})


def text_fields(q: Qualification) -> dict[str, str]:
    """A qualification's prose, by field: what a question's rarer words can be looked up in."""
    fields = {
        "audience": q.audience,
        "overview": q.overview or "",
        "benefits_individuals": " ".join(q.benefits.individuals),
        "benefits_employers": " ".join(q.benefits.employers),
        "progression": " ".join(p.external or "" for p in q.progression),
    }
    if q.learning_resources is not None:
        fields["learning_resources"] = q.learning_resources.text
    return {name: text.lower() for name, text in fields.items()}


class TextIndex:
    """The qualifications' prose, read once per knowledge version (the look-up runs per question)."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.fields = {q.id: text_fields(q) for q in knowledge.qualifications.values()}
        self.vocabulary = frozenset(
            w for texts in self.fields.values() for text in texts.values() for w in _TEXT_WORD.findall(text)
        )
        self.names = frozenset(
            w for q in knowledge.qualifications.values() for w in _TEXT_WORD.findall(q.title.lower())
        )

    def speaks_of(self, question: str) -> bool:
        """Every longer word of the question is the brochures' own ("what's Walled Garden"): the question is
        about them even though it names no qualification or unit ("what's the weather" is not)."""
        asked = [w for w in _TEXT_WORD.findall(question.lower()) if w not in _COMMON and w not in _ASKING]
        return bool(asked) and all(w in self.vocabulary or w in self.names for w in asked)

    def find(self, question: str) -> tuple[str, str] | None:
        """(qualification id, field) whose prose alone holds the question's rarer words ("what's Walled Garden?").

        The question's words of five letters or more that the brochures use, less the common ones and
        those of the qualifications' names, must all be in one field of exactly one qualification;
        otherwise None (the bot asks or answers for all instead)."""
        asked = _TEXT_WORD.findall(question.lower())
        words = [w for w in asked if w in self.vocabulary and w not in _COMMON and w not in self.names]
        if not words:
            return None
        hits = [
            (qid, field)
            for qid, texts in self.fields.items()
            for field, text in texts.items()
            if all(re.search(rf"\b{w}\b", text) for w in words)
        ]
        owners = {qid for qid, _ in hits}
        return hits[0] if len(owners) == 1 else None
