"""Ask an expert in-process: the button only where it belongs, the loop from fallback to the learner, the limits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fakeslack import Call, FakeSlack
from slack_payloads import app_mention, block_actions, channel_message, input_value, message_im, view_submission

from bot.core.brain import Brain
from bot.storage import audit
from listeners.harness import EXPERTS, HR, Harness, make_harness

FALLBACK = "what is the postal address of the ILM head office?"


def _ask_button(post: Call) -> dict[str, object] | None:
    for block in post.blocks:
        for element in block.get("elements", []) if block["type"] == "actions" else []:
            if element.get("action_id") == "ask_expert":
                return element
    return None


def _dm(h: Harness, user: str, text: str, thread_ts: str | None = None) -> Call:
    mark = h.slack.mark()
    h.event(message_im(user, text, thread_ts=thread_ts))
    return h.calls_since(mark, "chat.postMessage")[-1]


def _block_of(post: Call) -> str:
    return next(b["block_id"] for b in post.blocks if b.get("block_id", "").startswith("ask_expert"))


def _press_ask(h: Harness, user: str, post: Call, name: str) -> Call:
    button = _ask_button(post)
    assert button is not None
    message = {"type": "message", "ts": post.response["ts"], "text": post.text, "blocks": post.blocks}
    if post.thread_ts:
        message["thread_ts"] = post.thread_ts
    payload = block_actions(
        user,
        "ask_expert",
        str(button["value"]),
        response_url=h.slack.response_url(name),
        channel=post.response["channel"],
        message=message,
        message_ts=post.response["ts"],
        block_id=_block_of(post),
    )
    h.interactive(payload)
    return h.slack.calls_to("response_url", lambda c: c.target == name)[-1]


def _actions(h: Harness, user: str) -> list[str]:
    with h.services.db.transaction() as session:
        return [e.action for e in audit.entries(session, subject=user, limit=50)]


def test_answers_that_fall_back_offer_ask_hr_and_real_answers_do_not(harness: Harness) -> None:
    assert _ask_button(_dm(harness, "UEXP1", FALLBACK)) is not None
    assert _ask_button(_dm(harness, "UEXP1", "how many credits is 8578-302?")) is None


def test_without_an_experts_channel_no_button_is_shown(slack: FakeSlack, brain: Brain, tmp_path: Path) -> None:
    h = make_harness(slack, brain, tmp_path)
    try:
        assert _ask_button(_dm(h, "UEXP2", FALLBACK)) is None
    finally:
        h.services.db.dispose()


def test_from_fallback_to_the_learner_receiving_the_experts_answer_by_modal(harness: Harness) -> None:
    post = _dm(harness, "UEXP3", FALLBACK + " <!channel>")
    mark = harness.slack.mark()
    told = _press_ask(harness, "UEXP3", post, "ask-3")
    assert told.ephemeral and "passed your question to HR" in told.text
    question = harness.calls_since(mark, "chat.postMessage")[-1]
    assert question.channel == EXPERTS and "postal address" in question.all_text()
    assert "<!channel>" not in json.dumps(question.params)  # neutralised where experts read it
    answer_button = next(e for b in question.blocks if b["type"] == "actions" for e in b["elements"])
    harness.interactive(block_actions(HR, "answer_expert", answer_button["value"], channel=EXPERTS))
    modal = harness.calls_since(mark, "views.open")[-1]["view"]
    assert modal["callback_id"] == "expert_answer" and modal["private_metadata"] == answer_button["value"]
    empty = harness.interactive(
        view_submission(
            HR,
            "expert_answer",
            {"answer": input_value("plain_text_input", value=" ")},
            private_metadata=modal["private_metadata"],
        )
    )
    assert json.loads(empty.body) == {"response_action": "errors", "errors": {"answer": "write the answer."}}
    values = {"answer": input_value("plain_text_input", value="ILM, Stowe House, Lichfield.")}
    done = harness.interactive(view_submission(HR, "expert_answer", values, private_metadata=modal["private_metadata"]))
    assert done.status == 200 and not done.body
    delivered = [c for c in harness.calls_since(mark, "chat.postMessage") if c.channel == post.response["channel"]][-1]
    assert "HR answered your question" in delivered.all_text() and "Stowe House" in delivered.all_text()
    updated = harness.calls_since(mark, "chat.update")[-1]
    assert updated.channel == EXPERTS and not any(b["type"] == "actions" for b in updated.blocks)
    again = harness.interactive(
        view_submission(HR, "expert_answer", values, private_metadata=modal["private_metadata"])
    )
    assert "already answered" in json.loads(again.body)["errors"]["answer"]
    assert _actions(harness, "UEXP3")[:4] == ["expert_delivered", "expert_answer", "expert_posted", "expert_ask"]
    _, listing = harness.command("/ilm-admin", "unanswered", "UADMIN1")
    assert listing is not None and "postal address" in listing.text and "Stowe House" in listing.text


def test_an_answer_in_the_experts_thread_goes_back_to_the_thread_where_they_asked(harness: Harness) -> None:
    mark = harness.slack.mark()
    harness.event(app_mention("UEXP4", FALLBACK, channel="C777"))
    post = harness.calls_since(mark, "chat.postMessage")[-1]
    assert post.channel == "C777" and post.thread_ts
    other = _press_ask(harness, "UEXPX", post, "ask-4x")  # someone else in the channel can't pass it on
    assert "someone else" in other.text
    assert not [c for c in harness.calls_since(mark, "chat.postMessage") if c.channel == EXPERTS]
    _press_ask(harness, "UEXP4", post, "ask-4")
    question = [c for c in harness.calls_since(mark, "chat.postMessage") if c.channel == EXPERTS][-1]
    chatter = harness.slack.mark()
    harness.event(channel_message("UNOTHR9", "anyone know?", channel=EXPERTS, thread_ts=question.response["ts"]))
    assert not [c for c in harness.calls_since(chatter) if c.channel == "C777"]  # not an expert: not an answer
    harness.event(channel_message(HR, "It's on the ILM website.", channel=EXPERTS, thread_ts=question.response["ts"]))
    back = [c for c in harness.calls_since(chatter, "chat.postMessage") if c.channel == "C777"][-1]
    assert back.thread_ts == post.thread_ts and "ILM website" in back.all_text()


def test_the_daily_limit_is_per_learner(slack: FakeSlack, brain: Brain, tmp_path: Path) -> None:
    h = make_harness(slack, brain, tmp_path, experts_channel=EXPERTS, expert_daily_limit=2)
    try:
        post = _dm(h, "UEXP5", FALLBACK)
        replies = [_press_ask(h, "UEXP5", post, f"lim-{n}").text for n in range(3)]
        assert ["passed your question" in r for r in replies] == [True, True, False]
        assert "2 questions" in replies[2] and "today" in replies[2]
        assert "passed your question" in _press_ask(h, "UEXP6", _dm(h, "UEXP6", FALLBACK), "lim-other").text
        assert "expert_limit" in _actions(h, "UEXP5")
    finally:
        h.services.db.dispose()


@pytest.mark.parametrize("value", ["", "not json", "[]", '{"q": 5}', '{"q": "   "}'])
def test_a_forged_ask_button_passes_nothing_on(harness: Harness, value: str) -> None:
    mark = harness.slack.mark()
    url = harness.slack.response_url(f"forged-{len(value)}-{mark}")
    harness.interactive(block_actions("UEXP7", "ask_expert", value, response_url=url))
    told = harness.slack.calls_to("response_url", lambda c: c.params and c.target == url.rsplit("/", 1)[1])[-1]
    assert "Not passed on" in told.text
    assert not [c for c in harness.calls_since(mark, "chat.postMessage") if c.channel == EXPERTS]
