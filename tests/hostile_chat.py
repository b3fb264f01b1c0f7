"""Hostile chat messages, generated from a seed, and the checks every answer to them must pass.

Shared by the bounded test (``tests/test_chat_fuzz.py``, a few thousand
messages) and the long run (``benchmarks/fuzz_chat.py``, at least 100,000).
Each message comes with the kind of hostility that made it, so a failure can
be traced to a class of input, and every message is a plain ``str`` exactly as
the Slack edge could hand it to the Assistant (lone surrogates included: JSON
can carry them).

The checks are what issue 13 asks of every answer: no crash, never empty, no
traceback or Python internals, and no broadcast or mention markup, whatever
the user typed.
"""

from __future__ import annotations

import random
import re
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

QUALIFICATION_NAMES = (
    "Award",
    "the Award in Mentoring",
    "Certificate in Mentoring",
    "C&M",
    "C&amp;M",
    "coaching and mentoring",
    "the Certificate",
    "cert",
    "ILM Level 3 Certificate in Coaching and Mentoring",
    "Level 5 Diploma",
    "601/3698/4",
)
#: The real unit codes, and forms people type that are odd, wrong or not units at all.
REAL_UNITS = tuple(u["ref"] for u in yaml.safe_load((ROOT / "knowledge" / "units.yaml").read_text("utf-8"))["units"])
UNIT_CODES = (
    *REAL_UNITS,
    "8577306",
    "8577 - 306",
    "306",
    "unit 304",
    "9999-999",
    "0000-000",
    "8577-3060",
    "85770-306",
    "8578-999",
    "304 305 307",
)
NUMBERS = (
    "0",
    "-1",
    "1e308",
    "-1e308",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "99999999999999999999999999999",
    "0.0000001",
    "1/0",
    "½",
    "٣٦",
    "①②",
    "²",
    "36h",
    "12 credits",
    "10,000",
    "3.14159",
    "0x1F",
    "1_000",
    "−5",
)
MARKUP = (
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<!here|here>",
    "<!channel|@channel>",
    "<@U012ABCDEF>",
    "<@W0123|bob>",
    "<#C0123|general>",
    "<!subteam^S0123|@hr-team>",
    "<!date^1392734382^{date}|Feb 18>",
    "<https://example.com|click me>",
    "<mailto:a@example.com|a@example.com>",
    "@here",
    "@channel",
    "@everyone",
    "@ here",
    "＠here",
    "&lt;!channel&gt;",
    "&lt;@U0123&gt;",
    "&#60;!here&#62;",
    "< !channel >",
    "<<!here>>",
    "<!chan<!here>nel>",
    "*bold*",
    "_italic_",
    "~strike~",
    "`code`",
    "```block```",
    "> quoted",
    ":white_check_mark:",
    "&amp;amp;",
)
FORMAT_STRINGS = (
    "{title}",
    "{0}",
    "{}",
    "{x.__class__}",
    "{title.__class__.__mro__}",
    "{units[0]}",
    "%s",
    "%(title)s",
    "${title}",
    "{{",
    "}}",
    "{",
    "}",
    "\\n",
    "\\u0000",
)
INJECTIONS = (
    "'; DROP TABLE learners; --",
    '" OR 1=1 --',
    "(((((a*)*)*)*)*)b",
    "a" * 50 + "!",
    "../../../etc/passwd",
    "${jndi:ldap://x/a}",
    "<script>alert(1)</script>",
    "\\",
    "\\\\\\",
    "'\"`",
    "None",
    "null",
    "undefined",
    "True",
    "[]",
    "{}",
)
FOREIGN = (
    "combien de crédits pour le certificat ?",
    "wie viele Stunden braucht man für den Award?",
    "¿cuántas horas de tutoría hay?",
    "这个证书需要多少学分？",
    "كم عدد الساعات المطلوبة؟",
    "сколько кредитов у сертификата?",
    "प्रमाणपत्र के लिए कितने क्रेडिट?",
    "証明書の単位はいくつですか",
    "자격증 학점은 몇 점인가요?",
    "ile godzin mentoringu?",
    "Ποιες μονάδες είναι υποχρεωτικές;",
    "שאלה על התעודה",
)
CONTROL = (
    "\x00",
    "\x01",
    "\x07",
    "\x08",
    "\x1b[31m",
    "\x7f",
    "\r",
    "\r\n",
    "\t",
    "\v",
    "\f",
    "\u0085",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\u200b",
    "\u200d",
    "\u202e",
    "\u2066",
    "\ufffd",
    "\ufffe",
    "\U000e0041",
    "\ud800",
    "\udfff",
    "\udc80",
)
FILLERS = ("and", "or", "the", "award", "?", "!", "unit", "how many", "credits", "lol", "pls", "...", "😀", "👍🏽")
FOLLOW_UPS = ("and the other one?", "yes", "no", "1", "2", "both", "that one", "why?", "what about 306?", "ok", "?")


