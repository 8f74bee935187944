"""Sexual boundary violations: forced or happening now (urgent), otherwise concern.

Each pattern runs against the canonical text (flows/risk/normalise.py): lower case, no accents,
single spaces, contractions expanded ("i do not want to"), "." for punctuation.  Both languages'
groups always run (people mix languages).
"""

from __future__ import annotations

from flows.levels import Level
from flows.risk.categories import SEXUAL
from flows.risk.lexicon import Group, rules

C = Level.CONCERN
U = Level.URGENT

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
        r"|boobs|body|thighs?|crotch|dick|penis|vagina|parts|legs?|junk))",
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
        r"(?:asked|asks|asking) (?:me )?(?:if i am|if im|am i|if i have) (?:a )?(?:virgin|single"
        r"|a boyfriend|a girlfriend|had sex)",
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
        r"(?:fotos?|videos?|imagenes) (?:<w>){0,2}(?:desnud\w*|sin ropa|intim\w*|porno\w*)",
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
]
# fmt: on
