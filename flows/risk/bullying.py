"""Bullying by peers: mocked, called names, shoved or tripped, food or belongings taken, things
thrown, shut out, shamed online.

Peer violence in the past ("got jumped last week") stays hurt_or_threatened (harm.py); this module
holds the daily, humiliating pattern the rubric calls bullying.

Each pattern runs against the canonical text (flows/risk/normalise.py): lower case, no accents,
single spaces, contractions expanded ("i do not want to"), "." for punctuation.  Both languages'
groups always run (people mix languages).
"""

from __future__ import annotations

from flows.levels import Level
from flows.risk.categories import BULLYING
from flows.risk.lexicon import Group, rules

C = Level.CONCERN

# What peers take, hide, break or throw.
_THINGS_EN = (
    r"(?:lunch|food|tray|snacks?|commissary|shoes|stuff|things|hat|clothes|money|allowance"
    r"|backpack|bag|books|homework|sneakers|jacket|hoodie|soups|noodles|chips|dessert)"
)
_THINGS_ES = (
    r"(?:lonche|comida|almuerzo|desayuno|sopas|jabones|mochila|dinero|ropa|tenis|zapatos|cosas"
    r"|cuadernos?|libros?|torta|postre|charola|bandeja|gorra|sudadera|chamarra|tarea)"
)
# Insults a mentee may quote (a sample of the general form "calls me <insult>").
_INSULT_EN = (
    r"(?:names|slurs|fat|ugly|stupid|dumb|retarded|gay|fag\w*|orphan|snitch|rat|loser|freak"
    r"|weirdo|trash|poor|broke|smelly|stinky|crackhead|charity case|foster kid|the foster kid"
    r"|homeless|bitch|whore|slut|hoe|pig|cow|ugly|nerd|baby|crybaby|illegal|terrorist)"
)

# Someone else is the one hurt: "my friend got jumped at the bus stop last year".
_THIRD = (
    r"(?<!friend )(?<!friends )(?<!cousin )(?<!brother )(?<!sister )(?<!homie )(?<!kid )"
    r"(?<!girl )(?<!boy )(?<!student )(?<!someone )(?<!son )(?<!daughter )(?<!he )(?<!she )"
)
# The taker is family: "my brother keeps taking my charger" (fixed-width look-behinds).
_SIBLING = (
    r"(?<!brother )(?<!sister )(?<!cousin )(?<!mom )(?<!dad )(?<!roommate )(?<!bro )(?<!sis )"
    r"(?<!brothers )(?<!sisters )(?<!cousins )"
)

