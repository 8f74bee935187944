"""Which language a stranger's words of danger suggest (the crisis reply's language)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.risk import suggested_language


@pytest.mark.parametrize(("text", "language"), [
    ("i dont want to live anymore", "en"),
    ("sometimes i just want to die", "en"),
    ("he is hitting me right now", "en"),
    ("ya no quiero vivir", "es"),
    ("me quiero matar esta noche", "es"),
    ("mi papá me está pegando ahorita", "es"),
    ("hello", "en"),  # nothing matched: the default
    ("", "en"),
])
def test_the_language_whose_patterns_match(text: str, language: str) -> None:
    assert suggested_language(text) == language


def test_the_default_when_nothing_decides() -> None:
    assert suggested_language("ok", default="es") == "es"


@given(st.text(max_size=200))
def test_any_text_gets_en_or_es(text: str) -> None:
    assert suggested_language(text) in ("en", "es")
