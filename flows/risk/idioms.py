"""Idioms and hyperbole with a trivial trigger, blanked out before any risk pattern runs
("dying laughing", "this homework is killing me", "me muero de risa").

Two kinds:
- ``IDIOMS``: fixed expressions that never mean a risk ("killing it", "to die for").
- ``HYPERBOLE``: a death or threat phrase tied to a TRIVIAL trigger within a few words ("this
  finale makes me want to kill myself", "my mom is gonna kill me when she sees my grades",
  "prefiero morir antes que ver esa peli").  The trigger must be trivial (a show, a photo,
  grades, being late), not the phrase's wording or a laughter marker: "me quiero morir jaja" stays
  a risk.  A seriousness marker anywhere in the text ("not kidding", "no es broma") keeps them.
"""

from __future__ import annotations

import re

from flows.risk.lexicon import PERSON_EN, PERSON_ES, rx

# --------------------------------------------------------------------------------------------

IDIOMS: tuple[re.Pattern[str], ...] = tuple(
    rx(p)
    for p in (
        # English
        r"(?:dying|died|die|dead|dyin) (?:of |from |with )?laugh\w*",
        r"(?:dying|died) (?:at|over) (?:this|that|the|his|her|my|your|how|these|those|it)",
        r"to die for",
        r"dying to (?!die\b)\w+",
        r"kill(?:ed|ing|s)? (?:it|time)",
        r"(?:could|would|will) kill for",
        r"scared the (?:hell|shit|crap|heck|life|living daylights|bejesus|poop|piss) out of me",
        r"(?:phone|battery|charger|laptop|tablet|tv|console|controller|car|plant|plants"
        r"|flashlight|headphones|airpods|xbox|ps\d) (?:is |was |s )?(?:about to |going to )?"
        r"(?:die|died|dead|dying)",
        # "this homework is killing me", "my feet are killing me" - but not "my mentor is ..."
        rf"(?:this|that|the|my|these|those|your|his|her) (?!{PERSON_EN}\b)\w+ (?:<w>)?"
        r"(?:is|are|was|were|has been|have been|keeps|keep) (?:<w>)?(?:killing|hurting) me",
        r"(?:it|this|that|school|work|class|homework|life) (?:is|was) (?:<w>)?killing me",
        r"(?:you|your|you are) (?:<w>)?killing me",
        r"(?:bored|boring) to death",
        r"touched my heart",
        # Spanish
        r"(?:me )?(?:muero|mori|moria|morir|morirme|muriendo|morire) de (?:la )?(?:risa|hambre"
        r"|sueno|ganas|frio|calor|sed|aburrimiento|verguenza|pena|amor|nervios|envidia|cansancio"
        r"|flojera|felicidad|emocion)",
        r"muert[oa]s? de (?:la )?(?:risa|hambre|sueno|frio|calor|sed|cansancio|aburrimiento"
        r"|verguenza)",
        r"me (?:mata|matan|mataba) de (?:la )?risa",
        r"me (?:mato|mataste|mataron) (?:con )?(?:ese|esa|el|la|tu|su|este|esta|tus|sus) "
        r"(?:chiste|chistes|meme|memes|video|foto|broma|bromas|comentario)",
        rf"(?:este|esta|el|la|mi|mis|estos|estas|los|las|tu|su) (?!{PERSON_ES}\b)\w+ (?:<w>)?"
        r"me (?:mata|matan|esta matando|estan matando)",
        r"(?:esto|eso) me (?:mata|esta matando)",
        r"(?:estuvo|esta|estaba|fue|quedo|salio|es) de miedo",
        r"(?:kill|killed|killing|kills) (?:my ?self|me|us) (?:<w>)?laugh\w*",
        r"(?:wanted|want|could have|could|almost|nearly) (?:to )?(?:just )?(?:die|died) (?:right"
        r" there|on the spot|of (?:embarrassment|cringe|shame))",
        r"(?:crawl|dig|sink) (?:in|into|under) (?:a )?(?:hole|rock|the floor) and die",
        r"(?:die|dying|died|dead) (?:of|from) (?:embarrassment|cringe|boredom|shame|the heat|heat)",
        r"(?:es|estan|estaba|esta) (?:para|pa) morirse",
    )
)

