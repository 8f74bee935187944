"""Program settings (quiet hours, timezone, the crisis message and "staff have been told" line
per flow language, HELP text, acknowledgement deadlines, alert detail, the outcomes staff
resolve escalations with) and the flows with their
validation result. Admins only, their own programs only.

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

from bot import crisis_texts, texts
from bot.dashboard.access import AdminViewer, Viewer, context
from bot.dashboard.render import render
from bot.escalation import casework
from bot.escalation.alert_messages import DETAIL_MODES, DETAIL_SETTING, detail_mode
from bot.policy import ACK_LEVELS, ACK_SETTING, ack_minutes
from bot.program_settings import (
    ACK_MAX_MINUTES,
    CRISIS_MAX_CHARS,
    SIGNOFF_MAX_CHARS,
    SIGNOFF_SETTING,
    STAFF_TOLD_MAX_CHARS,
    SettingError,
    check_ack_minutes,
    check_alert_detail,
    check_clock,
    check_crisis_message,
    check_help_text,
    check_outcomes,
    check_staff_signoff,
    check_staff_told,
    check_timezone_name,
    check_webhook_secret,
    check_webhook_url,
    check_yes_no,
    secret_hint,
    set_webhook,
)
from bot.webhook_events import includes_text, webhook_url
from flows.loader import DEFINITIONS_DIR, FlowError, load_flow, load_flows
from storage.models import Program
from storage.queries import audit

router = APIRouter()

AUDIT_ACTION = "program_settings_changed"  # the same action `checkin programs set` records
FIELD_LABELS = {
    "quiet_start": "quiet hours start", "quiet_end": "quiet hours end", "timezone": "timezone",
    "help_text": "HELP answer", "staff_signoff": "sign-off under staff messages",
    "ack_urgent": "urgent deadline", "ack_concern": "concern deadline",
    "ack_watch": "watch deadline", "alert_detail": "alert detail",
    "outcomes": "outcomes", "webhook_url": "webhook URL", "webhook_secret": "webhook secret",
    "webhook_include_text": "webhook text",
}
# The per-language fields are "crisis_message_es", "staff_told_es", ...
LANGUAGE_FIELDS = {"crisis": ("crisis_message", "crisis message"),
                   "staff_told": ("staff_told", "\"staff have been told\" line")}
LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}
DETAIL_LABELS = {
    "discreet": "Discreet (default): level, alert number, initials, program and link",
    "reasons": "With reasons: also the reason codes (e.g. feels_unsafe); never answers or words",
}


# ---- program settings -----------------------------------------------------------------------


def _programs(db: Session, viewer: Viewer) -> list[Program]:
    return list(db.exec(select(Program).where(col(Program.id).in_(viewer.program_ids))
                        .order_by(col(Program.name))).all())


def _languages(request: Request) -> list[str]:
    return crisis_texts.flow_languages(context(request).flows.values())


def _language_field(key: str, language: str) -> str:
    return f"{LANGUAGE_FIELDS[key][0]}_{language}"


def field_label(name: str, languages: list[str]) -> str | None:
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    for key, (_prefix, label) in LANGUAGE_FIELDS.items():
        for language in languages:
            if name == _language_field(key, language):
                return f"{label} ({LANGUAGE_NAMES.get(language, language)})"
    return None


def _current(program: Program, languages: list[str]) -> dict[str, Any]:
    """What the form shows and what an audit event compares (stored values, as typed)."""
    deadlines = ack_minutes(program.settings)
    own = {key: crisis_texts.custom_texts(program, key) for key in LANGUAGE_FIELDS}
    return {
        "quiet_start": program.quiet_start,
        "quiet_end": program.quiet_end,
        "timezone": program.timezone,
        **{_language_field(key, language): own[key].get(language)
           for key in LANGUAGE_FIELDS for language in languages},
        "help_text": program.help_text,
        **{f"ack_{level}": deadlines[level] for level in ACK_LEVELS},
        "alert_detail": detail_mode(program),
        "outcomes": list(casework.outcomes(program)),
        "staff_signoff": (program.settings or {}).get(SIGNOFF_SETTING),
    }


@dataclass(frozen=True)
class LanguageTexts:
    """One language's crisis texts on the page: the fields and the shipped defaults."""

    code: str
    name: str
    crisis_field: str
    staff_told_field: str
    default_crisis: str  # outside a check-in (bot/texts.py)
    default_staff_told: str
    flow_crisis: list[tuple[str, str]]  # (flow id, its own crisis text) inside a check-in
    custom: bool  # the program has its own crisis text in this language


def _language_texts(
    request: Request, program: Program, languages: list[str]
) -> list[LanguageTexts]:
    flows = sorted(context(request).flows.values(), key=lambda f: f.id)
    return [LanguageTexts(
        code=language, name=LANGUAGE_NAMES.get(language, language),
        crisis_field=_language_field("crisis", language),
        staff_told_field=_language_field("staff_told", language),
        default_crisis=texts.text("crisis", language),
        default_staff_told=texts.text("staff_told", language),
        flow_crisis=[(f.id, f.messages["crisis"][language]) for f in flows
                     if f.audience == "mentee" and language in f.messages.get("crisis", {})],
        custom=crisis_texts.custom_text(program, "crisis", language) is not None,
    ) for language in languages]


