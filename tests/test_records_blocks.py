"""Block Kit for issue 15's surfaces: hostile text escaped, Slack's limits kept, buttons carry what handlers read."""

from __future__ import annotations

import re
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from test_slack_blocks import buttons, problems, texts

from bot.learners.cohort import CohortRow
from bot.learners.learner import HoursLogged
from bot.slack.blocks.records import (
    ACTION_HOURS_DELETE,
    ACTION_IMPORT_CONFIRM,
    ACTION_SIGN_OFF_CONFIRM,
    ACTION_SIGN_OFF_REJECT,
    RECENT_ENTRIES,
    cohort_blocks,
    entry_value,
    import_preview,
    parse_entry_value,
    recent_entries_blocks,
    sign_off_request,
)

HOSTILE = st.sampled_from(["<!channel>", "<@U0ADMIN>", "<!here|here>", "a & b", "<https://evil|click>", "*bold* `x`"])
NOTES = st.one_of(st.none(), HOSTILE, st.text(max_size=600))


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.lists(st.tuples(NOTES, st.floats(0.1, 1000), st.sampled_from(["confirmed", "pending"])), max_size=30))
def test_recent_entries_escape_notes_and_each_has_a_confirmed_delete(rows: list[tuple[str | None, float, str]]) -> None:
    entries = [
        HoursLogged("mentoring", hours, date(2025, 1, 1) + timedelta(days=i), None, note, "self", i + 1, status)
        for i, (note, hours, status) in enumerate(rows)
    ]
    blocks = recent_entries_blocks(entries)
    if not entries:
        assert blocks == []
        return
    assert problems(blocks, 50) == []
    deletes = [b["accessory"] for b in blocks if "accessory" in b]
    assert len(deletes) == min(len(entries), RECENT_ENTRIES)
    assert all(d["action_id"] == ACTION_HOURS_DELETE and "confirm" in d for d in deletes)
    newest = sorted(entries, key=lambda e: e.logged_on, reverse=True)[:RECENT_ENTRIES]
    assert [d["value"] for d in deletes] == [str(e.id) for e in newest]
    assert not any("<!" in t or "<@" in t for t in texts(blocks))


def test_an_import_preview_offers_confirm_only_for_a_clean_file_with_something_new() -> None:
    _, blocks = import_preview("hr<!channel>.csv", 3, 1, [], "tok123")
    assert problems(blocks, 50) == []
    assert next((b["action_id"], b["value"]) for b in buttons(blocks)) == (ACTION_IMPORT_CONFIRM, "tok123")
    _, blocks = import_preview("hr.csv", 0, 4, [], "tok123")
    assert buttons(blocks) == [] and "already recorded" in " ".join(texts(blocks))
    errors = [f"row {n}, column note: contains <!channel>" for n in range(2, 40)]
    _, blocks = import_preview("hr.csv", 3, 0, errors, "tok123")
    assert buttons(blocks) == [] and problems(blocks, 50) == []
    joined = " ".join(texts(blocks))
    assert "38 errors" in joined and "row 2, column note" in joined and "and 18 more" in joined


def test_a_sign_off_request_names_the_learner_and_carries_the_entry() -> None:
    _, blocks = sign_off_request("U0LEARN", "unit 8577-304 <!channel> & co", "unit", 42)
    mention_free = [
        {**b, "text": {**b["text"], "text": re.sub(r"<@U0LEARN>", "learner", b["text"]["text"])}} if "text" in b else b
        for b in blocks
    ]
    assert problems(mention_free, 50) == []
    assert [(b["action_id"], b["value"]) for b in buttons(blocks)] == [
        (ACTION_SIGN_OFF_CONFIRM, "unit:42"),
        (ACTION_SIGN_OFF_REJECT, "unit:42"),
    ]
    assert "<!channel>" not in str(blocks)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.one_of(st.text(max_size=30), st.builds(entry_value, st.sampled_from(["unit", "hours"]), st.integers(0, 10**6)))
)
def test_button_values_are_read_back_or_refused(value: str) -> None:
    """A forged value (any text) is refused; a value the bot made is read back as it was made."""
    parsed = parse_entry_value(value)
    if parsed is not None:
        assert entry_value(*parsed) == value


def test_the_cohort_report_shows_the_chart_by_reference_and_fits() -> None:
    rows = [CohortRow(f"q{i}", f"Qualification {i} <!here>", 10, 3, 7, 40.0, 35.0, 1, 2) for i in range(60)]
    _, blocks = cohort_blocks(rows, 30, "F0CHART")
    assert len(blocks) <= 50
    image = next(b for b in blocks if b["type"] == "image")
    assert image["slack_file"] == {"id": "F0CHART"} and image["alt_text"]
    assert not any("<!here>" in t for t in texts(blocks))
    _, blocks = cohort_blocks(rows[:2], 30, None)
    assert not any(b["type"] == "image" for b in blocks)
    assert problems(blocks, 50) == []
