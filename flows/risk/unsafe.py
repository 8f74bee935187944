"""Feeling unsafe, afraid of someone, threatened in the past days, being followed or watched.

Present, imminent threats of violence are hurt_or_threatened (harm.py, urgent); this module holds
the concern-level situations: fear, a threat reported after the fact ("said he'd mess me up last
week", "me dijo que me iba a hacer algo"), being followed, watched, looked for, warned to watch
one's back, a room that does not lock.

Each pattern runs against the canonical text (flows/risk/normalise.py): lower case, no accents,
single spaces, contractions expanded ("i do not want to"), "." for punctuation.  Both languages'
groups always run (people mix languages).
"""

from __future__ import annotations

from flows.levels import Level
from flows.risk.categories import UNSAFE
from flows.risk.lexicon import FAMILY_EN, FAMILY_ES, PERSON_EN, PERSON_ES, Group, rules

C = Level.CONCERN

# Someone else's fear is a concern only when a person is what they fear: "she's afraid of him",
# "le tiene miedo a su padrastro", not "scared of spiders", "miedo al examen". So the patterns
# for another person's fear (a mentor writing about his mentee) name a person as the object.
_PEOPLE_EN = (
    rf"(?:{PERSON_EN}s?|{FAMILY_EN}s?|officers|guards|men|women|woman|person|inmates?|peers?"
    r"|bunkie|bunkmate|celly|ex|husband|wife|gang|older (?:kids|boys|girls|guys))"
)
# "her" alone is the person ("afraid of her."), "her test" is not.
_HER_ALONE = (
    r"her(?= \.|$| (?:and|but|so|because|bc|cause|since|now|lately|too|after|when|again|or"
    r"|though|ever|anymore|at all|a lot|all the time|right now))"
)
_FEARED_EN = (
    rf"(?:him|them|{_HER_ALONE}|(?:someone|somebody|anyone|anybody|people)(?! (?:finding out"
    r"|seeing|judging|noticing|knowing|reading|laughing|thinking|looking at (?:her|his|my|their)"
    r" (?:grades|work|art|phone)))"
    r"|(?:his|her|their|my|the|a|an|one of (?:the|his|her|their|my)|some|that|this|those|these"
    rf"|another|other) (?:<w>){{0,2}}{_PEOPLE_EN})"
)
_PEOPLE_ES = (
    rf"(?:{PERSON_ES}(?:s|es)?|{FAMILY_ES}|internos?|reos?|muchach[oa]s?|chic[oa]s?|personas?"
    r"|gente|mujer(?:es)?|vecin[oa]s?|espos[oa]|ex|pareja|pandilla|banda|custodios|oficiales"
    r"|guardias|celadores)"
)
# "el" alone is "él" once accents are folded ("miedo a el."), "el examen" is not.
_EL_ALONE = r"(?:ella|ellas|ellos|el(?= \.|$| (?:y|pero|porque|desde|ahora|ya|todavia|aun)))"
_FEARED_ES = (
    rf"(?:(?:de|a) (?:alguien|{_EL_ALONE}|(?:su|sus|el|la|los|las|un|una|unos|unas|ese|esa|esos"
    rf"|esas|este|esta|estos|estas|otro|otra|otros|otras|uno de los|una de las) (?:<w>){{0,2}}"
    rf"{_PEOPLE_ES})|(?:del|al) (?:<w>){{0,2}}{_PEOPLE_ES})"
)

