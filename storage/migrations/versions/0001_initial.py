"""Initial schema: programs, people, contacts, pairings, schedules, sessions, answers, messages,
escalations, audit events, invite codes.

Revision ID: 0001
Revises:
Create Date: 2026-11-21

Written against storage.models with plain SQLAlchemy types (no imports from storage/), so the
file keeps describing this revision when the models move on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON(none_as_null=True).with_variant(
        postgresql.JSONB(none_as_null=True), "postgresql"
    )


def _ts(name: str, *, nullable: bool = False, now: bool = False) -> sa.Column[object]:
    return sa.Column(
        name,
        sa.DateTime(timezone=True),
        nullable=nullable,
        server_default=sa.func.now() if now else None,
    )


def _enum(name: str) -> sa.Column[object]:
    """A StrEnum stored as VARCHAR(16)."""
    return sa.Column(name, sa.String(16), nullable=False)


def _id() -> sa.Column[object]:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _fk(name: str, target: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.Integer(), sa.ForeignKey(target), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "program",
        _id(),
        sa.Column("name", sa.String(), nullable=False, unique=True),
        sa.Column("timezone", sa.String(), nullable=False),
        sa.Column("quiet_start", sa.String(), nullable=False),
        sa.Column("quiet_end", sa.String(), nullable=False),
        sa.Column("crisis_message", sa.String(), nullable=True),
        sa.Column("help_text", sa.String(), nullable=True),
        sa.Column("settings", _json(), nullable=False),
        _ts("created_at", now=True),
    )

    op.create_table(
        "person",
        _id(),
        _fk("program_id", "program.id"),
        _enum("role"),
        sa.Column("display_name", sa.String(), nullable=False),
        sa.Column("language", sa.String(), nullable=False),
        sa.Column("timezone", sa.String(), nullable=True),
        _enum("status"),
        _ts("created_at", now=True),
    )
    op.create_index(op.f("ix_person_program_id"), "person", ["program_id"])

    op.create_table(
        "contact_point",
        _id(),
        _fk("person_id", "person.id"),
        _enum("channel"),
        sa.Column("address", sa.String(), nullable=False),
        sa.Column("opted_out", sa.Boolean(), nullable=False),
        _ts("opted_out_at", nullable=True),
        _ts("consent_at", nullable=True),
        sa.Column("unreachable", sa.Boolean(), nullable=False),
        sa.Column("unreachable_reason", sa.String(), nullable=True),
        _ts("created_at", now=True),
        sa.UniqueConstraint("channel", "address"),
    )
    op.create_index(op.f("ix_contact_point_person_id"), "contact_point", ["person_id"])

    op.create_table(
        "pairing",
        _id(),
        _fk("program_id", "program.id"),
        _fk("mentor_id", "person.id"),
        _fk("mentee_id", "person.id"),
        _ts("active_from"),
        _ts("active_until", nullable=True),
    )
    op.create_index(op.f("ix_pairing_program_id"), "pairing", ["program_id"])
    op.create_index(op.f("ix_pairing_mentor_id"), "pairing", ["mentor_id"])
    op.create_index(op.f("ix_pairing_mentee_id"), "pairing", ["mentee_id"])

    op.create_table(
        "invite_code",
        _id(),
        _fk("person_id", "person.id"),
        sa.Column("code", sa.String(), nullable=False, unique=True),
        _ts("expires_at"),
        _ts("used_at", nullable=True),
        _ts("created_at", now=True),
    )
    op.create_index(op.f("ix_invite_code_person_id"), "invite_code", ["person_id"])

    op.create_table(
        "schedule",
        _id(),
        _fk("person_id", "person.id"),
        sa.Column("flow_id", sa.String(), nullable=False),
        sa.Column("rule", sa.String(), nullable=False),
        sa.Column("timezone", sa.String(), nullable=False),
        _ts("next_due_at"),
        sa.Column("paused", sa.Boolean(), nullable=False),
        _ts("last_started_at", nullable=True),
        _ts("created_at", now=True),
        sa.UniqueConstraint("person_id", "flow_id"),  # one schedule per person and flow
    )
    op.create_index(op.f("ix_schedule_person_id"), "schedule", ["person_id"])
    op.create_index(op.f("ix_schedule_next_due_at"), "schedule", ["next_due_at"])

    op.create_table(
        "checkin_session",
        _id(),
        _fk("person_id", "person.id"),
        sa.Column("flow_id", sa.String(), nullable=False),
        sa.Column("flow_version", sa.Integer(), nullable=False),
        sa.Column("current_state", sa.String(), nullable=True),
        sa.Column("turn", sa.Integer(), nullable=False),
        sa.Column("context", _json(), nullable=False),
        _enum("status"),
        sa.Column("language", sa.String(), nullable=False),
        sa.Column("channel", sa.String(), nullable=True),
        sa.Column("address", sa.String(), nullable=True),
        _ts("started_at"),
        _ts("updated_at", now=True),
        _ts("ended_at", nullable=True),
        _ts("nudge_at", nullable=True),
        _ts("expire_at", nullable=True),
    )
    for column in ("person_id", "status", "nudge_at", "expire_at"):
        op.create_index(op.f(f"ix_checkin_session_{column}"), "checkin_session", [column])

    op.create_table(
        "answer",
        _id(),
        _fk("session_id", "checkin_session.id"),
        _fk("person_id", "person.id"),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("raw_text", sa.String(), nullable=True),
        sa.Column("value", _json(), nullable=True),
        sa.Column("value_num", sa.Float(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        _ts("created_at", now=True),
    )
    op.create_index(op.f("ix_answer_session_id"), "answer", ["session_id"])
    op.create_index(op.f("ix_answer_person_id"), "answer", ["person_id"])

    op.create_table(
        "message",
        _id(),
        _enum("direction"),
        _enum("channel"),
        sa.Column("address", sa.String(), nullable=False),
        _fk("person_id", "person.id", nullable=True),
        _fk("session_id", "checkin_session.id", nullable=True),
        sa.Column("escalation_id", sa.Integer(), nullable=True),
        sa.Column("provider_id", sa.String(), nullable=True),
        sa.Column("body", sa.String(), nullable=True),
        sa.Column("kind", sa.String(), nullable=False),
        _enum("status"),
        _enum("lane"),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _ts("next_attempt_at", nullable=True),
        _ts("lease_until", nullable=True),
        sa.Column("last_error", sa.String(), nullable=True),
        _ts("created_at", now=True),
        _ts("sent_at", nullable=True),
        _ts("updated_at", now=True),
        sa.UniqueConstraint("direction", "channel", "provider_id"),
    )
    op.create_index(op.f("ix_message_person_id"), "message", ["person_id"])
    op.create_index(op.f("ix_message_session_id"), "message", ["session_id"])
    op.create_index(op.f("ix_message_escalation_id"), "message", ["escalation_id"])
    op.create_index(op.f("ix_message_next_attempt_at"), "message", ["next_attempt_at"])
    op.create_index("ix_message_outbox", "message", ["status", "priority", "next_attempt_at"])
    op.create_index(
        "ix_message_channel_address_status", "message", ["channel", "address", "status"]
    )

    op.create_table(
        "escalation",
        _id(),
        _fk("program_id", "program.id"),
        _fk("person_id", "person.id"),
        _fk("session_id", "checkin_session.id", nullable=True),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("reasons", _json(), nullable=False),
        sa.Column("evidence", _json(), nullable=False),
        _enum("status"),
        _ts("raised_at"),
        _ts("due_at"),
        _fk("acknowledged_by", "person.id", nullable=True),
        _ts("acknowledged_at", nullable=True),
        _fk("resolved_by", "person.id", nullable=True),
        _ts("resolved_at", nullable=True),
        sa.Column("resolution_note", sa.String(), nullable=True),
        _ts("reopened_at", nullable=True),
        _fk("about_mentor_id", "person.id", nullable=True),
        sa.Column("alert_round", sa.Integer(), nullable=False),
        _ts("next_alert_at", nullable=True),
        _ts("backup_alerted_at", nullable=True),
        _ts("updated_at", now=True),
        sa.UniqueConstraint("session_id", "level"),
    )
    op.create_index(op.f("ix_escalation_next_alert_at"), "escalation", ["next_alert_at"])
    op.create_index(op.f("ix_escalation_program_id"), "escalation", ["program_id"])
    op.create_index(op.f("ix_escalation_person_id"), "escalation", ["person_id"])
    op.create_index(op.f("ix_escalation_status"), "escalation", ["status"])

    op.create_table(
        "audit_event",
        _id(),
        _ts("at"),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("subject_type", sa.String(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("detail", _json(), nullable=False),
    )
    op.create_index(op.f("ix_audit_event_at"), "audit_event", ["at"])
    op.create_index("ix_audit_event_subject", "audit_event", ["subject_type", "subject_id"])

    op.create_table(
        "on_call_shift",
        _id(),
        _fk("program_id", "program.id"),
        _fk("person_id", "person.id"),
        _enum("list"),
        sa.Column("weekday", sa.Integer(), nullable=True),
        sa.Column("start", sa.String(), nullable=False),
        sa.Column("end", sa.String(), nullable=False),
        _ts("created_at", now=True),
    )
    op.create_index(op.f("ix_on_call_shift_program_id"), "on_call_shift", ["program_id"])
    op.create_index(op.f("ix_on_call_shift_person_id"), "on_call_shift", ["person_id"])


def downgrade() -> None:
    for table in (
        "on_call_shift",
        "audit_event",
        "escalation",
        "message",
        "answer",
        "checkin_session",
        "schedule",
        "invite_code",
        "pairing",
        "contact_point",
        "person",
        "program",
    ):
        op.drop_table(table)  # its indexes go with it
