"""Delivery health: backlog per lane and channel, urgent waiting shouted about, failed and dead
messages of the admin's programs (never their text), retry (refused for opted-out contacts and
other programs), and clearing a contact's unreachable flag. Admins only."""

from __future__ import annotations

import html
from datetime import datetime, timedelta

import pytest
from sqlmodel import col, select

from bot.redaction import mask_address
from bot.runner import handle_inbound
from storage.models import (
    AuditEvent,
    Channel,
    ContactPoint,
    Direction,
    Escalation,
    EscalationStatus,
    Lane,
    Message,
    MessageStatus,
    Person,
    Role,
)
from tests.dashboard.conftest import Dash

ANA_PHONE = "+15551234567"
BODY = "PRIVATE-BODY how safe do you feel right now"
REASON = "twilio 30003: unreachable destination handset"


def _add_message(dash: Dash, person: Person | None, address: str, *, status: MessageStatus,
                 lane: Lane = Lane.routine, kind: str = "question", attempts: int = 0,
                 last_error: str | None = None, age: timedelta = timedelta(0),
                 channel: Channel = Channel.sms, body: str | None = BODY,
                 escalation_id: int | None = None) -> int:
    when: datetime = dash.clock() - age
    with dash.db() as db:
        message = Message(direction=Direction.outbound, channel=channel, address=address,
                          person_id=person.id if person else None, body=body, kind=kind,
                          status=status, lane=lane, attempts=attempts, last_error=last_error,
                          next_attempt_at=when, created_at=when, updated_at=when,
                          escalation_id=escalation_id)
        db.add(message)
        db.flush()
        assert message.id is not None
        return message.id


def _setup(dash: Dash) -> tuple[Person, Person]:
    admin = dash.staff(Role.admin, "ada")
    ana = dash.person(Role.mentee, "Ana Torres", channel=Channel.sms, address=ANA_PHONE)
    dash.login("ada")
    return admin, ana


def _message(dash: Dash, message_id: int) -> Message:
    with dash.db() as db:
        message = db.get(Message, message_id)
        assert message is not None
        db.expunge(message)
        return message


def _contact(dash: Dash, address: str) -> ContactPoint:
    with dash.db() as db:
        contact = db.exec(select(ContactPoint).where(ContactPoint.address == address)).one()
        db.expunge(contact)
        return contact


def _audit(dash: Dash, action: str) -> list[AuditEvent]:
    with dash.db() as db:
        events = list(db.exec(select(AuditEvent).where(AuditEvent.action == action)
                              .order_by(col(AuditEvent.id))).all())
        for event in events:
            db.expunge(event)
        return events


def _cell(lane: str, channel: str, count: int) -> str:
    return f'data-lane="{lane}" data-channel="{channel}">{count}</td>'


def test_delivery_page_shows_backlog_and_a_dead_message_reason_but_never_its_body(
    dash: Dash,
) -> None:
    _, ana = _setup(dash)
    dead = _add_message(dash, ana, ANA_PHONE, status=MessageStatus.dead, attempts=5,
                        last_error=REASON, age=timedelta(minutes=30))
    for _ in range(3):
        _add_message(dash, ana, ANA_PHONE, status=MessageStatus.pending)
    _add_message(dash, ana, ANA_PHONE, status=MessageStatus.pending, lane=Lane.urgent,
                 kind="crisis", age=timedelta(seconds=20))
    _add_message(dash, None, "+15550009999", status=MessageStatus.failed, kind="info",
                 last_error="twilio 21610: unsubscribed")
    _add_message(dash, ana, ANA_PHONE, status=MessageStatus.sent)

    page = dash.client.get("/delivery")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert _cell("routine", "sms", 3) in text
    assert _cell("urgent", "sms", 1) in text
    assert 'id="count-dead">1<' in text and 'id="count-failed">1<' in text
    # The dead message: kind, masked address, attempts, reason; never the text or the number.
    assert f'id="message-{dead}"' in text
    assert REASON in text
    assert mask_address(ANA_PHONE) in text
    assert "<td>5</td>" in text
    assert BODY not in text and "PRIVATE-BODY" not in text
    assert ANA_PHONE not in text
    # A message to an unknown sender is only counted.
    assert "Also 1 failed message to unknown senders" in text
    assert "21610" not in text
    # Urgent has waited 20 s: no alarm yet.
    assert "Urgent messages are waiting" not in text


