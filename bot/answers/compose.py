"""Operations over facts: check a claim, compare subjects, find the biggest, add up.

These run on the frame's operation and attribute, for any subject the
attribute applies to (qualifications, units, groups), so "is 8578-302 worth
more than 8578-303?", "which group has more GLH?" and "my manager reckons
the Award is 12 credits" are one mechanism each, not one case each. They
return ``None`` when the operation does not apply, and the topic's own
handler answers instead.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.answers.answer import Row, lead_with
from bot.answers.attributes import ATTRIBUTE_NOUNS, Facts, Subject, Value
from bot.answers.describe import describe_rule
from bot.answers.request import Reply, Request, attribute_of_topic
from bot.answers.units import described_units
from bot.knowledge.models import Knowledge
from bot.nlu.frame import CHECK, COMPARE, LOOKUP, SUM, SUPERLATIVE, Claim
from bot.rules.explain import hours_text, join
from bot.rules.requirements import CreditsFromGroup, walk

#: How a value reads after its subject: "the Award is worth 10 credits", "8577-306 has 12 guided learning hours".
_VERB = {
    "credits": "is worth",
    "glh": "has",
    "unit_count": "needs",
    "mandatory_units": "has",
    "level": "is at",
    "induction": "includes",
    "tutorial": "includes",
    "practice": "requires",
    "email": "has the email address",
    "phone": "has the phone number",
    "number": "has as its qualification number",
}
_LESS = re.compile(r"\b(less|fewer|smaller|shorter|lower|lighter)\b")
SAME = re.compile(r"\b(same|equal|identical)\b")
_SIZE = re.compile(r"\b(big|bigger|biggest|small|smaller|smallest|large|larger|largest|size|value)\b")
_EVERY_UNIT = re.compile(r"\b(every|all( the| of the)?|each) units?\b|\bunits? listed\b")
_SCHEME = re.compile(r"\b(8577|8578)\b(?![-/ ]?\d)")
#: "total GLH for the C&M if I go the coaching route": the whole qualification through that group.
_VIA = re.compile(r"\b(route|via|through|doing|if i (go|do|pick|choose|take)|going)\b")
_ROUTE = re.compile(r"\b(route|routes|pathway|pathways|option|options|way|ways)\b")


def compose(intent: str, req: Request) -> Reply | None:
    """Answer the frame's operation, or ``None`` to let the topic handler answer."""
    f = req.frame
    attribute = f.attribute or attribute_of_topic(intent)
    facts = Facts(req.knowledge, req.engine)
    if f.paired and f.yes_no:  # "since 305 is 6 credits the Award must total 12, yes?": each figure on its own
        return check_pairs(req, facts, attribute)
    if f.operation == CHECK and (f.claims or len(req.groups) > 1):
        return check_claims(req, facts, f.claims, attribute)
    if f.operation == COMPARE and len(f.attributes) > 1 and len(req.quals) > 1:
        return None  # several attributes of qualifications: the compare topic's table of just those
    if f.operation == COMPARE and attribute is None and f.yes_no and _SIZE.search(req.text):
        return compare_size(req, facts)
    if f.operation == COMPARE and attribute is None:
        return compare_all(req, facts)
    if f.attribute is None and f.operation in (SUPERLATIVE, SUM) and _SIZE.search(req.text):
        attribute = "credits"  # "the biggest qualification": by credit value
    if attribute is None:
        return None
    if f.operation == COMPARE:
        mandatory = attribute == "credits" and f.role == "mandatory" and not (req.units or req.groups)
        return compare_on(req, facts, "mandatory_credits" if mandatory else attribute)  # "… mandatory credits vs …"
    if f.operation == LOOKUP and req.groups and not req.units:
        return group_fact(req, facts, attribute)
    if f.operation == SUPERLATIVE:
        return extreme(req, facts, attribute)
    if f.operation == SUM:
        summed = total(req, facts, attribute)
        return summed if summed is not None or not f.claims else check_claims(req, facts, f.claims, attribute)
    return None


# -- subjects -------------------------------------------------------------------


def group_owner(k: Knowledge, group: str, quals: tuple[str, ...]) -> str | None:
    owners = [q.id for q in k.qualifications.values() if any(g.id == group for g in q.groups)]
    named = [q for q in owners if q in quals]
    return (named or owners or [None])[0] if len(named or owners) == 1 else None