# fmt: off
EN: list[Group] = [
    *rules(
        "en", UNSAFE, C,
        # the speaker is afraid ("my dog is scared of thunder" is not a risk)
        r"(?:^|i|am|get|got|feel|felt|feeling|getting|been|still|me) (?:<w>){0,2}(?:scared"
        r"|terrified|frightened|petrified|fearful|creeped out|freaked out|spooked|afraid(?! (?:i"
        r"|that|so|not|we|you|it)\b))",
        # of a person (below), not "of the dark" / "of the test"
        r"(?:scared|terrified|afraid|frightened) (?:of (?:what|going back|everyone here)|to"
        r" (?:go|be|leave|sleep|walk|tell|say)|(?:he|she|they) (?:will|would|might|is going to))",
        r"scares me|(?:that|it|he|she|they|this) (?:<w>)?(?:scares|terrifies|frightens) me",
        # afraid of a person, whoever is afraid ("my mentee seems scared of someone on the unit")
        r"(?:is|are|was|were|seems?|seemed|looks?|looked|acts?|acted|sounds?|sounded|been|gets?"
        r"|got|getting|stays?) (?:<w>){0,2}(?:scared|afraid|terrified|frightened|petrified"
        rf"|fearful) of {_FEARED_EN}",
        rf"(?:scared|afraid|terrified|frightened) (?:to death )?of {_FEARED_EN}",
        rf"(?:he|she|they|someone|somebody|(?:his|her|their|the|a|some|that|this|one of the"
        rf"|another) (?:<w>){{0,2}}{_PEOPLE_EN}) (?:<w>){{0,3}}(?:scares|terrifies|frightens"
        r"|keeps scaring|keeps threatening) (?:him|her|them|my mentee)",
        r"unsafe", r"in danger", r"fear for my (?:life|safety)",
        # followed, watched, stalked, looked for
        r"(?:follow|follows|followed|following) me",
        r"(?:being|been|am|get|getting|feel|feeling) (?:<w>)?(?:followed|watched|stalked"
        r"|targeted|hunted)",
        r"stalk(?:s|ed|ing|er)?",
        r"(?:keeps?|kept|is|was|been) (?:<w>)?(?:waiting|watching|parked|standing|hanging around"
        r"|showing up|lurking) (?:<w>){0,2}(?:by|outside|at|near|for|around) (?:my|me)",
        r"(?:same|a|this|that) (?:car|van|truck|guy|man|dude) (?:<w>){0,2}(?:outside|parked by"
        r"|following|circling|waiting)",
        r"(?:know|knows|found out|figured out|asking) (?:<w>)?(?:where i (?:stay|live|sleep|am"
        r"|work|go to school)|what (?:shelter|room|unit|house|school) i)",
        r"(?:keeps|kept) (?:<w>)?(?:calling and hanging up|calling me from)",
        # threats reported after the fact, warnings
        r"(?:watch|watching) my back|(?:snitches|snitch) get stitches",
        r"(?:said|says|told me|threatened|swore) (?:<w>){0,2}(?:he|she|they|hed|shed|theyd|he would"
        r"|she would|they would|he will|she will|they will|hell|shell|theyll|i would|i will)"
        r" (?:<w>)?(?:mess me up|get me|jump me|beat me|hurt me|do something to me|come for me"
        r"|fuck me up|end me|find me|catch me|see me|get at me|pop me|handle me|deal with me)",
        r"(?:something|somethin)s? (?:<w>)?(?:is going to|going to|will|bad will|is about to)"
        r" happen to me",
        r"(?:is|are) (?:<w>)?(?:coming|out) (?:<w>)?(?:for|to get) me",
        r"(?:got|have|has) (?:<w>)?(?:a )?(?:history|beef|bad blood) with (?:me"
        r"|him|them|this guy|that guy|someone)",
        r"(?:we|i) (?:got|have|had) (?:<w>)?(?:history|beef)",
        r"(?:threatened|threatening) me (?:<w>){0,3}(?:last|yesterday|the other|this|over)",
        r"nobody (?:here )?has my back",
        r"(?:i am|im|you are) (?:going to|gonna) get (?:it|got|what is coming)",
        r"next time (?:he|she|they) (?:sees|see|catch|catches|finds|find) me",
        r"(?:i am|im|you are|he is|she is) dead meat",
        r"(?:leaving|left|leaves|slid|slipped|sent|sends) (?:<w>){0,2}(?:notes?|messages?|letters?)"
        r" (?:<w>){0,4}(?:saying|that said|that says|threatening|telling me)",
        # a room or bed that is not safe
        r"(?:lock|door) (?:<w>){0,4}(?:broken|does not lock|will not lock|can not lock|busted)",
        r"(?:people|someone|somebody|he|they) (?:<w>)?(?:keep|keeps|kept) (?:<w>)?(?:coming|walking"
        r"|getting) in(?:to)? (?:my|the) (?:room|cell|bunk|space)",
        r"(?:coming|walking) in(?:to)? my room at night",
        r"sleep(?:ing)? with (?:my )?(?:shoes|clothes|a knife|one eye|the light) on",
        r"sleep(?:ing)? with one eye open",
        r"in case i (?:need|have) to (?:leave|run|get out)",
        r"(?:jumpy|on edge|paranoid|nervous) (?:<w>){0,3}(?:all the time|every time|around him"
        r"|around them|since)",
        r"look(?:ing)? over my shoulder",
    ),
    *rules(
        "en", UNSAFE, C,
        r"(?:not|never) (?:<w>)?(?:feel|feeling|felt) (?:<w>)?safe",
        r"not safe", r"no (?:safe place|where safe|one to protect me)",
        r"(?:can not|could not) (?:stop thinking|sleep) (?:<w>){0,3}(?:about )?(?:what (?:he|she"
        r"|they) said|the threat)",
        negatable=False,
    ),
    *rules(
        "en", UNSAFE, C,
        # a threat in any medium; being watched or turned up on; a door tried at night
        r"(?:threatening|threatened|threats|scary|creepy|nasty|weird) (?:<w>)?(?:voicemails?"
        r"|messages?|texts?|calls?|notes?|letters?|dms?|comments?|emails?|kites?)",
        r"(?:saying|said|says|telling me|told me|wrote|writes) (?:that )?(?:they are|theyre|he is"
        r"|she is|they were|he was|she was|someone is|somebody is|i am being|im being)"
        r" (?:<w>)?(?:watching|following|coming for|looking for|after|tracking) me",
        r"(?:feel|feels|feeling|felt) like (?:someone|somebody|people|they|he|she) (?:is|are|was"
        r"|were) (?:<w>)?(?:watching|following|after|out to get|looking for|tracking) me",
        r"(?:someone|somebody|they|a guy|a man|people) (?:is|are|was|were|keeps|keep) (?:<w>)?"
        r"(?:watching|following|tracking) me",
        r"(?:keeps?|kept) (?:<w>)?(?:showing up|popping up|turning up|appearing) (?:<w>){0,2}"
        r"(?:wherever|everywhere|where|at|outside|by) (?:i|my|me)",
        r"(?:keeps?|kept|been|is|was) (?:<w>)?(?:driving|walking|coming|riding|cruising|parking)"
        r" (?:by|past|around|outside) my (?:house|place|job|work|school|room|unit|apartment"
        r"|building|window|block|street)",
        r"(?:said|says|told me|threatened|swore|yelled|warned|promised) (?:me )?(?:that )?(?:he|she"
        r"|they|hed|shed|theyd|hell|shell|theyll|he is|she is|they are|he was|she was|they were"
        r"|he would|she would|they would|he will|she will|they will) (?:<w>)?(?:going to |gonna"
        r" |about to )?(?:get me|make my life|make me pay|make me regret|get even|get back at me"
        r"|jump me|stab me|shank me|hurt me|beat me|mess me up|find me|come for me|come after me"
        r"|handle me|get at me|catch me|pop me|slide on me|run up on me|see me)",
        r"(?:i will|i am going to|you will|you are going to|you gonna|i would) (?:<w>)?(?:get what"
        r" (?:<w>){0,2}got|end up like (?:my|him|her|the last|them))",
        r"(?:said|told me|says|yelled|whispered|goes|wrote) (?:<w>){0,2}(?:see|catch) (?:you|ya"
        r"|me) (?:outside|on the (?:yard|block|street|tier)|in the yard|when (?:you|i) get out"
        r"|after (?:count|group|chow|school|lights out))",
        r"(?:trying|tried|tries|jiggling|jiggled|rattling|rattled|twisting|turning) (?:<w>)?(?:my"
        r" |the )?(?:door|door handle|doorknob|knob|window|lock)(?: \S+){0,4} (?:at night|am|last"
        r" night|midnight|every night|in the middle of the night|while i)",
        r"(?:banging on|pounding on|knocking on|kicking on) my (?:door"
        r"|window) (?:<w>){0,3}(?:at night|am"
        r"|last night|midnight|every night|in the middle of the night)",
        r"(?:blocked|private|unknown|restricted|random|no caller id) (?:number|numbers|caller"
        r"|calls?) (?:<w>){0,5}(?:breathing|hang up|hangs up|hanging up|keeps|every|again"
        r"|calling|saying|threat\w*)|(?:just|only) breathing",
        r"the (?:guy|dude|man|woman|girl|person|one|people|ones|lady) (?:who|that) (?:robbed|jumped"
        r"|attacked|assaulted|hurt|shot|stabbed|beat up|raped|molested|threatened|stalked) me"
        r" (?:<w>){0,5}(?:is out|got out|is back|was seen|is around|lives|moved|on my (?:block"
        r"|street)|around here|released|free|came back)",
        r"(?:nervous|anxious|uneasy|scared|afraid|terrified) to (?:sleep|be alone|go to sleep"
        r"|shower|go back|be in (?:my|the) (?:room|cell|unit|house)|go home|go outside|leave my"
        r" (?:room|cell|house)) (?:<w>){0,3}(?:with|around|near) (?:him|her|them|my|the|that|this)",
        r"(?:watching|watch|look|looking|checking|peek|peeking) (?:<w>)?(?:out|through) (?:the|my)"
        r" (?:window|blinds|peephole) (?:<w>){0,3}(?:every|all|constantly|at night|since)",
    ),
    *rules(
        "en", UNSAFE, C,
        r"(?:keyed|slashed|smashed|broke into|tagged|vandalized|trashed) my (?:car|tires|window"
        r"|room|door|place|locker) (?:<w>){0,6}(?:note|message|my name|threat|again|last night)",
        r"(?:gang member|gang|set|somebody from|someone from|people from|dudes from|guys from)"
        r" (?:<w>){0,3}(?:been|is|are|keep|keeps|was|were) (?:asking|looking|checking) (?:about"
        r"|for)"
        r" me",
    ),
]

