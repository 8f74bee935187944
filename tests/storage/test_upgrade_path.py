"""Upgrading a database that has been in use since the first release, on both databases.

The database is created at the first revision and filled the way that schema allows (plain SQL,
as the code of that time wrote it): a program, a supervisor on call, a mentor paired with a
mentee, the mentee's schedule, a finished check-in with its answers (a number, and words), the
messages both ways, an urgent escalation with the words that raised it, and an audit event.
Then it is upgraded one revision at a time to the last, with a data key set (migration 0009
encrypts the words on the way), checking after every step that no row went missing, and at the
end that the service works on those rows: the supervisor logs in to the dashboard, the queue
lists the escalation, its page shows the mentee's words, and the mentee's page shows the answers
and messages. (tests/storage/test_migrations.py checks each migration's own changes; this file
checks the whole path with data in every table.)
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from alembic.script import ScriptDirectory
from argon2 import PasswordHasher
from sqlmodel import select

from bot.dashboard import passwords
from bot.dashboard.accounts import create_account
from storage.migrate import MIGRATIONS_DIR, check_models_match, current, head, upgrade
from storage.models import Person
from tests.dashboard.conftest import PASSWORD, Dash, make_dash
from tests.storage.test_migrations import _run

T0 = datetime(2025, 1, 6, 18, 0, tzinfo=UTC)  # a Monday check-in, before 0002 existed
WORDS = "my mentor keeps asking me for money"
# The tables the first revision made, each with the rows inserted below.
FIRST_TABLES = ("program", "person", "contact_point", "pairing", "schedule", "checkin_session",
                "answer", "message", "escalation", "audit_event", "on_call_shift")


@pytest.fixture(autouse=True)
def _cheap_password_hashing() -> Iterator[None]:
    """What is tested is the data surviving the upgrades, not the hash's cost."""
    previous = passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    yield
    passwords.use_hasher(previous)


def revisions_in_order() -> list[str]:
    """Every revision from the first to the last (the migrations form one line)."""
    scripts = list(ScriptDirectory(str(MIGRATIONS_DIR)).walk_revisions())
    order = [script.revision for script in reversed(scripts)]
    assert len(set(order)) == len(order)
    return order


def fill_at_first_revision(url: str) -> dict[str, int]:
    """Rows of every table of revision 0001, as that schema allows. Returns the ids."""
    settings = json.dumps({"digest_hour": 9})
    _run(url, "INSERT INTO program (name, timezone, quiet_start, quiet_end, crisis_message, "
         "settings, created_at) VALUES ('Riverside Unit', 'America/Chicago', '21:00', '08:00', "
         "'Call the unit nurse on ext 4411.', :s, :t)", s=settings, t=T0)
    [(program,)] = _run(url, "SELECT id FROM program")
    ids = {"program": int(program)}
    for key, role, name in (("sam", "supervisor", "Sam Rivera"), ("jordan", "mentor",
                                                                   "Jordan Lee"),
                            ("ana", "mentee", "Ana Torres")):
        _run(url, "INSERT INTO person (program_id, role, display_name, language, status, "
             "created_at) VALUES (:p, :r, :n, 'en', 'active', :t)", p=program, r=role, n=name,
             t=T0)
        [(pid,)] = _run(url, "SELECT id FROM person WHERE display_name = :n", n=name)
        ids[key] = int(pid)
    _run(url, "INSERT INTO contact_point (person_id, channel, address, opted_out, consent_at, "
         "unreachable, created_at) VALUES (:p, 'sms', '+13125550143', :f, :t, :f, :t)",
         p=ids["ana"], f=False, t=T0)
    _run(url, "INSERT INTO pairing (program_id, mentor_id, mentee_id, active_from) VALUES "
         "(:p, :m, :e, :t)", p=program, m=ids["jordan"], e=ids["ana"], t=T0)
    _run(url, "INSERT INTO schedule (person_id, flow_id, rule, timezone, next_due_at, paused, "
         "created_at) VALUES (:p, 'mentee_checkin', 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=18', "
         "'America/Chicago', :n, :f, :t)", p=ids["ana"], n=T0, f=False, t=T0)
    _run(url, "INSERT INTO on_call_shift (program_id, person_id, list, start, \"end\", "
         "created_at) VALUES (:p, :s, 'oncall', '00:00', '00:00', :t)", p=program,
         s=ids["sam"], t=T0)
    context = json.dumps({"language": "en", "values": {"name": "Ana"},
                          "answers": {"comfort": 4, "safety": 2, "pressure": WORDS}})
    _run(url, "INSERT INTO checkin_session (person_id, flow_id, flow_version, current_state, "
         "turn, context, status, language, channel, address, started_at, updated_at, "
         "ended_at) VALUES (:p, 'mentee_checkin', 1, NULL, 4, :c, 'completed', 'en', 'sms', "
         "'+13125550143', :t, :t, :t)", p=ids["ana"], c=context, t=T0)
    [(session,)] = _run(url, "SELECT id FROM checkin_session")
    ids["session"] = int(session)
    for key, raw, value, number in (("comfort", "4", 4, 4.0), ("safety", "2", 2, 2.0),
                                    ("pressure", WORDS, WORDS, None)):
        _run(url, "INSERT INTO answer (session_id, person_id, key, raw_text, value, value_num, "
             "status, created_at) VALUES (:s, :p, :k, :r, :v, :n, 'answered', :t)",
             s=session, p=ids["ana"], k=key, r=raw, v=json.dumps(value), n=number, t=T0)
    for direction, body, kind, status, provider_id in (
            ("outbound", "How safe do you feel right now? 1 (not safe) to 5 (very safe)",
             "question", "delivered", "SM0001"),
            ("inbound", WORDS, "inbound", "received", "SM0002")):
        _run(url, "INSERT INTO message (direction, channel, address, person_id, session_id, "
             "provider_id, body, kind, status, lane, priority, attempts, created_at, "
             "updated_at) VALUES (:d, 'sms', '+13125550143', :p, :s, :i, :b, :k, :st, "
             "'routine', 10, 1, :t, :t)", d=direction, p=ids["ana"], s=session,
             i=provider_id, b=body, k=kind, st=status, t=T0)
    _run(url, "INSERT INTO escalation (program_id, person_id, session_id, level, reasons, "
         "evidence, status, raised_at, due_at, about_mentor_id, alert_round, updated_at) "
         "VALUES (:p, :a, :s, 'urgent', :r, :e, 'open', :t, :t, :m, 1, :t)", p=program,
         a=ids["ana"], s=session, r=json.dumps(["mentor_asks_money"]), e=json.dumps([WORDS]),
         m=ids["jordan"], t=T0)
    [(escalation,)] = _run(url, "SELECT id FROM escalation")
    ids["escalation"] = int(escalation)
    _run(url, "INSERT INTO audit_event (at, actor, action, subject_type, subject_id, detail) "
         "VALUES (:t, 'system', 'escalation_raised', 'escalation', :e, :d)", t=T0,
         e=escalation, d=json.dumps({"level": "urgent"}))
    return ids


