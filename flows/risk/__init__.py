"""Risk screening of free text: pure, deterministic, standard library only.

Every free-text reply a mentee sends is screened here.  The screen is a set of hand-written,
readable regular expressions per category and language, run over a normalised copy of the text:

1. ``normalise``  NFKC, casefold, accents stripped, apostrophes unified; the text is split into
   words (punctuation kept as clause boundaries), repeated letters collapsed ("diiieee"), texting
   abbreviations and contractions expanded ("wanna" -> "want to", "dont" -> "do not"), light
   leetspeak undone ("k1ll" -> "kill").  Every word remembers its span in the ORIGINAL text, so
   evidence shown to a supervisor is always a verbatim slice of what the mentee wrote.
2. ``IDIOMS``     known idioms and hyperbole ("dying laughing", "this homework is killing me",
   "me muero de risa") are blanked out before any risk pattern runs.
3. rules      risk patterns.  Both languages' patterns ALWAYS run (people mix languages); the
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

from flows.risk.categories import CATEGORY_LEVELS, MAX_CHARS, Assessment
from flows.risk.screen import assess

__all__ = [
    "CATEGORY_LEVELS",
    "MAX_CHARS",
    "Assessment",
    "assess",
]
