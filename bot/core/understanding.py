"""Decide what a turn means, using the intent ranking, the entities and the dialogue context.

This is where follow-ups ("and the Award?"), answers to a clarification
("the mentoring one") and entity-driven choices (credits of a *unit* vs of
a *qualification*) are settled, before any answer is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from bot.answers.handlers import BEHAVIOUR
from bot.knowledge.models import Knowledge
from bot.nlu.context import DialogueContext
from bot.nlu.entities import Entities
from bot.nlu.frame import attribute_of
from bot.nlu.matcher import THRESHOLD, Ranking
from bot.nlu.normalise import tokens

#: Intents whose meaning depends only on whether the subject is a unit or a qualification.
FAMILIES: tuple[dict[str, str], ...] = (
    {"unit": "unit_credits", "qualification": "qualification_credits"},
    {"unit": "unit_glh", "qualification": "qualification_glh"},
    {"unit": "unit_lookup", "qualification": "qualification_overview"},
)
UNIT_INTENTS = frozenset(intent for intent, how in BEHAVIOUR.items() if how.unit_topic)
_FOLLOWUP_WORDS = frozenset(
    [
        "and",
        "what",
        "about",
        "how",
        "many",
        "for",
        "the",
        "then",
        "with",
        "of",
        "same",
        "too",
        "also",
        "instead",
        "ok",
        "okay",
        "so",
        "plus",
        "is",
        "it",
        "that",
        "one",
        "a",
        "an",
        "in",
        "on",
        "please",
        "thanks",
        "what's",
        "whats",
        "other",
        "cool",
        "great",
        "nice",
        "right",
        "alright",
        "ok",
        "oh",
        "ah",
        "cheers",
        "ta",
        "version",
    ]
)
_ALSO = re.compile(r"\b(also|as well|too|plus|in addition|additionally|another|then)\b")
_DONE_BEFORE = re.compile(
    r"\b(done|did|completed?|finished|passed|got|have|hold|achieved)\b(?:[^{?!.]|\{unit\}|\{hours\}){0,60}$"
)
#: "…from my {qualification}", "…on my {qualification}": a qualification the units came from.
_HELD_BEFORE = re.compile(r"\b(from|on|in|during|through|with|as part of) (my|the|an?)\s*$")
#: Units or things done spoken of: only then can "on the {qualification}" be where they came from, not
#: a subject ("is the tutorial support on the C&M the same as on the Award?").
_SPEAKS_OF_DONE = re.compile(r"\{unit\}|\{hours\}|\b(done|did|completed?|finished|passed|got|have|had|hold|achieved)\b")
#: "{qualification} done (304 305 307)": the qualification named, then said to be done.
_DONE_AFTER = re.compile(r"^\s*(?:is |was |all |now |already )*(?:done|completed|finished|passed|achieved|sorted)\b")
#: "have I got the {qualification} …?": asked, not stated, so never read as held.
_ASKS_HELD = re.compile(r"\b(?:have|has|did|do|does|am|is)\s+(?:i|you|we|they|he|she)\b[^{]*$")
_ORDINALS = {"first": 0, "1": 0, "one": 0, "second": 1, "2": 1, "two": 1, "third": 2, "3": 2, "three": 2}
_GENERIC = frozenset(
    {"the", "one", "in", "and", "of", "certificate", "cert", "level", "ilm", "3", "l3", "qualification"}
)


_PRONOUN = re.compile(r"\b(its|it's|it|that one|this one|that|this|they|them)\b")


def resolve_pronoun(template: str, ctx: DialogueContext) -> str:
    """'what about its GLH' after talking about a qualification: match as 'what about {qualification} GLH'.

    Only when the question names nothing itself and the conversation has a subject."""
    if "{" in template or not (ctx.qualifications or ctx.units):
        return template
    about_unit = ctx.intent in UNIT_INTENTS and bool(ctx.units)
    placeholder = "{unit}" if about_unit else "{qualification}"
    return _PRONOUN.sub(placeholder, template, count=1)


def family_of(intent: str) -> dict[str, str] | None:
    return next((f for f in FAMILIES if intent in f.values()), None)


def is_followup(template: str) -> bool:
    """'and the {qualification}?' or 'what about {unit}': only entities and connecting words."""
    toks = tokens(template)
    has_entity = any(t.startswith("{") for t in toks)
    rest = [t for t in toks if not t.startswith("{") and t not in _FOLLOWUP_WORDS]
    return has_entity and not rest and len(toks) <= 8


def retarget(intent: str, has_unit: bool, has_qualification: bool, ctx: DialogueContext) -> str:
    """Within a family, pick the member that fits what the question is about."""
    family = family_of(intent)
    if family is None:
        return intent
    if has_unit and not has_qualification:
        return family["unit"]
    if has_qualification and not has_unit:
        return family["qualification"]
    if not has_unit and not has_qualification:
        about_unit = ctx.intent in UNIT_INTENTS and bool(ctx.units)
        return family["unit"] if about_unit else family["qualification"]
    return intent


def choose_intent(ranking: Ranking) -> str | None:
    """The best intent when it is above the threshold with a clear margin (family members tie harmlessly)."""
    best = ranking.best
    if best is None:
        return None
    if ranking.certain:
        return best.intent
    if best.confidence >= THRESHOLD and len(ranking.matches) > 1:
        second = ranking.matches[1].intent
        fam = family_of(best.intent)
        if fam and second in fam.values():
            return best.intent
    return None


def resolve_choice(text: str, entities: Entities, candidates: tuple[str, ...], knowledge: Knowledge) -> str | None:
    """Which of the offered qualifications a reply means: a name, 'the mentoring one', 'the second'."""
    for qid in entities.qualification_ids:
        if qid in candidates:
            return qid
    for mention in entities.qualifications:
        inter = [i for i in mention.ids if i in candidates]
        if len(inter) == 1:
            return inter[0]
    words = [t for t in tokens(text) if t not in _GENERIC]
    for w in words:
        if w in _ORDINALS and _ORDINALS[w] < len(candidates) and len(words) <= 3:
            return candidates[_ORDINALS[w]]
    if not words:
        return None
    scores: list[tuple[float, str]] = []
    for qid in candidates:
        q = knowledge.qualifications[qid]
        name_words = {t for t in tokens(q.short_title) if t not in _GENERIC}
        if not name_words:
            continue
        hit = sum(1 for n in name_words if any(fuzz.ratio(n, w) >= 80 for w in words))
        stray = sum(1 for w in words if w in {"coaching", "mentoring", "award"} and w not in name_words)
        scores.append((hit / len(name_words) - 0.5 * stray, qid))
    scores.sort(reverse=True)
    if scores and scores[0][0] > 0 and (len(scores) == 1 or scores[0][0] > scores[1][0]):
        return scores[0][1]
    return None


@dataclass(frozen=True)
class Slots:
    quals: tuple[str, ...]
    ambiguous: tuple[str, ...]
    source_quals: tuple[str, ...]


def qualification_slots(entities: Entities, template: str) -> Slots:
    """Split the qualifications named into targets and ones the user says they already hold."""
    quals: list[str] = []
    sources: list[str] = []
    ambiguous: tuple[str, ...] = ()
    parts = template.split("{qualification}")
    for i, mention in enumerate(entities.qualifications):
        before = parts[i] if i < len(parts) else ""
        if mention.ambiguous:
            ambiguous = ambiguous or mention.ids
            continue
        last = i == len(entities.qualifications) - 1
        if _HELD_BEFORE.search(before) and not last and _SPEAKS_OF_DONE.search(template):
            continue  # where the units came from, not a qualification claimed or asked about
        after = parts[i + 1] if i + 1 < len(parts) else ""
        stated = (_DONE_BEFORE.search(before) and not _ASKS_HELD.search(before)) or _DONE_AFTER.search(after)
        held = bool(stated) and not last
        (sources if held else quals).append(mention.ids[0])
    if ambiguous and set(ambiguous) & set(quals):
        ambiguous = ()  # "the coaching & mentoring certificate": the name already settled it
    # "done 305 and 307 of the award, I have award now?": a qualification asked about is never also held,
    # which would add units the asker didn't state to the check of that same qualification.
    sources = [s for s in sources if s not in quals]
    return Slots(tuple(dict.fromkeys(quals)), ambiguous, tuple(dict.fromkeys(sources)))


_SEVERAL = re.compile(
    r"\b(qualifications|quals|certificates|certs|ones|both|all (?:of )?(?:them|three|the)|each (?:of|one)|every|"
    r"(?:two|2|three|3) (?:certificate|cert|qualification|qual|award|course)s?)\b"
)


def asks_for_several(text: str) -> bool:
    """'the mentoring qualifications', 'both certificates': answer for each rather than ask which."""
    return bool(_SEVERAL.search(text))


_COMPARISON = re.compile(r"\b(compare[sd]?|comparing|comparison|versus|vs|differen(?:ce|t)|differ)\b")


def asks_to_compare(text: str) -> bool:
    return bool(_COMPARISON.search(text))


_STILL_TO_DO = re.compile(
    r"\b(more|further|additional|left|remaining|to go|still|outstanding|enough|sorted|covered|complete|met|"
    r"is that it)\b"
)
#: Questions about an hours requirement that become "how many more?" once the user says what they've done.
HOURS_TOPICS = frozenset({"tutorial_support", "induction", "practice_hours"})


def hours_carried(entities: Entities, ctx: DialogueContext, text: str) -> Entities:
    """'I've done 2 hours of mentoring' then 'I'm on the Award, how many more do I need?': the hours (and kind)
    the asker said they have done stay theirs for the turns after, until they state others."""
    if entities.hours is not None or ctx.hours is None or ctx.intent != "hours_remaining":
        return entities
    if not _STILL_TO_DO.search(text):
        return entities
    return replace(entities, hours=ctx.hours, kinds=entities.kinds or ctx.kinds)


def asks_hours_left(intent: str, hours: float | None, text: str) -> bool:
    """'had 1 hour of tutorial support, how much more?': the amount done turns a fact into a remainder."""
    return intent in HOURS_TOPICS and hours is not None and bool(_STILL_TO_DO.search(text))


_OWN_RECORD = re.compile(
    r"\b(i've|i have|have i|i had|had|logged|log|recorded|record|so far|my|on track|am i|done|left|behind|status)\b"
)


#: "Have I got that right?" asks whether a claim is right, not about the asker's record.
_CHECKING_ME = re.compile(r"\b(have i|i've|did i) (got|get|understood) (that|it|this|these|those) (right|correct)\b")


def checking_me(text: str) -> str:
    """The text without "have I got that right?", which asks whether a claim is right, not about the asker."""
    return _CHECKING_ME.sub(" ", text)


def about_own_record(text: str) -> bool:
    """'how many hours have I logged?' is about the asker's record; 'how many hours do I need?' is not."""
    return bool(_OWN_RECORD.search(checking_me(text)))


