"""Splitting ``/ilm-hr remind <target> <when> <message>`` into its three parts.

The parts have no separators, and both ``learners:<qualification name>`` and
``<when>`` can be several words long ("learners:award in mentoring every
monday 09:00 until 2026-12-31 Log your hours"). So the qualification name is
taken as short as possible such that a valid ``<when>`` follows it, and each
``<when>`` form takes all the words it can (``when.read``). The message is
the rest of the text exactly as written: spacing, line breaks and Slack
markup such as ``<!channel>`` are kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.errors import InputError
from bot.reminders import target as targets
from bot.reminders import when

USAGE = "`/ilm-hr remind <#channel or learners:qualification> <when> <message>`"
_WORD = re.compile(r"\S+")
_QUOTES = {'"': '"', "“": "”", "'": "'"}
_WHEN_KEYWORD = re.compile(r"^(?:every|today|tomorrow|\d{4}-?\d{2}-?\d{2}.*)$", re.I)


@dataclass(frozen=True)
class RemindRequest:
    target: targets.Target
    when: when.Spec
    message: str


@dataclass(frozen=True)
class _Word:
    text: str
    end: int


def parse(text: str) -> RemindRequest:
    """The three parts of a ``remind`` command; ``ValueError`` naming the part that is wrong."""
    words = [_Word(m.group(), m.end()) for m in _WORD.finditer(text)]
    if not words:
        raise InputError(f"write {USAGE}")
    if words[0].text.lower().startswith(targets.LEARNERS_PREFIX):
        target, spec, end = _learners(text, words)
    else:
        target = targets.parse(words[0].text)
        spec, used = _when(words[1:])
        end = words[used].end
    message = text[end:].strip()
    if not message:
        raise InputError("the message is empty: write the reminder's text after the time")
    return RemindRequest(target, spec, message)


def _when(words: list[_Word]) -> tuple[when.Spec, int]:
    """The ``<when>`` at the start of ``words`` and how many words it took."""
    return when.read([w.text for w in words])


def _starts_when(words: list[_Word]) -> bool:
    """Whether ``words`` clearly begin a ``<when>`` (so its error is the one to report), not just a name."""
    first = words[0].text
    if first.lower() == "in":
        return len(words) > 1 and words[1].text[:1].isdigit()
    return bool(_WHEN_KEYWORD.match(first))


def _learners(text: str, words: list[_Word]) -> tuple[targets.LearnersTarget, when.Spec, int]:
    start = len(text) - len(text.lstrip()) + len(targets.LEARNERS_PREFIX)
    opening = text[start : start + 1]
    if opening in _QUOTES:
        close = text.find(_QUOTES[opening], start + 1)
        if close < 0:
            raise InputError(f"the qualification's name has no closing {_QUOTES[opening]}")
        found = targets.learners(text[: close + 1].strip())
        assert found is not None  # the text starts with the prefix
        rest = [w for w in words if w.end > close + 1]
        spec, used = _when(rest)
        return found, spec, rest[used - 1].end
    first_error: ValueError | None = None
    for n in range(1, len(words)):
        name = text[: words[n - 1].end].strip()
        if name.lower() == targets.LEARNERS_PREFIX:
            continue
        try:
            spec, used = _when(words[n:])
        except ValueError as exc:
            if first_error is None and _starts_when(words[n:]):
                first_error = exc
            continue
        found = targets.learners(name)
        assert found is not None  # the first word starts with the prefix
        return found, spec, words[n + used - 1].end
    if first_error is not None:
        raise first_error
    targets.learners(words[0].text)  # "learners:" alone: say a qualification is missing
    raise InputError(f"after the learners' qualification, write when to send it: {when.FORMS}")
