"""Questions worked out from the facts rather than looked up: shares, sums over every unit, a unit
found by its figures, whether units cover a requirement, what two measures mean, which kind of
practice a requirement takes, and measures the brochures don't give.

Each mechanism is two small functions: ``reads`` says from the question's words and entities
alone whether it is this kind of question (and so which topic it belongs to, even when the
intent matcher is unsure), and ``answer`` works it out from the knowledge and the rules engine.
Nothing here adopts a figure from the question: a figure the user writes only *selects* (the
unit with 6 hours of mentoring) and is checked against the knowledge.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.answers.attributes import ATTRIBUTE_NOUNS, Facts, Subject
from bot.answers.compose import total
from bot.answers.request import Reply, Request
from bot.knowledge.models import Knowledge, Qualification
from bot.nlu.entities import Entities
from bot.nlu.frame import SUM, Frame, attribute_of
from bot.rules import Record
from bot.rules.explain import hours_text, join
from bot.rules.requirements import CreditsFromGroup, OneOf, SpecificUnits, walk


@dataclass(frozen=True)
class Cues:
    """What the mechanisms read a question by: the same whether from entities (understanding) or a request."""

    text: str
    frame: Frame
    units: int
    groups: tuple[str, ...]
    kinds: tuple[str, ...]
    hours: float | None
    quals: int
    #: The asker speaks of what they have done ("I've logged 36 hours"): their record, not the rules.
    done: bool = False

    @classmethod
    def of(cls, text: str, entities: Entities, frame: Frame, done: bool) -> Cues:
        return cls(
            text,
            frame,
            len(entities.units) + len(entities.ambiguous_units),
            entities.groups,
            entities.kinds,
            entities.hours,
            len(entities.qualifications),
            done,
        )


# -- shares ------------------------------------------------------------------------

_SHARE = re.compile(r"\b(share|proportion|percentage|per ?cent|fraction|what part|how much of|how many of)\b")
_OPTIONAL_WORDS = re.compile(r"\b(optional|elective|group)\b")


def reads_share(c: Cues) -> str | None:
    """'What share of the C&M credits comes from the mandatory units?'"""
    if not _SHARE.search(c.text) or c.units or c.frame.attribute not in ("credits", "glh"):
        return None
    if not (c.groups or c.frame.role or _OPTIONAL_WORDS.search(c.text)):
        return None
    return "qualification_credits" if c.frame.attribute == "credits" else "qualification_glh"


def _part_groups(req: Request, q: Qualification) -> list[str]:
    named = [g.id for g in q.groups if g.id in req.groups]
    if named:
        return named
    if req.frame.role == "optional" or (req.frame.role is None and _OPTIONAL_WORDS.search(req.text)):
        return [g.id for g in q.groups if g.id != "mandatory"]
    return [g.id for g in q.groups if g.id == "mandatory"]


def _taken_from(q: Qualification, k: Knowledge, gid: str, attribute: str) -> int | None:
    """What the rules take from one group: all its units (mandatory), or the credits the rule asks of it."""
    group = next(g for g in q.groups if g.id == gid)
    for node in walk(q.rules):
        if isinstance(node, SpecificUnits) and set(group.units) <= set(node.units):
            return sum(getattr(k.units[r], attribute) for r in group.units)
        if isinstance(node, CreditsFromGroup) and node.group == gid and attribute == "credits":
            return node.credits
    return None


def answer_share(req: Request) -> Reply | None:
    k, attribute = req.knowledge, req.frame.attribute or "credits"
    quals = req.quals or tuple(k.qualifications)
    lines = []
    for qid in quals:
        q = k.qualifications[qid]
        whole = Facts(k, req.engine).value(Subject("qualification", qid), attribute)
        gids = _part_groups(req, q)
        parts = [_taken_from(q, k, g, attribute) for g in gids]
        if not gids or whole is None or whole.single is None or any(p is None for p in parts):
            continue
        choice = any(isinstance(n, OneOf) for n in walk(q.rules)) and len(gids) > 1
        part = int(max(p or 0 for p in parts)) if choice else int(sum(p or 0 for p in parts))
        share = round(100 * part / whole.single)
        groups = [next(g for g in q.groups if g.id == gid) for gid in gids]
        names = join(
            [f"{g.name.lower() if g.id == 'mandatory' else g.name} ({join(list(g.units))})" for g in groups],
            "or" if choice else "and",
        )
        noun = ATTRIBUTE_NOUNS.get(attribute, attribute)
        lines.append(f"{part} of the {hours_text(whole.single)} {noun} ({share}%) of the {q.title} come from {names}")
    return Reply("; ".join(lines) + ".") if lines else None


# -- every unit added up --------------------------------------------------------------

_EVERY_UNIT = re.compile(
    r"\b(every|all( the| of the| of its| its)?|each)( single)? units?\b|\bunits? (listed|in the brochure)\b"
)
_HOW_MUCH = re.compile(r"\b(how (many|much)|total|add(s|ed)? up|sum|what)\b")


def reads_every_unit(c: Cues) -> str | None:
    """'If someone did every unit listed for the C&M, how many credits would that be?': the sum over
    all of a qualification's units (which can be more than the qualification needs)."""
    attribute = c.frame.attribute
    if attribute not in ("credits", "glh") or c.units or not c.quals or c.frame.claims:
        return None
    if not (_EVERY_UNIT.search(c.text) and _HOW_MUCH.search(c.text)):
        return None
    return "qualification_credits" if attribute == "credits" else "qualification_glh"


