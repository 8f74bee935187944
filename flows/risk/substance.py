"""Substance use to cope, relapse and near-relapse, addiction.

The rubric's signal is use as a way through ("drink so i don't have to think", "pa no pensar",
"the only way i get through the day"), loss of control ("can't stop", "ya es diario"), relapse and
near-relapse ("called my dealer", "tenía la chela en la mano", "almost threw away 3 years").

Each pattern runs against the canonical text (flows/risk/normalise.py): lower case, no accents,
single spaces, contractions expanded ("i do not want to"), "." for punctuation.  Both languages'
groups always run (people mix languages).
"""

from __future__ import annotations

from flows.levels import Level
from flows.risk.categories import SUBSTANCE
from flows.risk.lexicon import Group, rules

C = Level.CONCERN

_USE_EN = (
    r"(?:drink|drinks|drinking|drank|smoke|smokes|smoking|smoked|get high|getting high|got high"
    r"|get drunk|getting drunk|got drunk|snort|snorting|huff|huffing|huffed"
    r"|hit the (?:pipe|bottle|bong|pen))"
)
_DRUG_EN = (
    r"(?:meth|crystal|crack|coke|cocaine|heroin|dope|fent|fentanyl|percs|percocets?|oxys?"
    r"|oxycontin|xans|xanax|bars|molly|ecstasy|lean|drugs|spice|k2|pills|weed|pot|blunts?"
    r"|joints?|alcohol|liquor|vodka|whiskey|tequila|beer|beers|wine|hooch|pruno|booze|adderall"
    r"|benzos|opioids|shrooms|acid|ketamine|dabs|carts)"
)

