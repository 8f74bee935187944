"""Delivery health: the outbox backlog per lane and channel, how long the oldest message of each
lane has waited, channel and sender status (the same data as /healthz), the failed and
dead-lettered messages of the admin's programs with a retry button, the contacts marked
unreachable with a button to clear the flag, and the senders we stopped answering because they
looked like an auto-responder (`bot.sender_limits`). Admins only.

Message bodies are never loaded for this page, and addresses are shown masked (last four
characters). A retry is refused when it could reach the wrong person or someone who said STOP.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import and_, func, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from bot.context import AppContext
from bot.dashboard.access import AdminViewer, Viewer, context
from bot.dashboard.alert_banner import alert_problems
from bot.dashboard.reach import reach
from bot.dashboard.render import render
from bot.redaction import mask_address, redact
from bot.sender_limits import AUTOMATED_ACTION, BURST_WINDOW
from bot.webhook_events import WEBHOOK_CHANNEL, webhook_url
from storage.models import (
    AuditEvent,
    Channel,
    ContactPoint,
    Direction,
    Escalation,
    EscalationStatus,
    Lane,
    Message,
    MessageStatus,
    Person,
    Program,
)
from storage.queries import audit
from storage.queries.outbox import backlog, outcomes_since

router = APIRouter()

PROBLEM_STATUSES = (MessageStatus.failed, MessageStatus.undelivered, MessageStatus.dead)
SHOWN = 100
URGENT_WAIT_LIMIT = timedelta(minutes=1)  # an urgent message waiting longer is shouted about
REACH_HOURS = 24  # "Can we reach people?" looks at this many hours of sending

# Fixed texts for the redirect after an action (never text taken from the address bar).
DONE = {
    "retried": "Message #{id} is back in the queue and will be sent now.",
    "reachable": "Contact #{id} is marked reachable again. Retry its failed messages if "
                 "they are still needed.",
    "already_reachable": "Contact #{id} was not marked unreachable.",
}


# ---- reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProblemMessage:
    id: int
    person: str
    program_tz: str
    kind: str
    lane: str
    channel: str
    address: str  # masked
    status: str
    attempts: int
    reason: str
    at: datetime
    blocked: str | None  # why a retry would be refused, when known now


@dataclass(frozen=True)
class UnreachableContact:
    id: int
    person: str
    channel: str
    address: str  # masked
    reason: str


@dataclass(frozen=True)
class AutomatedSender:
    at: datetime
    program_tz: str
    person: str  # "unknown sender" for an address enrolled nowhere
    channel: str
    address: str  # masked
    why: str


AUTOMATED_SHOWN_FOR = timedelta(days=7)
_WHY = {
    "identical": "sent the same text {n} times within {window} minutes",
    "rate": "sent {n} messages within a minute",
}


def _automated_senders(db: Session, viewer: Viewer, now: datetime) -> list[AutomatedSender]:
    """The last week's "looks automated" events: senders of the admin's programs, and unknown
    senders (no program: every admin sees them, as the unknown failed count)."""
    events = db.exec(
        select(AuditEvent)
        .where(col(AuditEvent.action) == AUTOMATED_ACTION,
               col(AuditEvent.at) > now - AUTOMATED_SHOWN_FOR)
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
        .limit(SHOWN)
    ).all()
    person_ids = {e.detail.get("person_id") for e in events} - {None}
    known = {pid: (name, tz) for pid, name, tz in db.execute(
        sa_select(col(Person.id), col(Person.display_name), col(Program.timezone))
        .join(Program, col(Program.id) == col(Person.program_id))
        .where(col(Person.id).in_(person_ids), col(Person.program_id).in_(viewer.program_ids))
    ).all()} if person_ids else {}
    out = []
    for event in events:
        detail = event.detail
        person_id = detail.get("person_id")
        if person_id is not None and person_id not in known:
            continue  # another program's person
        name, tz = known.get(person_id, ("unknown sender", "UTC"))
        why = _WHY.get(str(detail.get("reason")), "looked automated").format(
            n=int(detail.get("messages", 0)), window=int(BURST_WINDOW.total_seconds() // 60))
        out.append(AutomatedSender(event.at, tz, name, str(detail.get("channel", "")),
                                   str(detail.get("address", "")), why))
    return out


def oldest_pending_by_lane(db: Session) -> dict[str, datetime]:
    """created_at of the oldest pending outbound message of each lane (whole service)."""
    rows = db.exec(
        select(Message.lane, func.min(col(Message.created_at)))
        .where(col(Message.status) == MessageStatus.pending,
               col(Message.direction) == Direction.outbound)
        .group_by(col(Message.lane))
    ).all()
    return {str(lane): oldest for lane, oldest in rows if oldest is not None}


def _problem_messages(db: Session, viewer: Viewer) -> list[ProblemMessage]:
    contact = and_(col(ContactPoint.channel) == col(Message.channel),
                   col(ContactPoint.address) == col(Message.address))
    rows = db.execute(
        sa_select(col(Message.id), col(Message.kind), col(Message.lane), col(Message.channel),
                  col(Message.address), col(Message.status), col(Message.attempts),
                  col(Message.last_error), col(Message.updated_at), col(Message.person_id),
                  col(Person.display_name), col(Program.timezone), col(ContactPoint.person_id),
                  col(ContactPoint.opted_out), col(ContactPoint.unreachable))
        .join(Person, col(Person.id) == col(Message.person_id))
        .join(Program, col(Program.id) == col(Person.program_id))
        .outerjoin(ContactPoint, contact)
        .where(col(Person.program_id).in_(viewer.program_ids),
               col(Message.direction) == Direction.outbound,
               col(Message.status).in_(PROBLEM_STATUSES))
        .order_by(col(Message.updated_at).desc(), col(Message.id).desc())
        .limit(SHOWN)
    ).all()
    out = []
    for (mid, kind, lane, channel, address, status, attempts, error, at, person_id, name, tz,
         owner, opted_out, unreachable) in rows:
        blocked = None
        if owner != person_id:
            blocked = "address no longer theirs"
        elif opted_out:
            blocked = "opted out"
        elif unreachable:
            blocked = "contact unreachable (mark it reachable below first)"
        out.append(ProblemMessage(mid, name, tz, kind, str(lane), str(channel),
                                  mask_address(address), str(status), attempts,
                                  redact(error or ""), at, blocked))
    out += _problem_webhooks(db, viewer)
    out.sort(key=lambda m: (m.at, m.id), reverse=True)
    return out[:SHOWN]


def _problem_webhooks(db: Session, viewer: Viewer) -> list[ProblemMessage]:
    """Webhook events the program's receiver never took (`bot.channels.webhook`): addressed to
    the program, not to a person."""
    programs = {str(p.id): p for p in db.exec(
        select(Program).where(col(Program.id).in_(viewer.program_ids))).all()}
    if not programs:
        return []
    rows = db.execute(
        sa_select(col(Message.id), col(Message.lane), col(Message.address),
                  col(Message.status), col(Message.attempts), col(Message.last_error),
                  col(Message.updated_at))
        .where(col(Message.channel) == WEBHOOK_CHANNEL,
               col(Message.address).in_(list(programs)),
               col(Message.direction) == Direction.outbound,
               col(Message.status).in_(PROBLEM_STATUSES))
        .order_by(col(Message.updated_at).desc(), col(Message.id).desc())
        .limit(SHOWN)
    ).all()
    return [ProblemMessage(mid, f"{programs[address].name}: case-management webhook",
                           programs[address].timezone, "webhook", str(lane),
                           WEBHOOK_CHANNEL.value, f"program {address}", str(status), attempts,
                           redact(error or ""), at,
                           None if webhook_url(programs[address]) else "webhook turned off")
            for mid, lane, address, status, attempts, error, at in rows]


def _unknown_problem_count(db: Session) -> int:
    """Failed or dead messages to no enrolled person (replies to unknown senders)."""
    return int(db.exec(
        select(func.count()).select_from(Message)
        .where(col(Message.person_id).is_(None),
               col(Message.channel) != WEBHOOK_CHANNEL,  # listed with their program
               col(Message.direction) == Direction.outbound,
               col(Message.status).in_(PROBLEM_STATUSES))
    ).one())


def _unreachable(db: Session, viewer: Viewer) -> list[UnreachableContact]:
    rows = db.execute(
        sa_select(col(ContactPoint.id), col(Person.display_name), col(ContactPoint.channel),
                  col(ContactPoint.address), col(ContactPoint.unreachable_reason))
        .join(Person, col(Person.id) == col(ContactPoint.person_id))
        .where(col(Person.program_id).in_(viewer.program_ids),
               col(ContactPoint.unreachable).is_(True))
        .order_by(col(Person.display_name), col(ContactPoint.id))
    ).all()
    return [UnreachableContact(cid, name, str(channel), mask_address(address), redact(reason or ""))
            for cid, name, channel, address, reason in rows]


def _health(ctx: AppContext) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Sender and channel status, as /healthz reports them."""
    sender: dict[str, Any] = ctx.sender.health() if ctx.sender else {"running": False}
    channels: dict[str, dict[str, Any]] = {}
    for channel, adapter in ctx.channels.items():
        try:
            channels[channel.value] = dict(adapter.health())
        except Exception as exc:  # a status page reports, it does not crash
            channels[channel.value] = {"health_error": type(exc).__name__}
    return sender, channels


