"""Being hurt or threatened: now or imminent (urgent), past or habitual (concern).

Each pattern runs against the canonical text (flows/risk/normalise.py): lower case, no accents,
single spaces, contractions expanded ("i do not want to"), "." for punctuation.  Both languages'
groups always run (people mix languages).
"""

from __future__ import annotations

from flows.levels import Level
from flows.risk.categories import HURT
from flows.risk.lexicon import Group, rules

C = Level.CONCERN
U = Level.URGENT

# Someone who could be a danger (not "my mom is outside to pick me up": see _DANGER_CONTEXT).
_AGGRESSOR_EN = (
    r"(?:he|she|they|someone|somebody|a guy|the guy|a man|the man|a dude|the dude|guys|dudes|my ex"
    r"|his friends|the people|a stranger|some guy|some man|my abuser|a car|a van|a truck"
    r"|my (?:dad|stepdad|mom|moms boyfriend|uncle|brother|foster dad|foster mom|boyfriend|ex))"
)
_PLACE_EN = (
    r"(?:outside|at|in|by) (?:my|the|our) (?:door|room|window|house|home|apartment|building"
    r"|parking lot|lobby|hallway|hall|school|cell|yard|bathroom|shelter|car|work|job|porch|gate)"
)
# Words that say it is happening now, or that the person is hiding or asking for help.
_DANGER_CONTEXT = (
    r"right now|rn|now|just now|help|please|call (?:someone|911|the police|the cops)|send someone"
    r"|hiding|hide|scared|afraid|locked|followed|following|looking for me|banging|yelling"
    r"|screaming|drunk|knife|gun|weapon"
)
_DANGER_CONTEXT_ES = (
    r"ahorita|ahora mismo|ahora|ya|ayuda|auxilio|ayudenme|manden|llamen|policia|escondid[oa]"
    r"|me escondi|miedo|encerrad[oa]|buscando|esperando|golpeando|gritando|borracho|cuchillo"
    r"|pistola|navaja|arma|machete"
)
_WEAPON_EN = (
    r"(?:knife|gun|pistol|shank|blade|razor|machete|bat|strap|weapon|lock in a sock|box cutter)"
)
_WEAPON_ES = r"(?:cuchillo|pistola|navaja|fierro|punta|machete|arma|filero|cuchilla|bate|cinturon)"

