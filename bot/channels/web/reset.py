"""The simulator's "Reset": erase a demo person's check-ins, answers and simulator messages so a
demo can start again from nothing.

Admins only (the simulator's pages are), for people the simulator may play. In the demo program
(made by `checkin seed-demo`, marked in its settings) the button is enough; anywhere else the
admin must type the person's name to confirm. A person with an escalation nobody has resolved
is not reset: the escalation would lose its conversation while someone still has to act on it.
Every reset is audited with what it erased (counts, never words).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.dashboard.access import Viewer
from bot.seed import DEMO_SETTING
from storage.models import Person, Program
from storage.queries import audit, person_reset

RESET_NOTICES = {
    "reset": "Reset: their check-ins, answers and simulator messages are erased.",
    "reset_confirm": "Not reset: type their name exactly to confirm.",
    "reset_open": "Not reset: an escalation about them is still open. Resolve it first.",
}


def is_demo_program(program: Program | None) -> bool:
    return bool(program is not None and program.settings.get(DEMO_SETTING))


def reset_person(
    db: Session, viewer: Viewer, person: Person, program: Program | None,
    web_addresses: list[str], confirm_name: str, now: datetime,
) -> str:
    """Erase and audit, or say why not; returns the notice code for the page."""
    assert person.id is not None
    if not is_demo_program(program) and confirm_name.strip() != person.display_name:
        return "reset_confirm"
    if person_reset.open_escalation_ids(db, person.id):
        return "reset_open"
    erased = person_reset.erase_person_history(db, person.id, web_addresses)
    audit.record(db, actor=viewer.actor, action="simulator_person_reset", subject_type="person",
                 subject_id=person.id,
                 detail={"sessions": erased.sessions, "answers": erased.answers,
                         "messages": erased.messages, "demo_program": is_demo_program(program)},
                 now=now)
    return "reset"
