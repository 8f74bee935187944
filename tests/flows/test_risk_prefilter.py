"""The prefilter only saves time: with it, every text screens exactly as without it."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.risk import assess, screen
from flows.risk.prefilter import required_literals

ROOT = Path(__file__).resolve().parents[2]
TEXTS = [
    row["text"]
    for path in (ROOT / "bench/risk_data/dev.tsv", ROOT / "tests/flows/risk_cases.tsv")
    for row in csv.DictReader(path.open(encoding="utf-8"), delimiter="\t",
                              quoting=csv.QUOTE_NONE)
]
# Words of the patterns themselves, so random texts hit many rules and their near misses.
VOCABULARY = sorted(
    {w for g in screen._GROUPS for r in g.rules for w in re.findall(r"[a-z]{2,}", r.regex.pattern)}
)


def _unfiltered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        screen, "_live_rules", lambda _pieces: [set(range(len(g.rules))) for g in screen._GROUPS]
    )


def test_every_labelled_text_screens_the_same_without_the_prefilter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fast = [assess(t, lang) for t in TEXTS for lang in ("en", "es")]
    _unfiltered(monkeypatch)
    slow = [assess(t, lang) for t in TEXTS for lang in ("en", "es")]
    assert fast == slow


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(VOCABULARY) | st.sampled_from(["me", "i", "my", ".", "lol"]),
                min_size=1, max_size=14))
def test_random_texts_screen_the_same_without_the_prefilter(words: list[str]) -> None:
    text = " ".join(words)
    fast = assess(text), assess(text, "es")
    with pytest.MonkeyPatch.context() as mp:
        _unfiltered(mp)
        slow = assess(text), assess(text, "es")
    assert fast == slow


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        (r"\b(?:kill(?:ing|ed)? my ?self)\b", "im killing myself", True),
        (r"\b(?:(?:want|need) to die)\b", "i need to die", True),
        (r"\b(?:k*kmm*ss*)\b", "kkmmss", True),
    ],
)
def test_a_required_literal_is_in_every_match(pattern: str, text: str, matches: bool) -> None:
    regex = re.compile(pattern)
    literals = required_literals(regex)
    assert (regex.search(text) is not None) is matches
    assert literals is not None
    assert any(lit in text for lit in literals)
