"""People and pairings (admins): the list, add, edit and pause, mentor-mentee pairings,
Telegram invite links with a QR code, and the CSV import.

Enrolment reuses what `checkin people add` does (bot/people_import.py); every change writes an
audit event naming the admin. Everything is limited to the admin's programs: another program's
person or pairing answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any

import segno
from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, or_, select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from bot import people_import
from bot.context import AppContext
from bot.dashboard import sessions as web_sessions
from bot.dashboard.access import AdminViewer, Viewer, context
from bot.dashboard.render import render
from bot.invites import create_invite, invite_link
from bot.policy import DEFAULT_FLOW_FOR_ROLE, needs_consent
from bot.scheduling.defaults import person_timezone
from bot.scheduling.rule_words import describe_rule
from flows.recurrence import RuleError
from storage.models import (
    AuditEvent,
    Channel,
    ContactPoint,
    Pairing,
    Person,
    PersonStatus,
    Program,
    Role,
)
from storage.queries import audit, messages, people, schedules

router = APIRouter()

ROLES = [role.value for role in Role]
STATUSES = [status.value for status in PersonStatus]
PAIRED_ROLES = {Role.mentee: Role.mentor, Role.mentor: Role.mentee}

# Short confirmations after a redirect (codes, so a link cannot put arbitrary text on the page).
DONE = {
    "added": "Added. Their default check-in schedule is set below.",
    "saved": "Saved.",
    "paused": "Saved. They are paused, and so are their scheduled check-ins.",
    "exited": "Saved. They have left the program; their scheduled check-ins are paused.",
    "resumed": "Saved. They are active again, and their scheduled check-ins are resumed.",
    "paired": "Paired.",
    "pairing_ended": "The pairing has ended.",
    "schedule_set": "The schedule is set.",
    "schedule_paused": "The schedule is paused.",
    "schedule_resumed": "The schedule is resumed; missed check-ins are not sent.",
}


# --- loading, always within the admin's programs ---------------------------------------------


def programs_of(db: Session, viewer: Viewer) -> list[Program]:
    found = [db.get(Program, pid) for pid in viewer.program_ids]
    return [p for p in found if p is not None]


def load_person(db: Session, viewer: Viewer, person_id: int) -> Person:
    person = db.get(Person, person_id)
    if person is None:
        raise HTTPException(status_code=404, detail="Not found")
    viewer.check_program(person.program_id)
    return person


def wake_sender(ctx: AppContext) -> None:
    if ctx.sender is not None:
        ctx.sender.wake()


def to_person(person_id: int, done: str) -> RedirectResponse:
    return RedirectResponse(f"/people/{person_id}?done={done}", status_code=303)


# --- the list --------------------------------------------------------------------------------


@dataclass
class Row:
    person: Person
    program: Program
    contacts: list[ContactPoint]
    partners: list[Person]


@router.get("/people")
def people_list(
    request: Request, viewer: AdminViewer, role: str = "", status: str = "", q: str = "",
) -> HTMLResponse:
    ctx = context(request)
    role = role if role in ROLES else ""
    status = status if status in STATUSES else ""
    now = ctx.clock()
    with ctx.database.reading() as db:
        programs = {p.id: p for p in programs_of(db, viewer)}
        stmt = select(Person).where(col(Person.program_id).in_(list(programs)))
        if role:
            stmt = stmt.where(Person.role == Role(role))
        if status:
            stmt = stmt.where(Person.status == PersonStatus(status))
        found = list(db.exec(stmt.order_by(col(Person.display_name), col(Person.id))).all())
        needle = " ".join(q.split()).casefold()
        if needle:
            found = [p for p in found if needle in p.display_name.casefold()]
        ids = [p.id for p in found]
        contacts: dict[int, list[ContactPoint]] = {}
        for contact in db.exec(select(ContactPoint)
                               .where(col(ContactPoint.person_id).in_(ids))
                               .order_by(col(ContactPoint.id))).all():
            contacts.setdefault(contact.person_id, []).append(contact)
        partners = _active_partners(db, ids, now)
        rows = [Row(p, programs[p.program_id], contacts.get(p.id or 0, []),
                    partners.get(p.id or 0, [])) for p in found]
    return render(request, "people.html", {
        "rows": rows, "roles": ROLES, "statuses": STATUSES, "role": role, "status": status,
        "q": q, "several_programs": len(programs) > 1,
    })


def _active_partners(db: Session, ids: list[int | None], now: Any) -> dict[int, list[Person]]:
    """Each person's current mentors (for mentees) or mentees (for mentors)."""
    pairings = db.exec(
        select(Pairing).where(
            or_(col(Pairing.mentor_id).in_(ids), col(Pairing.mentee_id).in_(ids)),
            *people.active_pairing(now),
        )
    ).all()
    wanted = {pid for p in pairings for pid in (p.mentor_id, p.mentee_id)}
    by_id = {p.id: p for p in db.exec(select(Person).where(col(Person.id).in_(wanted))).all()}
    result: dict[int, list[Person]] = {}
    for pairing in pairings:
        result.setdefault(pairing.mentee_id, []).append(by_id[pairing.mentor_id])
        result.setdefault(pairing.mentor_id, []).append(by_id[pairing.mentee_id])
    return result


