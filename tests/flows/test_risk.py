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


# --- issue 19: urgent wording, scoped negation, hyperbole --------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "level"),
    [
        ("no one cares if im gone", "en", Level.URGENT),
        ("i'm thinking about ending it", "en", Level.URGENT),
        ("nadie se daría cuenta si desaparezco", "es", Level.URGENT),
        ("i keep fighting the urge to end it", "en", Level.URGENT),
        ("this show's finale makes me want to kill myself lol", "en", Level.NONE),
    ],
)
def test_issue_first_paragraph_examples(text: str, language: str, level: Level) -> None:
    """The urgent examples of issue 19's first paragraph, and the TV-show hyperbole."""
    result = assess(text, language)
    assert result.level is level, result
    if level is Level.URGENT:
        assert "suicide_self_harm" in result.categories


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # passive wishes, envy of the dead, conditional wishes
        ("sometimes i wish i could just fall asleep and not wake up", "en"),
        ("honestly whats the point of being alive", "en"),
        ("kinda jealous of my cousin, at least hes at peace now that hes dead", "en"),
        ("if they deny my parole again im done for good", "en"),
        ("ojalá no despertar mañana", "es"),
        ("quisiera desaparecer para siempre", "es"),
        ("le tengo envidia a los muertos", "es"),
        # intent, plan, means, rehearsal, goodbyes
        ("ive been saving up my meds for weeks", "en"),
        ("this is my last check in. thanks for everything", "en"),
        ("please dont let me be alone tonight", "en"),
        ("ya tengo el plan y la fecha", "es"),
        ("ya me despedí de todos", "es"),
        # self-harm in any wording, relapse
        ("burned myself with a lighter again", "en"),
        ("relapsed on sh after 3 months", "en"),
        ("me volví a cortar", "es"),
        ("traigo manga larga pa que no vean las marcas", "es"),
        # a recent attempt
        ("i tried to kill myself last week", "en"),
        ("intenté quitarme la vida el jueves", "es"),
        # immediate danger
        ("theres a guy outside my door with a knife, please call someone", "en"),
        ("they told me im dead when we hit the yard", "en"),
        ("mi ex está afuera de la casa con una pistola", "es"),
    ],
)
def test_urgent_rubric_rows(text: str, language: str) -> None:
    assert assess(text, language).level is Level.URGENT


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("i keep fighting the urge to end it", "en"),
        ("holding on for now. thats all i can promise", "en"),
        ("im not gonna do anything but i think about it all the time", "en"),
        ("i wont kill myself. but i want to", "en"),
        ("i can't stop thinking about killing myself", "en"),
        ("i keep hoping i get hit by a car", "en"),
        ("no voy a hacer nada pero lo pienso todo el tiempo", "es"),
        ("estoy tratando de no pensar en matarme, pero no puedo", "es"),
        ("ojalá me atropelle un camión, yo no lo haría", "es"),
    ],
)
def test_fighting_it_or_handing_it_to_fate_is_urgent(text: str, language: str) -> None:
    """Negation cancels only a plain denial, not someone fighting the urge."""
    assert assess(text, language).level is Level.URGENT


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("no, I'm not going to hurt myself", "en"),
        ("no thoughts of self harm this week", "en"),
        ("i never said i wanted to die, i said i was dying to go home", "en"),
        ("no pienso hacerme daño", "es"),
        ("no tengo pensamientos de suicidio", "es"),
    ],
)
def test_plain_denial_is_none(text: str, language: str) -> None:
    assert assess(text, language).level is Level.NONE


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("i want to die lol", "en"),
        ("cut myself again lol oops", "en"),
        ("gonna kms lmao but fr", "en"),
        ("me quiero morir jaja literal", "es"),
        ("me corté xd", "es"),
        ("jsjsjs ya tengo las pastillas guardadas", "es"),
    ],
)
def test_laughter_never_makes_ideation_a_joke(text: str, language: str) -> None:
    assert assess(text, language).level is Level.URGENT


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("this show is killing me", "en"),
        ("I'm dead 💀", "en"),
        ("dying laughing", "en"),
        ("my mom is gonna kill me when she sees my grades", "en"),
        ("my mom is gonna kill me lol", "en"),
        ("I'd rather die than watch that again", "en"),
        ("this song makes me want to die lol", "en"),
        ("I nearly killed myself laughing", "en"),
        ("me muero de risa", "es"),
        ("mi mamá me va a matar cuando vea mis calificaciones", "es"),
        ("prefiero morir antes que ver esa peli otra vez", "es"),
        ("ay no me quiero morir, la foto del anuario salió horrible jaja", "es"),
    ],
)
def test_hyperbole_with_a_trivial_trigger_is_none(text: str, language: str) -> None:
    assert assess(text, language).level is Level.NONE


def test_hyperbole_needs_a_trivial_trigger() -> None:
    """The same words without the trivial trigger, or with signs of danger, stay a risk."""
    assert assess("my dad is drunk and says hes gonna kill me").level is Level.URGENT
    assert assess("i want to die, i mean it, this show is the only thing i watch").level is (
        Level.URGENT
    )
    assert assess("id rather be dead than go back to that house").level is Level.URGENT


def test_recent_attempt_is_urgent_past_attempt_is_concern() -> None:
    assert assess("i tried to hang myself sunday").level is Level.URGENT
    assert assess("i tried to hang myself back in juvie, 6 years ago").level is Level.CONCERN
    assert assess("intenté matarme hace dos años, ya estoy mejor", "es").level is Level.CONCERN


def test_awareness_and_news_about_suicide_are_none() -> None:
    for text in (
        "we did a walk for suicide prevention day",
        "my aunt died by suicide, we walked in her memory",
        "I'm doing a presentation on self-harm awareness",
    ):
        assert assess(text).level is Level.NONE, text
    assert assess("en la radio hablaron de la prevención del suicidio", "es").level is Level.NONE


_VOCABULARY = [
    "i", "im", "no", "not", "never", "want", "wanna", "to", "die", "kill", "myself", "kms", "lol",
    "jaja", "me", "quiero", "morir", "matarme", "no", "pero", "but", "urge", "fighting", "pills",
    "tonight", "cut", "cutting", "he", "is", "outside", "knife", "help", "ayuda", "ojalá", "nadie",
    "show", "gonna", "mom", "mamá", "va", "a", "matar", "😂", "💀", "...", ",", ".", "¿", "!!",
    "ＤＩＥ", "diiiie", "k1ll", "don't", "can't", "stop", "thinking", "about", "ending", "it",
]


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(st.sampled_from(_VOCABULARY), max_size=40),
    seps=st.lists(st.sampled_from([" ", "  ", "\n", "", "-", "'", "’"]), min_size=40, max_size=40),
    language=st.sampled_from(["en", "es", "fr", ""]),
)
def test_never_raises_on_risk_vocabulary(words: list[str], seps: list[str], language: str) -> None:
    """Texts made of the patterns' own vocabulary exercise every matching path: assess never
    raises, and every evidence snippet is a verbatim slice of the text."""
    text = "".join(w + s for w, s in zip(words, seps, strict=False))
    result = assess(text, language)
    assert isinstance(result.level, Level)
    assert result.categories == tuple(sorted(set(result.categories)))
    for snippet in result.evidence:
        assert snippet and snippet in text
    assert (result.level is Level.NONE) == (not result.categories)
