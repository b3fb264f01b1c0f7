"""Questions one mechanism answers before the frame's operation: yes/no questions about how things relate.

Each function takes the request and returns a reply, or ``None`` when the question is not its kind: is a unit
only in one qualification, is a title that unit's, does one qualification lead to another, is a unit or group
about coaching or mentoring, are the mandatory units these, does a group exist, are these units needed, which
qualification holds a unit, which replaces which, what a scheme of codes belongs to. ``relate`` tries them in
order; the first that applies answers, so each is one mechanism, not one special case per phrasing.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.answers.answer import lead_with
from bot.answers.attributes import ATTRIBUTE_NOUNS, Facts, Subject
from bot.answers.compose import (
    EITHER,
    HOUR_ATTRIBUTES,
    HOW_MUCH_MORE,
    SAME,
    compare_on,
    group_owner,
    position_in,
    total,
)
from bot.answers.describe import describe_rule, group_of, unit_roles, units_list
from bot.answers.request import Reply, Request
from bot.answers.units import says, where_is
from bot.nlu.frame import COMPARE, SUM, first_mention
from bot.rules import Record
from bot.rules.explain import hours_text, join
from bot.rules.requirements import CreditsFromGroup, walk


def relate(req: Request) -> Reply | None:
    """The first mechanism that answers the question, or ``None``."""
    for relation in _RELATIONS:
        if (reply := relation(req)) is not None:
            return reply
    return None


_PREREQUISITE = re.compile(
    r"\b(prerequisites?|pre-requisites?|entry requirements?|before (doing|starting|i (can )?do)"
    r"|without (doing|having)|need to have done|have to have done|(have|need|got) to (do|complete|finish|pass) "
    r".{0,40}\bfirst)\b"
)
_WITHOUT = re.compile(r"\bwithout\b")
#: "Can I carry the units over?" is credit transfer, not an entry requirement.
_CARRY = re.compile(r"\b(carry|carried|transfer|transferred|count|counts|counted)\b")


def prerequisite(req: Request) -> Reply | None:
    """'Is the Award a prerequisite for the Certificate?' / 'can I do the Certificate without the Award?'.

    The brochures give no entry requirements: what a qualification needs is its rules of combination, so
    the answer says whether those include the other qualification, and that it is a progression route."""
    if not (req.frame.yes_no and _PREREQUISITE.search(req.text)) or _CARRY.search(req.text):
        return None
    k = req.knowledge
    named = list(dict.fromkeys([*req.source_quals, *req.quals]))
    if len(named) != 2:
        return None
    first, then = (k.qualifications[q] for q in named)
    later = [q for q in (first, then) if any(p.qualification == q.id for x in (first, then) for p in x.progression)]
    target = later[0] if later else then
    other = first if target is then else then
    needed = " or ".join(join(list(option)) for option in req.engine.completion_options(target, Record()))
    verdict = "Yes" if _WITHOUT.search(req.text) else "No"
    route = (
        f" The {other.title} does lead on to it (progression)."
        if any(p.qualification == target.id for p in other.progression)
        else ""
    )
    return Reply(
        f"{verdict}: the {target.title} doesn't require the {other.title}: the brochures give no entry "
        f"requirements, and its rules of combination need {needed} ({target.credits} credits).{route}"
    )


def exclusive(req: Request) -> Reply | None:
    """'Is 8577-304 only on the Certificate and not the Award?': Yes only when the unit belongs to the
    qualifications named as its home (any candidate of an unclear mention) and to no other one."""
    if not req.frame.only_in or not req.units:
        return None
    k = req.knowledge
    lines = []
    for ref in req.units:
        homes = k.qualifications_with(ref)
        named = {i for ids in req.frame.only_in for i in ids}
        in_each = all(any(i in {q.id for q in homes} for i in ids) for ids in req.frame.only_in)
        verdict = "Yes" if homes and in_each and all(q.id in named for q in homes) else "No"
        lines.append(f"{verdict}: {where_is(req, ref)}")
    return Reply(" ".join(lines))


def title_claim(req: Request) -> Reply | None:
    """'8577-306 is "Undertaking Mentoring in the Workplace", right?': the unit's real title, and whose
    title the claimed one is. Never adopts the claimed name."""
    titled = req.frame.titled
    coded = [r for r in req.units if r not in titled or r in req.text]
    if not titled or len(coded) != 1 or req.frame.claims:  # "8578-303 reflecting on … is 6 GLH?" claims a figure
        return None
    k = req.knowledge
    ref = coded[0]
    if ref in titled:
        return Reply(f"Yes: {ref} is {k.units[ref].title}.")
    others = [r for r in titled if r != ref]
    claimed = k.units[others[0]].title
    return Reply(f"No: {ref} is {k.units[ref].title}. {claimed} is {join(others, 'or')}.")


_LEVEL_N = re.compile(r"\blevel\s*(\d)\b")
_ANYWHERE = re.compile(r"\b(anywhere|somewhere|further|next|else|other|more|higher|onward|onwards)\b")
_CONTENT = re.compile(r"\b(coaching|mentoring|leadership|management|diploma)\b")


def progression_check(req: Request) -> Reply | None:
    """'Can I progress from the Award to the Certificate?', 'does the C&M lead to a Level 5?': Yes when
    the source's progression list has the destination; otherwise No, with the list the brochure gives."""
    f = req.frame
    if not f.progress_from:
        return None
    k = req.knowledge
    lines = []
    for qid in f.progress_from:
        q = k.qualifications[qid]
        items = [
            (p, k.qualifications[p.qualification].title if p.qualification else str(p.external)) for p in q.progression
        ]
        target = _destination(req, items)
        if target is None and _ANYWHERE.search(f.progress_words):
            listing = req.t.render("progression", "answer", title=q.title, items="; ".join(t for _, t in items))
            lines.append(lead_with("Yes", listing))
            continue
        if target is None:
            return None
        listed = next((title for _, title in items if title == target), None)
        if listed:
            lines.append(req.t.render("progression", "leads", title=q.title, target=listed))
        else:
            all_items = "; ".join(title for _, title in items)
            lines.append(req.t.render("progression", "not_listed", title=q.title, target=target, items=all_items))
    return Reply(" ".join(lines))


