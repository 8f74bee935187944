"""Abuse or violence at home, in a foster or group home, in a relationship.

Each pattern runs against the canonical text (flows/risk/normalise.py): lower case, no accents,
single spaces, contractions expanded ("i do not want to"), "." for punctuation.  Both languages'
groups always run (people mix languages).
"""

from __future__ import annotations

from flows.levels import Level
from flows.risk.categories import ABUSE
from flows.risk.lexicon import FAMILY_EN, FAMILY_ES, HIT_EN, HIT_ES, Group, rules

C = Level.CONCERN

# fmt: off
EN: list[Group] = [
    *rules(
        "en", ABUSE, C,
        rf"(?:my |our |the )?{FAMILY_EN} (?:<w>){{0,2}}{HIT_EN} (?:on )?(?:me|us)",
        r"abus(?:e|ed|ive|ing) (?:<w>)?(?:at|in (?:my|the|our)) (?:home|house)",
        r"(?:get|getting|got|gets|been) (?:hit|beat|beaten|abused|whooped|hurt|smacked) "
        rf"(?:<w>)?(?:at home|at my house|at the house|by my {FAMILY_EN})",
        rf"abusive (?:home|house|household|family|{FAMILY_EN})",
        rf"{FAMILY_EN} (?:is|are) abusive",
        r"(?:abuse|violence) at home",
        r"home is (?:<w>)?(?:abusive|violent)",
    ),
]

ES: list[Group] = [
    *rules(
        "es", ABUSE, C,
        rf"(?:mi|mis|el|la|los) {FAMILY_ES} (?:<w>){{0,3}}me {HIT_ES}",
        rf"en (?:mi|la) casa (?:<w>){{0,2}}me {HIT_ES}",
        r"me (?:pegan|golpean|maltratan|lastiman) en (?:mi|la) casa",
        r"(?:abuso|violencia|maltrato) en (?:mi|la) casa",
        r"hay (?:abuso|violencia|maltrato) en",
    ),
]
# fmt: on
