"""Urgent suicide/self-harm screening as CONCEPTS x FRAMES, written to generalise.

suicide.py holds the older, more literal patterns; this module adds wide vocabularies of each
urgent concept and the frames that make them risky, so a wording nobody wrote down before still
matches when it combines a known concept with a known frame:

- NOT BEING ALIVE (die, not wake up, disappear, fade out, end it, check out, the long sleep, be
  with my grandma up there; morir, no despertar, desaparecer, irme para siempre, dejar de existir,
  ya no dar lata ...) x WISHING / THINKING / "better if" / "nice to" / "would not mind" / "no
  point" frames, with a first-person or generic-you subject.
- MEANS (pills, rope, bridge, roof, razor, poison ...) x PREPARATION (saved, hid, bought, looked
  up how high, went to see, for me not for anyone; junte, escondi, ya se que alcanza ...).
- GOODBYES and settling affairs (letters for when they find me, who gets what, the last thing
  she remembers; todo en orden, dile que la quise).
- SELF-INJURY: a self-directed injury verb or a wound noun x self object / hiding / on purpose /
  reopening / a broken streak.
- RECENT ATTEMPT: what was done "on purpose", "did it to myself", rescued, woke up in hospital.

Every pattern starts from, or must contain, a literal of three or more letters (see
prefilter.py), so a text with none of a group's words never pays for its scan.  Negation
(screen._negated) still cancels a plain denial of the wish frames ("i do not want to die");
frames whose negation IS the risk ("no reason to live") are in non-negatable groups.
"""

from __future__ import annotations

from flows.levels import Level
from flows.risk.categories import SUICIDE
from flows.risk.lexicon import Group, rules

U = Level.URGENT

# --- English ---------------------------------------------------------------------------------
_ME = r"(?:my ?self|my self|myself)"
# Not being alive, as an infinitive after "to" / "could" / "would".
DIE_INF = (
    r"(?:die|be dead|be gone(?! for (?:a|the|some|like))|not be (?:here|alive|around|on this"
    r" (?:earth|planet))|not exist|stop existing|cease to exist|exist no more|not be anymore"
    r"|not wake up|never wake up|not have to wake up|sleep forever|rest forever|go to sleep"
    r" forever|(?:go to |fall a)?sleep and (?:never|not) wake up|disappear(?! (?:for|from) (?:a"
    r" |the |some |like |my ))|vanish|fade (?:out|away)|end it|end it all|end things"
    r"|end everything|end my life|end my ?self|check out(?! (?:the|this|that|a|my|your|his|her"
    r"|some|of|at))|log off (?:for good|forever|permanently)|leave this (?:world|earth|planet"
    r"|life)|not be a (?:burden|problem) (?:anymore|much longer|no more)|kill " + _ME
    + r"|take my (?:own )?life|unalive " + _ME + r"|stop breathing|stop living|not live"
    r" anymore|be done (?:for good|forever|with (?:life|it all|everything|living|this life))"
    r"|go be with (?:my|him|her|them)|be with (?:my \w+|him|her|them) (?:up there|in heaven"
    r"|again)|join (?:my \w+|him|her|them) (?:up there|in heaven)|not be born|never have been born"
    r"|get (?:sick|cancer|hit|shot|killed) and die|give up on (?:life|living))"
)
# Not being alive, said of oneself in a clause: "if i died", "wish i was never born".
I_DIE = (
    r"i (?:(?:would|could|just|finally|simply|quietly) ){0,2}(?:died|die|was dead|were dead"
    r"|was gone|were gone|disappeared|did not exist|do not exist|was not here|were not here"
    r"|was not around|were not around|was not alive|did not wake up|would not wake up|never woke"
    r" up|do not wake up|never wake up|stopped existing|was never born|had never been born"
    r"|were never born|did not make it|do not make it|never make it|faded away|got (?:sick|hit"
    r"|shot|killed|cancer) and died|ended it|was to die|died in my sleep)"
)
DIE_GER = (
    r"(?:dying|being dead|my (?:own )?death|not existing|not being (?:here|alive|around)"
    r"|not waking up|never waking up|disappearing|fading away|ending (?:it|it all|things"
    r"|everything|my life)|killing " + _ME + r"|checking out|taking my (?:own )?life|suicide"
    r"|how to die|ways to die|how i would do it|how i would die|leaving this world|sleeping"
    r" forever|being gone|my (?:own )?funeral|(?:what|how) it would (?:be|feel) (?:like )?(?:to"
    r" (?:die|be dead|not exist|not be here)|if i (?:died|was gone|was dead|did not exist))"
    r"|how (?:peaceful|nice|quiet|easy|easier|better) (?:it|everything) would be"
    r"|everyone (?:being|would be) better off|not being a burden)"
)
# Frames that take an infinitive: want to, wish i could, would be nice to.
_WANT = (
    r"(?:want|wanted|wanting|would like|would love|wish i could|wish i can|wish to|ready"
    r"|need|needed|hope|hoping|longing|tempted|deserve|urge|urges|itching|plan|planning"
    r"|decided|nice|nicer|easier|better|best|peaceful|a relief|relief|simpler|just want|ok"
    r"|okay|fine|at peace|would be good|so tired i want|dream|dreaming|allowed|let me)"
)
# Frames that take a first-person clause: wish i was dead, better if i disappeared.
_IF = (
    r"(?:wish|wishing|wished|hope|hoping|pray|praying|imagine(?: if)?|imagining(?: if)?|what if"
    r"|better (?:off )?if|better for everyone if|easier (?:for everyone )?if|nicer if|nice if"
    r"|care if|cares if|mind if|relief if|happier if|fine if|ok if|okay if|glad if"
    r"|would be (?:nice|better|easier|good|great|a relief|best) if|thinking (?:about )?(?:if"
    r"|what if)|think (?:about )?what if|sometimes i think if)"
)
_THINK = (
    r"(?:think|thinking|thought|thoughts|dream|dreaming|daydream|daydreaming|fantasi[sz]e"
    r"|fantasi[sz]ing|obsess|obsessing|obsessed|imagine|imagining|picture|picturing|plan"
    r"|planning|plans|research|researching|fixated|wonder|wondering)"
)
# What would be pointless: being alive, going on.
_LIVING = (
    r"(?:live|living|keep going(?! to)|go on|going on|keep living|be alive|being alive|stay alive"
    r"|staying alive|exist|existing|be here|being here|stay|staying around|wake up|waking up"
    r"|be on this earth|being on this earth|breathe|breathing|me being (?:here|alive|around)"
    r"|me|my life|a life like mine|life like mine|this life|life|any of (?:it|this)"
    r"|continue|continuing|try anymore|get up (?:in the morning|anymore))"
)
_NO_POINT = (
    r"(?:no|not any|not a|not one|what is the|what is even the|whats the|what the|is there (?:any"
    r"|a|even a)|any|lost (?:my|the|all)|without a|can not find (?:a|the|any|one)|do not see"
    r" (?:a|the|any)|not see (?:a|the|any)|no longer see (?:a|the|any)|do not have (?:a|any)"
    r"|got no|have no|there is no) (?:\S+ ){0,2}?(?:point|reason|purpose|will|reason left)"
)
# Means and places, and what getting them ready sounds like.
_MEANS = (
    r"(?:pills|meds|medication|tylenol|advil|xanax|sleeping pills|rope|noose|belt|sheet|sheets"
    r"|cord|extension cord|razor|razors|blade|blades|knife|gun|pistol|bleach|antifreeze|poison"
    r"|rat poison|bridge|roof|rooftop|ledge|overpass|tracks|train tracks|parking garage|vodka"
    r"|lethal dose)"
)
_READY = (
    r"(?:saved|saving|stockpiled|stockpiling|hoarded|hoarding|stashed|stashing|hid|hidden|hiding"
    r"|counted|counting|tested|testing|practiced|practicing|measured|bought|got|have|found|stole"
    r"|collected|collecting|keep|kept|tied|scoped out|checked out|looked at)"
)
_FIND = r"(?:find|finds|found)"
_WEEKDAY = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tonight|tomorrow|this weekend"
    r"|the weekend|next week)"
)
_WOUND = r"(?:cuts|cut|wounds?|scars?|marks|burns|scabs?|scratches|bruises|stitches)"
_LIMB = r"(?:arms?|wrists?|legs?|thighs?|stomach|hips?|skin|ankles?|forearms?|shoulders?)"
_SELF_HURT = (
    r"(?:cut|cutting|carve|carving|carved|burn|burning|burned|burnt|scald\w*|hit|hitting|punch"
    r"|punching|punched|bite|biting|bit|scratch|scratching|scratched|pick|picking|picked|stab"
    r"|stabbing|stabbed|hurt|hurting|harm|harming|bang|banging|banged|slam|slamming|starve"
    r"|starving|choke|choking|strangle|strangling|pinch|pinching|bruise|bruising|bruised|dig"
    r"|digging|dug|rip|ripped|ripping|tear|tearing|tore|pull|pulled|pulling)"
)
_TIME_RECENT = (
    r"(?:yesterday|last night|the other night|the other day|this morning|this week|last week"
    r"|(?:a|one|two|three|four|five|six|few|couple|couple of|\d+) (?:days?|nights?|weeks?) ago"
    r"|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|this weekend|the weekend"
    r"|last weekend|from the weekend|over the weekend|recently|just got out|since i got out)"
)

