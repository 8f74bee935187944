"""`checkin rota …` (who is on call) and `checkin programs set` (a program's own settings)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer
from sqlmodel import select

from bot import crisis_texts
from bot.cli.common import database, fail, flows, header, program_named
from bot.clock import utcnow
from bot.escalation.alert_messages import DETAIL_SETTING
from bot.policy import ACK_SETTING, STAFF_ROLES
from bot.program_settings import (
    SIGNOFF_SETTING,
    SettingError,
    check_ack_minutes,
    check_alert_detail,
    check_crisis_message,
    check_digest_hour,
    check_help_text,
    check_quiet_hours,
    check_staff_signoff,
    check_staff_told,
    check_timezone_name,
    check_webhook_secret,
    check_webhook_url,
    check_yes_no,
    language_text,
    secret_hint,
    set_webhook,
)
from bot.webhook_events import INCLUDE_TEXT_SETTING, REF_KEY_SETTING, URL_SETTING
from storage.models import Person, Role, RotaList
from storage.queries import audit, rota, schedules

rota_app = typer.Typer(help="Who is on call for alerts.", no_args_is_help=True)
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


@rota_app.command("add")
def rota_add(
    person_id: int,
    backup: Annotated[bool, typer.Option("--backup", help="On the backup list.")] = False,
    day: Annotated[str | None, typer.Option(help="mon..sun; every day when left out.")] = None,
    start: Annotated[str, typer.Option(help="HH:MM local time.")] = "00:00",
    end: Annotated[str, typer.Option(help="HH:MM; same as start means all day.")] = "00:00",
) -> None:
    """Put a supervisor (or admin) on the on-call or backup list for some hours."""
    weekday = None
    if day is not None:
        if day.lower()[:3] not in DAYS:
            fail(f"'{day}' is not a day: use mon, tue, wed, thu, fri, sat or sun")
        weekday = DAYS.index(day.lower()[:3])
    with database().transaction() as db:
        person = db.get(Person, person_id)
        if person is None or person.role not in STAFF_ROLES:
            fail("only supervisors and admins can be on call (mentors never receive alerts)")
        try:
            shift = rota.add_shift(db, program_id=person.program_id, person_id=person_id,
                                   list=RotaList.backup if backup else RotaList.oncall,
                                   weekday=weekday, start=start, end=end, now=utcnow())
        except ValueError as exc:
            fail(str(exc))
        audit.record(db, actor="cli", action="rota_shift_added", subject_type="person",
                     subject_id=person_id, detail={"shift_id": shift.id}, now=utcnow())
        typer.echo(shift.id)


@rota_app.command("list")
def rota_list(program: str) -> None:
    """Show a program's rota. With no lines, every supervisor is on call."""
    with database().transaction() as db:
        prog = program_named(db, program)
        assert prog.id is not None
        shifts = rota.shifts_for(db, prog.id)
        if not shifts:
            typer.echo("no rota: every active supervisor is on call, admins are the backup")
            return
        header("ID", "LIST", "NAME", "DAY", "HOURS")
        for s in shifts:
            person = db.get(Person, s.person_id)
            day = DAYS[s.weekday] if s.weekday is not None else "every day"
            hours = "all day" if s.start == s.end else f"{s.start}-{s.end}"
            name = person.display_name if person else "?"
            typer.echo(f"{s.id}\t{s.list.value}\t{name}\t{day}\t{hours}")


