"""Find what a question is about: qualifications, units, groups, hours and kinds.

Each entity found is also replaced by a placeholder (``{unit}``,
``{qualification}``…) in a *template* of the question, which is what the
intent matcher compares with the examples. "How many credits is 8577-305"
and "how many credits is 8578-302" are then the same question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from bot.knowledge.lookup import name_index, normalise_name
from bot.knowledge.models import Knowledge
from bot.nlu.normalise import tokens

#: Minimum rapidfuzz ratio for a typo'd qualification name ("awrd", "mentorin cert").
QUALIFICATION_FUZZ = 86.0
#: Minimum ratio for each word of a typo'd qualification name against a word of the real one.
WORD_FUZZ = 75.0
#: The same for a word of four letters or fewer, where one changed letter is already a quarter of it.
SHORT_WORD_FUZZ = 85.0
#: Minimum ratio for a typo'd practice kind ("mentorin").
KIND_FUZZ = 85.0
#: Minimum rapidfuzz ratio for a unit title written out in words.
TITLE_FUZZ = 88.0

_CODE = re.compile(r"(?<![\d.])(\d{4})\s?[-/\s.]\s?(\d{3})(?!\d|\.\d)|(?<![\d.])(\d{4})(\d{3})(?![\d.])")
_UNIT_WORD = re.compile(r"\bunits?\s*((?:\d{3}\b(?:\s*(?:,|and|&|or|\+)\s*)?)+)", re.I)
_HOURS = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"fifteen|twenty|thirty|forty|fifty|half an?)\s*(?:-\s*)?(?:(?P<kind>coaching|mentoring)\s+)?(?:hours?|hrs?|h)\b",
    re.I,
)
#: "What are the 36 hours exactly?": hours the question refers to, not hours the asker has done.
_THE_HOURS = re.compile(r"\b(what|which) (are|is|were|does) (the|those|these)\s+$")
#: "I've done 11" / "logged 7.5 so far": a bare number after a doing-verb is hours (unit numbers have 3 digits).
_BARE_HOURS = re.compile(
    r"\b(?:done|did|logged|had|completed|clocked(?: up)?|got|racked up)\s+"
    r"(\d{1,2}(?:\.\d+)?)(?![\d.\-/]|\s*(?:units?|credits?)\b)",
    re.I,
)
#: "mentoring hours so far: 5".
_LABELLED_HOURS = re.compile(r"\b(?:hours?|hrs?)(?:\s+so\s+far)?\s*[:=]\s*(\d{1,2}(?:\.\d+)?)(?![\d.\-/])", re.I)
#: A lone three-digit number, not money, a share, a range or an amount of something.
_BARE_NUMBER = re.compile(
    r"(?<![\d.,/£$€-])(\d{3})(?![\d/%-]|[.,]\d|\s*(?:hours?|hrs?|h\b|credits?|glh|pounds|quid|k\b|people|staff|words))",
    re.I,
)
#: "306 glh?", "305 hrs": a unit's own number before the attribute asked for, closing the question.
_UNIT_THEN_ATTRIBUTE = re.compile(
    r"(?<![\d.,/£$€-])(30[0-7])(?=\s*(?:glh|credits?|guided learning hours|hrs|hours|cv)\s*\??\s*$)", re.I
)
_GROUP = re.compile(
    r"\bgroup\s*(\d|one|two|three|four)\b|\b(first|second|third)\s+(?:option(?:al)?\s+|optional units?\s+)?group\b",
    re.I,
)
WORD_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "first": 1,
    "second": 2,
    "third": 3,
}
_KINDS = {
    "coaching": "coaching",
    "coach": "coaching",
    "mentoring": "mentoring",
    "mentor": "mentoring",
    "induction": "induction",
    "tutorial": "tutorial",
    "tutorials": "tutorial",
    "tutor": "tutorial",
}
_PRACTICE_KINDS = frozenset({"coaching", "mentoring"})
#: Words that put a question in this bot's domain even without naming a qualification or unit.
_DOMAIN_WORDS = frozenset({"ilm", "course", "courses", "qualification", "qualifications", "unit", "units", "programme"})
_SKIP_START = {"the", "a", "an", "for", "in", "and", "of", "to", "on", "my", "is", "it", "i", "what", "about"}


@dataclass(frozen=True)
class QualificationMention:
    """A span of the question naming one qualification, or several when ambiguous."""

    ids: tuple[str, ...]
    text: str
    score: float

    @property
    def ambiguous(self) -> bool:
        return len(self.ids) > 1


@dataclass(frozen=True)
class Entities:
    qualifications: tuple[QualificationMention, ...] = ()
    units: tuple[str, ...] = ()
    unknown_units: tuple[str, ...] = ()
    ambiguous_units: tuple[tuple[str, ...], ...] = ()
    groups: tuple[str, ...] = ()
    hours: float | None = None
    kinds: tuple[str, ...] = ()
    #: Hours paired with the kind written next to them ("20 hours of coaching and 10 of mentoring").
    hours_by_kind: tuple[tuple[str, float], ...] = ()
    template: str = ""
    #: The question is about this domain at all: it names something, or uses a word of it.
    on_topic: bool = False
    #: Units named by their title in words rather than by code (each title's units, in order).
    titled: tuple[str, ...] = ()

    @property
    def qualification_ids(self) -> tuple[str, ...]:
        """Unambiguous qualifications named, in order, without repeats."""
        return tuple(dict.fromkeys(m.ids[0] for m in self.qualifications if not m.ambiguous))

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {}
        if self.qualifications:
            out["qualifications"] = [list(m.ids) if m.ambiguous else m.ids[0] for m in self.qualifications]
        for name in ("units", "unknown_units", "groups", "kinds"):
            value = getattr(self, name)
            if value:
                out[name] = list(value)
        if self.ambiguous_units:
            out["ambiguous_units"] = [list(a) for a in self.ambiguous_units]
        if self.hours is not None:
            out["hours"] = self.hours
        return out


class EntityExtractor:
    """Built once per knowledge version; extraction itself is pure and fast."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self.index = name_index(knowledge)
        self.by_size: dict[int, list[str]] = {}
        for name in self.index:
            self.by_size.setdefault(len(name.split()), []).append(name)
        self.max_size = max(self.by_size, default=1)
        self.name_words = frozenset({"the", "ilm"} | {w for name in self.index for w in name.split()})
        self.name_word_list = sorted(self.name_words)
        # Word-level look-ups repeat across questions and examples: remember them per word.
        self._name_like = lru_cache(maxsize=65536)(self._name_like)  # type: ignore[method-assign]
        self._title_like = lru_cache(maxsize=65536)(self._title_like)  # type: ignore[method-assign]
        self.by_number: dict[str, list[str]] = {}
        for ref, unit in knowledge.units.items():
            self.by_number.setdefault(unit.number, []).append(ref)
        self.group_ids = {g.id for q in knowledge.qualifications.values() for g in q.groups}
        #: "601/3698/4" names its qualification: it is read as the qualification's title.
        self.numbers = {
            q.qualification_number: q.title for q in knowledge.qualifications.values() if q.qualification_number
        }
        alternatives = "|".join(re.escape(n) for n in sorted(self.numbers, key=len, reverse=True))
        self.number_pattern = re.compile(alternatives) if alternatives else None
        self.titles: dict[str, list[str]] = {}
        for ref, unit in knowledge.units.items():
            self.titles.setdefault(" ".join(tokens(unit.title)), []).append(ref)
        #: The kinds of practice each qualification's title names ("… in Coaching and Mentoring"), and the one
        #: kind a title names alone ("… in Mentoring").
        self.subjects_in = {
            q.id: tuple(k for k in _PRACTICE_KINDS if k in q.title.lower()) for q in knowledge.qualifications.values()
        }
        self.subject_of = {qid: ks[0] for qid, ks in self.subjects_in.items() if len(ks) == 1}
        self.domain_words = _DOMAIN_WORDS | {
            w for name in self.index for w in name.split() if len(w) > 3 and w not in _SKIP_START
        }
        self.title_words = frozenset(w for title in self.titles for w in title.split())
        self.title_word_list = sorted(self.title_words)
        self.titles_by_size: dict[int, list[str]] = {}
        for title in self.titles:
            self.titles_by_size.setdefault(len(title.split()), []).append(title)

    # -- units -----------------------------------------------------------

    def _units(
        self, text: str, spans: list[tuple[int, int, str]]
    ) -> tuple[list[str], list[str], list[tuple[str, ...]]]:
        known: list[str] = []
        unknown: list[str] = []
        ambiguous: list[tuple[str, ...]] = []
        for m in _CODE.finditer(text):
            ref = f"{m.group(1) or m.group(3)}-{m.group(2) or m.group(4)}"
            (known if ref in self.knowledge.units else unknown).append(ref)
            spans.append((m.start(), m.end(), "{unit}"))
        for m in _UNIT_WORD.finditer(text):
            if any(s <= m.start(1) < e for s, e, _ in spans):
                continue
            for num in re.finditer(r"\d{3}", m.group(1)):
                refs = self.by_number.get(num.group())
                if not refs:
                    unknown.append(num.group())
                elif len(refs) == 1:
                    known.append(refs[0])
                else:
                    ambiguous.append(tuple(sorted(refs)))
                spans.append((m.start(1) + num.start(), m.start(1) + num.end(), "{unit}"))
        return known, unknown, ambiguous

    def _narrowed_by_kind(
        self, quals: list[tuple[int, int, QualificationMention]], toks: list[str]
    ) -> list[tuple[int, int, QualificationMention]]:
        """'cert mentoring', 'certificate coaching': a vague name and a kind of practice right after it name
        the one qualification in that subject alone (the Certificate in Mentoring; the C&M for coaching)."""
        out = []
        for start, end, mention in quals:
            kind = _KINDS.get(_kind_typo(toks[end])) if end < len(toks) else None
            if mention.ambiguous and kind in _PRACTICE_KINDS:
                alone = [i for i in mention.ids if self.subject_of.get(i) == kind]
                having = [i for i in mention.ids if kind in self.subjects_in.get(i, ())]
                pick = alone if len(alone) == 1 else having if len(having) == 1 else []
                if pick:
                    text = f"{mention.text} {toks[end]}"
                    out.append((start, end + 1, QualificationMention((pick[0],), text, mention.score)))
                    continue
            out.append((start, end, mention))
        return out

    def _unit_not_amount(self, m: re.Match[str], text: str) -> bool:
        """'305 hrs?' closing a question is unit 305's hours, not 305 hours (no one logs that many)."""
        return m.group(1) in self.by_number and bool(_UNIT_THEN_ATTRIBUTE.match(text, m.start(1)))

    def _bare_units(
        self, text: str, spans: list[tuple[int, int, str]], known: list[str], ambiguous: list[tuple[str, ...]]
    ) -> None:
        """'i did 304 305 307': a bare three-digit number that is a unit's number is that unit.

        Runs after hours and codes are taken, so '300 hours' stays hours; the scheme
        (8577 or 8578) is settled later by the qualification in play."""
        for m in [*_BARE_NUMBER.finditer(text), *_UNIT_THEN_ATTRIBUTE.finditer(text)]:
            refs = self.by_number.get(m.group(1))
            if not refs or any(s <= m.start() < e for s, e, _ in spans):
                continue
            if len(refs) == 1:
                known.append(refs[0])
            else:
                ambiguous.append(tuple(sorted(refs)))
            spans.append((m.start(1), m.end(1), "{unit}"))

    def _title_like(self, tok: str) -> bool:
        if tok in self.title_words or len(tok) < 3:
            return True
        return process.extractOne(tok, self.title_word_list, scorer=fuzz.ratio, score_cutoff=WORD_FUZZ) is not None

    def _titles(self, toks: list[str]) -> list[tuple[int, int, list[str]]]:
        """Unit titles written out ("Reflecting on Workplace Coaching Skills"), typos allowed."""
        found: list[tuple[int, int, list[str]]] = []
        taken = [t.startswith("{") for t in toks]
        # Words unlike any title word: a window with two of them can't be a title within TITLE_FUZZ.
        stray = [0]
        for t in toks:
            stray.append(stray[-1] + (not self._title_like(t)))
        for size in sorted(self.titles_by_size, reverse=True):
            names = self.titles_by_size[size]
            for width in (size, size - 1):
                for start in range(len(toks) - width + 1):
                    end = start + width
                    if width < 3 or stray[end] - stray[start] > 1 or any(taken[start:end]):
                        continue
                    best = process.extractOne(
                        " ".join(toks[start:end]), names, scorer=fuzz.ratio, score_cutoff=TITLE_FUZZ
                    )
                    if best is None:
                        continue
                    found.append((start, end, self.titles[best[0]]))
                    for i in range(start, end):
                        taken[i] = True
        return found

    # -- qualifications ----------------------------------------------------

    def _name_like(self, tok: str) -> bool:
        """Could this word be (a typo of) a word of some qualification's name? Only such words can form one."""
        if tok in self.name_words or _SAME_WORD.get(tok) in self.name_words:
            return True
        if len(tok) < 3 or tok.isdigit() or tok.startswith("{"):
            return False
        return process.extractOne(tok, self.name_word_list, scorer=fuzz.ratio, score_cutoff=WORD_FUZZ) is not None

    def _qualifications(self, toks: list[str]) -> list[tuple[int, int, QualificationMention]]:
        taken = [not self._name_like(t) for t in toks]  # a window with any other word can't be a name
        found: list[tuple[int, int, QualificationMention]] = []
        for size in range(min(self.max_size, len(toks)), 0, -1):
            names = self.by_size.get(size)
            if not names:
                continue
            for start in range(len(toks) - size + 1):
                end = start + size
                if any(taken[start:end]) or toks[start] in _SKIP_START or toks[start].startswith("{"):
                    continue
                window = " ".join(toks[start:end])
                key = normalise_name(window)
                score = 100.0
                if key not in self.index:
                    if len(key) < 4 or key.isdigit():
                        continue
                    best = process.extractOne(key, names, scorer=fuzz.ratio, score_cutoff=QUALIFICATION_FUZZ)
                    if best is None or not _faithful(key.split(), best[0].split()):
                        continue
                    key, score = best[0], float(best[1])
                ids = tuple(sorted(self.index[key]))
                found.append((start, end, QualificationMention(ids, window, score)))
                for i in range(start, end):
                    taken[i] = True
        return _merge_adjacent(sorted(found, key=lambda f: f[0]), toks)

    def _placed(
        self, known: list[str], titled: list[str], quals: list[tuple[int, int, QualificationMention]]
    ) -> list[str]:
        """A title several units share, with the one qualification named: that qualification's unit.

        "Reflecting on workplace mentoring skills in the C&M" is 8578-307, not also 8577-307."""
        named = {m.ids[0] for _, _, m in quals if not m.ambiguous}
        if len(named) != 1 or len(titled) < 2:
            return known
        own = self.knowledge.units_of_ids(named.pop())
        inside = [ref for ref in titled if ref in own]
        if len(inside) != 1:
            return known
        return [ref for ref in known if ref not in titled or ref in inside]

    # -- everything ----------------------------------------------------------

    def extract(self, text: str) -> Entities:
        spans: list[tuple[int, int, str]] = []
        known, unknown, ambiguous = self._units(text, spans)
        hours: float | None = None
        paired: list[tuple[str, float]] = []
        for m in _HOURS.finditer(text):
            if any(s <= m.start() < e for s, e, _ in spans) or self._unit_not_amount(m, text):
                continue
            if _THE_HOURS.search(text[max(0, m.start() - 24) : m.start()]):
                continue  # "the 36 hours": a figure asked about
            word = m.group(1).lower()
            value = 0.5 if word.startswith("half") else WORD_NUMBERS.get(word)
            amount = float(value if value is not None else m.group(1))
            hours = amount + (hours or 0.0)
            spans.append((m.start(), m.end(), "{hours}"))
            if (kind := m.group("kind") or _kind_near(text, m.start(), m.end())) is not None:
                paired.append((kind, amount))
        if (
            hours is None
            and (bare := _BARE_HOURS.search(text) or _LABELLED_HOURS.search(text))
            and not any(s <= bare.start(1) < e for s, e, _ in spans)
        ):
            hours = float(bare.group(1))
            spans.append((bare.start(1), bare.end(1), "{hours}"))
        self._bare_units(text, spans, known, ambiguous)
        groups: list[str] = []
        for m in _GROUP.finditer(text):
            n = (m.group(1) or m.group(2)).lower()
            groups.append(f"group-{WORD_NUMBERS.get(n, n)}")
            spans.append((m.start(), m.end(), "{group}"))
        if self.number_pattern is not None:
            for m in self.number_pattern.finditer(text):
                spans.append((m.start(), m.end(), self.numbers[m.group()]))
        masked = _mask(text, spans)
        toks = tokens(masked)
        titled: list[str] = []
        for start, end, refs in sorted(self._titles(toks), reverse=True):
            known.extend(refs)
            titled[:0] = refs
            toks[start:end] = ["{unit}"]
        quals = [q for q in self._narrowed_by_kind(self._qualifications(toks), toks) if not _kinds_only(q, toks)]
        known = self._placed(known, titled, quals)
        out: list[str] = []
        kinds: list[str] = []
        qi = 0
        i = 0
        while i < len(toks):
            if qi < len(quals) and quals[qi][0] == i:
                out.append("{qualification}")
                i = quals[qi][1]
                qi += 1
                continue
            tok = _kind_typo(toks[i])
            if tok in _KINDS:
                kinds.append(_KINDS[tok])
                out.append("{kind}" if _KINDS[tok] in _PRACTICE_KINDS else tok)
            else:
                out.append(tok)
            i += 1
        on_topic = any(t.startswith("{") or t in self.domain_words for t in out)
        return Entities(
            on_topic=on_topic,
            qualifications=tuple(q for _, _, q in quals),
            units=tuple(dict.fromkeys(known)),
            unknown_units=tuple(dict.fromkeys(unknown)),
            ambiguous_units=tuple(dict.fromkeys(ambiguous)),
            groups=tuple(g for g in dict.fromkeys(groups) if g in self.group_ids) or tuple(dict.fromkeys(groups)),
            hours=hours,
            hours_by_kind=tuple(paired),
            kinds=tuple(dict.fromkeys(kinds)),
            template=" ".join(out),
            titled=tuple(dict.fromkeys(titled)),
        )


