"""Coercion, pressure, manipulation and exploitation, above all inside the program.

No keyword is needed: the rubric's signal is a situation.  The patterns model its parts:
- a DEMAND (money, benefits, papers, passwords, favours, labour, holding or carrying things,
  lying or taking the blame for someone), made by someone with power (power.py) or by "them";
- a LEVER: a conditional threat ("if i tell ... he'll say i ...", "or else", "o me sacan"),
  privileges, visits, a placement or a level taken away, being reported or written up;
- SECRECY: being told to keep talks, rides or texts from staff, deleting messages;
- CONTROL: phone checked, movements tracked, only allowed to talk to him, feeling used.

Each pattern runs against the canonical text (flows/risk/normalise.py): lower case, no accents,
single spaces, contractions expanded ("i do not want to"), "." for punctuation.  Both languages'
groups always run (people mix languages).  Patterns start at the verb where they can, so that a
negator before it ("nobody asked me to ...", "nadie me pide ...") cancels them.
"""

from __future__ import annotations

from flows.levels import Level
from flows.risk.categories import COERCION
from flows.risk.lexicon import Group, rules
from flows.risk.power import FUTURE_EN, LEVER_EN, POWER_EN, POWER_ES

C = Level.CONCERN

# Things a person in power demands or takes.
_MONEY_EN = (
    r"(?:money|cash|\d+(?: dollars| bucks)?|bucks|commissary|canteen|ebt(?: card)?"
    r"|food stamps|stamps|snap card|benefits|checks?|stimulus(?: check)?|paycheck|tips"
    r"|social(?: security)?(?: number)?|ssn|bank (?:login|card|info|account|password)"
    r"|passwords?|pin|allowance|rent)"
)
# Belongings: only a demand for them is the signal ("took my meds this morning" is not).
_GOODS_EN = r"(?:" + _MONEY_EN + r"|meds|pills|phone|tablet|shoes|clothes|food|trays?|id)"
_GOODS_ES = (
    r"(?:dinero|plata|lana|feria|varo|pesos|comisaria|tarjeta|cheque|sueldo|pago|quincena"
    r"|ayuda del gobierno|beca|contrasena|clave|password|credencial|papeles|pastillas"
    r"|medicinas|comida|sopas|ropa|tenis|recargas|celular|cel|movil)"
)

# A parent holding a paycheck or papers for the household is not exploitation.
_PARENT = (
    r"(?<!\bmom )(?<!\bdad )(?<!\bmother )(?<!\bfather )(?<!\bparents )(?<!\bgrandma )"
    r"(?<!\bgrandpa )"
)