def _destination(req: Request, items: list) -> str | None:
    """The destination a question names: a listed entry's title when it is one, else the words it used."""
    f, k = req.frame, req.knowledge
    words = f.progress_words.lower()
    levels = {int(n) for n in _LEVEL_N.findall(words)}
    named = [k.qualifications[i] for i in f.progress_to if i in k.qualifications]
    if named and not (levels - {q.level for q in named}):
        listed = [title for p, title in items if p.qualification in {q.id for q in named}]
        return listed[0] if listed else f"the {named[0].title}"
    content = set(_CONTENT.findall(words))
    if not content and not levels:
        return None
    for p, title in items:
        if (
            p.external
            and content <= set(_CONTENT.findall(title.lower()))
            and all(f"level {n}" in title.lower() for n in levels)
        ):
            return title
    level = f"a Level {min(levels)} " if levels else "a "
    return f"{level}qualification in {join(sorted(content - {'diploma'}), 'and') or 'that subject'}"


def _group_kind(req: Request, kind: str) -> Reply | None:
    """'Group 1 is the mentoring group, isn't it?': the kind of practice its units involve."""
    k = req.knowledge
    lines = []
    for gid in req.groups:
        owner = group_owner(k, gid, req.quals)
        if owner is None:
            return None
        q = k.qualifications[owner]
        group = next(g for g in q.groups if g.id == gid)
        kinds = sorted({k.units[r].practice.kind for r in group.units if k.units[r].practice})  # type: ignore[union-attr]
        if not kinds:
            return None
        verdict = "Yes" if kind in kinds else "No"
        lines.append(
            f"{verdict}: {group.name} of the {q.title} is the {join(kinds, 'and')} group ({join(list(group.units))})."
        )
    return Reply(" ".join(lines)) if lines else None


