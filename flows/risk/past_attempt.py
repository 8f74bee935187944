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
    *rules(
        "en", PAST_ATTEMPT, C,
        # "tried" with no object is an attempt when told as a count or a time ("the last time i
        # tried", "since i tried", "i tried once, when my dad left")
        r"(?:last|first|only|second|third) time i (?:tried|attempted)(?= \.|$| was| in| at| when"
        r"| before| after| i was)",
        r"(?:years?|months|yrs) since i (?:tried|attempted)(?= \.|$|,| and| but)",
        r"i (?:tried|attempted) (?:once|twice|two times|three times|a few times|more than once)"
        r"(?= \.|$| when| before| after| in| at| back| but| and)",
        r"(?:od|odd|oded|ode|overdosed|took (?:<w>){0,3}pills|swallowed (?:<w>){0,3}pills|hung"
        r" myself|tried hanging myself) on purpose",
        r"(?:tried|tried to|attempted to) (?:kill myself|end (?:it|my life|things)"
        r"|take my (?:own )?"
        r"life|hang myself|overdose|od) (?:<w>){0,3}(?:before|twice|three times|a few times|more"
        r" than once|once|in the past)",
        r"history of (?:<w>)?(?:suicide attempts|attempts|suicidal|overdoses|self harm)",
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
    *rules(
        "es", PAST_ATTEMPT, C,
        r"(?:intente|intento|habia intentado|he intentado) (?:<w>)?(?:matarme|quitarme la vida"
        r"|suicidarme|ahorcarme|morirme) (?:<w>){0,3}(?:antes|una vez|dos veces|varias veces"
        r"|alguna vez|en el pasado)",
        r"(?:internad[oa]|hospitalizad[oa]|en el hospital|en el psiquiatrico) (?:<w>){0,3}(?:por"
        r"|despues de) (?:intentar|tomarme|un intento|la sobredosis|cortarme|querer matarme)",
    ),
    *rules(
        "es", PAST_ATTEMPT, C,
        # "ya lo intente dos veces" is an attempt only next to what was tried or its thoughts
        r"(?:ya )?lo (?:intente|habia intentado|he intentado) (?:<w>)?(?:una vez|dos veces|tres"
        r" veces|varias veces|antes)",
        needs=r"matar\w*|morir\w*|quitarme|suicid\w*|pastillas|cortar\w*|ahorcar\w*|(?:ya )?no"
        r" pienso en eso|las ganas|la vida",
    ),
]
# fmt: on
