"""Schedules (admins): every check-in schedule of the admin's programs with its rule in words
and the next check-in in the person's local time; pause, resume, and set a person's rule with a
weekday and time picker (or a raw RRULE for experts).

The rules and checks are the CLI's (`checkin schedule set/pause/resume`): the same query
functions, the same audit events, naming the admin.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot.dashboard.access import AdminViewer, context
from bot.dashboard.pages.people import DONE, load_person, person_page, programs_of
from bot.dashboard.render import render
from bot.scheduling.defaults import person_timezone
from bot.scheduling.rule_words import DAY_NAMES, describe_rule
from storage.models import Person, Program, Schedule
from storage.queries import audit, schedules

router = APIRouter()

TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


def rule_from_picker(weekday: str, time: str) -> tuple[str | None, str | None]:
    """(RRULE, None) from the weekday and time fields, or (None, what is wrong)."""
    found = TIME.fullmatch(time.strip())
    if not found:
        return None, "Give a time as hours and minutes, e.g. 18:00."
    hour, minute = int(found.group(1)), int(found.group(2))
    if weekday == "DAILY":
        return f"FREQ=DAILY;BYHOUR={hour};BYMINUTE={minute}", None
    if weekday not in DAY_NAMES:
        return None, "Choose a day of the week (or every day)."
    return f"FREQ=WEEKLY;BYDAY={weekday};BYHOUR={hour};BYMINUTE={minute}", None


@router.get("/schedules")
def schedules_page(request: Request, viewer: AdminViewer, done: str = "") -> HTMLResponse:
    ctx = context(request)
    with ctx.database.reading() as db:
        programs = programs_of(db, viewer)
        rows: list[tuple[Schedule, Person, Program]] = []
        for program in programs:
            for schedule, person in schedules.list_schedules(db, program_id=program.id):
                rows.append((schedule, person, program))
    return render_list(request, rows, several=len(programs) > 1, notice=DONE.get(done))


def render_list(request: Request, rows: list[tuple[Schedule, Person, Program]], *,
                several: bool, notice: str | None) -> HTMLResponse:
    return render(request, "schedules.html", {
        "rows": rows, "describe_rule": describe_rule, "several_programs": several,
        "notice": notice})


def _pause_or_resume(request: Request, viewer: AdminViewer, schedule_id: int, back: str, *,
                     paused: bool) -> Response:
    ctx = context(request)
    now = ctx.clock()
    verb = "paused" if paused else "resumed"
    with ctx.database.transaction() as db:
        schedule = db.get(Schedule, schedule_id)
        if schedule is None:
            raise HTTPException(status_code=404, detail="Not found")
        person = load_person(db, viewer, schedule.person_id)  # 404 for another program's
        assert person.id is not None
        changed = schedules.pause_schedules(db, person.id, flow_id=schedule.flow_id,
                                            paused=paused, now=now)
        if changed:
            audit.record(db, actor=viewer.actor, action=f"schedules_{verb}",
                         subject_type="person", subject_id=person.id,
                         detail={"flow": schedule.flow_id, "count": changed,
                                 "schedule_id": schedule.id}, now=now)
        person_id = person.id
    target = f"/people/{person_id}" if back == "person" else "/schedules"
    return RedirectResponse(f"{target}?done=schedule_{verb}", status_code=303)


@router.post("/schedules/{schedule_id}/pause")
def schedule_pause(
    request: Request, viewer: AdminViewer, schedule_id: int,
    back: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    return _pause_or_resume(request, viewer, schedule_id, back, paused=True)


@router.post("/schedules/{schedule_id}/resume")
def schedule_resume(
    request: Request, viewer: AdminViewer, schedule_id: int,
    back: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    return _pause_or_resume(request, viewer, schedule_id, back, paused=False)


@router.post("/people/{person_id}/schedule")
def schedule_set(
    request: Request,
    viewer: AdminViewer,
    person_id: int,
    flow: Annotated[str, Form(max_length=100)] = "",
    weekday: Annotated[str, Form(max_length=10)] = "",
    time: Annotated[str, Form(max_length=10)] = "",
    rrule: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    ctx = context(request)
    now = ctx.clock()
    values = {"flow": flow, "weekday": weekday, "time": time, "rrule": rrule}
    problem = None
    if flow not in ctx.flows:
        known = ", ".join(sorted(ctx.flows)) or "none"
        problem = f"There is no flow named '{flow[:60]}' (known: {known})."
    rule = rrule.strip() or None
    if problem is None and rule is None:
        rule, problem = rule_from_picker(weekday, time)
    if problem is None:
        assert rule is not None
        with ctx.database.transaction() as db:
            person = load_person(db, viewer, person_id)
            program = db.get(Program, person.program_id)
            assert program is not None and person.id is not None
            tz = person_timezone(person, program)
            try:
                schedule = schedules.set_schedule(db, person_id=person.id, flow_id=flow,
                                                  rule=rule, timezone=tz, now=now)
            except ValueError as exc:  # RuleError included; nothing was changed
                problem = f"That rule does not work: {exc}."
            else:
                audit.record(db, actor=viewer.actor, action="schedule_set",
                             subject_type="schedule", subject_id=schedule.id,
                             detail={"person_id": person.id, "flow": flow,
                                     "rule": schedule.rule, "timezone": tz}, now=now)
    else:
        with ctx.database.reading() as db:
            load_person(db, viewer, person_id)  # 404 before any message about the form
    if problem is not None:
        return person_page(request, viewer, person_id, errors={"schedule": problem},
                           values=values, status_code=400)
    return RedirectResponse(f"/people/{person_id}?done=schedule_set", status_code=303)