# --- adding one person -----------------------------------------------------------------------


def sentences(errors: dict[str, str] | None) -> dict[str, str]:
    """The shared checks' messages ("a name is required") as sentences for a form."""
    return {key: text[:1].upper() + text[1:] for key, text in (errors or {}).items()}


def _new_form(request: Request, viewer: Viewer, values: dict[str, str],
              errors: dict[str, str], status_code: int = 200) -> HTMLResponse:
    ctx = context(request)
    with ctx.database.reading() as db:
        programs = programs_of(db, viewer)
    return render(request, "person_new.html", {
        "programs": programs, "roles": ROLES, "languages": people_import.LANGUAGES,
        "values": values, "errors": sentences(errors),
    }, status_code=status_code)


@router.get("/people/new")
def person_new(request: Request, viewer: AdminViewer) -> HTMLResponse:
    return _new_form(request, viewer, {"role": "mentee", "language": "en"}, {})


@router.post("/people")
def person_add(
    request: Request,
    viewer: AdminViewer,
    name: Annotated[str, Form(max_length=500)] = "",
    role: Annotated[str, Form(max_length=50)] = "",
    language: Annotated[str, Form(max_length=50)] = "en",
    timezone: Annotated[str, Form(max_length=200)] = "",
    phone: Annotated[str, Form(max_length=100)] = "",
    program_id: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    ctx = context(request)
    values = {"name": name, "role": role, "language": language, "timezone": timezone,
              "phone": phone, "program_id": program_id}
    new, errors = people_import.check_fields(
        name=name, role=role, phone=phone, language=language, timezone=timezone,
        default_country=ctx.settings.default_country)
    chosen = int(program_id) if program_id.isdigit() else (
        viewer.program_ids[0] if len(viewer.program_ids) == 1 and not program_id else None)
    if chosen is None or not viewer.sees(chosen):
        errors["program_id"] = "choose one of your programs"
    if new is None or errors:
        return _new_form(request, viewer, values, errors, status_code=400)
    now = ctx.clock()
    enrolled = None
    try:
        with ctx.database.transaction() as db:
            program = db.get(Program, chosen)
            assert program is not None
            if new.phone and people_import.phone_in_use(db, new.phone):
                errors["phone"] = f"{new.phone} already belongs to someone enrolled"
            else:
                enrolled = people_import.enrol(db, program, new, now=now, actor=viewer.actor,
                                               via="dashboard")
    except RuleError as exc:  # the program's default-schedule setting is broken
        errors["role"] = str(exc)
    except IntegrityError:  # the number was taken between the check and the insert
        errors["phone"] = f"{new.phone} already belongs to someone enrolled"
    if enrolled is None or errors:
        return _new_form(request, viewer, values, errors, status_code=400)
    if enrolled.consent_requested:
        wake_sender(ctx)
    assert enrolled.person.id is not None
    return to_person(enrolled.person.id, "added")


# --- one person ------------------------------------------------------------------------------


@dataclass
class PairingRow:
    pairing: Pairing
    partner: Person
    active: bool


WEEKDAYS = [("MO", "Monday"), ("TU", "Tuesday"), ("WE", "Wednesday"), ("TH", "Thursday"),
            ("FR", "Friday"), ("SA", "Saturday"), ("SU", "Sunday"), ("DAILY", "Every day")]


def person_page(
    request: Request, viewer: Viewer, person_id: int, *, errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None, invite: dict[str, Any] | None = None,
    notice: str | None = None, status_code: int = 200,
) -> HTMLResponse:
    """The person's page; POST handlers render it again with their errors or results."""
    ctx = context(request)
    now = ctx.clock()
    with ctx.database.reading() as db:
        person = load_person(db, viewer, person_id)
        assert person.id is not None
        program = db.get(Program, person.program_id)
        assert program is not None
        contacts = people.contacts_for(db, person.id)
        # When each SMS number was asked for its YES: a person is asked at their first
        # check-in (staff at enrolment), so "asked to reply YES" would be untrue before that.
        asked: dict[int, datetime] = {}
        for contact in contacts:
            if needs_consent(contact) and contact.id:
                last = messages.last_outbound_of_kind(db, contact.channel, contact.address,
                                                      "consent_request")
                if last is not None:
                    asked[contact.id] = last.created_at
        pairing_rows = []
        for pairing in db.exec(select(Pairing)
                               .where(or_(Pairing.mentor_id == person.id,
                                          Pairing.mentee_id == person.id))
                               .order_by(col(Pairing.active_from).desc())).all():
            partner_id = pairing.mentee_id if pairing.mentor_id == person.id else pairing.mentor_id
            partner = db.get(Person, partner_id)
            if partner is None:
                continue
            active = pairing.active_from <= now and (pairing.active_until is None
                                                     or pairing.active_until > now)
            pairing_rows.append(PairingRow(pairing, partner, active))
        candidates: list[Person] = []
        partner_role = PAIRED_ROLES.get(person.role)
        if partner_role is not None:
            current = {row.partner.id for row in pairing_rows if row.active}
            candidates = [p for p in people.list_people(db, program.id, partner_role)
                          if p.status == PersonStatus.active and p.id not in current]
        mine = schedules.schedules_for(db, person.id)
    flows = sorted(ctx.flows)
    suited = [f for f in flows if getattr(ctx.flows[f], "audience", None) == person.role.value]
    form = {"name": person.display_name, "language": person.language,
            "timezone": person.timezone or "", "status": person.status.value,
            "flow": DEFAULT_FLOW_FOR_ROLE.get(person.role, suited[0] if suited else ""),
            "weekday": "MO", "time": "18:00", "rrule": ""}
    form.update(values or {})
    done = request.query_params.get("done", "")
    return render(request, "person.html", {
        "person": person, "program": program, "contacts": contacts, "consent_asked": asked,
        "pairings": pairing_rows, "candidates": candidates, "partner_role": partner_role,
        "schedules": mine, "describe_rule": describe_rule,
        "timezone": person_timezone(person, program),
        "flows": suited or flows, "weekdays": WEEKDAYS, "languages": people_import.LANGUAGES,
        "statuses": STATUSES, "form": form, "errors": sentences(errors), "invite": invite,
        "telegram_problem": telegram_username(ctx)[1],
        "notice": notice or DONE.get(done),
        "is_self": person.id == viewer.person_id,
    }, status_code=status_code, headers={"Cache-Control": "no-store"} if invite else None)


@router.get("/people/import/example.csv")
def import_example(viewer: AdminViewer) -> Response:
    return PlainTextResponse(people_import.EXAMPLE_CSV, media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition":
                                      'attachment; filename="people-example.csv"'})