# fmt: off
EN: list[Group] = [
    *rules(
        "en", COERCION, C,
        # -- demands: money, benefits, papers, property
        r"(?:asks|asked|asking|ask|begging|begs|wants|wanted|demands|demanded) (?:me |us )?(?:for"
        r" |to (?:borrow|give|lend|hold|cash)(?: him| her| them)? )?(?:some |my |his |her |more"
        r" |all my |half my |most of my |our |part of my )?" + _GOODS_EN
        + r"(?! (?:back|too|out|list|schedule|form))",
        _PARENT + r"(?:takes|took|taking|take|keeps|kept|collects|collecting|collected|holds"
        r"|held|cashes"
        r"|cashing|uses|using|spends|spending|controls|controlling) (?:some of |most of |all of"
        r" |half of |part of )?(?:my|our|all my|half my|most of my) " + _MONEY_EN
        + r"(?! (?:back|too|out|list|schedule|form))",
        r"(?:asks|asked|asking|ask|wants|wanted|makes|made|making|has|had|told) (?:me|us) to"
        r" (?:cash|sign|pay|send|give|buy|lend|put money|put \$?\d+|deposit|transfer|open)"
        r" (?:<w>){0,3}(?:for (?:him|her|them)|his|her|their|checks?|money|on (?:his|her) books"
        r"|account|card)",
        r"(?:give|giving|gave|pay|paying|paid|hand over|handing over|put money on) (?:him|her|them"
        r"|my mentor|the mentor|this guy|that guy) (?:<w>){0,2}(?:money|cash|commissary|canteen"
        r"|back|my \w+|every (?:week|month|day)|a cut|rent)",
        r"(?:every time|when(?:ever)?) i get paid (?:<w>){0,3}takes?",
        _PARENT + r"(?:takes|took|keeps|kept|has) my (?:id|papers|documents|passport|birth"
        r" certificate"
        r"|social security card|ebt|check|paycheck|card)(?! (?:back|home))",
        r"(?:collects?|charging|charges|charged|makes us pay) (?:<w>){0,2}(?:rent|money|a fee"
        r"|fees)",
        r"(?:get|getting|gets) it back when i (?:pay|do|give)",
        r"only (?:gives|give|gave) (?:it|my \w+) back (?:<w>){0,2}when",
        r"pay(?:ing)? (?:him|her|them) back (?:with|in) (?:favou?rs|my|sex|stuff|work)",
        r"pay (?:him|her|them) back",
        r"pay off (?:the|my) (?:room|debt|bed)",
        r"i owe (?:him|her|them|my mentor|this guy|that guy)",
        r"owe (?:him|her|them) (?:now|money|favou?rs?|something|big)",
        r"(?:does not|do not|never) pay me(?! back)",
        r"(?:work|working|worked) (?:<w>){0,4}(?:for free|and (?:he|she|they) (?:gives|pays) me"
        r" (?:<w>)?\$?\d+|without (?:pay|getting paid))",
        r"(?:social security number|bank login|bank password|my passwords?|my pin)",
        # -- favours, labour, errands
        r"(?:asks?|asked|asking|wants?|wanted|begs|begging|expects?|expected) (?:me |us )?(?:for "
        r"|to do )?(?:<w>)?favou?rs",
        r"(?<!me )(?<!us )(?:with|in|for|owe|owes|owed|trade|trading) (?:him |her "
        r"|them )?(?:<w>)?favou?rs",
        r"(?:do|doing|did) (?:him|her|them) (?:<w>)?favou?rs?",
        r"(?:do|doing|did) (?:his|her|their) (?:laundry|dishes|chores|homework|cleaning|shift"
        r"|errands|work)",
        r"(?:clean|cleaning|wash|washing) (?:his|her|their) (?:apartment|house|car|room|clothes"
        r"|laundry)",
        r"cover (?:his|her|their) shifts?",
        r"only (?:keep getting|get|keep) (?:<w>){0,2}if i",
        r"(?:help|helping) (?:me )?(?:<w>){0,3}if i (?:give|pay|do|send)",
        # -- holding, carrying, smuggling, selling
        r"(?:me|us) to (?:hold|hide|stash|sneak|smuggle|hold onto|sell|run) (?!(?:my|the|a|his"
        r"|her) (?:homework|books|class|door|meeting|group|chairs?|tables?)\b)",
        r"(?:me|us) to (?:carry|bring|move|deliver|pick up|drop off|keep|take) (?:<w>){0,2}"
        r"(?:packages?|a bag|bags|something|stuff|things|an envelope|a box|some \w+ for him"
        r"|it for (?:him|her|them))",
        r"(?<!me to )(?<!us to )(?:hold|holding|carry|carrying|hide|hiding|stash|stashing|sneak"
        r"|sneaking|smuggle"
        r"|smuggling|keep|keeping|sell|selling|bring|bringing) (?:<w>){0,4}(?:for (?:him|her|them"
        r"|my mentor|the co|somebody|someone|the guys)|onto the unit|in on visit|into the unit"
        r"|under my mattress|in my (?:cell|bunk|locker|room|bag))",
        r"(?:keep|keeping|holding|hold|hide|hiding) (?:<w>){0,3}(?:stuff|something|things|a phone"
        r"|their phone|his phone|her phone|a package|a bag|it) (?:<w>){0,2}(?:in my|under my)",
        r"(?:needs|need|wants) something carried",
        r"(?:package|packages|something|stuff) (?:<w>){0,4}(?:did not|does not|do not|never)"
        r" (?:<w>)?(?:say|tell|know) what is in",
        r"(?:pick up|bring|carry|deliver|take) (?:<w>){0,2}(?:a |the |some )?packages?",
        r"bring something in",
        r"take (?:the|a) (?:charge|blame|fall|rap) for",
        r"(?:making|make|made|makes) me take (?:the )?(?:blame|charge|fall)",
        r"(?:wants|want|wanted|asked|asks|told|tells) me to (?:lie|lie to)",
        # -- levers: conditional threats, reports, privileges
        # an agent writes me up (a threat); "got written up at work for being late" is not
        r"(?<!threatening to )(?<!threatened to )(?<!threaten to )(?<!threatens to )"
        r"(?:write|writes|writing|wrote|will write|going to write) me up",
        r"(?:get|have|got) me written up",
        r"(?:send|sending|sent|get|getting) me (?:sent )?back",
        r"(?:report|snitch on|rat on|tell on|rat me out) me",
        r"threaten\w* (?:me )?(?:to|with) (?:report\w*|write\w*|tell\w*|snitch\w*|send\w*|drop\w*"
        r"|kick\w*|tak\w*)",
        r"get me (?:in trouble|violated|locked up|kicked out|sent back|moved|transferred|fired)",
        r"if i (?:do not|did not|refuse|say no|tell|told|report|complain|leave|quit|stop|talk"
        r"|ever tell|say anything|snitch) (?:<w>){0,10}" + FUTURE_EN + r" (?:<w>){0,2}" + LEVER_EN,
        # a threat of violence to keep a secret: "if i tell anyone he'll hurt my little sister"
        r"if i (?:tell|told|say|report|snitch|talk) (?:<w>){0,6}" + FUTURE_EN + r" (?:<w>)?"
        r"(?:hurt|kill|beat|come after|go after|do something to|get) (?:me|my|you|your|us|her"
        r"|him)",
        r"(?:nobody|no one) (?:will|would|is going to|is gonna) (?:ever )?believe (?:me|you|a)",
        r"(?:nobody|no one) (?:will|would) believe (?:me|you) (?:<w>){0,2}if",
        r"if i (?:do not|did not|refuse|say no|tell|told|report|complain|leave|quit|stop|talk"
        r"|ever tell|say anything|snitch) (?:<w>){0,10}(?:i will|ill|i would"
        r"|i am going to) (?:<w>)?"
        r"(?:lose|get (?:sent|kicked|benched|dropped|written|moved|in trouble|violated)|be (?:sent"
        r"|kicked|dropped|moved)|never get)",
        r"(?:i will|ill|i would|i am going to) (?:get|lose|be) (?:<w>){0,2}(?:benched|kicked"
        r"|dropped"
        r"|sent|written|moved|in trouble|violated|my (?:spot|bed|place|privileges"
        r"|visits)) (?:<w>){0,5}if i",
        r"(?:doing|do|did) (?:everything|whatever|what) (?:he|she|they) (?:says|say|said|wants"
        r"|want|tells)",
        r"(?:have to|has to|got to|must|make me|makes me|made me|making me) (?:give|pay|hand over"
        r"|hand)"
        r" (?:<w>)?(?:my |our |them |him |her )?" + _GOODS_EN,
        FUTURE_EN + r" (?:<w>){0,2}" + LEVER_EN
        + r" (?:<w>){0,6}if i (?:do not|did not|refuse|say no|tell"
        r"|told|report|complain|leave|quit|stop|talk|ever tell|say anything|snitch)",
        r"(?:then )?(?:do not|dont) expect (?:any )?(?:help|rides|money|support)",
        r"(?:says?|said|threatens?|threatened) (?:<w>){0,2}(?:i will|ill|i would|i am going to)"
        r" (?:lose|get (?:sent|kicked|dropped|written)) (?:<w>){0,2}(?:my (?:spot|bed|place"
        r"|placement|privileges|visits|level|phone)|out|back)",
        r"or (?:else|theyll|hell|shell|they will|he will|she will|i will lose|i lose)",
        r"never get off (?:level|restriction)",
        r"(?:take|took|taking|takes) away my (?:visits|privileges|phone time|calls|passes|pass"
        r"|level|points)",
        r"(?:extra|more) (?:privileges|phone time|calls|visits|commissary"
        r"|playing time) (?:<w>){0,3}"
        r"if",
        r"id get extra (?:privileges|phone|time)",
        r"make (?:my|your) (?:paperwork|charges?|file|record|write ?up) disappear",
        r"report back to (?:him|her|them)",
        # -- secrecy kept from staff
        r"keep (?:<w>){0,2}secrets?", r"our (?:little )?secret", r"(?:between|just between) us",
        r"(?:told|tells|telling|asked|asks|asking|wants|wanted|said|says|warned|made|make|makes)"
        r" (?:me |us )?(?:promise )?(?:not|never) (?:to )?(?:tell|say|mention|talk about|let)",
        r"(?:should|must|can) not (?:tell|let) (?:staff|anyone|anybody|my|the|them|her|him)"
        r" (?:<w>){0,2}(?:that|know|about)",
        r"(?:do not|not) (?:tell|let) (?:staff|my caseworker|the staff|my po|anyone|anybody)"
        r" (?:<w>){0,3}(?:about (?:the|our|us|this)|that (?:he|she)|know)",
        r"keep (?:<w>)?(?:our|the|these) (?:talks?|texts|calls|chats|facetimes|messages|rides"
        r"|visits|meetings) (?:<w>)?(?:private|secret|quiet|between)",
        r"(?:has|have|makes|made|tells|told|wants) me (?:to )?(?:delete|erase|clear) (?:our|the"
        r"|his|her|all the|all our) (?:texts|messages|chats|calls|dms|call log)",
        r"(?:meet|meeting|hang out) (?:<w>){0,2}(?:somewhere other than |outside (?:of )?)(?:the )?"
        r"(?:center|program|office)",
        r"(?:text|texting|talk|talking|meet|meeting) outside (?:of )?the program",
        r"real friends (?:do not|dont) snitch",
        # -- pressure and being made to do things
        r"pressur(?:e|es|ed|ing) (?:me|us|into)",
        r"(?:feel|felt|feeling|am|being|was|get|got|been) (?:<w>)?pressured(?! (?:by|about|with)"
        r" (?:my )?(?:parents|mom|dad|school|work|grades|exams|the job|my job))",
        r"(?:make|makes|made|making|force|forces|forced|forcing) me (?:to )?do (?:things|stuff"
        r"|something|it|that|what)",
        r"(?:forcing|forced|forces) me",
        r"(?:got|get|was|been) volunteered to",
        r"(?:have|had|got) to do what (?:they|he|she) (?:say|says|said|tell|want)",
        r"(?:part of|join|joined|joining) (?:their|the|his|a) (?:crew|gang|set|group|click|clique)"
        r" (?:<w>){0,6}(?:or|have to|got to|must)",
        r"(?:made|makes|make) (?:me|us) (?:join|give|pay|sell|steal|fight|lie)",
        # -- control and manipulation
        r"(?:feel|feeling|felt) (?:like )?(?:i am |im )?(?:being )?(?:used|controlled"
        r"|manipulated|exploited|trapped|owned|like a slave|like his property)",
        r"(?:checks|goes through|went through|reads|looks through) my (?:phone|messages|texts"
        r"|dms)",
        r"(?:keeps|keep) (?:track|tabs) (?:of|on) (?:where i am|me|who i)",
        r"wants (?:pics|pictures|proof|a pic) to prove",
        r"(?:gets|get|got|is) (?:mad|angry|upset|jealous) (?:<w>){0,2}(?:when|if) i (?:talk|text"
        r"|hang|see|go|do not pick|do not answer|spend time)",
        r"(?:choose|pick) between (?:him|her|them) and (?:my|the)",
        r"(?:only|can only) (?:talk|hang out|be friends|trust) (?:to|with) (?:him|her|them)",
        r"no one else (?:<w>){0,4}cares? about (?:me|you) (?:\. )?(?:only|but|except|like) (?:him"
        r"|her)",
        r"(?:says?|said|calls?|called) (?:me )?(?:i am |im )?ungrateful",
        r"after everything (?:he|she|they) (?:has|have|did|does) (?:done )?for me",
        r"(?:controls|controlling) (?:me|my life|everything|who i|what i|where i)",
        r"(?:using|used|uses) me (?:for|to)",
        rf"(?:my |the |a |this |that )?{POWER_EN} (?:<w>){{0,3}}(?:gets|calls|texts|messages)"
        r" (?:<w>){0,2}(?:late at night|at night|after hours)",
    ),
    *rules(
        "en", COERCION, C,
        # made to work for someone else's benefit; made to hide or carry contraband
        r"(?:makes|made|make|making|forces|forced|has|had|got|gets) (?:me|us) (?:<w>)?(?:clean"
        r"|do|wash|cook|run|fold|carry|pay for|buy|iron) (?:<w>){0,2}(?:their|his|her) (?:own )?"
        r"(?:apartment|house|room|laundry|car|clothes|homework|errands|store|dishes|chores|work"
        r"|shopping|cell|bills)",
        r"(?:made|makes|make|forced|forces|pressured|pressuring|told|tells|asked|asks|want|wants"
        r"|wanted|got) (?:me|us) (?:to )?(?:hide|hold|stash|carry|smuggle|sell|move|bring in|bring"
        r"|keep|run) (?:<w>){0,3}(?:shanks?|knives|knife|weapons?|drugs|pills|phones?|contraband"
        r"|dope|packages?|tobacco|smokes|stuff for|their|his|her|a store|the store)",
        # a lever recalled, a favour for information, "or he tells"
        r"(?:reminds|reminded|remind|tells|told) me (?:<w>){0,2}(?:he|she|they) (?:<w>){0,2}"
        r"(?:writes|decides|signs|controls|has the power|can get me|can send|can drop|can write"
        r"|can take|the one who)",
        r"(?:lets|let|gives|give|gave|promised|promises|offers|offered) me (?:<w>){0,4}(?:if|as"
        r" long as|when) i (?:tell|report|snitch|rat|spy|keep an eye|tell on|give (?:him|her"
        r"|them) (?:info|names))",
        r"(?:have to|gotta|got to|need to|supposed to|makes? me|made me|told me to|says i)"
        r" (?:<w>){0,8}or (?:else )?(?:he|she|they) (?:<w>)?(?:will )?(?:tells?|report|reports"
        r"|posts?|spreads?|drops?|sends?|kicks?|writes? me up|takes?|calls?|puts?)",
        r"(?:make sure|makes sure|promised|promises|promise) (?:<w>){0,2}(?:my )?(?:review"
        r"|report|progress report|evaluation|eval|level|points|release date|parole|chart|file"
        r"|recommendation) (?:<w>)?(?:looks good|goes well|is good|gets better|is clean|goes"
        r" through|gets signed)",
        r"or (?:we|i) (?:<w>)?(?:lose|loses|get no|do not get|will not get|can not have) (?:<w>)?"
        r"(?:phone|privileges|visits|pass|home pass|points|level|commissary|tv|rec|yard|store"
        r"|outings|allowance|weekend)",
        r"(?:have to|gotta|got to|must|need to) (?:ride|roll|run|hang|join|rep|claim|clique up)"
        r" (?:with|for) (?:them|him|her|the|their)(?: \S+){0,6} (?:or|else|by)",
    ),
    *rules(
        "en", COERCION, C,
        r"(?:keep|keeping|keeps) (?:our|the|these|his|her|all) (?:<w>)?(?:snaps|texts|messages"
        r"|chats"
        r"|dms|calls|pics|talks|conversations|meetings|rides|visits|hangouts) (?:<w>)?(?:a )?"
        r"(?:secret|between us|private|on the low|to ourselves|from staff|from my)",
    ),
    *rules(
        "en", COERCION, C,
        _PARENT +
        r"(?:takes|took|taking|keeps|kept|cashes|cashed|spends|spent) (?:<w>)?my (?:paychecks?"
        r"|checks?|stimulus|wages|money|ssi|benefits|food stamps|ebt|card)",
        r"(?:asks|asked|asking|keeps asking) me for (?:<w>){0,2}(?:rides|gas money|money|cash|my"
        r" card|my pin|my password|loans?) (?:<w>){0,3}(?:all the time|again|every|constantly"
        r"|nonstop|and never pays)",
        r"(?:pushed|pressured|pressure|pushing|forced|recruited|recruiting|jumped in) (?:<w>)?(?:to"
        r" )?(?:join|into) (?:<w>)?(?:a |the |their |his )?(?:gang|crew|set|clique|group|hood)",
        r"(?:i am|im) (?:in now|one of them now)|(?:no|is no|there is no) getting out(?! of (?:this"
        r"|the) (?:traffic|class|meeting|line|parking))|no way out of (?:the|this) (?:gang|crew|set"
        r"|life|situation|relationship)",
    ),
]

