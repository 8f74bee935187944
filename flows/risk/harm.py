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