# --- Spanish ---------------------------------------------------------------------------------
MORIR_ES = (
    r"(?:morir(?:me)?|estar muert[oa]|no despertar(?:me)?|ya no despertar(?:me)?|no amanecer"
    r"|ya no amanecer|desaparecer(?:me)?(?! (?:un rato|unos dias|un dia|de aqui un|del grupo))"
    r"|dejar de existir|no existir|ya no existir|ya no estar|no estar(?= \.|$| mas| aqui| en este"
    r" mundo| viv)|irme (?:para siempre|de este mundo|de aqui para siempre|al cielo|con (?:mi"
    r" \w+|ella|el|ellos) (?:al cielo|alla arriba|para siempre))|descansar (?:para siempre"
    r"|en paz|eternamente)|dormir(?:me)? (?:para siempre|y (?:ya )?no despertar)|acabar con (?:todo"
    r"|mi vida|esto|esta vida)|terminar con (?:todo|mi vida)|matarme|quitarme la vida"
    r"|suicidarme|dejar de vivir|no seguir viviendo|no vivir|rendirme del todo|dejar este mundo"
    r"|salir de este mundo|ya no dar (?:lata|problemas|molestias)|no dar mas (?:lata|problemas)"
    r"|ya no ser (?:una )?(?:carga|estorbo|molestia|problema)|estar (?:con (?:mi \w+|ella|el)"
    r" )?(?:alla arriba|en el cielo)|no llegar a (?:navidad|diciembre|fin de ano|mi cumple\w*"
    r"|manana|los \d+|ano nuevo|\w+ (?:que viene|proximo))|ya no seguir|no seguir aqui)"
)
# "que no amaneciera para mi", "si yo desapareciera", "que se acabe todo"
SUBJ_ES = (
    r"(?:(?:yo )?(?:ya )?(?:me muriera|me muera|muriera|desapareciera|no despertara|no amaneciera"
    r"|no estuviera|no existiera|dejara de existir|no hubiera nacido|me fuera para siempre"
    r"|me fuera de este mundo|no volviera a despertar|me durmiera (?:y|para siempre))|(?:todo )?se"
    r" (?:acabe|acabara|termine|terminara) (?:todo|ya todo|mi vida|ya)(?= \.|$| de una| para"
    r" siempre| ya| y))"
)
_WISH_ES = (
    r"(?:quiero|quisiera|queria|deseo|desearia|ojala|ganas de|me gustaria|me encantaria|pienso en"
    r"|pensando en|pense en|pensar en|pienso mucho en|no dejo de pensar en|sueno con|sonando con"
    r"|planeo|planeando|prefiero|preferiria|necesito|seria (?:mejor|mas facil|bonito|un alivio"
    r"|lo mejor)|estaria (?:mejor|bien)|a punto de|list[oa] para|tentad[oa] a|la idea de"
    r"|como seria|decidi|me toca|me tocaria|quiero ya|solo quiero|nomas quiero|me dan ganas de"
    r"|tengo ganas de|anhelo|extrano la idea de|pido|le pido a dios)"
)
_WISH_SUBJ_ES = (
    r"(?:ojala|quisiera que|quiero que|me gustaria que|desearia que|deseo que|pido que|pido a dios"
    r" que|seria (?:mejor|mas facil|bonito) (?:si|que)|estarian mejor si|si (?:un dia|algun dia|ya"
    r"|manana|de repente|mejor)|pienso (?:mucho )?en como seria si|que tal si|imagina(?:te)? si"
    r"|eso pienso|a veces pienso que)"
)
_MEANS_ES = (
    r"(?:pastillas|pastis|pildoras|medicinas|soga|cuerda|cinturon|sabana|cable|navaja|cuchilla"
    r"|cuchillas|cuchillo|pistola|cloro|veneno|raticida|puente|azotea|techo|orilla|vias|tren"
    r"|edificio|barandal|carbon|anafre)"
)

# An attempt told as long past ("years ago", "cuando tenia 12") is a past attempt (concern),
# not a recent one: every attempt rule demotes on these.
_PAST_EN = (
    r"(?:years? ago|when i was (?:little|younger|a kid|\d+)|long time ago"
    r"|glad (?:\S+ ){0,3}"
    r"(?:did not work|survived|failed)|took me years|at (?:1[0-9]|[5-9])\b|back in"
    r" (?:high school|juvie|the day|middle school)|back then)"
)
_PAST_ES = (
    r"(?:hace (?:\w+ )?(?:anos|ano|mucho|tiempo)|a los \d+|cuando tenia \d+"
    r"|cuando estaba en"
    r"|ya (?:quedo atras|paso)|el ano pasado|antes de llegar|ya no (?:lo )?pienso"
    r"|ya no me siento"
    r" asi|ya estoy bien|de (?:morro|chavo|nino|nina|chico"
    r"|chica|joven)|cuando tenia \d+|ya paso)"
)