def answer_every_unit(req: Request) -> Reply | None:
    attribute = req.frame.attribute or "credits"
    summed = total(replace(req, frame=replace(req.frame, operation=SUM)), Facts(req.knowledge, req.engine), attribute)
    if summed is None or not req.quals:
        return summed
    q = req.knowledge.qualifications[req.quals[0]]
    if attribute == "credits":
        return replace(summed, text=f"{summed.text} The {q.title} itself needs {q.credits} credits.")
    return summed


# -- a unit found by its figures -------------------------------------------------------

_WHICH_UNIT = re.compile(r"\b(what|which)\s+(unit|one)\b")
_CREDITS_FIGURE = re.compile(r"\b(\d{1,2})\s*(credits?|cr)\b")
_GLH_FIGURE = re.compile(r"\b(\d{1,2})\s*(glh|guided)\b")


def reads_unit_by_value(c: Cues) -> str | None:
    """'What unit is the 6 hrs mentoring one?', 'which unit is worth 7 credits?': units picked by their figures."""
    if c.units or c.done or c.frame.claims or not _WHICH_UNIT.search(c.text):
        return None
    figures = c.hours is not None or _CREDITS_FIGURE.search(c.text) or _GLH_FIGURE.search(c.text)
    return "unit_search" if figures else None


def _matches(req: Request, ref: str) -> bool:
    u = req.knowledge.units[ref]
    if (m := _CREDITS_FIGURE.search(req.text)) and u.credits != int(m.group(1)):
        return False
    if (m := _GLH_FIGURE.search(req.text)) and u.glh != int(m.group(1)):
        return False
    # "the 36 hrs mentoring one" reads as a qualification's name; a kind before "one"/"unit" is the unit's.
    kinds = req.kinds or tuple(_KIND_ONE.findall(req.text))
    hours_asked = req.hours is not None and not _GLH_FIGURE.search(req.text)
    if (hours_asked or kinds) and u.practice is None:
        return False
    if hours_asked and u.practice and u.practice.hours != req.hours:
        return False
    return not (kinds and u.practice and u.practice.kind not in kinds)


_KIND_ONE = re.compile(r"\b(coaching|mentoring) (?:one|unit)\b")


def _unit_line(k: Knowledge, ref: str) -> str:
    u = k.units[ref]
    practice = f", {hours_text(u.practice.hours)} hours of {u.practice.kind}" if u.practice else ""
    homes = join([f"the {q.short_title}" for q in k.qualifications_with(ref)])
    return f"{ref} {u.title} ({u.credits} credits, {u.glh} GLH{practice}; in {homes})"