def _settings_page(
    request: Request, viewer: Viewer, programs: list[Program], program: Program,
    values: dict[str, Any], errors: dict[str, str], *, notice: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    languages = _language_texts(request, program, _languages(request))
    return render(request, "settings.html", {
        "programs": programs,
        "program": program,
        "values": values,
        "errors": errors,
        "notice": notice,
        "languages": languages,
        "defaulted": [lt for lt in languages if not lt.custom],
        "crisis_max": CRISIS_MAX_CHARS,
        "staff_told_max": STAFF_TOLD_MAX_CHARS,
        "signoff_max": SIGNOFF_MAX_CHARS,
        "ack_levels": ACK_LEVELS,
        "ack_max": ACK_MAX_MINUTES,
        "detail_modes": [(mode, DETAIL_LABELS.get(mode, mode)) for mode in DETAIL_MODES],
        # The secret is never shown back, only whether there is one and its last characters.
        "webhook_secret_hint": secret_hint(program.webhook_secret),
        "webhook": {"url": values.get("webhook_url", webhook_url(program)),
                    "include_text": values.get("webhook_include_text",
                                               "yes" if includes_text(program) else "no")},
    }, status_code=status_code)


@router.get("/settings")
def settings_page(
    request: Request, viewer: AdminViewer, program: str | None = None,
    saved: str | None = None,
) -> HTMLResponse:
    notice = None
    languages = _languages(request)
    if saved is not None:  # field names only: no text from the address bar reaches the page
        labels = [label for name in saved.split(",")
                  if (label := field_label(name, languages)) is not None]
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
    return _settings_page(request, viewer, programs, chosen, _current(chosen, languages), {},
                          notice=notice)


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
    languages = _languages(request)
    for language in languages:
        form.check(_language_field("crisis", language),
                   fields.get(_language_field("crisis", language)), check_crisis_message)
        form.check(_language_field("staff_told", language),
                   fields.get(_language_field("staff_told", language)), check_staff_told)
    form.check("help_text", fields.get("help_text"), check_help_text)
    for level in ACK_LEVELS:
        form.check(f"ack_{level}", fields.get(f"ack_{level}"),
                   lambda v, lv=level: check_ack_minutes(lv, v))
    form.check("alert_detail", fields.get("alert_detail"), check_alert_detail)
    form.check("outcomes", fields.get("outcomes"), check_outcomes)
    form.check("staff_signoff", fields.get("staff_signoff"), check_staff_signoff)
    # The webhook: kept out of `_current`, so neither the URL (it may hold a token) nor the
    # secret goes into the audit trail's before/after values; the names changed do.
    form.check("webhook_url", fields.get("webhook_url"), check_webhook_url)
    form.check("webhook_include_text", fields.get("webhook_include_text"), check_yes_no)
    new_secret: str | None = None
    if (fields.get("webhook_secret") or "").strip():  # empty: keep the stored one
        try:
            new_secret = check_webhook_secret(fields["webhook_secret"])
        except SettingError as exc:
            form.errors["webhook_secret"] = str(exc)

    ctx = context(request)
    if not form.errors:
        try:
            return _save(request, viewer, program_id, form, new_secret, languages)
        except SettingError as exc:  # a webhook URL with no secret: nothing was saved
            form.errors["webhook_secret"] = str(exc)
    with ctx.database.reading() as db:
        programs = _programs(db, viewer)
        program = next((p for p in programs if p.id == program_id), None) or _not_found()
    values = {**_current(program, languages), **form.values}
    return _settings_page(request, viewer, programs, program, values, form.errors,
                          status_code=400)


def _save(
    request: Request, viewer: Viewer, program_id: int, form: _Checked, new_secret: str | None,
    languages: list[str],
) -> RedirectResponse:
    ctx = context(request)
    now = ctx.clock()
    with ctx.database.transaction() as db:
        program = db.get(Program, program_id) or _not_found()
        before = _current(program, languages)
        after = {**before, **form.clean}
        changed = [name for name in before if after[name] != before[name]]
        if changed:
            for name in ("quiet_start", "quiet_end", "timezone", "help_text"):
                setattr(program, name, after[name])
            settings = dict(program.settings or {})
            for key in LANGUAGE_FIELDS:
                setting = crisis_texts.SETTING_KEYS[key]
                # Texts of languages the flows no longer speak are kept, not silently lost.
                own = dict(crisis_texts.custom_texts(program, key))
                for language in languages:
                    text = after[_language_field(key, language)]
                    if text:
                        own[language] = text
                    else:
                        own.pop(language, None)
                if own:
                    settings[setting] = own
                else:
                    settings.pop(setting, None)
            deadlines = dict(settings.get(ACK_SETTING, {}))
            for level in ACK_LEVELS:
                if f"ack_{level}" in changed:
                    deadlines[level] = after[f"ack_{level}"]
            if deadlines:
                settings[ACK_SETTING] = deadlines
            if "alert_detail" in changed:
                settings[DETAIL_SETTING] = after["alert_detail"]
            if "outcomes" in changed:
                settings[casework.OUTCOMES_SETTING] = after["outcomes"]
            if after["staff_signoff"]:
                settings[SIGNOFF_SETTING] = after["staff_signoff"]
            else:
                settings.pop(SIGNOFF_SETTING, None)
            program.settings = settings
            db.add(program)
            audit.record(db, actor=viewer.actor, action=AUDIT_ACTION, subject_type="program",
                         subject_id=program_id, now=now, detail={
                             "changed": changed,
                             "before": {name: before[name] for name in changed},
                             "after": {name: after[name] for name in changed},
                         })
        hook_changed = set_webhook(
            program, url=form.clean.get("webhook_url"),
            turn_off="webhook_url" in form.clean and form.clean["webhook_url"] is None,
            secret=new_secret, include_text=form.clean.get("webhook_include_text"))
        if hook_changed:
            db.add(program)
            audit.record(db, actor=viewer.actor, action=AUDIT_ACTION, subject_type="program",
                         subject_id=program_id, now=now, detail={"changed": hook_changed})
        changed += hook_changed
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