# fmt: off
EN: list[Group] = [
    *rules(
        "en", SUICIDE, U,
        # wishing / planning / finding it nice: "it would be nice to not wake up"
        rf"{_WANT} (?:(?:if i could|to|i could|if i) )?(?:just |really |finally |honestly "
        rf"|literally |actually |quietly |simply |kind of |kinda |lowkey |go |to ){{0,2}}(?:to )?"
        rf"{DIE_INF}\b",
        rf"{_IF} (?:that )?(?:one day |someday |sometimes |tonight |tomorrow )?{I_DIE}",
        rf"{_THINK} (?:\S+ ){{0,3}}?(?:about|of|on|up) (?:\S+ ){{0,2}}?{DIE_GER}",
        rf"(?:can not|can t|cannot) stop (?:\S+ ){{0,2}}?(?:thinking|imagining|picturing)"
        rf" (?:\S+ ){{0,3}}?(?:about|of|how) (?:\S+ ){{0,2}}?(?:{DIE_GER}|{DIE_INF})",
        # "imagine if i just did not exist anymore"
        rf"(?:imagine|imagining|picture) (?:if )?(?:\S+ ){{0,2}}?{I_DIE}",
    ),
    *rules(
        "en", SUICIDE, U,
        # ready to catch the bus that does not come back
        r"(?:bus|train|ride|trip|boat) (?:\S+ ){0,6}(?:not|never) (?:come|coming) back",
        r"(?:one way ticket|long sleep|big sleep|permanent nap|eternal sleep|dirt nap)",
        # the dead have it easy, lucky to be gone
        r"(?:the dead|dead (?:people|homies|ones|folks)|the ones who died|they|he|she) (?:\S+ )"
        r"{0,2}(?:got it|have it|has it) (?:easy|good|better|made)",
        r"(?:lucky|luckier) (?:\S+ ){0,3}(?:to be|they are|he is|she is|ones are) (?:dead|gone)",
        # the wish said as a time: "hoping this birthday is my last", "won't make it to xmas"
        r"(?:hoping|hope|hopefully|praying|wish|pray) (?:\S+ ){0,4}(?:is|will be|be) my last"
        r" (?:one|birthday|christmas|year|summer|day|night|week)",
        r"(?:do not|can not|cannot|never) see my ?self (?:\S+ ){0,2}(?:alive|here|around|making it"
        r"|living|existing) (?:\S+ ){0,2}(?:next|in (?:a|\d+|five|ten|two)|by|at|past|to|when)",
        r"(?:will not|not going to|do not think i will|do not plan (?:on|to)) (?:make it|be"
        r" (?:here|around|alive)) (?:to|until|till|for|by|past) (?:christmas|my birthday|new year"
        r"|next year|summer|the end of|graduation|\d+|eighteen|18|court|my release|release)",
        # "if she leaves me i got no reason to be on this earth"
        rf"{_NO_POINT} (?:\S+ ){{0,3}}?(?:to|of|in|for) (?:me )?{_LIVING}(?= \.|$| anymore| no"
        rf" more| like| if| when| for| without| because| since| and| honestly| tbh| lol| like"
        rf" this| at all| any longer| now)",
        rf"{_NO_POINT} (?:\S+ ){{0,3}}?(?:to|of|in|for) (?:a life like mine|my life|my"
        rf" existence|me being (?:here|alive)|being alive|existing|living)",
        # conditional: "if X happens i am done for good"
        r"(?:done|gone|out) for good", r"(?:that is|thats|it is) it for me(?= \.|$)",
        # passive: "let it happen", "so be it", "would not get it treated"
        r"(?:die|dying|do not make it|does not make it|not make it out|get killed|take me|kills"
        r" me|killed|cancer|sick) (?:\S+ ){0,5}(?:so be it|let it happen|let it|fine by me"
        r"|i would not (?:mind|care|fight it|complain)|i will not (?:fight it|resist)"
        r"|good riddance)",
        r"(?:would not|will not|not going to|do not) (?:\S+ )?(?:get it treated|fight it|go to"
        r" the doctor|take my meds|call for help|resist) (?:\S+ ){0,4}(?:let it|so be it"
        r"|happen|die)",
        r"(?:do not|would not|does not|wont|will not) (?:\S+ )?(?:care|mind) (?:\S+ )?(?:if"
        r"|whether|when) (?:\S+ ){0,6}?(?:i (?:die|died|live|make it|wake|do not wake|get"
        r" killed|get hit|never wake)|(?:kill|kills|killed|takes|took|hit|hits) me"
        r"|(?:caved|falls|fell|collapsed|collapses) (?:\S+ ){0,2}on (?:me|my))",
        r"(?:ok|okay|fine|at peace|good|alright) with (?:dying|not waking up|not being here"
        r"|it ending|never waking up|being dead|that)(?= \.|$| honestly| tbh| tho| though)"
        "",
        r"(?:otherwise|or else) i would (?:\S+ )?(?:have|of) been (?:gone|dead)(?: already)?",
        r"(?:would|would have|would of) been (?:gone|dead) (?:already|by now|a long time ago"
        r"|long ago)",
        r"(?:how much longer|how long) (?:\S+ ){0,4}(?:saying no|holding on|hold on|hang on"
        r"|keep (?:going|saying no|fighting)|fight (?:it|this))",
        r"(?:talk|talked|talking) my ?self out of (?:it|doing it|ending|killing)",
        r"(?:keep|kept) (?:telling|saying to) my ?self (?:\S+ ){0,2}(?:one more day|one more"
        r" night|to hold on|not to|do not)",
        r"(?:does not|doesnt|do not|did not) stop (?:me )?(?:from )?(?:wanting|thinking) (?:to"
        r"|about"
        r" it)(?= \.|$)",
        r"(?:stand|stood|standing|sit|sat|sitting) (?:by|at|near|on) (?:the )?(?:window|ledge|edge"
        r"|railing|tracks) (?:\S+ ){0,3}(?:a lot|again|for (?:an hour|a long time|hours)|every"
        r" (?:day|night))",
        r"(?:the|my) (?:thoughts|urges?|voices?) (?:\S+ ){0,3}(?:still|so|really|too) (?:loud"
        r"|there|strong|bad|here)",
        r"(?:put|putting|threw|flushed|gave) (?:\S+ ){0,2}(?:razor|blade|pills|rope|knife|belt)"
        r" (?:\S+ ){0,4}(?:back|away|so i can not|\d+(?:st|nd|rd|th)? time|again)",
        # "part of me is mad it did not work"
        r"(?:mad|sad|upset|disappointed|pissed|angry|wish) (?:\S+ ){0,2}(?:it|that) (?:did not"
        r" work|had worked|failed|did not take)",
        negatable=False,
    ),
    *rules(
        "en", SUICIDE, U,
        # means x preparation, and how high / how many to not survive
        rf"{_READY} (?:\S+ ){{0,4}}?(?:my |the |a |some |enough |all )?{_MEANS}\b"
        r" (?:\S+ ){0,6}?(?:for (?:me|my ?self|later|when|tonight|the weekend)|not for"
        r" (?:\S+ )?(?:anyone|anybody|rats|the rats|cleaning|bugs)|ready|enough|strong enough"
        r"|high enough|hold my weight|will hold|in my (?:closet|room|locker|drawer|bag|backpack"
        r"|cell|bunk)|under my (?:mattress|bed|pillow)|just in case|when i am ready|so i can"
        r"|i know (?:what|how|when))",
        rf"{_MEANS} (?:\S+ ){{0,6}}?(?:looking|looks|calling|calls|staring|stares) (?:\S+ )"
        r"{0,3}(?:friendly|good|nice|tempting|better|at me|my name)",
        r"how (?:high|tall|far|many|much|long|deep|strong) (?:\S+ ){0,8}?(?:to (?:die|not"
        r" survive|be fatal|kill (?:you|a person|someone|my ?self)|od|overdose)|so (?:you|i) (?:do"
        r" not|would not|will not|never) (?:survive|wake|make it)|(?:you|i|a person) (?:would not"
        r"|do not|will not) survive|would it take|does it take|would kill|to be lethal|lethal"
        r"|fatal|not (?:to )?survive)",
        r"(?:researching|researched|looking up|looked up|googling|googled|reading about|searched"
        r"|searching|read up on) (?:\S+ ){0,3}?(?:methods|ways to (?:die|go|end it|do it)|how to"
        r" (?:die|end it|do it|tie|hang|overdose)|lethal|overdose|painless|suicide|how (?:many"
        r"|much|high))",
        r"(?:i think )?i (?:found|picked|chose) the (?:one|method|spot|place|bridge|way)"
        r"(?= \.|$)",
        rf"i know (?:exactly )?(?:what|how|when) i am (?:doing|going to do)"
        rf" (?:on |this )?{_WEEKDAY}(?= \.|$)",
        rf"(?:my|the) plan is (?:\S+ ){{0,3}}?(?:after|before|during|at|when|on) (?:\S+ ){{0,3}}?"
        rf"(?:count|lights out|rounds|everyone (?:is )?(?:asleep|sleeps)|{_WEEKDAY})",
        r"(?:last thing|last words|last memory) (?:\S+ ){0,3}(?:remember|remembers|hear|hears"
        r"|will have|has) (?:\S+ ){0,4}(?:before|of me)",
        rf"(?:for|after|when|once) (?:\S+ )?(?:they|someone|somebody|you|he|she|my \w+) {_FIND}"
        r" me(?= \.|$| dead| gone| in the| on the| hanging)",
        r"(?:letters?|notes?) (?:\S+ ){0,6}(?:for when|to be found|after i am gone|after i go"
        r"|when i am gone|if i do not)",
        r"(?:wrote|written|writing|left|leaving) (?:\S+ ){0,3}(?:letters|notes|goodbyes) (?:to|for)"
        r" (?:my|each|everyone|everybody|all)",
        r"goodbye (?:kite|letter|note|message|text|video|post|notes|letters)",
        r"(?:said|say|saying|told) (?:bye|goodbye) (?:\S+ ){0,6}?(?:for real|for good|forever"
        r"|like for real|one last time|for the last time|just in case)",
        r"(?:who gets what|who gets my|gave away my|giving away my|give away my|affairs in order"
        r"|everything in order|my things in order|tied up loose ends|tying up loose ends"
        r"|wrote (?:a|my) will|made a will|writing my will)",
        r"(?:today|tonight|this) is my last (?:day|night|check ?in|message|text)(?! (?:at|of|in"
        r"|here|on|working|with))",
        r"(?:i am |i will be |gonna be |going to be )?(?:jumping|jump|jumped|throwing my ?self"
        r"|throw my ?self|threw my ?self) (?:off|from|in front of|into|onto) (?:a |the |this"
        r" |that |my )?(?:\S+ )?(?:bridge|roof|building|overpass|ledge|balcony|train|car|bus"
        r"|tracks|cliff|parking garage|traffic|window)(?! (?:into the (?:lake|river|pool|water)))",
        r"(?:ready|going|heading|walking|walked|went|drove) (?:\S+ ){0,2}to the (?:bridge|overpass"
        r"|roof|rooftop|ledge|tracks|train tracks|river|cliff)(?= \.|$| now| tonight| rn)",
        r"(?:tell|let) (?:\S+ ){0,3}(?:i loved (?:her|him|them|you)|it was not (?:her|his|their"
        r"|your|anyone s|anybodys) fault|i am sorry for everything)",
        negatable=True,
    ),
    *rules(
        "en", SUICIDE, U,
        # self-injury in any wording
        rf"(?:did|done|do) (?:it|that|this|those|these) to {_ME}",
        r"(?:use|used|using) (?:\S+ ){0,6}to (?:cut|burn|scratch|carve|hurt my ?self|hurt"
        r" me)(?= \.|$| again| my| on| deep| with| when| because| it is)",
        rf"(?:opened|reopened|ripped|picked|tore|torn|dug|digging|picking|ripping|opening)"
        rf" (?:\S+ ){{0,3}}(?:{_WOUND}|one) (?:\S+ )?(?:back )?(?:open|up)",
        r"(?:scars|cuts|wounds|stitches) (?:\S+ ){0,3}(?:were|was) (?:\S+ )?healing"
        r" (?:\S+ ){0,4}(?:opened|reopened|again|cut|ruined)",
        rf"(?:long sleeves|long sleeve|hoodie|hoodies|sweater|sweatshirt|jacket|bracelets"
        rf"|wristbands|bandaids|band aids|bandages) (?:\S+ ){{0,6}}?(?:in (?:july|june|august"
        rf"|summer|the heat|\d+ degrees)|so (?:nobody|no one|they|staff|people|my \w+)"
        rf" (?:\S+ ){{0,2}}(?:see|sees|notice|notices|ask|asks|find)|to (?:hide|cover)|because of"
        rf" (?:my|what my) {_LIMB}|what my {_LIMB})",
        rf"what my {_LIMB} (?:look|looks) like",
        rf"(?:my )?{_LIMB} (?:\S+ ){{0,4}}(?:barcode|cut up|torn up|all cut|covered in (?:cuts"
        r"|scars|marks|burns))",
        rf"(?:asked|asks|asking|saw|noticed|sees) (?:\S+ ){{0,2}}(?:my|the) (?:{_LIMB}|{_WOUND}"
        r"|bandages?) (?:\S+ ){0,4}(?:i lied|lied|said it was|told (?:her|him|them) it was"
        r"|made up)",
        r"(?:streak|clean streak|days clean|clean days|my clean) (?:\S+ ){0,4}(?:is over|broke"
        r"|broken|ended|gone|reset|back to (?:0|zero|day one))",
        r"(?:since i last|i last) did it(?= \.|$| \.| and| but)",
        r"broke my (?:streak|clean streak)",
        r"(?:pulled|pull|pulling|ripped|rip|ripping|yanked|yanking|tore|tearing) (?:out )?(?:my"
        r" )?(?:hair|eyelashes|lashes|eyebrows|nails|skin) (?:out )?(?:\S+ ){0,2}(?:in chunks"
        r"|in clumps|again|until|till|bald|out again|so bad)",
        r"bald spots?",
        rf"{_SELF_HURT} (?:{_ME}|my {_LIMB}|my (?:head|fist|face|hand|hands|knuckles))"
        r" (?:\S+ ){0,6}?(?:until|till|til|so|to) (?:it|they|i|there) (?:\S+ )?(?:bleed|bled"
        r"|bleeds|bleeding|bruise|bruised|blister|blistered|broke|swell|swelled|split|numb|hurt"
        r"|went purple|feel something|feel better|was bleeding)",
        r"(?:burn|burning|burned|scald|scalding|hot water|shower|stood|stand|standing|cold water"
        r"|ice|lighter|eraser) (?:\S+ ){0,8}?on purpose",
        rf"i (?:\S+ ){{0,3}}{_SELF_HURT} (?:\S+ ){{0,4}}on purpose",
        rf"(?:new|fresh|more|deeper|infected) {_WOUND}(?! (?:on the|at|in) (?:practice|game))",
        rf"{_WOUND} (?:\S+ ){{0,3}}(?:are |is |getting |got )?infected",
        negatable=True,
    ),
    *rules(
        "en", SUICIDE, U,
        # recent attempt: what was done on purpose, rescued, the hospital after
        r"(?:overdosed|od|od ed|took|swallowed|drank|jumped|stepped|walked|ran|drove|hung|crashed"
        r"|almost died|nearly died|tried|did it|drowned|ate) (?:\S+ ){0,6}?on purpose",
        r"(?:stepped|walked|ran|jumped|threw my ?self) (?:out )?(?:in front of|into) (?:a |the )?"
        r"(?:car|bus|train|truck|traffic)",
        rf"i (?:tried|attempted) (?:it|again|to do it)(?= \.|$| again| last| on| {_TIME_RECENT})",
        rf"(?:latest|last|most recent) (?:one|time|attempt) was (?:\S+ ){{0,2}}{_TIME_RECENT}",
        r"(?:marks|bruises|burn|burns|rope burn) (?:\S+ ){0,2}(?:on|around) my neck",
        r"(?:was not|wasnt|was no|not an) (?:an )?(?:accident|allergic reaction|allergy)",
        r"(?:said|told (?:them|everyone|her|him)) (?:\S+ ){0,2}(?:it was|i) (?:an accident|fell"
        r"|slipped)(?= \.|$| but)",
        negatable=True,
        demote=_PAST_EN,
    ),
]