def route_groups(req: Request) -> tuple[str, ...]:
    """'the coaching route' is the group whose practice unit is coaching (C&M Group 1)."""
    if not (req.kinds and _ROUTE.search(req.text)) and not req.has("coaching (one|side)", "mentoring (one|side)"):
        return ()
    out: list[str] = []
    for q in req.knowledge.qualifications.values():
        if req.quals and q.id not in req.quals:
            continue
        for g in q.groups:
            kinds = {req.knowledge.units[r].practice.kind for r in g.units if req.knowledge.units[r].practice}  # type: ignore[union-attr]
            if g.id != "mandatory" and kinds & set(req.kinds):
                out.append(g.id)
    return tuple(dict.fromkeys(out))


_EVERY_GROUP = re.compile(
    r"\b(which|whichever|either|both|each|any|every|all the|the two|both the) (optional )?(groups?|routes?|options?)\b"
)


def _every_group(req: Request) -> tuple[str, ...]:
    """'Is the GLH the same whichever group you pick?': every optional group of the qualification in play."""
    if not _EVERY_GROUP.search(req.text):
        return ()
    quals = req.quals or tuple(req.knowledge.qualifications)
    return tuple(g.id for q in quals for g in req.knowledge.qualifications[q].groups if g.id != "mandatory")


def subjects_of(req: Request) -> list[Subject]:
    """Everything the question names that facts can be about, in the order it names them:
    units, groups (or routes), and qualifications other than a named group's own."""
    k = req.knowledge
    units = [Subject("unit", r) for r in req.units]
    groups = []
    for gid in req.groups or route_groups(req) or _every_group(req):
        owner = group_owner(k, gid, req.quals)
        if owner:
            groups.append(Subject("group", gid, owner))
    owners = {g.owner for g in groups}
    quals = [Subject("qualification", q) for q in req.quals if q not in owners or not (units or groups)]
    if (units or groups) and len(quals) < 2 and not (len(units) + len(groups) == 1 and quals):
        quals = []
    pools = {"unit": units, "group": groups, "qualification": quals}
    ordered = [pools[kind].pop(0) for kind in req.frame.order if pools.get(kind)]
    return ordered + units + groups + quals


def _valued(facts: Facts, subjects: list[Subject], attribute: str) -> list[tuple[Subject, Value]]:
    out = []
    for s in subjects:
        v = facts.value(s, attribute)
        if v is not None:
            out.append((s, v))
    return out


def _sentence(k: Knowledge, s: Subject, attribute: str, v: Value) -> str:
    label = s.label(k)
    if attribute == "number":
        number = k.qualifications[s.id].qualification_number if s.kind == "qualification" else None
        if not number:
            return f"the brochure gives no qualification number for {label}"
        return f"the qualification number of {label} is {number}"
    least = "at least " if v.minimum else ""
    return f"{label} {_VERB.get(attribute, 'has')} {least}{v.text}"


# -- claims ------------------------------------------------------------------------


def _claimed_about(req: Request, claim: Claim, attribute: str) -> list[Subject]:
    """Who a claim is about. A qualification number also names its qualification, so in
    "is 601/3698/4 the number of the Certificate in Mentoring?" the subject is the other one."""
    subjects = subjects_of(req)
    if req.units and attribute in ("credits", "glh", "practice", "level"):
        return [s for s in subjects if s.kind == "unit"]
    if attribute == "level" and _ALL_UNITS.search(req.text):  # "are all the units level 3?"
        quals = req.quals or tuple(req.knowledge.qualifications)
        return [Subject("unit", r) for r in sorted({r for q in quals for r in req.knowledge.units_of_ids(q)})]
    if _A_UNIT.search(req.text) and attribute in ("credits", "glh", "practice", "level"):
        # "The extended mentoring unit is 7 credits?": the unit described, never the qualifications named.
        return [Subject("unit", r) for r in described_units(replace(req, quals=()))]
    if attribute == "number" and claim.text and len(req.quals) > 1:
        named = [q for q in req.knowledge.qualifications.values() if q.qualification_number == claim.text]
        return [s for s in subjects if s.kind != "qualification" or s.id not in {q.id for q in named}]
    if attribute in ("email", "phone", "number"):
        return [s for s in subjects if s.kind == "qualification"] or [
            Subject("qualification", q) for q in req.knowledge.qualifications
        ]
    return subjects


_ALL_UNITS = re.compile(r"\b(all|every|each)( of)?( the)? (units|modules)\b|\bunits (all|each)\b")
#: "the extended mentoring unit", "this unit": one unit described, not named by its code.
_A_UNIT = re.compile(r"\b(the|this|that|a)\s+(?:[a-z&-]+\s+){1,4}unit\b(?!s)")

