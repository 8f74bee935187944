"""A program with known check-ins and escalations for the export tests (`checkin export` and
the dashboard's Export page), and what its export must hold, row by row.

Riverside Unit runs on America/Chicago (UTC-6 in February). Five mentees and a mentor, each
with a real-looking phone number and Telegram chat id, free-text answers, escalation evidence,
notes and messages: every one of those is in ``Seeded.private`` and must never be in an export.
The export range is 2026-02-23 .. 2026-03-01 (a Monday to a Sunday on the program's clock).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow.parquet as pq
from sqlmodel import Session

from storage.models import (
    Channel,
    CheckinSession,
    Direction,
    Escalation,
    EscalationNote,
    EscalationStatus,
    Message,
    MessageStatus,
    Role,
    SessionStatus,
)
from storage.queries import people, sessions

PROGRAM = "Riverside Unit"
TZ = ZoneInfo("America/Chicago")
FIRST, LAST = date(2026, 2, 23), date(2026, 3, 1)
CAST = [  # name, role, phone, telegram chat id
    ("Ana Torres", Role.mentee, "+13125550143", "770011223"),
    ("Ben Okafor", Role.mentee, "+13125550144", "770011224"),
    ("Cyrus Vale", Role.mentee, "+13125550145", "770011225"),
    ("Dee Marsh", Role.mentee, "+13125550146", "770011226"),
    ("Eve Lindqvist", Role.mentee, "+13125550147", "770011227"),
    ("Mo Jabari", Role.mentor, "+13125550188", "770011288"),
]
SUPERVISOR = ("Sam Rivera", "+13125550100", "770011200")
OTHER_PROGRAM = "Far Away"


def local(*args: int) -> datetime:
    """A time on the program's clock, as UTC."""
    return datetime(*args, tzinfo=TZ).astimezone(UTC)


def hour(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)


@dataclass
class Seeded:
    program_id: int
    ids: dict[str, int]
    checkins: list[dict[str, Any]] = field(default_factory=list)  # "person": a name
    escalations: list[dict[str, Any]] = field(default_factory=list)
    private: list[str] = field(default_factory=list)  # must appear in no export


def _checkin(db: Session, seeded: Seeded, name: str, started: datetime, status: SessionStatus,
             ended_after: timedelta | None, answers: dict[str, Any],
             flow: str = "mentee_checkin") -> int:
    person_id = seeded.ids[name]
    row = sessions.add_session(db, person_id=person_id, flow_id=flow, now=started)
    assert row.id is not None
    for offset, (key, value) in enumerate(answers.items()):
        raw = value if isinstance(value, str) else str(value)
        sessions.add_answer(db, session_id=row.id, person_id=person_id, key=key, raw_text=raw,
                            value=value, now=started + timedelta(minutes=offset + 1))
        if isinstance(value, str):
            seeded.private.append(value)
    # A question asked and never answered: no value in the export.
    sessions.add_answer(db, session_id=row.id, person_id=person_id, key="safety_followup",
                        status="unanswered", now=started)
    stored = db.get(CheckinSession, row.id)
    assert stored is not None
    stored.status = status
    stored.ended_at = None if ended_after is None else started + ended_after
    db.flush()
    return row.id


def _escalation(db: Session, program_id: int, person_id: int | None, level: str,
                reasons: list[str], raised: datetime, *, acked_after: timedelta | None = None,
                resolved_after: timedelta | None = None, outcome: str | None = None,
                reported_by: int | None = None, evidence: str, note: str | None = None,
                sender: str | None = None) -> int:
    status = (EscalationStatus.resolved if resolved_after else
              EscalationStatus.acknowledged if acked_after else EscalationStatus.open)
    esc = Escalation(
        program_id=program_id, person_id=person_id, level=level, reasons=reasons,
        evidence=[evidence], status=status, raised_at=raised, due_at=raised + timedelta(hours=1),
        acknowledged_at=raised + acked_after if acked_after else None,
        resolved_at=raised + resolved_after if resolved_after else None,
        resolution_note=note, outcome=outcome, reported_by=reported_by, updated_at=raised,
        sender_channel="sms" if sender else None, sender_address=sender,
    )
    db.add(esc)
    db.flush()
    assert esc.id is not None
    return esc.id