ES: list[Group] = [
    *rules(
        "es", COERCION, C,
        # -- demands
        r"me (?:pide|pidio|pidieron|piden|pedia|ha pedido|anda pidiendo|esta pidiendo"
        r"|sigue pidiendo|exige|exigen|exigio|quita|quitan|quito|quitaron|cobra|cobran) (?:<w>)?"
        r"(?:dinero|plata|lana|feria|varo|prestado|favores|un favor|mi comisaria|mis cosas"
        r"|mi comida|mi \w+ de insta|mi contrasena|mi clave|mi tarjeta|mi cheque|mi sueldo"
        r"|mi pago|mis papeles|mi credencial)",
        # a person in power asks a favour ("el encargado nos pide que le compremos"); a negator
        # between them ("mi mentor nunca me ha pedido") cannot be a filler word
        rf"(?:mi|el|la|los|las|un|una) {POWER_ES} (?:<w>){{0,3}}(?:me|nos) (?:<w>)?(?:pide|pidio"
        r"|pidieron|piden|pedia|pedido|dijo|dijeron|dice|dicen|hace|hacen|hizo|obliga|obligan)"
        r" (?:que )?(?:le |les )?(?:mande|mandara|compre|compremos|comprara|pague|pagara|pagarle"
        r"|pagarles|preste|prestara|de|diera|lave|lavara|limpie|limpiara|haga|hiciera|lleve"
        r"|llevara|llevarle|cargue|cargara|cubra|mienta|mintiera|firme|firmara)(?! la tarea"
        r"| mi tarea)",
        r"(?:quiere|quieren|queria|querian|quiso|quisieron) (?:que )?(?:le |les )?(?:guarde"
        r"|guardara"
        r"|esconda|escondiera|meta|metiera|mienta|mintiera|venda|vendiera|pase|pasara)",
        r"(?:me|nos) (?:obliga|obligan|obligo|hace|hacen|hizo) (?:a )?(?:darle|darles|pagarle"
        r"|pagarles|entregarle|entregarles|dar|pagar|entregar) (?:<w>){0,2}(?:mi|mis|todo|el"
        r"|la|dinero|su)",
        r"(?:me|nos) (?:pide|pidio|pidieron|piden|pedia|ha pedido|dijo|dijeron|dice|dicen|hace"
        r"|hacen"
        r"|hizo|obliga|obligan) (?:que )?(?:le |les )?(?:guarde|guardara|guardarles|guardarle|venda"
        r"|vendiera|meta|metiera|pase|pasara|esconda|escondiera|diga quien|mienta|mintiera)",
        r"(?:dice|dicen|dijo|dijeron|ahora|que|porque) (?:que )?le debo|le debo (?:un favor|favores"
        r"|la vida|mucho|todo|algo|el favor)",
        rf"(?:el|la|mi|los|las) {POWER_ES} (?:<w>){{0,3}}(?:cobra|cobran|se queda con|me quita"
        r"|nos quita|me hace pagar|me pone a|nos pone a|me tiene (?:trabajando|de))",
        r"(?:cobra|cobran|cobraba|se queda con) (?:<w>){0,2}(?:la ayuda|mi \w+|nuestr\w+ \w+"
        r"|el dinero|la beca)",
        r"me (?:pone|ponen|puso|pusieron) a (?:trabajar|lavar|limpiar|hacer|vender|cargar"
        r"|cuidar) (?:<w>){0,3}(?:su|sus|de el|de ella|todo el dia|gratis|sin pagar)",
        r"me (?:hace|hacen|hizo) (?:pagarle|pagarles|limpiar su|lavar su|hacerle|comprarle)",
        r"me tienen de (?:mensajero|burrero|mula|esclav[oa]|chalan|sirvienta)",
        r"(?:trabajo|trabaja|trabajar) (?:<w>){0,3}(?:gratis|sin (?:que me paguen|paga|sueldo))",
        r"(?:cosas|algo|favores|eso) a cambio",
        # -- holding, carrying
        r"(?<!que )guard(?:e|ar|ara|es|aras|o|arles|arle) (?:<w>)?(?:secretos?|una bolsa"
        r"|un celular|un"
        r" paquete|algo|cosas|su \w+|sus cosas|droga\w*)",
        r"le (?:guarde|guardara|guardo|guardes|escond\w*|llev\w*|pas\w*|meta|metiera) (?:algo"
        r"|un paquete|una bolsa|un sobre|cosas|esto|su \w+|droga\w*)",
        r"(?:cargar|llevar|meter|pasar) (?:<w>)?(?:una mochila|un paquete|una bolsa|un sobre"
        r"|algo|cosas) (?:<w>){0,6}(?:no (?:puedo|debo) (?:abrir|ver)\w*|cuando (?:salga|vaya)"
        r"|en la visita|al modulo|al penal|a un senor)",
        r"(?:llevar|lleve|llevara|meter|metiera) (?:<w>){0,3}(?:a un senor|a alguien) afuera",
        r"(?:echarme|echar) la culpa|(?:que )?me (?:eche|echara) la culpa",
        # -- levers
        r"me amenaz\w* con (?:reportar\w*|acusar\w*|decir\w*|contar\w*|mandar\w*|regresar\w*"
        r"|sacar\w*|correr\w*|echar\w*|quitar\w*)",
        r"(?:me )?(?:va|van|iba|iban) a reportar|reportarme|(?:me|te|nos) reporta\w*",
        r"(?:me toca|tengo que|tenemos que) (?:darle|darles|pagarle|pagarles|comprarle"
        r"|comprarles) (?:<w>)?(?:mi|mis|nuestr\w+|dinero|la)",
        r"me (?:va|van|iba|iban) a (?:poner|levantar) (?:un )?reporte",
        r"(?:si|sino|si no) (?:<w>){0,8}me (?:quita|quitan|quitaran|quitarian|va a quitar"
        r"|van a quitar|castiga|castigan|saca|sacan|van a sacar|va a sacar|corren|echan|regresa"
        r"|regresan|mandan|manda|reporta|reportan|bajan|baja|dan de baja|cambian|pone|ponen)",
        r"si (?:le |les )?(?:digo|cuento|hablo|dijera|contara|digo algo|cuento algo|acuso|reporto)"
        r" (?:<w>){0,6}(?:va|van|iba|iban) a (?:lastimar|matar|pegar|hacer|hacerle|golpear|danar"
        r"|reportar|decir|contar|lastimarla|lastimarlo|matarla|matarlo)",
        r"nadie (?:me|te) (?:va a|iba a|va|iba) (?:a )?creer",
        r"(?:si|sino|si no) (?:<w>){0,8}(?:no me (?:dan|da|daran|van a dar)|le (?:va"
        r"|van) a (?:contar"
        r"|decir)|les (?:va|van) a (?:contar|decir)|me va a ir mal|me (?:van|va) a hacer la vida)",
        r"me (?:quitan|quitaron|quita|quito|van a quitar|quitaran) (?:las |la |mi |mis )?(?:visitas"
        r"|salida|salidas|permiso|permisos|llamadas|privilegios|movil|celular) (?:<w>){0,3}(?:si"
        r"|por)",
        r"castiga\w* sin (?:movil|celular|salir|visitas|llamadas|permiso|salida)",
        r"o me (?:uno|meto|junto) (?:a|con) (?:ellos|ellas|el grupo|la banda)",
        r"(?:si no|o) me (?:uno|junto|meto) (?:a|con) (?:ellos|ellas|el grupo|la banda|su grupo)",
        r"no me dejan (?:salir|irme) de (?:la banda|el grupo|la pandilla)",
        r"no puedo decir(?:le|les)? que no",
        # -- secrecy
        r"(?:que )?no (?:le |les )?(?:diga|dijera|digas|dijeras|cuente|contara|cuentes"
        r"|contaras|diria|hablara|anote|anotara|apunte|registre)\w* (?:a nadie|nada|al staff"
        r"|a los staff|a (?:mi|la|el|los|las|su) \w+|al \w+|nuestras \w+|de (?:esto|eso"
        r"|lo nuestro))",
        r"(?:nuestro|es un|un|nuestro pequeno) secreto",
        r"(?:borre|borrara|borrar) (?:<w>)?(?:los|nuestros|sus) (?:mensajes|chats|audios)",
        # -- pressure, control, being used
        r"me (?:presion\w+|esta presionando)(?! (?:con|por) (?:el trabajo|la escuela|los"
        r" examenes))",
        r"me (?:obliga|obligan|obligo|forza|fuerza|hace|hacen|hizo) (?:a )?hacer (?:cosas|algo"
        r"|lo que)",
        r"me pide favores",
        r"me (?:esta|estan) usando|me (?:usa|usan|utiliza|utilizan) (?:para|pa|nomas|como)",
        r"me siento (?:<w>)?(?:usad[oa]|utilizad[oa]|controlad[oa]|atrapad[oa]|manipulad[oa])",
        r"me (?:controla|controlan|controlaba) (?:<w>)?(?:todo|lo que|a quien|con quien|la vida"
        r"|el cel|el telefono)",
        r"me (?:revisa|revisan|checa|checan) el (?:cel|celular|telefono|whats)",
        r"se (?:enoja|pone celoso|molesta) (?:<w>){0,2}si (?:le )?(?:escribo|hablo|salgo|veo)",
        r"solo puedo hablar con (?:el|ella)",
        r"(?:para|pa) (?:vigilarme|controlarme)",
    ),
    *rules(
        "es", COERCION, C,
        r"(?:cuota|renta|piso|proteccion|impuesto) (?:<w>){0,2}por (?:la litera|la cama|el pasillo"
        r"|estar|dormir|la celda|el modulo|vivir|usar)",
        r"me (?:quitan|cobran|piden|exigen|quitaron|cobraron) (?:<w>){0,4}(?:cuota|piso|proteccion"
        r"|derecho de piso|impuesto)|(?:dicen|dice) que es (?:<w>)?(?:cuota|piso|renta|proteccion)",
        r"me (?:obliga|obligan|obligo|obligaron|hace|hacen|hizo|hicieron|pone"
        r"|ponen) (?:a )?(?:<w>)?"
        r"(?:pasarle|pasarles|hacerle|hacerles|darle|darles|lavarle|lavarles|guardarle|guardarles"
        r"|limpiarle|limpiarles|comprarle|comprarles|prestarle|prestarles|cargarle|cargarles"
        r"|mentir|firmar|vender|esconder|guardar|meter)",
        r"(?:me tengo que|tengo que|debo|hay que) (?:juntar|unir|meter) (?:<w>)?(?:con ellos|a su"
        r" grupo|a la pandilla|a la banda|con la banda|con la clica) (?:<w>){0,3}(?:o|si no)",
        r"me hace firmar (?:<w>)?(?:papeles|documentos|cosas) (?:<w>){0,3}(?:sin|que no)",
    ),
    *rules(
        "es", COERCION, C,
        r"(?:me|nos) (?:pide|piden|pidio|pidieron|quita|quitan|exige|exigen|cobra|cobran)"
        r" (?:<w>){0,2}(?:el |mi |la |los |mis |su |nuestro |nuestra )?(?:dinero|lana|feria|plata"
        r"|cheque|beca|apoyo|ayuda|vales|tarjeta|sueldo|pago|cantina|lo de la cantina)",
        needs=POWER_ES + r"|los mayores|los del|el que maneja|la que maneja|ellos|la chava|el chavo"
        r"|los otros|pastor|los de",
    ),
    *rules(
        "es", COERCION, C,
        r"me (?:obliga|obligan|estan obligando|esta obligando|obligaron|fuerzan|forzaron|presionan"
        r"|estan presionando|quieren poner) a (?:vender|cargar|pasar|meter|guardar|robar|mover"
        r"|esconder|llevar|traer|pasar droga|halconear)",
    ),
    *rules(
        "es", COERCION, C,
        # a lever held by someone in power: "si no le traigo cigarros me va a mandar al apando"
        r"si no (?:le|les) (?:traigo|doy|paso|hago|consigo|llevo|compro|presto|guardo|vendo|mando"
        r"|pago) (?:<w>){0,4}(?:me va|me van) a (?:mandar|reportar|acusar|correr|sacar|castigar"
        r"|quitar|bajar|echar|aislar|cambiar|pegar|golpear|levantar un reporte)",
        needs=POWER_ES,
    ),
]
# fmt: on