_QUAL_NUMBER = re.compile(r"\d{3}/\d{4}/\d")
_NAMES_IDENTIFIER = {"email": r"e-?mail|address", "phone": r"phone|number|call|ring", "number": r"number|no\b|code"}


def _claim_in_topic(req: Request, attribute: str, topic: str | None) -> bool:
    """A level or identifier is only a claim when the question is about that ("is the Award level 3?",
    "is the email customer@…?"), not when it is part of a name ("the Level 3 Award") or of a question
    about something else ("target audience for 601/3698/4?")."""
    if attribute == "level":
        return topic == "level"
    if attribute == "number" and any(c.text and _QUAL_NUMBER.fullmatch(c.text) for c in req.frame.claims):
        return True  # "our HR system has the C&M down as 601/3689/4": the shape says what it claims
    if attribute in _NAMES_IDENTIFIER:
        return topic == attribute or bool(re.search(rf"\b({_NAMES_IDENTIFIER[attribute]})", req.text))
    return True


def check_claims(req: Request, facts: Facts, claims: tuple[Claim, ...], fallback: str | None) -> Reply | None:
    """'Is the Award 12 credits?': Yes or No from the knowledge, with the true figure; never the claimed one."""
    k = req.knowledge
    lines: list[str] = []
    verdicts: list[bool] = []
    judged: list[tuple[Subject, bool]] = []
    for claim in claims:
        attribute = claim.attribute or fallback
        if attribute is None or not _claim_in_topic(req, attribute, fallback):
            continue
        about = _claimed_about(req, claim, attribute)
        for s, v in _valued(facts, about, attribute):
            capped = v.minimum and bool(_UPPER_BOUND.search(req.text))  # "is 4 hours the max?": it's a minimum
            if _ENOUGH.search(req.text) and claim.text is None and v.single is not None:
                verdicts.append(claim.value >= v.single)  # "20 hours in total, is that enough?"
            else:
                verdicts.append(v.agrees(claim.value, claim.text) and not capped)
            judged.append((s, verdicts[-1]))
            lines.append(_sentence(k, s, attribute, v) + (": a minimum, not a maximum" if capped else ""))
        lines += _whose(k, claim, attribute, {s.id for s in about})
    if (apart := _groups_apart(req)) is not None:  # "you'll need both Group 1 and Group 2"
        verdicts.append(bool(EITHER.search(req.text)))  # "10 from Group 1 OR 10 from Group 2?" says the rule
        lines.append(apart)
    if not verdicts:
        return None
    verdict = "Yes" if all(verdicts) else "No"
    mixed = any(ok for _, ok in judged) and not all(ok for _, ok in judged)
    if len(claims) == 1 and len({s for s, _ in judged}) > 1 and mixed and len(verdicts) == len(judged):
        # "Is the certificate 13 credits?": true of one certificate, not of the other.
        right = join([s.short(k) for s, ok in judged if ok])
        verdict = f"Yes for {right}, but not for {join([s.short(k) for s, ok in judged if not ok])}"
    return Reply(lead_with(verdict, "; ".join(lines) + "."))


def check_pairs(req: Request, facts: Facts, fallback: str | None) -> Reply | None:
    """'Award = 3 units, Certificate in Mentoring = 3 units, C&M = 4 units?': each figure against the subject it
    was said of. An unclear name ("the cert") is right when one of the things it could mean has the figure."""
    k = req.knowledge
    lines: list[str] = []
    verdicts: list[bool] = []
    for ids, claim in req.frame.paired:
        attribute = claim.attribute or fallback or next((c.attribute for c in req.frame.claims if c.attribute), None)
        if attribute is None:
            return None
        kind = "unit" if ids[0] in k.units else "qualification"
        valued = _valued(facts, [Subject(kind, i) for i in ids], attribute)
        right = [(s, v) for s, v in valued if v.agrees(claim.value, claim.text)]
        verdicts.append(bool(right))
        lines += [_sentence(k, s, attribute, v) for s, v in (right or valued)]
    if not verdicts:
        return None
    return Reply(lead_with("Yes" if all(verdicts) else "No", "; ".join(dict.fromkeys(lines)) + "."))