ES: list[Group] = [
    *rules(
        "es", SUICIDE, U,
        rf"{_WISH_ES} (?:\S+ ){{0,2}}?{MORIR_ES}",
        rf"{_WISH_SUBJ_ES} (?:\S+ ){{0,4}}?{SUBJ_ES}",
    ),
    *rules(
        "es", SUICIDE, U,
        r"(?:que|ojala|quiero que|quisiera que) (?:ya )?(?:se )?(?:acabe|acabara|termine|terminara)"
        r" (?:todo|ya todo|mi vida)(?= \.|$| de una| para siempre| ya| y| eso)",
        r"no (?:quiero|quieres|queria|quisiera|quiere) (?:\S+ )?(?:existir|vivir|despertar|amanecer"
        r"|seguir viv[oa]|seguir existiendo|seguir respirando|llegar a (?:navidad|diciembre"
        r"|manana|mi cumple\w*|fin de ano|ano nuevo|los \d+))",
        r"(?:me )?(?:canse|cansada|cansado|harta|harto) de (?:vivir|existir|estar viv[oa]"
        r"|despertar|respirar)",
        r"(?:mi|la|esta) vida no vale (?:ni|nada|la pena)",
        r"(?:sin|no tengo|ya no tengo|ni una|ninguna|no hay|no veo|no le veo|no encuentro)"
        r" (?:\S+ ){0,2}(?:razon|razones|motivo|motivos|sentido|caso) (?:\S+ ){0,2}(?:para"
        r" |pa |de |a )?(?:vivir|seguir|existir|estar aqui|estar viv[oa]|despertar|levantarme"
        r"|la vida|mi vida|seguir aqui|seguir viv[oa]|respirar)",
        r"(?:los muertos|el que se murio|los que se murieron|ellos) (?:\S+ ){0,2}(?:ya )?(?:la"
        r" tienen|estan|descansan) (?:facil|mejor|en paz)",
        r"(?:si dios|si la muerte|si el de arriba|si diosito) (?:\S+ ){0,3}(?:me quiere llevar"
        r"|me lleva|viene por mi) (?:\S+ ){0,4}(?:que me lleve|no me voy a resistir|adelante"
        r"|bienvenid)",
        r"no me (?:quejaria|molestaria|importaria|opondria) (?:\S+ ){0,4}(?:morir\w*|muriera"
        r"|muera|no despertar|despertara)",
        r"(?:me )?(?:muriera|muera|no despertara|me da un infarto|me pasa algo) (?:\S+ ){0,6}no"
        r" me (?:quejaria|molestaria|importaria)",
        r"(?:me da igual|no me importa|me vale) (?:\S+ ){0,2}(?:si )?(?:me muero|morir\w*|vivir o"
        r" morir|si vivo|despertar)",
        r"(?:para|pa) no (?:aventarme|tirarme|lanzarme|brincar|saltar|rendirme|hacerlo|matarme"
        r"|cortarme|colgarme)",
        r"(?:no lo hagas|no lo hagas \. no lo hagas)(?= \.|$| como| mil)",
        r"(?:las ganas|las ideas|los pensamientos|la idea) (?:\S+ ){0,2}(?:siguen|sigue) (?:\S+ )"
        r"{0,2}(?:ahi|igual|igualitas|aqui)",
        r"(?:menos|sin) fuerzas (?:\S+ ){0,2}(?:para|pa) (?:no rendirme|seguir|aguantar)",
        r"(?:sentad[oa]|parad[oa]|me siento) (?:\S+ ){0,2}en (?:la orilla|el borde|el barandal)"
        r" (?:de la |del )?(?:techo|azotea|puente|edificio|ventana)?",
        r"(?:ya no voy a|no voy a) dar (?:\S+ )?(?:lata|problemas|molestias)",
        r"ya no (?:van|vas|tendran|tendras"
        r"|tienen) (?:a tener )?que preocuparse (?:\S+ ){0,2}por mi",
        r"(?:pronto|muy pronto) ya no (?:voy a|van a|vas a)",
        negatable=False,
    ),
    *rules(
        "es", SUICIDE, U,
        rf"(?:compre|consegui|tengo|ya tengo|guarde|escondi|esconder|junte|juntando|guardando|conte"
        rf"|agarre|saque|traigo|robe|probe|medi) (?:\S+ ){{0,3}}?(?:el |la |las |los |un |una"
        rf" |unas |mis )?{_MEANS_ES} (?:\S+ ){{0,8}}?(?:para mi|pa mi|no (?:es|son) (?:para|pa)"
        r"|para cuando|pa cuando|aguanta|alcanza|suficientes?|lo que necesito|ya se|escondid[oa]s?"
        r"|guardad[oa]s?|en mi (?:mochila|cuarto|cama|locker|celda|cajon))",
        r"(?:que tan|cuanto|cuantas|cuantos|que altura) (?:\S+ ){0,6}?(?:alto|alta|altura|se"
        r" necesita|hace falta|hacen falta|para (?:morir|no despertar|matar|no sobrevivir)|alcanza"
        r"|aguanta mi peso|mortal|letal|no sobrevivir)",
        r"ya se que (?:alcanza|aguanta|sirve|funciona|es suficiente)",
        r"(?:investigando|investigue|buscando|busque|googlee|lei sobre|leyendo sobre) (?:\S+ ){0,3}"
        r"(?:metodos|formas de (?:morir|matarme|hacerlo)|como (?:morir|matarme|hacerlo|ahorcarme)"
        r"|dosis|sobredosis|cuantas pastillas)",
        r"(?:escogi|elegi|ya tengo|tengo|ya decidi|decidi|puse) (?:\S+ )?(?:el dia|la fecha|fecha"
        r"|dia y hora|la hora)",
        r"(?:puse|tengo|deje) (?:\S+ )?todo en orden",
        r"(?:manana|pasado manana|el (?:lunes|martes|miercoles|jueves|viernes|sabado|domingo)"
        r"|esta noche|hoy) ya no(?= \.|$)",
        r"(?:es|son) (?:para|pa) mi(?: \.)? no (?:para|pa) (?:nadie|otr[oa]s?|los demas)",
        r"ya no (?:las|los|lo|la|me) (?:voy a|va a|van a) (?:necesitar|usar|ocupar|servir|hacer"
        r" falta)",
        r"(?:me voy|voy|fui|me fui|me subi|estoy|ya estoy) (?:\S+ ){0,2}?(?:al|a la|en el|en la|a"
        r" las|en las) (?:puente|azotea|techo del \w+|orilla|vias|via del tren|barandal)(?= \.|$|"
        r" ya| a ver| a esperar| esperando| sentad| parad| para| pa| nadie| del| de la)",
        r"(?:dile|dejale|diganle|decirle|dile a|dejale esto a|digale) (?:\S+ ){0,4}(?:que (?:la|lo"
        r"|los|las) (?:quise|quiero|ame|amo)|que no fue su culpa|que lo siento)",
        r"no fue (?:su|tu) culpa(?= \.|$)",
        r"hoy es mi ultimo dia(?! (?:de|en|aqui|trabajando|con))",
        r"(?:ultima vez que|por ultima vez) (?:\S+ ){0,2}(?:me (?:ves|ven|escuchas|oyes)|hablamos"
        r"|te escribo)",
        r"(?:ya )?(?:me despedi|despedirme) de (?:todos|mi \w+|ti|ustedes|el|ella)",
        # things given away count with a farewell sign only (suicide.py): "le regale mi ropa
        # vieja a mi prima" is a clear-out
        negatable=True,
    ),
    *rules(
        "es", SUICIDE, U,
        r"me (?:hice|hago|he hecho|estoy haciendo|volvi a hacer) (?:\S+ )?(?:cortadas|cortes"
        r"|heridas|quemaduras|rasgunos|cortaditas)",
        r"(?:cortadas|cortes|heridas|quemaduras) (?:\S+ ){0,2}(?:nuevas|frescas|en (?:los|las|mis)"
        r" (?:brazos|piernas|muslos|munecas))",
        r"(?:rascandome|rasco|rasque|rascando|tallo|tallando|abro|abri|abriendo|arranco|arranque"
        r"|arrancando|me quito|quitandome) (?:\S+ ){0,2}(?:las |mis )?(?:heridas|costras|cortadas"
        r"|cicatrices|postillas)",
        # first person only: "mi hermano me mordio ... hasta que sangro" is someone else's bite
        r"me (?!\w*(?:io|a|an|aron|ieron)\b)(?:\S+ ){0,6}hasta (?:sangrar|que sangr\w*"
        r"|hacerme sangre|sacarme sangre)",
        r"me (?:pinche|pincho|piqu?e|pico|clave|clavo|encaje|encajo|rasgune|rasguno|queme|quemo)"
        r" (?:\S+ ){0,4}(?:aguja|alfiler|compas|clip|tijeras|grapa|vidrio|encendedor|cigarro"
        r"|hasta)",
        r"(?:escondo|esconder|escondi|tapo|tape|oculto|oculte|tapando|escondiendo) (?:\S+ ){0,2}"
        r"(?:las |mis )?(?:curitas|vendas|banditas|cortadas|heridas|cicatrices|marcas)",
        r"(?:manga larga|sudadera|mangas largas) (?:\S+ ){0,6}(?:calor|para que no|pa que no"
        r"|verano|aunque)",
        r"(?:arranque|arranco|arrancando|jale|jalo) (?:\S+ )?(?:el pelo|el cabello|las pestanas"
        r"|mechones) (?:\S+ ){0,2}(?:a punos|otra vez|de nuevo|hoyo)",
        r"(?:la herida|las heridas|la cortada|las cortadas) (?:\S+ ){0,6}(?:no sabe|no saben|nadie"
        r" sabe|no se ha dado cuenta|no se dan cuenta|infect\w*)",
        r"(?:se me abrio|se me abrieron|abri) (?:\S+ )?(?:la herida|las heridas|la cortada|las"
        r" cortadas)",
        r"(?:con|usando|uso) (?:un|una|el|la) (?:\S+ ){0,4}(?:vidrio|navaja|cuchilla|hoja"
        r"|sacapuntas"
        r"|tijeras|lata) (?:\S+ ){0,5}me (?:hice|hago|corte|corto|raje|rajo)",
        r"me gusta (?:sentir )?(?:el|la) (?:ardor|dolor|sangre) (?:\S+ ){0,4}(?:heridas|cortadas"
        r"|cuando me)",
        negatable=True,
    ),
    *rules(
        "es", SUICIDE, U,
        r"(?:intente|intento|trate de|quise|he intentado) (?:\S+ )?(?:ahogarme|asfixiarme"
        r"|envenenarme|desangrarme|aventarme|tirarme|lanzarme|cortarme|ahorcarme|colgarme"
        r"|matarme|quitarme|morirme|atropellar)",
        r"(?:me (?:encerre|meti)|prendi) (?:\S+ ){0,4}(?:carbon|anafre"
        r"|gas) (?:\S+ ){0,3}(?:prendido"
        r"|abierto|cuarto|bano|carro)",
        r"me (?:sacaron|rescataron|bajaron|descolgaron|encontraron) (?:\S+ ){0,3}(?:del rio|del"
        r" agua|los bomberos|a tiempo|de la tina|de la banera|del puente|de la via|inconsciente)",
        r"(?:hice|cometi) una (?:tonteria|estupidez|locura|pendejada) (?:\S+ ){0,2}(?:con (?:las"
        r" )?(?:pastillas|medicinas|pastis|la navaja|la cuerda))",
        r"(?:por lo que|lo que) me hice",
        r"(?:me avente|me tire|me lance|me atravese|me meti) (?:\S+ ){0,3}(?:al|a la|frente al"
        r"|enfrente"
        r" del?) (?:carro|camion|tren|trafico|coche|metro|calle|via)",
        r"(?:via|vias) del tren (?:\S+ ){0,2}(?:a esperar|esperando|a que pasara)",
        r"me (?:tome|trague|tomé) (?:las|mis|todas las|unas) (?:pastillas|pastis|medicinas"
        r"|pildoras) (?:ayer|anoche|antier|anteayer|el \w+|hace (?:unos|dos|tres) dias)",
        r"(?:no|ni) fue (?:un )?accidente",
        r"(?:dijeron|digo|dije) que me (?:cai|resbale|tropece) pero (?:no|fue)",
        negatable=True,
        demote=_PAST_ES,
    ),
]
# fmt: on