def _seed_questions() -> list[str]:
    """Real questions: the intent examples and the held-out sets' turns (what people type)."""
    questions: list[str] = []
    for path in sorted((ROOT / "intents").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if isinstance(data.get("examples"), list):
            questions += [e.replace("{qualification}", "Award").replace("{unit}", "8577-306") for e in data["examples"]]
    for path in sorted((ROOT / "tests" / "data").glob("heldout_questions*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            questions += [str(t) for t in case["turns"] if not str(t).startswith("REPEAT:")]
    return questions


SEED_QUESTIONS = _seed_questions()


# -- the generators: one per kind of hostility --------------------------------------------------


def _random_unicode(rng: random.Random) -> str:
    planes = [(0x20, 0x7F), (0xA0, 0x2FF), (0x300, 0x36F), (0x590, 0x6FF), (0x900, 0x97F), (0x2000, 0x206F),
              (0x3040, 0x30FF), (0x4E00, 0x4FFF), (0xD800, 0xDFFF), (0xE000, 0xE0FF), (0xFE00, 0xFFFF),
              (0x1F300, 0x1F6FF), (0xE0000, 0xE007F), (0x10FF00, 0x10FFFF)]  # fmt: skip
    out = []
    for _ in range(rng.randrange(1, 200)):
        lo, hi = rng.choice(planes)
        out.append(chr(rng.randrange(lo, hi + 1)))
    return "".join(out)


def _markup(rng: random.Random) -> str:
    question = rng.choice(SEED_QUESTIONS)
    parts = [rng.choice(MARKUP) for _ in range(rng.randrange(1, 5))]
    at = rng.randrange(len(parts) + 1)
    return " ".join([*parts[:at], question, *parts[at:]])


ECHO_FRAMES = (
    "what is unit {x}?",
    "tell me about the {x} qualification",
    "enrol me on {x}",
    "I've done {x} and 8577-304",
    "is {x} mandatory?",
    "how many credits is {x}",
    "{x}",
    "who is {x}",
    "compare {x} and the Award",
    "what does {x} mean",
)
UNIT_FRAMES = (
    "I've done {x}, have I passed?",
    "i did {x} have i got the award",
    "what's left after {x}",
    "{x}",
    "is {x} optional on the C&M?",
    "credits for {x}?",
)
NUMBER_FRAMES = (
    "I've done {x} hours of mentoring",
    "the award is {x} credits, right?",
    "is it {x} GLH?",
    "{x}",
    "I logged {x}h of coaching for 8578-306",
    "my manager says {x} hours of tutorial support",
)


def _framed(rng: random.Random, frames: tuple[str, ...], value: str) -> str:
    return rng.choice(frames).format(x=value)


def _echo_bait(rng: random.Random) -> str:
    """Messages built to be quoted back: unknown units, names and topics wrapped in markup."""
    return _framed(rng, ECHO_FRAMES, rng.choice(MARKUP))


def _huge(rng: random.Random) -> str:
    unit = rng.choice([rng.choice(SEED_QUESTIONS) + " ", rng.choice(UNIT_CODES) + " ", "a", "é", "😀", "word "])
    size = rng.choice([2_000, 5_000, 20_000, 40_000, rng.randrange(1_000, 60_000)])
    return (unit * (size // len(unit) + 1))[:size]


def _entity_soup(rng: random.Random) -> str:
    pool = QUALIFICATION_NAMES + UNIT_CODES + NUMBERS + ("group 1", "group 2", "coaching route", "GLH", "hours")
    return " ".join(rng.choice(pool) for _ in range(rng.randrange(2, 40)))


def _units(rng: random.Random) -> str:
    return _framed(rng, UNIT_FRAMES, ", ".join(rng.sample(UNIT_CODES, rng.randrange(1, 8))))


def _numbers(rng: random.Random) -> str:
    return _framed(rng, NUMBER_FRAMES, rng.choice(NUMBERS))


def _repeated(rng: random.Random) -> str:
    token = rng.choice(FILLERS + UNIT_CODES[:4] + QUALIFICATION_NAMES[:4])
    return (token + rng.choice([" ", "", ", "])) * rng.randrange(2, 800)


def _mixed_languages(rng: random.Random) -> str:
    parts = [rng.choice(FOREIGN), rng.choice(SEED_QUESTIONS), rng.choice(FOREIGN)]
    rng.shuffle(parts)
    return " ".join(parts[: rng.randrange(1, 4)])


def _control(rng: random.Random) -> str:
    text = list(rng.choice(SEED_QUESTIONS))
    for _ in range(rng.randrange(1, 10)):
        text.insert(rng.randrange(len(text) + 1), rng.choice(CONTROL))
    return "".join(text)


def _format_and_injection(rng: random.Random) -> str:
    bad = rng.choice(FORMAT_STRINGS + INJECTIONS)
    return rng.choice([bad, f"{rng.choice(SEED_QUESTIONS)} {bad}", f"what is {bad}?", f"the {bad} award"])


def _mutated_question(rng: random.Random) -> str:
    text = list(rng.choice(SEED_QUESTIONS))
    for _ in range(rng.randrange(1, 6)):
        if not text:
            break
        at = rng.randrange(len(text))
        op = rng.randrange(5)
        if op == 0:
            del text[at]
        elif op == 1:
            text.insert(at, rng.choice("abcdefghijklmnopqrstuvwxyz0123456789 -?&<>@!#*_~`'\""))
        elif op == 2 and at + 1 < len(text):
            text[at], text[at + 1] = text[at + 1], text[at]
        elif op == 3:
            text[at] = text[at].upper() if rng.random() < 0.5 else text[at].lower()
        else:
            text.insert(at, rng.choice(MARKUP + CONTROL + NUMBERS))
    return "".join(text)


ATTRIBUTES = (
    "mandatory",
    "optional",
    "credits",
    "GLH",
    "guided learning hours",
    "practice hours",
    "tutorial support",
    "induction",
    "level",
    "units",
    "a prerequisite",
    "needed",
    "worth",
    "the pass mark",
    "the cost",
)
FRAMES = (
    "is it {attr} for both the {q} and the {q2}?",
    "is {unit} {attr} for the {q} and the {q2}?",
    "is {unit} {attr} on the {q}?",
    "is the {q} {attr} for the {q2}?",
    "how many {attr} for the {q} vs the {q2}?",
    "which has more {attr}, the {q} or the {q2}?",
    "do {unit} and {unit2} count for both?",
    "what's the {attr} of {unit} and {unit2} combined?",
    "the {q} is {n} credits, isn't it?",
    "my manager reckons {unit} is {n} GLH, is he right?",
    "if I've done the {q}, what do I need for the {q2}?",
    "I did {unit} and {unit2}, have I got the {q}?",
    "{attr}? {q}? {unit}?",
    "both",
    "is it {attr} for all of them?",
    "what about {unit} for the {q2} and {q}?",
    "Hi team, forwarding this. > is {unit} {attr} for the {q}? Thanks, Sam",
)


def _composed(rng: random.Random) -> str:
    """Questions that combine things (issue 12): two subjects, claims, comparisons, sums."""
    unit, unit2 = rng.sample(REAL_UNITS, 2)
    q, q2 = rng.sample(QUALIFICATION_NAMES, 2)
    return rng.choice(FRAMES).format(
        attr=rng.choice(ATTRIBUTES), q=q, q2=q2, unit=unit, unit2=unit2, n=rng.choice(NUMBERS)
    )


def _two_questions(rng: random.Random) -> str:
    joiner = rng.choice([" and ", ". ", "? ", " also ", " / ", "\n", " but ", ", plus "])
    return joiner.join(rng.choice(SEED_QUESTIONS) for _ in range(rng.randrange(2, 4)))


def _blank(rng: random.Random) -> str:
    return rng.choice(["", " ", "\n\n", "\t", "\u200b", "\u3000", "   \r\n  ", ".", "?", "!!!", "…", "-", "&nbsp;"])


def _follow_up(rng: random.Random) -> str:
    return rng.choice(FOLLOW_UPS + tuple(MARKUP[:6]))


GENERATORS: dict[str, Callable[[random.Random], str]] = {
    "random unicode": _random_unicode,
    "slack markup": _markup,
    "echo bait": _echo_bait,
    "huge": _huge,
    "entity soup": _entity_soup,
    "unit codes": _units,
    "numbers": _numbers,
    "repeated tokens": _repeated,
    "mixed languages": _mixed_languages,
    "control characters": _control,
    "format and injection": _format_and_injection,
    "mutated question": _mutated_question,
    "blank": _blank,
    "composed": _composed,
    "two questions": _two_questions,
    "follow-up": _follow_up,
}
#: How often each kind comes up (huge inputs are slow and rarer in life; follow-ups exercise the context).
WEIGHTS = {"huge": 1, "blank": 2, "random unicode": 4, "follow-up": 6}


@dataclass(frozen=True)
class Message:
    index: int
    user: str
    kind: str
    text: str


def messages(seed: int, count: int, users: int = 200) -> Iterator[Message]:
    """``count`` hostile messages from ``users`` users (so conversations build up context)."""
    rng = random.Random(seed)
    kinds = list(GENERATORS)
    weights = [WEIGHTS.get(k, 8) for k in kinds]
    for i in range(count):
        kind = rng.choices(kinds, weights)[0]
        user = f"U{rng.randrange(users):05d}"
        yield Message(i, user, kind, GENERATORS[kind](rng))


# -- the checks ------------------------------------------------------------------------------------

#: Slack markup that pings or broadcasts: never in an answer, whatever the user typed.
MENTION = re.compile(r"<!(?:channel|here|everyone|subteam)|<@[UW]", re.I)
#: A bare @here/@channel/@everyone that Slack would still act on (the bot defuses it with a zero-width space).
BARE_MENTION = re.compile(r"(?<![\w.])@(?:channel|here|everyone)\b", re.I)
#: Python leaking into an answer.
INTERNALS = re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\", line \d+|<class '|object at 0x[0-9a-f]+")


#: Every problem ``check`` records, in the order reports list them.
PROBLEMS = ("crash", "empty answer", "traceback or internals", "mention markup", "bare @mention")


@dataclass
class Tally:
    """What went wrong, by problem, with the first few inputs of each to reproduce it."""

    total: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    problems: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    keep: int = 5

    def note(self, problem: str, message: Message, detail: str) -> None:
        self.problems[problem] = self.problems.get(problem, 0) + 1
        shown = self.examples.setdefault(problem, [])
        if len(shown) < self.keep:
            shown.append({"kind": message.kind, "user": message.user, "input": message.text[:500], "detail": detail})

    def count(self, problem: str) -> int:
        return self.problems.get(problem, 0)


def check(reply: Callable[[str, str], str], message: Message, tally: Tally) -> str | None:
    """Send one message through ``reply(user, text) -> answer text``; record every problem. Returns the answer."""
    tally.total += 1
    tally.by_kind[message.kind] = tally.by_kind.get(message.kind, 0) + 1
    try:
        text = reply(message.user, message.text)
    except Exception as exc:  # the point: count crashes, don't stop at the first
        tally.note("crash", message, "".join(traceback.format_exception_only(exc)).strip()[-500:])
        return None
    if not isinstance(text, str) or not text.strip():
        tally.note("empty answer", message, repr(text))
        return text
    if INTERNALS.search(text) and not INTERNALS.search(message.text):
        tally.note("traceback or internals", message, text[:300])
    if MENTION.search(text):
        tally.note("mention markup", message, text[:300])
    if BARE_MENTION.search(text):
        tally.note("bare @mention", message, text[:300])
    return text
