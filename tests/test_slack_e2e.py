"""The Slack app end to end: `ilm-bot serve` as a process, signed HTTP requests in, Web API calls out.

The only fake is Slack itself (tests/fakeslack.py, on loopback, reached through
SLACK_API_URL). The bot, its HTTP server, Bolt and the database are the real ones.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from botprocess import BotProcess, get
from fakeslack import FakeSlack
from slack_payloads import (
    SlackRequest,
    app_home_opened,
    app_mention,
    block_actions,
    bot_message_im,
    event_callback,
    form_request,
    interactive_request,
    json_request,
    message_im,
    slash_command,
)

from bot.slack.blocks import read_choice_value

HR = "UHR1"
LEARNER = "ULEARN1"
pytestmark = pytest.mark.slow


class Bot(BotProcess):
    def __init__(self, slack: FakeSlack, database_url: str, log: Path) -> None:
        super().__init__(slack, log, DATABASE_URL=database_url, ILM_HR_USERS=HR, ILM_ADMIN_USERS="UADMIN1")


@pytest.fixture(scope="module")
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture(scope="module")
def bot(slack: FakeSlack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    directory = tmp_path_factory.mktemp("slack")
    running = Bot(slack, f"sqlite:///{directory / 'bot.db'}", directory / "bot.log")
    yield running
    running.stop()
    log = running.log.read_text()
    assert "xoxb-" not in log and slack.signing_secret not in log, "a secret reached the log"


def test_health_and_readiness(bot: Bot) -> None:
    assert get(f"{bot.base}/healthz")[0] == 200
    assert get(f"{bot.base}/readyz") == (200, json.dumps({"status": "ready"}))


def test_a_dm_is_answered_in_the_dm(slack: FakeSlack, bot: Bot) -> None:
    mark = slack.mark()
    event = message_im("U1", "how many credits is 8578-302?")
    assert slack.send(bot.events, json_request(event_callback(event))).status == 200
    call = slack.wait_for("chat.postMessage", after=mark)
    assert call.channel == event["channel"]
    assert "7 credits" in call.text
    assert call.blocks and any(b.get("block_id") == "feedback" for b in call.blocks)


def test_a_mention_is_answered_in_a_thread(slack: FakeSlack, bot: Bot) -> None:
    mark = slack.mark()
    event = app_mention("U2", "which units are in the award in mentoring?", channel="C100")
    slack.send(bot.events, json_request(event_callback(event)))
    call = slack.wait_for("chat.postMessage", after=mark)
    assert call.channel == "C100" and call.thread_ts == event["ts"]
    assert "8577-305" in call.all_text()


def test_a_personal_answer_in_a_channel_is_ephemeral(slack: FakeSlack, bot: Bot) -> None:
    mark = slack.mark()
    event = app_mention("U3", "I've done 8577-304 and 8577-307, what's left for the Award?", channel="C100")
    slack.send(bot.events, json_request(event_callback(event)))
    call = slack.wait_for(["chat.postMessage", "chat.postEphemeral"], after=mark)
    assert call.method == "chat.postEphemeral" and call.params["user"] == "U3"
    assert "8577-305" in call.text


def test_bots_and_edits_are_ignored(slack: FakeSlack, bot: Bot) -> None:
    mark = slack.mark()
    slack.send(bot.events, json_request(event_callback(bot_message_im("hello", channel="DUX"))))
    edited = {**message_im("U1", "hello"), "subtype": "message_changed"}
    slack.send(bot.events, json_request(event_callback(edited)))
    slack.expect_no_call("chat.postMessage", wait=1.0, after=mark)


def test_a_retried_event_is_answered_once(slack: FakeSlack, bot: Bot) -> None:
    mark = slack.mark()
    body = json_request(event_callback(message_im("U4", "what level is the award?")))
    assert slack.send(bot.events, body).status == 200
    assert slack.send(bot.events, body, retry_num=1, retry_reason="http_timeout").status == 200
    assert slack.send(bot.events, body, retry_num=2, retry_reason="http_timeout").status == 200
    slack.wait_for("chat.postMessage", after=mark)
    time.sleep(1.0)
    assert len([c for c in slack.calls[mark:] if c.method == "chat.postMessage"]) == 1


def test_bad_signatures_stale_timestamps_and_garbage_are_refused(slack: FakeSlack, bot: Bot) -> None:
    mark = slack.mark()
    body = json_request(event_callback(message_im("U5", "how many credits is the award?")))
    assert slack.send(bot.events, body, bad_signature=True).status == 401
    assert slack.send(bot.events, body, timestamp=int(time.time()) - 6 * 60).status == 401
    garbage = SlackRequest("{not json", "application/json")
    assert slack.send(bot.events, garbage).status == 400
    binary = form_request({"payload": "\x00\x01"})
    assert slack.send(bot.events, binary).status == 400
    slack.expect_no_call("chat.postMessage", wait=1.0, after=mark)
    assert get(f"{bot.base}/healthz")[0] == 200  # still alive


def test_slash_question_is_ephemeral_and_help_lists_commands(slack: FakeSlack, bot: Bot) -> None:
    mark = slack.mark()
    url = slack.response_url("q1")
    started = time.monotonic()
    request = form_request(slash_command("/ilm", "how many credits is 8578-302?", user_id="U6", response_url=url))
    assert slack.send(bot.events, request).status == 200
    assert time.monotonic() - started < 3.0  # acknowledged within Slack's 3 seconds; the answer follows
    call = slack.wait_for("response_url", lambda c: c.target == "q1", after=mark)
    assert call.ephemeral and "7 credits" in call.text
    url = slack.response_url("help1")
    slack.send(bot.events, form_request(slash_command("/ilm", "help", user_id="U6", response_url=url)))
    call = slack.wait_for("response_url", lambda c: c.target == "help1", after=mark)
    assert "/ilm enrol" in call.all_text() and "/ilm forget-me" in call.all_text()


def _command(slack: FakeSlack, bot: Bot, command: str, text: str, user: str) -> object:
    name = f"r{time.monotonic_ns()}"
    mark = slack.mark()
    slack.send(
        bot.events, form_request(slash_command(command, text, user_id=user, response_url=slack.response_url(name)))
    )
    return slack.wait_for("response_url", lambda c: c.target == name, after=mark)


def test_personal_commands_record_and_show_progress(slack: FakeSlack, bot: Bot) -> None:
    assert "Enrolled you" in _command(slack, bot, "/ilm", "enrol award in mentoring", LEARNER).text
    assert "Recorded for you" in _command(slack, bot, "/ilm", "done 8577-304 8577-307", LEARNER).text
    refused = _command(slack, bot, "/ilm", "done 8577-399", LEARNER).text
    assert "Nothing was recorded" in refused and "8577-30" in refused
    logged = _command(slack, bot, "/ilm", "log 1.5h mentoring with Sam", LEARNER).text
    assert "Logged 1.5 hours of mentoring practice" in logged
    assert "Nothing was recorded" in _command(slack, bot, "/ilm", "log -3h mentoring", LEARNER).text
    progress = _command(slack, bot, "/ilm", "progress", LEARNER)
    assert progress.ephemeral
    text = progress.all_text()
    assert "6/10" in text.replace(" ", "") or "6 of 10" in text, text
    assert "8577-305" in text


def test_hr_can_see_a_learners_progress_and_others_cannot(slack: FakeSlack, bot: Bot) -> None:
    _command(slack, bot, "/ilm", "enrol certificate in mentoring", "ULEARN2")
    refused = _command(slack, bot, "/ilm-hr", "progress <@ULEARN2|sam>", "UNOTHR")
    assert "only for HR" in refused.text and "Certificate" not in refused.all_text()
    shown = _command(slack, bot, "/ilm-hr", "progress <@ULEARN2|sam>", HR)
    assert shown.ephemeral and "Certificate in Mentoring" in shown.all_text()


def test_a_clarification_button_answers_in_place(slack: FakeSlack, bot: Bot) -> None:
    mark = slack.mark()
    event = message_im("U7", "which units do I need for the certificate?")
    slack.send(bot.events, json_request(event_callback(event)))
    asked = slack.wait_for("chat.postMessage", after=mark)
    buttons = [e for b in asked.blocks if b["type"] == "actions" for e in b["elements"]]
    chosen = next(e for e in buttons if read_choice_value(e["value"])[0] == "l3-certificate-mentoring")
    url = slack.response_url("choice1")
    payload = block_actions(
        "U7", chosen["action_id"], chosen["value"], response_url=url, channel=event["channel"], message_ts="1.1"
    )
    slack.send(bot.events, interactive_request(payload))
    call = slack.wait_for("response_url", lambda c: c.target == "choice1", after=mark)
    assert call.params.get("replace_original") is True
    assert "8577-306" in call.all_text()


def test_feedback_is_stored_and_the_buttons_thank(slack: FakeSlack, bot: Bot) -> None:
    mark = slack.mark()
    slack.send(bot.events, json_request(event_callback(message_im("U8", "who is the award in mentoring for?"))))
    answer = slack.wait_for("chat.postMessage", after=mark)
    up = next(
        e
        for b in answer.blocks
        if b.get("block_id") == "feedback"
        for e in b["elements"]
        if e["action_id"] == "feedback_up"
    )
    url = slack.response_url("fb1")
    message = {"type": "message", "text": answer.text, "blocks": answer.blocks, "ts": "1.2"}
    payload = block_actions("U8", "feedback_up", up["value"], response_url=url, message=message, block_id="feedback")
    slack.send(bot.events, interactive_request(payload))
    call = slack.wait_for("response_url", lambda c: c.target == "fb1", after=mark)
    assert "Thanks" in call.all_text() and not any(b.get("block_id") == "feedback" for b in call.blocks)


def test_app_home_shows_examples_and_the_dashboard(slack: FakeSlack, bot: Bot) -> None:
    mark = slack.mark()
    slack.send(bot.events, json_request(event_callback(app_home_opened(LEARNER))))
    call = slack.wait_for("views.publish", after=mark)
    assert call.params["user_id"] == LEARNER
    text = call.all_text()
    assert "Award in Mentoring" in text and "Am I on track?" in text


def test_forget_me_asks_first_then_erases(slack: FakeSlack, bot: Bot) -> None:
    _command(slack, bot, "/ilm", "enrol award in mentoring", "ULEARN3")
    asked = _command(slack, bot, "/ilm", "forget-me", "ULEARN3")
    assert any(
        e.get("action_id") == "forget_confirm" for b in asked.blocks if b["type"] == "actions" for e in b["elements"]
    )
    mark = slack.mark()
    url = slack.response_url("forget1")
    slack.send(
        bot.events,
        interactive_request(block_actions("ULEARN3", "forget_confirm", "yes", response_url=url, ephemeral=True)),
    )
    call = slack.wait_for("response_url", lambda c: c.target == "forget1", after=mark)
    assert "erased" in call.text
    assert "don't have a record" in _command(slack, bot, "/ilm", "progress", "ULEARN3").text


def test_rate_limited_posts_are_retried_not_lost(slack: FakeSlack, bot: Bot) -> None:
    mark = slack.mark()
    slack.fail_next("chat.postMessage", retry_after=1, times=2)
    slack.send(bot.events, json_request(event_callback(message_im("U9", "how many GLH is the award?"))))
    slack.wait_for("chat.postMessage", lambda c: c.ok, after=mark, timeout=15)
    posts = [c for c in slack.calls[mark:] if c.method == "chat.postMessage"]
    assert [c.status for c in posts] == [429, 429, 200]


def test_a_failed_web_api_call_tells_the_user(slack: FakeSlack, bot: Bot) -> None:
    mark = slack.mark()
    slack.fail_next("chat.postMessage", error="channel_not_found")
    event = message_im("U10", "how many credits is the award?")
    body = json_request(event_callback(event))
    slack.send(bot.events, body)
    call = slack.wait_for("chat.postEphemeral", after=mark)
    assert "something went wrong" in call.text and call.params["user"] == "U10"
    # The failed answer released the event: Slack's retry of it is answered, not dropped as a duplicate.
    slack.send(bot.events, body, retry_num=1, retry_reason="http_error")
    retried = slack.wait_for("chat.postMessage", lambda c: c.ok, after=mark, timeout=10)
    assert "10 credits" in retried.text


def test_metrics_count_what_happened_without_personal_data(slack: FakeSlack, bot: Bot) -> None:
    status, body = get(f"{bot.base}/metrics")
    assert status == 200
    assert 'ilm_requests_total{surface="message"}' in body and 'ilm_requests_total{surface="/ilm"}' in body
    assert "ilm_answer_seconds_bucket" in body and 'ilm_intents_total{intent="unit_credits"}' in body
    assert "ilm_fallbacks_total" in body and "ilm_slack_rate_limited_total 2.0" in body
    assert 'ilm_slack_api_errors_total{error="channel_not_found"} 1.0' in body
    assert "ilm_knowledge_version_info{version=" in body
    assert "ULEARN1" not in body and "8578-302" not in body


def test_logs_are_json_with_request_ids_and_no_questions(bot: Bot) -> None:
    lines = [line for line in bot.log.read_text().splitlines() if line.strip()]
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    assert entries and all({"ts", "level", "logger", "msg", "request_id"} <= set(e) for e in entries)
    text = bot.log.read_text()
    assert "how many credits is 8578-302" not in text and "with Sam" not in text


def test_only_the_asker_can_answer_a_clarification(slack: FakeSlack, bot: Bot) -> None:
    mark = slack.mark()
    # (Asked about units: a credits question is now answered for both certificates at once, without a choice.)
    event = app_mention("UASK1", "which units do I need for the certificate?", channel="C300")
    slack.send(bot.events, json_request(event_callback(event)))
    asked = slack.wait_for("chat.postMessage", after=mark)
    block = next(b for b in asked.blocks if b["type"] == "actions" and b["block_id"].startswith("choices"))
    chosen = next(e for e in block["elements"] if read_choice_value(e["value"])[0] == "l3-certificate-mentoring")
    url = slack.response_url("hijack")
    payload = block_actions(
        "UOTHER9", chosen["action_id"], chosen["value"], response_url=url, channel="C300", block_id=block["block_id"]
    )
    slack.send(bot.events, interactive_request(payload))
    call = slack.wait_for("response_url", lambda c: c.target == "hijack", after=mark)
    assert "someone else" in call.text and call.params.get("replace_original") is False
    assert "13" not in call.all_text() and "8577-306" not in call.all_text()


def test_a_mention_in_the_dm_is_answered_once(slack: FakeSlack, bot: Bot) -> None:
    mark = slack.mark()
    dm = message_im("U12", "<@UBOT> how many credits is 8578-302?")
    mention = {**app_mention("U12", "how many credits is 8578-302?", channel=dm["channel"]), "channel_type": "im"}
    slack.send(bot.events, json_request(event_callback(dm)))
    slack.send(bot.events, json_request(event_callback(mention)))
    slack.wait_for("chat.postMessage", after=mark)
    time.sleep(1.0)
    assert len([c for c in slack.calls[mark:] if c.method == "chat.postMessage"]) == 1


def test_command_replies_never_echo_broadcast_markup(slack: FakeSlack, bot: Bot) -> None:
    for text in ("enrol <!channel>", "done <!here> <@U999>", "log 1h <!everyone>", "enrol <!subteam^S123|team>"):
        reply = _command(slack, bot, "/ilm", text, "UMARK1").all_text()
        assert "<!" not in reply and "<@" not in reply, reply
