"""Answer parsers: keywords, 1..N scales and yes/no, for texts typed on any phone.

Pure and total: standard library only, no I/O, and no function here raises for any `str`. The
parsers read at most `MAX_CHARS` characters of a (trimmed) message; anything longer is never a
keyword, a scale answer or a yes/no, so they return None and the flow re-prompts.

Every parser works on `normalize(text)`: NFKC, casefold, accents stripped ("sí" -> "si"),
typographic apostrophes folded to "'", every Unicode decimal digit folded to ASCII ("٤", "４" ->
"4"), emoji presentation selectors, keycap marks and skin tones dropped ("4️⃣" -> "4", "👍🏽" ->
"👍"), whitespace trimmed and collapsed.

The guiding rule for answers to safety questions: when a reply can be read two ways, return None
so the flow asks again. A re-prompt costs one more text; a misread "1 = not safe" or "no" can
raise a false alarm or hide a real one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import NamedTuple

__all__ = [
    "HELP_WORDS",
    "MAX_CHARS",
    "MAX_WORDS",
    "SKIP_WORDS",
    "START_WORDS",
    "STOP_WORDS",
    "Keyword",
    "normalize",
    "parse_keyword",
    "parse_scale",
    "parse_yes_no",
]

MAX_CHARS = 500  # a trimmed message longer than this is never parsed as an answer or keyword
MAX_WORDS = 6  # scale and yes/no answers are read only from short replies


class Keyword(StrEnum):
    STOP = "stop"
    START = "start"
    HELP = "help"
    SKIP = "skip"


# Carrier-standard opt-out words (CTIA / Twilio Advanced Opt-Out) plus Twilio's Spanish "alto".
STOP_WORDS: frozenset[str] = frozenset(
    {"stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout", "alto"}
)
# Opt back in. "yes" is deliberately absent: it is always an answer, never a resubscribe.
START_WORDS: frozenset[str] = frozenset({"start", "unstop"})
HELP_WORDS: frozenset[str] = frozenset({"help", "info", "ayuda"})
SKIP_WORDS: frozenset[str] = frozenset({"skip", "pass", "saltar", "omitir"})

_KEYWORDS: dict[str, Keyword] = {
    **{w: Keyword.STOP for w in STOP_WORDS},
    **{w: Keyword.START for w in START_WORDS},
    **{w: Keyword.HELP for w in HELP_WORDS},
    **{w: Keyword.SKIP for w in SKIP_WORDS},
}


# ---- normalisation ----------------------------------------------------------------------------

_APOSTROPHES = {ord(c): "'" for c in "\u2018\u2019\u201b\u02bc\u02bb\u2032\u00b4`\uff07"}
# Invisible characters that only get in the way of matching: zero-width space / no-break space,
# word joiner, soft hyphen, variation selectors (emoji vs text presentation).
_INVISIBLE = frozenset("\u200b\u2060\ufeff\u00ad\ufe0e\ufe0f")
_SKIN_TONES = frozenset(chr(c) for c in range(0x1F3FB, 0x1F400))


def normalize(text: str) -> str:
    """The shared normaliser: NFKC, casefold, strip accents, trim, collapse whitespace.

    Also folds typographic apostrophes to "'" and any Unicode decimal digit to its ASCII digit,
    and drops zero-width characters, variation selectors, enclosing marks (keycaps) and emoji skin
    tones. Processes the whole text in linear time (no cap here: risk screening must see all of
    it; the parsers below cap their own input). Never raises for a `str`.
    """
    if not isinstance(text, str):
        return ""
    s = unicodedata.normalize("NFKC", text).casefold()
    s = unicodedata.normalize("NFD", s)
    out: list[str] = []
    for ch in s:
        if ch in _INVISIBLE or ch in _SKIN_TONES:
            continue
        cat = unicodedata.category(ch)
        if cat == "Mn" or cat == "Me":
            continue
        if cat == "Nd" and not ch.isascii():
            out.append(str(unicodedata.decimal(ch, 0)))
            continue
        out.append(ch)
    s = unicodedata.normalize("NFC", "".join(out)).translate(_APOSTROPHES)
    return " ".join(s.split())


def _prepare(text: str) -> str | None:
    """Normalised text, or None for a non-str, an empty text, or one too long to be an answer."""
    if not isinstance(text, str):
        return None
    stripped = text.strip()
    if not stripped or len(stripped) > MAX_CHARS:
        return None
    s = normalize(stripped)
    return s or None


_REPEATS = re.compile(r"(.)\1+")


def _collapse(word: str) -> str:
    """Squash letter runs so stretched words match: "yesss" -> "yes", "noooo" -> "no"."""
    return _REPEATS.sub(r"\1", word)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum()


# ---- keywords ---------------------------------------------------------------------------------


def parse_keyword(text: str) -> Keyword | None:
    """The keyword a message consists of, or None.

    The message must be the keyword alone, in any case, with any surrounding punctuation, symbols
    or emoji ("STOP.", " stop! ", "Stop 🛑"); a Telegram command form ("/stop", "/help@SomeBot")
    and a repeated keyword ("stop stop") count too. Anything else around it ("stop texting me",
    "please stop") is not a keyword: the runtime reads such texts as answers and screens them.
    Word lists: `STOP_WORDS`, `START_WORDS`, `HELP_WORDS`, `SKIP_WORDS`.
    """
    s = _prepare(text)
    if s is None:
        return None
    found: Keyword | None = None
    for token in s.split(" "):
        command = token.startswith("/")
        start, end = 0, len(token)
        while start < end and not _is_word_char(token[start]):
            start += 1
        while end > start and not _is_word_char(token[end - 1]):
            end -= 1
        core = token[start:end]
        if not core:
            continue  # punctuation or emoji only
        if command and "@" in core:
            core = core.split("@", 1)[0]  # "/stop@MyBot"
        keyword = _KEYWORDS.get(core) or _KEYWORDS.get(core.replace("-", "").replace("_", ""))
        if keyword is None or (found is not None and keyword is not found):
            return None
        found = keyword
    return found


# ---- scales -----------------------------------------------------------------------------------

_NUMBER_WORDS: dict[str, int] = {
    "zero": 0, "cero": 0,
    "one": 1, "uno": 1, "una": 1,
    "two": 2, "dos": 2,
    "three": 3, "tres": 3,
    "four": 4, "cuatro": 4,
    "five": 5, "fiv": 5, "cinco": 5,
    "six": 6, "seis": 6,
    "seven": 7, "siete": 7,
    "eight": 8, "ocho": 8,
    "nine": 9, "nueve": 9,
    "ten": 10, "diez": 10,
}  # fmt: skip
# Separators of "N/D", "N out of D", "N of D", "N de D" (D must equal the scale's high end).
_FRACTION_SEPARATORS: frozenset[tuple[str, ...]] = frozenset(
    {("/",), ("out", "of"), ("outta",), ("of",), ("de",), ("over",), ("sobre",)}
)
_FRACTION_WORDS = frozenset(w for sep in _FRACTION_SEPARATORS for w in sep)
# Words that may follow a spelled-out number ("four lol", "three or four"). Any other word after
# it ("one sec", "una pregunta", "one of them") means the word is not a rating.
_AFTER_NUMBER_WORD = frozenset(
    {
        "i", "im", "id", "ig", "lol", "lmao", "haha", "jaja", "jeje", "tbh", "honestly",
        "probably", "prob", "maybe", "guess", "think", "or", "o", "to", "and", "y", "star",
        "stars", "estrella", "estrellas", "today", "hoy", "now", "ahora", "rn", "please", "pls",
        "thanks", "gracias", "ish", "creo", "supongo",
    }
)  # fmt: skip
# Words before a spelled-out number that make it a pronoun or article ("no one", "the one").
_BEFORE_NUMBER_WORD = frozenset(
    {
        "the", "that", "this", "which", "every", "any", "no", "another", "other", "someone",
        "la", "el", "esa", "ese", "esta", "este", "cada", "otra", "otro", "ninguna", "ninguno",
    }
)  # fmt: skip
# A number right after one of these is negated ("not a 4", "no 4") and so unreadable.
_NEGATIONS = frozenset(
    {"not", "no", "nope", "nah", "never", "nunca", "isnt", "aint", "ni", "neither", "tampoco"}
)
_NEGATION_GAP = frozenset({"a", "an", "un", "una", "like", "really", "even", "exactly"})
# A number followed by one of these is a quantity or a time, not a rating ("5 min", "2 days").
_UNITS = frozenset(
    {
        "sec", "secs", "second", "seconds", "min", "mins", "minute", "minutes", "moment",
        "moments", "hr", "hrs", "hour", "hours", "day", "days", "week", "weeks", "month", "months",
        "year", "years", "yr", "yrs", "time", "times", "am", "pm", "oclock", "percent", "dollars",
        "bucks", "people", "guys", "kids", "more", "momento", "momentito", "segundo", "segundos",
        "minuto", "minutos", "hora", "horas", "dia", "dias", "semana", "semanas", "mes", "meses",
        "ano", "anos", "vez", "veces", "pesos", "personas",
    }
)  # fmt: skip
# Halves make the reply a fraction between two points: unreadable.
_HALVES = frozenset({"half", "medio", "media", "mitad"})
_NUMBER_SUFFIXES = frozenset({"ish"})  # "4ish" is still 4
_SPECIAL_DIGITS = {"\U0001f51f": " 10 "}  # keycap ten
_MAX_DIGITS = 9

_SCALE_TOKENS = re.compile(r"(?P<num>\d+(?:[.,]\d+)?)|(?P<word>[^\W\d_]+)|(?P<sym>[^\w\s])")


class _Tok(NamedTuple):
    kind: str  # "num", "word" or "sym"
    text: str
    start: int
    end: int
    value: int | None = None  # for "num"
    spelled: bool = False  # a number written as a word


def _number_word(word: str) -> int | None:
    if word in _NUMBER_WORDS:
        return _NUMBER_WORDS[word]
    stretched = re.fullmatch(r"(.*?)((.)\3+)", word)  # "fourrr", "threeee"
    if stretched:
        head, last = stretched.group(1), stretched.group(3)
        for candidate in (head + last, head + last + last):
            if candidate in _NUMBER_WORDS:
                return _NUMBER_WORDS[candidate]
    return None


def _fraction_at(toks: Sequence[_Tok], i: int) -> int | None:
    """If toks[i] is a numerator followed by a fraction separator and a number, the index of the
    denominator token, else None. Number words count as numbers here."""
    for sep in _FRACTION_SEPARATORS:
        j = i + 1 + len(sep)
        if j >= len(toks) or tuple(t.text for t in toks[i + 1 : j]) != sep:
            continue
        den = toks[j]
        if den.kind == "num" or (den.kind == "word" and _number_word(den.text) is not None):
            return j
    return None


def parse_scale(text: str, low: int, high: int) -> int | None:
    """The one whole number in [low, high] the person meant, or None if it can't be read
    confidently (the flow then re-prompts).

    Rules:
    - digits in any script, fullwidth, circled or keycap ("4", "٤", "４", "4️⃣", "4⃣"), or a number
      word 0-10 in English or Spanish ("four", "Cuatro", "una"; stretched "fiveee"; typo "fiv"),
      with any punctuation, emoji or filler around it ("4.", "prob a 3", "its a 5", "2 😕",
      "5 stars", "4ish");
    - "N/D", "N / D", "N out of D", "N of D", "N de D": N if D == high, else None ("5/10" on a
      1..5 scale is another scale);
    - the same number repeated ("four (4)") is that number; two different numbers ("3-4",
      "3 or 4", "3 to 4", "between 2 and 3") are None: for a safety scale guessing is worse than
      asking again;
    - None for: a decimal ("4.5", "4,5"; "4.0" is 4), a half ("3 and a half"), a number outside
      [low, high] ("0", "10" on 1..5; "-1" is minus one), a negated number ("not a 4", "no 4"),
      a quantity or time ("5 min", "one sec", "2 days", "3 pm"), digits glued to letters ("4u",
      "3rd"), a number word used as a word ("una pregunta", "no one", "one of them");
    - only short replies are read: more than `MAX_WORDS` (6) words, not counting a fraction's
      "out of D", is None, so a long message is re-prompted rather than misread. A lone number
      in a short reply is taken ("my mom called at 3" -> 3).
    Returns None (never raises) for low > high or any text.
    """
    if not isinstance(low, int) or not isinstance(high, int) or low > high:
        return None
    s = _prepare(text)
    if s is None:
        return None
    for special, digits in _SPECIAL_DIGITS.items():
        s = s.replace(special, digits)
    s = s.replace("'", "")
    toks: list[_Tok] = []
    for m in _SCALE_TOKENS.finditer(s):
        kind = m.lastgroup or "sym"
        toks.append(_Tok(kind, m.group(), m.start(), m.end()))

    # Digits: reject decimals and digits glued to letters; read a leading minus sign.
    for i, tok in enumerate(toks):
        if tok.kind != "num":
            continue
        whole, _, frac = tok.text.replace(",", ".").partition(".")
        if frac.strip("0") or len(frac) > 2 or len(whole) > _MAX_DIGITS:
            return None
        prev = toks[i - 1] if i > 0 else None
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if prev is not None and prev.kind == "word" and prev.end == tok.start:
            return None
        if (
            nxt is not None
            and nxt.kind == "word"
            and nxt.start == tok.end
            and nxt.text not in _NUMBER_SUFFIXES
        ):
            return None
        value = int(whole)
        if (
            prev is not None
            and prev.text in ("-", "−")
            and prev.end == tok.start
            and (i < 2 or toks[i - 2].end < prev.start)
        ):
            value = -value
        toks[i] = tok._replace(value=value)

    # Number words: only where they read as a rating.
    for i, tok in enumerate(toks):
        if tok.kind != "word":
            continue
        spelled = _number_word(tok.text)
        if spelled is None:
            continue
        prev = toks[i - 1] if i > 0 else None
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if prev is not None and prev.text in _BEFORE_NUMBER_WORD:
            return None
        if not (
            nxt is None
            or nxt.kind != "word"
            or nxt.text in _AFTER_NUMBER_WORD
            or _number_word(nxt.text) is not None
            or (nxt.text in _FRACTION_WORDS and _fraction_at(toks, i) is not None)
        ):
            return None
        toks[i] = tok._replace(kind="num", value=spelled, spelled=True)

    if any(t.text in _HALVES for t in toks):
        return None
    nums = [i for i, t in enumerate(toks) if t.kind == "num"]
    if not nums:
        return None
    words = sum(1 for t in toks if t.kind in ("num", "word"))

    answer_idx = nums
    if len(nums) == 2 and _fraction_at(toks, nums[0]) == nums[1]:
        if toks[nums[1]].value != high:
            return None
        answer_idx = [nums[0]]
        words -= 1 + sum(1 for t in toks[nums[0] + 1 : nums[1]] if t.kind == "word")
    if words > MAX_WORDS:
        return None
    values = {toks[i].value for i in answer_idx}
    if len(values) != 1:
        return None

    for i in nums:
        if _negated(toks, i):
            return None
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if nxt is not None and nxt.kind == "word" and nxt.text in _UNITS:
            return None

    answer = values.pop()
    if answer is None or not low <= answer <= high:
        return None
    return answer


def _negated(toks: Sequence[_Tok], i: int) -> bool:
    j = i - 1
    while j >= 0 and toks[j].kind == "word" and toks[j].text in _NEGATION_GAP:
        j -= 1
    return j >= 0 and toks[j].kind == "word" and toks[j].text in _NEGATIONS


# ---- yes / no ---------------------------------------------------------------------------------


def _phrases(items: Iterable[str]) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(_collapse(w) for w in item.split()) for item in items)


_YES = _phrases(
    [
        "yes", "yeah", "yea", "yeh", "ye", "ya", "yah", "yep", "yup", "yas", "sure", "ok", "okay",
        "okey", "oki", "okie", "k", "y", "of course", "ofc", "definitely", "def", "absolutely",
        "certainly", "totally", "correct", "affirmative", "indeed", "for sure", "yes please",
        "i do", "i did", "i think so", "i guess so", "i believe so", "mhm",
        "uh huh", "si", "sip", "claro", "claro que si", "por supuesto", "desde luego", "simon",
        "aja", "obvio", "obvio que si", "de acuerdo", "vale", "dale", "esta bien", "asi es",
    ]
)  # fmt: skip
_NO = _phrases(
    [
        "no", "n", "nah", "nope", "nop", "naw", "nay", "never", "not really", "not at all",
        "not yet", "not exactly", "not much", "not rly", "no way", "hell no", "nothing", "none",
        "of course not", "definitely not", "absolutely not", "certainly not", "i dont", "i do not",
        "i didnt", "i did not", "i dont think so", "i guess not", "i think not", "negative", "nel",
        "para nada", "nunca", "jamas", "nada", "tampoco", "negativo", "claro que no",
        "por supuesto que no", "obvio que no", "de ninguna manera", "ni de broma", "ni loco",
        "ni loca",
    ]
)  # fmt: skip
# Anywhere in the reply, these make it unreadable as a yes or a no.
_UNSURE = _phrases(
    [
        "maybe", "mayb", "perhaps", "possibly", "probably", "prob", "idk", "idek", "dunno",
        "dont know", "do not know", "dont knw", "not sure", "not really sure", "unsure", "no idea",
        "no clue", "kinda", "kind of", "sorta", "sort of", "somewhat", "sometimes", "a little",
        "a bit", "depends", "it depends", "more or less", "meh", "hard to say", "yes and no",
        "no problem", "no prob", "no worries", "tal vez", "talvez", "quizas", "quiza",
        "a lo mejor", "puede ser", "puede que", "mas o menos", "no se", "no lo se", "ni idea",
        "no estoy seguro", "no estoy segura", "a veces", "depende", "quien sabe", "un poco",
        "no hay problema", "sin problema", "si y no",
        # a contrast after the answer ("no but he asked me for money") changes what it means
        "but", "pero", "although", "though", "except", "excepto", "aunque", "however", "sino",
    ]
)  # fmt: skip
# Words skipped before the answer ("um yes", "well no", "lol yeah").
_FILLERS = frozenset(
    _collapse(w)
    for w in (
        "um", "uh", "umm", "uhm", "hmm", "hm", "mm", "er", "well", "oh", "ah", "lol", "lmao",
        "so", "like", "honestly", "tbh", "thanks", "thank", "you", "hey", "hi", "hello", "sorry",
        "pues", "bueno", "este", "hola", "gracias",
    )
)  # fmt: skip
_LAUGH = re.compile(r"(?:[hj][aeiou]){2,}h?")
# Too short to trust next to other words ("y" is Spanish "and", "ya" "already"): they answer
# only when they are the whole reply; elsewhere they are skipped like fillers.
_SOLO_ONLY = frozenset({"y", "n", "k", "ya"})
# Strong answers that, found after the first answer, contradict it ("yes, no", "si y no").
_STRONG = _phrases(
    [
        "yes", "yeah", "yea", "yep", "yup", "si", "claro", "no", "nope", "nah", "naw", "nel",
        "never", "nunca", "not really", "not at all", "para nada", "of course", "por supuesto",
    ]
)  # fmt: skip
_YES_EMOJI = frozenset("👍✅✔☑👌🆗")
_NO_EMOJI = frozenset("👎❌✖✗✘🚫🙅❎⛔")
_ANSWER_WORDS = re.compile(r"[^\W_]+")
_MAX_PHRASE = max(len(p) for p in _YES | _NO | _UNSURE)


def _match(words: Sequence[str], i: int, phrases: frozenset[tuple[str, ...]]) -> int:
    """Length of the longest phrase of `phrases` starting at words[i] (0 if none)."""
    for n in range(min(_MAX_PHRASE, len(words) - i), 0, -1):
        if tuple(words[i : i + n]) in phrases:
            return n
    return 0


def _polarity(words: Sequence[str], i: int) -> tuple[bool | None, int]:
    """(True/False, length) for the longest yes or no phrase at words[i], else (None, 0)."""
    yes = _match(words, i, _YES)
    no = _match(words, i, _NO)
    if yes > no:
        return True, yes
    if no > yes:
        return False, no
    return None, 0


def parse_yes_no(text: str) -> bool | None:
    """True for a yes, False for a no, None when unsure or unreadable.

    Rules:
    - only short replies (at most `MAX_WORDS` words; emoji don't count) are read;
    - the answer is the first words, after fillers ("um", "well", "lol", "pues"): "yes he did" ->
      True, "no one is pressuring me" -> False, "yeah i guess" -> True, "no thanks" -> False;
      the longest phrase wins ("of course not", "claro que no" -> False);
    - English and Spanish, slang and stretched letters: "yep", "yesss", "simon", "nel",
      "noooo", "siii", "sí", "ok", "nope nothing", "nada";
    - 👍 ✅ 👌 are yes, 👎 ❌ 🚫 no, when they are the answer or agree with the words;
    - None if any hedge or contrast appears anywhere ("maybe", "idk", "kinda", "not sure",
      "no sé", "tal vez", "yes but..."), if the reply contradicts itself ("yes and no", "yeah
      no", "👍👎"), or if it doesn't start with an answer ("i dont know", "he did").
    - "y", "n", "k", "ya" answer only when alone.
    """
    s = _prepare(text)
    if s is None:
        return None
    words = [_collapse(w) for w in _ANSWER_WORDS.findall(s.replace("'", ""))]
    if len(words) > MAX_WORDS:
        return None
    if any(_match(words, i, _UNSURE) for i in range(len(words))):
        return None

    signals: set[bool] = set()
    if any(ch in _YES_EMOJI for ch in s):
        signals.add(True)
    if any(ch in _NO_EMOJI for ch in s):
        signals.add(False)

    if len(words) == 1 and words[0] in _SOLO_ONLY:
        solo, _ = _polarity(words, 0)
        if solo is not None:
            signals.add(solo)
        return signals.pop() if len(signals) == 1 else None

    i = 0
    lead: bool | None = None
    while i < len(words):
        lead, n = _polarity(words, i)
        if lead is not None and not (n == 1 and words[i] in _SOLO_ONLY):
            i += n
            break
        lead = None
        if words[i] in _FILLERS or words[i] in _SOLO_ONLY or _LAUGH.fullmatch(words[i]):
            i += 1
            continue
        return None  # the reply starts with something other than an answer
    if lead is None:
        # nothing but fillers: the emoji (if any) is the answer
        return signals.pop() if len(signals) == 1 else None
    signals.add(lead)
    while i < len(words):  # a strong answer later on must agree with the first one
        pol, n = _polarity(words, i)
        if pol is None:
            i += 1
            continue
        if tuple(words[i : i + n]) in _STRONG:
            signals.add(pol)
        i += n
    return signals.pop() if len(signals) == 1 else None