def kind_check(req: Request) -> Reply | None:
    """'Is 8578-302 a mentoring unit?': the kind of its supervised practice, else the kind its title names."""
    kind = req.frame.kind_claim
    if kind is None or not (req.units or req.groups):
        return None
    k = req.knowledge
    if not req.units:
        return _group_kind(req, kind)
    lines = []
    for ref in req.units:
        u = k.units[ref]
        kinds = _kinds_of(k, ref)
        if not kinds:
            return None
        why = f" ({hours_text(u.practice.hours)} hours of {u.practice.kind})" if u.practice else ""
        verdict = "Yes" if kind in kinds else "No"
        lines.append(f"{verdict}: {ref} {u.title} is a {join(sorted(kinds), 'and')} unit{why}.")
    return Reply(" ".join(lines))


_MUST = re.compile(r"\b(need|needs|have to|has to|must|required|compulsory|obligatory|do (all|both))\b")


def mandatory_check(req: Request) -> Reply | None:
    """'Do I need both mandatory units for the C&M?': yes, every one, named; about units it is the unit topic's."""
    f = req.frame
    if not (f.yes_no and f.role == "mandatory" and req.quals and not req.units and not req.groups):
        return None
    if not (_MUST.search(req.text) and re.search(r"\b(mandatory|compulsory|core) units?\b", req.text)) or f.claims:
        return None
    lines = []
    for qid in req.quals:
        q = req.knowledge.qualifications[qid]
        units = list(next((g.units for g in q.groups if g.id == "mandatory"), ()))
        if not units:
            return None
        how_many = "both its mandatory units" if len(units) == 2 else f"all {len(units)} of its mandatory units"
        lines.append(f"the {q.title} needs {how_many} ({join(units)})")
    text = "; ".join(lines)
    return Reply(f"Yes: {text}.")


def unknown_group(req: Request) -> Reply | None:
    """'Is there a Group 3 in the C&M?', 'a Group 2 in the Award?': no such group in what was named;
    the groups the qualification does have."""
    k = req.knowledge
    quals = req.quals or tuple(k.qualifications)
    known = {g.id for q in quals for g in k.qualifications[q].groups}
    missing = [g for g in req.groups if g not in known and g != "mandatory"]
    if not missing:
        return None
    name = f"Group {missing[0].split('-')[-1]}"
    lines = []
    for qid in quals:
        q = k.qualifications[qid]
        optional = [g for g in q.groups if g.id != "mandatory"]
        if optional:
            groups = join([f"{g.name} ({join(list(g.units))})" for g in optional], "and")
            lines.append(f"the {q.title} has no {name}: its optional groups are {groups}")
        else:
            lines.append(f"the {q.title} has no {name}: all its units are mandatory")
    return Reply(lead_with("No", "; ".join(lines) + "."))


_BOTH_IN_GROUP = re.compile(r"\b(both|all( the)?|each of the) (units|modules|ones)\b")