# Trivial triggers: entertainment, embarrassment, food, small slips at school or work.
_TRIVIAL_EN = (
    r"(?:show|shows|finale|episode|season|series|movie|film|song|songs|music|album|concert"
    r"|tickets|meme|memes|tiktok|video|photo|pic|picture|selfie|yearbook|cringe|cringey"
    r"|embarrass\w*|awkward|outfit|uniform|haircut|spoiler|spoilers|prom|dance|grades|report"
    r"|card|homework|form|curfew|chores|practice|coach|late|forgot|borrowed|borrowing|hoodie"
    r"|broke her|broke his"
    r"|lost"
    r" (?:my|her|his|the) (?:keys|phone|badge|jacket|charger)|spilled|missed church|church"
    r"|miss church|heard me|hears me|sees my|see my|finds out|found out|wifi"
    r"|jokes|puns)"
)
_TRIVIAL_ES = (
    r"(?:serie|capitulo|temporada|peli|pelicula|cancion|rola|reggaeton|musica|concierto|meme"
    r"|memes|video|foto|selfie|anuario|oso|verguenza|ridiculo|calificaciones|boleta|tarea"
    r"|llego tarde|llegue tarde|tarde|se me olvido|olvide|rompi|perdi (?:el|la|mi|su)"
    r"|cuando (?:vea|se entere|sepa)|si no (?:me aprendo|entrego|llego|voy|hago|paso)"
    r"|aniversario|gafete|audifonos|tenis|lodo|dialogos|proyecto|examen|exponer|partido"
    r"|equipo|fila|trafico|internet|wifi)"
)
_DEATH_EN = (
    r"(?:want to (?:just )?(?:die|kill my ?self|be dead|disappear)"
    r"|makes? me want to \w+(?: my ?self)?"
    r"|made me want to \w+(?: my ?self)?|(?:literally )?rather (?:die|be dead)|(?:going to|will"
    r"|would|is going to|are going to) (?:literally )?(?:kill|murder|end|strangle) (?:me|us)"
    r"|kill me now|i am going to die)"
)
_DEATH_ES = (
    r"(?:me quiero morir|quiero morirme|me (?:muero|mori)|me tiro por la ventana|me aviento"
    r" por la ventana|me (?:va|van) a (?:matar|dar algo)|me (?:mata|matan|mato)|me quiso matar"
    r"|prefiero (?:morir|la muerte|estar muert[oa])|me voy a morir|quiero morir"
    r"|(?:me dan|dan|tengo) ganas de (?:aventarme|tirarme|morirme|matarme))"
)
# A few tokens, not across a turn of thought ("she brought snacks. but i still want to die").
_LAUGH = r"(?:lol\w*|lmf?ao+|(?:ha){2,}\w*|(?:ja){2,}\w*|(?:js)+\w*|xd+|jk)"
_NEAR = r"(?:(?!but |pero |though |aunque |still |todavia |sigo )\S+ ){0,8}?"
HYPERBOLE: tuple[re.Pattern[str], ...] = tuple(
    rx(p)
    for p in (
        rf"{_DEATH_EN} {_NEAR}{_TRIVIAL_EN}",
        rf"{_TRIVIAL_EN} {_NEAR}{_DEATH_EN}",
        rf"{_DEATH_ES} {_NEAR}{_TRIVIAL_ES}",
        rf"{_TRIVIAL_ES} {_NEAR}{_DEATH_ES}",
        # "id rather die than watch that again" - but not "than go back to that house"
        r"rather (?:die|be dead) than (?!go back|live|stay|be (?:in|with|here)|return)(?:watch|wear"
        r"|eat|go to|sit|listen|take|do|hear|see|read|dance|sing|be seen|talk|have to|redo)",
        r"(?:prefiero|preferiria) (?:morir(?:me)?|la muerte|estar muert[oa]) (?:antes )?(?:que|a)"
        r" (?:ver|volver a ver|escuchar|comer|ir a|usar|ponerme|bailar|cantar|hacer)",
        # non-person subjects: "overtime is killing me", "la fila del dmv me va a matar"
        r"(?:overtime|work|school|class|practice|homework|finals|traffic|this|that|it|jokes"
        r"|puns|kids|heat|weather|cramps|allergies|suspense|waiting|shift|job|line) (?:<w>){0,2}"
        r"(?:is|are|was|were) (?:<w>)?(?:going to |gonna )?(?:kill|killing|murder) (?:me|us)",
        rf"(?:este|esta|el|la|mi|mis|estos|estas|los|las|tu|su) (?!{PERSON_ES}\b)"
        r"(?!(?:noche|manana|tarde|madrugada|semana|salida)\b)\w+"
        r" (?:(?:de|del|de la|de los) \w+ )?me (?:va a matar|van a matar|quiso matar|mato"
        r"|tiene muert[oa])",
        # the family idiom said laughing: "my mom is gonna kill me lol" (bare, with no trivial
        # trigger and no laughter, a threat stays a threat; danger words in SERIOUS keep it too)
        r"(?:my|mi) (?:<w>)?(?:mom|mother|mama|madre|dad|father|papa|padre|grandma|grandpa"
        r"|abuela|abuelo|sister|hermana|brother|hermano|aunt|auntie|tia|uncle|tio|coach|teacher"
        r"|maestra|maestro|boss|jefe|jefa|supervisor|manager|mentor|mentora|caseworker|therapist"
        r"|wife|esposa|husband|esposo|coordinadora|coordinador)s? (?:is |are |will |would )?"
        r"(?:going to |gonna )?(?:literally )?(?:kill|murder) (?:me|us) (?:\S+ ){0,4}?" + _LAUGH,
        # a team losing: "if the cowboys lose again im jumping off a bridge lmao", "si pierde el
        # america me aviento de un puente" (not a case, an appeal, a child or a partner)
        r"if (?:the|my|our) (?!(?:appeal|case|lawyer|kids?|baby|girl|boy|mom|dad|family)\b)\w+"
        r" (?:lose|loses|lost|do not win|does not win)(?: again| tonight| the game| this game"
        r"| today| this season)? (?:\S+ ){0,2}?(?:jump\w*|kill\w*|die|dying|end it)(?: \S+){0,4}",
        r"si (?:pierde|pierden|no gana|no ganan) (?:el|la|los|las|mi|mis) \w+(?: otra vez| de"
        r" nuevo| hoy)? (?:\S+ ){0,2}?(?:me (?:aviento|tiro|mato|muero|lanzo)|me voy a (?:aventar"
        r"|tirar|matar|morir))(?: \S+){0,4}",
        # a song's words: "the song goes i wanna die young", "la cancion dice quiero morir"
        r"(?:the|that|this|la|esa|esta) (?:song|cancion|rola) (?:goes|says|is called|dice|se llama"
        r"|que dice)(?: \S+){1,6}",
        r"(?:my|mi) (?:<w>)?(?:mama|madre|papa|padre|abuela|abuelo|hermana|hermano|tia|tio|jefe"
        r"|jefa|maestra|maestro|esposa|esposo|mentor|mentora|coordinadora|coordinador) me (?:va a"
        r"|van a) matar (?:\S+ ){0,4}?" + _LAUGH,
    )
)
# Said in earnest, or with signs of real danger: hyperbole patterns do not apply.
SERIOUS = rx(
    r"not (?:even )?(?:kidding|joking)|no (?:joke|cap)|i mean it|mean it literally|for real"
    r"|no es broma|lo digo en serio|en serio|de verdad|fr|hits? me|hitting|beat(?:s|ing)? me"
    r"|drunk|scared|afraid|hiding|knife|gun|help|threaten\w*|last time|me pega\w*|golpea\w*"
    r"|borrach[oa]|miedo|escondid[oa]|cuchillo|pistola|ayuda|amenaz\w*"
    # a trigger that is not trivial after all: self-harm or its means in the same text, a photo
    # or video that went round, the stakes of a placement or a court ("my mom found out about my
    # cutting and now i want to die", "after the photo got out i want to kill myself")
    r"|cutting|cuts|cut my ?self|scars|self harm|pills|meds|rope|razor|blade|cortadas|cortes"
    r"|cortarme|me corto|cicatrices|pastillas|cuerda|navaja"
    r"|everyone (?:saw|has seen|knows|is laughing)|whole school|got posted|posted it|leaked"
    r"|got out|went around|subieron|todos (?:vieron|saben|se rien)|toda la escuela"
    r"|caseworker|placement|move me|court|judge|parole|my kids|bullied|will not stop"
    r"|trabajador(?:a)? social|casa hogar|me van a cambiar|juez|libertad|mis hijos|no paran"
)
