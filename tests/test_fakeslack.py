"""The fake Slack behaves like Slack for the real slack-sdk and Bolt clients.

The end-to-end tests trust the fake to tell them what the bot did; these tests
make sure it records faithfully, fails the way Slack fails (429 + Retry-After,
``ok: false``) and speaks Socket Mode well enough for slack-sdk's own client.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fakeslack import MAX_RESPONSES_PER_URL, FakeSlack
from slack_payloads import (
    app_home_opened,
    app_mention,
    block_actions,
    event_callback,
    form_request,
    interactive_request,
    json_request,
    message_im,
    signature,
    slash_command,
)
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.webhook import WebhookClient


def close_quickly(slack: FakeSlack, client: SocketModeClient) -> None:
    """Close from the server side first and wake the client's queue poller, or close() takes ~4 s.

    slack-sdk's builtin client otherwise waits out its 3 s socket read timeout and 1 s queue poll.
    """
    assert slack.socket is not None
    slack.socket.close_connections()
    deadline = time.monotonic() + 2
    # Let the client see the close itself: closing while it is disconnecting races inside slack-sdk.
    while client.is_connected() and time.monotonic() < deadline:
        time.sleep(0.01)
    client.message_queue.put("")  # an empty message is skipped by every listener
    client.close()


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def client(slack: FakeSlack) -> WebClient:
    return WebClient(base_url=slack.url, token=slack.bot_token)


# -- Web API ------------------------------------------------------------------------------


def test_url_is_a_web_api_base_url(slack: FakeSlack) -> None:
    assert slack.url.startswith("http://127.0.0.1:") and slack.url.endswith("/api/")
    env = slack.env()
    assert env["SLACK_API_URL"] == slack.url and env["SLACK_BOT_TOKEN"].startswith("xoxb-")
    assert env["SLACK_APP_TOKEN"].startswith("xapp-")


def test_auth_test_and_post_message_are_recorded(slack: FakeSlack, client: WebClient) -> None:
    me = client.auth_test()
    assert me["user_id"] == "UBOT" and me["team_id"] == "T0001"

    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*hi*"}}]
    resp = client.chat_postMessage(channel="C1", text="hello", blocks=blocks, thread_ts="123.456")
    assert resp["ok"] and resp["channel"] == "C1" and resp["ts"]

    call = slack.wait_for("chat.postMessage")
    assert call.channel == "C1" and call.text == "hello" and call.thread_ts == "123.456"
    assert call.blocks == blocks
    assert call.headers["authorization"] == "Bearer xoxb-test" and call.token == "xoxb-test"
    assert call.response["ts"] == resp["ts"]
    assert "*hi*" in call.all_text() and not call.ephemeral
    assert [c.method for c in slack.calls] == ["auth.test", "chat.postMessage"]


def test_post_message_timestamps_increase_and_user_channels_become_dms(client: WebClient) -> None:
    first = client.chat_postMessage(channel="U42", text="a")
    second = client.chat_postMessage(channel="U42", text="b")
    assert first["channel"] == "DU42"
    assert float(second["ts"]) > float(first["ts"])


def test_form_encoded_calls_are_parsed(slack: FakeSlack, client: WebClient) -> None:
    slack.set_user("U2", tz="America/New_York", tz_offset=-18000, real_name="Ada Lovelace")
    assert client.users_info(user="U1")["user"]["tz"] == "Europe/London"
    assert client.users_info(user="U2")["user"]["tz"] == "America/New_York"
    # Blocks sent form-encoded (as JSON strings) are recorded decoded, like JSON bodies.
    client.api_call("chat.postEphemeral", params={"channel": "C1", "user": "U2", "text": "x", "blocks": "[]"})
    eph = slack.wait_for("chat.postEphemeral")
    assert eph.params["user"] == "U2" and eph.blocks == [] and eph.ephemeral
    assert slack.calls_to("users.info")[1].params == {"user": "U2"}


def test_conversations_and_views(slack: FakeSlack, client: WebClient) -> None:
    dm = client.conversations_open(users="U7")["channel"]["id"]
    assert dm == "DU7"
    info = client.conversations_info(channel=dm)["channel"]
    assert info["is_im"] and info["user"] == "U7"
    slack.set_channel("G9", is_ext_shared=True)
    assert client.conversations_info(channel="G9")["channel"]["is_ext_shared"] is True

    home = {"type": "home", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Welcome"}}]}
    published = client.views_publish(user_id="U7", view=home)
    assert published["view"]["id"].startswith("V")
    call = slack.wait_for("views.publish")
    assert call.params["user_id"] == "U7" and call.blocks == home["blocks"] and "Welcome" in call.all_text()
    updated = client.views_update(view_id=published["view"]["id"], view=home)
    assert updated["view"]["id"] == published["view"]["id"]


def test_chat_update_changes_the_stored_message(slack: FakeSlack, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="C1", text="Which certificate?")
    client.chat_update(channel="C1", ts=posted["ts"], text="The Certificate in Mentoring…")
    assert slack.messages[("C1", posted["ts"])]["text"] == "The Certificate in Mentoring…"


def test_rate_limit_is_retried_by_slack_sdk_after_retry_after(slack: FakeSlack) -> None:
    client = WebClient(
        base_url=slack.url, token=slack.bot_token, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)]
    )
    slack.fail_next("chat.postMessage", status=429, retry_after=1)
    start = time.monotonic()
    resp = client.chat_postMessage(channel="C1", text="hello")
    elapsed = time.monotonic() - start

    assert resp["ok"]
    attempts = slack.calls_to("chat.postMessage")
    assert [c.status for c in attempts] == [429, 200]
    assert attempts[0].response == {"ok": False, "error": "ratelimited"}
    assert all(c.text == "hello" for c in attempts)
    assert elapsed >= 1.0, "the client must have waited for Retry-After"


def test_rate_limit_without_retry_handler_surfaces_429(slack: FakeSlack, client: WebClient) -> None:
    slack.fail_next("chat.postMessage", retry_after=7, times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError) as err:
            client.chat_postMessage(channel="C1", text="x")
        assert err.value.response.status_code == 429
        assert err.value.response.headers["Retry-After"] == "7"
        assert err.value.response["error"] == "ratelimited"
    assert client.chat_postMessage(channel="C1", text="x")["ok"]  # only `times` failures


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
def test_ok_false_errors(slack: FakeSlack, client: WebClient) -> None:
    slack.fail_next("chat.postMessage", error="channel_not_found")
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel="C404", text="x")
    assert err.value.response["error"] == "channel_not_found" and err.value.response.status_code == 200
    with pytest.raises(SlackApiError, match="no_text"):
        client.chat_postMessage(channel="C1")


def test_tokens_are_checked(slack: FakeSlack) -> None:
    with pytest.raises(SlackApiError, match="not_allowed_token_type"):
        WebClient(base_url=slack.url, token=slack.app_token).chat_postMessage(channel="C1", text="x")
    with pytest.raises(SlackApiError, match="invalid_auth"):
        WebClient(base_url=slack.url, token="xoxb-wrong").auth_test()
    with pytest.raises(SlackApiError, match="not_allowed_token_type"):
        WebClient(base_url=slack.url, token=slack.bot_token).apps_connections_open(app_token=slack.bot_token)


def test_slack_limits_are_enforced(client: WebClient) -> None:
    section = {"type": "section", "text": {"type": "mrkdwn", "text": "x"}}
    with pytest.raises(SlackApiError, match="invalid_blocks"):
        client.chat_postMessage(channel="C1", text="x", blocks=[section] * 51)
    with pytest.raises(SlackApiError, match="msg_too_long"):
        client.chat_postMessage(channel="C1", text="x" * 40_001)
    with pytest.raises(SlackApiError, match="invalid_arguments"):
        client.views_publish(user_id="U1", view={"type": "home", "blocks": [section] * 101})
    assert client.chat_postMessage(channel="C1", text="x", blocks=[section] * 50)["ok"]


def test_duplicate_ids_are_rejected_like_slack(client: WebClient) -> None:
    def btn(action_id: str) -> dict[str, Any]:
        return {"type": "button", "text": {"type": "plain_text", "text": "b"}, "action_id": action_id, "value": "v"}

    same_action = [{"type": "actions", "elements": [btn("choose"), btn("choose")]}]
    with pytest.raises(SlackApiError, match="invalid_blocks"):
        client.chat_postMessage(channel="C1", text="x", blocks=same_action)
    same_block = [{"type": "actions", "block_id": "b", "elements": [btn("a")]}] * 2
    with pytest.raises(SlackApiError, match="invalid_blocks"):
        client.chat_postMessage(channel="C1", text="x", blocks=same_block)
    distinct = [{"type": "actions", "elements": [btn("choose:0"), btn("choose:1")]}]
    assert client.chat_postMessage(channel="C1", text="x", blocks=distinct)["ok"]


def test_response_urls_are_recorded_and_expire(slack: FakeSlack) -> None:
    url = slack.response_url("cmd-1")
    assert url.endswith("/response/cmd-1")
    webhook = WebhookClient(url)
    assert webhook.send(text="only you", response_type="ephemeral").status_code == 200
    assert webhook.send(text="everyone", response_type="in_channel", replace_original=True).status_code == 200
    first, second = slack.calls_to("response_url")
    assert first.target == "cmd-1" and first.text == "only you" and first.ephemeral
    assert second.params["replace_original"] is True and not second.ephemeral
    for _ in range(MAX_RESPONSES_PER_URL - 2):
        webhook.send(text="again")
    assert webhook.send(text="one too many").status_code == 404


def test_wait_for_times_out_with_the_calls_seen(slack: FakeSlack, client: WebClient) -> None:
    client.auth_test()
    with pytest.raises(AssertionError, match=r"auth\.test"):
        slack.wait_for("chat.postMessage", timeout=0.1)
    slack.expect_no_call("chat.postMessage", wait=0.05)
    mark = slack.mark()
    threading.Timer(0.1, lambda: client.chat_postMessage(channel="C1", text="late")).start()
    assert slack.wait_for("chat.postMessage", lambda c: c.text == "late", after=mark).text == "late"
    with pytest.raises(AssertionError, match="unexpected call"):
        slack.expect_no_call("chat.postMessage", wait=0.05)


# -- signed requests and payloads ---------------------------------------------------------


def test_signature_matches_slack_sdk_verifier() -> None:
    body = form_request(slash_command("/ilm", "help", user_id="U1", response_url="http://x/r")).body
    ts = str(int(time.time()))
    sig = signature("s3cret", ts, body)
    verifier = SignatureVerifier("s3cret")
    assert verifier.is_valid(body=body, timestamp=ts, signature=sig)
    assert not verifier.is_valid(body=body + "x", timestamp=ts, signature=sig)
    assert not SignatureVerifier("other").is_valid(body=body, timestamp=ts, signature=sig)
    headers = json_request({"a": 1}).headers("s3cret", retry_num=1, retry_reason="http_timeout")
    assert headers["X-Slack-Retry-Num"] == "1" and headers["X-Slack-Retry-Reason"] == "http_timeout"


def test_payloads_are_dispatched_by_a_real_bolt_app(slack: FakeSlack) -> None:
    """Signed bodies built here pass Bolt's verification and reach the right listeners."""
    from slack_bolt import App
    from slack_bolt.request import BoltRequest

    app = App(
        token=slack.bot_token,
        signing_secret=slack.signing_secret,
        client=WebClient(base_url=slack.url, token=slack.bot_token),
        process_before_response=True,
    )
    seen: list[str] = []

    @app.event("message")
    def on_dm(event: dict[str, Any], say: Any) -> None:
        seen.append("message")
        say(text=f"dm:{event['text']}")

    @app.event("app_mention")
    def on_mention(event: dict[str, Any], say: Any) -> None:
        seen.append("mention")
        say(text="in thread", thread_ts=event["ts"])

    @app.event("app_home_opened")
    def on_home(event: dict[str, Any], client: WebClient) -> None:
        seen.append("home")
        client.views_publish(user_id=event["user"], view={"type": "home", "blocks": []})

    @app.command("/ilm")
    def on_ilm(ack: Any, respond: Any, command: dict[str, Any]) -> None:
        ack()
        respond(text=f"cmd:{command['text']}")

    @app.action("feedback_up")
    def on_up(ack: Any, body: dict[str, Any]) -> None:
        ack()
        seen.append(f"up:{body['actions'][0]['value']}")

    def dispatch(req: Any) -> int:
        return app.dispatch(BoltRequest(body=req.body, headers=req.headers(slack.signing_secret))).status

    assert dispatch(json_request(event_callback(message_im("U1", "hello")))) == 200
    mention = app_mention("U1", "what is 8577-304?", channel="C5")
    assert dispatch(json_request(event_callback(mention))) == 200
    assert dispatch(json_request(event_callback(app_home_opened("U1")))) == 200
    url = slack.response_url("ilm")
    assert dispatch(form_request(slash_command("/ilm", "help", user_id="U1", response_url=url))) == 200
    assert dispatch(interactive_request(block_actions("U1", "feedback_up", "fb-1"))) == 200

    assert seen == ["message", "mention", "home", "up:fb-1"]
    assert slack.wait_for("chat.postMessage", lambda c: c.channel == "DU1").text == "dm:hello"
    reply = slack.wait_for("chat.postMessage", lambda c: c.channel == "C5")
    assert reply.thread_ts == mention["ts"]
    assert slack.wait_for("views.publish").params["user_id"] == "U1"
    assert slack.wait_for("response_url").target == "ilm"

    # A bad signature is refused before any listener runs.
    bad = json_request(event_callback(message_im("U1", "forged")))
    headers = bad.headers(slack.signing_secret)
    headers["X-Slack-Signature"] = "v0=" + "0" * 64
    assert app.dispatch(BoltRequest(body=bad.body, headers=headers)).status == 401