def _page(request: Request, viewer: Viewer, *, notice: str | None = None,
          error: str | None = None, status_code: int = 200) -> HTMLResponse:
    ctx = context(request)
    now = ctx.clock()
    with ctx.database.reading() as db:
        queue = backlog(db, now=now)
        oldest = oldest_pending_by_lane(db)
        problems = _problem_messages(db, viewer)
        unknown = _unknown_problem_count(db)
        unreachable = _unreachable(db, viewer)
        automated = _automated_senders(db, viewer, now)
        nobody = alert_problems(ctx, db, viewer, now)
        outcomes = outcomes_since(db, now - timedelta(hours=REACH_HOURS))
    sender, channels = _health(ctx)
    lanes = [str(lane) for lane in Lane]
    channel_names = sorted({c.value for c in ctx.channels}
                           | {c for counts in queue["pending"].values() for c in counts})
    waits = {lane: now - oldest[lane] for lane in oldest}
    urgent_late = Lane.urgent.value in waits and waits[Lane.urgent.value] > URGENT_WAIT_LIMIT
    unserved = sorted(c for c in channel_names
                      if c not in channels and any(queue["pending"][lane].get(c)
                                                   for lane in lanes))
    return render(request, "delivery.html", {
        "notice": notice,
        "error": error,
        "queue": queue,
        "lanes": lanes,
        "channel_names": channel_names,
        "waits": waits,
        "urgent_late": urgent_late,
        "urgent_limit": URGENT_WAIT_LIMIT,
        "unserved": unserved,
        "sender": sender,
        "channels": channels,
        "problems": problems,
        "shown": SHOWN,
        "unknown": unknown,
        "unreachable": unreachable,
        "automated": automated,
        "retryable": [s.value for s in PROBLEM_STATUSES],
        "alert_problems": nobody,
        "reach": reach(outcomes, channels, REACH_HOURS),
    }, status_code=status_code)


