"""Hours as people type them: positive, finite, and no more than one entry can sensibly hold."""

from __future__ import annotations

import pytest

from bot.learners import validate


@pytest.mark.parametrize("text", ["1.5", "0.25", "36", "1000"])
def test_reasonable_hours_are_accepted(text: str) -> None:
    assert validate.positive_hours(text) == float(text)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("-3", "positive"),
        ("0", "positive"),
        ("nan", "positive"),
        ("inf", "positive"),
        ("1e308", "at most"),
        ("lots", "not a number"),
    ],
)
def test_unreasonable_hours_are_refused_with_the_reason(text: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        validate.positive_hours(text)
