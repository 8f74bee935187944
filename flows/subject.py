"""Whom a mentor's finding is about.

A mentor's check-in asks about their mentee, and a mentor who writes to the line about danger
is almost always writing about the young person they mentor ("my mentee seems scared of someone
on the unit"), so what a mentor raises is about their mentee, with the mentor as the reporter.
The one exception is self-harm in the mentor's own words ("i can't do this anymore, i want to
die"): staff must reach the mentor, not the mentee. A self-harm finding stays about the mentor
unless the text names someone else (a pronoun or the word "mentee").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from flows.risk import SUICIDE

# Words that point at another person, in the flow languages. Spanish "él" is only taken with
# its accent: "el" is the article.
_OTHER_PERSON = frozenset({
    "mentee", "mentees", "he", "she", "him", "her", "his", "hers", "they", "them", "their",
    "hes", "shes", "he's", "she's", "theyre", "they're",
    "ella", "él", "ellos", "ellas", "mentorado", "mentorada", "aprendiz",
})
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def mentions_someone_else(text: str) -> bool:
    return any(w.replace("’", "'") in _OTHER_PERSON for w in _WORD.findall(text.casefold()))


def about_mentee(categories: Iterable[str], text: str | None) -> bool:
    """For a finding in a mentor's words: True when it is about their mentee (see above)."""
    if SUICIDE not in set(categories):
        return True
    return text is not None and mentions_someone_else(text)