_SAME_WORD = {"&": "and", "n": "and", "+": "and"}


_KIND_WORDS = frozenset(("coaching", "mentoring", "and", "&", "/", "or", "n"))
_PRACTICE_NOUNS = frozenset(("hours", "hrs", "hour", "practice", "sessions", "session"))


def _kinds_only(found: tuple[int, int, QualificationMention], toks: list[str]) -> bool:
    """'coaching/mentoring hours': kinds of practice before what they count, not the C&M's name."""
    start, end, _ = found
    words = toks[start:end]
    return all(w in _KIND_WORDS for w in words) and end < len(toks) and toks[end] in _PRACTICE_NOUNS


def _merge_adjacent(
    found: list[tuple[int, int, QualificationMention]], toks: list[str]
) -> list[tuple[int, int, QualificationMention]]:
    """'the C&M cert': a name followed by a generic word that could mean it is one mention, not two."""
    out: list[tuple[int, int, QualificationMention]] = []
    for start, end, mention in found:
        if out:
            p_start, p_end, prev = out[-1]
            if p_end == start and len(set(prev.ids) & set(mention.ids)) == 1 and (prev.ambiguous or mention.ambiguous):
                ids = tuple(set(prev.ids) & set(mention.ids))
                text = " ".join(toks[p_start:end])
                out[-1] = (p_start, end, QualificationMention(ids, text, min(prev.score, mention.score)))
                continue
        out.append((start, end, mention))
    return out


