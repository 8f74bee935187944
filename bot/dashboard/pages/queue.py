"""The supervisor queue and one escalation: what is open, and acting on it.

- `GET /queue`: open, then acknowledged escalations of the viewer's programs, urgent first,
  filtered by level and program; `GET /queue/rows` is the same list as a fragment that htmx
  polls every 5 s (204 when nothing changed, so screen readers are not re-read the list).
  The list shows no evidence or answers, so reading it is not audited. Above it, per program,
  how many messages mentees sent outside a check-in that no staff member has read yet, each
  mentee linked to their page (where reading them marks them read).
- `GET /escalations/{id}`: reasons, evidence, transcript, answers and audit trail; every view
  writes an `escalation_viewed` audit event first.
- `POST /escalations/{id}/ack|resolve|reopen`: through `bot.escalation.lifecycle` (audited
  there), then 303 back to the page with a notice; a refused transition is shown, not raised.
  Resolving needs one of the program's outcomes. Owner, notes and follow-up are
  `bot.dashboard.pages.casework`, which shows and answers through `show`/`visible`/`done`.

An escalation of another program, or one the viewer has a conflict of interest with (their own
mentee, about them), answers 404 everywhere: its existence is not even confirmed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, select

from bot.dashboard import casework_notices, reply_box
from bot.dashboard import escalation_view as view
from bot.dashboard.access import StaffPollViewer, StaffViewer, Viewer, context
from bot.dashboard.alert_banner import alert_problems
from bot.dashboard.render import render
from bot.escalation import casework, lifecycle
from bot.escalation.lifecycle import EscalationError
from storage.models import Escalation, EscalationStatus, Program
from storage.queries import conversation, people

router = APIRouter()

MAX_DB_ID = 2**31 - 1  # larger ids are never an escalation (and overflow INTEGER)
NOTICES = {
    "ack": "Acknowledged. Re-alerts have stopped.",
    "already": "It had already been acknowledged; nothing changed.",
    "resolved": "Resolved. Thank you.",
    "reopened": "Reopened. Alerts go out again until someone acknowledges it.",
    **casework_notices.NOTICES,
}


# ---- the queue -------------------------------------------------------------------------------


def _queue_values(
    request: Request, viewer: Viewer, level: str | None, program: str | None
) -> dict[str, Any]:
    """Everything the queue templates need. Unknown filter values are ignored (all levels, all
    of the viewer's programs), and the selects show what was really applied."""
    ctx = context(request)
    now = ctx.clock()
    level = level if level in lifecycle.LEVEL_ORDER else None
    program_id = int(program) if program and program.isdigit() and len(program) < 10 else None
    if not viewer.sees(program_id):
        program_id = None
    with ctx.database.reading() as db:
        choices = view.programs(db, viewer.program_ids)
        shown_programs = viewer.program_ids if program_id is None else [program_id]
        rows = view.queue_rows(
            db, viewer_person_id=viewer.person_id, program_ids=shown_programs,
            level=level, now=now)
        unread = _unread(db, viewer, shown_programs, choices, now)
    filters = {k: v for k, v in (("level", level), ("program", program_id)) if v is not None}
    version = hashlib.sha256(repr((rows, unread, filters)).encode()).hexdigest()[:16]
    return {
        "rows": rows,
        "unread": unread,
        "level": level,
        "program_id": program_id,
        "levels": [(lv, view.LEVEL_WORDS[lv]) for lv in lifecycle.LEVEL_ORDER],
        "programs": [(pid, p.name) for pid, p in choices.items()],
        "filtered": bool(filters),
        "rows_url": "/queue/rows" + ("?" + urlencode(filters) if filters else ""),
        "version": version,
    }


@dataclass(frozen=True)
class UnreadProgram:
    """A program's messages outside check-ins that no staff member has read yet."""

    program_name: str
    total: int
    mentees: tuple[conversation.Unread, ...]


def _unread(
    db: Session, viewer: Viewer, program_ids: Sequence[int], programs: dict[int, Program],
    now: datetime,
) -> list[UnreadProgram]:
    """Without the mentees the viewer may not read: those they mentor, and those with an
    escalation about them as the mentor (as the mentee page hides them)."""
    hide = (people.mentee_ids_of(db, viewer.person_id, now)
            | conversation.mentees_reported_on_by(db, viewer.person_id))
    by_program: dict[int, list[conversation.Unread]] = {}
    for item in conversation.unread_outside_checkins(db, program_ids, hide=hide):
        by_program.setdefault(item.program_id, []).append(item)
    shown = [UnreadProgram(programs[pid].name if pid in programs else "",
                           sum(u.count for u in items), tuple(items))
             for pid, items in by_program.items()]
    return sorted(shown, key=lambda u: u.program_name)


@router.get("/queue")
def queue_page(
    request: Request, viewer: StaffViewer, level: str | None = None, program: str | None = None,
) -> Response:
    values = _queue_values(request, viewer, level, program)
    ctx = context(request)
    with ctx.database.reading() as db:
        values["alert_problems"] = alert_problems(ctx, db, viewer, ctx.clock())
    return render(request, "queue.html", values)


@router.get("/queue/rows")
def queue_rows(
    request: Request, viewer: StaffPollViewer, level: str | None = None, program: str | None = None,
    v: str | None = None,
) -> Response:
    """The rows fragment htmx polls every 5 s; 204 (htmx swaps nothing) when `v` is still
    current. A poll is not activity: the session's idle timeout runs on while Queue is open."""
    values = _queue_values(request, viewer, level, program)
    if v is not None and v == values["version"]:
        return Response(status_code=204)
    return render(request, "queue_rows.html", values)


# ---- one escalation --------------------------------------------------------------------------


def visible(
    db: Session, viewer: Viewer, esc_id: int, request: Request, *, lock: bool = False
) -> Escalation:
    """The escalation, or 404: unknown, another program's, or a conflict of interest.
    ``lock``: read it ``FOR UPDATE`` (an action; the lifecycle locks it again, harmlessly)."""
    esc = None
    if 0 < esc_id <= MAX_DB_ID:
        stmt = select(Escalation).where(Escalation.id == esc_id)
        if lock:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        esc = db.exec(stmt).first()
    if esc is None:
        raise HTTPException(status_code=404, detail="Not found")
    viewer.check_program(esc.program_id)
    if lifecycle.has_conflict(db, viewer.person_id, esc, context(request).clock()):
        raise HTTPException(status_code=404, detail="Not found")
    return esc


def show(
    request: Request, viewer: Viewer, esc_id: int, *, notice: str | None = None,
    error: str | None = None, status_code: int = 200, form: dict[str, str] | None = None,
    reply: str | None = None,
) -> Response:
    """The escalation page. Showing it is a view of its details: audited first, always."""
    ctx = context(request)
    now = ctx.clock()
    with ctx.database.transaction() as db:
        row = visible(db, viewer, esc_id, request)
        lifecycle.record_view(db, esc_id, actor=viewer.actor, now=now)
        esc = view.detail(db, esc_id, now, show_sender=viewer.is_admin, flows=ctx.flows)
        box = reply_box.box(db, viewer, row.person_id, now,
                            post_url=f"/escalations/{esc_id}/reply",
                            close_url=f"/escalations/{esc_id}/conversation/close")
    return render(request, "escalation.html", {
        "esc": esc, "notice": notice, "error": error, "form": form or {},
        "note_max": lifecycle.NOTE_MAX_CHARS, "reason_max": lifecycle.REASON_MAX_CHARS,
        "case_note_max": casework.NOTE_MAX_CHARS, "viewer_id": viewer.person_id,
        "follow_up_min": casework_notices.local_input(now, esc.timezone),
        **reply_box.page_values(box, reply, show_thread=True),
    }, status_code=status_code)


def done(esc_id: int, what: str) -> RedirectResponse:
    return RedirectResponse(f"/escalations/{esc_id}?done={what}", status_code=303)


@router.get("/escalations/{esc_id}")
def escalation_page(
    request: Request, esc_id: int, viewer: StaffViewer, done: str | None = None,
    reply: str | None = None,
) -> Response:
    return show(request, viewer, esc_id, notice=NOTICES.get(done or ""), reply=reply)


@router.post("/escalations/{esc_id}/ack")
def acknowledge(request: Request, esc_id: int, viewer: StaffViewer) -> Response:
    ctx = context(request)
    now = ctx.clock()
    try:
        with ctx.database.transaction() as db:
            # Locked first, so "was it still open?" and the change are one decision.
            esc = visible(db, viewer, esc_id, request, lock=True)
            was_open = esc.status == EscalationStatus.open
            lifecycle.acknowledge(db, esc_id, actor=viewer.actor,
                                  by_person_id=viewer.person_id, now=now)
    except EscalationError as exc:
        return show(request, viewer, esc_id, error=str(exc), status_code=409)
    return done(esc_id, "ack" if was_open else "already")


@router.post("/escalations/{esc_id}/resolve")
def resolve(
    request: Request, esc_id: int, viewer: StaffViewer, note: Annotated[str, Form()] = "",
    outcome: Annotated[str, Form()] = "",
) -> Response:
    text = note.strip()
    problem = None
    if not outcome.strip():
        problem = "Choose an outcome: what came of it."
    elif not text:
        problem = "Write a short resolution note: what was done, and how they are now."
    elif len(text) > lifecycle.NOTE_MAX_CHARS:
        problem = (f"The note is too long: at most {lifecycle.NOTE_MAX_CHARS} characters "
                   f"(this one has {len(text)}).")
    if problem:
        return show(request, viewer, esc_id, error=problem, status_code=400,
                    form={"note": note, "outcome": outcome})
    ctx = context(request)
    try:
        with ctx.database.transaction() as db:
            esc = visible(db, viewer, esc_id, request, lock=True)
            chosen = casework.check_outcome(db.get(Program, esc.program_id), outcome)
            lifecycle.resolve(db, esc_id, actor=viewer.actor, by_person_id=viewer.person_id,
                              note=text, now=ctx.clock(), outcome=chosen)
    except EscalationError as exc:
        return show(request, viewer, esc_id, error=str(exc), status_code=409,
                    form={"note": note, "outcome": outcome})
    return done(esc_id, "resolved")


@router.post("/escalations/{esc_id}/reopen")
def reopen(
    request: Request, esc_id: int, viewer: StaffViewer, reason: Annotated[str, Form()] = "",
) -> Response:
    text = reason.strip()
    if len(text) > lifecycle.REASON_MAX_CHARS:
        return show(request, viewer, esc_id, status_code=400, form={"reason": reason},
                     error=f"The reason is too long: at most {lifecycle.REASON_MAX_CHARS} "
                           f"characters (this one has {len(text)}).")
    ctx = context(request)
    try:
        with ctx.database.transaction() as db:
            visible(db, viewer, esc_id, request, lock=True)
            lifecycle.reopen(db, esc_id, actor=viewer.actor, by_person_id=viewer.person_id,
                             now=ctx.clock(), reason=text or None)
    except EscalationError as exc:
        return show(request, viewer, esc_id, error=str(exc), status_code=409,
                     form={"reason": reason})
    return done(esc_id, "reopened")
