"""Issue 16's surfaces end to end: `ilm-bot serve` over real HTTP, signed requests in, the fake Slack's calls out.

Assistant threads (which calls, in which order), ask-an-expert from a fallback to
the learner receiving the expert's answer (by modal and in the thread), the two
global shortcuts with their forms, and the message shortcut.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from botprocess import BotProcess
from fakeslack import Call, FakeSlack
from slack_payloads import (
    assistant_thread_started,
    block_actions,
    channel_message,
    event_callback,
    form_request,
    global_shortcut,
    input_value,
    interactive_request,
    json_request,
    message_im,
    message_shortcut,
    slash_command,
    view_submission,
)

HR = "UHRE2E"
EXPERTS = "CEXPERTE2E"
FALLBACK = "what is the postal address of the ILM head office?"
ASSISTANT = {"assistant.threads.setStatus", "assistant.threads.setSuggestedPrompts", "assistant.threads.setTitle"}
pytestmark = pytest.mark.slow
#: Answers come after the ack, through the answer queue; on a loaded CI machine that can take seconds.
WAIT = 15.0


@pytest.fixture(scope="module")
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture(scope="module")
def bot(slack: FakeSlack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotProcess]:
    directory = tmp_path_factory.mktemp("surfaces")
    env = {"DATABASE_URL": f"sqlite:///{directory / 'bot.db'}", "ILM_HR_USERS": HR, "ILM_EXPERTS_CHANNEL": EXPERTS}
    running = BotProcess(slack, directory / "bot.log", **env)
    yield running
    running.stop()


def _event(slack: FakeSlack, bot: BotProcess, event: dict[str, Any]) -> None:
    assert slack.send(bot.events, json_request(event_callback(event))).status == 200


def _interactive(slack: FakeSlack, bot: BotProcess, payload: dict[str, Any]) -> Any:
    result = slack.send(bot.events, interactive_request(payload))
    assert result.status == 200, result.text
    return result


def test_an_assistant_thread_greets_prompts_then_answers_in_order(slack: FakeSlack, bot: BotProcess) -> None:
    mark = slack.mark()
    started = assistant_thread_started("UE2EA1")
    thread = started["assistant_thread"]
    _event(slack, bot, started)
    prompts = slack.wait_for("assistant.threads.setSuggestedPrompts", after=mark, timeout=WAIT)
    greeting = slack.wait_for(
        "chat.postMessage", lambda c: c.thread_ts == thread["thread_ts"], after=mark, timeout=WAIT
    )
    assert prompts.ok and len(prompts["prompts"]) >= 3 and greeting.at <= prompts.at
    mark = slack.mark()
    _event(slack, bot, message_im("UE2EA1", "how many credits is 8578-302?", thread_ts=thread["thread_ts"]))
    title = slack.wait_for("assistant.threads.setTitle", after=mark, timeout=WAIT)
    calls = [c for c in slack.calls[mark:] if c.method in ASSISTANT | {"chat.postMessage"}]
    assert [c.method for c in calls] == [
        "assistant.threads.setStatus",
        "chat.postMessage",
        "assistant.threads.setTitle",
    ]
    assert calls[0]["status"] == "is thinking…" and calls[1].thread_ts == thread["thread_ts"]
    assert "7 credits" in calls[1].text and title["title"] == "how many credits is 8578-302?"


def _ask_button(post: Call) -> dict[str, Any]:
    return next(
        e for b in post.blocks if b["type"] == "actions" for e in b["elements"] if e["action_id"] == "ask_expert"
    )


def _ask_block(post: Call) -> str:
    """The Ask HR block's id, which names the asker (only they may press it)."""
    return next(b["block_id"] for b in post.blocks if b.get("block_id", "").startswith("ask_expert"))


def test_ask_an_expert_from_fallback_to_the_learners_dm(slack: FakeSlack, bot: BotProcess) -> None:
    mark = slack.mark()
    _event(slack, bot, message_im("UE2EL1", FALLBACK))
    post = slack.wait_for("chat.postMessage", lambda c: c.channel == "DUE2EL1", after=mark, timeout=WAIT)
    button = _ask_button(post)
    message = {"type": "message", "ts": post.response["ts"], "text": post.text, "blocks": post.blocks}
    url = slack.response_url("e2e-ask")
    _interactive(
        slack,
        bot,
        block_actions(
            "UE2EL1",
            "ask_expert",
            button["value"],
            response_url=url,
            channel="DUE2EL1",
            message=message,
            message_ts=post.response["ts"],
            block_id=_ask_block(post),
        ),
    )
    told = slack.wait_for("response_url", lambda c: c.target == "e2e-ask", after=mark, timeout=WAIT)
    assert told.ephemeral and "passed your question to HR" in told.text
    question = slack.wait_for("chat.postMessage", lambda c: c.channel == EXPERTS, after=mark, timeout=WAIT)
    answer = next(e for b in question.blocks if b["type"] == "actions" for e in b["elements"])
    _interactive(
        slack, bot, block_actions(HR, "answer_expert", answer["value"], channel=EXPERTS, trigger_id="9.T.trig")
    )
    modal = slack.wait_for("views.open", after=mark, timeout=WAIT)["view"]
    values = {"answer": input_value("plain_text_input", value="ILM, Stowe House, Netherstowe, Lichfield.")}
    submitted = _interactive(
        slack, bot, view_submission(HR, "expert_answer", values, private_metadata=modal["private_metadata"])
    )
    assert not submitted.body  # the modal closes
    delivered = slack.wait_for(
        "chat.postMessage", lambda c: c.channel == "DUE2EL1" and "HR answered" in c.all_text(), after=mark
    )
    assert "Stowe House" in delivered.all_text()
    slack.wait_for("chat.update", lambda c: c.channel == EXPERTS, after=mark, timeout=WAIT)


