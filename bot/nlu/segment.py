"""Find the questions in a message: two questions in one, or one buried in a pasted email.

Works on the raw text (line breaks still there), before it is cleaned and
capped, so a question at the end of a long forwarded thread is not cut off.
Quoted lines, mail headers, greetings and sign-offs are dropped; statements
that carry facts ("I've done 8577-304 and 8577-307") stay with the question
after them, since they are what the question is about.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from bot.nlu.entities import Entities
from bot.nlu.frame import ATTRIBUTE_WORDS, LOOKUP, attribute_of, read_frame
from bot.nlu.normalise import clean, expand_shorthand, tokens

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
    r"^(?:(?:also|and|plus|oh and|and also|btw|ps)\b,?\s*)?"  # "… ? also is the phone number the same"
    r"(what|what's|whats|which|who|whom|whose|how|where|when|why|is|are|does|do|did|can|could|will|would|should|"
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
    r"course|done|did|completed?|passed|finished|group|walled garden|induction|tutorial|phone|contacts?|"
    r"level)\b",
    re.I,
)
#: "… and who do I contact?": a second question joined to the first by "and".
_JOINED = re.compile(
    r",?\s+and\s+(?:also\s+)?(?=(?:what|what's|whats|wot|which|who|how|where|when|is|are|does|can|could)\b)",
    re.I,
)
#: "1) how many credits…", "(b) which group…", "- the GLH": a list item's marker (the item stays).
_MARKER = re.compile(r"^\s*(?:\(?(?:\d{1,2}|[a-h])[.)]|[-*•])\s+", re.I)
_NUMBERED = re.compile(r"^\s*\(?(?:\d{1,2}|[a-h])[.)]\s+", re.I)
#: A numbered item that tells rather than asks ("1) I've done 8577-304"); a message that says what the
#: asker has done is about them as a whole ("done 8577-304 and 8577-307, what's left?").
_TELLS = re.compile(
    r"\b(i|i've|i'm|i'd|we|we've|my|our|done|did|completed?|completes|finished|finishes|passed|passes|achieved|got|"
    r"had)\b",
    re.I,
)
#: Where two requests for facts may be joined without a question word: "credits for the Award *and*
#: GLH for 305", "rules of combination for the C&M *plus* tutorial hours".
_LINK = re.compile(r"\s*,?\s+(?:and(?:\s+also)?|plus|as well as|&|\+)\s+", re.I)
#: Words that ask for nothing by themselves: what is left of a piece once these and its names are gone
#: is what it asks for ("how many for the {qualification}" asks for nothing new).
_FILLER = frozenset(
    re.findall(
        r"\S+",
        "a an the for of in on at to by from with about and or also then so ok okay pls please "
        "what what's whats which who where when why how many much is are it its it's that this they them their "
        "each both all do does there me i level ilm",
    )
)

#: "… so we can add it to the training record?": why they ask, not what; dropped from the question.
_PURPOSE = re.compile(
    r",?\s+(?:so(?: that)? (?:we|i|they|you|he|she|hr|the \w+) (?:can|could|may|might|will)|in order to)\b[^?]*", re.I
)
#: "3 qs about the award: 1) what level 2) how many units": numbered items inside one line.
_INLINE_ITEM = re.compile(r"(?:^|\s)\(?(\d{1,2})[.)]\s+")
#: "(1) the email address and (2) …": the word joining one item to the next belongs to neither.
_TRAILING_LINK = re.compile(r"[\s,;]+(?:and|or|plus|&)?\s*$", re.I)

#: Reads a piece of a question's names (qualifications, units, groups) and its template.
Reader = Callable[[str], Entities]


def is_question(sentence: str) -> bool:
    s = sentence.strip()
    return s.endswith("?") or bool(_QUESTION_START.match(s)) or bool(_ASKS.search(s))


def _item(line: str) -> str:
    """A list item without its marker; a numbered one that asks for something reads as a question."""
    body = _MARKER.sub("", line, count=1).strip()
    numbered = bool(_NUMBERED.match(line))
    if numbered and body and body[-1] not in "?.!" and not _TELLS.search(body) and _FACTS.search(body):
        return f"{body}?"
    return body


def _lines(text: str) -> tuple[list[str], list[str]]:
    """(what the person wrote, what they quoted): no mail headers, greetings or sign-offs in either.

    The person's own text stops at their sign-off (a signature or the old thread follows)."""
    own: list[str] = []
    quoted: list[str] = []
    signed = False
    for line in text.splitlines():
        stripped = line.strip()
        is_quote = stripped.startswith(">")
        body = _item(stripped.lstrip("> ").strip())
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


