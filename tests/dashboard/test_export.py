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
from storage.models import AuditEvent, Person, Role
from tests.bot.export_data import FIRST, LAST, Seeded, local, seed
from tests.bot.test_export import _check_tables, _no_private_words, _parse_csv, _parse_parquet
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
    _, checkins = _parse_csv(files["checkins.csv"])
    _, escalations = _parse_csv(files["escalations.csv"])
    _check_tables(seeded, checkins, escalations)
    _no_private_words(seeded, files)

    parquet = dash.post("/export", _form(seeded, "parquet"))
    assert parquet.status_code == 200
    files = _unzip(parquet.content)
    assert sorted(files) == ["checkins.parquet", "escalations.parquet"]
    _check_tables(seeded, _parse_parquet(files["checkins.parquet"])[1],
                  _parse_parquet(files["escalations.parquet"])[1])
    _no_private_words(seeded, files)

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
    _, rows = _parse_csv(_unzip(allowed.content)["checkins.csv"])
    assert [(r["role"], r["score_comfort"], r["score_safety"]) for r in rows] == [
        ("mentee", 4.0, 5.0)]
    assert b"Ana" not in b"".join(_unzip(allowed.content).values())
    assert [e.detail["small"] for e in _exports(dash)] == [True]
