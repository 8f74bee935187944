"""Mentees: the list of a supervisor's mentees, and one mentee's history at a glance.

The list shows no answers at all (no scores): only name, program, status, when the last
check-in started and how it ended, and how many escalations are not resolved. So viewing the
list writes no audit event. The mentee page shows answers (comfort and safety over time), so
every view of it writes a `mentee_viewed` audit event before the data is read.

A supervisor never sees a mentee they mentor (an active pairing): the page answers 404, like a
mentee of another program, and the list leaves them out.

The page also shows every message to and from the mentee, inside and outside check-ins, newest
last, `HISTORY_PAGE` at a time (`?before=ID` for older ones). Opening it marks the mentee's
messages as seen by staff (the queue counts the unseen ones that arrived outside a check-in).
A staff member an escalation about this mentee names as their mentor does not get the messages
(they may be about them), nor do those views mark anything seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from bot.dashboard import reply_box
from bot.dashboard.access import StaffViewer, Viewer, context
from bot.dashboard.render import local_time, render
from storage.models import Direction, Message, MessageStatus, Person, Program, Role
from storage.queries import audit, conversation, people, reports

router = APIRouter()

RECENT = 52  # check-ins in the chart and its table (a year of weekly check-ins)
# A mentee's answers are not left in the browser's cache (a shared or lost phone).
NO_STORE = {"Cache-Control": "no-store"}
STATUS_LABELS = {"completed": "completed", "expired": "missed", "stopped": "stopped",
                 "active": "in progress"}
HISTORY_PAGE = 100  # messages per page of the conversation (a few weeks of check-ins)
MAX_DB_ID = 2**31 - 1
CHANNEL_LABELS = {"sms": "SMS", "telegram": "Telegram", "web": "simulator",
                  "terminal": "terminal"}
UNDELIVERED = (MessageStatus.failed, MessageStatus.dead, MessageStatus.undelivered,
               MessageStatus.cancelled)


@dataclass(frozen=True)
class HistoryLine:
    id: int
    inbound: bool
    at: datetime
    channel: str
    text: str | None  # None: no text kept (erased by retention, or none was sent)
    in_checkin: bool
    kind: str
    undelivered: bool
    unread: bool  # arrived outside a check-in after staff last opened this page


@dataclass(frozen=True)
class Access:
    person: Person
    program: Program
    history: bool  # the viewer may read the mentee's messages
    seen_before: int  # the staff read marker before this view (0: never)


def _not_found() -> HTTPException:
    return HTTPException(status_code=404, detail="Not found")


@router.get("/mentees")
def mentee_list(request: Request, viewer: StaffViewer) -> HTMLResponse:
    ctx = context(request)
    with ctx.database.reading() as db:
        rows = reports.mentee_list(db, viewer.program_ids, ctx.clock(),
                                   hide_mentees_of=viewer.person_id)
    return render(request, "mentees.html", {
        "rows": rows, "status_labels": STATUS_LABELS,
        "several_programs": len(viewer.program_ids) > 1,
    })


def _check_access(request: Request, viewer: Viewer, person_id: int,
                  before: int | None) -> Access:
    """Load the mentee and write the `mentee_viewed` audit event, or raise 404 (another
    program's person, not a mentee, or a mentee the viewer mentors: conflict of interest).
    The first page of messages marks the mentee's messages as seen by staff, in the same
    transaction as the audit event."""
    ctx = context(request)
    now = ctx.clock()
    with ctx.database.transaction() as db:
        person = db.get(Person, person_id)
        if person is None or person.role != Role.mentee:
            raise _not_found()
        viewer.check_program(person.program_id)
        if people.is_mentor_of(db, viewer.person_id, person_id, now):
            raise _not_found()
        program = db.get(Program, person.program_id)
        if program is None:
            raise _not_found()
        history = person_id not in conversation.mentees_reported_on_by(db, viewer.person_id)
        detail: dict[str, Any] = {"program_id": person.program_id, "messages": history}
        if before is not None:
            detail["messages_before"] = before
        audit.record(db, actor=viewer.actor, action="mentee_viewed", subject_type="person",
                     subject_id=person_id, detail=detail, now=now)
        seen_before = person.staff_seen_message_id or 0
        newest = conversation.newest_inbound_id(db, person_id) if history else None
        if newest is not None and before is None:
            conversation.mark_seen(db, person_id, newest)
        db.expunge(person)
        db.expunge(program)
        return Access(person, program, history, seen_before)


def _history_line(message: Message, seen_before: int) -> HistoryLine:
    assert message.id is not None
    inbound = message.direction == Direction.inbound
    return HistoryLine(
        id=message.id, inbound=inbound, at=message.created_at,
        channel=CHANNEL_LABELS.get(str(message.channel), str(message.channel)),
        text=message.body, in_checkin=message.session_id is not None, kind=message.kind,
        undelivered=message.status in UNDELIVERED,
        unread=inbound and message.session_id is None and message.id > seen_before
        and message.body is not None,
    )


def _score(value: float | None) -> str:
    if value is None:
        return "—"
    return str(int(value)) if value == int(value) else f"{value:.1f}"


@router.get("/mentees/{person_id}")
def mentee_page(
    request: Request, person_id: int, viewer: StaffViewer, before: int | None = None,
    reply: str | None = None,
) -> HTMLResponse:
    if before is not None and not 0 < before <= MAX_DB_ID:
        before = None
    access = _check_access(request, viewer, person_id, before)
    person, program = access.person, access.program
    ctx = context(request)
    now = ctx.clock()
    with ctx.database.reading() as db:
        page = (conversation.history(db, person_id, limit=HISTORY_PAGE, before_id=before)
                if access.history else None)
        points = reports.mentee_checkins(db, person_id, limit=RECENT)
        counts = reports.response_counts(db, person_id=person_id)
        recent = reports.response_counts(db, person_id=person_id,
                                         since=now - timedelta(days=30))
        missed = reports.missed_checkins(db, person_id)
        escalations = [e for e in reports.escalations_about(db, person_id)
                       if e.about_mentor_id != viewer.person_id]
        box = reply_box.box(db, viewer, person_id, now, post_url=f"/mentees/{person_id}/reply",
                            close_url=f"/mentees/{person_id}/conversation/close")
    tz = program.timezone
    chart: dict[str, Any] = {
        "labels": [local_time(p.started_at, tz, "%d %b %Y") for p in points],
        "comfort": [p.comfort for p in points],
        "safety": [p.safety for p in points],
    }
    return render(request, "mentee.html", {
        "person": person,
        "program": program,
        "tz": tz,
        "points": list(reversed(points)),  # the table: newest first
        "chart": chart,
        "has_scores": any(p.comfort is not None or p.safety is not None for p in points),
        "counts": counts,
        "recent": recent,
        "missed": missed,
        "escalations": escalations,
        "status_labels": STATUS_LABELS,
        "score": _score,
        "recent_limit": RECENT,
        "history_allowed": access.history,
        "history": [_history_line(m, access.seen_before) for m in page.messages] if page else [],
        "history_older": page.older if page else False,
        "history_before": before,
        "history_page": HISTORY_PAGE,
        **reply_box.page_values(box, reply, show_thread=False),
    }, headers=NO_STORE)
