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
#: A later question this short, with no figure in it, is the tail of the one before.
MIN_PART_WORDS = 4
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
    r"\d|\b(award|certificate|cert|mentoring|coaching|c&m|units?|credits?|glh|hours?|qualifications?|"
    r"course|done|did|completed?|passed|finished|group|walled garden|induction|tutorial)\b",
    re.I,
)
#: "… and who do I contact?": a second question joined to the first by "and".
_JOINED = re.compile(
    r",?\s+and\s+(?:also\s+)?(?=(?:what|what's|which|who|how|where|when|is|are|does|can|could)\b)",
    re.I,
)


def is_question(sentence: str) -> bool:
    s = sentence.strip()
    return s.endswith("?") or bool(_QUESTION_START.match(s)) or bool(_ASKS.search(s))


def _lines(text: str) -> tuple[list[str], list[str]]:
    """(what the person wrote, what they quoted): no mail headers, greetings or sign-offs in either.

    The person's own text stops at their sign-off (a signature or the old thread follows)."""
    own: list[str] = []
    quoted: list[str] = []
    signed = False
    for line in text.splitlines():
        stripped = line.strip()
        is_quote = stripped.startswith(">")
        body = stripped.lstrip("> ").strip()
        if not body or _HEADER.match(body) or _GREETING.match(body):
            continue
        if _SIGN_OFF.match(body):
            signed = signed or not is_quote
            continue
        if is_quote:
            quoted.append(body)
        elif not signed:
            own.append(body)
    return own, quoted


def _split_joined(sentence: str) -> list[str]:
    pieces = [p.strip(" ,") for p in _JOINED.split(sentence) if p.strip(" ,")]
    if len(pieces) > 1 and all(len(p.split()) >= 3 for p in pieces):
        return pieces
    return [sentence]


def _sentences(lines: list[str]) -> list[str]:
    return [s for line in lines for s in _SENTENCE.split(line) if s.strip()]


def question_parts(text: str) -> list[str]:
    """The message as one or more self-contained questions, in order (at least one part, never empty).

    Questions that name something of this domain come first, whether the person wrote them or
    quoted them ("> which units make up the Award?" / "can the bot answer Tom's question?"). When
    only a question without such words is there ("who's right??"), the quoted facts it is about
    go with it."""
    raw = text[:MAX_RAW]
    if "\n" not in raw and raw.count("?") < 2 and not _JOINED.search(raw):
        return [text]
    own, quoted = (_sentences(lines) for lines in _lines(raw))
    asked = [s for s in own + quoted if is_question(s) and _FACTS.search(s)]
    context = [s for s in own if not is_question(s) and _FACTS.search(s)]
    if not asked:
        asked = [s for s in own if is_question(s)] or [s for s in quoted if is_question(s)]
        context += [s for s in quoted if not is_question(s) and _FACTS.search(s)]
    if not asked:
        return [" ".join(context)] if context else [text]
    parts: list[str] = []
    for sentence in asked:
        short = len(sentence.split()) < MIN_PART_WORDS and not any(ch.isdigit() for ch in sentence)
        if parts and short:
            parts[-1] = f"{parts[-1]} {sentence}"  # "… on the Award? how many hours?": the same question's tail
        else:
            parts += _split_joined(sentence)  # "… and how many credits?" is a question of its own
    if context:  # what they say they have done, or the claims they quote: the first question is about it
        parts[0] = " ".join([*context, parts[0]])
    return parts[:MAX_PARTS]
