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


# Generalising frames: a SUBSTANCE (wide lexicon, slang included) x a FRAME of coping, habit,
# loss of control, craving or withdrawal.  Any of the substance words alone is not the signal
# ("had a beer at the game"); it is the frame that makes it one.
_SUBST_EN = (
    r"(?:a drink|drinks|drinking|alcohol|liquor|booze|beer|beers|wine|vodka|whiskey|tequila|rum"
    r"|hooch|pruno|the bottle|a bottle|lean|syrup|weed|pot|bud|kush|blunts?|joints?|dabs?|carts?"
    r"|edibles|the pen|pills|percs|xans|bars|oxys?|fent|meth|crystal|ice|coke|crack|dope|heroin"
    r"|k2|spice|molly|acid|shrooms|ketamine|benzos|adderall|mouthwash|a line|lines|a hit|hits"
    r"|a bump|getting high|get high|getting drunk|get drunk|smoking)"
)
_HABIT_EN = (
    r"(?:every (?:single )?(?:day|night|morning|weekend)|everyday|all (?:day|night|weekend|week)"
    r"|daily|nonstop|non stop|before (?:school|work|class|group|court|bed|visits?)|first thing"
    r"|in the morning|again|by myself|alone|in secret|behind (?:their|his|her|staffs?) back"
    r"|more and more|every chance)"
)

