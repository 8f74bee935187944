"""Not eating or not sleeping for days; panic attacks.

Each pattern runs against the canonical text (flows/risk/normalise.py): lower case, no accents,
single spaces, contractions expanded ("i do not want to"), "." for punctuation.  Both languages'
groups always run (people mix languages).
"""

from __future__ import annotations

from flows.levels import Level
from flows.risk.categories import EAT_SLEEP
from flows.risk.lexicon import Group, rules

W = Level.WATCH

# fmt: off
EN: list[Group] = [
    *rules(
        "en", EAT_SLEEP, W,
        r"(?:can not|could not|unable to|not able to|have not been able to) (?:<w>)?(?:sleep"
        r"|eat|fall asleep|get (?:back )?to sleep|go to sleep|stay asleep|keep (?:food|anything)"
        r" down)",
        r"(?:have not|had not|did not|not) (?:<w>)?(?:slept|eaten|ate|been sleeping|been eating"
        r"|sleeping|eating)",
        r"not (?:eat|sleep) (?:much|anything|at all|anymore|enough|well)",
        r"no (?:sleep|appetite)",
        r"(?:not|never) hungry",
        negatable=False,
    ),
    *rules(
        "en", EAT_SLEEP, W,
        r"barely (?:eat|eating|ate|sleep|sleeping|slept)",
        r"skip(?:ped|ping|s)? (?:<w>){0,2}meals?",
        r"insomnia",
        r"up all night",
    ),
]

ES: list[Group] = [
    *rules(
        "es", EAT_SLEEP, W,
        r"no (?:puedo|pude|he podido|podia|logro|consigo) (?:<w>)?(?:dormir|comer)",
        r"no (?:he|e) (?:comido|dormido)",
        r"(?:casi|ya) no (?:como|duermo|estoy comiendo|estoy durmiendo)",
        r"no (?:duermo|como|estoy durmiendo|estoy comiendo) (?:nada|bien|casi nada|desde)",
        r"sin (?:dormir|comer)",
        r"no tengo (?:<w>)?(?:hambre|apetito)",
        negatable=False,
    ),
    *rules("es", EAT_SLEEP, W, r"insomnio"),
]
# fmt: on
