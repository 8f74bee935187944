"""Dashboard accounts: creating them, and checking a login with a throttle.

A login is throttled per (username, client address): after `login_failures_before_wait`
failures in a row from one address for one username, the next attempt from that address must
wait one minute, doubling with each further failure up to 15 minutes. A client address also has
a longer limit of its own (four times as many failures, any usernames), against one address
guessing across accounts. Nothing is throttled per account alone: then anyone who knew a
username could keep the supervisor out at 2 a.m. by sending a wrong password every few
minutes; now they only lock themselves out. Many addresses guessing one account are slowed by
argon2 and the password rules, not by a lock. The key is the username typed, whether or not an
account has it, so the answers (status and text) never tell an existing account from a missing
one. The counts live in memory, per instance; the account's `failed_logins` is still kept, for
the audit trail.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from bot.dashboard import passwords, sessions
from bot.policy import STAFF_ROLES
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
class _Failures:
    count: int = 0
    last: datetime | None = None


class FailureCounter:
    """Failures in a row per key, in memory (bounded: the oldest keys are dropped)."""

    def __init__(self, allowed: int, limit: int = 10_000) -> None:
        self.allowed = allowed
        self._limit = limit
        self._seen: dict[str, _Failures] = {}
        self._lock = threading.Lock()

    def wait(self, key: str, now: datetime) -> timedelta:
        with self._lock:
            seen = self._seen.get(key)
            if seen is None:
                return timedelta(0)
            return wait_after(seen.count, self.allowed, seen.last, now)

    def failed(self, key: str, now: datetime) -> None:
        with self._lock:
            if len(self._seen) >= self._limit and key not in self._seen:
                self._seen.pop(next(iter(self._seen)))
            seen = self._seen.setdefault(key, _Failures())
            seen.count += 1
            seen.last = now

    def clear(self, key: str) -> None:
        with self._lock:
            self._seen.pop(key, None)


class LoginThrottle:
    """Per (username, address), and a longer limit per address (see the module docstring)."""

    def __init__(self, allowed: int) -> None:
        self.pair = FailureCounter(allowed)
        self.address = FailureCounter(allowed * 4)  # several staff may share an office address

    @staticmethod
    def _pair(name: str, address: str) -> str:
        return f"{address}\x00{name}"

    def wait(self, name: str, address: str, now: datetime) -> timedelta:
        return max(self.pair.wait(self._pair(name, address), now),
                   self.address.wait(address, now))

    def failed(self, name: str, address: str, now: datetime) -> None:
        self.pair.failed(self._pair(name, address), now)
        self.address.failed(address, now)

    def succeeded(self, name: str, address: str) -> None:
        self.pair.clear(self._pair(name, address))
        self.address.clear(address)


@dataclass(frozen=True)
class LoginResult:
    account_id: int | None
    wait: timedelta = timedelta(0)

    @property
    def ok(self) -> bool:
        return self.account_id is not None


def authenticate(
    db: Session, username: str, password: str, *, client: str, now: datetime,
    throttle: LoginThrottle,
) -> LoginResult:
    """Check a login. Throttled attempts are refused before the account is even looked up
    (and do not count as failures). Paused or exited staff cannot log in."""
    name = normalise_username(username)
    wait = throttle.wait(name, client, now)
    if wait > timedelta(0):
        return LoginResult(None, wait)
    account = db.exec(
        select(StaffAccount).where(col(StaffAccount.username) == name).with_for_update()
    ).first()
    person = db.get(Person, account.person_id) if account else None
    good = passwords.verify(account.password_hash if account else None, password)
    active = (person is not None and person.status == PersonStatus.active
              and person.role in STAFF_ROLES)
    if account is None or not good or not active:
        throttle.failed(name, client, now)
        if account is not None:
            account.failed_logins += 1
            account.last_failed_at = now
            audit.record(db, actor="anonymous", action="login_failed",
                         subject_type="staff_account", subject_id=account.id,
                         detail={"failures": account.failed_logins}, now=now)
        return LoginResult(None)
    throttle.succeeded(name, client)
    account.failed_logins = 0
    account.last_login_at = now
    if passwords.needs_rehash(account.password_hash):
        account.password_hash = passwords.hash_password(password)
    audit.record(db, actor=f"person:{account.person_id}", action="login",
                 subject_type="staff_account", subject_id=account.id, detail={}, now=now)
    return LoginResult(account.id)