# fmt: off
EN: list[Group] = [
    # now: progressive
    *rules(
        "en", HURT, U,
        r"(?:is|are|am being|keeps|keep|keep on) (?:<w>)?(?:hitting|beating|hurting|punching"
        r"|kicking|choking|stabbing|attacking|strangling|killing|slapping|jumping) (?:on )?"
        r"(?:me|us)",
        # imminent / threatened
        r"(?:going to|will|would|about to|want to|wants to|trying to|waiting to|planning to"
        r"|plan to|plans to|coming to|gon|said he|said they|said she) (?:<w>)?(?:kill|hurt|beat"
        r"|stab|shoot|jump|hit|attack|fight|smash|rape|choke|cut|murder|shank) (?:me|us)",
        r"threaten(?:ed|s|ing)? (?:me\b(?! with (?:a )?(?:write ?up|report))|to (?:kill|hurt"
        r"|beat|stab|shoot|jump|hit|attack|fight|rape|cut|choke|murder|shank)\b)",
        r"(?:knife|gun|shank|blade|strap|weapon) on me",
        r"pull(?:ed|s|ing)? (?:a )?(?:knife|gun|shank|blade|strap)",
        r"(?:kill|hurt|beat|jump|stab|shoot) me if",
        # happening now: progressive harm to me or to someone in the house
        r"(?:is|are) (?:<w>)?(?:hitting|beating|choking|stabbing|attacking|strangling|shooting)"
        r" (?:<w>)?(?:my (?:mom|mother|sister|brother|little|baby|girlfriend|wife)|her|him)"
        r" (?:<w>)?(?:right now|rn|now)",
        r"(?:am|i am) being (?:attacked|chased|followed|hurt|beaten|jumped|stabbed|choked|held)",
        r"(?:is|are) (?:<w>)?(?:chasing|following|coming (?:for|after|towards|toward|at)) me"
        r"(?! (?:on|around) (?:insta|instagram|tiktok|twitter|online|social))",
        r"(?:trying|tries|tried) to (?:get|break) in(?:to)? (?:<w>)?(?:my|the|our)? ?(?:room|house"
        r"|door"
        r"|apartment|bathroom|cell|window)?",
        r"(?:someone|somebody|they|he|guys|men) (?:just )?broke in",
        r"(?:banging|beating|pounding|kicking) (?:on )?(?:my |the )?(?:door|window)",
        r"broke (?:down )?(?:the|my) door",
        r"(?:hiding|hid|locked my ?self) (?:<w>)?(?:in|under) (?:the|my|a) (?:closet|bathroom"
        r"|bathtub"
        r"|bed|room|car|basement|shower)",
        r"(?:wont|will not|does not|do not|doesnt) let me (?:out|leave|go)(?! (?:to|with|of) (?:the"
        r" (?:party|mall|movies|game)|my friends))",
        r"(?:locked|locks|trapped|stuck) (?:<w>)?(?:me )?in (?:a |the |his |her )?(?:car|room|house"
        r"|closet|basement|trunk) (?:<w>){0,3}(?:with him|with her|with them|and)",
        rf"(?:has|have|got|with|holding|waving|pointing|pulled|pulls|brought) (?:<w>){{0,2}}(?:a"
        rf"|the"
        rf"|my|his|her|their) (?:<w>)?{_WEAPON_EN}",
        rf"(?:threaten|threatening|threatened) (?:<w>){{0,3}}with (?:a |the |his "
        rf"|her )?{_WEAPON_EN}",
        rf"(?:a|the) (?:<w>)?{_WEAPON_EN} (?:in|on) (?:the|my|our) (?:house|room|lobby|hall"
        rf"|hallway|building|shelter|yard|table)",
        r"(?:said|says|told me|tells me|saying) (?:that )?(?:i am|i will be|you are) (?:dead|done"
        r"|next)",
        r"(?:i am|im) dead (?:tonight|tomorrow|when|after|next)",
        r"(?:finish|end) (?:it|me|the job) next time",
        r"next time i am (?:dead|done)",
        r"(?:hands|hand|arm) (?:<w>)?around my (?:neck|throat)",
        r"(?:fire|smoke) in (?:the|my|our) (?:building|house|room|hall|hallway|unit|apartment)",
        r"(?:building|house|room|hall|hallway|apartment|kitchen) (?:is )?(?:on fire|full of smoke)",
        r"full of smoke", r"smell gas",
        r"(?:is not|not|isnt|stopped) breathing", r"can not feel my (?:legs|arms|body|face)",
        r"(?:bleeding|bleed) (?:a lot|bad|badly|so much|everywhere|from my (?:head|neck|face))",
        r"(?:there is|theres) (?:a|some) (?:<w>)?(?:man|guy|dude|person|someone"
        r"|shooter) (?:<w>)?with"
        rf" (?:a )?{_WEAPON_EN}",
        r"(?:drank|drink|took|ate) something (?:<w>){0,3}gave me",
        r"(?:is|are) here (?:right now|rn|now)",
        r"(?:he|she|they|my ex|my \w+) (?:just )?found (?:where i (?:am|live|am staying|stay)"
        r"|me(?! a"
        r"| an| the| some| on| online))",
    ),
    # someone at the door, outside, found me: urgent when the text says it is now, or hiding, or
    # asks for help ("he's outside my door" + "please call someone")
    *rules(
        "en", HURT, U,
        rf"{_AGGRESSOR_EN} (?:is|are|was|s) (?:<w>)?(?:here|outside|{_PLACE_EN})",
        rf"{_AGGRESSOR_EN} (?:is|are) (?:<w>)?(?:standing|waiting|parked|sitting) (?:<w>){{0,3}}"
        rf"(?:outside|{_PLACE_EN})",
        r"knows where i (?:am|live|am staying|stay)",
        r"(?:he|she|they|someone|the guy) (?:is|are) (?:<w>)?(?:looking for me|after me|coming)",
        r"(?:please|pls|plz) (?:<w>)?(?:help|call|send)",
        rf"{_WEAPON_EN}",
        needs=_DANGER_CONTEXT,
    ),
    *rules(
        "en", HURT, U,
        r"(?:^|(?<=\. ))(?:help|help me|please help|someone help|call 911|call the police)(?= \."
        r"|$)",
        negatable=False,
    ),
    # past or habitual
    *rules(
        "en", HURT, C,
        r"(?:hit|hits|punched|punches|slapped|slaps|kicked|kicks|jumped|beat|beats|attacked"
        r"|attacks|stabbed|choked|chokes|assaulted|hurt|hurts|bullies|bullied|harassed|harasses"
        r"|threw|throws|shoved|shoves|socked|smacked|smacks) (?:on )?(?:me|us)"
        r"(?! (?:at|in) (?:cards|chess|checkers|spades|uno|dominoes|ball|basketball|the game"
        r"|a game|pool|2k|madden|fortnite|a race|racing|ping pong))",
        r"got (?:jumped|beat up|beaten|beat|hit|punched|stabbed|attacked|assaulted|shanked"
        r"|robbed)",
        r"getting (?:bullied|jumped|beat up|beaten|picked on)",
        r"(?:almost|nearly|tried to|could have) kill(?:ed)? me",
        r"kys|kill (?:your ?self|urself|ur self)",
        r"(?:told|tells|telling|said|says) (?:me )?(?:to|i should) (?:go )?(?:kill my ?self"
        r"|die|unalive my ?self)",
    ),
]

