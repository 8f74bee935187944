"""Abuse or violence at home, in a foster or group home, in a relationship.

Each pattern runs against the canonical text (flows/risk/normalise.py): lower case, no accents,
single spaces, contractions expanded ("i do not want to"), "." for punctuation.  Both languages'
groups always run (people mix languages).
"""

from __future__ import annotations

from flows.levels import Level
from flows.risk.categories import ABUSE
from flows.risk.lexicon import FAMILY_EN, FAMILY_ES, HIT_EN, HIT_ES, Group, rules

C = Level.CONCERN

# A game lost is not a beating: "my brother beat me so bad at madden".
_GAME = (
    r"(?!(?: \S+){0,3} (?:at|in|on) (?:<w>)?(?:2k|madden|fifa|chess|checkers|cards|uno|spades"
    r"|dominoes|pool|ping pong|basketball|ball|a race|video games?|the game|this game|games?"
    r"|mario|fortnite|cod|smash|monopoly|arm wrestling|trivia|scrabble|connect four|tennis"
    r"|football|soccer|racing|running|math))"
)
# Play: "threw the ball at me", "hit my brother with a water balloon".  Laughter is not play:
# "my mom threw a shoe at me lol" stays abuse.
_PLAY = (
    r"(?!(?: \S+){0,4} (?:ball|football|basketball|frisbee|snowball|snowballs|pillow|balloon"
    r"|balloons|nerf|water gun|paintball|dodgeball))"
)
# A grab that saves someone is not violence: "grabbed me by the arm so i would not fall".
_RESCUE = (
    r"(?!(?: \S+){0,6} (?:to (?:stop|save|catch|help|pull|keep) me|from falling|so i would not"
    r" (?:fall|get hit)|in the game|during (?:the )?(?:game|practice|drill|match)))"
)
# Violence in many verbs and slang, done TO the speaker.
_VIOLENT_EN = (
    r"(?:burned|burns|burnt|burning|choked|chokes|choking|strangled|strangles|strangling|slapped"
    r"|slaps|punched|punches|kicked|kicks|stomped|stomps|shoved|shoves|pushed|pushes|bit|bites"
    r"|spit on|spits on|pinned|pins|held|holds|threw|throws|dragged|drags|whooped|whoops|beat"
    r"|beats|hit|hits|smacked|smacks|socked|socks|elbowed|headbutted|scratched|scratches"
    r"|pulled|pulls|yanked|yanks|grabbed|grabs|squeezed|twisted|twists|slammed|slams)"
)
_HOW_EN = (
    r"(?:with (?:a|an|the|his|her|their) (?:cigarette|lighter|belt|cord|extension cord|hanger"
    r"|shoe|spoon|wooden spoon|stick|broom|bat|pan|iron|hot water|switch|fist|baton|hose|paddle"
    r"|remote|phone)|by (?:my|the) (?:neck|throat|hair|arm|arms|wrist|face|collar|shirt)"
    r"|down|against|into|up against|till|until|so hard|black and blue)"
)