# -- Socket Mode --------------------------------------------------------------------------


def test_socket_mode_client_connects_receives_and_acks(slack: FakeSlack) -> None:
    assert slack.socket is not None
    web = WebClient(base_url=slack.url, token=slack.bot_token)
    client = SocketModeClient(app_token=slack.app_token, web_client=web, auto_reconnect_enabled=False)
    messages: list[dict[str, Any]] = []
    received: list[SocketModeRequest] = []

    def on_request(c: SocketModeClient, req: SocketModeRequest) -> None:
        received.append(req)
        c.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))

    client.message_listeners.append(lambda _c, message, _raw: messages.append(message))
    client.socket_mode_request_listeners.append(on_request)
    try:
        client.connect()
        slack.socket.wait_connected()
        opened = slack.wait_for("apps.connections.open")
        assert opened.token == slack.app_token and opened.response["url"].startswith("ws://127.0.0.1:")

        payload = event_callback(message_im("U1", "hi"))
        eid = slack.socket.send_envelope("events_api", payload, envelope_id="env-1")
        ack = slack.socket.wait_for_ack(eid)
        assert ack.envelope_id == "env-1" and ack.payload is None and ack.latency < 3
        assert received[0].type == "events_api" and received[0].payload == payload
        assert received[0].retry_attempt == 0
        assert messages[0]["type"] == "hello" and messages[0]["connection_info"]["app_id"] == "A0001"
    finally:
        close_quickly(slack, client)


