"""The dashboard's Export page: a supervisor of the program downloads a zip of the two
de-identified tables (the same seeded program as tests/bot/test_export.py), read back equal and
with nothing private in it; the download is audited; a mentor, another program's supervisor, a
form without its CSRF token and bad dates get nothing and leave no audit event; an export of
fewer than five people needs the box ticked."""

from __future__ import annotations

import io
import re
import zipfile

from sqlmodel import col, select

from bot.dashboard.accounts import create_account
from bot.seed import DEMO_PROGRAM, seed_demo
from storage.models import (
    Answer,
    AuditEvent,
    Channel,
    ContactPoint,
    Direction,
    Escalation,
    EscalationNote,
    Message,
    Person,
    Role,
)
from storage.queries import people
from tests.bot.export_data import (
    FIRST,
    LAST,
    Seeded,
    check_tables,
    local,
    no_private_words,
    parse_csv,
    parse_parquet,
    seed,
)
from tests.bot.helpers import NOW
from tests.dashboard.conftest import PASSWORD, Dash
from tests.dashboard.mentee_data import checkin


def _riverside(dash: Dash) -> Seeded:
    """The seeded program, with a dashboard account for its supervisor Sam Rivera."""
    with dash.db() as db:
        seeded = seed(db)
        sam = db.get(Person, seeded.ids["Sam Rivera"])
        assert sam is not None
        create_account(db, sam, "sam", PASSWORD, dash.clock())
    return seeded


def _form(seeded: Seeded, fmt: str = "csv", **extra: str) -> dict[str, str]:
    return {"program_id": str(seeded.program_id), "from": FIRST.isoformat(),
            "to": LAST.isoformat(), "format": fmt, **extra}


def _exports(dash: Dash) -> list[AuditEvent]:
    with dash.db() as db:
        return list(db.exec(select(AuditEvent).where(AuditEvent.action == "data_exported")
                            .order_by(col(AuditEvent.id))).all())


def _unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_a_supervisor_downloads_both_tables_and_the_download_is_audited(dash: Dash) -> None:
    seeded = _riverside(dash)
    dash.login("sam")
    page = dash.client.get("/export")
    assert page.status_code == 200
    assert 'action="/export"' in page.text and "Riverside Unit" in page.text
    assert 'name="from" type="date"' in page.text
    assert 'href="/export"' in dash.client.get("/overview").text, "linked from the Overview"

    response = dash.post("/export", _form(seeded))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"] == (
        'attachment; filename="export-riverside-unit-2026-02-23-2026-03-01-csv.zip"')
    assert response.headers["cache-control"] == "no-store"
    files = _unzip(response.content)
    assert sorted(files) == ["checkins.csv", "escalations.csv"]
    _, checkins = parse_csv(files["checkins.csv"])
    _, escalations = parse_csv(files["escalations.csv"])
    check_tables(seeded, checkins, escalations)
    no_private_words(seeded, files)

    parquet = dash.post("/export", _form(seeded, "parquet"))
    assert parquet.status_code == 200
    files = _unzip(parquet.content)
    assert sorted(files) == ["checkins.parquet", "escalations.parquet"]
    check_tables(seeded, parse_parquet(files["checkins.parquet"])[1],
                  parse_parquet(files["escalations.parquet"])[1])
    no_private_words(seeded, files)

    events = _exports(dash)
    assert [(e.actor, e.subject_type, e.subject_id, e.detail["format"], e.detail["via"])
            for e in events] == [
        (f"person:{seeded.ids['Sam Rivera']}", "program", seeded.program_id, "csv", "dashboard"),
        (f"person:{seeded.ids['Sam Rivera']}", "program", seeded.program_id, "parquet",
         "dashboard")]
    assert events[0].detail["checkins"] == 6 and events[0].detail["people"] == 6


def test_the_download_refuses_another_programs_supervisor_and_a_mentor(dash: Dash) -> None:
    seeded = _riverside(dash)
    dash.staff(Role.supervisor, "faye", program="Far Away")
    dash.login("faye")
    # Another program's id: the 404 every page gives, not even "forbidden".
    assert dash.post("/export", _form(seeded)).status_code == 404
    page = dash.client.get("/export")
    assert "Riverside Unit" not in page.text and "Far Away" in page.text

    dash.login("sam")
    assert dash.client.post("/export", data=_form(seeded)).status_code == 403, "no CSRF token"
    with dash.db() as db:  # Sam becomes a mentor: mentors never use the dashboard
        sam = db.get(Person, seeded.ids["Sam Rivera"])
        assert sam is not None
        sam.role = Role.mentor
    refused = dash.post("/export", _form(seeded))
    assert refused.status_code == 401
    assert refused.headers["content-type"].startswith("application/json")
    assert dash.client.get("/export", follow_redirects=False).status_code == 303
    assert _exports(dash) == [], "nothing exported, nothing to audit"