def row_counts(url: str) -> dict[str, int]:
    return {table: int(_run(url, f"SELECT count(*) FROM {table}")[0][0])
            for table in FIRST_TABLES}


def test_the_migrations_form_one_line_from_the_first_revision_to_head() -> None:
    order = revisions_in_order()
    assert order[0] == "0001" and order[-1] == head()


def test_upgrade_from_the_first_revision_to_the_last_keeps_the_rows_and_the_service_reads_them(
    empty_db_url: str, data_key: str,
) -> None:
    order = revisions_in_order()
    upgrade(empty_db_url, order[0])
    ids = fill_at_first_revision(empty_db_url)
    before = row_counts(empty_db_url)
    assert all(count >= 1 for count in before.values()), before

    for revision in order[1:]:
        upgrade(empty_db_url, revision)
        assert current(empty_db_url) == revision
        assert row_counts(empty_db_url) == before, f"rows lost or added by {revision}"

    assert current(empty_db_url) == head()
    assert check_models_match(empty_db_url) == []
    # 0009 encrypted the words that were stored as plaintext (a key was set).
    [(stored,)] = _run(empty_db_url, "SELECT body FROM message WHERE direction = 'inbound'")
    assert WORDS not in str(stored)
    [(evidence,)] = _run(empty_db_url, "SELECT evidence FROM escalation")
    assert WORDS not in str(evidence)

    dash = make_dash(empty_db_url, data_keys=data_key)
    client_dash: Dash = next(dash)
    try:
        with client_dash.db() as db:
            sam = db.exec(select(Person).where(Person.id == ids["sam"])).one()
            create_account(db, sam, "sam", PASSWORD, client_dash.clock())
        client_dash.login("sam")
        queue = client_dash.client.get("/queue")
        assert queue.status_code == 200
        assert f'href="/escalations/{ids["escalation"]}"' in queue.text
        assert "Ana Torres" in queue.text
        page = client_dash.client.get(f"/escalations/{ids['escalation']}")
        assert page.status_code == 200, page.text[:500]
        assert WORDS in page.text  # decrypted: the words that raised it
        mentee = client_dash.client.get(f"/mentees/{ids['ana']}")
        assert mentee.status_code == 200, mentee.text[:500]
        assert WORDS in mentee.text  # her message, in and out of the check-in
        assert "How safe do you feel right now?" in mentee.text
    finally:
        dash.close()
    # The rows the dashboard wrote on top (an account, a session, audit) came after ours.
    assert {k: v for k, v in row_counts(empty_db_url).items() if k != "audit_event"} == {
        k: v for k, v in before.items() if k != "audit_event"}