def test_bolt_socket_mode_acks_slash_commands_with_a_payload(slack: FakeSlack) -> None:
    from slack_bolt import App
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    assert slack.socket is not None
    app = App(token=slack.bot_token, client=WebClient(base_url=slack.url, token=slack.bot_token))

    @app.command("/ilm")
    def on_ilm(ack: Any, command: dict[str, Any]) -> None:
        ack(text=f"you asked: {command['text']}", response_type="ephemeral")

    handler = SocketModeHandler(app, slack.app_token)
    handler.client.auto_reconnect_enabled = False
    try:
        handler.connect()
        slack.socket.wait_connected()
        cmd = slash_command("/ilm", "credits", user_id="U1", response_url=slack.response_url("c"))
        eid = slack.socket.send_envelope("slash_commands", cmd)
        ack = slack.socket.wait_for_ack(eid)
        assert ack.payload == {"text": "you asked: credits", "response_type": "ephemeral"}
        assert json.loads(json.dumps(ack.raw))["envelope_id"] == eid
    finally:
        close_quickly(slack, handler.client)


def test_socket_mode_rejects_unknown_tickets(slack: FakeSlack) -> None:
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect

    assert slack.socket is not None
    with connect(slack.socket.base + "/link/?ticket=forged") as ws, pytest.raises(ConnectionClosed) as closed:
        ws.recv(timeout=2)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008
    assert slack.socket.connections == 0