ES: list[Group] = [
    *rules(
        "es", UNSAFE, C,
        r"tengo (?:<w>)?(?:miedo|panico|terror|pavor)",
        r"me (?:da|dan|daba|dio) (?:<w>)?(?:miedo|panico|terror|pavor|cosa)",
        r"me (?:asusta|asustan|aterra|aterran)",
        r"me siento (?:<w>)?(?:insegur[oa]|en peligro|amenazad[oa]|vigilad[oa]|acosad[oa]"
        r"|perseguid[oa])",
        r"estoy (?:<w>)?(?:asustad[oa]|aterrad[oa]|aterrorizad[oa]|en peligro)",
        # someone else is afraid of a person ("mi mentee le tiene miedo a su companero")
        r"(?:tiene|tienen|tenia|tenian|tuvo|agarro|agarraron|le da|les da|le dan|le daba"
        rf"|le dio) (?:<w>)?(?:miedo|panico|terror|pavor) {_FEARED_ES}",
        r"(?:le|les) (?:da|dan|daba|daban|dio) (?:<w>)?(?:miedo|panico|terror|pavor) (?:su|sus|el"
        rf"|la|los|las|ese|esa|esos|esas|este|esta|un|una|otro|otra) (?:<w>){{0,2}}{_PEOPLE_ES}",
        rf"(?:alguien|(?:su|sus|el|la|los|las|un|una|ese|esa|este|esta|otro|otra) (?:<w>){{0,2}}"
        rf"{_PEOPLE_ES}) (?:<w>){{0,3}}(?:lo|la|los|las|le|les) (?:asusta|asustan|aterra|aterran"
        r"|sigue amenazando|siguen amenazando|tiene asustad[oa]|tienen asustad[oa]"
        r"|trae asustad[oa]|traen asustad[oa])",
        r"(?:anda|andan|andaba|esta|estan|estaba|se ve|se veia|se le ve|parece|parecia|se nota"
        r"|lo veo|la veo|lo vi|la vi|lo note|la note|sigue|vive) (?:<w>)?(?:muy )?(?:asustad[oa]s?"
        r"|aterrad[oa]s?|aterrorizad[oa]s?|espantad[oa]s?|atemorizad[oa]s?|con miedo)"
        rf" (?:(?:por|con) (?:alguien|{_EL_ALONE}|(?:su|sus|el|la|los|las|un|una|ese|esa|este"
        rf"|esta|otro|otra) (?:<w>){{0,2}}{_PEOPLE_ES})|{_FEARED_ES})",
        # followed, watched, looked for
        r"me (?:sigue|siguen|siguio|siguieron|seguia|seguian|vienen siguiendo|viene siguiendo"
        r"|estuvo siguiendo|estuvieron siguiendo|esta siguiendo|estan siguiendo|anda siguiendo"
        r"|andan siguiendo)(?! (?:en (?:insta|tiktok|twitter|face)|la corriente|el juego))",
        r"me (?:vigila|vigilan|acosa|acosan|acecha|acechan|espian|espia)",
        r"me (?:estan|esta|andan|anda) (?:buscando|vigilando|cazando|esperando)",
        r"me (?:tiene|tienen|traen|trae) (?:<w>)?(?:checad[oa]|fichad[oa]|en la mira|bronca|tirria"
        r"|ganas|coraje|entre ojos|azorrillad[oa])",
        r"saben (?:<w>)?donde (?:vivo|estoy|duermo|me quedo)",
        # threats reported after the fact, warnings
        r"(?:me dijo|me dijeron|dijo|dijeron|me amenazo|me amenazaron) (?:<w>)?que (?:me (?:iba"
        r"|iban"
        r"|va|van) a (?:hacer algo|partir|romper|madrear|chingar|dar|buscar|encontrar|levantar"
        r"|desaparecer|tronar|agarrar"
        r"|quebrar|cargar|picar)|me cuid(?:e|ara|aras|es)|mejor no (?:bajara|saliera|fuera|vaya"
        r"|salga|baje))",
        r"(?:me (?:iba|iban|va|van) a|me quieren|me quiere) (?:<w>)?(?:hacer algo|partir la madre"
        r"|romper la madre|partir la cara|romper la cara|chingar|quebrar|cargar el payaso)",
        r"(?:algo|algo malo) me va a pasar",
        r"(?:que )?me cuide(?:s)? (?:la espalda|las espaldas)|cuidarme las espaldas",
        r"(?:hay|tenemos|tengo|traigo) (?:<w>)?(?:bronca|pedo|pleito|tirria) con",
        r"no (?:duermo|puedo dormir) tranquil[oa]",
        negatable=True,
    ),
    *rules(
        "es", UNSAFE, C,
        r"no me siento (?:<w>)?(?:segur[oa]|a salvo|tranquil[oa])",
        r"no estoy (?:<w>)?(?:segur[oa]|a salvo) (?:aqui|en|con)",
        r"no quiero salir (?:<w>){0,2}(?:del albergue|de la casa|de mi cuarto|de la celda)",
        negatable=False,
    ),
    *rules(
        "es", UNSAFE, C,
        r"te (?:estamos|estoy|estan|esta|tenemos|tengo) (?:vigilando|siguiendo|observando|buscando"
        r"|ubicad[oa]s?|checad[oa]s?)|(?:ya )?(?:saben|sabian|sabe|sabia) quien (?:soy|era yo"
        r"|eres)",
        r"al que (?:hable|habla|diga|raje|se raje|abra la boca|sople|hable con) (?:<w>){0,4}le va"
        r" (?:a ir )?mal",
        r"(?:llamando|llaman|llamadas|mensajes|me escriben|me marcan|escribiendo|marcando)"
        r" (?:<w>){0,3}(?:de |desde )?(?:un |unos |otras )?(?:numeros? (?:privados?|desconocidos?"
        r"|ocultos?|bloqueados?)|cuentas? (?:nuevas?|falsas?|fake|distintas))",
        r"(?:nomas|solo|nada mas|puro) (?:respiran|respira|respirar)",
        r"(?:mi agresor|el que me (?:asalto|pego|golpeo|ataco|violo|lastimo|amenazo|apunalo|robo"
        r"|acosaba)|la que me (?:pego|golpeo|ataco|amenazo)) (?:<w>){0,4}(?:salio|anda|esta afuera"
        r"|lo soltaron|la soltaron|vieron|vive|se mudo|regreso|volvio|ya esta libre)",
        r"(?:salio|sale|soltaron|liberaron) (?:<w>)?(?:a )?mi agresor",
        r"(?:lo|la|los|las) (?:vieron|han visto|vi) (?:<w>)?por mi (?:cuadra|casa|barrio|calle"
        r"|colonia|trabajo|escuela|edificio)",
        r"no quiero salir sol[oa]",
        r"(?:pasa|pasan|se pasea|se estaciona|ronda|anda rondando|esta parad[oa]) (?:<w>)?(?:por"
        r"|afuera de|frente a) (?:mi|la) (?:casa|trabajo|escuela|cuarto|edificio|cuadra)"
        r" (?:<w>){0,3}(?:todo el tiempo|cada rato|a cada rato|todos los dias|diario|en la noche"
        r"|de noche|otra vez)",
        r"(?:pandilla|banda|clica|mara|barrio) contrari[oa]|los contrarios|los de la otra"
        r" (?:pandilla|banda|clica)",
        r"(?:miro|me asomo|checo|veo) (?:<w>)?por la ventana (?:<w>)?(?:cada rato|a cada rato|todo"
        r" el tiempo|toda la noche|cada (?:cinco )?minutos)",
        r"(?:mensajes|notas|recados|audios|llamadas) (?:<w>)?(?:amenazantes|de amenaza|con amenazas"
        r"|que dicen que me)",
    ),
]
# fmt: on