# --- Wider frames, second pass ------------------------------------------------------------------
# Written from the rubric's rows, not from sentences: each pattern is a frame (fighting it, a
# hedged denial, "should/might as well", not caring whether one lives, a method said as a
# gerund) that takes the whole concept vocabulary above, plus internet slang for ending one's
# life ("ctb", "rope", "self delete", "yeet myself off", "six feet under").
_SLANG_END = (
    r"(?:ctb|rope(?: my ?self)?|self ?delete|delete my ?self(?! from)|remove my ?self(?! from)"
    r"|erase my ?self(?! from)|yeet my ?self (?:off|from|into|in front)|bow out (?:of life|for good"
    r"|permanently)|take the (?:easy|coward s|cowards|quick|permanent) way out|be six feet under"
    r"|be in (?:the ground|a (?:box|coffin|casket|grave)))"
)
_END_GER = (
    r"(?:killing my ?self|unaliving my ?self|offing my ?self|ending (?:it all|it|things|everything"
    r"|my life|my ?self|this life|all of it)(?! with\b)|taking my (?:own )?life|hanging my ?self"
    r"|overdosing|dying)"
)
_METHOD_GER = (
    r"(?:jumping(?= \.|$| off| from| in front)|hanging my ?self|overdosing|od ing|drowning my ?self"
    r"|slitting|crashing my car|driving off|stepping in front|walking into traffic"
    r"|taking (?:all )?(?:my|the|those|these) (?:pills|meds)|the (?:bridge|rope|pills|tracks)"
    r"|the roof(?= \.|$)|suicide|dying|not waking up|ending it|ending things|killing my ?self)"
)
_HARM_VERB = (
    r"(?:cut|cutting|burn|burning|hurt my ?self|hurting my ?self|harm my ?self|harming my ?self"
    r"|hit my ?self|hitting my ?self|do it|do anything|do something|relapse|relapsing|use the"
    r" (?:blade|razor|lighter)|act on (?:it|them|the thoughts)|give in|giving in|end it|ending it"
    r"|kill my ?self|killing my ?self|die|od|overdose)"
)
_DOUBT = (
    r"(?:i think|probably|maybe|i hope|hopefully|idk|i do not know|not sure|for now|yet|i guess"
    r"|we will see|no promises|tonight at least|today at least)"
)

