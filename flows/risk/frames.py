"""Urgent rows said without the words the older patterns list: a second round of CONCEPTS x
FRAMES, written after a third batch of rubric texts (bench/risk_data/dev2.tsv) showed which
*ideas* were missed, not which sentences.

Each group below pairs a small vocabulary of one idea with the frames that make it urgent:

- SELF-INJURY by what was done to the body: a hurting verb (bit, scraped, pressed, carved,
  grabe, rasco) and a body part or an outcome on the body ("until it bled", "hasta sangrar",
  "en carne viva"), a tool used on oneself (staple, sharpener blade, grapa), hiding it (long
  sleeves "so staff don't see"), self-harm named in slang ("sh'd", "me autolesiono").
- FIGHTING THE URGE: a plain denial followed by what it does not cancel ("i won't do anything but
  i think about it", "no lo voy a hacer pero las ganas ..."), what is holding someone back
  ("the only thing stopping me", "lo unico que me detiene"), "safe for now but ...", handing it
  to fate ("fine if god took me", "si me atropella un carro no me importaria").
- WISHES said as a state rather than a verb: the heart stopping, the ground, the only goal,
  life not worth it, "para que estar vivo".
- PLANS without a method: a time when nobody is watching, "already decided", "when and how",
  knowing what a thing is for or where to tie it, means being gathered (counted, hoarded, hid,
  taken out of the nurse's cart), goodbyes and things given away "i won't need".
- RECENT ATTEMPTS by what was done (took 30 pills, a bag over the head, stomach pumped) with a
  recent time, and DANGER NOW (weapons in a fight, someone waiting outside right now, just hit
  and coming back).

Groups whose frame contains its own negation ("would not mind", "no lo voy a hacer pero") are
not negatable; the rest are, so a plain denial still cancels them.
"""

from __future__ import annotations

from flows.levels import Level
from flows.risk.categories import HURT, SUICIDE
from flows.risk.lexicon import Group, rules

U = Level.URGENT

# --- shared vocabularies -------------------------------------------------------------------------
_BODY = (
    r"(?:wrists?|arms?|forearms?|thighs?|legs?|skin|stomach|belly|ankles?|hips?|face|knuckles"
    r"|chest|shoulders?)"
)
_BODY_ES = (
    r"(?:munecas?|brazos?|antebrazos?|muslos?|piernas?|piel|panza|estomago|tobillos?|cara"
    r"|nudillos|pecho|cadera)"
)
_OUTCOME = r"(?:bled|bleed|bleeds|bleeding|raw|split|bruised|bruises|welts|blistered|scarred)"
_TOOL = (
    r"(?:razor|razors|blade|blades|sharpener|sharpener blade|staple|staples|broken glass"
    r"|piece of glass|glass|thumbtack|paperclip|safety pin|lighter|hot spoon|box cutter)"
)
_TOOL_ES = (
    r"(?:navaja|navajas|navajita|cuchilla|cuchillas|rastrillo|grapa|grapas|vidrio|encendedor"
    r"|sacapuntas|hoja de afeitar|clip|alfiler|tachuela)"
)
_MEDS = (
    r"(?:pills|meds|medication|medications|medicine|tylenol|advil|xanax|seroquel|insulin"
    r"|lithium|sleeping pills|antidepressants|depression meds|pain pills)"
)
_MEDS_ES = (
    r"(?:pastillas|medicinas|medicamentos|paracetamol|tylenol|clonazepam|insulina|chochos"
    r"|pildoras|antidepresivos)"
)
_MEANS = rf"(?:{_MEDS}|{_TOOL}|rope|noose|belt|sheet|cord|knife|gun|pistol|bleach|poison)"
_MEANS_ES = (
    rf"(?:{_MEDS_ES}|{_TOOL_ES}|cuerda|soga|cinturon|sabana|cuchillo|pistola|cloro|veneno)"
)
_RECENT = (
    r"(?:yesterday|last night|the other (?:day|night)|this morning|this week|last week|this"
    r" month|(?:a|one|two|three|four|five|few|couple|couple of|\d+) (?:days?|nights?|weeks?) ago"
    r"|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|monday|tuesday|wednesday"
    r"|thursday|friday|saturday|sunday|this weekend|last weekend|over the weekend|recently"
    r"|just (?:got )?back from|just got out of|just got discharged)"
)
_RECENT_ES = (
    r"(?:ayer|anoche|antier|el otro dia|hoy|esta semana|la semana pasada|este mes|este finde"
    r"|el finde|el fin pasado|el fin de semana|este fin de semana|hace (?:un par de|unos|unas"
    r"|dos|tres|cuatro|cinco|\d+) (?:dias|semanas|noches)|van \d+ dias|el (?:lunes|martes"
    r"|miercoles|jueves|viernes|sabado|domingo))"
)
_ALONE_SIGNS = (
    r"(?:alone|by myself|someone|somebody|anyone|please|right now|tonight|my room|sol[oa]"
    r"|alguien|por favor|ahorita|esta noche|mi cuarto|manden|vengan)"
)

# A wish or intent and a death or self-harm word in the same clause, a few words apart, with no
# other person in between ("i honestly just really want to go and die", "quiero nomas irme y
# morirme"): the loose frame behind the tight ones above, for wordings nobody listed.
_OTHER_EN = (
    r"(?:he|she|they|him|her|his|them|their|people|someone|somebody|everyone|anyone|nobody|you"
    r"|guy|girl|kid|man|woman|grandpa|grandma|mom|dad|brother|sister|friend|cousin|uncle|aunt"
    r"|dog|cat|character|show|movie|song|book|news|celebrity|singer|rapper|actor|patient)"
)
_FREE_EN = rf"(?:(?!{_OTHER_EN}\b|but\b|though\b)[^.\s]+ )"
_LOOSE_WANT_EN = (
    r"(?:want|wanted|wanting|wish|wishing|wished|hope|hoping|pray|praying|going to|plan"
    r"|planning|ready|rather|need|tempted|urge|urges|decided|deserve|should just|might just"
    r"|could just|about to|thinking about|thinking of|think about|dream of|dreaming of)"
)
_LOOSE_DEATH_EN = (
    r"(?:die|be dead|dead|death|suicide|kill my ?self|killing my ?self|end it|end it all"
    r"|end my life|ending it|ending my life|not be alive|not exist|stop existing|overdose"
    r"|hang my ?self|not wake up|never wake up|stop breathing|cut my ?self|cutting my ?self"
    r"|hurt my ?self|hurting my ?self|take my (?:own )?life|disappear forever|be gone forever)"
)
_OTHER_ES = (
    r"(?:el|ella|ellos|ellas|le|les|su|sus|alguien|nadie|todos|tu|usted|mi (?:abuel[oa]|mama"
    r"|papa|herman[oa]|amig[oa]|prim[oa]|ti[oa]|perro|gato)|personaje|serie|pelicula|cancion"
    r"|noticias|famoso|cantante|actor|paciente)"
)
_FREE_ES = rf"(?:(?!{_OTHER_ES}\b|pero\b|aunque\b)[^.\s]+ )"
_LOOSE_WANT_ES = (
    r"(?:quiero|quisiera|queria|ojala|deseo|espero|pienso|pensando|planeo|voy a|prefiero|necesito"
    r"|ganas de|me dan ganas|decidi|merezco|estoy por|a punto de)"
)
_LOOSE_DEATH_ES = (
    r"(?:morir|morirme|estar muert[oa]|matarme|suicidarme|suicidio"
    r"|quitarme la vida|acabar con todo|acabar con mi vida|desaparecer para siempre|no despertar"
    r"|ahorcarme|colgarme|cortarme|lastimarme|hacerme dano|dejar de existir|dejar de vivir)"
)

