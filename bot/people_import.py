"""Enrolling people: the checks and steps `checkin people add` performs, shared with the
dashboard, and the CSV import built on them (no web code here, so a CLI can reuse it).

A CSV import is all or nothing: every row is checked first; if any row has a problem nothing is
written and the report names each problem by its row in the file (the header is row 1) and
column. Otherwise every row is enrolled in the caller's one transaction. `import_people` never
raises for anything in the file: whatever the bytes, the answer is a report or an import.

Columns (header names are matched ignoring case and spacing; other columns are ignored):

    name      required
    role      required: mentee, mentor, supervisor or admin
    phone     optional: a mobile number for SMS (E.164, or national for the default country)
    language  optional: en or es (default en)
    timezone  optional: an IANA name such as America/Chicago (default: the program's)
    mentor    optional, mentees only: the name of a mentor in the same file or already enrolled
              in the program

A row whose name is already enrolled in the program (and has not left it) is not added again:
the report lists it as "already enrolled". So importing the same file twice, or the example file
into the demo, adds nobody twice, also people without a phone (whose number cannot tell).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from zoneinfo import available_timezones

from sqlmodel import Session, col, select

from bot.phones import BadPhoneNumber, normalize_phone
from bot.policy import STAFF_ROLES
from bot.runner import request_consent
from bot.scheduling.defaults import apply_default_schedule, default_schedule
from flows.recurrence import RuleError
from storage.models import Channel, ContactPoint, Person, PersonStatus, Program, Role, Schedule
from storage.queries import audit, people

# The languages the flows and runtime texts are written in.
LANGUAGES = ("en", "es")
ROLES = tuple(role.value for role in Role)
MAX_NAME = 100

MAX_BYTES = 1_000_000
MAX_ROWS = 5_000
COLUMNS = ("name", "role", "phone", "language", "timezone", "mentor")
REQUIRED = ("name", "role")

EXAMPLE_CSV = (
    "name,role,phone,language,timezone,mentor\n"
    "Maria Lopez,mentor,+1 202 555 0143,es,America/Chicago,\n"
    "Ana Ruiz,mentee,(312) 555-0188,es,,Maria Lopez\n"
    "Ben Carter,mentee,,en,,Maria Lopez\n"
    "Sam Rivera,supervisor,+1 617 555 0101,,,\n"
)


# --- one person: the checks and the steps ----------------------------------------------------


@dataclass(frozen=True)
class NewPerson:
    """A person who passed the checks: the phone is E.164, the timezone None for the
    program's."""

    name: str
    role: Role
    language: str = "en"
    timezone: str | None = None
    phone: str | None = None


def check_fields(
    *, name: str, role: str, phone: str = "", language: str = "", timezone: str = "",
    default_country: str = "US",
) -> tuple[NewPerson | None, dict[str, str]]:
    """Check what an admin typed for a new person; (the person, {}) or (None, {field: message}).

    Blank phone, language and timezone mean none, "en" and the program's timezone."""
    problems: dict[str, str] = {}
    name = name.strip()
    if not name:
        problems["name"] = "a name is required"
    elif len(name) > MAX_NAME:
        problems["name"] = f"the name is longer than {MAX_NAME} characters"
    elif any(unicodedata.category(ch) == "Cc" for ch in name):
        problems["name"] = "the name contains a line break or another control character"
    role_text = role.strip().lower()
    if not role_text:
        problems["role"] = "a role is required: " + " or ".join(ROLES)
    elif role_text not in ROLES:
        problems["role"] = f"'{_short(role)}' is not a role; use " + ", ".join(ROLES)
    language_text = language.strip().lower() or "en"
    if language_text not in LANGUAGES:
        problems["language"] = (f"'{_short(language)}' is not a language the check-ins are "
                                "written in; use " + " or ".join(LANGUAGES))
    tz = timezone.strip() or None
    if tz is not None:
        problem = timezone_problem(tz)
        if problem:
            problems["timezone"] = problem
    e164 = None
    if phone.strip():
        try:
            e164 = normalize_phone(phone.strip(), default_country)
        except BadPhoneNumber as exc:
            problems["phone"] = str(exc)
    if problems:
        return None, problems
    return NewPerson(name=name, role=Role(role_text), language=language_text, timezone=tz,
                     phone=e164), {}


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def timezone_problem(name: str) -> str | None:
    """Why `name` is not an IANA timezone name, or None. (Checked against the tz database's
    list first: a folder name such as "America" or an over-long name would make ZoneInfo raise
    OSError.)"""
    if name in _zones():
        return None
    return (f"'{_short(name)}' is not a timezone name; use one like America/Chicago or "
            "Europe/Madrid")


