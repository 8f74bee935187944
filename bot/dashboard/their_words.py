"""The mentee's words as staff read them: an answer key ("safety") becomes the question that was
asked, and a phrase that screening matched ("me to hold") is shown inside the whole sentence it
came from, the phrase marked.

The flows keep evidence short and verbatim (`flows/engine.py`: "safety: 1"; risk screening: the
matched slice of the text), which is right for storage and alerts; this module only turns it
into something a supervisor can read at 2 a.m. Nothing here writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flows.model import Flow, render

# "safety: 1", "comfort: 2 (recent average 4.3)": an answer key, then what was answered.
_KEYED = re.compile(r"^([a-z][a-z0-9_]*): (.*)$", re.DOTALL)
# Where a sentence ends: . ! ? or a line break (and what follows it).
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n")
# A sentence longer than this is cut around the match (a message can be 1,600 characters).
LONGEST = 280
CONTEXT = 110


@dataclass(frozen=True)
class Words:
    """One item of "In their words": either a question and its answer, or a sentence with the
    matched part between `before` and `after` (`match` empty: shown as it is)."""

    question: str | None = None
    answer: str | None = None
    before: str = ""
    match: str = ""
    after: str = ""


def question_text(flows: Mapping[str, Flow], key: str, flow_id: str | None = None) -> str | None:
    """The question a state with answer key `key` asks, in English when the flow has it (staff
    read the dashboard in English), without the greeting and with no placeholders filled.
    The session's own flow first, then any flow with that key."""
    order = [flows[flow_id]] if flow_id is not None and flow_id in flows else []
    order += [f for f in flows.values() if f.id != flow_id]
    for flow in order:
        language = "en" if "en" in flow.languages else flow.languages[0]
        for state in flow.states.values():
            if state.key == key and state.ask:
                text = state.ask_again.get(language) or state.ask.get(language, "")
                return render(text, {}) or None
    return None


def flow_title(flow_id: str) -> str:
    """"mentee_checkin" -> "Mentee check-in" (flow ids are file names, not words)."""
    words = flow_id.replace("checkin", "check-in").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _sentence_around(text: str, start: int, end: int) -> tuple[str, str, str]:
    begin = 0
    for found in _SENTENCE_END.finditer(text, 0, start):
        begin = found.end()
    stop = len(text)
    ending = _SENTENCE_END.search(text, end)
    if ending is not None:
        stop = ending.end()
    before, match, after = text[begin:start].lstrip(), text[start:end], text[end:stop].rstrip()
    if len(before) + len(match) + len(after) > LONGEST:
        if len(before) > CONTEXT:
            before = "…" + before[-CONTEXT:].lstrip()
        if len(after) > CONTEXT:
            after = after[:CONTEXT].rstrip() + "…"
    return before, match, after


def _in_messages(snippet: str, messages: Iterable[str]) -> Words | None:
    needle = snippet.casefold()
    for body in messages:
        at = body.casefold().find(needle)
        # casefold can change lengths ("ß"); only trust a match that lines up with the text.
        if at >= 0 and body[at:at + len(snippet)].casefold() == needle:
            before, match, after = _sentence_around(body, at, at + len(snippet))
            return Words(before=before, match=match, after=after)
    return None


def readable(evidence: Iterable[str], flows: Mapping[str, Flow], flow_id: str | None,
             inbound: Iterable[str]) -> tuple[Words, ...]:
    """Each evidence item in words: a keyed answer with its question, a matched phrase in its
    sentence (found in what the person wrote, newest first), or the item itself."""
    messages = list(inbound)
    shown: list[Words] = []
    for item in evidence:
        keyed = _KEYED.match(item)
        question = question_text(flows, keyed.group(1), flow_id) if keyed else None
        if keyed and question:
            shown.append(Words(question=question, answer=keyed.group(2)))
            continue
        shown.append(_in_messages(item, messages) or Words(match="", before=item))
    return tuple(shown)