def test_an_urgent_message_waiting_over_a_minute_is_shouted_about(sqlite_dash: Dash) -> None:
    dash = sqlite_dash
    _, ana = _setup(dash)
    _add_message(dash, ana, ANA_PHONE, status=MessageStatus.pending, lane=Lane.urgent,
                 kind="crisis", age=timedelta(minutes=3))
    text = html.unescape(dash.client.get("/delivery").text)
    assert "Urgent messages are waiting:" in text
    assert "the oldest has waited 3 min" in text
    assert 'class="late"' in text


def test_channel_and_sender_status_are_shown(sqlite_dash: Dash) -> None:
    _setup(sqlite_dash)
    text = sqlite_dash.client.get("/delivery").text
    assert "Outbox sender" in text
    assert "not running" in text  # the tests' app runs no sender
    for channel in sqlite_dash.ctx.channels:
        assert f"<h3>{channel.value}</h3>" in text


def test_retry_moves_a_dead_message_back_to_pending_with_attempts_reset(
    dash: Dash, monkeypatch: pytest.MonkeyPatch,
) -> None:
    admin, ana = _setup(dash)
    dead = _add_message(dash, ana, ANA_PHONE, status=MessageStatus.dead, attempts=5,
                        last_error=REASON, age=timedelta(minutes=30))
    woken: list[bool] = []
    assert dash.ctx.sender is not None
    monkeypatch.setattr(dash.ctx.sender, "wake", lambda: woken.append(True))
    dash.clock.advance(minutes=1)

    response = dash.post(f"/delivery/messages/{dead}/retry")
    assert response.status_code == 303
    message = _message(dash, dead)
    assert message.status == MessageStatus.pending
    assert message.attempts == 0
    assert message.next_attempt_at == dash.clock()
    assert message.body == BODY  # unchanged, sent as it was
    assert woken == [True]
    [event] = _audit(dash, "message_retried")
    assert event.actor == f"person:{admin.id}"
    assert event.subject_type == "message" and event.subject_id == dead
    assert event.detail["previous_status"] == "dead"
    assert event.detail["previous_attempts"] == 5
    assert BODY not in str(event.detail)
    page = dash.client.get(response.headers["location"])
    assert f"Message #{dead} is back in the queue" in page.text
    assert f'id="message-{dead}"' not in page.text


@pytest.mark.parametrize("status", [MessageStatus.failed, MessageStatus.undelivered])
def test_failed_and_undelivered_messages_can_be_retried(
    sqlite_dash: Dash, status: MessageStatus
) -> None:
    _, ana = _setup(sqlite_dash)
    mid = _add_message(sqlite_dash, ana, ANA_PHONE, status=status, attempts=1, last_error=REASON)
    assert sqlite_dash.post(f"/delivery/messages/{mid}/retry").status_code == 303
    assert _message(sqlite_dash, mid).status == MessageStatus.pending


def test_retry_is_refused_for_an_opted_out_contact(dash: Dash) -> None:
    _, ana = _setup(dash)
    dead = _add_message(dash, ana, ANA_PHONE, status=MessageStatus.dead, attempts=5,
                        last_error=REASON)
    with dash.db() as db:
        contact = db.exec(select(ContactPoint).where(ContactPoint.address == ANA_PHONE)).one()
        contact.opted_out = True
        contact.opted_out_at = dash.clock()
        db.add(contact)
    page = dash.client.get("/delivery")
    assert "Cannot retry: opted out" in page.text
    response = dash.post(f"/delivery/messages/{dead}/retry")
    assert response.status_code == 409
    assert "opted out" in html.unescape(response.text)
    assert "Nothing is sent to an opted-out contact" in html.unescape(response.text)
    message = _message(dash, dead)
    assert (message.status, message.attempts) == (MessageStatus.dead, 5)
    assert _audit(dash, "message_retried") == []


