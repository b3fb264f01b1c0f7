"""The conversation engine, in process: what employees ask and what they must be told."""

from __future__ import annotations

import re

import pytest

from bot.answers.handlers import HANDLERS
from bot.core.assistant import Assistant
from bot.core.brain import Brain
from bot.nlu.intents import load_intents


@pytest.fixture(scope="module")
def brain() -> Brain:
    return Brain.load()


@pytest.fixture
def bot(brain: Brain) -> Assistant:
    return Assistant(brain)


def test_every_intent_has_ten_examples_and_a_handler(brain: Brain) -> None:
    for spec in load_intents().intents:
        assert len(spec.examples) >= 10, spec.name
        assert spec.name in HANDLERS or spec.name == "out_of_scope", spec.name


@pytest.mark.parametrize(
    ("question", "intent", "facts"),
    [
        ("how many credits is 8578-302?", "unit_credits", [r"\b7\b"]),
        ("how many credits is 8578 302", "unit_credits", [r"\b7\b"]),
        ("credits for 8578/302", "unit_credits", [r"\b7\b"]),
        ("what's the credit value of the award", "qualification_credits", [r"\b10\b"]),
        ("qualification number for C&M", "qualification_number", [r"601/3698/4"]),
        ("how many GLH does the certificate in mentoring have", "qualification_glh", [r"\b27\b"]),
        ("total guided learning hours for coaching and mentoring", "qualification_glh", [r"\b36\b", "whichever route"]),
        ("which unit is about reflecting on mentoring skills?", "unit_search", ["8577-307"]),
        ("how much tutorial support on C&M", "tutorial_support", [r"four hours|\b4\b"]),
    ],
)
def test_answers_carry_the_brochure_facts(bot: Assistant, question: str, intent: str, facts: list[str]) -> None:
    answer = bot.reply("U1", question)
    assert answer.understood and answer.intent == intent, answer
    for fact in facts:
        assert re.search(fact, answer.text, re.I), (fact, answer.text)


def test_unknown_unit_is_called_unknown_with_nearest_codes(bot: Assistant) -> None:
    answer = bot.reply("U1", "what is unit 8577-399?")
    assert "don't know a unit 8577-399" in answer.text
    assert re.search(r"8577-30\d", answer.text)


def test_ambiguous_certificate_asks_and_understands_the_reply(bot: Assistant) -> None:
    first = bot.reply("U2", "which units do I need for the certificate?")
    assert "Certificate in Coaching and Mentoring" in first.text and "Certificate in Mentoring" in first.text
    assert {c.value for c in first.choices} == {"l3-certificate-mentoring", "l3-certificate-coaching-mentoring"}
    second = bot.reply("U2", "the mentoring one")
    assert "8577-306" in second.text and "8578" not in second.text
    third_user = bot.reply("U3", "which units do I need for the certificate?")
    assert third_user.choices
    assert "8578-300" in bot.reply("U3", "coaching and mentoring").text


def test_context_is_per_user_and_follow_ups_reuse_it(bot: Assistant) -> None:
    bot.reply("A", "How many GLH is 8577-306?")
    bot.reply("B", "how many credits is the award?")
    assert re.search(r"\b6\b", bot.reply("A", "and 8577-307?").text)
    follow = bot.reply("B", "and the certificate in mentoring?")
    assert follow.intent == "qualification_credits" and re.search(r"\b13\b", follow.text)


def test_personal_check_runs_the_rules_engine(bot: Assistant) -> None:
    answer = bot.reply("U4", "I've done 8578-300, 8578-304 and 8578-302, what's left for C&M?")
    assert answer.check is not None
    assert answer.check["achieved"] is False
    assert answer.check["completion_options"] == [["8578-303"]]
    assert "8578-303" in answer.text
    what_if = bot.reply("U4", "if I also complete 8578-303 will I have it?")
    assert what_if.check is not None and what_if.check["achieved"] is True


def test_completed_qualification_counts_through_credit_transfer(bot: Assistant) -> None:
    answer = bot.reply("U5", "I completed the Certificate in Mentoring, what do I need for Coaching and Mentoring?")
    assert answer.check is not None and answer.check["completion_options"] == [["8578-300"]]
    assert "credit transfer" in answer.text.lower()


def test_hours_remaining(bot: Assistant) -> None:
    answer = bot.reply("U6", "I've done 20 hours of mentoring for 8577-306, how many more?")
    assert re.search(r"\b16\b", answer.text)


@pytest.mark.parametrize(
    "question",
    [
        "how much does the award cost?",
        "when is the exam for the certificate in mentoring",
        "what's the pass mark for C&M?",
    ],
)
def test_facts_not_in_the_brochures_are_not_invented(bot: Assistant, question: str) -> None:
    answer = bot.reply("U7", question)
    assert "don't have" in answer.text
    assert "01543 266867" in answer.text
    assert not re.search(r"£\s?\d|\b\d+ ?%", answer.text)


@pytest.mark.parametrize(
    "question", ["what's the weather like tomorrow?", "how do I book annual leave?", "can you order me a pizza"]
)
def test_out_of_scope_falls_back_and_is_recorded(brain: Brain, question: str) -> None:
    seen: list[tuple[str, str, str | None]] = []
    bot = Assistant(brain, on_fallback=lambda u, q, g: seen.append((u, q, g)))
    answer = bot.reply("U8", question)
    assert answer.understood is False and answer.intent is None
    assert "can help with" in answer.text
    assert seen and seen[0][0] == "U8"


@pytest.mark.parametrize("markup", ["<!channel>", "<!here>", "<!everyone>", "<!subteam^S123|@hr>", "<@U123ABC>"])
def test_slack_markup_is_never_echoed(bot: Assistant, markup: str) -> None:
    answer = bot.reply("U9", f"{markup} what is {markup} unit 8577-399 {markup}")
    assert "<!" not in answer.text and "<@" not in answer.text


@pytest.mark.parametrize("text", ["", "   ", "\x00\x01\x02", "🙂" * 50, "credits " * 20000, "<<<>>>"])
def test_odd_input_never_crashes(bot: Assistant, text: str) -> None:
    answer = bot.reply("U10", text)
    assert isinstance(answer.text, str) and answer.text
