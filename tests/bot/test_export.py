"""`checkin export`: the de-identified check-in and escalation tables of one program and range
of days, as CSV and as Parquet, read back equal to the seeded data (tests/bot/export_data.py);
nothing private in any file's bytes; whole days on the program's clock; small exports refused
unless confirmed; every export audited. [sqlite] and [postgresql]; the Parquet test also with
DATA_KEYS set (yes/no answers are read from the sealed value)."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from sqlmodel import Session, col, select

from bot.database import Database
from storage import crypto
from storage.models import AuditEvent, Role
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
from tests.bot.test_cli import run
from tests.dashboard.mentee_data import checkin, escalation

CHECKIN_HEADER = ["program", "person_key", "role", "flow", "week", "started_at", "ended_at",
                  "outcome", "score_comfort", "score_safety", "yes_safety_followup",
                  "yes_pressure", "yes_met", "score_going"]
ESCALATION_HEADER = ["program", "person_key", "role", "level", "reasons", "week", "raised_at",
                     "acknowledged_at", "resolved_at", "minutes_to_acknowledge",
                     "minutes_to_resolve", "status", "outcome", "reported_by_mentor"]


@pytest.fixture
def keyless() -> Iterator[None]:
    """Leave the process's keyring as the other tests expect it (none)."""
    yield
    crypto.configure(None)


@contextmanager
def _session(url: str) -> Iterator[Session]:
    """One transaction on the database at ``url``, closed after (as a command's would be)."""
    database = Database.open(url)
    try:
        with database.transaction() as db:
            yield db
    finally:
        database.close()


def _seeded(url: str, data_key: str | None = None) -> Seeded:
    crypto.configure([data_key] if data_key else None)
    with _session(url) as db:
        return seed(db)


def _export(url: str, out: Path, *extra: str, fmt: str = "csv", first: date = FIRST,
            last: date = LAST, program: str = "riverside-unit",
            env: dict[str, str] | None = None) -> Any:
    return run("export", "--program", program, "--from", first.isoformat(), "--to",
               last.isoformat(), "--format", fmt, "--out", str(out), *extra,
               env={"DATABASE_URL": url, **(env or {})})


def test_csv_export_reads_back_equal_with_nothing_private(db_url: str, tmp_path: Path) -> None:
    seeded = _seeded(db_url)
    out = tmp_path / "export"
    ran = _export(db_url, out)
    assert ran.returncode == 0, ran.stderr
    assert "6 check-ins and 3 escalations of 6 people, 2026-02-23 to 2026-03-01" in ran.stdout
    files = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    assert sorted(files) == ["checkins.csv", "escalations.csv"]
    assert all((out / name).stat().st_mode & 0o777 == 0o600 for name in files)
    header, checkins = parse_csv(files["checkins.csv"])
    assert header == CHECKIN_HEADER
    header, escalations = parse_csv(files["escalations.csv"])
    assert header == ESCALATION_HEADER
    check_tables(seeded, checkins, escalations)
    # Hours as the program's clock shows them, with its offset; a day as a date.
    first_row = files["checkins.csv"].decode().splitlines()[1].split(",")
    assert first_row[4:8] == ["2026-02-23", "2026-02-23T18:00:00-06:00",
                              "2026-02-23T18:00:00-06:00", "completed"]
    no_private_words(seeded, files)

    with _session(db_url) as db:
        events = db.exec(select(AuditEvent).where(AuditEvent.action == "data_exported")).all()
    assert [(e.actor, e.subject_type, e.subject_id) for e in events] == [
        ("cli", "program", seeded.program_id)]
    assert events[0].detail == {"from": "2026-02-23", "to": "2026-03-01", "format": "csv",
                                "via": "cli", "checkins": 6, "escalations": 3, "people": 6,
                                "small": False}