def answer_unit_by_value(req: Request) -> Reply | None:
    k = req.knowledge
    pool = sorted({r for q in (req.quals or tuple(k.qualifications)) for r in k.units_of_ids(q)})
    found = [r for r in pool if _matches(req, r)]
    if found:
        return Reply(f"That's {join([_unit_line(k, r) for r in found], 'or')}.")
    where = join([f"the {k.qualifications[q].short_title}" for q in req.quals]) if req.quals else "the brochures"
    listing = "; ".join(_unit_line(k, r) for r in pool)
    return Reply(f"No unit in {where} has those figures. The units are: {listing}.")


# -- do these units cover a requirement? -------------------------------------------------

_COVER = re.compile(
    r"\b(just|only|enough|cover|covers|covered|suffice|sufficient|satisfy|satisfies|meet|meets|fulfil|fulfill|"
    r"complete|completes|count for|do for|sort)\b"
)


def reads_cover(c: Cues) -> str | None:
    """'Can I just do 8578-302 from Group 1 to cover the group bit?': a yes/no the rules engine decides."""
    figures = [x for x in c.frame.claims if x.attribute is not None or x.value < 100]  # "is 302 …": a unit, no figure
    if not (c.frame.yes_no and c.units and not figures and not c.done):
        return None
    if not (c.groups or re.search(r"\bgroups?\b", c.text)) or not _COVER.search(c.text):
        return None
    return "rules_of_combination"


def answer_cover(req: Request) -> Reply | None:
    """The credits_from_group requirement each named unit's group is under, evaluated on just those units."""
    k = req.knowledge
    lines = []
    verdicts = []
    for q in k.qualifications.values():
        if req.quals and q.id not in req.quals:
            continue
        mine = [r for r in req.units if r in k.units_of_ids(q.id)]
        if not mine:
            continue
        evaluation = req.engine.evaluate(q, Record(units=frozenset(mine)))
        for node in walk(q.rules):
            if not isinstance(node, CreditsFromGroup) or (req.groups and node.group not in req.groups):
                continue
            group = next(g for g in q.groups if g.id == node.group)
            inside = [r for r in mine if r in group.units]
            if not inside:
                continue
            result = next(n for n in _results(evaluation.tree) if n.id == node.id)
            have = result.credits_achieved
            met = have >= node.credits
            verdicts.append(met)
            gives = f"{join(inside, 'and')} {'gives' if len(inside) == 1 else 'give'} {have}"
            rest = [r for r in group.units if r not in inside]
            lines.append(
                f"{group.name} of the {q.title} needs {node.credits} credits; {gives}"
                + (
                    "."
                    if met
                    else f", so you also need {join(rest, 'and')} ({sum(k.units[r].credits for r in rest)} credits)."
                )
            )
    if not verdicts:
        return None
    return Reply(f"{'Yes' if all(verdicts) else 'No'}: {' '.join(lines)}")


def _results(node):  # type: ignore[no-untyped-def]
    yield node
    for child in node.children:
        yield from _results(child)


# -- what two measures mean ---------------------------------------------------------------

_DIFFERENCE = re.compile(r"\b(differen(ce|t|ces)|differ|vs|versus|mean|means|meaning|explain|confused|same thing)\b")
_EXPLAINED = ("glh", "practice", "credits", "induction", "tutorial")


def reads_measures(c: Cues) -> str | None:
    """'What's the difference between GLH and practice hours?': two measures, no subject to compare."""
    named = [a for a in c.frame.attributes if a in _EXPLAINED]
    if len(named) < 2 or c.units or c.quals > 1 or c.groups or not _DIFFERENCE.search(c.text):
        return None
    return "glossary"


def _meaning(k: Knowledge, attribute: str) -> str:
    """One measure, from the knowledge: the brochures' note on its abbreviation, and where its figures are."""
    noun = ATTRIBUTE_NOUNS.get(attribute, attribute)
    term = next(
        (t for t in k.organisation.glossary if t.meaning.lower() == noun or attribute_of(t.meaning) == attribute), None
    )
    name = f"{term.term} means {term.meaning} (the brochures' note)" if term else noun[:1].upper() + noun[1:]
    units = sorted(k.units.values(), key=lambda u: u.ref)
    if attribute in ("glh", "credits"):
        values = sorted({getattr(u, attribute) for u in units})
        return f"{name}: every unit has a figure, from {values[0]} to {values[-1]} per unit, added up per qualification"
    if attribute == "practice":
        needs = join(
            [f"{u.ref} {hours_text(u.practice.hours)} hours of {u.practice.kind}" for u in units if u.practice]
        )
        return (
            f"{name}: the supervised coaching or mentoring you carry out yourself, which these units require: {needs}"
        )
    programme = [
        f"the {q.short_title} {hours_text(n.hours)}"
        for q in k.qualifications.values()
        for n in q.programme
        if n.hours_kind == attribute
    ]
    return f"{name}: part of each qualification's programme ({join(programme)} hours)"


