"""Golden transcripts for every flow and language. `UPDATE_GOLDEN=1 pytest tests/flows` rewrites
them; review the diff like code."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from flows.loader import load_flows
from tests.flows.transcript import Case, run

GOLDEN_DIR = Path(__file__).parent / "transcripts"
FLOWS = load_flows()

YES = {"en": "yes", "es": "sí"}
NO = {"en": "no", "es": "no"}

CASES = [
    Case("happy_path", "mentee_checkin", ("4", "5", NO, NO)),
    Case("words_and_slang", "mentee_checkin", (
        {"en": "four", "es": "cuatro"}, "prob a 3", {"en": "nah", "es": "nel"},
        {"en": "nope nothing", "es": "nada"},
    )),
    Case("urgent_safety", "mentee_checkin", ("4", "1", YES, NO, "it's not safe in my unit")),
    Case("concern_pressure", "mentee_checkin", (
        "2", "3", YES,
        {"en": "my mentor keeps asking me for money", "es": "mi mentor me pide dinero"},
        NO,
    )),
    Case("crisis_language_mid_flow", "mentee_checkin", (
        {"en": "honestly i wanna die", "es": "la verdad me quiero morir"}, "3", "3", NO,
        {"en": "i want to kill myself", "es": "quiero matarme"}, NO,
    )),
    # A disclosure instead of an answer to a 1-5 or yes/no question: acknowledged (the crisis
    # message, or a short thanks), then the question again gently; never "Sorry, I didn't get
    # that". Every urgent hit carries the crisis reply.
    Case("disclosure_at_structured_questions", "mentee_checkin", (
        {"en": "sometimes i just want to die", "es": "a veces ya no quiero vivir"}, "4",
        {"en": "i dont feel safe in my unit", "es": "no me siento segura en mi unidad"}, "3",
        {"en": "my mentor keeps asking me for money", "es": "mi mentor me pide dinero"}, YES,
        {"en": "i want to kill myself", "es": "quiero matarme"}, NO,
    )),
    # At "would you like staff to reach out?", whose question opens with its own thanks: the
    # gentle re-ask is the question alone, never "...: Thank you for telling us. Would you...".
    Case("disclosure_at_staff_contact_question", "mentee_checkin", (
        "4", "2", {"en": "i dont feel safe in my unit", "es": "no me siento segura en mi unidad"},
        YES, NO, NO,
    )),
    Case("unreadable_then_move_on", "mentee_checkin", (
        "idk", "banana", "5", "3-4", "4", "maybe", "???", "", NO,
    )),
    Case("stop_midway", "mentee_checkin", ("4", "STOP", "5")),
    Case("help_and_start_midway", "mentee_checkin", ("HELP", "4", "START", "5", NO, NO)),
    Case("skip_required_and_optional", "mentee_checkin", (
        {"en": "skip", "es": "saltar"}, {"en": "skip", "es": "saltar"}, "5", NO,
        {"en": "skip", "es": "saltar"},
    )),
    Case("nudge_then_expire", "mentee_checkin", ("@nudge", "@stale-nudge", "@expire", "4")),
    Case("stale_timers_ignored", "mentee_checkin", (
        "4", "@stale-nudge", "@stale-expire", "5", "@nudge", "@stale-expire", NO, NO,
    )),
    Case("reply_after_end_ignored", "mentee_checkin", ("5", "5", NO, NO, "thanks")),
    Case("mentor_happy_path", "mentor_checkin", (YES, "4", NO)),
    Case("mentor_raises_worry", "mentor_checkin", (
        NO, "1",
        {"en": "she seems really down and said nobody cares", "es": "se ve muy triste y dijo que a nadie le importa"},
    )),
    Case("mentor_worry_at_a_structured_question", "mentor_checkin", (
        {"en": "my mentee seems scared of someone on the unit",
         "es": "mi mentee dice: tengo miedo de alguien aqui"}, YES, "4", NO,
    )),
    Case("mentor_unreadable_and_nudge", "mentor_checkin", ("@nudge", "idk", "maybe", "9", "x", "@expire")),
]


def _cases():
    for case in CASES:
        for lang in FLOWS[case.flow].languages:
            yield pytest.param(case, lang, id=f"{case.flow}-{lang}-{case.name}")


@pytest.mark.parametrize(("case", "language"), list(_cases()))
def test_golden_transcript(case: Case, language: str) -> None:
    text, _ = run(FLOWS[case.flow], case, language)
    path = GOLDEN_DIR / case.flow / language / f"{case.name}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run UPDATE_GOLDEN=1 pytest {__file__}"
    assert text == path.read_text(encoding="utf-8"), (
        f"{path} differs; if the change is intended, run UPDATE_GOLDEN=1 and review the diff"
    )


def test_every_flow_and_language_has_transcripts() -> None:
    covered = {(c.flow) for c in CASES}
    assert covered == set(FLOWS), "every shipped flow needs golden transcripts"
