"""`ilm-bot serve` in Socket Mode against a fake Socket Mode server, and its start-up checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fakeslack import FakeSlack
from slack_payloads import event_callback, message_im, slash_command

ILM_BOT = str(Path(sys.executable).parent / "ilm-bot")
pytestmark = pytest.mark.slow


def test_envelopes_are_acknowledged_and_answers_flow(tmp_path: Path) -> None:
    with FakeSlack() as slack:
        env = {**os.environ, **slack.env(), "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}"}
        log = tmp_path / "bot.log"
        proc = subprocess.Popen([ILM_BOT, "serve"], env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        try:
            slack.socket.wait_connected(timeout=60)
            event = message_im("U1", "how many credits is 8578-302?")
            eid = slack.socket.send_envelope("events_api", event_callback(event))
            assert slack.socket.wait_for_ack(eid, timeout=10).envelope_id == eid
            post = slack.wait_for("chat.postMessage", timeout=10)
            assert post.channel == event["channel"] and "7 credits" in post.text

            url = slack.response_url("sm1")
            eid = slack.socket.send_envelope(
                "slash_commands", slash_command("/ilm", "what level is the award?", user_id="U1", response_url=url)
            )
            ack = slack.socket.wait_for_ack(eid, timeout=10)
            assert ack.latency < 3.0  # Slack's limit for acknowledging
            answer = slack.wait_for("response_url", lambda c: c.target == "sm1", timeout=10)
            assert answer.ephemeral and "Level 3" in answer.text
        finally:
            proc.terminate()
            proc.wait(10)
        assert slack.bot_token not in log.read_text() and slack.app_token not in log.read_text()


@pytest.mark.parametrize("missing", ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"])
def test_a_missing_required_variable_is_named(missing: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env.update(
        {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    )
    del env[missing]
    proc = subprocess.run([ILM_BOT, "serve"], env=env, capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 1
    assert missing in proc.stderr and "Traceback" not in proc.stderr
