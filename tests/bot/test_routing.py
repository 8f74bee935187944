"""Alert routing: the rota (in the program's timezone, overnight shifts, weekdays), the default
when there is no rota, usable contacts, and conflict of interest (design invariant 4) checked
over many generated programs. The builders here are shared by test_alerts and test_realert."""

from __future__ import annotations

import itertools
import random
from datetime import datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.database import Database
from bot.escalation import alerts, routing
from bot.policy import ack_deadline
from storage.models import (
    Channel,
    ContactPoint,
    Escalation,
    Message,
    OnCallShift,
    Pairing,
    Person,
    PersonStatus,
    Program,
    Role,
    RotaList,
)
from storage.queries import escalations, people, rota
from tests.bot.helpers import NOW, database_for

# NOW is Monday 2026-03-02 17:00 UTC: 12:00 in New York (EST), 09:00 in Los Angeles (PST).
_numbers = itertools.count(1000)


@pytest.fixture
def database(db_url: str, engine: Engine) -> Database:
    return database_for(db_url, engine)


# ---- builders (shared) ----------------------------------------------------------------------


def make_program(
    db: Session, name: str = "Hope House", *, timezone: str = "America/New_York", **settings: object
) -> Program:
    program = people.add_program(db, name, timezone=timezone, now=NOW)
    program.settings = dict(settings)
    db.flush()
    return program


def make_person(
    db: Session, program: Program, role: Role, name: str, *, sms: bool = True,
    telegram: bool = True, language: str = "en", status: PersonStatus = PersonStatus.active,
) -> Person:
    assert program.id is not None
    person = people.add_person(db, program.id, role, name, language=language, now=NOW)
    person.status = status
    assert person.id is not None
    if telegram:
        people.add_contact(db, person.id, Channel.telegram, f"chat{next(_numbers)}", now=NOW)
    if sms:
        people.add_contact(db, person.id, Channel.sms, f"+1312555{next(_numbers):04d}",
                           consent_at=NOW - timedelta(days=30), now=NOW)
    db.flush()
    return person


def contact(db: Session, person: Person, channel: Channel) -> ContactPoint:
    assert person.id is not None
    found = [c for c in people.contacts_for(db, person.id) if c.channel == channel]
    assert found, f"{person.display_name} has no {channel} contact"
    return found[0]


def raise_escalation(
    db: Session, person: Person, level: str = "urgent", *, at: datetime = NOW,
    reasons: tuple[str, ...] = ("feels_unsafe",), evidence: tuple[str, ...] = ("he hit me",),
    about_mentor_id: int | None = None,
) -> Escalation:
    program = db.get(Program, person.program_id)
    assert program is not None and program.id is not None and person.id is not None
    esc, created = escalations.add_or_merge_escalation(
        db, program_id=program.id, person_id=person.id, session_id=None, level=level,
        reasons=reasons, evidence=evidence, now=at, due_at=ack_deadline(program, level, at),
        about_mentor_id=about_mentor_id,
    )
    assert created
    db.flush()
    return esc


def raise_and_alert(
    db: Session, person: Person, level: str = "urgent", *, at: datetime = NOW,
    dashboard_url: str = "https://checkin.example.org", **kw: object,
) -> Escalation:
    esc = raise_escalation(db, person, level, at=at, **kw)  # type: ignore[arg-type]
    program = db.get(Program, person.program_id)
    assert program is not None
    alerts.alert_new_escalation(db, esc, program, at, dashboard_url=dashboard_url)
    return esc


def alert_rows(db: Session, esc_id: int | None = None) -> list[Message]:
    stmt = select(Message).where(Message.kind == "alert")
    if esc_id is not None:
        stmt = stmt.where(Message.escalation_id == esc_id)
    return list(db.exec(stmt.order_by(col(Message.id))).all())


def ids(found: list[Person] | list[routing.Target]) -> list[int | None]:
    return [x[0].id if isinstance(x, tuple) else x.id for x in found]


# ---- the rota -------------------------------------------------------------------------------


def _shift(weekday: int | None, start: str, end: str) -> OnCallShift:
    return OnCallShift(program_id=1, person_id=1, list=RotaList.oncall, weekday=weekday,
                       start=start, end=end)


MON, TUE, SUN = 0, 1, 6


