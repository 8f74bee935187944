"""Not eating or not sleeping for days; panic attacks.  Concern in the rubric (it was watch).

One short night ("got 4 hours of sleep last night studying") is not the signal; nights and days
without sleep or food, a lost appetite, and panic attacks are.

Each pattern runs against the canonical text (flows/risk/normalise.py): lower case, no accents,
single spaces, contractions expanded ("i do not want to"), "." for punctuation.  Both languages'
groups always run (people mix languages).
"""

from __future__ import annotations

from flows.levels import Level
from flows.risk.categories import EAT_SLEEP
from flows.risk.lexicon import Group, rules

C = Level.CONCERN

# fmt: off
EN: list[Group] = [
    *rules(
        "en", EAT_SLEEP, C,
        r"(?:can not|could not|unable to|not able to|have not been able to|will not) (?:<w>)?"
        r"(?:sleep|eat|fall (?:back )?asleep|get (?:back )?to sleep|go to sleep|stay asleep"
        r"|keep (?:food|anything) down)(?! (?:in|till|until|on|with|at) (?:class|the|my|late"
        r"|noon|weekends?))(?!(?: \w+){0,4} (?:excited|hyped|pumped|so hot|too hot|the heat))",
        r"(?:have not|had not|did not|not) (?:<w>)?(?:slept|eaten|ate|been sleeping|been eating"
        r"|sleeping|eating)(?! (?:meat|pork|sugar|out|fast food|junk|dairy|breakfast yet|lunch"
        r" yet|yet))",
        r"not (?:eat|sleep) (?:much|anything|at all|anymore|enough|well)",
        r"no (?:sleep|appetite)",
        r"(?:not|never) hungry(?! (?:right now|rn|yet|because|cuz|cause|bc))",
        r"(?:appetite|hunger) (?:is )?(?:gone|went away|disappeared)|lost my appetite",
        r"(?:can not|could not) (?:breathe|catch my breath)(?! (?:lol|lmao|lmfao|haha\w*|jaja\w*"
        r"|from laughing|laughing|that is (?:so |too )?funny|i am dead))",
        r"(?:can not|could not) stop (?:having|getting) (?:<w>)?(?:panic|anxiety) attacks",
        r"(?:do not|can not) (?:remember|know) the last time i (?:slept|ate)",
        r"(?:idk|i do not know) the last time i (?:slept|ate)",
        negatable=False,
    ),
    *rules(
        "en", EAT_SLEEP, C,
        r"barely (?:eat|eating|ate|sleep|sleeping|slept)",
        r"skip(?:ped|ping|s)? (?:<w>){0,2}meals?",
        r"insomnia",
        r"(?:keep|kept|keeps) waking up (?:<w>){0,4}(?:every night|all night|at \d|sweating"
        r"|screaming|shaking)",
        r"up all night",
        r"panic(?:king)? attacks?|anxiety attacks?",
        r"(?:woke|wake|waking|wakes) up (?:<w>)?(?:in a panic|panicking|screaming|shaking|gasping"
        r"|sweating|in a sweat)",
        r"(?:heart|chest) (?:<w>){0,2}(?:racing|pounding|was racing|gets tight|got tight"
        r"|feels tight"
        r"|tightens|is tight)",
        r"(?:hours?|hrs?) (?:of sleep )?(?:a|per|each|every) night",
        r"(?:hours?|hrs?) no sleep|(?:days|nights) (?:with )?no sleep",
        r"(?:lie|lay|lying|laying) awake (?:<w>){0,3}(?:all night|every night|for hours)",
        r"(?:up|awake) (?:<w>)?every night (?:<w>)?(?:till|until|to) \d",
        r"(?:stopped|stop|quit) eating",
        r"(?:forget|forgetting|forgot) to eat",
        r"(?:give|gave|giving) (?:<w>)?my (?:trays?|food|meals?) away",
        r"(?:tastes|taste) like (?:cardboard|nothing|sand|paper)",
        r"surviving on (?:coffee|water|energy drinks|nothing)",
        r"(?:one|1|a single|maybe one) meal (?:since|in|all|this)",
        r"(?:a few|two|couple) bites",
        r"(?:can not|could not) (?:turn|shut) (?:my )?(?:brain|mind|head) off",
    ),
]

ES: list[Group] = [
    *rules(
        "es", EAT_SLEEP, C,
        r"no (?:puedo|pude|he podido|podia|logro|consigo) (?:<w>)?(?:dormir|comer|respirar"
        r"|pegar el ojo)",
        r"no (?:he|e|habia) (?:<w>)?(?:comido|dormido|probado bocado)",
        r"no (?:comi|dormi) (?:<w>)?(?:nada|ni|en|desde)",
        r"(?:casi|ya) no (?:como|duermo|estoy comiendo|estoy durmiendo|me da hambre)",
        r"no (?:duermo|como|estoy durmiendo|estoy comiendo) (?:nada|bien|casi nada|desde|ni)",
        r"sin (?:dormir|comer|pegar el ojo|probar bocado)",
        r"no tengo (?:<w>)?(?:hambre|apetito) (?:desde|hace|en)",
        r"no tengo (?:<w>)?apetito",
        r"no me (?:baja|entra|pasa) (?:nada|la comida|ni)",
        r"(?:ya )?no me da hambre",
        r"(?:ya )?no me (?:apetece|dan ganas de) (?:nada|comer)",
        negatable=False,
    ),
    *rules(
        "es", EAT_SLEEP, C,
        r"insomnio",
        # "no he tenido ataques": the negator must see the verb ("he" ends a clause in screen.py)
        r"(?<!tenido )(?<!tener )ataques? de (?:panico|ansiedad|nervios)",
        r"(?:he|ha|has|hemos) (?:<w>)?(?:tenido|vuelto a tener) (?:<w>)?ataques? de (?:panico"
        r"|ansiedad|nervios)",
        r"(?:tener|tengo|tuve|tiene) (?:<w>)?(?:un |otro )?ataques? de (?:panico|ansiedad"
        r"|nervios)",
        r"me (?:da|dan|dio|dieron) (?:<w>)?(?:ataques|panico|un ataque)",
        r"(?:siento que me ahogo|me (?:falta|faltaba) el aire|se me cierra el pecho|el pecho se me"
        r" cierra)",
        r"(?:el corazon|me late el corazon) (?:<w>){0,3}(?:acelera|bien rapido|muy rapido|a mil)",
        r"me salto (?:<w>)?(?:las |todas las )?comidas",
        r"(?:vomito|devuelvo) (?:<w>)?todo lo que como",
        r"(?:dejo|dejando) (?:<w>)?(?:la bandeja|el plato|la charola) (?:<w>)?(?:entera|lleno)",
        r"(?:viendo|mirando) el techo (?:<w>)?toda la noche",
        r"me despierto (?:<w>){0,4}y ya no me (?:duermo|puedo dormir)",
        r"me despierto a cada rato",
        r"a puro (?:cafe|agua|refresco)",
        r"(?:me la paso|paso) despierto (?:<w>){0,2}(?:toda la noche|hasta las)",
    ),
]
# fmt: on