# fmt: off
EN: list[Group] = [
    *rules(
        "en", SUBSTANCE, C,
        r"relaps\w*",
        r"(?:using|used|use|drinking|drank|drink|smoking|smoked|shooting up|snorting|popping"
        r"|popped|huffed|huffing|high) (?:<w>){0,3}again",
        r"(?:got|get|getting|gets|been|was|am) (?:so |really |super )?(?:drunk|wasted|faded|stoned"
        r"|blazed|tweaking|blackout drunk|hammered|plastered)",
        r"(?:got|get|getting|gets|been|i was|stay|staying) (?:so |really |super )?high"
        r"(?! (?:score|scores|marks|grades|five|fives))",
        r"(?:back on|started|starting) (?:the )?(?:drugs|pills|meth|dope|using|drinking|smoking)",
        r"(?:used|using|did|doing|took|taking|popped|popping|smoked|smoking|shot up|snorted"
        r"|sniffed|bought|buying|buy|drinking|drank) (?:some |more |a lot of |his |her |my moms"
        r" |my dads )?(?:meth|crystal|crack|coke|cocaine|heroin|dope|fent|fentanyl|percs|percocets"
        r"|xans|xanax|molly|ecstasy|lean|drugs|spice|k2|hooch|pruno|adderall|benzos)",
        r"slipped up", r"fell off the wagon", r"lost my (?:clean time|sobriety)",
        # use to cope
        _USE_EN + r" (?:<w>){0,4}(?:to (?:cope|forget|numb|escape|calm down|calm my|deal|get"
        r" through|make it through|stop thinking|not think|not feel|feel nothing|feel normal"
        r"|function|sleep|fall asleep|get to sleep)|so i (?:do not|can not|can|will not) (?:have"
        r" to )?(?:think|feel|remember|sleep|cope|deal|function)|just to (?:sleep|cope|not|get"
        r"|feel|function|make it))",
        r"(?:only way|only thing that) (?:<w>){0,5}(?:smoking|drinking|high|drunk|pills|weed"
        r"|a drink|using|the bottle)",
        r"(?:only way|only thing that) (?:<w>){0,6}(?:is|by) (?:smoking|drinking|getting high"
        r"|using|pills|weed)",
        rf"(?:can not|could not) (?:<w>){{0,3}}(?:sleep|function|sit through|get through|go a day"
        rf"|cope|relax|eat|work) (?:<w>){{0,3}}without (?:weed|a drink|drinking|smoking|pills"
        rf"|it|them|getting high|my pills|a hit|{_DRUG_EN})",
        r"(?:drinking|drink|drank|smoking|getting high|get high|getting drunk) (?:<w>){0,3}every"
        r" (?:single )?(?:night|day|morning)",
        r"(?:need|needed|want|wanted) (?:a drink|a hit|to get high|to get drunk|to use|to drink"
        r"|something to take the edge|a bump|a line|a fix|my fix)",
        r"addict(?:ed|ion)?(?! to (?:this|that|the|these|those|my phone|tiktok|coffee|netflix"
        r"|chocolate|sugar|candy|chips|anime|games|video games|\w+ing))",
        r"(?:can not|could not) stop (?:drinking|using|smoking|taking|popping)",
        r"(?:bender|blacked out|black out drunk|do not remember most of it)",
        r"(?:almost|nearly|came close to|about to|so close to) (?:<w>)?(?:took|take|taking|used|use"
        r"|using|drank|drink|drinking|relapsed|bought|buy|called my (?:old )?dealer|smoked"
        r"|threw it (?:all )?away|slipped)",
        r"(?<!car )(?<!card )dealer(?!ship)",
        r"(?:dropped|drop|dropping) dirty|dirty (?:ua|test|drop|urine)|failed my (?:ua|drug test"
        r"|piss test)",
        r"(?:clean|sober) (?:<w>){0,4}(?:almost|nearly) (?:threw|used|drank|lost)",
        r"one more (?:hit|drink|line|pill|bump|time) (?:could not|would not|will not|can not)"
        r" hurt",
        r"(?:keep|keeps|keeping|hide|hiding|stash|stashing) (?:<w>)?(?:vodka|liquor|alcohol|a"
        r" bottle|bottles|a stash|booze)",
        r"(?:buying|bought|buy) (?:<w>)?bottles",
        r"(?:huff|huffs|huffed|huffing) (?:<w>){0,2}(?:again|gas|paint|glue|duster|air duster"
        r"|cleaning|spray|markers)",
        r"(?:drinking|drink|making|made) (?:the )?(?:hooch|pruno)",
        r"(?:go|went|going|end up) (?:to|at) the (?:bar|liquor store) (?:<w>){0,3}(?:every|when"
        r"|whenever|again)",
        r"(?:every time|whenever|when) i (?:get|am|feel) (?:<w>)?(?:stressed|sad|anxious|upset"
        r"|angry|down|triggered) (?:i )?(?:<w>)?(?:go|drink|smoke|use|get high|take)",
        r"(?:stealing|steal|stole|taking|take|took) (?:<w>)?(?:my )?(?:moms|mothers|dads|fathers"
        r"|grandmas|foster moms|roommates|someones) (?:pills|meds|xanax|percs|adderall|liquor"
        r"|booze|alcohol)",
        r"(?:offered|offers|gave|gives|giving) me (?:<w>){0,3}(?:pills|drugs|weed|coke|meth|xans"
        r"|adderall|a hit|a line)(?! (?:for (?:my )?(?:headache|pain|cramps)))",
        r"(?:keep|kept|keeps) asking (?:<w>)?for more",
        r"(?:smoking|drinking|using) (?:way |a lot |so much )?more than (?:usual|before|i should)",
        r"(?:smoking|drinking|using) (?:way too much|a lot|so much|too much|every day|all day"
        r"|every night|heavy)",
        r"(?:drinking|drank) (?:<w>){0,3}(?:whole bottle|alone|by myself|in the morning)",
        r"becoming a (?:pattern|habit|problem)",
    ),
]

