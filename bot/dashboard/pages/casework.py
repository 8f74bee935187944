"""Casework on one escalation (`bot.escalation.casework`): hand it to another supervisor of the
program, add an internal note, set or clear its follow-up time.

Each is a POST from the escalation page with the CSRF token, allowed to the staff who may see
the escalation (`queue.visible`: 404 for another program's or a conflict of interest), audited
in the casework functions, then 303 back to the page with a notice; a refused action is shown
on the page, not raised.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from bot.dashboard.access import StaffViewer, context
from bot.dashboard.casework_notices import parse_local
from bot.dashboard.pages.queue import done, show, visible
from bot.escalation import casework
from bot.escalation.lifecycle import EscalationError
from storage.models import Program

router = APIRouter()


@router.post("/escalations/{esc_id}/assign")
def assign(
    request: Request, esc_id: int, viewer: StaffViewer, owner: Annotated[str, Form()] = "",
) -> Response:
    ctx = context(request)
    if not (owner.isascii() and owner.isdigit() and len(owner) < 10):
        return show(request, viewer, esc_id, status_code=400,
                    error="Choose a supervisor of this program from the list.")
    try:
        with ctx.database.transaction() as db:
            visible(db, viewer, esc_id, request, lock=True)
            told = casework.reassign(
                db, esc_id, to_person_id=int(owner), actor=viewer.actor,
                by_person_id=viewer.person_id, by_name=viewer.name, now=ctx.clock(),
                dashboard_url=ctx.settings.dashboard_url)
    except EscalationError as exc:
        return show(request, viewer, esc_id, error=str(exc), status_code=409)
    return done(esc_id, "assigned-untold" if told.why_not else "assigned")


@router.post("/escalations/{esc_id}/notes")
def add_note(
    request: Request, esc_id: int, viewer: StaffViewer, text: Annotated[str, Form()] = "",
) -> Response:
    ctx = context(request)
    try:
        with ctx.database.transaction() as db:
            visible(db, viewer, esc_id, request, lock=True)
            casework.add_note(db, esc_id, text=text, author_id=viewer.person_id,
                              actor=viewer.actor, now=ctx.clock())
    except EscalationError as exc:
        return show(request, viewer, esc_id, error=str(exc), status_code=400,
                    form={"case_note": text})
    return done(esc_id, "noted")


@router.post("/escalations/{esc_id}/follow-up")
def set_follow_up(
    request: Request, esc_id: int, viewer: StaffViewer, at: Annotated[str, Form()] = "",
    clear: Annotated[str, Form()] = "",
) -> Response:
    ctx = context(request)
    try:
        with ctx.database.transaction() as db:
            esc = visible(db, viewer, esc_id, request, lock=True)
            program = db.get(Program, esc.program_id)
            when = None
            if not clear:
                try:
                    when = parse_local(at, program.timezone if program else "UTC")
                except ValueError:
                    raise EscalationError("Choose a date and a time for the follow-up.") from None
            casework.set_follow_up(db, esc_id, at=when, actor=viewer.actor,
                                   by_person_id=viewer.person_id, now=ctx.clock())
    except EscalationError as exc:
        return show(request, viewer, esc_id, error=str(exc), status_code=400,
                    form={"follow_up": at})
    return done(esc_id, "follow-up-cleared" if clear else "follow-up")
