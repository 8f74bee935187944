"""The tables.  Plain SQLModel classes; the query functions live in ``storage.queries``.

Conventions:
- integer autoincrement primary keys named ``id``;
- every datetime is timezone-aware and stored in UTC (``UTCDateTime``); naive ones are refused;
- enumerations are ``StrEnum`` classes stored as plain VARCHAR (``StrEnumType``), no DB enums;
- JSON columns are ``JSON`` (``JSONB`` on PostgreSQL) with mutation tracking, so
  ``program.settings["x"] = 1`` is saved like a reassignment would be;
- ``created_at``/``updated_at`` default to the database clock when the caller passes no value
  (the application clock lives in ``bot/``; query helpers pass ``now`` explicitly);
- constraint and index names come from ``NAMING_CONVENTION`` so migrations are deterministic.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Index, UniqueConstraint, event, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.mutable import MutableDict, MutableList
from sqlalchemy.types import TypeEngine
from sqlmodel import Field, SQLModel

from storage.crypto import EncryptedJSON, EncryptedText
from storage.types import StrEnumType, UTCDateTime

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION


# --- column helpers --------------------------------------------------------------------------


def _json() -> TypeEngine[Any]:
    return JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")


def _json_dict() -> TypeEngine[Any]:
    return MutableDict.as_mutable(_json())


def _json_list() -> TypeEngine[Any]:
    return MutableList.as_mutable(_json())


# People's words (storage/crypto.py): encrypted when DATA_KEYS is set, same column types.
# Each value is bound to its "table.column": copied into another column, it does not open.
def _words(column: str) -> Any:
    return Field(default=None, sa_type=EncryptedText(column), nullable=True)


def _sealed_json(column: str) -> TypeEngine[Any]:
    return EncryptedJSON(column)


def _when(*, nullable: bool = False, index: bool = False) -> Any:
    """A UTC timestamp column the caller must set (or None when ``nullable``)."""
    return Field(default=None, sa_type=UTCDateTime(), nullable=nullable, index=index)


def _stamp() -> Any:
    """created_at/updated_at: set by the caller, else the database clock at INSERT."""
    return Field(
        default=None,
        sa_type=UTCDateTime(),
        nullable=False,
        sa_column_kwargs={"server_default": func.now()},
    )


def _fk(target: str, *, nullable: bool = False, index: bool = True) -> Any:
    return Field(default=None, foreign_key=target, nullable=nullable, index=index)


# --- enumerations ----------------------------------------------------------------------------


class Role(StrEnum):
    mentee = "mentee"
    mentor = "mentor"
    supervisor = "supervisor"
    admin = "admin"


class PersonStatus(StrEnum):
    active = "active"
    paused = "paused"
    exited = "exited"


class Channel(StrEnum):
    """The built-in channels. A channel package may add its own name (`add_channel`): it is
    then stored, read back and compared like these, with no change here and no migration (the
    column is a VARCHAR(16))."""

    sms = "sms"
    telegram = "telegram"
    web = "web"
    terminal = "terminal"

    @classmethod
    def _missing_(cls, value: object) -> Channel | None:
        return _ADDED_CHANNELS.get(value) if isinstance(value, str) else None


_ADDED_CHANNELS: dict[str, Channel] = {}
_CHANNEL_NAME = re.compile(r"[a-z][a-z0-9_]{0,15}")


def add_channel(name: str) -> Channel:
    """The `Channel` called ``name``, made if it is not one yet: a channel package calls this
    once, at import. Anything else (a typo in a setting, a row) still fails `Channel(name)`.
    Lower-case letters, digits and "_", at most 16 (the column's width)."""
    try:
        return Channel(name)
    except ValueError:
        pass
    if not _CHANNEL_NAME.fullmatch(name):
        raise ValueError(f"a channel name is 1-16 of a-z, 0-9 and _, starting with a letter: "
                         f"{name!r}")
    # As `enum.Flag` makes its pseudo-members: an instance of the class that is not a member,
    # so iterating `Channel` still lists only the built-in channels.
    channel = str.__new__(Channel, name)
    channel._name_ = name
    channel._value_ = name
    _ADDED_CHANNELS[name] = channel
    return channel


class SessionStatus(StrEnum):
    active = "active"
    completed = "completed"
    expired = "expired"
    stopped = "stopped"


class Direction(StrEnum):
    inbound = "inbound"
    outbound = "outbound"


class MessageStatus(StrEnum):
    received = "received"
    pending = "pending"
    sending = "sending"
    sent = "sent"
    delivered = "delivered"
    undelivered = "undelivered"
    failed = "failed"
    dead = "dead"
    cancelled = "cancelled"


class Lane(StrEnum):
    urgent = "urgent"
    routine = "routine"

    @property
    def priority(self) -> int:
        """Value of ``Message.priority`` for this lane: lower is sent first."""
        return LANE_PRIORITY[self]


LANE_PRIORITY: dict[Lane, int] = {Lane.urgent: 0, Lane.routine: 1}


class EscalationStatus(StrEnum):
    open = "open"
    acknowledged = "acknowledged"
    resolved = "resolved"


class AlertStatus(StrEnum):
    """Where an escalation's alerts stand: ``queued`` (on their way), ``sent`` (a provider took
    one), ``not_alerted`` (the latest round reached nobody: no usable contact, or every alert
    failed with nobody left to try). None: no alert round yet (watch items go in a digest)."""

    queued = "queued"
    sent = "sent"
    not_alerted = "not_alerted"


# --- programs and people ---------------------------------------------------------------------


class ProgramBase(SQLModel):
    name: str = Field(unique=True)
    timezone: str = "America/New_York"
    quiet_start: str = "21:00"
    quiet_end: str = "08:00"
    help_text: str | None = None
    # Small per-program options (ack_minutes, alert_detail, digest_hour, retention_days, and
    # the crisis texts per language: "crisis_message" and "staff_told", {language: text}).
    settings: dict[str, Any] = Field(default_factory=dict, sa_type=_json_dict())


class Program(ProgramBase, table=True):
    __tablename__ = "program"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = _stamp()
    # The key outbound webhooks are signed with (`bot.channels.webhook`): a secret, sealed at
    # rest like people's words. The URL and the opt-ins are in ``settings``.
    webhook_secret: str | None = _words("program.webhook_secret")


class PersonBase(SQLModel):
    program_id: int = _fk("program.id")
    role: Role = Field(sa_type=StrEnumType(Role, 16))
    display_name: str
    language: str = "en"
    timezone: str | None = None  # None: the program's timezone
    status: PersonStatus = Field(default=PersonStatus.active, sa_type=StrEnumType(PersonStatus))


class Person(PersonBase, table=True):
    __tablename__ = "person"
    # Who is on call is a lookup by (program, role) among every mentee of the program: every
    # alert round and every /healthz poll makes a few.
    __table_args__ = (Index("ix_person_program_role", "program_id", "role"),)

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = _stamp()
    # The newest of this person's inbound messages that staff have seen on their page: later
    # ones outside a check-in count as unread in the queue.
    staff_seen_message_id: int | None = None


class ContactPoint(SQLModel, table=True):
    """How to reach a person on one channel (a phone number, a Telegram chat id, ...)."""

    __tablename__ = "contact_point"
    __table_args__ = (UniqueConstraint("channel", "address"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = _fk("person.id")
    channel: Channel = Field(sa_type=StrEnumType(Channel))
    address: str  # E.164 for sms, chat id for telegram, person id for web/terminal
    opted_out: bool = False
    opted_out_at: datetime | None = _when(nullable=True)
    consent_at: datetime | None = _when(nullable=True)
    unreachable: bool = False
    unreachable_reason: str | None = None
    created_at: datetime = _stamp()


class Pairing(SQLModel, table=True):
    __tablename__ = "pairing"

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = _fk("program.id")
    mentor_id: int = _fk("person.id")
    mentee_id: int = _fk("person.id")
    active_from: datetime = _when()
    active_until: datetime | None = _when(nullable=True)


class InviteCode(SQLModel, table=True):
    """A one-time code that binds a chat (e.g. Telegram ``/start <code>``) to a person."""

    __tablename__ = "invite_code"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = _fk("person.id")
    code: str = Field(unique=True)
    expires_at: datetime = _when()
    used_at: datetime | None = _when(nullable=True)
    created_at: datetime = _stamp()


# --- check-ins -------------------------------------------------------------------------------


class Schedule(SQLModel, table=True):
    __tablename__ = "schedule"
    __table_args__ = (UniqueConstraint("person_id", "flow_id"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = _fk("person.id")
    flow_id: str
    rule: str  # RFC 5545 RRULE text
    timezone: str
    next_due_at: datetime = _when(index=True)
    paused: bool = False
    last_started_at: datetime | None = _when(nullable=True)
    created_at: datetime = _stamp()


class CheckinSession(SQLModel, table=True):
    """One running (or finished) conversation of a flow with one person."""

    __tablename__ = "checkin_session"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = _fk("person.id")
    flow_id: str
    flow_version: int = 1
    current_state: str | None = None
    turn: int = 0
    # The flow's state, free-text answers included: encrypted like them.
    context: dict[str, Any] = Field(
        default_factory=dict,
        sa_type=MutableDict.as_mutable(_sealed_json("checkin_session.context")))
    status: SessionStatus = Field(
        default=SessionStatus.active, sa_type=StrEnumType(SessionStatus), index=True
    )
    language: str = "en"
    channel: str | None = None
    address: str | None = None
    started_at: datetime = _when()
    updated_at: datetime = _stamp()
    ended_at: datetime | None = _when(nullable=True)
    nudge_at: datetime | None = _when(nullable=True, index=True)
    expire_at: datetime | None = _when(nullable=True, index=True)


class Answer(SQLModel, table=True):
    __tablename__ = "answer"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = _fk("checkin_session.id")
    person_id: int = _fk("person.id")
    key: str
    raw_text: str | None = _words("answer.raw_text")
    value: int | bool | str | None = Field(default=None, sa_type=_sealed_json("answer.value"))
    value_num: float | None = None  # numeric answers, for trends
    status: str = "answered"  # answered / unanswered / skipped
    created_at: datetime = _stamp()


# --- messages --------------------------------------------------------------------------------


# Rows the semantic screening job has yet to deal with (the predicate of a partial index; the
# job's query repeats it word for word so SQLite can use the index).
SEMANTIC_UNSCREENED = "direction = 'inbound' AND semantic_screened_at IS NULL"
# The predicates of the message table's two other partial indexes (see Message).
PROVIDER_ID_SET = "provider_id IS NOT NULL"
ESCALATION_SET = "escalation_id IS NOT NULL"


class Message(SQLModel, table=True):
    """Every inbound and outbound message; outbound rows are the outbox."""

    __tablename__ = "message"
    __table_args__ = (
        # A provider's message id is seen once per direction and channel (a redelivered webhook
        # is a duplicate). Partial: outbound rows have no provider id until they are sent, and
        # a fan-out of 100,000 check-ins should not write 100,000 NULL entries here.
        Index("uq_message_direction_channel_provider_id", "direction", "channel", "provider_id",
              unique=True, sqlite_where=text(PROVIDER_ID_SET),
              postgresql_where=text(PROVIDER_ID_SET)),
        Index("ix_message_outbox", "status", "priority", "next_attempt_at"),
        Index("ix_message_channel_address_status", "channel", "address", "status"),
        # The semantic screening job's work list: inbound rows it has not read yet. Partial, so
        # it holds only the last few seconds' replies, never the whole history.
        Index("ix_message_semantic_unscreened", "id",
              sqlite_where=text(SEMANTIC_UNSCREENED), postgresql_where=text(SEMANTIC_UNSCREENED)),
        # Alerts are looked up by their escalation; every other row has none, so the index holds
        # only alerts.
        Index("ix_message_escalation_id", "escalation_id",
              sqlite_where=text(ESCALATION_SET), postgresql_where=text(ESCALATION_SET)),
    )

    id: int | None = Field(default=None, primary_key=True)
    direction: Direction = Field(sa_type=StrEnumType(Direction))
    channel: Channel = Field(sa_type=StrEnumType(Channel))
    address: str
    person_id: int | None = _fk("person.id", nullable=True)
    session_id: int | None = _fk("checkin_session.id", nullable=True)
    # The escalation an alert is about (no foreign key: message rows come first in the schema,
    # and alerts are looked up by this column only for failover and the audit trail).
    escalation_id: int | None = None  # indexed where set: ix_message_escalation_id
    provider_id: str | None = None
    body: str | None = _words("message.body")  # erased by retention
    kind: str  # question, reply, reprompt, nudge, crisis, closing, info, alert, inbound, ...
    status: MessageStatus = Field(sa_type=StrEnumType(MessageStatus))
    lane: Lane = Field(default=Lane.routine, sa_type=StrEnumType(Lane))
    priority: int = LANE_PRIORITY[Lane.routine]  # 0 urgent, 1 routine: ORDER BY priority
    attempts: int = 0
    # No index of its own: the claim reads it through ix_message_outbox (status, priority, it).
    next_attempt_at: datetime | None = _when(nullable=True)
    lease_until: datetime | None = _when(nullable=True)
    last_error: str | None = None
    created_at: datetime = _stamp()
    sent_at: datetime | None = _when(nullable=True)
    updated_at: datetime = _stamp()
    # The semantic second reader (bot/jobs/semantic.py), inbound rows only: when the job dealt
    # with the row (read it, or passed it over as too short, staff, or already flagged) and the
    # score it gave (NULL when it did not read it). NULL ``semantic_screened_at``: not yet.
    semantic_screened_at: datetime | None = _when(nullable=True)
    semantic_score: float | None = None
    # Outbound rows: the id of the request (a webhook) whose turn queued them, so the sender's
    # log lines carry it however much later, on whichever instance, the row is sent. NULL for
    # what no request caused (scheduled check-ins, re-alerts, the CLI).
    request_id: str | None = Field(default=None, max_length=64)


@event.listens_for(Message, "before_insert")
@event.listens_for(Message, "before_update")
def _priority_follows_lane(_mapper: Any, _connection: Any, target: Message) -> None:
    """Keep ``priority`` derived from ``lane`` so an urgent row can never sort as routine."""
    target.priority = LANE_PRIORITY[Lane(target.lane)]


# --- escalations and audit -------------------------------------------------------------------


# One OPEN escalation per (check-in session, person it is about, level): findings merge into it
# only while nobody has acted on it; acknowledged and resolved ones are history, and a new
# finding after them is a new row (storage/queries/escalations.py).
ESCALATION_OPEN = text("status = 'open'")


class Escalation(SQLModel, table=True):
    """Something staff must look at, about one person, or about an unknown sender.

    An unknown sender (a number or Telegram chat not enrolled anywhere, writing words of
    danger) has ``person_id`` None and ``sender_channel``/``sender_address`` set; an enrolled
    person has ``person_id`` and no sender. Why not a placeholder Person of role "unknown":
    persons are enumerated by far more code than escalations are (people lists, schedules,
    the simulator, imports, reports, retention, consent), and each would need to skip it; a
    placeholder would need the stranger's address as a ContactPoint, which is what makes a
    sender "enrolled"; and one placeholder per program would merge different strangers into
    one person. The readers of an escalation's subject are few and already tolerate a missing
    person (routing finds no pairing and no subject to exclude, alerts and the queue show
    "unknown sender"); the escalation page shows the address to admins only.
    """

    __tablename__ = "escalation"
    __table_args__ = (
        Index("uq_escalation_open_session_person_level", "session_id", "person_id", "level",
              unique=True, sqlite_where=ESCALATION_OPEN, postgresql_where=ESCALATION_OPEN),
        CheckConstraint("person_id IS NOT NULL OR sender_address IS NOT NULL",
                        name="has_subject"),
    )

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = _fk("program.id")
    person_id: int | None = _fk("person.id", nullable=True)  # who it is about; None: a stranger
    sender_channel: str | None = Field(default=None, max_length=16)  # a stranger's channel
    sender_address: str | None = None  # a stranger's number / chat id (admins see it)
    session_id: int | None = _fk("checkin_session.id", nullable=True, index=False)
    level: str = Field(max_length=16)  # urgent / concern / watch
    reasons: list[str] = Field(default_factory=list, sa_type=_json_list())
    evidence: list[str] = Field(  # erased by retention once resolved
        default_factory=list,
        sa_type=MutableList.as_mutable(_sealed_json("escalation.evidence")))
    status: EscalationStatus = Field(
        default=EscalationStatus.open, sa_type=StrEnumType(EscalationStatus), index=True
    )
    raised_at: datetime = _when()
    due_at: datetime = _when()  # acknowledgement deadline
    acknowledged_by: int | None = _fk("person.id", nullable=True, index=False)
    acknowledged_at: datetime | None = _when(nullable=True)
    resolved_by: int | None = _fk("person.id", nullable=True, index=False)
    resolved_at: datetime | None = _when(nullable=True)
    resolution_note: str | None = None
    reopened_at: datetime | None = _when(nullable=True)
    about_mentor_id: int | None = _fk("person.id", nullable=True, index=False)
    # Who told us, when it is not the person it is about (a mentor worried about their mentee).
    reported_by: int | None = _fk("person.id", nullable=True, index=False)
    # Alerting: how many alert rounds went out, when the next re-alert is due (None once
    # acknowledged), and when the backup list was brought in.
    alert_round: int = 0
    next_alert_at: datetime | None = _when(nullable=True, index=True)
    backup_alerted_at: datetime | None = _when(nullable=True)
    alert_status: AlertStatus | None = Field(default=None, sa_type=StrEnumType(AlertStatus),
                                             nullable=True)
    # Casework (bot/escalation/casework.py): who owns it (acknowledging makes you the owner;
    # reassigning hands it on), when its owner means to look again (the follow-up job alerts
    # them once: ``follow_up_alerted_at``), and the program's outcome chosen when resolving.
    owner_id: int | None = _fk("person.id", nullable=True, index=False)
    follow_up_at: datetime | None = _when(nullable=True, index=True)
    follow_up_alerted_at: datetime | None = _when(nullable=True)
    outcome: str | None = Field(default=None, max_length=80)
    updated_at: datetime = _stamp()


class EscalationNote(SQLModel, table=True):
    """A staff member's internal note on an escalation: never sent to anyone, shown only on the
    escalation page (staff of its program without a conflict of interest). The text is sealed
    at rest like the mentee's words (it often holds them)."""

    __tablename__ = "escalation_note"

    id: int | None = Field(default=None, primary_key=True)
    escalation_id: int = _fk("escalation.id")
    author_id: int = _fk("person.id", index=False)
    created_at: datetime = _when()
    body: str | None = _words("escalation_note.body")  # None: erased


class RotaList(StrEnum):
    oncall = "oncall"
    backup = "backup"


class OnCallShift(SQLModel, table=True):
    """A weekly rota line: this supervisor is on the on-call (or backup) list on `weekday`
    (0 Monday … 6 Sunday; None every day) from `start` to `end` local time (equal: all day;
    end before start: through midnight). A program with no shifts treats every active
    supervisor as on call, so alerts never go nowhere."""

    __tablename__ = "on_call_shift"

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = _fk("program.id")
    person_id: int = _fk("person.id")
    list: RotaList = Field(default=RotaList.oncall, sa_type=StrEnumType(RotaList))
    weekday: int | None = None
    start: str = "00:00"
    end: str = "00:00"
    created_at: datetime = _stamp()


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_subject", "subject_type", "subject_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _when(index=True)
    actor: str  # "system", "person:5", "cli"
    action: str
    subject_type: str
    subject_id: int | None = None
    detail: dict[str, Any] = Field(default_factory=dict, sa_type=_json_dict())


# --- staff conversations ---------------------------------------------------------------------


class StaffConversation(SQLModel, table=True):
    """A conversation a staff member opened with a mentee from the dashboard (a reply to them).

    While it is open, the mentee's messages are part of it: kept in their history and screened
    for danger as always, but never read as a check-in answer or a command
    (`bot.turns.staff_conversation`). It is open until staff close it or until ``expires_at``
    (a set time after the last staff message, `bot.staff_messages.CONVERSATION_OPEN_FOR`);
    a later staff message after either opens a new one."""

    __tablename__ = "staff_conversation"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = _fk("person.id")  # the mentee
    program_id: int = _fk("program.id", index=False)
    opened_by: int = _fk("person.id", index=False)  # the staff member who sent the first
    opened_at: datetime = _when()
    last_staff_message_at: datetime = _when()
    expires_at: datetime = _when()
    closed_at: datetime | None = _when(nullable=True)
    closed_by: int | None = _fk("person.id", nullable=True, index=False)


# --- dashboard accounts ----------------------------------------------------------------------


class StaffAccount(SQLModel, table=True):
    """A dashboard login for a supervisor or admin (mentors and mentees never have one). The
    role and programs come from the linked person, so pausing the person closes the door."""

    __tablename__ = "staff_account"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", unique=True)
    username: str = Field(unique=True)  # stored lower-case
    password_hash: str  # argon2id, never the password
    failed_logins: int = 0  # in a row; reset by a good login
    last_failed_at: datetime | None = _when(nullable=True)
    last_login_at: datetime | None = _when(nullable=True)
    created_at: datetime = _stamp()


class WebSession(SQLModel, table=True):
    """A logged-in browser. Only the SHA-256 of the cookie value is stored, so a copy of the
    database does not log anyone in."""

    __tablename__ = "web_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True)
    account_id: int = _fk("staff_account.id")
    csrf_token: str
    created_at: datetime = _when()
    last_seen_at: datetime = _when()


__all__ = [
    "LANE_PRIORITY",
    "NAMING_CONVENTION",
    "Answer",
    "AuditEvent",
    "Channel",
    "CheckinSession",
    "ContactPoint",
    "Direction",
    "Escalation",
    "EscalationStatus",
    "InviteCode",
    "Lane",
    "Message",
    "MessageStatus",
    "Pairing",
    "Person",
    "PersonBase",
    "PersonStatus",
    "Program",
    "ProgramBase",
    "Role",
    "Schedule",
    "SessionStatus",
    "StaffAccount",
    "StaffConversation",
    "WebSession",
]
