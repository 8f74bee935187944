"""Suicide and self-harm: wishes to die, intent, plans and means, self-injury.

Each pattern runs against the canonical text (flows/risk/normalise.py): lower case, no accents,
single spaces, contractions expanded ("i do not want to"), "." for punctuation.  Both languages'
groups always run (people mix languages).
"""

from __future__ import annotations

from flows.levels import Level
from flows.risk.categories import SUICIDE
from flows.risk.lexicon import HAIR_ES, PILLS, Group, rules

U = Level.URGENT

# fmt: off
EN: list[Group] = [
    *rules(
        "en", SUICIDE, U,
        r"k+m+s+",
        # "told me to kill myself" is being harassed, not intent (see HURT below)
        r"(?<!told me to )(?<!tells me to )(?<!telling me to )(?<!told me to go )(?<!said to )"
        r"(?<!says to )(?<!said i should )kill(?:ing|ed|s)? (?:my ?self|my self)",
        r"suicid\w*", r"sewer ?slide", r"un ?aliv(?:e|ing|ed)\w*", r"self ?harm\w*",
        r"(?:want|wanted|wish|need|ready|deserve|trying|tried|plan|planning) to (?:just )?"
        r"(?:die|be dead|end it|end it all)",
        r"feel(?:ing)? like dying",
        r"wish (?:i was|i were|to be) dead",
        r"wish i (?:was|were) (?:gone|never born)",
        r"wish i (?:could )?(?:die|disappear|not exist|stop existing)",
        r"(?:want|wish i could|need) to (?:just )?disappear",
        r"(?:tired|sick) of (?:living|being alive|life|existing)",
        r"end(?:ing)? (?:it all|my life|things|everything|my ?self)",
        r"take my (?:own )?life",
        r"better off (?:without me|dead|if i (?:was|were|am|died|disappeared|never)\b)",
        r"happier without me",
        r"rather (?:be )?(?:dead|die)",
        r"cut(?:ting|s)? (?:my ?self|my (?:arms?|wrists?|legs?|thighs?|skin))",
        r"(?:been|started|start|keep|am|was) cutting",
        r"cutting again",
        r"(?:hurt|hurting|harm|harming|injure|injuring|burn|burning|starve|starving) my ?self"
        r"(?! (?:playing|lifting|working out|at (?:practice|the gym|gym|basketball|football"
        r"|soccer|work)|in (?:gym|practice|the game|pe)))",
        r"(?:hang|hanging|shoot|shooting) my ?self",
        r"(?:slit|slitting) my (?:wrists?|throat)",
        r"jump(?:ing|ed)? off (?:a|the|this|that) (?:roof|bridge|building|balcony|cliff"
        r"|overpass|ledge)",
        r"(?:want to|going to|will|try to|tried to|planning to) overdose",
        r"(?:overdose|overdosed|od|pills|meds) (?:<w>){0,3}on purpose",
        rf"(?:took|take|taking|swallowed|swallow|ate|popped) a (?:whole )?(?:bunch|lot|handful"
        rf"|ton|bottle) of (?:<w>)?{PILLS}",
        rf"all (?:of )?(?:my|the) {PILLS} (?:<w>){{0,2}}(?:at once|on purpose|together)",
        r"thoughts? (?:of|about) (?:dying|death|killing my ?self|ending it)",
        r"(?:hope|wish) i (?:never|do not) wake up",
    ),
    # negation is part of these phrases, so a preceding negator does not cancel them
    *rules(
        "en", SUICIDE, U,
        r"(?:not|never) want to (?:<w>)?(?:live|be alive|exist|be here anymore|be around anymore"
        r"|be here no more)",
        r"(?:sleep|bed) (?:<w>){0,3}(?:and )?(?:never|not) wake up",
        r"no (?:reason|point) (?:<w>){0,2}to (?:live|keep living|be alive|stay alive|be here)",
        r"no point in (?:living|being alive|life)",
        r"not worth living",
        r"(?:nobody|no one) (?:would|will|is going to) (?:even )?(?:miss|care about|notice) me",
        r"(?:nobody|no one) would (?:even )?(?:care|notice) if i",
        r"wish i (?:was|were) not (?:here|alive|born|around)",
        negatable=False,
    ),
]

ES: list[Group] = [
    *rules(
        "es", SUICIDE, U,
        r"quiero (?:<w>)?morir(?:me)?",
        r"me quiero (?:<w>)?(?:morir|matar|suicidar|quitar la vida|ir de este mundo)",
        rf"me quiero cortar{HAIR_ES}",
        r"(?:quiero|quisiera|voy a|vamos a|pienso|pensando en|pense en|ganas de|deberia|podria"
        r"|intente|intentar|tratar de|trate de|planeo|prefiero) (?:<w>)?(?:matarme|suicidarme"
        r"|morirme|quitarme la vida|lastimarme|hacerme dano|ahorcarme|colgarme|desaparecer"
        r"|tirarme de)",
        rf"cortarme{HAIR_ES}",
        r"me voy a (?:matar|suicidar|quitar la vida|ahorcar|colgar)",
        r"suicid\w*",
        r"quitar(?:me|se)? la vida",
        r"acabar con (?:todo|mi vida)",
        r"(?:estaria|estarian|estarias|estariamos|seria|serian) mejor (?:muert[oa]s?|sin mi)",
        r"mejor sin mi", r"mejor muert[oa]s?",
        r"me (?:corte|corto|cortaba|he cortado|estoy cortando|sigo cortando|volvi a cortar)"
        + HAIR_ES,
        r"(?:pastillas|medicinas|sobredosis) (?:<w>){0,3}a proposito",
        r"(?:quiero|voy a|pienso) (?:tomarme|tomar) (?:todas|un monton de|muchas) (?:las |mis )?"
        r"(?:pastillas|medicinas)",
        r"(?:ahorcarme|colgarme)",
        r"tirarme (?:del|de un|de la|al) (?:puente|edificio|techo|azotea|metro)",
        r"cansad[oa] de vivir",
        r"(?:ojala|quisiera|desearia) (?:<w>)?(?:no (?:estar|estuviera|existir|existiera"
        r"|haber nacido|hubiera nacido|despertar)|estar muert[oa]|estuviera muert[oa]|morirme"
        r"|me muriera|desaparecer)",
    ),
    *rules(
        "es", SUICIDE, U,
        r"no quiero (?:<w>)?(?:vivir|seguir viviendo|estar viv[oa]|existir|despertar)",
        r"ya no quiero (?:estar|seguir) aqui",
        r"nadie me (?:va a )?(?:extranaria|extranara|extranar|echaria de menos)",
        r"no (?:vale|tiene caso) (?:la pena )?vivir",
        negatable=False,
    ),
]
# fmt: on
