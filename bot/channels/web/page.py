"""The web simulator: chat as an enrolled person through the real runner (the `web` channel).

A message typed here takes the path an SMS takes: `bot.inbound.receive` (ordering, dedupe, one
transaction, flows.step), the outbox (urgent lane first), and a channel adapter that "delivers"
by marking the row sent; this page then reads the person's web messages. So check-ins, crisis
replies, escalations and supervisor alerts can all be seen without Telegram or Twilio.

Only mentees and mentors with no SMS or Telegram contact can be played: a web contact becomes
the channel a person was last reached on, and a real mentee's next check-in must never go to a
browser tab nobody watches. Staff are never played: a supervisor's phone commands (ACK,
RESOLVE) typed here would act on real escalations with the audit trail naming the supervisor,
not the admin at the keyboard. Admins only; every message typed is audited, and so is every
view of a conversation (the page, and its 1 s poll at most once per VIEW_AUDIT_EVERY).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session, col, select
from starlette.concurrency import run_in_threadpool

from bot import inbound
from bot.channels.web.adapter import web_address
from bot.channels.web.reset import RESET_NOTICES, is_demo_program, reset_person
from bot.channels.web.turn_details import turn_details
from bot.dashboard.access import AdminPollViewer, AdminViewer, Viewer, context
from bot.dashboard.render import render
from bot.policy import CHECKED_IN_ROLES, DEFAULT_FLOW_FOR_ROLE
from bot.runner import start_checkin
from storage.models import (
    AuditEvent,
    Channel,
    ContactPoint,
    Message,
    Person,
    PersonStatus,
    Program,
)
from storage.queries import audit, people, sessions

router = APIRouter()

REAL_CHANNELS = (Channel.sms, Channel.telegram)
PLAYABLE_ROLES = CHECKED_IN_ROLES  # staff are not checked in on: nothing to play
# The chat fragment is polled every second; one audit row a second per open tab would bury the
# trail, so a poll writes a view event only when this admin has none for this person this recent.
VIEW_AUDIT_EVERY = timedelta(minutes=5)
# Notices after "start" are chosen by a code: text from the address bar is never shown, or a
# crafted link could put any words in a trusted page.
NOTICES = {
    "started": "Check-in started.",
    "open": "A check-in is already open: answer it below.",
    "no_flow": "This person has no check-in of their own to start.",
    "not_started": "The check-in could not start (opted out or unreachable).",
}
MAX_TEXT = 1600  # what one SMS conversation turn can carry (10 segments)


@dataclass(frozen=True)
class Playable:
    person: Person
    program: Program
    playable: bool


def _enabled(request: Request) -> None:
    if not context(request).settings.web_simulator:
        raise HTTPException(status_code=404, detail="The web simulator is turned off "
                            "(WEB_SIMULATOR=false).")


def _people(db: Session, viewer: Viewer) -> list[Playable]:
    rows = db.exec(
        select(Person, Program)
        .join(Program, col(Program.id) == col(Person.program_id))
        .where(col(Person.program_id).in_(viewer.program_ids))
        .order_by(col(Program.name), col(Person.role), col(Person.display_name))
    ).all()
    real = set(db.exec(
        select(ContactPoint.person_id).where(col(ContactPoint.channel).in_(REAL_CHANNELS))
    ).all())
    return [Playable(p, prog, p.id not in real and p.status == PersonStatus.active
                     and p.role in PLAYABLE_ROLES)
            for p, prog in rows]


def _playable(db: Session, viewer: Viewer, person_id: int) -> Person:
    person = db.get(Person, person_id)
    if person is None:
        raise HTTPException(status_code=404, detail="Not found")
    viewer.check_program(person.program_id)
    if person.role not in PLAYABLE_ROLES:
        raise HTTPException(status_code=409, detail=f"{person.display_name} is a "
                            f"{person.role}: the simulator plays only mentees and mentors.")
    real = db.exec(select(ContactPoint.id).where(
        ContactPoint.person_id == person_id, col(ContactPoint.channel).in_(REAL_CHANNELS)
    )).first()
    if real is not None:
        raise HTTPException(status_code=409, detail="This person has a real phone or Telegram "
                            "contact: the simulator only plays demo and test people.")
    if person.status != PersonStatus.active:
        raise HTTPException(status_code=409, detail=f"{person.display_name} is {person.status}.")
    return person


def _web_addresses(db: Session, person_id: int) -> list[str]:
    return list(db.exec(select(ContactPoint.address).where(
        ContactPoint.person_id == person_id, ContactPoint.channel == Channel.web
    ).order_by(col(ContactPoint.id))).all())


def _web_contact(db: Session, person_id: int) -> ContactPoint:
    """The person's web contact (made on first use)."""
    found = db.exec(select(ContactPoint).where(
        ContactPoint.person_id == person_id, ContactPoint.channel == Channel.web
    ).order_by(col(ContactPoint.id))).first()
    return found or people.add_contact(db, person_id, Channel.web, web_address(person_id))


def _messages(db: Session, person_id: int) -> list[Message]:
    addresses = _web_addresses(db, person_id)
    if not addresses:
        return []
    return list(db.exec(
        select(Message)
        .where(Message.channel == Channel.web, col(Message.address).in_(addresses))
        .order_by(col(Message.id))
    ).all())


