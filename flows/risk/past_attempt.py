"""A suicide attempt in the past, with no current ideation: concern.

A recent attempt (days or weeks) is urgent and belongs to suicide.py; when both match, the higher
level wins, so these patterns may be broad about the attempt itself.  What makes a text this
category is the attempt being told as history: "my attempt", "attempted at 15", "when i was 14 i
took pills", "me quise matar hace años", "mi intento fue hace mucho".

Each pattern runs against the canonical text (flows/risk/normalise.py): lower case, no accents,
single spaces, contractions expanded ("i do not want to"), "." for punctuation.  Both languages'
groups always run (people mix languages).
"""

from __future__ import annotations

from flows.levels import Level
from flows.risk.categories import PAST_ATTEMPT
from flows.risk.lexicon import Group, rules

C = Level.CONCERN

# When the attempt was: long enough ago to be history.
_PAST_EN = (
    r"(?:(?:a |one |two |three |four |five |six |\d+ |a few |few |several |many |some )?years? ago"
    r"|(?:a )?long time ago|a while (?:ago|back)|when i was (?:\d+|a kid|younger|little|in"
    r" \w+|(?:twelve|thirteen|fourteen|fifteen|sixteen|seventeen))|at (?:age )?\d+|back in"
    r" (?:high school|middle school|school|\d+|the day)|in (?:\d+th|\w+th|\d+st|\d+nd|\d+rd)"
    r" grade|last year|in (?:my|the) (?:last|old|previous) (?:placement|foster home|home|school"
    r"|facility)|at my (?:last|old) (?:placement|foster home|school)|as a (?:kid|teen|teenager))"
)
_PAST_ES = (
    r"(?:hace (?:<w>){0,2}(?:anos|ano|mucho|tiempo|rato)|el ano (?:pasado|antepasado)|cuando"
    r" (?:tenia|era) (?:\d+|nin[oa]|chic[oa]|morr[oa]|adolescente|mas chic[oa])|de (?:morro|morra"
    r"|chic[oa]|nin[oa]|joven|adolescente|chamac[oa]|pequen[oa])|en (?:el )?(?:\d{4}|la secu"
    r"|la prepa)|del \d{4}|antes de (?:llegar|entrar|venir))"
)

# fmt: off
EN: list[Group] = [
    *rules(
        "en", PAST_ATTEMPT, C,
        r"(?:my|an|the|after|from|for|of|since|about|last|old|previous|past|suicide)"
        r" (?:<w>)?(?:suicide )?attempts?(?! (?:at|to|on|in (?:the|my) (?:test|exam|game|race)))"
        r"(?! (?:at|on) (?:the|a|my) )",
        r"(?:i|have|had|she|he) (?:<w>)?attempted(?! (?:to|the|a|an|it|my|this|that|every))",
        r"attempted (?:suicide|before|at \d+|when|in|a few|years|once|twice)",
        r"(?:tried|tried to kill myself|tried to end it|tried to end my life|took pills|took a"
        r" bunch of pills|overdosed|od) (?:<w>){0,3}" + _PAST_EN,
        _PAST_EN + r" (?:<w>){0,4}(?:i )?(?:attempted|tried to (?:kill|end|take)|took (?:<w>){0,2}"
        r"pills|overdosed|swallowed)",
        r"(?:took|swallowed|overdosed on) (?:<w>){0,3}pills (?:back )?(?:in|when|at|years)",
        r"(?:icu|er|hospital|psych ward|psych hospital|psych unit|hospitalized) (?:<w>){0,3}"
        r"(?:after|for|because of) (?:taking (?:<w>)?pills|an attempt|my attempt|the attempt"
        r"|an overdose|my overdose|overdosing|trying to (?:kill|end))",
        r"(?:glad|happy|thankful|grateful) (?:<w>){0,2}(?:attempt|it) did not work",
        r"(?:survived|survivor of) (?:<w>)?(?:an |my |a )?(?:attempt|suicide attempt|overdose)",
    ),
]

ES: list[Group] = [
    *rules(
        "es", PAST_ATTEMPT, C,
        r"(?:mi|un|el|del|su|ultimo|primer|segundo) (?:<w>)?intento(?! de (?:examen|entrar"
        r"|trabajo|llamar|hablar|estudiar|aprender))(?! (?:de|por|en) (?:la|el) (?:escuela"
        r"|examen|prueba|trabajo))",
        r"intento de (?:suicidio|quitarme la vida|matarme)",
        r"(?:lo )?intent(?:e|o|amos) (?:<w>){0,2}" + _PAST_ES,
        _PAST_ES + r" (?:<w>){0,4}(?:lo intente|intente (?:matarme|quitarme|suicidarme|ahorcarme)"
        r"|me quise (?:matar|morir|suicidar|quitar la vida|ahorcar|colgar)|me tome (?:<w>){0,3}"
        r"(?:pastillas|veneno|cloro|raticida))",
        r"(?:me quise (?:matar|morir|suicidar|quitar la vida|ahorcar|colgar)|me tome (?:<w>){0,3}"
        r"(?:veneno|cloro|raticida)|lo intente|intente (?:matarme|quitarme la vida|suicidarme))"
        r" (?:<w>){0,4}" + _PAST_ES,
        r"(?:morirme|matarme|morir) e intentarlo",
        r"(?:me tome|tome) (?:<w>)?(?:un |el )?veneno",
        r"(?:sobrevivi|sobreviviente de) (?:<w>)?(?:un |mi )?(?:intento|sobredosis)",
    ),
]
# fmt: on
