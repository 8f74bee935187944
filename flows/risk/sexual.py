"""Sexual boundary violations: forced or happening now (urgent), otherwise concern.

Each pattern runs against the canonical text (flows/risk/normalise.py): lower case, no accents,
single spaces, contractions expanded ("i do not want to"), "." for punctuation.  Both languages'
groups always run (people mix languages).
"""

from __future__ import annotations

from flows.levels import Level
from flows.risk.categories import SEXUAL
from flows.risk.lexicon import Group, rules
from flows.risk.power import POWER_EN, POWER_ES

C = Level.CONCERN
U = Level.URGENT


# Concept x frame vocabularies.  A body word alone is nothing ("hurt my back at work"), a touch
# alone is nothing ("my mom hugged me"); a touch ON a body word, or ANY touch told as unwanted,
# is the signal.  Back, arms and shoulders are left out of BODY: a hand there is a sign only when
# the text says it was unwanted.
_BODY_EN = (
    r"(?:body|butt|ass|booty|behind|bottom|chest|breasts?|boobs|tits|nipples?|thighs?|inner thigh"
    r"|crotch|groin|privates|private parts|private area|parts|junk|lower back|waist|hips?|lips"
    r"|figure|curves|down there|private)"
)
_TOUCH_EN = (
    r"(?:touch|touches|touched|touching|grab|grabs|grabbed|grabbing|rub|rubs|rubbed|rubbing"
    r"|feel|feels|felt|feeling|grope|gropes|groped|groping|pinch|pinches|pinched|pinching"
    r"|squeeze|squeezes|squeezed|squeezing|brush|brushes|brushed|brushing|caress\w*|fondl\w*"
    r"|stroke|strokes|stroked|stroking|massage|massages|massaged|smack|smacks|smacked|slap"
    r"|slaps|slapped|put|puts|putting|keeps|kept|had|has|lays|laid|rests|rested)"
)
_UNWANTED_EN = (
    r"(?:(?:i|and i) (?:did not|do not|never|would not) (?:want|like|ask|say yes|agree)"
    r"|without (?:asking|my (?:permission|consent|ok))|even (?:though|when|after|tho) i (?:said"
    r"|told|ask|pull)|i (?:said|told (?:him|her|them)) (?:no|to stop)|(?:feels?|felt|makes? me"
    r"|made me|making me|so|really|kinda|super|hella|mad) (?:feel )?(?:weird|creepy|uncomfortable"
    r"|uncomfy|gross|violated|icky|dirty|nasty|sick)|inappropriate\w*|way too (?:close|long|low)"
    r"|like way low|when (?:nobody|no one) is (?:around|looking)|(?:does not|will not|would not)"
    r" stop)"
)
_SEXUAL_TOPIC_EN = (
    r"(?:my |your |her |his )?(?:sex|sex life|sexual\w*|virginity|hook ?ups?|my body|my bra"
    r"|my underwear"
    r"|my panties|my boxers|what i (?:wear|sleep in|am wearing|have on)|who i (?:sleep with"
    r"|hook up with)"
    r"|porn\w*)"
)
_PLACE_EN = (
    r"(?:his|her|their) (?:apartment|place|house|crib|room|bedroom|car|truck|office|hotel|motel"
    r"|trailer|basement)|the (?:storage room|supply closet|closet|back room|basement|laundry room"
    r"|bathroom|van)"
)

# A doctor's or nurse's exam is not a boundary violation.
_MEDICAL = (
    r"(?!(?: \S+){0,6} (?:stethoscope|checkup|check up|exam|physical|x ray|lungs|heartbeat))"
)


_BODY_ES = (
    r"(?:cuerpo|nalgas|pompas|trasero|cola|pechos|senos|tetas|pezones|piernas|muslos?|cintura"
    r"|caderas?|entrepierna|partes (?:intimas|privadas)|partes|intimidad|espalda baja|boca"
    r"|labios|ahi abajo)"
)
_TOUCH_ES = (
    r"(?:toca|toco|tocaba|tocan|tocaron|agarra|agarro|agarraba|agarran|soba|sobo|sobaba|roza"
    r"|rozo|rozaba|acaricia|acaricio|acariciaba|manosea|manoseo|aprieta|apreto|pellizca"
    r"|pellizco|nalguea|nalgueo|pone (?:la|su|sus) manos?|puso (?:la|su|sus) manos?|mete (?:la"
    r"|su) mano|metio (?:la|su) mano|pasa (?:la|su) mano|paso (?:la|su) mano|besa|beso)"
)
# Someone outside the family (a power holder or an adult stranger): pet names from these are a
# sign, from a mother they are not ("mi mama me dice mi amor").
_ADULT_ES = (
    POWER_ES + r"|(?:el|la|un|una|ese|esa|este|esta) (?:de (?:mantenimiento|limpieza|seguridad"
    r"|la tienda|la cocina|al lado"
    r"|enfrente|arriba)|senor|senora|don|vecin[oa]|chofer|doctor|enfermer[oa]|psicolog[oa]"
    r"|terapeuta|dueno|duena|casero|patron|cocinero|conserje|velador|pastor|padre|cura)"
)

