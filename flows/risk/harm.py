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
    r"(?:knife|gun|pistol|shank|blade|razor|machete|bat|strap|weapon|lock in a sock|box cutter"
    r"|hammer|crowbar|broken bottle|rifle|shotgun|screwdriver)"
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
        r"(?:is not|not|isnt|stopped) breathing(?! (?:for a|for like|when|lol|lmao"
        r"|haha))", r"can not feel my (?:legs|arms|body|face)",
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

# --- Danger now, as concept x frame -------------------------------------------------------------
# What is happening (a weapon pointed, a door kicked in, someone holding on, fire or smoke, a
# threat of death from someone able to act, a threat to everyone in the house) x a frame that
# makes it present: the progressive, "right now", "still", hiding, not being let out.
_VICTIMS_EN = (
    r"(?:me|us|everyone|everybody|all of us|us all|the whole house|my (?:mom|mother|sister"
    r"|brother|family|kids|baby|little \w+|girlfriend|boyfriend|grandma|dad|son|daughter|cousin"
    r"|cellie|roommate))"
)
_NOW_EN = r"(?:right now|rn|now|just now|still|tonight|as we speak|outside|here)"

# fmt: off
EN += [
    *rules(
        "en", HURT, U,
        r"(?:at|held at|holding (?:me|us|him|her|them) at) (?:gun|knife) ?point",
        r"(?:gun|knife|blade|pistol) (?:to|in|against) my (?:head|face|throat|neck|chest|side"
        r"|back)",
        r"(?:pointing|pointed|aiming|aimed|waving|pulled) (?:a |the |his |her |their )?(?:gun"
        r"|knife|pistol|blade|rifle) (?:\S+ )?at (?:me|us|my)",
        rf"(?:(?:he|she|they|someone|somebody|my \w+|the \w+) (?:is |are )?(?:going to|gonna|will"
        rf"|about to|threatening to|threatened to|said he would|said she would|said they would"
        rf"|wants to|trying to)|threatening to|threatened to) (?:\S+ )?(?:shoot|stab|kill|hurt|burn"
        rf"|beat|murder) (?:up )?{_VICTIMS_EN}(?! (?:at|in) (?:the )?(?:tournament|game|match"
        rf"|fortnite|2k"
        rf"|cod|madden|practice|chess|cards|spades))",
        r"(?:kicked|kicking|busted|busting|broke|breaking|bashing|smashed|smashing) (?:in|down"
        r"|open|through) (?:the |my |our )?(?:\S+ )?(?:door|window)",
        r"(?:kicked|busted|broke|smashed) (?:the |my |our )?(?:\S+ )?(?:door|window) (?:in|down"
        r"|open)",
        r"(?:broke|breaking|broken|busted) in(?:to)? (?:my|our|the) (?:\S+ )?(?:apartment|house"
        r"|room|home|place|car|cell|trailer)(?! (?:last (?:year|month)|years ago))",
        r"(?:trying|tries|tried) to (?:get|come|break|climb) in (?:\S+ ){0,2}(?:my|the|our)"
        r" (?:window|door|room|house|apartment)",
        r"(?:grabbed|grabbing|holding|has|got) (?:me|my (?:arm|wrist|hair|neck|throat|hand))"
        r" (?:\S+ ){0,6}?(?:will not|does not|would not|do not) let (?:me )?go",
        r"(?:dragging|pulling|forcing|pushing|shoving) me (?:\S+ )?(?:into|to|in|toward)"
        r" (?:a|the|his|her|their) (?:car|van|truck|room|house|bathroom|basement|alley)",
        r"(?:standing|stands|is) over (?:me|my bed|my bunk)(?! (?:like a|watching tv))",
        r"(?:with|holding|has|got) (?:a|the|his|her) belt (?:right now|rn|now)",
        r"(?:he|she|they|someone|somebody|the guy|a guy|a man) (?:is |are )?(?:still )?"
        r"(?:in the room|in the house|in my room|at the door|outside my door|in here)",
        # being told you are dead by someone able to act
        r"(?:they|he|she|guys|dudes|someone|somebody|people|the gang|his boys|his people|the"
        r" \w+s) (?:\S+ )?(?:said|say|says|told me|are saying|is saying|threatened|sent word"
        r"|put out word) (?:that )?(?:\S+ ){0,8}?(?:i am|i will be|you are|you will be|ur|your)"
        r" (?:dead|done|a dead man|getting shot|getting stabbed|next)(?! tired)",
        r"(?:hit|green light|greenlight|price|bounty) (?:is )?on (?:me|my head)",
        # fire, smoke, gas, happening now
        r"(?:smoke|flames|fire) (?:is |are )?(?:coming|pouring|everywhere|spreading|filling"
        r"|coming under|coming in|in the hall|in the hallway)(?! (?:from|off) (?:the |my "
        r"|our )?(?:bbq"
        r"|grill|barbecue|cooking|fireworks|vape|vapes|candles|incense|fog machine))",
        r"(?:set|started|lit) (?:a |the )?fire (?:in|to|on) (?:the|my|our)",
        r"(?:set|setting) (?:the |my |our )?(?:\S+ )?on fire",
        r"(?:caught|catching|is catching|is on) fire",
        r"(?:will not|do not|does not|wont|can not) (?:let us|let me|pop|open|unlock) (?:out|the"
        r" doors|the door|the cell|our doors)",
        # hiding from someone
        r"i am (?:hiding )?(?:under|in|behind) (?:the|my|a) (?:bed|closet|bathroom|desk|table"
        r"|shower|car|bunk|couch)",
        needs=r"door|window|kicked|broke|he |she |they|someone|somebody|gun|knife|help|scared"
        r"|please|police|911|hiding|quiet|shh|fire|smoke|drunk|threat\w*|dead|shoot|stab|kill"
        r"|hurt|beat|stomped|grabbed|cops",
    ),
]

