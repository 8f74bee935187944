"""The two de-identified tables of a program export: check-ins and escalations.

What a row may hold, and why:
- **A pseudonymous person key**, the same for one person in both tables of one export and
  drawn at random for each export (``p-`` and 12 random hex digits, kept in memory only while
  the export is built). Two exports cannot be joined on it. We chose that over a keyed hash
  with a per-program secret (stable across exports): an evaluator who needs a longer span asks
  for the longer range in one export, while a stable key would let anyone holding several
  exports stitch longer per-person histories together (more to re-identify from), and the
  secret would be one more key to store, back up and rotate. Nothing derives from the person's
  id, so the key cannot be reversed even with the database at hand.
- **Times to the hour, on the program's clock**: enough to see when people answer and how fast
  staff acted, not the exact second an evaluator could match against a unit's phone log or a
  staff rota. The minutes between raised, acknowledged and resolved are computed from the exact
  times (to a tenth of a minute) so time-to-acknowledge figures stay true.
- **Answers to scale and yes/no questions only**, as the flow files define them; free-text
  answers are never read (storage.queries.export selects only the keys named here). An
  escalation gives its level, its reason codes and its times, never its evidence or notes.
- **No name, phone number, Telegram id or message text**; the program's name and the outcome
  labels its admins chose are the only words.

A program with few people can be re-identified from its rows even so (one mentor, one week, one
urgent escalation): ``ExportTables.small`` says when fewer than ``MIN_PEOPLE`` people are in an
export, and the command and the dashboard then ask to confirm.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlmodel import Session

from flows.model import Flow
from storage.models import Program
from storage.queries import export as queries

# Fewer people than this in one export: it could point at someone, so it must be confirmed.
MIN_PEOPLE = 5
# A reason is exported only when it looks like a code (they all do; anything else is "other").
_REASON_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
OTHER_REASON = "other"

Kind = Literal["string", "date", "hour", "number", "bool", "strings"]


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind  # "hour": an aware datetime on the program's clock, on the hour


@dataclass(frozen=True)
class Table:
    name: str  # "checkins" or "escalations": the file name without its extension
    columns: tuple[Column, ...]
    rows: list[tuple[Any, ...]]

    def records(self) -> list[dict[str, Any]]:
        names = [c.name for c in self.columns]
        return [dict(zip(names, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class ExportTables:
    program: str
    timezone: str
    first_day: date
    last_day: date
    checkins: Table
    escalations: Table
    people: int  # distinct people in either table (unknown senders not counted)

    @property
    def small(self) -> bool:
        """Too few people to share without thought (see the module docstring)."""
        return 0 < self.people < MIN_PEOPLE

    @property
    def tables(self) -> tuple[Table, Table]:
        return (self.checkins, self.escalations)


class BadRange(ValueError):
    pass


def local_range(first: date, last: date, timezone: str) -> tuple[datetime, datetime]:
    """[first 00:00, the day after last 00:00) on the program's clock, in UTC: both days count
    whole, in the program's time zone (a daylight-saving day is 23 or 25 hours)."""
    if last < first:
        raise BadRange("The last day comes before the first day.")
    zone = ZoneInfo(timezone)
    start = datetime.combine(first, time(0), tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


class Pseudonyms:
    """Person id -> a random key, for one export only."""

    def __init__(self) -> None:
        self._keys: dict[int, str] = {}
        self._taken: set[str] = set()

    def __call__(self, person_id: int) -> str:
        if person_id not in self._keys:
            key = "p-" + secrets.token_hex(6)
            while key in self._taken:  # 48 random bits: all but impossible, still checked
                key = "p-" + secrets.token_hex(6)
            self._keys[person_id] = key
            self._taken.add(key)
        return self._keys[person_id]

    def __len__(self) -> int:
        return len(self._keys)


def answer_columns(flows: Mapping[str, Flow]) -> list[tuple[str, str, Kind]]:
    """(flow id, answer key, kind) of every scale and yes/no question, flows by id and each in
    the order its file lists the states; one column per key and kind across flows."""
    found: list[tuple[str, str, Kind]] = []
    for flow_id in sorted(flows):
        for state in flows[flow_id].states.values():
            if state.expect.kind == "scale":
                found.append((flow_id, state.key, "number"))
            elif state.expect.kind == "yes_no":
                found.append((flow_id, state.key, "bool"))
    return found


def _column_name(key: str, kind: Kind) -> str:
    return f"score_{key}" if kind == "number" else f"yes_{key}"


def _hour(at: datetime | None, zone: ZoneInfo) -> datetime | None:
    if at is None:
        return None
    return at.astimezone(zone).replace(minute=0, second=0, microsecond=0)


def _week(at: datetime, zone: ZoneInfo) -> date:
    """The Monday of the week ``at`` falls in on the program's clock (as the Overview counts)."""
    day = at.astimezone(zone).date()
    return day - timedelta(days=day.weekday())


def _minutes(start: datetime, end: datetime | None) -> float | None:
    return None if end is None else round((end - start).total_seconds() / 60, 1)


def _reason(code: str) -> str:
    return code if _REASON_CODE.fullmatch(code) else OTHER_REASON


CHECKIN_COLUMNS = (
    Column("program", "string"), Column("person_key", "string"), Column("role", "string"),
    Column("flow", "string"), Column("week", "date"), Column("started_at", "hour"),
    Column("ended_at", "hour"), Column("outcome", "string"),
)
ESCALATION_COLUMNS = (
    Column("program", "string"), Column("person_key", "string"), Column("role", "string"),
    Column("level", "string"), Column("reasons", "strings"), Column("week", "date"),
    Column("raised_at", "hour"), Column("acknowledged_at", "hour"),
    Column("resolved_at", "hour"), Column("minutes_to_acknowledge", "number"),
    Column("minutes_to_resolve", "number"), Column("status", "string"),
    Column("outcome", "string"), Column("reported_by_mentor", "bool"),
)


def build(db: Session, program: Program, flows: Mapping[str, Flow], first: date,
          last: date) -> ExportTables:
    """The program's check-ins started and escalations raised from ``first`` to ``last``
    (whole days on its clock), de-identified as the module docstring says."""
    assert program.id is not None
    zone = ZoneInfo(program.timezone)
    start, end = local_range(first, last, program.timezone)
    questions = answer_columns(flows)
    answer_cols: list[Column] = []
    for _flow, key, kind in questions:
        column = Column(_column_name(key, kind), kind)
        if column not in answer_cols:
            answer_cols.append(column)
    sessions = queries.checkin_sessions(
        db, program.id, start, end,
        scale_keys=[(f, k) for f, k, kind in questions if kind == "number"],
        yes_no_keys=[(f, k) for f, k, kind in questions if kind == "bool"])
    key_of = Pseudonyms()
    checkin_rows: list[tuple[Any, ...]] = []
    for s in sessions:
        by_column = {_column_name(k, "bool" if isinstance(v, bool) else "number"): v
                     for k, v in s.answers.items()}
        checkin_rows.append((
            program.name, key_of(s.person_id), s.role, s.flow_id, _week(s.started_at, zone),
            _hour(s.started_at, zone), _hour(s.ended_at, zone), s.status,
            *(by_column.get(c.name) for c in answer_cols),
        ))
    escalation_rows: list[tuple[Any, ...]] = []
    for e in queries.escalations(db, program.id, start, end):
        escalation_rows.append((
            program.name, None if e.person_id is None else key_of(e.person_id),
            e.role if e.person_id is not None else "unknown_sender", e.level,
            [_reason(r) for r in e.reasons], _week(e.raised_at, zone),
            _hour(e.raised_at, zone), _hour(e.acknowledged_at, zone),
            _hour(e.resolved_at, zone), _minutes(e.raised_at, e.acknowledged_at),
            _minutes(e.raised_at, e.resolved_at), e.status, e.outcome, e.reported_by_mentor,
        ))
    return ExportTables(
        program=program.name, timezone=program.timezone, first_day=first, last_day=last,
        checkins=Table("checkins", CHECKIN_COLUMNS + tuple(answer_cols), checkin_rows),
        escalations=Table("escalations", ESCALATION_COLUMNS, escalation_rows),
        people=len(key_of),
    )