@router.get("/delivery")
def delivery_page(
    request: Request, viewer: AdminViewer, done: str | None = None, ref: str | None = None,
) -> HTMLResponse:
    notice = None
    if done in DONE and ref is not None and ref.isascii() and ref.isdigit():
        notice = DONE[done].format(id=int(ref))
    return _page(request, viewer, notice=notice)


def _done(what: str, record_id: int) -> RedirectResponse:
    return RedirectResponse("/delivery?" + urlencode({"done": what, "ref": record_id}),
                            status_code=303)


# ---- retry ----------------------------------------------------------------------------------


class Refused(Exception):
    """A retry that must not happen; the message says why and what to do instead."""


def _check_retry(db: Session, message_id: int, status: MessageStatus, channel: Channel,
                 address: str, person: Person, escalation_id: int | None,
                 body_erased: bool) -> ContactPoint:
    if status not in PROBLEM_STATUSES:
        raise Refused(f"Message #{message_id} is {status} now: only failed, undelivered or "
                      "dead messages can be retried.")
    if body_erased:
        raise Refused(f"Message #{message_id} can no longer be sent: its text was erased by "
                      "the retention rules.")
    # Locked (PostgreSQL): a STOP committing meanwhile either lands first (and is seen here)
    # or waits for this retry, and then its cancel of pending messages includes this one.
    contact = db.exec(select(ContactPoint).where(col(ContactPoint.channel) == channel,
                                                 col(ContactPoint.address) == address)
                      .with_for_update()).first()
    if contact is None or contact.person_id != person.id:
        raise Refused(f"Message #{message_id} was not resent: its {channel} address is no "
                      f"longer {person.display_name}'s contact (the number may have changed). "
                      "Nothing is sent to an address that may now belong to someone else.")
    if contact.opted_out:
        raise Refused(f"Message #{message_id} was not resent: {person.display_name} opted out "
                      f"on {channel} (STOP). Nothing is sent to an opted-out contact; reach "
                      "them another way.")
    if contact.unreachable:
        raise Refused(f"Message #{message_id} was not resent: this {channel} contact is marked "
                      "unreachable. Fix the address, mark it reachable below, then retry.")
    if escalation_id is not None:
        escalation = db.get(Escalation, escalation_id)
        if escalation is not None and escalation.status != EscalationStatus.open:
            raise Refused(f"Message #{message_id} was not resent: it is an alert for "
                          f"escalation #{escalation_id}, which is already {escalation.status}.")
    return contact