def units_needed(req: Request) -> Reply | None:
    """'If I go for Group 1, do I have to do both 302 and 303?': from every shortest way to complete the
    qualification (the rules engine's), limited to the group named: Yes, or not necessarily. Units that
    are never needed together are the unit topic's (it says why they can't count together)."""
    f = req.frame
    if not req.units and req.groups and len(req.quals) == 1 and _BOTH_IN_GROUP.search(req.text):
        q = req.knowledge.qualifications[req.quals[0]]  # "if I go for Group 1, do I have to do both units in it?"
        req = replace(req, units=tuple(r for g in q.groups if g.id in req.groups for r in g.units))
    if not (f.yes_no and req.units and len(req.quals) == 1 and _MUST.search(req.text)) or f.claims:
        return None
    if f.attribute or re.search(r"\bhow (many|much)\b", req.text):
        return None  # "… how many hours do I need to do?" asks for a figure
    k = req.knowledge
    q = k.qualifications[req.quals[0]]
    units = [r for r in req.units if r in k.units_of_ids(q.id)]
    if not units or len(units) != len(req.units):
        return None
    routes = _routes_through_groups(req, q)
    named = join(units, "and")
    both = "both " if len(units) == 2 else ""
    if all(set(units) <= r for r in routes):
        if len(routes) > 1:
            roles = join([f"{r} is {join(unit_roles(r, q), 'and')}" for r in units], "and")
            return Reply(f"Yes: {roles} in the {q.title}: every way to complete it includes {named}.")
        via = f" through {join([_group_name(q, g) for g in req.groups], 'and')}" if req.groups else ""
        total = sum(k.units[r].credits for r in routes[0])
        route = f"{join(sorted(routes[0]))}, {total} credits"
        return Reply(f"Yes: to complete the {q.title}{via} you need {both}{named} ({route}).{_group_sums(req, q)}")
    rules = describe_rule(q.rules, q, k)
    rules = rules[:1].lower() + rules[1:]
    if any(set(units) <= r for r in routes):
        return Reply(f"Not necessarily: {named} are needed only on some routes. The {q.title} takes {rules}.")
    return None  # never all on one route: the unit topic says why they can't count together


def _group_name(q, gid: str) -> str:
    return group.name if (group := group_of(q, gid)) is not None else gid


def _group_sums(req: Request, q) -> str:
    """' Group 1 needs 10 credits: 8578-302 7 + 8578-303 3.' for each group named, from its rule."""
    k = req.knowledge
    out = []
    for node in (n for n in walk(q.rules) if isinstance(n, CreditsFromGroup) and n.group in req.groups):
        units = next(g.units for g in q.groups if g.id == node.group)
        parts = " + ".join(f"{r} {k.units[r].credits}" for r in units)
        out.append(f" {_group_name(q, node.group)} needs {node.credits} credits: {parts}.")
    return "".join(out)


_THE_MANDATORY_ARE = re.compile(
    r"\b(mandatory|compulsory|core)( ones| units)?( on| for| of| in)?[^.?!]{0,30}?\b(are|=)\b|"
    r"\b(are|=) (the |both |all )?(mandatory|compulsory|core)\b|"
    r"^are\b.*\b(the|all the) (mandatory|compulsory|core) (units|ones)\b"
)


def mandatory_set(req: Request) -> Reply | None:
    """'The two mandatory ones on the C&M are 8578-300 and 8578-302, right?': the claimed set against the real one."""
    f = req.frame
    if not (f.yes_no and f.role == "mandatory" and len(req.units) >= 2 and len(req.quals) == 1):
        return None
    if not _THE_MANDATORY_ARE.search(req.text):
        return None
    k = req.knowledge
    q = k.qualifications[req.quals[0]]
    mandatory = list(next((g.units for g in q.groups if g.id == "mandatory"), ()))
    if set(req.units) == set(mandatory):
        return Reply(f"Yes: the mandatory units of the {q.title} are {join(mandatory, 'and')}.")
    wrong = [f"{r} is {join(unit_roles(r, q), 'and') or 'not part of it'}" for r in req.units if r not in mandatory]
    tail = f" ({join(wrong, 'and')})" if wrong else ""
    return Reply(f"No: the mandatory units of the {q.title} are {join(mandatory, 'and')}{tail}.")


def filtered(req: Request) -> Reply | None:
    """'List the mentoring quals' units that are worth 3 credits': the units in play with that figure."""
    if req.frame.filter is None or req.units:
        return None
    k = req.knowledge
    attribute, value = req.frame.filter
    quals = req.quals or tuple(k.qualifications)
    refs = sorted({r for q in quals for r in k.units_of_ids(q)})
    found = [r for r in refs if getattr(k.units[r], attribute) == value]
    noun = ATTRIBUTE_NOUNS.get(attribute, attribute)
    where = join([f"the {k.qualifications[q].short_title}" for q in quals])
    if not found:
        return Reply(f"None of the units of {where} has {hours_text(value)} {noun}.")
    return Reply(f"The units of {where} with {hours_text(value)} {noun}: {units_list(found, k)}.")