def _unfold(line: str) -> str:
    """A numbered list written on one line ("… 1) what level 2) how many units") as one item a line.

    Only markers counting up from 1 are items, so "8577-304 (1) credits" or "level 3) …" are left alone;
    the words before the first item (its subject, "about the award:") stay on a line of their own."""
    marks = list(_INLINE_ITEM.finditer(line))
    numbers = [int(m.group(1)) for m in marks]
    if len(marks) < 2 or numbers != list(range(1, len(marks) + 1)):
        return line
    cuts = [m.start() for m in marks] + [len(line)]
    head = line[: cuts[0]].strip()
    items = [_TRAILING_LINK.sub("", line[a:b]).strip() for a, b in itertools.pairwise(cuts)]
    return "\n".join([head, *items] if head else items)


def _opens_item(sentence: str, items: set[str]) -> bool:
    """The sentence is a list item, or its first sentence ("(2) where can learners browse …? Many thanks")."""
    head = sentence.rstrip("?")
    return any(item.startswith(head) for item in items)


def _without_purpose(part: str) -> str:
    """'Confirm the credits for the C&M so we can add it to the record?' asks for the credits only."""
    cut = _PURPOSE.sub("", part).strip()
    return cut if len(cut.split()) >= MIN_PART_WORDS else part


def _split_joined(sentence: str) -> list[str]:
    pieces = [p.strip(" ,") for p in _JOINED.split(sentence) if p.strip(" ,")]
    if len(pieces) > 1 and all(len(p.split()) >= 3 for p in pieces):
        return pieces
    return [sentence]


def _asks_question(sentence: str) -> bool:
    """A question, or a sentence with one joined on ("credits for the C&M and how many is 8577-304")."""
    return is_question(sentence) or any(is_question(p) for p in _split_joined(sentence)[1:])


def _is_request(sentence: str, own: list[str], read: Reader | None) -> bool:
    """A line of their own that names a subject and asks for something of it ("credits for the Award"),
    not a sentence of an email ("We're sending Sam on the Award.") nor what the asker did."""
    if read is None or sentence not in own or sentence.rstrip()[-1:] in (".", ":", "-"):  # "about the award:"
        return False
    entities = read(_plain(sentence))
    return bool(_names(entities) and _asks(entities)) and not _TELLS.search(sentence)


def _names(entities: Entities) -> set[tuple[str, ...]]:
    """Everything a piece names, so a split that cuts a name in two ("coaching | and mentoring") shows."""
    found = {m.ids for m in entities.qualifications} | set(entities.ambiguous_units)
    return found | {(u,) for u in (*entities.units, *entities.unknown_units, *entities.groups)}


def _asks(entities: Entities) -> set[str]:
    """The words a piece asks for: neither names nor filler ("units", "glh", "titles", "phone")."""
    return {t for t in tokens(entities.template) if not t.startswith("{") and t not in _FILLER and not t.isdigit()}


def _only_attributes(words: set[str]) -> bool:
    return all(any(rx.search(w) for _, rx in ATTRIBUTE_WORDS) for w in words)


def _two_requests(left: str, right: str, whole: Entities, read: Reader) -> bool:
    """Whether "left and right" asks two things rather than one thing of two subjects.

    The left names a subject and asks something of it; the right asks something too (of its own
    subject, or of the left's: it inherits it). Several attributes of one subject ("8577-306 credits
    and GLH") stay one question: that answer lists them together."""
    lhs, rhs = read(_plain(left)), read(_plain(right))
    if _names(lhs) | _names(rhs) != _names(whole) or not _names(lhs):
        return False
    asked_left, asked_right = _asks(lhs), _asks(rhs)
    if not asked_left or not asked_right:
        return False
    one_subject = not _names(rhs) and bool(attribute_of(_plain(left).lower()))
    return not (one_subject and _only_attributes(asked_right))


def _plain(text: str) -> str:
    return expand_shorthand(clean(text))


def _split_requests(sentence: str, read: Reader) -> list[str]:
    """'credits for the Award and GLH for 305?': two look-ups joined without a question word.

    Yes/no questions, comparisons, sums and superlatives are never cut: their verb or operation
    belongs to both sides ("is the Award 10 credits and the Certificate 13?"), and neither are the
    units someone says they have done."""
    whole = read(_plain(sentence))
    frame = read_frame(_plain(sentence).lower(), whole)
    if frame.yes_no or frame.operation != LOOKUP or _TELLS.search(sentence):
        return [sentence]
    for link in _LINK.finditer(sentence):
        left, right = sentence[: link.start()].strip(" ,"), sentence[link.end() :].strip(" ,")
        if left and right and _two_requests(left, right, whole, read):
            return [left, *_split_requests(right, read)]
    return [sentence]


def _sentences(lines: list[str]) -> list[str]:
    return [s for line in lines for s in _SENTENCE.split(line) if s.strip()]


