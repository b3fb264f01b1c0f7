"""The question frame: what operation a message asks for, on which attribute, with what claims.

The intent matcher says what a question is *about* (credits, units, the
audience…); the frame says what the user wants *done* with it: look a fact
up, check a claim they make, compare subjects, find the biggest or add up.
Reading it is pure text work on the cleaned message and its entities, so the
same frame drives every topic instead of one special case per phrasing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.nlu.entities import WORD_NUMBERS, Entities

LOOKUP = "lookup"
CHECK = "check"  # a yes/no question or a claim to confirm or correct
COMPARE = "compare"
SUPERLATIVE = "superlative"
SUM = "sum"

#: Attribute words, most specific first. The value is the attribute's name in ``bot.answers.attributes``.
ATTRIBUTE_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("glh", re.compile(r"\b(glh|guided learning|guided hours|learning hours)\b")),
    ("induction", re.compile(r"\binduction\b")),
    ("tutorial", re.compile(r"\btutori?al|\btutor\b")),
    (
        "practice",
        re.compile(
            r"\b(practi[cs]e|supervised|hours of (actual |real |hands-on |live )?(coaching|mentoring)|"
            r"(coaching|mentoring) (hours|hrs|sessions))\b"
        ),
    ),
    ("credits", re.compile(r"\b(credits?|cv|credit value|worth|points?)\b")),
    ("number", re.compile(r"\bqual(ification)?s? (number|no|code)\b")),
    ("email", re.compile(r"\b(e-?mail|email address)\b")),
    ("phone", re.compile(r"\b(phone|telephone|phone number)\b")),
    ("level", re.compile(r"\blevel\b(?!\s*\d\s*(award|certificate|cert|diploma|in|qualification)\b)")),
    ("part_of", re.compile(r"\b(which|what) (group|option group)\b|\bin which group\b|\bgroup is it in\b")),
    (
        "unit_count",
        re.compile(r"\b(how many|number of|count) (mandatory |optional )?units?\b|(?<![\d-])\b\d{1,2} units\b"),
    ),
)

_YES_NO_START = re.compile(
    r"^(is|are|does|do|did|can|could|will|would|should|shall|has|have|am|was|were|isn't|aren't|doesn't|don't|"
    r"must|need|needs|isnt|doesnt|dont|arent)\b"
)
_TAG = re.compile(
    r"\b(isn'?t it|doesn'?t it|don'?t they|aren'?t they|is(n't)? that (right|correct|true)|right|correct|true|"
    r"yeah|yes|yep|ya|yeh|ok|okay|yes or no|am i right|is (he|she|they) right|are they right|innit|no|"
    r"correct me if i'?m wrong|or not|or what|true or false)\s*\??\s*$"
)
#: A yes/no question after the topic it is about: "on C&M is the GLH the same whichever group you pick".
_YES_NO_AFTER_TOPIC = re.compile(
    r"^(?:so |ok |and )?(?:on|for|about|re|with|in) (?:the )?[\w&]+(?: [\w&]+){0,3},?\s+"
    r"(is|are|does|do|can|could|will|would|has|have|must|should)\b"
)
#: "If I go for Group 1, do I have to do both units?": a yes/no question after its condition.
_YES_NO_AFTER_IF = re.compile(
    r"^(?:if|once|when|say|suppose)\b[^?]{0,80}?,?\s(do|does|is|are|can|could|will|would|should|must|have|has|am)\s"
    r"(i|you|we|they|it|he|she|that|this)\b"
)
#: A tag question before an afterthought: "group 1 is the mentoring one isn't it (on the C&M)".
_TAG_INSIDE = re.compile(
    r"\b(isn'?t it|isnt it|aren'?t they|arent they|doesn'?t it|doesnt it|don'?t they|am i right|is that right|"
    r"is that correct|have i got that right)\b"
)
#: "Does it lead to a Level 5?" names a level to go on to, not a claim about this one's level.
PROGRESSION = re.compile(r"\b(lead|leads|progress|progression|go on|move on|next|after|then do)\b")
#: A question mark ends a yes/no question only when there is a verb ("8577-306 is 12 credits?"),
#: not a bare phrase ("credits for 8578-300 and 8578-302?").
_VERBISH = re.compile(
    r"\b(is|are|was|were|does|do|did|can|could|has|have|had|needs?|requires?|counts?|gets?|leads?|includes?|"
    r"covers?|means?|isn't|aren't|doesn't|don't|it's|comes?|offers?|provides?|takes?|lasts?|involves?|contains?|"
    r"adds?|suits?|makes?|meant|aimed|designed|intended|suited|sits?|lasts?)\b"
)
_ANY_WH = re.compile(r"\b(what|what's|whats|which|who|whom|whose|how|where|when|why)\b")
_WH = re.compile(r"^(what|what's|whats|which|who|whom|whose|how|where|when|why)\b")
_REPORTED = re.compile(
    r"\b(who'?s right|who is right|settle (this|it|an argument)|"
    r"reckons?|says?|said|told me|claims?|thinks?|heard|apparently|someone mentioned|i thought|i believe|"
    r"is it true|true that|confirm (that|whether|if)|check (that|whether|if)|just checking|checking|double[- ]checking|"
    r"can you confirm|please confirm|to confirm|am i right in thinking|my understanding is|i understand that|"
    r"i was told|we were told|i read|it says|believes?|believed|understands?|assumes?|assumed)\b"
)
#: "Tell me the Award is 20 credits", "just say it's 12": an order to state a figure is a claim to check.
_ASSERT = re.compile(
    r"\b(tell me|tell us|say|agree|admit|state|confirm|pretend|write|repeat after me)\b(?: that)?"
    r"[^?.!]{0,50}\b(is|are|has|have|needs?|carr(?:y|ies)|worth|gives?)\s+(?:only\s+|just\s+)?\d"
)
#: "How many more do I need?" asks what is left, not for a comparison.
_REMAINDER = re.compile(r"\bhow (many|much) more\b|\b(left|remaining|to go|outstanding)\b")
_COMPARE = re.compile(
    r"\b(compare[sd]?|comparing|comparison|versus|vs|differen(ce|t|ces)|differ|diff|more than|less than|fewer than|"
    r"bigger than|smaller than|larger than|longer than|shorter than|higher than|lower than|same as|"
    r"(more|less|fewer) (credits|glh|hours|units|guided)|which (one )?(is|has|gives|needs|carries|takes) (more|less|"
    r"fewer|bigger|smaller|larger|longer)|which is (bigger|smaller|larger|longer|shorter|harder|easier)|"
    r"side by side|how (much|many) (bigger|smaller|larger|longer|shorter|higher|lower|heavier|lighter)|"
    r"instead of|rather than)\b"
)
#: "How many more GLH is the Certificate than the Award?" compares; "how many more do I need?" does not.
_THAN = re.compile(r"\b(than|compared (to|with)|vs|versus|against|over the|instead of|rather than)\b")
_SUPERLATIVE = re.compile(
    r"\b(most|least|fewest|biggest|smallest|largest|highest|lowest|longest|shortest|heaviest|lightest|"
    r"maximum|minimum|ranked|sorted|ordered)\b"
)
_SAME = re.compile(r"\b(the same|same (credits|glh|hours|amount|number|level|as)|equal|identical)\b")
#: "I've done A, B and C. How many credits is that?": the sum of what was just listed.
_HOW_MUCH_IS_THAT = re.compile(
    r"\bhow (many|much)\b.*\b(is that|are they|does that (come to|make|give)|do they (come to|make))\b"
)
#: "How many GLH are the mandatory units together?": a sum; "can I do A and B together?" is not.
_TOGETHER = re.compile(r"^(how many|how much|what)\b.*\btogether\b")
_SMALLEST = re.compile(r"\b(least|fewest|smallest|lowest|shortest|lightest|minimum|less|fewer|smaller|shorter)\b")
_SUM = re.compile(
    r"\b(total|in total|combined|altogether|all together|add(ed)? up|sum|added together|overall|between them|in all)\b"
)
#: A number someone claims, with the attribute written next to it ("12 credits", "GLH is 27").
_NUMBER = r"(\d{1,3}(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|thirteen|sixteen|thirty[- ]six)"
#: A figure small enough to be a claimed amount on its own (three digits is a unit number: "credits for 305?").
#: "One" alone closing a question is a pronoun ("… and the coaching and mentoring one?"), not a figure.
_SMALL = _NUMBER.replace(r"\d{1,3}", r"\d{1,2}").replace("|one|", "|")
_CLAIM_AFTER = re.compile(
    rf"(?<![\d\-/.])(?<!group )(?<!level )\b{_NUMBER}\s*"
    r"((?:mandatory |compulsory |core )?units?|credits?|cr|glh|guided learning hours|hours?|hrs?)\b"
)
#: "Is the GLH for 8577-304 6?": a figure closing a yes/no question about a named attribute.
_CLAIM_TAIL = re.compile(rf"(?<![\d\-/.])(?<!level )(?<!group )\b{_SMALL}\s*\??\s*$")
#: A figure right after a subject closing a yes/no ("is the cert 13?"): about the attribute in play.
_AFTER_SUBJECT = re.compile(rf"\{{(?:qualification|unit|group)\}}\s+{_SMALL}\W*$")
_SUBJECT_FIGURE = re.compile(rf"\{{(?:qualification|unit)\}}\s+{_SMALL}\s*(credits?|glh|guided learning hours)\b")
#: "… is 9, yeah?": a bare figure after "is", about whatever attribute the question names.
_CLAIM_IS = re.compile(
    r"(?:\b(?:is|are|was|were|be|equals?|it's|its|that's|thats|says|said|reckons|thinks|thought|"
    r"i get|i got|i make it|i count|comes? to|makes?)|=)\s+"
    r"(?:only\s+|just\s+|about\s+)?"
    rf"{_NUMBER}"
    r"(?![\d\-/.]|\s*(?:units?|credits?|hours?|hrs?|glh|guided|of|in|on|and|or|to|-)\b)"
)
#: Figures written in words: the entity extractor's, and the compound ones claims use.
_WORDS = {**WORD_NUMBERS, "thirteen": 13, "sixteen": 16, "thirty-six": 36, "thirty six": 36}
_CLAIM_LEVEL = re.compile(
    r"\b(?:is|are|at|a|be|all|both)\s+(?:at\s+)?level\s*(\d)\b(?!\s*(?:award|certificate|cert|diploma|in)\b)"
)
#: "These mentoring quals are all level 3?": a claim about every qualification, none named.
_THE_QUALS = re.compile(
    r"\b(quals|qualifications|courses|certs|certificates|awards|all three|both|they|these|those|units|modules)\b"
)
#: "… level 3?" closing a yes/no question is a claimed level ("is 8578-302 level 3?").
_CLAIM_LEVEL_TAIL = re.compile(r"(?<!the )\blevel\s*(\d)\s*\??\s*$")
#: A figure claimed of something is predicated of it ("is 12 credits", "needs 36 hrs", "has 4 units");
#: one the user aims at ("to make up the 10 credits") or has done is not a claim.
_PREDICATE = re.compile(
    r"(\b(is|are|was|has|have|had|worth|needs?|requires?|carr(?:y|ies)|totals?|equals?|be|only|just|about|"
    r"includes?|gives?|it's|its|add(?:s)? up to|comes? to|comes? with|gets?|got|offers?|provides?|make it|"
    r"carry|counts? for|allows?|allocated|worth|lasts?|takes?|runs? for|minimum|min|at least|maximum|max|"
    r"around|approx|approximately)\b|=|'s\b|\s-\s)[^.?!]{0,60}$"
)
_CLAIM_BEFORE = re.compile(
    r"\b(credits?|glh|guided learning hours|hours)\s*(?:is|are|=|:|at|total(?:s)?)?\s*(\d{1,2}(?:\.\d+)?)(?![\d\-/])"
)


_IDENTIFIERS = (
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("phone", re.compile(r"\b0\d{3,4}\s?\d{3}\s?\d{3,4}\b")),
    ("number", re.compile(r"\b\d{3}/\d{4}/\d\b")),
)


def _number(word: str) -> float:
    return float(_WORDS.get(word.lower(), word) if word.lower() in _WORDS else word)


_OPTIONAL = re.compile(r"\b(optional|elective|choice|choose|pick|can skip|skip)\b")
_MANDATORY = re.compile(r"\b(mandatory|compulsory|required|core|obligatory|must do|have to do|need to do|essential)\b")


@dataclass(frozen=True)
class Claim:
    """A figure the user states as fact ("the Award is 12 credits"): checked, never adopted."""

    #: None when the figure stands alone ("… is 9, yeah?"): the question's attribute then.
    attribute: str | None
    value: float = 0.0
    #: An identifier claimed instead of a figure: an email, a phone number, a qualification number.
    text: str | None = None


@dataclass(frozen=True)
class Frame:
    operation: str = LOOKUP
    attribute: str | None = None
    #: Every attribute the question names ("credits and GLH side by side").
    attributes: tuple[str, ...] = ()
    claims: tuple[Claim, ...] = ()
    yes_no: bool = False
    #: For a unit: the user asks whether it is "mandatory" or "optional" (a yes/no about that role).
    role: str | None = None
    smallest: bool = False
    #: The kinds of subject in the order the question names them ("is {unit} worth more than {unit}").
    order: tuple[str, ...] = ()
    #: "Is 8577-304 only on the Certificate and not the Award?": the qualifications (each mention's
    #: candidate ids) the question says a unit is *only* in; empty when it asks no such thing.
    only_in: tuple[tuple[str, ...], ...] = ()
    #: "8577-306 is 'Undertaking Mentoring in the Workplace', right?": the units the claimed title names
    #: (empty unless a yes/no pairs a unit with a title).
    titled: tuple[str, ...] = ()
    #: "Can I progress from the Award to the Certificate?": the qualification (mention ids) moved on from,
    #: and what the question names as where to (the mention ids, and its words for a qualification
    #: at another level, such as "level 5 diploma", which only the progression lists know).
    progress_from: tuple[str, ...] = ()
    progress_to: tuple[str, ...] = ()
    progress_words: str = ""
    #: "Is 8578-302 a mentoring unit?": the kind of practice a unit is said to be about.
    kind_claim: str | None = None
    #: "Award = 3 units, Certificate = 3 units, C&M = 4 units?": each claim with the subject it is said of
    #: (the subject's candidate ids), when the question pairs them clause by clause.
    paired: tuple[tuple[tuple[str, ...], Claim], ...] = ()
    #: "Units that are worth 3 credits": the attribute and figure the units asked for must have.
    filter: tuple[str, float] | None = None
    #: "Is 8577-307 on the Award or the Certificate?": a choice between qualifications to place units in.
    alternatives: bool = False
    #: Prose topics a question asks about besides figures ("who it is for, … and whether it leads on to anything").
    topics: tuple[str, ...] = ()
    #: "Since the Award is 15 credits, how many is 305?": figures the question takes for granted, each with the
    #: subject it is said of; checked, never adopted.
    premises: tuple[tuple[tuple[str, ...], Claim], ...] = ()


def attribute_of(text: str) -> str | None:
    """The attribute a question names in words, if any ("how many GLH…" → glh)."""
    return next((name for name, rx in ATTRIBUTE_WORDS if rx.search(text)), None)


_DAYS = re.compile(r"\b(half an? (?:day|week)|an? (?:full )?(?:day|week|month)|\d+ (?:days?|weeks?|months?))\b")
_AN_HOUR = re.compile(r"(\b(?:is|at least|just|only|about|needs?|includes?)\s+)an? hour\b")


def _claims(text: str, entities: Entities) -> tuple[Claim, ...]:
    text = _AN_HOUR.sub(r"\g<1>1 hour", text)  # "at least an hour?"
    found: list[Claim] = []
    for m in _CLAIM_AFTER.finditer(text):
        if _PREDICATE.search(text[max(0, m.start() - 60) : m.start()]):
            found.append(Claim(_claim_attribute(m.group(2), text[m.end() : m.end() + 40]), _number(m.group(1))))
    for m in _DAYS.finditer(text):  # "the induction is half a day": not the brochure's hours, whatever they are
        if _PREDICATE.search(text[max(0, m.start() - 60) : m.start()]):
            found.append(Claim(_claim_attribute("hours", text[m.end() : m.end() + 40]), float("nan")))
    for m in _CLAIM_BEFORE.finditer(text):
        found.append(Claim(_claim_attribute(m.group(1), text[m.end() : m.end() + 40]), _number(m.group(2))))
    if not found:
        found += [Claim(None, _number(m.group(1))) for m in _CLAIM_IS.finditer(text)]
    if not found and attribute_of(text) and (tail := _CLAIM_TAIL.search(text)):
        found.append(Claim(None, _number(tail.group(1))))
    if not found and (bare := _AFTER_SUBJECT.search(entities.template)):  # "… and is the cert 13?"
        found.append(Claim(None, _number(bare.group(1))))
    for m in _SUBJECT_FIGURE.finditer(entities.template):  # "award 12 credits?": a figure right after its subject
        found.append(Claim(_claim_attribute(m.group(2), ""), _number(m.group(1))))
    if (entities.qualifications or entities.units or _THE_QUALS.search(text)) and not PROGRESSION.search(text):
        for m in [*_CLAIM_LEVEL.finditer(text), *_CLAIM_LEVEL_TAIL.finditer(text)]:
            found.append(Claim("level", float(m.group(1))))
    for attribute, rx in _IDENTIFIERS:
        found += [Claim(attribute, text=m.group(0)) for m in rx.finditer(text)]
    return tuple(dict.fromkeys(found))


def _claim_attribute(word: str, after: str) -> str | None:
    """'12 credits' → credits; '4 hours tutorial' → tutorial; '36 hours of mentoring' → practice."""
    if word.startswith(("credit", "cr")):
        return "credits"
    if word.startswith("unit"):
        return "unit_count"
    if word.split(maxsplit=1)[0] in ("mandatory", "compulsory", "core"):
        return "mandatory_units"
    if word.startswith(("glh", "guided")):
        return "glh"
    follow = after.lower()
    if re.match(r"\s*(of\s+)?(guided|glh|learning)", follow):
        return "glh"
    if re.match(r"\s*(of\s+)?(tutorial|tutor)", follow):
        return "tutorial"
    if re.match(r"\s*(of\s+)?induction", follow):
        return "induction"
    if re.match(r"\s*(of\s+)?(supervised\s+)?(practice|coaching|mentoring)", follow):
        return "practice"
    return None


#: "only in the {qualification}", "just for the {qualification}", "{qualification} only".
_ONLY = re.compile(
    r"\b(only|just|exclusively|solely)\s+(?:(?:in|on|for|part of|used (?:in|on)|to)\s+)?(?:the\s+)?\{qualification\}|"
    r"\{qualification\}\s+only\b"
)
#: A mention the question rules out: "… and not the {qualification}", "but not in the {qualification}".
_NOT_BEFORE = re.compile(r"\b(not|n't|nor|never)\s+(?:\w+\s+){0,2}(?:the\s+)?$")


def only_in(entities: Entities) -> tuple[tuple[str, ...], ...]:
    """The qualifications a unit is claimed to be exclusive to: the mentions not ruled out with "not"."""
    template = entities.template
    if not entities.units or not _ONLY.search(template):
        return ()
    pieces = template.split("{qualification}")
    kept = [m.ids for m, before in zip(entities.qualifications, pieces, strict=False) if not _NOT_BEFORE.search(before)]
    return tuple(kept)


#: Two units side by side, or joined by a naming word: "{unit} is called {unit}", "is {unit} {unit}".
_NAMED_AS = re.compile(r"\{unit\}\W*(?:(?:is|=|called|named|titled|the|same as|unit)\s+){0,3}\W*\{unit\}")


def claimed_titles(entities: Entities) -> tuple[str, ...]:
    """The units a title names, when a question pairs that title with a unit code."""
    if not entities.titled or not _NAMED_AS.search(entities.template):
        return ()
    return entities.titled


_SOURCE_BEFORE = re.compile(
    r"\b(from|after|following|finish(?:ing)?|complet(?:e|ed|ing)|done|doing|with|once i'?v?e?)\s+"
    r"(?:the\s+|my\s+|an?\s+)?$"
)
_SOURCE_AFTER = re.compile(r"^\s*(?:\w+\s+){0,2}(lead|leads|progress|progresses|feed|feeds|take me|get me|go on)\b")
_STEP = re.compile(r"\b(route|pathway|next step|step up|stepping stone|lead|leads|progress\w*|go on|move on|onto)\b")


def progress_route(entities: Entities, text: str) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """(from, to, words of the destination) of a yes/no about progression, or empty when it is not one."""
    if not _STEP.search(text) or not entities.qualifications:
        return (), (), ""
    pieces = entities.template.split("{qualification}")
    mentions = entities.qualifications
    source = next(
        (i for i, m in enumerate(mentions) if _SOURCE_BEFORE.search(pieces[i]) or _SOURCE_AFTER.search(pieces[i + 1])),
        None,
    )
    if source is None:
        return (), (), ""
    targets = [m for i, m in enumerate(mentions) if i != source]
    words = " ".join(f"{pieces[i][-12:]}{m.text}" for i, m in enumerate(mentions) if i != source) or " ".join(pieces)
    for kind in entities.kinds:  # the template holds "{kind}" where the words were "coaching", "mentoring"
        words = words.replace("{kind}", kind, 1)
    return mentions[source].ids, tuple(i for m in targets for i in m.ids), words


_KIND_CLAIM = re.compile(
    r"\{unit\}\W+(?:\w+\W+){0,2}?(?:a|an|about|on|for|in)\s+\{kind\}(?!\s*(?:hours?|practice|sessions?))"
)


_GROUP_KIND = re.compile(
    r"\{group\}\W+(?:[\w{}]+\W+){0,5}?(?:the|a)?\s*\{kind\}\s+(?:group|route|one|option|pathway|side|bit|units?|modules?)\b|"
    r"\bis\s+\{group\}\s+(?:the\s+)?(?:about\s+|for\s+)?\{kind\}"
)


def kind_claim(entities: Entities) -> str | None:
    """The practice kind a yes/no says a unit (or a group: "Group 1 is the mentoring group?") is about."""
    if not entities.kinds:
        return None
    if _GROUP_KIND.search(entities.template) and not entities.units:
        return entities.kinds[0]
    if "{qualification}" in entities.template or not _KIND_CLAIM.search(entities.template):
        return None
    return entities.kinds[0]


#: A figure or level closing a question that has no verb: "all the units level 3?", "award 12 credits?".
_VERBLESS_CLAIM = re.compile(
    rf"(?<![\d\-/.]){_SMALL}\s*(credits?|glh|guided learning hours|hours?|units?)\W*$|\blevel\s*\d\W*$"
)
#: Said of the asker, not of a subject: "I've done 30 hours", "I have 3 units".
_ABOUT_ME = re.compile(r"\b(i|i'?ve|i'?m|i'?d|we|we'?ve|my|me)\b")


#: An instruction or a filter, not a statement: "list the units that are worth 3 credits".
_REQUEST = re.compile(
    r"^(list|show|give|tell|find|name|please|pls|can you|could you|would you)\b|"
    r"\b(that|which|who|whose|with)\s+(are|is|have|has|carry|carries|give|gives)?\s*(worth\s+)?\d"
)


def _stated_claims(text: str, entities: Entities) -> tuple[Claim, ...]:
    """A bare statement that a named subject has a figure ("8577-306 has 9 GLH"), never one about the asker."""
    named = entities.qualifications or entities.units or entities.groups
    if not named or _ANY_WH.search(text) or _ABOUT_ME.search(text) or _REQUEST.search(text):
        return ()
    return tuple(c for c in _claims(text, entities) if c.text is None)


_PIECE_TAIL = re.compile(rf"\s{_SMALL}\W*(?:and|,|$)")


def paired_claims(
    text: str, entities: Entities, claims: tuple[Claim, ...]
) -> tuple[tuple[tuple[str, ...], Claim], ...]:
    """Claims about several subjects, each after its own ("the award is 10 credits and the cert 13?",
    "award = 3 units, C&M = 4 units"): the text is cut at each named qualification or unit, and the figures
    in each piece belong to the subject it starts with. Empty unless two or more subjects get a figure."""
    if not any(c.text is None for c in claims) or entities.titled:
        return ()
    spots: list[tuple[int, tuple[str, ...]]] = []
    for needle, ids in [*((m.text, m.ids) for m in entities.qualifications), *((u, (u,)) for u in entities.units)]:
        at = text.find(needle)
        if at < 0:
            return ()
        spots.append((at, ids))
    spots.sort()
    out: list[tuple[tuple[str, ...], Claim]] = []
    for n, (at, ids) in enumerate(spots):
        end = spots[n + 1][0] if n + 1 < len(spots) else len(text)
        piece = text[at:end]
        # Right after its subject a figure is said of it ("award 10 credits", "C&M = 4 units", "the cert 13?").
        found = [
            Claim(_claim_attribute(m.group(2), piece[m.end() : m.end() + 40]), _number(m.group(1)))
            for m in _CLAIM_AFTER.finditer(piece)
        ]
        if not found and (tail := _PIECE_TAIL.search(piece)):
            found = [Claim(None, _number(tail.group(1)))]
        out += [(ids, c) for c in found]
    return tuple(out) if len({ids for ids, _ in out}) >= 2 else ()


_PLUS = re.compile(r"\s(\+|plus)\s|=\s*\?")


def _adds_up(text: str, units: int) -> bool:
    """'GLH of 8577-304 plus 8577-306?', '302 + 303 credits = ?': an attribute of several units added up.
    ("Credits of the C&M plus the Award?" is two look-ups: each qualification's own figure.)"""
    named = [len(rx.findall(text)) for _, rx in ATTRIBUTE_WORDS if rx.search(text)]
    return units >= 2 and bool(_PLUS.search(text)) and named == [1]  # "credits of A plus credits of B": two look-ups


_FILTER = re.compile(
    r"\b(?:units?|ones)\b[^?]*?\b(?:that are|that have|that carry|which are|which have|with|worth|carrying|"
    r"have|has|are|carry)\s+(?:worth\s+|only\s+|exactly\s+)?(\d{1,2})\s*(credits?|glh|guided learning hours)\b"
)


_EITHER_QUAL = re.compile(r"\{qualification\}\s+or\s+(?:the\s+|in\s+the\s+|on\s+the\s+)?\{qualification\}")


def unit_filter(text: str, yes_no: bool) -> tuple[str, float] | None:
    """'Which units have 12 GLH?': units chosen by a figure (not a claim about units already named)."""
    m = _FILTER.search(text)
    if m is None or yes_no:
        return None
    return ("credits" if m.group(2).startswith("credit") else "glh", float(m.group(1)))


_PREMISE = re.compile(
    r"\b(since|as|given(?: that)?|because|now that|seeing as|considering)\s+(?:the\s+)?[^,;?]*?"
    r"\b(is|are|needs?|requires?|has|have|carries|takes)\b[^,;?]*"
)


_SO_THEN = re.compile(
    r"^([^,;?]*?\b(?:is|are|needs?|requires?|has|have|carries|takes)\b[^,;?]*?)(?:,\s*|\s+)(?:so|then)\s+"
    r"(?:what|which|how|who|where|when|why|is|are|do|does|can)\b"
)


def premise_claims(text: str, entities: Entities) -> tuple[tuple[tuple[str, ...], Claim], ...]:
    """Figures a question takes for granted ("since the award is 15 credits, …"), with the subject named there."""
    out: list[tuple[tuple[str, ...], Claim]] = []
    clauses = [m.group(0) for m in _PREMISE.finditer(text)]
    if (so := _SO_THEN.search(text)) is not None:
        clauses.append(so.group(1))  # "the cert needs 50 hours, so how many GLH is 8577-306?"
    for clause in clauses:
        named = [mq.ids for mq in entities.qualifications if mq.text in clause]
        named += [(u,) for u in entities.units if u in clause or u.split("-")[1] in clause]
        found = [c for c in _claims(clause, Entities()) if c.text is None]
        if len(named) == 1:
            out += [(named[0], c) for c in found]
    return tuple(out)


#: Words that ask for a qualification's prose facts, by the topic that answers them.
TOPIC_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "audience",
        re.compile(
            r"\bwho\b(?! (do|does|should|can|could|would|to|shall)\b)[^?.,;]{0,45}?\b(is|are|it'?s|they'?re)\s+"
            r"(designed |aimed |meant |intended |suitable |suited )?(for|at)\b"
        ),
    ),
    ("progression", re.compile(r"\b(leads? (on )?to|progress(ion)?|go on to|what'?s next|next step)\b")),
    (
        "benefits_employers",
        re.compile(r"\bbenefits? (for|to) (the |my |our )?(employer|organisation|company|business)"),
    ),
    ("learning_resources", re.compile(r"\b(learning materials?|resources|where to buy|materials)\b")),
    ("contact", re.compile(r"\b(phone|telephone|email|e-mail|contact)\b")),
)


