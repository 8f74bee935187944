"""Persistent despair: hopelessness, emptiness, worthlessness, self-hatred.

Each pattern runs against the canonical text (flows/risk/normalise.py): lower case, no accents,
single spaces, contractions expanded ("i do not want to"), "." for punctuation.  Both languages'
groups always run (people mix languages).
"""

from __future__ import annotations

from flows.levels import Level
from flows.risk.categories import HOPELESS
from flows.risk.lexicon import Group, rules

C = Level.CONCERN

# fmt: off
EN: list[Group] = [
    *rules(
        "en", HOPELESS, C,
        r"what is the (?:point|use)",
        r"(?:give|giving|gave|given) up(?! (?:smoking|drinking|drugs|sugar|soda|meat|my \w+"
        r"|\w+ing))",
        r"hopeless", r"why (?:even )?bother", r"done trying",
        r"can not (?:do this|take (?:it|this)|handle (?:it|this)) (?:anymore|no more)",
    ),
    *rules(
        "en", HOPELESS, C,
        r"no point\b(?! in (?:asking|worrying))", r"no hope",
        r"nothing (?:<w>){0,2}(?:get|gets|getting) better",
        r"nothing (?:<w>){0,4}change[sd]?",
        r"never (?:going to )?(?:get|be|gets) better",
        negatable=False,
    ),
]

ES: list[Group] = [
    *rules(
        "es", HOPELESS, C,
        r"me (?:doy|di|he dado) por vencid[oa]", r"(?:ya )?me rendi", r"me rindo",
        r"para que (?:sigo|seguir|intento|intentar|lo intento|me esfuerzo)",
        r"sin esperanza",
    ),
    *rules(
        "es", HOPELESS, C,
        r"no tiene sentido", r"no le veo (?:el |ningun )?sentido",
        r"ya no (?:puedo|aguanto) mas", r"ya no aguanto",
        r"no hay esperanza", r"nada (?:<w>){0,2}(?:mejorar|cambiar|mejora|cambia)",
        r"ya no tiene caso",
        negatable=False,
    ),
]
# fmt: on
