"""Risk screening of free text: pure, deterministic, standard library only.

Every free-text reply a mentee sends is screened here, against the rubric in
shared/risk-rubric.md (urgent / concern / none).  The screen is hand-written, readable regular
expressions per category family and language, run over a normalised copy of the text:

1. ``normalise``  NFKC, casefold, accents stripped, apostrophes unified; the text is split into
   words (punctuation kept as clause boundaries "."), repeated letters collapsed ("diiieee"),
   texting abbreviations and contractions expanded ("wanna" -> "want to", "dont" -> "do not"),
   light leetspeak undone ("k1ll" -> "kill").  Every word remembers its span in the ORIGINAL text,
   so evidence shown to a supervisor is always a verbatim slice of what the mentee wrote.
2. ``idioms``     blanked out before any risk pattern runs: fixed idioms ("dying laughing",
   "killing it", "me muero de risa") and HYPERBOLE, a death or threat phrase tied within a few
   words to a TRIVIAL trigger (a show, a photo, grades, being late: "this finale makes me want to
   kill myself", "my mom is gonna kill me when she sees my grades", "prefiero morir antes que ver
   esa peli").  The trigger decides, never a laughter marker: "i want to die lol" stays urgent.
   A seriousness or danger word anywhere ("not kidding", "drunk", "knife", "miedo") keeps them,
   and so does self-harm, a photo that went round or a placement at stake in the same text.
   The normaliser also reads common misspellings of risk words ("myslef", "pastiyas", one slip
   in a long word) and English -ing verbs typed without the g ("thinkin bout killin myself").
3. families    one module per category family (suicide, harm, abuse, sexual, coercion, unsafe,
   substance, despair, eat_sleep); concepts.py and frames.py widen the urgent rows (frames.py:
   self-injury by what was done to the body, fighting the urge, plans without a method, veiled
   goodbyes, danger now, and a loose "wish + death word in one clause" frame), situations.py the
   concern rows where the situation is the signal.  Patterns are composed from small vocabularies
   x frames (suicide.py: ways of saying "not being alive" x "want to / wish / thinking about /
   ojala"), so new wordings of the same idea match, not only the sentences they were written
   from.  A ``Group`` is the patterns sharing category, level, negation and context; it is
   compiled into one regex and a screen runs one scan per group.  A group may need context in the
   same text (``needs``: "he's outside" counts with "help", "hiding", "right now") or drop to
   CONCERN in some context (``demote``: an attempt "years ago" is a past attempt, not a recent
   one).  Both languages' patterns ALWAYS run (people mix languages); ``language`` only decides
   which wins when two patterns of the same category claim overlapping text.
4. ``_negated``   negation is scoped: a negator within a few words before a cue, in the same
   clause, cancels it only as a plain denial ("no, I'm not going to hurt myself", "no pienso
   hacerme dano", "no thoughts of self harm").  It does not cancel someone fighting the urge or
   handing it to fate: "can't stop thinking about", "trying not to", "fighting the urge",
   "holding on for now", "I won't do anything but I think about it", "ojala me atropelle un
   camion" are their own, non-negatable patterns.  Laughter ("lol", "jaja", "xd") ends a clause
   and never cancels anything.  Phrases whose negation IS the risk ("i don't want to live", "no
   me siento seguro") are written as their own patterns and are not negatable.

Design choices other code relies on:
- suicide_self_harm is URGENT for any wish to die (active or passive), intent, plan, means,
  rehearsal, goodbyes, self-harm and a recent attempt; CONCERN for a past attempt (demoted by a
  time marker: "years ago", "when i was 14", "hace dos anos").  News, awareness and grief about
  other people ("suicide prevention walk", "died by suicide") are none.
- hurt_or_threatened is URGENT for present or imminent danger (progressive "is hitting me",
  "gonna jump me", a weapon present, someone at the door with "help"/"hiding"/"right now", fire or
  smoke, "not breathing", being told "you're dead") and CONCERN for past or habitual harm
  ("jumped me last week", "me pegaron").  Being told to kill yourself ("he told me to kys") is
  hurt_or_threatened at CONCERN, not suicide_self_harm.
- sexual_boundary is URGENT when forced or happening now (rape, "forced me", "is touching me",
  "a la fuerza"), CONCERN otherwise (touching, asking for or sending pictures).
- abuse_at_home subsumes a concern-level hurt_or_threatened match on the same words ("my dad hits
  me" is reported once, as abuse_at_home).
- Only the first ``MAX_CHARS`` characters are screened.
"""

from flows.risk.categories import (
    ABUSE,
    BULLYING,
    CATEGORY_LEVELS,
    COERCION,
    EAT_SLEEP,
    HELP,
    HOPELESS,
    HURT,
    MAX_CHARS,
    PAST_ATTEMPT,
    SEXUAL,
    SUBSTANCE,
    SUICIDE,
    UNSAFE,
    Assessment,
)
from flows.risk.screen import assess, suggested_language

__all__ = [
    "ABUSE",
    "BULLYING",
    "CATEGORY_LEVELS",
    "COERCION",
    "EAT_SLEEP",
    "HELP",
    "HOPELESS",
    "HURT",
    "MAX_CHARS",
    "PAST_ATTEMPT",
    "SEXUAL",
    "SUBSTANCE",
    "SUICIDE",
    "UNSAFE",
    "Assessment",
    "assess",
    "suggested_language",
]
