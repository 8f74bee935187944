"""Who gets an escalation alert: the rota, then conflict of interest, then usable contacts.

- ``on_call``: the people whose rota line (``OnCallShift``) covers a moment in the program's
  timezone. A program with no rota lines at all has every active supervisor on call and every
  active admin on the backup list, so alerts never go nowhere.
- ``alert_targets``: those people minus anyone with a conflict of interest (design invariant 4):
  never the person the escalation is about, never its ``about_mentor_id``, never a mentor of the
  escalation's person (active pairing), and never anyone whose role is mentor or mentee (a
  mentor never receives a mentee's escalation, ever, whatever the rota says). Each comes with the
  contacts to alert: every usable one for urgent, one preferred one (Telegram, else SMS) for the
  other levels.

Nothing here writes to the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import or_
from sqlmodel import Session, col, select

from bot.policy import STAFF_ROLES, needs_consent
from storage.models import (
    Channel,
    ContactPoint,
    Escalation,
    OnCallShift,
    Pairing,
    Person,
    PersonStatus,
    Program,
    Role,
    RotaList,
)
from storage.queries import rota

Which = Literal["oncall", "backup"]
Target = tuple[Person, list[ContactPoint]]

# Alert channels, most preferred first (Telegram is free, instant and shows delivery at once).
ALERT_CHANNELS = (Channel.telegram, Channel.sms)
URGENT = "urgent"


# ---- the rota -------------------------------------------------------------------------------


def covers(shift: OnCallShift, local: datetime) -> bool:
    """Does this rota line cover the local wall-clock moment ``local``?

    ``start == end``: the whole day. ``start < end``: [start, end) on ``weekday``. ``end <
    start``: from ``start`` on ``weekday`` through midnight to ``end`` the next morning.
    ``weekday`` None: every day.
    """
    start = rota.parse_hhmm(shift.start)
    end = rota.parse_hhmm(shift.end)
    minute = local.hour * 60 + local.minute
    today = local.weekday()
    yesterday = (today - 1) % 7

    def on(day: int) -> bool:
        return shift.weekday is None or shift.weekday == day

    if start == end:
        return on(today)
    if start < end:
        return on(today) and start <= minute < end
    # Through midnight: the evening part belongs to `weekday`, the morning part to the next day.
    return (on(today) and minute >= start) or (on(yesterday) and minute < end)


def local_time(program: Program, now: datetime) -> datetime:
    return now.astimezone(ZoneInfo(program.timezone))


def _active_staff(db: Session, program_id: int, roles: Iterable[Role]) -> list[Person]:
    stmt = (
        select(Person)
        .where(
            Person.program_id == program_id,
            col(Person.role).in_(list(roles)),
            Person.status == PersonStatus.active,
        )
        .order_by(col(Person.id))
    )
    return list(db.exec(stmt).all())


def on_call(db: Session, program: Program, now: datetime, *, which: Which) -> list[Person]:
    """The active staff on the ``which`` list at ``now`` (program timezone), in rota order.

    With no rota lines at all: every active supervisor is on call, every active admin is the
    backup list. Rota lines naming a mentor, a mentee, someone paused or exited, or someone of
    another program are ignored.
    """
    assert program.id is not None
    wanted = RotaList(which)
    shifts = rota.shifts_for(db, program.id)
    if not shifts:
        role = Role.supervisor if wanted == RotaList.oncall else Role.admin
        return _active_staff(db, program.id, [role])
    local = local_time(program, now)
    ids: list[int] = []
    for shift in shifts:
        if shift.list == wanted and shift.person_id not in ids and covers(shift, local):
            ids.append(shift.person_id)
    if not ids:
        return []
    found = {
        p.id: p
        for p in db.exec(select(Person).where(col(Person.id).in_(ids))).all()
        if p.program_id == program.id
        and p.role in STAFF_ROLES
        and p.status == PersonStatus.active
    }
    return [found[i] for i in ids if i in found]


def all_staff(db: Session, program: Program) -> list[Person]:
    """Every active supervisor, then every active admin: the last resort when the rota leaves
    nobody reachable (an urgent alert to someone off shift beats one to nobody)."""
    assert program.id is not None
    supervisors = _active_staff(db, program.id, [Role.supervisor])
    return supervisors + _active_staff(db, program.id, [Role.admin])


# ---- conflict of interest -------------------------------------------------------------------


def conflicted_ids(db: Session, escalation: Escalation, now: datetime) -> set[int]:
    """People who must never be alerted about this escalation: its subject, the mentor it is
    about, its reporter, and every mentor actively paired with its subject."""
    ids: set[int] = set()
    if escalation.about_mentor_id is not None:
        ids.add(escalation.about_mentor_id)
    if escalation.reported_by is not None:  # a mentor who told us about their mentee
        ids.add(escalation.reported_by)
    if escalation.person_id is None:  # an unknown sender: nobody is paired with them
        return ids
    ids.add(escalation.person_id)
    stmt = select(Pairing.mentor_id).where(
        Pairing.mentee_id == escalation.person_id,
        col(Pairing.active_from) <= now,
        or_(col(Pairing.active_until).is_(None), col(Pairing.active_until) > now),
    )
    ids.update(db.exec(stmt).all())
    return ids


def may_receive(person: Person, escalation: Escalation, conflicted: set[int]) -> bool:
    return (
        person.id is not None
        and person.id not in conflicted
        and person.role in STAFF_ROLES
        and person.status == PersonStatus.active
        and person.program_id == escalation.program_id
    )


# ---- contacts -------------------------------------------------------------------------------


Unusable = Literal["not_an_alert_channel", "opted_out", "unreachable", "sms_not_agreed"]


def unusable_reason(contact: ContactPoint) -> Unusable | None:
    """Why an alert cannot go to this contact (None: it can). The one definition that routing
    and `bot.escalation.reachability` (banners, /healthz, `checkin doctor`) share."""
    if contact.channel not in ALERT_CHANNELS:
        return "not_an_alert_channel"
    if contact.opted_out:
        return "opted_out"
    if contact.unreachable:
        return "unreachable"
    if needs_consent(contact):
        return "sms_not_agreed"
    return None


def usable(contact: ContactPoint) -> bool:
    """An alert can go here: SMS or Telegram, not opted out, not unreachable, SMS with consent."""
    return unusable_reason(contact) is None


def usable_contacts(db: Session, person_ids: Iterable[int]) -> dict[int, list[ContactPoint]]:
    """Usable alert contacts per person, preferred channel first (then oldest first)."""
    ids = list(dict.fromkeys(person_ids))
    out: dict[int, list[ContactPoint]] = {i: [] for i in ids}
    if not ids:
        return out
    rows = db.exec(
        select(ContactPoint)
        .where(col(ContactPoint.person_id).in_(ids))
        .order_by(col(ContactPoint.id))
    ).all()
    for contact in rows:
        if usable(contact):
            out[contact.person_id].append(contact)
    rank = {channel: i for i, channel in enumerate(ALERT_CHANNELS)}
    for contacts in out.values():
        contacts.sort(key=lambda c: rank[Channel(c.channel)])
    return out


def contacts_for_level(contacts: list[ContactPoint], level: str) -> list[ContactPoint]:
    """Urgent: every usable contact. Other levels: the preferred one."""
    return list(contacts) if level == URGENT else contacts[:1]


# ---- putting it together --------------------------------------------------------------------


def eligible(
    db: Session, escalation: Escalation, people: Iterable[Person], now: datetime
) -> list[Target]:
    """``people`` (in order, without repeats) who may receive this escalation and have a usable
    contact, each with the contacts its level calls for."""
    conflicted = conflicted_ids(db, escalation, now)
    chosen: dict[int, Person] = {}
    for person in people:
        if may_receive(person, escalation, conflicted) and person.id not in chosen:
            assert person.id is not None
            chosen[person.id] = person
    contacts = usable_contacts(db, chosen)
    targets: list[Target] = []
    for person_id, person in chosen.items():
        picked = contacts_for_level(contacts[person_id], escalation.level)
        if picked:
            targets.append((person, picked))
    return targets


def alert_targets(
    db: Session,
    escalation: Escalation,
    program: Program,
    now: datetime,
    *,
    include_backup: bool,
) -> list[Target]:
    """The on-call people (then, if asked, the backup list) who may receive this escalation and
    can be reached, each with the contacts to alert. Nobody with a conflict of interest, and no
    mentor or mentee, ever."""
    people = on_call(db, program, now, which="oncall")
    if include_backup:
        people += on_call(db, program, now, which="backup")
    return eligible(db, escalation, people, now)