def seed(db: Session) -> Seeded:
    """The program, its people and history; returns what the export must show."""
    program = people.add_program(db, PROGRAM, timezone="America/Chicago",
                                 now=local(2026, 1, 1, 9))
    assert program.id is not None
    seeded = Seeded(program_id=program.id, ids={})
    for name, role, phone, chat in [*CAST, (SUPERVISOR[0], Role.supervisor, *SUPERVISOR[1:])]:
        person = people.add_person(db, program.id, role, name, now=local(2026, 1, 1, 9))
        assert person.id is not None
        seeded.ids[name] = person.id
        people.add_contact(db, person.id, Channel.sms, phone, now=local(2026, 1, 1, 9))
        people.add_contact(db, person.id, Channel.telegram, chat, now=local(2026, 1, 1, 9))
        seeded.private += [name, phone, phone.lstrip("+"), chat]
    far = people.add_program(db, OTHER_PROGRAM, timezone="America/Chicago")
    assert far.id is not None
    olga = people.add_person(db, far.id, Role.mentee, "Olga Elsewhere")
    assert olga.id is not None
    seeded.private.append("Olga Elsewhere")

    def row(name: str, started: datetime, ended: datetime | None, outcome: str,
            week: date, flow: str = "mentee_checkin", **answers: Any) -> dict[str, Any]:
        base: dict[str, Any] = {
            "program": PROGRAM, "person": name,
            "role": "mentor" if flow == "mentor_checkin" else "mentee", "flow": flow,
            "week": week, "started_at": started, "ended_at": ended, "outcome": outcome,
            "score_comfort": None, "score_safety": None, "yes_safety_followup": None,
            "yes_pressure": None, "yes_met": None, "score_going": None}
        base.update(answers)
        return base

    ana_words = "SECRET-ANA my roommate keeps taking my stuff"
    # Monday 18:20 local, 35 minutes: started and ended in the 18:00 hour.
    _checkin(db, seeded, "Ana Torres", local(2026, 2, 23, 18, 20), SessionStatus.completed,
             timedelta(minutes=35), {"comfort": 4, "safety": 5, "pressure": False,
                                     "anything_else": ana_words})
    seeded.checkins.append(row("Ana Torres", hour(2026, 2, 23, 18), hour(2026, 2, 23, 18),
                               "completed", FIRST, score_comfort=4.0, score_safety=5.0,
                               yes_pressure=False))
    _checkin(db, seeded, "Ben Okafor", local(2026, 2, 24, 9, 10), SessionStatus.expired,
             timedelta(hours=24), {})
    seeded.checkins.append(row("Ben Okafor", hour(2026, 2, 24, 9), hour(2026, 2, 25, 9),
                               "expired", FIRST))
    cyrus_words = "SECRET-CYRUS he said he would hurt me"
    _checkin(db, seeded, "Cyrus Vale", local(2026, 2, 25, 15, 1), SessionStatus.completed,
             timedelta(minutes=70), {"comfort": 2, "safety": 1, "safety_followup": True,
                                     "pressure": True, "pressure_details": cyrus_words})
    seeded.checkins.append(row("Cyrus Vale", hour(2026, 2, 25, 15), hour(2026, 2, 25, 16),
                               "completed", FIRST, score_comfort=2.0, score_safety=1.0,
                               yes_safety_followup=True, yes_pressure=True))
    _checkin(db, seeded, "Dee Marsh", local(2026, 2, 26, 12), SessionStatus.stopped,
             timedelta(minutes=2), {"comfort": 3})
    seeded.checkins.append(row("Dee Marsh", hour(2026, 2, 26, 12), hour(2026, 2, 26, 12),
                               "stopped", FIRST, score_comfort=3.0))
    _checkin(db, seeded, "Mo Jabari", local(2026, 2, 27, 17, 5), SessionStatus.completed,
             timedelta(minutes=5), {"met": True, "going": 3,
                                    "worry": "SECRET-MO my mentee seems scared"},
             flow="mentor_checkin")
    seeded.checkins.append(row("Mo Jabari", hour(2026, 2, 27, 17), hour(2026, 2, 27, 17),
                               "completed", FIRST, flow="mentor_checkin", yes_met=True,
                               score_going=3.0))
    # Sunday 23:30 local is Monday 05:30 UTC: still the last day, and the week of Monday 23rd.
    _checkin(db, seeded, "Eve Lindqvist", local(2026, 3, 1, 23, 30), SessionStatus.active,
             None, {"comfort": 5})
    seeded.checkins.append(row("Eve Lindqvist", hour(2026, 3, 1, 23), None, "active", FIRST,
                               score_comfort=5.0))
    # Outside: a minute before the first day and the first minute after the last (local), and
    # another program's mentee inside the range.
    _checkin(db, seeded, "Ana Torres", local(2026, 2, 22, 23, 59), SessionStatus.completed,
             timedelta(minutes=5), {"comfort": 1})
    _checkin(db, seeded, "Ben Okafor", local(2026, 3, 2, 0, 0), SessionStatus.completed,
             timedelta(minutes=5), {"comfort": 1})
    seeded.ids["Olga Elsewhere"] = olga.id
    _checkin(db, seeded, "Olga Elsewhere", local(2026, 2, 24, 10), SessionStatus.completed,
             timedelta(minutes=5), {"comfort": 1})

    pid, ids = program.id, seeded.ids
    seeded.private += ["SECRET-EVIDENCE-1", "SECRET-NOTE-1", "SECRET-EVIDENCE-2",
                       "SECRET-EVIDENCE-3", "+13125550999", "SECRET-INTERNAL-NOTE",
                       "SECRET-INBOUND-BODY"]
    urgent = _escalation(db, pid, ids["Cyrus Vale"], "urgent",
                         ["feels_unsafe", "suicide_self_harm"], local(2026, 2, 25, 15, 2),
                         acked_after=timedelta(minutes=4, seconds=30),
                         resolved_after=timedelta(minutes=95), outcome="safety plan made",
                         evidence="SECRET-EVIDENCE-1", note="SECRET-NOTE-1")
    db.add(EscalationNote(escalation_id=urgent, author_id=ids["Sam Rivera"],
                          created_at=local(2026, 2, 25, 15, 10), body="SECRET-INTERNAL-NOTE"))
    seeded.escalations.append({
        "program": PROGRAM, "person": "Cyrus Vale", "role": "mentee", "level": "urgent",
        "reasons": ["feels_unsafe", "suicide_self_harm"], "week": FIRST,
        "raised_at": hour(2026, 2, 25, 15), "acknowledged_at": hour(2026, 2, 25, 15),
        "resolved_at": hour(2026, 2, 25, 16), "minutes_to_acknowledge": 4.5,
        "minutes_to_resolve": 95.0, "status": "resolved", "outcome": "safety plan made",
        "reported_by_mentor": False})
    # A mentor's worry about Ana; a reason that is not a code (it could hold words) is "other".
    _escalation(db, pid, ids["Ana Torres"], "concern", ["pressured", "Ana said SECRET things"],
                local(2026, 2, 27, 17, 10), reported_by=ids["Mo Jabari"],
                evidence="SECRET-EVIDENCE-2")
    seeded.private.append("Ana said SECRET things")
    seeded.escalations.append({
        "program": PROGRAM, "person": "Ana Torres", "role": "mentee", "level": "concern",
        "reasons": ["pressured", "other"], "week": FIRST, "raised_at": hour(2026, 2, 27, 17),
        "acknowledged_at": None, "resolved_at": None, "minutes_to_acknowledge": None,
        "minutes_to_resolve": None, "status": "open", "outcome": None,
        "reported_by_mentor": True})
    # An unknown sender's words of danger: no person, no key; the number is never exported.
    _escalation(db, pid, None, "urgent", ["suicide_self_harm"], local(2026, 2, 28, 2, 40),
                acked_after=timedelta(minutes=61), evidence="SECRET-EVIDENCE-3",
                sender="+13125550999")
    seeded.escalations.append({
        "program": PROGRAM, "person": None, "role": "unknown_sender", "level": "urgent",
        "reasons": ["suicide_self_harm"], "week": FIRST, "raised_at": hour(2026, 2, 28, 2),
        "acknowledged_at": hour(2026, 2, 28, 3), "resolved_at": None,
        "minutes_to_acknowledge": 61.0, "minutes_to_resolve": None, "status": "acknowledged",
        "outcome": None, "reported_by_mentor": False})
    # Outside the range (raised the minute after the last day), and another program's.
    _escalation(db, pid, ids["Ben Okafor"], "watch", ["missed_checkins"],
                local(2026, 3, 2, 0, 0), evidence="SECRET-EVIDENCE-2")
    _escalation(db, far.id, olga.id, "urgent", ["suicide_self_harm"], local(2026, 2, 24, 10),
                evidence="SECRET-EVIDENCE-2")
    db.add(Message(direction=Direction.inbound, channel=Channel.sms, address="+13125550143",
                   person_id=ids["Ana Torres"], body="SECRET-INBOUND-BODY", kind="inbound",
                   status=MessageStatus.received, created_at=local(2026, 2, 23, 18, 21),
                   updated_at=local(2026, 2, 23, 18, 21)))
    db.flush()
    return seeded


