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
        r"(?<!say i am )(?<!say that i am )hopeless", r"why (?:even )?bother", r"done trying",
        r"can not (?:do this|take (?:it|this)|handle (?:it|this)) (?:anymore|no more)",
        # emptiness, numbness, worthlessness, self-hatred
        r"(?:feel|feels|feeling|felt|am|i am|so|just|been|always|all) (?:<w>){0,2}(?:empty|numb"
        r"|worthless|invisible|useless|broken|dead inside|hollow|like (?:a |an )?(?:<w>)?(?:ghost"
        r"|failure"
        r"|burden|mistake|waste|nothing|nobody|zero|loser|disappointment|shell))",
        r"(?:empty|numb|dead|hollow) inside",
        r"waste of (?:space|air|oxygen|a life|life|skin)",
        r"(?:not having|without having|so they do not have|so no one has) to (?:deal with|take care"
        r" of|worry about|put up with) me",
        r"(?:have no|do not have any|have zero|not a single|got no) friends(?! (?:here )?yet)",
        r"(?:always|all) (?:by myself|alone)(?! (?:at|in) (?:the|my) (?:gym|library|room) (?:<w>)?"
        r"(?:studying|working))",
        r"(?:i am|im|i feel like|i feel like i am) (?:<w>)?(?:a |an |just a |such a |the )?"
        r"(?:failure|burden|garbage|trash|waste of space|waste|nothing|nobody|disappointment"
        r"|mistake|problem|loser|piece of shit|joke|mess)\b(?! (?:at|with|in) (?:math|cooking"
        r"|school|sports|texting|this game))",
        r"(?:i )?hate (?:<w>){0,2}(?:myself|my ?self|who i am|what i am|what i have become|my life"
        r"|being me|everything about me)",
        r"(?:can not|could not) stand (?:myself|my ?self|being me|who i am|looking at myself)",
        r"(?:disgusted|sick) (?:with|of) myself",
        r"(?:i )?(?:ruin|ruins|mess up|messes up|screw up|wreck) everything",
        r"always the problem",
        r"(?:a |just a |such a )?burden (?:on|to|for) (?:everyone|everybody|my|them|her|him|you"
        r"|people|the)",
        r"(?:nobody|no one) (?:<w>)?(?:wants|loves|likes|cares about|would (?:ever )?(?:want|love))"
        r" (?:me|someone like me)",
        r"(?:no wonder|of course) (?:nobody|no one)",
        r"(?:nothing|none of it) (?:<w>)?matters",
        r"(?:whole |my )?life is (?:<w>)?(?:a mess|a joke|falling apart|over|ruined|a waste"
        r"|meaningless|pointless|empty|garbage|trash|hell)",
        r"(?:everything|my life|my whole life|it all|things) (?:<w>){0,2}(?:falling apart|fell"
        r" apart|coming apart|crashing down|going to hell|a mess)",
        r"(?:rock|hit|hitting|at) bottom",
        r"(?:nervous |mental |complete |full )?(?:breakdown|meltdown)",
        r"(?:falling|fell) apart",
        r"drowning(?! in (?:homework|work|laundry|paperwork|bills))",
        r"(?:nothing|no one|nobody) left(?! (?:in the|to do|on my plate))",
        r"got nothing left|have nothing left",
        r"(?:can not|do not) see (?:<w>)?(?:a |any )?(?:future|way out|point|light)",
        r"no future",
        r"(?:cry|crying|cried) (?:<w>)?(?:every|each|all) (?:night|day|the time)",
        r"(?:every|each) day is (?:<w>)?the same",
        r"(?:everything|it) (?:is|feels|has been) (?:<w>)?(?:dark|gray|grey|pointless|meaningless"
        r"|empty|heavy)",
        r"(?:pointless|meaningless)",
        r"(?:tired|sick) of (?:trying|fighting|everything|being me|feeling like this)",
        r"nothing ever (?:works|goes|turns) (?:out|right|my way)",
        r"used to have (?:dreams|hope|goals|plans)",
        r"(?:recognize|know) (?:<w>)?(?:myself|who i am) anymore",
        r"(?:so |really |very |always |super )?(?:lonely|alone) (?:<w>){0,3}(?:it hurts|all the"
        r" time|every day|even with|even when|always|forever|for months|in this world)",
        r"(?:so |really |very |super |always |constantly )lonely",
        r"(?:have|got) (?:nobody|no one)(?: at all)?(?= \.|$| to talk| in my life| here| anymore)",
        r"(?:eat|sit|am) alone every (?:day|night|single day)",
        r"(?:i am|i feel|feel) so (?:lost|alone|empty|low)",
        r"(?:i am|feel|feeling|been|so|really|think i am|my) (?:<w>)?(?:depressed|depression)",
        r"(?:so |really |very )?(?:low|down) for (?:weeks|months|a long time|days)",
        r"(?:i am|feel|feeling) (?:<w>)?(?:stupid|ugly|worthless) and (?:stupid|ugly|worthless"
        r"|useless)",
        r"(?:i am|im) (?:so )?(?:ugly|stupid|disgusting|pathetic)(?= \.|$|,| and| no wonder)",
    ),
    *rules(
        "en", HOPELESS, C,
        r"no point\b(?! in (?:asking|worrying))", r"no hope",
        r"nothing (?:<w>){0,2}(?:get|gets|getting) better",
        r"nothing (?:<w>){0,4}change[sd]?",
        r"never (?:going to )?(?:get|be|gets) better",
        r"(?:do not|can not|does not) feel (?:<w>)?(?:anything|nothing|a thing)(?! (?:for|about)"
        r" (?:him|her|them|it|that|this))",
        r"(?:not|no longer|never) (?:<w>)?(?:okay|ok|alright) (?:anymore|at all|for a long time)",
        r"i am not okay\b(?= \.|$)",
        r"(?:do not|can not) (?:have|see) (?:any )?(?:dreams|hope|future)(?: for (?:myself|me))?"
        r" anymore",
        r"i do not (?:<w>)?anymore(?= \.|$)",
        negatable=False,
    ),
]

