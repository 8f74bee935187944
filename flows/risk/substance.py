"""Substance use to cope, relapse and near-relapse.

Each pattern runs against the canonical text (flows/risk/normalise.py): lower case, no accents,
single spaces, contractions expanded ("i do not want to"), "." for punctuation.  Both languages'
groups always run (people mix languages).
"""

from __future__ import annotations

from flows.levels import Level
from flows.risk.categories import SUBSTANCE
from flows.risk.lexicon import Group, rules

C = Level.CONCERN

# fmt: off
EN: list[Group] = [
    *rules(
        "en", SUBSTANCE, C,
        r"relaps\w*",
        r"(?:using|used|use|drinking|drank|drink|smoking|smoked|shooting up|snorting|popping"
        r"|popped) (?:<w>){0,2}again",
        r"(?:got|get|getting|gets|was|been) (?:so |really )?(?:high|drunk|wasted|faded|stoned"
        r"|blazed|tweaking|loaded)",
        r"(?:back on|started) (?:the )?(?:drugs|pills|meth|dope|using|drinking)",
        r"(?:used|using|did|doing|took|taking|popped|popping|smoked|smoking|shot up|snorted"
        r"|sniffed|bought) (?:some )?(?:meth|crystal|crack|coke|cocaine|heroin|dope|fent"
        r"|fentanyl|percs|percocets|xans|xanax|molly|ecstasy|lean|drugs|spice|k2)",
        r"slipped up", r"fell off the wagon", r"lost my (?:clean time|sobriety)",
    ),
]

ES: list[Group] = [
    *rules(
        "es", SUBSTANCE, C,
        r"reca(?:i|yo|ida|er)",
        r"volv(?:i|io) a (?:usar|consumir|tomar|beber|fumar|drogarme|drogar|meterme|inyectarme"
        r"|emborracharme|caer)",
        r"me (?:drogue|emborrache|puse (?:bien )?(?:pedo|high|borracho|drogado))",
        r"otra vez (?:tomando|bebiendo|fumando|drogandome|consumiendo|usando)",
        r"(?:estoy|ando|andaba) (?:<w>)?(?:drogad[oa]|borrach[oa]|high)",
        r"(?:uso|use|usando|consumo|consumiendo|fumo|fumando) (?:drogas|mota|cristal|crack|coca"
        r"|heroina|pastillas|perico|piedra)",
    ),
]
# fmt: on