def premise_note(req: Request) -> str:
    """' (Note: the Award is worth 10 credits, not 15.)': a figure the question took for granted, corrected."""
    k = req.knowledge
    facts = Facts(k, req.engine)
    notes = []
    for ids, claim in req.frame.premises:
        attribute = claim.attribute or req.frame.attribute
        if attribute is None:
            continue
        kind = "unit" if ids[0] in k.units else "qualification"
        for s, v in _valued(facts, [Subject(kind, i) for i in ids], attribute):
            if not v.agrees(claim.value, None):
                notes.append(f"{_sentence(k, s, attribute, v)}, not {hours_text(claim.value)}")
    return f" (Note: {'; '.join(notes)}.)" if notes else ""


EITHER = re.compile(r"\b(or|either|one or the other|one of (the|them))\b")


_ENOUGH = re.compile(r"\b(enough|sufficient|suffice|cover it|covers it|meet the|meets the)\b")
_UPPER_BOUND = re.compile(r"\b(max|maximum|at most|up to|no more than|cap|capped|limit(ed)?|most you)\b")


def _groups_apart(req: Request) -> str | None:
    """Two groups named in a yes/no that are options of one choice: they never both count."""
    if len(req.groups) < 2 or not req.frame.yes_no:
        return None
    for q in req.knowledge.qualifications.values():
        for node in walk(q.rules):
            options = {o.group for o in getattr(node, "options", ()) if isinstance(o, CreditsFromGroup)}
            if set(req.groups) <= options:
                return f"the {q.title} takes {describe_rule(node, q, req.knowledge)}"
    return None


def _whose(k: Knowledge, claim: Claim, attribute: str, subjects: set[str]) -> list[str]:
    """A qualification number claimed for the wrong qualification: say whose it is (a fact of the knowledge)."""
    if attribute != "number" or not claim.text:
        return []
    return [
        f"{claim.text} is the qualification number of the {q.title}"
        for q in k.qualifications.values()
        if q.qualification_number == claim.text and q.id not in subjects
    ]


#: Words that carry no claim of their own: function words, chat ("my colleague reckons … true?"),
#: verbs of asking and suiting, and the names of things every answer is about.
_CLAIM_STOP = frozenset(
    """
    a an the is are was were be been being it its this that these those do does did can could will would should
    might may must shall i you we they me my your our their of on in at to for from with by about as and or but
    not no yes yeah yep right correct true false really actually just only also so then there here what which who
    how where when why whether if any all some every each more most much many lot lots very quite pretty well
    still yet already now ever even like aimed aim meant designed suitable suit suits suited fit fits intended
    target targeted good great best ideal ok okay lead leads go goes going went come comes coming onto progress
    progression after next unit units qualification qualifications course courses cert certificate award ilm
    level brochure brochures say says said saying mention mentions mentioned offer offers cover covers covered
    something someone somebody anyone anybody people person thing things isn't doesn't don't aren't innit am get
    gets got have has had one ones kind type sort bit colleague colleagues friend boss mate reckon reckons
    reckoned think thinks thought heard told apparently believe sure check checking confirm confirmed claim
    claims claimed need needs want wants use used using find look place way make makes help helps please pls
    thanks thank ta cheers hi hello hey info information details page site website give gives giving provide
    provides providing include includes including allow allows let lets bring brings
    """.split()  # noqa: SIM905 (a word list reads better as words)
)
_WORD = re.compile(r"[a-z0-9]+")
#: Claimed audiences that contradict the brochures' (junior managers, first management roles, team leaders).
_CONTRAST = frozenset(
    """senior executive executives director directors experienced expert experts advanced board ceo ceos
    professional professionals specialist specialists""".split()  # noqa: SIM905 (a word list reads better as words)
)
_LEVEL = re.compile(r"\blevel \d\b")


def text_verdict(question: str, facts: str, names: frozenset[str], known: frozenset[str] = frozenset()) -> str | None:
    """'Is the C&M aimed at senior managers?': Yes when every content word of the claim is in the facts; No when a
    word contradicts them (a senior or expert audience); otherwise None, and the facts are given without a verdict,
    since a word neither the facts nor the rest of the brochures use ("HR staff") is no evidence either way;
    ``known`` is the brochures' vocabulary, whose words missing here belong to something else.

    Words of the subjects' names are left out (they are what the claim is about, not what it says)."""
    words = [
        w for w in _WORD.findall(question) if len(w) > 2 and w not in _CLAIM_STOP and w not in names and not w.isdigit()
    ]
    have = set(_WORD.findall(facts.lower()))
    found = [w for w in words if w in have or any(len(w) > 4 and h.startswith(w[:5]) for h in have)]
    levels = [m.group(0) for m in _LEVEL.finditer(question.lower())]  # "a Level 5 …": that level must be there
    if not words and not levels:
        return None
    missing = [w for w in words if w not in found]
    if not missing and all(level in facts.lower() for level in levels):
        return "Yes"
    if any(w in _CONTRAST or w in known for w in missing) or not all(level in facts.lower() for level in levels):
        return "No"  # "aimed at senior managers?"; "the mentoring brochure's resources are on Walled Garden?"
    return None  # words the facts don't use ("HR staff", "my career"): the facts, without a verdict


