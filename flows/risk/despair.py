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


# Concept x frame.  A first-person FEEL frame ("i feel", "been", "always", "me siento", "ando")
# followed by a STATE of despair, and HOPE frames whose negation IS the signal ("i don't see it
# ever getting better", "stopped believing").  Words that are everyday tiredness or a trivial
# complaint ("drained", "stuck in traffic", "lost in this class") are left out of the STATE on
# purpose; feeling "like garbage" next to a cold or a hangover is illness, not despair.
_STATE_EN = (
    r"(?:hopeless|worthless|useless|invisible|forgotten|abandoned|unwanted|unloved|unlovable"
    r"|isolated|trapped|defeated|hollow|miserable|empty inside|dead inside|numb inside"
    r"|like (?:a |an |complete |total |straight |such a )?(?:garbage|trash|nothing|nobody|ghost"
    r"|failure|burden|mistake|waste|loser|disappointment|shell|zero|joke|piece of (?:shit|crap"
    r"|garbage|trash)|dirt|a nobody)"
    r"|like i (?:do not|dont|never) (?:exist|matter|belong)|like i am (?:invisible|nothing"
    r"|nobody|drowning|sinking|disappearing|fading)|like (?:nobody|no one|nothin) (?:cares|would"
    r" notice|would care|sees me|wants me|remembers me))"
)
_ILLNESS = (
    r"(?!(?: \S+){0,6} (?:cold|flu|sick|fever|covid|throat|stomach|headache|cramps|hungover"
    r"|hangover|migraine|allergies|food poisoning|resfriado|gripa|gripe|fiebre|cruda|resaca))"
)
# A trivial object right after the complaint: "ya no aguanto el calor", "this class is pointless".
_TRIVIAL_ES = (
    r"(?!(?: \S+){0,4} (?:calor|frio|sueno|trafico|ruido|olor|comezon|muela|dolor de|tarea"
    r"|examen|la risa|de risa|ganas de (?:ir|ver|comer|que llegue)|la cocina|cocinar|mate"
    r"|matematicas|futbol|bailar|jaja\w*|xd))"
)
_TRIVIAL_EN = (
    r"(?<!class is )(?<!class is so )(?<!homework is )(?<!meeting is )(?<!game is )(?<!it is )"
    r"(?<!it is so )(?<!that is )(?<!that is so )"
)
# Grief for someone who died is not despair: "a hole in my heart since grandma passed".
_GRIEF = (
    r"(?!(?: \S+){0,8} (?:died|passed|passing|funeral|rip|murio|fallecio|se fue al cielo"
    r"|velorio|entierro))"
)
_STATE_ES = (
    r"(?:vaci[oa]|inutil|invisible|olvidad[oa]|abandonad[oa]|hundid[oa]|atrapad[oa]"
    r"|derrotad[oa]|destrozad[oa]|muert[oa] en vida|como (?:una |un )?(?:basura|nada|cero"
    r"|estorbo|carga|fracaso|mierda|trapo|fantasma|nadie)|como si no (?:existiera|importara"
    r"|valiera nada)|en el piso(?! (?:de|del|nuevo|de arriba|\d))|en el hoyo|en el pozo"
    r"|en la lona|peor que nunca|cada (?:vez|dia"
    r"|semana) peor)"
)

