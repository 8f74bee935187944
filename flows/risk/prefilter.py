"""Prefilters: the three-letter pieces one of which every match of a pattern must contain.

A screen runs each category group's combined regex over the text.  Python's ``re`` tries every
alternative at every position, so a group of a hundred patterns costs a hundred tries per
character even when the text has none of its words.  Most texts hold the words of only a few
groups, so each group first asks a cheaper question first: does the text contain any of the literal
strings a match would have to contain?  Checking a hundred strings one by one costs more than it
saves, so each required string is stood for by one of its three-letter pieces (the rarest-looking
one), and the text's pieces are collected once: the question is then one C-level
``frozenset.isdisjoint``.  A text that contains a string contains all its pieces, so the check
never skips a group that could match.

The prefilter is only ever a necessary condition: when it cannot work one out for a pattern it
returns None and the group is always searched.  It reads the pattern with the standard library's
own parser (``re._parser``, stable since Python 3.11); if that ever changes shape, every group
falls back to being searched, slower but the same result.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

_p: Any
_c: Any
try:  # the parser lives in re._parser from Python 3.11 on
    _p = importlib.import_module("re._parser")
    _c = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover - then every group is simply always searched
    _p = _c = None

# Strings this short or this common are in nearly every text: a set holding one filters nothing.
_COMMON = frozenset(
    "i me my a an the to and of in on is am are it you he she we they at for with so be do"
    " que no de la el mi yo se lo en y un una es te le con por"
    " ".split()
)
Literals = frozenset[str]


def _score(s: Literals) -> tuple[int, int, int]:
    weak = sum(1 for x in s if len(x.strip()) <= 2 or x.strip() in _COMMON)
    return (-weak, min(map(len, s)), -len(s))


def _better(a: Literals | None, b: Literals | None) -> Literals | None:
    if a is None:
        return b
    if b is None:
        return a
    return a if _score(a) >= _score(b) else b


def _sequence(items: list[tuple[Any, Any]]) -> Literals | None:
    """The most selective requirement among the elements of a sequence: every element must
    match, so any one element's requirement is one of the whole sequence."""
    best: Literals | None = None
    run: list[str] = []
    for op, av in items:
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        if run:
            best = _better(best, frozenset({"".join(run)}))
            run = []
        if op is _c.SUBPATTERN:
            best = _better(best, _sequence(list(av[-1])))
        elif op is _c.BRANCH:
            alternatives = [_sequence(list(branch)) for branch in av[1]]
            if all(a is not None for a in alternatives):
                best = _better(best, frozenset().union(*alternatives))  # type: ignore[arg-type]
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
            low, _high, sub = av
            if low >= 1:
                best = _better(best, _sequence(list(sub)))
        # Zero-width items (\b, look-arounds) and classes require nothing we can name here.
    if run:
        best = _better(best, frozenset({"".join(run)}))
    return best


def required_literals(pattern: re.Pattern[str]) -> Literals | None:
    """Strings one of which every match of ``pattern`` contains, or None when that is unknown
    or the strings are too short to be worth checking."""
    if _p is None or pattern.flags & re.IGNORECASE:
        return None
    try:
        found = _sequence(list(_p.parse(pattern.pattern)))
    except Exception:
        return None
    if found is None or min(map(len, found)) < 2:
        return None
    return found