@pytest.mark.parametrize(
    ("weekday", "start", "end", "local", "covered"),
    [
        (MON, "09:00", "17:00", "2026-03-02 09:00", True),  # start is inside
        (MON, "09:00", "17:00", "2026-03-02 16:59", True),
        (MON, "09:00", "17:00", "2026-03-02 17:00", False),  # end is outside
        (MON, "09:00", "17:00", "2026-03-03 12:00", False),  # Tuesday
        (None, "09:00", "17:00", "2026-03-05 12:00", True),  # every day
        (MON, "22:00", "06:00", "2026-03-02 23:30", True),  # Monday evening
        (MON, "22:00", "06:00", "2026-03-03 05:59", True),  # ... through to Tuesday morning
        (MON, "22:00", "06:00", "2026-03-03 06:00", False),
        (MON, "22:00", "06:00", "2026-03-02 05:00", False),  # Monday morning is Sunday's night
        (MON, "22:00", "06:00", "2026-03-03 23:00", False),  # Tuesday evening is not Monday's
        (SUN, "22:00", "06:00", "2026-03-02 01:00", True),  # Sunday night into Monday
        (None, "22:00", "06:00", "2026-03-04 03:00", True),
        (None, "22:00", "06:00", "2026-03-04 12:00", False),
        (TUE, "00:00", "00:00", "2026-03-03 00:00", True),  # equal: the whole day
        (TUE, "00:00", "00:00", "2026-03-03 23:59", True),
        (TUE, "08:00", "08:00", "2026-03-04 00:00", False),
        (None, "00:00", "00:00", "2026-03-07 04:00", True),
    ],
)
def test_shift_coverage(
    weekday: int | None, start: str, end: str, local: str, covered: bool
) -> None:
    at = datetime.fromisoformat(local)
    assert routing.covers(_shift(weekday, start, end), at) is covered


def test_add_shift_refuses_bad_lines(database: Database) -> None:
    with database.transaction() as db:
        program = make_program(db)
        sup = make_person(db, program, Role.supervisor, "Sam Lee")
        assert program.id is not None and sup.id is not None
        for bad in ({"start": "9:00"}, {"end": "24:00"}, {"weekday": 7}, {"list": "spare"}):
            with pytest.raises(ValueError):
                rota.add_shift(db, program_id=program.id, person_id=sup.id, now=NOW,
                               **bad)  # type: ignore[arg-type]
        rota.add_shift(db, program_id=program.id, person_id=sup.id, weekday=0, start="22:00",
                       end="06:00", now=NOW)
        assert [(s.weekday, s.start, s.end) for s in rota.shifts_for(db, program.id)] == [
            (0, "22:00", "06:00")
        ]


def test_on_call_reads_the_rota_in_the_program_timezone(database: Database) -> None:
    with database.transaction() as db:
        program = make_program(db, timezone="America/Los_Angeles")
        day = make_person(db, program, Role.supervisor, "Dana Day")
        night = make_person(db, program, Role.supervisor, "Nico Night")
        weekend = make_person(db, program, Role.supervisor, "Wes End")
        backup = make_person(db, program, Role.admin, "Bea Backup")
        make_person(db, program, Role.supervisor, "Off Rota")  # on no list: never on call
        assert program.id is not None
        for person, kw in [
            (day, {"weekday": None, "start": "08:00", "end": "18:00"}),
            (night, {"weekday": None, "start": "18:00", "end": "08:00"}),
            (weekend, {"weekday": 5, "start": "00:00", "end": "00:00"}),
            (backup, {"list": "backup"}),
        ]:
            assert person.id is not None
            rota.add_shift(db, program_id=program.id, person_id=person.id, now=NOW,
                           **kw)  # type: ignore[arg-type]

        def oncall(at: datetime) -> list[int | None]:
            return ids(routing.on_call(db, program, at, which="oncall"))

        assert oncall(NOW) == [day.id]  # 09:00 in Los Angeles (17:00 UTC)
        assert oncall(NOW - timedelta(hours=1, minutes=1)) == [night.id]  # 07:59 local
        assert oncall(NOW + timedelta(hours=9)) == [night.id]  # 18:00 local
        assert oncall(NOW + timedelta(hours=15)) == [night.id]  # 00:00 local, Tuesday
        saturday_noon = NOW + timedelta(days=5, hours=3)
        assert oncall(saturday_noon) == [day.id, weekend.id]
        assert ids(routing.on_call(db, program, NOW, which="backup")) == [backup.id]