# -- comparisons -------------------------------------------------------------------


def compare_on(req: Request, facts: Facts, attribute: str) -> Reply | None:
    """Two or more subjects on one attribute; the lead says which has more (or whether they're the same)."""
    k = req.knowledge
    every = _valued(facts, subjects_of(req), attribute)
    if len(every) >= 2 and all(not v.numbers for _, v in every):
        return _compare_text(req, every, attribute)
    valued = [(s, v) for s, v in every if v.single is not None]
    if len(valued) < 2:
        return None
    noun = ATTRIBUTE_NOUNS.get(attribute, attribute)
    numbers = [v.single or 0.0 for _, v in valued]
    listing = "; ".join(f"{s.short(k)}: {v.text}" for s, v in valued)
    table = {
        "columns": tuple(s.short(k) for s, _ in valued),
        "rows": (Row(noun[:1].upper() + noun[1:], tuple(hours_text(n) for n in numbers)),),
    }
    if len(set(numbers)) == 1:
        lead = f"They're the same: each {_VERB.get(attribute, 'has')} {valued[0][1].text}."
        if req.frame.yes_no and not SAME.search(req.text):
            lead = lead_with("No", lead)
        elif req.frame.yes_no:
            lead = lead_with("Yes", lead)
        return Reply(f"{lead} ({listing}.)", **table)
    want_less = bool(_LESS.search(req.text))
    pick = min if want_less else max
    best = pick(numbers)
    winners = [s for (s, _), n in zip(valued, numbers, strict=True) if n == best]
    word = ("fewer" if noun.endswith("s") else "less") if want_less else "more"  # fewer credits, less support
    who = join([w.short(k) for w in winners])
    if len(valued) > 2 and HOW_MUCH_MORE.search(req.text):
        return Reply(_against(k, valued, noun) + ".", **table)
    by = f" ({listing})" if len(valued) > 2 else ""
    if len(valued) == 2:
        others = [n for n in numbers if n != best]
        unit = _COUNTED.get(attribute, "")
        diff = abs(best - others[0])
        gap = f"{hours_text(diff)} {word} {unit[:-1] if diff == 1 else unit}".rstrip()  # "1 more credit"
        by = f" ({hours_text(best)} {unit} against {hours_text(others[0])} {unit}: {gap})".replace("  ", " ")
    head = f"{who[:1].upper()}{who[1:]} {'has' if len(winners) == 1 else 'have'} {word} {noun}{by}"
    if req.frame.yes_no and SAME.search(req.text):
        head = lead_with("No", head)
    elif req.frame.yes_no:  # "is 306 worth more than 305?": about the subject named first
        first = min((s for s, _ in valued), key=lambda s: position_in(req, s))
        head = lead_with("Yes" if first in winners else "No", head)
    return Reply(f"{head}.", **table)


HOW_MUCH_MORE = re.compile(r"\bhow (many|much) (more|less|fewer|extra)\b|\bdifference\b")


def _against(k: Knowledge, valued: list[tuple[Subject, Value]], noun: str) -> str:
    """'How many more GLH do the certificates need than the Award?': each against the one named plainly."""
    (base, v0), rest = valued[0], valued[1:]
    parts = []
    for s, v in rest:
        gap = (v.single or 0.0) - (v0.single or 0.0)
        word = "more" if gap > 0 else "fewer" if gap < 0 else "the same"
        amount = f"{hours_text(abs(gap))} {word}" if gap else "the same"
        parts.append(
            f"{s.short(k)} has {amount} {noun} than {base.short(k)} "
            f"({hours_text(v.single or 0.0)} against {hours_text(v0.single or 0.0)})"
        )
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def compare_size(req: Request, facts: Facts) -> Reply | None:
    """'Is 8578-306 bigger than 8578-302?': size is credit value first, then guided learning hours."""
    by_credits = compare_on(req, facts, "credits")
    plain = replace(req, frame=replace(req.frame, yes_no=False))  # the verdict is the credits'
    by_glh = compare_on(plain, facts, "glh") if by_credits is not None else None
    if by_credits is None or by_glh is None:
        return by_credits
    return Reply(f"{by_credits.text} {by_glh.text}", columns=by_credits.columns, rows=by_credits.rows + by_glh.rows)