# An adult outside the family or someone with power over the speaker: compliments and messages
# from them are a sign, from a mother they are not.
_ADULT_EN = (
    POWER_EN + r"|(?:guy|man|dude|adult|older|grown|old man|staff|worker|janitor|driver|neighbor"
    r"|landlord|pastor|priest|doctor|nurse|trainer|security|officer|guard|co|lady|woman)"
)

# fmt: off
EN: list[Group] = [
    *rules(
        "en", SEXUAL, U,
        r"rap(?:e|ed|es|ing)",
        r"forc\w* (?:me )?(?:to )?(?:<w>){0,2}(?:sex|sexual|touch\w*|suck|oral|undress|naked"
        r"|kiss)",
        r"(?:made|makes|make|making) me have sex",
        r"(?:is|are|keeps) touching me",
        r"sexual(?:ly)? assault\w*",
        r"molest(?:ed|ing|er|ers|s|ation)?",  # not Spanish "me molesta" (it bothers me)
    ),
    *rules(
        "en", SEXUAL, C,
        r"touch(?:ed|es|ing)? (?:me|my (?:<w>)?(?:private|privates|butt|ass|chest|breasts?"
        r"|boobs|body|thighs?|crotch|dick|penis|vagina|parts|legs?|junk))" + _MEDICAL,
        r"(?:asked|asks|asking|ask|wants|wanted|begging|begged|begs|pressuring|pressured|tells"
        r"|told) (?:me )?(?:for|to send|to take|to show) (?:him |her |them )?(?:me )?"
        r"(?:some |a |more |any )?(?:nudes?|pics?|pictures?|photos?|selfies|naked|videos?|snaps)",
        r"sen[dt]s? (?:me )?(?:<w>){0,2}(?:nudes?|naked \w+|dick pics?|d pics?|porn\w*)",
        r"(?:pics?|pictures?|photos?|videos?) of (?:his|her|their) (?:privates|dick|junk|body"
        r"|penis|parts|thing|private parts)",
        r"nudes",
        r"(?:made|makes|make|making|wants|wanted|want) me (?:to )?(?:do )?(?:sexual|sex) "
        r"(?:stuff|things|acts|favors)",
        r"sexual (?:stuff|things|favors)",
        r"(?:made|makes|make) me touch (?:him|her|them|his|it)",
        r"(?:showed|shows|show) me (?:his|her) (?:privates|dick|junk|penis|private parts|body)",
        r"(?:showed|shows) me porn",
        r"(?:wants|wanted|tried|trying) to (?:have sex|hook up|sleep|kiss|make out) (?:with )?me",
        # comments on the body, pet names, closeness from someone with power
        r"(?:comments?|commenting|commented|remarks?) (?:<w>){0,3}(?:on|about) (?:my|me)"
        r"(?: \w+)?(?: (?:body|chest|butt|ass|boobs|breasts?|legs?|figure|curves|looks|shape"
        r"|outfit|clothes|lips))?",
        r"(?:makes?|made|making) (?:<w>)?comments",
        r"(?:tells|told|telling|says|said|calls|called|calling) me (?:i am |im )?(?:so |really )?"
        r"(?:sexy|hot|fine|thick|baby|babe|sweetheart|sweetie|honey|cutie|beautiful|gorgeous"
        r"|mature for my age|grown|sexy)",
        r"(?:mature|grown) (?:<w>)?for my age|how (?:grown|grown up|mature|developed) i (?:look|am"
        r"|got)",
        r"stands? (?:way |really |so )?too close",
        r"(?:rubs|rubbed|rubbing|strokes|stroked|touches|touched) my (?:back|leg|legs|thigh|hair"
        r"|neck|arm|knee|shoulders?)",
        r"(?:hugs?|hugged|hugging) (?:<w>){0,4}(?:too long|too tight|from behind|weird|and"
        r" (?:rubs|touches|kisses))",
        r"(?:hand|hands) on my (?:back|leg|thigh|waist|butt|knee|lower back)",
        r"stop touching",
        r"(?:grab|grabs|grabbed|grabbing|slap|slaps|slapped|slapping|pinch|pinches|pinched|pinching"
        r"|squeeze|squeezes|squeezed|squeezing|rub|rubs|rubbed|rubbing|feel|feels|felt) (?:<w>)?"
        r"(?:my|me on the) (?:butt|ass|chest|breasts?|boobs|crotch|privates|thighs?|booty|behind)",
        r"(?:sit|sat|sitting) on (?:his|her) lap",
        r"(?:take|took|taking) off my (?:shirt|clothes|pants|top|bra|underwear)",
        r"(?:made|makes|make) me (?:strip|undress|get naked|take off)",
        r"(?:flirt|flirts|flirted|flirting) (?:with me)?",
        r"(?:asked|asks|asking) (?:me )?(?:if i am|if im|am i|if i have) (?:a )?(?:virgin|had sex)",
        r"virgin",
        r"expos(?:es|ed|ing) (?:him|her)self",
        r"(?:pic|picture|photo|video|selfie)s? of (?:him|her)self",
        r"(?:dick|d|nude) pics?",
        r"(?:his|her) (?:place|house|apartment|room|car|hotel) (?:<w>)?alone",
        r"(?:alone|by myself) (?:<w>){0,2}(?:his|her) (?:place|house|apartment|room|car)",
        r"(?:to|at|in|a) (?:hotel|motel)",
        r"(?:do|doing|did) (?:stuff|things|something) (?:<w>){0,2}(?:in the bathroom|in his car"
        r"|in the closet|alone)",
        r"what (?:i would|id|i will) do for (?:him|her)",
        r"(?:dreams?|dreaming|thinks?|thinking) about me",
        r"(?:coming|comes|came|walks|walking|walked) in(?:to)? (?:<w>){0,4}(?:while|when) i am"
        r" (?:changing|showering|in the shower|undressed|naked|getting dressed|asleep|sleeping)",
        r"(?:watch|watches|watching|comments?|looks?|stares?|staring) (?:<w>){0,3}(?:me"
        r"|at me) (?:<w>)?"
        r"(?:in the shower|while i (?:shower|change|am changing))",
        r"(?:messages|messaging|texts|texting|calls|calling|dms|snaps|writes|sends|sending|sent)"
        r" me (?:<w>){0,6}(?:late at night|at night|at midnight|at \d+ ?(?:am|pm)?|in the middle of"
        r" the night)",
        r"(?:asked|asks|asking|wanted|wants) (?:for )?my (?:snapchat|snap|insta|instagram|number"
        r"|personal number)",
        r"i am (?:1[0-7]|twelve|thirteen|fourteen|fifteen|sixteen|seventeen)\b(?! (?:days|weeks"
        r"|months|years|mins|minutes|hours|points|dollars|bucks|and))",
    ),
    *rules(
        "en", SEXUAL, C,
        # a touch on the body, in any verb: "keeps touching my lower back", "put his hand on my
        # thigh", "brushes against my chest"
        _TOUCH_EN + r" (?:(?:his|her|their) )?(?:hands?|fingers?|arm|arms)? ?(?:<w>){0,3}(?:on"
        r"|against"
        r"|over|up|down|between)? ?(?:my|me on the|me on my) (?:<w>)?" + _BODY_EN + _MEDICAL,
        # any touch, hug, kiss or closeness told as unwanted
        r"(?:touch\w*|hugs?|hugged|hugging|kiss\w*|grab\w*|rubs?|rubbed|rubbing|cuddl\w*|hold"
        r"|holds|held|presses|pressed|pressing|gets? (?:real |so |too )?close|leans? (?:on|over)"
        r"|sits? (?:real |so |too )?close|sat (?:real |so |too )?close) (?:<w>){0,8}"
        + _UNWANTED_EN,
        # questions and talk about sex or the body
        r"(?:asks?|asked|asking|questions?|talks?|talked|talking|jokes?|joked|joking|says|said"
        r"|saying|comments?|commented|commenting|texts?|texted|messages?|messaged) (?:me )?"
        r"(?:<w>){0,4}(?:about|on) " + _SEXUAL_TOPIC_EN,
        r"(?:says|said|saying|tells|told|telling|makes|made|making|whispers?|whispered)"
        r" (?:<w>){0,2}(?:stuff|things|comments|jokes|something|remarks) (?:<w>)?(?:about|on)"
        r" (?:my|me) (?:<w>)?" + _BODY_EN,
        r"(?:sexual|dirty|nasty|sexy|flirty|creepy|pervy|inappropriate|sus|freaky) (?:<w>)?(?:jokes"
        r"|comments|messages|texts|dms|pics|pictures|photos|videos|stuff|things|questions|remarks"
        r"|looks|snaps|emojis)",
        # invitations to be alone, private "sessions", favours for privileges
        r"(?:come|go|stay|sleep|hang out|chill|meet(?: up)?|ride|sit) (?:<w>){0,4}(?:to|at|in"
        r"|over at|by) (?:" + _PLACE_EN + r") (?:<w>){0,4}(?:alone|by myself|just us|at night|late"
        r"|after (?:hours|lights out|curfew|everyone)|for (?:extra|private|special|personal|one on"
        r" one)|and not tell|without)",
        r"(?:extra|private|special|secret|personal|one on one) (?:sessions?|meetings?|lessons?"
        r"|tutoring|visits?) (?:<w>){0,4}(?:at|in) (?:" + _PLACE_EN + r")",
        r"(?:just|only) (?:the two of us|us two|me and (?:him|her)) (?:<w>){0,4}(?:at night|alone"
        r"|in (?:" + _PLACE_EN + r")|nobody|no one)",
        r"(?:if|as long as|long as) i (?:am|was|were|would be|be|acted|act|get|play) (?:<w>)?"
        r"(?:nice|good|sweet|friendly|nicer|special|cool) (?:to|with) (?:him|her|them)",
        r"(?:if|as long as|in exchange for|in return for|for) i (?:<w>)?(?:kiss|kissed|sent|send"
        r"|show|showed|let (?:him|her)|sit on|sat on|sleep with|slept with|hook up|hooked up|go out"
        r" with|spend the night|come over)",
        r"(?:offered|offers|offer|offering|promised|promises|pay|pays|paid|give|gives) (?:me )?"
        r"(?:<w>){0,3}(?:money|cash|bucks|\d+|weed|a phone|shoes|snacks|commissary|stuff|gifts)"
        r" (?:<w>){0,3}(?:to|if i|for|so i) (?:<w>)?(?:take (?:pics|pictures|photos)|pics|pictures"
        r"|photos|pose|send|show|kiss|touch|sit on|sleep|spend the night|come over|undress|strip"
        r"|model)",
        # pictures of the mentee, or sent to them unasked
        r"(?:pictures?|pics?|photos?|videos?|selfies|snaps) (?:<w>){0,2}(?:of|from) me (?:<w>){0,3}"
        r"(?:in (?:my |a )?(?:bathing suit|swimsuit|swim suit|bikini|underwear|bra|boxers|towel"
        r"|pajamas|pjs|the shower|bed)|naked|without (?:a shirt|my shirt|clothes)|changing"
        r"|shirtless|sleeping|asleep|topless)",
        r"(?:sent|sends|send|sending|got sent|get sent|getting sent|gets me|showed|shows) (?:me )?"
        r"(?:<w>){0,2}(?:a |some )?(?:pic|pics|picture|pictures|photo|photos|video|videos|snap"
        r"|snaps) (?:<w>){0,3}(?:i|that i|nobody|no one) (?:did not|never|do not|did) (?:<w>)?"
        r"(?:ask|asked|want|wanted)",
        r"(?:unsolicited|unwanted|random) (?:<w>)?(?:pic|pics|picture|pictures|photo|photos|dick"
        r"|nudes|snaps)",
        # entering the room or bed at night, watching someone change
        r"(?:comes|came|coming|come|gets|got|getting|creeps?|creeping|crept|crawls?|crawled"
        r"|sneaks?|sneaking|snuck|climbs?|climbed) (?:<w>){0,2}(?:in|into|in to) (?:my )?(?:room"
        r"|bed|bunk|cell|shower|stall|bathroom|sleeping bag) (?:<w>){0,5}(?:and i (?:do not"
        r"|did not)"
        r" want|i do not want|without (?:asking|knocking)|i pretend|when i am (?:asleep|sleeping"
        r"|changing|showering|naked|undressed|getting dressed)|while i (?:sleep|am asleep|change"
        r"|shower)|and (?:touch|touches|lay|lays|lies|gets? under|rubs|watch|watches|stares))",
        r"(?:watch|watches|watched|watching|stare|stares|stared|staring|peek|peeks|peeked|peeking"
        r"|peep|peeps|looks?|looked|looking|checks? me out|checking me out) (?:<w>){0,3}(?:me|at me"
        r"|in|through) (?:<w>){0,4}(?:when|while|as|whenever) i (?:am )?(?:change|changing|shower"
        r"|showering|undress|undressing|get dressed|getting dressed|pee|bathe|bathing|strip)",
        r"(?:stares?|staring|stared|looks?|looking|looked|eyes|eyeing|checks? out|checking out)"
        r" (?:<w>){0,2}(?:at )?my " + _BODY_EN,
    ),
    *rules(
        "en", SEXUAL, C,
        # compliments on looks and messages from an adult outside the family
        r"(?:texts?|texting|texted|messages?|messaging|messaged|tells|told|telling|says|said|calls"
        r"|calling|dms?|dming|snaps?|snapping|writes|wrote|keeps saying|comments?) (?:me )?"
        r"(?:<w>){0,2}(?:that )?(?:i am|im|i look|how|my) (?:<w>)?(?:pretty|cute|hot|sexy|beautiful"
        r"|fine|gorgeous|attractive|handsome|thick|grown|sexy|good looking|special)",
        r"(?:keeps?|kept|always|been|is always) (?:<w>)?(?:grabbing|touching|groping|feeling on"
        r"|rubbing on|rubbing up on|pulling on|hanging on) (?:on )?me",
        needs=_ADULT_EN,
    ),
    *rules(
        "en", SEXUAL, C,
        r"(?:messages|texts|texting|dms|snaps|calls|comments|looks|stares|staring|jokes|emojis"
        r"|pics|pictures) (?:<w>){0,4}(?:make|makes|made|making) me (?:<w>)?(?:uncomfortable"
        r"|uncomfy|creeped out|feel weird|feel gross|feel dirty)",
    ),
    *rules(
        "en", SEXUAL, C,
        # a hug or a kiss as the price of something
        r"(?:have to|got to|gotta|need to|must|want me to|wants me to|wanted me to|make me|makes"
        r" me|made me) (?:<w>)?(?:give|let) (?:him|her|them) (?:<w>)?(?:a )?(?:hug|kiss|kisses"
        r"|massage|back rub|sit on)",
        r"(?:pull|pulls|pulled|pulling|yank|yanks|yanked|yanking|rip|ripped|ripping) (?:<w>)?my"
        r" (?:pants|shorts|skirt|underwear|towel|bra|top|boxers|panties) (?:down|off)",
        r"(?:invite|invites|invited|inviting|asks|asked|wants|wanted) me (?:<w>){0,3}(?:over|to his"
        r" place|to her place|to come over) (?:<w>){0,4}(?:when|while) (?:(?:his|her) (?:wife"
        r"|husband|girlfriend|boyfriend|family|kids|roommate)|nobody|no one) (?:is |are )?"
        r"(?:away|gone|out|not home|at work|asleep|home|around)",
    ),
    *rules(
        "en", SEXUAL, C,
        # from an adult outside the family: "you looked good today", a winky face, in my bed
        r"(?:you|u) (?:look|looked|looking|looks) (?:so |really |real |hella )?(?:good|hot|sexy"
        r"|fine|beautiful|pretty|cute|grown)",
        r"(?:winky|winking|kissy|kissing|heart eyes?) (?:face|emojis?)",
        r"(?:walk|walks|walking|walked|barges|barged|bursts|burst|comes|came) in on me(?:(?: \S+)"
        r"{0,5} (?:shower|showering|bathroom|changing|naked|dressing|undressed|toilet|peeing"
        r"|bathing))",
        r"(?<!dog )(?<!cat )(?<!puppy )(?<!kitten )(?:was|is|were|got|gets|climbed|laying|lying"
        r"|lays|crawled|crawls) (?:<w>)?in my bed",
        needs=_ADULT_EN + r"|foster dad|stepdad|step dad|uncle|stepbrother|foster brother"
        r"|boyfriend|husband",
    ),
    *rules(
        "en", SEXUAL, C,
        r"(?:asks?|asked|asking|wants to know|wanted to know) (?:me )?(?:<w>)?what (?:i am|i)"
        r" (?:wearing|wear to bed|sleep in|have on)",
    ),
    *rules(
        "en", SEXUAL, C,
        # "does she have a boyfriend" is grandma's question; from an adult in power it is not
        r"(?:asked|asks|asking) (?:me )?(?:if i am|if im|am i|if i have) (?:a )?(?:single|a"
        r" boyfriend|a girlfriend|boyfriend|girlfriend)",
        needs=POWER_EN + r"|(?:guy|man|dude|adult|staff|worker|janitor|driver|neighbor|landlord"
        r"|pastor|priest|doctor|nurse|trainer|security|officer|guard|co)",
    ),
    *rules(
        "en", SEXUAL, C,
        r"(?:trying|tries|tried|try) to (?:get|climb|crawl|sneak) (?:in|into) (?:my )?(?:bed|bunk"
        r"|shower|sleeping bag|stall)",
        # grooming words: a special, secret relationship others would not understand
        r"(?:our|the) (?:relationship|friendship|bond|connection) is (?:<w>)?(?:special|different"
        r"|a secret|secret|just between us)",
        r"(?:people|others|they|nobody|no one) (?:would not|will not|would never"
        r"|could not) (?:<w>)?"
        r"understand (?:us|our|what we)",
    ),
    *rules(
        "en", SEXUAL, C,
        # from an adult outside the family: time alone, rides and gifts, "his favorite"
        r"(?:wants|want|wanted|asked|asks|keeps asking) (?:me )?to (?:hang out|chill|meet up|go out"
        r"|kick it|link up|link) (?:<w>){0,2}(?:just us|alone|just the two of us|by ourselves"
        r"|without anyone|at night|in private)",
        r"(?:keeps?|kept) (?:<w>)?offering me (?:rides|money|gifts|weed|drinks|a place to stay"
        r"|a ride|stuff)",
        r"(?:i am|im) (?:his|her) (?:favorite|special girl|special boy|favorite girl|favorite boy)",
        needs=_ADULT_EN,
    ),
    *rules(
        "en", SEXUAL, C,
        r"(?:put|puts|putting|pulled|pulls|placed|moved|guided) my hand (?:<w>)?(?:on|in|down|to"
        r"|over) (?:his|her) (?:lap|crotch|thigh|pants|thing|junk|leg|chest|privates|shorts)",
        r"(?:rubbed|rubs|rubbing|pressed|presses|pressing|grinding|grinded|grinds) (?:himself"
        r"|herself|his body|his crotch|his thing|up) (?:<w>)?(?:against|on|into) me",
        r"(?:sent|sends|send|sending|showed|shows|show) me (?:something|stuff|things|a video|videos"
        r"|a pic|pics) (?:<w>)?(?:really |super |so )?(?:inappropriate|nasty|gross|dirty|sexual"
        r"|explicit|x rated|freaky)",
        r"(?:would |will |d )?look (?:good|hot|sexy|nice) in (?:a |my )?(?:bikini|swimsuit|bathing"
        r" suit|underwear|lingerie|thong|towel)",
        r"(?:made|makes|making) a pass at me|(?:hit|hits|hitting) on me|(?:cat ?calls?"
        r"|catcalling|catcalled|whistles at me|whistling at me)|(?:kissy|kissing) (?:noises"
        r"|sounds|faces)",
    ),
    *rules(
        "en", SEXUAL, C,
        r"(?:kissed|kisses|kissing|kiss) me(?! (?:goodnight|good night|goodbye|bye|on the"
        r" (?:cheek|forehead|head)))",
        r"(?:asked|asks|wants|wanted|asking) me to be (?:his|her) (?:girlfriend|girl|boyfriend"
        r"|wife|baby|bae)",
        needs=_ADULT_EN,
    ),
]

