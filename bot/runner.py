"""One conversation turn, one transaction.

Every entry point here takes an open database session and never commits: the caller wraps one
inbound message (or one timer, or one scheduled start) in one transaction, so a turn's session
state, answers, escalations and outgoing messages are stored together or not at all. Messages
are only queued in the outbox here; the sender sends them after commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlmodel import Session

from bot import crisis_texts, crisis_window, signals, texts
from bot.escalation.alerts import alert_new_escalation
from bot.escalation.commands import handle_staff_text
from bot.policy import DEFAULT_FLOW_FOR_ROLE, STAFF_ROLES, ack_deadline, needs_consent
from bot.sender_limits import automated_sender, help_allowed
from bot.settings import get_settings
from flows.engine import RELATIONSHIP_CATEGORIES, step
from flows.events import (
    AnswerRecorded,
    EscalationRaised,
    EscalationUpdated,
    Expire,
    FlowCompleted,
    OptOutRequested,
    OutMessage,
    Reply,
    SessionExpired,
    SessionStopped,
    StepResult,
    Timeout,
)
from flows.levels import Level
from flows.model import Flow
from flows.parsing import Keyword, parse_keyword, parse_yes_no
from flows.quiet_hours import outside_quiet_hours
from flows.risk import Assessment, assess
from flows.state import SessionState
from flows.subject import about_mentee
from storage.models import (
    CheckinSession,
    ContactPoint,
    Lane,
    Person,
    Program,
    Role,
    SessionStatus,
)
from storage.queries import audit, escalations, messages, people, sessions

Outcome = Literal[
    "duplicate", "unknown_sender", "reply", "no_session", "opted_out", "opted_in", "help",
    "consent_given", "consent_needed", "staff", "ignored", "stranger_crisis",
    # No answer: past a per-sender limit (`bot.sender_limits`).
    "limited",
]


@dataclass(frozen=True)
class InboundResult:
    outcome: Outcome
    session_id: int | None = None
    queued: int = 0  # outgoing messages queued by this turn
    # Whether any of them may be urgent (an alert, a crisis reply). Unknown counts as urgent:
    # it only decides whether the sender's urgent lane looks now or at its next poll.
    urgent: bool = True


class FlowNotFound(LookupError):
    pass


def template_values(
    program: Program, person: Person, language: str | None = None
) -> dict[str, str]:
    """A session's template values and program overrides. ``language`` is the session's (the
    flow's language for the person): the program's crisis texts are chosen for it."""
    values = {"name": person.display_name.split()[0] if person.display_name else "",
              "program": program.name}
    values.update(crisis_texts.flow_values(program, language or person.language))
    if program.help_text:
        values["help_message"] = program.help_text
    return values


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
    # One start path for one person and for a fan-out of thousands (bot/bulk_start.py).
    from bot.bulk_start import StartRequest, start_many

    if flow_id not in flows:
        raise FlowNotFound(f"no flow named '{flow_id}' (known: {', '.join(sorted(flows))})")
    program = db.get(Program, person.program_id)
    assert program is not None
    [outcome] = start_many(db, flows, [StartRequest(person, program, contact, flow_id)], now)
    return db.get(CheckinSession, outcome.session_id) if outcome.session_id else None


# ---- inbound messages ------------------------------------------------------------------------


# How a session ends, by the engine event that ends it.
END_STATUS: dict[type, SessionStatus] = {
    FlowCompleted: SessionStatus.completed,
    SessionExpired: SessionStatus.expired,
    SessionStopped: SessionStatus.stopped,
}


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
    dashboard_url: str | None = None,
) -> InboundResult:
    """One inbound message's turn. ``store_unknown=False``: a sender who is not enrolled gets
    outcome "unknown_sender" and nothing is written (the channel answers them itself), unless
    their words are urgent (`bot.strangers`). ``edited``: the new text of a message already
    received (a Telegram edit): screened again, never an answer (`bot.edited_turn`).
    ``dashboard_url``: the app's public address, for the links in alerts and staff replies
    (`Settings.dashboard_url`; None: no link)."""
    if edited:
        from bot.edited_turn import handle_edit

        return handle_edit(db, channel=channel, address=address, text=text,
                           provider_id=provider_id, now=now, dashboard_url=dashboard_url)
    # Most messages are replies inside an open check-in: that turn has its own lean path.
    from bot.reply_turn import try_reply

    replied = try_reply(db, flows, channel=channel, address=address, text=text,
                        provider_id=provider_id, now=now, dashboard_url=dashboard_url)
    if replied is not None:
        return replied
    found = people.find_contact_with_person(db, channel, address)
    keyword = parse_keyword(text)
    if found is None and keyword is None:
        # A stranger is screened too: words of danger are answered, whoever writes them.
        from bot.strangers import answer_stranger_in_crisis

        answered = answer_stranger_in_crisis(db, channel, address, text, provider_id, now,
                                             dashboard_url=dashboard_url)
        if answered is not None:
            return answered
    if found is None and not store_unknown:
        return InboundResult("unknown_sender")
    if found is None:
        # Not enrolled: one polite sentence, HELP, or STOP honoured (`bot.unknown_senders`).
        from bot.unknown_senders import answer_unknown_sender

        return answer_unknown_sender(db, channel, address, keyword, provider_id, now)
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
    inbound_id = messages.insert_inbound(db, channel, address, provider_id, text, person.id, now,
                                         session_id=row.id if row else None)
    if inbound_id is None:
        return InboundResult("duplicate")
    if contact.unreachable:
        mark_reachable(db, contact, now)
    # A machine answering our answers gets none (`bot.sender_limits`); danger is still screened
    # and answered below, and a check-in's replies never come this way.
    machine = automated_sender(db, channel, address, now, contact_id=contact.id,
                               person_id=person.id)

    if contact.opted_out:
        if keyword is Keyword.START:
            _opt_in(db, contact, now)
            _queue(db, contact, person, None, texts.text("started", person.language), "info", now)
            return InboundResult("opted_in", queued=1)
        if keyword is Keyword.HELP:
            if machine or not _help_allowed(db, contact, now):
                return InboundResult("limited")
            _queue(db, contact, person, None, _help(program, person), "help", now, force=True)
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
        result = step(flow, SessionState.from_json(row.context), Reply(text), now)
        queued = _apply(db, row, person, program, contact, result, now,
                        dashboard_url=dashboard_url)
        return InboundResult("reply", row.id, queued)

    # No open check-in.
    if (answered := _stop_or_help(db, program, person, contact, keyword, now,
                                  machine=machine)) is not None:
        return answered
    if keyword is Keyword.START:
        _queue(db, contact, person, None, texts.text("started", person.language), "info", now)
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
    machine = automated_sender(db, channel, address, now, contact_id=contact.id,
                               person_id=person.id)
    reply = handle_staff_text(db, person, text, now, dashboard_url=dashboard_url)
    if machine:
        return InboundResult("limited")
    _queue(db, contact, person, None, reply, "staff_reply", now, lane=Lane.urgent)
    return InboundResult("staff", queued=1)


def _stop_or_help(
    db: Session, program: Program, person: Person, contact: ContactPoint,
    keyword: Keyword | None, now: datetime, *, machine: bool,
) -> InboundResult | None:
    """STOP and HELP outside a check-in (inside one, the flow engine answers them). HELP is
    limited per sender (`bot.sender_limits`); STOP is always confirmed."""
    if keyword is Keyword.STOP:
        _opt_out(db, contact, now)
        _queue(db, contact, person, None, texts.text("stopped", person.language), "stopped", now,
               force=True)
        return InboundResult("opted_out", queued=1)
    if keyword is Keyword.HELP:
        if machine or not _help_allowed(db, contact, now):
            return InboundResult("limited")
        _queue(db, contact, person, None, _help(program, person), "help", now)
        return InboundResult("help", queued=1)
    return None


def _help_allowed(db: Session, contact: ContactPoint, now: datetime) -> bool:
    return help_allowed(db, contact.channel, contact.address, now)


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
        queued = _queue(db, contact, person, None, texts.text("consent_thanks", person.language),
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
    _queue(db, contact, person, None, body, "consent_request", now)


def handle_timer(
    db: Session, flows: dict[str, Flow], row: CheckinSession, kind: Literal["nudge", "expire"],
    turn: int, now: datetime, *, dashboard_url: str | None = None,
) -> StepResult | None:
    """A nudge or expiry timer fired for `turn`; a stale one changes nothing."""
    flow = flows.get(row.flow_id)
    person = db.get(Person, row.person_id)
    if flow is None or person is None or row.status != SessionStatus.active:
        return None
    program = db.get(Program, person.program_id)
    contact = people.find_contact(db, row.channel or "", row.address or "")
    assert program is not None
    event = Timeout(turn) if kind == "nudge" else Expire(turn)
    result = step(flow, SessionState.from_json(row.context), event, now)
    _apply(db, row, person, program, contact, result, now, dashboard_url=dashboard_url)
    return result


# ---- applying a step's result ----------------------------------------------------------------


def _apply(
    db: Session,
    row: CheckinSession,
    person: Person,
    program: Program,
    contact: ContactPoint | None,
    result: StepResult,
    now: datetime,
    *,
    dashboard_url: str | None,
) -> int:
    assert row.id is not None and person.id is not None
    state = result.state
    row.context = state.to_json()
    row.current_state = state.current
    row.turn = state.turn
    row.updated_at = now
    row.nudge_at = (nudge_time(result.wait.nudge_at, person.timezone or program.timezone,
                               program.quiet_start, program.quiet_end)
                    if result.wait else None)
    row.expire_at = result.wait.expire_at if result.wait else None
    for event in result.events:
        if isinstance(event, AnswerRecorded):
            value = answer_value(event)
            sessions.add_answer(db, session_id=row.id, person_id=person.id, key=event.key,
                                raw_text=event.raw, value=value, status=event.status, now=now,
                                flush=False)
            if event.status == "answered":
                signals.after_answer(db, program, person, row, event.key, value, now)
        elif isinstance(event, EscalationRaised | EscalationUpdated):
            escalate_finding(db, program, person, row.id, event, now,
                             dashboard_url=dashboard_url)
        elif isinstance(event, OptOutRequested) and contact is not None:
            _opt_out(db, contact, now)
        elif isinstance(event, FlowCompleted | SessionExpired | SessionStopped):
            row.status = END_STATUS[type(event)]
            row.ended_at = now
            audit.record(db, actor="system", action=f"session_{row.status.value}",
                         subject_type="checkin_session", subject_id=row.id,
                         detail={"flow": row.flow_id}, now=now)
            signals.after_session_ended(
                db, program, person, row, now,
                default_n=get_settings().missed_checkins_for_watch,
            )
    if contact is None:
        return 0
    queued = 0
    for msg in crisis_window.fold(db, person.id, result.messages, now):
        queued += _queue_out(db, contact, person, row.id, msg, now)
    return queued


def answer_value(event: AnswerRecorded) -> bool | int | str | None:
    """What an answer stores: a number, yes/no or text; anything else (a choice list) none."""
    return event.value if isinstance(event.value, bool | int | str) else None


def nudge_time(
    nudge_at: datetime | None, timezone: str, quiet_start: str, quiet_end: str
) -> datetime | None:
    """A nudge is a routine send: one that would land in the person's quiet hours (their
    timezone, else the program's) waits for the morning."""
    if nudge_at is None:
        return None
    return outside_quiet_hours(nudge_at, timezone, quiet_start, quiet_end)


def _queue_out(
    db: Session, contact: ContactPoint, person: Person, session_id: int | None, msg: OutMessage,
    now: datetime,
) -> int:
    # The STOP confirmation is the one message a number that just opted out still gets.
    force = msg.kind == "stopped"
    lane = Lane.urgent if msg.urgent else Lane.routine
    return _queue(db, contact, person, session_id, msg.text, msg.kind, now, lane=lane, force=force)


def _queue(
    db: Session, contact: ContactPoint, person: Person, session_id: int | None, body: str,
    kind: str, now: datetime, *, lane: Lane = Lane.routine, force: bool = False,
) -> int:
    if (contact.opted_out or contact.unreachable) and not force:
        return 0
    messages.enqueue_outbound(db, channel=contact.channel, address=contact.address, body=body,
                              kind=kind, lane=lane, person_id=person.id, session_id=session_id,
                              now=now, flush=False)
    return 1


def _help(program: Program, person: Person) -> str:
    return program.help_text or texts.text("help", person.language, program=program.name)


def escalate_finding(
    db: Session, program: Program, person: Person, session_id: int | None,
    event: EscalationRaised | EscalationUpdated, now: datetime, *, dashboard_url: str | None,
) -> None:
    """An engine finding: raised at its own level, merged into the open escalation of the
    level it joins (see storage/queries/escalations.py)."""
    _escalate(db, program, person, session_id, event.finding_level or event.level,
              event.reasons, event.evidence, event.about_mentor, now, joins=event.level,
              about_mentee=event.about_mentee, dashboard_url=dashboard_url)


NO_ACTIVE_MENTEE = "no_active_mentee"


def _escalate(
    db: Session, program: Program, person: Person, session_id: int | None, level: str,
    reasons: tuple[str, ...], evidence: tuple[str, ...], about_mentor: bool, now: datetime,
    *, joins: str | None = None, about_mentee: bool = False,
    audit_extra: dict[str, object] | None = None, dashboard_url: str | None,
) -> int:
    """Raise (or merge) an escalation about `person`; a mentor's worry (`about_mentee`) is
    about each of their active mentees instead, with the mentor as the reporter. A mentor with
    no active mentee keeps it, and the reasons say so. ``audit_extra``: more for the audit
    detail (never words). Returns the alerts queued."""
    assert program.id is not None and person.id is not None
    subjects: list[tuple[Person, int | None]] = [(person, None)]
    if about_mentee and person.role == Role.mentor:
        mentees = people.mentees_of(db, person.id, now)
        if mentees:
            subjects = [(mentee, person.id) for mentee in mentees]
        else:
            reasons = (*reasons, NO_ACTIVE_MENTEE)
    alerts = 0
    for subject, reported_by in subjects:
        assert subject.id is not None
        about_mentor_id = None
        if about_mentor and subject.role == Role.mentee:
            mentors = people.mentors_of(db, subject.id, now)
            about_mentor_id = mentors[0].id if mentors else None
        esc, created = escalations.add_or_merge_escalation(
            db, program_id=program.id, person_id=subject.id, session_id=session_id,
            level=level, joins=joins, reasons=reasons, evidence=evidence, now=now,
            due_at=ack_deadline(program, level, now), about_mentor_id=about_mentor_id,
            reported_by=reported_by,
        )
        # The audit trail records what happened, never the person's words.
        detail: dict[str, object] = {"level": esc.level, "reasons": list(reasons)}
        if reported_by is not None:
            detail["reported_by"] = reported_by
        detail.update(audit_extra or {})
        audit.record(db, actor="system",
                     action="escalation_raised" if created else "escalation_merged",
                     subject_type="escalation", subject_id=esc.id, detail=detail, now=now)
        if created:
            # Same transaction: the escalation and its alerts (urgent lane) exist together or
            # not at all, so an escalation can never sit unannounced.
            alerts += alert_new_escalation(db, esc, program, now, dashboard_url=dashboard_url)
    return alerts


def escalate_second_reading(
    db: Session, program: Program, person: Person, session_id: int | None, level: str,
    reasons: tuple[str, ...], evidence: tuple[str, ...], now: datetime, *,
    about_mentee: bool, audit_extra: dict[str, object], dashboard_url: str | None = None,
) -> int:
    """A finding made after the turn committed (the semantic reader, ``bot.jobs.semantic``),
    routed as a turn's finding is: same merge, audit and alerts, a mentor's worry about their
    mentees. Returns the alerts queued."""
    return _escalate(db, program, person, session_id, level, reasons, evidence, False, now,
                     about_mentee=about_mentee, audit_extra=audit_extra,
                     dashboard_url=dashboard_url)


def screen_outside_flow(
    db: Session, program: Program, person: Person, contact: ContactPoint, text: str,
    now: datetime, *, reply: bool, found: Assessment | None = None, dashboard_url: str | None,
) -> int:
    """A message with no open check-in is still screened: danger reaches staff, always.
    ``found``: the screening of ``text``, when the caller has it already."""
    if found is None:
        found = assess(text, person.language)
    queued = 0
    if found.level is not Level.NONE:
        about = bool(RELATIONSHIP_CATEGORIES & set(found.categories))
        mentee = person.role == Role.mentor and about_mentee(found.categories, text)
        _escalate(db, program, person, None, found.level.value, found.categories, found.evidence,
                  about, now, about_mentee=mentee, dashboard_url=dashboard_url)
        if found.level is Level.URGENT:
            body = crisis_texts.crisis_reply(program, person.language)
            assert person.id is not None
            [said] = crisis_window.fold(db, person.id, [OutMessage(
                body, "crisis", urgent=True,
                folded=texts.text("disclosure_thanks", person.language))], now)
            # An opted-out number gets nothing, not even this: staff reach out in person.
            queued += _queue(db, contact, person, None, said.text, said.kind, now,
                             lane=Lane.urgent)
    if reply:
        queued += _queue(db, contact, person, None, texts.text("no_open_checkin", person.language),
                         "info", now)
    return queued


def mark_reachable(db: Session, contact: ContactPoint, now: datetime) -> None:
    """A message from a contact marked unreachable proves it reachable again: clear the mark
    (audited, as the dashboard's "mark reachable" is), so this turn's reply, a crisis message,
    a staff confirmation and later alerts go out. The mark came from one failed delivery (a
    phone switched off: Twilio 30003; a Telegram block since lifted); this is fresher news.
    Callers check ``contact.unreachable`` first, on the row the turn already loaded."""
    reason = contact.unreachable_reason
    contact.unreachable = False
    contact.unreachable_reason = None
    audit.record(db, actor=f"person:{contact.person_id}", action="contact_reachable",
                 subject_type="contact_point", subject_id=contact.id,
                 detail={"person_id": contact.person_id, "channel": str(contact.channel),
                         "previous_reason": reason or "", "by": "inbound_message"}, now=now)


def _opt_out(db: Session, contact: ContactPoint, now: datetime) -> None:
    contact.opted_out = True
    contact.opted_out_at = now
    cancelled = messages.cancel_pending_to(db, contact.channel, contact.address, now)
    audit.record(db, actor=f"person:{contact.person_id}", action="opted_out",
                 subject_type="contact_point", subject_id=contact.id,
                 detail={"channel": contact.channel, "cancelled": cancelled}, now=now)


def _opt_in(db: Session, contact: ContactPoint, now: datetime) -> None:
    contact.opted_out = False
    contact.opted_out_at = None
    audit.record(db, actor=f"person:{contact.person_id}", action="opted_in",
                 subject_type="contact_point", subject_id=contact.id,
                 detail={"channel": contact.channel}, now=now)
