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
from flows.risk.lexicon import Group, rules

C = Level.CONCERN

# fmt: off
EN: list[Group] = [
    *rules(
        "en", UNSAFE, C,
        # the speaker is afraid ("my dog is scared of thunder" is not a risk)
        r"(?:^|i|am|get|got|feel|felt|feeling|getting|been|still|me) (?:<w>){0,2}(?:scared"
        r"|terrified|frightened|petrified|fearful|creeped out|freaked out|spooked|afraid(?! (?:i"
        r"|that|so|not|we|you|it)\b))",
        r"(?:scared|terrified|afraid|frightened) (?:of (?:him|her|them|my|the|this|that|what)|to"
        r" (?:go|be|leave|sleep|walk|tell|say)|(?:he|she|they) (?:will|would|might|is going to))",
        r"scares me|(?:that|it|he|she|they|this) (?:<w>)?(?:scares|terrifies|frightens) me",
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
        r"|va|van) a (?:hacer algo|partir|romper|madrear|chingar|dar|buscar|encontrar|agarrar"
        r"|quebrar|cargar|picar)|me cuide|mejor no (?:bajara|saliera|fuera|vaya|salga|baje))",
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
]
# fmt: on