# fmt: off
EN: list[Group] = [
    *rules(
        "en", SUICIDE, U,
        rf"{_LOOSE_WANT_EN} {_FREE_EN}{{1,6}}{_LOOSE_DEATH_EN}",
    ),
    # self-injury: what was done to one's own body
    *rules(
        "en", SUICIDE, U,
        r"(?<!he )(?<!she )(?<!they )(?<!brother )(?<!sister )(?<!dog )(?<!cat )(?<!kid )"
        r"(?:bit|bite|biting|bites|scratch(?:ed|ing)?|scrap(?:e|ed|ing)|carv(?:e|ed|ing)"
        r"|press(?:ed|ing)?|slam(?:med|ming)?|punch(?:ed|ing)?|bang(?:ed|ing)?|pick(?:ed|ing)?"
        r"|dig(?:ging)?|dug|burn(?:ed|t|ing)?|cut(?:ting)?) (?:<w>){0,3}(?:my|myself|my self)"
        rf"(?: {_BODY})? (?:<w>){{0,3}}(?:until|til|till|so hard|to the point) (?:<w>){{0,3}}"
        rf"{_OUTCOME}",
        rf"(?:used|using|pressed|pressing|dragged|dragging|ran|held|holding) (?:<w>){{0,4}}"
        rf"(?:on|into|against|across) my {_BODY}",
        rf"(?:carv(?:e|ed|ing)|etch(?:ed|ing)?|scratch(?:ed|ing)?) (?:<w>){{0,3}}(?:into|in|on)"
        rf" my {_BODY}",
        r"(?:slam|slammed|slamming|punch|punched|punching|hit|hitting) my (?:fist|fists|hand)"
        r" into my (?:face|head|stomach|legs?)",
        rf"(?:used|using|grabbed|moved on to|went for|took out) (?:<w>){{0,3}}{_TOOL}"
        r"(?! (?:to|for) (?:shave|open|cut (?:the|my hair|paper|a)))",
        rf"{_TOOL} (?:<w>){{0,4}}(?:on|to|into) my {_BODY}",
        r"(?:sh|shd|sh would|self harmed|self harm(?:ed|ing)?) again",
        r"(?:started|start|been|keep|kept|back to|relapsed(?: into)?|did|am) self ?harm(?:ing)?",
        r"(?:pick|picking|picked|opening|reopening|reopen|open|scratch|scratching) (?:<w>){0,2}"
        r"(?:scars|scabs|cuts|wounds) (?:<w>){0,2}so (?:they|it) (?:do not|does not|will not"
        r"|never|can not) heal",
        r"(?:hide|hiding|hid) (?:the |my )?(?:bandaids|band aids|bandages)",
        r"(?:long sleeves|hoodie|sweater|sweatshirt|jacket) (?:<w>){0,4}(?:so|because) (?:<w>){0,2}"
        r"(?:do not|can not|will not|would not|never) (?:see|notice) (?:my )?(?:arms|wrists|legs"
        r"|cuts|scars|marks|burns)",
        r"let (?:them|him|her|people|myself) (?:<w>){0,2}(?:beat|hurt|jump|punch)\w* (?:me )?"
        r"(?:<w>){0,4}(?:on purpose|because i deserve|since i deserve)",
        r"(?:hurt|hurting|hit|hitting|burn|burning|cut|cutting|punish|punishing) (?:my ?self"
        r"|myself|my self) (?:<w>){0,3}(?:to feel something|as punishment|because i deserve)",
    ),
    # wishes said as a state
    *rules(
        "en", SUICIDE, U,
        r"(?:wish|wishing|wished|hope|hoping|pray|praying|want|wanting) (?:<w>){0,4}"
        r"(?:vanish|disappear|stop existing|not exist|not wake up|be dead|be gone)"
        r"(?: (?:off the face of the earth|for good|forever|permanently))",
        r"vanish(?:ed|ing)? (?:off|from) the face of the earth",
        r"(?:wish|hope|pray|want) (?:<w>){0,4}(?:heart|breathing) (?:would |to |will )?"
        r"(?:just )?(?:stop|stopped|give out|quit)",
        r"better off (?:in the ground|six feet under|underground|in a grave|in a box"
        r"|in the cemetery|with (?:my|him|her) (?:\w+ )?(?:in heaven|up there))",
        r"(?:thinking|think|thought) about (?:death|dying|being dead) (?:<w>){0,2}(?:a lot|all"
        r" the time|every day|every night|constantly|more than)",
        r"(?:only|one) (?:goal|wish|dream|plan) (?:<w>){0,2}(?:is|was) (?:<w>){0,1}(?:not being"
        r" alive|not be alive|to die|dying|to be dead|being dead|to not exist|not existing"
        r"|to not wake up)",
        r"if i (?:was not|were not|was no longer|were no longer|did not exist|was gone|were"
        r" gone) (?:around|here|alive)?(?: anymore)? (?:<w>){0,5}(?:easier|better|happier"
        r"|relieved|lighter)",
        r"rest of my life (?:<w>){0,7}(?:i do not want it|i would rather (?:die|be dead)|not"
        r" worth (?:it|living))",
        r"(?:do not|can not|no longer|not) (?:really |even |honestly |truly )?see (?:the |a |any )?"
        r"(?:point|reason|purpose) (?:in|of|to|for) (?:going on|living|being alive|keep going"
        r"|keeping going|continuing|staying|life|waking up|it all|being here)",
        r"(?:relieved|better off|happier|easier|lighter|fine|okay) if i (?:was not|were not"
        r"|was no longer|were no longer|was gone|were gone|did not exist|died|disappeared)",
        r"feel like i am already (?:gone|dead)(?! inside)",
        r"rather not (?:be alive|be here|exist|live|wake up|be around)",
        r"(?:courage|guts|nerve|strength|balls) to (?:just )?(?:end it|do it|kill my ?self|die"
        r"|go through with it|jump|pull the trigger|end my life|end things)",
        r"(?:tired|sick|exhausted) of (?:being alive|living|existing|waking up)(?! (?:early|at|so"
        r"|for|in|on|here|there|with|like this in|out of|with))",
        r"(?:picture|picturing|imagine|imagining|planning|plan|plans for) (?:<w>){0,1}my (?:own )?"
        r"funeral",
        r"(?:ready|want|wanting|need) to be done with (?:this world|the world|existing|being alive"
        r"|breathing)",
        r"nothing (?:left )?(?:for me )?to (?:live|stay|stick around|keep going|hold on|wake up)"
        r" for",
        r"(?:close|closing) my eyes (?:<w>){0,4}(?:the last time|never (?:open|wake)|not (?:open"
        r"|wake))",
        r"(?:pain|it|everything|all of it|this|the hurt) (?:<w>){0,1}(?:to )?(?:stop|end)"
        r"(?: \.)? (?:permanently|forever|for good)",
        r"(?:writing|wrote|this is|these are|here is|sending) (?:<w>){0,1}(?:my )?last (?:letters?"
        r"|message|messages|note|words|goodbye)",
        r"(?:looked|look|looking|stared|staring|keep looking|kept looking) at (?:the |my |a )?"
        r"(?:rope|noose|pills|razor|blade|ledge|tracks|gun|bridge) (?:<w>){0,6}(?:for a long time"
        r"|for hours|again|every day|every night|all night)",
        rf"{_MEANS} (?:<w>){{0,5}}(?:would be|will be|should be|is|are) enough",
        r"leaving (?:my|all my) (?:<w>){1,2}to (?:my|his|her) (?:<w>)?(?:sister|brother|mom"
        r"|son|daughter|kids|cousin|bunkie|cellie|friend|grandma|dad)",
        r"(?:hurt|hurting|harm|harming|punish|punishing|cut|cutting|burn|burning) my (?:own )?body",
        r"(?:until|til|till|so hard) (?:my )?(?:hands|knuckles|arms|fists|skin|wrists|legs|head)"
        r" (?:<w>)?(?:bleed|bled|bleeds|bleeding|split|are raw|were raw|went numb)",
        r"made my ?self (?:bleed|bled|bruise|burn)",
        r"my (?:cuts|burns|wounds|fresh scars) (?:<w>){0,2}(?:so bad|bad|worse|deeper|infected"
        r"|bleeding|fresh|open again|are back)",
        r"take (?:<w>){0,2}out on my (?:arms|wrists|body|skin|legs|thighs|self)",
        r"tried (?:hanging|killing|drowning|strangling|overdosing|poisoning|suffocating) my ?self",
        r"(?:on|at|standing on|up on) (?:the|a) (?:bridge|roof|ledge|edge|overpass|rooftop)"
        r" (?:<w>){0,4}(?:want to|going to|about to|thinking of|thinking about) (?:jump|jumping"
        r"|let go|step off)",
    ),
    # ending it, in idioms and slang
    *rules(
        "en", SUICIDE, U,
        r"(?:want|wanna|need|wish|going|thinking about|thinking of|ready|decided|gonna|plan"
        r"|planning|just) (?:<w>){0,3}(?:end|ending|put an end to) (?:my|all my|all this|this)"
        r" (?:suffering|misery|pain)(?= \.|$| for good| forever| permanently| once and for all)",
        r"(?:put|putting) an end to (?:it all|everything|my life|things|all of it|my ?self)",
        r"(?:thinking (?:about|of)|considering|want to|going to|gonna|about to|ready to|will)"
        r" (?:<w>){0,1}(?:take|taking) the easy way out",
        r"(?:eat|eating) a bullet|neck(?:ing)? my ?self|(?:blow|blowing) my (?:brains|head) out"
        r"|(?:shoot|shooting) my ?self(?! in the foot)",
        r"(?:taking|take) my ?self out(?= \.|$| of (?:this|the) (?:world|picture|equation))",
        r"(?:wish|want|wanna|could) (?:<w>){0,3}stop being(?= \.|$| alive| here)",
        r"better off not (?:being )?(?:here|alive|around|existing)",
        r"(?:over|done with) life(?= \.|$)",
    ),
    # fighting the urge, handing it to fate: the negation is the frame
    *rules(
        "en", SUICIDE, U,
        r"(?:will not|am not going to|not going to|would never|never|not) (?:do it|do anything"
        r"|do something|act on (?:it|them)|hurt my ?self|kill my ?self|go through with it"
        r"|do anything stupid|do anything to my ?self)(?: my ?self)? (?:<w>){0,3}(?:\. )?"
        r"(?:but|though|just) (?:<w>){0,5}(?:think about it|thinking about it|think about"
        r" (?:dying|death|doing it|ending)|can not stop thinking|the thoughts|want to(?: so)?"
        r"(?: bad)?(?= \.|$)|wish|fine if|mind if|the urge|tempted)",
        r"(?:do not|never) want to (?:hurt|kill|cut) my ?self (?:<w>){0,2}but (?:<w>){0,2}"
        r"(?:can not stop|keep) thinking",
        r"(?:would not|will not|do not|never) (?:mind|care) if i (?:died|did not wake up"
        r"|never woke up|was dead|was gone|did not make it|got hit|got killed)",
        r"(?:fine|ok|okay|good|alright|happy|would not mind) if (?:god|the lord|someone"
        r"|something) (?:took|takes|would take|killed|kills|would kill) me",
        r"if (?:a|some|the) (?:truck|car|bus|train) (?:hit|hits|ran over|runs over) me"
        r" (?:<w>){0,3}(?:i )?(?:would not|will not|do not|would) (?:mind|care|be sad)",
        r"(?:hope|hoping|wish|wishing|pray|praying) (?:that )?something (?:bad )?(?:happens"
        r"|would happen|will happen) to me",
        r"(?:hanging on|holding on|hanging) by a (?:thread|string)(?! (?:with|in|at|because of)"
        r" (?:this|my|the|these) (?:homework|class|job|work|school|exam|exams|finals|bills))",
        r"(?:safe|ok|okay|fine|alright) (?:<w>)?(?:for now|right now)(?: \.)? (?:but|though)"
        r" (?:<w>){0,2}(?:do not know|not sure|no idea) (?:<w>){0,2}(?:later|tonight|after"
        r"|tomorrow)",
        r"(?:the )?only (?:thing|one|reason) (?:<w>){0,2}(?:stopping me|keeping me (?:here"
        r"|alive|going)|holding me back|i am still (?:here|alive))"
        r"(?! from (?!doing it|ending|killing|it\b|jumping|cutting))",
        r"taking (?:everything|all i have|all my strength) (?:in me )?not to (?:end it|do it"
        r"|cut|hurt my ?self|kill my ?self|jump|take)",
        r"trying (?:so |really |very )?hard not to (?:take (?:all|my|the)|cut(?! class)|do it"
        r"|end it|hurt my ?self|jump|swallow|use the)",
        r"talk(?:ing|ed)? my ?self out of (?:it|doing it|ending|killing|jumping)",
        r"(?:fighting|fight) (?:it|this|the urge|the thoughts) (?:<w>){0,2}but (?:i am )?losing",
        r"(?:threw away|got rid of|flushed|tossed) (?:<w>){0,2}(?:razors|blades|pills|meds)"
        r" (?:\S+ ){0,6}(?:but|now i want)",
        r"(?:not|no longer) (?:scared|afraid) (?:of )?(?:dying|death|to die)(?: anymore)?(?: \.)?"
        r" (?:<w>){0,3}(?:want|ready|wish)",
        r"(?:holding on|hanging on) (?:<w>)?for now",
        r"(?:voice|voices) (?:<w>){0,2}(?:telling|tell|tells|told) me to (?:do it|kill|hurt|end"
        r"|cut|jump|die)",
        r"part of me (?:<w>)?(?:wants|want|wanted) to (?:go through with it|die|end it|do it"
        r"|not wake up|disappear|jump|let go)",
        r"(?:stood|was standing|went up|sat|stepped) (?:on|at|to) (?:the|a) (?:bridge|ledge|edge"
        r"|roof|rooftop|tracks|overpass|railing)",
        r"stop(?:ping|ped|s)? my ?self (?:at the last (?:second|minute)|right before|just in time)",
        r"put (?:the|my) (?:pills|meds|razor|blade|knife|rope|gun) (?:<w>){0,3}back",
        r"(?:do not|not|never) (?:plan on|planning on|planning to|expect to|expecting to) (?:be"
        r"|being) (?:around|here|alive) (?:much |for )?(?:longer|long|anymore)",
        r"can not (?:keep|continue|go on) (?:living|being alive|existing)",
        r"(?:sleep|go to sleep) (?:<w>){0,5}(?:not|never) (?:<w>){0,3}wak(?:e|ing) up(?: ever)?"
        r" again",
        r"holding off(?: on it)? for now",
        r"(?:tell|telling|told) my ?self (?:just )?one more day",
        r"(?:cross|crossing|crossed) the (?:street|road) (?:<w>){0,3}(?:without looking|do not"
        r" look|not looking) (?:<w>){0,2}(?:on purpose|hoping)",
        negatable=False,
    ),
    # plans, means and goodbyes without a named method
    *rules(
        "en", SUICIDE, U,
        r"after lights out (?:<w>){0,3}(?:do it|going to|i will)",
        r"(?:thinking about|think about|could just|want to|going to|gonna|might just|keep"
        r" thinking about) (?:<w>)?(?:swerv\w*|driv\w*|steer\w*|crash\w*) (?:<w>){0,2}(?:into"
        r" (?:a|the|oncoming|on coming) (?:truck|semi|tree|wall|traffic|pole|river)|off (?:the|a)"
        r" (?:road|bridge|cliff|overpass))",
        # veiled goodbyes
        r"(?:will not|do not|not going to) (?:have to|need to) (?:worry|deal|bother) (?:about"
        r"|with) me (?:anymore|much longer|soon|after)",
        r"(?:will not|not going to) be a (?:problem|burden|bother) (?:for|to) (?:anyone|anybody"
        r"|you|everyone|nobody) (?:much longer|anymore|for long|soon)",
        r"(?:tired of (?:fighting|trying)|cannot fight anymore)(?: \.)? (?:<w>){0,3}(?:letting go"
        r"|let go|giving up|give up|done)",
        r"(?:soon|tonight|this week) (?:<w>){0,4}(?:in heaven|up there|on the other side)",
        r"(?:in heaven|up there|on the other side) (?:<w>)?(?:soon|tonight|this week)",
        r"(?:do not|no need to) (?:bother )?(?:checking on|check on|texting|looking for) me"
        r" (?:<w>){0,2}(?:after|anymore)",
        r"(?:said|say) (?:everything|all) i (?:needed|wanted|had) to say(?= \.|$)",
        r"(?:peace|rest|quiet)(?: \.)? (?:forever|for good|for eternity|permanently)",
        r"(?:looking up|looked up|look up|googling|googled|researching|researched|searching)"
        r" (?:<w>){0,3}(?:tallest|highest|how high|lethal|painless|how many pills|overdose"
        r"|how much it takes)",
        r"if (?:anything|something) happens (?:to me )?(?:\S+ ){0,4}(?:goes to|give it to|gets"
        r"|can have|take care of)",
        r"(?:got|have) enough saved up(?= \.|$)",
        r"(?:sat|sitting|sit|stood|standing|laid|lay|lying) (?:<w>){0,4}with (?:the|a|my)"
        r" (?:razor|blade|knife|pills|rope|gun|noose|belt) (?:<w>){0,4}(?:for|until|all|again"
        r"|but|and)",
        r"(?:did not|do not|did n't) use it (?:<w>)?but i (?:wanted|want|really wanted) to",
        r"(?:thought|thinking|think|planned|planning|figured out|figuring out) (?:about )?how i"
        r" (?:would|will|could|am going to) do it",
        r"(?:which|what) (?:pipe|beam|vent|bar|hook|tree|bridge|building|railing) (?:<w>){0,4}"
        r"(?:would hold|will hold|is high enough|is tall enough|would work)",
        r"(?:stopped|stop|quit|not) taking (?:my )?(?:meds|pills|medication) (?:\S+ ){0,6}"
        r"(?:keeping|saving|hiding|stashing|keep|save|hide|stash)",
        r"(?:keeping|keep|kept|hiding|hide|stashing) (?:<w>){0,2}(?:them|it) (?:in|under) (?:a|my"
        r"|the) (?:sock|mattress|pillow|shoe|locker)",
        r"by the time (?:<w>){0,3}(?:reads?|see|sees|get|gets|find|finds) (?:this|my message"
        r"|these) (?:<w>){0,3}(?:gone|dead|not be here|not be alive|be with)",
        rf"{_MEANS} (?:right )?(?:here|in front of me|in my hand|next to me)"
        r"(?= \.|$| and| now| in front)",
        r"count(?:ed|ing)? out (?:<w>){0,2}(?:enough|all)",
        r"(?:do not think|not sure) i (?:will|would) (?:be|still be) (?:here|alive|around)"
        r" (?:tomorrow|next week|much longer|by (?:the )?(?:morning|weekend|monday))",
        r"(?:picked|chose|found|chosen|scoped out) (?:out )?(?:the|a|my) (?:spot|place|date|day)"
        r"(?: already| for it)?(?= \.|$)",
        r"(?:made|make) my decision (?:<w>){0,3}(?:at peace|peaceful|calm|ready)",
        r"(?:when|while) (?:<w>){0,6}(?:nobody|no one) (?:will|is going to) be (?:watching"
        r"|checking|looking)",
        r"(?:already decided|i have decided|made up my mind)(?: \.)? (?:it is |it will be )?"
        r"(?:tonight|friday|saturday|sunday|monday|tuesday|wednesday|thursday|this weekend"
        r"|tomorrow)(?= \.|$| when| after| is the| it is)",
        r"(?:planned|figured out|know) (?:<w>){0,1}(?:when and how|how and when)",
        r"(?:know|knew) (?:exactly )?how i would (?:do it|die|end it)",
        r"(?:everything|it all) (?:is )?(?:ready|set up|planned) (?:<w>){0,5}(?:alone|by myself)",
        r"(?:know|knew) (?:what (?:it is|they are|that is) for|where (?:i would|i will|to) tie it)",
        r"(?:practic(?:e|ed|ing)|rehears(?:e|ed|ing)) (?:<w>){0,2}(?:tying|tie|the knot|a knot"
        r"|the noose)",
        rf"(?:collect(?:ed|ing)?|sav(?:e|ed|ing)|hoard(?:ed|ing)?|stockpil(?:e|ed|ing)"
        rf"|stash(?:ed|ing)?|count(?:ed|ing)?) (?:<w>){{0,2}}{_MEDS}",
        rf"{_MEDS} instead of taking (?:it|them)",
        rf"(?:took|stole|snuck|grabbed) (?:<w>){{0,2}}{_MEDS} (?:out of|from) (?:<w>){{0,2}}"
        r"(?:nurse|cart|med cart|cabinet|medicine cabinet)",
        rf"(?:stole|hid|hidden|hide|stashed) (?:<w>){{0,3}}{_MEANS} (?:<w>){{0,8}}(?:under my"
        r" (?:mattress|pillow|bed)|in my (?:sock|shoe|pillow|mattress|locker))",
        rf"{_MEANS} (?:<w>){{0,3}}(?:and|.) (?:<w>)?nothing to lose",
        r"(?:just|maybe|going to|gonna|want to|will|should) (?:<w>)?(?:take|swallow|down)"
        r" (?:all of them|all of it|the whole (?:bottle|pack|box|thing)|all (?:my|the) (?:pills"
        r"|meds))(?: at once| in one go| together)",
        r"know what too much (?:<w>){0,1}(?:does|will do)",
        r"(?:drive|driving|crash|crashing|steer|steering) (?:<w>){0,2}(?:car|truck) (?:into|off)"
        r" (?:a|the) (?:river|wall|tree|bridge|lake|cliff|pole|overpass)",
        r"(?:saying|say|said) (?:bye|goodbye|my goodbyes) to (?:everyone|everybody|all of you"
        r"|you all) (?:<w>){0,3}(?:so|before|now)",
        r"say goodbye to (?:<w>){0,3}before i go(?! (?:home|to|back|out|on))",
        r"(?:will not|am not going to|won't|not going to) (?:be )?need(?:ing)? (?:it|them|that"
        r"|those)(?: anymore)?",
        r"(?:gave|give|giving|sold|selling) (?:<w>){0,6}(?:away)?(?: \.)? (?:<w>){0,2}i am done",
        r"(?:can|will) have my (?:\w+ ){0,2}(?:after i am gone|when i am gone|i will not need)",
        r"(?:do not|can not) trust my ?self (?:<w>){0,2}(?:alone|tonight|by myself|right now)",
        r"(?:do not think|not sure) i (?:will|would|can) be safe (?:by myself|alone|tonight)",
        r"(?:do not know|no idea) what i (?:will|would|might|am going to) do(?: to my ?self)?"
        r"(?! (?:about|with|for|if|after|when|this|on|in|at|next|tomorrow|for))",
    ),
    # recent attempts by what was done
    *rules(
        "en", SUICIDE, U,
        r"(?:took|swallowed|downed|ate) (?:(?:like|about|around|over) )?(?:[6-9]|\d\d+|a bunch"
        r"|a whole|the whole|a handful|all (?:of )?"
        rf"(?:the|my (?:mom|moms|dad|dads|grandma|grandmas|roommates)|her|his))(?: of)?"
        rf" (?:<w>){{0,2}}{_MEDS}",
        r"(?:tried|try|trying|attempted) to (?:strangle|hang|drown|suffocate|smother|poison"
        r"|choke|stab|shoot|electrocute|starve|gas) (?:my ?self|myself)",
        r"tried to cut (?:<w>)?(?:too |really )?deep",
        r"(?:put|tied) a (?:plastic )?bag (?:over|around) my head",
        r"(?:pumped my stomach|my stomach (?:pumped|was pumped))",
        r"(?:found me|caught me) (?:<w>){0,2}before i (?:could )?(?:finish|finished|did it|went"
        r" through)",
        r"(?:almost|nearly) died (?:<w>){0,4}because i (?:took|swallowed|drank|overdosed)",
        r"what i did to my ?self",
        r"(?:cuts|burns|marks|wounds) i (?:made|gave my ?self|did)",
        needs=_RECENT,
        demote=r"(?:years ago|when i was (?:younger|little|a kid|\d+)|in (?:middle|high)"
        r" school|as a kid|back in \d+)",
    ),
    # trapped by a fire or a flood
    *rules(
        "en", HURT, U,
        r"(?:we are|i am|we|i|we are all) (?:stuck|trapped)(?= \.|$| inside| in | and)",
        needs=r"(?:fire|smoke|flood\w*|water|burning|gas)",
    ),
    *rules(
        "es", HURT, U,
        r"(?:estamos|estoy) (?:atrapad[oa]s?|encerrad[oa]s?)(?= \.|$| adentro| en | y)",
        needs=r"(?:fuego|humo|incendio|inund\w*|agua|quemando|gas)",
    ),
    # danger right now
    *rules(
        "en", HURT, U,
        r"(?:fighting|brawling|going at it) (?:<w>){0,4}with (?:shanks|knives|a knife"
        r"|blades|bats|a gun|guns|pipes)",
        r"(?:they are|he is|she is|there are|people are|guys are|they) (?:<w>){0,2}(?:outside"
        r"|at the door|out front|here|in the hall) with (?:guns|a gun|knives|a knife|bats"
        r"|weapons|shanks)",
        r"(?:is|are) having a seizure|(?:is|are) (?:overdosing|convulsing|seizing)",
        r"(?:just overdosed|overdosed and (?:is not|will not|can not|is n't))",
        r"and (?:will not wake up|is not waking up|is not breathing|is not moving|will not breathe"
        r"|is unconscious|is turning blue)",
        r"(?:guy|man|someone|somebody|person|stranger) (?:is )?(?:at|in|outside) (?:my|the)"
        r" (?:window|bedroom window)",
        r"(?:going to|gonna|will) (?:get|kill|jump|stab|shank|hurt|beat|shoot) (?:me|us)"
        r" (?:tonight|today|after (?:school|chow|count|lights out|class)|when (?:i|the lights))",
        r"(?:will not|not going to|wo n't) make it (?:to|till|until|through) (?:the )?(?:morning"
        r"|tomorrow|tonight)",
        r"(?:is|are) (?:choking|stabbing|beating|strangling|hitting|shooting|attacking) (?:my|our)"
        r" (?:mom|dad|sister|brother|baby|grandma|grandpa|roommate|cellie|kids?)",
        r"(?:going to|gonna|will) (?:jump|beat|stab|shank|shoot) (?:me|us) (?:<w>){0,6}(?:they|he"
        r"|she) (?:have|has|got|are bringing|is bringing) (?:<w>)?(?:bats|knives|a knife|shanks"
        r"|a gun|guns|blades|pipes)",
    ),
    *rules(
        "en", HURT, U,
        r"just (?:punched|hit|beat|slapped|stabbed|kicked) me(?! up) (?:<w>){0,2}(?:and )?(?:he|she"
        r"|they) (?:is|are) (?:coming back|coming|still here|back)",
        r"(?:blood everywhere|bleeding out|got stabbed|just got shot|got shot)",
        r"(?:outside|at the door|by the gate|out front) (?:<w>){0,4}(?:waiting for me|looking for"
        r" me)",
        r"(?:has|have|got|showed me|flashed) (?:<w>){0,2}(?:a )?(?:gun|knife|pistol|blade|shank"
        r"|weapon)",
        r"(?:coming|comes) (?:up the stairs|for me|after me|to my room|down the hall)",
        needs=r"(?:right now|still (?:out there|outside|here|there)|outside|hiding|help|at the door"
        r"|in the (?:house|room|hall|hallway)|coming|waiting|drunk|belt|knife|gun|kill|scared)",
    ),
]

