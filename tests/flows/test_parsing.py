"""Answer parsers: real texts from basic phones, in English and Spanish, plus property tests."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from flows.parsing import (
    HELP_WORDS,
    MAX_CHARS,
    SKIP_WORDS,
    START_WORDS,
    STOP_WORDS,
    Keyword,
    normalize,
    parse_keyword,
    parse_scale,
    parse_yes_no,
)


def _cases(table: Sequence[tuple[str, object]]) -> list[object]:
    return [pytest.param(text, expected, id=f"{text!r}->{expected}") for text, expected in table]


# ---- normalize --------------------------------------------------------------------------------

NORMALIZE = [
    ("  Hello   World ", "hello world"),
    ("Sí", "si"),
    ("SÍ", "si"),
    ("ÑANDÚ", "nandu"),
    ("ＳＴＯＰ", "stop"),  # fullwidth
    ("４", "4"),
    ("٤", "4"),  # Arabic-Indic
    ("۴", "4"),  # Extended Arabic-Indic (Persian)
    ("4\ufe0f\u20e3", "4"),  # keycap with emoji presentation selector
    ("4\u20e3", "4"),  # bare keycap
    ("i’d", "i'd"),
    ("a\u200bb", "ab"),  # zero-width space
    ("👍🏽", "👍"),  # skin tone
    ("Straße", "strasse"),
    ("line\nbreak\ttab", "line break tab"),
    ("", ""),
]


@pytest.mark.parametrize(("text", "expected"), _cases(NORMALIZE))
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


# ---- keywords ---------------------------------------------------------------------------------

KEYWORDS: list[tuple[str, Keyword | None]] = [
    ("STOP", Keyword.STOP),
    ("stop", Keyword.STOP),
    ("Stop.", Keyword.STOP),
    (" stop! ", Keyword.STOP),
    ("STOP!!!", Keyword.STOP),
    ("Stop 🛑", Keyword.STOP),
    ("stop stop", Keyword.STOP),
    ("STOPALL", Keyword.STOP),
    ("unsubscribe", Keyword.STOP),
    ("Cancel", Keyword.STOP),
    ("END", Keyword.STOP),
    ("quit", Keyword.STOP),
    ("revoke", Keyword.STOP),
    ("optout", Keyword.STOP),
    ("OPT-OUT", Keyword.STOP),
    ("ALTO", Keyword.STOP),
    ("ＳＴＯＰ", Keyword.STOP),
    ("/stop", Keyword.STOP),
    ("START", Keyword.START),
    ("unstop", Keyword.START),
    ("/start", Keyword.START),
    ("HELP", Keyword.HELP),
    ("help?", Keyword.HELP),
    ("info", Keyword.HELP),
    ("Ayuda", Keyword.HELP),
    ("/help@CheckinBot", Keyword.HELP),
    ("skip", Keyword.SKIP),
    ("SKIP.", Keyword.SKIP),
    ("pass", Keyword.SKIP),
    ("saltar", Keyword.SKIP),
    ("Omitir", Keyword.SKIP),
    ("stop texting me", None),
    ("please stop", None),
    ("stop it", None),
    ("help me", None),
    ("i need help", None),
    ("stop help", None),
    ("yes", None),  # an answer, never START
    ("subscribe", None),
    ("next", None),
    ("parar", None),
    ("basta", None),
    ("/start abc123", None),  # Telegram invite deep link: the runtime binds it
    ("stopp", None),
    ("4", None),
    ("", None),
    ("   ", None),
    ("!!!", None),
    ("🛑", None),
]


@pytest.mark.parametrize(("text", "expected"), _cases(KEYWORDS))
def test_parse_keyword(text: str, expected: Keyword | None) -> None:
    assert parse_keyword(text) is expected


def test_keyword_word_lists_are_normalised_and_disjoint() -> None:
    lists = [STOP_WORDS, START_WORDS, HELP_WORDS, SKIP_WORDS]
    for words in lists:
        assert isinstance(words, frozenset)
        assert all(normalize(w) == w and " " not in w for w in words)
    assert sum(len(w) for w in lists) == len(frozenset().union(*lists))
    assert {"stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout"} <= (
        STOP_WORDS
    )
    assert "yes" not in START_WORDS


def test_a_too_long_message_is_no_keyword() -> None:
    assert parse_keyword("stop" + "!" * MAX_CHARS) is None
    assert parse_keyword(" " * 10_000 + "stop" + " " * 10_000) is Keyword.STOP


# ---- scales -----------------------------------------------------------------------------------

SCALE_1_5: list[tuple[str, int | None]] = [
    ("4", 4),
    (" 4 ", 4),
    ("4.", 4),
    ("4!", 4),
    ("four", 4),
    ("Four", 4),
    ("FOUR!", 4),
    ("cuatro", 4),
    ("Cuatro", 4),
    ("4/5", 4),
    ("4 / 5", 4),
    ("4 out of 5", 4),
    ("4 outta 5", 4),
    ("4 of 5", 4),
    ("4 de 5", 4),
    ("cuatro de cinco", 4),
    ("four out of five", 4),
    ("prob a 3", 3),
    ("probably a 3", 3),
    ("like a 2", 2),
    ("maybe 4", 4),
    ("a 3 i guess", 3),
    ("3 lol", 3),
    ("its a 5", 5),
    ("it's a 5", 5),
    ("i'd say 2", 2),
    ("i’d say 2", 2),
    ("i'd say a 4 out of 5", 4),
    ("2 😕", 2),
    ("4\ufe0f\u20e3", 4),  # keycap emoji
    ("4\u20e3", 4),
    ("４", 4),  # fullwidth
    ("٤", 4),  # Arabic-Indic
    ("۳", 3),  # Persian
    ("one", 1),
    ("uno", 1),
    ("una", 1),
    ("two", 2),
    ("dos", 2),
    ("three", 3),
    ("tres", 3),
    ("five", 5),
    ("cinco", 5),
    ("fiv", 5),
    ("fiveee", 5),
    ("un 3", 3),
    ("como un 2", 2),
    ("tal vez 4", 4),
    ("5 stars", 5),
    ("5 out of 5 stars", 5),
    ("4ish", 4),
    ("#4", 4),
    ("4.0", 4),
    ("four (4)", 4),
    ("no, 4", 4),
    ("my mom called at 3", 3),
    # unreadable: the flow asks again
    ("3-4", None),
    ("3 - 4", None),
    ("3 or 4", None),
    ("3 o 4", None),
    ("three or four", None),
    ("between 2 and 3", None),
    ("1-5", None),
    ("10", None),
    ("0", None),
    ("-1", None),
    ("4.5", None),
    ("4,5", None),
    ("3 and a half", None),
    ("tres y medio", None),
    ("1,000", None),
    ("idk", None),
    ("", None),
    ("   ", None),
    ("???", None),
    ("banana", None),
    ("5/10", None),
    ("3/4", None),
    ("6/5", None),
    ("not a 4", None),
    ("no 4", None),
    ("one sec", None),
    ("give me 5 min", None),
    ("2 days", None),
    ("3 pm", None),
    ("una pregunta", None),
    ("no one", None),
    ("one of them", None),
    ("4u", None),
    ("3rd", None),
    ("3:30", None),
    ("my mom called me at 3 and i missed it", None),  # too long to trust
    ("😕", None),
]


@pytest.mark.parametrize(("text", "expected"), _cases(SCALE_1_5))
def test_parse_scale_1_to_5(text: str, expected: int | None) -> None:
    assert parse_scale(text, 1, 5) == expected


SCALE_OTHER: list[tuple[str, int, int, int | None]] = [
    ("10", 1, 10, 10),
    ("ten", 1, 10, 10),
    ("diez", 1, 10, 10),
    ("\U0001f51f", 1, 10, 10),  # keycap ten
    ("5/10", 1, 10, 5),
    ("5/5", 1, 10, None),
    ("0", 0, 10, 0),
    ("zero", 0, 10, 0),
    ("cero", 0, 10, 0),
    ("-1", -3, 3, -1),
    ("7", 0, 10, 7),
    ("4", 5, 1, None),  # low > high: never raises, never answers
]


@pytest.mark.parametrize(
    ("text", "low", "high", "expected"),
    [
        pytest.param(*case, id=f"{case[0]!r}@{case[1]}..{case[2]}->{case[3]}")
        for case in SCALE_OTHER
    ],
)
def test_parse_scale_other_ranges(text: str, low: int, high: int, expected: int | None) -> None:
    assert parse_scale(text, low, high) == expected


# ---- yes / no ---------------------------------------------------------------------------------

YES_NO: list[tuple[str, bool | None]] = [
    ("y", True),
    ("Y", True),
    ("yes", True),
    ("Yes.", True),
    ("YES", True),
    ("yeah", True),
    ("yea", True),
    ("ya", True),
    ("yah", True),
    ("yep", True),
    ("yup", True),
    ("sure", True),
    ("ok", True),
    ("okay", True),
    ("k", True),
    ("kk", True),
    ("of course", True),
    ("definitely", True),
    ("absolutely", True),
    ("👍", True),
    ("👍🏽", True),
    ("✅", True),
    ("sí", True),
    ("Sí", True),
    ("si", True),
    ("claro", True),
    ("claro que sí", True),
    ("por supuesto", True),
    ("simon", True),
    ("yes please", True),
    ("yeah i guess", True),
    ("yes!!!", True),
    ("yesss", True),
    ("siii", True),
    ("yes he did", True),
    ("um yes", True),
    ("lol yeah", True),
    ("pues sí", True),
    ("ya sure", True),
    ("i think so", True),
    ("yes 👍", True),
    ("n", False),
    ("N", False),
    ("no", False),
    ("No.", False),
    ("nah", False),
    ("nope", False),
    ("naw", False),
    ("no thanks", False),
    ("not really", False),
    ("never", False),
    ("no way", False),
    ("👎", False),
    ("❌", False),
    ("para nada", False),
    ("nel", False),
    ("no gracias", False),
    ("noooo", False),
    ("nooope", False),
    ("no one is pressuring me", False),
    ("no, im ok", False),
    ("of course not", False),
    ("no, of course not", False),
    ("claro que no", False),
    ("nope nothing", False),
    ("nada", False),
    ("nunca", False),
    ("i dont think so", False),
    ("ya no", False),
    ("no no no", False),
    # unsure, contradictory or not an answer
    ("yes and no", None),
    ("sí y no", None),
    ("yeah no", None),
    ("maybe", None),
    ("idk", None),
    ("kinda", None),
    ("not sure", None),
    ("not really sure", None),
    ("tal vez", None),
    ("i dont know", None),
    ("i don’t know", None),
    ("no sé", None),
    ("no lo sé", None),
    ("no idea", None),
    ("no but he asked me for money", None),
    ("yes but only once", None),
    ("👍👎", None),
    ("yes 👎", None),
    ("he did", None),
    ("y tu?", None),
    ("hmm", None),
    ("thanks", None),
    ("4", None),
    ("", None),
    ("   ", None),
    ("yes i think he has been asking me for things", None),  # too long to trust
]


@pytest.mark.parametrize(("text", "expected"), _cases(YES_NO))
def test_parse_yes_no(text: str, expected: bool | None) -> None:
    assert parse_yes_no(text) is expected


def test_at_least_80_table_cases() -> None:
    assert len(KEYWORDS) + len(SCALE_1_5) + len(SCALE_OTHER) + len(YES_NO) >= 80


# ---- properties -------------------------------------------------------------------------------

_EDGE_TEXT = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=50),
    st.text(alphabet="0123456789 -/.,٤４\ufe0f\u20e3abcdefnostuy👍👎", max_size=30),
    st.builds(lambda a, b: a * b, st.sampled_from(["4", "stop ", "yes", "\u0301", "٤"]),
              st.integers(0, 2000)),
)  # fmt: skip


@given(text=_EDGE_TEXT, low=st.integers(-20, 20), high=st.integers(-20, 20))
@settings(max_examples=300)
def test_parsers_never_raise(text: str, low: int, high: int) -> None:
    assert isinstance(normalize(text), str)
    assert parse_keyword(text) is None or isinstance(parse_keyword(text), Keyword)
    assert parse_yes_no(text) in (True, False, None)
    result = parse_scale(text, low, high)
    assert result is None or low <= result <= high


@given(text=_EDGE_TEXT, low=st.integers(-5, 10), span=st.integers(0, 15))
@settings(max_examples=300)
def test_parse_scale_result_is_in_range(text: str, low: int, span: int) -> None:
    result = parse_scale(text, low, low + span)
    assert result is None or (isinstance(result, int) and low <= result <= low + span)


@given(low=st.integers(-10, 20), span=st.integers(0, 20), data=st.data())
def test_parse_scale_reads_every_number_in_range(low: int, span: int, data: st.DataObject) -> None:
    n = data.draw(st.integers(low, low + span))
    assert parse_scale(str(n), low, low + span) == n
    assert parse_scale(f" {n}. ", low, low + span) == n


_WORD = st.text(alphabet=st.characters(categories=["L", "N", "P", "S"]), min_size=1, max_size=12)


@given(words=st.lists(_WORD, min_size=2, max_size=6))
def test_two_or_more_non_keywords_are_no_keyword(words: list[str]) -> None:
    assume(all(parse_keyword(w) is None for w in words))
    assert parse_keyword(" ".join(words)) is None


@given(
    keyword=st.sampled_from(sorted(STOP_WORDS | START_WORDS | HELP_WORDS | SKIP_WORDS)),
    before=st.sampled_from(["", " ", "  ", "\n"]),
    after=st.sampled_from(["", ".", "!", "!!", " ?", " ", "\t"]),
    upper=st.booleans(),
)
def test_every_listed_keyword_alone_is_read(
    keyword: str, before: str, after: str, upper: bool
) -> None:
    text = before + (keyword.upper() if upper else keyword) + after
    assert parse_keyword(text) is not None
