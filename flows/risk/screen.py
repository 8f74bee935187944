"""Matching: scan the normalised words with every category's patterns, drop negated cues, merge
overlapping hits, and build the Assessment with verbatim evidence."""

from __future__ import annotations

import bisect
from typing import NamedTuple

from flows.levels import Level
from flows.risk import (  # concern families
    abuse,
    bullying,
    coercion,
    despair,
    eat_sleep,
    harm,
    help,
    past_attempt,
    sexual,
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
from flows.risk.idioms import IDIOMS
from flows.risk.lexicon import (
    CLAUSE_BREAKS,
    NEGATION_DISCOUNT,
    NEGATION_WINDOW,
    NEGATORS,
    SUBJECTS,
    Group,
    Rule,
)
from flows.risk.normalise import BOUNDARY, Word, normalise

_FAMILIES = (suicide, harm, abuse, sexual, coercion, unsafe, substance, despair, eat_sleep,
             bullying, past_attempt, help)
_RULES: dict[str, list[Group]] = {
    "en": [g for family in _FAMILIES for g in family.EN],
    "es": [g for family in _FAMILIES for g in family.ES],
}

# --------------------------------------------------------------------------------------------


class _Hit(NamedTuple):
    category: str
    level: Level
    start: int  # span in the original text
    end: int


def _negated(words: list[Word], first: int, rule: Rule) -> bool:
    """True if a negator sits within a few words before words[first], in the same clause."""
    for j in range(first - 1, max(-1, first - 1 - NEGATION_WINDOW), -1):
        word = words[j].text
        if word == BOUNDARY or word in CLAUSE_BREAKS or word in SUBJECTS:
            return False
        if word not in NEGATORS:
            continue
        following = words[j + 1].text if j + 1 < len(words) else ""
        if following in NEGATION_DISCOUNT:  # "idk", "not sure", "no cap", "no se"
            return False
        if word == "no" and rule.language == "en" and following not in ("one", "body"):
            # English "no" negates only mid-clause ("i have no plan to ..."); at the start of a
            # clause it is an answer: "no i want to die".
            if j == 0 or words[j - 1].text == BOUNDARY:
                return False
        return True
    return False


def _remove_idioms(words: list[Word]) -> list[Word]:
    text = " ".join(w.text for w in words)
    spans = [m.span() for idiom in IDIOMS for m in idiom.finditer(text)]
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
    rules = [rule for group in groups if group.any.search(text) for rule in group.rules]
    hits: list[_Hit] = []
    for rule in rules:
        for m in rule.regex.finditer(text):
            if m.end() == m.start():
                continue
            first = bisect.bisect_right(starts, m.start()) - 1
            last = bisect.bisect_right(starts, m.end() - 1) - 1
            if rule.negatable and _negated(words, first, rule):
                continue
            hits.append(_Hit(rule.category, rule.level, words[first].start, words[last].end))
    return hits


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