def test_parquet_export_has_typed_columns_and_reads_back_equal(
        db_url: str, tmp_path: Path, keyless: None) -> None:
    key = crypto.new_key()  # answers sealed at rest: yes/no values are read through the keys
    seeded = _seeded(db_url, key)
    out = tmp_path / "riverside.zip"
    ran = _export(db_url, out, fmt="parquet", env={"DATA_KEYS": key})
    assert ran.returncode == 0, ran.stderr
    with zipfile.ZipFile(out) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    assert sorted(files) == ["checkins.parquet", "escalations.parquet"]
    header, checkins = parse_parquet(files["checkins.parquet"])
    assert header == CHECKIN_HEADER
    header, escalations = parse_parquet(files["escalations.parquet"])
    assert header == ESCALATION_HEADER
    check_tables(seeded, checkins, escalations)
    schema = pq.read_schema(io.BytesIO(files["checkins.parquet"]))
    assert str(schema.field("week").type) == "date32[day]"
    assert str(schema.field("started_at").type) == "timestamp[ms, tz=America/Chicago]"
    assert str(schema.field("score_comfort").type) == "double"
    assert str(schema.field("yes_pressure").type) == "bool"
    schema = pq.read_schema(io.BytesIO(files["escalations.parquet"]))
    assert str(schema.field("reasons").type) == "list<element: string>"
    assert str(schema.field("minutes_to_acknowledge").type) == "double"
    # Uncompressed, so strings sit in the file as written and a grep of it means something.
    assert b"safety plan made" in files["escalations.parquet"]
    no_private_words(seeded, files)


def _mentee_program(db_url: str, zone: str, mentees: int = 5) -> tuple[int, list[int]]:
    """Dawn House, on ``zone``'s clock, with ``mentees`` mentees: (program id, their ids)."""
    with _session(db_url) as db:
        program = people.add_program(db, "Dawn House", timezone=zone)
        assert program.id is not None
        ids = []
        for n in range(mentees):
            person = people.add_person(db, program.id, Role.mentee, f"Mentee Number{n}")
            assert person.id is not None
            ids.append(person.id)
        return program.id, ids


def _starts(out: Path) -> list[str]:
    _, rows = parse_csv((out / "checkins.csv").read_bytes())
    return [row["started_at"].isoformat() for row in rows]


def test_the_range_is_whole_days_on_the_programs_clock_across_a_clock_change(
        db_url: str, tmp_path: Path) -> None:
    """Sunday 8 March 2026 in Chicago is 23 hours long (clocks go forward at 02:00): it runs
    from 06:00 UTC to 05:00 UTC the next day."""
    program_id, ids = _mentee_program(db_url, "America/Chicago")
    edges = [datetime.fromisoformat(t) for t in (
        "2026-03-08T05:59:00+00:00",  # Saturday 23:59 CST: the day before
        "2026-03-08T06:00:00+00:00",  # Sunday 00:00 CST: the first minute
        "2026-03-09T04:59:00+00:00",  # Sunday 23:59 CDT: the last minute
        "2026-03-09T05:00:00+00:00",  # Monday 00:00 CDT: the day after
    )]
    with _session(db_url) as db:
        for person_id, at in zip(ids, edges, strict=False):
            checkin(db, person_id, at, comfort=3, safety=3)
            escalation(db, program_id, person_id, "concern", at)
    ran = _export(db_url, tmp_path / "out", "--allow-small", program="Dawn House",
                  first=date(2026, 3, 8), last=date(2026, 3, 8))
    assert ran.returncode == 0, ran.stderr
    assert _starts(tmp_path / "out") == ["2026-03-08T00:00:00-06:00",
                                         "2026-03-08T23:00:00-05:00"]
    _, escalations = parse_csv((tmp_path / "out" / "escalations.csv").read_bytes())
    assert [row["raised_at"].isoformat() for row in escalations] == [
        "2026-03-08T00:00:00-06:00", "2026-03-08T23:00:00-05:00"]
    # Sunday's check-ins belong to the week that began on Monday 2 March.
    assert {row["week"] for row in escalations} == {date(2026, 3, 2)}


def test_half_hour_zones_round_to_the_local_hour(db_url: str, tmp_path: Path) -> None:
    _, ids = _mentee_program(db_url, "Asia/Kolkata")  # UTC+5:30
    with _session(db_url) as db:
        checkin(db, ids[0], datetime.fromisoformat("2026-03-02T03:59:00+00:00"), comfort=4)
    ran = _export(db_url, tmp_path / "out", "--allow-small", program="dawn-house",
                  first=date(2026, 3, 2), last=date(2026, 3, 2))
    assert ran.returncode == 0, ran.stderr
    assert _starts(tmp_path / "out") == ["2026-03-02T09:00:00+05:30"]  # 09:29 local


