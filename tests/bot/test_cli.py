"""The `checkin` command, run in-process through typer's CliRunner against the same typer app
the console script runs (`bot.cli:app`): the same arguments, standard input, environment, exit
codes and output streams a shell would see, without starting a Python process (and importing
the whole service) for every command.  The last tests run the installed `checkin` console script
as a real subprocess, to prove the command a user types works."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.database import Database
from bot.settings import get_settings

CHECKIN = str(Path(sys.executable).with_name("checkin"))


@dataclass(frozen=True)
class Ran:
    """What a shell sees of one `checkin` command (the fields of subprocess.CompletedProcess
    these tests read)."""

    returncode: int
    stdout: str
    stderr: str


@contextmanager
def _closing_databases() -> Iterator[None]:
    """Close every database a command opens when it ends, as the end of its process would:
    the next command (or the test's own sqlite3 check) meets no open connection or lock."""
    opened: list[Database] = []
    real_open = Database.open

    def recording_open(url: str, **kwargs: bool) -> Database:
        handle = real_open(url, **kwargs)
        opened.append(handle)
        return handle

    with mock.patch.object(Database, "open", staticmethod(recording_open)):
        try:
            yield
        finally:
            for handle in opened:
                handle.close()


def run(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> Ran:
    """`checkin ARGS` in this process.  `env` is laid over this process's environment for the
    command only (CliRunner restores it), and the settings cache is cleared on both sides so
    the command reads exactly that environment, as a fresh process would."""
    get_settings.cache_clear()
    try:
        with _closing_databases():
            result = CliRunner().invoke(app, list(args), input=stdin, env=env,
                                        prog_name="checkin")
    finally:
        get_settings.cache_clear()
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        # A command that crashes fails the test with its own traceback, not a bare exit code.
        raise result.exception
    return Ran(result.exit_code, result.stdout, result.stderr)


def run_installed(*args: str, env: dict[str, str] | None = None,
                  ) -> subprocess.CompletedProcess[str]:
    """The installed console script as its own process (only for the few tests about it)."""
    return subprocess.run([CHECKIN, *args], input="", capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=60, check=False)


def simulate(replies: list[str], lang: str = "en", flow: str = "mentee_checkin") -> dict:
    out = run("simulate", "--flow", flow, "--lang", lang, "--json",
              stdin="".join(f"{r}\n" for r in replies))
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_simulate_happy_path_completes_without_escalation() -> None:
    summary = simulate(["4", "5", "no", "no"])
    assert summary == {
        "status": "completed",
        "answers": {"comfort": 4, "safety": 5, "pressure": False, "anything_else": None},
        "escalations": [],
    }


def test_simulate_safety_one_is_urgent() -> None:
    summary = simulate(["4", "1", "no", "no", "no"])
    assert summary["status"] == "completed"
    assert {"level": "urgent", "reasons": ["feels_unsafe"]} in summary["escalations"]


def test_simulate_prints_the_conversation_in_spanish() -> None:
    out = run("simulate", "--flow", "mentee_checkin", "--lang", "es", stdin="cuatro\n")
    assert "¿Qué tan seguro/a te sientes" in out.stdout


def test_simulate_unknown_flow_is_a_clear_error() -> None:
    out = run("simulate", "--flow", "nope")
    assert out.returncode == 2 and "no flow named 'nope'" in out.stderr


@pytest.mark.parametrize(
    ("text", "level"),
    [("i wanna die fr", "urgent"), ("lol i was dying laughing at group", "none")],
)
def test_risk_command(text: str, level: str) -> None:
    out = run("risk", "--json", text)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["level"] == level


def test_risk_file_plain_and_tsv(tmp_path: Path) -> None:
    plain = tmp_path / "texts.txt"
    plain.write_text("i wanna die fr\nwe played cards\n")
    rows = [json.loads(line) for line in run("risk", "--file", str(plain)).stdout.splitlines()]
    assert [(r["text"], r["level"]) for r in rows] == [
        ("i wanna die fr", "urgent"), ("we played cards", "none"),
    ]
    tsv = tmp_path / "texts.tsv"
    tsv.write_text("id\ttext\n1\tmy mentor asked me for money\n")
    [row] = [json.loads(line) for line in run("risk", "--file", str(tsv)).stdout.splitlines()]
    assert set(row) >= {"text", "level", "categories"} and row["level"] == "concern"


def test_flows_validate_names_file_and_line(tmp_path: Path) -> None:
    ok = run("flows", "validate")
    assert ok.returncode == 0 and "ok  mentee_checkin" in ok.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\naudience: mentee\nlanguages: [en]\nexpires_after: 1h\n"
                   "start: a\nstates:\n  a:\n    ask: {en: hi}\n    expect: yes_no\n"
                   "    next: b\nmessages: {}\n")
    out = run("flows", "validate", str(bad))
    assert out.returncode == 1
    assert f"{bad}:10: state 'a': goes to unknown state 'b'" in out.stderr


def test_people_pair_and_chat_through_the_database(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/c.db"}
    assert run("db", "upgrade", env=env).returncode == 0
    assert run("programs", "add", "Hope House", env=env).returncode == 0
    mentee = run("people", "add", "--role", "mentee", "--name", "Ana Torres", "--program",
                 "Hope House", "--phone", "(555) 010-2030", env=env)
    assert mentee.returncode != 0 and "not a valid phone number" in mentee.stderr
    mentee = run("people", "add", "--role", "mentee", "--name", "Ana Torres", "--program",
                 "Hope House", "--phone", "+1 202 555 0143", env=env)
    assert mentee.returncode == 0, mentee.stderr
    mentor = run("people", "add", "--role", "mentor", "--name", "Jordan Lee", "--program",
                 "Hope House", env=env)
    mentee_id, mentor_id = mentee.stdout.strip(), mentor.stdout.strip()
    assert run("pair", mentor_id, mentee_id, env=env).returncode == 0
    wrong = run("pair", mentee_id, mentor_id, env=env)
    assert wrong.returncode == 2
    listing = run("people", "list", env=env).stdout
    assert "sms:+12025550143" in listing
    assert listing.splitlines()[0] == "ID\tROLE\tNAME\tLANGUAGE\tCONTACTS"
    assert run("programs", "list", env=env).stdout.splitlines()[0] == "ID\tNAME\tTIMEZONE"
    chat = run("chat", "--person", mentee_id, stdin="four\n1\nyes\nno\nno\n", env=env)
    assert chat.returncode == 0, chat.stderr
    assert "988" in chat.stdout and "(check-in completed)" in chat.stdout
    missing = run("people", "add", "--role", "mentee", "--name", "X", "--program", "Nope",
                  env=env)
    assert missing.returncode == 2 and "no program named 'Nope'" in missing.stderr


def test_demo_seeds_and_runs_a_terminal_checkin(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/var/demo.db"}
    out = run("demo", stdin="4\n5\nno\nnothing\n", env=env)
    assert out.returncode == 0, out.stderr
    assert "Created 'Demo Program'" in out.stdout
    assert "bot: Thank you, Ana." in out.stdout and "(check-in completed)" in out.stdout


def test_programs_set_and_rota(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/r.db"}
    run("db", "upgrade", env=env)
    run("programs", "add", "Unit 4", env=env)
    out = run("programs", "set", "Unit 4", "--quiet-hours", "22:00-07:00", "--ack-minutes",
              "urgent=10", "--crisis-message", "Call the unit nurse, ext 4411, or text 988.",
              "--staff-signoff", "—  the Unit 4 team ", env=env)
    assert out.returncode == 0, out.stderr
    shown = run("programs", "show", "Unit 4", env=env).stdout
    assert "quiet hours 22:00-07:00" in shown and "'urgent': 10" in shown and "4411" in shown
    assert "'staff_signoff': '— the Unit 4 team'" in shown
    assert run("programs", "set", "Unit 4", "--quiet-hours", "late", env=env).returncode == 2
    sup = run("people", "add", "--role", "supervisor", "--name", "Sam Rivera", "--program",
              "Unit 4", env=env).stdout.strip()
    mentor = run("people", "add", "--role", "mentor", "--name", "Jo Lee", "--program", "Unit 4",
                 env=env).stdout.strip()
    assert run("rota", "list", "Unit 4", env=env).stdout.startswith("no rota")
    assert run("rota", "add", sup, "--day", "mon", "--start", "20:00", "--end", "08:00",
               env=env).returncode == 0
    refused = run("rota", "add", mentor, env=env)
    assert refused.returncode == 2 and "mentors never receive alerts" in refused.stderr
    shown = run("rota", "list", "Unit 4", env=env).stdout
    assert "oncall\tSam Rivera\tmon\t20:00-08:00" in shown
    assert shown.splitlines()[0] == "ID\tLIST\tNAME\tDAY\tHOURS"


def test_programs_set_edits_the_crisis_texts_of_each_language(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/l.db"}
    run("db", "upgrade", env=env)
    run("programs", "add", "Unit 4", env=env)
    out = run("programs", "set", "Unit 4",
              "--crisis-message", "Call the unit nurse, ext 4411, or text 988.",
              "--crisis-message", "es=Llama a la enfermera, ext 4411, o escribe al 988.",
              "--staff-told", "es=La enfermera Ruiz ya lo sabe.", env=env)
    assert out.returncode == 0, out.stderr
    assert "crisis_message_en, crisis_message_es, staff_told_es" in out.stdout
    shown = run("programs", "show", "Unit 4", env=env).stdout
    assert "crisis message (en): Call the unit nurse, ext 4411, or text 988.\n" in shown
    assert ("crisis message (es): Llama a la enfermera, ext 4411, o escribe al 988. / "
            "La enfermera Ruiz ya lo sabe.") in shown
    # An empty text goes back to the shipped one of that language only.
    assert run("programs", "set", "Unit 4", "--crisis-message", "es=", env=env).returncode == 0
    shown = run("programs", "show", "Unit 4", env=env).stdout
    assert "crisis message (es): (default: 911 / 988) / La enfermera Ruiz" in shown
    assert "crisis message (en): Call the unit nurse" in shown
    refused = run("programs", "set", "Unit 4", "--crisis-message", "fr=Appelez le 112", env=env)
    assert refused.returncode == 2 and "'fr' is not a language of the loaded flows" in (
        refused.stderr)


def test_chat_resumes_an_open_checkin_with_the_question_as_sent(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/resume.db"}
    run("db", "upgrade", env=env)
    run("seed-demo", env=env)
    first = run("chat", "--person", "4", stdin="4\n", env=env)
    assert "(check-in active)" in first.stdout
    again = run("chat", "--person", "4", stdin="", env=env).stdout.splitlines()
    assert again[:2] == [
        "(continuing the open mentee_checkin check-in)",
        "bot: How safe do you feel right now? Reply 1 (not safe) to 5 (very safe).",
    ]


def test_enrolling_staff_with_a_phone_asks_for_alert_consent(tmp_path: Path) -> None:
    import sqlite3

    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/staff.db"}
    run("db", "upgrade", env=env)
    run("programs", "add", "Unit 4", env=env)
    out = run("people", "add", "--role", "supervisor", "--name", "Rosa Diaz", "--program",
              "Unit 4", "--phone", "+1 312 555 0188", env=env)
    assert out.returncode == 0 and "reply YES to receive alerts" in out.stderr
    rows = sqlite3.connect(tmp_path / "staff.db").execute(
        "select address, kind, body from message where direction = 'outbound'").fetchall()
    assert len(rows) == 1 and rows[0][:2] == ("+13125550188", "consent_request")
    assert "staff alert list" in rows[0][2]


def test_admin_create_makes_a_dashboard_account_with_a_hashed_password(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/admin.db"}
    run("db", "upgrade", env=env)
    run("programs", "add", "Unit 4", env=env)
    out = run("admin", "create", "Ada", "--name", "Ada King", "--role", "admin",
              "--program", "Unit 4", "--password-stdin", stdin="a long passphrase\n", env=env)
    assert out.returncode == 0, out.stderr
    assert "Account 'ada' made for Ada King (admin" in out.stdout
    import sqlite3

    with sqlite3.connect(tmp_path / "admin.db") as conn:
        [(username, hashed)] = conn.execute(
            "SELECT username, password_hash FROM staff_account").fetchall()
    assert username == "ada" and hashed.startswith("$argon2id$")
    assert "a long passphrase" not in hashed

    again = run("admin", "create", "ada2", "--person", "1", "--password-stdin",
                stdin="a long passphrase\n", env=env)
    assert again.returncode != 0 and "already has an account" in again.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["--name", "Mo", "--role", "mentor", "--program", "Unit 4"], "supervisor or admin"),
    (["--name", "Mo", "--program", "Unit 4"], "at least 10 characters"),
    (["--person", "99"], "no person with id 99"),
    ([], "either --person"),
])
def test_admin_create_refuses_clearly(tmp_path: Path, args: list[str], message: str) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/admin.db"}
    run("db", "upgrade", env=env)
    run("programs", "add", "Unit 4", env=env)
    out = run("admin", "create", "mo", *args, "--password-stdin", stdin="short\n", env=env)
    assert out.returncode != 0
    assert message in out.stderr and "Traceback" not in out.stderr


def test_seed_demo_prints_the_dashboard_logins_and_keeps_them_private(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/demo.db"}
    run("db", "upgrade", env=env)
    out = run("seed-demo", env=env)
    assert out.returncode == 0, out.stderr
    assert "Dashboard logins: sam / " in out.stdout and "alex / " in out.stdout
    kept = tmp_path / "demo-logins.txt"
    assert kept.stat().st_mode & 0o777 == 0o600
    logins = dict(line.split(" ", 1) for line in kept.read_text().splitlines())
    assert set(logins) == {"sam", "alex"}
    assert logins["sam"] in out.stdout and logins["sam"] != logins["alex"]
    # A second run changes nothing and prints no new passwords.
    again = run("seed-demo", env=env)
    assert "Dashboard logins" not in again.stdout


def test_people_import_adds_everyone_or_reports_rows_and_adds_no_one(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/import.db"}
    run("db", "upgrade", env=env)
    run("programs", "add", "Unit 4", env=env)
    bad = tmp_path / "bad.csv"
    bad.write_text("name,role,phone,mentor\nJordan Lee,mentor,+12025550188,\n"
                   "Ana Torres,mentee,not a phone,Jordan Lee\n")
    out = run("people", "import", str(bad), "--program", "Unit 4", env=env)
    assert out.returncode == 1
    assert "row 3, phone:" in out.stderr and "nothing was imported" in out.stderr
    assert "Jordan" not in run("people", "list", env=env).stdout
    good = tmp_path / "good.csv"
    good.write_text("name,role,phone,mentor\nJordan Lee,mentor,+12025550188,\n"
                    "Ana Torres,mentee,+12025550143,Jordan Lee\n")
    out = run("people", "import", str(good), "--program", "Unit 4", env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("2 added, 1 pairings")
    again = run("people", "import", str(good), "--program", "Unit 4", env=env)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("0 added") and "2 already enrolled" in again.stdout


def test_pair_refuses_a_pair_twice(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/pair.db"}
    run("db", "upgrade", env=env)
    run("seed-demo", env=env)
    out = run("pair", "2", "4", env=env)  # the demo pairs Jordan (2) with Ana (4) already
    assert out.returncode != 0 and "already paired" in out.stderr


@pytest.mark.parametrize("zone", ["America", "Not/AZone"])
def test_programs_add_refuses_a_timezone_that_is_not_one(tmp_path: Path, zone: str) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/tz.db"}
    run("db", "upgrade", env=env)
    out = run("programs", "add", "Unit 9", "--timezone", zone, env=env)
    assert out.returncode != 0
    assert "is not a timezone name" in out.stderr and "Traceback" not in out.stderr


def test_each_database_keeps_its_own_demo_logins() -> None:
    """Trying PostgreSQL from the folder where the SQLite demo ran must not overwrite the
    SQLite demo's passwords (make run would then print logins that do not work)."""
    from bot.seed import demo_logins_file

    files = [demo_logins_file(url) for url in (
        "sqlite:///var/peer-checkin.db",
        "postgresql://checkin:s3cret@db.example.org:5432/peer_checkin",
        "postgres://checkin:s3cret@db.example.org:5432/other_program",
        "postgresql+psycopg://postgres@127.0.0.1:36001/peer_checkin",
    )]
    assert files[0] == Path("var/demo-logins.txt")  # the README's place for the default
    assert len(set(files)) == len(files)
    assert all(f.parent == Path("var") and "s3cret" not in str(f) for f in files[1:])


def test_serve_says_where_the_demo_passwords_are_never_what_they_are(tmp_path: Path) -> None:
    from bot.cli.serve_cmd import demo_logins_notice

    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/demo.db"}
    assert demo_logins_notice(env["DATABASE_URL"]) is None  # nothing seeded: nothing to say
    run("db", "upgrade", env=env)
    seeded = run("seed-demo", env=env)
    assert seeded.returncode == 0, seeded.stderr
    from bot.seed import demo_logins_file, read_demo_logins

    path = demo_logins_file(env["DATABASE_URL"])
    logins = read_demo_logins(path)
    assert set(logins) == {"alex", "sam"}
    # Created now: seed-demo shows them, once.
    assert all(f"{user} / {password}" in seeded.stdout for user, password in logins.items())
    notice = demo_logins_notice(env["DATABASE_URL"])
    assert notice is not None and str(path) in notice and "alex, sam" in notice
    assert not any(password in notice for password in logins.values())
    again = run("seed-demo", env=env)  # already seeded: no passwords printed again
    assert not any(password in again.stdout for password in logins.values())


# --- the installed console script, as its own process ------------------------------------------


def test_installed_command_lists_its_commands_and_sets_up_a_database(tmp_path: Path) -> None:
    import sqlite3

    shown = run_installed("--help")
    assert shown.returncode == 0, shown.stderr
    assert all(name in shown.stdout for name in ("simulate", "people", "serve", "db"))
    made = run_installed("db", "upgrade", env={"DATABASE_URL": f"sqlite:///{tmp_path}/i.db"})
    assert made.returncode == 0, made.stderr
    assert "database is up to date" in made.stdout
    with sqlite3.connect(tmp_path / "i.db") as conn:
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    assert {"person", "program", "message", "alembic_version"} <= tables


def test_bad_setting_fails_at_start_naming_it() -> None:
    """A process that ends on a bad setting prints the sentence, not a traceback (Python itself
    prints the message of the SystemExit the settings raise, so this needs a real process)."""
    out = run_installed("people", "list", env={"DATABASE_URL": "mysql://nope"})
    assert out.returncode != 0
    assert "DATABASE_URL" in out.stderr and "Traceback" not in out.stderr


def test_serve_on_a_taken_port_says_which_and_how_to_choose_another(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/serve.db"}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = run("serve", "--host", "127.0.0.1", "--port", str(port), env=env)
    assert out.returncode == 3  # as when uvicorn itself cannot start
    assert "is running" not in out.stdout
    assert f"port {port} on 127.0.0.1 is already in use" in out.stderr
    assert f"PORT={port + 1} make run" in out.stderr and "Errno" not in out.stderr
    assert not (tmp_path / "serve.db").exists()  # nothing was done before the check
