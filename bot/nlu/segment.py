"""Find the questions in a message: two questions in one, or one buried in a pasted email.

Works on the raw text (line breaks still there), before it is cleaned and
capped, so a question at the end of a long forwarded thread is not cut off.
Quoted lines, mail headers, greetings and sign-offs are dropped; statements
that carry facts ("I've done 8577-304 and 8577-307") stay with the question
after them, since they are what the question is about.
"""

from __future__ import annotations

import re

#: Raw characters looked at when looking for questions (a long email thread, not a novel).
MAX_RAW = 6000
#: Questions answered from one message at most.
MAX_PARTS = 4

_HEADER = re.compile(
    r"^\s*(from|sent|to|cc|bcc|subject|date|re|fw|fwd)\s*:|^\s*on .{0,120} wrote:\s*$|"
    r"^\s*-{2,}\s*(original message|forwarded message)",
    re.I,
)
_SIGN_OFF = re.compile(
    r"^\s*(thanks|thank you|many thanks|cheers|regards|kind regards|best regards|best wishes|best|warm regards|"
    r"all the best|ta|thx|sent from my \w+.*|get outlook for \w+.*)\s*[,.!]*\s*$",
    re.I,
)
_GREETING = re.compile(
    r"^\s*(hi|hello|hey|hiya|dear|morning|good (morning|afternoon|evening))\b[^.?!]{0,40}[,!.:]?\s*$", re.I
)
_SENTENCE = re.compile(r"(?<=[?!])\s+|(?<=[.])\s+(?=[A-Z])|\s*\n+\s*")
_QUESTION_START = re.compile(
    r"^(what|what's|whats|which|who|whom|whose|how|where|when|why|is|are|does|do|did|can|could|will|would|should|"
    r"has|have|am|isn't|doesn't|don't|aren't|any idea|tell me|let me know|please confirm|confirm|i'd like to know|"
    r"i need to know|wondering|quick question)\b",
    re.I,
)
_ASKS = re.compile(
    r"\b(can you tell me|could you tell me|let me know|please confirm|can you confirm|could you confirm|"
    r"i'd like to know|i need to know|do you know|any idea|wondering (if|whether|what|how|which))\b",
    re.I,
)
_FACTS = re.compile(
    r"\d|\b(award|certificate|cert|mentoring|coaching|c&m|units?|credits?|glh|hours?|ilm|qualifications?|"
    r"course|done|did|completed?|passed|finished|group)\b",
    re.I,
)
#: "… and who do I contact?": a second question joined to the first by "and".
_JOINED = re.compile(
    r",?\s+and\s+(?:also\s+)?(?=(?:what|what's|which|who|how|where|when|is|are|does|can|could)\b)",
    re.I,
)
#: A later "question" this short is the same question's tail ("… on the Award? how many hours?").
MIN_PART_WORDS = 5


def is_question(sentence: str) -> bool:
    s = sentence.strip()
    return s.endswith("?") or bool(_QUESTION_START.match(s)) or bool(_ASKS.search(s))


def _content_lines(text: str) -> list[str]:
    """The lines a person wrote themselves: no quoted text, mail headers, greetings or sign-offs."""
    lines = text.splitlines()
    kept: list[str] = []
    for line in lines:
        if _SIGN_OFF.match(line) and kept:
            break  # the rest is a signature or the quoted thread
        if line.lstrip().startswith(">") or _HEADER.match(line) or _GREETING.match(line):
            continue
        if line.strip():
            kept.append(line.strip())
    if not kept:  # only quoted text: the question is in there
        kept = [ln.lstrip("> ").strip() for ln in lines if ln.strip().lstrip(">").strip()]
    return kept


def _split_joined(sentence: str) -> list[str]:
    pieces = [p.strip(" ,") for p in _JOINED.split(sentence) if p.strip(" ,")]
    if len(pieces) > 1 and all(len(p.split()) >= 3 for p in pieces):
        return pieces
    return [sentence]


def question_parts(text: str) -> list[str]:
    """The message as one or more self-contained questions, in order (at least one part, never empty)."""
    raw = text[:MAX_RAW]
    if "\n" not in raw and raw.count("?") < 2 and not _JOINED.search(raw):
        return [text]
    sentences = [s for line in _content_lines(raw) for s in _SENTENCE.split(line) if s.strip()]
    parts: list[str] = []
    context: list[str] = []
    for sentence in sentences:
        if is_question(sentence):
            for piece in _split_joined(sentence):
                if parts and not context and len(piece.split()) < MIN_PART_WORDS:
                    parts[-1] = f"{parts[-1]} {piece}"
                    continue
                parts.append(" ".join([*context, piece]))
                context = []
        elif _FACTS.search(sentence):
            context.append(sentence)
    if not parts:
        return [" ".join(context)] if context else [text]
    if context:  # facts after the last question still belong to it
        parts[-1] = " ".join([parts[-1], *context])
    return parts[:MAX_PARTS]
