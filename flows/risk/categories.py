"""Risk categories, their usual levels, and the result of a screen."""

from __future__ import annotations

from dataclasses import dataclass

from flows.levels import Level

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
BULLYING = "bullying"
PAST_ATTEMPT = "past_attempt"
HELP = "asking_for_help"

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
    # Not eating or sleeping for days and panic attacks are concern in the rubric.
    EAT_SLEEP: Level.CONCERN,
    BULLYING: Level.CONCERN,
    # A suicide attempt in the past with no ideation now; a recent attempt is suicide_self_harm.
    PAST_ATTEMPT: Level.CONCERN,
    HELP: Level.CONCERN,
}


@dataclass(frozen=True)
class Assessment:
    level: Level  # highest level among matched categories, Level.NONE if none
    categories: tuple[str, ...]  # sorted unique category names matched
    evidence: tuple[str, ...]  # matched snippets of the ORIGINAL text, in text order


NONE_ASSESSMENT = Assessment(Level.NONE, (), ())
