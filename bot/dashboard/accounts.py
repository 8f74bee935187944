"""Dashboard accounts: creating them, and checking a login with a throttle.

A login is throttled per account (stored, so every instance sees it) and per client address
(in memory, for guesses at usernames that do not exist). After `login_failures_before_wait`
failures in a row the next attempt must wait one minute, doubling with each further failure up to
15 minutes. Accounts are never locked for good: a supervisor must be able to get in at 2 a.m.
once the wait is over, and an attacker cannot lock them out for longer than that.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from bot.dashboard import passwords, sessions
from bot.runner import STAFF_ROLES
from storage.models import Person, PersonStatus, StaffAccount
from storage.queries import audit

MAX_WAIT = timedelta(minutes=15)


class AccountError(ValueError):
    pass


def normalise_username(username: str) -> str:
    return username.strip().lower()


def create_account(
    db: Session, person: Person, username: str, password: str, now: datetime
) -> StaffAccount:
    """A login for an active supervisor or admin. Mentors and mentees never get one."""
    if person.role not in STAFF_ROLES:
        raise AccountError(f"{person.display_name} is a {person.role}: only supervisors and "
                           "admins have dashboard accounts")
    name = normalise_username(username)
    if not name or not name.replace(".", "").replace("-", "").replace("_", "").isalnum():
        raise AccountError("a username is letters, digits, '.', '-' or '_'")
    if db.exec(select(StaffAccount).where(StaffAccount.username == name)).first():
        raise AccountError(f"the username '{name}' is taken")
    if db.exec(select(StaffAccount).where(StaffAccount.person_id == person.id)).first():
        raise AccountError(f"{person.display_name} already has an account")
    try:
        hashed = passwords.hash_password(password)
    except passwords.WeakPassword as exc:
        raise AccountError(str(exc)) from exc
    assert person.id is not None
    account = StaffAccount(person_id=person.id, username=name, password_hash=hashed,
                           created_at=now)
    db.add(account)
    db.flush()
    audit.record(db, actor="cli", action="account_created", subject_type="staff_account",
                 subject_id=account.id, detail={"person_id": person.id}, now=now)
    return account


def set_password(db: Session, account: StaffAccount, password: str, now: datetime) -> None:
    try:
        account.password_hash = passwords.hash_password(password)
    except passwords.WeakPassword as exc:
        raise AccountError(str(exc)) from exc
    account.failed_logins = 0
    # Whoever knew the old password may hold a session made with it: a new password ends them.
    assert account.id is not None
    ended = sessions.end_all(db, account.id)
    audit.record(db, actor="cli", action="password_set", subject_type="staff_account",
                 subject_id=account.id, detail={"sessions_ended": ended}, now=now)


def wait_after(failures: int, allowed: int, last_failed_at: datetime | None,
               now: datetime) -> timedelta:
    """How much longer a login must wait after `failures` failures in a row."""
    if failures < allowed or last_failed_at is None:
        return timedelta(0)
    wait = min(timedelta(minutes=1) * (2 ** (failures - allowed)), MAX_WAIT)
    return max(timedelta(0), last_failed_at + wait - now)


@dataclass
class _AddressFailures:
    count: int = 0
    last: datetime | None = None


class AddressThrottle:
    """Failures per client address, in memory (bounded: oldest entries are dropped)."""

    def __init__(self, allowed: int, limit: int = 10_000) -> None:
        self.allowed = allowed * 4  # several staff may share one office address
        self._limit = limit
        self._seen: dict[str, _AddressFailures] = {}
        self._lock = threading.Lock()

    def wait(self, address: str, now: datetime) -> timedelta:
        with self._lock:
            seen = self._seen.get(address)
            if seen is None:
                return timedelta(0)
            return wait_after(seen.count, self.allowed, seen.last, now)

    def failed(self, address: str, now: datetime) -> None:
        with self._lock:
            if len(self._seen) >= self._limit and address not in self._seen:
                self._seen.pop(next(iter(self._seen)))
            seen = self._seen.setdefault(address, _AddressFailures())
            seen.count += 1
            seen.last = now

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._seen.pop(address, None)


@dataclass(frozen=True)
class LoginResult:
    account_id: int | None
    wait: timedelta = timedelta(0)

    @property
    def ok(self) -> bool:
        return self.account_id is not None


def authenticate(
    db: Session, username: str, password: str, *, client: str, now: datetime,
    allowed_failures: int, throttle: AddressThrottle,
) -> LoginResult:
    """Check a login. Throttled attempts are refused without checking the password (and do not
    count as failures). Paused or exited staff cannot log in."""
    name = normalise_username(username)
    address_wait = throttle.wait(client, now)
    account = db.exec(
        select(StaffAccount).where(col(StaffAccount.username) == name).with_for_update()
    ).first()
    account_wait = (wait_after(account.failed_logins, allowed_failures, account.last_failed_at,
                               now) if account else timedelta(0))
    wait = max(address_wait, account_wait)
    if wait > timedelta(0):
        return LoginResult(None, wait)
    person = db.get(Person, account.person_id) if account else None
    good = passwords.verify(account.password_hash if account else None, password)
    active = (person is not None and person.status == PersonStatus.active
              and person.role in STAFF_ROLES)
    if account is None or not good or not active:
        throttle.failed(client, now)
        if account is not None:
            account.failed_logins += 1
            account.last_failed_at = now
            audit.record(db, actor="anonymous", action="login_failed",
                         subject_type="staff_account", subject_id=account.id,
                         detail={"failures": account.failed_logins}, now=now)
        return LoginResult(None)
    throttle.succeeded(client)
    account.failed_logins = 0
    account.last_login_at = now
    if passwords.needs_rehash(account.password_hash):
        account.password_hash = passwords.hash_password(password)
    audit.record(db, actor=f"person:{account.person_id}", action="login",
                 subject_type="staff_account", subject_id=account.id, detail={}, now=now)
    return LoginResult(account.id)