#: What a figure counts, for "3 more credits", "2 more hours".
_COUNTED = {
    "credits": "credits",
    "glh": "guided learning hours",
    "tutorial": "hours",
    "induction": "hours",
    "practice": "hours",
    "mandatory_credits": "credits",
}


def position_in(req: Request, s: Subject) -> int:
    """Where the question names a subject: a unit's code or number, "group N", a qualification's names."""
    if s.kind == "unit":
        keys: tuple[str, ...] = (s.id, s.id.split("-")[-1])
    elif s.kind == "group":
        keys = (f"group {s.id.split('-')[-1]}",)
    else:
        q = req.knowledge.qualifications[s.id]
        keys = tuple(str(n).lower() for n in (q.title, q.short_title, *q.aliases))
    found = [req.text.find(key) for key in keys if key in req.text]
    return min(found) if found else len(req.text)


def group_fact(req: Request, facts: Facts, attribute: str) -> Reply | None:
    """'How many GLH is Group 1?': a group's own figure, summed from its units."""
    k = req.knowledge
    groups = [s for s in subjects_of(req) if s.kind == "group" and s.id != "mandatory"]
    valued = [(s, v) for s, v in _valued(facts, groups, attribute) if v.single is not None]
    if not valued or attribute not in ("credits", "glh"):
        return None
    lines = []
    for s, v in valued:
        parts = " + ".join(f"{r} {getattr(k.units[r], attribute)}" for r in facts.group_units(s))
        lines.append(f"{s.label(k)[:1].upper()}{s.label(k)[1:]} has {v.text} ({parts}).")
    return Reply(" ".join(lines))


def _compare_text(req: Request, valued: list[tuple[Subject, Value]], attribute: str) -> Reply:
    """'Is the email the same for the mentoring quals and the C&M?': same or not, then each one's."""
    k = req.knowledge
    noun = ATTRIBUTE_NOUNS.get(attribute, attribute)
    same = len({v.text.lower() for _, v in valued}) == 1
    listing = "; ".join(f"{s.short(k)}: {v.text}" for s, v in valued)
    plural = noun + ("es" if noun.endswith("s") else "s")
    head = f"they have the same {noun}" if same else f"they have different {plural}"
    if req.frame.yes_no:
        asks_same = bool(SAME.search(req.text))
        head = ("Yes: " if same == asks_same else "No: ") + head
    else:
        head = head[:1].upper() + head[1:]
    return Reply(f"{head}. {listing}.")


# -- superlatives and sums -------------------------------------------------------


def _pool(req: Request) -> list[Subject]:
    """What 'which … has the most' ranges over: what's named, else units or groups of the qualification, else all."""
    k = req.knowledge
    named = subjects_of(req)
    quals = req.quals or tuple(k.qualifications)
    if scheme := _SCHEME.search(req.text):
        return [Subject("unit", r) for r in sorted(k.units) if r.startswith(scheme.group(1))]
    if len(named) >= 2 and not req.has("units?\\b", "modules?\\b", "groups?\\b"):
        return named
    if len(named) == 1 and named[0].kind == "group" and not req.has("groups?", "routes?", "pathways?"):
        group = next(g for g in k.qualifications[named[0].owner or quals[0]].groups if g.id == named[0].id)
        return [Subject("unit", r) for r in group.units]  # "which one has the most credits?" after Group 2's units
    if req.has("units?", "modules?"):
        refs = dict.fromkeys(u.ref for q in quals for u in k.units_of(q))
        return [Subject("unit", r) for r in refs]
    if req.has("groups?", "routes?", "pathways?"):
        return [Subject("group", g.id, q) for q in quals for g in k.qualifications[q].groups if g.id != "mandatory"]
    return [Subject("qualification", q) for q in k.qualifications]


