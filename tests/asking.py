"""One conversation with the assistant, as the answer-level tests hold it: a fresh conversation per call."""

from __future__ import annotations

from bot.core.assistant import Assistant
from bot.core.brain import Brain

#: Built once for every test module that asks questions (building it is the slow part).
BRAIN = Brain.load()


def ask(*turns: str, user: str = "U1") -> str:
    """The answer to the last of ``turns``, all said by one user in one new conversation."""
    bot = Assistant(BRAIN)
    answer = None
    for turn in turns:
        answer = bot.reply(user, turn)
    assert answer is not None
    return answer.text
