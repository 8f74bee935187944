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

# One night's nerves before a named event ("can't sleep before my court date", "no puedo dormir
# por los nervios del examen") is ordinary stress; days or nights of it are not.
_EVENT = (
    r"(?:court|court date|hearing|exam|test|final|finals|interview|trip|flight|game|match|first"
    r" day|big day|tomorrow|the move|my birthday|christmas|audiencia|examen|entrevista|viaje"
    r"|partido|manana|primer dia|cumpleanos|navidad|juicio)"
)
# A baby, a party or a storm keeping someone up is a night, not a sign.
_NIGHT_CAUSE = (
    r"(?!(?: \S+){0,5} (?:baby|the baby|teething|newborn|neighbors?|party|storm|thunder|the game"
    r"|gaming|finals))"
)
_ONE_NIGHT_EN = (
    r"(?!(?: (?!days|nights|weeks)\S+){0,2} (?:before|because of|bc of|for|about|thinking about)"
    r" (?:my |the |tomorrow s |this |our )?" + _EVENT + ")"
)
_ONE_NIGHT_ES = (
    r"(?!(?: (?!dias|noches|semanas)\S+){0,2} (?:antes de|por|pensando en) (?:los nervios de"
    r" |los nervios del |el |la |mi |lo de |lo del )?(?:el |la |mi )?" + _EVENT + ")"
)