def which_home(req: Request) -> Reply | None:
    """'8577-307, is that on the Award or the Certificate?': where each unit is, among every qualification
    (the choice offered may leave out a home or offer a wrong one); the lead says which of them."""
    if not req.frame.alternatives or not req.units:
        return None
    k = req.knowledge
    lines = []
    for ref in req.units:
        homes = k.qualifications_with(ref)
        lead = "Both" if len(homes) > 1 else f"The {homes[0].short_title}" if homes else "Neither"
        lines.append(f"{lead}: {where_is(req, ref)}")
    return Reply(" ".join(lines))


_REPLACES = re.compile(r"\b(replac\w*|instead of|in place of|swapped? for|substitut\w*)\b")


def replaces_check(req: Request) -> Reply | None:
    """'In the Certificate in Mentoring, 306 replaces 305, true?': from the units' brochure summaries, which say
    what each replaces ("Replaces 'Undertaking mentoring in the workplace' at Certificate level")."""
    if not (req.frame.yes_no and len(req.units) == 2 and _REPLACES.search(req.text)):
        return None
    k = req.knowledge
    a, b = sorted(req.units, key=lambda r: position_in(req, Subject("unit", r)))
    stated = {(x, y) for x in (a, b) for y in (a, b) if x != y and says(k.units[x].summary or "", k.units[y].title)}
    if not stated:
        return None
    new, old = next(iter(stated))
    verdict = "Yes" if (a, b) in stated else "No"
    return Reply(f"{verdict}: {new} {k.units[new].title} replaces {old} {k.units[old].title}: {k.units[new].summary}")


def replacements(req: Request) -> Reply | None:
    """'For the certificate one module gets swapped: which goes and what replaces it?': every unit whose brochure
    summary says it replaces another, with the one it replaces."""
    if req.frame.yes_no or req.units or not _REPLACES.search(req.text) or HOW_MUCH_MORE.search(req.text):
        return None  # "the Certificate instead of the Award: how many extra credits?" is a comparison
    k = req.knowledge
    pairs = [
        (new, old)
        for new, u in sorted(k.units.items())
        for old, o in sorted(k.units.items())
        if new != old and old.split("-")[0] == new.split("-")[0] and says(u.summary or "", o.title)
    ]
    if not pairs:
        return None
    lines = [
        f"{new} {k.units[new].title} replaces {old} {k.units[old].title}: {k.units[new].summary}" for new, old in pairs
    ]
    return Reply(" ".join(lines))


def _route_practice(req: Request, q, route: tuple[str, ...]) -> dict[str, tuple[float, str]]:
    """The supervised practice one way to complete a qualification includes: hours by kind, and where."""
    k = req.knowledge
    hours: dict[str, float] = {}
    where: dict[str, list[str]] = {}
    for ref in route:
        p = k.units[ref].practice
        if p is not None:
            hours[p.kind] = hours.get(p.kind, 0.0) + p.hours
            where.setdefault(p.kind, []).append(f"{_group_name(q, _group_of(q, ref))}, {ref}")
    return {kind: (hours[kind], "; ".join(where[kind])) for kind in hours}


def _group_of(q, ref: str) -> str:
    return next((g.id for g in q.groups if ref in g.units), "")