def _short(text: str, limit: int = 40) -> str:
    text = "".join(ch if ch.isprintable() else "?" for ch in text.strip())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def phone_in_use(db: Session, e164: str) -> bool:
    return people.find_contact(db, Channel.sms, e164) is not None


def check_default_schedule(program: Program, role: Role) -> str | None:
    """The problem with the program's default-schedule setting for `role`, if any."""
    try:
        default_schedule(program, role)
    except RuleError as exc:
        return str(exc)
    return None


@dataclass(frozen=True)
class Enrolled:
    person: Person
    schedule: Schedule | None
    consent_requested: bool  # an SMS asking for YES was queued (wake the sender)


def enrol(
    db: Session, program: Program, new: NewPerson, *, now: datetime, actor: str,
    via: str | None = None,
) -> Enrolled:
    """Enrol a checked person as `checkin people add` does: the person, their SMS contact point
    (staff are asked for a YES at once, not at 2 a.m. during a crisis), the role's default
    schedule, and a `person_added` audit event.

    Raises RuleError (before writing anything) when the program's schedule setting is broken,
    and IntegrityError when the phone number was taken meanwhile; the caller's transaction then
    rolls back."""
    assert program.id is not None
    default_schedule(program, new.role)  # a broken setting stops us before anything is written
    person = people.add_person(db, program.id, new.role, new.name, language=new.language,
                               timezone=new.timezone, now=now)
    assert person.id is not None
    consent = False
    if new.phone:
        sms = people.add_contact(db, person.id, Channel.sms, new.phone, now=now)
        if new.role in STAFF_ROLES:
            request_consent(db, program, person, sms, now)
            consent = True
    schedule = apply_default_schedule(db, person, program, now)
    detail: dict[str, object] = {"role": new.role.value}
    if via:
        detail["via"] = via
    audit.record(db, actor=actor, action="person_added", subject_type="person",
                 subject_id=person.id, detail=detail, now=now)
    return Enrolled(person, schedule, consent)


def pair(db: Session, mentor_id: int, mentee_id: int, *, now: datetime, actor: str,
         via: str | None = None) -> int:
    """Pair a mentor and a mentee (same program; ValueError with a readable message
    otherwise), with a `pairing_added` audit event; returns the pairing id."""
    for person_id in (mentor_id, mentee_id):
        person = db.get(Person, person_id)
        if person is not None and person.status == PersonStatus.exited:
            raise ValueError(f"{person.display_name} has left the program")
    if any(p.id == mentor_id for p in people.mentors_of(db, mentee_id, now)):
        raise ValueError("these two are already paired")
    pairing = people.add_pairing(db, mentor_id, mentee_id, now)
    detail: dict[str, object] = {"mentor_id": mentor_id, "mentee_id": mentee_id}
    if via:
        detail["via"] = via
    audit.record(db, actor=actor, action="pairing_added", subject_type="pairing",
                 subject_id=pairing.id, detail=detail, now=now)
    assert pairing.id is not None
    return pairing.id


# --- a CSV file ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing to fix: `row` as in the file (the header is row 1; None: the whole file)."""

    row: int | None
    column: str | None
    message: str