ES: list[Group] = [
    *rules(
        "es", SUBSTANCE, C,
        r"reca(?:i|yo|ida|er|igo)",
        r"volv(?:i|io|imos) a (?:usar|consumir|tomar|beber|fumar|drogarme|drogar|meterme|inyectarme"
        r"|emborracharme|caer|la|el|las|los)",
        r"(?:he|ha|has) vuelto a (?:usar|consumir|tomar|beber|fumar|drogarme|meterme|caer)",
        r"me (?:drogue|emborrache|puse (?:bien )?(?:pedo|high|borracho|drogado)|pase de copas"
        r"|meti (?:algo|de todo|piedra|coca|cristal|perico|una raya|una linea|un pase|droga"
        r"|mota|lo que sea))",
        r"otra vez (?:tomando|bebiendo|fumando|drogandome|consumiendo|usando)",
        r"(?:estoy|ando|andaba) (?:<w>)?(?:drogad[oa]|borrach[oa]|high|pedo|peda|hasta atras|bien"
        r" puest[oa])",
        r"(?:uso|use|usando|consumo|consumiendo|fumo|fumando|compro|comprar|gastando"
        r" todo en) (?:la |el |mas )?(?:drogas|mota|cristal|crack|coca|heroina|pastillas|perico"
        r"|piedra|xanax|lean|fentanilo|foco|vicio|chemo|activo)",
        # use to cope
        r"(?:bebo|fumo|consumo|me drogo|me fumo|me fume|me meto|beber|fumar|fume|me emborracho"
        r"|tomo|tomar|tome|me tomo (?:una|unas|un|mis) (?:chelas?|cervezas?|caguamas?|tragos?"
        r"|copas?|botella|pastillas)) (?:<w>){0,6}(?:pa|para) (?:no pensar|olvidar|olvidarme"
        r"|calmar|calmarme|no rayarme|dormir|poder dormir|aguantar|no sentir|sentirme|soportar"
        r"|desconectar|escapar|relajarme|los nervios)",
        r"(?:ya )?no puedo (?:<w>){0,2}sin (?:ellas|ellos|eso|esa|la mota|el alcohol|tomar|fumar"
        r"|las pastillas|la lean|el cristal|la coca|drogarme|mi dosis)",
        r"(?:lo unico|la unica cosa) que me (?:calma|ayuda|relaja|quita) (?:<w>)?es (?:el|la|tomar"
        r"|fumar|drogarme|beber)",
        r"(?:ganas|antojo|necesidad) de (?:<w>)?(?:usar|consumir|tomar|beber|meterme|drogarme"
        r"|fumar|una cerveza|un trago|una chela)",
        r"(?:el |un |mi |al )dealer|(?:casa|lugar|esquina|con el|al) (?:del? )?que (?:vende|me"
        r" vendia)|mi conecte",
        r"(?:estuve|estaba|estoy) a (?:nada|punto|un paso) de (?:tomar|usar|consumir|beber|fumar"
        r"|recaer|meterme|ir con|comprar|llamar)",
        r"(?:casi|por poco) (?:recaigo|tomo|consumo|uso|me drogo|lo tiro|lo tire|vuelvo|caigo)",
        r"(?:limpi[oa]|sobri[oa]) (?:<w>){0,6}(?:consumi|tome|bebi|use|fume|recai|lo tire"
        r"|me meti)",
        r"consumi (?:otra vez|de nuevo)",
        r"(?:ya es|es) diario (?:<w>)?(?:lo del|el|la) (?:alcohol|pisto|trago|chupe|mota|fumar"
        r"|tomar)",
        r"no se como (?:parar|dejar(?:lo)?) (?:<w>)?(?:de )?(?:tomar|beber|fumar|usar|consumir)?",
        r"(?:adict[oa]|adiccion|enganchad[oa])",
        r"(?:la )?botella guardada",
        r"me cuesta (?:mucho )?no (?:hacerlo|consumir|usar|tomar|fumar)",
        r"me tomo lo que sea",
        r"me ofrecieron (?:<w>)?(?:perico|coca|mota|pastillas|cristal|droga\w*|piedra|una raya)"
        r" (?:<w>){0,5}(?:dije que si|acepte|le entre)",
        r"(?:de sus|sus) pastillas (?:<w>){0,3}(?:pa|para) los nervios",
        r"(?:me pase|me pasé) de copas",
        r"(?:\w+ )?dias seguidos (?:<w>)?(?:tomando|bebiendo|fumando|consumiendo)",
        r"ya van (?:<w>){0,2}dias seguidos",
    ),
]
# fmt: on
