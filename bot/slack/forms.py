"""Reading a submitted modal (``view.state.values``) safely, and showing problems on their fields.

A submission is a payload anyone with the signing secret's blessing could have
shaped by hand, so nothing in it is trusted: a value of the wrong type, a
time that is NaN or centuries away, a date that isn't one, all become field
errors (``response_action: errors``), never an exception after the ack.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from typing import Any

from bot.errors import InputError
from bot.slack.replies import problem

#: Every input element in our modals uses this action id; the block id names the field.
VALUE = "value"
#: The range of date-times a picker can honestly send (1970 to 9999).
_MIN_TS, _MAX_TS = 0.0, 253_402_300_799.0


class FormError(InputError):
    """Problems with several fields at once, by block id, as Slack shows them beside each field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()), field=next(iter(errors), None))
        self.errors = errors


def errors_of(exc: InputError, default_field: str) -> dict[str, str]:
    """What to send with ``response_action: errors``: each message short, quoting little of what was typed."""
    errors = exc.errors if isinstance(exc, FormError) else {exc.field or default_field: str(exc)}
    return {field: _short(message) for field, message in errors.items()}


#: Slack shows field errors on one or two lines; longer ones are cut.
MAX_FIELD_ERROR = 300


def _short(message: str) -> str:
    text = problem(ValueError(message))
    return text if len(text) <= MAX_FIELD_ERROR else text[: MAX_FIELD_ERROR - 1] + "…"


class Form:
    """The values of one submitted modal, read by block id, each typed or ``None`` when absent or malformed."""

    def __init__(self, view: dict[str, Any]) -> None:
        state = view.get("state") if isinstance(view, dict) else None
        values = state.get("values") if isinstance(state, dict) else None
        self.values: dict[str, Any] = values if isinstance(values, dict) else {}

    def _element(self, block: str) -> dict[str, Any]:
        element = (self.values.get(block) or {}).get(VALUE) if isinstance(self.values.get(block), dict) else None
        return element if isinstance(element, dict) else {}

    def text(self, block: str) -> str | None:
        value = self._element(block).get("value")
        return value.strip() if isinstance(value, str) and value.strip() else None

    def option(self, block: str) -> str | None:
        selected = self._element(block).get("selected_option")
        value = selected.get("value") if isinstance(selected, dict) else None
        return value if isinstance(value, str) and value else None

    def options(self, block: str) -> list[str]:
        selected = self._element(block).get("selected_options")
        if not isinstance(selected, list):
            return []
        return [o["value"] for o in selected if isinstance(o, dict) and isinstance(o.get("value"), str)]

    def conversation(self, block: str) -> str | None:
        value = self._element(block).get("selected_conversation")
        return value if isinstance(value, str) and value else None

    def date(self, block: str) -> date | None:
        """A datepicker's day; ``InputError`` on the field when it is there but not a date."""
        value = self._element(block).get("selected_date")
        if value is None:
            return None
        try:
            return date.fromisoformat(value if isinstance(value, str) else "")
        except ValueError:
            raise InputError("Pick a date from the calendar.", field=block) from None

    def date_time(self, block: str) -> datetime | None:
        """A datetimepicker's moment in UTC; ``InputError`` on the field when it is not a real date-time."""
        value = self._element(block).get("selected_date_time")
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise InputError("Pick a date and a time.", field=block)
        if not _MIN_TS <= float(value) <= _MAX_TS:
            raise InputError("Pick a date and a time between 1970 and 9999.", field=block)
        return datetime.fromtimestamp(float(value), UTC)
