"""HR reminders: the upcoming list with Cancel buttons, and the scheduling modal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.slack.blocks.kit import (
    MAX_CONFIRM_BUTTON,
    MAX_CONFIRM_TEXT,
    MAX_CONFIRM_TITLE,
    MAX_HEADER_TEXT,
    MAX_MESSAGE_BLOCKS,
    Block,
    button,
    context,
    fit,
    header,
    plain,
    section,
)

# -- HR reminders ----------------------------------------------------------------------------

ACTION_REMINDER_CANCEL = "reminder_cancel"
#: callback_id of the "new reminder" modal, and the block ids of its inputs (each input's action_id is "value").
REMINDER_MODAL = "reminder_create"
MODAL_CHANNEL, MODAL_LEARNERS, MODAL_WHEN = "channel", "learners", "when"
MODAL_MESSAGE, MODAL_REPEAT, MODAL_UNTIL = "message", "repeat", "until"
MODAL_VALUE = "value"
MODAL_WEEKLY = "weekly"
MAX_MODAL_TITLE = 24
MAX_OPTION_TEXT = 75
MAX_SELECT_OPTIONS = 100


def reminder_list_blocks(items: Sequence[tuple[int, str]], *, note: str | None = None) -> tuple[str, list[Block]]:
    """(fallback, blocks) for ``/ilm-hr reminders``: one section per reminder, each with a Cancel button.

    ``items`` are (reminder id, description); descriptions are ``mrkdwn`` that is already
    safe (``bot.reminders.messages`` quotes HR's text with broadcasts defused).
    """
    if not items:
        text = "No reminders are scheduled. Schedule one with `/ilm-hr remind`."
        return text, [section(text)] + ([context(note)] if note else [])
    blocks: list[Block] = [header("⏰ Upcoming reminders")]
    if note:
        blocks.append(context(note))
    for n, (reminder_id, description) in enumerate(items):
        confirm = {
            "title": plain(f"Cancel reminder #{reminder_id}?", MAX_CONFIRM_TITLE),
            "text": plain("It will not be sent (what has already been sent stays sent).", MAX_CONFIRM_TEXT),
            "confirm": plain("Cancel it", MAX_CONFIRM_BUTTON),
            "deny": plain("Keep it", MAX_CONFIRM_BUTTON),
            "style": "danger",
        }
        cancel = button("Cancel", f"{ACTION_REMINDER_CANCEL}:{n}", str(reminder_id), style="danger", confirm=confirm)
        blocks.append({**section(description), "accessory": cancel})
    count = f"{len(items)} upcoming reminder{'s' if len(items) != 1 else ''}"
    return count, fit(blocks, MAX_MESSAGE_BLOCKS, "…and more, not shown here.")


def reminder_modal(qualifications: Sequence[tuple[str, str]], *, private_metadata: str = "") -> dict[str, Any]:
    """The "new reminder" modal (for views.open): a channel or a qualification's learners, a date-time,
    the message and an optional weekly repeat. ``qualifications`` are (id, title)."""
    options = [
        {"text": plain(title, MAX_OPTION_TEXT), "value": qid} for qid, title in qualifications[:MAX_SELECT_OPTIONS]
    ]
    inputs: list[tuple[str, str, bool, dict[str, Any]]] = [
        (
            MODAL_CHANNEL,
            "Channel",
            True,
            {
                "type": "conversations_select",
                "placeholder": plain("Pick a channel"),
                "filter": {"include": ["public", "private"], "exclude_bot_users": True},
            },
        ),
        (
            MODAL_LEARNERS,
            "…or, by DM, every learner on",
            True,
            {"type": "static_select", "placeholder": plain("Pick a qualification"), "options": options},
        ),
        (MODAL_WHEN, "When (your time zone)", False, {"type": "datetimepicker"}),
        (MODAL_MESSAGE, "Message", False, {"type": "plain_text_input", "multiline": True, "max_length": 4000}),
        (
            MODAL_REPEAT,
            "Repeat",
            True,
            {
                "type": "checkboxes",
                "options": [{"text": plain("Every week, same day and time"), "value": MODAL_WEEKLY}],
            },
        ),
        (MODAL_UNTIL, "Repeat until (optional)", True, {"type": "datepicker"}),
    ]
    blocks: list[Block] = [
        section(
            "Send to a channel, *or* by DM to every learner on a qualification. Slack markup such as "
            "`&lt;!channel&gt;` is posted as written."
        )
    ]
    for block_id, label, optional, element in inputs:
        blocks.append(
            {
                "type": "input",
                "block_id": block_id,
                "optional": optional,
                "label": plain(label, MAX_HEADER_TEXT),
                "element": {**element, "action_id": MODAL_VALUE},
            }
        )
    return {
        "type": "modal",
        "callback_id": REMINDER_MODAL,
        "title": plain("New reminder", MAX_MODAL_TITLE),
        "submit": plain("Schedule", MAX_MODAL_TITLE),
        "close": plain("Cancel", MAX_MODAL_TITLE),
        "private_metadata": private_metadata,
        "blocks": blocks,
    }