ES: list[Group] = [
    *rules(
        "es", SUICIDE, U,
        rf"{_LOOSE_WANT_ES} {_FREE_ES}{{1,6}}{_LOOSE_DEATH_ES}",
    ),
    *rules(
        "es", SUICIDE, U,
        r"me (?:autolesion\w*|estoy autolesionando|sigo autolesionando)",
        r"(?:volvi|vuelvo|he vuelto|empece) a (?:autolesionarme|lastimarme|cortarme|hacerme dano)",
        r"autolesion\w* (?:otra vez|de nuevo)",
        rf"me (?:grabe|grabo|marque|marco|raye|rayo|rasque|rasco|rasgue|rasgo|raspe|raspo|pique"
        rf"|muerdo|mordi|queme|quemo) (?:<w>){{0,4}}(?:en )?(?:el|la|los|las|mi|mis) {_BODY_ES}",
        r"\bme (?!\w*(?:io|a|an|aron|ieron)\b)(?:<w>){0,6}hasta (?:que )?(?:<w>){0,3}(?:sangr\w*"
        r"|carne viva|se me abr\w*|quedar? morad\w*|dejar marcas|dejarla en carne viva)",
        r"hasta (?:que )?se me (?:abren|abrieron|revientan|reventaron) los nudillos",
        rf"(?:use|uso|usaba|agarre|agarro|saque|paso|pase) (?:<w>){{0,2}}{_TOOL_ES}"
        r"(?! (?:para|pa) (?:rasur|afeit|sacar punta|cortar (?:el|la|papel|las)))",
        rf"{_TOOL_ES} (?:<w>){{0,4}}en (?:mi|mis|la|las|el|los) {_BODY_ES}",
        r"(?:cortes|cortadas|heridas|marcas|quemaduras|rasgunos) (?:<w>){0,5}"
        r"(?:frescos|frescas|nuevos|nuevas)",
        r"(?:manga larga|mangas largas|sudadera|sueter|chamarra) (?:<w>){0,2}(?:para que|pa que"
        r"|porque) (?:<w>){0,3}no (?:vean|se vean|noten|se noten) (?:<w>){0,1}(?:mis |los |las )?"
        r"(?:brazos|munecas|piernas|cortes|marcas|cicatrices|quemaduras)",
        r"me (?:doy|di|daba|pego|pegue) (?:de )?(?:golpes|cachetadas|punetazos|cabezazos|trancazos)"
        r" (?:<w>){0,3}(?:en la cara|en la cabeza|a mi mism[oa]|yo mism[oa]|cuando)",
        r"me (?:deje|dejo|dejaba) (?:golpear|pegar|madrear|lastimar) (?:<w>){0,4}(?:a proposito"
        r"|porque me lo merezco|me lo merezco)",
        r"me (?:arranco|arranque|jalo) el (?:pelo|cabello) (?:<w>){0,6}(?:sentir algo|calvas"
        r"|hasta)",
        r"(?:lo hago|me lo hago|me lastimo) para sentir algo",
        r"(?:ando|sigo|estoy|estuve|he estado|andaba) (?:cortandome|quemandome|lastimandome"
        r"|autolesionandome|rajandome)",
        r"me desquito con (?:mis brazos|mi cuerpo|mi piel|mis piernas|mis munecas)",
        r"(?:me desquito|desquitarme|me la desquito) conmigo mism[oa]",
        r"me (?:golpeo|pego|pegue|golpee) (?:en )?la cabeza",
    ),
    *rules(
        "es", SUICIDE, U,
        r"(?:quisiera|quiero|ojala|deseo|me gustaria) (?:que )?(?:<w>){0,3}(?:mi )?corazon"
        r" (?:<w>){0,1}(?:dejara|deje|dejase) de latir",
        r"(?:quisiera|quiero|ojala) (?:que )?(?:<w>){0,3}(?:mi )?corazon (?:se )?(?:detuviera"
        r"|parara|detenga|pare)",
        r"(?:pedi|pido|pidiendo|rezo|ruego|rogando|le ruego) a (?:dios|diosito) (?:<w>){0,2}que me"
        r" (?:lleve|llevara|recoja|recogiera)",
        r"(?:puente|techo|azotea|orilla|barranco|vias) (?:<w>){0,4}(?:quiero|voy a|estoy por"
        r"|a punto de|pienso) (?:brincar|saltar|aventarme|tirarme)",
        r"(?:lastimo|lastimar|castigo|castigar|corto|cortar|quemo|quemar) (?:<w>)?(?:mi|el)"
        r" (?:propio )?cuerpo",
        r"(?:me )?(?:quemo|queme|quemaba) con (?:cigarros|cigarro|encendedor|cerillos|la plancha)",
        r"me (?:hago|hice|estoy haciendo) dano (?:<w>){0,2}(?:cuando|otra vez|de nuevo|a proposito"
        r"|con)",
        r"(?:mi|mis) (?:ultimo|ultimos|ultima|ultimas) (?:mensaje|mensajes|palabras|carta|cartas)",
        r"(?:no me queda|no tengo) nada (?:por|para) (?:que|quien) vivir",
        r"(?:quiero|quisiera|nomas quiero|solo quiero|ojala pudiera) dejar de (?:respirar|vivir"
        r"|existir)",
        r"ojala (?:<w>){0,4}no (?:despierte|amanezca|despertara|amaneciera|vuelva a despertar"
        r"|volviera a despertar)",
        r"ojala (?:me duerma|dormirme) y no",
        r"(?:cual es el|que) (?:sentido|punto) (?:tiene )?(?:de )?(?:despertar|vivir|seguir"
        r" vivo|seguir viva|existir|estar vivo|estar viva|levantarme)",
        r"(?:para|pa) que (?:estar|seguir) viv[oa]s?",
        r"(?:para|pa) que (?:vivir|existir|despertar)(?! (?:en|aqui|alla|con))",
        r"(?:la vida|vivir|mi vida) (?:ya )?no (?:vale|valia) la pena",
        r"no (?:le )?veo (?:el )?(?:caso|sentido|razon|motivo|punto) (?:de |a |en )?(?:seguir"
        r"|vivir|estar viv\w*|despertar|seguir aqui)",
        r"prefiero no (?:estar viv\w*|existir|vivir|despertar|estar aqui|seguir aqui)",
        r"(?:valor|valentia|huevos|fuerza|coraje) (?:de|para) (?:acabar|hacerlo|matarme|aventarme"
        r"|quitarme|terminar con todo)",
        r"(?:irme|me quiero ir|me voy) (?:\S+ ){0,8}de (?:la|esta) vida",
        r"mejor (?:estaria|estar|estuviera) (?:<w>){0,1}(?:bajo tierra|en el panteon|en la tumba"
        r"|muert[oa]|en un cajon)",
        r"(?:unica|unico) (?:meta|deseo|sueno|plan) (?:<w>){0,2}es (?:<w>){0,1}(?:ya )?(?:no estar"
        r" viv[oa]|morir(?:me)?|estar muert[oa]|no existir|no despertar|dejar de vivir)",
        r"si (?:yo )?(?:ya )?no (?:estuviera|existiera|viviera) (?:<w>){0,8}(?:mas facil|mejor"
        r"|mas feliz|mas felices|tranquil\w*)",
        r"(?:quiero|quisiera|ojala) que (?:todo|mi vida) se (?:acabe|termine|acabara|terminara)"
        r" para siempre",
        r"(?:pensando|pienso|pensar|pense) en (?:aventarme|tirarme|colgarme|ahorcarme|matarme)"
        r"(?! (?:a la alberca|al agua|en paracaidas|a la piscina))",
        r"me (?:lastime|corte|queme) (?:otra vez|de nuevo)(?! (?:la|el|los|las) (?:rodilla|tobillo"
        r"|espalda|pie|pies|mano|dedo|brazo jugando))",
        r"me (?:mato|voy a matar) (?:<w>){0,2}(?:en serio|de verdad|no es broma|neta)",
        r"(?:quitarme|me quito|me voy a quitar|me quiero quitar) (?:del medio|de en medio)",
        r"(?:darme|me voy a dar|pegarme|me voy a pegar|me quiero dar|me quiero pegar) un (?:tiro"
        r"|balazo|plomazo)|volarme (?:la cabeza|los sesos)",
        r"(?:quiero|quisiera|voy a|necesito|ojala pudiera) acabar con (?:mi|este|tanto)"
        r" (?:sufrimiento|dolor|sufrir|miseria)",
        r"me (?:tome|trague|voy a tomar|voy a tragar) (?:<w>){0,1}(?:blister|caja|frasco|tira"
        r"|paquete) (?:entero|entera|completo|completa)",
        r"\bpara (?:morirme|matarme|suicidarme|quitarme la vida)",
    ),
    *rules(
        "es", SUICIDE, U,
        r"no (?:lo )?(?:voy a|pienso|quiero|puedo) (?:hacer(?:lo)?|lastimarme|matarme|hacer"
        r" nada|hacer una tonteria|cortarme)(?: \.)? (?:<w>){0,3}(?:pero|solo|nomas) (?:<w>){0,5}"
        r"(?:lo pienso|pienso en (?:eso|hacerlo|morir\w*|matarme)|pensamientos|pensando en (?:eso"
        r"|hacerlo)|no dejo de pensar|ganas(?! de (?:ir|salir|comer|ver|jugar|faltar|dormir))"
        r"|quiero(?= \.|$| hacerlo)|me gustaria(?= \.|$)|si dios|esta bien)",
        r"no lo hago (?:<w>){0,4}pero (?:<w>){0,3}ganas",
        r"(?:nunca|jamas) lo haria (?:<w>){0,2}pero (?:<w>){0,6}(?:me lleva|me llevara"
        r"|esta bien|no me importaria)",
        r"si (?:dios|diosito) me (?:lleva|llevara|recoge|recogiera) (?:<w>){0,2}(?:esta bien"
        r"|mejor|no me importa|no me importaria|ojala)",
        r"si me (?:atropella|atropellara|pega|pegara|mata|matara|lleva|llevara) (?:<w>){0,4}"
        r"no me (?:importaria|molestaria|importa|molesta)",
        r"(?:estoy|sigo|voy) (?:<w>)?(?:colgando|colgada|colgado) de un hilo",
        r"(?:bien|a salvo|tranquil[oa]|segur[oa]) (?:<w>)?(?:por ahora|ahorita|de momento)"
        r"(?: \.)? pero (?:<w>){0,2}no se (?:<w>){0,2}(?:mas tarde|en la noche|luego|despues"
        r"|manana)",
        r"lo unico que me (?:detiene|mantiene (?:aqui|viv[oa]|de pie)|frena|aguanta)"
        r"(?! de (?!hacerlo|matarme|morirme|aventarme|cortarme|acabar))",
        r"me (?:esta costando|cuesta) (?:todo|mucho|trabajo|un chingo) no (?:acabar|matarme"
        r"|cortarme|hacerlo|lastimarme|tomarme|aventarme)",
        r"(?:cada dia|todos los dias|diario) me (?:convenzo|tengo que convencer) de no",
        r"(?:peleando|luchando) (?:<w>){0,2}(?:contra eso|contra esto|con eso) (?:<w>){0,2}pero"
        r" (?:voy perdiendo|estoy perdiendo|ya no puedo)",
        r"(?:aguant\w*|resist\w*) (?:las ganas )?(?:para no|de no) (?:volver a )?(?:cortarme"
        r"|lastimarme|matarme|hacerme dano|tomarme|aventarme)",
        r"(?:tire|bote|me deshice de) (?:<w>){0,2}(?:navajas|pastillas|cuchillas|medicinas)"
        r" (?:\S+ ){0,6}pero",
        r"(?:no le tengo|ya no le tengo|no tengo) miedo a (?:morir|la muerte)(?: \.)? (?:<w>){0,3}"
        r"(?:quiero|lo quiero|deseo)",
        r"(?:por ahora|por el momento|de momento) (?:me )?aguanto",
        r"no quiero morir(?:me)? (?:<w>){0,2}pero (?:tampoco|ni) (?:quiero )?vivir",
        r"(?:una|alguna) parte de mi (?:quiere|quisiera|queria) (?:hacerlo|morir\w*|acabar"
        r"|matarme|desaparecer|aventarme)",
        r"me (?:pare|sente|subi|pongo|paro|subo) (?:en|a) (?:el|la) (?:puente|orilla|azotea|vias"
        r"|techo|barandal)",
        r"me (?:detengo|detuve|freno|frene|paro|pare) (?:en|al) (?:el )?ultimo (?:segundo"
        r"|momento|minuto)",
        r"(?:regrese|devolvi|guarde) (?:las pastillas|la navaja|el cuchillo|la cuerda|la pistola)"
        r" (?:<w>){0,3}pero",
        r"(?:voz|voces) (?:<w>){0,2}(?:me dice|me dicen|me decia|diciendome) que (?:lo haga|me mate"
        r"|me corte|me lastime|me avente|me muera)",
        r"(?:me )?(?:aguanto|aguantando) (?:<w>)?(?:por ahora|por el momento)",
        r"(?:me digo|me repito) (?:a mi mism[oa] )?(?:nomas |solo )?(?:un dia mas|aguanta un dia)",
        r"(?:cruzo|cruce|cruzar) la (?:calle|avenida|carretera) (?:<w>){0,2}sin (?:ver|voltear)"
        r" (?:<w>){0,2}(?:a proposito|esperando)",
        negatable=False,
    ),
    *rules(
        "es", SUICIDE, U,
        r"(?:despues de que apaguen|cuando apaguen) (?:las )?luces (?:<w>){0,3}(?:lo voy a hacer"
        r"|lo hago|me)",
        r"(?:cuando|mientras) (?:<w>){0,6}nadie me (?:va a|iba a) (?:ver|vigilar|revisar)",
        r"ya lo (?:decidi|tengo decidido)(?: \.)? (?:<w>){0,2}(?:esta noche|el (?:lunes|martes"
        r"|miercoles|jueves|viernes|sabado|domingo)|manana|este fin|cuando)",
        r"(?:planee|plane|decidi|pense|se) (?:<w>){0,1}(?:cuando y como|como y cuando)",
        r"ya se como lo (?:haria|voy a hacer|hago)",
        r"lo tengo (?:bien )?(?:pensado|planeado)",
        r"(?:pensando en|pienso en|podria|quiero|voy a|nomas) (?:<w>)?(?:volantear(?:me)?"
        r"|estrellarme|salirme de la carretera|meterme contra|echarme contra|aventar el carro)",
        rf"{_MEANS_ES} (?:\S+ ){{0,8}}(?:no dejo de pensar|sigo pensando|pienso mucho) en (?:eso"
        r"|ella|el|usarla|usarlo)",
        r"(?:buscando|busco|busque|investigando|investigue|googlee) (?:<w>){0,3}(?:mas alt\w*"
        r"|que tan alto|sin dolor|dosis|cuantas pastillas|sobredosis|letal)",
        r"si me pasa algo (?:\S+ ){0,4}(?:es para|se lo das|dale|que se quede|cuiden|se queda)",
        r"ya (?:junte|tengo) (?:suficientes|las suficientes)(?= \.|$)",
        r"me (?:sente|quede|meti|acoste) (?:<w>){0,4}con (?:el|la|las|un|una) (?:rastrillo|navaja"
        r"|cuchillo|pastillas|cuerda|pistola|cuchilla)",
        r"no (?:lo|la) use pero (?:tenia|tengo|traia) (?:muchas )?ganas",
        r"(?:pense|pensando|pienso) (?:en )?como lo (?:haria|voy a hacer|hago|haria yo)",
        r"(?:cual|que) (?:tubo|viga|reja|arbol|puente|edificio|barandal) (?:<w>){0,4}(?:aguanta"
        r"|aguantaria|es alto|es lo bastante)",
        r"deje de tomar(?:me)? (?:mis )?(?:medicinas|pastillas|medicamentos) (?:\S+ ){0,4}(?:las"
        r" guardo|las junto|las escondo|guardandolas|juntandolas|las tengo)",
        r"(?:las|los) (?:guardo|escondo|tengo|junto) (?:en|bajo|debajo de) (?:un|una|mi|el|la)"
        r" (?:calcetin|colchon|almohada|zapato|casillero)",
        r"(?:esta noche|hoy) es la noche(?= \.|$)",
        r"ya no se (?:van a tener que|tendran que|tienen que) preocupar por mi",
        r"no (?:tendran|van a tener|tienen) que preocuparse (?:mas )?por mi",
        r"ya no (?:voy a ser|sere) (?:un problema|una carga|una molestia) para (?:nadie|ustedes"
        r"|nadie mas)",
        r"cansad[oa] de (?:pelear|luchar)(?: \.)? (?:<w>){0,3}(?:me voy a soltar|me suelto|me rindo"
        r"|soltar(?:me)?|rendirme)",
        r"(?:pronto|hoy|esta noche) (?:<w>){0,4}(?:en el cielo|alla arriba|del otro lado)",
        r"(?:en el cielo|alla arriba|del otro lado) (?:<w>)?(?:pronto|hoy|esta noche)",
        r"no se (?:molesten|preocupen) en (?:preguntar|buscar|escribir)(?:me)? (?:por mi )?"
        r"(?:<w>){0,2}(?:despues|ya no|mas)",
        r"(?:diganle|dile|digan|diles) a (?:todos|mi \w+) que (?:me despedi|los quise|lo siento"
        r"|las quise|la quise|lo quise|los quiero|me perdonen)",
        r"(?:paz|descanso|descansar)(?: \.)? (?:para siempre|eterno|eterna|por siempre)",
        r"(?:tome|ya tome|tomé) (?:mi|la) decision (?:<w>){0,3}(?:en paz|tranquil\w*|list[oa])",
        rf"{_MEANS_ES} (?:<w>)?(?:aqui|aca|enfrente|en la mano|junto a mi)(?= \.|$| y| ahorita)",
        r"(?:esto|este) es (?:un|mi) adios(?= \.|$)",
        r"estoy (?:en|arriba de|parad[oa] en|sentad[oa] en) (?:el|la) (?:puente|azotea|orilla"
        r"|techo|vias|barranco) (?:<w>)?(?:ahorita|ahora|ya)",
        r"no (?:creo|pienso) (?:estar|seguir) (?:aqui|viv[oa]) (?:manana|la proxima semana|mucho"
        r" tiempo|el lunes|el finde)",
        r"(?:elegi|escogi|ya tengo|encontre) el (?:lugar|dia|puente|arbol)(?= \.|$| ya)",
        r"(?:nota|carta|cartas|notas) de despedida",
        r"(?:tengo|traigo) (?:<w>)?(?:munecas|brazos|piernas|muslos) (?:cortad\w*|quemad\w*"
        r"|marcad\w*|rajad\w*)",
        r"(?:ya )?tengo todo listo (?:<w>){0,4}(?:sol[oa]|estar sol[oa])",
        r"(?:se|sabe) (?:para que (?:es|son|la quiero|lo quiero)|donde (?:amarrarlo|amarrarla"
        r"|colgarlo|colgarla|atarlo|atarla))",
        r"(?:practicado|practico|practique|ensayado|ensaye) (?:<w>){0,2}(?:el nudo|hacer el nudo"
        r"|nudo|la soga)",
        rf"(?:cuento|contando|conte|juntando|junte|guardando|guarde|ahorrando|escondiendo)"
        rf" (?:<w>){{0,2}}{_MEDS_ES}",
        rf"(?:saque|robe|tome|agarre) (?:<w>){{0,2}}{_MEDS_ES} (?:del|de la) (?:<w>){{0,1}}"
        r"(?:carrito|enfermer\w*|botiquin|cajon)",
        rf"{_MEANS_ES} (?:<w>){{0,2}}(?:esta |estan )?(?:debajo de|bajo) (?:mi|la|el)"
        r" (?:cama|colchon|almohada)",
        rf"(?:escondi|esconde|escondo|traigo|tengo) (?:<w>){{0,3}}{_MEANS_ES} (?:<w>){{0,3}}"
        r"(?:en el calcetin|en la funda|bajo el colchon|debajo del colchon|en mi casillero"
        r"|debajo de (?:la|mi) cama|en la almohada)",
        rf"{_MEANS_ES} (?:<w>){{0,3}}(?:y|\.) (?:<w>)?nada que perder",
        r"(?:usarlo|usarla|usar(?:lo|la)? conmigo) (?:conmigo|en mi)",
        r"(?:compre|consegui|me vendieron|tengo) (?:una )?(?:pistola|fusca|arma|cuete)"
        r"(?! de (?:agua|juguete|balines))",
        r"(?:prendido|encendido|andando) (?:<w>){0,2}con (?:la|el) (?:puerta|porton|garage)"
        r" cerrad[oa]",
        r"(?:me estoy despidiendo|me despido|me despedi) de (?:todos|todas|ustedes)",
        r"despedirme de (?:<w>){0,3}antes de irme(?! (?:a|de|pa|para))",
        r"(?:escribi|deje|tengo) (?:<w>)?cartas (?:para|a) (?:todos|mi familia|cada uno)",
        r"(?:regale|vendi|di) (?:\S+ ){0,6}(?:ya termine(?= \.|$)|ya no (?:los|las|lo|la) voy a"
        r" necesitar|se acuerde de mi|acuerdate de mi)",
        r"no confio en (?:mi|mi mism[oa]) (?:<w>){0,2}(?:sol[oa]|esta noche|ahorita)",
        r"(?:no creo|no se si voy a) estar (?:segur[oa]|a salvo) (?:<w>)?(?:sol[oa]|esta noche)",
        r"(?:quedar|quede|quedarse) conmigo (?:<w>){0,1}esta noche",
        r"no se (?:que|lo que) (?:voy a|vaya a|pueda) hacer(?:me)?(?: conmigo)?"
        r"(?! (?:con|sobre|si|despues|cuando|en|de|para|el|la|los|mi))",
        r"(?:voy a|me voy a|quiero) (?:tomarme|beberme|tragarme) (?:todas|todo|toda|un monton"
        r"|el frasco|las)",
        r"(?:voy a|me voy a) (?:cruzar|meter(?:me)?|aventar(?:me)?) (?:a |en )?(?:la |el |las )?"
        r"(?:autopista|carretera|vias|trafico|periferico)",
        r"(?:voy a )?(?:estrellar|estampar) (?:el|mi) (?:carro|coche|camioneta) contra",
        needs=None,
    ),
    *rules(
        "es", SUICIDE, U,
        r"lo (?:intente|volvi a intentar|intente otra vez|intente de nuevo)",
        rf"(?:me tome|me trague|me bebi|tome|trague) (?:\d\d+|un monton de|el frasco de|un frasco"
        rf" de|toda la caja de|todas las de mi \w+) (?:<w>){{0,2}}{_MEDS_ES}",
        r"me tome todo a proposito",
        r"me (?:meti|avente|tire) (?:a|al|a los|entre los|enfrente de) (?:<w>)?(?:carros"
        r"|trafico|coches|tren|camion|camiones) (?:<w>){0,2}a proposito",
        r"(?:intente|trate de hacer) (?:una )?sobredosis",
        r"lavado de estomago",
        r"(?:me encontro|me encontraron|me hallaron) antes de que (?:terminara|lo terminara"
        r"|lo hiciera|acabara)",
        r"casi me muero (?:<w>){0,4}(?:porque|por que) me (?:tome|trague|bebi|corte)",
        r"lo que me hice",
        r"(?:cortadas|cortes|quemaduras|heridas) que me (?:hice|hago)",
        r"me (?:avente|tire|meti) (?:enfrente|delante) de (?:un|una|el|la) (?:carro|coche|camion"
        r"|tren|trailer|troca)",
        needs=_RECENT_ES,
        demote=r"(?:hace (?:anos|mucho|tiempo)|cuando (?:era|tenia)|en la secundaria|de (?:nino"
        r"|nina|chic[oa]))",
    ),
    *rules(
        "es", HURT, U,
        r"(?:peleando|pelean|se pelean|se estan peleando) (?:<w>){0,4}con (?:puntas|cuchillos"
        r"|navajas|fierros|bates|pistolas|una pistola|un cuchillo)",
        r"(?:me van a|van a) (?:brincar|golpear|pegar|picar|madrear) (?:<w>){0,6}(?:traen|tienen"
        r"|con) (?:<w>)?(?:bates|cuchillos|puntas|pistola|pistolas|navajas|fierros)",
        r"(?:estan|esta|hay \w+) (?:<w>){0,2}(?:afuera|en la puerta|aqui) con (?:pistolas|una"
        r" pistola|cuchillos|un cuchillo|armas|bates|navajas|fierros)",
        r"acaba(?:n)? de (?:sacar|tirar|apuntar|aventar)(?:me)? (?:<w>){0,1}(?:un cuchillo"
        r"|una navaja|una pistola|un arma|una punta|un golpe|un fierro)",
        r"(?:hay un|un) (?:hombre|tipo|senor|vato|extrano) (?:<w>){0,1}en mi (?:cuarto|celda|casa"
        r"|recamara)",
        r"(?:prendieron|prendio|le prendieron|le prendio) fuego (?:a|al|a la)",
        r"(?:esta|estan) (?:convulsionando|sobredosificandose)|(?:se esta|se acaba de)"
        r" (?:sobredosificar|sobredosificando)|le (?:esta dando|dio) (?:un ataque|una convulsion)",
        r"y (?:no despierta|no respira|no se mueve|no reacciona|se esta poniendo morad[oa])",
        r"(?:hay un|hay una|un|una) (?:tipo|hombre|senor|vato|persona|desconocido) (?:en|afuera de"
        r"|asomandose por) (?:mi|la) ventana",
        r"me van a (?:agarrar|matar|picar|golpear|brincar|madrear|balear) (?:esta noche|hoy|al rato"
        r"|saliendo|a la salida|cuando)",
        r"no (?:llego|llegas|llegare|vas a llegar|voy a llegar) (?:a|a la) (?:manana|noche)",
        r"esta (?:ahorcando|golpeando|apunalando|pegando|picando|madreando) a (?:mi|mis|nuestra)"
        r" (?:mama|papa|hermana|hermano|abuela|abuelo|bebe|hijos?|hijas?)",
        r"(?:hay alguien|alguien esta|un hombre esta) (?:en|afuera de) (?:la|mi) (?:ventana|puerta"
        r"|casa|cuarto) (?:<w>)?(?:ahorita|ahora)",
        r"(?:alguien|un (?:hombre|tipo|vato|senor|man)) se (?:esta metiendo|metio|quiere meter"
        r"|esta tratando de meter) (?:a|en) (?:mi|la) (?:cuarto|casa|celda|recamara|cuarto)",
    ),
    *rules(
        "es", HURT, U,
        r"(?:acaba|acaban) de (?:pegar(?:me)?|golpear(?:me)?|picar(?:me)?|madrear(?:me)?)"
        r" (?:<w>){0,2}(?:y )?(?:viene|vienen|regresa|va a volver|ya viene)",
        r"(?:sangre por todos lados|me estoy desangrando|apunalaron|lo picaron|le dispararon"
        r"|lo balearon)",
        r"(?:afuera|en la puerta|en la reja) (?:<w>){0,4}(?:esperandome|buscandome)",
        r"(?:me van a|van a) (?:brincar|golpear|pegar|picar|madrear) (?:<w>){0,6}(?:traen|tienen"
        r"|con) (?:<w>)?(?:bates|cuchillos|puntas|pistola|pistolas|navajas|fierros)",
        r"(?:trae|tiene|traen|tienen) (?:una )?(?:pistola|fusca|cuete|arma|cuchillo|navaja)",
        r"(?:viene|vienen) (?:subiendo|por mi|hacia mi|a mi cuarto|para aca)",
        needs=r"(?:ahorita|ahora|sigue|siguen|afuera|ayuda|escondid[oa]|aqui|esperando|ya viene"
        r"|viene|por todos lados|borrach\w*|cinturon|cinto|cuchillo|pistola|bate|matar|miedo)",
    ),
]
# fmt: on