@dataclass
class Refused:
    """Nothing was imported; fix these and upload again."""

    problems: list[Problem]
    rows: int = 0
    ignored_columns: list[str] = field(default_factory=list)


@dataclass
class Imported:
    added: int
    pairings: int
    schedules: int
    ignored_columns: list[str]
    person_ids: list[int]
    consent_requested: bool
    event_id: int  # the `people_imported` audit event
    # People in the file who were enrolled already (matched by name in the program): not added.
    already_enrolled: list[int] = field(default_factory=list)


Outcome = Refused | Imported


@dataclass
class _Row:
    number: int
    cells: dict[str, str]


@dataclass
class _Parsed:
    rows: list[_Row]
    ignored_columns: list[str]


def _header_key(cell: str) -> str:
    return " ".join(cell.replace("\ufeff", "").split()).casefold()


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def parse_csv(data: bytes) -> _Parsed | Refused:
    """Bytes to rows keyed by column, or a refusal that says what is wrong with the file."""
    def whole(message: str, row: int | None = None) -> Refused:
        return Refused([Problem(row, None, message)])

    if len(data) > MAX_BYTES:
        return whole(f"the file is larger than {MAX_BYTES // 1_000_000} MB; split it into "
                     "smaller files")
    if not data.strip():
        return whole("the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return whole("the file is saved as UTF-16 text; save it as \"CSV UTF-8\" instead")
    if data.startswith(b"PK\x03\x04") or b"\x00" in data:
        return whole("this is not a CSV file (it looks like a spreadsheet or another binary "
                     "file); in the spreadsheet choose Save as / Download → CSV UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return whole("the file is not UTF-8 text (the first odd byte is on line "
                     f"{line}); save it as \"CSV UTF-8\"", row=None)
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = ","
    if "," not in first_line:
        if ";" in first_line:
            delimiter = ";"
        elif "\t" in first_line:
            delimiter = "\t"
    rows: list[_Row] = []
    header: list[str] | None = None
    header_row = 0
    number = 0
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            return whole(f"this row cannot be read as CSV ({exc}); check its quotation marks",
                         row=number + 1)
        number += 1
        if not any(cell.strip() for cell in record):
            continue  # blank lines are skipped but keep their place in the numbering
        if header is None:
            header, header_row = [_header_key(c) for c in record], number
            continue
        if len(rows) >= MAX_ROWS:
            return whole(f"the file has more than {MAX_ROWS:,} people; split it into "
                         "smaller files")
        cells = {}
        for index, key in enumerate(header):
            if key in COLUMNS and index < len(record):
                cells[key] = record[index].strip()
        rows.append(_Row(number, cells))
    if header is None:
        return whole("the file has no header row and nobody in it (only empty cells)")
    known = [key for key in header if key in COLUMNS]
    duplicated = sorted({key for key in known if known.count(key) > 1})
    missing = [key for key in REQUIRED if key not in header]
    problems = []
    if missing:
        problems.append(Problem(header_row, None,
                                f"the header row has no {' or '.join(missing)} column; the "
                                f"first row must name the columns: {', '.join(COLUMNS)} "
                                "(found: " + (", ".join(_short(h) for h in header if h)
                                              or "nothing") + ")"))
    for key in duplicated:
        problems.append(Problem(header_row, key, f"the column {key} appears more than once"))
    if problems:
        return Refused(problems)
    if not rows:
        return whole("the file has a header row but nobody in it")
    ignored = [_short(h) for h in header if h and h not in COLUMNS]
    return _Parsed(rows, ignored)


@dataclass
class _Checked:
    row: _Row
    person: NewPerson
    mentor: str | None  # the mentor's name as written


@dataclass
class _Rows:
    checked: list[_Checked]  # to enrol
    mentors: dict[int, int | _Row]  # mentee row -> an enrolled mentor's id or a row in the file
    problems: list[Problem]
    already: dict[int, int]  # row number -> the id of the person enrolled with that name


def _enrolled_by_name(db: Session, program: Program) -> dict[str, list[Person]]:
    """The program's people who have not left it, by name as matched (case and spacing aside)."""
    assert program.id is not None
    enrolled: dict[str, list[Person]] = {}
    for person in people.list_people(db, program_id=program.id):
        if person.status != PersonStatus.exited:
            enrolled.setdefault(_name_key(person.display_name), []).append(person)
    return enrolled


def check_rows(db: Session, program: Program, parsed: _Parsed, *, default_country: str) -> _Rows:
    """Every problem of every row; the checked people, the rows already enrolled, and for each
    mentee row with a mentor the mentor (an enrolled person's id, or the mentor's row in the
    file)."""
    assert program.id is not None
    problems: list[Problem] = []
    checked: list[_Checked] = []
    phone_rows: dict[str, int] = {}
    enrolled = _enrolled_by_name(db, program)
    already: dict[int, int] = {}
    for row in parsed.rows:
        c = row.cells
        new, found = check_fields(name=c.get("name", ""), role=c.get("role", ""),
                                  phone=c.get("phone", ""), language=c.get("language", ""),
                                  timezone=c.get("timezone", ""),
                                  default_country=default_country)
        for column in COLUMNS:
            if column in found:
                problems.append(Problem(row.number, column, found[column]))
        mentor = c.get("mentor", "") or None
        role_text = c.get("role", "").strip().lower()
        if mentor and role_text in ROLES and role_text != Role.mentee.value:
            problems.append(Problem(row.number, "mentor",
                                    f"only mentees have a mentor; this row is a {role_text}"))
        if new is None:
            continue
        same_name = enrolled.get(_name_key(new.name))
        if same_name:
            # Matched on name + program: the phone cannot tell when there is none, and a
            # second "Sam Rivera" in one program is a mistake far more often than a namesake.
            first = same_name[0].id
            assert first is not None
            already[row.number] = first
            continue
        if new.phone:
            if new.phone in phone_rows:
                problems.append(Problem(row.number, "phone",
                                        f"{new.phone} is also on row {phone_rows[new.phone]}; "
                                        "each person needs their own number"))
            else:
                phone_rows[new.phone] = row.number
        checked.append(_Checked(row, new, mentor if new.role == Role.mentee else None))
    # Numbers already enrolled (in any program: a number reaches one person only).
    taken = _enrolled_numbers(db, list(phone_rows))
    for number in sorted(taken, key=phone_rows.__getitem__):
        problems.append(Problem(phone_rows[number], "phone",
                                f"{number} already belongs to someone enrolled"))
    # The program's default schedules must be usable for every role in the file.
    for role in sorted({item.person.role for item in checked}):
        problem = check_default_schedule(program, role)
        if problem:
            problems.append(Problem(None, "role", problem))
    mentors = _resolve_mentors(program, parsed, checked, problems, enrolled, set(already))
    problems.sort(key=lambda p: (p.row or 0, COLUMNS.index(p.column) if p.column in COLUMNS
                                 else len(COLUMNS)))
    return _Rows(checked, mentors, problems, already)


def _enrolled_numbers(db: Session, numbers: list[str]) -> set[str]:
    taken: set[str] = set()
    for start in range(0, len(numbers), 500):
        chunk = numbers[start: start + 500]
        stmt = select(ContactPoint.address).where(ContactPoint.channel == Channel.sms,
                                                  col(ContactPoint.address).in_(chunk))
        taken.update(db.exec(stmt).all())
    return taken


def _resolve_mentors(
    program: Program, parsed: _Parsed, checked: list[_Checked], problems: list[Problem],
    enrolled: dict[str, list[Person]], already: set[int],
) -> dict[int, int | _Row]:
    assert program.id is not None
    wanted = [item for item in checked if item.mentor]
    if not wanted:
        return {}
    # Who each name could be: rows in the file, and people already in the program (a row
    # already enrolled is that person, not a second one).
    in_file: dict[str, list[tuple[_Row, str]]] = {}
    for row in parsed.rows:
        key = _name_key(row.cells.get("name", ""))
        if key and row.number not in already:
            in_file.setdefault(key, []).append((row, row.cells.get("role", "").strip().lower()))
    resolved: dict[int, int | _Row] = {}
    for item in wanted:
        assert item.mentor is not None
        key = _name_key(item.mentor)
        file_matches = in_file.get(key, [])
        db_matches = enrolled.get(key, [])
        file_mentors = [row for row, role in file_matches if role == Role.mentor.value]
        db_mentors = [p for p in db_matches if p.role == Role.mentor]
        shown = _short(item.mentor)
        number = item.row.number
        if len(file_mentors) + len(db_mentors) > 1:
            places = [f"row {row.number}" for row in file_mentors]
            if db_mentors:
                places.append("already enrolled" if len(db_mentors) == 1
                              else f"{len(db_mentors)} already enrolled")
            problems.append(Problem(number, "mentor",
                                    f"more than one mentor is called '{shown}' "
                                    f"({', '.join(places)}); give the mentors distinct names"))
        elif file_mentors:
            resolved[number] = file_mentors[0]
        elif db_mentors:
            assert db_mentors[0].id is not None
            resolved[number] = db_mentors[0].id
        elif file_matches or db_matches:
            role = file_matches[0][1] if file_matches else db_matches[0].role.value
            where = f"row {file_matches[0][0].number}" if file_matches else "enrolled"
            problems.append(Problem(number, "mentor",
                                    f"'{shown}' ({where}) is a {_short(role) or 'person'}, "
                                    "not a mentor"))
        else:
            problems.append(Problem(number, "mentor",
                                    f"no mentor called '{shown}' in this file or in "
                                    f"{program.name}"))
    return resolved


def import_people(
    db: Session, program: Program, data: bytes, *, default_country: str, now: datetime,
    actor: str,
) -> Outcome:
    """Check every row of a CSV file, then enrol everyone in it, or nobody.

    Runs in the caller's transaction (validation and writes together, so a number cannot be
    taken between the check and the insert by this process; a concurrent writer elsewhere
    makes the insert raise IntegrityError, and the caller's rollback keeps it all or nothing).
    """
    parsed = parse_csv(data)
    if isinstance(parsed, Refused):
        return parsed
    rows = check_rows(db, program, parsed, default_country=default_country)
    checked, mentors, problems = rows.checked, rows.mentors, rows.problems
    if problems:
        return Refused(problems, rows=len(parsed.rows), ignored_columns=parsed.ignored_columns)
    already = sorted(set(rows.already.values()))
    ids_by_row: dict[int, int] = {}
    schedules = 0
    consent = False
    for item in checked:
        enrolled = enrol(db, program, item.person, now=now, actor=actor, via="csv_import")
        assert enrolled.person.id is not None
        ids_by_row[item.row.number] = enrolled.person.id
        schedules += enrolled.schedule is not None
        consent = consent or enrolled.consent_requested
    pairings = 0
    for item in checked:
        mentor = mentors.get(item.row.number)
        if mentor is None:
            continue
        mentor_id = mentor if isinstance(mentor, int) else ids_by_row[mentor.number]
        pair(db, mentor_id, ids_by_row[item.row.number], now=now, actor=actor, via="csv_import")
        pairings += 1
    event_id = audit.record(db, actor=actor, action="people_imported", subject_type="program",
                         subject_id=program.id,
                         detail={"added": len(checked), "pairings": pairings,
                                 "schedules": schedules,
                                 "ignored_columns": parsed.ignored_columns,
                                 "already_enrolled": already}, now=now)
    return Imported(added=len(checked), pairings=pairings, schedules=schedules,
                    ignored_columns=parsed.ignored_columns,
                    person_ids=list(ids_by_row.values()), consent_requested=consent,
                    event_id=event_id, already_enrolled=already)