ES: list[Group] = [
    *rules(
        "es", SEXUAL, U,
        r"me viol\w+", r"violacion",
        r"abus\w* (?:sexualmente|sexual) (?:de mi)?",
        r"me (?:obliga|obligo|obligaron|forzo|forzaron|forza|fuerza) a (?:<w>){0,2}(?:sexo"
        r"|relaciones|tocar\w*|sexual\w*|chupar\w*|desvestirme|besar\w*|mamar\w*)",
        r"(?:tocar\w*|toco|toca|bes\w*|sexo|relaciones|desvest\w*) (?:<w>){0,3}a la fuerza",
        r"me (?:esta|estan) (?:tocando|manoseando)",
    ),
    *rules(
        "es", SEXUAL, C,
        # "me tocó" is also "it was my turn": only when followed by nothing, a body part, etc.
        r"me (?:toco|toca|tocaba|tocaron|tocan|anda tocando|ha tocado)(?= \.|$| y\b| sin\b"
        r"| cuando\b| otra vez| de nuevo| donde| ahi| abajo| inapropiad| (?:mis|el|la|las|los|sus)"
        r" (?:partes|pechos|senos|nalgas|pompas|trasero|pierna|piernas|cuerpo|cola|pene|vagina"
        r"|pecho|intimidad|zonas?))",
        r"me (?:pide|pidio|pidieron|piden|pedia|ha pedido|anda pidiendo|esta pidiendo"
        r"|sigue pidiendo) (?:<w>)?(?:fotos?|videos?|nudes|packs?|el pack|fotitos)",
        r"(?:fotos?|videos?|imagenes) (?:<w>){0,3}(?:desnud\w*|sin ropa|intim\w*|porno\w*)",
        r"me (?:manda|mando|envia|envio|ensena|mostro|muestra|pasa|paso) (?:<w>){0,2}"
        r"(?:fotos?|videos?|imagenes) (?:<w>){0,2}(?:de su (?:pene|cuerpo|verga|parte\w*|cosa"
        r"|miembro))",
        r"(?:cosas|algo|actos) sexual\w*",
        r"me (?:manosea|manoseo|manoseaba|manosean)",
        r"acoso sexual",
        r"me (?:mostro|ensena|enseno) su (?:pene|verga|cosa|miembro|parte\w*)",
        r"(?:me (?:quiso|quiere|intento) besar|besarme)",
        # comments, closeness, messages and invitations from someone with power
        r"(?:cosas|comentarios|piropos) (?:<w>)?(?:de|sobre) (?:mi|mis) (?:cuerpo|tetas|pechos"
        r"|senos|nalgas|pompas|trasero|piernas|boca|figura)",
        r"(?:me dijo|me dice|me dicen|dice) (?:<w>)?que (?:tengo (?:buen|lindo|bonito) cuerpo"
        r"|estoy (?:buena|bueno|rica|rico)|soy (?:muy )?(?:madur[oa]|especial|sexy))",
        r"(?:buen|lindo) cuerpo",
        r"madur[oa] para mi edad",
        r"me (?:guino|guina|manda besos|mando besos)",
        r"me (?:agarro|agarra|agarran|agarraron|toco|toca|tocaron) (?:las|los|la|el|mis) (?:nalgas"
        r"|pompas|trasero|pechos|senos|tetas|pierna|piernas|cola|entrepierna)",
        r"me abraza (?:<w>)?(?:muy pegado|por atras|por detras|raro|de mas|demasiado|mucho rato)",
        r"(?:respira|respiro|besa|beso) (?:<w>)?en el cuello",
        r"(?:entra|entro|se mete|se metio|se asoma|me ve) (?:<w>){0,2}(?:al bano|a mi cuarto|a la"
        r" regadera|a las regaderas) (?:<w>){0,4}(?:cuando|mientras) (?:me estoy|estoy|me)"
        r" (?:banando|bano|cambiando|cambio|dormid[oa]|duermo|desvist\w*)",
        r"se (?:mete|metio|mete a escondidas) a mi cuarto",
        r"me (?:hace|hacen|hizo|hicieron|obliga|obligo) (?:<w>)?(?:quitarme|desvestirme"
        r"|encuerarme) (?:<w>)?(?:la ropa|toda la ropa)?",
        r"(?:verme|vernos|estar) a solas",
        r"(?:al|a un|a el|un) (?:hotel|motel)",
        r"(?:portaba|portas|porto|portes) (?:<w>)?bonit[oa] con (?:el|ella)",
        r"que (?:traigo|tengo|llevo) puesto",
        r"fotos? (?:<w>){0,2}(?:en ropa interior|en calzones|en bikini|sin ropa|encuerad[oa])",
        r"fotos? mias (?:<w>){0,4}sin mi permiso",
        r"me (?:manda|mandan|mando|envia|escribe|escribio|escriben|llama|habla|marca) (?:<w>){0,5}"
        r"(?:de noche|en la noche|en la madrugada|muy tarde|a las (?:\d+(?:am|pm)?|una|dos|tres"
        r"|cuatro)"
        r"|a escondidas|a medianoche)",
        r"(?:mensajes|audios) (?:<w>){0,5}(?:de noche|en la noche|de madrugada|a escondidas"
        r"|a las \d+(?:am|pm)?)",
        r"dice que me (?:quiere|extrana|ama|desea)",
    ),
    *rules(
        "es", SEXUAL, C,
        # a touch on the body in any verb; any touch told as unwanted
        r"(?:me|le) " + _TOUCH_ES + r" (?:<w>){0,2}(?:la|las|los|el|mis|mi|en la|en las|en los|en"
        r" el|en mis|por la|por las)? ?" + _BODY_ES,
        r"(?:me )?(?:toca|toco|abraza|abrazo|besa|beso|agarra|agarro|acaricia|acaricio|se me pega"
        r"|se me arrima|se me acerca|se acerca|se arrima|se pega) (?:<w>){0,6}(?:aunque (?:le )?"
        r"(?:dije|digo|diga) que no|sin (?:mi )?permiso|sin preguntar|y no me gusta|y no quiero"
        r"|me incomoda|me da asco|me da miedo|me siento (?:rar[oa]|incomod[oa]|sucia|sucio)"
        r"|demasiado|de mas|muy pegad[oa]|cuando no hay nadie)",
        # questions and talk about sex or the body
        r"(?:me )?(?:pregunta|pregunto|preguntaba|hace preguntas|habla|hablo"
        r"|dice cosas) (?:<w>){0,5}"
        r"(?:vida sexual|sexo|sexuales|relaciones|si soy virgen|si ya (?:tuve|he tenido|hice)"
        r"|virgen|mi cuerpo|ropa interior|calzones|brasier|con quien duermo)",
        r"(?:cosas|comentarios|bromas|chistes|mensajes|fotos) (?:<w>)?(?:sexuales|cochinos|cochinas"
        r"|sucios|sucias|de doble sentido|subidos de tono|raros de mi cuerpo|morbosos|morbosas)",
        # invitations to be alone, secrets, favours for privileges
        r"(?:me )?(?:pide|pidio|dice|dijo|invita|invito|quiere) (?:<w>)?(?:que )?(?:vaya|ir|venga"
        r"|pase|suba|entre|me quede) (?:<w>){0,4}(?:a la bodega|al cuarto de|a su (?:casa|cuarto"
        r"|oficina|carro|coche|depa|departamento|camioneta|cama)|sol[oa] con (?:el|ella)|a solas"
        r"|de noche|en la noche|sin que (?:nadie|sepan))",
        r"(?:juego|secreto|secretito) (?:<w>)?(?:entre (?:los dos|nosotros|tu y yo)|nuestro)"
        r"|nuestro secreto|nuestro secretito",
        r"que le (?:ensene|muestre|mande|enseñe) (?:<w>)?(?:cosas|fotos|mi cuerpo|mis partes|algo"
        r"|el cuerpo)",
        r"si (?:soy|era|fuera|me porto|me portaba|me portara|estoy) (?:<w>)?(?:buena|bueno"
        r"|carinos[oa]|lind[oa]|amable|buenita|buenito) con (?:el|ella)",
        r"a cambio de (?:<w>)?(?:un beso|besos|fotos|que (?:le|lo|la) (?:bese|toque|ensene|mande"
        r"|deje)|favores|tocar\w*)",
        r"me (?:ofrecio|ofrece|ofrecen|dio|da|paga|pago) (?:<w>){0,3}(?:dinero|lana|plata|feria"
        r"|celular|ropa|regalos|tenis|cosas) (?:<w>){0,3}(?:por|para|si) (?:<w>)?(?:fotos"
        r"|tomarme fotos|que le|besar|mandar|dejarme|ensenar|quedarme|posar)",
        # pictures of the mentee, or sent unasked
        r"(?:fotos?|videos?) (?:<w>){0,2}(?:mias|mios|de mi) (?:<w>){0,3}(?:en (?:traje de bano"
        r"|bikini|calzones|ropa interior|toalla|pijama)|desnud\w*|sin ropa|cambiandome|banandome"
        r"|dormid[oa])",
        r"me (?:mando|manda|mandaron|envio|envia|paso|pasa|ensena|enseno) (?:<w>){0,3}(?:una |unas"
        r" )?(?:fotos?|videos?|imagenes) (?:<w>){0,4}(?:que (?:yo )?no (?:pedi|quise|queria)|sin"
        r" que (?:yo )?(?:se )?(?:la |las )?pidiera|asqueros\w*|cochin\w*)",
        # watching someone change or bathe, entering the room or bed at night
        r"(?:se asoma|se asomo|me mira|me miro|me ve|me vio|me espia|me espio|me observa|me"
        r" graba|me grabo|entra|entro|se mete|se metio) (?:<w>){0,4}(?:cuando|mientras) (?:me )?"
        r"(?:cambio|estoy cambiando|bano|estoy banando|desvisto|ducho|estoy duchando|visto|estoy"
        r" en la regadera|estoy en la ducha|duermo|estoy dormid[oa])",
        r"(?:entra|entro|se mete|se metio|se sube|se subio|se acuesta|se acosto) (?:<w>){0,2}"
        r"(?:a |en )?(?:mi cuarto|mi cama|mi litera|mi celda|mi recamara"
        r"|mi habitacion) (?:<w>){0,4}"
        r"(?:de noche|en la noche|en las noches|cuando duermo|mientras duermo|y no quiero|sin"
        r" permiso|sin tocar|a escondidas)",
        r"(?:me mira|me ve|me queda viendo|me clava la mirada"
        r"|se me queda viendo) (?:<w>){0,2}(?:las"
        r" |los |el |la |mis )?(?:nalgas|pompas|trasero|pechos|senos|tetas|piernas|cuerpo)",
    ),
    *rules(
        "es", SEXUAL, C,
        # pet names and "mi amor" from an adult outside the family
        r"me (?:dice|dijo|llama|llamo|habla de|escribe) (?:<w>)?(?:mi amor|mi reina|mi vida"
        r"|preciosa|precioso|mamacita|mami|bebe|nena|guapa|hermosa|chiquita|princesa|muneca"
        r"|rica|sabrosa|mi nina|corazon|cosita)",
        needs=_ADULT_ES,
    ),
    *rules(
        "es", SEXUAL, C,
        r"(?:mensajes|fotos|cosas|comentarios|audios|miradas|bromas) (?:<w>)?(?:raros|raras"
        r"|extranos|extranas|incomodos|incomodas|feos|feas|de amor|romanticos|con corazones)",
        r"(?:" + _ADULT_ES + r") (?:<w>){0,2}me (?:toco|toca|tocaba|tocaron|agarro|manoseo|rozo"
        r"|sobo|acaricio|beso|abrazo)(?! \w+(?:ar|er|ir)\b)",
        needs=_ADULT_ES,
    ),
    *rules(
        "es", SEXUAL, C,
        r"(?:si|para que|a cambio de que) (?:me )?(?:dejo|dejaba|dejara|dejaria|dejas|dejes)"
        r" (?:que me )?(?:tocar|toque|besar|bese|ver|fotografiar|tomar fotos|abrazar)",
        r"(?:me )?(?:bajan|bajaron|baja|bajo|jalan|jalaron|quitan|quitaron) (?:<w>)?(?:los|el|la"
        r"|mis|mi) (?:pantalones|pants|calzones|short|falda|toalla|brasier) (?:<w>)?(?:enfrente"
        r"|delante|a la fuerza|otra vez|de nuevo|jugando|y se rien)?",
    ),
    *rules(
        "es", SEXUAL, C,
        r"se me (?:repega|restriega|restrego|restrega|embarra|embarro|recarga|recargo)",
        r"(?:nuestra|la) (?:relacion|amistad) es (?:<w>)?(?:especial|diferente|secreta|un secreto)",
    ),
    *rules(
        "es", SEXUAL, C,
        r"soy su (?:favorit[oa]|consentid[oa]|preferid[oa]|nena|nina especial)",
        r"me (?:ofrece|ofrecio|quiere dar|quiere llevar|lleva) (?:<w>)?(?:raite|aventon|ride|a su"
        r" casa|a su cuarto) (?:<w>){0,4}(?:sol[oa]|de noche|en la noche|sin que|y me)",
        needs=_ADULT_ES,
    ),
    *rules(
        "es", SEXUAL, C,
        r"me (?:tiro|tira|tiraba|echa|echo|echaba|anda echando|anda tirando|esta tirando|esta"
        r" echando) (?:los )?(?:perros|la onda)|me (?:coquetea|coqueteo|coqueteaba|anda"
        r" coqueteando|esta coqueteando)",
        r"(?:que le mande|que le mandara|que le envie|que le enviara|mandarle|enviarle|pasarle)"
        r" (?:<w>){0,2}(?:fotos?|videos?|un video|una foto) (?:<w>){0,3}(?:en ropa interior|en"
        r" calzones|sin ropa|desnud\w*|en bikini|en toalla|en brasier|bailando)",
        r"si (?:salgo|saliera|salia|salimos|me acuesto|me acostaba|me acostara|le doy|le daba"
        r"|lo beso|lo besaba|la beso|me dejo) (?:<w>){0,3}(?:con el|con ella)? ?(?:<w>){0,3}(?:me"
        r" da|me daba|me daria|me dan|me consigue|me pasa) (?:<w>)?(?:mas horas|permiso|dinero"
        r"|calificacion|puntos|salida|el pase|visitas|lana|feria)",
    ),
    *rules(
        "es", SEXUAL, C,
        r"me (?:dijo|dice|decia) que me (?:veo|veia|miro|miraba) (?:muy |bien |re )?(?:bien"
        r"|guap[oa]"
        r"|ric[oa]|hermos[oa]|lind[oa]|buen[oa]|sexy)",
        r"(?:me beso|me besa|me besaba|me dio un beso)(?! (?:en la frente|en la mejilla|en el"
        r" cachete))",
        needs=_ADULT_ES,
    ),
]
# fmt: on