def first_mention(text: str, name: str) -> int:
    """Where a question names an attribute or a prose topic, so several are answered in the order asked."""
    rx = next((rx for n, rx in (*ATTRIBUTE_WORDS, *TOPIC_WORDS) if n == name), None)
    m = rx.search(text) if rx is not None else None
    return m.start() if m else len(text)


#: A request for facts worded as a question: "can you give me the email …", "could you list the units".
_REQUEST_START = re.compile(
    r"^(can|could|would|will) (you|u) (please |pls |kindly )?(give|send|tell|show|share|provide|let me know|list|"
    r"explain|outline|describe|find|remind|point)\b"
)
#: "3+4+3 = 10": the figures of units added up, claimed as a total.
_ARITHMETIC = re.compile(r"\d\s*\+\s*\d[^?]*=")


def read_frame(text: str, entities: Entities, confirm: bool = False) -> Frame:
    """The frame of one (lower-cased, cleaned) question. ``confirm``: the asker asked to confirm what follows
    ("can you confirm the number is …"), a wording taken out with the courtesies before the frame is read."""
    verbish = bool(_VERBISH.search(text)) or ("=" in text and not re.search(r"=\s*\?+\s*$", text))  # "… = ?" asks
    request = bool(_REQUEST_START.search(text)) and not _TAG.search(text)  # "can you give me …" asks for a fact
    asks_yes_no = text.rstrip().endswith("?") and not _ANY_WH.search(text) and verbish and not request
    tagged = _TAG.search(text) or _TAG_INSIDE.search(text)
    topic_first = (_YES_NO_AFTER_TOPIC.search(text) or _YES_NO_AFTER_IF.search(text)) and not _ANY_WH.search(text)
    asserts = _ASSERT.search(text)  # "tell me the award is 20 credits": a claim to check, never to adopt
    starts = bool(_YES_NO_START.search(text)) and not request
    yes_no = bool(starts or tagged or topic_first or _REPORTED.search(text) or asserts or asks_yes_no or confirm)
    role = "optional" if _OPTIONAL.search(text) else "mandatory" if _MANDATORY.search(text) else None
    claims = _claims(text, entities) if yes_no else ()
    if not yes_no and text.rstrip().endswith("?") and not _ANY_WH.search(text) and _VERBLESS_CLAIM.search(text):
        yes_no, claims = True, _claims(text, entities)  # "all the units level 3?", "award 12 credits?"
    if not yes_no and (claims := _stated_claims(text, entities)):
        yes_no = True  # "the award has 4 mandatory units": a statement of a figure, to confirm or correct
    subjects = len(entities.qualifications) + len(entities.units) + len(entities.ambiguous_units) + len(entities.groups)
    if re.search(r"\b(all (three|3|of them|the quals|the qualifications)|each of them|every one)\b", text):
        subjects += 2  # "is induction the same for all three?"
    if re.search(r"\b(whichever|either|both|each|any|every|the two) (optional )?(groups?|routes?|options?)\b", text):
        subjects += 2  # "is the GLH the same whichever group you pick?"
    if re.search(r"\b(routes?|pathways?|options?|sides?)\b", text):
        subjects += len(entities.kinds)  # "the coaching route vs the mentoring route"
    operation = LOOKUP
    if (
        (_COMPARE.search(text) or (_SAME.search(text) and subjects >= 2))
        and (not _REMAINDER.search(text) or _THAN.search(text))
        and (subjects >= 2 or re.search(r"\b(which|what)\b", text))
    ):
        operation = COMPARE
    elif (
        _HOW_MUCH_IS_THAT.search(text)
        or (_ARITHMETIC.search(text) and len(entities.units) + len(entities.ambiguous_units) >= 2)  # "304 + 305 = 3+4"
        # "can you mix …? eg 302 + 307" asks a rule, not a sum
        or (not yes_no and _adds_up(text, len(entities.units) + len(entities.ambiguous_units)))
        or (
            (_SUM.search(text) or _TOGETHER.search(text))
            and not re.search(r"\b(i've|i have|i did|done|passed|completed)\b", text)
        )
    ):
        operation = SUM
    elif _SUPERLATIVE.search(text) and re.search(
        r"\b(which|what)\b|\bof the (three|3|two|2|lot|quals|units)\b|"
        r"^(the )?(biggest|largest|smallest|longest|shortest|most|least|highest|lowest)\b|"
        r"\b(biggest|largest|smallest|highest|lowest|most|least) first\b|"
        r"\b(rank|ranked|sort|sorted|order|ordered) by\b",
        text,
    ):
        operation = SUPERLATIVE
    elif claims or (yes_no and (role or entities.units or len(entities.groups) > 1)):
        operation = CHECK
    named = _outside_titles(text, entities)
    return Frame(
        operation=operation,
        attribute=attribute_of(named),
        attributes=tuple(name for name, rx in ATTRIBUTE_WORDS if rx.search(named)),
        claims=claims,
        yes_no=yes_no,
        role=role,
        smallest=bool(_SMALLEST.search(text)),
        order=tuple(t[1:-1] for t in re.findall(r"\{(?:qualification|unit|group)\}", entities.template)),
        only_in=only_in(entities) if yes_no else (),
        titled=claimed_titles(entities) if yes_no else (),
        kind_claim=kind_claim(entities) if yes_no else None,
        paired=paired_claims(text, entities, claims) if yes_no and not _ARITHMETIC.search(text) else (),
        filter=unit_filter(text, yes_no) if not entities.units else None,
        alternatives=bool(entities.units) and bool(_EITHER_QUAL.search(entities.template)),
        premises=premise_claims(text, entities) if not yes_no else (),
        topics=tuple(name for name, rx in TOPIC_WORDS if rx.search(text)),
        **_progress_fields(entities, text, yes_no),
    )


def _outside_titles(text: str, entities: Entities) -> str:
    """The question without the units it names by title: "Good Practice in Workplace Coaching" is a name, and
    its "practice" is not the attribute asked about. The template has each title as {unit}; the kinds it
    marks are put back as words (either kind reads the same to the attribute words)."""
    if not entities.titled:
        return text
    return entities.template.replace("{kind}", "coaching").replace("{hours}", "1 hours")


def _progress_fields(entities: Entities, text: str, yes_no: bool) -> dict[str, object]:
    if not yes_no:
        return {}
    source, target, words = progress_route(entities, text)
    return {"progress_from": source, "progress_to": target, "progress_words": words} if source else {}