def refers_to_other(text: str) -> bool:
    return bool(re.search(r"\b(the )?other (one|cert|certificate|qualification)?\b", text))


def mentions_also(text: str) -> bool:
    return bool(_ALSO.search(text))


#: A unit mention in the question's own words: a code ("8577-305") or a bare unit number ("305").
_UNIT_MENTION = re.compile(r"(?<![\d.£$])(?:\d{4}\s?[-/\s.]?\s?)?(\d{3})(?!\d)")
#: Where one statement ends and the next begins: what is asked about is in its own clause.
_CLAUSE_END = re.compile(r"[.?!;]|\s[-–—]\s|\bbut\b")
#: Words after which a unit is the one asked about, not one done: "do I still need 304?",
#: "5 hrs mentoring for 305", "what about 306?".
_ASKING = re.compile(
    r"\b(?:need|needed|needs|require[sd]?|what about|how about|and what of|(?:hours?|hrs?)\b[^.?!]*\bfor|"
    r"instead of|is|does)\b"
)
#: Words after which a unit is one the asker has: "have 304", "got 8577-305", "passed 307".
_DOING = re.compile(r"\b(?:done|did|have|i've|ive|got|passed|completed?|finished|hold|achieved)\b")
#: Someone else the asker speaks for: "my team member did 300 and 304", "an employee has passed 305".
_THIRD_PERSON = (
    r"member|colleague|employee|learner|mentee|coachee|report|staff|student|candidate|trainee|apprentice|delegate|"
    r"person|someone|somebody"
)
#: Stating units without "I": "did 304 305 307", "have 8577-304, …", "got 8578-300", "304 and 307 done".
_STATED_UNITS = re.compile(
    r"(?:(?:^|[,:;.!?(]\s*|\b(?:i|i've|ive|we|he|she|they|already|also|now|just|only|and|but|have|has)\s+)"
    r"(?:did|done|have|has|got|hold|passed|completed?|finished|achieved)"
    rf"|\b(?:{_THIRD_PERSON})s?\s+(?:has\s+|have\s+)?(?:did|done|got|passed|completed|finished|achieved))\s+"
    r"(?:all (?:of )?|both |the (?:\w+ ){0,3}units? |units? )?(?:\d{4}\s?[-/\s.]?\s?)?\d{3}(?!\d)"
    r"|(?<![\d.])\d{3}(?:\s*(?:,|and|&|\+)\s*(?:\d{4}\s?[-/\s.]?\s?)?\d{3})*\s+(?:done|completed|passed|finished)\b"
)


