"""Matching: scan the normalised words with every category's patterns, drop negated cues, merge
overlapping hits, and build the Assessment with verbatim evidence."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

from flows.levels import Level
from flows.risk import (  # concern families
    abuse,
    bullying,
    coercion,
    despair,
    eat_sleep,
    frames,
    harm,
    help,
    past_attempt,
    sexual,
    situations,
    substance,
    suicide,
    unsafe,
)
from flows.risk.categories import (
    ABUSE,
    HURT,
    MAX_CHARS,
    MAX_EVIDENCE_CHARS,
    NONE_ASSESSMENT,
    Assessment,
)
from flows.risk.idioms import HYPERBOLE, IDIOMS, SERIOUS
from flows.risk.lexicon import (
    CLAUSE_BREAKS,
    KEEP_GOING,
    LAUGHTER,
    MODALS,
    NEGATION_DISCOUNT,
    NEGATION_WINDOW,
    NEGATORS,
    NO_NOUNS,
    REPORTING,
    SUBJECTS,
    TRYING,
    Group,
    Rule,
)
from flows.risk.normalise import BOUNDARY, Word, normalise
from flows.risk.prefilter import text_trigrams

_FAMILIES = (suicide, frames, harm, abuse, sexual, coercion, unsafe, substance, despair, eat_sleep,
             bullying, past_attempt, help, situations)
_RULES: dict[str, list[Group]] = {
    "en": [g for family in _FAMILIES for g in family.EN],
    "es": [g for family in _FAMILIES for g in family.ES],
}

# One regex per list: a text pays one scan, not one per idiom.
_IDIOMS = re.compile("|".join(f"(?:{p.pattern})" for p in IDIOMS))
_HYPERBOLE = re.compile("|".join(f"(?:{p.pattern})" for p in HYPERBOLE))
# Every hyperbole pattern has one of these stems; most texts have none, and skip the scan.
_DEATHLY = re.compile(
    r"di|dea|kill|murd|end|strang|mat|muer|mori|tir|aven|avien|rather|prefer|jump"
)

# --------------------------------------------------------------------------------------------


class _Hit(NamedTuple):
    category: str
    level: Level
    start: int  # span in the original text
    end: int


def _negated(words: list[Word], first: int, rule: Rule) -> bool:
    """True if a plain denial negates the cue at words[first]: a negator within a few words
    before it, in the same clause.  Not a denial: "can't stop thinking about", "trying not to",
    "not gonna lie"; and "I never said I wanted to die" reaches back over "said i"."""
    j = first - 1
    stop = max(-1, first - 1 - NEGATION_WINDOW)
    while j > stop:
        word = words[j].text
        if word == BOUNDARY or word in CLAUSE_BREAKS or LAUGHTER.match(word):
            return False
        if word in SUBJECTS.get(rule.language, ()):
            if j > 0 and words[j - 1].text in REPORTING:  # "never said i wanted to ..."
                j -= 1
                stop = max(-1, stop - 2)
                continue
            return False
        if word not in NEGATORS:
            j -= 1
            continue
        after = [w.text for w in words[j + 1 : j + 3]]
        if after and after[0] in MODALS:
            after = after[1:]
        if after and (after[0] in NEGATION_DISCOUNT or after[0] in KEEP_GOING):
            return False  # "idk", "not sure", "can't stop", "no puedo dejar de"
        before = [w.text for w in words[max(0, j - 2) : j]]
        if before and (before[-1] in TRYING or (before[-1] in ("to", "de") and before[:1]
                                                 and before[0] in TRYING)):
            return False  # "trying not to think about it", "tratando de no pensar en"
        if word == "no" and rule.language == "en" and (after[:1] or [""])[0] not in NO_NOUNS:
            # English "no" negates only mid-clause ("i have no plan to ...") or before a noun
            # ("no thoughts of ..."); at the start of a clause it is an answer: "no i want to die".
            if j == 0 or words[j - 1].text == BOUNDARY:
                return False
        return True
    return False


def _remove_idioms(words: list[Word]) -> list[Word]:
    text = " ".join(w.text for w in words)
    spans = [m.span() for m in _IDIOMS.finditer(text)]
    if _DEATHLY.search(text) and not SERIOUS.search(text):
        spans.extend(m.span() for m in _HYPERBOLE.finditer(text))
    if not spans:
        return words
    out: list[Word] = []
    pos = 0
    for w in words:
        start, end = pos, pos + len(w.text)
        pos = end + 1
        if any(s < end and start < e for s, e in spans):
            if not out or out[-1].text != BOUNDARY:
                out.append(Word(BOUNDARY, w.start, w.end))
        else:
            out.append(w)
    return out


def _scan(words: list[Word], groups: list[Group]) -> list[_Hit]:
    text = " ".join(w.text for w in words)
    starts: list[int] = []
    pos = 0
    for w in words:
        starts.append(pos)
        pos += len(w.text) + 1
    live = _live_rules(text_trigrams(text))
    hits: list[_Hit] = []
    for group in groups:
        search = _searcher(group, live[_GROUP_INDEX[id(group)]])
        if search is None:
            continue
        # All rules of a group share category, level, negation and context, so the group's one
        # combined regex finds the hits itself: a screen costs one scan per group, however many
        # patterns the group has.  After a negated match the scan resumes one character later,
        # so another pattern overlapping it still gets its chance.
        m = search(text)
        if m is None:
            continue
        rule = group.rules[0]
        if rule.needs is not None and not rule.needs.search(text):
            continue
        level = rule.level
        if rule.demote is not None and level > Level.CONCERN and rule.demote.search(text):
            level = Level.CONCERN
        while m is not None:
            if m.end() == m.start():
                m = search(text, m.end() + 1)
                continue
            first = bisect.bisect_right(starts, m.start()) - 1
            last = bisect.bisect_right(starts, m.end() - 1) - 1
            if rule.negatable and _negated(words, first, rule):
                m = search(text, m.start() + 1)
                continue
            hits.append(_Hit(rule.category, level, words[first].start, words[last].end))
            m = search(text, m.end())
    return hits


Search = Callable[..., "re.Match[str] | None"]  # (text, pos=0), as re.Pattern.search

# Every rule's prefilter piece, indexed: one pass over a text's pieces finds the rules it may
# match.  Rules with no piece are always tried.
_GROUPS: list[Group] = list({id(g): g for lang in ("en", "es") for g in _RULES[lang]}.values())
_GROUP_INDEX = {id(g): i for i, g in enumerate(_GROUPS)}
_ALWAYS: list[frozenset[int]] = [
    frozenset(j for j, r in enumerate(g.rules) if r.trigrams is None) for g in _GROUPS
]
_BY_PIECE: dict[str, list[tuple[int, int]]] = {}
for _gi, _group in enumerate(_GROUPS):
    for _ri, _rule in enumerate(_group.rules):
        for _piece in _rule.trigrams or ():
            _BY_PIECE.setdefault(_piece, []).append((_gi, _ri))


def _live_rules(trigrams: frozenset[str]) -> list[set[int]]:
    live = [set(always) for always in _ALWAYS]
    for piece in trigrams:
        for gi, ri in _BY_PIECE.get(piece, ()):
            live[gi].add(ri)
    return live


def _searcher(group: Group, live: set[int]) -> Search | None:
    """The group's search, narrowed to the rules whose prefilter the text passes.  A rule that
    fails it cannot match anywhere in the text, so leaving it out changes no result: the narrowed
    search finds exactly what the group's combined regex would."""
    if not live:
        return None
    if len(live) == len(group.rules):
        return group.any.search
    regexes = [group.rules[i].regex for i in sorted(live)]
    if len(regexes) == 1:
        return regexes[0].search

    def first_of(text: str, pos: int = 0) -> re.Match[str] | None:
        # As an alternation does: the leftmost match, and at one start the earliest pattern.
        best: re.Match[str] | None = None
        for regex in regexes:
            m = regex.search(text, pos)
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        return best

    return first_of