def question_parts(text: str, read: Reader | None = None) -> list[str]:
    """The message as one or more self-contained questions, in order (at least one part, never empty).

    Questions that name something of this domain come first, whether the person wrote them or
    quoted them ("> which units make up the Award?" / "can the bot answer Tom's question?"). When
    only a question without such words is there ("who's right??"), the quoted facts it is about
    go with it. Given ``read`` (the entity reader), two look-ups joined by "and" or "plus" with no
    question word are two parts as well; a part that names no subject is about the one before it."""
    raw = "\n".join(_unfold(line) for line in text[:MAX_RAW].splitlines())
    later = any(is_question(s) and _FACTS.search(s) for s in _SENTENCE.split(raw)[1:])  # "…? also is the phone …"
    if "\n" not in raw and raw.count("?") < 2 and not _JOINED.search(raw) and not later:
        single = _without_purpose(text)
        return _split_requests(single, read)[:MAX_PARTS] if read is not None and _LINK.search(raw) else [single]
    own, quoted = (_sentences(lines) for lines in _lines(raw))
    stripped = (ln.strip().lstrip("> ").strip() for ln in raw.splitlines())
    items = {_item(line) for line in stripped if _NUMBERED.match(line)}  # a list's items: each asked
    asked = [
        s
        for s in own + quoted
        if (_asks_question(s) or _is_request(s, own, read))
        and (_FACTS.search(s) or (_opens_item(s, items) and is_question(s)))
    ]
    context = [s for s in own if not _asks_question(s) and s not in asked and _FACTS.search(s)]
    # A quoted question goes with the quoted facts before it ("> I've done 8578-300 … What's left?").
    quoted_context = [s for s in quoted if not _asks_question(s) and s not in asked and _FACTS.search(s)]
    if not asked:
        asked = [s for s in own if is_question(s)] or [s for s in quoted if is_question(s)]
        context += [s for s in quoted if not is_question(s) and _FACTS.search(s)]
        quoted_context = []
    if not asked:
        return [" ".join(context)] if context else [text]
    parts: list[str] = []
    first_quoted: int | None = None
    for sentence in (_without_purpose(s) for s in asked):
        short = len(sentence.split()) < MIN_PART_WORDS and not any(ch.isdigit() for ch in sentence)
        short = short and not _opens_item(sentence, items)  # "2) how many credits" is an item of its own
        short = short and not (read is not None and _names(read(_plain(sentence))))  # "the C&M credits?"
        if parts and short:
            parts[-1] = f"{parts[-1]} {sentence}"  # "… on the Award? how many hours?": the same question's tail
            continue
        if first_quoted is None and sentence in quoted:
            first_quoted = len(parts)
        for piece in _split_joined(sentence):  # "… and how many credits?" is a question of its own
            parts += _split_requests(piece, read) if read is not None else [piece]
    if quoted_context and first_quoted is not None:
        parts[first_quoted] = " ".join([*quoted_context, parts[first_quoted]])
    if context:  # what they say they have done, or the claims they quote: the first question is about it
        parts[0] = " ".join([*context, parts[0]])
    return parts[:MAX_PARTS]


#: "Priya did 8577-304, 8577-305; Tom did 8577-304": a person named, then the units they have done.
_PERSON_DONE = re.compile(
    r"(?:^|(?<=[\s;:,.(]))(?P<name>[A-Z][a-z]{1,20})\s+(?:has\s+|had\s+|'s\s+)?"
    r"(?:did|done|completed|finished|passed|achieved)\s+(?P<units>[^;.\n?]*?\d{3}[^;.\n?]*)",
)
#: Capitalised words that are not people ("I did", "Award done 304?").
_NOT_NAMES = frozenset({"I", "Ive", "We", "They", "She", "He", "Also", "And", "Then", "Just", "Who", "Which"})


def people_parts(text: str, read: Reader) -> list[tuple[str, str]]:
    """A question about several people's units ("who has the award"), once per person, in order.

    Each part says what that person did in the first person, with the question after it, so each
    is checked on its own by the rules engine; names are plain words the answer only echoes. Fewer
    than two people named with units: no parts (the message is answered as it stands)."""
    found = [m for m in _PERSON_DONE.finditer(text) if m.group("name") not in _NOT_NAMES]
    found = [m for m in found if not _names(read(_plain(m.group("name"))))]
    if len({m.group("name") for m in found}) < 2:
        return []
    rest = text
    for m in reversed(found):
        rest = rest[: m.start()] + rest[m.end() :]
    pieces = (p.strip(" ,") for p in re.split(r"[.;:!?\n]+(?:\s+|$)", rest))
    asked = [p for p in pieces if p and is_question(p)]
    question = " ".join(asked).strip(" ;:,.") or "what have I got?"
    return [(m.group("name"), f"I did {m.group('units').strip(' ,')}. {question}") for m in found]