def test_bad_dates_are_refused_on_the_page(dash: Dash) -> None:
    seeded = _riverside(dash)
    dash.login("sam")
    for changes, message in (({"from": "2026-02-31"}, "Give the first and the last day"),
                             ({"to": "2026-02-01"}, "The last day comes before the first day"),
                             ({"format": "xlsx"}, "Choose CSV or Parquet"),
                             ({"program_id": "x"}, "Choose a program from the list")):
        response = dash.post("/export", {**_form(seeded), **changes})
        assert response.status_code == 400
        assert message in response.text
    assert _exports(dash) == []


def test_an_export_of_fewer_than_five_people_needs_the_box_ticked(dash: Dash) -> None:
    sam = dash.staff(Role.supervisor, "sam", program="Small House")
    ana = dash.person(Role.mentee, "Ana Torres", program="Small House")
    with dash.db() as db:
        checkin(db, ana.id, local(2026, 2, 24, 10), comfort=4, safety=5)
    form = {"program_id": str(sam.program_id), "from": FIRST.isoformat(),
            "to": LAST.isoformat(), "format": "csv"}
    dash.login("sam")
    refused = dash.post("/export", form)
    assert refused.status_code == 409
    assert "Only 1 person in this export" in refused.text
    assert re.search(r'<input type="checkbox" name="allow_small" value="yes">', refused.text)
    assert _exports(dash) == []
    allowed = dash.post("/export", {**form, "allow_small": "yes"})
    assert allowed.status_code == 200
    _, rows = parse_csv(_unzip(allowed.content)["checkins.csv"])
    assert [(r["role"], r["score_comfort"], r["score_safety"]) for r in rows] == [
        ("mentee", 4.0, 5.0)]
    assert b"Ana" not in b"".join(_unzip(allowed.content).values())
    assert [e.detail["small"] for e in _exports(dash)] == [True]


def test_the_demo_history_exports_with_none_of_its_words(dash: Dash) -> None:
    """Twelve weeks written by the real runner (bot.demo_history): yes/no answers as the flow
    parsed them, real free text in English and Spanish, resolved escalations with notes. With
    a phone and a Telegram chat for everyone, not one name, number or word is in the files."""
    with dash.db() as db:
        seed_demo(db, NOW, dash.ctx.flows)
        program = people.get_program_by_name(db, DEMO_PROGRAM)
        assert program is not None and program.id is not None
        for n, person in enumerate(db.exec(select(Person)).all()):
            assert person.id is not None
            people.add_contact(db, person.id, Channel.sms, f"+1312555{2100 + n}", now=NOW)
            people.add_contact(db, person.id, Channel.telegram, f"88100{4400 + n}", now=NOW)
    dash.staff(Role.admin, "ada", program=DEMO_PROGRAM)
    dash.login("ada")
    response = dash.post("/export", {"program_id": str(program.id), "from": "2025-01-01",
                                     "to": "2026-12-31", "format": "csv",
                                     "allow_small": "yes"})
    assert response.status_code == 200
    files = _unzip(response.content)
    _, checkins = parse_csv(files["checkins.csv"])
    _, escalations = parse_csv(files["escalations.csv"])
    assert len(checkins) == 48 and len({r["person_key"] for r in checkins}) == 4
    assert sum(r["yes_safety_followup"] is True for r in checkins) == 2  # Marcus and Tyler
    assert sum(r["yes_pressure"] is True for r in checkins) == 1  # Sofía
    assert {r["outcome"] for r in escalations} >= {"safety plan made"}

    with dash.db() as db:
        words = [p.display_name for p in db.exec(select(Person)).all()]
        words += [c.address for c in db.exec(select(ContactPoint)).all()]
        words += [m.body for m in db.exec(select(Message)).all()
                  if m.direction == Direction.inbound and m.body]
        words += [a.raw_text for a in db.exec(select(Answer)).all()
                  if a.key in ("pressure_details", "anything_else") and a.raw_text]
        for esc in db.exec(select(Escalation)).all():
            words += [*esc.evidence, esc.resolution_note or ""]
        words += [n.body or "" for n in db.exec(select(EscalationNote)).all()]
    distinct = {w for w in words if len(w) >= 8}
    assert "me pidió dinero para no contarle a nadie" in distinct
    assert any(w.startswith("+1312555") for w in distinct)
    first_names = {w.split()[0] for w in words if " " in w and w[0].isupper()} - {"I", "A"}
    for name, data in files.items():
        for word in distinct:
            assert word.lower().encode() not in data.lower(), f"{word!r} in {name}"
        for first in first_names:
            assert first.encode() not in data, f"{first!r} in {name}"