def test_an_expert_can_answer_in_the_thread(slack: FakeSlack, bot: BotProcess) -> None:
    mark = slack.mark()
    _event(slack, bot, message_im("UE2EL2", FALLBACK, thread_ts="1700000000.000100"))
    post = slack.wait_for("chat.postMessage", lambda c: c.channel == "DUE2EL2", after=mark, timeout=WAIT)
    message = {
        "type": "message",
        "ts": post.response["ts"],
        "text": post.text,
        "blocks": post.blocks,
        "thread_ts": "1700000000.000100",
    }
    _interactive(
        slack,
        bot,
        block_actions(
            "UE2EL2",
            "ask_expert",
            _ask_button(post)["value"],
            response_url=slack.response_url("e2e-ask2"),
            channel="DUE2EL2",
            message=message,
            message_ts=post.response["ts"],
            block_id=_ask_block(post),
        ),
    )
    question = slack.wait_for("chat.postMessage", lambda c: c.channel == EXPERTS, after=mark, timeout=WAIT)
    _event(slack, bot, channel_message(HR, "See ilm.com/contact.", channel=EXPERTS, thread_ts=question.response["ts"]))
    back = slack.wait_for(
        "chat.postMessage", lambda c: c.channel == "DUE2EL2" and "HR answered" in c.all_text(), after=mark
    )
    assert back.thread_ts == "1700000000.000100" and "ilm.com/contact" in back.all_text()


def test_the_shortcut_forms_log_hours_and_record_units(slack: FakeSlack, bot: BotProcess) -> None:
    name = "e2e-enrol"
    slack.send(
        bot.events,
        form_request(
            slash_command("/ilm", "enrol award in mentoring", user_id="UE2ES1", response_url=slack.response_url(name))
        ),
    )
    slack.wait_for("response_url", lambda c: c.target == name, timeout=WAIT)
    mark = slack.mark()
    _interactive(slack, bot, global_shortcut("UE2ES1", "log_hours"))
    view = slack.wait_for("views.open", after=mark, timeout=WAIT)["view"]
    assert view["callback_id"] == "log_hours"
    values = {
        "hours": input_value("plain_text_input", value="two"),
        "kind": input_value("static_select", selected_option={"value": "mentoring"}),
        "date": input_value("datepicker", selected_date=time.strftime("%Y-%m-%d")),
    }
    refused = _interactive(slack, bot, view_submission("UE2ES1", "log_hours", values))
    assert json.loads(refused.body)["response_action"] == "errors" and "hours" in json.loads(refused.body)["errors"]
    values["hours"] = input_value("plain_text_input", value="2")
    assert not _interactive(slack, bot, view_submission("UE2ES1", "log_hours", values)).body
    logged = slack.wait_for("chat.postMessage", lambda c: c.channel == "UE2ES1", after=mark, timeout=WAIT)
    assert "Logged 2 hours of mentoring practice" in logged.text
    mark = slack.mark()
    _interactive(slack, bot, global_shortcut("UE2ES1", "record_unit"))
    view = slack.wait_for("views.open", after=mark, timeout=WAIT)["view"]
    options = [o["value"] for b in view["blocks"] if b.get("block_id") == "unit" for o in b["element"]["options"]]
    assert options and all(o.startswith("8577-") for o in options)
    values = {"unit": input_value("static_select", selected_option={"value": "8577-304"}), "date": values["date"]}
    assert not _interactive(slack, bot, view_submission("UE2ES1", "record_unit", values)).body
    recorded = slack.wait_for("chat.postMessage", lambda c: c.channel == "UE2ES1", after=mark, timeout=WAIT)
    assert "Recorded for you" in recorded.text and "8577-304" in recorded.text


def test_the_message_shortcut_answers_ephemerally(slack: FakeSlack, bot: BotProcess) -> None:
    mark = slack.mark()
    url = slack.response_url("e2e-msg")
    _interactive(
        slack,
        bot,
        message_shortcut(
            "UE2EM1", "ask_assistant", "is 8578-300 mandatory on the C&amp;M?", channel="C5", response_url=url
        ),
    )
    reply = slack.wait_for("response_url", lambda c: c.target == "e2e-msg", after=mark, timeout=WAIT)
    assert reply.ephemeral and "8578-300" in reply.all_text()
    assert not slack.calls_to("chat.postMessage", lambda c: c.channel == "C5")