def _overlaps(a: _Hit, b: _Hit) -> bool:
    return a.start < b.end and b.start < a.end


def _merge(hits: list[_Hit]) -> list[_Hit]:
    """Keep one hit per category per stretch of text: the highest level, and on a tie the first
    (the priority language's rules run first)."""
    kept: list[_Hit] = []
    for hit in hits:
        clash = next(
            (i for i, k in enumerate(kept) if k.category == hit.category and _overlaps(k, hit)),
            None,
        )
        if clash is None:
            kept.append(hit)
        elif hit.level > kept[clash].level:
            kept[clash] = hit
    # "my dad hits me" is abuse at home, not a second, separate hurt_or_threatened report.
    abuse = [k for k in kept if k.category == ABUSE]
    return [
        k
        for k in kept
        if not (
            k.category == HURT and k.level <= Level.CONCERN and any(_overlaps(k, a) for a in abuse)
        )
    ]


def assess(text: str, language: str = "en") -> Assessment:
    """Screen one free-text reply for risk.  Pure and deterministic; never raises for a str."""
    if not isinstance(text, str) or not text:
        return NONE_ASSESSMENT
    text = text[:MAX_CHARS]
    primary = "es" if isinstance(language, str) and language[:2].casefold() == "es" else "en"
    if len(text) <= _MEMO_CHARS:
        return _assess_short(text, primary)
    return _assess(text, primary)


# Most replies in a check-in are a handful of short texts ("4", "no", "yes", "nah"), screened on
# every turn: a short text's assessment is remembered (it is pure and immutable), so the hot path
# runs the patterns once per distinct short reply. Bounded: 4,096 texts of at most 40 characters.
_MEMO_CHARS = 40


@lru_cache(maxsize=4096)
def _assess_short(text: str, primary: str) -> Assessment:
    return _assess(text, primary)


def _assess(text: str, primary: str) -> Assessment:
    groups = _RULES[primary] + _RULES["en" if primary == "es" else "es"]

    hits: list[_Hit] = []
    for words in normalise(text):
        hits.extend(_scan(_remove_idioms(words), groups))
    hits = _merge(hits)
    if not hits:
        return NONE_ASSESSMENT

    level = max(h.level for h in hits)
    categories = tuple(sorted({h.category for h in hits}))
    evidence: list[str] = []
    for hit in sorted(hits, key=lambda h: (h.start, h.end)):
        snippet = text[hit.start : min(hit.end, hit.start + MAX_EVIDENCE_CHARS)]
        if snippet not in evidence:
            evidence.append(snippet)
    return Assessment(level, categories, tuple(evidence))


def suggested_language(text: str, default: str = "en") -> str:
    """The language ("en" or "es") whose risk patterns cover more of ``text``: what to answer
    someone we know nothing about (an unknown sender) in. ``default`` when neither language's
    patterns match, or both cover as much. Pure, like `assess`."""
    if not isinstance(text, str) or not text:
        return default
    text = text[:MAX_CHARS]
    covered: dict[str, int] = {}
    for language in ("en", "es"):
        hits: list[_Hit] = []
        for words in normalise(text):
            hits.extend(_scan(_remove_idioms(words), _RULES[language]))
        covered[language] = sum(hit.end - hit.start for hit in _merge(hits))
    if covered["en"] == covered["es"]:
        return default
    return "es" if covered["es"] > covered["en"] else "en"
