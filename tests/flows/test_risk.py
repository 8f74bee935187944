"""Tests for flows.risk: the labelled table, specific behaviours, and a never-raises property."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.levels import Level
from flows.risk import CATEGORY_LEVELS, MAX_CHARS, Assessment, assess

# The first labelled table (tests/flows/risk_cases.tsv, written with the first patterns) stays as
# a regression table.  The screener's measurement is bench/risk_eval.py on bench/risk_data/.
CASES_PATH = Path(__file__).with_name("risk_cases.tsv")


@dataclass(frozen=True)
class Case:
    split: str
    language: str
    label: Level
    category: str  # expected category, "-" for none
    text: str


def load_cases(path: Path = CASES_PATH) -> list[Case]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [
            Case(r["split"], r["language"], Level(r["label"]), r["category"], r["text"])
            for r in reader
        ]


def evaluate(cases: list[Case]) -> dict[str, Any]:
    """urgent recall and the share of none rows flagged, with the rows that went wrong."""
    urgent = [c for c in cases if c.label is Level.URGENT]
    none = [c for c in cases if c.label is Level.NONE]
    results = {id(c): assess(c.text, c.language).level for c in cases}
    wrong = [c.text for c in cases if results[id(c)] is not c.label]
    return {
        "urgent_recall": sum(results[id(c)] is Level.URGENT for c in urgent) / len(urgent),
        "none_fpr": sum(results[id(c)] is not Level.NONE for c in none) / len(none),
        "wrong": wrong,
    }


CASES = load_cases()
TUNE = [c for c in CASES if c.split == "tune"]
HOLDOUT = [c for c in CASES if c.split == "holdout"]


def _case_id(case: Case) -> str:
    text = case.text if len(case.text) <= 50 else case.text[:47] + "..."
    return f"{case.language}-{case.label.value}-{text}"


# --- the labelled table ----------------------------------------------------------------------


def test_table_shape() -> None:
    assert len(CASES) >= 300
    assert len(TUNE) >= 150
    assert len(HOLDOUT) >= 90
    assert sum(c.language == "es" for c in CASES) / len(CASES) >= 0.35
    assert {c.split for c in CASES} == {"tune", "holdout"}
    for case in CASES:
        assert case.language in ("en", "es")
        if case.label is Level.NONE:
            assert case.category == "-"
        else:
            assert case.category in CATEGORY_LEVELS
    # a row never appears in both splits
    tune_texts = {(c.language, c.text.casefold()) for c in TUNE}
    assert not [c.text for c in HOLDOUT if (c.language, c.text.casefold()) in tune_texts]


@pytest.mark.parametrize("case", TUNE, ids=_case_id)
def test_tune_rows(case: Case) -> None:
    result = assess(case.text, case.language)
    assert result.level is case.label, result
    if case.label is not Level.NONE:
        assert case.category in result.categories, result


def test_holdout_floor() -> None:
    """The holdout is a measurement (see bench/risk_eval.py), not a target; this is only a floor
    that catches a regression."""
    figures = evaluate(HOLDOUT)
    assert figures["urgent_recall"] >= 0.8, figures["wrong"]
    assert figures["none_fpr"] <= 0.15, figures["wrong"]


# --- specific behaviours ---------------------------------------------------------------------


def test_examples_from_the_brief() -> None:
    assert assess("i wanna die fr").level is Level.URGENT
    assert assess("lol i was dying laughing at group").level is Level.NONE


def test_empty_and_neutral() -> None:
    assert assess("") == Assessment(Level.NONE, (), ())
    for text in ("4", "idk", "no", "yes", "what time is group", "my mentor is great", "si"):
        assert assess(text).level is Level.NONE, text
        assert assess(text, "es").level is Level.NONE, text


def test_evidence_is_a_substring_of_the_original() -> None:
    texts = [
        "I’M GONNA KMS",
        "ｉ ｗａｎｔ ｔｏ ｄｉｅ",
        "Mi PAPÁ me pega",
        "he said he'll KILL me!!",
        "i want to diiiieeee",
        "ok. he touched me and he said it's our secret",
    ]
    for text in texts:
        result = assess(text)
        assert result.evidence, text
        for snippet in result.evidence:
            assert snippet and snippet in text


def test_categories_sorted_and_unique() -> None:
    result = assess("he touched me and said its our secret, i want to die, i cant sleep")
    assert result.categories == tuple(sorted(set(result.categories)))
    assert set(result.categories) == {
        "coercion_exploitation",
        "not_eating_sleeping",
        "sexual_boundary",
        "suicide_self_harm",
    }
    assert result.level is Level.URGENT


@pytest.mark.parametrize(
    ("positive", "negative", "language"),
    [
        ("i feel unsafe", "I don't feel unsafe", "en"),
        ("he is pressuring me", "nobody is pressuring me", "en"),
        ("he hurts me", "no one hurts me", "en"),
        ("i want to kill myself", "i would never kill myself", "en"),
        ("I'm scared", "I'm not scared", "en"),
        ("me presiona", "nadie me presiona", "es"),
        ("tengo miedo", "no tengo miedo", "es"),
        ("me siento inseguro", "no me siento inseguro", "es"),
        ("me quiero morir", "no me quiero morir", "es"),
    ],
)
def test_negation_pairs(positive: str, negative: str, language: str) -> None:
    assert assess(positive, language).level >= Level.CONCERN
    assert assess(negative, language).level is Level.NONE


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("I don't want to live", Level.URGENT),
        ("no quiero vivir", Level.URGENT),
        ("i don't feel safe", Level.CONCERN),
        ("no me siento seguro", Level.CONCERN),
    ],
)
def test_negation_that_is_the_risk(text: str, level: Level) -> None:
    assert assess(text).level is level


def test_negation_does_not_cross_clauses() -> None:
    assert assess("im not ok but i want to die").level is Level.URGENT
    assert assess("I'm not sure, i want to die").level is Level.URGENT
    assert assess("no. i want to die").level is Level.URGENT
    assert assess("no se, me quiero morir", "es").level is Level.URGENT


@pytest.mark.parametrize(
    "text",
    [
        "killing it at work",
        "this homework is killing me",
        "i'm dead 💀 lol",
        "to die for",
        "killed it",
        "I could kill for a burger",
        "my feet are killing me",
        "scared the hell out of me when the fire alarm went off lol",
        "that movie was so scary",
        "me muero de risa",
        "me mata de la risa",
    ],
)
def test_idioms_are_none(text: str) -> None:
    assert assess(text).level is Level.NONE
    assert assess(text, "es").level is Level.NONE


@pytest.mark.parametrize(
    ("text", "level", "category"),
    [
        ("me quiero morir", Level.URGENT, "suicide_self_harm"),
        ("quiero quitarme la vida", Level.URGENT, "suicide_self_harm"),
        ("me están pegando", Level.URGENT, "hurt_or_threatened"),
        ("me va a matar", Level.URGENT, "hurt_or_threatened"),
        ("mi papa me pega", Level.CONCERN, "abuse_at_home"),
        ("me pidió fotos", Level.CONCERN, "sexual_boundary"),
        ("me pidio dinero", Level.CONCERN, "coercion_exploitation"),
        ("recai", Level.CONCERN, "substance_relapse"),
        ("no hay esperanza", Level.CONCERN, "hopelessness"),
        ("no puedo dormir", Level.CONCERN, "not_eating_sleeping"),
    ],
)
def test_spanish(text: str, level: Level, category: str) -> None:
    for language in ("es", "en"):  # the other language's patterns always apply
        result = assess(text, language)
        assert result.level is level
        assert category in result.categories


def test_mixed_language() -> None:
    result = assess("ya no puedo, i wanna kms", "es")
    assert result.level is Level.URGENT
    assert "suicide_self_harm" in result.categories


def test_slang_and_typos() -> None:
    for text in (
        "kms",
        "wana die",
        "i wnt to die",
        "IM SO SCARED",
        "imm scared",
        "sewerslide",
        "i want to diiieee",
        "i want to k1ll myself",
        "gonna unalive myself",
    ):
        assert assess(text).level >= Level.CONCERN, text


def test_told_to_kill_yourself_is_harassment_not_intent() -> None:
    result = assess("he told me to kys")
    assert result.level is Level.CONCERN
    assert result.categories == ("hurt_or_threatened",)


def test_current_threat_is_urgent_past_harm_is_concern() -> None:
    assert assess("they're going to jump me").level is Level.URGENT
    assert assess("some guys jumped me last week").level is Level.CONCERN


def test_long_text_is_capped() -> None:
    filler = "we played cards. " * (MAX_CHARS // 17 + 10)
    assert assess(filler + "i want to die").level is Level.NONE  # beyond the screened prefix
    assert assess("i want to die. " + filler).level is Level.URGENT


def test_unknown_language_is_english_first() -> None:
    assert assess("i want to die", "fr").level is Level.URGENT
    assert assess("me quiero morir", "").level is Level.URGENT


@settings(max_examples=300, deadline=None)
@given(text=st.text(), language=st.sampled_from(["en", "es", "fr", ""]))
def test_never_raises(text: str, language: str) -> None:
    result = assess(text, language)
    assert isinstance(result.level, Level)
    for snippet in result.evidence:
        assert snippet in text
