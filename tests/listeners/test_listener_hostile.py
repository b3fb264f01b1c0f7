"""Issue 13 items 4 and 9 at the Slack edge: entities decoded once on every surface; forged modals get field errors."""

from __future__ import annotations

import json
import math
import string

from hypothesis import given, settings
from hypothesis import strategies as st
from slack_payloads import block_actions, message_im

from bot.slack.inbound import decode_payload
from bot.storage.models import Reminder
from listeners.harness import HR, Harness

TYPED = st.text(alphabet=string.ascii_letters + " &<>;#!", min_size=1, max_size=60)


def slack_escaped(text: str) -> str:
    """What Slack sends for ``text`` typed by a person."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@settings(max_examples=200, deadline=None, derandomize=True)
@given(TYPED)
def test_every_surface_gets_back_exactly_what_was_typed(typed: str) -> None:
    sent = slack_escaped(typed)
    body = {
        "event": {"type": "message", "text": sent},
        "command": "/ilm",
        "text": sent,
        "message": {"text": sent},
        "actions": [{"action_id": "a", "value": sent}],
        "view": {"state": {"values": {"b": {"value": {"type": "plain_text_input", "value": sent}}}}},
    }
    decode_payload(body)
    assert body["event"]["text"] == body["text"] == body["message"]["text"] == typed
    assert body["actions"][0]["value"] == typed
    assert body["view"]["state"]["values"]["b"]["value"]["value"] == typed


def test_a_dm_typed_with_an_ampersand_is_understood(harness: Harness) -> None:
    mark = harness.slack.mark()
    harness.event(message_im("UAMP2", "how many credits is the C&amp;M?"))
    post = harness.calls_since(mark, "chat.postMessage")[-1]
    assert "Coaching and Mentoring" in post.all_text() and "&amp;amp;" not in post.all_text()


def test_a_button_value_is_decoded_too(harness: Harness) -> None:
    mark = harness.slack.mark()
    harness.interactive(block_actions("UAMP3", "ask_example:0", "how many credits is the C&amp;M?", view={"id": "VH"}))
    post = harness.calls_since(mark, "chat.postMessage")[-1]
    assert "Coaching and Mentoring" in post.all_text()


def _submission(values: dict[str, object]) -> dict[str, object]:
    return {
        "type": "view_submission",
        "team": {"id": "T0001", "domain": "ilm-test"},
        "user": {"id": HR, "username": "hr", "team_id": "T0001"},
        "api_app_id": "A0001",
        "token": "verification-token-unused",
        "trigger_id": "1.T0001.trigger",
        "view": {"id": "V1", "type": "modal", "callback_id": "reminder_create", "state": {"values": values}},
    }


BAD_TIMES = st.one_of(
    st.sampled_from([math.nan, math.inf, -math.inf, 1e300, -1e300, 10**30, -(10**12), -1, 0, True]),
    st.floats(min_value=2.6e11, max_value=1e200),
    st.integers(max_value=-1),
    st.text(max_size=10),
    st.lists(st.integers(), max_size=2),
    st.none(),
)
BAD_MESSAGES = st.one_of(
    st.integers(),
    st.lists(st.text(max_size=3), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.none(),
    st.just(""),
)


def _count(h: Harness) -> int:
    with h.services.db.transaction() as session:
        return session.query(Reminder).count()


@settings(max_examples=80, deadline=None, derandomize=True)
@given(BAD_TIMES, BAD_MESSAGES, st.one_of(st.none(), st.text(max_size=12), st.integers()))
def test_forged_reminder_modals_get_field_errors_and_store_nothing(
    harness: Harness, when: object, message: object, until: object
) -> None:
    before = _count(harness)
    values = {
        "learners": {"value": {"type": "static_select", "selected_option": {"value": "l3-award-mentoring"}}},
        "when": {"value": {"type": "datetimepicker", "selected_date_time": when}},
        "message": {"value": {"type": "plain_text_input", "value": message}},
        "until": {"value": {"type": "datepicker", "selected_date": until}},
    }
    response = harness.interactive(_submission(values))
    assert response.status == 200, response.body
    body = json.loads(response.body)
    assert body["response_action"] == "errors"
    assert {"when", "message"} & set(body["errors"]) and set(body["errors"]) <= set(values) | {"channel"}
    assert all(isinstance(v, str) and v and "went wrong" not in v for v in body["errors"].values())
    assert _count(harness) == before


def test_the_slack_layer_neutralises_text_in_one_place() -> None:
    """Issue 16: Slack escaping runs once, in ``bot.slack.blocks.escape``; no listener or helper repeats it."""
    from pathlib import Path

    slack = Path(__file__).resolve().parents[2] / "bot" / "slack"
    callers = sorted(
        str(p.relative_to(slack))
        for p in slack.rglob("*.py")
        if "neutralise(" in p.read_text(encoding="utf-8") or '.replace("<", "&lt;")' in p.read_text(encoding="utf-8")
    )
    assert callers == ["blocks/kit.py"], callers