# fmt: off
EN: list[Group] = [
    *rules(
        "en", BULLYING, C,
        r"(?<!no ones )(?<!no one is )bull(?:y|ies|ied|ying) me",
        # a story about another kid being bullied is news, not a disclosure
        r"(?<!kid )(?<!kids )(?<!girl )(?<!boy )(?<!student )(?<!someone )(?<!child )"
        r"(?:being|been|get|getting|got|am) (?:<w>)?bullied",
        r"(?:mock|mocks|mocked|mocking|tease|teases|teased|teasing|make fun|makes fun|made fun"
        r"|making fun|laugh at|laughs at|laughed at|laughing at|pick on|picks on|picked on"
        r"|picking on|roast|roasts|roasting|harass|harasses|harassing) (?:<w>)?(?:me|of me|my"
        r" (?!(?:joke|jokes|story|stories|pun|puns|meme|memes|video|dance|impression)\b)\w+)"
        # friends roasting each other "but its all love" is friendship
        r"(?!(?: \S+){0,6} (?:all love|just playing|just joking|for fun|we all laugh|its love))",
        _THIRD + r"(?:get|getting|got|am|been) (?:<w>)?(?:mocked|teased|laughed at|picked on"
        r"|made fun of"
        r"|pushed around|shoved|tripped|cornered|jumped|spit on)",
        rf"(?:call|calls|calling|called) me (?:a |an |the |\" )?{_INSULT_EN}",
        r"(?:call|calls|calling|called) me (?:<w>)?names",
        r"(?:laugh|laughs|laughed|laughing) (?:<w>)?(?:when i|every time i|whenever i)"
        r" (?:walk|come|talk|speak|cry|stutter|eat|change|get)",
        r"(?:oink|oinks|oinking|bark|barks|barking|moo|moos|mooing) (?:<w>){0,2}(?:at me|when i)",
        r"(?:push|pushes|pushed|pushing|shove|shoves|shoving|trip|trips|tripping|tripped|kick"
        r"|kicks|kicking|punch|punches|spit|spits|spitting|spat) (?:me|on me)(?: around| down"
        r"| in| into| off)?",
        r"(?:knock|knocks|knocked|knocking|throw|throws|threw|throwing|dump|dumps|dumped|pour"
        r"|pours|poured|spill|spills|spilled) (?:<w>){0,2}(?:my|on my|in my) (?:<w>)?(?:tray|bed"
        r"|hair|face|" + _THINGS_EN[3:],
        r"(?:throw|throws|threw|throwing) (?:stuff|things|food|trash|paper|rocks) at me",
        # a sibling borrowing a charger is everyday life, not bullying
        _SIBLING +
        rf"(?:take|takes|took|taking|steal|steals|stole|stealing|hide|hides|hid|hiding|hides"
        rf"|break|breaks|broke|ruin|ruined|trash|trashed|keeps? borrowing|borrowing)"
        rf" (?:<w>)?my {_THINGS_EN}",
        rf"(?:someone|somebody|they|he|she|kids|people) (?:<w>)?stole my {_THINGS_EN}",
        _SIBLING + r"(?:keeps?|kept) (?:borrowing|taking|stealing|hiding) my \w+",
        r"(?:read|reads|reading) my (?:messages|texts|diary|journal|letters) (?:<w>)?(?:out loud"
        r"|to everyone|to the whole)",
        r"(?:make|makes|made|making) me give (?:them|him|her) (?:<w>)?my",
        r"(?:gum|water|milk|juice|food|spit) (?:<w>){0,2}(?:in|on) my (?:hair|bed|food|tray|face"
        r"|clothes|bag)",
        r"(?:posted|posting|post|shared|sharing|spread|spreading) (?:<w>)?(?:a )?(?:video|pic"
        r"|picture|photo|rumors?|lies|memes?|screenshots?) (?:<w>){0,2}(?:of me|about me)",
        r"(?:memes?|songs?|rumors?|jokes|group chat|page|account) about me",
        r"(?:made|make|making) (?:<w>)?(?:up )?(?:a )?(?:song|rumor|page|group chat|account)"
        r" about me",
        r"(?:nobody|no one) (?:<w>)?(?:sits|sat|eats|talks|plays) with me",
        r"(?:ignores|ignore|ignoring|ignored) me and (?:then )?(?:laugh|laughs|laughed)",
        r"(?:punching bag|the joke|the target|a target) of (?:<w>)?(?:the|this|my|our)",
        r"(?:keep|keeps|kept) (?:saying|telling everyone) (?:i|that i) (?:smell|stink|am (?:dirty"
        r"|poor|gay|a snitch))",
        r"(?:cornered|jumped|ganged up on) (?:<w>){0,3}(?:again|in the bathroom|after school"
        r"|every day)",
        r"ganged up on me",
        # a little brother who won't leave me alone while i game is family life
        _SIBLING + r"(?:wont|will not|do not|does not) leave me alone(?!(?: \S+){0,3} (?:about"
        r"|when i (?:play|study|game|eat)|lol|lmao|haha\w*))",
        r"(?:every|each) (?:single )?(?:day|night|morning) (?:<w>){0,3}(?:they|he|she|kids)"
        r" (?:<w>)?(?:call|push|take|mock|laugh|throw|hit|pick)",
    ),
    *rules(
        "en", BULLYING, C,
        r"(?:posted|posting|posts|spread|spreading|spreads|made|making|makes|sent|sending|shared"
        r"|sharing) (?:<w>){0,2}(?:mean|nasty|fake|ugly|embarrassing|horrible|gross|lies|rumors"
        r"|memes|edited|screenshots)(?: \w+)? (?:<w>)?about me",
        r"(?:mimic|mimics|mimicking|mock|mocks|mocking|copy|copies|copying|imitate|imitates"
        r"|imitating) (?:<w>){0,2}(?:the way i|how i|my) (?:talk|walk|speak|voice|accent|stutter"
        r"|laugh|look|dress|clothes|hair|lisp|run)",
        r"(?:call|calls|calling|called) me (?:<w>){0,3}(?:the r word|the f word|the n word|slurs?"
        r"|names)",
        r"(?:call|calls|calling|called) me (?:<w>){0,4}(?:every day|every single day|all day"
        r"|daily|in front of|all the time|every class|every time)",
        _THIRD + r"(?:get|got|getting|gets) (?:punched|hit|slapped|kicked|tripped|shoved|pushed"
        r"|jumped"
        r"|smacked|spit on|knocked|pelted|mocked|laughed at|picked on|teased|bullied|jumped)"
        r" (?:<w>){0,4}(?:every|each|whenever|all the time|daily|at school|in class|on the bus"
        r"|in the hallway|at lunch|by (?:the )?(?:other|older|same) (?:kids|boys|girls|guys))",
        r"(?:take|takes|took|taking|steal|steals|stealing|grab|grabs) (?:<w>){0,2}(?:food|stuff"
        r"|things|snacks|lunch|chips|milk|dessert) (?:off|from|out of) my (?:tray|plate|bag"
        r"|locker|bunk|bed|box)",
        r"(?:dunk|dunked|dunks|dunking|shove|shoved|shoves|stuff|stuffed|push|pushed|held|hold"
        r"|holds) my (?:head|face) (?:<w>)?(?:in|into|under|down)",
        r"(?:keep|keeps|kept|always) (?:saying|telling me|calling me|reminding me) (?:<w>){0,2}"
        r"(?:nobody|no one) (?:wanted|wants|likes|loves|cares about) me",
    ),
    *rules(
        "en", BULLYING, C,
        r"(?:talking|talk|talks|talked|gossiping|gossip|saying stuff|posting) about me (?:<w>){0,3}"
        r"(?:in the group ?chat|online|on (?:insta|snap|tiktok|facebook|social media))",
        r"(?:fake|burner) (?:account|page|profile) (?:<w>){0,4}(?:pretending to be|of|about|to"
        r" make fun of) me",
        r"(?:write|writes|wrote|writing|draw|draws|drew|drawing|carved|scratched) (?:<w>){0,2}"
        r"(?:stuff|things|words|names|slurs|pictures) (?:<w>)?(?:on|about) my (?:locker|desk|bunk"
        r"|door|bed|stuff|backpack|bag)",
        _SIBLING + r"(?:wont|will not|won t|do not|dont"
        r"|never) (?:<w>)?leave me alone(?!(?: \S+){0,3}"
        r" (?:about|when i (?:play|study|game|eat)|lol|lmao|haha\w*))",
        r"(?:i am|im) the only one (?:they|he|she) (?:pick on|mess with|go after|target|bully|make"
        r" fun of|pick)",
    ),
]