def practice_kinds_check(req: Request) -> Reply | None:
    """'36 hours of coaching AND 36 hours of mentoring for the C&M?': practice claimed for several kinds at once,
    checked against every way to complete the qualification (the rules engine's): Yes only when every way
    includes each kind with those hours; else what the ways do include ("either … or …, not both")."""
    f = req.frame
    practised = {u.practice.kind for u in req.knowledge.units.values() if u.practice}
    claimed = {kind: h for kind, h in req.hours_by_kind if kind in practised}  # not tutorial or induction hours
    if not (f.yes_no and len(claimed) > 1 and req.quals and any(c.attribute == "practice" for c in f.claims)):
        return None
    if EITHER.search(req.text) or req.units or req.groups:
        return None  # "36 hours of coaching or mentoring?" is one claim of a choice, checked as a figure
    lines, verdicts = [], []
    for qid in req.quals:
        q = req.knowledge.qualifications[qid]
        ways = [_route_practice(req, q, r) for r in req.engine.completion_options(q, Record())]
        verdicts.append(all(all(w.get(kind, (0.0,))[0] == h for kind, h in claimed.items()) for w in ways))
        offered = list(
            dict.fromkeys(
                join(
                    [f"{hours_text(h)} hours of supervised {kind} ({where})" for kind, (h, where) in sorted(w.items())],
                    "and",
                )
                for w in ways
            )
        )
        together = [w for w in ways if set(claimed) <= set(w)]
        tail = "" if together or len(offered) < 2 else f", not {'both' if len(claimed) == 2 else 'all of them'}"
        needs = f"either {join(offered, 'or')}" if len(offered) > 1 else join(offered) or "no supervised practice"
        lines.append(f"the {q.title} needs {needs}{tail}")
    return Reply(lead_with("Yes" if all(verdicts) else "No", "; ".join(lines) + "."))


_SCHEME_WORD = re.compile(r"\b(8577|8578)(?:-?x+)?\b(?![-/]?\d)")


def schemes(req: Request) -> Reply | None:
    """'8578 vs 8577 codes, which is which?': the qualifications each scheme of unit codes belongs to."""
    named = sorted(set(_SCHEME_WORD.findall(req.text)))
    if len(named) < 2 or req.frame.yes_no or req.units:
        return None
    k = req.knowledge
    lines = []
    for scheme in named:
        refs = sorted(r for r in k.units if r.startswith(scheme))
        owners = [q.title for q in k.qualifications.values() if set(k.units_of_ids(q.id)) & set(refs)]
        lines.append(f"the {scheme} units ({join(refs)}) are used in the {join(owners, 'and the')}")
    text = "; ".join(lines)
    return Reply(text[:1].upper() + text[1:] + ".")


def scheme_check(req: Request) -> Reply | None:
    """'8578 units - are they for the mentoring Award?': which qualifications the units of a scheme belong to."""
    schemes = set(_SCHEME_WORD.findall(req.text))
    if not (req.frame.yes_no and len(schemes) == 1 and req.quals and not req.units):
        return None
    k = req.knowledge
    scheme = schemes.pop()
    refs = sorted(r for r in k.units if r.startswith(scheme))
    owners = [q for q in k.qualifications.values() if set(k.units_of_ids(q.id)) & set(refs)]
    verdict = "Yes" if all(q in req.quals for q in (o.id for o in owners)) else "No"
    where = join([f"the {q.title}" for q in owners], "and")
    return Reply(f"{verdict}: the {scheme} units ({join(refs)}) are used in {where}.")


def each_attribute(req: Request) -> Reply | None:
    """'Do 8578-303 and 8578-307 have the same credits and GLH?', 'mandatory units: credits and GLH in total?':
    the comparison or the sum once per attribute named, in the order asked, under one verdict."""
    f = req.frame
    named = sorted(f.attributes, key=lambda a: first_mention(req.text, a))
    if len(named) < 2 or f.operation not in (COMPARE, SUM) or (f.operation == COMPARE and len(req.quals) > 1):
        return None
    if f.operation == SUM and set(named) <= HOUR_ATTRIBUTES:
        return None  # hours of different kinds add up ("induction and tutorial hours")
    facts = Facts(req.knowledge, req.engine)
    plain = replace(req, frame=replace(f, yes_no=False))
    run = compare_on if f.operation == COMPARE else total
    replies = [run(plain, facts, a) for a in named]
    if any(r is None for r in replies):
        return None
    text = " ".join(r.text for r in replies if r)
    if f.yes_no and f.operation == COMPARE and SAME.search(req.text):
        same = all(r.text.startswith("They're the same") for r in replies if r)
        text = lead_with("Yes" if same else "No", text)
    return Reply(text)