ES: list[Group] = [
    *rules(
        "es", HOPELESS, C,
        r"me (?:doy|di|he dado) por vencid[oa]", r"(?:ya )?me rendi", r"me rindo",
        r"para que (?:sigo|seguir|intento|intentar|lo intento|me esfuerzo)",
        r"sin esperanza",
        r"me siento (?:<w>){0,2}(?:vaci[oa]|inutil|un estorbo|una carga|como un estorbo|como una"
        r" carga|un fracaso|como un fracaso|nada|sol[oa]|perdid[oa]|muert[oa] por dentro"
        r"|hech[oa] mierda|de la verga|una basura|un problema|como un cero)",
        r"(?:soy|siento que soy|me siento como) (?:<w>)?(?:una|un) (?:carga|estorbo|basura|fracaso"
        r"|cero a la izquierda|problema|inutil|mierda|error|desastre|perdedor\w*|nadie)",
        r"(?:no|ni) (?:valgo|sirvo) (?:<w>)?(?:pa|para)? ?nada",
        r"(?:que )?no valgo nada|no sirvo (?:pa|para) nada",
        r"no me (?:soporto|aguanto ni yo|trago)|me odio|odio (?:<w>)?(?:quien soy|lo que soy"
        r"|mi vida|como soy|ser yo)",
        r"me (?:doy|da) asco(?: (?:yo mism[oa]|de mi))?",
        r"(?:un|el) (?:hueco|vacio) (?:<w>)?(?:en el pecho|por dentro|que no se va)",
        r"(?:solo|puro) vacio|vaci[oa] por dentro|me siento vaci[oa]|sintiendome vaci[oa]",
        r"(?:todo|ya todo) (?:me )?da igual",
        r"ya no me importa nada|nada me importa|no me importa nada",
        r"(?:toque|tocando|toco|he tocado) fondo|fondo del pozo",
        r"no veo (?:<w>)?(?:salida|futuro|la luz)",
        r"(?:ya )?no (?:hay|tengo) (?:<w>)?futuro",
        r"(?:lo|ya lo) perdi todo",
        r"(?:todo|mi vida) (?:<w>){0,2}(?:se derrumba|se esta derrumbando|se cae a pedazos|se esta"
        r" cayendo a pedazos|se viene abajo|se me viene encima|se desmorona|es un desastre"
        r"|es un fracaso)",
        r"no puedo mas con (?:mi vida|todo|esto)",
        r"(?:estoy|me siento) (?:<w>)?(?:hech[oa] mierda|destrozad[oa]|rot[oa]|quebrad[oa]"
        r"|deprimid[oa]) (?:<w>)?(?:por dentro|todo el tiempo|desde hace|hace)?",
        r"(?:me quebre|me derrumbe|me vine abajo|me quebre)",
        r"(?:estoy|ando|me siento|tengo|sigo|con mi) (?:<w>)?(?:deprimid[oa]|depresion)",
        r"(?:un )?fracaso tras otro",
        r"siempre me quedo sol[oa]|todos se van",
        r"(?:mejor|mejor estarian) sin tener que (?:cargar|lidiar) conmigo",
        r"(?:ya )?no tengo (?:<w>)?esperanza",
        r"(?:para|pa) que me hago ilusiones",
        r"nunca voy a salir de (?:esto|aqui|este hoyo)",
        r"no creo en nada",
        r"(?:llevo|hace) (?:<w>){0,2}(?:meses|semanas|anos) (?:<w>){0,2}(?:sintiendome|sin sentir"
        r"|que no siento|asi|llorando|triste)",
        r"todos se cansan de mi",
        r"(?:lloro|llorar|llorando) (?:<w>)?(?:todas las noches|todos los dias|todo el tiempo"
        r"|cada noche)",
        r"no (?:podia|puedo) (?:dejar de|parar de) llorar",
    ),
    *rules(
        "es", HOPELESS, C,
        r"no tiene sentido", r"no le veo (?:el |ningun )?sentido",
        r"ya no (?:puedo|aguanto) mas", r"ya no aguanto",
        r"no hay esperanza", r"nada (?:<w>){0,2}(?:mejorar|cambiar|mejora|cambia)",
        r"ya no tiene caso",
        r"(?:ya )?no siento (?:<w>)?nada(?! (?:por|de) (?:el|ella|ellos))",
        r"(?:ya )?no puedo mas\b(?! (?:con (?:la|el|las|los) (?:tarea|examen|escuela|trabajo"
        r"|calor|frio)))",
        r"(?:ya )?no me queda nada",
        negatable=False,
    ),
]
# fmt: on
