"""Mentees: the list of a supervisor's mentees, and one mentee's history at a glance.

The list shows no answers at all (no scores): only name, program, status, when the last
check-in started and how it ended, and how many escalations are not resolved. So viewing the
list writes no audit event. The mentee page shows answers (comfort and safety over time), so
every view of it writes a `mentee_viewed` audit event before the data is read.

A supervisor never sees a mentee they mentor (an active pairing): the page answers 404, like a
mentee of another program, and the list leaves them out.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from bot.dashboard.access import StaffViewer, Viewer, context
from bot.dashboard.render import local_time, render
from storage.models import Person, Program, Role
from storage.queries import audit, people, reports

router = APIRouter()

RECENT = 52  # check-ins in the chart and its table (a year of weekly check-ins)
# A mentee's answers are not left in the browser's cache (a shared or lost phone).
NO_STORE = {"Cache-Control": "no-store"}
STATUS_LABELS = {"completed": "completed", "expired": "missed", "stopped": "stopped",
                 "active": "in progress"}


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


def _check_access(request: Request, viewer: Viewer, person_id: int) -> tuple[Person, Program]:
    """Load the mentee and write the `mentee_viewed` audit event, or raise 404 (another
    program's person, not a mentee, or a mentee the viewer mentors: conflict of interest)."""
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
        audit.record(db, actor=viewer.actor, action="mentee_viewed", subject_type="person",
                     subject_id=person_id, detail={"program_id": person.program_id}, now=now)
        db.expunge(person)
        db.expunge(program)
        return person, program


def _score(value: float | None) -> str:
    if value is None:
        return "—"
    return str(int(value)) if value == int(value) else f"{value:.1f}"


@router.get("/mentees/{person_id}")
def mentee_page(request: Request, person_id: int, viewer: StaffViewer) -> HTMLResponse:
    person, program = _check_access(request, viewer, person_id)
    ctx = context(request)
    now = ctx.clock()
    with ctx.database.reading() as db:
        points = reports.mentee_checkins(db, person_id, limit=RECENT)
        counts = reports.response_counts(db, person_id=person_id)
        recent = reports.response_counts(db, person_id=person_id,
                                         since=now - timedelta(days=30))
        missed = reports.missed_checkins(db, person_id)
        escalations = [e for e in reports.escalations_about(db, person_id)
                       if e.about_mentor_id != viewer.person_id]
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
    }, headers=NO_STORE)