def states_units_done(text: str) -> bool:
    """The asker says which units they have, with or without "I": a personal check, not a rules question."""
    return bool(_STATED_UNITS.search(text))


#: Words that deny what follows: "but not 304", "except 304", "still missing 304", "haven't done 304",
#: "failed 305", "resitting 305", "retaking 305", "still to do 305": a unit failed or being retaken is not done.
_NEGATING = re.compile(
    r"\b(?:not|never|except|excluding|apart from|other than|without|minus|missing|lacking|yet to|still to|havent|"
    r"hasnt|didnt|dont|doesnt|fail(?:ed|ing)?|flunked|re-?sit(?:ting)?|re-?tak(?:e|ing))\b|n't\b"
)
#: A doing word the negation covers: "haven't done", "not yet finished", "didn't do".
_NEGATED_DOING = re.compile(
    r"(?:(?:\b(?:not|never|yet to)|n't|\b(?:havent|hasnt|didnt|dont))(?:\s+(?:yet|actually|really|even|already))?"
    r"|\b(?:not sure|unsure|not certain|(?:do|ca)n't (?:know|remember)|dont know|cant remember)"
    r"(?:\s+(?:if|whether))?(?:\s+(?:i've|ive|i have|i|we|they've|they|she's|he's|she|he))?)\s*$"
)


