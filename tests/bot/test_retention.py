"""Retention: words are erased after N days, scores and escalation records stay."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.database import Database
from bot.jobs.retention import erase_old_bodies
from storage.models import (
    Answer,
    AuditEvent,
    Channel,
    CheckinSession,
    Escalation,
    EscalationNote,
    EscalationStatus,
    Lane,
    Message,
    MessageStatus,
    Person,
    Program,
    Role,
    SessionStatus,
)
from storage.queries import escalations, messages, sessions
from tests.bot.helpers import NOW, database_for, enrol

DAYS = 180


@pytest.fixture
def database(db_url: str, engine: Engine) -> Database:
    return database_for(db_url, engine)


def _inbound(db: Session, person: Person | None, body: str, days_ago: int) -> int:
    msg = messages.record_inbound(db, Channel.telegram, f"a{person.id if person else 0}", None,
                                  body, person.id if person else None,
                                  NOW - timedelta(days=days_ago))
    assert msg is not None and msg.id is not None
    return msg.id


def _outbound(db: Session, person: Person, body: str, days_ago: int,
              status: MessageStatus = MessageStatus.sent) -> int:
    msg = messages.enqueue_outbound(db, channel=Channel.telegram, address=f"a{person.id}",
                                    body=body, kind="question", lane=Lane.routine,
                                    now=NOW - timedelta(days=days_ago), person_id=person.id)
    msg.status = status
    assert msg.id is not None
    return msg.id


def _checkin(db: Session, person: Person, days_ago: int) -> tuple[int, int, int]:
    """A completed check-in: (session id, scale answer id, text answer id)."""
    assert person.id is not None
    at = NOW - timedelta(days=days_ago)
    row = sessions.add_session(db, person_id=person.id, flow_id="mentee_checkin", now=at)
    row.status = SessionStatus.completed
    row.ended_at = at
    row.context = {"answers": {"comfort": 4, "pressure": False,
                               "anything_else": "my mentor keeps asking for money"},
                   "values": {"name": "Ana"}}
    assert row.id is not None
    scale = sessions.add_answer(db, session_id=row.id, person_id=person.id, key="comfort",
                                raw_text="four i guess", value=4, now=at)
    text = sessions.add_answer(db, session_id=row.id, person_id=person.id, key="anything_else",
                               raw_text="my mentor keeps asking for money",
                               value="my mentor keeps asking for money", now=at)
    assert scale.id is not None and text.id is not None
    return row.id, scale.id, text.id


def _erase(database: Database, **kw: int) -> dict[str, int]:
    with database.transaction() as db:
        return erase_old_bodies(db, NOW, default_days=kw.pop("default_days", DAYS), **kw)


def test_old_bodies_erased_new_kept(database: Database) -> None:
    with database.transaction() as db:
        ana = enrol(db, Role.mentee, "Ana")
        old_in = _inbound(db, ana, "i feel scared", DAYS + 1)
        old_out = _outbound(db, ana, "How safe do you feel?", DAYS + 1)
        old_pending = _outbound(db, ana, "still to send", DAYS + 1, MessageStatus.pending)
        new_in = _inbound(db, ana, "all good", DAYS - 1)
        stranger = _inbound(db, None, "who is this", DAYS + 1)
    assert _erase(database) == {"messages": 3, "answers": 0, "sessions": 0, "evidence": 0, "notes": 0}
    with database.transaction() as db:
        body = {m.id: m.body for m in db.exec(select(Message)).all()}
        assert body[old_in] is None and body[old_out] is None and body[stranger] is None
        assert body[old_pending] == "still to send"  # the sender still needs it
        assert body[new_in] == "all good"
        old = db.get(Message, old_in)
        assert old is not None and old.kind == "inbound" and old.person_id == ana.id
        audit = db.exec(select(AuditEvent).where(AuditEvent.action == "retention_erased")).one()
        assert audit.detail == {"messages": 3, "answers": 0, "sessions": 0, "evidence": 0,
                                "notes": 0, "default_days": DAYS}
    assert _erase(database) == {"messages": 0, "answers": 0, "sessions": 0, "evidence": 0,
                                "notes": 0}
    with database.transaction() as db:  # nothing erased: no audit row
        assert len(db.exec(select(AuditEvent).where(
            AuditEvent.action == "retention_erased")).all()) == 1


def test_answer_texts_erased_scores_and_escalations_kept(database: Database) -> None:
    with database.transaction() as db:
        ana = enrol(db, Role.mentee, "Ana")
        assert ana.id is not None
        old_session, old_scale, old_text = _checkin(db, ana, DAYS + 5)
        new_session, new_scale, new_text = _checkin(db, ana, 10)
        esc, _ = escalations.add_or_merge_escalation(
            db, program_id=ana.program_id, person_id=ana.id, session_id=old_session,
            level="concern", reasons=["pressured"],
            evidence=["anything_else: my mentor keeps asking for money"],
            now=NOW - timedelta(days=DAYS + 5), due_at=NOW)
        esc_id = esc.id
    assert _erase(database) == {"messages": 0, "answers": 2, "sessions": 1, "evidence": 0, "notes": 0}
    with database.transaction() as db:
        scale, text = db.get(Answer, old_scale), db.get(Answer, old_text)
        assert scale is not None and text is not None
        assert scale.raw_text is None and scale.value == 4 and scale.value_num == 4.0
        assert text.raw_text is None and text.value is None and text.key == "anything_else"
        for answer_id in (new_scale, new_text):
            kept = db.get(Answer, answer_id)
            assert kept is not None and kept.raw_text is not None
        old_row, new_row = db.get(CheckinSession, old_session), db.get(CheckinSession, new_session)
        assert old_row is not None and new_row is not None
        assert old_row.context["answers"] == {"comfort": 4, "pressure": False,
                                              "anything_else": None}
        assert new_row.context["answers"]["anything_else"] == "my mentor keeps asking for money"
        kept_esc = db.get(Escalation, esc_id)
        assert kept_esc is not None and kept_esc.reasons == ["pressured"]
        assert kept_esc.evidence == ["anything_else: my mentor keeps asking for money"]


def test_evidence_erased_once_resolved_past_retention(database: Database, data_key: str) -> None:
    """The verbatim words go, encrypted or not; the record (level, reasons, times) stays; an
    escalation resolved lately, or never, keeps its evidence."""
    def escalation(db: Session, person: Person, resolved_days_ago: int | None) -> int:
        assert person.id is not None
        esc, _ = escalations.add_or_merge_escalation(
            db, program_id=person.program_id, person_id=person.id, session_id=None,
            level="urgent", reasons=["self_harm"], evidence=["i want to die"],
            now=NOW - timedelta(days=DAYS + 30), due_at=NOW)
        if resolved_days_ago is not None:
            esc.status = EscalationStatus.resolved
            esc.resolved_at = NOW - timedelta(days=resolved_days_ago)
        db.flush()
        assert esc.id is not None
        return esc.id

    with database.transaction() as db:
        ana, bea, cy = (enrol(db, Role.mentee, name) for name in ("Ana", "Bea", "Cy"))
        old = escalation(db, ana, DAYS + 1)
        recent = escalation(db, bea, DAYS - 1)
        still_open = escalation(db, cy, None)
    with database.transaction() as db:  # staff notes on the old and the open one
        for esc_id in (old, still_open):
            db.add(EscalationNote(escalation_id=esc_id, author_id=ana.id or 0, created_at=NOW,
                                  body="she said she wants to die"))
    erased_counts = _erase(database)
    assert (erased_counts["evidence"], erased_counts["notes"]) == (1, 1)
    with database.transaction() as db:
        notes = {n.escalation_id: n.body for n in db.exec(select(EscalationNote)).all()}
        assert notes == {old: None, still_open: "she said she wants to die"}
    with database.transaction() as db:
        erased = db.get(Escalation, old)
        assert erased is not None and erased.evidence == []
        assert erased.reasons == ["self_harm"] and erased.level == "urgent"
        assert erased.resolved_at is not None and erased.raised_at is not None
        for kept in (recent, still_open):
            row = db.get(Escalation, kept)
            assert row is not None and row.evidence == ["i want to die"]
        raw = db.execute(text("SELECT id, CAST(evidence AS TEXT) FROM escalation")).all()
    stored = dict(raw)
    assert stored[old] == "[]"
    assert all("die" not in value for value in stored.values())
    again = _erase(database)
    assert (again["evidence"], again["notes"]) == (0, 0)  # done rows are not found again


def test_program_override(database: Database) -> None:
    with database.transaction() as db:
        short = enrol(db, Role.mentee, "Ana", program_name="Short Stay")
        program = db.get(Program, short.program_id)
        assert program is not None
        program.settings["retention_days"] = 30
        default = enrol(db, Role.mentee, "Bea", program_name="Hope House")
        short_msg = _inbound(db, short, "short stay words", 40)
        default_msg = _inbound(db, default, "hope house words", 40)
        _, _, short_text = _checkin(db, short, 40)
        _, _, default_text = _checkin(db, default, 40)
    assert _erase(database) == {"messages": 1, "answers": 2, "sessions": 1, "evidence": 0, "notes": 0}
    with database.transaction() as db:
        assert (m := db.get(Message, short_msg)) is not None and m.body is None
        assert (m := db.get(Message, default_msg)) is not None and m.body == "hope house words"
        assert (a := db.get(Answer, short_text)) is not None and a.raw_text is None
        assert (a := db.get(Answer, default_text)) is not None and a.raw_text is not None


def test_batches(database: Database) -> None:
    with database.transaction() as db:
        ana = enrol(db, Role.mentee, "Ana")
        ids = [_inbound(db, ana, f"old {i}", DAYS + 1) for i in range(7)]
        for i in range(3):
            _checkin(db, ana, DAYS + 1 + i)
    assert _erase(database, batch_size=2) == {"messages": 7, "answers": 6, "sessions": 3,
                                              "evidence": 0, "notes": 0}
    with database.transaction() as db:
        rows = db.exec(select(Message).where(col(Message.id).in_(ids))).all()
        assert [m.body for m in rows] == [None] * 7
    # A bounded run stops early; the next run continues.
    with database.transaction() as db:
        for i in range(5):
            _inbound(db, ana, f"older {i}", DAYS + 2)
    assert _erase(database, batch_size=2, max_batches=1)["messages"] == 2
    assert _erase(database, batch_size=2, max_batches=5)["messages"] == 3
