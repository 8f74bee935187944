"""Password hashing for dashboard accounts: argon2id (argon2-cffi's defaults, RFC 9106's
low-memory profile). Only hashes are stored; the password itself is never kept or logged."""

from __future__ import annotations

import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()  # argon2id

MIN_LENGTH = 10


@functools.cache
def _dummy_hash() -> str:
    """Checked against when a username does not exist, so a wrong username takes as long as a
    wrong password and response times do not tell which accounts exist. Made on the first
    verification (of any account, so that one costs the same either way), not at import: every
    `checkin` command imported this module and paid for a hash it never used."""
    return _hasher.hash("not-a-real-password-but-the-same-cost")


class WeakPassword(ValueError):
    pass


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"a password needs at least {MIN_LENGTH} characters")
    if password.strip() != password or not password.strip():
        raise WeakPassword("a password cannot start or end with spaces")


def hash_password(password: str) -> str:
    check_strength(password)
    return _hasher.hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    """True if `password` matches; always spends one argon2 verification."""
    dummy = _dummy_hash()
    try:
        return _hasher.verify(password_hash or dummy, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def use_hasher(hasher: PasswordHasher) -> PasswordHasher:
    """Hash and verify with `hasher` from now on; returns the one used before. For tests that
    create and log in hundreds of accounts, where the production cost (64 MiB, 3 passes) is
    not what they check."""
    global _hasher
    previous, _hasher = _hasher, hasher
    _dummy_hash.cache_clear()
    return previous
