"""Schedules, default schedules, choosing a contact, and the `schedule` / `start` commands."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import typer
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from bot.cli import schedule_cmd
from bot.contacts import choose_contact
from bot.database import Database
from bot.scheduling.defaults import apply_default_schedule, default_schedule, person_timezone
from bot.settings import get_settings
from flows.recurrence import RuleError
from storage.models import (
    AuditEvent,
    Channel,
    CheckinSession,
    Message,
    Person,
    Program,
    Role,
    Schedule,
)
from storage.queries import people, sessions
from storage.queries.schedules import (
    list_schedules,
    pause_schedules,
    schedules_for,
    set_schedule,
)
from tests.bot.helpers import NOW, database_for, enrol

NY = ZoneInfo("America/New_York")
MONDAY_18 = "FREQ=WEEKLY;BYDAY=MO;BYHOUR=18;BYMINUTE=0"
# NOW is Monday 2026-03-02 12:00 EST; the US clocks change on Sunday 2026-03-08.


@pytest.fixture
def database(db_url: str, engine: Engine) -> Database:
    return database_for(db_url, engine)


def program_of(db: Session, person: Person) -> Program:
    program = db.get(Program, person.program_id)
    assert program is not None
    return program


# --- set / replace / pause / resume / list ---------------------------------------------------


def test_set_schedule_computes_next_due_and_replaces(database: Database) -> None:
    with database.transaction() as db:
        ana = enrol(db, Role.mentee, "Ana Torres")
        assert ana.id is not None
        first = set_schedule(db, person_id=ana.id, flow_id="mentee_checkin",
                             rule="rrule:freq=weekly;byday=mo;byhour=18;byminute=0",
                             timezone="America/New_York", now=NOW)
        assert first.rule == MONDAY_18
        assert first.next_due_at == datetime(2026, 3, 2, 18, tzinfo=NY)
        again = set_schedule(db, person_id=ana.id, flow_id="mentee_checkin",
                             rule="FREQ=WEEKLY;BYDAY=TU;BYHOUR=9;BYMINUTE=30",
                             timezone="Europe/Madrid", now=NOW)
        other = set_schedule(db, person_id=ana.id, flow_id="mentor_checkin", rule=MONDAY_18,
                             timezone="America/New_York", now=NOW)
        first_id = first.id
    with database.transaction() as db:
        rows = schedules_for(db, ana.id)
        assert [(s.id, s.flow_id) for s in rows] == [
            (first_id, "mentee_checkin"), (other.id, "mentor_checkin"),
        ]
        assert again.id == first_id
        assert rows[0].timezone == "Europe/Madrid"
        assert rows[0].next_due_at == datetime(2026, 3, 3, 9, 30, tzinfo=ZoneInfo("Europe/Madrid"))


def test_set_schedule_refuses_bad_input_and_changes_nothing(database: Database) -> None:
    with database.transaction() as db:
        ana = enrol(db, Role.mentee, "Ana Torres")
        assert ana.id is not None
        with pytest.raises(ValueError, match="has no occurrence after 2026-03-02 17:00 UTC"):
            set_schedule(db, person_id=ana.id, flow_id="mentee_checkin",
                         rule="FREQ=DAILY;UNTIL=20250101T000000", timezone="UTC", now=NOW)
        with pytest.raises(RuleError, match="not a recurrence rule"):
            set_schedule(db, person_id=ana.id, flow_id="mentee_checkin", rule="FREQ=OFTEN",
                         timezone="UTC", now=NOW)
        with pytest.raises(RuleError, match="not a timezone name"):
            set_schedule(db, person_id=ana.id, flow_id="mentee_checkin", rule=MONDAY_18,
                         timezone="Moon/Base", now=NOW)
        with pytest.raises(ValueError, match="no person with id 999"):
            set_schedule(db, person_id=999, flow_id="mentee_checkin", rule=MONDAY_18,
                         timezone="UTC", now=NOW)
        assert schedules_for(db, ana.id) == []


def test_pause_then_resume_skips_what_was_missed(database: Database) -> None:
    with database.transaction() as db:
        ana = enrol(db, Role.mentee, "Ana Torres")
        assert ana.id is not None
        for flow in ("mentee_checkin", "extra_checkin"):
            set_schedule(db, person_id=ana.id, flow_id=flow, rule=MONDAY_18,
                         timezone="America/New_York", now=NOW)
        assert pause_schedules(db, ana.id, paused=True, now=NOW) == 2
        assert pause_schedules(db, ana.id, paused=True, now=NOW) == 0
    later = NOW + timedelta(days=30)  # four Mondays missed while paused
    with database.transaction() as db:
        assert pause_schedules(db, ana.id, flow_id="mentee_checkin", paused=False,
                               now=later) == 1
    with database.transaction() as db:
        still_paused, resumed = schedules_for(db, ana.id)  # by flow id
        assert (resumed.paused, still_paused.paused) == (False, True)
        assert resumed.next_due_at == datetime(2026, 4, 6, 18, tzinfo=NY)  # first after `later`
        assert still_paused.next_due_at == datetime(2026, 3, 2, 18, tzinfo=NY)


def test_a_paused_schedule_stays_paused_when_its_rule_changes(database: Database) -> None:
    with database.transaction() as db:
        ana = enrol(db, Role.mentee, "Ana Torres")
        assert ana.id is not None
        set_schedule(db, person_id=ana.id, flow_id="mentee_checkin", rule=MONDAY_18,
                     timezone="UTC", now=NOW)
        pause_schedules(db, ana.id, paused=True, now=NOW)
        changed = set_schedule(db, person_id=ana.id, flow_id="mentee_checkin",
                               rule="FREQ=DAILY;BYHOUR=9;BYMINUTE=0", timezone="UTC", now=NOW)
        assert changed.paused is True


def test_list_schedules_by_program_and_person(database: Database) -> None:
    with database.transaction() as db:
        ana = enrol(db, Role.mentee, "Ana Torres")
        jo = enrol(db, Role.mentor, "Jordan Lee")
        bo = enrol(db, Role.mentee, "Bo Chen", program_name="Other Place")
        for person in (ana, jo, bo):
            assert person.id is not None
            set_schedule(db, person_id=person.id, flow_id="mentee_checkin", rule=MONDAY_18,
                         timezone="UTC", now=NOW)
        hope = people.get_program_by_name(db, "Hope House")
        assert hope is not None
    with database.transaction() as db:
        everyone = list_schedules(db)
        assert [(p.display_name, s.person_id) for s, p in everyone] == [
            ("Ana Torres", ana.id), ("Jordan Lee", jo.id), ("Bo Chen", bo.id),
        ]
        assert [p.display_name for _, p in list_schedules(db, program_id=hope.id)] == [
            "Ana Torres", "Jordan Lee",
        ]
        [(schedule, person)] = list_schedules(db, person_id=bo.id)
        assert isinstance(schedule, Schedule) and person.display_name == "Bo Chen"


# --- defaults --------------------------------------------------------------------------------


def test_default_schedules_by_role_in_local_time(database: Database) -> None:
    with database.transaction() as db:
        ana = enrol(db, Role.mentee, "Ana Torres")
        jo = enrol(db, Role.mentor, "Jordan Lee")
        sam = enrol(db, Role.supervisor, "Sam Rivera")
        admin = enrol(db, Role.admin, "Ada Admin")
        jo.timezone = "Europe/Madrid"
        program = program_of(db, ana)
        assert person_timezone(ana, program) == "America/New_York"
        assert person_timezone(jo, program) == "Europe/Madrid"
        mentee = apply_default_schedule(db, ana, program, NOW)
        mentor = apply_default_schedule(db, jo, program, NOW)
        assert apply_default_schedule(db, sam, program, NOW) is None
        assert apply_default_schedule(db, admin, program, NOW) is None
        assert mentee is not None and mentor is not None
        assert (mentee.flow_id, mentee.timezone) == ("mentee_checkin", "America/New_York")
        assert mentee.next_due_at == datetime(2026, 3, 2, 18, tzinfo=NY)
        assert (mentor.flow_id, mentor.timezone) == ("mentor_checkin", "Europe/Madrid")
        assert mentor.next_due_at == datetime(2026, 3, 6, 17, tzinfo=ZoneInfo("Europe/Madrid"))
        assert len(db.exec(select(Schedule)).all()) == 2


def test_default_schedule_keeps_an_existing_one(database: Database) -> None:
    with database.transaction() as db:
        ana = enrol(db, Role.mentee, "Ana Torres")
        assert ana.id is not None
        custom = set_schedule(db, person_id=ana.id, flow_id="mentee_checkin",
                              rule="FREQ=DAILY;BYHOUR=9;BYMINUTE=0", timezone="UTC", now=NOW)
        again = apply_default_schedule(db, ana, program_of(db, ana), NOW)
        assert again is not None
        assert (again.id, again.rule) == (custom.id, "FREQ=DAILY;BYHOUR=9;BYMINUTE=0")


def test_program_overrides_the_defaults(database: Database) -> None:
    with database.transaction() as db:
        ana = enrol(db, Role.mentee, "Ana Torres")
        jo = enrol(db, Role.mentor, "Jordan Lee")
        program = program_of(db, ana)
        program.settings["schedules"] = {
            "mentee": {"rule": "FREQ=WEEKLY;BYDAY=WE;BYHOUR=16;BYMINUTE=30"},
            "mentor": None,
        }
    with database.transaction() as db:
        program = program_of(db, ana)
        assert program.settings["schedules"]["mentor"] is None  # saved (mutation tracking)
        mentee = apply_default_schedule(db, ana, program, NOW)
        assert mentee is not None
        assert (mentee.flow_id, mentee.rule) == (
            "mentee_checkin", "FREQ=WEEKLY;BYDAY=WE;BYHOUR=16;BYMINUTE=30",
        )
        assert mentee.next_due_at == datetime(2026, 3, 4, 16, 30, tzinfo=NY)
        assert apply_default_schedule(db, jo, program, NOW) is None


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"rule": "FREQ=SOMETIMES"}, "settings.schedules.mentee: 'FREQ=SOMETIMES' is not a"),
        ({"flow": "x", "when": "mondays"}, "settings.schedules.mentee must be null or like"),
        ("weekly", "settings.schedules.mentee must be null or like"),
    ],
)
def test_a_bad_program_override_names_the_setting(override: object, message: str) -> None:
    program = Program(name="Hope House", settings={"schedules": {"mentee": override}})
    with pytest.raises(RuleError, match=f"program 'Hope House' {message}"):
        default_schedule(program, Role.mentee)
    assert default_schedule(program, Role.supervisor) is None


# --- choosing a contact ----------------------------------------------------------------------


def test_choose_contact_preferences(database: Database) -> None:
    with database.transaction() as db:
        ana = enrol(db, Role.mentee, "Ana Torres", channel=Channel.terminal, address="t-ana")
        assert ana.id is not None
        web = people.add_contact(db, ana.id, Channel.web, "w-ana", now=NOW)
        assert choose_contact(db, ana.id) == web  # web before terminal
        old_sms = people.add_contact(db, ana.id, Channel.sms, "+15555550100", now=NOW)
        assert choose_contact(db, ana.id) == old_sms
        new_sms = people.add_contact(db, ana.id, Channel.sms, "+15555550101", now=NOW)
        assert choose_contact(db, ana.id) == new_sms  # the newest number of one channel
        telegram = people.add_contact(db, ana.id, Channel.telegram, "4242", now=NOW)
        assert choose_contact(db, ana.id) == telegram
        # Their last check-in went over SMS: the next one follows it there.
        sessions.add_session(db, person_id=ana.id, flow_id="mentee_checkin", channel="sms",
                             address=old_sms.address, now=NOW - timedelta(days=7))
        assert choose_contact(db, ana.id) == old_sms
        old_sms.opted_out = True
        assert choose_contact(db, ana.id) == telegram
        telegram.unreachable = True
        assert choose_contact(db, ana.id) == new_sms
        new_sms.opted_out = True
        assert choose_contact(db, ana.id) == web
        web.unreachable = True
        terminal = people.contacts_for(db, ana.id)[0]
        assert choose_contact(db, ana.id) == terminal
        terminal.opted_out = True
        assert choose_contact(db, ana.id) is None
        assert choose_contact(db, 999) is None


# --- the command line ------------------------------------------------------------------------


@pytest.fixture
def cli_db(sqlite_db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    monkeypatch.setenv("DATABASE_URL", sqlite_db_url)
    monkeypatch.delenv("FLOWS_DIR", raising=False)
    monkeypatch.setattr(schedule_cmd, "utcnow", lambda: NOW)
    get_settings.cache_clear()
    database = Database.open(sqlite_db_url)
    yield database
    database.engine.dispose()
    get_settings.cache_clear()


def invoke(*args: str) -> tuple[int, str]:
    app = typer.Typer()
    app.add_typer(schedule_cmd.schedule_app, name="schedule")
    app.command("start")(schedule_cmd.start)
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def enrolled(database: Database, role: Role = Role.mentee, **kw: object) -> int:
    with database.transaction() as db:
        person = enrol(db, role, "Ana Torres", **kw)  # type: ignore[arg-type]
        assert person.id is not None
        return person.id


def test_cli_schedule_set_shows_the_next_three_local_times(cli_db: Database) -> None:
    ana = enrolled(cli_db)
    code, out = invoke("schedule", "set", str(ana), MONDAY_18)
    assert code == 0, out
    assert out.splitlines()[:5] == [
        f"Ana Torres (person {ana}): mentee_checkin {MONDAY_18} (America/New_York)",
        "next check-ins, local time:",
        "  Mon 2026-03-02 18:00 EST",
        "  Mon 2026-03-09 18:00 EDT",
        "  Mon 2026-03-16 18:00 EDT",
    ]
    code, out = invoke("schedule", "set", str(ana), "FREQ=DAILY;BYHOUR=22;BYMINUTE=0",
                       "--timezone", "Europe/Madrid")
    assert code == 0, out
    assert "  Mon 2026-03-02 22:00 CET" in out
    assert "inside Hope House's quiet hours (21:00-08:00)" in out
    with cli_db.transaction() as db:
        [schedule] = schedules_for(db, ana)
        assert (schedule.rule, schedule.timezone) == ("FREQ=DAILY;BYHOUR=22;BYMINUTE=0",
                                                      "Europe/Madrid")
        actions = db.exec(select(AuditEvent.action)).all()
        assert actions.count("schedule_set") == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["FREQ=SOMETIMES"], "is not a recurrence rule"),
        ([MONDAY_18, "--timezone", "Moon/Base"], "'Moon/Base' is not a timezone name"),
        ([MONDAY_18, "--flow", "nope"], "no flow named 'nope' (known: "),
        (["FREQ=DAILY;UNTIL=20250101T000000"], "has no occurrence after"),
    ],
)
def test_cli_schedule_set_explains_bad_input(
    cli_db: Database, args: list[str], message: str
) -> None:
    ana = enrolled(cli_db)
    code, out = invoke("schedule", "set", str(ana), *args)
    assert code == 2 and message in out
    with cli_db.transaction() as db:
        assert schedules_for(db, ana) == []


def test_cli_schedule_set_needs_a_person_and_a_flow(cli_db: Database) -> None:
    code, out = invoke("schedule", "set", "999", MONDAY_18)
    assert code == 2 and "no person with id 999" in out
    sam = enrolled(cli_db, Role.supervisor)
    code, out = invoke("schedule", "set", str(sam), MONDAY_18)
    assert code == 2 and "is a supervisor and has no default check-in; give one with --flow" in out


def test_cli_pause_resume_and_list(cli_db: Database) -> None:
    ana = enrolled(cli_db)
    code, out = invoke("schedule", "pause", str(ana))
    assert code == 2 and "has no schedule; set one with `checkin schedule set" in out
    assert invoke("schedule", "set", str(ana), MONDAY_18)[0] == 0
    code, out = invoke("schedule", "pause", str(ana))
    assert code == 0 and "paused 1 schedule(s)" in out and "mentee_checkin\tpaused" in out
    code, out = invoke("schedule", "list")
    assert out.splitlines() == [
        "PERSON\tNAME\tFLOW\tRULE\tNEXT (THEIR TIME)\tSTATE",
        f"{ana}\tAna Torres\tmentee_checkin\t{MONDAY_18}\tMon 2026-03-02 18:00 EST\tpaused",
    ]
    assert invoke("schedule", "list", "--program", "Nowhere")[0] == 2
    code, out = invoke("schedule", "resume", str(ana))
    assert code == 0 and "resumed 1 schedule(s)" in out
    assert "mentee_checkin\tnext Mon 2026-03-02 18:00 EST" in out
    code, out = invoke("schedule", "list", "--program", "Hope House")
    assert out.rstrip().endswith("\tactive")


def test_cli_start_once_then_explains_the_active_session(cli_db: Database) -> None:
    ana = enrolled(cli_db)
    code, out = invoke("start", str(ana))
    assert code == 0, out
    assert f"started mentee_checkin for Ana Torres (person {ana}) on terminal" in out
    code, out = invoke("start", str(ana), "--flow", "mentee_checkin")
    assert code == 1
    assert "nothing was started: Ana Torres" in out and "already has an active check-in" in out
    with cli_db.transaction() as db:
        started = db.exec(select(CheckinSession)).all()
        assert len(started) == 1 and started[0].channel == "terminal"
        assert db.exec(select(Message).where(Message.session_id == started[0].id)).first()


def test_cli_start_on_sms_without_consent_queues_a_request(cli_db: Database) -> None:
    ana = enrolled(cli_db, channel=Channel.sms, address="+15555550100")
    code, out = invoke("start", str(ana))
    assert code == 1
    assert "has not agreed to texts at +15555550100 yet: a consent request was queued" in out
    code, out = invoke("start", str(ana))
    assert code == 1 and "a consent request was already sent on 2026-03-02" in out
    with cli_db.transaction() as db:  # the request survived the failing exit
        kinds = db.exec(select(Message.kind).order_by(col(Message.id))).all()
        assert kinds == ["consent_request"]
        assert db.exec(select(CheckinSession)).first() is None


def test_cli_start_explains_unreachable_people(cli_db: Database) -> None:
    ana = enrolled(cli_db, channel=Channel.sms, address="+15555550100")
    with cli_db.transaction() as db:
        [contact] = people.contacts_for(db, ana)
        contact.opted_out = True
    code, out = invoke("start", str(ana))
    assert code == 1
    assert "cannot be reached: sms +15555550100 (opted out: they must text START)" in out
    code, out = invoke("start", "999")
    assert code == 2 and "no person with id 999" in out


def test_a_programs_new_timezone_moves_the_schedules_that_followed_it(
    cli_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.cli import rota_cmd

    monkeypatch.setattr(rota_cmd, "utcnow", lambda: NOW)
    with cli_db.transaction() as db:
        ana = enrol(db, Role.mentee, "Ana Torres")  # follows the program's timezone
        bo = enrol(db, Role.mentee, "Bo Lind")
        bo.timezone = "Europe/Madrid"  # a timezone of her own
        cy = enrol(db, Role.mentee, "Cy Ortiz")  # no own timezone, schedule set elsewhere
        program = program_of(db, ana)
        assert program.timezone == "America/New_York"
        for person, zone in ((ana, "America/New_York"), (bo, "Europe/Madrid"),
                             (cy, "America/Chicago")):
            assert person.id is not None
            set_schedule(db, person_id=person.id, flow_id="mentee_checkin", rule=MONDAY_18,
                         timezone=zone, now=NOW)
        ids = {"ana": ana.id, "bo": bo.id, "cy": cy.id}
    app = typer.Typer()
    app.add_typer(typer.Typer(), name="unused")  # a group, so "programs set" parses as in checkin
    programs = typer.Typer()
    programs.command("set")(rota_cmd.programs_set)
    app.add_typer(programs, name="programs")
    result = CliRunner().invoke(app, ["programs", "set", "Hope House", "--timezone",
                                      "America/Los_Angeles"])
    assert result.exit_code == 0, result.output
    assert "1 check-in schedule now follow America/Los_Angeles (same local time)" in result.output
    la = ZoneInfo("America/Los_Angeles")
    with cli_db.transaction() as db:
        (ana_s,) = schedules_for(db, ids["ana"])
        (bo_s,) = schedules_for(db, ids["bo"])
        (cy_s,) = schedules_for(db, ids["cy"])
        # Still Monday 18:00, now in Los Angeles (NOW is Monday 09:00 there).
        assert (ana_s.timezone, ana_s.next_due_at) == ("America/Los_Angeles",
                                                       datetime(2026, 3, 2, 18, tzinfo=la))
        assert (bo_s.timezone, cy_s.timezone) == ("Europe/Madrid", "America/Chicago")
        assert cy_s.next_due_at == datetime(2026, 3, 2, 18, tzinfo=ZoneInfo("America/Chicago"))