@router.get("/people/import")
def import_form(request: Request, viewer: AdminViewer, done: str = "") -> HTMLResponse:
    """The upload form; after an import (`done` = its audit event) what was added."""
    ctx = context(request)
    result = None
    with ctx.database.reading() as db:
        programs = programs_of(db, viewer)
        if done.isdigit():
            event = db.get(AuditEvent, int(done))
            if (event is not None and event.action == "people_imported"
                    and event.actor == viewer.actor and viewer.sees(event.subject_id)):
                result = dict(event.detail)
                program = db.get(Program, event.subject_id)
                result["program"] = program.name if program else ""
                # Names read now (the audit event keeps ids only).
                found = [db.get(Person, pid) for pid in result.get("already_enrolled") or []]
                result["already_names"] = sorted(p.display_name for p in found if p is not None)
    return render(request, "import.html", _import_values(programs, result=result))


def _import_values(programs: list[Program], **extra: Any) -> dict[str, Any]:
    return {"programs": programs, "columns": people_import.COLUMNS,
            "example": people_import.EXAMPLE_CSV, "max_rows": people_import.MAX_ROWS,
            "languages": people_import.LANGUAGES, "roles": ROLES, **extra}


@router.post("/people/import")
async def import_upload(request: Request, viewer: AdminViewer) -> Response:
    # Read by hand rather than with File(): the size is checked before the whole file is read,
    # and a missing or odd field is a message on the form, not a 422.
    ctx = context(request)
    form = await request.form()  # already parsed (and cached) by the CSRF check
    upload = form.get("file")
    program_field = form.get("program_id")
    program_text = program_field if isinstance(program_field, str) else ""
    data = b""
    problem = None
    if not isinstance(upload, UploadFile) or not upload.filename:
        problem = "Choose a CSV file to upload."
    else:
        data = await upload.read(people_import.MAX_BYTES + 1)
    chosen = int(program_text) if program_text.isdigit() else (
        viewer.program_ids[0] if len(viewer.program_ids) == 1 else None)
    if problem is None and (chosen is None or not viewer.sees(chosen)):
        problem = "Choose one of your programs."
    filename = upload.filename if isinstance(upload, UploadFile) else None
    return await run_in_threadpool(_import, request, viewer, ctx, chosen, data, filename,
                                   problem)


