"""Hours as people type them: positive, finite, and no more than one entry can sensibly hold."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.learners import validate


@pytest.mark.parametrize("text", ["1.5", "0.25", "0.1", "36", "1000"])
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
        ("0.0000001", "at least 0.1"),
        ("1e-07", "at least 0.1"),
        ("0.09", "at least 0.1"),
        ("lots", "not a number"),
    ],
)
def test_unreasonable_hours_are_refused_with_the_reason(text: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        validate.positive_hours(text)


@settings(max_examples=200, derandomize=True)
@given(st.floats(min_value=0, max_value=validate.MIN_HOURS, exclude_max=True))
def test_any_amount_below_the_minimum_is_refused(hours: float) -> None:
    with pytest.raises(ValueError, match=r"positive|at least"):
        validate.positive_hours(repr(hours))