ES += [
    *rules(
        "es", HURT, U,
        r"no nos (?:dejan|deja|quieren dejar|quiere dejar) (?:salir|irnos)(?! (?:con|de"
        r" fiesta|a (?:la|el|las|los)|al|el fin|los fines|en la noche|de noche|hasta))",
        r"(?:quemando|prendieron fuego a|le prendieron fuego a|incendiaron) (?:\S+ )?(?:colchones"
        r"|la casa|el cuarto|el modulo|el dormitorio|el edificio|la celda|el pasillo|cosas)",
        r"(?:hay )?(?:fuego|humo|llamas) (?:\S+ ){0,2}(?:por todos lados|por todas partes|en el"
        r" pasillo|en la casa|entrando|saliendo|debajo de la puerta|en el modulo)",
        r"(?:entra|sale|se mete) (?:\S+ )?humo",
        r"(?:se esta|esta) incendiando",
        r"si no (?:\S+ ){0,2}(?:pago|les pago|le pago|devuelvo|entrego|les doy|le doy|hago lo que"
        r" dicen) (?:\S+ ){0,5}me (?:matan|mata|van a matar|va a matar|pican|quiebran|levantan)",
        r"(?:saben|sabe) (?:\S+ )?donde (?:duermo|vivo|estoy|me quedo|esta mi (?:familia|mama"
        r"|hij[oa]))",
        r"(?:dijo|dijeron|dicen|dice|mando decir|mandaron decir|me avisaron|me mandaron decir)"
        r" (?:\S+ ){0,8}?(?:soy|estoy|eres|estas|seria|voy a ser) (?:hombre |mujer |un )?muert[oa]"
        r"(?! de)",
        r"(?:estoy|toy|estamos) (?:\S+ ){1,4}escondid[oa]s?",
        r"se (?:me |nos )?metieron (?:a|en) (?:la|mi|nuestra) (?:casa|cuarto|depa|celda|cuarto)",
        r"(?:tratando|intentando|trata|quiere|quieren|intenta|intentan) (?:de )?(?:entrar|meterse)"
        r" (?:a|en|por) (?:mi|la|el|nuestra|nuestro) (?:casa|cuarto|depa|celda|puerta|ventana)",
        r"(?:me )?(?:apunto|apuntaron|esta apuntando|estan apuntando|apuntando) (?:\S+ )?con"
        r" (?:la|una|el|un) (?:pistola|navaja|cuchillo|arma|fierro|machete)",
        r"(?:pistola|cuchillo|navaja|arma) (?:en|contra) (?:la|mi) (?:cabeza|cara|garganta|cuello"
        r"|pecho|espalda)",
        r"(?:me )?(?:agarro|agarraron|tiene agarrad[oa]|esta jalando|jalan|jalo) (?:\S+ ){0,4}"
        r"(?:no me (?:suelta|sueltan|deja ir)|para subirme|al carro|a la camioneta)",
        r"(?:van a|quieren|amenazo con|amenazaron con) (?:matar|balear|quemar|golpear) (?:a todos"
        r"|a mi (?:mama|familia|hermanit[oa]|hij[oa]|abuela))",
        r"(?:sigue|siguen|esta|estan) (?:aqui|en el cuarto|en la casa|afuera|en la puerta)"
        r" (?:\S+ ){0,2}(?:todavia|aun)",
    ),
]
# fmt: on
