"""Feeling unsafe or afraid of someone.

Each pattern runs against the canonical text (flows/risk/normalise.py): lower case, no accents,
single spaces, contractions expanded ("i do not want to"), "." for punctuation.  Both languages'
groups always run (people mix languages).
"""

from __future__ import annotations

from flows.levels import Level
from flows.risk.categories import UNSAFE
from flows.risk.lexicon import Group, rules

C = Level.CONCERN

# fmt: off
EN: list[Group] = [
    *rules(
        "en", UNSAFE, C,
        r"scared|terrified|frightened|petrified|fearful",
        r"afraid(?! (?:i|that|so|not|we|you|it)\b)",
        r"unsafe", r"in danger", r"fear for my (?:life|safety)",
    ),
    *rules(
        "en", UNSAFE, C,
        r"(?:not|never) (?:<w>)?(?:feel|feeling|felt) (?:<w>)?safe",
        r"not safe",
        negatable=False,
    ),
]

ES: list[Group] = [
    *rules(
        "es", UNSAFE, C,
        r"tengo (?:<w>)?miedo", r"me (?:da|dan|daba) (?:<w>)?miedo",
        r"me siento (?:<w>)?(?:insegur[oa]|en peligro|amenazad[oa])",
        r"estoy (?:<w>)?(?:asustad[oa]|aterrad[oa])", r"me asusta",
    ),
    *rules(
        "es", UNSAFE, C,
        r"no me siento (?:<w>)?(?:segur[oa]|a salvo|tranquil[oa])",
        negatable=False,
    ),
]
# fmt: on
