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
    """One item of "In their words": a question and its answer, or a sentence as `parts`,
    (text, marked) pieces in order, the words that raised the escalation marked."""

    question: str | None = None
    answer: str | None = None
    parts: tuple[tuple[str, bool], ...] = ()


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


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    begin = 0
    for found in _SENTENCE_END.finditer(text, 0, start):
        begin = found.end()
    ending = _SENTENCE_END.search(text, end)
    stop = ending.end() if ending is not None else len(text)
    while begin < start and text[begin].isspace():
        begin += 1
    while stop > end and text[stop - 1].isspace():
        stop -= 1
    return begin, stop


def _find(snippet: str, messages: list[str]) -> tuple[int, int, int] | None:
    """(message index, start, end) of the snippet in the newest message holding it."""
    needle = snippet.casefold()
    for index, body in enumerate(messages):
        at = body.casefold().find(needle)
        # casefold can change lengths ("ß"); only trust a match that lines up with the text.
        if at >= 0 and body[at:at + len(snippet)].casefold() == needle:
            return index, at, at + len(snippet)
    return None


def _marked(text: str, begin: int, stop: int, spans: list[tuple[int, int]]) -> Words:
    """The sentence text[begin:stop] with the (merged) spans marked; a long sentence is cut
    to the marked part and some words either side."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    cut_front = cut_back = False
    if stop - begin > LONGEST:
        cut_front, cut_back = merged[0][0] - CONTEXT > begin, merged[-1][1] + CONTEXT < stop
        begin = max(begin, merged[0][0] - CONTEXT)
        stop = min(stop, merged[-1][1] + CONTEXT)
    parts: list[tuple[str, bool]] = []
    at = begin
    for start, end in merged:
        if start > at:
            parts.append((text[at:start], False))
        parts.append((text[start:end], True))
        at = end
    if stop > at:
        parts.append((text[at:stop], False))
    if cut_front:
        parts[0] = ("…" + parts[0][0].lstrip(), parts[0][1])
    if cut_back:
        parts[-1] = (parts[-1][0].rstrip() + "…", parts[-1][1])
    return Words(parts=tuple(parts))


def readable(evidence: Iterable[str], flows: Mapping[str, Flow], flow_id: str | None,
             inbound: Iterable[str]) -> tuple[Words, ...]:
    """Each evidence item in words: a keyed answer with its question, a matched phrase in its
    sentence (found in what the person wrote, newest message first; several phrases of one
    sentence are marked in one line), or the item itself."""
    messages = list(inbound)
    shown: list[Words | tuple[int, int, int]] = []  # a sentence: (message, begin, stop)
    spans: dict[tuple[int, int, int], list[tuple[int, int]]] = {}
    for item in evidence:
        keyed = _KEYED.match(item)
        question = question_text(flows, keyed.group(1), flow_id) if keyed else None
        if keyed and question:
            shown.append(Words(question=question, answer=keyed.group(2)))
            continue
        found = _find(item, messages)
        if found is None:
            shown.append(Words(parts=((item, False),)))
            continue
        index, start, end = found
        sentence = (index, *_sentence_bounds(messages[index], start, end))
        if sentence not in spans:
            spans[sentence] = []
            shown.append(sentence)
        spans[sentence].append((start, end))
    return tuple(item if isinstance(item, Words)
                 else _marked(messages[item[0]], item[1], item[2], spans[item])
                 for item in shown)
