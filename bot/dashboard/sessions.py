"""Logged-in browsers: a random cookie value per login, stored only as its SHA-256.

A fresh id is made at every login (no session fixation) and deleted at logout. A session ends
after `dashboard_idle_minutes` without a request, and after 12 hours whatever happens. A new
password, or a pause or exit of the person, deletes every session of the account (`end_all`):
lifting the pause later must not bring an old cookie, perhaps a stolen one, back to life.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, select

from storage.models import StaffAccount, WebSession

MAX_AGE = timedelta(hours=12)
TOUCH_EVERY = timedelta(seconds=60)  # last_seen_at is written at most once a minute


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(db: Session, account: StaffAccount, now: datetime) -> str:
    """A new session for `account`; returns the cookie value (never stored)."""
    assert account.id is not None
    token = secrets.token_urlsafe(32)
    db.add(WebSession(token_hash=_digest(token), account_id=account.id,
                      csrf_token=secrets.token_urlsafe(32), created_at=now, last_seen_at=now))
    # Old sessions of anyone are swept here rather than by another job.
    db.execute(delete(WebSession).where(col(WebSession.created_at) < now - MAX_AGE))
    return token


@dataclass(frozen=True)
class Found:
    session_id: int
    account_id: int
    csrf_token: str
    needs_touch: bool


def find(db: Session, token: str | None, now: datetime, idle: timedelta) -> Found | None:
    if not token or len(token) > 200:
        return None
    row = db.exec(select(WebSession).where(WebSession.token_hash == _digest(token))).first()
    if row is None or row.id is None:
        return None
    if now - row.last_seen_at > idle or now - row.created_at > MAX_AGE:
        return None
    return Found(row.id, row.account_id, row.csrf_token, now - row.last_seen_at > TOUCH_EVERY)


def end_all(db: Session, account_id: int) -> int:
    """End every session of an account; returns how many there were."""
    result = db.execute(delete(WebSession).where(col(WebSession.account_id) == account_id))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def end_all_of_person(db: Session, person_id: int) -> int:
    """End every session of the person's dashboard account, if they have one."""
    account = db.exec(select(StaffAccount).where(StaffAccount.person_id == person_id)).first()
    if account is None or account.id is None:
        return 0
    return end_all(db, account.id)


def touch(db: Session, session_id: int, now: datetime) -> None:
    row = db.get(WebSession, session_id)
    if row is not None:
        row.last_seen_at = now


def end(db: Session, token: str | None) -> None:
    if token:
        db.execute(delete(WebSession).where(col(WebSession.token_hash) == _digest(token)))