def _import(request: Request, viewer: Viewer, ctx: AppContext, program_id: int | None,
            data: bytes, filename: str | None, problem: str | None) -> Response:
    now = ctx.clock()
    outcome: people_import.Outcome | None = None
    if problem is None:
        assert program_id is not None
        try:
            with ctx.database.transaction() as db:
                program = db.get(Program, program_id)
                assert program is not None
                outcome = people_import.import_people(
                    db, program, data, default_country=ctx.settings.default_country, now=now,
                    actor=viewer.actor)
        except IntegrityError:
            problem = ("Someone enrolled one of these phone numbers at the same moment. Nothing "
                       "was imported; upload the file again to see which.")
    if isinstance(outcome, people_import.Imported):
        if outcome.consent_requested:
            wake_sender(ctx)
        # The result is read back from its audit event: a reload shows it and imports nothing.
        return RedirectResponse(f"/people/import?done={outcome.event_id}", status_code=303)
    with ctx.database.reading() as db:
        programs = programs_of(db, viewer)
    return render(request, "import.html", _import_values(
        programs, refused=outcome, problem=problem, filename=filename,
        program_id=program_id), status_code=400)


@router.get("/people/{person_id}")
def person_detail(request: Request, viewer: AdminViewer, person_id: int) -> HTMLResponse:
    return person_page(request, viewer, person_id)


