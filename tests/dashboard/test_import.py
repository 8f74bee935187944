"""CSV import of people: every row checked first; a report naming each bad row and nothing
imported, or everyone imported in one transaction. Plus the property: any bytes give a report
or an import, never an exception and never half an import."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from httpx import Response
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func
from sqlmodel import Session, select

from bot import people_import
from bot.database import Database
from storage.models import (
    AuditEvent,
    Channel,
    ContactPoint,
    Message,
    Pairing,
    Person,
    Program,
    Role,
    Schedule,
)
from storage.queries import people
from tests.bot.helpers import NOW, enrol
from tests.dashboard.conftest import Dash

GOOD = (
    "name,role,phone,language,timezone,mentor\n"
    "Maria Lopez,mentor,+1 202 555 0143,es,America/Chicago,\n"
    "Ana Ruiz,mentee,(312) 555-0188,es,,Maria Lopez\n"
    "Ben Carter,mentee,,en,,Maria Lopez\n"
    "Sam Rivera,supervisor,+1 617 555 0101,,,\n"
)


def _admin(dash: Dash) -> Person:
    admin = dash.staff(Role.admin, "ada")
    dash.login("ada")
    return admin


def _upload(dash: Dash, content: bytes | str, *, filename: str = "people.csv",
            program_id: int | None = None) -> Response:
    data = content.encode() if isinstance(content, str) else content
    form: dict[str, str] = {"csrf_token": dash.csrf}
    if program_id is not None:
        form["program_id"] = str(program_id)
    return dash.client.post("/people/import", data=form,
                            files={"file": (filename, data, "text/csv")},
                            follow_redirects=False)


def _names(dash: Dash) -> set[str]:
    with dash.db() as db:
        return {p.display_name for p in db.exec(select(Person)).all()}


def _report(response: Response) -> list[tuple[str, str, str]]:
    """The report table: (row, column, problem)."""
    table = re.search(r'<table class="report">.*?</table>', response.text, re.S)
    if table is None:
        return []
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>([^<]*)</td><td>([^<]*)</td></tr>',
                      table.group(0))
    return [(r, c, m.replace("&#39;", "'").replace("&#34;", '"')) for r, c, m in rows]


# --- a good file -----------------------------------------------------------------------------


def test_a_good_file_adds_everyone_with_contacts_pairings_and_schedules(dash: Dash) -> None:
    admin = _admin(dash)
    response = _upload(dash, GOOD)
    assert response.status_code == 303, response.text
    assert response.headers["location"].startswith("/people/import?done=")
    page = dash.client.get(response.headers["location"])
    assert "4 added" in page.text and "1 pairing" not in page.text and "2 pairings" in page.text
    with dash.db() as db:
        by_name = {p.display_name: p for p in db.exec(select(Person)).all()}
        maria, ana, ben, sam = (by_name[n] for n in ("Maria Lopez", "Ana Ruiz", "Ben Carter",
                                                     "Sam Rivera"))
        assert (maria.role, maria.language, maria.timezone) == (Role.mentor, "es",
                                                                 "America/Chicago")
        assert (ana.role, ana.language, ana.timezone) == (Role.mentee, "es", None)
        assert ben.language == "en" and sam.role == Role.supervisor
        phones = {c.person_id: c.address for c in db.exec(select(ContactPoint)).all()
                  if c.channel == Channel.sms}
        assert phones == {maria.id: "+12025550143", ana.id: "+13125550188",
                          sam.id: "+16175550101"}
        assert [p.id for p in people.mentors_of(db, ana.id or 0, dash.clock())] == [maria.id]
        assert [p.id for p in people.mentors_of(db, ben.id or 0, dash.clock())] == [maria.id]
        schedules = {s.person_id: (s.flow_id, s.timezone)
                     for s in db.exec(select(Schedule)).all()}
        assert schedules == {maria.id: ("mentor_checkin", "America/Chicago"),
                             ana.id: ("mentee_checkin", "America/New_York"),
                             ben.id: ("mentee_checkin", "America/New_York")}
        consent = [m.address for m in db.exec(select(Message)).all()
                   if m.kind == "consent_request"]
        assert consent == ["+16175550101"]  # staff are asked for their YES at once
        events = db.exec(select(AuditEvent).where(AuditEvent.actor == f"person:{admin.id}")
                         ).all()
    actions = sorted(e.action for e in events if e.action != "login")
    assert actions == ["pairing_added"] * 2 + ["people_imported"] + ["person_added"] * 4
    assert all(e.detail.get("via") == "csv_import" for e in events
               if e.action in ("person_added", "pairing_added"))


def test_the_example_file_downloads_and_imports(dash: Dash) -> None:
    _admin(dash)
    example = dash.client.get("/people/import/example.csv")
    assert example.status_code == 200
    assert example.headers["content-type"].startswith("text/csv")
    assert "attachment" in example.headers["content-disposition"]
    assert example.text.splitlines()[0] == "name,role,phone,language,timezone,mentor"
    response = _upload(dash, example.content)
    assert response.status_code == 303


def test_the_form_explains_the_columns(sqlite_dash: Dash) -> None:
    dash = sqlite_dash
    _admin(dash)
    page = dash.client.get("/people/import")
    assert page.status_code == 200
    assert '<input id="f-file" name="file" type="file" accept=".csv' in page.text
    assert '<label for="f-file">' in page.text and 'enctype="multipart/form-data"' in page.text
    for column in people_import.COLUMNS:
        assert f'<th scope="row">{column}</th>' in page.text
    assert 'href="/people/import/example.csv"' in page.text


# --- refused files: nothing added ------------------------------------------------------------


def test_one_bad_row_is_reported_and_nothing_is_added(dash: Dash) -> None:
    _admin(dash)
    before = _names(dash)
    bad = GOOD.replace("Ben Carter,mentee,,en,,", "Ben Carter,mentee,555-12,en,,")
    response = _upload(dash, bad)
    assert response.status_code == 400
    assert "Nothing was imported" in response.text
    report = _report(response)
    assert len(report) == 1
    assert report[0][:2] == ("Row 4", "phone") and "'555-12' is not" in report[0][2]
    assert _names(dash) == before
    with dash.db() as db:
        assert db.exec(select(Pairing)).all() == []
        assert db.exec(select(Schedule)).all() == []
        assert db.exec(select(AuditEvent).where(AuditEvent.action.in_(  # type: ignore
            ["person_added", "people_imported"]))).all() == []


def test_every_problem_of_every_row_is_reported(dash: Dash) -> None:
    _admin(dash)
    dash.person(Role.mentee, "Old Timer", channel=Channel.sms, address="+13125550199")
    dash.person(Role.mentee, "Not Amentor")
    content = (
        "name,role,phone,language,timezone,mentor\n"
        ",mentee,,,,\n"                                          # 2: no name
        "Cara,boss,,fr,Mars/Base,\n"                              # 3: role, language, tz
        "Dan,mentee,+1 312 555 0188,,,\n"                         # 4: fine
        "Eve,mentee,(312) 555-0188,,,\n"                          # 5: same phone as row 4
        "Fay,mentee,312 555 0199,,,\n"                            # 6: already enrolled
        "Gus,mentee,,,,Nobody Known\n"                            # 7: no such mentor
        "Hal,mentee,,,,Not Amentor\n"                             # 8: not a mentor
        "Ida,mentor,,,,Dan\n"                                     # 9: mentors have no mentor
    )
    response = _upload(dash, content)
    assert response.status_code == 400
    report = _report(response)
    got = [(row, column) for row, column, _ in report]
    assert got == [("Row 2", "name"), ("Row 3", "role"), ("Row 3", "language"),
                   ("Row 3", "timezone"), ("Row 5", "phone"), ("Row 6", "phone"),
                   ("Row 7", "mentor"), ("Row 8", "mentor"), ("Row 9", "mentor")]
    messages = dict(((row, column), message) for row, column, message in report)
    assert "also on row 4" in messages[("Row 5", "phone")]
    assert "already belongs to someone enrolled" in messages[("Row 6", "phone")]
    assert "No mentor called 'Nobody Known'" in messages[("Row 7", "mentor")]
    assert "is a mentee, not a mentor" in messages[("Row 8", "mentor")]
    assert "Only mentees have a mentor" in messages[("Row 9", "mentor")]
    assert "Dan" not in _names(dash)


def test_duplicate_phones_in_the_file_are_refused(dash: Dash) -> None:
    _admin(dash)
    content = "name,role,phone\nAna,mentee,+1 312 555 0188\nBen,mentee,312-555-0188\n"
    response = _upload(dash, content)
    assert response.status_code == 400
    assert _report(response) == [("Row 3", "phone", "+13125550188 is also on row 2; each "
                                  "person needs their own number")]
    assert not {"Ana", "Ben"} & _names(dash)


def test_a_mentor_already_enrolled_in_the_program_is_found(dash: Dash) -> None:
    _admin(dash)
    maria = dash.person(Role.mentor, "Maria Lopez")
    dash.person(Role.mentor, "Olga Other", program="Elm Street")
    response = _upload(dash, "name,role,mentor\nAna,mentee,maria  LOPEZ\nBen,mentee,Olga Other\n")
    assert response.status_code == 400  # Olga is in another program: not found
    assert [(r, c) for r, c, _ in _report(response)] == [("Row 3", "mentor")]
    response = _upload(dash, "name,role,mentor\nAna,mentee,maria  LOPEZ\n")
    assert response.status_code == 303
    with dash.db() as db:
        ana = db.exec(select(Person).where(Person.display_name == "Ana")).one()
        assert [p.id for p in people.mentors_of(db, ana.id or 0, dash.clock())] == [maria.id]


def test_two_mentors_with_the_same_name_are_ambiguous(sqlite_dash: Dash) -> None:
    dash = sqlite_dash
    _admin(dash)
    dash.person(Role.mentor, "Maria Lopez")
    dash.person(Role.mentor, "Maria  lopez")
    response = _upload(dash, "name,role,mentor\nAna,mentee,Maria Lopez\n")
    assert response.status_code == 400
    [(row, column, message)] = _report(response)
    assert (row, column) == ("Row 2", "mentor") and "More than one mentor" in message
    assert "2 already enrolled" in message


def test_importing_the_same_file_twice_adds_nobody_twice(dash: Dash) -> None:
    _admin(dash)
    assert _upload(dash, GOOD).status_code == 303
    again = _upload(dash, GOOD + "Cleo Park,mentee,,,,Maria Lopez\n")
    assert again.status_code == 303, again.text
    page = dash.client.get(again.headers["location"])
    assert "1 added" in page.text
    assert ('4 already enrolled, not added again: Ana Ruiz, Ben Carter, Maria Lopez, '
            'Sam Rivera.') in page.text
    with dash.db() as db:
        names = sorted(p.display_name for p in db.exec(select(Person)).all())
        assert names.count("Ben Carter") == 1  # no phone: matched by name + program
        cleo = db.exec(select(Person).where(Person.display_name == "Cleo Park")).one()
        maria = db.exec(select(Person).where(Person.display_name == "Maria Lopez")).one()
        # a new mentee's mentor from the file is the Maria already enrolled
        assert [p.id for p in people.mentors_of(db, cleo.id or 0, dash.clock())] == [maria.id]


def test_the_example_file_into_the_demo_does_not_make_a_second_sam_rivera(dash: Dash) -> None:
    _admin(dash)
    sam = dash.staff(Role.supervisor, "sam", name="Sam Rivera")  # as `checkin seed-demo` makes
    response = _upload(dash, people_import.EXAMPLE_CSV)
    assert response.status_code == 303, response.text
    page = dash.client.get(response.headers["location"])
    assert "3 added" in page.text and "1 already enrolled, not added again: Sam Rivera." in page.text
    with dash.db() as db:
        sams = db.exec(select(Person).where(Person.display_name == "Sam Rivera")).all()
        assert [p.id for p in sams] == [sam.id]
        event = db.exec(select(AuditEvent).where(AuditEvent.action == "people_imported")).one()
        assert event.detail["already_enrolled"] == [sam.id] and event.detail["added"] == 3


# --- the shape of the file -------------------------------------------------------------------


def test_bom_header_case_blank_lines_and_extra_columns(dash: Dash) -> None:
    _admin(dash)
    content = ("\ufeff Name , ROLE,Phone Number,Email,  phone \r\n"
               "\r\n"
               "Ana Ruiz,Mentee,x,ana@example.org,+1 312 555 0188\r\n"
               ",,,,\r\n"
               "Ben Carter, MENTOR ,,,\r\n").encode()
    response = _upload(dash, content)
    assert response.status_code == 303, response.text
    page = dash.client.get(response.headers["location"])
    assert "2 added" in page.text
    assert "These columns were not used: phone number, email." in page.text
    with dash.db() as db:
        ana = db.exec(select(Person).where(Person.display_name == "Ana Ruiz")).one()
        ben = db.exec(select(Person).where(Person.display_name == "Ben Carter")).one()
        assert ben.role == Role.mentor
        assert [c.address for c in people.contacts_for(db, ana.id or 0)] == ["+13125550188"]


def test_row_numbers_count_blank_lines_as_in_the_file(sqlite_dash: Dash) -> None:
    dash = sqlite_dash
    _admin(dash)
    response = _upload(dash, "\ufeffname,role\n\nAna,mentee\n\n\nBen,boss\n")
    assert [(r, c) for r, c, _ in _report(response)] == [("Row 6", "role")]


def test_semicolon_separated_files_are_read(sqlite_dash: Dash) -> None:
    dash = sqlite_dash
    _admin(dash)
    response = _upload(dash, "name;role;phone\nAna Ruiz;mentee;+34 612 345 678\n")
    assert response.status_code == 303
    assert "Ana Ruiz" in _names(dash)


@pytest.mark.parametrize(("content", "message"), [
    (b"", "The file is empty"),
    (b"PK\x03\x04\x14\x00\x06\x00binary", "This is not a CSV file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "This is not a CSV file"),
    ("name,role\nAna,mentee\n".encode("utf-16"), "UTF-16"),
    ("name,role\nJosé,mentee\n".encode("latin-1"), "not UTF-8 text"),
    (b"name,role\n", "a header row but nobody in it"),
    (b"first,last\nAna,Ruiz\n", "The header row has no name or role column"),
    (b"name,role\n\"Ana,mentee\n", "check its quotation marks"),
    (b"name,role\n" + b"Ana,mentee\n" * 5001, "more than 5,000 people"),
    (b"name,role\n" + b"A" * 1_000_001 + b",mentee\n", "larger than 1 MB"),
])
def test_files_that_are_not_usable_get_a_clear_message(
        sqlite_dash: Dash, content: bytes, message: str) -> None:
    dash = sqlite_dash
    _admin(dash)
    before = _names(dash)
    response = _upload(dash, content)
    assert response.status_code == 400
    assert "Nothing was imported" in response.text
    assert message in response.text.replace("&#34;", '"')
    assert _names(dash) == before


def test_no_file_chosen_is_a_message_not_an_error(sqlite_dash: Dash) -> None:
    dash = sqlite_dash
    _admin(dash)
    response = dash.post("/people/import", {})
    assert response.status_code == 400 and "Choose a CSV file" in response.text


# --- who may ---------------------------------------------------------------------------------


def test_supervisors_get_403_on_the_import(dash: Dash) -> None:
    dash.staff(Role.supervisor, "sam")
    dash.login("sam")
    assert dash.client.get("/people/import").status_code == 403
    assert dash.client.get("/people/import/example.csv").status_code == 403
    assert _upload(dash, GOOD).status_code == 403
    assert "Ana Ruiz" not in _names(dash)


def test_an_import_into_another_program_is_refused(dash: Dash) -> None:
    _admin(dash)
    dash.person(Role.mentee, "Zed", program="Elm Street")
    with dash.db() as db:
        elm = people.get_program_by_name(db, "Elm Street")
        assert elm is not None
    response = _upload(dash, GOOD, program_id=elm.id)
    assert response.status_code == 400 and "Choose one of your programs" in response.text
    assert "Ana Ruiz" not in _names(dash)


def test_another_admins_import_result_is_not_shown(dash: Dash) -> None:
    dash.staff(Role.admin, "eve", program="Elm Street")
    dash.login("eve")
    response = _upload(dash, GOOD)
    assert response.status_code == 303
    _admin(dash)
    page = dash.client.get(response.headers["location"])
    assert page.status_code == 200 and "4 added" not in page.text


# --- the property: any bytes, a report or a whole import -------------------------------------


NAMES = st.sampled_from(["Ana Ruiz", "Ben", "Maria Lopez", "Cara", "Dan O'Neil", "José",
                         "", " ", "A\x01B"]) | st.text(max_size=12)
ROLES = st.sampled_from(["mentee", "mentor", "Mentee ", "supervisor", "admin", "", "boss"])
PHONES = st.sampled_from(["", "", "", "+1 202 555 0143", "(312) 555-0188", "312 555 0199",
                          "+34 612 345 678", "12345", "+1 617 555 0101", "phone"])
LANGS = st.sampled_from(["", "en", "es", "ES", "fr"])
ZONES = st.sampled_from(["", "America/Chicago", "Europe/Madrid", "Mars/Base", "America"])
MENTORS = st.sampled_from(["", "", "Maria Lopez", "Maria Enrolled", "Ana Ruiz", "Nobody"])
COLUMN_SETS = st.lists(st.sampled_from([*people_import.COLUMNS, "email", " Name ", ""]),
                       min_size=1, max_size=8)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    header = draw(st.one_of(st.just(list(people_import.COLUMNS)), COLUMN_SETS))
    values = {"name": NAMES, "role": ROLES, "phone": PHONES, "language": LANGS,
              "timezone": ZONES, "mentor": MENTORS}
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        if draw(st.integers(0, 9)) == 0:
            rows.append("")  # a blank line
            continue
        cells = [draw(values.get(column.strip().lower(), st.text(max_size=5)))
                 for column in header]
        rows.append(",".join(cells))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join([",".join(header), *rows]) + draw(st.sampled_from(["", newline]))
    bom = draw(st.sampled_from(["", "\ufeff"]))
    return draw(st.sampled_from(["utf-8", "utf-8", "latin-1", "utf-16"]).map(
        lambda encoding: (bom + text).encode(encoding, errors="replace")))


@st.composite
def mostly_good_files(draw: st.DrawFn) -> bytes:
    """Well-formed files of valid people, sometimes with one cell spoiled."""
    header = draw(st.permutations([*people_import.COLUMNS, "notes"]))
    phones = draw(st.lists(st.sampled_from(["+1 202 555 0143", "(312) 555-0188",
                                            "+34 612 345 678", "+1 617 555 0101", ""]),
                           min_size=1, max_size=5, unique=True))
    rows = []
    for index, phone in enumerate(phones):
        role = draw(st.sampled_from(["mentee", "mentor", "Supervisor", "admin"]))
        cells = {"name": f"Person {index}", "role": role, "phone": phone,
                 "language": draw(st.sampled_from(["", "en", "es", "ES"])),
                 "timezone": draw(st.sampled_from(["", "America/Chicago", "UTC"])),
                 "mentor": (draw(st.sampled_from(["", "Maria Enrolled", "maria enrolled"]))
                            if role == "mentee" else ""),
                 "notes": draw(st.text(alphabet="abc ;", max_size=6))}
        rows.append(cells)
    if draw(st.booleans()):
        row = draw(st.sampled_from(rows))
        column = draw(st.sampled_from(list(people_import.COLUMNS)))
        row[column] = draw({"name": NAMES, "role": ROLES, "phone": PHONES, "language": LANGS,
                            "timezone": ZONES, "mentor": MENTORS}[column])
    lines = [",".join(header)] + [",".join(row[c] for c in header) for row in rows]
    return ("\n".join(lines) + "\n").encode()


@dataclass
class Fixture:
    database: Database
    program_id: int


@pytest.fixture
def one_program(sqlite_db_url: str) -> Iterator[Fixture]:
    database = Database.open(sqlite_db_url)
    with database.transaction() as db:
        enrol(db, Role.mentor, "Maria Enrolled", channel=Channel.sms, address="+13125550199")
        program = people.get_program_by_name(db, "Hope House")
        assert program is not None and program.id is not None
        program_id = program.id
    yield Fixture(database, program_id)
    database.engine.dispose()


def _counts(db: Session) -> dict[str, int]:
    return {table.__name__: db.exec(select(func.count()).select_from(table)).one()
            for table in (Person, ContactPoint, Pairing, Schedule, AuditEvent, Message)}


@settings(max_examples=250, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.one_of(st.binary(max_size=400), csv_files(), mostly_good_files()))
def test_any_bytes_give_a_report_or_a_whole_import(one_program: Fixture, data: bytes) -> None:
    db = one_program.database.factory()
    try:
        program = db.get(Program, one_program.program_id)
        assert program is not None
        before = _counts(db)
        outcome = people_import.import_people(db, program, data, default_country="US",
                                              now=NOW, actor="person:1")
        db.flush()
        after = _counts(db)
        event(type(outcome).__name__)  # both kinds occur: see --hypothesis-show-statistics
        if isinstance(outcome, people_import.Refused):
            assert outcome.problems, "a refusal says why"
            assert all(p.row is None or p.row >= 1 for p in outcome.problems)
            assert all(p.message for p in outcome.problems)
            assert after == before, "a refused file writes nothing"
        else:
            assert isinstance(outcome, people_import.Imported)
            assert outcome.added >= 1 and len(outcome.person_ids) == outcome.added
            assert after["Person"] - before["Person"] == outcome.added
            assert after["Pairing"] - before["Pairing"] == outcome.pairings
            assert after["Schedule"] - before["Schedule"] == outcome.schedules
            new_people = [db.get(Person, pid) for pid in outcome.person_ids]
            assert all(p is not None and p.program_id == program.id for p in new_people)
    finally:
        db.rollback()
        db.close()