ES: list[Group] = [
    *rules(
        "es", BULLYING, C,
        r"(?:me hacen|me hace|me hicieron|sufro|sufriendo) (?:<w>)?(?:bullying|bulling|buling"
        r"|acoso|el vacio|la vida imposible|burla)",
        r"se (?:burlan|burla|burlaron|burlo|burlaban) (?:<w>)?de mi(?! (?:equipo|cuadro|camiseta"
        r"|playera|peinado|apodo del equipo))",
        r"(?:burlandose|burlarse|reirse) (?:<w>)?de mi",
        r"(?:lo|la|los|las|me|nos) (?:insultan|insulta|insultaron|molestan|molestaron|molesta"
        r"|estan molestando|estuvieron molestando|andan molestando|agarran de bajada|traen de"
        r"|tienen de) (?:<w>)?(?:por|en|de|mucho|todos|todo|a diario|cada|siempre|\.|$)",
        r"me (?:estan|estuvieron|andan) molestando",
        r"me (?:dicen|llaman|gritan|ponen|pusieron|decian) (?:<w>)?(?:apodos|groserias|insultos"
        r"|nombres|gord[oa]|fe[oa]|mojad[oa]|pobre|pollero|huerfan[oa]|naco|naca|indi[oa]|maric\w*"
        r"|put[oa]|rata|sapo|soplon|apestos[oa]|perra|zorra|cerd[oa]|vaca|ballena|enano|tonto"
        r"|tonta|estupid[oa]|retrasad[oa]|loc[oa]|ilegal|negro|negra|burro|burra)",
        r"me dicen que (?:huelo|apesto|soy (?:pobre|de la casa hogar|adoptad|huerfan|un fracaso"
        r"|una basura|fe[oa]|gord[oa]))",
        r"me (?:dicen|dijeron) que me largue",
        rf"me (?:quitan|quitaron|quita|quito|roban|robaron|roba|esconden|escondieron|rompen"
        rf"|rompieron|rayan|rayaron|pisan|tiran|tiraron|avientan|aventaron|rompe) (?:<w>)?"
        rf"(?:el |la |los |las |mis |mi )?{_THINGS_ES}",
        rf"(?:le|les) (?:quitan|rompen|roban|esconden|tiran) (?:<w>)?(?:el |la |los |las |sus "
        rf"|su )?"
        rf"{_THINGS_ES}",
        r"me (?:empujan|empujaron|empuja|pegan|patean|jalan|escupen|escupieron|escupio|ponen el"
        r" pie|pusieron el pie|meten el pie|echan|echaron|avientan|tiran) (?:<w>){0,3}(?:en|cuando"
        r"|todos|cada|desodorante|agua|papelitos|cosas|basura|la cara|la comida|a proposito|y"
        r" (?:todos|se) (?:se rien|rien))",
        r"me (?:esperan|esperaban) (?:<w>)?(?:a|en) la salida",
        r"me (?:agarraron|agarran) entre (?:varios|todos|tres|dos)",
        r"me cortaron el pelo",
        r"no me dejan (?:jugar|sentarme|entrar|juntarme|estar) (?:con|en)",
        r"nadie (?:se sienta|se junta|juega|habla|come) conmigo",
        r"me (?:cobran|cobra) (?:por|pa|para) (?:dejarme|usar|entrar|pasar)",
        r"(?:subieron|suben|subio|pasaron|pasan|publicaron|hicieron|hacen) (?:<w>){0,3}(?:video"
        r"|fotos?|memes?|grupo|pagina|stickers?) (?:<w>){0,4}(?:burla\w*|de mi|sobre mi|mias"
        r"|insultos)",
        r"(?:pa|para) (?:burlarse|reirse) de mi",
        r"me (?:toman|tomaron|sacan|sacaron) fotos (?:<w>){0,2}(?:pa|para) (?:subirlas|burlarse"
        r"|reirse)",
        r"(?:cuadernos?|mochila|cosas|banco|pupitre) (?:<w>){0,2}(?:con|de) (?:insultos|groserias"
        r"|dibujos)",
        r"(?:lo|la) insultan por",
    ),
    *rules(
        "es", BULLYING, C,
        # "mis hijos se rien de mi porque me dormi" is family teasing: a way of being, a place or
        # a habit makes it bullying
        r"(?:se rien|se burlan|se reian|se burlaban|se mofan|me remedan|me imitan|me arremedan"
        r"|me remedaban) (?:<w>){0,2}(?:de )?(?:como (?:hablo|camino|me visto|soy|como|leo|me veo)"
        r"|de mi (?:<w>){0,3}(?:todo el dia|todos los dias|siempre|cuando (?:hablo|paso|camino"
        r"|entro|leo)|cada vez|en (?:el|la) (?:escuela|colegio|salon|hogar|clase|comedor|pasillo)"
        r"|por (?:ser|como|mi)))",
        r"me (?:agarraron|agarran) de (?:punto|bajada|su puerquito|encargo)|me (?:tienen|traen)"
        r" (?:<w>)?(?:mania|de bajada|de encargo|de su puerquito)|me hacen (?:bullying|bulling"
        r"|burla)",
        r"me (?:cargan|molestan|fastidian|joden|chingan|friegan|cagan a pedos|hostigan|acosan)"
        r" (?:<w>){0,4}(?:todo el dia|todos los dias|siempre|en (?:el|la) (?:escuela|colegio"
        r"|salon|hogar|comedor|pasillo|clase|cuarto|modulo)|por ser|por como)",
        r"(?:subieron|publicaron|pasaron|compartieron|mandaron|hicieron) (?:<w>)?(?:un |una |unos"
        r" |mis )?(?:video|foto|fotos|videos|memes?|stickers) (?:<w>){0,4}(?:mio|mia|mios|mias|de"
        r" mi|cayendome|burl\w*|cosas horribles|al grupo|en el grupo|a todos|toda la escuela)",
    ),
    *rules(
        "es", BULLYING, C,
        # taking things is bullying when peers do it, or again and again ("me quitaron el cel en
        # la escuela" is a school rule)
        r"me (?:quitan|quitaron|esconden|escondieron|rompen|rompieron|roban|robaron|tiran"
        r"|tiraron) (?:<w>)?(?:el |la |los |las |mis |mi )?(?:movil|celular|cel|zapatillas|tenis"
        r"|cosas|comida|lonche|ropa|dinero|mochila|cuadernos|tarea|cobija|colchon)",
        r"se llevan (?:mis|mi) (?:cosas|comida|ropa|dinero|tenis|lonche)",
        needs=r"(?:los|las) (?:del|de la|de mi|mas grandes|mayores|grandes|otros|otras|demas)"
        r"|mis companer\w*|todos los dias|siempre|cada (?:dia|semana|vez)|a cada rato|se burlan"
        r"|se rien",
    ),
    *rules(
        "es", BULLYING, C,
        r"nadie se (?:quiere|queria) juntar conmigo|nadie (?:quiere|queria) juntarse conmigo",
        r"se burlan (?:<w>){0,2}cuando (?:paso|hablo|camino|entro|llego|como)",
        r"(?:un|una) (?:grupo|pagina|cuenta|perfil) (?:<w>){0,3}(?:para burlarse|para reirse|de"
        r" burla|falso|falsa) (?:<w>)?(?:de mi|mio|mia)?",
    ),
]
# fmt: on