@router.post("/people/{person_id}")
def person_edit(
    request: Request,
    viewer: AdminViewer,
    person_id: int,
    name: Annotated[str, Form(max_length=500)] = "",
    language: Annotated[str, Form(max_length=50)] = "",
    timezone: Annotated[str, Form(max_length=200)] = "",
    status: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    ctx = context(request)
    values = {"name": name, "language": language, "timezone": timezone, "status": status}
    now = ctx.clock()
    with ctx.database.transaction() as db:
        person = load_person(db, viewer, person_id)
        _, errors = people_import.check_fields(
            name=name, role=person.role.value, language=language, timezone=timezone,
            default_country=ctx.settings.default_country)
        if status not in STATUSES:
            errors["status"] = "choose active, paused or exited"
        elif person.id == viewer.person_id and status != PersonStatus.active:
            errors["status"] = ("you cannot pause or exit your own account here (it would "
                                "lock you out); ask another admin")
        if not errors:
            program = db.get(Program, person.program_id)
            assert program is not None and person.id is not None
            old_tz = person_timezone(person, program)
            before = {"name": person.display_name, "language": person.language,
                      "timezone": person.timezone, "status": person.status.value}
            person.display_name = name.strip()
            person.language = language.strip().lower() or "en"
            person.timezone = timezone.strip() or None
            person.status = PersonStatus(status)
            db.add(person)
            new_tz = person_timezone(person, program)
            # Schedules that followed the old timezone follow the new one.
            schedules.follow_timezone(db, person_id=person.id, old_timezone=old_tz,
                                      new_timezone=new_tz, now=now)
            moved = 0
            if before["status"] != status:
                moved = schedules.pause_schedules(
                    db, person.id, paused=status != PersonStatus.active, now=now)
                if status != PersonStatus.active:
                    # Paused or exited staff are logged out now, and stay out after a resume.
                    web_sessions.end_all_of_person(db, person.id)
            after = {"name": person.display_name, "language": person.language,
                     "timezone": person.timezone, "status": person.status.value}
            changed = sorted(k for k in after if after[k] != before[k])
            if changed:
                # Field names and the status only: names are personal data, kept out of the log.
                audit.record(db, actor=viewer.actor, action="person_edited",
                             subject_type="person", subject_id=person.id,
                             detail={"changed": changed, "status": person.status.value,
                                     "schedules_changed": moved}, now=now)
            done = "saved"
            if before["status"] != status:
                done = {"paused": "paused", "exited": "exited"}.get(status, "resumed")
    if errors:
        return person_page(request, viewer, person_id, errors=errors, values=values,
                           status_code=400)
    return to_person(person_id, done)


@router.post("/people/{person_id}/pair")
def person_pair(
    request: Request,
    viewer: AdminViewer,
    person_id: int,
    partner_id: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    ctx = context(request)
    now = ctx.clock()
    problem = None
    with ctx.database.transaction() as db:
        person = load_person(db, viewer, person_id)
        if not partner_id.isdigit():
            problem = "Choose who to pair them with."
        else:
            partner = load_person(db, viewer, int(partner_id))
            mentor, mentee = ((partner, person) if person.role == Role.mentee
                              else (person, partner))
            assert mentor.id is not None and mentee.id is not None
            try:
                people_import.pair(db, mentor.id, mentee.id, now=now, actor=viewer.actor)
            except ValueError as exc:
                problem = f"Not paired: {exc}."
    if problem:
        return person_page(request, viewer, person_id, errors={"pair": problem},
                           status_code=400)
    return to_person(person_id, "paired")


@router.post("/pairings/{pairing_id}/end")
def pairing_end(
    request: Request,
    viewer: AdminViewer,
    pairing_id: int,
    back: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    ctx = context(request)
    now = ctx.clock()
    with ctx.database.transaction() as db:
        pairing = db.get(Pairing, pairing_id)
        if pairing is None:
            raise HTTPException(status_code=404, detail="Not found")
        viewer.check_program(pairing.program_id)
        if pairing.active_until is None or pairing.active_until > now:
            pairing.active_until = now
            db.add(pairing)
            audit.record(db, actor=viewer.actor, action="pairing_ended",
                         subject_type="pairing", subject_id=pairing.id,
                         detail={"mentor_id": pairing.mentor_id,
                                 "mentee_id": pairing.mentee_id}, now=now)
        ends = (pairing.mentor_id, pairing.mentee_id)
    person_id = int(back) if back.isdigit() and int(back) in ends else ends[1]
    return to_person(person_id, "pairing_ended")


def telegram_username(ctx: AppContext) -> tuple[str | None, str | None]:
    """(the bot's @username, None) or (None, why there is no invite link)."""
    if not ctx.settings.telegram_enabled:
        return None, ("Telegram is not set up: TELEGRAM_BOT_TOKEN is not set, so there is no "
                      "bot to invite people to. Create a bot with @BotFather and put its token "
                      "in .env (see .env.example).")
    channel = ctx.channels.get(Channel.telegram)
    username = getattr(channel, "bot_username", None)
    if not username:
        return None, ("The Telegram bot's username is not known yet: the service has not "
                      "reached the Telegram Bot API (see Delivery for the channel status). "
                      "Try again in a minute.")
    return str(username), None


@router.post("/people/{person_id}/invite")
def person_invite(request: Request, viewer: AdminViewer, person_id: int) -> Response:
    ctx = context(request)
    now = ctx.clock()
    username, problem = telegram_username(ctx)
    with ctx.database.transaction() as db:
        person = load_person(db, viewer, person_id)
        if problem is None and person.status == PersonStatus.exited:
            problem = "They have left the program; set them active before inviting them."
        if problem is None:
            assert person.id is not None and username is not None
            valid = timedelta(hours=ctx.settings.invite_valid_hours)
            code = create_invite(db, person.id, now, valid, actor=viewer.actor)
            link = invite_link(username, code.code)
            expires_at = code.expires_at
    if problem is not None:
        return person_page(request, viewer, person_id, errors={"invite": problem},
                           status_code=409)
    qr = segno.make(link, error="m")
    svg = Markup(qr.svg_inline(scale=4, dark="#000", light="#fff",
                               title="QR code of the Telegram invite link"))
    return person_page(request, viewer, person_id, invite={
        "link": link, "svg": svg, "expires_at": expires_at,
        "hours": ctx.settings.invite_valid_hours})
