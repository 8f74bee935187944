"""Program settings (quiet hours, timezone, crisis message, HELP text, acknowledgement
deadlines, alert detail) and the flows with their validation result. Admins only, their own
programs only.

Values are checked by `bot.program_settings`, the same checks as `checkin programs set`; a form
with any bad value is shown again (400) with a message next to each field and nothing saved.
Every saved change is an audit event with the before and after values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import Session, col, select

from bot import texts
from bot.dashboard.access import AdminViewer, Viewer, context
from bot.dashboard.render import render
from bot.escalation.alerts import DETAIL_MODES, DETAIL_SETTING, detail_mode
from bot.program_settings import (
    ACK_LEVELS,
    ACK_MAX_MINUTES,
    ACK_SETTING,
    CRISIS_MAX_CHARS,
    SettingError,
    ack_minutes,
    check_ack_minutes,
    check_alert_detail,
    check_clock,
    check_crisis_message,
    check_help_text,
    check_timezone_name,
)
from flows.loader import DEFINITIONS_DIR, FlowError, load_flow, load_flows
from storage.models import Program
from storage.queries import audit

router = APIRouter()

AUDIT_ACTION = "program_settings_changed"  # the same action `checkin programs set` records
FIELD_LABELS = {
    "quiet_start": "quiet hours start", "quiet_end": "quiet hours end", "timezone": "timezone",
    "crisis_message": "crisis message", "help_text": "HELP answer",
    "ack_urgent": "urgent deadline", "ack_concern": "concern deadline",
    "ack_watch": "watch deadline", "alert_detail": "alert detail",
}
DETAIL_LABELS = {
    "discreet": "Discreet (default): level, alert number, initials, program and link",
    "reasons": "With reasons: also the reason codes (e.g. feels_unsafe); never answers or words",
}


# ---- program settings -----------------------------------------------------------------------


def _programs(db: Session, viewer: Viewer) -> list[Program]:
    return list(db.exec(select(Program).where(col(Program.id).in_(viewer.program_ids))
                        .order_by(col(Program.name))).all())


def _current(program: Program) -> dict[str, Any]:
    """What the form shows and what an audit event compares (stored values, as typed)."""
    deadlines = ack_minutes(program.settings)
    return {
        "quiet_start": program.quiet_start,
        "quiet_end": program.quiet_end,
        "timezone": program.timezone,
        "crisis_message": program.crisis_message,
        "help_text": program.help_text,
        **{f"ack_{level}": deadlines[level] for level in ACK_LEVELS},
        "alert_detail": detail_mode(program),
    }


def _settings_page(
    request: Request, viewer: Viewer, programs: list[Program], program: Program,
    values: dict[str, Any], errors: dict[str, str], *, notice: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    flows = context(request).flows
    flow_crisis = [(f.id, f.messages["crisis"].get(f.languages[0], ""))
                   for f in sorted(flows.values(), key=lambda f: f.id)
                   if f.audience == "mentee" and "crisis" in f.messages]
    return render(request, "settings.html", {
        "programs": programs,
        "program": program,
        "values": values,
        "errors": errors,
        "notice": notice,
        "crisis_saved": program.crisis_message,
        "default_crisis": texts.text("crisis", "en"),
        "flow_crisis": flow_crisis,
        "crisis_max": CRISIS_MAX_CHARS,
        "ack_levels": ACK_LEVELS,
        "ack_max": ACK_MAX_MINUTES,
        "detail_modes": [(mode, DETAIL_LABELS.get(mode, mode)) for mode in DETAIL_MODES],
    }, status_code=status_code)


@router.get("/settings")
def settings_page(
    request: Request, viewer: AdminViewer, program: str | None = None,
    saved: str | None = None,
) -> HTMLResponse:
    notice = None
    if saved is not None:  # field names only: no text from the address bar reaches the page
        labels = [FIELD_LABELS[name] for name in saved.split(",") if name in FIELD_LABELS]
        notice = f"Saved: {', '.join(labels)}." if labels else "Nothing changed."
    with context(request).database.reading() as db:
        programs = _programs(db, viewer)
        if not programs:
            raise HTTPException(status_code=404, detail="Not found")
        chosen = programs[0]
        if program:
            wanted = int(program) if program.isascii() and program.isdigit() else None
            viewer.check_program(wanted)
            chosen = next((p for p in programs if p.id == wanted), None) or _not_found()
    return _settings_page(request, viewer, programs, chosen, _current(chosen), {}, notice=notice)


def _not_found() -> Program:
    raise HTTPException(status_code=404, detail="Not found")


@dataclass
class _Checked:
    values: dict[str, Any] = field(default_factory=dict)  # the form as typed (shown again)
    clean: dict[str, Any] = field(default_factory=dict)  # checked values, by field
    errors: dict[str, str] = field(default_factory=dict)

    def check(self, name: str, raw: str | None, checker: Any) -> None:
        if raw is None:  # not sent: left as it is
            return
        self.values[name] = raw
        try:
            self.clean[name] = checker(raw)
        except SettingError as exc:
            self.errors[name] = str(exc)


async def _form_fields(request: Request) -> dict[str, str]:
    """The posted fields as sent. (FastAPI's Form() turns an empty field into "not sent", and
    an emptied crisis message must mean "use the default", not "leave it as it was".)"""
    form = await request.form()
    return {name: value for name, value in form.items() if isinstance(value, str)}


@router.post("/settings/{program_id}", response_model=None)
def save_settings(
    request: Request,
    viewer: AdminViewer,
    program_id: int,
    fields: Annotated[dict[str, str], Depends(_form_fields)],
) -> HTMLResponse | RedirectResponse:
    viewer.check_program(program_id)
    form = _Checked()
    form.check("quiet_start", fields.get("quiet_start"), check_clock)
    form.check("quiet_end", fields.get("quiet_end"), check_clock)
    form.check("timezone", fields.get("timezone"), lambda v: check_timezone_name(v.strip()))
    form.check("crisis_message", fields.get("crisis_message"), check_crisis_message)
    form.check("help_text", fields.get("help_text"), check_help_text)
    for level in ACK_LEVELS:
        form.check(f"ack_{level}", fields.get(f"ack_{level}"),
                   lambda v, lv=level: check_ack_minutes(lv, v))
    form.check("alert_detail", fields.get("alert_detail"), check_alert_detail)

    ctx = context(request)
    if form.errors:
        with ctx.database.reading() as db:
            programs = _programs(db, viewer)
            program = next((p for p in programs if p.id == program_id), None) or _not_found()
        values = {**_current(program), **form.values}
        return _settings_page(request, viewer, programs, program, values, form.errors,
                              status_code=400)

    now = ctx.clock()
    with ctx.database.transaction() as db:
        program = db.get(Program, program_id) or _not_found()
        before = _current(program)
        after = {**before, **form.clean}
        changed = [name for name in before if after[name] != before[name]]
        if changed:
            for name in ("quiet_start", "quiet_end", "timezone", "crisis_message", "help_text"):
                setattr(program, name, after[name])
            settings = dict(program.settings or {})
            deadlines = dict(settings.get(ACK_SETTING, {}))
            for level in ACK_LEVELS:
                if f"ack_{level}" in changed:
                    deadlines[level] = after[f"ack_{level}"]
            if deadlines:
                settings[ACK_SETTING] = deadlines
            if "alert_detail" in changed:
                settings[DETAIL_SETTING] = after["alert_detail"]
            program.settings = settings
            db.add(program)
            audit.record(db, actor=viewer.actor, action=AUDIT_ACTION, subject_type="program",
                         subject_id=program_id, now=now, detail={
                             "changed": changed,
                             "before": {name: before[name] for name in changed},
                             "after": {name: after[name] for name in changed},
                         })
    query = urlencode({"program": program_id, "saved": ",".join(changed)})
    return RedirectResponse(f"/settings?{query}", status_code=303)


# ---- flows ----------------------------------------------------------------------------------


@dataclass
class FileCheck:
    path: str
    flow_id: str | None
    problems: list[str]


@dataclass
class FolderCheck:
    label: str
    folder: str
    files: list[FileCheck]
    problems: list[str]  # problems not tied to one file (e.g. a folder that cannot be read)

    @property
    def valid(self) -> bool:
        return not self.problems and all(not f.problems for f in self.files)


def check_folder(label: str, folder: Path) -> FolderCheck:
    """The validation `checkin flows validate` runs (`load_flows`), over one folder as the
    service loads it at start (bot/flow_registry.py), with its problems sorted by file."""
    try:
        load_flows([folder])
        problems: list[str] = []
    except FlowError as exc:
        problems = list(exc.problems)
    paths = sorted(folder.glob("*.yaml")) if folder.is_dir() else [folder]
    files: list[FileCheck] = []
    for path in paths:
        mine = [p for p in problems if p.startswith(f"{path}:")]
        problems = [p for p in problems if p not in mine]
        flow_id = None
        if not mine:
            try:
                flow_id = load_flow(path).id
            except FlowError as exc:  # changed between the two reads
                mine = list(exc.problems)
        files.append(FileCheck(str(path), flow_id, mine))
    return FolderCheck(label, str(folder), files, problems)


@router.get("/flows")
def flows_page(request: Request, viewer: AdminViewer) -> HTMLResponse:
    ctx = context(request)
    folders = [check_folder("Shipped flows", DEFINITIONS_DIR)]
    if ctx.settings.flows_dir is not None:
        folders.append(check_folder("FLOWS_DIR", ctx.settings.flows_dir))
    shipped_ids = {f.flow_id for f in folders[0].files if f.flow_id}
    overrides = {f.flow_id for folder in folders[1:] for f in folder.files
                 if f.flow_id in shipped_ids}
    loaded = sorted(ctx.flows.values(), key=lambda f: f.id)
    return render(request, "flows.html", {
        "loaded": loaded,
        "folders": folders,
        "overrides": overrides,
        "flows_dir": ctx.settings.flows_dir,
        "definitions_dir": DEFINITIONS_DIR,
        "all_valid": all(folder.valid for folder in folders),
    })
