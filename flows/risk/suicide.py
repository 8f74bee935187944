"""Suicide and self-harm: wishes to die, intent, plans and means, self-injury, recent attempts.

Each pattern runs against the canonical text (flows/risk/normalise.py): lower case, no accents,
single spaces, contractions expanded ("i do not want to"), "." for punctuation.  Both languages'
groups always run (people mix languages).

The patterns are built from small vocabularies (what dying/ending is called, what a wish or a
plan sounds like) combined into frames, so a new wording of the same idea still matches: "want
to" x "not wake up", "thinking about" x "ending it", "ojala" x "no despertar".
"""

from __future__ import annotations

from flows.levels import Level
from flows.risk import concepts
from flows.risk.categories import SUICIDE
from flows.risk.lexicon import HAIR_ES, PILLS, Group, rules

U = Level.URGENT

# --- English vocabulary -----------------------------------------------------------------------
_MYSELF = r"(?:my ?self|my self|myself)"
# Ending one's own life, unambiguous whatever the frame.
_END_INF = (
    rf"(?:kill {_MYSELF}|unalive {_MYSELF}|off {_MYSELF}|end (?:it all|it|things|everything"
    rf"|my life|my ?self|this life|all of it)(?! with\b)|take my (?:own )?life|commit suicide"
    rf"|hang {_MYSELF}|overdose|od|walk into traffic|step in front of (?:a )?(?:car|bus|train)"
    rf"|jump (?:off|from) (?:something|a|the|this|that) (?:<w>)?(?:bridge|roof|building|balcony"
    rf"|cliff|overpass|ledge|tier|garage|window|tower)|jump in front of)"
)
_END_GER = (
    rf"(?:killing {_MYSELF}|unaliving {_MYSELF}|offing {_MYSELF}|ending (?:it all|it|things"
    rf"|everything|my life|my ?self|this life|all of it)(?! with\b)|taking my (?:own )?life"
    rf"|hanging {_MYSELF}|overdosing|suicide|jumping (?:off|from|in front)|going over(?= \.|$"
    rf"| the (?:edge|rail|railing|side"
    rf"|ledge|bridge))"
    rf"|stepping off|walking into traffic)"
)
# Not being alive, said softly: these need a wish frame ("want to", "wish i could").
_GONE_INF = (
    r"(?:die|be dead|not be alive|not be here(?: anymore| no more| at all)?|not be around"
    r"(?: anymore| at all)?|not exist|stop existing|exist no more|not wake up|never wake up"
    r"|be gone|disappear(?: forever| for good)?|vanish|sleep forever|(?:go to|fall) sleep"
    r" forever|fall asleep forever|(?:go to |fall a)?sleep and (?:never|not) wake up"
    r"|not be anymore|stop living|stop breathing|be done with (?:life|it all|everything)"
    rf"|{_END_INF})"
)
_GONE_GER = (
    rf"(?:dying|being dead|not existing|not being (?:here|alive|around)|not waking up"
    rf"|disappearing(?: forever| for good)?|being gone|{_END_GER})"
)
_FILL3 = r"(?:<w>){0,3}"
# The start of a clause (after a boundary "." or at the start of the text).
_CS = r"(?:^|(?<=\. ))"
# Any token, punctuation included: spans a short reach across clauses.
_ANY = r"(?:\S+ )"

# --- Spanish vocabulary -----------------------------------------------------------------------
_MORIR_ES = (
    r"(?:morir(?:me)?|matarme|suicidarme|quitarme la vida|acabar con (?:todo|mi vida|esto"
    r"|esta vida)|terminar con (?:todo|mi vida|esto)|desaparecer(?: para siempre)?"
    r"|dejar de existir|no existir|ya no estar|no despertar|no amanecer"
    r"|irme de este mundo|irme para siempre|dormir(?:me)? para siempre|estar muert[oa]"
    r"|estar bajo tierra|ahorcarme|colgarme|(?:tirarme|aventarme|lanzarme) (?:del|de la|de un"
    r"|de una|al|a la|por la|a las)|cortarme las venas"
    r"|hacerme dano|lastimarme|no seguir viviendo|dejar de vivir|no vivir)"
)
_WISH_ES = (
    r"(?:quiero|quisiera|queria|deseo|desearia|ojala|tengo ganas de|ganas de|me dan ganas de"
    r"|pienso en|pensando en|pense en|pensar en|pienso|planeo|decidi|prefiero|necesito"
    r"|me gustaria|estoy por|a punto de|tentad[oa] a|idea de)"
)