def test_retry_is_refused_when_the_address_is_no_longer_that_persons(sqlite_dash: Dash) -> None:
    dash = sqlite_dash
    _, ana = _setup(dash)
    old = _add_message(dash, ana, "+15550001111", status=MessageStatus.dead, attempts=5)
    response = dash.post(f"/delivery/messages/{old}/retry")
    assert response.status_code == 409
    assert "no longer Ana Torres's contact" in html.unescape(response.text)
    assert _message(dash, old).status == MessageStatus.dead


def test_retry_is_refused_while_the_contact_is_unreachable(sqlite_dash: Dash) -> None:
    dash = sqlite_dash
    _, ana = _setup(dash)
    dead = _add_message(dash, ana, ANA_PHONE, status=MessageStatus.failed, attempts=1)
    with dash.db() as db:
        contact = db.exec(select(ContactPoint).where(ContactPoint.address == ANA_PHONE)).one()
        contact.unreachable, contact.unreachable_reason = True, REASON
        db.add(contact)
    response = dash.post(f"/delivery/messages/{dead}/retry")
    assert response.status_code == 409
    assert "marked unreachable" in response.text
    assert _message(dash, dead).status == MessageStatus.failed


def test_retry_is_refused_for_an_alert_about_an_acknowledged_escalation(
    sqlite_dash: Dash,
) -> None:
    dash = sqlite_dash
    admin, ana = _setup(dash)
    sup = dash.person(Role.supervisor, "Sam", channel=Channel.sms, address="+15557654321")
    now = dash.clock()
    with dash.db() as db:
        esc = Escalation(program_id=ana.program_id, person_id=ana.id, level="urgent",
                         status=EscalationStatus.acknowledged, raised_at=now, due_at=now,
                         acknowledged_by=admin.id, acknowledged_at=now)
        db.add(esc)
        db.flush()
        esc_id = esc.id
    alert = _add_message(dash, sup, "+15557654321", status=MessageStatus.dead, kind="alert",
                         lane=Lane.urgent, attempts=5, escalation_id=esc_id)
    response = dash.post(f"/delivery/messages/{alert}/retry")
    assert response.status_code == 409
    assert f"escalation #{esc_id}, which is already acknowledged" in response.text
    assert _message(dash, alert).status == MessageStatus.dead


def test_retry_is_refused_for_a_message_that_is_not_failed(sqlite_dash: Dash) -> None:
    _, ana = _setup(sqlite_dash)
    sent = _add_message(sqlite_dash, ana, ANA_PHONE, status=MessageStatus.sent, attempts=1)
    response = sqlite_dash.post(f"/delivery/messages/{sent}/retry")
    assert response.status_code == 409
    assert "only failed, undelivered or dead messages can be retried" in response.text
    assert _message(sqlite_dash, sent).status == MessageStatus.sent


def test_another_programs_message_answers_404_and_is_not_listed(dash: Dash) -> None:
    _setup(dash)
    ola = dash.person(Role.mentee, "Ola", program="Safe Harbor", channel=Channel.sms,
                      address="+15552223333")
    theirs = _add_message(dash, ola, "+15552223333", status=MessageStatus.dead, attempts=5,
                          last_error="their reason")
    unknown = _add_message(dash, None, "+15550009999", status=MessageStatus.dead, attempts=5)
    text = dash.client.get("/delivery").text
    assert f'id="message-{theirs}"' not in text and "their reason" not in text
    assert dash.post(f"/delivery/messages/{theirs}/retry").status_code == 404
    assert dash.post(f"/delivery/messages/{unknown}/retry").status_code == 404
    assert dash.post("/delivery/messages/999999/retry").status_code == 404
    assert _message(dash, theirs).status == MessageStatus.dead
    assert _message(dash, unknown).status == MessageStatus.dead
    assert _audit(dash, "message_retried") == []