# fmt: off
EN: list[Group] = [
    *rules(
        "en", ABUSE, C,
        rf"(?:my |our |the )?{FAMILY_EN} (?:<w>){{0,2}}{HIT_EN}" + _GAME + r" (?:on )?(?:me|us)",
        r"abus(?:e|ed|ive|ing) (?:<w>)?(?:at|in (?:my|the|our)) (?:home|house)",
        r"(?:get|getting|got|gets|been) (?:hit|beat|beaten|abused|whooped|hurt|smacked) "
        rf"(?:<w>)?(?:at home|at my house|at the house|by my {FAMILY_EN})",
        rf"abusive (?:home|house|household|family|{FAMILY_EN})",
        rf"{FAMILY_EN} (?:is|are) abusive",
        r"(?:abuse|violence) at home",
        r"home is (?:<w>)?(?:abusive|violent)",
        # things thrown, walls punched, being grabbed, pushed, dragged, choked, marked
        r"(?:threw|throws|throwing|throw|chucked|chucks|hurled|launched)" + _PLAY
        + r" (?:<w>){0,3}(?:at|on)"
        r" (?:me|us|my (?:head|face|back))",
        r"(?:threw|throws|throwing|throw|breaks|broke|breaking|smashes|smashed) (?:stuff|things"
        r"|shit|plates?|dishes|chairs?|bottles?)(?! (?:out|away|in the (?:trash|garbage)))",
        r"(?:punches|punched|punching|kicks|kicked) (?:holes? in )?the (?:walls?|door)",
        r"(?:slammed|slams|shoved|shoves|pushed|pushes|threw|throws) (?:me|my head|my face)"
        r" (?:<w>){0,2}(?:into|against|to|on|down)",
        r"(?:roughed|roughs|roughing) me up",
        r"(?:drags|dragged|dragging|yanks|yanked|grabs|grabbed|grabbing) me (?:by|across|out)"
        + _RESCUE,
        r"(?:broke|broken|busted|split|fractured|cracked) my (?:jaw|nose|arm|ribs?|lip|wrist"
        r"|finger|tooth|teeth|eye socket)(?! (?:playing|at (?:practice|the game|gym|football"
        r"|basketball|soccer)|in (?:the game|practice|gym|a fall)|during|skating|riding|falling"
        r"|when i fell|on the ice|on my bike|skateboarding))",
        rf"(?:bruises|bruised|black eye|marks|welts) (?:<w>){{0,2}}(?:from|because of|bc|after)"
        rf" (?:my {FAMILY_EN}|my (?:boyfriend|girlfriend|husband|wife|partner|ex)|him|her|them"
        r"|what (?:he|she) did)",
        r"(?:it )?(?:bruises|leaves marks|leaves bruises|left marks|left bruises)",
        r"(?:gets|got|getting) (?:physical|violent|rough|handsy)",
        r"(?:screams|yells|screaming|yelling|yelled|screamed) (?:<w>){0,4}(?:and|then) (?:<w>)?"
        r"(?:throws|threw|hits|hit|punches|punched|breaks|broke|grabs|grabbed|shoves|shoved)",
        # locked in, locked out, kicked out, starved
        r"(?:locks|locked|locking|lock) (?:me|us) (?:<w>){0,4}(?:in|out)(?! of (?:the |my |her"
        r" |his )?(?:bathroom|account|phone|computer|game|wifi|chat|group chat|netflix|closet))",
        r"(?:locked|kicked|thrown|put) out (?:<w>){0,3}(?:again|tonight|of the house|all night"
        r"|for the night)",
        r"(?:locked|kicked) (?:me )?out (?:again|tonight)|locked out",
        r"(?:kicked|threw|thrown|put) me out",
        r"(?:do not|does not|did not|will not|never) (?:let|lets) (?:me|us) eat",
        r"(?:only )?(?:feed|feeds|fed) (?:me|us) (?:once|one time|nothing|scraps)",
        r"(?:withholds|withheld|takes away|took away|skips|keeps) (?:my|our) (?:meals|food|dinner"
        r"|lunch)",
        r"(?:earn|earned) (?:my )?(?:dinner|food|meals?|lunch)",
        r"(?:has not|have not|did not|never) (?:<w>)?(?:bought|buys|got) (?:any )?(?:food"
        r"|groceries)",
        r"(?:no|without) (?:food|dinner|meals|eating) (?:<w>){0,2}as (?:a )?punishment",
        r"as (?:a )?punishment (?:<w>){0,6}(?:eat|food|hours|locked|hit)",
        r"(?:stand|kneel|sit) (?:<w>){0,4}for hours",
        # an abuser back, released, nearby; past abuse with ongoing effects
        r"(?:my )?abuser",
        r"(?:who|that) (?:<w>)?(?:abused|molested|beat|hurt|raped) (?:me|us|her|my \w+)"
        r" (?:<w>){0,6}(?:back|out|released|moved|living|lives|next door|near|down the street"
        r"|on our street)",
        r"(?:used to|would) (?:beat|hit|hurt|abuse|choke|whoop) (?:<w>)?(?:me|us|her|my \w+)",
        r"(?:getting|got|being|was|is) (?:released|out|paroled|let out)(?: of (?:jail|prison))?"
        r" (?:<w>){0,6}(?:last time|he (?:broke|beat|hit|hurt)|used to|what he)",
        r"(?:back|home|out) from (?:prison|jail|lockup|the pen) (?:<w>){0,8}(?:living with|remember"
        r"|used to|what he)",
        r"what (?:my \w+ |he |she )(?:did|used to do|does) to (?:me|us)",
        r"what (?:my (?:father|dad|stepdad|uncle|mom|mother) did|he used to do|she used to do)",
        r"(?:he is|she is|hes|shes|he got) out(?: of (?:jail|prison))?(?: now)?\b(?= \.|$| and"
        r"| now)",
        r"nightmares about (?:what|him|her|my)",
        r"(?:to|so i|so that i) (?:do not|dont) (?:have to )?(?:be home|see him|see her) when"
        r" (?:he|she)",
        # partner and caregiver violence in other words
        r"(?:boyfriend|girlfriend|husband|wife|partner|ex|baby daddy|baby mama) (?:<w>){0,3}"
        r"(?:pushed|pushes|shoved|shoves|hit|hits|choked|chokes|grabbed|slapped|slaps|punched"
        r"|beat|beats|kicked|strangled|threw)",
        r"(?:partner|husband|boyfriend|wife|girlfriend) (?:<w>){0,3}(?:started|has started|keeps)"
        r" (?:hitting|pushing|choking|beating)",
    ),
    *rules(
        "en", ABUSE, C,
        rf"(?:my |our |the )?{FAMILY_EN} (?:<w>){{0,2}}(?:threw|throws|hit|hits|punched|slapped"
        r"|choked|beat|kicked)" + _GAME + _PLAY + r" (?:<w>){0,3}(?:again|stuff|things|me|us)",
        negatable=True,
    ),
    *rules(
        "en", ABUSE, C,
        # violent verb x the speaker, with a tool or a hold: "burned me with a cigarette",
        # "grabbed me by the throat", "pinned me down" (the verb leads: a pattern that starts at
        # every "he" or "they" would be tried at nearly every word)
        # The speaker is the object ("burned me with", "grabbed me by the throat"): "it hit my
        # head" is a ball or a door.  No look-behind in front, so the verb can be scanned for fast.
        _VIOLENT_EN + r" (?:<w>)?(?:me|us) " + _HOW_EN + _RESCUE,
        _VIOLENT_EN + r" (?:<w>)?my (?:neck|throat|hair|arm behind|arm back)" + _RESCUE,
        r"(?:put|puts|putting|laid|lays|laying|layed) (?:his |her |their )?hands on (?:me|us|my)",
        r"(?:beat|beats|beating|whooped|whoop|whoops|whooping) (?:my|our) (?:ass|butt|behind)"
        r"|beat (?:the (?:crap|shit|hell|mess)|the living \w+) out of (?:me|us)" + _GAME,
        r"(?:bruises|marks|welts|scars) (?:<w>){0,3}(?:on me|where (?:nobody|no one)|so (?:nobody"
        r"|no one)|under my (?:clothes|shirt|sleeves))",
        # starved, fed last, food locked away
        r"(?:locks|locked|lock|locking|padlocks?|padlocked) (?:up )?the (?:fridge|food|pantry"
        r"|kitchen|cabinets|snacks|refrigerator)",
        r"(?:i|we|me and my \w+) (?:only )?(?:get|got|gets) to eat (?:<w>){0,3}(?:if|when|after"
        r"|once)",
        r"(?:i|we) get (?:what is|whats|what s) left|(?:feed|feeds|fed) (?:<w>){0,3}(?:their"
        r"|her|his)"
        r" (?:own|real|bio|biological) (?:kids|children)",
        r"(?:not|never) allowed to eat|(?:do not|does not|did not|will not) let (?:me|us) (?:<w>)?"
        r"(?:eat|have food|have dinner)",
        # walking on eggshells at home, fear of a caregiver's temper or drinking
        r"(?:walk|walking) on eggshells",
        r"(?:when|whenever|every time) (?:he|she|my (?:<w>)?" + FAMILY_EN + r") (?:<w>)?(?:drinks"
        r"|gets drunk|is drunk|comes home drunk|gets high|loses it|gets mad|gets angry|blows up)"
        r" (?:<w>){0,4}(?:hits|throws|beats|goes after|comes after|takes it out on|breaks|locks"
        r"|kicks|chokes|grabs|hurts|yells)",
    ),
    *rules(
        "en", ABUSE, C,
        # passive: "got slapped in the face by my foster mom"
        r"(?:got|get|gets|getting|was|been|were) (?:slapped|punched|hit|kicked|choked|whooped|beat"
        r"|beaten|smacked|burned|thrown|shoved|pushed|dragged|grabbed|scratched|bit|bitten"
        r"|strangled|locked|kicked out|thrown out|restrained) (?:<w>){0,5}by (?:my|her|his|the"
        r"|our|a) (?:<w>)?(?:" + FAMILY_EN + r"|boyfriend|girlfriend|husband|wife|partner|ex|staff"
        r"|house parent|house mom|house dad|foster parent|co|guard|officer)",
        r"(?:boyfriend|girlfriend|husband|wife|partner|ex|baby daddy|baby mama|fiance) (?:<w>){0,3}"
        + _VIOLENT_EN + r" (?:me|us|my)",
        r"(?:restrained|restrains|restraining|held|holds) me (?:<w>){0,3}(?:so hard|till|until"
        r"|too hard|down|on the floor)(?: \S+){0,4} (?:could not breathe|can not breathe|hurt"
        r"|bruise|bruises|bleeding|crying)",
        r"(?:screams|screamed|yells|yelled|screaming|yelling) at me (?:<w>){0,4}(?:and|calls|called"
        r"|calling) me (?:worthless|stupid|useless|a mistake|trash|garbage|a burden|nothing)",
    ),
    *rules(
        "en", ABUSE, C,
        r"(?:kneel|kneels|kneeling|knelt) on (?:rice|beans|salt|bottle caps|gravel|corn|the"
        r" concrete)",
        # violence against a parent or sibling at home
        r"(?:beats|beat|hits|hit|hurts|abuses|abused|chokes|choked|slaps|slapped|punches|punched"
        r"|beating|hitting|choking) (?:on )?my (?:mom|mother|mama|sister|little sister|brother"
        r"|little"
        r" brother|grandma|aunt|baby sister|baby brother)" + _GAME + _PLAY,
        # words that wound, from a caregiver
        r"(?:tells|told|calls|called|says|said) (?:me|us) (?:i am|we are|that i am|that i was)? ?"
        r"(?:worthless|a mistake|garbage|a burden|trash|nothing|useless|a waste|a piece of shit)",
        r"wish(?:es|ed)? (?:i|you) (?:was|were|had) never (?:been )?born",
    ),
    *rules(
        "en", ABUSE, C,
        r"(?:pulled|pulls|yanked|yanks|pulling|yanking) (?:<w>)?(?:me by )?my hair" + _PLAY,
        # control by a partner or caregiver
        r"(?:will not|wont|won t|does not|doesnt|never) let me (?:see|talk to|hang out with|go out"
        r" with|text|call|visit) (?:my )?(?:friends|family|anyone|anybody|mom|sister|brother"
        r"|people)",
        r"(?:checks|goes through|reads|went through|checked) my (?:phone|texts|messages"
        r"|dms) (?:<w>)"
        r"{0,4}(?:all the time|and gets mad|and yells|and hits|and freaks|every night|and"
        r" screams)",
    ),
]

