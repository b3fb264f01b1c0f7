"""Turn raw user text into something safe and regular to match on.

Slack markup is removed first, so a question wrapped in ``<!channel>`` or
``<@U123>`` is understood on its words alone and the markup can never be
echoed back. Input is capped: nobody's real question is 100 kB long, and
matching cost must stay bounded whatever arrives.
"""

from __future__ import annotations

import re
import unicodedata

#: Characters of user text considered at all; the rest is ignored.
MAX_CHARS = 500

_SLACK_SPECIAL = re.compile(r"<!(?:[^>|]*)(?:\|[^>]*)?>")  # <!channel>, <!here>, <!subteam^S1|@team>, <!date…>
_SLACK_USER = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
_SLACK_CHANNEL = re.compile(r"<#[A-Z0-9]+(?:\|([^>]*))?>")
_SLACK_LINK = re.compile(r"<((?:https?|mailto):[^>|]*)(?:\|([^>]*))?>")
_BARE_MARKUP = re.compile(r"[<>]")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "＆": "&"})
_SPACES = re.compile(r"\s+")
_BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.I)


def strip_markup(text: str) -> str:
    """Remove Slack mentions and broadcasts; keep a channel's or link's visible label."""
    text = _SLACK_SPECIAL.sub(" ", text)
    text = _SLACK_USER.sub(" ", text)
    text = _SLACK_CHANNEL.sub(lambda m: f" {m.group(1) or ''} ", text)
    text = _SLACK_LINK.sub(lambda m: f" {m.group(2) or m.group(1)} ", text)
    text = _BROADCAST.sub(r"\1", text)
    return _BARE_MARKUP.sub(" ", text)


#: Slack escapes these three in message text; "C&amp;M" typed anywhere is still "C&M".
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}
_ENTITY = re.compile("|".join(_ENTITIES))


def decode_entities(text: str) -> str:
    """Undo Slack's escaping of ``&``, ``<`` and ``>`` (only those: the rest of the text is the user's)."""
    return _ENTITY.sub(lambda m: _ENTITIES[m.group()], text)


def clean(text: str) -> str:
    """Printable, markup-free, single-spaced text, at most ``MAX_CHARS`` long. Case is kept."""
    text = decode_entities(text[: MAX_CHARS * 4])
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    text = strip_markup(text.translate(_QUOTES))
    return _SPACES.sub(" ", text).strip()[:MAX_CHARS]


_TOKEN = re.compile(r"[a-z0-9]+(?:[&'][a-z0-9]+)*|&|\{[a-z]+\}")


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; keeps 'c&m', "i've" and placeholders like '{unit}' whole."""
    return _TOKEN.findall(text.lower())


#: Chat shorthand spelled out, so "hrs" and "quals" match examples written in full.
SHORTHAND: dict[str, str] = {
    "hrs": "hours",
    "hr": "hour",
    "qual": "qualification",
    "quals": "qualifications",
    "thx": "thanks",
    "thanx": "thanks",
    "ty": "thank you",
    "tnx": "thanks",
    "pls": "please",
    "plz": "please",
    "u": "you",
    "ur": "your",
    "r": "are",
    "wat": "what",
    "hw": "how",
    "n": "and",
    "wot": "what",
    "whats": "what is",
    "info": "information",
    "cv": "credit value",
    "reqs": "requirements",
    "max": "maximum",
    "approx": "approximately",
    # Other words people use for the brochures' terms.
    "modules": "units",
    "module": "unit",
    "points": "credits",
    "pts": "credits",
    "teaching hours": "guided learning hours",
    "tutor time": "tutorial support",
    "tutor hours": "tutorial support hours",
    "placement hours": "practice hours",
    "practical hours": "practice hours",
}
_SHORTHAND = re.compile(r"\b(" + "|".join(sorted(map(re.escape, SHORTHAND), key=len, reverse=True)) + r")\b", re.I)

#: Courtesies that carry no meaning for matching. They are only removed when enough of
#: the question is left, so "hi" or "thanks" on their own still read as small talk.
_COURTESIES = re.compile(
    r"^\s*(?:(?:hi|hello|hey|hiya|morning|good (?:morning|afternoon|evening))(?: there| all| team| bot)?\s*[,!.:-]+\s*)"
    r"|^\s*(?:ok(?:ay)?|right|cool|great|nice|alright|ah|oh|hmm+|so)(?: then)?\s*[,!.:-]*\s+"
    r"|\b(?:sorry to (?:be a pain|bother you|trouble you)|(?:i )?hope you(?:'re| are) well|many thanks|"
    r"thanks in advance|thank you in advance|thanks so much|thank you|thanks|cheers|much appreciated)\b[,!.]*"
    r"|\b(?:could|can|would) you (?:possibly |please |kindly )?(?:let me know|tell me|confirm|advise)\b"
    r"|\b(?:i was|i'm|i am) (?:just )?wondering (?:if|whether)?\b"
    r"|\bsorry if this is a (?:daft|silly|stupid|dumb|basic) question\b"
    r"|\b(?:i|we|they|hr|l&d|my manager|my boss|[a-z]+) (?:want|wants|need|needs|would like|'d like|asked me) "
    r"to (?:know|find out|check)\b"
    r"|\bfor (?:our|my|the) (?:training )?records\b"
    r"|\b(?:please|if possible|if you can)\b",
    re.I,
)
MIN_WORDS_LEFT = 3


def expand_shorthand(text: str) -> str:
    """Spell out chat shorthand ("hrs" → "hours"). Unit codes and names are untouched."""
    return _SHORTHAND.sub(lambda m: SHORTHAND[m.group(1).lower()], text)


def strip_courtesies(text: str) -> str:
    """Drop greetings and politeness around a real question ("Hello, sorry to be a pain, but…")."""
    stripped = _SPACES.sub(" ", _COURTESIES.sub(" ", text)).strip(" ,.!-")
    stripped = re.sub(r"^(?:but|so|and)\b\s*", "", stripped, flags=re.I)
    return stripped if len(tokens(stripped)) >= MIN_WORDS_LEFT else text


_SENTENCE_BREAK = re.compile(r"[.?!;:…]+(?:\s+|$)|\s+-+\s+|\s*\n\s*")
_CLAUSE_BREAK = re.compile(r",\s+")


def clauses(text: str) -> list[str]:
    """The sentences of a message, and the comma-separated parts of each, longest first.

    A question wrapped in context ("My manager asked me to find out… what are the
    options?") is matched clause by clause, so the words around it don't drown it."""
    parts: list[str] = []
    for raw in _SENTENCE_BREAK.split(text):
        sentence = raw.strip()
        if not sentence:
            continue
        parts.append(sentence)
        pieces = [p.strip() for p in _CLAUSE_BREAK.split(sentence) if p.strip()]
        if len(pieces) > 1:
            parts.extend(pieces)
    unique = [p for p in dict.fromkeys(parts) if len(tokens(p)) >= 2]
    return sorted(unique, key=len, reverse=True) if len(unique) > 1 else []
