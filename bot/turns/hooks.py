"""The applier's hooks: each kind of write collects its rows from every turn of a batch and
writes them with one call of its `storage.writes` function (mailroom's `core/runner/hooks`).

The order is fixed: sessions first (a new session's id is what its answers, messages and
audit rows point at), then answers, outbox rows and the sessions' end in the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from storage import writes

Columns = tuple[tuple[str, Any], ...]


class BatchWrites:
    """One batch's rows, by kind of write."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.updates: list[dict[str, Any]] = []  # `_id` and the columns to set
        # The new sessions, by the columns they share: their turns' indexes, and their rows
        # (person_id, context text, channel, address).
        self.inserts: dict[Columns, tuple[list[int], list[tuple[int, str, str, str]]]] = {}
        self.answers: list[writes.AnswerRow] = []
        self.outbox: list[writes.OutboxRow] = []
        self.audit: list[writes.AuditRow] = []  # the sessions' ends

    def new_sessions(self, columns: Columns) -> tuple[list[int], list[tuple[int, str, str, str]]]:
        """The new sessions sharing ``columns``: append each one's turn index to the first
        list and its row (person_id, context as JSON text, channel, address) to the second.
        (A fan-out adds thousands: the caller keeps the lists, not a call per session.)"""
        group = self.inserts.get(columns)
        if group is None:
            group = self.inserts[columns] = ([], [])
        return group

    def insert_sessions(self, db: Session, session_ids: list[int]) -> None:
        """INSERT the new sessions (one statement per group of shared columns, usually one per
        flow and language; on PostgreSQL all in one round trip) and put their ids in
        ``session_ids``."""
        groups = list(self.inserts.values())
        found = writes.insert_sessions(db, [(rows, dict(columns))
                                            for columns, (_, rows) in self.inserts.items()])
        for (indexes, rows), ids in zip(groups, found, strict=True):
            for index, row in zip(indexes, rows, strict=True):
                session_ids[index] = ids[row[0]]

    def write_rows(self, db: Session) -> None:
        """UPDATE the other sessions, then the answers, outbox rows and audit rows (no result
        read: on PostgreSQL they can all go out in one pipeline)."""
        if self.updates:
            writes.update_sessions(db, self.updates)
        writes.insert_answers(db, self.answers, self.now)
        writes.insert_outbox(db, self.outbox, self.now)
        writes.insert_audit(db, self.audit, self.now)
