"""The values a flow's texts are filled with at the start of a session: the person's first
name, the program's name, its crisis texts in the session's language and its help text. One
function, read by the one-person start and by the fan-out alike."""

from __future__ import annotations

from bot import crisis_texts
from storage.models import Person, Program


def template_values(
    program: Program, person: Person, language: str | None = None
) -> dict[str, str]:
    """A session's template values and program overrides. ``language`` is the session's (the
    flow's language for the person): the program's crisis texts are chosen for it."""
    values = {"name": person.display_name.split()[0] if person.display_name else "",
              "program": program.name}
    values.update(crisis_texts.flow_values(program, language or person.language))
    if program.help_text:
        values["help_message"] = program.help_text
    return values