def test_mark_reachable_clears_the_flag_and_is_audited(dash: Dash) -> None:
    admin, _ana = _setup(dash)
    with dash.db() as db:
        contact = db.exec(select(ContactPoint).where(ContactPoint.address == ANA_PHONE)).one()
        contact.unreachable, contact.unreachable_reason = True, REASON
        db.add(contact)
        contact_id = contact.id
    text = html.unescape(dash.client.get("/delivery").text)
    assert f'id="contact-{contact_id}"' in text
    assert "Ana Torres" in text and REASON in text and mask_address(ANA_PHONE) in text
    assert ANA_PHONE not in text

    response = dash.post(f"/delivery/contacts/{contact_id}/reachable")
    assert response.status_code == 303
    cleared = _contact(dash, ANA_PHONE)
    assert cleared.unreachable is False and cleared.unreachable_reason is None
    [event] = _audit(dash, "contact_reachable")
    assert event.actor == f"person:{admin.id}"
    assert event.subject_type == "contact_point" and event.subject_id == contact_id
    assert event.detail["previous_reason"] == REASON
    page = dash.client.get(response.headers["location"])
    assert f"Contact #{contact_id} is marked reachable again" in page.text
    assert f'id="contact-{contact_id}"' not in page.text


def test_another_programs_contact_answers_404(dash: Dash) -> None:
    _setup(dash)
    dash.person(Role.mentee, "Ola", program="Safe Harbor", channel=Channel.sms,
                address="+15552223333")
    with dash.db() as db:
        contact = db.exec(select(ContactPoint).where(ContactPoint.address == "+15552223333")
                          ).one()
        contact.unreachable, contact.unreachable_reason = True, REASON
        db.add(contact)
        contact_id = contact.id
    assert f'id="contact-{contact_id}"' not in dash.client.get("/delivery").text
    assert dash.post(f"/delivery/contacts/{contact_id}/reachable").status_code == 404
    assert dash.post("/delivery/contacts/999999/reachable").status_code == 404
    assert _contact(dash, "+15552223333").unreachable is True
    assert _audit(dash, "contact_reachable") == []


def test_supervisors_get_403_on_every_delivery_route(dash: Dash) -> None:
    dash.staff(Role.supervisor, "sam")
    ana = dash.person(Role.mentee, "Ana Torres", channel=Channel.sms, address=ANA_PHONE)
    dead = _add_message(dash, ana, ANA_PHONE, status=MessageStatus.dead, attempts=5)
    contact_id = _contact(dash, ANA_PHONE).id
    dash.login("sam")
    assert dash.client.get("/delivery").status_code == 403
    assert dash.post(f"/delivery/messages/{dead}/retry").status_code == 403
    assert dash.post(f"/delivery/contacts/{contact_id}/reachable").status_code == 403
    assert _message(dash, dead).status == MessageStatus.dead


def test_a_notice_is_never_text_from_the_address_bar(sqlite_dash: Dash) -> None:
    _setup(sqlite_dash)
    page = sqlite_dash.client.get("/delivery?done=Call%20this%20number&ref=1")
    assert page.status_code == 200
    assert "Call this number" not in page.text


# ---- senders we stopped answering -------------------------------------------------------------

AWAY = "Auto-reply: I am away from my phone."