# fmt: off
EN: list[Group] = [
    *rules(
        "en", SUBSTANCE, C,
        r"relaps\w*",
        # "zero interest in using again" is a plain denial the negator list does not know
        r"(?<!interest in )(?<!plans of )(?<!intention of )(?<!desire of )"
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
        # someone else's recovery or a documentary is not the speaker's addiction
        r"(?<!recovering )(?<!recovered )(?<!former )addict(?:ed)?(?! to (?:this|that|the|these"
        r"|those|my phone|tiktok|coffee|netflix|chocolate|sugar|candy|chips|anime|games|video"
        r"|\w+ing))",
        r"(?:my|this|the) (?:<w>)?addiction|addiction (?:is|has|got|keeps|took|won|is winning)"
        r"|(?:fighting|struggling with|struggle with|battling) (?:<w>)?addiction",
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
    *rules(
        "en", SUBSTANCE, C,
        # habit and secrecy: "been sipping lean every day", "smoke a blunt before school"
        r"(?:sip|sipping|sipped|drink|drinking|drank|smoke|smoking|smoked|hit|hitting|hittin|pop"
        r"|popping|popped|use|using|used|snort|snorting|taking|take|took|vape|vaping) (?:<w>){0,3}"
        + _SUBST_EN + r" (?:<w>){0,3}" + _HABIT_EN,
        r"(?:been|keep|kept|started|start) (?:sipping|drinking|smoking|hitting|popping|using"
        r"|snorting|getting (?:high|drunk|wasted|faded)) (?:<w>){0,4}" + _HABIT_EN,
        r"(?:been|was|am|i am) (?:using|getting high|getting drunk|getting wasted) (?:<w>){0,2}"
        r"(?:all|every|again|since|a lot|nonstop|more)",
        # coping: "only thing getting me thru", "to get thru lockdown", "so i do not freak out"
        _SUBST_EN + r" (?:<w>){0,5}(?:only (?:thing|way)|(?:getting|gets|get|got|keeping|keeps)"
        r" me (?:thru|through|going|sane|by)|helps? me (?:sleep|cope|forget|relax|calm|not)"
        r"|takes? the edge|numbs?)",
        r"(?:only (?:thing|way)|get(?:ting)? (?:me )?(?:thru|through)|cope|coping|to sleep"
        r"|(?:can|could) sleep|so i (?:do not|dont|can not) (?:freak|think|feel|panic|lose))"
        r" (?:<w>){0,6}(?:if|is|by|when)? ?(?:i )?(?:drink|smoke|get high|use|pop|take (?:a|some)"
        r" (?:pill|pills|xan|perc|hit|drink))",
        r"(?:drink|smoke|use|pop|sip|hit (?:it|the pen)) (?:<w>){0,3}(?:to|so i) (?:get (?:thru"
        r"|through)|do not freak|dont freak|do not panic|not freak|calm|chill|numb|forget|sleep"
        r"|function|deal|cope|survive)",
        # loss of control, craving, withdrawal, being hooked
        r"(?:can not|could not|cant) (?:<w>){0,4}(?:a|one|1|single) (?:day|night) without (?:a"
        r" )?(?:<w>)?" + _SUBST_EN,
        r"(?:can not|could not) (?:quit|stop|control|put down) (?:<w>)?(?:the )?(?:drinking"
        r"|using|smoking|pills|bottle)",
        r"(?:hooked|dependent) on",
        r"(?:crav\w+|urges?|itching|jonesing|fiending|feening) (?:<w>){0,3}(?:to (?:use|drink"
        r"|smoke|get high|get drunk|pick up|hit)|for (?:a |some "
        r"|more )?(?:<w>)?" + _SUBST_EN + r")",
        r"(?:now )?(?:i )?want (?:more|another|one more)(?= \.|$| and| but)",
        r"withdrawals?|dope ?sick|the shakes|(?:shaking|sweating|shaky) (?:<w>){0,3}without",
        r"(?:i|me|need|needs|want|go|going|went|back|get|got|into|to|checked|check) (?:<w>){0,2}"
        r"(?:detox|rehab)",
        # addiction named, relapse in other words
        r"(?:drinking|drug|pill|substance|alcohol|weed|using) problem",
        r"(?:a|my) problem with (?:<w>)?" + _SUBST_EN,
        r"(?:i am|im|i think i am|becoming|turning into|i feel like) (?:<w>)?(?:an? )?(?:alcoholic"
        r"|addict|junkie|crackhead|pillhead|fiend|drunk)",
        r"(?:picked|pick|picking) (?:it )?(?:up|back up) again|(?:had|have|having) a slip"
        r"|(?:i|and|then|that) slipped(?= \.|$| up| again| last| this| yesterday| and| after)",
        # the person who sells: "hit up my plug" (a sponsor is recovery, not risk)
        r"(?:my|the|his|her|a) plug(?! (?:in|is loose|for (?:my |the )?(?:phone|charger|tv)))",
        r"(?:going|went|go|ran|run) (?:<w>)?(?:back )?(?:to|on) (?:the bottle|a binge|a bender"
        r"|the liquor store|the (?:corner|dope) (?:store|house)|the trap)",
        r"binge(?:ing|d)? (?:drinking|on (?:<w>)?" + _SUBST_EN + r")|went on a binge",
        r"(?:tempted|temptation|thinking about|think about|all i think about is|thoughts about)"
        r" (?:<w>)?(?:to )?(?:(?:using|use)(?! (?:it|that|this|them|the|a|an|my|his|her|their)\b)"
        r"|drinking|drink|getting high|get high|getting drunk|picking up|relapsing|the bottle)",
        r"(?:and|then|so|finally|basically) i (?:used|drank|got high|got drunk|smoked|caved)"
        r"(?= \.|$| again| last| yesterday| this| and| after)",
        r"(?:day|days|week|weeks) (?:\w+ )?(?:without|off|no) (?:<w>)?(?:pills|drinking|a drink"
        r"|using|weed|smoking|xans|percs|bars|dope|fent)",
        r"(?:poppin|sippin|hittin|smokin|drinkin|usin) (?:<w>){0,2}(?:bars|xans|percs|lean|pills"
        r"|dope|the pen|every|all|to)",
        r"(?:keep|keeps|kept|been) (?:going back to|reaching for|relying on|depending on"
        r"|leaning on)"
        r" (?:<w>)?" + _SUBST_EN,
        r"(?:smoking|drinking|using|vaping|popping) (?:<w>)?(?:more|way more) than (?:i|before"
        r"|ever|usual)",
        r"(?:drinking|drank|drink|drunk|sipping) (?:<w>)?(?:mouthwash|hand sanitizer|rubbing"
        r" alcohol|cough syrup|nyquil|hooch|pruno|lean)",
        r"(?:got|get|getting|bought|buying|took|taking|stole|stealing) (?:<w>){0,2}(?:some )?"
        r"(?:pills|xans|percs|bars|lean|hooch|k2|spice|fent|dope|meth|coke) (?:from|off) (?:my|a"
        r"|the|some|this)(?! (?:doctor|dr|pharmacy|nurse|psychiatrist|psych|clinic|prescription"
        r"|medicine cabinet))",
        r"(?:did|do|doing) (?:a|some|another) (?:line|lines|bump|hit|shot)(?! of (?:espresso"
        r"|coffee))",
        r"(?:using|drinking|high|drunk|smoking) (?:<w>){0,6}(?:test|ua|drug test|piss test)"
        r"|(?:test|ua|drug test) (?:<w>){0,6}(?:been using|been drinking|been smoking|used|smoked)",
        r"(?:spending|spent|spend|blew|blowing) (?:<w>){0,3}(?:money|check|paycheck|stipend"
        r"|allowance) on (?:<w>)?" + _SUBST_EN,
        r"(?:sober|clean) (?:<w>){0,6}(?:but|and) (?:<w>){0,4}(?:craving|tempted|shaking|struggling"
        r"|want to (?:use|drink)|slipping|about to)",
    ),
    *rules(
        "en", SUBSTANCE, C,
        # Loss of control told with a pronoun ("can't put it down", "need them to sleep"): a
        # substance must be named somewhere in the same text for the pronoun to point at.
        r"(?:can not|could not|do not know how to) (?:<w>)?(?:quit|stop|control|put down|go"
        r" without|do without|function without|sleep without|get through the day without|say no"
        r" to)(?: it| them| that stuff| that shit)",
        r"(?:need|needs|needed) (?:it|them|that stuff|that shit) (?:<w>)?(?:to|just to|so i can|or"
        r" i|every|before)",
        r"(?:shaking|shaky|sick|sweating|sweats|itching|irritable) (?:<w>){0,3}(?:without|when i do"
        r" not have|if i do not have) (?:it|them)",
        r"(?:hitting|smoking|using|sipping|popping|taking|drinking) (?:it|them) (?:<w>){0,3}(?:to"
        r"|so i|just to) (?:get (?:thru|through)|cope|deal|sleep|numb|forget|relax|calm|escape"
        r"|function|not think|not feel)",
        needs=_SUBST_EN + "|" + _DRUG_EN + r"|using|drunk|high",
    ),
    *rules(
        "en", SUBSTANCE, C,
        # the use named as a problem: "my drinking is getting out of hand"
        r"(?:my|the) (?:drinking|using|smoking|pill|drug|weed|habit|partying|use) (?:<w>)?(?:is"
        r"|has|getting|got|been) (?:<w>){0,2}(?:out of hand|out of control|worse|bad|a problem"
        r"|too much|scary|heavy)",
        r"(?:problem|issue|issues|struggle|struggling|struggles) with (?:<w>)?(?:drinking|alcohol"
        r"|drugs|pills|weed|using|booze|liquor|meth|coke|dope|substances)",
        # craving and near-relapse
        r"(?:the |my |these )?(?:cravings|craving|urges to (?:use|drink|smoke"
        r"|get high))"
        # food cravings are not the signal: checked right after the word
        r"(?!(?: \S+){0,4} (?:chocolate|pizza|sweets|sugar|candy|junk food|tacos|snacks|food"
        r"|pregnan\w*|burgers?|fries|ice cream|chips|wings|soda|mcdonalds))"
        r" (?:<w>){0,3}(?:bad|strong|hard|hitting|crazy|intense|again|worse|real|are|is|have been"
        r"|keep)",
        r"(?:sober|clean) (?:<w>){0,6}(?:but|and|then) (?:<w>){0,4}(?:bought|got|picked up|copped"
        r"|used|drank|smoked|have a bottle|holding|called my|texted my|grabbed)",
        # feeling normal only high; use to cope in wider verbs
        r"(?:only|just|can only) (?:<w>){0,4}(?:when|if|after) i (?:am|get|have|got) (?:high|drunk"
        r"|faded|lit|buzzed|wasted|stoned|tipsy|a drink|a hit|smoked|used|drank|some pills)",
        r"(?:pop|pops|popping|popped|taking|take|took|using|use|used|sipping|hitting|vaping|smoking"
        r"|smoke) (?:<w>){0,3}(?:pills|xans|percs|bars|lean|the pen|weed|edibles|something|stuff"
        r"|a lot|more) (?:<w>){0,3}(?:to|so i|just to) (?:deal|cope|numb|forget|sleep|get through"
        r"|not feel|not think|calm|relax|escape|function|feel|stop thinking)",
        r"(?:offered|gave|handed|passed) me (?:<w>){0,3}(?:a pill|pills|a drink|a hit|a blunt|a"
        r" joint|something|a line|a bar|a perc|a xan|some|weed|coke|lean) (?:<w>){0,6}(?:and i|i)"
        r" (?:took|smoked|drank|tried|said yes|did|hit|popped)",
    ),
    *rules(
        "en", SUBSTANCE, C,
        # a hard drug used in the first person, in any tense and with any words between
        r"(?:used|using|did|doing|took|taking|popped|popping|smoked|smoking|snorted|snorting|shot"
        r"|shooting|bought|buying|copped|copping|tried|hit|hitting) (?:<w>){0,3}(?:meth|crack"
        r"|cocaine|heroin|fent|fentanyl|percs|percocets?|oxys?|oxycontin|xans|ecstasy|k2|benzos"
        r"|ketamine|shrooms|acid(?! reflux)|opioids|roxys?|norcos?|dilaudid)"
        # a prescription taken as prescribed, or treatment (suboxone, methadone), is not a risk
        r"(?!(?: \S+){0,5} (?:as prescribed|prescribed|prescription|from (?:my|the) doctor"
        r"|the doctor gave))",
        # amounts and binges: a whole fifth, till i pass out
        r"(?:drank|drinking|drink|finished|killed|downed|chugged) (?:<w>){0,2}(?:whole|entire|full)"
        r" (?:bottle|fifth|pint|handle|case|12 pack|30 rack|box of wine)",
        r"(?:a|whole|entire) (?:fifth|pint|handle|bottle) (?:<w>){0,5}(?:by myself|alone|a day"
        r"|every night|every day|last night)",
        r"(?:drink|drank|drinking|smoke|smoking|use|using|get|got) (?:<w>)?(?:till|until|til|to the"
        r" point) (?:i )?(?:pass out|passed out|black out|blacked out|can not|forget|puke|throw up"
        r"|threw up)",
        r"(?:drinking|smoking|using|drink|smoke|use|popping) (?:<w>)?(?:more and more|more every"
        r" (?:day|week)|more each)",
        # coping named the other way round: "what gets me thru is a couple shots"
        r"(?:only thing|only way|all that|what) (?:<w>){0,2}(?:gets|keeps|got"
        r"|helps) me (?:<w>){0,5}"
        r"(?:is|are) (?:<w>){0,3}(?:shots|a shot|drinks|a drink|liquor|booze|weed|pills|a blunt"
        r"|getting high|getting drunk|the bottle|lean|xans|percs)",
        # near-relapse, relapse in other words
        r"(?:offering|offered|offers|offer) me (?:<w>){0,3}(?:stuff|something|pills|weed|a hit"
        r"|drugs|a drink|a blunt|some|a line|coke|lean) (?:<w>){0,6}(?:almost|nearly|wanted to"
        r"|about to|want to) (?:said yes|say yes|took|take|took it|take it|did|do it)",
        r"(?:clean|sober) (?:<w>){0,5}(?:and|but) (?:i )?(?:blew it|messed up"
        r"|threw it (?:all )?away"
        r"|screwed up|fell off|ruined it|lost it)",
    ),
    *rules(
        "en", SUBSTANCE, C,
        r"(?:do not|dont) know how to (?:stop|quit) (?:drinking|using|smoking|getting high|taking"
        r" (?:pills|them|it))",
        negatable=False,
    ),
    *rules(
        "en", SUBSTANCE, C,
        # "first time in 8 months" counts only when the text says what was used
        r"(?:first time in|after) (?:<w>)?(?:\d+|a|two|three|four|five|six|seven|eight|nine|ten"
        r"|eleven|twelve|a few|a couple) (?:days|weeks|months|years)(?: (?:clean|sober))?",
        needs=r"(?:used|drank|got high|got drunk|smoked|relapsed|picked up|using|drinking|a drink"
        r"|pills|high)",
    ),
    *rules(
        "en", SUBSTANCE, C,
        # misuse of medicine: extra, doubled, more than prescribed
        r"(?:taking|took|take|popping|popped|pop) (?:<w>)?(?:extra|double|a few extra|too many"
        r"|more)"
        r" (?:of )?(?:my )?(?:<w>)?(?:meds|pills|medication|xanax|adderall|seroquel|klonopin"
        r"|gabapentin|anxiety meds|sleeping pills|painkillers)",
        r"more than (?:prescribed|i am supposed to|im supposed to|the doctor (?:said|told me))",
        # missing the high; blackouts; nicotine that has taken over
        r"(?:how good|how nice|how easy) (?:<w>){0,3}(?:it felt|it feels|to be|being|it was to be)"
        r" (?:<w>)?(?:high|drunk|faded|buzzed|numb|lit)",
        r"(?:miss|missing) (?:being|getting) (?:high|drunk|faded|lit|wasted|stoned)|(?:miss"
        r"|missing)"
        r" (?:the|my) (?:pills|weed|drinking|bottle|high|liquor|percs|xans)",
        r"(?:vape|vaping|juul|nicotine|cigarettes|cigs|pod) (?:<w>){0,3}(?:every (?:hour|morning"
        r"|chance)|all day|nonstop|a pod a day|pod a day|can not stop)",
        r"(?:can not|could not) stop (?:vaping|smoking cigarettes|hitting my vape)",
    ),
    *rules(
        "en", SUBSTANCE, C,
        # a near-relapse place or a dirty test, told next to recovery or testing
        r"(?:standing|sitting|parked|outside|in front of|drove (?:past|by)|walked (?:past|by)"
        r"|went to|ended up at) (?:<w>){0,3}(?:the |a |my old )?(?:liquor store|bar|trap|trap house"
        r"|dope house|plugs house|dealers house|corner store|old block)",
        r"(?:be|come up|test|testing|pop|popping|popped|going to be|gonna be|will be) (?:<w>)?"
        r"(?:dirty|hot)(?= \.|$| for| on| at| and| but| if| when)",
        r"(?:harder|hard|so hard) to say no",
        r"(?:do not|can not|not|without|barely) (?:remember|remembering) (?:how i got (?:home"
        r"|back)|last night|what happened last"
        r" night|most of (?:last night|the night|the weekend))",
        needs=r"sober|clean|sponsor|relaps\w*|meeting|meetings|craving\w*|recovery|ua|drug test"
        r"|piss test|drop|po|probation|parole|pills|weed|drinking|using|drugs|bottle|high|drunk"
        r"|drank|wasted|faded|shots|liquor|vodka|blacked out",
    ),
    *rules(
        "en", SUBSTANCE, C,
        # slang states told as a habit or a way to forget
        r"(?:been|was|got|stay|staying|getting|get|keep getting) (?:so |hella |mad )?(?:geeked"
        r"|faded|zooted|tweaking|tweakin|blasted|nodding|nodding off"
        r"|leaned) (?:<w>){0,3}(?:all (?:week|day|night|weekend)|every (?:night|day"
        r"|morning)|again|since|just to|to forget|to cope|to numb)",
        r"(?:got|get|getting) lit (?:every night|every day|all week|just to|to forget|to cope)",
        r"(?:fiending|feening|fiendin|jonesing) (?:so |real |hella |mad )?(?:bad|hard|crazy)",
        # trading for pills; pills got off someone
        r"(?:trading|traded|trade|selling|sold|swapping|swapped) (?:<w>)?(?:my )?(?:commissary"
        r"|food|trays?|clothes|shoes|meds|phone|stuff) (?:for|to get) (?:<w>)?(?:pills|dope|weed|k2"
        r"|spice|strips|bupe|subs|xans|percs|lean|liquor|hooch)",
        r"(?:pills|xans|percs|bars|strips|subs|bupe) (?:<w>){0,2}(?:i )?(?:got|bought|copped|took)"
        r" (?:off|from) (?:a|some|this|that|my) (?:dude|guy|kid|girl|cellie|bunkie|homie|friend"
        r"|roommate|somebody)",
    ),
    *rules(
        "en", SUBSTANCE, C,
        r"(?:been|keep|kept|started|i am|am|was) (?:doing|taking|using|smoking|snorting|hitting"
        r"|popping) (?:them|it|those|that stuff)",
        needs=r"strips|k2|spice|paper|bupe|subs|pills|dope|xans|percs|weed|vape|pen|lean|hooch",
    ),
]


_SUBST_ES = (
    r"(?:alcohol|botella|trago|tragos|cerveza|cervezas|chela|chelas|birra|birras|caguama|vino"
    r"|licor|guaro|aguardiente|ron|pisto|chupe|mota|marihuana|porro|porros|faso|canuto|petas"
    r"|hierba|yerba|perico|coca|merca|farlopa|polvo|pasta base|paco|crack|piedra|cristal|foco"
    r"|pastillas|pepas|ruedas|rivotril|clonazepam|xanax|lean|droga|drogas|fentanilo|tusi"
    r"|cemento|activo|thinner|solvente|bebida|la bebida|vicio|el vicio)"
)
_VERB_ES = (
    r"(?:bebo|bebiendo|beber|tomo|tomando|tomar|chupo|chupando|chupar|pisteo|pisteando|fumo"
    r"|fumando|fumar|me fumo|me fume|consumo|consumiendo|consumir|uso|usando|me meto|meterme"
    r"|me drogo|drogandome|me empedo|me emborracho|me pongo)"
)

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
    *rules(
        "es", SUBSTANCE, C,
        # habit, secrecy, loss of control, craving, withdrawal
        _VERB_ES + r" (?:<w>){0,3}(?:a escondidas|todos los dias|todas las noches|cada (?:dia"
        r"|noche|manana|rato)|diario|a diario|sol[oa] en|desde (?:que|la manana)|antes de (?:la"
        r" escuela|clase|ir|trabajar|dormir))",
        r"(?:no puedo|no consigo|no logro|ya no se) (?:<w>){0,2}(?:dejar|parar|controlar|soltar)"
        r"(?:lo|la|los|las)? de (?:tomar|beber|fumar|consumir|usar|drogarme)",
        r"(?:no puedo|no consigo|no aguanto) (?:<w>){0,3}(?:un dia|una noche|dormir|pasar"
        r" (?:el|un) dia|estar) sin (?:<w>)?" + _SUBST_ES,
        r"sin (?:la |el |las |los |mi |mis )?" + _SUBST_ES + r" (?:<w>){0,2}no (?:puedo|duermo"
        r"|aguanto|funciono)",
        r"(?:vuelto|volvi|volvio) a (?:enganchar|caer|recaer|engancharme|las andadas)",
        r"enganch\w+ (?:a|con) (?:<w>)?(?:los|las|la|el)? ?" + _SUBST_ES,
        r"(?:tengo|con|siento|me dio|me da) (?:<w>)?(?:el )?(?:mono|abstinencia|ansiedad de"
        r" consumir)",
        r"(?:dias|semanas|meses) sin (?:beber|tomar|consumir|fumar|usar) (?:<w>){0,3}(?:y|pero)"
        r" (?:<w>){0,3}(?:temblando|tiemblo|ganas|voy a caer|a punto|me muero por|sudando)",
        r"(?:gastando|gaste|gasto|me gasto|me gaste|me estoy gastando) (?:<w>){0,4}en (?:<w>)?"
        + _SUBST_ES,
        r"(?:escondo|guardo|escondi|guarde) (?:<w>)?(?:la|una|las) (?:botella|botellas|pastillas"
        r"|mota|droga)",
        r"(?:necesito|ocupo) (?:<w>)?(?:tomar|beber|fumar|un trago|una chela|algo) (?:<w>){0,3}"
        r"(?:para|pa) (?:poder )?(?:dormir|aguantar|calmarme|olvidar|no pensar|funcionar)",
        _SUBST_ES + r" (?:<w>){0,4}(?:lo unico que|es lo unico|me ayuda a|pa aguantar|para"
        r" aguantar|para sobrevivir|pa sobrevivir)",
        r"(?:un|mi) problema (?:con|de) (?:el |la |las |los )?(?:<w>)?" + _SUBST_ES,
        r"(?:soy|me volvi|me estoy volviendo|creo que soy) (?:un |una )?(?:alcoholic[oa]|adict[oa]"
        r"|borrach[oa]|drogadict[oa]|vicios[oa])",
        r"(?:estoy|ando|andaba|anda|sigo) (?:<w>)?(?:tomando|bebiendo|chupando|pisteando|fumando"
        r"|consumiendo|metiendo|metiendome|drogandome) (?:<w>){0,2}(?:mucho|demasiado|diario|cada"
        r"|otra vez|de nuevo|para|pa|pastillas|perico|coca|mota|cristal|todos)",
        r"(?:me meto|me meti|metiendome|metiendo|me estoy metiendo) (?:<w>)?" + _SUBST_ES,
        r"(?:dandole|dando|le doy|le di|le estoy dando) (?:<w>)?(?:duro |mucho )?(?:al"
        r"|a la) (?:trago"
        r"|botella|chupe|pisto|mota|perico|droga|bebida|vicio)",
        r"(?:limpi[oa]|sobri[oa]|sin consumir|sin tomar) (?:<w>){0,3}(?:pero|y) (?:<w>){0,3}(?:casi"
        r"|ganas|me cuesta|tentad[oa]|a punto)",
        r"(?:centro de )?(?:rehabilitacion|desintoxicacion|anexo)(?! (?:de mi|del|de la))",
        r"(?:mi|el|su|al|con el) (?:dealer|conecte|transa|puntero)(?! (?:de bautizo|de boda))",
    ),
    *rules(
        "es", SUBSTANCE, C,
        # Loss of control told with a pronoun ("no puedo dejarlo", "sin eso no duermo"): a
        # substance must be named somewhere in the same text.
        r"(?:no puedo|no consigo|no logro|ya no se como|no se como) (?:<w>)?(?:dejarl[oa]s?|parar"
        r"l[oa]s?|controlarl[oa]s?|soltarl[oa]s?|vivir sin (?:eso|ella|ellas|el)|estar sin (?:eso"
        r"|ella|ellas|el))",
        r"sin (?:eso|ella|ellas|ellos) (?:<w>)?no (?:puedo|duermo|aguanto|funciono|soy nada)",
        r"(?:lo|la|las|los) necesito (?:<w>)?(?:para|pa|cada|todos|diario)",
        needs=_SUBST_ES + r"|tomar|tomando|beber|bebiendo|fumar|fumando|drogas?|drogarme",
    ),
    *rules(
        "es", SUBSTANCE, C,
        r"(?:tome|bebi|fume|consumi|chupe|pistie|me meti|me puse) (?:<w>){0,3}(?:otra vez|de nuevo"
        r"|demasiado|de mas|hasta perderme|hasta no acordarme|hasta caerme|hasta perder)",
        r"(?:no puedo|no consigo|no logro|ya no puedo) (?:<w>)?(?:dejar|soltar|parar|controlar)"
        r" (?:el |la |las |los |de )?" + _SUBST_ES,
        r"(?:otra vez|de nuevo|ya volvi|volvi) (?:con|a) (?:el |la |las |los )?" + _SUBST_ES,
        r"(?:limpi[oa]|sobri[oa]|sin tomar|sin consumir|sin fumar) (?:<w>){0,4}(?:pero|y)"
        r" (?:<w>){0,3}(?:compre|consegui|tengo|agarre|tome|fume|me meti|llame|le escribi)",
        r"(?:solo|nomas|nada mas) (?:<w>){0,3}(?:cuando|si) (?:estoy|ando|me pongo) (?:<w>)?"
        r"(?:pedo|borrach[oa]|high|drogad[oa]|marihuan\w*|pach\w*|bien puest[oa])",
        r"(?:mi|el) (?:problema|tema) (?:con|de) (?:la |el )?(?:tomar|beber|bebida|alcohol|drogas"
        r"|pastillas|mota)",
    ),
    *rules(
        "es", SUBSTANCE, C,
        r"(?:echando|echo|me echo|me eche|tomando|tomo|me tomo|me estoy tomando|bebiendo|bebo)"
        r" (?:<w>){0,2}(?:unas |una |un |mis )?(?:chelas?|cervezas?|caguamas?|tragos?|copas?"
        r"|botellas?|pastillas|shots?|caballitos) (?:<w>){0,2}(?:diario|al dia|todos los dias"
        r"|cada (?:dia|noche)|todas las noches|a escondidas|sol[oa]|en la manana|para|pa)",
        r"(?:ando|estoy|andaba|anda|vivo|paso|me la paso|sigo) (?:<w>)?(?:bien |muy |re )?"
        r"(?:pacheco|pacheca|marihuan[oa]|high|pedo|peda|borrach[oa]|drogad[oa]|puest[oa]|pasad[oa]"
        r"|servid[oa]|volad[oa]|en el viaje|empastillad[oa]) (?:<w>){0,3}(?:todo el dia|todos los"
        r" dias|diario|siempre|cada|desde|otra vez|de nuevo)",
        r"(?:no he podido|no pude|no he logrado|no logro|no consigo) (?:<w>)?dejar (?:el |la |las"
        r" |los |de )?" + _SUBST_ES,
        r"(?:ganas|antojo|necesidad) de (?:<w>)?(?:ponerme (?:pedo|high|bien|hasta atras"
        r"|borrach[oa]|pacheco)|drogarme|emborracharme|pistear|chupar|echarme (?:unas|una|un))",
        r"(?:botella|caguama|six|cartera|litro|pomo|pachita) (?:<w>)?(?:al dia|diaria|diario|cada"
        r" dia|cada noche|por dia|por noche)",
        r"(?:tomo|bebo|fumo|consumo|uso|me drogo|tomando|bebiendo|fumando|consumiendo) (?:<w>)?cada"
        r" vez mas",
        r"me (?:ofrece|ofrecen|ofrecio|ofrecieron) (?:<w>){0,2}" + _SUBST_ES + r" (?:<w>){0,5}"
        r"(?:casi|ya casi|por poco|estuve a punto de|a punto de) (?:<w>)?(?:le digo que si|digo"
        r" que si|acepto|agarro|le entro|caigo)",
    ),
    *rules(
        "es", SUBSTANCE, C,
        r"(?:pastillas|medicinas|medicamento|clonazepam|rivotril|medicina|dosis) (?:<w>)?(?:de mas"
        r"|doble|mas de la cuenta|mas de lo que)",
        r"extrano (?:<w>)?(?:estar|ponerme|andar) (?:<w>)?(?:pedo|high|pacheco|borrach[oa]"
        r"|drogad[oa]|puest[oa])|extrano (?:la|el|las) (?:mota|cristal|perico|trago|pisto|alcohol"
        r"|droga|pastillas|piedra)",
        r"no me acuerdo (?:<w>)?(?:como llegue|de (?:anoche|nada de anoche|lo que paso anoche))",
        r"(?:parad[oa]|afuera|enfrente) (?:<w>){0,3}(?:de la|del|de una) (?:cantina|bar|licoreria"
        r"|tienda de vinos|casa del dealer)",
    ),
    *rules(
        "es", SUBSTANCE, C,
        r"(?:cambiando|cambio|cambie) (?:<w>)?(?:mi |la |mis |las )?(?:comida|ropa|tenis|cosas"
        r"|tarjeta|bandeja|charola) por (?:pastillas|droga|mota|cristal|piedra|perico|chochos)",
        r"(?:pa|para) (?:no pensar|olvidar|aguantar|no sentir) (?:<w>){0,3}(?:me la paso|ando|estoy"
        r"|me pongo|vivo) (?:<w>)?(?:bien |muy |re )?(?:pacheco|marihuan[oa]|pedo|borrach[oa]"
        r"|drogad[oa]|high|puest[oa]|pasad[oa])",
        r"(?:me echo|me eche|echarme|me doy|me di|me aviento) (?:un |una )?(?:toque|toquecito|porro"
        r"|churro|gallo|trago|pase|jalon|raya) (?:<w>){0,3}(?:cada|diario|todos los dias|siempre"
        r"|para|pa|cuando)",
    ),
]
# fmt: on