# fmt: off
EN += [
    *rules(
        "en", SUICIDE, U,
        # fighting it: "trying so hard not to cut", "struggling not to do it tonight"
        rf"(?:trying|try|tried|struggling|fighting|working|doing my best|doing everything)"
        rf" (?:\S+ ){{0,3}}?(?:not to|to not|to stop my ?self from|to keep my ?self from)"
        rf" (?:\S+ )?{_HARM_VERB}",
        rf"(?:stop|stopping|stopped|keep|keeping|kept) my ?self from (?:\S+ )?{_HARM_VERB}",
        # a hedged denial is not a denial: "i won't do anything stupid... i think"
        rf"(?:will not|not going to|would not|do not plan to|promise i will not) (?:do|try)"
        rf" (?:anything|something|it|nothing)(?: stupid| dumb| bad| crazy| tonight)?"
        rf" (?:\. )*(?:\S+ )?{_DOUBT}(?= \.|$)",
        # not safe with oneself
        r"(?:can not|do not know if i can|not sure (?:if )?i can|unable to) keep my ?self safe",
        r"(?:not|do not feel) safe (?:with|from|around) my ?self",
        r"(?:scared|afraid|terrified|worried) (?:of )?(?:what )?i (?:might|will|would|could|am"
        r" going to) do (?:to my ?self|tonight)",
        r"(?:going to|gonna|about to|might) do something (?:stupid|dumb|drastic|bad|crazy)"
        r" (?:tonight|to my ?self|soon|if)",
        # it is only fate or time keeping them here: "i will not be alive much longer"
        r"(?:do not think|not sure|doubt) i will (?:be )?(?:alive|here|around|make it|last)"
        r" (?:much longer|for long|long|anymore|next|to see|by|past|till|until)",
        r"i will not be (?:alive|here|around) (?:much longer|for (?:much )?longer|for long"
        r"|anymore|by (?:christmas|summer|next|the end)|to see)",
    ),
    *rules(
        "en", SUICIDE, U,
        rf"(?:want|wanna|going|gonna|ready|plan|planning|about|need|tempted|decided|might) to"
        rf" (?:just |finally |really )?{_SLANG_END}",
        rf"{_SLANG_END} (?:tonight|tomorrow|soon|this weekend|for real|fr)",
        r"self ?delet(?:e|ing|ed|ion)",
        r"(?:i|me) (?:\S+ )?(?:should|might as well|may as well|oughta|ought to) (?:just )?(?:die"
        r"|be dead(?! tired)|kill my ?self|end it|end my life|not exist|not be here"
        r"|disappear(?! for a))"
        r"(?= \.|$| already| then| now| honestly| tbh| lol| lmao| haha| fr| and| because| so)",
        r"(?:might|may) as well (?:just )?(?:be dead(?! tired)|die|end it|kill my ?self)",
        r"(?:idc|idgaf|dgaf|do not care|could not care less|would not care|would not mind)"
        r" (?:\S+ )?(?:if|whether|when) (?:i )?(?:die|died|live|make it|wake up|do not wake up"
        r"|never wake up|disappear|get killed|get hit)",
        rf"feel(?:ing|s)? like (?:just )?(?:{_END_GER}|not existing|not waking up|disappearing"
        rf"(?! (?:from|for a|for like|for the))|giving up on (?:life|living)|being dead)",
        rf"{_THINK} (?:\S+ ){{0,3}}?(?:about|of|on) (?:\S+ )?{_METHOD_GER}",
        rf"{_THINK} (?:about |of |on )?how (?:to|i would|i will|i could|i am going to|i should)"
        rf" (?:\S+ )?(?:{DIE_INF}|do it|go|kill my ?self)\b",
        # "would like it to be over", "ready for it all to end"
        r"(?:would like|would love|ready for|waiting for|just want|want) (?:it|this|everything|it"
        r" all|all of it|my life|life) (?:(?!(?:week|day|class|semester|year|month|shift|test"
        r"|meeting"
        r"|school|exam|lesson|movie|trip|game|term|party|season|song|pain|headache)\b)\S+ )?to"
        r" (?:just )?(?:be over|end|stop)(?= \.|$| for"
        r" good| forever| already| now| honestly| tbh| lol)",
        # the dead, heaven, joining them
        r"(?:want|wanna|wish i could|ready|need) to (?:go )?(?:to )?(?:heaven(?! (?:someday"
        r"|one day|when"
        r"|after|eventually))|be with (?:my \w+"
        r"|him|her|them) (?:in heaven|up there|again)|see (?:my \w+|him|her|them) (?:again )?(?:in"
        r" heaven|up there|on the other side))",
        # texting spellings of "what is the point of me being alive"
        r"(?:no|what is the|whats the|wats the|wat is the|what the) (?:pont|piont|poin|pnt|point)"
        r" (?:\S+ ){0,2}(?:of|in|to) (?:me )?(?:bein|being|be|livin|living|stay|staying)"
        r" ?(?:alive|here|around)?",
        r"(?:stopped|stop) (?:being alive|breathing|existing|living)(?= \.|$| anyway| already"
        r"| for good| forever| honestly| tbh| lol)",
        r"(?:planning|plan|planned|figured out|figuring out) (?:how|when|where) (?:to|i will|i am"
        r" going to|i would) (?:\S+ )?(?:end it|end it all|do it|die|kill my ?self|go)"
        r"(?= \.|$| all| tonight| soon| lol| haha)",
        # "ending it all tonight lol": the plain phrase, said of nothing else
        r"(?:end|ending|ended it|end it) it all(?! (?:with|for (?:the|this|that)))",
        r"(?:ending|end) (?:it|things|my life|everything) (?:tonight|tomorrow|this weekend|soon"
        r"|for real|fr)(?= \.|$| lol| haha| lmao| jk| or)",
        # means ready: "gonna swallow everything in the cabinet"
        r"(?:going to|gonna|want to|will|about to|ready to|thinking of) (?:take|swallow|down|pop)"
        r" (?:\S+ )?(?:everything|every pill|all of (?:them|it)|the whole (?:bottle|box|pack"
        r"|thing)|all my (?:pills|meds))",
        r"(?:standing|sitting|stood|sat|i am) (?:on|at) (?:the|a|this"
        r"|that) (?:edge of the )?(?:roof"
        r"|ledge|bridge|overpass|railing|rooftop|edge)(?= \.|$| now| rn| right now| again"
        r"| looking| and| thinking)",
        r"tonights? (?:is )?the night(?! (?:of|for))",
        r"i (?:\S+ )?(?:overdosed|od ed|oded)(?! on (?:candy|sugar|caffeine|coffee|netflix|anime"
        r"|tv|chocolate|energy drinks|sweets))",
        r"pumped my stomach",
        demote=_PAST_EN,
    ),
]