def _check_webhook_retry(db: Session, viewer: Viewer, message_id: int, status: MessageStatus,
                         address: str, body_erased: bool) -> None:
    """A webhook event goes to its program's receiver: an admin of that program may send it
    again while the program still has a URL."""
    program = db.get(Program, int(address)) if address.isdigit() else None
    if program is None:
        raise HTTPException(status_code=404, detail="Not found")
    viewer.check_program(program.id)
    if status not in PROBLEM_STATUSES:
        raise Refused(f"Message #{message_id} is {status} now: only failed, undelivered or "
                      "dead messages can be retried.")
    if body_erased:
        raise Refused(f"Message #{message_id} can no longer be sent: its text was erased by "
                      "the retention rules.")
    if webhook_url(program) is None:
        raise Refused(f"Message #{message_id} was not resent: {program.name} has no webhook "
                      "URL any more (Settings).")


@router.post("/delivery/messages/{message_id}/retry", response_model=None)
def retry_message(
    request: Request, viewer: AdminViewer, message_id: int,
) -> HTMLResponse | RedirectResponse:
    ctx = context(request)
    now = ctx.clock()
    try:
        with ctx.database.transaction() as db:
            # Every column but the body: the page never needs the text to resend it.
            row = db.execute(
                sa_select(col(Message.direction), col(Message.status), col(Message.channel),
                          col(Message.address), col(Message.person_id), col(Message.kind),
                          col(Message.escalation_id), col(Message.attempts),
                          col(Message.last_error), col(Message.body).is_(None))
                .where(col(Message.id) == message_id)
            ).first()
            if row is None:
                raise HTTPException(status_code=404, detail="Not found")
            (direction, status, channel, address, person_id, kind, escalation_id, attempts,
             last_error, body_erased) = row
            if channel == WEBHOOK_CHANNEL and direction == Direction.outbound:
                _check_webhook_retry(db, viewer, message_id, status, address,
                                     bool(body_erased))
            else:
                person = db.get(Person, person_id) if person_id is not None else None
                if direction != Direction.outbound or person is None:
                    raise HTTPException(status_code=404, detail="Not found")
                viewer.check_program(person.program_id)
                _check_retry(db, message_id, status, channel, address, person, escalation_id,
                             bool(body_erased))
            moved = db.execute(
                update(Message)
                .where(col(Message.id) == message_id,
                       col(Message.status).in_(PROBLEM_STATUSES))
                .values(status=MessageStatus.pending, attempts=0, next_attempt_at=now,
                        lease_until=None, updated_at=now)
                .execution_options(synchronize_session=False)
            ).rowcount  # type: ignore[attr-defined]
            if not moved:  # changed under us since the read
                raise Refused(f"Message #{message_id} changed meanwhile; reload and check.")
            audit.record(db, actor=viewer.actor, action="message_retried",
                         subject_type="message", subject_id=message_id, now=now, detail={
                             "kind": kind, "channel": str(channel), "person_id": person_id,
                             "previous_status": str(status), "previous_attempts": attempts,
                             "previous_error": redact(last_error or ""),
                         })
    except Refused as exc:
        return _page(request, viewer, error=str(exc), status_code=409)
    if ctx.sender is not None:
        ctx.sender.wake()
    return _done("retried", message_id)


# ---- unreachable contacts -------------------------------------------------------------------


@router.post("/delivery/contacts/{contact_id}/reachable")
def mark_reachable(request: Request, viewer: AdminViewer, contact_id: int) -> RedirectResponse:
    ctx = context(request)
    now = ctx.clock()
    with ctx.database.transaction() as db:
        contact = db.get(ContactPoint, contact_id)
        person = db.get(Person, contact.person_id) if contact is not None else None
        if contact is None or person is None:
            raise HTTPException(status_code=404, detail="Not found")
        viewer.check_program(person.program_id)
        if not contact.unreachable:
            return _done("already_reachable", contact_id)
        reason = contact.unreachable_reason
        contact.unreachable = False
        contact.unreachable_reason = None
        db.add(contact)
        audit.record(db, actor=viewer.actor, action="contact_reachable",
                     subject_type="contact_point", subject_id=contact_id, now=now, detail={
                         "person_id": person.id, "channel": str(contact.channel),
                         "previous_reason": redact(reason or ""),
                     })
    return _done("reachable", contact_id)
