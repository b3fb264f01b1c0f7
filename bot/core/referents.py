"""What a follow-up points back to, spelled out from the dialogue state.

People lean on the previous answer: "which of *those* has the most GLH?",
"and *the other mandatory one*?", "is *that* more than the C&M one?",
"sorry, I meant the cert in mentoring". Each reference is resolved against
what the last turn was about (``DialogueContext``: the units its answer
listed, its attribute, its subject, the question itself) and written out, so
the rest of the pipeline answers an ordinary, fully named question. One rule
per kind of reference; none applies when the message names what it means.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.answers.attributes import ATTRIBUTE_NOUNS
from bot.knowledge.models import Knowledge
from bot.nlu.context import DialogueContext
from bot.nlu.entities import Entities
from bot.rules.explain import join

#: Reads entities from a text (the brain's extractor).
Extract = Callable[[str], Entities]
#: "those", "them", "these", "they", "the ones": the units the previous answer listed.
_THOSE = re.compile(r"\b(those|these|them|they|the ones)\b")
#: "the other mandatory one", "the other unit": the remaining unit of the same role or group.
_OTHER_UNIT = re.compile(r"\bthe other (?:(mandatory|compulsory|core|optional) )?(?:one|unit)\b")
#: "is that more or less than …", "is it bigger than …": the figure just given, compared.
_THAT_COMPARED = re.compile(
    r"\b(?:is|was|are|'s) (that|it|this)\b(?=.*\b(more|less|fewer|bigger|smaller|higher|lower|"
    r"longer|shorter|same|than)\b)"
)
#: "sorry, I meant …", "no, the …": a message that opens by taking the previous question back.
_MARKER = re.compile(r"^(sorry|soz|oops|no|nope|my bad|apologies|correction|i mean|meant|i meant)\b")
#: Besides its subject, a correction holds nothing but these: any other word makes it a new question.
_CORRECTION_WORDS = frozenset(
    [
        "sorry",
        "soz",
        "oops",
        "oh",
        "ah",
        "no",
        "nope",
        "hmm",
        "wait",
        "my",
        "bad",
        "apologies",
        "correction",
        "i",
        "mean",
        "meant",
        "the",
        "one",
        "a",
        "an",
        "actually",
        "please",
        "instead",
        "not",
        "that",
        "it",
        "was",
        "asking",
        "for",
        "about",
        "cert",
        "certificate",
        "award",
        "qualification",
        "qual",
        "unit",
        "course",
    ]
)
#: A correction is short: besides its subject, a word or two of apology.
MAX_CORRECTION_WORDS = 8
#: A subject as written in a question: a unit code or bare number, or a group.
_UNIT_WORDS = re.compile(r"(?<![\d.£$])\b(?:\d{4}\s?[-/\s.]?\s?)?\d{3}\b(?!\d)")
_GROUP_WORDS = re.compile(r"\bgroup\s*\d\b")


def spell_out(k: Knowledge, ctx: DialogueContext, text: str, entities: Entities, extract: Extract) -> str | None:
    """The message with its references to the previous turn written out, or None when it has none.

    ``extract`` reads entities from text (the brain's extractor): a correction needs the previous
    question's mentions to know which one it replaces."""
    return (
        corrected(k, ctx, text, entities, extract)
        or listed_named(ctx, text, entities)
        or other_named(k, ctx, text, entities)
        or figure_named(k, ctx, text, entities)
    )


def corrected(k: Knowledge, ctx: DialogueContext, text: str, entities: Entities, extract: Extract) -> str | None:
    """'Sorry, I meant the Certificate in Mentoring': the previous question, of the subject now named."""
    if not ctx.text or not _MARKER.search(text.strip()):
        return None
    words = [w for w in re.findall(r"[a-z&'\d]+|\{\w+\}", entities.template) if not w.startswith("{")]
    if len(words) > MAX_CORRECTION_WORDS or any(w not in _CORRECTION_WORDS for w in words):
        return None
    new = _subject_words(k, entities)
    if new is None:
        return None
    before = ctx.text
    spots = _subject_spots(before, extract(before))
    if not spots:
        return f"{before.rstrip(' ?.!')} for {new.lower()}?"
    start, end = spots[0]
    return f"{before[:start]}{new.lower()}{before[end:]}"


def _subject_words(k: Knowledge, entities: Entities) -> str | None:
    """How to name the one subject a correction gives: a qualification's title, a unit code, a group."""
    named = [m for m in entities.qualifications]
    count = len(named) + len(entities.units) + len(entities.groups)
    if count != 1:
        return None
    if named:
        m = named[0]
        return m.text if m.ambiguous else f"the {k.qualifications[m.ids[0]].title}"
    if entities.units:
        return entities.units[0]
    return entities.groups[0].replace("-", " ")


def _subject_spots(text: str, entities: Entities) -> list[tuple[int, int]]:
    """Where the question names its subjects (qualifications, units, groups), in order."""
    spots = []
    for m in entities.qualifications:
        at = text.find(m.text)
        if at >= 0:
            spots.append((at, at + len(m.text)))
    if entities.units or entities.ambiguous_units:
        spots += [(m.start(), m.end()) for m in _UNIT_WORDS.finditer(text)]
    spots += [(m.start(), m.end()) for m in _GROUP_WORDS.finditer(text)]
    return sorted(spots)


def listed_named(ctx: DialogueContext, text: str, entities: Entities) -> str | None:
    """'Which of those has the most GLH?' after a list of units: those units, by code."""
    if len(ctx.listed) < 2 or entities.units or entities.ambiguous_units or entities.groups:
        return None
    m = _THOSE.search(text)
    if m is None:
        return None
    return f"{text[: m.start()]}{join(list(ctx.listed))}{text[m.end() :]}"


def other_named(k: Knowledge, ctx: DialogueContext, text: str, entities: Entities) -> str | None:
    """'And the other mandatory one?' after a unit: the one other unit with that role (or in that group)
    in the same qualification."""
    m = _OTHER_UNIT.search(text)
    if m is None or len(ctx.units) != 1 or entities.units or not ctx.qualification:
        return None
    q = k.qualifications.get(ctx.qualification)
    if q is None:
        return None
    ref, role = ctx.units[0], m.group(1)
    if role in ("mandatory", "compulsory", "core"):
        pool = [r for g in q.groups if g.id == "mandatory" for r in g.units]
    elif role == "optional":
        pool = [r for g in q.groups if g.id != "mandatory" for r in g.units]
    else:
        pool = [r for g in q.groups if ref in g.units for r in g.units]
    others = [r for r in pool if r != ref and r not in k.equivalents(ref)]
    if len(others) != 1:
        return None
    return f"{text[: m.start()]}{others[0]}{text[m.end() :]}"


def figure_named(k: Knowledge, ctx: DialogueContext, text: str, entities: Entities) -> str | None:
    """'Is that more or less than the C&M one?' after a figure: that attribute of the previous subject."""
    m = _THAT_COMPARED.search(text)
    noun = ATTRIBUTE_NOUNS.get(ctx.attribute or "")
    if m is None or noun is None or not (entities.qualifications or entities.units):
        return None
    if ctx.units and len(ctx.units) == 1 and not entities.qualifications:
        subject = ctx.units[0]
    elif ctx.qualification in k.qualifications:
        subject = f"the {k.qualifications[ctx.qualification].title}"
    else:
        return None
    start, end = m.span(1)
    return f"{text[:start]}the {noun} of {subject}{text[end:]}"