# fmt: off
EN: list[Group] = [
    *rules(
        "en", HOPELESS, C,
        r"what is (?:<w>)?the (?:point|use)(?! of (?:this (?:class|meeting|homework|app)|the"
        r" (?:meeting|homework|class)))",
        r"(?:give|giving|gave|given) up(?! (?:smoking|drinking|drugs|sugar|soda|meat|my \w+"
        r"|\w+ing))",
        r"(?<!say i am )(?<!say that i am )hopeless", r"why (?:even )?bother", r"done trying",
        r"can not (?:do this|take (?:it|this)|handle (?:it|this)) (?:anymore|no more)",
        # emptiness, numbness, worthlessness, self-hatred
        # a house or a room that feels empty is a place, not a person
        r"(?<!house )(?<!room )(?<!place )(?<!fridge )(?<!apartment )(?<!home )(?<!bed )"
        # ("empty after finals week" is a tired brain)
        r"(?!\w+ (?:\w+ ){0,2}(?:empty|numb) (?:after|from) (?:<w>)?(?:finals|exams?|tests?|the"
        r" game|the party|the trip|the holidays|christmas|work|practice|the gym))"
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
        r"|school|sports|texting|this game))" + _ILLNESS,
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
        r"(?:everything|it all|life|my life) (?:is|feels|has been) (?:<w>)?(?:dark|gray|grey"
        r"|pointless|meaningless"
        r"|empty|heavy)",
        _TRIVIAL_EN + r"(?:pointless|meaningless)(?! (?:class|meeting|homework|assignment|argument"
        r"|game|show|movie|rule|rules|paperwork))",
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
    *rules(
        "en", HOPELESS, C,
        r"(?:i|i am|feel|feels|feeling|felt|been|always|just|so|lately|constantly) (?:<w>){0,2}"
        + _STATE_EN + _ILLNESS,
        r"(?:nobody|no one|not one person|noone) (?:ever |even )?(?:writes|writes me|visits|visits"
        r" me|comes to see me|checks on me|asks about me|remembers me|misses me|would miss me"
        r"|would notice|would even notice|calls me anymore|calls anymore)",
        r"(?:days|weeks|months|years) (?:<w>)?without (?:<w>){0,2}(?:conversation|visit|visitor"
        r"|letter|phone call|call from anybody|friend|hug|person to talk to|anybody to talk to)",
        r"(?:my |the |this )loneliness",
        r"no matter (?:how hard|what) (?:<w>){0,5}(?:end up|still end|always end|never (?:get|make"
        r"|change)|nothing changes)",
    ),
    *rules(
        "en", HOPELESS, C,
        # the negation is the signal
        r"(?:do not|can not|never) see (?:<w>){0,4}(?:getting|get|going to get|gonna get|ever"
        r" get|ever getting) (?:any )?better",
        r"(?:stopped|stop|quit|gave up|given up) (?:on )?(?:believing|hoping|caring about"
        r" (?:anything|myself|life)|dreaming|having hope)",
        r"(?:do not|can not|never) (?:even )?(?:recognize|know) (?:<w>)?(?:myself|who i am)"
        r" (?:anymore|no more)",
        r"(?:^|(?<=\. ))(?:i )?can not (?:do it |do this |go on |keep going |)?anymore(?= \.|$)",
        r"nothing (?:left )?to look forward to|(?:do not|never) look forward to (?:anything"
        r"|nothing)",
        r"(?:do not|can not) enjoy (?:anything|nothing|the things i (?:used to|loved))",
        negatable=False,
    ),
    *rules(
        "en", HOPELESS, C,
        # a low mood x persistence: "so sad all the time", "crying every day for weeks"
        r"(?:sad|down|low|depressed|miserable|unhappy|hopeless|empty|numb|crying|cry|heartbroken"
        r"|anxious and sad|in a dark place) (?:<w>){0,2}(?:all the time|every day|every single"
        r" day|every night|constantly|for weeks|for months|nonstop|non stop|24 7|always|lately"
        r"|since (?:i got here|forever|my|he|she))",
        r"(?:life|everything|things|it all) (?:<w>)?(?:keeps|keep|just keeps) (?:getting worse"
        r"|going wrong|falling apart|going downhill)|(?:only|just) (?:gets|getting) worse",
        r"nothing (?:<w>)?(?:feels|is|seems|tastes|makes me (?:feel )?) ?(?:<w>)?(?:good|fun|right"
        r"|happy|worth it|the same|exciting) (?:anymore|no more|these days)",
        negatable=False,
    ),
    *rules(
        "en", HOPELESS, C,
        # negatable: "im not in a bad place at all"
        r"(?:in|at) (?:a|such a) (?:<w>)?(?:dark|bad|low|black) (?:place|spot|hole)(?! (?:to"
        r"|for) (?:park"
        r"|sit|study))",
    ),
    *rules(
        "en", HOPELESS, C,
        r"(?:do not|dont) have (?:anyone|anybody|nobody|no one)(?! (?:to (?:drive|pick|watch"
        r"|cover|take)|else (?:to|who can) (?:drive|pick|watch|cover)))",
        negatable=False,
    ),
    *rules(
        "en", HOPELESS, C,
        # apathy and anhedonia: the negation is the signal
        r"(?:do not|can not|no longer) (?:even |really )?(?:care|feel) (?:about )?(?:anything"
        r"|nothing|anyone|anybody) (?:anymore|no more|at all)",
        r"(?:do not|can not) (?:even )?(?:have the energy|want) to (?:care|do anything|try|talk to"
        r" anyone|see anyone) (?:<w>)?(?:anymore|no more|at all|lately)?",
        r"(?:do not|can not) (?:even )?(?:want to |bring myself to |make myself )?get out of bed"
        r"(?!(?: \S+){0,5} (?:cold|early|weekend|saturday|sunday|lol|lmao|haha\w*|tired|comfy))",
        r"(?:never|not) (?:going to|gonna) (?:amount to|be) (?:anything|nothing|shit|anybody"
        r"|enough|good enough)",
        r"nothing good (?:ever )?(?:happens|comes|goes right)|nothing ever (?:goes right|works out)"
        r" (?:for|to) me|(?:no one|nobody) (?:ever )?(?:chooses|picks|wants|remembers|stays for"
        r"|shows up for) me",
        negatable=False,
    ),
    *rules(
        "en", HOPELESS, C,
        # worth and failure
        r"(?:let|letting|lets) (?:everyone|everybody|my (?:family|kids|mom|dad|people|daughter|son"
        r"|children)) down(?! (?:today|this time|at (?:the|work|practice)))(?: again| always"
        r"| all the"
        r" time| every time)?",
        r"(?:a|such a) (?:failure|disappointment|letdown|let down|waste) (?:as a|to|for) (?:mom|dad"
        r"|mother|father|son|daughter|person|human|my family|everyone|everybody|my kids)",
        r"(?:waste|burden|drain) (?:of|on) (?:everyone s|everybodys|everyones|peoples|people s)"
        r" (?:time|energy)",
        r"(?:everything|all) i (?:touch|do) (?:<w>)?(?:turns to|goes to|ends up) (?:crap|shit"
        r"|garbage|dust|trash|wrong|hell)|i (?:ruin|mess up|screw up|break|destroy) everything i",
        # existing, not living; disconnected; a hole; done with everything; going nowhere
        r"(?:just )?(?:existing|surviving) (?:\. )?not (?:really )?living|(?:like|feel like) a"
        r" (?:zombie|robot|ghost)|(?:watching|living) my (?:own )?life from (?:outside|the outside"
        r"|a distance|far away)",
        r"(?:so |really |totally |completely )?disconnected from (?:everyone|everything|myself|the"
        r" world|people|reality|my life)",
        r"(?:a )?(?:hole|void|emptiness) in my (?:chest|heart|soul)" + _GRIEF,
        r"(?:i am|im|i m|am) (?:just |so |honestly )?done (?:\. )?with (?:everything|life"
        r"|it all|all"
        r" of it|trying|myself|this life|being alive)",
        r"(?:my )?life is going nowhere|going nowhere (?:in|with) (?:my )?life|no (?:purpose"
        r"|direction|reason to get up) (?:in|for) (?:life|my life)|(?:have|got) no (?:purpose"
        r"|reason to"
        r" get up)",
        r"(?:carrying|carry) (?:the )?(?:whole )?(?:world|weight of the world)|weight of the world"
        r" on",
    ),
    *rules(
        "en", HOPELESS, C,
        # a one-word state as the whole reply ("numb", "worthless.", "empty lol"); "sad" or
        # "tired" alone is an ordinary answer and is left out
        r"^(?:(?:i am|i feel|feeling|just|so|really|totally|honestly|kinda|pretty) )*(?:empty"
        r"|numb|worthless|hopeless|broken|useless|invisible|dead inside|so alone|all alone|always"
        r" alone|alone again|so lonely|lonely af|a burden)(?: (?:lol|lmao|tbh|fr|ngl|honestly|rn"
        r"|lately|again|always|all the time))*(?=(?: \.)*$)",
        r"(?:nobody|no one|noone) (?:even |really )?cares(?= about me| if i| anymore| \.|$)",
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
        r"|cero a la izquierda|problema|inutil|mierda|error|desastre|perdedor\w*"
        r"|nadie)" + _TRIVIAL_ES,
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
        r"ya no (?:puedo mas|aguanto mas)" + _TRIVIAL_ES, r"ya no aguanto" + _TRIVIAL_ES,
        r"no hay esperanza", r"nada (?:<w>){0,2}(?:mejorar|cambiar|mejora|cambia)",
        r"ya no tiene caso",
        r"(?:ya )?no siento (?:<w>)?nada(?! (?:por|de) (?:el|ella|ellos))",
        r"(?:ya )?no puedo mas\b(?! (?:con (?:la|el|las|los) (?:tarea|examen|escuela|trabajo"
        r"|calor|frio)))",
        r"(?:ya )?no me queda nada",
        negatable=False,
    ),
    *rules(
        "es", HOPELESS, C,
        # negatable: "no me siento vacio, al contrario" is a plain denial
        r"(?:me siento|me sentia|estoy|ando|sigo|vivo|me he sentido|siento que estoy|me veo)"
        r" (?:<w>){0,2}" + _STATE_ES + _ILLNESS,
    ),
    *rules(
        "es", HOPELESS, C,
        r"(?:de|para|pa) que (?:me )?sirve (?:<w>){0,4}(?:si|nadie|nada|total)",
        r"todo me pesa|me pesa (?:todo|la vida|vivir|el alma)",
        r"no tengo a nadie(?! (?:que|quien|para que) (?:me )?(?:lleve|preste|cuide|recoja|ayude"
        r" con))",
        r"(?:ni (?:una sola|un solo|una|un) (?:persona|amigo|amiga)|nadie) (?:<w>){0,2}en (?:este"
        r" pais|el mundo|esta ciudad|este lugar|aqui)",
        r"nadie (?:me )?(?:escribe|visita|viene a verme|me busca|pregunta por mi|se acuerda de mi"
        r"|me extrana|se daria cuenta|lo notaria)",
        r"(?:ya )?no (?:siento|tengo) (?:<w>)?ganas de nada(?! hoy)|ni (?:de )?lo que antes me"
        r" gustaba|ya no (?:disfruto|me gusta|me interesa) (?:<w>)?(?:nada|lo que antes)",
        r"(?:meses|semanas|anos|dias) (?:<w>)?sin (?:<w>){0,2}(?:hablar con nadie|visita|visitas"
        r"|una llamada|nadie con quien hablar)",
        negatable=False,
    ),
    *rules(
        "es", HOPELESS, C,
        r"no le (?:encuentro|veo|hallo) (?:<w>)?sentido a (?:nada|la vida|mi vida|seguir|vivir"
        r"|nada de esto)",
        r"(?:estoy|ando|me siento) (?:<w>)?(?:cansad[oa]|hart[oa]|agotad[oa]) de (?:todo|todos|la"
        r" vida|vivir|mi vida|luchar|intentar|sentirme asi|ser yo)(?! (?:el dia|lo que))",
        r"(?:todo|nada) (?:<w>)?(?:esta mal|sale bien|me sale bien|va bien|tiene sentido) (?:en mi"
        r" vida|conmigo)|en mi vida todo (?:<w>)?(?:esta mal|sale mal)",
        r"no le importo a nadie|a nadie le importo|nadie me quiere|nadie me extranaria",
        r"(?:triste|deprimid[oa]|bajoneado|bajonead[oa]|llorando|lloro|mal) (?:<w>){0,2}(?:todo el"
        r" tiempo|todos los dias|cada dia|desde hace (?:semanas|meses)|por semanas|por meses"
        r"|siempre"
        r" ultimamente)",
        r"cada vez (?:estoy |me siento |me pongo )?(?:peor|mas triste|mas sol[oa]|mas vaci[oa])",
        negatable=False,
    ),
    *rules(
        "es", HOPELESS, C,
        r"no tengo (?:<w>)?ganas de (?:levantarme|salir de la cama|hacer nada|hablar con nadie"
        r"|seguir|vivir)(?! (?:hoy|temprano|tan temprano|el domingo|el sabado))",
        r"(?:ya )?me canse de (?:todo|vivir|luchar|intentar|esto|esta vida|mi vida|ser yo)",
        r"no valgo (?:la pena|nada|ni)",
        r"soy (?:una|un) (?:decepcion|verguenza|fracasad[oa]|fracaso|estorbo|carga)" + _TRIVIAL_ES,
        r"todo lo hago mal|hago todo mal|todo me sale mal|siempre lo arruino|arruino todo"
        r"|lo arruino"
        r" todo|(?:lo )?echo todo a perder",
        r"(?:ya )?nada me (?:hace feliz|alegra|emociona|llena|motiva)",
        r"(?:siento que )?(?:estoy|salgo|ando) (?:de )?sobrando|estoy de sobra|sobro (?:aqui|en"
        r" todos lados|en esta casa|en mi casa)",
        r"nadie me (?:entiende|comprende) (?:<w>){0,2}(?:nunca|nadie|ya|y ya)",
        negatable=False,
    ),
    *rules(
        "es", HOPELESS, C,
        # negatable: "no me siento vacio, al contrario"
        r"(?:siento|tengo|cargo|traigo) (?:un |este |ese )?(?:vacio|hueco)(?: (?:<w>)?(?:enorme"
        r"|grande|horrible|en el pecho|por dentro|que no se va|en el alma))?" + _GRIEF,
    ),
    *rules(
        "es", HOPELESS, C,
        r"nadie me (?:pela|pelaba|hace caso|toma en cuenta|voltea a ver|habla)(?! (?:de|sobre)"
        r" (?:eso|el tema))",
        negatable=False,
    ),
    *rules(
        "es", HOPELESS, C,
        r"^(?:(?:me siento|estoy|ando|sigo|muy|bien|tan|re|toy) )*(?:vaci[oa]|inutil|hundid[oa]"
        r"|destrozad[oa]|rot[oa] por dentro|sola siempre|solo siempre|siempre sol[oa]|muy sol[oa]"
        r"|tan sol[oa]|sin esperanza|muert[oa] por dentro)(?: (?:jaja\w*|la neta|ya|siempre"
        r"|otra vez))*(?=(?: \.)*$)",
        r"^(?:ya )?no puedo(?: mas)?(?=(?: \.)*$)",
        negatable=False,
    ),
]
# fmt: on