def _faithful(window: list[str], name: list[str]) -> bool:
    """A typo'd name must not swallow neighbouring words: every word in the window has a
    counterpart in the name ("mentoring award a level" is not "mentoring award level 3")."""
    name = [*name, *(_SAME_WORD.get(n, n) for n in name)]

    def close(word: str) -> bool:
        # A short word needs a closer match: "awrd" is "award", but "does" is not "ones".
        cutoff = SHORT_WORD_FUZZ if len(word) <= 4 else WORD_FUZZ
        return len(word) >= 3 and not word.isdigit() and any(fuzz.ratio(word, n) >= cutoff for n in name)

    return all(_SAME_WORD.get(w, w) in name or close(w) for w in window)


_AFTER = re.compile(r"\s*(?:of\s+)?(?:supervised\s+)?([a-z]+)", re.I)
_BEFORE = re.compile(r"([a-z]+)\s*(?:practice\s*)?$", re.I)


def _kind_near(text: str, start: int, end: int) -> str | None:
    """The kind written right after ("20 hours of coaching") or before ("mentoring: 5 hours") an amount."""
    for m in (_AFTER.match(text, end), _BEFORE.search(text[max(0, start - 30) : start])):
        if m is not None:
            word = _kind_typo(m.group(1).lower())
            if word in _KINDS:
                return _KINDS[word]
    return None


def _kind_typo(tok: str) -> str:
    """'mentorin' and 'coachng' are the practice kinds; short words must be exact."""
    if tok in _KINDS or len(tok) < 6:
        return tok
    best = process.extractOne(tok, _PRACTICE_KINDS, scorer=fuzz.ratio, score_cutoff=KIND_FUZZ)
    return best[0] if best else tok


def _mask(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Replace character spans by their placeholders, right to left so offsets stay valid."""
    for start, end, placeholder in sorted(spans, reverse=True):
        text = f"{text[:start]} {placeholder} {text[end:]}"
    return text
