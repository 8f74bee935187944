"""Concern rows where "the situation is the signal": what is being done to someone, said as it
happened, with no keyword such as "abuse" or "threat" (the rubric's concern level).

One vocabulary per situation, each in both languages:

- deprivation and punishment at home or in a placement: not fed, made to sleep in the garage,
  things thrown at the kids ("no nos dan de comer", "me hace dormir en la cochera");
- asking to be moved or for a counselor to call ("can i get moved", "que me llame una consejera");
- peers ganging up, not leaving someone alone day after day, hiding or soaking their things;
- a mentor or staff asking for secrecy, attaching a consequence ("if i complain i lose my phone",
  "si no le guardo el celular le dice al guardia", "o si no"), asking for things from outside;
- despair said as a forecast ("nothing is ever going to get better"), breaking down, weeks
  without talking to anyone; days without sleep;
- an adult coming into the bedroom at night, asking for pictures, touching that is not wanted;
- buying what is smuggled in, needing a drink to get up; being followed or threatened lately.

All groups are CONCERN and negatable: a plain denial ("nobody makes me sleep outside") cancels.
"""

from __future__ import annotations

from flows.levels import Level
from flows.risk.categories import (
    ABUSE,
    BULLYING,
    COERCION,
    EAT_SLEEP,
    HELP,
    HOPELESS,
    PAST_ATTEMPT,
    SEXUAL,
    SUBSTANCE,
    UNSAFE,
)
from flows.risk.lexicon import Group, rules

C = Level.CONCERN

# fmt: off
EN: list[Group] = [
    *rules(
        "en", ABUSE, C,
        r"(?:do not|does not|will not|won't|did not|never) (?:feed (?:us|me)|let (?:us|me) eat"
        r"|give (?:us|me) (?:food|dinner|lunch|breakfast))",
        r"(?:makes?|made|forces?|forced) (?:me|us) (?:to )?(?:sleep|stay) (?:in|on|outside in)"
        r" (?:the |a )?(?:garage|porch|floor|basement|car|yard|closet|shed|hallway)",
        r"(?:throw|throws|threw|throwing) (?:things|stuff|plates|shoes|chairs|food|cups) at (?:me"
        r"|us)",
    ),
    *rules(
        "en", HELP, C,
        r"(?:can|could) i (?:please )?(?:get|be) (?:moved|transferred)"
        r"(?! to (?:the|a) (?:day|morning|afternoon|evening|other shift|front))",
        # the ask alone, or with not knowing what to do: not "help me fill out the application"
        r"(?:can|could) (?:someone|somebody|anyone) (?:please )?help me(?= \.|$| please| i do not"
        r" know| i can not| i am (?:scared|not ok|not okay|not safe))",
        r"(?:have|can|could) (?:a|the|my) (?:counselor|therapist|social worker|caseworker"
        r"|chaplain|psychologist) (?:please )?(?:call|see|talk to|come see) me",
    ),
    *rules(
        "en", BULLYING, C,
        r"(?:gang|gangs|ganged|ganging) up on me",
        r"(?:will not|won't|do not|never) leave me alone(?: \.)? (?:<w>){0,3}(?:every|all the"
        r" time|each day|daily)",
    ),
    *rules(
        "en", COERCION, C,
        r"(?:says|said|told me|tells me|wants me to know) (?:that )?i (?:should not|can not"
        r"|must not|am not supposed to|do not need to) tell (?:the |my |anyone|anybody|staff"
        r"|nobody)",
        r"if i (?:complain|tell|say anything|report|snitch|do not) (?:<w>){0,5}(?:i (?:lose|will"
        r" lose|get written up|get dropped|get kicked)|they will (?:take|drop|write|report)|he will"
        r" (?:tell|report|hurt)|she will (?:tell|report))",
        r"or else(?= \.|$)",
    ),
    *rules(
        "en", HOPELESS, C,
        r"nothing (?:is )?(?:ever )?(?:going to|will ever|will) (?:get better|change|be okay|be"
        r" ok)(?: for me)?",
        r"(?:i am|i feel like i am|i think i am) (?:breaking down|falling apart|losing it"
        r"|cracking)",
        r"(?:have not|did not|have n't) (?:talked|spoken) to (?:anyone|anybody|a soul) (?:in|for)"
        r" (?:weeks|months|days)",
    ),
    *rules(
        "en", EAT_SLEEP, C,
        r"(?:awake|up|without sleep|no sleep) (?:for )?(?:two|three|four|\d+) (?:days|nights)"
        r"(?: straight| in a row)?",
    ),
    *rules(
        "en", SEXUAL, C,
        r"(?:comes?|came|coming|sneaks?|snuck) (?:in|into) my (?:room|bed|bunk|cell) (?:<w>){0,2}"
        r"(?:at night|late|when|while i)",
    ),
    *rules(
        "en", SUBSTANCE, C,
        r"(?:k2|spice|ice|meth|crystal|dope|fentanyl|fetty|molly|xans|percs|oxy|pills|weed"
        r"|liquor) (?:<w>){0,4}(?:i keep|and i keep) (?:buying|using|taking|smoking)",
        r"(?:keep|kept) (?:buying|using|smoking|taking) (?:it|k2|spice|them|dope|pills)",
        r"need (?:a|one) (?:drink|shot|hit|bump|pill) (?:to|just to) (?:get out of bed|get up"
        r"|function|get through|sleep|feel normal)",
    ),
    *rules(
        "en", UNSAFE, C,
        r"got threatened",
        r"(?:someone|somebody|a guy|some guy|a man) (?:has been|keeps|kept) (?:following me"
        r"|showing up|waiting for me|looking for me)",
    ),
]