# ---- reading an export back -----------------------------------------------------------------


def parse_csv(data: bytes) -> tuple[list[str], list[dict[str, Any]]]:
    """The CSV's header and its rows, each cell read back to its type by column name."""
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    header = next(reader)

    def cell(name: str, text: str) -> Any:
        if text == "":
            return [] if name == "reasons" else None
        if name == "week":
            return date.fromisoformat(text)
        if name.endswith("_at"):
            return datetime.fromisoformat(text)
        if name.startswith(("score_", "minutes_")):
            return float(text)
        if name.startswith("yes_") or name == "reported_by_mentor":
            assert text in ("true", "false")
            return text == "true"
        if name == "reasons":
            return text.split(";")
        return text

    return header, [{n: cell(n, v) for n, v in zip(header, row, strict=True)} for row in reader]


def parse_parquet(data: bytes) -> tuple[list[str], list[dict[str, Any]]]:
    table = pq.read_table(io.BytesIO(data))
    return table.column_names, table.to_pylist()


def _by_person(rows: list[dict[str, Any]], names: dict[str, str | None]) -> list[dict[str, Any]]:
    """Rows with the person key replaced by the seeded name it stands for (learnt as it goes:
    one key per name, one name per key)."""
    out = []
    for row in rows:
        named = dict(row)
        key = named.pop("person_key")
        named["person"] = names[key] if key is not None else None
        out.append(named)
    return out


def check_tables(seeded: Seeded, checkins: list[dict[str, Any]],
                  escalations: list[dict[str, Any]]) -> None:
    """Both tables equal the seeded data, given one consistent key per person across them."""
    # Check-ins come oldest first: the key of each row is the person of the expected row.
    assert len(checkins) == len(seeded.checkins)
    names: dict[str, str | None] = {}
    for got, want in zip(checkins, seeded.checkins, strict=True):
        assert names.setdefault(got["person_key"], want["person"]) == want["person"]
    assert len(set(names.values())) == len(names), "one key per person"
    assert all(k.startswith("p-") and len(k) == 14 for k in names)
    assert _by_person(checkins, names) == seeded.checkins
    for got, want in zip(escalations, seeded.escalations, strict=True):
        if want["person"] is not None and got["person_key"] not in names:
            names[got["person_key"]] = want["person"]
    assert _by_person(escalations, names) == seeded.escalations


def no_private_words(seeded: Seeded, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        for words in seeded.private:
            assert words.encode() not in data, f"{words!r} in {name}"
            assert words.lower().encode() not in data.lower(), f"{words!r} in {name}"
