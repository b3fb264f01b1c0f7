"""Hostile chat messages through the Assistant: no crash, no empty answer, no markup that pings anyone.

Issue 13's bounded fuzz: a fixed seed and a few thousand generated messages
(``tests/hostile_chat.py``; ``benchmarks/fuzz_chat.py`` runs the same
generator over 100,000+). Each property is its own test so one failing
class doesn't hide the others.
"""

from __future__ import annotations

import pytest
from hostile_chat import GENERATORS, Tally, check, messages

from bot.core.assistant import Assistant
from bot.core.brain import Brain

SEED = 2026
COUNT = 4_000


@pytest.fixture(scope="module")
def tally() -> Tally:
    assistant = Assistant(Brain.load())
    result = Tally(keep=10)
    for message in messages(SEED, COUNT, users=100):
        check(lambda user, text: assistant.reply(user, text).text, message, result)
    return result


def test_every_kind_of_hostile_input_was_sent(tally: Tally) -> None:
    assert tally.total == COUNT
    assert set(tally.by_kind) == set(GENERATORS)


def test_no_message_crashes_the_assistant(tally: Tally) -> None:
    assert tally.count("crash") == 0, tally.examples.get("crash")


def test_no_answer_shows_a_traceback_or_python_internals(tally: Tally) -> None:
    assert tally.count("traceback or internals") == 0, tally.examples.get("traceback or internals")


def test_no_answer_carries_broadcast_or_mention_markup(tally: Tally) -> None:
    assert tally.count("mention markup") == 0, tally.examples.get("mention markup")
    assert tally.count("bare @mention") == 0, tally.examples.get("bare @mention")


def test_no_answer_is_empty(tally: Tally) -> None:
    assert tally.count("empty answer") == 0, tally.examples.get("empty answer")