def extreme(req: Request, facts: Facts, attribute: str) -> Reply | None:
    """'Which unit has the most credits?': the winner(s) first, then the runners-up."""
    k = req.knowledge
    valued = [(s, v) for s, v in _valued(facts, _pool(req), attribute) if v.single is not None]
    if len(valued) < 2:
        return None
    smallest = req.frame.smallest
    best = (min if smallest else max)(v.single or 0.0 for _, v in valued)
    winners = [(s, v) for s, v in valued if v.single == best]
    word = "fewest" if smallest and attribute != "credits" else "least" if smallest else "most"
    noun = ATTRIBUTE_NOUNS.get(attribute, attribute)
    names = join([s.label(k) for s, _ in winners])
    each = " each" if len(winners) > 1 else ""
    lead = f"{names[:1].upper()}{names[1:]} {'has' if len(winners) == 1 else 'have'} the {word} {noun}: "
    lead += f"{winners[0][1].text}{each}."
    others = sorted((x for x in valued if x not in winners), key=lambda x: x[1].single or 0.0, reverse=not smallest)
    rest = "; ".join(f"{s.short(k)}: {v.text}" for s, v in others)
    ranged = tuple(s.id for s, _ in valued) if all(s.kind == "unit" for s, _ in valued) else ()
    return Reply(f"{lead} The others: {rest}." if rest else lead, ranged=ranged)


#: Attributes counted in hours, which can be added to each other.
HOUR_ATTRIBUTES = frozenset(("glh", "induction", "tutorial", "practice"))


def _attributes_total(req: Request, facts: Facts) -> Reply | None:
    """'Add up the induction and tutorial hours for the C&M': several attributes of one qualification."""
    k = req.knowledge
    if len(req.frame.attributes) < 2 or len(req.quals) != 1:
        return None
    if not set(req.frame.attributes) <= HOUR_ATTRIBUTES:
        return None  # credits and hours never add up to anything
    s = Subject("qualification", req.quals[0])
    valued = [(a, facts.value(s, a)) for a in req.frame.attributes]
    if any(v is None or v.single is None for _, v in valued):
        return None
    amount = sum(v.single or 0.0 for _, v in valued if v)
    names = join([ATTRIBUTE_NOUNS.get(a, a) for a, _ in valued])
    parts = " + ".join(f"{hours_text(v.single or 0.0)} {ATTRIBUTE_NOUNS.get(a, a)}" for a, v in valued if v)
    return Reply(f"The {names} of {s.label(k)} add up to {hours_text(amount)} hours ({parts}).")


#: "all four of the 8577 modules": every unit of the scheme, whatever numbers follow.
_EVERY_OF_SCHEME = re.compile(r"\b(all|every|each)\b")
_SHARED = re.compile(r"\b(shared|in common|common to|in both|on both|both have|they share|share)\b")


def _members(req: Request) -> tuple[list[Subject], str] | None:
    """The units a sum adds up, and how to name them: units named, a group, or the mandatory units."""
    k = req.knowledge
    scheme = _SCHEME.search(req.text)
    if len(req.units) >= 2 and not (scheme and _EVERY_OF_SCHEME.search(req.text)):
        return [Subject("unit", r) for r in req.units], join(list(req.units))
    if scheme:
        refs = [r for r in sorted(k.units) if r.startswith(scheme.group(1))]
        return [Subject("unit", r) for r in refs], f"the {len(refs)} {scheme.group(1)} units"
    if len(req.quals) >= 2 and _SHARED.search(req.text):  # "the two units shared by the Award and the Certificate"
        refs = sorted(set.intersection(*(set(k.units_of_ids(q)) for q in req.quals)))
        names = join([f"the {k.qualifications[q].short_title}" for q in req.quals], "and")
        return [Subject("unit", r) for r in refs], f"the units shared by {names} ({join(refs)})"
    groups = list(req.groups) or list(route_groups(req))
    if req.quals and _EVERY_UNIT.search(req.text) and not (groups and _VIA.search(req.text)):
        q = k.qualifications[req.quals[0]]
        refs = [r for g in q.groups for r in g.units]
        return [Subject("unit", r) for r in refs], f"all {len(refs)} units of the {q.short_title}"
    core = req.has("mandatory", "compulsory", "core") and "mandatory" not in groups  # "mandatory + group 2"
    own = re.search(r"\b(all|the whole|every unit) (of )?(the )?group\b", req.text)  # "all of Group 1": its own units
    if groups and req.quals and "mandatory" not in groups and (_VIA.search(req.text) or core) and not own:
        q = k.qualifications[req.quals[0]]
        refs = [r for g in q.groups if g.id in ("mandatory", *groups) for r in g.units]
        names = join([g.name for g in q.groups if g.id in groups])
        return [Subject("unit", r) for r in refs], f"the units of the {q.short_title} through {names}"
    if not groups and req.has("mandatory", "compulsory", "core"):
        groups = ["mandatory"]
    for gid in groups:
        owner = group_owner(k, gid, req.quals) or (req.quals[0] if req.quals else None)
        q = k.qualifications.get(owner or "")
        group = next((g for g in q.groups if g.id == gid), None) if q else None
        if q and group:
            return [
                Subject("unit", r) for r in group.units
            ], f"the {group.name.lower() if gid == 'mandatory' else 'units of ' + group.name} of the {q.short_title}"
    return None


