"""'Am I on track?': answers from the asker's own stored record, handed in by the surface."""

from __future__ import annotations

import re
from datetime import date

import pytest

from bot.core.assistant import Assistant
from bot.core.brain import Brain
from bot.learners.learner import Enrolment, HoursLogged, LearnerRecord, UnitAchieved

DAY = date(2026, 11, 1)


@pytest.fixture(scope="module")
def brain() -> Brain:
    return Brain.load()


def _record(user: str) -> LearnerRecord:
    return LearnerRecord(
        user=user,
        enrolments=(Enrolment("l3-award-mentoring", DAY),),
        units=(UnitAchieved("8577-304", DAY, "self"), UnitAchieved("8577-307", DAY, "hr")),
        hours=(HoursLogged("mentoring", 2.0, DAY), HoursLogged("tutorial", 1.5, DAY)),
    )


@pytest.fixture
def asked() -> list[str]:
    return []


@pytest.fixture
def bot(brain: Brain, asked: list[str]) -> Assistant:
    records = {"U1": _record("U1"), "U2": LearnerRecord(user="U2")}

    def lookup(user: str) -> LearnerRecord | None:
        asked.append(user)
        return records.get(user)

    return Assistant(brain, records=lookup)


def test_on_track_is_answered_from_the_record(bot: Assistant) -> None:
    answer = bot.reply("U1", "am I on track?")
    assert answer.intent == "my_progress"
    # Award in Mentoring: 10 credits; 8577-304 (3) + 8577-307 (3) done, 8577-305 left with 6 hours of mentoring.
    assert re.search(r"\b6 of 10\b", answer.text), answer.text
    assert "8577-305" in answer.text
    assert re.search(r"\b4 more hours of mentoring", answer.text), answer.text
    assert answer.check is not None and answer.check["credits_achieved"] == 6


def test_whats_left_without_units_stated_uses_the_record(bot: Assistant) -> None:
    answer = bot.reply("U1", "what have I got left to do?")
    assert answer.intent == "my_progress" and "8577-305" in answer.text


def test_stated_units_stay_a_what_if(bot: Assistant) -> None:
    answer = bot.reply("U1", "I've done 8577-304, 8577-305 and 8577-307, have I got the award?")
    assert answer.intent == "personal_check"
    assert answer.check is not None and answer.check["achieved"] is True


def test_hours_logged(bot: Assistant) -> None:
    answer = bot.reply("U1", "how many hours have I logged?")
    assert answer.intent == "my_hours"
    assert re.search(r"\b2 hours of mentoring practice", answer.text), answer.text
    assert re.search(r"1\.5 hours of tutorial support", answer.text), answer.text


def test_no_record_says_how_to_start(bot: Assistant) -> None:
    for user in ("U2", "U3"):
        answer = bot.reply(user, "am I on track?")
        assert answer.intent == "my_progress"
        assert "/ilm enrol" in answer.text


def test_only_the_askers_record_is_read(bot: Assistant, asked: list[str]) -> None:
    bot.reply("U2", "am I on track?")
    bot.reply("U2", "how many hours have I logged?")
    assert set(asked) == {"U2"}


def test_general_questions_never_read_a_record(bot: Assistant, asked: list[str]) -> None:
    bot.reply("U1", "how many credits is the award?")
    bot.reply("U1", "what units are in the certificate in mentoring?")
    assert asked == []