_AVOID = re.compile(r"\b(?:without|no|avoid|avoiding|skip|skipping|never)\b[^?.]{0,25}?\b(coaching|mentoring)\b")
_ONLY_KIND = re.compile(r"\b(?:just|only|purely|all)\s+(coaching|mentoring)\s+(?:units?|modules?)\b")


def _routes_through_groups(req: Request, q) -> list[set[str]]:
    """Every shortest way to complete ``q`` (the rules engine's), kept to those through the groups named."""
    routes = [set(r) for r in req.engine.completion_options(q, Record())]
    for gid in req.groups:
        members = set(group.units) if (group := group_of(q, gid)) is not None else set()
        routes = [r for r in routes if r & members] or routes
    return routes


def _kinds_of(k, ref: str) -> set[str]:
    """A unit's kind: its supervised practice, else the kind its title names."""
    u = k.units[ref]
    return {u.practice.kind} if u.practice else {w for w in ("coaching", "mentoring") if w in u.title.lower()}


def without_kind(req: Request) -> Reply | None:
    """'Can I do the C&M (through Group 1) without any mentoring units?': whether a way to complete it avoids
    every unit of that kind, from the rules engine's ways and each unit's practice or title."""
    f = req.frame
    if not (f.yes_no and len(req.quals) == 1) or req.units:
        return None
    avoid = _AVOID.search(req.text)
    only = _ONLY_KIND.search(req.text)
    if not (avoid or only):
        return None
    kind = avoid.group(1) if avoid else ("mentoring" if only and only.group(1) == "coaching" else "coaching")
    k = req.knowledge
    q = k.qualifications[req.quals[0]]
    routes = _routes_through_groups(req, q)
    clear = [r for r in routes if not any(kind in _kinds_of(k, u) for u in r)]
    if clear:
        return Reply(f"Yes: {join(sorted(clear[0]))} complete the {q.title} with no {kind} unit.")
    always = sorted(set.intersection(*[{u for u in r if kind in _kinds_of(k, u)} for r in routes]))
    named = join([f"{u} {k.units[u].title}" for u in always]) if always else f"a {kind} unit"
    return Reply(f"No: every way to complete the {q.title} includes {named}, a {kind} unit.")


_ONE_GROUP = re.compile(
    r"\b(same|one|single|a single|just one|only one) (group|option|route)\b|"
    r"\bfrom (only )?one (of the )?(groups?|options?)\b"
)
_MIX = re.compile(r"\b(mix|mixed|mixing|combine|combined|across (the )?groups|from (each|both) groups?|both groups)\b")


def one_group_rule(req: Request) -> Reply | None:
    """'Do all 10 optional credits have to come from the same group?': the choice in the rules says Yes; 'can I mix
    the groups?' says No. From the rules tree, for the qualification in play that has such a choice."""
    f = req.frame
    one, mix = _ONE_GROUP.search(req.text), _MIX.search(req.text)
    if not f.yes_no or req.units or f.claims or not (one or mix) or len(req.groups) > 1:
        return None
    k = req.knowledge
    lines = []
    for qid in req.quals or tuple(k.qualifications):
        q = k.qualifications[qid]
        for node in walk(q.rules):
            options = [o for o in getattr(node, "options", ()) if isinstance(o, CreditsFromGroup)]
            if len(options) > 1:
                lines.append(f"the {q.title} takes {describe_rule(node, q, k)}")
    if not lines:
        return None
    return Reply(lead_with("Yes" if one else "No", "; ".join(lines) + "."))


#: Questions one mechanism answers (a filter, and yes/no questions about how things relate); the first that
#: applies answers.
_RELATIONS = (
    filtered,
    one_group_rule,
    without_kind,
    each_attribute,
    which_home,
    prerequisite,
    exclusive,
    title_claim,
    progression_check,
    kind_check,
    mandatory_check,
    mandatory_set,
    replaces_check,
    replacements,
    scheme_check,
    schemes,
    unknown_group,
    units_needed,
    practice_kinds_check,
)
