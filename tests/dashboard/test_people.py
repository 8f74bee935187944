"""People and pairings in the dashboard: add, edit, pause, pair, invite; admins only, and only
their own programs."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from httpx import Response
from pydantic import SecretStr
from sqlmodel import col, select

from storage.models import (
    AuditEvent,
    Channel,
    ContactPoint,
    InviteCode,
    Message,
    Pairing,
    Person,
    PersonStatus,
    Role,
    Schedule,
)
from storage.queries import people
from tests.dashboard.conftest import Dash


def _admin(dash: Dash, username: str = "ada", program: str = "Hope House") -> Person:
    admin = dash.staff(Role.admin, username, program=program)
    dash.login(username)
    return admin


def _program_id(dash: Dash, name: str = "Hope House") -> int:
    with dash.db() as db:
        program = people.get_program_by_name(db, name)
        assert program is not None and program.id is not None
        return program.id


def _events(dash: Dash, action: str) -> list[AuditEvent]:
    with dash.db() as db:
        return list(db.exec(select(AuditEvent).where(AuditEvent.action == action)
                            .order_by(col(AuditEvent.id))).all())


def _person_named(dash: Dash, name: str) -> Person | None:
    with dash.db() as db:
        return db.exec(select(Person).where(Person.display_name == name)).first()


def _add(dash: Dash, **fields: str) -> Response:
    form = {"name": "Ana Ruiz", "role": "mentee", "language": "es", "timezone": "",
            "phone": "(312) 555-0188", "program_id": str(_program_id(dash))}
    form.update(fields)
    return dash.post("/people", form)


# --- adding ----------------------------------------------------------------------------------


def test_an_admin_adds_a_mentee_with_a_phone_and_a_default_schedule(dash: Dash) -> None:
    admin = _admin(dash)
    response = _add(dash)
    assert response.status_code == 303
    location = response.headers["location"]
    ana = _person_named(dash, "Ana Ruiz")
    assert ana is not None and location == f"/people/{ana.id}?done=added"
    assert ana.role == Role.mentee and ana.language == "es" and ana.timezone is None
    with dash.db() as db:
        contacts = people.contacts_for(db, ana.id or 0)
        schedules = list(db.exec(select(Schedule).where(Schedule.person_id == ana.id)).all())
    assert [(c.channel, c.address) for c in contacts] == [(Channel.sms, "+13125550188")]
    assert [(s.flow_id, s.rule) for s in schedules] == [
        ("mentee_checkin", "FREQ=WEEKLY;BYDAY=MO;BYHOUR=18;BYMINUTE=0")]
    [event] = _events(dash, "person_added")
    assert event.actor == f"person:{admin.id}" and event.subject_id == ana.id
    assert event.detail["role"] == "mentee"
    page = dash.client.get(location)
    assert page.status_code == 200 and "Ana Ruiz" in page.text and "Added." in page.text
    assert "+13125550188" in page.text
    # Nobody has texted her yet: the page must not claim she was asked for her YES.
    assert "asked to reply YES on" not in page.text
    assert ("not yet (not asked yet: they are asked to reply YES before their first "
            "check-in)") in page.text


def test_the_add_form_has_labels_and_the_admins_program(sqlite_dash: Dash) -> None:
    dash = sqlite_dash
    _admin(dash)
    page = dash.client.get("/people/new")
    assert page.status_code == 200
    for field in ("name", "role", "language", "program_id", "phone", "timezone"):
        assert f'<label for="f-{field}"' in page.text and f'id="f-{field}"' in page.text
    assert "Hope House" in page.text and 'name="csrf_token"' in page.text


def test_a_bad_phone_number_is_refused_with_the_reason(dash: Dash) -> None:
    _admin(dash)
    response = _add(dash, phone="12345")
    assert response.status_code == 400
    assert "is not a valid phone number" in response.text
    assert "Nothing was added" in response.text
    assert 'value="Ana Ruiz"' in response.text  # what was typed is kept
    assert _person_named(dash, "Ana Ruiz") is None
    assert _events(dash, "person_added") == []


def test_a_phone_number_already_enrolled_is_refused(dash: Dash) -> None:
    _admin(dash)
    dash.person(Role.mentee, "Ben", channel=Channel.sms, address="+13125550188")
    response = _add(dash, phone="+1 312 555 0188")
    assert response.status_code == 400
    assert "+13125550188 already belongs to someone enrolled" in response.text
    assert _person_named(dash, "Ana Ruiz") is None


@pytest.mark.parametrize(("field", "value", "message"), [
    ("name", "  ", "A name is required"),
    ("role", "boss", "is not a role"),
    ("language", "fr", "is not a language"),
    ("timezone", "Mars/Olympus", "is not a timezone name"),
    ("timezone", "America", "is not a timezone name"),
])
def test_bad_fields_get_a_clear_message(sqlite_dash: Dash, field: str, value: str,
                                        message: str) -> None:
    dash = sqlite_dash
    _admin(dash)
    response = _add(dash, **{field: value})
    assert response.status_code == 400
    assert message in response.text
    assert f'id="e-{field}"' in response.text


def test_a_person_cannot_be_added_to_another_program(dash: Dash) -> None:
    _admin(dash)
    dash.person(Role.mentee, "Someone", program="Elm Street")
    response = _add(dash, program_id=str(_program_id(dash, "Elm Street")))
    assert response.status_code == 400
    assert "Choose one of your programs" in response.text
    assert _person_named(dash, "Ana Ruiz") is None


def test_a_supervisor_added_with_a_phone_is_asked_for_a_yes(dash: Dash) -> None:
    _admin(dash)
    response = _add(dash, name="Sam Rivera", role="supervisor", phone="+1 617 555 0101")
    assert response.status_code == 303
    with dash.db() as db:
        kinds = [m.kind for m in db.exec(select(Message)).all() if m.address == "+16175550101"]
        sam = db.exec(select(Person).where(Person.display_name == "Sam Rivera")).one()
        assert db.exec(select(Schedule).where(Schedule.person_id == sam.id)).all() == []
    assert kinds == ["consent_request"]
    page = dash.client.get(f"/people/{sam.id}")
    assert "not yet (asked to reply YES on 02 Mar 2026)" in page.text


# --- the list --------------------------------------------------------------------------------


def test_the_list_filters_by_role_and_status_and_shows_only_the_admins_program(
        dash: Dash) -> None:
    _admin(dash)
    ana = dash.person(Role.mentee, "Ana Ruiz")
    dash.person(Role.mentor, "Maria Lopez")
    dash.person(Role.mentee, "Zed Outsider", program="Elm Street")
    with dash.db() as db:
        row = db.get(Person, ana.id)
        assert row is not None
        row.status = PersonStatus.paused
        db.add(row)
    everyone = dash.client.get("/people")
    assert everyone.status_code == 200
    assert "Ana Ruiz" in everyone.text and "Maria Lopez" in everyone.text
    assert "Zed Outsider" not in everyone.text
    mentors = dash.client.get("/people?role=mentor")
    assert "Maria Lopez" in mentors.text and "Ana Ruiz" not in mentors.text
    paused = dash.client.get("/people?status=paused")
    assert "Ana Ruiz" in paused.text and "Maria Lopez" not in paused.text
    odd = dash.client.get("/people?role=boss&status=gone")  # unknown filters are ignored
    assert odd.status_code == 200 and "Ana Ruiz" in odd.text


def test_the_list_flags_opted_out_and_unreachable_contacts(sqlite_dash: Dash) -> None:
    dash = sqlite_dash
    _admin(dash)
    ana = dash.person(Role.mentee, "Ana Ruiz", channel=Channel.sms, address="+13125550188")
    with dash.db() as db:
        contact = people.find_contact(db, Channel.sms, "+13125550188")
        assert contact is not None
        contact.opted_out = True
        contact.opted_out_at = dash.clock()
        contact.unreachable = True
        contact.unreachable_reason = "carrier says invalid"
        db.add(contact)
    listing = dash.client.get("/people")
    assert "opted out" in listing.text and "unreachable" in listing.text
    detail = dash.client.get(f"/people/{ana.id}")
    assert "opted out" in detail.text and "carrier says invalid" in detail.text


# --- editing and pausing ---------------------------------------------------------------------


def test_editing_changes_the_person_and_is_audited(dash: Dash) -> None:
    admin = _admin(dash)
    _add(dash, phone="")
    ana = _person_named(dash, "Ana Ruiz")
    assert ana is not None
    response = dash.post(f"/people/{ana.id}", {"name": "Ana María Ruiz", "language": "en",
                                                "timezone": "America/Chicago",
                                                "status": "active"})
    assert response.status_code == 303
    assert response.headers["location"] == f"/people/{ana.id}?done=saved"
    with dash.db() as db:
        row = db.get(Person, ana.id)
        schedule = db.exec(select(Schedule).where(Schedule.person_id == ana.id)).one()
    assert row is not None and row.display_name == "Ana María Ruiz"
    assert row.language == "en" and row.timezone == "America/Chicago"
    assert schedule.timezone == "America/Chicago"  # the schedule follows the person
    [event] = _events(dash, "person_edited")
    assert event.actor == f"person:{admin.id}"
    assert event.detail["changed"] == ["language", "name", "timezone"]
    assert "Ana" not in str(event.detail)  # no names in the audit detail


def test_pausing_a_person_pauses_their_schedules_and_resuming_resumes(dash: Dash) -> None:
    _admin(dash)
    _add(dash, phone="")
    ana = _person_named(dash, "Ana Ruiz")
    assert ana is not None
    form = {"name": "Ana Ruiz", "language": "es", "timezone": "", "status": "paused"}
    response = dash.post(f"/people/{ana.id}", form)
    assert response.status_code == 303 and response.headers["location"].endswith("done=paused")
    with dash.db() as db:
        assert db.get(Person, ana.id).status == PersonStatus.paused  # type: ignore[union-attr]
        assert [s.paused for s in db.exec(select(Schedule)
                                          .where(Schedule.person_id == ana.id)).all()] == [True]
    page = dash.client.get(response.headers["location"])
    assert "scheduled check-ins" in page.text and "paused" in page.text
    dash.clock.advance(minutes=20)  # (within the dashboard's idle timeout)
    resumed = dash.post(f"/people/{ana.id}", {**form, "status": "active"})
    assert resumed.headers["location"].endswith("done=resumed")
    with dash.db() as db:
        schedule = db.exec(select(Schedule).where(Schedule.person_id == ana.id)).one()
    assert not schedule.paused and schedule.next_due_at > dash.clock()
    edits = _events(dash, "person_edited")
    assert [e.detail["status"] for e in edits] == ["paused", "active"]
    assert [e.detail["schedules_changed"] for e in edits] == [1, 1]


def test_an_admin_cannot_pause_their_own_account(sqlite_dash: Dash) -> None:
    dash = sqlite_dash
    admin = _admin(dash)
    response = dash.post(f"/people/{admin.id}", {"name": "Ada", "language": "en",
                                                  "timezone": "", "status": "exited"})
    assert response.status_code == 400 and "lock you out" in response.text
    with dash.db() as db:
        assert db.get(Person, admin.id).status == PersonStatus.active  # type: ignore[union-attr]


def test_a_bad_edit_gets_a_message_and_changes_nothing(dash: Dash) -> None:
    _admin(dash)
    ana = dash.person(Role.mentee, "Ana Ruiz")
    response = dash.post(f"/people/{ana.id}", {"name": "", "language": "en",
                                                "timezone": "Nowhere/Town", "status": "gone"})
    assert response.status_code == 400
    for message in ("A name is required", "is not a timezone name", "Choose active"):
        assert message in response.text
    assert _person_named(dash, "Ana Ruiz") is not None
    assert _events(dash, "person_edited") == []


# --- pairing ---------------------------------------------------------------------------------


def test_pairing_a_mentee_with_a_mentor_and_ending_it(dash: Dash) -> None:
    admin = _admin(dash)
    ana = dash.person(Role.mentee, "Ana Ruiz")
    maria = dash.person(Role.mentor, "Maria Lopez")
    page = dash.client.get(f"/people/{ana.id}")
    assert f'<option value="{maria.id}">Maria Lopez</option>' in page.text
    response = dash.post(f"/people/{ana.id}/pair", {"partner_id": str(maria.id)})
    assert response.status_code == 303
    with dash.db() as db:
        [pairing] = db.exec(select(Pairing)).all()
        assert [p.id for p in people.mentors_of(db, ana.id or 0, dash.clock())] == [maria.id]
    assert (pairing.mentor_id, pairing.mentee_id) == (maria.id, ana.id)
    [added] = _events(dash, "pairing_added")
    assert added.actor == f"person:{admin.id}" and added.subject_id == pairing.id
    again = dash.post(f"/people/{ana.id}/pair", {"partner_id": str(maria.id)})
    assert again.status_code == 400 and "already paired" in again.text
    # The button is named by its own text (no aria-label that says something else).
    assert ('<button type="submit" class="secondary">End pairing<span class="sr-only"> with '
            'Maria Lopez</span></button>') in dash.client.get(f"/people/{ana.id}").text

    dash.clock.advance(minutes=5)
    ended = dash.post(f"/pairings/{pairing.id}/end", {"back": str(maria.id)})
    assert ended.status_code == 303
    assert ended.headers["location"] == f"/people/{maria.id}?done=pairing_ended"
    with dash.db() as db:
        row = db.get(Pairing, pairing.id)
        assert row is not None and row.active_until == dash.clock()
        assert people.mentors_of(db, ana.id or 0, dash.clock()) == []
    [end] = _events(dash, "pairing_ended")
    assert end.actor == f"person:{admin.id}"


def test_pairing_two_mentees_is_refused_with_a_message(sqlite_dash: Dash) -> None:
    dash = sqlite_dash
    _admin(dash)
    ana = dash.person(Role.mentee, "Ana Ruiz")
    ben = dash.person(Role.mentee, "Ben Carter")
    response = dash.post(f"/people/{ana.id}/pair", {"partner_id": str(ben.id)})
    assert response.status_code == 400 and "not a mentor" in response.text
    blank = dash.post(f"/people/{ana.id}/pair", {"partner_id": ""})
    assert blank.status_code == 400 and "Choose who to pair them with" in blank.text


def test_pairing_with_someone_who_has_left_is_refused(sqlite_dash: Dash) -> None:
    dash = sqlite_dash
    _admin(dash)
    ana = dash.person(Role.mentee, "Ana Ruiz")
    gone = dash.person(Role.mentor, "Gone Mentor")
    with dash.db() as db:
        row = db.get(Person, gone.id)
        assert row is not None
        row.status = PersonStatus.exited
        db.add(row)
    page = dash.client.get(f"/people/{ana.id}")
    assert "Gone Mentor" not in page.text  # not offered
    response = dash.post(f"/people/{ana.id}/pair", {"partner_id": str(gone.id)})
    assert response.status_code == 400 and "Gone Mentor has left the program" in response.text
    with dash.db() as db:
        assert db.exec(select(Pairing)).all() == []


def test_pairing_across_programs_is_refused(dash: Dash) -> None:
    _admin(dash)
    ana = dash.person(Role.mentee, "Ana Ruiz")
    outsider = dash.person(Role.mentor, "Olga Other", program="Elm Street")
    response = dash.post(f"/people/{ana.id}/pair", {"partner_id": str(outsider.id)})
    assert response.status_code == 404
    with dash.db() as db:
        assert db.exec(select(Pairing)).all() == []
    assert _events(dash, "pairing_added") == []


# --- Telegram invites ------------------------------------------------------------------------


@dataclass
class FakeTelegram:
    bot_username: str = "checkin_test_bot"


def _fake_telegram(dash: Dash, monkeypatch: pytest.MonkeyPatch, username: str) -> None:
    """Telegram configured, and the bot's username known (as after its getMe at start).
    (monkeypatch undoes this before the app shuts its channels down.)"""
    monkeypatch.setattr(dash.ctx, "settings", dash.ctx.settings.model_copy(
        update={"telegram_bot_token": SecretStr("123:abc")}))
    monkeypatch.setitem(dash.ctx.channels, Channel.telegram,  # type: ignore[arg-type]
                        FakeTelegram(bot_username=username))


def test_an_invite_shows_the_link_and_a_qr_code_and_is_audited(
        dash: Dash, monkeypatch: pytest.MonkeyPatch) -> None:
    admin = _admin(dash)
    ana = dash.person(Role.mentee, "Ana Ruiz")
    _fake_telegram(dash, monkeypatch, "checkin_test_bot")
    response = dash.post(f"/people/{ana.id}/invite")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    link = re.search(r'href="(https://t\.me/checkin_test_bot\?start=([A-Za-z0-9_-]+))"',
                     response.text)
    assert link, response.text
    assert "<svg" in response.text and 'aria-label="QR code for the invite link below"' in \
        response.text
    with dash.db() as db:
        [invite] = db.exec(select(InviteCode)).all()
    assert invite.person_id == ana.id and invite.code == link.group(2)
    [event] = _events(dash, "invite_created")
    assert event.actor == f"person:{admin.id}" and event.subject_id == ana.id
    assert invite.code not in str(event.detail)  # the code is a credential


def test_without_telegram_the_page_says_so_instead_of_a_link(dash: Dash) -> None:
    _admin(dash)
    ana = dash.person(Role.mentee, "Ana Ruiz")
    page = dash.client.get(f"/people/{ana.id}")
    assert "TELEGRAM_BOT_TOKEN is not set" in page.text
    response = dash.post(f"/people/{ana.id}/invite")
    assert response.status_code == 409 and "TELEGRAM_BOT_TOKEN is not set" in response.text
    assert "t.me/" not in response.text
    with dash.db() as db:
        assert db.exec(select(InviteCode)).all() == []


def test_telegram_configured_but_not_reached_says_so(
        sqlite_dash: Dash, monkeypatch: pytest.MonkeyPatch) -> None:
    dash = sqlite_dash
    _admin(dash)
    ana = dash.person(Role.mentee, "Ana Ruiz")
    _fake_telegram(dash, monkeypatch, "")
    response = dash.post(f"/people/{ana.id}/invite")
    assert response.status_code == 409 and "username is not known yet" in response.text


# --- who may ---------------------------------------------------------------------------------


def test_supervisors_get_403_on_every_people_route(dash: Dash) -> None:
    dash.staff(Role.supervisor, "sam")
    ana = dash.person(Role.mentee, "Ana Ruiz")
    maria = dash.person(Role.mentor, "Maria Lopez")
    with dash.db() as db:
        pairing = people.add_pairing(db, maria.id or 0, ana.id or 0, dash.clock())
    dash.login("sam")
    for path in ("/people", "/people/new", f"/people/{ana.id}", "/people/import",
                 "/people/import/example.csv"):
        assert dash.client.get(path).status_code == 403, path
    for path, form in (("/people", {"name": "X", "role": "mentee"}),
                       (f"/people/{ana.id}", {"name": "X", "status": "exited"}),
                       (f"/people/{ana.id}/pair", {"partner_id": str(maria.id)}),
                       (f"/pairings/{pairing.id}/end", {}),
                       (f"/people/{ana.id}/invite", {})):
        assert dash.post(path, form).status_code == 403, path
    with dash.db() as db:
        assert db.get(Person, ana.id).display_name == "Ana Ruiz"  # type: ignore[union-attr]
        assert db.get(Pairing, pairing.id).active_until is None  # type: ignore[union-attr]
        assert db.exec(select(ContactPoint)).all()  # sanity: the data is there


def test_another_programs_person_and_pairing_answer_404(dash: Dash) -> None:
    _admin(dash)
    zed = dash.person(Role.mentee, "Zed Outsider", program="Elm Street")
    olga = dash.person(Role.mentor, "Olga Other", program="Elm Street")
    with dash.db() as db:
        pairing = people.add_pairing(db, olga.id or 0, zed.id or 0, dash.clock())
    assert dash.client.get(f"/people/{zed.id}").status_code == 404
    assert dash.client.get("/people/999999").status_code == 404
    for path, form in ((f"/people/{zed.id}", {"name": "X", "language": "en",
                                               "status": "exited"}),
                       (f"/people/{zed.id}/pair", {"partner_id": str(olga.id)}),
                       (f"/pairings/{pairing.id}/end", {}),
                       (f"/people/{zed.id}/invite", {})):
        response = dash.post(path, form)
        assert response.status_code == 404, path
        assert "Zed" not in response.text
    with dash.db() as db:
        row = db.get(Person, zed.id)
        assert row is not None and row.display_name == "Zed Outsider"
        assert row.status == PersonStatus.active
        assert db.get(Pairing, pairing.id).active_until is None  # type: ignore[union-attr]
    assert _events(dash, "person_edited") == [] and _events(dash, "pairing_ended") == []