ES: list[Group] = [
    *rules(
        "es", ABUSE, C,
        r"no (?:nos|me) (?:dan|daban|dejan|dejaban) (?:de )?comer",
        r"me (?:hace|hacen|hacia|hacian|obliga a|obligan a|manda a|mandan a) dormir en (?:la|el)"
        r" (?:cochera|piso|suelo|patio|sotano|carro|banqueta|pasillo|garage)",
        r"(?:nos|me) (?:avientan|aventaron|avienta|avento|tiran|tiraron|lanzan|lanzaron) (?:<w>)?"
        r"(?:cosas|objetos|platos|zapatos|sillas|vasos|chanclas)",
    ),
    *rules(
        "es", HELP, C,
        r"que me (?:llame|hable|vea|visite) (?:una|un|la|el|mi) (?:consejer\w*|psicolog\w*"
        r"|trabajador\w*|terapeuta|capellan)",
        r"(?:me pueden|pueden|puedo) (?:cambiar(?:me)?|mover(?:me)?) (?:de )?(?:cuarto|modulo|casa"
        r"|hogar|celda|dormitorio)",
        r"(?:alguien|me pueden|pueden|me puedes) (?:me )?(?:puede )?ayudar(?:me)?(?= \.|$"
        r"| por favor| no se| ya no| tengo miedo)",
    ),
    *rules(
        "es", BULLYING, C,
        r"no me (?:dejan|deja) en paz(?: \.)? (?:<w>){0,3}(?:todos los dias|diario|siempre"
        r"|a diario)",
        r"(?:escondieron|esconden|mojaron|mojan|tiraron|tiran|rompieron|rompen|quitaron|quitan)"
        r" (?:<w>)?(?:mis|mi) (?:cosas|ropa|tenis|mochila|comida|lonche|zapatos|libros)"
        r" (?:<w>){0,3}(?:y|todos|otra vez|siempre|diario)",
        r"se me (?:echan|echaron) (?:encima|montón|monton)",
    ),
    *rules(
        "es", COERCION, C,
        r"(?:quiere|quieren|dice|dijo|me dijo|me pide|me pidio) que (?:<w>){0,3}(?:sean|sea|quede"
        r"|quedemos|guarde|guardemos) (?:un |en )?secreto",
        r"que no le (?:diga|cuente|digas|cuentes) (?:<w>)?(?:a )?(?:nadie|la consejera|el consejero"
        r"|los encargados|staff|mi trabajador\w*|la psicolog\w*)",
        r"si (?:no )?(?:le |me )?(?:guardo|hago|quejo|digo|reporto|cuento|traigo|ayudo|doy|paso)"
        r" (?:\S+ ){0,4}(?:me va a|me van a|le dice|le va a decir|me saca|me quita|me reporta"
        r"|me levanta)",
        r"(?:sacar|correr|quitar|reportar|levantar)(?:me)? (?:\S+ ){0,3}si no (?:hago|le|me|doy"
        r"|traigo)",
        r"o si no(?= \.|$)",
        r"(?:me pide|me pidio|me piden|quiere|quieren) que (?:le |les )?(?:traiga|meta|pase|consiga"
        r"|guarde|esconda) (?:\S+ ){0,2}(?:de afuera|cosas|paquetes|droga|celulares|celular)",
    ),
    *rules(
        "es", HOPELESS, C,
        r"nada (?:va a|nunca va a|jamas va a) (?:mejorar|cambiar|estar bien)",
        r"(?:me estoy|siento que me estoy|me siento) (?:quebrando|derrumbando|cayendo a pedazos"
        r"|desmoronando|rompiendo)",
        r"no he hablado con nadie (?:en|desde hace) (?:semanas|meses|dias)",
    ),
    *rules(
        "es", EAT_SLEEP, C,
        r"(?:llevo|tengo|van) (?:dos|tres|cuatro|\d+) (?:dias|noches) sin dormir",
    ),
    *rules(
        "es", SEXUAL, C,
        r"(?:entra|entro|se mete|se metio|viene) (?:a|en) (?:mi|la) (?:cuarto|cama|recamara|celda)"
        r" (?:<w>){0,2}(?:en la noche|de noche|en las noches|tarde|cuando)",
        r"(?:me pidio|me pide|me piden|quiere) que le (?:mande|mandara|envie|enviara|pase) (?:<w>)?"
        r"(?:fotos|fotitos|videos|packs?)",
        r"me (?:soba|toca|acaricia|agarra|sobaba|tocaba) (?:la|las|el|los|mi|mis) (?:espalda"
        r"|pierna|piernas|cintura|cara|pelo|nalgas|pecho|muslo|muslos) (?:<w>){0,4}(?:cuando nadie"
        r"|no me gusta|me incomod\w*|a escondidas)",
    ),
    *rules(
        "es", SUBSTANCE, C,
        r"(?:droga|mota|cristal|perico|piedra|pastillas|k2|spice|fentanilo|alcohol) (?:<w>){0,3}"
        r"(?:la|lo|las|los)? ?sigo (?:comprando|usando|consumiendo|fumando|tomando)",
        r"necesito (?:un|una) (?:trago|chela|cerveza|toque|pase|pastilla) (?:para|pa) (?:levantarme"
        r"|funcionar|aguantar|dormir|sentirme normal|empezar el dia)",
    ),
    *rules(
        "es", UNSAFE, C,
        r"(?:alguien|un tipo|un vato|un hombre|un senor) (?:me )?(?:ha seguido|me ha seguido|sigue"
        r" viniendo|me sigue|me anda siguiendo|me ha estado siguiendo|anda buscandome|me esta"
        r" buscando)",
    ),
    *rules(
        "es", PAST_ATTEMPT, C,
        r"(?:una vez|hace (?:mucho|anos|tiempo)) (?:\S+ ){0,4}(?:sobredosis|intente matarme|me"
        r" quise matar|intente suicidarme|me corte las venas)",
        r"(?:sobredosis|intente matarme|me quise matar|intente suicidarme) (?:\S+ ){0,4}hace"
        r" (?:mucho|anos|tiempo)",
        r"historial de intentos",
    ),
]
# fmt: on