def _texts_in(dash: Dash, address: str, body: str, times: int) -> None:
    """`times` SMS from `address`, each its own turn through the runner, 30 s apart."""
    for n in range(times):
        with dash.db() as db:
            handle_inbound(db, {}, channel=Channel.sms.value, address=address, text=body,
                           provider_id=f"SM{address[-4:]}{n:04d}", now=dash.clock())
        dash.clock.advance(seconds=30)


def test_a_sender_that_looks_automated_is_listed_once_for_its_programs_admins(dash: Dash) -> None:
    _setup(dash)
    dash.person(Role.mentee, "Ola Berg", program="Riverside Unit", channel=Channel.sms,
                address="+15559876543")
    with dash.db() as db:  # both agreed to texts
        for contact in db.exec(select(ContactPoint).where(
                col(ContactPoint.channel) == Channel.sms)).all():
            contact.consent_at = dash.clock()
    _texts_in(dash, ANA_PHONE, AWAY, 8)
    _texts_in(dash, "+15559876543", AWAY, 6)  # another program's: not this admin's to see
    _texts_in(dash, "+15550001111", "x", 1)  # a stranger writing once: nothing to list
    with dash.db() as db:  # a stranger's burst: every admin sees it (no program)
        for n in range(12):
            handle_inbound(db, {}, channel=Channel.sms.value, address="+15550002222",
                           text=f"promo {n}", provider_id=f"SMpromo{n}", now=dash.clock())
    assert len(_audit(dash, "sender_looks_automated")) == 3  # once per burst
    page = dash.client.get("/delivery")
    assert page.status_code == 200
    text = html.unescape(page.text)
    section = text[text.index('id="automated-h"'):]
    rows = section.count('class="automated-sender"')
    assert rows == 2
    assert "Ana Torres" in section and mask_address(ANA_PHONE) in section
    assert "sent the same text 5 times within 10 minutes" in section
    assert "unknown sender" in section and mask_address("+15550002222") in section
    assert "sent 11 messages within a minute" in section
    assert "Ola Berg" not in section
    assert ANA_PHONE not in text and AWAY not in text  # never the full number nor the words


def test_no_sender_looked_automated(sqlite_dash: Dash) -> None:
    _setup(sqlite_dash)
    text = sqlite_dash.client.get("/delivery").text
    assert "No sender looked automated in the last 7 days." in text


def test_the_page_leads_with_can_we_reach_people_per_channel(dash: Dash) -> None:
    _, ana = _setup(dash)
    configured = sorted(c.value for c in dash.ctx.channels)
    assert "web" in configured and "sms" not in configured  # the tests' app: no Twilio
    web = Channel.web
    for _ in range(40):
        _add_message(dash, ana, "web-ana", status=MessageStatus.sent, channel=web)
    _add_message(dash, ana, "web-ana", status=MessageStatus.pending, channel=web, attempts=1)
    _add_message(dash, ana, "web-ana", status=MessageStatus.pending, channel=web)
    _add_message(dash, ana, "web-ana", status=MessageStatus.dead, channel=web, attempts=5)
    # Older than 24 h: not counted.
    _add_message(dash, ana, "web-ana", status=MessageStatus.dead, channel=web,
                 age=timedelta(hours=30))
    _add_message(dash, ana, ANA_PHONE, status=MessageStatus.pending)  # SMS, not set up

    text = html.unescape(dash.client.get("/delivery").text)
    reach = text[text.index('<h2 id="reach-h">Can we reach people?</h2>'):]
    assert text.index("Can we reach people?") < text.index("Outbox backlog")
    assert ('<li class="reach-mostly"><strong>Web simulator:</strong> 40 of 43 messages sent '
            'in the last 24 h; 1 waiting to retry; 1 waiting to be sent; 1 could not be '
            'delivered (listed below).</li>') in reach
    assert ('<li class="reach-no"><strong>SMS:</strong> No: SMS is not set up on this '
            'service, and 1 message for it cannot be sent.</li>') in reach
    assert reach.index("Web simulator:") < reach.index("SMS:")  # set-up channels first