def test_without_a_rota_every_supervisor_is_on_call_and_admins_are_backup(
    database: Database,
) -> None:
    with database.transaction() as db:
        program = make_program(db)
        other = make_program(db, "Elsewhere")
        a = make_person(db, program, Role.supervisor, "Ana Sup")
        b = make_person(db, program, Role.supervisor, "Ben Sup")
        make_person(db, program, Role.supervisor, "Paused Sup", status=PersonStatus.paused)
        admin = make_person(db, program, Role.admin, "Ada Admin")
        make_person(db, program, Role.mentor, "Marco Mentor")
        make_person(db, other, Role.supervisor, "Other Sup")
        assert ids(routing.on_call(db, program, NOW, which="oncall")) == [a.id, b.id]
        assert ids(routing.on_call(db, program, NOW, which="backup")) == [admin.id]


def test_a_rota_line_for_a_mentor_or_a_paused_supervisor_is_ignored(database: Database) -> None:
    with database.transaction() as db:
        program = make_program(db)
        mentor = make_person(db, program, Role.mentor, "Marco Mentor")
        paused = make_person(db, program, Role.supervisor, "Pat Paused",
                             status=PersonStatus.paused)
        sup = make_person(db, program, Role.supervisor, "Sam Sup")
        assert program.id is not None
        for person in (mentor, paused, sup):
            assert person.id is not None
            rota.add_shift(db, program_id=program.id, person_id=person.id, now=NOW)
        assert ids(routing.on_call(db, program, NOW, which="oncall")) == [sup.id]


def test_contacts_urgent_gets_every_usable_one_concern_the_preferred_one(
    database: Database,
) -> None:
    with database.transaction() as db:
        program = make_program(db)
        both = make_person(db, program, Role.supervisor, "Bo Both")
        sms_only = make_person(db, program, Role.supervisor, "Sid Sms", telegram=False)
        no_consent = make_person(db, program, Role.supervisor, "Nora NoConsent", telegram=False)
        contact(db, no_consent, Channel.sms).consent_at = None
        opted = make_person(db, program, Role.supervisor, "Otto Opted")
        contact(db, opted, Channel.telegram).opted_out = True
        contact(db, opted, Channel.sms).unreachable = True
        web = make_person(db, program, Role.supervisor, "Wendy Web", sms=False, telegram=False)
        assert web.id is not None
        people.add_contact(db, web.id, Channel.web, f"web-{web.id}", now=NOW)
        mentee = make_person(db, program, Role.mentee, "Ana Torres")
        db.flush()

        urgent = raise_escalation(db, mentee, "urgent")
        targets = routing.alert_targets(db, urgent, program, NOW, include_backup=False)
        assert [(p.id, [c.channel for c in cs]) for p, cs in targets] == [
            (both.id, [Channel.telegram, Channel.sms]),
            (sms_only.id, [Channel.sms]),
        ]
        concern = raise_escalation(db, mentee, "concern")
        targets = routing.alert_targets(db, concern, program, NOW, include_backup=False)
        assert [(p.id, [c.channel for c in cs]) for p, cs in targets] == [
            (both.id, [Channel.telegram]),
            (sms_only.id, [Channel.sms]),
        ]


def test_conflicts_of_interest_are_never_targeted(database: Database) -> None:
    with database.transaction() as db:
        program = make_program(db)
        mentee = make_person(db, program, Role.mentee, "Ana Torres")
        mentor = make_person(db, program, Role.mentor, "Marco Ruiz")
        sup_mentor = make_person(db, program, Role.supervisor, "Sue Mentors")  # mentors Ana
        sup_about = make_person(db, program, Role.supervisor, "Abe About")
        fine = make_person(db, program, Role.supervisor, "Fay Fine")
        former = make_person(db, program, Role.supervisor, "Fred Former")  # pairing ended
        admin = make_person(db, program, Role.admin, "Ada Admin")
        assert program.id is not None and mentee.id is not None
        people.add_pairing(db, mentor.id or 0, mentee.id, NOW - timedelta(days=10))
        db.add(Pairing(program_id=program.id, mentor_id=sup_mentor.id or 0, mentee_id=mentee.id,
                       active_from=NOW - timedelta(days=3)))
        db.add(Pairing(program_id=program.id, mentor_id=former.id or 0, mentee_id=mentee.id,
                       active_from=NOW - timedelta(days=30), active_until=NOW - timedelta(days=1)))
        for person in (mentor, sup_mentor, sup_about, fine, former):  # the mentor on the rota too
            rota.add_shift(db, program_id=program.id, person_id=person.id or 0, now=NOW)
        rota.add_shift(db, program_id=program.id, person_id=admin.id or 0, list="backup", now=NOW)
        esc = raise_escalation(db, mentee, "urgent", about_mentor_id=sup_about.id)
        targets = routing.alert_targets(db, esc, program, NOW, include_backup=True)
        assert ids(targets) == [fine.id, former.id, admin.id]


