"""Access control written once (``bot.slack.access``): protected commands, buttons and modals refuse and audit."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from slack_payloads import block_actions

from bot.storage import audit
from bot.storage.models import Reminder
from listeners.harness import HR, Harness

OUTSIDERS = st.from_regex(r"U[A-Z0-9]{4,11}", fullmatch=True).filter(lambda u: u not in {HR, "UADMIN1"})


def _refusals(h: Harness, user: str) -> list[audit.AuditRecord]:
    with h.services.db.transaction() as session:
        return [
            e for e in audit.entries(session, limit=500) if e.actor == f"slack:{user}" and e.action.endswith("_refused")
        ]


def _reminders(h: Harness) -> int:
    with h.services.db.transaction() as session:
        return session.query(Reminder).count()


def _view_submission(user: str, callback_id: str, values: dict[str, object]) -> dict[str, object]:
    return {
        "type": "view_submission",
        "team": {"id": "T0001", "domain": "ilm-test"},
        "user": {"id": user, "username": user.lower(), "team_id": "T0001"},
        "api_app_id": "A0001",
        "token": "verification-token-unused",
        "trigger_id": "1.T0001.trigger",
        "view": {
            "id": "VFORGED",
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": "",
            "state": {"values": values},
        },
    }


@settings(max_examples=15, deadline=None, derandomize=True)
@given(OUTSIDERS, st.sampled_from(["/ilm-hr", "/ilm-admin"]), st.sampled_from(["", "progress <@U1>", "reload", "x y"]))
def test_commands_refuse_outsiders_and_audit_it(harness: Harness, user: str, command: str, text: str) -> None:
    before = len(_refusals(harness, user))
    _, reply = harness.command(command, text, user)
    assert reply is not None and "only for" in reply.text and "Nothing was done" in reply.text
    refusals = _refusals(harness, user)
    assert len(refusals) == before + 1
    assert refusals[0].detail == {"surface": "command", "name": command}  # which surface, never what was typed


@settings(max_examples=10, deadline=None, derandomize=True)
@given(OUTSIDERS)
def test_the_reminder_cancel_button_and_modal_refuse_outsiders(harness: Harness, user: str) -> None:
    before, stored = len(_refusals(harness, user)), _reminders(harness)
    url = harness.slack.response_url(f"cancel-{user}")
    response = harness.interactive(block_actions(user, "reminder_cancel:0", "1", response_url=url))
    assert response.status == 200
    refused = harness.slack.calls_to("response_url", lambda c: c.target == f"cancel-{user}")
    assert refused and "only for HR" in refused[-1].text
    values = {"message": {"value": {"type": "plain_text_input", "value": "Hello"}}}
    response = harness.interactive(_view_submission(user, "reminder_create", values))
    body = json.loads(response.body)
    assert body["response_action"] == "errors" and "only for HR" in body["errors"]["message"]
    assert _reminders(harness) == stored
    assert [e.detail["surface"] for e in _refusals(harness, user)[:2]] == ["view", "action"]
    assert len(_refusals(harness, user)) == before + 2


@pytest.mark.parametrize("field", ["user_id", "channel_id"])
def test_forged_ids_are_refused_before_any_listener(harness: Harness, field: str) -> None:
    """Issue 13 item 9: a 64+ character id never reaches the database (or a reply)."""
    mark = harness.slack.mark()
    forged = {field: "U" + "X" * 80} if field == "user_id" else {"channel_id": "C" + "Y" * 70}
    user = forged.get("user_id", "UFORGE1")
    response, reply = harness.command("/ilm", "progress", user, **{k: v for k, v in forged.items() if k != "user_id"})
    assert response.status == 400 and reply is None
    assert harness.calls_since(mark) == []
