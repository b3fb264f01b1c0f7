"""Modals and messages of the newer surfaces: ask-an-expert, and the two shortcut forms.

Every input element uses the action id ``value`` (``bot.slack.forms`` reads by block id).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from bot.slack.blocks.kit import (
    ACTION_ANSWER_EXPERT,
    MAX_HEADER_TEXT,
    MAX_SECTION_TEXT,
    Block,
    actions,
    button,
    clip,
    context,
    escape,
    plain,
    section,
)

MAX_MODAL_TITLE = 24
MAX_OPTION_TEXT = 75
MAX_SELECT_OPTIONS = 100
VALUE = "value"
#: How much of a question or answer is quoted in a message (the whole is kept in the database).
MAX_QUOTE = 1500

EXPERT_MODAL = "expert_answer"
FIELD_ANSWER = "answer"
LOG_HOURS_MODAL = "log_hours"
RECORD_UNIT_MODAL = "record_unit"
FIELD_HOURS, FIELD_KIND, FIELD_UNIT, FIELD_DATE, FIELD_NOTE = "hours", "kind", "unit", "date", "note"
#: Shortcut callback ids (the manifest declares the same).
SHORTCUT_LOG_HOURS = "log_hours"
SHORTCUT_RECORD_UNIT = "record_unit"
SHORTCUT_ASK = "ask_assistant"


def quote(text: str) -> str:
    """Someone's words as a ``mrkdwn`` block quote: escaped (so nothing pings) and shortened."""
    return "\n".join(f"> {line}" for line in clip(escape(text.strip()), MAX_QUOTE).splitlines() or [""])


def expert_post(question_id: int, learner: str, question: str) -> tuple[str, list[Block]]:
    """The question as posted in the experts' channel, with its Answer button."""
    blocks = [
        section(f"*Question from <@{learner}>* (passed on with Ask HR):\n{quote(question)}"),
        *actions([button("Answer", ACTION_ANSWER_EXPERT, str(question_id), style="primary")], "expert_answer"),
        context("Answer with the button, or reply in this thread: the answer goes back to the learner."),
    ]
    return f"Question from <@{learner}>: {clip(escape(question), 300)}", blocks


def expert_answered(learner: str, question: str, expert: str, answer: str) -> tuple[str, list[Block]]:
    """The experts' post once answered: the button gone, who answered and what."""
    blocks = [
        section(f"*Question from <@{learner}>*:\n{quote(question)}"),
        section(f"*Answered by <@{expert}>*:\n{quote(answer)}"),
        context("✅ Sent to the learner."),
    ]
    return f"Answered by <@{expert}>", blocks


def expert_reply(question: str, answer: str) -> tuple[str, list[Block]]:
    """What the learner receives: their question and HR's answer."""
    blocks = [section(f"💬 *HR answered your question*\n{quote(question)}"), section(quote(answer))]
    return f"HR answered your question: {clip(escape(answer), 300)}", blocks


def expert_modal(question_id: int, question: str) -> dict[str, Any]:
    return _modal(
        EXPERT_MODAL,
        "Answer the question",
        "Send",
        [
            section(f"*The question*\n{quote(question)}"),
            _input(FIELD_ANSWER, "Your answer", {"type": "plain_text_input", "multiline": True, "max_length": 3000}),
        ],
        private_metadata=str(question_id),
    )


def _options(items: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    return [{"text": plain(label, MAX_OPTION_TEXT), "value": value} for value, label in items[:MAX_SELECT_OPTIONS]]


def log_hours_modal(kinds: Sequence[tuple[str, str]], units: Sequence[tuple[str, str]], today: date) -> dict[str, Any]:
    """ "Log practice hours": hours, kind, optional unit, date and note. ``kinds``/``units`` are (value, label)."""
    blocks: list[Block] = [
        _input(FIELD_HOURS, "Hours", {"type": "plain_text_input", "placeholder": plain("e.g. 1.5")}),
        _input(FIELD_KIND, "Kind", {"type": "static_select", "options": _options(kinds)}),
    ]
    if units:
        element = {"type": "static_select", "placeholder": plain("Toward a unit"), "options": _options(units)}
        blocks.append(_input(FIELD_UNIT, "Unit (optional)", element, optional=True))
    blocks.append(_input(FIELD_DATE, "Date", {"type": "datepicker", "initial_date": today.isoformat()}))
    note = {"type": "plain_text_input", "multiline": True, "max_length": 500}
    blocks.append(_input(FIELD_NOTE, "Note (optional)", note, optional=True))
    return _modal(LOG_HOURS_MODAL, "Log practice hours", "Log", blocks)


def record_unit_modal(units: Sequence[tuple[str, str]], today: date) -> dict[str, Any]:
    """ "Record a unit": a unit picker (the learner's qualifications' units) and the date achieved."""
    blocks = [
        _input(FIELD_UNIT, "Unit achieved", {"type": "static_select", "options": _options(units)}),
        _input(FIELD_DATE, "Date achieved", {"type": "datepicker", "initial_date": today.isoformat()}),
    ]
    return _modal(RECORD_UNIT_MODAL, "Record a unit", "Record", blocks)


def notice_modal(title: str, text: str) -> dict[str, Any]:
    """A modal that only explains (no submit), e.g. "enrol first"."""
    return {
        "type": "modal",
        "title": plain(title, MAX_MODAL_TITLE),
        "close": plain("Close", MAX_MODAL_TITLE),
        "blocks": [section(clip(escape(text), MAX_SECTION_TEXT))],
    }


def _input(block_id: str, label: str, element: dict[str, Any], *, optional: bool = False) -> Block:
    return {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": plain(label, MAX_HEADER_TEXT),
        "element": {**element, "action_id": VALUE},
    }


def _modal(
    callback_id: str, title: str, submit: str, blocks: list[Block], *, private_metadata: str = ""
) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, MAX_MODAL_TITLE),
        "submit": plain(submit, MAX_MODAL_TITLE),
        "close": plain("Cancel", MAX_MODAL_TITLE),
        "private_metadata": private_metadata,
        "blocks": blocks,
    }
