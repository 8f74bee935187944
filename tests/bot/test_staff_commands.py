"""Staff commands from the phone (ACK / RESOLVE / QUEUE / HELP) and `checkin escalations …`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select
from typer.testing import CliRunner

from bot.cli import escalations_cmd
from bot.database import Database
from bot.escalation.commands import ago, handle_staff_text, initials
from bot.settings import get_settings
from storage.models import (
    AuditEvent,
    Channel,
    Escalation,
    EscalationStatus,
    Lane,
    Pairing,
    Person,
    Role,
)
from storage.queries import messages
from tests.bot.helpers import NOW, database_for, enrol
from tests.bot.test_escalation_lifecycle import EVIDENCE, raise_escalation

LATER = NOW + timedelta(minutes=12)
HELP_HEAD = "Staff commands:\nACK 17 - acknowledge #17, stops re-alerts"


@pytest.fixture
def database(db_url: str, engine: Engine) -> Database:
    return database_for(db_url, engine)


def _id(row: Person | Escalation) -> int:
    assert row.id is not None
    return row.id


class World:
    """Hope House: mentee Ana Torres with an open urgent escalation, supervisor Sam, admin Ada;
    Elm Street: mentee Cy with an urgent escalation, supervisor Eve."""

    def __init__(self, database: Database) -> None:
        self.database = database
        with database.transaction() as db:
            ana = enrol(db, Role.mentee, "Ana Torres")
            self.sam = _id(enrol(db, Role.supervisor, "Sam Rivera"))
            self.ada = _id(enrol(db, Role.admin, "Ada Okafor"))
            self.ana = _id(ana)
            self.esc = _id(raise_escalation(db, ana))
            cy = enrol(db, Role.mentee, "Cy Diaz", program_name="Elm Street")
            self.eve = _id(enrol(db, Role.supervisor, "Eve Park", program_name="Elm Street"))
            self.other_esc = _id(raise_escalation(db, cy))

    def say(self, who: int, text: str, *, now: datetime = LATER, url: str | None = None) -> str:
        with self.database.transaction() as db:
            person = db.get(Person, who)
            assert person is not None
            return handle_staff_text(db, person, text, now, dashboard_url=url)

    def status(self, esc_id: int | None = None) -> EscalationStatus:
        with self.database.transaction() as db:
            esc = db.get(Escalation, esc_id or self.esc)
            assert esc is not None
            return esc.status

    def audit_count(self) -> int:
        with self.database.transaction() as db:
            return db.exec(select(func.count()).select_from(AuditEvent)).one()


@pytest.fixture
def world(database: Database) -> World:
    return World(database)


ACK_SPELLINGS = ["ACK {id}", "ack {id}", "  Ack   #{id} ", "/ack {id}",
                 "/ack@peer_checkin_bot {id}", "ACK{id}", "ack # {id}", "ACK {id} on it",
                 "acknowledge {id}", "ACK\n{id}"]


def test_ack(world: World) -> None:
    for spelling in ACK_SPELLINGS:
        with world.database.transaction() as db:
            ana = db.get(Person, world.ana)
            assert ana is not None
            esc_id = _id(raise_escalation(db, ana))
        reply = world.say(world.sam, spelling.format(id=esc_id))
        assert reply == f"Acknowledged #{esc_id} (urgent, A.T.). Re-alerts stopped.", spelling
        with world.database.transaction() as db:
            esc = db.get(Escalation, esc_id)
            assert esc is not None
            assert (esc.status, esc.acknowledged_by, esc.acknowledged_at, esc.next_alert_at) == (
                EscalationStatus.acknowledged, world.sam, LATER, None)
            event = db.exec(select(AuditEvent).order_by(col(AuditEvent.id).desc())).first()
            assert event is not None
            assert (event.action, event.actor, event.at, event.subject_id) == (
                "escalation_acknowledged", f"person:{world.sam}", LATER, esc_id)


def test_second_ack_says_who_was_first(world: World) -> None:
    world.say(world.ada, f"ACK {world.esc}")
    assert world.say(world.sam, f"ACK {world.esc}") == (
        f"#{world.esc} (urgent, A.T.) was already acknowledged by Ada.")
    assert world.say(world.ada, f"ack {world.esc}", now=LATER + timedelta(minutes=1)) == (
        f"You already acknowledged #{world.esc} (urgent, A.T.).")


@pytest.mark.parametrize(
    ("text", "note"),
    [("RESOLVE {id} Called her, safe at home", "Called her, safe at home"),
     ("/resolve #{id}: Met in person.", "Met in person."),
     ("resolve {id} - spoke w/ unit staff", "spoke w/ unit staff")],
)
def test_resolve_with_a_note(world: World, text: str, note: str) -> None:
    reply = world.say(world.sam, text.format(id=world.esc))
    assert reply == f"Resolved #{world.esc} (urgent, A.T.). Thank you."
    with world.database.transaction() as db:
        esc = db.get(Escalation, world.esc)
        assert esc is not None
        assert (esc.status, esc.resolved_by, esc.resolution_note) == (
            EscalationStatus.resolved, world.sam, note)
        assert esc.acknowledged_by == world.sam  # acting on it counts as acknowledging


def test_resolve_without_a_note_or_number_asks_and_changes_nothing(world: World) -> None:
    before = world.audit_count()
    assert world.say(world.sam, f"RESOLVE {world.esc}") == (
        f"Add a short note: RESOLVE {world.esc} called her, safe at home")
    assert world.say(world.sam, f"resolve #{world.esc} :") == (
        f"Add a short note: RESOLVE {world.esc} called her, safe at home")
    assert world.say(world.sam, "RESOLVE").startswith("Which one? Reply RESOLVE, the number")
    assert world.status() == EscalationStatus.open and world.audit_count() == before


@pytest.mark.parametrize(
    ("case", "answer"),
    [("unknown", "No open escalation #{id} in your program."),
     ("huge", "No open escalation #{id} in your program."),
     ("other_program", "No open escalation #{id} in your program."),
     ("resolved", "No open escalation #{id} in your program (it is already resolved)."),
     ("about_mentor", "That escalation is handled by another supervisor."),
     ("mentors_mentee", "That escalation is handled by another supervisor.")],
)
def test_refusals_change_nothing(world: World, case: str, answer: str) -> None:
    esc_id = {"unknown": 999, "huge": 10**20, "other_program": world.other_esc}.get(
        case, world.esc)
    with world.database.transaction() as db:
        esc = db.get(Escalation, world.esc)
        assert esc is not None
        if case == "resolved":
            esc.status = EscalationStatus.resolved
        elif case == "about_mentor":
            esc.about_mentor_id = world.sam
        elif case == "mentors_mentee":
            db.add(Pairing(program_id=esc.program_id, mentor_id=world.sam, mentee_id=world.ana,
                           active_from=NOW - timedelta(days=30)))
    before_status = (world.status(), world.status(world.other_esc))
    before = world.audit_count()
    for command in ("ACK {id}", "RESOLVE {id} done", "resolve {id}", "/ack #{id}"):
        assert world.say(world.sam, command.format(id=esc_id)) == answer.format(id=esc_id)
    assert (world.status(), world.status(world.other_esc)) == before_status
    assert world.audit_count() == before


def test_only_active_staff_can_use_commands(world: World) -> None:
    before = world.audit_count()
    assert world.say(world.ana, f"ACK {world.esc}") == (
        "Staff commands are for active supervisors and admins.")
    with world.database.transaction() as db:
        sam = db.get(Person, world.sam)
        assert sam is not None
        sam.status = "exited"  # type: ignore[assignment]
    assert world.say(world.sam, f"ACK {world.esc}").startswith("Staff commands are for")
    assert world.status() == EscalationStatus.open and world.audit_count() == before


def test_queue_is_discreet_ordered_and_capped(world: World) -> None:
    with world.database.transaction() as db:
        ana = db.get(Person, world.ana)
        bo = enrol(db, Role.mentee, "Bo")
        assert ana is not None
        watch = raise_escalation(db, bo, "watch", at=NOW - timedelta(days=3))
        concern = raise_escalation(db, bo, "concern", at=NOW - timedelta(hours=5))
        urgent = raise_escalation(db, bo, "urgent", at=NOW - timedelta(hours=1))
        extra = [raise_escalation(db, ana, "concern", at=NOW - timedelta(minutes=m)).id
                 for m in (1, 2, 3)]
        # About Sam as a mentor: Sam never sees it; Ada does.
        hidden = raise_escalation(db, bo, "urgent", at=NOW - timedelta(days=9),
                                  about_mentor_id=world.sam)
    world.say(world.ada, f"ACK {urgent.id}")
    reply = world.say(world.sam, "QUEUE")
    assert reply.splitlines() == [
        f"#{world.esc} URGENT A.T. 12m ago, not acked",
        f"#{concern.id} CONCERN B. 5h ago, not acked",
        f"#{extra[2]} CONCERN A.T. 15m ago, not acked",
        f"#{extra[1]} CONCERN A.T. 14m ago, not acked",
        f"#{extra[0]} CONCERN A.T. 13m ago, not acked",
        "and 2 more",  # the watch item and the acknowledged urgent one
    ]
    assert f"#{hidden.id} " not in reply and f"#{watch.id} " not in reply
    assert world.say(world.ada, "queue").splitlines()[0] == f"#{hidden.id} URGENT B. 9d ago, not acked, overdue"
    assert world.say(world.eve, " Queue ", url="https://x.example/queue").splitlines() == [
        f"#{world.other_esc} URGENT C.D. 12m ago, not acked", "Details: https://x.example/queue"]


def test_queue_shows_who_acknowledged(world: World) -> None:
    world.say(world.ada, f"ACK {world.esc}")
    assert world.say(world.sam, "QUEUE") == f"#{world.esc} URGENT A.T. 12m ago, acked by Ada"
    world.say(world.ada, f"RESOLVE {world.esc} ok")
    assert world.say(world.sam, "QUEUE") == "Nothing open in your program."


def test_help_and_unknown_text_list_the_commands(world: World) -> None:
    before = world.audit_count()
    for text in ["HELP", "help", "/help", "?", "", "  ", "/start", "hello there", "STATUS 17",
                 "17", "#17", "STOP"]:
        reply = world.say(world.sam, text, url="https://checkin.example/dash")
        assert HELP_HEAD in reply and reply.endswith("Details: https://checkin.example/dash")
        plain_help = text.strip(" /?").lower() in ("help", "")
        assert reply.startswith("Staff commands:" if plain_help else "Not a command. "), text
    assert world.say(world.sam, "help").endswith("QUEUE - open escalations, most urgent first")
    assert world.status() == EscalationStatus.open and world.audit_count() == before


def _alert(db: Session, esc_id: int | None, person_id: int | None) -> None:
    msg = messages.enqueue_outbound(db, channel=Channel.terminal, address=f"person-{person_id}",
                                    body="alert", kind="alert", lane=Lane.urgent,
                                    person_id=person_id, now=NOW)
    msg.escalation_id = esc_id
    db.flush()


def test_ack_alone(world: World) -> None:
    assert world.say(world.sam, "ACK").startswith("Nothing waiting for your ACK.")
    with world.database.transaction() as db:
        _alert(db, world.esc, world.sam)
    assert world.say(world.sam, "/ack") == (
        f"Acknowledged #{world.esc} (urgent, A.T.). Re-alerts stopped.")
    assert world.status() == EscalationStatus.acknowledged
    with world.database.transaction() as db:
        ana = db.get(Person, world.ana)
        assert ana is not None
        two = [raise_escalation(db, ana, "urgent", at=NOW).id,
               raise_escalation(db, ana, "concern", at=NOW).id]
        for esc_id in two:
            _alert(db, esc_id, world.sam)
    reply = world.say(world.sam, "ack")
    assert reply.splitlines()[0] == f"Which one? Reply ACK and the number, e.g. ACK {two[0]}"
    assert world.status(two[0]) == world.status(two[1]) == EscalationStatus.open
    assert world.say(world.sam, "ACK it").startswith("Reply ACK and the number")


def test_helpers() -> None:
    assert [initials(n) for n in ("Ana María Torres", "ana", "  ", None, "J.-P. O'Neil")] == [
        "A.T.", "A.", "?", "?", "J.O."]
    assert [ago(timedelta(seconds=s)) for s in (5, 60, 3599, 7200, 47 * 3600, 3 * 86400)] == [
        "just now", "1m ago", "59m ago", "2h ago", "47h ago", "3d ago"]


_words = st.text(st.characters(categories=["L", "N", "P", "Zs"]), min_size=12, max_size=60)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(evidence=st.lists(_words.filter(lambda s: s.strip() == s and len(s) >= 12),
                         min_size=1, max_size=3),
       level=st.sampled_from(["urgent", "concern", "watch"]))
def test_replies_never_contain_the_mentees_words(
    database: Database, evidence: list[str], level: str
) -> None:
    with database.transaction() as db:
        mentee = enrol(db, Role.mentee, "Zoe Quinlan-Marsh")
        sup = enrol(db, Role.supervisor, "Sam Rivera")
        esc = raise_escalation(db, mentee, level, evidence=tuple(evidence))
        _alert(db, esc.id, sup.id)
    replies = []
    for text in ("QUEUE", f"ACK {esc.id}", f"ACK {esc.id}", "ACK", "QUEUE",
                 f"RESOLVE {esc.id}", f"RESOLVE {esc.id} ok", f"ACK {esc.id}"):
        with database.transaction() as db:
            person = db.get(Person, sup.id)
            assert person is not None
            replies.append(handle_staff_text(db, person, text, LATER, dashboard_url=None))
    for reply in replies:
        assert "Zoe" not in reply and "Quinlan" not in reply
        for words in evidence:
            assert words not in reply


# --- the command line ------------------------------------------------------------------------


@pytest.fixture
def cli_world(sqlite_db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    monkeypatch.setenv("DATABASE_URL", sqlite_db_url)
    monkeypatch.setattr(escalations_cmd, "utcnow", lambda: LATER)
    get_settings.cache_clear()
    database = Database.open(sqlite_db_url)
    yield World(database)
    database.engine.dispose()
    get_settings.cache_clear()


def invoke(*args: str) -> tuple[int, str]:
    app = typer.Typer()
    app.add_typer(escalations_cmd.escalations_app, name="escalations")
    result = CliRunner().invoke(app, ["escalations", *args])
    return result.exit_code, result.output


def test_cli_list(cli_world: World) -> None:
    code, out = invoke("list")
    assert code == 0, out
    assert out.splitlines() == [
        "ID\tLEVEL\tSTATUS\tABOUT\tPROGRAM\tRAISED\tACK DUE",
        f"{cli_world.esc}\turgent\topen\tA.T.\tHope House\t12m ago\tdue in 3m",
        f"{cli_world.other_esc}\turgent\topen\tC.D.\tElm Street\t12m ago\tdue in 3m",
    ]
    assert EVIDENCE not in out and "Ana" not in out
    code, out = invoke("list", "--program", "Elm Street")
    assert code == 0 and out.splitlines()[1].startswith(f"{cli_world.other_esc}\t")
    assert len(out.splitlines()) == 2  # the header, one escalation
    code, out = invoke("list", "--program", "Nope")
    assert code == 2 and "no program named 'Nope'" in out


def test_cli_ack_resolve_reopen_and_list_all(cli_world: World) -> None:
    esc = str(cli_world.esc)
    assert invoke("ack", esc) == (0, f"acknowledged #{esc} (urgent)\n")
    assert invoke("ack", esc) == (0, f"#{esc} was already acknowledged\n")
    code, out = invoke("resolve", esc)
    assert code == 2 and "--note" in out
    code, out = invoke("resolve", esc, "--note", "  ")
    assert code == 2 and "note is required" in out
    assert invoke("resolve", esc, "--note", "called her") == (0, f"resolved #{esc} (urgent)\n")
    assert cli_world.status() == EscalationStatus.resolved
    code, out = invoke("list")
    assert code == 0 and out.splitlines()[1].startswith(f"{cli_world.other_esc}\t")
    code, out = invoke("list", "--all")
    assert out.splitlines()[-1] == f"{esc}\turgent\tresolved\tA.T.\tHope House\t12m ago\t-"
    code, out = invoke("ack", esc)
    assert (code, out.strip()) == (2, f"#{esc} is already resolved.")
    code, out = invoke("reopen", esc, "--reason", "she texted again")
    assert code == 0 and out.startswith(f"reopened #{esc} (urgent); acknowledgement due ")
    assert cli_world.status() == EscalationStatus.open
    with cli_world.database.transaction() as db:
        actors = {e.actor for e in db.exec(select(AuditEvent).where(
            AuditEvent.subject_id == cli_world.esc, AuditEvent.subject_type == "escalation"))}
        assert actors == {"cli"}


def test_cli_show_is_full_and_audited(cli_world: World) -> None:
    esc = str(cli_world.esc)
    cli_world.say(cli_world.sam, f"ACK {esc}")
    code, out = invoke("show", esc)
    assert code == 0, out
    assert out.splitlines()[:3] == [f"Escalation #{esc}: urgent, acknowledged",
                                    "program:       Hope House",
                                    f"about:         Ana Torres (person {cli_world.ana}, mentee)"]
    assert f"  - {EVIDENCE}" in out and "feels_unsafe" in out
    assert "acknowledged:  2026-03-02 12:12 EST by Sam Rivera" in out
    assert f"acknowledged  person:{cli_world.sam} (Sam Rivera)" in out
    assert "viewed  cli" in out
    with cli_world.database.transaction() as db:
        [view] = db.exec(select(AuditEvent).where(AuditEvent.action == "escalation_viewed")).all()
        assert (view.actor, view.at, view.subject_id) == ("cli", LATER, cli_world.esc)
    code, out = invoke("show", "999")
    assert (code, out.strip()) == (2, "No escalation #999.")


def test_cli_resolve_with_an_outcome_and_show_the_casework(cli_world: World) -> None:
    esc = str(cli_world.esc)
    cli_world.say(cli_world.sam, f"ACK {esc}")  # acknowledging from the phone: Sam owns it
    code, out = invoke("resolve", esc, "--note", "called her", "--outcome", "made up")
    assert code == 2 and "'made up' is not one of the program's outcomes: spoke with" in out
    assert cli_world.status() == EscalationStatus.acknowledged
    assert invoke("resolve", esc, "--note", "called her", "--outcome",
                  "safety plan made") == (0, f"resolved #{esc} (urgent)\n")
    code, out = invoke("show", esc)
    assert code == 0, out
    assert "outcome:       safety plan made" in out
    assert f"owner:         Sam Rivera (person {cli_world.sam}, supervisor)" in out