def answer_measures(req: Request) -> Reply | None:
    named = [a for a in req.frame.attributes if a in _EXPLAINED]
    if len(named) < 2:
        return None
    text = " ".join(_meaning(req.knowledge, a) + "." for a in named)
    if len(req.quals) == 1:  # "… on the Award in Mentoring": its own two figures as well
        facts = Facts(req.knowledge, req.engine)
        s = Subject("qualification", req.quals[0])
        values = [v.text for a in named if (v := facts.value(s, a)) is not None]
        text += f" For {s.label(req.knowledge)}: {join(values, 'and')}." if values else ""
    return Reply(text)


# -- which kind of practice --------------------------------------------------------------

_KIND_CHOICE = re.compile(
    r"\b(either|or both|and/or|have to be|has to be|must be|need to be|can it be|which kind|pick one|choose one|"
    r"one or the other|or (can|could) (you|i|we) (pick|choose|just do))\b"
)


def reads_kind_choice(c: Cues) -> str | None:
    """'For the C&M 36 hrs does it have to be coaching or mentoring or both?': the kinds the rules accept."""
    if c.done or c.units or not c.kinds or not _KIND_CHOICE.search(c.text):
        return None
    if c.frame.operation == "compare":  # "either the award or the cert … the difference in hours of mentoring"
        return None
    if c.hours is None and c.frame.attribute != "practice":
        return None
    return "practice_hours"


def answer_kind_choice(req: Request) -> Reply | None:
    k = req.knowledge
    lines = []
    for qid in req.quals or tuple(k.qualifications):
        q = k.qualifications[qid]
        options = []
        for g in q.groups:
            for r in g.units:
                p = k.units[r].practice
                if p and (req.hours is None or p.hours == req.hours):
                    options.append(f"{hours_text(p.hours)} hours of {p.kind} ({g.name}, {r})")
        if not options:
            continue
        apart = len(options) > 1 and any(isinstance(n, OneOf) for n in walk(q.rules))
        if apart:
            lines.append(f"Either, not both: the {q.title} takes {join(options, 'or')}")
        else:
            lines.append(f"the {q.title} takes {join(options, 'and')}")
    if not lines:
        return None
    text = "; ".join(lines) + "."
    return Reply(text[:1].upper() + text[1:])


# -- a measure the brochures don't give ---------------------------------------------------------

#: "total qualification time (TQT)", "TQT (total qualification time)": a term written with its initials.
_DEFINED = re.compile(r"((?:[A-Za-z]+\s+){1,5})\(([A-Z]{2,6})\)|\b([A-Z]{2,6})\s+\(((?:[A-Za-z]+\s*){2,6})\)")


def unexplained_term(k: Knowledge, said: str) -> str | None:
    """A term the question spells out with its initials that the knowledge has no note for."""
    for m in _DEFINED.finditer(said):
        letters, words = (m.group(2), m.group(1)) if m.group(2) else (m.group(3), m.group(4))
        initials = "".join(w[0] for w in words.split())
        if not initials.lower().endswith(letters.lower()):
            continue
        phrase = " ".join(words.split()[-len(letters) :]).lower()
        known = {t.term.lower() for t in k.organisation.glossary} | {
            a.lower() for t in k.organisation.glossary for a in t.aliases
        }
        if letters.lower() not in known:
            return f"{phrase} ({letters})"
    return None


