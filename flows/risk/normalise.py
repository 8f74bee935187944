"""Text normalisation for screening: every word keeps its span in the ORIGINAL text.

NFKC, casefold, accents stripped, apostrophes unified; the text is split into words (punctuation
kept as clause boundaries), repeated letters collapsed ("diiieee"), texting abbreviations and
contractions expanded ("wanna" -> "want to", "dont" -> "do not"), light leetspeak undone
("k1ll" -> "kill").
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import NamedTuple

# --------------------------------------------------------------------------------------------

# Curly quotes and accents typed as apostrophes; all map one char to one char (keeps offsets).
_APOSTROPHES = str.maketrans({c: "'" for c in "’‘`´ʼ′"})

# A word (letters/digits, inner apostrophes allowed) or a clause-boundary punctuation mark.
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[.,;:!?¿¡\n]")
BOUNDARY = "."
PUNCTUATION = frozenset(".,;:!?¿¡\n")

# Texting abbreviations and apostrophe-less contractions -> canonical words.
# fmt: off
ABBREV: dict[str, str] = {
    # English contractions typed without the apostrophe
    "im": "i am", "imm": "i am", "ima": "i am going to", "imma": "i am going to",
    "ive": "i have", "id": "i would", "ill": "i will",
    "dont": "do not", "dnt": "do not", "doesnt": "does not", "didnt": "did not",
    "cant": "can not", "cannot": "can not", "cnt": "can not", "wont": "will not",
    "isnt": "is not", "wasnt": "was not", "arent": "are not", "werent": "were not",
    "havent": "have not", "hasnt": "has not", "hadnt": "had not", "aint": "is not",
    "couldnt": "could not", "wouldnt": "would not", "shouldnt": "should not",
    "hes": "he is", "shes": "she is", "theyre": "they are", "youre": "you are",
    "thats": "that is", "whats": "what is", "wats": "what is", "theres": "there is",
    "its": "it is", "everyones": "everyone is",
    # texting slang
    "wanna": "want to", "wana": "want to", "wnna": "want to", "wna": "want to", "wnt": "want",
    "gonna": "going to", "gona": "going to", "gon": "going to", "finna": "going to",
    "tryna": "trying to", "gotta": "got to", "hafta": "have to",
    "u": "you", "ur": "your", "r": "are", "n": "and", "rn": "right now",
    "bc": "because", "bcuz": "because", "bcz": "because", "cuz": "because", "coz": "because",
    "cos": "because", "cause": "because", "tho": "though", "abt": "about", "bout": "about",
    "ppl": "people", "noone": "no one", "no1": "no one", "sum1": "someone", "some1": "someone",
    "every1": "everyone", "any1": "anyone", "b4": "before", "2day": "today",
    "tonite": "tonight", "2nite": "tonight", "wat": "what", "wut": "what", "lil": "little",
    "bf": "boyfriend", "gf": "girlfriend", "celly": "cellie", "mum": "mom", "momma": "mom",
    "mommy": "mom",
    # Spanish texting
    "q": "que", "k": "que", "ke": "que", "xq": "porque", "pq": "porque", "porq": "porque",
    "xk": "porque", "tmb": "tambien", "tb": "tambien", "tmbn": "tambien", "toy": "estoy",
    "kiero": "quiero", "qiero": "quiero", "kero": "quiero", "qero": "quiero", "nd": "nada",
    "nda": "nada", "ta": "esta", "qisiera": "quisiera", "kisiera": "quisiera",
    "aki": "aqui", "ik": "i know",
}
# Misspellings of the words risk hangs on, as people type them in a hurry: one wrong or missing
# letter in "myself", "suicide", "pills" must not hide the sentence from every pattern.
SPELLING: dict[str, str] = {
    # English
    "kil": "kill", "kll": "kill", "kiil": "kill", "myslef": "myself", "mysefl": "myself",
    "myslf": "myself", "mysef": "myself", "mself": "myself", "myelf": "myself",
    "myselff": "myself", "suicde": "suicide", "sucide": "suicide", "suiside": "suicide",
    "suicid": "suicide", "suside": "suicide", "sucidal": "suicidal", "suicdal": "suicidal",
    "suisidal": "suicidal", "sucicidal": "suicidal", "pils": "pills", "pillz": "pills",
    "tryed": "tried", "tryd": "tried", "ben": "been", "wk": "week", "b": "be", "wud": "would",
    "cud": "could", "shud": "should", "nobdy": "nobody", "nobdoy": "nobody", "ded": "dead",
    "cuting": "cutting", "selfharm": "self harm", "sh'ing": "self harming", "kllin": "killing",
    "anymor": "anymore", "alredy": "already", "tonigt": "tonight", "tonght": "tonight",
    # Spanish
    "voi": "voy", "d": "de", "sucidarme": "suicidarme", "suisidarme": "suicidarme",
    "suicidarm": "suicidarme", "suisidio": "suicidio", "sucidio": "suicidio",
    "pastiyas": "pastillas", "pastias": "pastillas", "kuchillo": "cuchillo",
    "cuxillo": "cuchillo", "nadien": "nadie", "aser": "hacer", "aserlo": "hacerlo",
    "acer": "hacer", "acerlo": "hacerlo", "ise": "hice", "hise": "hice", "asta": "hasta",
    "orita": "ahorita", "horita": "ahorita", "bida": "vida", "bivir": "vivir",
    "kitarme": "quitarme", "qitarme": "quitarme", "kedar": "quedar", "matarm": "matarme",
    "morirm": "morirme", "lastimarm": "lastimarme", "cortarm": "cortarme", "kisiera": "quisiera",
}
# English -ing verbs typed without the g ("thinkin bout killin myself"): only these, since many
# Spanish words end in "-in" too (jardin, calcetin, sin).
_G_DROPPED = (
    "thinking cutting killing saving trying going doing feeling nothing something hurting"
    " ending living dying hiding planning collecting burning bleeding fighting hanging jumping"
    " taking getting wanting wishing hoping saying giving losing holding starting stopping"
    " talking looking keeping coming hitting beating choking following threatening drinking"
    " using smoking eating sleeping crying breathing waking existing overdosing starving"
    " hoarding stashing counting writing leaving selling telling waiting touching texting"
    " sending messing pushing yelling screaming shaking scratching picking punching"
)
SPELLING.update({word[:-1]: word for word in _G_DROPPED.split()})
ABBREV.update({k: v for k, v in SPELLING.items() if k not in ABBREV})
# Long words no real word sits one typo away from: any one-letter slip (missing, extra, wrong or
# two letters swapped) in a word of six letters or more is read as the word itself.
_FUZZY_TARGETS = frozenset(
    "myself suicide suicidal overdose overdosed overdosing suicidarme suicidio pastillas"
    " ahorcarme desaparecer autolesion".split()
)
# Real words one slip from a target: never "corrected" ("se suicida" is not "suicide").
_REAL_NEIGHBOURS = frozenset(
    "suicida suicidas suicido suicidan suicidio suicidarse suicidarte suicidate suicidal"
    " suicides desaparece desapareces desaparecen desaparecer overdoses pastilla myselfs"
    " suicidarme".split()
)
# fmt: on


def _one_slip(word: str, target: str) -> bool:
    """True if ``word`` is ``target`` with one letter missing, added, changed or two adjacent
    letters swapped (a Damerau distance of one)."""
    if word == target or abs(len(word) - len(target)) > 1:
        return False
    if len(word) == len(target):
        diff = [i for i, (a, b) in enumerate(zip(word, target, strict=True)) if a != b]
        if len(diff) == 1:
            return True
        return (len(diff) == 2 and diff[1] == diff[0] + 1 and word[diff[0]] == target[diff[1]]
                and word[diff[1]] == target[diff[0]])
    short, long_ = (word, target) if len(word) < len(target) else (target, word)
    i = next((k for k, (a, b) in enumerate(zip(short, long_, strict=False)) if a != b),
             len(short))
    return short[i:] == long_[i + 1:]


def _fuzzy(word: str) -> str:
    if len(word) < 6 or word in _FUZZY_TARGETS or word in _REAL_NEIGHBOURS or not word.isalpha():
        return word
    for target in _FUZZY_TARGETS:
        if target[0] == word[0] and _one_slip(word, target):
            return target
    return word

# "he's" -> "he is", but "mom's" -> "moms" (possessive).
_IS_BEFORE_S = frozenset(
    "he she it that what there who where here how everyone someone somebody nobody everything"
    " nothing".split()
)
_CONTRACTION = re.compile(r"^(.+?)'(s|m|re|ve|ll|d|t)$")
_NT_SPECIAL = {"can": "can not", "won": "will not", "ain": "is not", "don": "do not"}
_SUFFIX = {"m": "am", "re": "are", "ve": "have", "ll": "will", "d": "would"}

# Light leetspeak, only inside words that also contain letters ("k1ll", not "4").
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"})
_HAS_LETTER = re.compile(r"[^\W\d_]")
_REPEAT = re.compile(r"([^\W\d_])\1{2,}")
# Times and amounts typed with letters ("3am", "5pm", "10hrs", "4th") are not leetspeak.
_CLOCK = re.compile(r"^\d+(?:am|pm|hrs?|h|min|mins|k|x|th|st|nd|rd|s)$")


class Word(NamedTuple):
    text: str  # canonical word ("." for a clause boundary)
    start: int  # span in the original text
    end: int


def _fold(text: str) -> tuple[str, list[int]]:
    """NFKC + casefold + accents stripped; returns the folded text and, per folded char, the index
    of the original char it came from."""
    text = text.translate(_APOSTROPHES)
    if text.isascii():
        return text.lower(), list(range(len(text)))
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        folded = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", ch).casefold())
        for c in folded:
            if unicodedata.category(c) == "Mn":  # combining accent: "á" -> "a", "ñ" -> "n"
                continue
            chars.append(c)
            index.append(i)
    return "".join(chars), index


@functools.lru_cache(maxsize=4096)
def _canonical(word: str) -> tuple[str, ...]:
    """One raw word -> canonical words (contractions, abbreviations, leetspeak).  Pure, so cached:
    the same few thousand words make up most texts."""
    return tuple(_canonical_words(word))


def _canonical_words(word: str) -> list[str]:
    m = _CONTRACTION.match(word)
    if m:
        base, suffix = m.group(1), m.group(2)
        if suffix == "t" and base.endswith("n"):
            return _NT_SPECIAL.get(base, base[:-1] + " not").split()
        if suffix == "s":
            return [base, "is"] if base in _IS_BEFORE_S else [base + "s"]
        if suffix in _SUFFIX:
            return [*_canonical_words(base), _SUFFIX[suffix]]
    word = word.replace("'", "")
    if word in ABBREV:
        return ABBREV[word].split()
    word = _fuzzy(word)
    if any(d in word for d in "013457") and _HAS_LETTER.search(word) and not _CLOCK.match(word):
        word = word.translate(_LEET)
        if word in ABBREV:
            return ABBREV[word].split()
    return [word]


def normalise(text: str) -> list[list[Word]]:
    """Canonical word lists for the text: one with runs of 3+ letters collapsed to two letters
    ("soooo" -> "soo", "killll" -> "kill") and, when different, one with them collapsed to a
    single letter ("diiieee" -> "die")."""
    folded, index = _fold(text)
    repeats = _REPEAT.search(folded) is not None
    variants: list[list[Word]] = [[], []] if repeats else [[]]
    for m in _TOKEN.finditer(folded):
        start, end = index[m.start()], index[m.end() - 1] + 1
        raw = m.group()
        if len(raw) == 1 and raw in PUNCTUATION:
            for words in variants:
                words.append(Word(BOUNDARY, start, end))
        elif not repeats:
            variants[0].extend(Word(w, start, end) for w in _canonical(raw))
        else:
            two, one = _REPEAT.sub(r"\1\1", raw), _REPEAT.sub(r"\1", raw)
            variants[0].extend(Word(w, start, end) for w in _canonical(two))
            variants[1].extend(Word(w, start, end) for w in _canonical(one))
    if "2" in folded:
        for words in variants:
            _two_as_to(words)
    return variants


# "i want 2 die": "2" is "to" after these words and before a word (never "2 days", "2 pills").
_BEFORE_TO = frozenset(
    "want going have need got wish trying tried ready able like love hate used about how where"
    " planning plan decided".split()
)
_NOT_AFTER_TO = frozenset(
    "days weeks nights hours minutes times pills years months or and of out more".split()
)


def _two_as_to(words: list[Word]) -> None:
    for i in range(1, len(words) - 1):
        w = words[i]
        if (w.text == "2" and words[i - 1].text in _BEFORE_TO and words[i + 1].text.isalpha()
                and words[i + 1].text not in _NOT_AFTER_TO):
            words[i] = Word("to", w.start, w.end)