# ---- the property: a mentor never gets an alert --------------------------------------------

ROLES = [Role.mentee, Role.mentee, Role.mentee, Role.mentor, Role.mentor, Role.supervisor,
         Role.supervisor, Role.admin]


def _generate(
    db: Session, rng: random.Random, n: int
) -> tuple[Program, list[Person], dict[tuple[str, str], int]]:
    """A random program: people of every role and status, contacts, pairings (some with staff as
    the "mentor", some ended) and rota lines for anyone (mentors included). Few flushes: speed."""
    program = Program(name=f"Unit {n}", timezone=rng.choice(
        ["America/New_York", "America/Chicago", "America/Los_Angeles", "Europe/Madrid", "UTC"]))
    db.add(program)
    db.flush()
    assert program.id is not None
    crowd = [
        Person(program_id=program.id, role=rng.choice(ROLES), display_name=f"P{n} N{i}",
               status=rng.choice([PersonStatus.active] * 5 + [PersonStatus.paused]))
        for i in range(rng.randint(2, 8))
    ]
    db.add_all(crowd)
    db.flush()
    owners: dict[tuple[str, str], int] = {}
    for person in crowd:
        assert person.id is not None
        for channel in (Channel.telegram, Channel.sms):
            if rng.random() < 0.7:
                address = f"{channel}-{next(_numbers)}"
                owners[(str(channel), address)] = person.id
                db.add(ContactPoint(person_id=person.id, channel=channel, address=address,
                                    consent_at=NOW, unreachable=rng.random() < 0.1))
    for _ in range(rng.randint(0, 6)):
        mentor, mentee = rng.choice(crowd), rng.choice(crowd)
        ended = rng.random() < 0.2
        db.add(Pairing(program_id=program.id, mentor_id=mentor.id or 0, mentee_id=mentee.id or 0,
                       active_from=NOW - timedelta(days=rng.randint(1, 90)),
                       active_until=NOW - timedelta(days=1) if ended else None))
    for _ in range(rng.choice([0, 0, 1, 3, 6])):
        db.add(OnCallShift(program_id=program.id, person_id=rng.choice(crowd).id or 0,
                           list=rng.choice([RotaList.oncall, RotaList.backup]),
                           weekday=rng.choice([None, 0, 3]),
                           start=f"{rng.randint(0, 23):02d}:00", end=f"{rng.randint(0, 23):02d}:00"))
    db.flush()
    return program, crowd, owners


def test_no_mentor_or_conflicted_person_is_ever_alerted_over_200_programs(
    database: Database,
) -> None:
    rng = random.Random(20260302)
    checked = alerted = 0
    with database.transaction() as db:
        for n in range(200):
            program, crowd, owners = _generate(db, rng, n)
            subject = rng.choice(crowd)
            about = rng.choice([None, None, *crowd])
            at = NOW + timedelta(hours=rng.randint(0, 24 * 7))
            level = rng.choice(["urgent", "concern", "watch"])
            esc = raise_escalation(db, subject, level, at=at,
                                   about_mentor_id=about.id if about else None)
            paired_mentors = {m.id for m in people.mentors_of(db, subject.id or 0, at)}
            forbidden = {subject.id, esc.about_mentor_id} | paired_mentors
            mentors = {p.id for p in crowd if p.role in (Role.mentor, Role.mentee)}
            for include_backup in (False, True):
                for person, contacts in routing.alert_targets(
                    db, esc, program, at, include_backup=include_backup
                ):
                    checked += 1
                    assert person.id not in mentors and person.id not in forbidden
                    assert person.role in (Role.supervisor, Role.admin)
                    assert all(c.person_id == person.id for c in contacts)
            # The whole path, fallbacks included: nobody forbidden gets a message.
            alerts.alert_new_escalation(db, esc, program, at, dashboard_url="https://x.test")
            for message in alert_rows(db, esc.id):
                alerted += 1
                assert message.person_id not in mentors | forbidden
                assert owners[(str(message.channel), message.address)] == message.person_id
    assert checked > 100 and alerted > 100  # the generator really produced targets
