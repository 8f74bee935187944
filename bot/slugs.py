"""A program's name as a slug: "Riverside Unit" -> "riverside-unit", for file names, the command
line and the payloads a receiver routes on."""

from __future__ import annotations

import re


def program_slug(name: str, *, fallback: str = "program") -> str:
    """Lower-case letters and digits joined by single hyphens; ``fallback`` when none is left."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or fallback