def programs_set(
    name: str,
    timezone: Annotated[str | None, typer.Option(help="e.g. America/Chicago")] = None,
    quiet_hours: Annotated[str | None, typer.Option(help="e.g. 21:00-08:00")] = None,
    crisis_message: Annotated[list[str] | None, typer.Option(
        help="Sent on an urgent risk: es=\"Llama al 911…\" for one language (repeat for "
             "each); a plain text is for the first language (en); empty (es=) goes back to "
             "the shipped text.")] = None,
    staff_told: Annotated[list[str] | None, typer.Option(
        help="The line after it (\"A staff member has been told…\"), per language as "
             "--crisis-message.")] = None,
    help_text: Annotated[str | None, typer.Option(help="The answer to HELP.")] = None,
    ack_minutes: Annotated[list[str] | None, typer.Option(help="e.g. urgent=15")] = None,
    alert_detail: Annotated[str | None, typer.Option(help="discreet or reasons")] = None,
    digest_hour: Annotated[int | None, typer.Option(help="0-23, daily watch digest")] = None,
    staff_signoff: Annotated[str | None, typer.Option(
        help="The line under staff messages to mentees, e.g. \"— the Hope House team\"; "
             "empty: each staff member's first name (\"— Sam\").")] = None,
    webhook_url: Annotated[str | None, typer.Option(
        help="Where escalation and missed check-in events are POSTed, signed "
             "(docs/webhooks.md); empty turns them off.")] = None,
    webhook_secret: Annotated[str | None, typer.Option(
        help="The key the events are signed with (24+ characters); \"-\" reads it from "
             "standard input, keeping it out of the shell's history.")] = None,
    webhook_include_text: Annotated[str | None, typer.Option(
        help="yes: events also carry the escalation's evidence and resolution note (people's "
             "words); no (default): ids, levels, reasons and times only.")] = None,
) -> None:
    """Change a program's settings (quiet hours, crisis message, deadlines, alert detail)."""
    with database().transaction() as db:
        program = program_named(db, name)
        settings = dict(program.settings or {})
        changed: list[str] = []
        moved = 0
        try:
            if timezone is not None:
                old_timezone, program.timezone = program.timezone, check_timezone_name(timezone)
                changed.append("timezone")
                # Everyone without a timezone of their own follows the program's: their
                # check-ins keep their local hour in the new zone.
                assert program.id is not None
                moved = schedules.follow_timezone(
                    db, program_id=program.id, old_timezone=old_timezone,
                    new_timezone=program.timezone, now=utcnow())
            if quiet_hours is not None:
                start, sep, end = quiet_hours.partition("-")
                if not sep:
                    raise SettingError(f"'{quiet_hours}' is not a range like 21:00-08:00")
                program.quiet_start, program.quiet_end = check_quiet_hours(start, end)
                changed.append("quiet_hours")
            for key, items, check in (("crisis", crisis_message, check_crisis_message),
                                      ("staff_told", staff_told, check_staff_told)):
                if items:
                    changed += _set_language_texts(settings, key, items, check)
            if help_text is not None:
                program.help_text = check_help_text(help_text)
                changed.append("help_text")
            if ack_minutes:
                deadlines = dict(settings.get(ACK_SETTING, {}))
                for item in ack_minutes:
                    level, _, minutes = item.partition("=")
                    deadlines[level] = check_ack_minutes(level, minutes)
                settings[ACK_SETTING] = deadlines
                changed.append(ACK_SETTING)
            if alert_detail is not None:
                settings[DETAIL_SETTING] = check_alert_detail(alert_detail)
                changed.append("alert_detail")
            if digest_hour is not None:
                settings["digest_hour"] = check_digest_hour(digest_hour)
                changed.append("digest_hour")
            if staff_signoff is not None:
                own_signoff = check_staff_signoff(staff_signoff)
                if own_signoff:
                    settings[SIGNOFF_SETTING] = own_signoff
                else:
                    settings.pop(SIGNOFF_SETTING, None)
                changed.append(SIGNOFF_SETTING)
        except SettingError as exc:
            fail(str(exc))
        program.settings = settings
        try:
            if webhook_secret == "-":
                webhook_secret = typer.get_text_stream("stdin").readline()
            changed += set_webhook(
                program,
                url=check_webhook_url(webhook_url) if webhook_url else None,
                turn_off=webhook_url is not None and not webhook_url.strip(),
                secret=check_webhook_secret(webhook_secret) if webhook_secret is not None
                else None,
                include_text=check_yes_no(webhook_include_text)
                if webhook_include_text is not None else None)
        except SettingError as exc:
            fail(str(exc))
        detail: dict[str, object] = {"changed": changed}
        if moved:
            detail["schedules_moved"] = moved
        audit.record(db, actor="cli", action="program_settings_changed", subject_type="program",
                     subject_id=program.id, detail=detail, now=utcnow())
        typer.echo(f"updated {', '.join(changed) or 'nothing'}")
        if moved:
            typer.echo(f"{moved} check-in schedule{'s' if moved != 1 else ''} now follow "
                       f"{program.timezone} (same local time)")


def _set_language_texts(
    settings: dict[str, Any], key: str, items: list[str], check: Callable[[str], str | None],
) -> list[str]:
    """Store `lang=text` items of a per-language text into `settings`; the names changed."""
    languages = crisis_texts.flow_languages(flows().values())
    setting = crisis_texts.SETTING_KEYS[key]
    own = dict(settings.get(setting) or {})
    changed = []
    for item in items:
        language, raw = language_text(item, languages)
        text = check(raw)
        if text:
            own[language] = text
        else:
            own.pop(language, None)
        changed.append(f"{setting}_{language}")
    if own:
        settings[setting] = own
    else:
        settings.pop(setting, None)
    return changed


def programs_show(name: str) -> None:
    """Show a program's settings."""
    with database().transaction() as db:
        p = program_named(db, name)
        supervisors = db.exec(select(Person).where(Person.program_id == p.id,
                                                   Person.role == Role.supervisor)).all()
        typer.echo(f"{p.name}: timezone {p.timezone}, quiet hours {p.quiet_start}-{p.quiet_end}")
        for language in crisis_texts.flow_languages(flows().values()):
            own = crisis_texts.custom_text(p, "crisis", language)
            told = crisis_texts.custom_text(p, "staff_told", language)
            typer.echo(f"crisis message ({language}): {own or '(default: 911 / 988)'}"
                       + (f" / {told}" if told else ""))
        hidden = {*crisis_texts.SETTING_KEYS.values(), URL_SETTING, INCLUDE_TEXT_SETTING,
                  REF_KEY_SETTING}
        other = {k: v for k, v in (p.settings or {}).items() if k not in hidden}
        typer.echo(f"settings: {other}")
        url = (p.settings or {}).get(URL_SETTING)
        with_text = "included" if (p.settings or {}).get(INCLUDE_TEXT_SETTING) else "not included"
        typer.echo(f"webhook: {url or 'off'}; secret {secret_hint(p.webhook_secret)}; "
                   f"text {with_text}")
        typer.echo(f"supervisors: {', '.join(s.display_name for s in supervisors) or 'none!'}")