def test_an_export_of_fewer_than_five_people_needs_allow_small(db_url: str,
                                                               tmp_path: Path) -> None:
    _, ids = _mentee_program(db_url, "America/New_York", mentees=2)
    with _session(db_url) as db:
        for person_id in ids:
            checkin(db, person_id, local(2026, 2, 24, 10), comfort=4, safety=4)
    out = tmp_path / "out"
    refused = _export(db_url, out, program="Dawn House")
    assert refused.returncode == 1
    assert "Only 2 people are in this export (fewer than 5)" in refused.stderr
    assert not out.exists(), "nothing written"
    allowed = _export(db_url, out, "--allow-small", program="Dawn House")
    assert allowed.returncode == 0, allowed.stderr
    assert "note: only 2 people" in allowed.stderr
    _, rows = parse_csv((out / "checkins.csv").read_bytes())
    assert len(rows) == 2 and len({r["person_key"] for r in rows}) == 2
    with _session(db_url) as db:
        events = db.exec(select(AuditEvent).where(AuditEvent.action == "data_exported")
                         .order_by(col(AuditEvent.id))).all()
    assert [e.detail["small"] for e in events] == [True], "the refused one wrote nothing"


def test_each_export_draws_new_person_keys(db_url: str, tmp_path: Path) -> None:
    _seeded(db_url)
    keys: list[set[str]] = []
    for n in range(2):
        assert _export(db_url, tmp_path / f"out{n}").returncode == 0
        _, rows = parse_csv((tmp_path / f"out{n}" / "checkins.csv").read_bytes())
        keys.append({row["person_key"] for row in rows})
    assert len(keys[0]) == len(keys[1]) == 6
    assert not keys[0] & keys[1], "two exports cannot be joined on the person key"


@pytest.mark.parametrize(("args", "message"), [
    (["--program", "nowhere"], "no program 'nowhere' (programs: far-away, riverside-unit)"),
    (["--from", "2026-02-30"], "--from: a day as YYYY-MM-DD"),
    (["--from", "2026-03-02", "--to", "2026-03-01"], "The last day comes before the first"),
    (["--format", "xlsx"], "--format: one of csv, parquet"),
])
def test_bad_arguments_are_refused_clearly(sqlite_db_url: str, tmp_path: Path,
                                           args: list[str], message: str) -> None:
    _seeded(sqlite_db_url)
    base = {"--program": "Riverside Unit", "--from": "2026-02-23", "--to": "2026-03-01",
            "--format": "csv"}
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    flat = [part for pair in base.items() for part in pair]
    ran = run("export", *flat, "--out", str(tmp_path / "out"),
              env={"DATABASE_URL": sqlite_db_url})
    assert ran.returncode == 2
    assert message in ran.stderr.replace("\n", " ")
    assert not (tmp_path / "out").exists()


def test_an_out_path_that_cannot_be_written_is_refused_and_not_audited(
        sqlite_db_url: str, tmp_path: Path) -> None:
    _seeded(sqlite_db_url)
    taken = tmp_path / "a-file"
    taken.write_text("not a folder")
    ran = _export(sqlite_db_url, taken)
    assert ran.returncode == 2
    assert "--out: cannot write there" in ran.stderr and str(taken) in ran.stderr
    with _session(sqlite_db_url) as db:
        assert db.exec(select(AuditEvent).where(AuditEvent.action == "data_exported")).all() == []



def test_pyarrow_is_imported_only_when_a_parquet_file_is_written() -> None:
    """The service, the command and the Export page start without it (a fresh interpreter)."""
    code = "\n".join([
        "import sys",
        "import bot.app, bot.cli.export_cmd, bot.dashboard.pages.export",
        "from bot.export import files, tables",
        "assert 'pyarrow' not in sys.modules, 'imported at start'",
        "table = tables.Table('t', (tables.Column('n', 'number'),), [(1.0,)])",
        "files.csv_bytes(table)",
        "assert 'pyarrow' not in sys.modules, 'imported for CSV'",
        "files.parquet_bytes(table, 'UTC')",
        "assert 'pyarrow' in sys.modules",
    ])
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
