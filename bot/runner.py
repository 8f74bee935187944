"""One conversation turn, one transaction.

Every entry point here takes an open database session and never commits: the caller wraps one
inbound message (or one timer, or one scheduled start) in one transaction, so a turn's session
state, answers, escalations and outgoing messages are stored together or not at all. Messages
are only queued in the outbox here; the sender sends them after commit.

A flow step's result is written by the applier (`bot.turns.applier`), the same one that writes
a group of webhook replies (`bot.reply_turn`) and a scheduled fan-out (`bot.bulk_start`): here
a batch of one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlmodel import Session

# The paths a turn can take; none of them imports this module (tests/test_import_graph.py).
from bot import (
    bulk_start,
    edited_turn,
    reply_turn,
    sender_limits,
    strangers,
    texts,
    unknown_senders,
)
from bot.escalation.commands import handle_staff_text
from bot.policy import DEFAULT_FLOW_FOR_ROLE, STAFF_ROLES, needs_consent
from bot.turns import applier, staff_conversation
from bot.turns.contact_state import mark_reachable, opt_out
from bot.turns.outcome import DEFAULT_MISSED_CHECKINS_FOR_WATCH, InboundResult
from bot.turns.outside_flow import queue_to, screen_outside_flow
from flows.engine import Screen, step
from flows.events import Expire, Reply, StepResult, Timeout
from flows.model import Flow
from flows.parsing import Keyword, parse_keyword, parse_yes_no
from flows.risk import assess
from flows.state import SessionState
from storage.models import (
    CheckinSession,
    ContactPoint,
    Lane,
    Person,
    Program,
    SessionStatus,
)
from storage.queries import audit, messages, people, sessions, staff_conversations


class FlowNotFound(LookupError):
    pass


# ---- starting a check-in ---------------------------------------------------------------------


def start_checkin(
    db: Session,
    flows: dict[str, Flow],
    person: Person,
    flow_id: str,
    contact: ContactPoint,
    now: datetime,
) -> CheckinSession | None:
    """Start `flow_id` for `person` on `contact`; None when they already have an active session,
    the contact can't be used (opted out or unreachable), or an SMS contact has not agreed to
    texts yet (then a consent request is queued instead of any check-in content)."""
    if flow_id not in flows:
        raise FlowNotFound(f"no flow named '{flow_id}' (known: {', '.join(sorted(flows))})")
    program = db.get(Program, person.program_id)
    assert program is not None
    # One start path for one person and for a fan-out of thousands.
    [outcome] = bulk_start.start_many(
        db, flows, [bulk_start.StartRequest(person, program, contact, flow_id)], now)
    return db.get(CheckinSession, outcome.session_id) if outcome.session_id else None


# ---- inbound messages ------------------------------------------------------------------------


def handle_inbound(
    db: Session,
    flows: dict[str, Flow],
    *,
    channel: str,
    address: str,
    text: str,
    provider_id: str | None,
    now: datetime,
    store_unknown: bool = True,
    edited: bool = False,
    missed_checkins_for_watch: int = DEFAULT_MISSED_CHECKINS_FOR_WATCH,
    dashboard_url: str | None = None,
    screen: Screen = assess,
) -> InboundResult:
    """One inbound message's turn. ``store_unknown=False``: a sender who is not enrolled gets
    outcome "unknown_sender" and nothing is written (the channel answers them itself), unless
    their words are urgent (`bot.strangers`). ``edited``: the new text of a message already
    received (a Telegram edit): screened again, never an answer (`bot.edited_turn`).
    ``missed_checkins_for_watch``: the service's setting of that name. ``dashboard_url``: the
    app's public address, for the links in alerts and staff replies (`Settings.dashboard_url`;
    None: no link). ``screen``: the pattern reader the engine runs on a reply (the app's timed
    one when metrics are on)."""
    if edited:
        return edited_turn.handle_edit(db, channel=channel, address=address, text=text,
                                       provider_id=provider_id, now=now,
                                       dashboard_url=dashboard_url)
    # Most messages are replies inside an open check-in: that turn has its own lean path.
    replied = reply_turn.try_reply(db, flows, channel=channel, address=address, text=text,
                                   provider_id=provider_id, now=now,
                                   missed_checkins_for_watch=missed_checkins_for_watch,
                                   dashboard_url=dashboard_url, screen=screen)
    if replied is not None:
        return replied
    found = people.find_contact_with_person(db, channel, address)
    keyword = parse_keyword(text)
    if found is None and keyword is None:
        # A stranger is screened too: words of danger are answered, whoever writes them.
        answered = strangers.answer_stranger_in_crisis(db, channel, address, text, provider_id, now,
                                                       dashboard_url=dashboard_url)
        if answered is not None:
            return answered
    if found is None and not store_unknown:
        return InboundResult("unknown_sender")
    if found is None:
        # Not enrolled: one polite sentence, HELP, or STOP honoured (`bot.unknown_senders`).
        return unknown_senders.answer_unknown_sender(db, channel, address, keyword,
                                                     provider_id, now)
    contact, person, program = found
    assert person.id is not None
    # Staff commands, once staff have agreed to texts (their YES is consent, not a command).
    if (person.role in STAFF_ROLES and not contact.opted_out
            and not needs_consent(contact) and keyword not in (Keyword.STOP, Keyword.START)):
        return _staff_turn(db, contact, person, channel, address, text, provider_id, now,
                           dashboard_url=dashboard_url)
    # The session is read (and row-locked on PostgreSQL) before the inbound row is written, so
    # the inbound row carries its session; a duplicate then changes nothing and returns.
    # Replies of everyone else inside an open check-in were taken by `try_reply` above; what can
    # still reach a session here is staff sending STOP or START during one of their own.
    row = None
    if (person.role in STAFF_ROLES and not contact.opted_out
            and not needs_consent(contact)):
        row = sessions.active_session_for(db, person.id, lock=True)
        if row is not None and row.flow_id not in flows:
            row = None
    # A staff member is talking with them (`bot.turns.staff_conversation`): the message is
    # part of that conversation, kept out of any check-in.
    talking = (person.role not in STAFF_ROLES
               and staff_conversations.open_for(db, person.id, now) is not None)
    inbound_id = messages.insert_inbound(db, channel, address, provider_id, text, person.id, now,
                                         session_id=row.id if row else None,
                                         kind=staff_conversation.REPLY_KIND if talking
                                         else "inbound")
    if inbound_id is None:
        return InboundResult("duplicate")
    if contact.unreachable:
        mark_reachable(db, contact, now)
    # A machine answering our answers gets none (`bot.sender_limits`); danger is still screened
    # and answered below, and a check-in's replies never come this way.
    machine = sender_limits.automated_sender(db, channel, address, now, contact_id=contact.id,
                               person_id=person.id)

    if contact.opted_out:
        if keyword is Keyword.START:
            _opt_in(db, contact, now)
            queue_to(db, contact, person, None, texts.text("started", person.language), "info", now)
            return InboundResult("opted_in", queued=1)
        if keyword is Keyword.HELP:
            if machine or not _help_allowed(db, contact, now):
                return InboundResult("limited")
            queue_to(db, contact, person, None, _help(program, person), "help", now, force=True)
            return InboundResult("help", queued=1)
        # No messages to an opted-out number, but staff still hear about words of danger.
        screen_outside_flow(db, program, person, contact, text, now, reply=False,
                            dashboard_url=dashboard_url)
        return InboundResult("opted_out")

    if needs_consent(contact):
        return _consent_turn(db, flows, program, person, contact, text, keyword, now,
                             machine=machine, dashboard_url=dashboard_url)

    if row is not None:
        flow = flows[row.flow_id]
        result = step(flow, SessionState.from_json(row.context), Reply(text), now, screen=screen)
        queued = _apply_one(db, row, person, program, contact, result, now,
                            missed_checkins_for_watch, dashboard_url).queued
        return InboundResult("reply", row.id, queued)

    # No open check-in (or one that waits while staff talk with them).
    if (answered := _stop_or_help(db, program, person, contact, keyword, now,
                                  machine=machine)) is not None:
        return answered
    if talking and keyword is not Keyword.START:
        return staff_conversation.screen_reply(db, program, person, contact, text, now,
                                               dashboard_url=dashboard_url)
    if keyword is Keyword.START:
        queue_to(db, contact, person, None, texts.text("started", person.language), "info", now)
        return InboundResult("opted_in", queued=1)
    queued = screen_outside_flow(db, program, person, contact, text, now, reply=not machine,
                                 dashboard_url=dashboard_url)
    return InboundResult("no_session" if queued or not machine else "limited", queued=queued)


def _staff_turn(
    db: Session, contact: ContactPoint, person: Person, channel: str, address: str, text: str,
    provider_id: str | None, now: datetime, *, dashboard_url: str | None,
) -> InboundResult:
    """ACK 17 / RESOLVE 17 note / QUEUE / HELP from a supervisor's phone. Deduplicated first,
    so a re-delivered ACK never answers twice; the answer goes on the urgent lane."""
    # A staff command is never read by the semantic screener (its words are not a worry).
    if messages.insert_inbound(db, channel, address, provider_id, text, person.id, now,
                               second_reading=False) is None:
        return InboundResult("duplicate")
    if contact.unreachable:  # so the confirmation of their ACK reaches them
        mark_reachable(db, contact, now)
    # The command acts either way; only its answer is held back from a machine (an out-of-office
    # reply to an alert would otherwise loop with our "not understood" on the urgent lane).
    machine = sender_limits.automated_sender(db, channel, address, now, contact_id=contact.id,
                               person_id=person.id)
    reply = handle_staff_text(db, person, text, now, dashboard_url=dashboard_url)
    if machine:
        return InboundResult("limited")
    queue_to(db, contact, person, None, reply, "staff_reply", now, lane=Lane.urgent)
    return InboundResult("staff", queued=1)


def _stop_or_help(
    db: Session, program: Program, person: Person, contact: ContactPoint,
    keyword: Keyword | None, now: datetime, *, machine: bool,
) -> InboundResult | None:
    """STOP and HELP outside a check-in (inside one, the flow engine answers them). HELP is
    limited per sender (`bot.sender_limits`); STOP is always confirmed."""
    if keyword is Keyword.STOP:
        opt_out(db, contact, now)
        queue_to(db, contact, person, None, texts.text("stopped", person.language), "stopped", now,
               force=True)
        return InboundResult("opted_out", queued=1)
    if keyword is Keyword.HELP:
        if machine or not _help_allowed(db, contact, now):
            return InboundResult("limited")
        queue_to(db, contact, person, None, _help(program, person), "help", now)
        return InboundResult("help", queued=1)
    return None


def _help_allowed(db: Session, contact: ContactPoint, now: datetime) -> bool:
    return sender_limits.help_allowed(db, contact.channel, contact.address, now)


def _consent_turn(
    db: Session, flows: dict[str, Flow], program: Program, person: Person,
    contact: ContactPoint, text: str, keyword: Keyword | None, now: datetime, *,
    machine: bool, dashboard_url: str | None,
) -> InboundResult:
    """A message from an SMS contact that has not said YES yet (``machine``: a sender that
    looks automated is not asked again, `bot.sender_limits`)."""
    if (answered := _stop_or_help(db, program, person, contact, keyword, now,
                                  machine=machine)) is not None:
        return answered
    if keyword is Keyword.START or parse_yes_no(text) is True:
        contact.consent_at = now
        audit.record(db, actor=f"person:{person.id}", action="consent_given",
                     subject_type="contact_point", subject_id=contact.id,
                     detail={"channel": contact.channel}, now=now)
        queued = queue_to(db, contact, person, None, texts.text("consent_thanks", person.language),
                        "info", now)
        flow_id = DEFAULT_FLOW_FOR_ROLE.get(person.role)
        if flow_id in flows:
            row = start_checkin(db, flows, person, flow_id, contact, now)  # type: ignore[arg-type]
            if row is not None:
                queued += 1
        return InboundResult("consent_given", queued=queued)
    # Anything else: danger still reaches staff; then ask again for a clear YES.
    queued = screen_outside_flow(db, program, person, contact, text, now, reply=False,
                                 dashboard_url=dashboard_url)
    if machine:
        return InboundResult("limited", queued=queued)
    request_consent(db, program, person, contact, now)
    return InboundResult("consent_needed", queued=1)


def request_consent(
    db: Session, program: Program, person: Person, contact: ContactPoint, now: datetime
) -> None:
    """Ask an SMS contact for a YES: mentees and mentors for check-ins, staff for alerts."""
    name = person.display_name.split()[0] if person.display_name else ""
    key = "staff_consent_request" if person.role in STAFF_ROLES else "consent_request"
    body = texts.text(key, person.language, name=name, program=program.name)
    queue_to(db, contact, person, None, body, "consent_request", now)


def handle_timer(
    db: Session, flows: dict[str, Flow], row: CheckinSession, kind: Literal["nudge", "expire"],
    turn: int, now: datetime, *,
    missed_checkins_for_watch: int = DEFAULT_MISSED_CHECKINS_FOR_WATCH,
    dashboard_url: str | None = None,
) -> StepResult | None:
    """A nudge or expiry timer fired for `turn`; a stale one changes nothing. A nudge during
    an open staff conversation is put off to its end (`bot.turns.staff_conversation`)."""
    flow = flows.get(row.flow_id)
    person = db.get(Person, row.person_id)
    if flow is None or person is None or row.status != SessionStatus.active:
        return None
    if kind == "nudge" and person.id is not None:
        talking = staff_conversations.open_for(db, person.id, now)
        if talking is not None:
            # A staff member is talking with them: the reminder waits for the conversation's
            # end (an expiry due before that still comes first).
            row.nudge_at = talking.expires_at
            return None
    program = db.get(Program, person.program_id)
    contact = people.find_contact(db, row.channel or "", row.address or "")
    assert program is not None
    event = Timeout(turn) if kind == "nudge" else Expire(turn)
    result = step(flow, SessionState.from_json(row.context), event, now)
    _apply_one(db, row, person, program, contact, result, now, missed_checkins_for_watch,
               dashboard_url)
    return result


# ---- applying a step's result ----------------------------------------------------------------


def _apply_one(
    db: Session, row: CheckinSession, person: Person, program: Program,
    contact: ContactPoint | None, result: StepResult, now: datetime,
    missed_checkins_for_watch: int, dashboard_url: str | None,
) -> applier.Applied:
    """A turn of the general path, through the applier as a batch of one; ``row`` is expired,
    to be read again (the applier writes with Core, not through this ORM object)."""
    assert row.id is not None
    [applied] = applier.apply(
        db, [applier.Turn(applier.Who.of(person, program, contact), row.id, row.flow_id, result)],
        now, missed_checkins_for_watch=missed_checkins_for_watch, dashboard_url=dashboard_url)
    db.expire(row)  # read again when next used
    return applied


def _help(program: Program, person: Person) -> str:
    return program.help_text or texts.text("help", person.language, program=program.name)


def _opt_in(db: Session, contact: ContactPoint, now: datetime) -> None:
    contact.opted_out = False
    contact.opted_out_at = None
    audit.record(db, actor=f"person:{contact.person_id}", action="opted_in",
                 subject_type="contact_point", subject_id=contact.id,
                 detail={"channel": contact.channel}, now=now)
