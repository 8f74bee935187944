"""The crisis reply and its "a staff member has been told" line, per language.

A program may replace either text for each language its flows speak; the texts live in
``Program.settings`` as ``{"crisis_message": {"en": ..., "es": ...}, "staff_told": {...}}``.
A language without a text of its own gets the shipped translation of the default (bot/texts.py
outside a check-in, the flow file's ``crisis``/``staff_told`` messages inside one), never
another language's custom text: a Spanish speaker in crisis must not get half a message in
English.

Every place that sends the crisis reply reads it from here (outside a check-in) or from the
values `bot.bulk_start.template_values` puts into a session at its start (inside one, see
`flow_values`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot import texts
from flows.model import Flow
from storage.models import Program

# Text key (bot/texts.py, flow messages) -> the Program.settings key of its per-language texts.
SETTING_KEYS = {"crisis": "crisis_message", "staff_told": "staff_told"}
# Text key -> the session value the flow engine takes instead of the flow's own message.
FLOW_VALUE_KEYS = {"crisis": "crisis_message", "staff_told": "staff_told_message"}


def flow_languages(flows: Iterable[Flow]) -> list[str]:
    """The languages of the loaded flows, each once, in the flows' own order (the first flow
    by id first): the languages a program can have its own texts in."""
    seen: dict[str, None] = {}
    for flow in sorted(flows, key=lambda f: f.id):
        for language in flow.languages:
            seen.setdefault(language, None)
    return list(seen)


def custom_texts(program: Program, key: str) -> dict[str, str]:
    """The program's own texts for `key` ("crisis" or "staff_told"), by language."""
    stored: Any = (program.settings or {}).get(SETTING_KEYS[key])
    if not isinstance(stored, dict):
        return {}
    return {str(lang): str(text) for lang, text in stored.items() if text}


def custom_text(program: Program, key: str, language: str) -> str | None:
    """The program's own text for this language ("es-MX" finds "es"), or None: the caller
    then uses the shipped default in that language. Never another language's text."""
    own = custom_texts(program, key)
    return own.get(language) or own.get(language.split("-")[0])


def text(program: Program, key: str, language: str) -> str:
    """The text a person in `language` gets outside a check-in."""
    return custom_text(program, key, language) or texts.text(key, language)


def crisis_reply(program: Program, language: str) -> str:
    """The whole crisis reply outside a check-in: the crisis text, then "staff have been told"."""
    return f"{text(program, 'crisis', language)} {text(program, 'staff_told', language)}"


def flow_values(program: Program, language: str) -> dict[str, str]:
    """The session values that replace the flow's own crisis texts, for a session in
    `language` (the flow's language for the person): only the texts the program has."""
    values: dict[str, str] = {}
    for key, value_key in FLOW_VALUE_KEYS.items():
        own = custom_text(program, key, language)
        if own:
            values[value_key] = own
    return values