# fmt: off
EN: list[Group] = [
    *rules(
        "en", EAT_SLEEP, C,
        r"(?:can not|could not|unable to|not able to|have not been able to|will not) (?:<w>)?"
        r"(?:sleep|eat|fall (?:back )?asleep|get (?:back )?to sleep|go to sleep|stay asleep"
        r"|keep (?:food|anything) down)(?! (?:in|till|until|on|with|at) (?:class|the|my|late"
        r"|noon|weekends?))(?!(?: \w+){0,4} (?:excited|hyped|pumped|so hot|too hot|the heat"
        r"|heat|no ac|the ac"
        r"|the noise|snoring|mosquitos|coffee|caffeine))"
        + _ONE_NIGHT_EN,
        r"(?:have not|had not|did not|not) (?:<w>)?(?:slept|eaten|ate|been sleeping|been eating"
        r"|sleeping|eating)(?! (?:meat|pork|sugar|out|fast food|junk|dairy|breakfast yet|lunch"
        r" yet|yet|since (?:breakfast|lunch|this morning|noon|yesterday)|today|all day|yet today))",
        r"not (?:eat|sleep) (?:much|anything|at all|anymore|enough|well)",
        r"no (?:sleep|appetite)",
        r"(?<!was )(?<!were )(?:not|never) hungry(?! (?:right now|rn|yet|because|cuz|cause|bc"
        r"|today|tonight|this morning|at (?:lunch|dinner|breakfast)|for (?:lunch|dinner"
        r"|breakfast)))",
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
        r"barely (?:eat|eating|ate|sleep|sleeping|slept)" + _NIGHT_CAUSE,
        r"skip(?:ped|ping|s)? (?:<w>){0,2}meals?",
        r"insomnia",
        r"(?:keep|kept|keeps) waking up (?:<w>){0,4}(?:every night|all night|at \d|sweating"
        r"|screaming|shaking)",
        r"up all night(?!(?: \S+){0,3} (?:gaming|playing|partying|watching|studying|talking"
        r"|texting|with my|celebrating|cramming|working on|laughing|at the|on the phone|teething"
        r"|with the baby))",
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
    *rules(
        "en", EAT_SLEEP, C,
        # amount x persistence: "eating once a day for a week", "2 hours a night", "stopped
        # sleeping", "hiding my food", "throw up everything i eat"
        r"(?:stopped|stop|quit) (?:<w>)?sleeping",
        r"(?:eating|eat|ate) (?:<w>)?(?:once a day|one meal a day|one time a day|1 meal a day)",
        r"(?:nightmares|night terrors|flashbacks) (?:<w>){0,2}(?:every|each|all) (?:single )?night",
        r"(?:only|barely|maybe|like|just) (?:eat|eating|ate|sleep|sleeping|slept|get|getting|got)"
        r" (?:<w>){0,2}(?:once a day|one meal a day|one meal|an hour|1 hour|two hours|2 hours"
        r"|three hours|3 hours|\d+ hrs?|a couple (?:of )?hours|a few hours|crackers|ramen)",
        r"(?:days|nights|weeks) (?:<w>){0,3}(?:without|with no|with barely) (?:<w>)?(?:sleep"
        r"|sleeping|eating|food|a real meal|meals|a meal)",
        r"(?:hiding|hide|hid|throw|throwing|threw|toss|tossing|tossed|flush|flushing|flushed|dump"
        r"|dumping|dumped) (?:away |out )?(?:<w>){0,2}(?:my )?(?:food|meals|trays?|dinner|lunch"
        r"|breakfast) (?:<w>){0,4}(?:so|before|when|every|again|nobody|no one)",
        r"(?:throw|throwing|threw|puke|puking|puked) up (?:<w>){0,3}(?:everything|all|whatever) i"
        r" (?:eat|ate)|(?:make|made|making) myself (?:throw up|puke|sick)",
        r"(?:have not|had not|did not|do not) (?:<w>)?(?:eat|eaten|slept|sleep) (?:<w>){0,3}(?:in"
        r" days|for days|since (?!breakfast|lunch|this morning|noon|dinner|earlier)|in a week"
        r"|all week|in \d+ days|in two days|in three days)",
        negatable=False,
    ),
    *rules(
        "en", EAT_SLEEP, C,
        r"(?:have not|had not|not|never) (?:<w>)?had (?:an |any |much of an |much )?appetite",
        r"(?:sleep|sleeping|slept|eat|eating|ate) (?:<w>)?(?:barely|hardly|almost) (?:anything"
        r"|at all|nothing)",
        negatable=False,
    ),
    *rules(
        "en", EAT_SLEEP, C,
        r"(?:up|awake) (?:till|until|to|til) (?:like )?\d+ (?:am )?(?:<w>){0,2}(?:every|each|most)"
        r" night",
        r"skip(?:ped|ping|s)? (?:<w>){0,2}(?:meals?|breakfast|lunch|dinner|eating|food|chow|trays?)"
        r" (?:<w>){0,3}(?:for (?:like )?(?:a|two|three|\d+|days|weeks)|every day|all week|most days"
        r"|lately)",
        r"(?:mind|brain|head|thoughts) (?:<w>)?(?:races|racing|race|spins|spinning|will not (?:stop"
        r"|shut up|turn off)) (?:<w>){0,6}(?:can not|cant) (?:sleep|turn it off|shut it off|stop"
        r" it|fall asleep)",
        r"(?:throw|throwing|threw|puke|puking|puked) up (?:<w>){0,2}(?:after|when|whenever|every"
        r" time) i (?:eat|ate)",
        r"(?:lost|losing|dropped|down) (?:like |about |almost |over )?(?:\d+|a lot of|so much|\w+)"
        r" (?:pounds|lbs|kilos|kg|weight) (?:<w>){0,5}(?:since|cause|because|from not|not eating"
        r"|do not eat|without trying|in a (?:month|week|few weeks))"
        r"(?!(?: \S+){0,5} (?:gym|diet|working out|workout|running|training|eating healthy"
        r"|lifting))",
        r"(?:sleep|sleeping|slept) (?:like |about |almost )?(?:1[2-9]|2\d|all day|the whole day|all"
        r" the time) (?:hours )?(?:a day|every day|and still|most days)",
    ),
    *rules(
        "en", EAT_SLEEP, C,
        r"(?:heart|chest) (?:<w>){0,2}(?:will not|wont|won t) (?:slow down|stop (?:racing"
        r"|pounding))",
        r"(?:can not|could not) stop (?:shaking|trembling|crying and shaking)",
        r"(?:sleep|sleeping|slept|get|getting|got) (?:like |maybe |only |barely |about )?(?:\d+"
        r"|one|two|three|a couple|a few)(?: \d+)? (?:hours?|hrs?) (?:<w>)?(?:tops|max|at most|a"
        r" night|per night|every night)",
        negatable=False,
    ),
    *rules(
        "en", EAT_SLEEP, C,
        # negatable: "no im not starving myself, i just ate"
        r"(?:starving|starve|starved) myself|(?:stopped|stop) eating on purpose",
    ),
]

ES: list[Group] = [
    *rules(
        "es", EAT_SLEEP, C,
        r"no (?:puedo|pude|he podido|podia|logro|consigo) (?:<w>)?(?:dormir|comer|respirar"
        r"|pegar el ojo)" + _ONE_NIGHT_ES,
        r"no (?:he|e|habia) (?:<w>)?(?:comido|dormido|probado bocado)(?!(?: \S+){0,5} (?:ayuno"
        r"|ayunando|comulgar|la misa|analisis|cirugia|operacion))",
        r"no (?:comi|dormi) (?:<w>)?(?:nada|ni|en|desde)",
        r"(?:casi|ya) no (?:como|duermo|estoy comiendo|estoy durmiendo|me da hambre)",
        r"no (?:duermo|como|estoy durmiendo|estoy comiendo) (?:nada|bien|casi nada|desde|ni)",
        r"sin (?:dormir|comer|pegar el ojo|probar bocado)",
        r"no tengo (?:<w>)?(?:hambre|apetito) (?:desde|hace|en)",
        r"no tengo (?:<w>)?apetito",
        # "no me pasa nada" is "nothing is wrong with me"
        r"no me (?:baja|entra) (?:nada|la comida|ni)", r"no me pasa (?:la comida|ni)",
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
    *rules(
        "es", EAT_SLEEP, C,
        r"(?:no|sin) (?:he )?(?:pego|pegado|pegar|pegue) (?:un |el )?ojo",
        r"(?:hace|llevo|van|ya van|tengo) (?:<w>){0,3}(?:dias|semanas|noches) (?:<w>){0,3}(?:que )?"
        r"(?:no|sin|solo|apenas|casi no) (?:<w>)?(?:duermo|como|dormir|comer|tomo agua|pego"
        r"|comiendo|durmiendo|probar)",
        r"(?:comiendo|como|comi) (?:<w>)?una (?:sola )?(?:vez|comida) al dia",
        r"(?:solo|apenas|nomas|nada mas|no mas de|maximo|si acaso) (?:<w>){0,2}(?:una vez al dia"
        r"|una comida al dia|dos horas|una hora|1 hora|2 horas|3 horas|tres horas|un par de horas"
        r"|pura agua|puro cafe|agua)",
        r"no duermo mas de (?:<w>)?(?:horas?|\w+ horas)",
        r"(?:escondo|escondi|tiro|tire|regalo|boto|bote|echo) (?:<w>){0,2}(?:la comida|mi comida"
        r"|el plato|la charola|la bandeja|mis comidas)",
        r"(?:lo vomito|vomito todo|me hago vomitar|me provoco (?:el )?vomito|me meto los dedos)",
        r"(?:para|pa) que no (?:vean|se den cuenta|sepan) (?:<w>)?que no (?:como|duermo)",
        r"(?:pesadillas|flashbacks) (?:<w>){0,2}(?:todas las noches|cada noche|diario)",
        negatable=False,
    ),
    *rules(
        "es", EAT_SLEEP, C,
        r"(?:duermo|como|dormi|comi|he dormido|he comido|estoy durmiendo|estoy comiendo|ando"
        r" durmiendo|ando comiendo) (?:<w>)?(?:muy poco|casi nada|poquito|bien poco|re poco)",
        negatable=False,
    ),
    *rules(
        "es", EAT_SLEEP, C,
        r"me despierto (?:<w>){0,4}(?:todas las noches|cada noche|diario|a cada rato"
        r"|toda la noche)",
        r"se me (?:cierra|cerro|aprieta) (?:la garganta|el pecho)",
        negatable=False,
    ),
    *rules(
        "es", EAT_SLEEP, C,
        r"se me (?:quito|fue|acabo) (?:el |todo el )?(?:hambre|apetito) (?:desde|hace|por completo"
        r"|del todo|y ya no|ya no)",
        r"ya ni (?:como|duermo)",
        r"(?:baje|bajado|he bajado|perdi|he perdido|bajando|bajo) (?:<w>){0,2}(?:kilos|de peso|peso"
        r"|libras) (?:<w>){0,4}(?:porque no como|sin querer|en un mes|en dos semanas|desde que|de"
        r" no comer|por no comer)(?!(?: \S+){0,5} (?:dieta|gym|gimnasio|ejercicio|correr))",
    ),
    *rules(
        "es", EAT_SLEEP, C,
        r"(?:dejo|deje|dejando|dejar) de comer a proposito|no como a proposito",
        r"(?:me voy a desmayar|siento que me desmayo|me tiemblan (?:las manos|todo)|no paro de"
        r" temblar) (?:<w>){0,4}(?:nervios|ansiedad|panico|miedo|cada|todo el tiempo|diario)?",
        r"duermo a ratitos|duermo a ratos|(?:una|dos|tres) horas (?:<w>)?(?:por|cada) noche",
        negatable=False,
    ),
    *rules(
        "es", EAT_SLEEP, C,
        # the whole reply: "no como", "ya no duermo nada"
        r"^(?:ya )?(?:casi )?no (?:como|duermo)(?: nada| bien| casi nada| ya)?(?=(?: \.)*$)",
        negatable=False,
    ),
]
# fmt: on
