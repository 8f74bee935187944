"""Shared pieces of the risk patterns: negation words, people, family, hitting, pills, and the
helpers that compile a category's patterns into one group."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flows.levels import Level
from flows.risk.prefilter import required_trigrams

# --------------------------------------------------------------------------------------------

# Words that negate a following cue.  English "no" is handled specially in _negated().
NEGATORS = frozenset(
    "not never no nobody none nothing neither nor nunca jamas nadie ni tampoco nada ningun"
    " ninguno ninguna".split()
)
# A negator followed by one of these is not negating the cue: "idk", "not sure if", "ngl".
NEGATION_DISCOUNT = frozenset("know sure care lie lying kidding joking cap se way".split())
# Words that end a clause for negation scoping ("not ok but i want to die").
CLAUSE_BREAKS = frozenset(
    "but pero though although aunque however and y so because porque then luego entonces sino"
    " except if when cuando lol lmao idk ngl tbh fr".split()
)
# A new subject starts a new clause: "im not ok i want to die".
SUBJECTS = frozenset("i he she they we yo".split())
# Laughter ("jajaja", "hahaha", "jsjs", "xd") ends a clause ("no manches jaja tengo una cuerda").
LAUGHTER = re.compile(r"^(?:(?:[jh][aeiou]?){2,}[jhs]*|(?:js)+j?|x+d+|lo+l+|lmf?a+o+|jk|jeje\w*)$")
NEGATION_WINDOW = 5
# "can't stop thinking", "no puedo dejar de pensar": the negator is about stopping, not the cue.
MODALS = frozenset("can could puedo pude podia will".split())
KEEP_GOING = frozenset("stop help dejar parar quitar quit".split())
# "trying not to", "tratando de no": fighting the thought is not denying it.
TRYING = frozenset("trying try tried tratando trato trate intento intentando".split())
# "i never said i ..." / "no dije que": a denial of having said it reaches over the subject.
REPORTING = frozenset("said say saying meant mean".split())
# English "no" + one of these is a determiner ("no thoughts of ..."), not an answer ("no, i ...").
NO_NOUNS = frozenset(
    "thoughts thought plans plan urges urge intention intentions desire suicidal self way one"
    " body need more".split()
)

# An optional filler word that is not itself a negator ("would never hurt me" must not match
# "would <filler> hurt me").
FILL = r"(?:(?!(?:not|never|no|nobody|nothing|nunca|jamas|nadie|nada|ni)\b)\w+ )"

PERSON_EN = (
    r"(?:he|she|they|someone|somebody|guy|guys|dude|dudes|man|kid|kids|boy|girl|staff|cellie"
    r"|cellmate|roommate|mentor|dad|mom|father|mother|stepdad|stepmom|boyfriend|girlfriend"
    r"|brother|sister|uncle|aunt|cousin|foster|officer|guard|co|teacher|coach|people|caseworker"
    r"|counselor|worker|neighbor|parents?)"
)
PERSON_ES = (
    r"(?:papa|mama|padre|madre|padrastro|madrastra|mentor|mentora|novio|novia|tio|tia|hermano"
    r"|hermana|primo|prima|abuelo|abuela|companero|companera|chavo|chava|tipo|vato|bato|guardia"
    r"|staff|custodio|maestro|maestra|jefe|jefa|senor|hombre|morro|carnal|compa|celador|oficial)"
)
FAMILY_EN = (
    r"(?:(?:(?:foster|step|adoptive|birth|host|house) ?)?(?:dad|daddy|father|mom|mother|ma|pops"
    r"|parents?|brother|sister|uncle|aunt|auntie|grandpa|grandma|grandfather|grandmother|granny"
    r"|cousin|guardian|caregiver)|stepdad|stepmom|stepfather|stepmother"
    r"|(?:moms?|mothers?|dads?|fathers?|aunts?) (?:boyfriend|girlfriend|husband|wife|man))"
)
FAMILY_ES = (
    r"(?:papa|papi|padre|mama|mami|madre|padrastro|madrastra|jefe|jefa|tio|tia|abuelo|abuela"
    r"|hermano|hermana|primo|prima|tutor|tutora|padres|papas|apa|ama"
    r"|familia (?:de acogida|temporal|sustituta|adoptiva))"
)
HIT_EN = (
    r"(?:hits|hit|beats|beat|hurts|hurt|punches|punched|slaps|slapped|kicks|kicked|chokes"
    r"|choked|abuses|abused|abuse|whoops|whooped|whips|whipped|smacks|smacked|burns|burned"
    r"|hitting|beating|hurting|abusing|slapping|punching|kicking|choking)"
)
HIT_ES = (
    r"(?:pega|pegan|pego|golpea|golpean|golpeo|maltrata|maltratan|lastima|lastiman|abusa|abusan"
    r"|hace dano|hacen dano|cachetea|pegaba|golpeaba|maltrataba|ahorca|patea|patean)"
)
PILLS = r"(?:pills|meds|medication|medicine|tylenol|advil|xanax|percs|sleeping pills)"
HAIR_ES = (
    r"(?! (?:el|la|las|los|mi|mis) (?:pelo|cabello|unas|fleco|barba|pelos|grenas|puntas|dedo"
    r"|mano|papel))"
)


def rx(pattern: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + pattern.replace("<w>", FILL) + r")\b")


@dataclass(frozen=True)
class Rule:
    category: str
    level: Level
    language: str
    regex: re.Pattern[str]
    negatable: bool
    # The rule counts only if this also matches somewhere in the same (canonical) text: a cue that
    # is risky only in context ("he's outside" + "help"/"hiding"/"right now").
    needs: re.Pattern[str] | None = None
    # The rule counts at CONCERN, not its level, if this matches somewhere in the text: an attempt
    # "years ago", "when i was 14" is a past attempt, not a recent one.
    demote: re.Pattern[str] | None = None
    # One of these is in every text the rule can match (None: always try it); see prefilter.py.
    trigrams: frozenset[str] | None = None


@dataclass(frozen=True)
class Group:
    """Patterns of one category/level/language that share negation, ``needs`` and ``demote``.
    ``any`` is all of them in one regex, and it is what the screen runs: one scan per group, not
    one per pattern, keeps a screen fast however many patterns a group has."""

    rules: tuple[Rule, ...]
    any: re.Pattern[str]


def rules(
    language: str,
    category: str,
    level: Level,
    *patterns: str,
    negatable: bool = True,
    needs: str | None = None,
    demote: str | None = None,
) -> list[Group]:
    need = rx(needs) if needs else None
    lower = rx(demote) if demote else None
    compiled = [rx(p) for p in patterns]
    rules = tuple(
        Rule(category, level, language, r, negatable, need, lower, required_trigrams(r))
        for r in compiled
    )
    combined = re.compile("|".join(r.regex.pattern for r in rules))
    return [Group(rules, combined)]