ES: list[Group] = [
    *rules(
        "es", HURT, U,
        r"me (?:esta|estan) (?:pegando|golpeando|lastimando|matando|ahorcando|amenazando"
        r"|atacando|apunalando|madreando)",
        r"me (?:va|van|iba|iban|quiere|quieren|queria|querian|piensa|piensan|intenta|intentan) "
        r"(?:a )?(?:matar|pegar|golpear|lastimar|apunalar|picar|balear|disparar|atacar|madrear"
        r"|violar|ahorcar|dar una (?:paliza|golpiza|madriza|putiza|calentada))",
        r"(?:quiere|quieren|va a|van a|iba a|iban a|amenazo con|amenazaron con|trato de"
        r"|trataron de|intento|intentaron) (?:<w>)?(?:matarme|golpearme|pegarme|lastimarme"
        r"|apunalarme|picarme|balearme|atacarme|violarme)",
        r"me amenaz\w*(?! con (?:reportar\w*|acusar\w*|decir\w*|contar\w*|mandar\w*"
        r"|regresar\w*|sacar\w*|correr\w*|echar\w*))",
        r"me (?:mata|matan) si",
        r"(?:esta|estan) (?:<w>)?(?:golpeando|pegando|ahorcando|balaceando|disparando|rompiendo"
        r" todo|tumbando)(?! (?:la pelota|el balon))",
        r"(?:estan|esta) balaceando", r"(?:balacera|tiroteo) (?:aqui|afuera|en la calle de)",
        r"me (?:esta|estan|viene|vienen) (?:<w>)?(?:siguiendo|persiguiendo|correteando|buscando"
        r"|esperando)",
        r"me (?:tienen|tiene) (?:<w>)?encerrad[oa]", r"me (?:encerro|encerraron) (?:<w>)?(?:en|y)",
        r"no me (?:dejan|deja) salir (?:<w>){0,2}(?:del|de la|de aqui|\.|$)",
        r"(?:se metieron|se metio|entraron|entro) (?:<w>)?(?:a robar|a la casa|al cuarto|a mi casa"
        r"|al depa)",
        r"(?:estoy|toy|estamos) escondid[oa]s?",
        r"me escondi (?:en|debajo)",
        rf"(?:tiene|tienen|trae|traen|con) (?:<w>)?(?:un|una|el|la) {_WEAPON_ES}",
        rf"(?:saco|sacaron|saca) (?:<w>)?(?:un|una|el|la) {_WEAPON_ES}",
        r"(?:que|dijo|dijeron|mando decir|me dijo|ya) (?:que )?(?:ya )?(?:soy|estoy"
        r"|eres) (?:hombre |mujer )?muert[oa](?! de)",
        r"(?:hoy|esta noche) me toca",
        r"me van a (?:picar|matar|dar cuello|quebrar|levantar)",
        r"(?:hay|mucho) humo", r"huele a gas", r"hay (?:un )?incendio (?:en|aqui)",
        r"(?:se esta|esta) quemando (?:la casa|el edificio|el cuarto)",
        r"no (?:puedo|puede) respirar (?:<w>){0,3}(?:humo|gas)",
        r"no respira", r"(?:estoy )?sangrando mucho",
        r"me agarraron a (?:golpes|madrazos|patadas)",
        r"(?:afuera|en la puerta|en la entrada) (?:<w>){0,3}(?:con (?:un|una) \w+|gritando)",
    ),
    *rules(
        "es", HURT, U,
        r"(?:esta|estan|esta parado|anda) (?:<w>)?(?:afuera|en la puerta|en la entrada|en la casa"
        r"|en el patio|aqui|dentro)",
        r"(?:ya )?me (?:encontro|encontraron)",
        r"(?:hay|esta) (?:un|una|alguien) (?:<w>){0,2}(?:afuera|en la puerta|dentro|en la entrada)",
        r"preguntando por mi",
        needs=_DANGER_CONTEXT_ES + r"|agresor|agresora|ex|pegaba|golpeaba|amenazo",
    ),
    *rules(
        "es", HURT, U,
        r"(?:^|(?<=\. ))(?:ayuda|auxilio|ayudenme|ayudame)(?= \.|$| me| por favor| porfa)",
        negatable=False,
    ),
    *rules(
        "es", HURT, C,
        r"me (?:pegaron|golpearon|pego|golpeo|lastimaron|lastimo|atacaron|ataco|asaltaron"
        r"|patearon|pateo|madrearon|apunalaron|pega|pegan|golpea|golpean|lastiman)",
        r"me dieron una (?:paliza|golpiza|madriza|putiza)",
        r"me (?:hacen|hace|hicieron) bullying",
    ),
]
# fmt: on