# Spanish: subjunctive forms of not waking up / dying said as a wish ("que ya no amanezca para
# mi"), hedged denials, fighting it, "mejor me muero", the plan said as a noun.
_SUBJ_PRES_ES = (
    r"(?:ya )?(?:no (?:amanezca|despierte|vuelva a despertar|exista|este)|me muera|desaparezca"
    r"|me vaya (?:para siempre|de este mundo)|se (?:acabe|termine) (?:todo|mi vida))"
)

ES += [
    *rules(
        "es", SUICIDE, U,
        rf"(?:quiero|quisiera|ojala|deseo|pido|espero|me gustaria) (?:\S+ ){{0,4}}?que"
        rf" {_SUBJ_PRES_ES}(?= \.|$| para mi| nunca| mas| ya| jaja| xd| y)",
        rf"que {_SUBJ_PRES_ES} para mi",
        r"(?:que|ojala|quiero que) (?:ya )?(?:se )?(?:acabe|acabara|termine|terminara) (?:todo|ya"
        r" todo|mi vida)(?= (?:ja|je|xd|lol|js)\w*)",
        rf"(?:mi|el) plan (?:\S+ ){{0,3}}?(?:\. )?(?:es )?{MORIR_ES}",
        r"mejor (?:ya )?me (?:muero|mato|desaparezco|voy de este mundo|quito la vida)(?! de)",
        r"(?:pienso|pensando|pense|pensar|pensamientos|ideas|idea) (?:\S+ ){0,2}(?:en|de"
        r"|del) (?:el )?"
        r"suicid\w+",
        r"(?:quiero|quisiera|me quiero) (?:ir|irme) (?:\S+ ){0,3}al cielo(?! (?:algun|un) dia"
        r"| cuando"
        r"| despues)",
        r"(?:ya )?no (?:aguanto|soporto) (?:\S+ )?(?:la vida|vivir|estar viv[oa]|existir|seguir"
        r" viv[oa])",
        r"(?:quiero|quisiera|ojala) (?:estar|irme) (?:alla|alli|ahi|arriba) (?:con|donde)",
        r"(?:compre|consegui|tengo|ya tengo|traigo) (?:una |la )?soga(?! para (?:brincar|saltar"
        r"|el columpio|la tienda|amarrar))",
    ),
    *rules(
        "es", SUICIDE, U,
        # fighting it
        r"(?:tratando|trato|trate|intentando|intento|luchando"
        r"|haciendo lo posible) (?:\S+ ){0,3}?(?:de"
        r" |por )?no (?:\S+ )?(?:cortarme|matarme|hacerme dano|lastimarme|hacerlo|quemarme|recaer"
        r"|tomarme (?:las|todas)|aventarme|tirarme|hacer (?:una|ninguna) (?:tonteria|locura"
        r"|pendejada))",
        # a hedged denial
        r"no (?:voy a|pienso|creo que vaya a) hacer (?:ninguna |una |nada )?(?:tonteria|locura"
        r"|pendejada|nada(?: malo)?)(?: \.)* (?:\S+ )?(?:creo|no se|quien sabe|tal vez|a lo mejor"
        r"|espero|por ahora|todavia|hoy no|ojala)(?= \.|$)",
        r"(?:no me|no) (?:siento|estoy) (?:a salvo|segur[oa]) (?:conmigo|de mi mism[oa])",
        r"(?:miedo|me da miedo) (?:de )?lo que (?:me )?(?:pueda|puedo|vaya a) hacer",
        r"voy a hacer una (?:tonteria|locura|pendejada)(?= \.|$| hoy| esta noche| ya)",
        negatable=False,
    ),
]
# fmt: on

# --- Oblique wordings, third pass ----------------------------------------------------------------
# What a wish, a plan, self-injury, an attempt or fighting the urge sounds like when the word
# "die" is never said: death described as welcome, the world better without me, the hospital
# words that follow an attempt (watch, hold, smock), means handed over or locked away, the
# texting shorthand "sh".
_BETTER = r"(?:better|happier|fine|easier|okay|ok|lighter|relieved)"
_LIMB_ES = (
    r"(?:los brazos|el brazo|mis brazos|las piernas|la pierna|mis piernas|los muslos|el muslo"
    r"|la muneca|las munecas|mis munecas|la panza|el estomago|la piel|mi piel)"
)