# Pieces found in at least 4% of the development texts (bench/risk_data/dev.tsv, canonical form):
# a rule keyed on one of them would be tried on most texts.  Only speed depends on this list; a
# piece missing from it or listed wrongly changes no result.
# fmt: off
_COMMON_PIECES = frozenset((
    ' . ', ' a ', ' ab', ' ag', ' al', ' am', ' an', ' at', ' ba', ' be', ' bi', ' bu', ' ca',
    ' co', ' cu', ' da', ' de', ' di', ' do', ' el', ' en', ' es', ' fi', ' fo', ' fr', ' fu',
    ' go', ' gr', ' ha', ' he', ' hi', ' ho', ' i ', ' in', ' is', ' it', ' ju', ' ki', ' la',
    ' le', ' li', ' lo', ' ma', ' me', ' mi', ' mo', ' mu', ' my', ' na', ' ne', ' ni', ' no',
    ' of', ' on', ' pa', ' pe', ' pi', ' po', ' pr', ' pu', ' qu', ' re', ' sa', ' se', ' sh',
    ' si', ' so', ' st', ' su', ' ta', ' te', ' th', ' ti', ' to', ' tr', ' un', ' ve', ' vi',
    ' wa', ' we', ' wh', ' wi', ' wo', ' y ', ' ya', '. e', '. i', '. m', '. n', '. s', '. t',
    '. y', 'a .', 'a a', 'a c', 'a d', 'a e', 'a l', 'a m', 'a n', 'a p', 'a s', 'a t', 'a v',
    'a y', 'aba', 'abo', 'ace', 'ad ', 'ada', 'ado', 'aga', 'al ', 'all', 'am ', 'an ', 'ana',
    'and', 'ant', 'ar ', 'are', 'art', 'as ', 'ast', 'at ', 'ate', 'ave', 'ay ', 'bie', 'bou',
    'can', 'car', 'cas', 'ce ', 'che', 'cho', 'ck ', 'com', 'con', 'd a', 'd i', 'd m', 'd t',
    'da ', 'day', 'de ', 'del', 'des', 'die', 'do ', 'e .', 'e a', 'e b', 'e c', 'e d', 'e e',
    'e f', 'e g', 'e h', 'e i', 'e l', 'e m', 'e n', 'e o', 'e p', 'e q', 'e s', 'e t', 'e u',
    'e v', 'e w', 'ed ', 'eep', 'el ', 'ell', 'en ', 'end', 'eng', 'ent', 'er ', 'era', 'ere',
    'ero', 'ery', 'es ', 'est', 'et ', 'eve', 'for', 'g a', 'g m', 'g t', 'ght', 'go ', 'got',
    'gra', 'hac', 'hat', 'hav', 'he ', 'her', 'hin', 'his', 'i a', 'i d', 'i h', 'i m', 'i t',
    'i w', 'ia ', 'ice', 'id ', 'ida', 'ied', 'ien', 'ier', 'igh', 'ill', 'in ', 'ing', 'io ',
    'ion', 'ir ', 'is ', 'it ', 'ita', 'ke ', 'kin', 'l c', 'l m', 'l s', 'l t', 'la ', 'las',
    'ld ', 'le ', 'll ', 'lle', 'lo ', 'los', 'ly ', 'man', 'mat', 'me ', 'men', 'mi ', 'mis',
    'my ', 'n .', 'n a', 'n d', 'n e', 'n l', 'n m', 'n t', 'na ', 'nad', 'nd ', 'ndo', 'ne ',
    'ng ', 'ngo', 'no ', 'not', 'now', 'nt ', 'nte', 'nto', 'o .', 'o a', 'o b', 'o c', 'o d',
    'o e', 'o h', 'o i', 'o l', 'o m', 'o n', 'o p', 'o q', 'o s', 'o t', 'o y', 'odo', 'of ',
    'oin', 'om ', 'ome', 'on ', 'one', 'or ', 'os ', 'ot ', 'out', 'ow ', 'oy ', 'par', 'pas',
    'per', 'por', 'que', 'qui', 'r .', 'r a', 'r m', 'r t', 'ra ', 're ', 'res', 'ro ', 'ron',
    's .', 's a', 's d', 's e', 's m', 's n', 's p', 's s', 's t', 'se ', 'si ', 'so ', 'st ',
    'sta', 'ste', 'sto', 't .', 't a', 't i', 't m', 't s', 't t', 't w', 'ta ', 'tar', 'te ',
    'ten', 'ter', 'th ', 'tha', 'the', 'thi', 'to ', 'tod', 'tor', 'toy', 'tra', 'ue ', 'uel',
    'uer', 'un ', 'up ', 'ust', 'ut ', 've ', 'ver', 'was', 'wee', 'y a', 'y b', 'y c', 'y f',
    'y m', 'y s', 'y t', 'ya ',
))
# fmt: on


def _rarest_piece(literal: str) -> str:
    pieces = [literal[i : i + 3] for i in range(len(literal) - 2)]
    return min(pieces, key=lambda piece: (piece in _COMMON_PIECES, " " in piece, piece))


def required_trigrams(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """One three-letter piece per required literal of ``pattern`` (None: no prefilter)."""
    literals = required_literals(pattern)
    if literals is None or min(map(len, literals)) < 3:
        return None
    return frozenset(_rarest_piece(x) for x in literals)


def text_trigrams(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 3] for i in range(len(text) - 2))
