"""What the semantic reader's score may change: raise to concern, never urgent, never lower."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.levels import Level
from flows.semantic import MIN_WORDS, combine, semantic_level, worth_reading

LEVELS = list(Level)
scores = st.one_of(st.none(), st.floats(min_value=0.0, max_value=1.0))
thresholds = st.floats(min_value=0.01, max_value=0.99)


@given(st.sampled_from(LEVELS), scores, thresholds)
def test_never_lowers_and_never_urgent_from_the_score(
    pattern: Level, score: float | None, threshold: float
) -> None:
    level = combine(pattern, score, threshold)
    assert level >= pattern
    if pattern is not Level.URGENT:
        assert level is not Level.URGENT
    assert level in (pattern, Level.CONCERN)


@pytest.mark.parametrize(
    ("pattern", "score", "expected"),
    [
        (Level.NONE, 0.9, Level.CONCERN),
        (Level.NONE, 0.5, Level.CONCERN),  # at the threshold counts
        (Level.NONE, 0.49, Level.NONE),
        (Level.NONE, None, Level.NONE),
        (Level.WATCH, 0.9, Level.CONCERN),
        (Level.WATCH, 0.1, Level.WATCH),
        (Level.CONCERN, 0.0, Level.CONCERN),
        (Level.URGENT, 0.0, Level.URGENT),
        (Level.URGENT, 1.0, Level.URGENT),
    ],
)
def test_combine_table(pattern: Level, score: float | None, expected: Level) -> None:
    assert combine(pattern, score, 0.5) is expected


def test_semantic_level_is_concern_or_none() -> None:
    assert semantic_level(0.99, 0.5) is Level.CONCERN
    assert semantic_level(0.2, 0.5) is Level.NONE
    assert semantic_level(None, 0.5) is Level.NONE


@pytest.mark.parametrize(
    ("text", "pattern", "read"),
    [
        ("4", Level.NONE, False),
        ("no thanks", Level.NONE, False),
        ("👍 👍 👍", Level.NONE, False),
        ("nadie me entiende aqui", Level.NONE, True),
        ("i feel kinda off today", Level.WATCH, True),
        ("i feel kinda off today", Level.CONCERN, False),  # the patterns already raised it
        ("i feel kinda off today", Level.URGENT, False),
        ("", Level.NONE, False),
        (None, Level.NONE, False),
    ],
)
def test_worth_reading(text: str | None, pattern: Level, read: bool) -> None:
    assert MIN_WORDS == 3
    assert worth_reading(text, pattern) is read
