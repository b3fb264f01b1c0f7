"""The assistant pane in-process: greeting and prompts, status → answer → title, context per thread, no feature."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_payloads import assistant_thread_context_changed, assistant_thread_started, message_im, new_ts

from listeners.harness import Harness

ASSISTANT = ("assistant.threads.setStatus", "assistant.threads.setSuggestedPrompts", "assistant.threads.setTitle")


def _methods(h: Harness, mark: int) -> list[str]:
    return [c.method for c in h.calls_since(mark) if c.method in {*ASSISTANT, "chat.postMessage"}]


def test_a_new_thread_gets_a_greeting_and_prompts_from_the_knowledge(harness: Harness) -> None:
    mark = harness.slack.mark()
    event = assistant_thread_started("UASST1")
    thread = event["assistant_thread"]
    assert harness.event(event).status == 200
    assert _methods(harness, mark) == ["chat.postMessage", "assistant.threads.setSuggestedPrompts"]
    greeting, prompts = harness.calls_since(mark)[-2:]
    assert greeting.channel == thread["channel_id"] and greeting.thread_ts == thread["thread_ts"]
    assert "ILM Coach" in greeting.text
    assert prompts.ok and len(prompts["prompts"]) >= 3
    assert all(p["title"] and p["message"] for p in prompts["prompts"])
    assert harness.services.threads.context(thread["channel_id"], thread["thread_ts"])["channel_id"] == "C0001"


def test_a_learner_with_a_record_is_offered_their_own_progress(harness: Harness) -> None:
    harness.command("/ilm", "enrol award in mentoring", "UASST2")
    mark = harness.slack.mark()
    harness.event(assistant_thread_started("UASST2"))
    prompts = harness.calls_since(mark, "assistant.threads.setSuggestedPrompts")[-1]["prompts"]
    assert "Award in Mentoring" in prompts[0]["message"] and "still need" in prompts[0]["message"]
    mark = harness.slack.mark()
    event = assistant_thread_started("UASST2")
    harness.event(event)
    thread = event["assistant_thread"]
    harness.event(message_im("UASST2", prompts[0]["message"], thread_ts=thread["thread_ts"]))
    answer = harness.calls_since(mark, "chat.postMessage")[-1]
    assert "8577-" in answer.all_text(), answer.all_text()  # the personal prompt is understood as one


def test_a_message_sets_status_then_answers_in_the_thread_then_titles_it_once(harness: Harness) -> None:
    started = assistant_thread_started("UASST3")
    harness.event(started)
    thread_ts = started["assistant_thread"]["thread_ts"]
    mark = harness.slack.mark()
    harness.event(message_im("UASST3", "how many credits is 8578-302?", thread_ts=thread_ts))
    assert _methods(harness, mark) == [
        "assistant.threads.setStatus",
        "chat.postMessage",
        "assistant.threads.setTitle",
    ]
    status, answer, title = [c for c in harness.calls_since(mark) if c.method in {*ASSISTANT, "chat.postMessage"}]
    assert status["status"] == "is thinking…" and status["thread_ts"] == thread_ts
    assert answer.thread_ts == thread_ts and "7 credits" in answer.text
    assert title["title"] == "how many credits is 8578-302?"
    mark = harness.slack.mark()
    harness.event(message_im("UASST3", "and 8578-303?", thread_ts=thread_ts))
    assert _methods(harness, mark) == ["assistant.threads.setStatus", "chat.postMessage"]  # titled once


def test_the_viewed_channel_is_remembered_per_thread(harness: Harness) -> None:
    a, b = assistant_thread_started("UASST4", viewing="C1"), assistant_thread_started("UASST4", viewing="C2")
    harness.event(a)
    harness.event(b)
    ta, tb = a["assistant_thread"], b["assistant_thread"]
    harness.event(
        assistant_thread_context_changed("UASST4", channel=ta["channel_id"], thread_ts=ta["thread_ts"], viewing="C9")
    )
    assert harness.services.threads.context(ta["channel_id"], ta["thread_ts"])["channel_id"] == "C9"
    assert harness.services.threads.context(tb["channel_id"], tb["thread_ts"])["channel_id"] == "C2"


@pytest.fixture
def no_assistant_feature(harness: Harness) -> Iterator[None]:
    harness.slack.assistant = False
    yield
    harness.slack.assistant = True


def test_without_the_feature_dms_behave_as_before(harness: Harness, no_assistant_feature: None) -> None:
    mark = harness.slack.mark()
    harness.event(message_im("UASST5", "how many credits is 8578-302?"))
    post = harness.calls_since(mark, "chat.postMessage")[-1]
    assert post.thread_ts is None and "7 credits" in post.text
    assert not [c for c in harness.calls_since(mark) if c.method in ASSISTANT]
    thread = new_ts()
    mark = harness.slack.mark()
    harness.event(message_im("UASST5", "how many credits is 8578-303?", thread_ts=thread))
    post = harness.calls_since(mark, "chat.postMessage")[-1]
    assert post.ok and post.thread_ts == thread and "3 credits" in post.text  # the refused status call is skipped
