"""Replying to a mentee from the dashboard (`bot.staff_messages`), and closing the conversation.

- `POST /escalations/{id}/reply`, `POST /mentees/{id}/reply`: queue the message (signed, on the
  mentee's last channel, urgent lane during an urgent escalation), open or extend the staff
  conversation, audit it; then 303 back to the page, whose reply box says what happened (sent,
  or why not: opted out, no consent yet, unreachable).
- `POST /escalations/{id}/conversation/close`, `POST /mentees/{id}/conversation/close`: close
  it, so the mentee's next messages go back to their check-ins.

Access is the pages' own: another program's escalation or mentee, a mentee the viewer mentors,
or one an escalation names them the mentor of, answers 404 (nothing sent, nothing confirmed).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from bot import staff_messages
from bot.dashboard.access import StaffViewer, Viewer, context
from bot.dashboard.reply_box import may_talk
from bot.escalation import lifecycle
from storage.models import Escalation, Lane, Person, Program

router = APIRouter()

MAX_DB_ID = 2**31 - 1


def _not_found() -> HTTPException:
    return HTTPException(status_code=404, detail="Not found")


def _mentee(db: Session, viewer: Viewer, person_id: int | None, request: Request) -> Person:
    person = db.get(Person, person_id) if person_id and 0 < person_id <= MAX_DB_ID else None
    if person is None:
        raise _not_found()
    viewer.check_program(person.program_id)
    if not may_talk(db, viewer, person, context(request).clock()):
        raise _not_found()
    return person


def _escalation_mentee(db: Session, viewer: Viewer, esc_id: int, request: Request) -> Person:
    esc = db.get(Escalation, esc_id) if 0 < esc_id <= MAX_DB_ID else None
    if esc is None:
        raise _not_found()
    viewer.check_program(esc.program_id)
    if lifecycle.has_conflict(db, viewer.person_id, esc, context(request).clock()):
        raise _not_found()
    return _mentee(db, viewer, esc.person_id, request)


def _send(
    request: Request, viewer: Viewer, text: str, *, esc_id: int | None = None,
    person_id: int | None = None,
) -> str:
    """Send, and return the notice code for the page."""
    body = text.strip()
    if not body:
        return "empty"
    if len(body) > staff_messages.MAX_CHARS:
        return "too_long"
    ctx = context(request)
    now = ctx.clock()
    with ctx.database.transaction() as db:
        mentee = (_escalation_mentee(db, viewer, esc_id, request) if esc_id is not None
                  else _mentee(db, viewer, person_id, request))
        program = db.get(Program, mentee.program_id)
        staff = db.get(Person, viewer.person_id)
        assert program is not None and staff is not None
        outcome = staff_messages.send(db, program, mentee, staff, body, now, actor=viewer.actor,
                                      escalation_id=esc_id)
    if outcome.sent and ctx.sender is not None:
        ctx.sender.wake(urgent=outcome.lane == Lane.urgent)
    return "sent" if outcome.sent else (outcome.refusal or "not_sent")


def _close(
    request: Request, viewer: Viewer, *, esc_id: int | None = None, person_id: int | None = None,
) -> str:
    ctx = context(request)
    now = ctx.clock()
    with ctx.database.transaction() as db:
        mentee = (_escalation_mentee(db, viewer, esc_id, request) if esc_id is not None
                  else _mentee(db, viewer, person_id, request))
        staff = db.get(Person, viewer.person_id)
        assert staff is not None
        closed = staff_messages.close(db, mentee, staff, now, actor=viewer.actor)
    return "closed" if closed else "not_open"


def _back(path: str, code: str) -> RedirectResponse:
    return RedirectResponse(f"{path}?reply={code}#reply", status_code=303)


@router.post("/escalations/{esc_id}/reply")
def reply_from_escalation(
    request: Request, esc_id: int, viewer: StaffViewer,
    message: Annotated[str, Form()] = "",
) -> Response:
    return _back(f"/escalations/{esc_id}", _send(request, viewer, message, esc_id=esc_id))


@router.post("/escalations/{esc_id}/conversation/close")
def close_from_escalation(request: Request, esc_id: int, viewer: StaffViewer) -> Response:
    return _back(f"/escalations/{esc_id}", _close(request, viewer, esc_id=esc_id))


@router.post("/mentees/{person_id}/reply")
def reply_from_mentee_page(
    request: Request, person_id: int, viewer: StaffViewer,
    message: Annotated[str, Form()] = "",
) -> Response:
    return _back(f"/mentees/{person_id}", _send(request, viewer, message, person_id=person_id))


@router.post("/mentees/{person_id}/conversation/close")
def close_from_mentee_page(request: Request, person_id: int, viewer: StaffViewer) -> Response:
    return _back(f"/mentees/{person_id}", _close(request, viewer, person_id=person_id))
