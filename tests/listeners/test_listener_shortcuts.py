"""Shortcuts and their forms in-process: Log practice hours, Record a unit, Ask the ILM assistant."""

from __future__ import annotations

import json
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from slack_payloads import global_shortcut, input_value, message_shortcut, view_submission

from bot.slack.forms import MAX_FIELD_ERROR
from listeners.harness import Harness


def _open(h: Harness, user: str, callback_id: str) -> dict[str, object]:
    mark = h.slack.mark()
    assert h.interactive(global_shortcut(user, callback_id)).status == 200
    call = h.calls_since(mark, "views.open")[-1]
    assert call.ok
    return call["view"]


def _fields(view: dict[str, object]) -> list[str]:
    return [b["block_id"] for b in view["blocks"] if b["type"] == "input"]


def _log_values(
    hours: object = "1.5", kind: str = "mentoring", day: object = None, unit: str | None = None, note: object = None
) -> dict[str, object]:
    values = {
        "hours": input_value("plain_text_input", value=hours),
        "kind": input_value("static_select", selected_option={"value": kind}),
        "date": input_value("datepicker", selected_date=day or date.today().isoformat()),
        "note": input_value("plain_text_input", value=note),
    }
    if unit:
        values["unit"] = input_value("static_select", selected_option={"value": unit})
    return values


def test_log_practice_hours_opens_the_form_and_logs_like_the_command(harness: Harness) -> None:
    harness.command("/ilm", "enrol award in mentoring", "USHORT1")
    view = _open(harness, "USHORT1", "log_hours")
    assert _fields(view) == ["hours", "kind", "unit", "date", "note"]
    units = [o["value"] for b in view["blocks"] if b["block_id"] == "unit" for o in b["element"]["options"]]
    assert units and all(u.startswith("8577-") for u in units)
    mark = harness.slack.mark()
    response = harness.interactive(
        view_submission("USHORT1", "log_hours", _log_values(unit="8577-306", note="with Sam"))
    )
    assert response.status == 200 and not response.body
    confirmation = harness.calls_since(mark, "chat.postMessage")[-1]
    assert (
        confirmation.channel == "USHORT1"
        and "Logged 1.5 hours of mentoring practice toward 8577-306" in confirmation.text
    )
    assert harness.services.learners.learner("USHORT1").hours[-1].hours == 1.5


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    st.one_of(
        st.sampled_from(["", "abc", "-1", "0", "nan", "inf", "1e309", "100000", "1,5"]),
        st.integers(),
        st.none(),
        st.lists(st.integers(), max_size=2),
        st.text(alphabet="0123456789x.,-", min_size=300, max_size=5000),
    )
)
def test_bad_hours_are_shown_on_the_hours_field(harness: Harness, hours: object) -> None:
    before = len(harness.services.learners.learner("USHORT2").hours)
    response = harness.interactive(view_submission("USHORT2", "log_hours", _log_values(hours=hours)))
    body = json.loads(response.body)
    assert body["response_action"] == "errors" and set(body["errors"]) == {"hours"}
    assert len(body["errors"]["hours"]) <= MAX_FIELD_ERROR  # issue 13 item 16: little of the input quoted back
    assert len(harness.services.learners.learner("USHORT2").hours) == before


def test_a_future_date_a_bad_kind_and_a_wrong_unit_are_each_shown_on_their_field(harness: Harness) -> None:
    future = (date.today() + timedelta(days=2)).isoformat()
    for values, field in (
        (_log_values(day=future), "date"),
        (_log_values(day="31/12/2026"), "date"),
        (_log_values(kind="knitting"), "kind"),
        (_log_values(kind="coaching", unit="8577-306"), "unit"),
        (_log_values(note="x" * 600), "note"),
    ):
        body = json.loads(harness.interactive(view_submission("USHORT3", "log_hours", values)).body)
        assert body["response_action"] == "errors" and field in body["errors"], (field, body)


def test_record_a_unit_offers_only_the_learners_units(harness: Harness) -> None:
    notice = _open(harness, "USHORT4", "record_unit")
    assert "submit" not in notice and "enrol" in json.dumps(notice).lower()  # nothing to pick yet
    harness.command("/ilm", "enrol certificate in mentoring", "USHORT4")
    view = _open(harness, "USHORT4", "record_unit")
    options = [o["value"] for b in view["blocks"] if b["block_id"] == "unit" for o in b["element"]["options"]]
    assert set(options) == {"8577-304", "8577-306", "8577-307"}
    forged = {
        "unit": input_value("static_select", selected_option={"value": "8578-300"}),
        "date": input_value("datepicker", selected_date=date.today().isoformat()),
    }
    body = json.loads(harness.interactive(view_submission("USHORT4", "record_unit", forged)).body)
    assert set(body["errors"]) == {"unit"}
    mark = harness.slack.mark()
    good = {**forged, "unit": input_value("static_select", selected_option={"value": "8577-304"})}
    assert not harness.interactive(view_submission("USHORT4", "record_unit", good)).body
    assert "Recorded for you" in harness.calls_since(mark, "chat.postMessage")[-1].text
    assert [u.unit for u in harness.services.learners.learner("USHORT4").units] == ["8577-304"]


def test_ask_the_assistant_about_a_message_answers_only_the_user(harness: Harness) -> None:
    url = harness.slack.response_url("msg-shortcut")
    harness.interactive(
        message_shortcut("USHORT5", "ask_assistant", "How many credits is 8578-302?", channel="C42", response_url=url)
    )
    reply = harness.slack.calls_to("response_url", lambda c: c.target == "msg-shortcut")[-1]
    assert reply.ephemeral and "7 credits" in reply.all_text()
    harness.interactive(message_shortcut("USHORT5", "ask_assistant", "", channel="C42", response_url=url))
    assert "no text" in harness.slack.calls_to("response_url", lambda c: c.target == "msg-shortcut")[-1].text
