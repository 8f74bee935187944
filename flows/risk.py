"""Risk screening of free text: pure, deterministic, standard library only.

Every free-text reply a mentee sends is screened here.  The screen is a set of hand-written,
readable regular expressions per category and language, run over a normalised copy of the text:

1. ``_normalise``  NFKC, casefold, accents stripped, apostrophes unified; the text is split into
   words (punctuation kept as clause boundaries), repeated letters collapsed ("diiieee"), texting
   abbreviations and contractions expanded ("wanna" -> "want to", "dont" -> "do not"), light
   leetspeak undone ("k1ll" -> "kill").  Every word remembers its span in the ORIGINAL text, so
   evidence shown to a supervisor is always a verbatim slice of what the mentee wrote.
2. ``_IDIOMS``     known idioms and hyperbole ("dying laughing", "this homework is killing me",
   "me muero de risa") are blanked out before any risk pattern runs.
3. ``_RULES``      risk patterns.  Both languages' patterns ALWAYS run (people mix languages); the
   ``language`` argument only decides which language wins when two patterns of the same category
   claim overlapping text.
4. ``_negated``    a negator ("not", "never", "nobody", "no", "nadie", "nunca", ...) within a few
   words before a cue, in the same clause, cancels it ("nobody hurts me", "no tengo miedo").
   Phrases whose negation IS the risk ("i don't want to live", "no me siento seguro") are written
   as their own patterns and are not negatable.

Design choices other code relies on:
- hurt_or_threatened is URGENT for present or imminent harm (progressive "is hitting me",
  future/conditional "gonna jump me", "he'll kill me if", any threat of violence "threatened me",
  "me amenazó") and CONCERN for past or habitual harm ("jumped me last week", "me pegaron").
  Being told to kill yourself ("he told me to kys") is hurt_or_threatened at CONCERN, not
  suicide_self_harm.
- sexual_boundary is URGENT when forced or happening now (rape, "forced me", "is touching me",
  "a la fuerza"), CONCERN otherwise (touching, asking for or sending pictures).
- abuse_at_home subsumes a concern-level hurt_or_threatened match on the same words ("my dad hits
  me" is reported once, as abuse_at_home).
- Only the first ``MAX_CHARS`` characters are screened.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from flows.levels import Level

__all__ = [
    "CATEGORY_LEVELS",
    "MAX_CHARS",
    "Assessment",
    "assess",
    "suggested_language",
]

# Screening more than this is slow and pointless for an SMS/Telegram reply.
MAX_CHARS = 4000
# Evidence snippets are cut to this length so an alert stays short.
MAX_EVIDENCE_CHARS = 80

SUICIDE = "suicide_self_harm"
HURT = "hurt_or_threatened"
ABUSE = "abuse_at_home"
SEXUAL = "sexual_boundary"
COERCION = "coercion_exploitation"
UNSAFE = "feeling_unsafe"
SUBSTANCE = "substance_relapse"
HOPELESS = "hopelessness"
EAT_SLEEP = "not_eating_sleeping"

# The usual level of each category (some patterns raise or lower it, see the module docstring).
CATEGORY_LEVELS: dict[str, Level] = {
    SUICIDE: Level.URGENT,
    HURT: Level.URGENT,
    ABUSE: Level.CONCERN,
    SEXUAL: Level.CONCERN,
    COERCION: Level.CONCERN,
    UNSAFE: Level.CONCERN,
    SUBSTANCE: Level.CONCERN,
    HOPELESS: Level.CONCERN,
    EAT_SLEEP: Level.WATCH,
}

U, C, W = Level.URGENT, Level.CONCERN, Level.WATCH


@dataclass(frozen=True)
class Assessment:
    level: Level  # highest level among matched categories, Level.NONE if none
    categories: tuple[str, ...]  # sorted unique category names matched
    evidence: tuple[str, ...]  # matched snippets of the ORIGINAL text, in text order


NONE_ASSESSMENT = Assessment(Level.NONE, (), ())


# --------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------

# Curly quotes and accents typed as apostrophes; all map one char to one char (keeps offsets).
_APOSTROPHES = str.maketrans({c: "'" for c in "’‘`´ʼ′"})

# A word (letters/digits, inner apostrophes allowed) or a clause-boundary punctuation mark.
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[.,;:!?¿¡\n]")
_BOUNDARY = "."
_PUNCTUATION = frozenset(".,;:!?¿¡\n")

# Texting abbreviations and apostrophe-less contractions -> canonical words.
# fmt: off
_ABBREV: dict[str, str] = {
    # English contractions typed without the apostrophe
    "im": "i am", "imm": "i am", "ima": "i am going to", "imma": "i am going to",
    "ive": "i have", "id": "i would", "ill": "i will",
    "dont": "do not", "dnt": "do not", "doesnt": "does not", "didnt": "did not",
    "cant": "can not", "cannot": "can not", "cnt": "can not", "wont": "will not",
    "isnt": "is not", "wasnt": "was not", "arent": "are not", "werent": "were not",
    "havent": "have not", "hasnt": "has not", "hadnt": "had not", "aint": "is not",
    "couldnt": "could not", "wouldnt": "would not", "shouldnt": "should not",
    "hes": "he is", "shes": "she is", "theyre": "they are", "youre": "you are",
    "thats": "that is", "whats": "what is", "wats": "what is", "theres": "there is",
    "its": "it is", "everyones": "everyone is",
    # texting slang
    "wanna": "want to", "wana": "want to", "wnna": "want to", "wna": "want to", "wnt": "want",
    "gonna": "going to", "gona": "going to", "gon": "going to", "finna": "going to",
    "tryna": "trying to", "gotta": "got to", "hafta": "have to",
    "u": "you", "ur": "your", "r": "are", "n": "and", "rn": "right now",
    "bc": "because", "bcuz": "because", "bcz": "because", "cuz": "because", "coz": "because",
    "cos": "because", "cause": "because", "tho": "though", "abt": "about", "bout": "about",
    "ppl": "people", "noone": "no one", "no1": "no one", "sum1": "someone", "some1": "someone",
    "every1": "everyone", "any1": "anyone", "b4": "before", "2day": "today",
    "tonite": "tonight", "2nite": "tonight", "wat": "what", "wut": "what", "lil": "little",
    "bf": "boyfriend", "gf": "girlfriend", "celly": "cellie", "mum": "mom", "momma": "mom",
    "mommy": "mom",
    # Spanish texting
    "q": "que", "k": "que", "ke": "que", "xq": "porque", "pq": "porque", "porq": "porque",
    "xk": "porque", "tmb": "tambien", "tb": "tambien", "tmbn": "tambien", "toy": "estoy",
    "kiero": "quiero", "qiero": "quiero", "kero": "quiero", "qero": "quiero", "nd": "nada",
    "nda": "nada", "ta": "esta",
}
# fmt: on

# "he's" -> "he is", but "mom's" -> "moms" (possessive).
_IS_BEFORE_S = frozenset(
    "he she it that what there who where here how everyone someone somebody nobody everything"
    " nothing".split()
)
_CONTRACTION = re.compile(r"^(.+?)'(s|m|re|ve|ll|d|t)$")
_NT_SPECIAL = {"can": "can not", "won": "will not", "ain": "is not", "don": "do not"}
_SUFFIX = {"m": "am", "re": "are", "ve": "have", "ll": "will", "d": "would"}

# Light leetspeak, only inside words that also contain letters ("k1ll", not "4").
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"})
_HAS_LETTER = re.compile(r"[^\W\d_]")
_REPEAT = re.compile(r"([^\W\d_])\1{2,}")


class _Word(NamedTuple):
    text: str  # canonical word ("." for a clause boundary)
    start: int  # span in the original text
    end: int


def _fold(text: str) -> tuple[str, list[int]]:
    """NFKC + casefold + accents stripped; returns the folded text and, per folded char, the index
    of the original char it came from."""
    text = text.translate(_APOSTROPHES)
    if text.isascii():
        return text.lower(), list(range(len(text)))
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        folded = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", ch).casefold())
        for c in folded:
            if unicodedata.category(c) == "Mn":  # combining accent: "á" -> "a", "ñ" -> "n"
                continue
            chars.append(c)
            index.append(i)
    return "".join(chars), index


@functools.lru_cache(maxsize=4096)
def _canonical(word: str) -> tuple[str, ...]:
    """One raw word -> canonical words (contractions, abbreviations, leetspeak).  Pure, so cached:
    the same few thousand words make up most texts."""
    return tuple(_canonical_words(word))


def _canonical_words(word: str) -> list[str]:
    m = _CONTRACTION.match(word)
    if m:
        base, suffix = m.group(1), m.group(2)
        if suffix == "t" and base.endswith("n"):
            return _NT_SPECIAL.get(base, base[:-1] + " not").split()
        if suffix == "s":
            return [base, "is"] if base in _IS_BEFORE_S else [base + "s"]
        if suffix in _SUFFIX:
            return [*_canonical_words(base), _SUFFIX[suffix]]
    word = word.replace("'", "")
    if word in _ABBREV:
        return _ABBREV[word].split()
    if any(d in word for d in "013457") and _HAS_LETTER.search(word):
        word = word.translate(_LEET)
        if word in _ABBREV:
            return _ABBREV[word].split()
    return [word]


def _normalise(text: str) -> list[list[_Word]]:
    """Canonical word lists for the text: one with runs of 3+ letters collapsed to two letters
    ("soooo" -> "soo", "killll" -> "kill") and, when different, one with them collapsed to a
    single letter ("diiieee" -> "die")."""
    folded, index = _fold(text)
    repeats = _REPEAT.search(folded) is not None
    variants: list[list[_Word]] = [[], []] if repeats else [[]]
    for m in _TOKEN.finditer(folded):
        start, end = index[m.start()], index[m.end() - 1] + 1
        raw = m.group()
        if len(raw) == 1 and raw in _PUNCTUATION:
            for words in variants:
                words.append(_Word(_BOUNDARY, start, end))
        elif not repeats:
            variants[0].extend(_Word(w, start, end) for w in _canonical(raw))
        else:
            two, one = _REPEAT.sub(r"\1\1", raw), _REPEAT.sub(r"\1", raw)
            variants[0].extend(_Word(w, start, end) for w in _canonical(two))
            variants[1].extend(_Word(w, start, end) for w in _canonical(one))
    return variants


# --------------------------------------------------------------------------------------------
# Pattern helpers
# --------------------------------------------------------------------------------------------

# Words that negate a following cue.  English "no" is handled specially in _negated().
_NEGATORS = frozenset(
    "not never no nobody none nothing neither nor nunca jamas nadie ni tampoco nada ningun"
    " ninguno ninguna".split()
)
# A negator followed by one of these is not negating the cue: "idk", "not sure if", "ngl".
_NEGATION_DISCOUNT = frozenset("know sure care lie lying kidding joking cap se way".split())
# Words that end a clause for negation scoping ("not ok but i want to die").
_CLAUSE_BREAKS = frozenset(
    "but pero though although aunque however and y so because porque then luego entonces sino"
    " except if when cuando lol lmao idk ngl tbh fr".split()
)
# A new subject starts a new clause: "im not ok i want to die".
_SUBJECTS = frozenset("i he she they we yo".split())
_NEGATION_WINDOW = 4

# An optional filler word that is not itself a negator ("would never hurt me" must not match
# "would <filler> hurt me").
_FILL = r"(?:(?!(?:not|never|no|nobody|nothing|nunca|jamas|nadie|nada|ni)\b)\w+ )"

_PERSON_EN = (
    r"(?:he|she|they|someone|somebody|guy|guys|dude|dudes|man|kid|kids|boy|girl|staff|cellie"
    r"|cellmate|roommate|mentor|dad|mom|father|mother|stepdad|stepmom|boyfriend|girlfriend"
    r"|brother|sister|uncle|aunt|cousin|foster|officer|guard|co|teacher|coach|people|caseworker"
    r"|counselor|worker|neighbor|parents?)"
)
_PERSON_ES = (
    r"(?:papa|mama|padre|madre|padrastro|madrastra|mentor|mentora|novio|novia|tio|tia|hermano"
    r"|hermana|primo|prima|abuelo|abuela|companero|companera|chavo|chava|tipo|vato|bato|guardia"
    r"|staff|custodio|maestro|maestra|jefe|jefa|senor|hombre|morro|carnal|compa|celador|oficial)"
)
_FAMILY_EN = (
    r"(?:(?:(?:foster|step|adoptive|birth|host|house) ?)?(?:dad|daddy|father|mom|mother|ma|pops"
    r"|parents?|brother|sister|uncle|aunt|auntie|grandpa|grandma|grandfather|grandmother|granny"
    r"|cousin|guardian|caregiver)|stepdad|stepmom|stepfather|stepmother"
    r"|(?:moms?|mothers?|dads?|fathers?|aunts?) (?:boyfriend|girlfriend|husband|wife|man))"
)
_FAMILY_ES = (
    r"(?:papa|papi|padre|mama|mami|madre|padrastro|madrastra|jefe|jefa|tio|tia|abuelo|abuela"
    r"|hermano|hermana|primo|prima|tutor|tutora|padres|papas|apa|ama"
    r"|familia (?:de acogida|temporal|sustituta|adoptiva))"
)
_HIT_EN = (
    r"(?:hits|hit|beats|beat|hurts|hurt|punches|punched|slaps|slapped|kicks|kicked|chokes"
    r"|choked|abuses|abused|abuse|whoops|whooped|whips|whipped|smacks|smacked|burns|burned"
    r"|hitting|beating|hurting|abusing|slapping|punching|kicking|choking)"
)
_HIT_ES = (
    r"(?:pega|pegan|pego|golpea|golpean|golpeo|maltrata|maltratan|lastima|lastiman|abusa|abusan"
    r"|hace dano|hacen dano|cachetea|pegaba|golpeaba|maltrataba|ahorca|patea|patean)"
)
_PILLS = r"(?:pills|meds|medication|medicine|tylenol|advil|xanax|percs|sleeping pills)"
_HAIR_ES = (
    r"(?! (?:el|la|las|los|mi|mis) (?:pelo|cabello|unas|fleco|barba|pelos|grenas|puntas|dedo"
    r"|mano|papel))"
)


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + pattern.replace("<w>", _FILL) + r")\b")


@dataclass(frozen=True)
class _Rule:
    category: str
    level: Level
    language: str
    regex: re.Pattern[str]
    negatable: bool


@dataclass(frozen=True)
class _Group:
    """Patterns of one category/level/language.  ``any`` is all of them in one regex: most texts
    match no group, so one search per group (not one per pattern) keeps a screen well under 1 ms."""

    rules: tuple[_Rule, ...]
    any: re.Pattern[str]


def _rules(
    language: str, category: str, level: Level, *patterns: str, negatable: bool = True
) -> list[_Group]:
    rules = tuple(_Rule(category, level, language, _rx(p), negatable) for p in patterns)
    return [_Group(rules, re.compile("|".join(r.regex.pattern for r in rules)))]


# --------------------------------------------------------------------------------------------
# Idioms and hyperbole: blanked out before the risk patterns run
# --------------------------------------------------------------------------------------------

_IDIOMS: tuple[re.Pattern[str], ...] = tuple(
    _rx(p)
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
        rf"(?:this|that|the|my|these|those|your|his|her) (?!{_PERSON_EN}\b)\w+ (?:<w>)?"
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
        rf"(?:este|esta|el|la|mi|mis|estos|estas|los|las|tu|su) (?!{_PERSON_ES}\b)\w+ (?:<w>)?"
        r"me (?:mata|matan|esta matando|estan matando)",
        r"(?:esto|eso) me (?:mata|esta matando)",
        r"(?:estuvo|esta|estaba|fue|quedo|salio|es) de miedo",
    )
)


# --------------------------------------------------------------------------------------------
# Risk patterns, per language.  Each pattern is matched against the canonical text: lower case,
# no accents, single spaces, contractions expanded ("i do not want to"), "." for punctuation.
# --------------------------------------------------------------------------------------------

# fmt: off
_EN_RULES: list[_Group] = [
    # --- suicide / self-harm: intent, wish to die, passive ideation, self-injury -------------
    *_rules(
        "en", SUICIDE, U,
        r"k+m+s+",
        # "told me to kill myself" is being harassed, not intent (see HURT below)
        r"(?<!told me to )(?<!tells me to )(?<!telling me to )(?<!told me to go )(?<!said to )"
        r"(?<!says to )(?<!said i should )kill(?:ing|ed|s)? (?:my ?self|my self)",
        r"suicid\w*", r"sewer ?slide", r"un ?aliv(?:e|ing|ed)\w*", r"self ?harm\w*",
        r"(?:want|wanted|wish|need|ready|deserve|trying|tried|plan|planning) to (?:just )?"
        r"(?:die|be dead|end it|end it all)",
        r"feel(?:ing)? like dying",
        r"wish (?:i was|i were|to be) dead",
        r"wish i (?:was|were) (?:gone|never born)",
        r"wish i (?:could )?(?:die|disappear|not exist|stop existing)",
        r"(?:want|wish i could|need) to (?:just )?disappear",
        r"(?:tired|sick) of (?:living|being alive|life|existing)",
        r"end(?:ing)? (?:it all|my life|things|everything|my ?self)",
        r"take my (?:own )?life",
        r"better off (?:without me|dead|if i (?:was|were|am|died|disappeared|never)\b)",
        r"happier without me",
        r"rather (?:be )?(?:dead|die)",
        r"cut(?:ting|s)? (?:my ?self|my (?:arms?|wrists?|legs?|thighs?|skin))",
        r"(?:been|started|start|keep|am|was) cutting",
        r"cutting again",
        r"(?:hurt|hurting|harm|harming|injure|injuring|burn|burning|starve|starving) my ?self"
        r"(?! (?:playing|lifting|working out|at (?:practice|the gym|gym|basketball|football"
        r"|soccer|work)|in (?:gym|practice|the game|pe)))",
        r"(?:hang|hanging|shoot|shooting) my ?self",
        r"(?:slit|slitting) my (?:wrists?|throat)",
        r"jump(?:ing|ed)? off (?:a|the|this|that) (?:roof|bridge|building|balcony|cliff"
        r"|overpass|ledge)",
        r"(?:want to|going to|will|try to|tried to|planning to) overdose",
        r"(?:overdose|overdosed|od|pills|meds) (?:<w>){0,3}on purpose",
        rf"(?:took|take|taking|swallowed|swallow|ate|popped) a (?:whole )?(?:bunch|lot|handful"
        rf"|ton|bottle) of (?:<w>)?{_PILLS}",
        rf"all (?:of )?(?:my|the) {_PILLS} (?:<w>){{0,2}}(?:at once|on purpose|together)",
        r"thoughts? (?:of|about) (?:dying|death|killing my ?self|ending it)",
        r"(?:hope|wish) i (?:never|do not) wake up",
    ),
    # negation is part of these phrases, so a preceding negator does not cancel them
    *_rules(
        "en", SUICIDE, U,
        r"(?:not|never) want to (?:<w>)?(?:live|be alive|exist|be here anymore|be around anymore"
        r"|be here no more)",
        r"(?:sleep|bed) (?:<w>){0,3}(?:and )?(?:never|not) wake up",
        r"no (?:reason|point) (?:<w>){0,2}to (?:live|keep living|be alive|stay alive|be here)",
        r"no point in (?:living|being alive|life)",
        r"not worth living",
        r"(?:nobody|no one) (?:would|will|is going to) (?:even )?(?:miss|care about|notice) me",
        r"(?:nobody|no one) would (?:even )?(?:care|notice) if i",
        r"wish i (?:was|were) not (?:here|alive|born|around)",
        negatable=False,
    ),
    # --- hurt or threatened ------------------------------------------------------------------
    # now: progressive
    *_rules(
        "en", HURT, U,
        r"(?:is|are|am being|keeps|keep|keep on) (?:<w>)?(?:hitting|beating|hurting|punching"
        r"|kicking|choking|stabbing|attacking|strangling|killing|slapping|jumping) (?:on )?"
        r"(?:me|us)",
        # imminent / threatened
        r"(?:going to|will|would|about to|want to|wants to|trying to|waiting to|planning to"
        r"|plan to|plans to|coming to|gon|said he|said they|said she) (?:<w>)?(?:kill|hurt|beat"
        r"|stab|shoot|jump|hit|attack|fight|smash|rape|choke|cut|murder|shank) (?:me|us)",
        r"threaten(?:ed|s|ing)? (?:me\b(?! with (?:a )?(?:write ?up|report))|to (?:kill|hurt"
        r"|beat|stab|shoot|jump|hit|attack|fight|rape|cut|choke|murder|shank)\b)",
        r"(?:knife|gun|shank|blade|strap|weapon) on me",
        r"pull(?:ed|s|ing)? (?:a )?(?:knife|gun|shank|blade|strap)",
        r"(?:kill|hurt|beat|jump|stab|shoot) me if",
    ),
    # past or habitual
    *_rules(
        "en", HURT, C,
        r"(?:hit|hits|punched|punches|slapped|slaps|kicked|kicks|jumped|beat|beats|attacked"
        r"|attacks|stabbed|choked|chokes|assaulted|hurt|hurts|bullies|bullied|harassed|harasses"
        r"|threw|throws|shoved|shoves|socked|smacked|smacks) (?:on )?(?:me|us)"
        r"(?! (?:at|in) (?:cards|chess|checkers|spades|uno|dominoes|ball|basketball|the game"
        r"|a game|pool|2k|madden|fortnite|a race|racing|ping pong))",
        r"got (?:jumped|beat up|beaten|beat|hit|punched|stabbed|attacked|assaulted|shanked"
        r"|robbed)",
        r"getting (?:bullied|jumped|beat up|beaten|picked on)",
        r"(?:almost|nearly|tried to|could have) kill(?:ed)? me",
        r"kys|kill (?:your ?self|urself|ur self)",
        r"(?:told|tells|telling|said|says) (?:me )?(?:to|i should) (?:go )?(?:kill my ?self"
        r"|die|unalive my ?self)",
    ),
    # --- abuse at home -----------------------------------------------------------------------
    *_rules(
        "en", ABUSE, C,
        rf"(?:my |our |the )?{_FAMILY_EN} (?:<w>){{0,2}}{_HIT_EN} (?:on )?(?:me|us)",
        r"abus(?:e|ed|ive|ing) (?:<w>)?(?:at|in (?:my|the|our)) (?:home|house)",
        r"(?:get|getting|got|gets|been) (?:hit|beat|beaten|abused|whooped|hurt|smacked) "
        rf"(?:<w>)?(?:at home|at my house|at the house|by my {_FAMILY_EN})",
        rf"abusive (?:home|house|household|family|{_FAMILY_EN})",
        rf"{_FAMILY_EN} (?:is|are) abusive",
        r"(?:abuse|violence) at home",
        r"home is (?:<w>)?(?:abusive|violent)",
    ),
    # --- sexual boundary ---------------------------------------------------------------------
    *_rules(
        "en", SEXUAL, U,
        r"rap(?:e|ed|es|ing)",
        r"forc\w* (?:me )?(?:to )?(?:<w>){0,2}(?:sex|sexual|touch\w*|suck|oral|undress|naked"
        r"|kiss)",
        r"(?:made|makes|make|making) me have sex",
        r"(?:is|are|keeps) touching me",
        r"sexual(?:ly)? assault\w*",
        r"molest\w*",
    ),
    *_rules(
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
    ),
    # --- coercion / exploitation -------------------------------------------------------------
    *_rules(
        "en", COERCION, C,
        # money, commissary
        r"(?:asks|asked|asking|ask|begging|begs|wants|wanted|demands|demanded|takes|took|taking"
        r"|borrows|borrowed) (?:me )?(?:for |to (?:borrow|give|lend)(?: him| her)? )?"
        r"(?:some |my |his |her |more )?(?:money|cash|commissary|canteen|bucks)",
        r"(?:give|giving|gave|pay|paying|paid) (?:him|her|them|my mentor|the mentor) "
        r"(?:<w>){0,2}(?:money|cash|commissary|canteen|back)",
        r"pay (?:him|her|them) back",
        r"i owe (?:him|her|them|my mentor)",
        r"owe (?:him|her|them) (?:money|favors?|something)",
        # secrets
        r"keep (?:<w>){0,2}secrets?", r"our (?:little )?secret", r"(?:between|just between) us",
        r"(?:told|tells|telling|asked|asks|asking|wants|wanted|said|says|warned|made) (?:me )?"
        r"(?:not|never) (?:to )?tell",
        # favours, holding and carrying things
        r"favou?rs", r"(?:do|doing|did) (?:him|her|them) (?:<w>)?favou?rs?",
        r"me to (?:hold|carry|hide|stash|sneak|smuggle|hold onto)",
        r"me to (?:bring|move|pass|deliver|take) (?:<w>){0,2}(?:in|inside|for (?:him|her|them))",
        r"(?:hold|holding|carry|carrying|hide|hiding|stash|stashing|sneak|sneaking|smuggle"
        r"|smuggling) (?:<w>){0,3}for (?:him|her|them|my mentor)",
        # threats to get them in trouble
        r"(?:write|writes|writing|wrote|written) (?:me )?up",
        r"(?:send|sending|sent|get|getting) me (?:sent )?back",
        r"(?:get|getting) sent back",
        r"(?:report|snitch on|rat on|tell on) me",
        r"threaten\w* (?:me )?(?:to|with) (?:report\w*|write\w*|tell\w*|snitch\w*|send\w*)",
        r"get me (?:in trouble|violated|locked up|kicked out)",
        # pressure
        r"pressur(?:e|es|ed|ing) (?:me|into)",
        r"(?:feel|felt|feeling|am|being|was|get|got|been) (?:<w>)?pressured",
        r"(?:make|makes|made|making|force|forces|forced|forcing) me (?:to )?do (?:things|stuff"
        r"|something|it|that)",
        r"(?:forcing|forced|forces) me",
    ),
    # --- feeling unsafe ----------------------------------------------------------------------
    *_rules(
        "en", UNSAFE, C,
        r"scared|terrified|frightened|petrified|fearful",
        r"afraid(?! (?:i|that|so|not|we|you|it)\b)",
        r"unsafe", r"in danger", r"fear for my (?:life|safety)",
    ),
    *_rules(
        "en", UNSAFE, C,
        r"(?:not|never) (?:<w>)?(?:feel|feeling|felt) (?:<w>)?safe",
        r"not safe",
        negatable=False,
    ),
    # --- substance relapse -------------------------------------------------------------------
    *_rules(
        "en", SUBSTANCE, C,
        r"relaps\w*",
        r"(?:using|used|use|drinking|drank|drink|smoking|smoked|shooting up|snorting|popping"
        r"|popped) (?:<w>){0,2}again",
        r"(?:got|get|getting|gets|was|been) (?:so |really )?(?:high|drunk|wasted|faded|stoned"
        r"|blazed|tweaking|loaded)",
        r"(?:back on|started) (?:the )?(?:drugs|pills|meth|dope|using|drinking)",
        r"(?:used|using|did|doing|took|taking|popped|popping|smoked|smoking|shot up|snorted"
        r"|sniffed|bought) (?:some )?(?:meth|crystal|crack|coke|cocaine|heroin|dope|fent"
        r"|fentanyl|percs|percocets|xans|xanax|molly|ecstasy|lean|drugs|spice|k2)",
        r"slipped up", r"fell off the wagon", r"lost my (?:clean time|sobriety)",
    ),
    # --- hopelessness ------------------------------------------------------------------------
    *_rules(
        "en", HOPELESS, C,
        r"what is the (?:point|use)",
        r"(?:give|giving|gave|given) up(?! (?:smoking|drinking|drugs|sugar|soda|meat|my \w+"
        r"|\w+ing))",
        r"hopeless", r"why (?:even )?bother", r"done trying",
        r"can not (?:do this|take (?:it|this)|handle (?:it|this)) (?:anymore|no more)",
    ),
    *_rules(
        "en", HOPELESS, C,
        r"no point\b(?! in (?:asking|worrying))", r"no hope",
        r"nothing (?:<w>){0,2}(?:get|gets|getting) better",
        r"nothing (?:<w>){0,4}change[sd]?",
        r"never (?:going to )?(?:get|be|gets) better",
        negatable=False,
    ),
    # --- not eating / sleeping ---------------------------------------------------------------
    *_rules(
        "en", EAT_SLEEP, W,
        r"(?:can not|could not|unable to|not able to|have not been able to) (?:<w>)?(?:sleep"
        r"|eat|fall asleep|get (?:back )?to sleep|go to sleep|stay asleep|keep (?:food|anything)"
        r" down)",
        r"(?:have not|had not|did not|not) (?:<w>)?(?:slept|eaten|ate|been sleeping|been eating"
        r"|sleeping|eating)",
        r"not (?:eat|sleep) (?:much|anything|at all|anymore|enough|well)",
        r"no (?:sleep|appetite)",
        r"(?:not|never) hungry",
        negatable=False,
    ),
    *_rules(
        "en", EAT_SLEEP, W,
        r"barely (?:eat|eating|ate|sleep|sleeping|slept)",
        r"skip(?:ped|ping|s)? (?:<w>){0,2}meals?",
        r"insomnia",
        r"up all night",
    ),
]

_ES_RULES: list[_Group] = [
    # --- suicidio / autolesion ---------------------------------------------------------------
    *_rules(
        "es", SUICIDE, U,
        r"quiero (?:<w>)?morir(?:me)?",
        r"me quiero (?:<w>)?(?:morir|matar|suicidar|quitar la vida|ir de este mundo)",
        rf"me quiero cortar{_HAIR_ES}",
        r"(?:quiero|quisiera|voy a|vamos a|pienso|pensando en|pense en|ganas de|deberia|podria"
        r"|intente|intentar|tratar de|trate de|planeo|prefiero) (?:<w>)?(?:matarme|suicidarme"
        r"|morirme|quitarme la vida|lastimarme|hacerme dano|ahorcarme|colgarme|desaparecer"
        r"|tirarme de)",
        rf"cortarme{_HAIR_ES}",
        r"me voy a (?:matar|suicidar|quitar la vida|ahorcar|colgar)",
        r"suicid\w*",
        r"quitar(?:me|se)? la vida",
        r"acabar con (?:todo|mi vida)",
        r"(?:estaria|estarian|estarias|estariamos|seria|serian) mejor (?:muert[oa]s?|sin mi)",
        r"mejor sin mi", r"mejor muert[oa]s?",
        r"me (?:corte|corto|cortaba|he cortado|estoy cortando|sigo cortando|volvi a cortar)"
        + _HAIR_ES,
        r"(?:pastillas|medicinas|sobredosis) (?:<w>){0,3}a proposito",
        r"(?:quiero|voy a|pienso) (?:tomarme|tomar) (?:todas|un monton de|muchas) (?:las |mis )?"
        r"(?:pastillas|medicinas)",
        r"(?:ahorcarme|colgarme)",
        r"tirarme (?:del|de un|de la|al) (?:puente|edificio|techo|azotea|metro)",
        r"cansad[oa] de vivir",
        r"(?:ojala|quisiera|desearia) (?:<w>)?(?:no (?:estar|estuviera|existir|existiera"
        r"|haber nacido|hubiera nacido|despertar)|estar muert[oa]|estuviera muert[oa]|morirme"
        r"|me muriera|desaparecer)",
    ),
    *_rules(
        "es", SUICIDE, U,
        r"no quiero (?:<w>)?(?:vivir|seguir viviendo|estar viv[oa]|existir|despertar)",
        r"ya no quiero (?:estar|seguir) aqui",
        r"nadie me (?:va a )?(?:extranaria|extranara|extranar|echaria de menos)",
        r"no (?:vale|tiene caso) (?:la pena )?vivir",
        negatable=False,
    ),
    # --- golpes y amenazas -------------------------------------------------------------------
    *_rules(
        "es", HURT, U,
        r"me (?:esta|estan) (?:pegando|golpeando|lastimando|matando|ahorcando|amenazando"
        r"|atacando|apunalando|madreando)",
        r"me (?:va|van|iba|iban|quiere|quieren|queria|querian|piensa|piensan|intenta|intentan) "
        r"(?:a )?(?:matar|pegar|golpear|lastimar|apunalar|picar|balear|disparar|atacar|madrear"
        r"|violar|ahorcar|dar una (?:paliza|golpiza|madriza|putiza|calentada))",
        r"(?:quiere|quieren|va a|van a|iba a|iban a|amenazo con|amenazaron con|trato de"
        r"|trataron de|intento|intentaron) (?:<w>)?(?:matarme|golpearme|pegarme|lastimarme"
        r"|apunalarme|picarme|balearme|atacarme|violarme)",
        r"me amenaz\w*(?! con (?:reportar\w*|acusar\w*|decir\w*|contar\w*|mandar\w*"
        r"|regresar\w*|sacar\w*|correr\w*|echar\w*))",
        r"me (?:mata|matan) si",
    ),
    *_rules(
        "es", HURT, C,
        r"me (?:pegaron|golpearon|pego|golpeo|lastimaron|lastimo|atacaron|ataco|asaltaron"
        r"|patearon|pateo|madrearon|apunalaron|pega|pegan|golpea|golpean|lastiman)",
        r"me dieron una (?:paliza|golpiza|madriza|putiza)",
        r"me (?:hacen|hace|hicieron) bullying",
    ),
    # --- abuso en casa -----------------------------------------------------------------------
    *_rules(
        "es", ABUSE, C,
        rf"(?:mi|mis|el|la|los) {_FAMILY_ES} (?:<w>){{0,3}}me {_HIT_ES}",
        rf"en (?:mi|la) casa (?:<w>){{0,2}}me {_HIT_ES}",
        r"me (?:pegan|golpean|maltratan|lastiman) en (?:mi|la) casa",
        r"(?:abuso|violencia|maltrato) en (?:mi|la) casa",
        r"hay (?:abuso|violencia|maltrato) en",
    ),
    # --- limites sexuales --------------------------------------------------------------------
    *_rules(
        "es", SEXUAL, U,
        r"me viol\w+", r"violacion",
        r"abus\w* (?:sexualmente|sexual) (?:de mi)?",
        r"me (?:obliga|obligo|obligaron|forzo|forzaron|forza|fuerza) a (?:<w>){0,2}(?:sexo"
        r"|relaciones|tocar\w*|sexual\w*|chupar\w*|desvestirme|besar\w*|mamar\w*)",
        r"(?:tocar\w*|toco|toca|bes\w*|sexo|relaciones|desvest\w*) (?:<w>){0,3}a la fuerza",
        r"me (?:esta|estan) (?:tocando|manoseando)",
    ),
    *_rules(
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
    ),
    # --- coercion / explotacion --------------------------------------------------------------
    *_rules(
        "es", COERCION, C,
        r"me (?:pide|pidio|pidieron|piden|pedia|ha pedido|anda pidiendo|esta pidiendo"
        r"|sigue pidiendo) (?:<w>)?(?:dinero|plata|lana|feria|varo|prestado|favores|un favor"
        r"|mi comisaria|mis cosas|mi comida)",
        r"le debo",
        r"(?:que )?no (?:le |les )?(?:diga|dijera|digas|dijeras|cuente|contara|cuentes"
        r"|contaras|diria)\w* (?:a nadie|nada|al staff|a los staff|a mi \w+)",
        r"(?:nuestro|es un|un) secreto",
        r"guard(?:e|ar|ara|es|aras|o) (?:<w>)?secretos?",
        r"le (?:guarde|guardara|guardo|guardes|escond\w*|llev\w*|pas\w*|meta|metiera) (?:algo"
        r"|un paquete|una bolsa|cosas|esto|su \w+|droga\w*)",
        r"me amenaz\w* con (?:reportar\w*|acusar\w*|decir\w*|contar\w*|mandar\w*|regresar\w*"
        r"|sacar\w*|correr\w*|echar\w*)",
        r"(?:me )?(?:va|van|iba|iban) a reportar|reportarme|me reporta\w*",
        r"me (?:presion\w+|esta presionando)",
        r"me (?:obliga|obligan|obligo|forza|fuerza|hace|hacen|hizo) (?:a )?hacer (?:cosas|algo"
        r"|lo que)",
        r"me pide favores",
    ),
    # --- no se siente seguro/a ---------------------------------------------------------------
    *_rules(
        "es", UNSAFE, C,
        r"tengo (?:<w>)?miedo", r"me (?:da|dan|daba) (?:<w>)?miedo",
        r"me siento (?:<w>)?(?:insegur[oa]|en peligro|amenazad[oa])",
        r"estoy (?:<w>)?(?:asustad[oa]|aterrad[oa])", r"me asusta",
    ),
    *_rules(
        "es", UNSAFE, C,
        r"no me siento (?:<w>)?(?:segur[oa]|a salvo|tranquil[oa])",
        negatable=False,
    ),
    # --- recaida -----------------------------------------------------------------------------
    *_rules(
        "es", SUBSTANCE, C,
        r"reca(?:i|yo|ida|er)",
        r"volv(?:i|io) a (?:usar|consumir|tomar|beber|fumar|drogarme|drogar|meterme|inyectarme"
        r"|emborracharme|caer)",
        r"me (?:drogue|emborrache|puse (?:bien )?(?:pedo|high|borracho|drogado))",
        r"otra vez (?:tomando|bebiendo|fumando|drogandome|consumiendo|usando)",
        r"(?:estoy|ando|andaba) (?:<w>)?(?:drogad[oa]|borrach[oa]|high)",
        r"(?:uso|use|usando|consumo|consumiendo|fumo|fumando) (?:drogas|mota|cristal|crack|coca"
        r"|heroina|pastillas|perico|piedra)",
    ),
    # --- desesperanza ------------------------------------------------------------------------
    *_rules(
        "es", HOPELESS, C,
        r"me (?:doy|di|he dado) por vencid[oa]", r"(?:ya )?me rendi", r"me rindo",
        r"para que (?:sigo|seguir|intento|intentar|lo intento|me esfuerzo)",
        r"sin esperanza",
    ),
    *_rules(
        "es", HOPELESS, C,
        r"no tiene sentido", r"no le veo (?:el |ningun )?sentido",
        r"ya no (?:puedo|aguanto) mas", r"ya no aguanto",
        r"no hay esperanza", r"nada (?:<w>){0,2}(?:mejorar|cambiar|mejora|cambia)",
        r"ya no tiene caso",
        negatable=False,
    ),
    # --- no come / no duerme -----------------------------------------------------------------
    *_rules(
        "es", EAT_SLEEP, W,
        r"no (?:puedo|pude|he podido|podia|logro|consigo) (?:<w>)?(?:dormir|comer)",
        r"no (?:he|e) (?:comido|dormido)",
        r"(?:casi|ya) no (?:como|duermo|estoy comiendo|estoy durmiendo)",
        r"no (?:duermo|como|estoy durmiendo|estoy comiendo) (?:nada|bien|casi nada|desde)",
        r"sin (?:dormir|comer)",
        r"no tengo (?:<w>)?(?:hambre|apetito)",
        negatable=False,
    ),
    *_rules("es", EAT_SLEEP, W, r"insomnio"),
]

# fmt: on

_RULES: dict[str, list[_Group]] = {"en": _EN_RULES, "es": _ES_RULES}


# --------------------------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------------------------


class _Hit(NamedTuple):
    category: str
    level: Level
    start: int  # span in the original text
    end: int


def _negated(words: list[_Word], first: int, rule: _Rule) -> bool:
    """True if a negator sits within a few words before words[first], in the same clause."""
    for j in range(first - 1, max(-1, first - 1 - _NEGATION_WINDOW), -1):
        word = words[j].text
        if word == _BOUNDARY or word in _CLAUSE_BREAKS or word in _SUBJECTS:
            return False
        if word not in _NEGATORS:
            continue
        following = words[j + 1].text if j + 1 < len(words) else ""
        if following in _NEGATION_DISCOUNT:  # "idk", "not sure", "no cap", "no se"
            return False
        if word == "no" and rule.language == "en" and following not in ("one", "body"):
            # English "no" negates only mid-clause ("i have no plan to ..."); at the start of a
            # clause it is an answer: "no i want to die".
            if j == 0 or words[j - 1].text == _BOUNDARY:
                return False
        return True
    return False


def _remove_idioms(words: list[_Word]) -> list[_Word]:
    text = " ".join(w.text for w in words)
    spans = [m.span() for idiom in _IDIOMS for m in idiom.finditer(text)]
    if not spans:
        return words
    out: list[_Word] = []
    pos = 0
    for w in words:
        start, end = pos, pos + len(w.text)
        pos = end + 1
        if any(s < end and start < e for s, e in spans):
            if not out or out[-1].text != _BOUNDARY:
                out.append(_Word(_BOUNDARY, w.start, w.end))
        else:
            out.append(w)
    return out


def _scan(words: list[_Word], groups: list[_Group]) -> list[_Hit]:
    text = " ".join(w.text for w in words)
    starts: list[int] = []
    pos = 0
    for w in words:
        starts.append(pos)
        pos += len(w.text) + 1
    rules = [rule for group in groups if group.any.search(text) for rule in group.rules]
    hits: list[_Hit] = []
    for rule in rules:
        for m in rule.regex.finditer(text):
            if m.end() == m.start():
                continue
            first = bisect.bisect_right(starts, m.start()) - 1
            last = bisect.bisect_right(starts, m.end() - 1) - 1
            if rule.negatable and _negated(words, first, rule):
                continue
            hits.append(_Hit(rule.category, rule.level, words[first].start, words[last].end))
    return hits


def _overlaps(a: _Hit, b: _Hit) -> bool:
    return a.start < b.end and b.start < a.end


def _merge(hits: list[_Hit]) -> list[_Hit]:
    """Keep one hit per category per stretch of text: the highest level, and on a tie the first
    (the priority language's rules run first)."""
    kept: list[_Hit] = []
    for hit in hits:
        clash = next(
            (i for i, k in enumerate(kept) if k.category == hit.category and _overlaps(k, hit)),
            None,
        )
        if clash is None:
            kept.append(hit)
        elif hit.level > kept[clash].level:
            kept[clash] = hit
    # "my dad hits me" is abuse at home, not a second, separate hurt_or_threatened report.
    abuse = [k for k in kept if k.category == ABUSE]
    return [
        k
        for k in kept
        if not (
            k.category == HURT and k.level <= Level.CONCERN and any(_overlaps(k, a) for a in abuse)
        )
    ]


def assess(text: str, language: str = "en") -> Assessment:
    """Screen one free-text reply for risk.  Pure and deterministic; never raises for a str."""
    if not isinstance(text, str) or not text:
        return NONE_ASSESSMENT
    text = text[:MAX_CHARS]
    primary = "es" if isinstance(language, str) and language[:2].casefold() == "es" else "en"
    groups = _RULES[primary] + _RULES["en" if primary == "es" else "es"]

    hits: list[_Hit] = []
    for words in _normalise(text):
        hits.extend(_scan(_remove_idioms(words), groups))
    hits = _merge(hits)
    if not hits:
        return NONE_ASSESSMENT

    level = max(h.level for h in hits)
    categories = tuple(sorted({h.category for h in hits}))
    evidence: list[str] = []
    for hit in sorted(hits, key=lambda h: (h.start, h.end)):
        snippet = text[hit.start : min(hit.end, hit.start + MAX_EVIDENCE_CHARS)]
        if snippet not in evidence:
            evidence.append(snippet)
    return Assessment(level, categories, tuple(evidence))


def suggested_language(text: str, default: str = "en") -> str:
    """The language ("en" or "es") whose risk patterns cover more of ``text``: what to answer
    someone we know nothing about (an unknown sender) in. ``default`` when neither language's
    patterns match, or both cover as much. Pure, like `assess`."""
    if not isinstance(text, str) or not text:
        return default
    text = text[:MAX_CHARS]
    covered: dict[str, int] = {}
    for language in ("en", "es"):
        hits: list[_Hit] = []
        for words in _normalise(text):
            hits.extend(_scan(_remove_idioms(words), _RULES[language]))
        covered[language] = sum(hit.end - hit.start for hit in _merge(hits))
    if covered["en"] == covered["es"]:
        return default
    return "es" if covered["es"] > covered["en"] else "en"