@router.get("/simulator")
def simulator_index(request: Request, viewer: AdminViewer) -> HTMLResponse:
    _enabled(request)
    with context(request).database.reading() as db:
        rows = _people(db, viewer)
    return render(request, "simulator_pick.html", {"rows": rows})


def _record_view(db: Session, viewer: Viewer, person_id: int, now: datetime, *,
                 poll: bool) -> None:
    """An audit event for reading a person's conversation (only who looked, and when)."""
    if poll:
        recent = db.exec(select(AuditEvent.id).where(
            AuditEvent.subject_type == "person", AuditEvent.subject_id == person_id,
            AuditEvent.actor == viewer.actor, AuditEvent.action == "simulator_viewed",
            col(AuditEvent.at) > now - VIEW_AUDIT_EVERY,
        )).first()
        if recent is not None:
            return
    audit.record(db, actor=viewer.actor, action="simulator_viewed", subject_type="person",
                 subject_id=person_id, detail={"poll": poll}, now=now)


@router.get("/simulator/{person_id}")
def simulator_chat(request: Request, person_id: int, viewer: AdminViewer,
                   notice: str | None = None) -> HTMLResponse:
    _enabled(request)
    ctx = context(request)
    with ctx.database.transaction() as db:
        person = _playable(db, viewer, person_id)
        active = sessions.active_session_for(db, person_id)
        rows = _messages(db, person_id)
        details = turn_details(db, person, rows)
        program = db.get(Program, person.program_id)
        flow = DEFAULT_FLOW_FOR_ROLE.get(person.role)
        _record_view(db, viewer, person_id, ctx.clock(), poll=False)
    return render(request, "simulator.html", {
        "person": person, "rows": rows, "details": details, "active": active, "flow": flow,
        "notice": NOTICES.get(notice or "") or RESET_NOTICES.get(notice or ""),
        "demo_program": is_demo_program(program),
    })


@router.get("/simulator/{person_id}/messages")
def simulator_messages(request: Request, person_id: int,
                       viewer: AdminPollViewer) -> HTMLResponse:
    """The chat fragment: polled every second (not activity for the idle timeout), and
    returned after each message sent."""
    _enabled(request)
    ctx = context(request)
    with ctx.database.transaction() as db:
        person = _playable(db, viewer, person_id)
        rows = _messages(db, person_id)
        details = turn_details(db, person, rows)
        _record_view(db, viewer, person_id, ctx.clock(), poll=True)
    return render(request, "simulator_messages.html", {"rows": rows, "details": details})


@router.post("/simulator/{person_id}/start")
def simulator_start(request: Request, person_id: int, viewer: AdminViewer) -> Response:
    _enabled(request)
    ctx = context(request)
    now = ctx.clock()
    with ctx.database.transaction() as db:
        person = _playable(db, viewer, person_id)
        flow = DEFAULT_FLOW_FOR_ROLE.get(person.role)
        if flow is None or flow not in ctx.flows:
            notice = "no_flow"
        elif sessions.active_session_for(db, person_id) is not None:
            notice = "open"
        else:
            contact = _web_contact(db, person_id)
            started = start_checkin(db, ctx.flows, person, flow, contact, now)
            notice = "started" if started else "not_started"
            audit.record(db, actor=viewer.actor, action="simulator_checkin_started",
                         subject_type="person", subject_id=person_id, detail={"flow": flow},
                         now=now)
    if ctx.sender is not None:
        ctx.sender.wake()
    return RedirectResponse(f"/simulator/{person_id}?notice={notice}", status_code=303)


@router.post("/simulator/{person_id}/send")
async def simulator_send(
    request: Request, person_id: int, viewer: AdminViewer,
    text: Annotated[str, Form(max_length=MAX_TEXT)] = "",
) -> Response:
    _enabled(request)
    ctx = context(request)

    def prepare() -> str:
        now = ctx.clock()
        with ctx.database.transaction() as db:
            _playable(db, viewer, person_id)
            contact = _web_contact(db, person_id)
            # Who typed as whom, never what was typed (that is the message row's business).
            audit.record(db, actor=viewer.actor, action="simulator_message",
                         subject_type="person", subject_id=person_id, detail={}, now=now)
            return contact.address

    address = await run_in_threadpool(prepare)
    if text.strip():
        # The same entry point the Telegram and Twilio webhooks use.
        await inbound.receive(ctx, Channel.web, address, text, f"web-{uuid.uuid4().hex}")
    if "hx-request" in request.headers:
        return await run_in_threadpool(simulator_messages, request, person_id, viewer)
    return RedirectResponse(f"/simulator/{person_id}", status_code=303)


@router.post("/simulator/{person_id}/reset")
def simulator_reset(
    request: Request, person_id: int, viewer: AdminViewer,
    confirm_name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Erase a demo person's check-ins, answers and simulator messages (`.reset`)."""
    _enabled(request)
    ctx = context(request)
    with ctx.database.transaction() as db:
        person = _playable(db, viewer, person_id)
        notice = reset_person(db, viewer, person, db.get(Program, person.program_id),
                              _web_addresses(db, person_id), confirm_name, ctx.clock())
    return RedirectResponse(f"/simulator/{person_id}?notice={notice}", status_code=303)
