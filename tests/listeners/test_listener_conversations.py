"""Dialogue state per conversation (user + channel + thread): clarifications stay where they were asked."""

from __future__ import annotations

from fakeslack import Call
from slack_payloads import app_mention, block_actions, message_im

from listeners.harness import Harness

QUESTION = "which units do I need for the certificate?"


def _posted(h: Harness, mark: int) -> Call:
    return h.calls_since(mark, "chat.postMessage")[-1]


def _choice(post: Call, label: str) -> tuple[dict, dict]:
    for block in post.blocks:
        if block["type"] == "actions":
            for element in block["elements"]:
                if element["text"]["text"] == label:
                    return block, element
    raise AssertionError(f"no {label!r} button in {post.blocks}")


def _press(h: Harness, user: str, post: Call, label: str, name: str) -> Call:
    block, element = _choice(post, label)
    message = {"type": "message", "ts": post.response["ts"], "text": post.text, "blocks": post.blocks}
    if post.thread_ts:
        message["thread_ts"] = post.thread_ts
    payload = block_actions(
        user,
        element["action_id"],
        element["value"],
        response_url=h.slack.response_url(name),
        channel=post.response["channel"],
        message=message,
        message_ts=post.response["ts"],
        block_id=block["block_id"],
    )
    h.interactive(payload)
    return h.slack.calls_to("response_url", lambda c: c.target == name)[-1]


def test_a_clarification_in_a_channel_thread_does_not_capture_the_next_dm(harness: Harness) -> None:
    user = "UCONV1"
    mark = harness.slack.mark()
    harness.event(app_mention(user, f"<@UBOT> {QUESTION}", channel="CTEAM"))
    asked = _posted(harness, mark)
    assert "Which certificate" in asked.text
    mark = harness.slack.mark()
    harness.event(message_im(user, "the mentoring one"))
    dm = _posted(harness, mark)
    assert "8577-306" not in dm.text  # not the channel thread's question answered in the DM
    reply = _press(harness, user, asked, "Certificate in Mentoring", "conv-thread")
    assert all(ref in reply.text for ref in ("8577-304", "8577-306", "8577-307"))


def test_a_choice_answers_its_own_question_after_other_messages(harness: Harness) -> None:
    user = "UCONV2"
    mark = harness.slack.mark()
    harness.event(message_im(user, QUESTION))
    asked = _posted(harness, mark)
    mark = harness.slack.mark()
    harness.event(message_im(user, "how many credits is 8578-302?"))
    assert "7 credits" in _posted(harness, mark).text
    reply = _press(harness, user, asked, "Certificate in Coaching and Mentoring", "conv-later")
    assert all(ref in reply.text for ref in ("8578-300", "8578-304", "8578-302")), reply.text
    assert "is worth 7 credits" not in reply.text  # the units question, not the one asked since