# fmt: off
EN: list[Group] = [
    *rules(
        "en", SUICIDE, U,
        r"k*kmm*ss*", r"kys my ?self",  # k+m+s+, written so "km" is a literal prefilter
        # "told me to kill myself" is being harassed, not intent (see HURT)
        r"(?<!told me to )(?<!tells me to )(?<!telling me to )(?<!told me to go )(?<!said to )"
        r"(?<!says to )(?<!said i should )(?<!tried to )(?<!attempted to )(?<!trying to )"
        r"kill(?:ing|ed|s)? " + _MYSELF,
        r"suicidal",
        r"(?<!by )(?<!about )(?<!a )(?<!the )(?<!for )(?<!on )suicide(?! (?:attempt|prevention"
        r"|awareness"
        r"|hotline|line|walk|month|day|rates?|squad|bombs?|bomber|fundraiser|on the|in the|of a))",
        r"sewer ?slide", r"un ?aliv(?:e|ing"
        r"|ed)\w*", r"(?<!on )(?<!about )self ?harm\w*(?! (?:awareness|prevention|presentation"
        r"|class|month|day"
        r"|project|training|research))", r"sh again",
        # wish frames x softly said death
        rf"(?:want|wanted|wanting|wish|wishing|need|needed|ready|deserve|would like|hope|hoping"
        rf"|pray|praying|longing|tempted|urge|urges|plan|planning"
        rf"|decided|supposed|meant) to (?:just |really |literally |finally"
        rf" |honestly |actually |simply |kind of |kinda |lowkey )?{_GONE_INF}",
        rf"(?:might|may|will|should|could|about to|going to|close to|so close to|gonna) (?:just "
        rf"|finally |really )?{_END_INF}",
        rf"(?:close|closer) to {_END_GER}",
        rf"(?:think|thinking|thought|thoughts|dream|dreaming|fantasi[sz]e|fantasi[sz]ing|obsess"
        rf"|obsessing|plan|planning) (?:about|of|on) (?:(?:just|how|it|really|seriously"
        rf"|constantly) )?"
        rf"{_GONE_GER}",
        r"feel(?:ing)? like dying",
        r"wish (?:i was|i were|to be|i could be|i had been) (?:dead|gone|never born|not born)",
        r"wish (?:it|that) (?:had been|was|were) me",
        rf"wish (?:that )?i could (?:just |really )?{_GONE_INF}",
        r"(?:going to|will|want to) (?:go )?(?:to )?sleep forever",
        r"(?:really|honestly|truly) do not want to be here",
        r"my plan (?:<w>){0,2}is to (?:die|kill my ?self|end it)",
        r"(?:wish|wishing|hope|hoping|pray|praying) (?:that )?(?:i )?(?:could )?(?:just )?"
        r"(?:die|disappear|not exist|stop existing|do not wake up|never wake up|did not wake up"
        r"|would not wake up|do not make it|never make it|would die|die in my sleep)",
        r"(?:hope|hoping|pray|praying|wish|wishing) (?:<w>){0,4}(?:god|he|jesus"
        r"|the lord) (?:just )?"
        r"(?:takes|take|took) me",
        r"wish (?:my|this) (?:heart|life|breathing) would (?:just )?stop",
        r"(?:want|wish|hope|need) (?:it|this|everything|all of it|it all|life) (?:(?!(?:week|day"
        r"|class"
        r"|semester|year|month|shift|test|meeting|school|exam|lesson|movie|trip|game|term|party"
        r"|season|summer|winter|storm|rain|song|line|wait|call|pain|headache|noise)\b)<w>)?"
        r"(?:to|would)"
        r" (?:just )?(?:end|stop|be over)",
        r"want (?:out|off this ride|off this planet|out of (?:it|this life|life|here for good))",
        r"(?:tired|sick|done) (?:of|with) (?:living|being alive|life|existing|waking up|breathing"
        r"|being here)",
        r"done (?:existing|living|with life|with everything|with it all)",
        r"(?:i am )?done for good",
        r"(?<!tried to )(?<!attempted to )(?<!trying to )(?:take|taking|took) my (?:own )?life",
        r"(?:better off|happier|better) (?:without me|w o me|if i (?:was|were|am|died|disappeared"
        r"|was not|were not|did not)\b)",
        r"better (?:off )?(?:to be |being )?dead",
        r"rather (?:be )?(?:dead|die)",
        r"(?:envy|envying|envied|jealous of|jelly of) (?:\S+ ){0,8}(?:dead|died|did not make it"
        r"|in the ground|at peace|passed|gone|made it out)",
        r"(?:envy|jealous of) (?:them|him|her|the dead)",
        r"(?:relief|peace|rest) (?:<w>){0,2}(?:to be|being) dead",
        r"(?:being|be) dead (?:<w>){0,4}(?:relief|peaceful|better|easier)",
        r"(?:i will not|i am not going to|i do not see my ?self) (?:<w>)?(?:stay|staying|stick"
        r"|sticking) (?:alive|around)",
        r"(?:hope|hoping|hopefully|wish|pray) (?:<w>){0,10}(?:accident|car hits|hit by|run over"
        r"|crash"
        r"|crashes|stray bullet|bullet finds|(?:it|god|he|death|the storm|the lord"
        r"|something) (?:just )?takes me|with me in it)",
        r"(?:hope|hoping|wish|wishing|pray) (?:<w>){0,3}(?:i )?(?:get|got|gets) (?:hit|run over"
        r"|shot|killed|in an accident)",
        r"(?:if|when) something happen(?:s|ed)? to me (?:<w>){0,6}(?:would not|will not|not) be"
        r" (?:mad|sad|upset)",
        r"(?:cut|cutting|cuts|slice|slicing|carve|carving|scratch|scratching) (?:<w>)?(?:my"
        r" (?:arms?|wrists?|legs?|thighs?|skin|stomach|hips?)|into my)",
        rf"(?:cut|cutting|cuts|slit|slitting) (?:on |into )?{_MYSELF}",
        r"(?:started|start|keep|kept|been|am|was|stop|quit|relapsed on|back to|from|the"
        r"|can not stop|cant stop) cutting"
        r"(?! (?:class|school|onions?|hair|back|down|corners|grass|paper|wood|carbs|ties|in line"
        r"|it close|coupons|my hair|board|tomatoes|the|fabric|vegetables|veggies|it|up))",
                rf"{_CS}(?:then |and |so )?(?:i )?(?:just )?cut(?= \.|$)",
        r"(?:want|wanted|urge|urges|need|needed|tempted) to (?:cut|burn|hurt|hit)(?= \.|$| but| so"
        r"| again| really| tonight)",
        r"(?:doing it|did it) again (?:\S+ ){0,6}(?:razor|blade|lighter|cutting|cut)",
        r"(?:blade|razor|lighter|glass|pin|needle|knife|scissors|compass|tab|lid"
        r"|eraser) (?:<w>){0,5}"
        r"on my (?:wrists?|arms?|thighs?|skin|legs?|stomach)", r"i (?:just )?cut (?:again"
        r"|on purpose|today|tonight|deep|deeper|too deep|bad|pretty bad)",
        rf"{_CS}cut again",
        rf"i am (?:just )?(?:really )?{_END_GER}(?! laugh)",
        r"(?:bought|buying|got|have|found|stole) (?:<w>)?(?:a |some |the )?(?:rope|noose)(?! (?:for"
        r" (?:climbing|camping|the gym|gym|a swing|jumping|tug of war|the boat|the tent)|to"
        r" (?:climb|jump|tie down)))",
        r"(?:compre|consegui|tengo) (?:una|la) (?:soga|cuerda) (?:<w>){0,3}(?:para|pa)"
        r" (?:mi|hacerlo|cuando|colgarme|ahorcarme)",
        r"(?:fresh|new) (?:cuts|wounds|scars|marks|burns)", r"made new ones",
        r"(?:hurt|hurting|harm|harming|injure|injuring|burn|burning|burned|burnt|starve|starving"
        r"|punish|punishing|hit|hitting|punch|punching|bite|biting|bit|scratch|scratching) "
        + _MYSELF +
        r"(?! (?:playing|lifting|working out|at (?:practice|the gym|gym|basketball|football"
        r"|soccer|work)|in (?:gym|practice|the game|pe)|laughing))",
        r"(?:slit|slitting) my (?:wrists?|throat)",
        r"(?:burn|burned|burnt|burning) (?:<w>)?my (?:arms?|legs?|skin|hands?|wrists?|thighs?)",
        r"(?:lighter|stove|iron|cigarette|ice and salt) (?:<w>){0,5}(?:on my|into my|till|until"
        r"|blister)",
        r"(?:hit|hitting|bang|banging|slam|slamming|punch|punching|bite|biting|bit|pick|picking)"
        r" (?:<w>){0,4}(?:till|until|til) (?:it|they|i) (?:bled|bleed|bleeds|bruise|hurt|went"
        r" purple|blistered|split)",
        r"(?:hit|hitting|bang|banging|slam|slamming) my (?:head|fist|hand) (?:<w>){0,4}"
        r"(?:wall|floor|door|bunk|frame|locker)",
        r"(?:wanted it|want it|so it would|so it will|to make it) (?:to )?hurt",
        r"so i (?:can|could) feel something",
        r"(?:on purpose|deliberately|intentionally) (?:<w>){0,3}(?:to hurt|bleed|cut|burn)",
        r"(?:cut|hurt|burned|burn|hit|hitting|picking|bit|punched|scratched"
        r"|scratching) (?:<w>){0,6}"
        r"on purpose",
        r"(?:blade|razor) (?:<w>){0,3}(?:from|out of|of) (?:a|the|my) (?:pencil )?sharpener",
        r"(?:took apart|broke) (?:a|the|my) (?:pencil )?sharpener",
        r"razor blades? (?:<w>){0,6}not for shaving",
        r"(?:hide|hiding|hid|cover|covering|covered) (?:<w>)?(?:my |the )?(?:scars|cuts|marks"
        r"|burns|wounds)",
        r"(?:because|bc|cause) of my arms", r"my arms? (?:is|are) (?:all )?(?:cut|bad|a mess)",
        r"arms? (?:are |is )?(?:all )?cut up",
        r"(?:bleeding|bled) (?:<w>){0,2}from (?:cutting|my (?:arms?|wrists?))",
        r"(?:clean|free) from (?:cutting|sh|self ?harm)",
        r"relapsed (?:on|with|into) (?:sh|cutting|self ?harm|hurting)",
        # intent, plan, means, rehearsal
        r"(?:stockpil|sav|hoard|collect|stash|gather|count|sav)(?:e|ed|ing)? (?:up )?"
        rf"(?:<w>)?(?:my |the |all )?{PILLS}",
        rf"all (?:of )?(?:my|the) {PILLS} (?:<w>){{0,2}}(?:at once|on purpose|together)",
        rf"(?:going to|want to|will) (?:take|swallow) (?:<w>)?(?:all|a bunch|a bottle"
        rf"|a handful) (?:of )?"
        rf"(?:<w>)?{PILLS}",
        rf"{PILLS} (?:are|is) ready", rf"{PILLS} (?:<w>)?(?:counted|lined up|stashed|saved up)",
        rf"have enough (?:{PILLS} )?(?:now|to)",
        r"how many (?:<w>){0,4}(?:it would take|would it take|to (?:die|kill|od)|would kill)",
        r"(?:googled|searched|looked up|researched) (?:<w>){0,3}(?:painless|how to|ways to|how"
        r" many|how much|how long)",
        r"(?:painless|easiest|quickest) (?:way|ways) to (?:go|die|do it)",
        r"(?:made|have|got|making) a plan(?! (?:for|to (?:study|work|save|move|get|go)))",
        r"i know (?:exactly )?how (?:i am going to|i will|i would) do it",
        r"(?:picked|chose|set) (?:a|the) date",
        r"i (?:have )?decided(?= \.|$)",
        r"(?:i have|have|got) (?:a|the) (?:rope|noose)",
        r"(?:rope|noose|belt|sheet|cord) (?:<w>){0,4}(?:hidden|hold|vent|hook|beam|rail|measured)",
        r"(?:tied|tie|tying) (?:a |the |my )?(?:sheet|rope|belt|cord) to",
        r"measured (?:the|my) (?:belt|rope|sheet|cord)",
        r"(?:knife|blade|razor|gun|pills|rope) (?:<w>){0,6}(?:for me not|for later"
        r"|for when i (?:decide|am ready))",
        r"(?:gun|pistol|weapon) (?:<w>){0,8}on my ?self",
        r"using it on my ?self",
        r"stood (?:on|at) the edge", r"(?:on|at) the edge (?:of )?(?:<w>){0,3}(?:a long time"
        r"|for an hour|again)",
                r"(?:bridge|overpass|roof|ledge|edge|rooftop|top tier|platform|balcony"
                r"|tracks) (?:\S+ ){0,10}"
        r"(?:look down|looking down|jump|going over|go over|step off|walk back|think about it)",
        r"(?:hid|hide|hiding|gave) (?:the|my) (?:pills|meds|knife|razor|blades?|rope|belt|gun)"
        r" (?:<w>){0,2}(?:from my ?self|so i can not)",
        r"(?:it is|they are) for me not (?:for )?(?:anyone|anybody|someone|other)",
        r"(?:for|para|pa) (?:when|cuando) (?:i decide|i am ready|me decida|este list[oa])",
        r"(?:walked|walk|went) (?:<w>){0,3}to the (?:bridge|overpass|roof|ledge|tracks)",
        r"engine running (?:<w>){0,3}garage",
        r"(?:voices?|voice) (?:<w>){0,3}(?:telling me to|tell me to|say|says) (?:<w>){0,2}(?:jump"
        r"|die|kill|end)",
        # goodbyes and giving things away
        r"this is (?:my )?goodbye", r"(?:goodbye|bye) (?:forever|world)", r"goodbye (?:everyone"
        r"|everybody)(?= \.|$)",
        r"(?:goodbye|suicide) (?:letter|note|letters|notes|message)",
        r"(?:this|it) (?:is|will be|might be|may be) (?:my )?(?:last|final) (?:message|check ?in"
        r"|text)",
        r"in case this is (?:my |the )?(?:last|final)",
        r"if you do not hear from me",
        r"i will be gone (?:by|soon|before|tomorrow|tonight)", r"be gone soon",
        r"(?:will not|not going to) (?:be around|be here) (?:to|much longer|for long|anymore"
        r"|after)",
        r"(?:will not|not going to|do not) (?:need|be needing|use) (?:<w>){0,2}(?:anymore|anyway"
        r"|where i am going|after)",
        r"(?:gave|giving|give|leaving|left|selling|sold|sell) (?:\S+ ){0,14}(?:will not"
        r"|not going to|do not) (?:need|be needing|use|be around)",
                r"(?:phone|number) (?:<w>){0,4}off forever",
        r"(?:giving|gave|give|giving away) (?:away )?(?:<w>)?(?:all )?(?:of )?my (?:stuff|things"
        r"|belongings|stuff away|things away)",
        r"(?:letters|letter|notes) (?:\S+ ){0,16}(?:find them after|if something happens|when i"
        r" am gone|after i am gone|after)",
        r"tell (?:my \w+|him|her|them|everyone) (?:<w>){0,3}(?:i am sorry|i said (?:thanks|bye"
        r"|sorry)|i love them)",
        r"(?:leaving|left|giving|gave) (?:\S+ ){1,8}(?:\. )?tell (?:him|her|them)(?= \.|$)",
        r"(?:make sure|take care of) my (?:dog|cat|baby|sister|brother|kids) (?:\S+ ){0,6}"
        r"(?:just in case|when i am gone|after)",
        r"tonight is the night(?! (?:of|for))",
        rf"{_CS}(?:tonight|saturday|sunday|friday|tomorrow) \. (?:i am sorry|i have decided"
        rf"|goodbye)",
        r"(?:do not|please do not) (?:let me be|leave me) alone",
        r"(?:do not|can not) trust my ?self (?:<w>){0,3}(?:alone|tonight)",
        r"if (?:<w>){1,4}(?:bad|wrong) i know what i (?:will|am going to|would) do",
        # recent attempt (a past one, years ago, is concern: see ``demote``)
    ),
    *rules(
        "en", SUICIDE, U,
        rf"(?:tried|try|trying|attempted) (?:again )?to (?:<w>)?(?:{_END_INF}|kms|hang up|jump"
        r"|drown|end it)",
        r"i (?:<w>)?attempted\b(?! (?:to (?!kill|end|od|overdose)|the|a|an|my|murder|robbery))",
        r"attempted again", rf"{_CS}attempted\b(?! to)", r"(?:my|an|the|suicide|second|last"
        r"|first) attempt(?! (?:at|to))",
        r"suicide attempt",
        r"(?:suicide|psych|psychiatric) (?:watch|ward|hospital|unit)",
        rf"(?:took|swallowed|ate|popped|drank) (?:a |the )?(?:whole |entire )?(?:bunch|lot"
        rf"|handful|ton|bottle|too many|box) (?:of )?(?:<w>){{0,3}}(?:{PILLS}|pills)",
        r"(?:drank|swallowed) (?:<w>)?(?:bleach|poison|antifreeze|rat poison)",
        r"stomach (?:got |was )?pumped",
        r"woke up in (?:the )?(?:icu|er|hospital)",
        r"(?:found me|cut me down) (?:<w>){0,5}(?:in time|before|after|with|in the)",
        r"(?:found|caught) me (?:before|in time)",
        rf"{PILLS} (?:<w>){{0,3}}on purpose",
        demote=r"(?:years? ago|when i was (?:little|younger|a kid|\d+)|at (?:1[0-9]|[5-9])\b"
        r"|in (?:19|20)\d\d|long time ago|(?:last|a few|couple) years?|back in (?:high school"
        r"|juvie|the day|middle school)|in \d+(?:th|st|nd|rd) grade|first year in|my last"
        r" (?:placement|foster home)|back then|when i first|back when|not in that place"
        r"|how far i have come|(?:19|20)\d\d|glad (?:my|it)"
        r" (?:attempt )?did not work|before,? at|a long time)",
    ),
    # giving things away: only with a sign that it is a farewell
    *rules(
        "es", SUICIDE, U,
        r"(?:regale|regalando|reparti|deje|le deje|le di) (?:<w>){0,3}(?:mis?|todo)",
        needs=r"ya no importa|ya no (?:voy a|vaya a) (?:estar|necesitar|usar|ocupar)|no (?:las|los"
        r"|lo|la) voy a (?:necesitar|usar|ocupar)|cuando ya no|se acuerden? de mi|adios|despedi",
    ),
    # swallowing pills or poison: an attempt when the text says what followed
    *rules(
        "en", SUICIDE, U,
        rf"(?:took|swallowed|ate|popped|downed) (?:<w>){{0,3}}(?:{PILLS}|pills|pill|meds)",
        needs=r"hospital|er|icu|ambulance|found me|on purpose|pumped|threw up|woke up|poison"
        r"|to die|not wake up|passed out|psych",
        demote=r"years? ago|when i was|long time ago|back in",
    ),
    *rules(
        "es", SUICIDE, U,
        r"me (?:tome|trague|tomé) (?:<w>){0,3}(?:pastillas|pastis|medicinas|pildoras|frasco)",
        needs=r"hospital|urgencias|desperte|a proposito|me encontr\w*|lavaron|no despertar"
        r"|ambulancia|inconsciente|clinica",
        demote=r"hace (?:\w+ )?anos|de (?:morro|chavo|nino|nina|chico|chica|joven)|cuando tenia",
    ),
    # wanting to join someone: only when the text says that person is dead
    *rules(
        "en", SUICIDE, U,
        r"(?:want to|wish i could) (?:be with|go where|go to where|see) (?:<w>){0,3}(?:he|she|they"
        r"|him|her|them|my \w+)",
        needs=r"dead|died|passed|heaven|wherever (?:he|she|they)|grave|gone",
    ),
    *rules(
        "es", SUICIDE, U,
        r"(?:quiero|quisiera|ojala) (?:estar|irme) (?:con|donde (?:esta|estan)) (?:<w>){0,2}"
        r"(?:el|ella|ellos|mi \w+)",
        needs=r"murio|muri[oe]|fallecio|muert[oa]|cielo|tumba",
    ),
    # negation is part of these phrases, so a preceding negator does not cancel them
    *rules(
        "en", SUICIDE, U,
        r"(?:not|never) want to (?:<w>)?(?:live|be alive|exist|be here anymore|be around anymore"
        r"|be here no more|be here(?: without| like| on| in this| for)|stay alive|keep living"
        r"|wake up|be anymore)",
        r"do not want to be(?: here)? (?:\. )?(?:<w>){0,3}(?:on earth|alive|in this world"
        r"|anymore)",
        r"(?:sleep|bed) (?:<w>){0,3}(?:and )?(?:never|not) wake up",
        r"(?:did not|do not|never|not) (?:<w>)?wake up (?:this morning|tomorrow|again)",
        r"no (?:reason|point) (?:<w>){0,3}(?:to|in|of) (?:live|living|keep living|be alive"
        r"|being alive|stay alive|staying alive|be here|being here|existing|exist|wake up|waking"
        r" up|breathing|me being alive)",
        r"not worth (?:living|being alive|it anymore)",
        r"(?:nobody|no one|noone) (?:would|will|is going to|even|really) (?:even )?(?:miss|care"
        r" about|notice|care|know)(?: me| if i| when i| that i|\b)",
        r"(?:nobody|no one) (?:<w>){0,2}(?:care|cares|notice|notices|miss|misses) (?:<w>)?"
        r"(?:if|when) i (?:am|was|were|die|died|disappear|left|leave)",
        r"(?:nobody|no one) (?:would|will) (?:<w>)?notice if i",
        r"wish i (?:was|were) not (?:here|alive|born|around)",
        r"wish i (?:did not|would not|do not) (?:wake|make|have to wake)",
        r"(?:did not|do not|does not) want them to",
        r"(?:what is|whats|what) (?:even )?the (?:point|use|purpose) (?:<w>){0,2}(?:of|in)"
        r" (?:me )?(?:being alive|living|existing|life|waking up|breathing|being here|staying"
        r" alive|me being alive|any of it|even being)",
        r"(?:why|idk why|do not know why|do not see why) (?:do )?i (?:even |still )?(?:bother"
        r" breathing|bother living|keep living|keep breathing|keep waking up|keep going|exist)",
        r"why am i (?:even )?(?:still )?(?:here|alive|breathing)",
        r"do not see (?:the point|why) (?:<w>){0,3}(?:being alive|living|staying alive|keep"
        r" living|existing)",
        r"(?:hard|harder|struggle) to (?:want to be|not kill my ?self|stay alive|not do it|keep"
        r" going)",
        r"staying alive is (?:a|so|hard)",
        r"(?:still alive|staying alive) (?:only )?(?:because|bc|cuz|for|cause) (?:of )?(?:my|him"
        r"|her|them)",
        r"(?:only|one) reason i am still (?:alive|here)",
        r"(?:holding|hanging) on (?:for now|until|till)", r"(?:my ?self|asked me) to (?:hold"
        r"|hang) on",
        r"(?:for now|for today) i am (?:staying|still) (?:alive|here)",
        r"(?:for now|for today) (?:\. )?(?:that is )?all i can (?:promise|do)",
        r"one more (?:week|day|month)(?: \.)? i will see",
        r"(?:not|never) (?:going to|gonna|will) (?:<w>)?(?:do|act on) (?:it|anything|something)"
        r"(?: stupid| to my ?self| tonight)? (?:\S+ ){0,10}(?:but|though|just) (?:<w>){0,4}"
        r"(?:think|thinking|thoughts|want|can not stop|keep)",
        r"(?:will not|not going to) (?:do it|kill my ?self|hurt my ?self)(?: tonight)? "
        r"(?:\S+ ){0,10}(?:but|though) (?:<w>){0,3}(?:want|think|thoughts)",
        r"(?:urge|urges) (?:is|are) (?:so |really |very )?(?:strong|bad|back|hard)",
        r"(?:fighting|fight|fought|resisting|resist) (?:the |my |these |this )?(?:urges?|it)\b",
        r"white knuckling", r"sitting on my hands",
        r"every (?:day|night) it gets harder to not",
        r"(?:do not|can not) know how (?:long|much longer) (?:that works|i can (?:hold on|hang on"
        r"|keep going|last))",
        negatable=False,
    ),
]