def total(req: Request, facts: Facts, attribute: str) -> Reply | None:
    """'Combined GLH of the mandatory units': the sum, then the parts it is made of."""
    k = req.knowledge
    if (several := _attributes_total(req, facts)) is not None:
        return several
    members = _members(req)
    if members is None:
        if len(req.quals) == 1 and attribute == "unit_count":
            s = Subject("qualification", req.quals[0])
            v = facts.value(s, attribute)
            return Reply(f"You need {v.text} for {s.label(k)}.") if v else None
        if len(req.quals) < 2:
            return None  # one qualification's total is its own fact: the topic answers with the detail
        members = (
            [Subject("qualification", q) for q in req.quals],
            join([f"the {k.qualifications[q].short_title}" for q in req.quals]),
        )
    units, name = members
    valued = _valued(facts, units, attribute)
    if not valued or any(v.single is None for _, v in valued):
        return None
    amount = sum(v.single or 0.0 for _, v in valued)
    noun = ATTRIBUTE_NOUNS.get(attribute, attribute)
    parts = " + ".join(f"{s.short(k)} {hours_text(v.single or 0.0)}" for s, v in valued)
    text = f"{name[:1].upper()}{name[1:]} add up to {hours_text(amount)} {noun} ({parts})."
    claimed = [c.value for c in req.frame.claims if c.attribute in (attribute, None)]
    if claimed and req.frame.yes_no:  # "the mandatory units add up to 6 credits, right?"
        text = lead_with("Yes" if amount in claimed else "No", text)
    return Reply(text)


# -- side by side on everything ------------------------------------------------

_DEFAULT_ATTRIBUTES = {
    "unit": ("credits", "glh", "practice", "part_of"),
    "group": ("units", "credits", "glh", "practice"),
    "qualification": ("credits", "glh", "unit_count", "induction", "tutorial", "practice"),
}


def _cell(v: Value, attribute: str) -> str:
    """A table cell: the bare figure for a count (the row's label names it), else the text."""
    counted = attribute in ("credits", "glh", "unit_count")
    return hours_text(v.single) if counted and v.single is not None else v.text


def compare_all(req: Request, facts: Facts) -> Reply | None:
    """'Group 1 vs Group 2, what's the difference?': every attribute they share, the differences first."""
    k = req.knowledge
    subjects = subjects_of(req)
    kinds = {s.kind for s in subjects}
    if len(subjects) < 2 or len(kinds) != 1 or kinds == {"qualification"}:
        return None  # qualifications side by side: the compare topic's own table
    rows: list[Row] = []
    differ: list[str] = []
    for attribute in _DEFAULT_ATTRIBUTES[kinds.pop()]:
        values = [facts.value(s, attribute) for s in subjects]
        if any(v is None for v in values):
            continue
        texts = tuple(_cell(v, attribute) for v in values if v is not None)
        noun = ATTRIBUTE_NOUNS.get(attribute, attribute)
        rows.append(Row(noun[:1].upper() + noun[1:], texts))
        if len(set(texts)) > 1:
            differ.append(noun)
    names = join([s.label(k) for s in subjects])
    if {s.kind for s in subjects} == {"unit"} and all(s.id in k.equivalents(subjects[0].id) for s in subjects[1:]):
        title = k.units[subjects[0].id].title
        names = (
            f"{join([s.id for s in subjects])} are the same unit, {title}, under both schemes (credit transfer); they"
        )
        if req.frame.yes_no and SAME.search(req.text):  # "are 8578-306 and 8577-306 the same unit?"
            names = "Yes: " + names
    if differ:
        lead = f"{names[:1].upper()}{names[1:]} differ in {join(differ)}."
    else:
        lead = f"{names[:1].upper()}{names[1:]} are the same on {join([r.label.lower() for r in rows])}."
    return Reply(lead, columns=tuple(s.short(k) for s in subjects), rows=tuple(rows))


# -- prerequisites ---------------------------------------------------------------------