EN += [
    *rules(
        "en", SUICIDE, U,
        r"(?:can not wait|looking forward|counting down|waiting) (?:\S+ ){0,2}?(?:to die|to be dead"
        r"|dying|until i die|till i die|to my death|for (?:my death|death|the end)|the day i die)",
        r"death (?:\S+ ){0,3}?(?:sounds|seems|looks|feels|would be|would feel|is) (?:\S+ )?(?:nice"
        r"|good|peaceful|better|like a relief|a relief|like peace|easier|welcome|inviting"
        r"|comforting|like the answer|like the only way|like freedom|like home)",
        r"(?:welcome|embrace|accept|ready for) death",
        r"(?:come|please|just) (?:get|take) me (?:death|god|lord|already)",
        r"(?:just )?let me (?:die|be dead|go for good|rest forever)(?! (?:of|from|laughing))",
        r"(?:should not|should never|was not supposed to|never should) (?:have )?(?:survived|been"
        r" born|made it|woken up|woke up|lived)",
        r"(?:unfortunately|sadly|of course|somehow|still) i (?:survived|woke up|lived)",
        r"(?:mad|angry|upset|pissed|sad|disappointed) (?:that )?i (?:survived|woke up|lived"
        r"|am still (?:alive|here|breathing))",
        rf"(?:world|everyone|everybody|people|my family|they|my kids|my mom|my dad|the home"
        rf"|this place) (?:\S+ ){{0,3}}?(?:would|will|could) (?:all )?(?:be|do|feel) (?:so |way"
        rf" |much )?{_BETTER} (?:off )?(?:without me|if i (?:was|were|am) gone|with me gone|once i"
        rf" am gone|when i am gone|if i (?:died|disappeared|was not here|left for good))",
        r"nothing (?:left )?(?:to live for|worth living for|keeping me here|holding me here)",
        r"(?:no|not any|nothing|nobody|no one) (?:\S+ )?(?:left )?(?:keeping|holding) me here",
        r"(?:disappear|vanish|go away|leave) and never (?:come back|return|be found)",
        r"the pain (?:\S+ ){0,3}(?:stop|end|go away) (?:forever|permanently|for good)",
        r"(?:go|be|fall) (?:to sleep|asleep) (?:\S+ ){0,2}(?:permanently|for good|forever"
        r"|and stay asleep)",
        # plans said as a schedule: "by friday it will be over", "after court i will be gone"
        rf"(?:by|after|on|before) (?:\S+ )?(?:{_WEEKDAY}|court|my birthday|christmas|sentencing"
        rf"|the hearing|release|graduation|new year) (?:\S+ ){{0,4}}?(?:it will (?:all )?be over"
        rf"|i will be gone|i will not be (?:here|around|alive)|it ends|i am gone|i will be dead"
        rf"|i will be done for good)",
        r"i know where (?:\S+ ){0,3}(?:keeps|keep|hides|hide|has|stores|leaves) (?:the|his|her"
        r"|their|a|my|all the) (?:\S+ )?(?:gun|pistol|rifle|pills|meds|knife|knives|rope)",
        r"(?:cheek|cheeking|cheeked|pocketing|pocketed|palming|palmed|spitting out|spit out)"
        r" (?:\S+ )?(?:my |the |all my )?(?:pills|meds|medication|doses)",
        r"(?:not|stopped) (?:taking|swallowing) my (?:pills|meds) (?:\S+ ){0,3}(?:saving|stashing"
        r"|keeping|hiding|collecting) (?:them|it)",
        r"(?:take care of|look after|feed|watch) my (?:dog|cat|sister|brother|baby|kids|son"
        r"|daughter|plants|fish|little \w+) (?:\S+ ){0,3}(?:when|after|once|if) i (?:am gone"
        r"|go|do not come back|die|am not here)",
        r"(?:found|picked|chose|have|got|scoped out) (?:a|the|my) (?:spot|place|bridge|building"
        r"|tree|date|day|time|method) (?:\S+ )?(?:for it|to do it|where i will|when i will)",
    ),
    *rules(
        "en", SUICIDE, U,
        # self-injury: the "sh" shorthand, carving, knuckles that bled
        r"(?:my |the )?sh (?:urges?|relapse|scars?|wounds?|cuts?|again|streak)",
        r"(?:urge|urges|want|wanted|need|needed|tempted) to sh\b",
        r"(?:relapsed|relapse|relapsing|clean) (?:on|from|of|with) sh\b",
        r"(?:carve|carved|carving|sliced|slicing|slashed|slashing|gouged|dragged|dragging"
        r"|scraped|scraping) (?:\S+ ){0,4}(?:into|on|across|up) my (?:\S+ )?"
        r"(?:arms?|wrists?|legs?|thighs?|skin|stomach|hips?|chest|forearms?)",
        r"(?:knuckles|fists?) (?:\S+ ){0,3}(?:bled|bleeding|busted|split|raw) (?:\S+ ){0,3}"
        r"(?:wall|punching|on purpose|again)",
        r"(?:punched|punching|punch|hit|hitting) (?:the |a )?(?:wall|mirror|door|locker) (?:\S+ )"
        r"{0,4}(?:till|until|til) (?:my )?(?:knuckles|hand|hands|fist|it) (?:\S+ )?(?:bled|bleed"
        r"|broke|split|cracked)",
        r"(?:marks|cuts|scars|burns) on my (?:arms?|wrists?|legs?|thighs?|stomach|hips?)"
        r"(?! (?:from|after) (?:practice|the game|work|the cat|the dog|surgery|football|the fall))",
        # after an attempt: watch, holds, smocks
        r"(?:on|put me on|under|off) (?:suicide|sui|one to one|1 1|line of sight|constant)"
        r" (?:watch|observation|precautions)",
        r"(?:baker acted|5150 ed|5150d|put on a (?:72 hour )?hold|72 hour hold|psych hold"
        r"|(?:suicide|safety|anti suicide) (?:smock|gown|blanket)|turtle suit)",
        r"(?:survived|lived through|woke up after) (?:it|my attempt|the overdose|the pills|what i"
        r" did)",
        r"(?:it|the pills|the rope|the overdose|my attempt) did not (?:work|kill me|take)",
        demote=_PAST_EN,
    ),
    *rules(
        "en", SUICIDE, U,
        # fighting it: means handed over or locked away, reasons counted, the plan used
        r"(?:asked|told|begged|got) (?:\S+ ){0,3}to (?:hold|keep|lock up|lock away|hide|take)"
        r" (?:\S+ ){0,2}(?:razor|razors|blade|blades|belt|pills|meds|shoelaces|knife|knives"
        r"|lighter|cord|rope)",
        r"(?:gave|handed|turned in) (?:\S+ ){0,2}(?:razor|razors|blade|blades|belt|pills|meds"
        r"|shoelaces|knife|knives|lighter|cord|rope) (?:\S+ ){0,2}to (?:\S+ ){0,2}(?:so i|so that"
        r" i|because i|just in case|to hold|to keep)",
        r"(?:locked|lock|hid|hide|threw|throw|flushed|flush) (?:up |away |out )?(?:the|my|all the"
        r"|all my) (?:pills|meds|knives|razors|blades|rope|belt) (?:\S+ ){0,3}(?:from my ?self|so i"
        r" (?:can not|do not|will not|would not))",
        r"(?:running out of|out of|lost all my|losing my) reasons (?:\S+ )?(?:to stay|to live|to"
        r" keep going|not to|to stay alive|to hold on)",
        r"(?:safety plan|crisis plan|crisis line|hotline|988) (?:\S+ ){0,6}?(?:again|tonight"
        r"|helped|is not helping|not working|stopped working|three times|twice|every night)",
        r"(?:keeping|keep) my ?self busy so (?:i do not|i will not|i can not|that i do not)"
        r" (?:\S+ ){0,2}(?:do|cut|hurt|act|think about)",
        r"(?:the|my|these) (?:urges?|thoughts|voices?) (?:\S+ ){0,3}(?:again|tonight|winning|won"
        r"|louder|stronger|are back|came back|will not stop|do not stop|never stop)",
        r"(?:said|saying|keep saying|kept saying) no to (?:it|the urges?|the thoughts|the voices?)",
        negatable=False,
    ),
]

ES += [
    *rules(
        "es", SUICIDE, U,
        r"(?:que|ojala|quiero que|pido que|le pido a dios que) (?:ya )?(?:dios|diosito|la muerte|el"
        r" de arriba|el senor|la flaca|la huesuda) (?:ya )?(?:me )?(?:lleve|recoja|llevara"
        r"|recogiera"
        r"|venga por mi|viniera por mi)",
        r"(?:no tengo|ya no tengo|no hay) (?:nada |nadie )?(?:por|para|pa) (?:que|quien|que)"
        r" (?:vivir|seguir|seguir viv[oa]|quedarme)",
        r"(?:no (?:debi|debio|debia|tenia que|tuve que)|nunca (?:debi|debio)) (?:haber )?nac\w+",
        r"(?:desaparecer|irme|largarme|perderme) (?:\S+ ){0,2}y (?:ya )?(?:no volver|nunca volver"
        r"|no regresar|que nadie me encuentre)",
        r"la muerte (?:\S+ ){0,2}(?:suena|seria|se ve|se siente|es) (?:\S+ )?(?:bonita|bien"
        r"|tranquila|un alivio|mejor|como descanso|como paz|la salida|la unica salida)",
        r"(?:ya )?(?:quiero|quisiera|necesito) descansar (?:para siempre|de (?:todo|esta vida|la"
        r" vida|vivir)|en paz)",
        r"(?:estoy|estoy de) (?:de )?(?:sobra|mas) en (?:este mundo|esta vida|la tierra)",
        r"(?:estarian|estaria|seria|serian|vivirian|quedarian|estarias) (?:\S+ ){0,2}(?:mejor|mas"
        r" felices|mas tranquil[oa]s?|bien) (?:sin mi|si (?:yo )?(?:ya )?no (?:estuviera"
        r"|existiera|estoy)|cuando (?:ya )?no (?:este|estuviera))",
        r"(?:por desgracia|lastima que|para mi mala suerte|desafortunadamente|y aun asi)"
        r" (?:\S+ )?(?:sobrevivi|desperte|sigo viv[oa])",
        r"(?:me )?(?:vigilan|tienen vigilad[oa]|pusieron vigilancia|tienen en observacion|en"
        r" vigilancia) (?:\S+ ){0,4}(?:24|todo el dia|constante|despues de|por lo que|como si)",
        r"(?:no|ni) (?:me )?funciono (?:\S+ ){0,3}(?:lo que|las pastillas|el intento|y (?:sigo"
        r"|desperte))",
        r"(?:sobrevivi|me salvaron|me revivieron) (?:\S+ )?(?:a|al|el|la|lo que) (?:intento"
        r"|sobredosis|lo que hice)",
        demote=_PAST_ES,
    ),
    *rules(
        "es", SUICIDE, U,
        rf"me (?:\S+ )?(?:arane|arano|aranando|arando|rasgune|rasguno|mordi|muerdo|mordiendo"
        rf"|pellizco|pellizque|clave|clavo|raspe|raspo|marque|marco|raje|rajo|queme|quemo|golpee"
        rf"|golpeo|lastime|lastimo|corte|corto|cortando|quemando|rajando) (?:\S+ ){{0,3}}{_LIMB_ES}"
        rf"(?! (?:con la puerta|jugando|en el partido|en la cocina|cocinando|sin querer|por"
        rf" accidente))",
        r"(?<!no )(?<!nunca )(?:me )?(?:dan|tengo|entran|vienen) (?:muchas )?ganas de (?:cortarme"
        r"|lastimarme"
        r"|hacerme dano|quemarme|morirme|matarme|rajarme)",
        r"(?:le di|le entregue|entregue|tire|bote|deje) (?:\S+ ){0,2}(?:la navaja|las navajas"
        r"|las cuchillas|la cuchilla|las pastillas|el cinturon|las agujetas|el encendedor|la soga)"
        r" (?:\S+ ){0,4}(?:para que|pa que|para no|pa no|por si)",
        r"(?:guarde|escondi|tire|aleje) (?:\S+ )?(?:la navaja|las navajas|la cuchilla|las"
        r" cuchillas|las pastillas) (?:\S+ ){0,3}(?:otra vez|de nuevo|para no|pa no|lejos de mi)",
        r"(?:un dia mas|por hoy|hoy) (?:\S+ ){0,2}(?:sigo|aguanto|resisto)(?= \.|$| aqui| viv)",
        r"me (?:lo )?(?:estoy|sigo) aguantando",
        negatable=False,
    ),
]