ES: list[Group] = [
    *rules(
        "es", SUICIDE, U,
        r"(?<!intente )(?<!intentar )(?<!intento )(?<!trate de )suicidarme",
        # a plain denial of the word cancels it: "no soy suicida", "no tengo pensamientos suicidas"
        r"me (?:<w>){0,2}suicid\w*", r"(?<!no )(?<!nunca )(?:soy|estoy|me siento) suicida",
        r"(?<!no tengo )(?<!sin )(?<!nada de )(?<!ningun )(?<!no hay )(?:ideas|ideacion"
        r"|pensamientos?) (?:de suicidio|suicidas?)",
        rf"{_WISH_ES} (?:<w>){{0,2}}{_MORIR_ES}",
        r"voy a (?:matarme|suicidarme|quitarme la vida|ahorcarme|colgarme|(?:tirarme|aventarme"
        r"|lanzarme) (?:del|de la|de un|al|a la|por la))",
        r"me quiero (?:<w>)?(?:morir|matar|suicidar|quitar la vida|colgar|ahorcar|tirar|aventar"
        r"|ir (?:de este mundo|para siempre|de aqui y de todo|de todo))",
        r"(?:ya )?me quiero ir (?:<w>)?para siempre",
        rf"me quiero cortar{HAIR_ES}",
        r"me (?:voy a|vas a ver que me) (?:matar|suicidar|quitar la vida|ahorcar|colgar|tirar"
        r"|aventar|morir)",
        rf"(?:{_CS}|(?<=yo )|(?<=hoy )|(?<=ya )|(?<=mejor )|(?<=pues )|(?<=entonces )|(?<=manana )"
        r"|(?<=noche ))me (?:mato|cuelgo"
        r"|ahorco|suicido|aviento|tiro)\b(?! (?:de risa|con (?:ese|esa|el|la)|ese|esa|el|la|los|las"
        r"|tu|su|mi|a dormir|en la cama|al sillon|a la cama))",
        r"si (?:<w>){1,10}(?:yo )?(?:me mato|me quito la vida|me cuelgo|me ahorco|me aviento"
        r"|me tiro (?:del|de la|al|por)|me voy de este mundo|ya no sigo|no salgo viv[oa])",
        r"me quito la vida",
        r"(?<!intente )(?<!intentar )(?<!intento )(?<!trate de )quitar(?:me|se)? la vida",
        r"me voy de este mundo",
        r"(?:acabar|terminar) con (?:todo|mi vida)",
        r"(?:quiero|quisiera|ojala|deseo) que (?:todo )?(?:se )?(?:me )?(?:acab|termin)(?:e|ara"
        r"|en|aran)(?: todo(?! (?:este|esta|el|la|lo de|los|las)\b)| la vida| mi vida|(?= \.|$))",
        r"(?:estaria|estarian|estarias|estariamos|seria|serian|estan|vivirian) mejor (?:muert[oa]s?"
        r"|sin mi|si (?:yo )?(?:ya )?no (?:existiera|estuviera|estoy))",
        r"mejor sin mi", r"mejor muert[oa]s?", r"mejor (?:ya )?no estar",
        r"(?:prefiero|preferiria) (?:estar )?muert[oa]",
        r"(?:cansad[oa]|hart[oa]|harta|harto) de (?:vivir|despertar|amanecer|existir|estar viv[oa]"
        r"|respirar|la vida)",
        r"(?:ojala|quisiera|desearia|deseo|pido a dios|le pido a dios) (?:<w>){0,3}(?:no (?:estar"
        r"|estuviera|existir|existiera|haber nacido|hubiera nacido|despertar|despertara|amanecer"
        r"|amaneciera|me deje despertar)|estar muert[oa]|estuviera muert[oa]|morirme|me muriera"
        r"|me muera|desaparecer|ya no estar|ya no despertar)",
        r"(?:ojala|quisiera|desearia|deseo|pido a dios|espero"
        r"|esperando) (?:que )?(?:<w>){0,6}(?:atropell"
        r"\w*|accidente|bala perdida|me lleve|me llevara|me mate|me matara|me pase algo"
        r"|me pasara algo|no frene|se estrelle|choque)",
        r"(?:me diera|me de|me agarre|me pegue) (?:<w>){0,2}(?:algo|covid|cancer|una bala)"
        r" (?:<w>){0,2}(?:y me (?:muriera|llevara|muera|lleve))",
        r"me muera (?:<w>){0,3}(?:no me molestaria|mejor|ojala)",
        r"si me muero (?:<w>){0,4}(?:nadie|no me molestaria|mejor|ni modo)",
        r"(?:envidia|envidio|envidiar) (?:<w>){0,6}(?:muert[oa]s?|murio|murieron|bajo tierra"
        r"|descansan|ya no sufre)",
        r"(?:ya )?(?:quisiera|quiero|me gustaria) estar bajo tierra",
        r"(?:me gustaria|quisiera|quiero) no existir",
        # self-harm
        rf"cortarme{HAIR_ES}",
        r"me (?:corte|corto|cortaba|he cortado|estoy cortando|sigo cortando|volvi a cortar"
        r"|vuelvo a cortar|hice cortes|he vuelto a hacer cortes|hago cortes|raje|rajo)" + HAIR_ES,
        r"(?:volvi|he vuelto|vuelvo) a (?:cortar|cortarme|quemar|quemarme|lastimar|lastimarme"
        r"|hacerme dano|rajar|rajarme|pegarme|golpearme|hacer cortes)",
        r"(?:cortes|heridas|cicatrices|quemaduras|marcas) (?:nuev[oa]s|frescas|en (?:los|las|mis)"
        r" (?:brazos|piernas|muslos|munecas))",
        r"(?:tapar|esconder|ocultar|tape|escondo|oculto) (?:<w>){0,2}(?:las |mis )?(?:cicatrices"
        r"|cortes|marcas|heridas|quemaduras)",
        r"(?:los|mis|tus) cortes(?! de (?:pelo|cabello|luz|agua))",
        r"(?:pa|para) que (?:no|nadie) (?:<w>){0,2}(?:vean|vea|note) (?:<w>){0,2}"
        r"(?:marcas|brazos|cortes|cicatrices|piernas|munecas)",
        r"(?:sin cortarme|limpi[oa] de (?:los )?cortes|recai con (?:los )?cortes)",
        r"(?:hoja|navaja|cuchilla) (?:<w>){0,2}(?:del|al|de un) sacapuntas",
        r"(?:encendedor|cerillo|cigarro|plancha) (?:<w>){0,3}(?:en la piel|en el brazo|en mis"
        r" brazos|en las piernas)",
        r"(?:quemando|quemo|queme|quemarme|quemaba) (?:<w>)?(?:los brazos|las piernas|la piel"
        r"|mis brazos|mis piernas|el brazo|la mano)",
        r"me (?:queme|quemo|quemaba|estoy quemando) (?:<w>){0,3}(?:con el encendedor|con un"
        r" encendedor|con cigarro|a proposito|otra vez)",
        # "me pego" is also "he hit me": only against a wall, or "yo mismo"
        r"me (?:pego|golpeo|doy de golpes|doy golpes) (?:<w>){0,7}(?:contra (?:la|el) (?:pared"
        r"|litera|puerta|piso|cama)|yo mism[oa]|a mi mism[oa])",
        r"me (?:lastimo|lastime|hago dano|hice dano|estoy haciendo dano|muerdo|mordi|rasguno"
        r"|rasgune|pegue|golpee|di de golpes|di golpes) (?:<w>){0,7}"
        r"(?:a proposito|hasta|contra (?:la|el) (?:pared|litera|puerta|piso)|yo mism[oa]"
        r"|con (?:la|el|una|un) (?:navaja|sacapuntas|cuchilla|hoja|encendedor|vidrio)|los brazos"
        r"|las piernas)",
        r"me (?:estoy haciendo|he vuelto a hacer) dano", r"me (?:hago|hice|he hecho) cortes",
        r"(?:sangro|sangrando|estoy sangrando) (?:<w>){0,2}(?:del brazo|de la muneca"
        r"|de los brazos)",
        r"sangro mucho",
        # intent, plan, means, rehearsal
        r"(?:juntando|guardando|ahorrando|juntadas|guardadas|junte|guarde|acumulando) (?:<w>){0,3}"
        r"(?:pastillas|pastis|medicinas|pildoras)",
        r"(?:tengo|ya tengo) (?:<w>){0,2}(?:pastillas|pastis|medicinas) (?:<w>){0,3}(?:guardadas"
        r"|juntadas|delante|listas)",
        r"cuantas (?:pastillas|pastis|medicinas) (?:<w>){0,3}(?:hacen falta|se necesitan|necesito"
        r"|para morir)",
        r"como hacerlo sin que duela", r"(?:ya )?tengo como hacerlo",
        r"(?:tengo|ya tengo) (?:el|un) plan(?: y la fecha)?", r"tengo la fecha",
        r"(?:ya )?(?:lo )?tengo (?:todo )?(?:decidido|planeado)", r"ya esta (?:pensado|decidido)",
        r"(?:tengo|ya tengo|traigo|guarde|escondi) (?:<w>){0,2}(?:la soga|una soga|una cuerda"
        r"|la cuerda|la navaja|una navaja|las cuchillas|unas cuchillas|la pistola)",
        r"(?:navaja|cuchillas?|cuerda|soga|pistola|pastillas) (?:<w>){0,8}(?:para|pa) cuando"
        r" (?:me (?:decida|harte|anime)|se duerman|este sol[oa])",
        r"(?:la quiero|lo quiero|las quiero) (?:para|pa) mi(?= \.| para| pa|$)",
        r"se donde (?:guarda|tiene|esta) (?:la pistola|el arma|las pastillas)",
        r"(?:en el puente|en la azotea|en el techo|en la orilla) (?:<w>){0,4}(?:pensando|para)"
        r" (?:en )?(?:brincar|tirarme|aventarme|saltar)",
        r"ya estoy en el (?:puente|techo|edificio)",
        r"(?:puente|edificio|azotea|techo|metro|vias) (?:<w>){0,6}ya (?:fui a verlo|vi cual|lo vi)",
        r"ya vi cual",
        r"me (?:aviento|tiro|lanzo|voy a aventar|voy a tirar) (?:del|de la|de un|al|a las|por la)"
        r" (?:puente|edificio|techo|azotea|ventana|metro|vias|tren|balcon|piso)",
        r"(?:tomo|tomar|tomarme|tragarme|trago|me tomo) (?:<w>){0,2}(?:todo lo que tengo|todas las"
        r" pastillas|todas mis pastillas|el frasco)",
        r"(?:mi plan|la idea|mi idea) (?:<w>){0,3}es (?:morirme|matarme|suicidarme|no estar"
        r"|desaparecer)",
        r"(?:lo )?(?:voy a|vas a) estrellar",
        r"(?:soltar|suelto) el volante",
        r"(?:hoy|esta noche) (?:<w>){0,3}lo (?:hago|voy a hacer)\b",
        r"(?:ya )?me despedi de (?:todos|ti|mi)", r"me despido de (?:ti|todos|ustedes)",
        r"adios a todos", r"(?:decirte|decirles|decir) adios",
        r"(?:carta|cartas) (?:<w>){0,6}(?:despedida|para cuando me encuentren|para mi mama"
        r"|para mi abuela|para cuando)",
                r"cuando ya no (?:este|estemos)",
        r"(?:regale|regalando|reparti|voy a regalar) (?:<w>){0,2}(?:mis cosas|todas mis"
        r"|todo lo que)",
        r"no me (?:dejen|dejes|deje) sol[oa]", r"no me (?:fio|confio) de mi mism[oa]",
        r"si me quedo sol[oa] (?:<w>){0,2}me (?:hago|hare) (?:algo|dano)",
                r"cuida a mi (?:hermanit[oa]|hij[oa])(?= \.|$)",
        r"ultimo (?:mensaje|check ?in)",
        r"(?:no lo he hecho|no lo hago) (?:<w>){0,3}pero (?:<w>){0,2}lo pienso",
        r"(?:los|las) (?:vi|veo|miro) (?:<w>){0,2}(?:cuchilla|navaja)",
        r"(?:tengo|tuve) la (?:cuchilla|navaja) (?:<w>){0,3}(?:guardada|en la mano)",
    ),
    *rules(
        "es", SUICIDE, U,
        r"(?:intente|intento|intentar|trate|trato|quise|he intentado) (?:de )?(?:<w>)?(?:matarme"
        r"|suicidarme"
        r"|quitarme la vida|ahorcarme|colgarme|tirarme|aventarme|envenenarme|cortarme las venas"
        r"|morirme|matar|ahorcar|tirar|colgar)",
        r"me (?:quise|trate de|intente) (?:matar|ahorcar|colgar|tirar|aventar|suicidar)",
                r"lo intente (?:otra vez|de nuevo|y no|anoche|ayer|el (?:lunes|martes|miercoles"
                r"|jueves|viernes"
        r"|sabado|domingo|finde|fin))",
        r"(?:mi|un|el|fue|ultimo|primer) intento\b", r"fue intento",
        r"me (?:tome|trague) (?:<w>){0,2}(?:todas (?:las|mis)|todo el frasco|el frasco|un frasco"
        r"|la botella|una botella|todo lo que|todo anoche|cloro|veneno|unas pastillas (?:pa|para)"
        r" no|(?:<w>){0,5}de todo el frasco|(?:<w>){0,5}de golpe)",
        r"me (?:lavaron|hicieron un lavado de) (?:el )?estomago",
        r"me ahorque\b", r"me bajo a tiempo",
        r"me encontraron (?:inconsciente|colgad[oa]|tirad[oa])",
        r"(?:psiquiatrico|urgencias|hospital|internad[oa]) (?:<w>){0,6}(?:lo que hice|intento"
        r"|intente)",
        r"despues de lo que hice",
        r"(?:internad[oa]|hospitalizad[oa]) (?:<w>){0,4}porque (?:<w>){0,2}intente",
        r"me desperte en el hospital",
        r"(?:pastillas|medicinas|sobredosis) (?:<w>){0,3}a proposito",
        demote=r"(?:hace (?:\w+ )?(?:anos|ano|mucho|tiempo)|hace un ano|de (?:morro|chavo|nino|nina"
        r"|chico|chica|joven|chamaco|pequen[oa])|a los \d+|cuando tenia \d+|en (?:el )?(?:19"
        r"|20)\d\d"
        r"|del (?:19|20)\d\d|el (?:19|20)\d\d|el ano (?:pasado|antepasado)|ya paso|ya quedo atras"
        r"|ya no (?:lo )?pienso"
        r"|mi primer ano|ya sali de eso|cuando estaba en (?:la calle|el otro)|antes de llegar"
        r"|ya no me siento asi|ya no tengo esos|ya no lo hago|estoy en otro lugar)",
    ),
    *rules(
        "es", SUICIDE, U,
        r"no quiero (?:<w>)?(?:vivir|seguir viviendo|estar viv[oa]|existir|despertar|seguir aqui"
        r"|estar aqui|seguir)(?! (?:en|con|aqui en|yendo|trabajando|estudiando))",
        r"ya no quiero (?:estar|seguir)(?: aqui| viv[oa]| en este mundo)?",
        r"nadie (?:<w>){0,2}(?:me )?(?:va a |iba a )?(?:extranaria|extranara|extranar|echaria de"
        r" menos|daria cuenta|notaria|daria cuenta|va a sentir|sentiria|importaria)",
        r"nadie (?:<w>){0,2}(?:se )?(?:daria|va a dar|dara) cuenta",
        r"no (?:vale|tiene caso|tiene sentido) (?:la pena )?(?:seguir )?(?:vivir|viviendo|estar viv"
        r"|existir|respirar)",
        r"(?:mi|la) vida no vale (?:la pena|nada)",
        r"(?:para|pa) que (?:existir|existo|vivir|vivo|seguir viviendo|seguir vivo|respiro"
        r"|despierto|sigo(?= \.|$| aqui| viv| respirando| en este))",
        r"no se (?:para|pa) que sigo",
        r"(?:sentido|caso) (?:a|de) (?:seguir )?(?:viv[oa]|vivir|existir|respirar|despertar)",
        r"ni a seguir respirando",
        r"no (?:le )?veo (?:el |ningun )?sentido (?:<w>){0,2}(?:a )?(?:vivir|seguir|la vida)",
        r"(?:aguanto|sigo aqui|sigo viv[oa]) (?:<w>){0,3}(?:por mi|por ella|por el|por mis)",
        r"(?:por ahora|por el momento) (?:<w>){0,2}sigo (?:aqui|viv[oa])",
        r"sigo aqui por ahora",
        r"(?:aguantando|aguanto|resistiendo|resisto|conteniendo|peleando contra|luchando contra)"
        r" (?:<w>){0,3}(?:las ganas|por ahora|la idea|pa no|para no|sin)",
        r"(?:aguantando|resistiendo)(?: \.)? (?:<w>){0,2}(?:aguantando|por ahora)",
        r"(?:me )?(?:cuesta|costando) (?:<w>){0,2}(?:mas )?no (?:hacerlo|hacerme|matarme|cortarme)",
        r"sin (?:matarme|cortarme|hacerme dano|hacerlo)",
        r"(?:pa|para) no (?:hacerlo|hacerme (?:algo|dano)|matarme|cortarme|hacer una (?:pendejada"
        r"|tonteria|locura)|levantarme a hacerlo)",
        r"no voy a hacer (?:<w>){0,2}(?:nada|ninguna tonteria|nada malo)(?: \.)? (?:<w>){0,3}"
        r"(?:pero|por ahora|\. por ahora)",
        r"no (?:me voy a|voy a) (?:matar|suicidar|hacer nada|hacerme nada) (?:<w>){0,3}pero",
        r"(?:tonteria|nada) (?:\. ){0,3}por ahora",
        r"(?:las ganas|la voz|la idea|el pensamiento) no se (?:van|va|calla|quita)",
        r"(?:las ganas|la idea) (?:<w>){0,3}(?:no se van|muy fuertes|estan fuertes)",
        r"casi lo hago", r"casi me (?:corto|mato|tiro)",
        r"ya no (?:voy a|vaya a) estar(?= \.|$| el mes| para| cuando| manana| la semana| pa)",
        r"ya no (?:las|los|lo|la) voy a (?:necesitar|usar)",
        r"(?:no se|ni se) cuanto mas aguanto",
        r"no me (?:corte|hice nada) pero casi",
        r"(?:pero|aunque) (?:<w>){0,3}(?:lo pienso|pienso en eso|pienso en (?:matarme|morirme))",
        r"no tengo valor (?:<w>){0,2}(?:pa|para) hacerlo",
        r"ya me hubiera ido",
        negatable=False,
    ),
]
# fmt: on

# The wide concept x frame vocabularies (concepts.py) run with these literal patterns.
EN += concepts.EN
ES += concepts.ES