ES: list[Group] = [
    *rules(
        "es", ABUSE, C,
        rf"(?:mi|mis|el|la|los) {FAMILY_ES} (?:<w>){{0,3}}me {HIT_ES}",
        rf"en (?:mi|la) casa (?:<w>){{0,2}}me {HIT_ES}",
        r"me (?:pegan|golpean|maltratan|lastiman) en (?:mi|la) casa",
        r"(?:abuso|violencia|maltrato) en (?:mi|la) casa",
        r"hay (?:abuso|violencia|maltrato) en",
        # hit, thrown at, grabbed, pushed, choked, marked
        rf"nos (?:<w>)?{HIT_ES}",
        # "me pegaron" alone may be peers (hurt_or_threatened); these are a partner's or a
        # caregiver's words
        r"me (?:<w>)?(?:cachete\w*|rasgun\w*|jalone\w*"
        r"|empuj\w*|zarande\w*|ahorc\w*|agarr\w* a golpes|dio zapes|da zapes|dan zapes"
        r"|dio una cachetada|da cachetadas|volvio a pegar|volvio a golpear)",
        r"(?:me|nos) (?:avienta|aventa|avento|aventaron|tira|tiro|tiraron|lanza|lanzo|lanzaron"
        r"|arroja|arrojo) (?:<w>){0,3}(?:cosas|lo que|el plato|un plato|la plancha|un zapato|la"
        r" chancla|un vaso|una botella|la ropa|mis cosas|algo)",
        r"(?:avienta|aventa|avento|tira|lanza|rompe|rompio) (?:<w>)?cosas",
        r"(?:moretones|moreton|ojo morado|marcas|chichon) (?:<w>){0,2}(?:que me (?:dejo|dejaron"
        r"|hizo|hicieron)|de (?:los|sus) golpes)",
        r"(?:me )?(?:dejo|dejaron|dejaba) (?:<w>)?(?:el ojo morado|moretones|marcas)",
        r"me (?:rompio|rompieron|reviento|revento) (?:el|la|los) (?:labio|nariz|boca|brazo"
        r"|costilla|costillas|celular en la cara|diente|dientes)",
        r"se (?:puso|pone|ponia) (?:<w>)?(?:violent[oa]|agresiv[oa]|loc[oa] y me)",
        r"me (?:pegaba|golpeaba|maltrataba|lastimaba|ahorcaba)",
        r"(?:me|nos) volvi(?:o|eron) a (?:pegar|golpear|cachetear|empujar|ahorcar|jalonear|patear"
        r"|aventar|lastimar|maltratar|encerrar|correr|sacar|dejar afuera|dejar sin)",
        r"me grita (?:<w>){0,3}y (?:me )?(?:avienta|tira|lanza|rompe|pega|empuja)",
        # locked in or out, thrown out, starved
        r"me (?:encierra|encierran|encerro|encerraron|encerraba)(?! (?:<w>)?a hacer la tarea)",
        r"me (?:corrieron|corrio|sacaron|saco|echaron|echo) de (?:la|mi) casa",
        r"me (?:sacaron|sacan|echaron) (?:<w>){0,3}con mis cosas",
        r"me (?:tiro|tiraron|avento) (?:<w>)?(?:la ropa|mis cosas) a la calle",
        r"me (?:dejaron|dejo|dejan|deja) (?:<w>)?(?:afuera|fuera"
        r"|en la calle) (?:<w>){0,2}(?:toda la"
        r" noche|de la casa|sin)",
        r"me (?:dejaron|dejo|dejan|deja) (?:<w>)?sin (?:comer|cenar|comida|desayunar)",
        r"no (?:me|nos) (?:dan|daban|da|daba|dejan|deja) (?:<w>)?(?:de comer|comer|cenar|comida)",
        r"(?:me|nos) (?:castiga|castigan|castigo) (?:<w>)?sin (?:comer|comida|cenar)",
        # an abuser out, back, calling
        r"(?:salio|sale|saldra|lo soltaron|va a salir) de (?:la carcel|prision|el penal|el bote"
        r"|la cana)",
        r"(?:el|la) que (?:me|nos) (?:pegaba|golpeaba|abuso|violo|maltrataba)",
        r"(?:antes|cuando) (?:<w>){0,4}me (?:pegaba|golpeaba|maltrataba)",
        r"(?:mi )?(?:marido|esposo|pareja|novio|novia|ex) (?:<w>){0,3}(?:me )?(?:pega|pego|golpea"
        r"|golpeo|empuja|empujo|ahorco|ahorca|jalonea|cachetea|cacheteo|rasguna|avento|revisa el"
        r" telefono y me)",
    ),
    *rules(
        "es", ABUSE, C,
        # the speaker hit with something, grabbed by the neck or hair, burned
        r"(?:me|nos) (?:dio|dieron|da|dan|daba|pego|pegaron|pega|pegan) (?:<w>){0,2}con (?:el|la"
        r"|un|una|su) (?:tolete|macana|cinturon|cinto|chancla|palo|cable|manguera|vara|fajo"
        r"|correa|baston|cachiporra|puno|sarten|escoba|plancha|zapato)",
        r"(?:me|nos) (?:agarro|agarra|agarraba|tomo|toma|jalo|jala|jaloneo) (?:<w>)?(?:del|de la"
        r"|por el|por la|de los) (?:cuello|pelo|cabello|garganta|brazo|greñas|grenas|pescuezo)",
        # "me quemo" is also "I burn myself" (self-harm): only the unambiguous forms
        r"me (?:quemaba|quemaron|quemaban) (?:<w>){0,2}con",
        r"(?:me|nos) (?:revolea|revoleo|revoleaba|tira|tiro|avienta|avento|lanza"
        r"|lanzo) (?:<w>){0,4}"
        r"(?:a la cara|en la cara|a la cabeza|en la cabeza|lo que (?:tenga|tiene|encuentre|haya)"
        r" a mano|encima)",
        r"(?:me|nos) (?:ha|han|habia|habian) (?:<w>)?(?:pegado|golpeado|maltratado|ahorcado"
        r"|empujado|cacheteado|pateado|quemado|encerrado)",
        # control by a partner or caregiver: papers taken, not let out, phone checked
        r"me (?:quito|quita|quitaron|esconde|escondio|tiene) (?:<w>)?(?:el|mi|los|mis) (?:pasaporte"
        r"|papeles|documentos|identificacion|ine|dni|cedula)",
        r"no me (?:deja|dejan|dejaba) (?:<w>)?(?:salir|ver a (?:nadie|mi familia|mis amigas|mis"
        r" amigos)|hablar con nadie|tener amigas|tener amigos|trabajar)(?! (?:tarde|de noche"
        r"|hasta que termine|sin permiso hasta))",
        r"(?:me|nos) (?:saca|saco|sacan|sacaban|corre|corrio|echa|echo) (?:<w>){0,6}(?:de la casa"
        r"|a la calle|afuera) (?:<w>){0,4}(?:en la noche|de noche|toda la noche|sin comer|descalz"
        r"\w*|en pijama)",
        r"(?:cuando|si|cada vez que) (?:<w>){0,3}(?:se enoja|toma|chupa|llega (?:tomado"
        r"|borracho|pedo"
        r"|drogado)|se emborracha|bebe|se droga|se pone (?:loco|mal)) (?:<w>){0,6}(?:me|nos)"
        r" (?:pega|grita|saca|corre|avienta|revolea|golpea|tira|encierra|ahorca|agarra|patea"
        r"|empuja|rompe)",
        r"(?:les dan|le dan|dan) de comer (?:<w>){0,3}(?:a sus|a los suyos|a sus hijos)|a mi me dan"
        r" (?:lo que sobra|las sobras)|(?:solo )?(?:como|comemos) (?:<w>)?(?:si|cuando) (?:termino"
        r"|terminamos|hago|hacemos)",
        r"(?:cierra|cierran|cerro|le pone candado a) (?:<w>)?(?:el refri|la alacena|la comida|la"
        r" cocina|el refrigerador|la nevera) (?:<w>){0,3}(?:con llave|con candado|para que no)",
    ),
    *rules(
        "es", ABUSE, C,
        r"(?:hincarme|hincado|hincada|arrodillarme|arrodillado|arrodillada) (?:<w>)?(?:en|sobre)"
        r" (?:arroz|frijol|corcholatas|piedras|sal)",
        r"le (?:pega|pegaba|golpea|golpeaba|pego|golpeo|maltrata|maltrataba) (?:<w>)?a mi (?:mama"
        r"|madre|hermana|hermano|abuela|tia|hermanita|hermanito)",
        r"(?:me|nos) (?:dice|dicen|dijo|decia) que (?:<w>){0,2}(?:soy|somos|fui|eres) (?:una |un )?"
        r"(?:carga|basura|error|mierda|inutil|inutiles|estorbo|estorbos|nada|arrimad[oa]s?)",
        r"ojala (?:nunca )?(?:no )?hubiera(?:s)? nacido|no debi(?:ste)? (?:haber )?nacer|no debiste"
        r" nacer",
        r"me (?:abrio|abrieron|rompio|rompieron|revento|reventaron) (?:la|el) (?:ceja|cabeza|frente"
        r"|labio|boca|nariz|oreja)",
        r"(?:me|nos) (?:avento|aviento|avienta|tiro|tira|lanzo|lanza|arrojo) (?:el|la|un|una)"
        r" (?:control|silla|celular|botella|zapato|plato|vaso|cenicero|plancha)",
    ),
    *rules(
        "es", ABUSE, C,
        r"me (?:pega|pegaba|golpea|golpeaba|pego|golpeo|da|daba) con (?:lo que|el cinturon|la"
        r" chancla|el cable|el palo|la escoba|la manguera|el cinto)",
        r"me (?:jala|jalo|jalaba|jalan) (?:<w>)?(?:el pelo|los pelos|el cabello|las grenas|de las"
        r" grenas|del pelo)",
    ),
    *rules(
        "es", ABUSE, C,
        # subjunctive and imperfect forms: "harta de que mi papa me grite y me pegue"
        r"(?:que )?(?:mi|el|la|los|mis) " + FAMILY_ES + r" (?:<w>){0,3}me (?:pegue|golpee|pegara"
        r"|golpeara|lastime|maltrate|cachetee|ahorque|patee)",
        r"me (?:aventaba|avento|aviento|empujaba|empujo|azoto|azotaba|estrello|estrellaba"
        r"|aventaron|empujaron) (?:<w>){0,2}(?:contra|a) (?:la pared|el piso|el suelo|la puerta"
        r"|el carro|la cama|el ropero)",
        r"(?:por|x) (?:pegarle|golpearla|golpearnos|golpearme|abusar de|violar|maltratar|lastimar)"
        r" (?:<w>){0,6}(?:va a salir|ya sale|salio|sale pronto|lo van a soltar|lo soltaron|ya"
        r" esta afuera)",
    ),
]
# fmt: on
