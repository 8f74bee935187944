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

# fmt: off
EN: list[Group] = [
    *rules(
        "en", ABUSE, C,
        rf"(?:my |our |the )?{FAMILY_EN} (?:<w>){{0,2}}{HIT_EN} (?:on )?(?:me|us)",
        r"abus(?:e|ed|ive|ing) (?:<w>)?(?:at|in (?:my|the|our)) (?:home|house)",
        r"(?:get|getting|got|gets|been) (?:hit|beat|beaten|abused|whooped|hurt|smacked) "
        rf"(?:<w>)?(?:at home|at my house|at the house|by my {FAMILY_EN})",
        rf"abusive (?:home|house|household|family|{FAMILY_EN})",
        rf"{FAMILY_EN} (?:is|are) abusive",
        r"(?:abuse|violence) at home",
        r"home is (?:<w>)?(?:abusive|violent)",
        # things thrown, walls punched, being grabbed, pushed, dragged, choked, marked
        r"(?:threw|throws|throwing|throw|chucked|chucks|hurled|launched) (?:<w>){0,3}(?:at|on)"
        r" (?:me|us|my (?:head|face|back))",
        r"(?:threw|throws|throwing|throw|breaks|broke|breaking|smashes|smashed) (?:stuff|things"
        r"|shit|plates?|dishes|chairs?|bottles?)(?! (?:out|away|in the (?:trash|garbage)))",
        r"(?:punches|punched|punching|kicks|kicked) (?:holes? in )?the (?:walls?|door)",
        r"(?:slammed|slams|shoved|shoves|pushed|pushes|threw|throws) (?:me|my head|my face)"
        r" (?:<w>){0,2}(?:into|against|to|on|down)",
        r"(?:roughed|roughs|roughing) me up",
        r"(?:drags|dragged|dragging|yanks|yanked|grabs|grabbed|grabbing) me (?:by|across|out)",
        r"(?:broke|broken|busted|split|fractured|cracked) my (?:jaw|nose|arm|ribs?|lip|wrist"
        r"|finger|tooth|teeth|eye socket)",
        rf"(?:bruises|bruised|black eye|marks|welts) (?:<w>){{0,2}}(?:from|because of|bc|after)"
        rf" (?:my {FAMILY_EN}|my (?:boyfriend|girlfriend|husband|wife|partner|ex)|him|her|them"
        r"|what (?:he|she) did)",
        r"(?:it )?(?:bruises|leaves marks|leaves bruises|left marks|left bruises)",
        r"(?:gets|got|getting) (?:physical|violent|rough|handsy)",
        r"(?:screams|yells|screaming|yelling|yelled|screamed) (?:<w>){0,4}(?:and|then) (?:<w>)?"
        r"(?:throws|threw|hits|hit|punches|punched|breaks|broke|grabs|grabbed|shoves|shoved)",
        # locked in, locked out, kicked out, starved
        r"(?:locks|locked|locking|lock) (?:me|us) (?:in|out)",
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
        r"|choked|beat|kicked) (?:<w>){0,3}(?:again|stuff|things|me|us)",
        negatable=True,
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
]
# fmt: on
