"""The schedule a newly enrolled person gets, and the timezone their check-ins follow.

A program can change the defaults in its settings::

    program.settings["schedules"] = {
        "mentee": {"flow": "mentee_checkin", "rule": "FREQ=WEEKLY;BYDAY=WE;BYHOUR=17;BYMINUTE=0"},
        "mentor": None,   # mentors of this program get no schedule
    }

A missing key keeps the default; "flow" or "rule" alone replaces only that part.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.policy import DEFAULT_FLOW_FOR_ROLE
from flows.recurrence import RuleError, normalize_rule
from storage.models import Person, Program, Role, Schedule
from storage.queries import schedules

# Each role's default flow (`bot.policy`), on a weekly rule of its own.
DEFAULT_SCHEDULES: dict[Role, tuple[str, str]] = {
    Role.mentee: (DEFAULT_FLOW_FOR_ROLE[Role.mentee], "FREQ=WEEKLY;BYDAY=MO;BYHOUR=18;BYMINUTE=0"),
    Role.mentor: (DEFAULT_FLOW_FOR_ROLE[Role.mentor], "FREQ=WEEKLY;BYDAY=FR;BYHOUR=17;BYMINUTE=0"),
}


def person_timezone(person: Person, program: Program) -> str:
    """The person's own timezone, else their program's."""
    return person.timezone or program.timezone


def default_schedule(program: Program, role: Role) -> tuple[str, str] | None:
    """(flow id, rule) a person with `role` gets in `program`, or None for no schedule
    (supervisors and admins never get one).

    Raises RuleError naming the program setting when an override is malformed."""
    default = DEFAULT_SCHEDULES.get(Role(role))
    if default is None:
        return None  # supervisors and admins are not checked in on
    overrides: dict[str, Any] = (program.settings or {}).get("schedules") or {}
    if Role(role).value not in overrides:
        return default
    where = f"program '{program.name}' settings.schedules.{Role(role).value}"
    override = overrides[Role(role).value]
    if override is None:
        return None
    if not isinstance(override, dict) or not set(override) <= {"flow", "rule"}:
        raise RuleError(f'{where} must be null or like {{"flow": "...", "rule": "FREQ=..."}}')
    flow = override.get("flow") or default[0]
    try:
        return str(flow), normalize_rule(str(override.get("rule") or default[1]))
    except RuleError as exc:
        raise RuleError(f"{where}: {exc}") from None


def apply_default_schedule(
    db: Session, person: Person, program: Program, now: datetime
) -> Schedule | None:
    """Give a newly enrolled person their role's default schedule (none for supervisors and
    admins). A schedule the person already has for that flow is kept as it is."""
    assert person.id is not None
    chosen = default_schedule(program, person.role)
    if chosen is None:
        return None
    flow_id, rule = chosen
    existing = schedules.get_schedule(db, person.id, flow_id)
    if existing is not None:
        return existing
    return schedules.set_schedule(db, person_id=person.id, flow_id=flow_id, rule=rule,
                                  timezone=person_timezone(person, program), now=now)