def answer_unexplained(req: Request, term: str) -> Reply:
    """Not in the brochures: said plainly, with where to ask; the figures it does have are not passed off as it."""
    quals = [req.knowledge.qualifications[q] for q in req.quals] or list(req.knowledge.qualifications.values())
    subject = f"the {quals[0].title}" if len(quals) == 1 else "these qualifications"
    q = quals[0]
    return Reply(
        f"The brochures don't give the {term} for {subject}, and I won't guess: they give guided learning hours "
        f"(GLH) and credits, which are not the same thing. Please ask the ILM Customer Service Team: phone "
        f"{q.contact.phone}, email {q.contact.email}."
    )


# -- is there a choice of units? ---------------------------------------------------------------

_CHOICE = re.compile(
    r"\b(any|a|some|much|no) (choice|options?|flexibility)\b|\b(choose|pick|select) (my|the|which|your|own)?\s*units\b|"
    r"\b(all|everything|every unit|they all|all the units|all units)( of it| of them)? (is |are )?"
    r"(mandatory|compulsory)\b|"
    r"\bany optional units\b|\boptional units\b.*\bor\b|"
    r"\b(have|has|got|with|offer|offers|are there|is there) (any |some )?optional (units?|modules?|groups?)\b|"
    r"^(are|is) (all|every)\b.*\b(mandatory|compulsory|core)\b"
)


def reads_choice(c: Cues) -> str | None:
    """'Is there any choice of units on the Award or is it all mandatory?': the groups say."""
    if c.units or c.groups or c.frame.claims or c.done or not _CHOICE.search(c.text):
        return None
    return "qualification_units"


def answer_choice(req: Request) -> Reply | None:
    k = req.knowledge
    all_mandatory = bool(re.search(r"\b(all|every)\b.*\b(mandatory|compulsory|core)\b", req.text)) and not re.search(
        r"\b(choice|options?|optional|choose|pick)\b", req.text
    )  # "are all its units mandatory?" is answered Yes/No; "any choice, or all mandatory?" by the choice
    lines = []
    for qid in req.quals or tuple(k.qualifications):
        q = k.qualifications[qid]
        mandatory = [r for g in q.groups if g.id == "mandatory" for r in g.units]
        optional = [g for g in q.groups if g.id != "mandatory"]
        if not optional:
            lead = "Yes" if all_mandatory else "No choice"  # "are all its units mandatory?" / "any choice?"
            lines.append(f"{lead}: all {len(mandatory)} units of the {q.title} are mandatory ({join(mandatory)})")
            continue
        taken = {n.group: n.credits for n in walk(q.rules) if isinstance(n, CreditsFromGroup)}
        choices = [f"{taken.get(g.id, '')} credits from {g.name} ({join(list(g.units))})".strip() for g in optional]
        apart = any(isinstance(n, OneOf) for n in walk(q.rules))
        lead = "No, there is a choice" if all_mandatory else "Yes, there is a choice"
        lines.append(
            f"{lead} in the {q.title}: {join(mandatory)} are mandatory, then {join(choices, 'or' if apart else 'and')}"
        )
    return Reply("; ".join(lines) + ".") if lines else None


_Mechanism = tuple[Callable[[Cues], str | None], Callable[[Request], Reply | None]]
MECHANISMS: tuple[_Mechanism, ...] = (
    (reads_share, answer_share),
    (reads_every_unit, answer_every_unit),
    (reads_unit_by_value, answer_unit_by_value),
    (reads_cover, answer_cover),
    (reads_measures, answer_measures),
    (reads_kind_choice, answer_kind_choice),
    (reads_choice, answer_choice),
)


@dataclass(frozen=True)
class Derived:
    """A question one of these mechanisms reads: its topic, and how its answer is worked out."""

    topic: str
    answer: Callable[[Request], Reply | None]


def read(k: Knowledge, said: str, text: str, entities: Entities, frame: Frame, done: bool) -> Derived | None:
    """The mechanism that reads a question (``said`` keeps the asker's case), whatever the intent matcher thought."""
    if said and (term := unexplained_term(k, said)) is not None:
        return Derived("unknown_fact", lambda req: answer_unexplained(req, term))
    cues = Cues.of(text, entities, frame, done)
    for reads, answer in MECHANISMS:
        if (topic := reads(cues)) is not None:
            return Derived(topic, answer)
    return None