#: Words after which a unit is in progress, so not done: "I'm on 306", "currently doing 305",
#: "halfway through 302", "started 306", "working on 307".
_IN_PROGRESS = re.compile(
    r"\b(?:(?:i'?m|im|i am|we'?re|they'?re|(?:he|she)'?s|(?:is|are)|currently|still|now)\s+(?:currently\s+|still\s+)?"
    r"(?:on|doing|working on|studying|taking)|(?:half|part|mid)[\s-]?way through|in the middle of|"
    r"(?:have |has |i've |ive )?(?:just )?start(?:ed|ing)(?: on)?|working on|in progress|underway)\b"
)


def _last_word(pattern: re.Pattern[str], clause: str) -> int:
    return max((m.end() for m in pattern.finditer(clause)), default=-1)


def _unit_roles(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The unit numbers a question asks about, and those it says are not done, each decided in its clause
    by which kind of word comes last before it: asking ("need"), denying ("but not"), in progress
    ("I'm on", "halfway through": not done yet) or doing ("done")."""
    asked: set[str] = set()
    denied: set[str] = set()
    for m in _UNIT_MENTION.finditer(text):
        clause = _CLAUSE_END.split(text[: m.start()])[-1]
        ask = _last_word(_ASKING, clause)
        dos = [d for d in _DOING.finditer(clause) if not _NEGATED_DOING.search(clause[: d.start()])]
        do = max((d.end() for d in dos), default=-1)
        if max(_last_word(_NEGATING, clause), _last_word(_IN_PROGRESS, clause)) > max(do, ask):
            denied.add(m.group(1))
        elif ask > do:
            asked.add(m.group(1))
    return frozenset(asked), frozenset(denied)


def units_asked_about(text: str) -> frozenset[str]:
    """Unit numbers the question asks about rather than states as done ("…do I still need 304?").

    A unit is asked about when, within its clause, an asking word comes after the last doing word;
    such a unit is never counted as done."""
    return _unit_roles(text)[0]


def units_denied(text: str) -> frozenset[str]:
    """Unit numbers the asker says are not done: "but not 304", "except 304", "haven't done 304",
    "still missing 304", or still in progress ("I'm on 306"). Never counted as done, whatever else
    the message states."""
    return _unit_roles(text)[1]


#: Words after which a list of what the asker has (or would have) done begins.
_DONE_WORDS = frozenset(
    re.findall(
        r"\S+",
        "done did have has i've ive got passed completed complete finished hold achieved took "
        "completes finishes passes takes",
    )
)
#: Present-tense doing words: stated only in a hypothesis ("if I do 300, 304 plus both group 2 modules").
_DO_WORDS = frozenset(re.findall(r"\S+", "do doing complete finish pass take"))
_SUPPOSING = frozenset(re.findall(r"\S+", "if suppose supposing say"))
#: What a list of units and groups may hold besides its items: "…, 304 plus both the group 2 units".
_LIST_FILL = frozenset(
    re.findall(r"\S+", "{unit} and plus & + also both all of the my units unit modules module ones as well")
)
_MANDATORY_WORDS = frozenset(re.findall(r"\S+", "mandatory mandatories core compulsory"))
_NOT_WORDS = frozenset(re.findall(r"\S+", "not never haven't hasn't didn't don't havent hasnt didnt dont yet"))
_PRONOUNS = frozenset(re.findall(r"\S+", "i you we they he she"))


def groups_stated(template: str, groups: tuple[str, ...]) -> tuple[str, ...]:
    """Groups the asker says they have done, as items of a list of what they have done:
    "I've done 300, 304 and both group 2 modules", "if I only do the core units" ("mandatory").

    "Have I done group 2?", "haven't done group 1" and "which units are in group 2?" state nothing."""
    toks = template.split()
    stated: list[str] = []
    listing = False
    seen = 0
    for i, tok in enumerate(toks):
        group = groups[seen] if tok == "{group}" and seen < len(groups) else None
        seen += tok == "{group}"
        before = toks[max(i - 4, 0) : i]
        if tok in _DONE_WORDS or (tok in _DO_WORDS and _SUPPOSING & set(before)):
            asked = len(before) >= 2 and before[-1] in _PRONOUNS and before[-2] in ("have", "has", "did", "do")
            listing = not asked and not (before and before[-1] in _NOT_WORDS) and before[-1:] != ["to"]
        elif listing and group is not None:
            stated.append(group)
        elif listing and tok in _MANDATORY_WORDS:
            stated.append("mandatory")
        elif tok not in _LIST_FILL:
            listing = False
    return tuple(dict.fromkeys(stated))


#: "I've got the {qualification}", "finished the {qualification} last year", "i'm on the {qualification}":
#: the asker says what they hold (or are studying), a fact about them to keep for the turns after.
_STUDYING_VERBS = frozenset(
    {"on", "doing", "studying", "enrolled on", "started", "am on", "'m on", "m on", "am doing", "'m doing"}
    | {"am studying", "'m studying", "am enrolled on", "'m enrolled on"}
)
_HOLDS = re.compile(
    r"^(?:(?:yes|yeah|so|well|ok|okay|hi|hello|fyi|btw|just so you know)\W+)*"
    r"(?:i've\s+|ive\s+|i have\s+|i am\s+|i\s*)?(?:already\s+|now\s+|currently\s+)?"
    r"(?P<verb>got|done|did|finished|completed?|passed|achieved|hold|have|"
    + "|".join(re.escape(v) for v in sorted(_STUDYING_VERBS, key=len, reverse=True))
    + r")\s+(?:the\s+|my\s+|an?\s+)?\{qualification\}(?P<tail>(?:\s+[\w'{}]+){0,4})\W*$"
)
#: A tail that turns the statement into a question ("…, what next?") or a hypothesis.
_NOT_A_STATEMENT = re.compile(r"\b(what|how|which|why|when|can|could|does|do|is|will|would|if|should)\b")


def holds_statement(template: str, text: str) -> str | None:
    """'held' or 'studying' when the message only says what the asker holds or is on; else None.

    A statement with no question in it: the bot acknowledges it and remembers it for the next turn."""
    if "?" in text:
        return None
    m = _HOLDS.search(template.strip())
    if m is None or _NOT_A_STATEMENT.search(m.group("tail")):
        return None
    return "studying" if m.group("verb") in _STUDYING_VERBS else "held"


#: The attribute a figure-answering topic was about, for follow-ups on that figure.
FIGURE_OF = {
    "qualification_credits": "credits",
    "unit_credits": "credits",
    "qualification_glh": "glh",
    "unit_glh": "glh",
}
_WHY = re.compile(r"^(?:(?:but|and|so|ok|okay|hmm|huh|wait)\W+)*(?:why|how come|how so|how's that|how is that)\b")


def asks_why(text: str, names_something: bool) -> bool:
    """'why 10?', 'how come?': an explain follow-up on the figure just given (short, naming nothing new)."""
    return bool(_WHY.search(text)) and (len(text.split()) <= 4 and not names_something)


_HOW_MANY_MORE = re.compile(
    r"^(?P<head>(?:(?:and|so|ok|okay|then|what about)\W+)*how (?:many|much)) (?P<more>more|less|fewer)\b(?P<rest>.*)$"
)


def completes_comparison(text: str, template: str, ctx: DialogueContext, subject: str) -> str | None:
    """'how many more is the cert in mentoring?' after the Award's credits: the same attribute, against
    the previous subject ("how many more credits is the cert in mentoring than the {subject}?")."""
    attribute = FIGURE_OF.get(ctx.intent or "")
    m = _HOW_MANY_MORE.search(text.strip().rstrip("?!. "))
    if attribute is None or m is None or " than " in f" {m.group('rest')} " or "{" not in template:
        return None
    if attribute_of(m.group("rest")) is not None:
        return None
    return f"{m.group('head')} {m.group('more')} {attribute}{m.group('rest')} than {subject}?"
