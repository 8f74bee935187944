"""Encryption at rest of people's words: message bodies, answers, conversation state, evidence.

The keys are Fernet keys (``cryptography``: AES-128-CBC with an HMAC-SHA256 over it, a random
IV per value), from the ``DATA_KEYS`` setting, newest first: the newest encrypts, every one of
them decrypts (``MultiFernet``), so a new key can be put in front and the old rows re-encrypted
later (`checkin keys rotate`) without a moment where anything is unreadable.

A stored encrypted value is ``enc1:`` followed by the Fernet token. The marker is what tells an
encrypted value from plaintext written before a key was configured: such rows stay readable, and
the migration and `checkin keys rotate` find them by it. JSON columns store the marked token as
a JSON *string*, so no column changes type on either database (an empty list or object is
stored as it is: it says nothing, and SQL can find erased evidence by it; so is a number or a
yes/no, which `Answer.value_num` holds in plaintext anyway). A value that carries
the marker but that no configured key opens raises `DataKeyError` naming the cause: ciphertext
is never handed on as if it were the text.

A plaintext that happens to begin with ``enc1:`` and written with no key configured would be
taken for ciphertext; with a key configured every text is encrypted, so only development
databases without a key could hold one.

The keyring is process-wide (`configure`): the column types below are called by SQLAlchemy (and
by `storage.prepared`, which caches their processors per dialect, not per engine), and one
process serves one database with one set of keys.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import JSON, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

MARK = "enc1:"
# Where people's words are stored: (table, column, "text" or "json").
ENCRYPTED_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("message", "body", "text"),
    ("answer", "raw_text", "text"),
    ("answer", "value", "json"),
    ("checkin_session", "context", "json"),
    ("escalation", "evidence", "json"),
)


class DataKeyError(RuntimeError):
    """A key problem: a malformed key, or stored text that no configured key opens."""


class Keyring:
    """The configured Fernet keys, newest first."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise DataKeyError("no data key given")
        fernets = []
        for number, key in enumerate(keys, start=1):
            try:
                fernets.append(Fernet(key.strip().encode("ascii")))
            except (ValueError, UnicodeEncodeError):
                raise DataKeyError(
                    f"data key {number} is not a Fernet key (32 url-safe base64-encoded bytes); "
                    "make one with `checkin keys new`") from None
        self.keys = [key.strip() for key in keys]  # for migrations, which import no storage/
        self.newest = fernets[0]
        self.all = MultiFernet(fernets)
        self.count = len(fernets)

    def seal(self, text: str) -> str:
        return MARK + self.newest.encrypt(text.encode("utf-8")).decode("ascii")

    def open(self, stored: str) -> str:
        try:
            return self.all.decrypt(stored[len(MARK):].encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeEncodeError):
            raise DataKeyError(
                "stored text is encrypted with a key that is not in DATA_KEYS (or is damaged): "
                "put the key it was written with back in DATA_KEYS (newest first)") from None

    def is_newest(self, stored: str) -> bool:
        """Whether the newest key opens `stored` (`keys rotate` leaves such values alone)."""
        try:
            self.newest.decrypt(stored[len(MARK):].encode("ascii"))
        except (InvalidToken, UnicodeEncodeError):
            return False
        return True


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


def parse_keys(value: str | None) -> list[str]:
    """``DATA_KEYS`` (comma-separated, newest first) as a list; blanks dropped."""
    return [key.strip() for key in (value or "").split(",") if key.strip()]


_lock = threading.Lock()
_keyring: Keyring | None = None


def configure(keys: Sequence[str] | None) -> Keyring | None:
    """Use `keys` (newest first) from now on in this process; None or empty: write plaintext
    (and still read it; reading an encrypted value then raises `DataKeyError`)."""
    global _keyring
    ring = Keyring(keys) if keys else None
    with _lock:
        _keyring = ring
    return ring


def keyring() -> Keyring | None:
    return _keyring


def is_sealed(stored: Any) -> bool:
    return isinstance(stored, str) and stored.startswith(MARK)


def seal(text: str) -> str:
    """`text` as it is stored: encrypted under the newest key, or as it is without one."""
    ring = _keyring
    return text if ring is None else ring.seal(text)


def unseal(stored: str) -> str:
    """A stored text as the application reads it: decrypted, or plaintext as it was."""
    if not stored.startswith(MARK):
        return stored
    ring = _keyring
    if ring is None:
        raise DataKeyError("stored text is encrypted but DATA_KEYS is not set: set DATA_KEYS to "
                           "the keys the database was written with")
    return ring.open(stored)


def stays_plain(value: Any) -> bool:
    """A JSON value stored as it is: an empty list or object says nothing (and retention's
    erased evidence, ``[]``, can then be told in SQL from evidence still there); a number or
    yes/no answer is stored in plaintext beside it anyway (``Answer.value_num``, for trends),
    so encrypting it would cost every turn and hide nothing."""
    if isinstance(value, bool | int | float):
        return True
    return isinstance(value, list | dict) and not value


def seal_json(value: Any) -> Any:
    """A JSON value as stored: its JSON text encrypted, as a JSON string (or as it is)."""
    ring = _keyring
    if ring is None or stays_plain(value):
        return value
    return ring.seal(json.dumps(value, separators=(",", ":"), ensure_ascii=False))


def seal_json_text(encoded: str) -> str:
    """`seal_json` for a value already encoded as JSON text: the JSON text stored."""
    ring = _keyring
    if ring is None or encoded in ("[]", "{}"):
        return encoded
    return json.dumps(ring.seal(encoded))


def unseal_json(stored: Any) -> Any:
    if not is_sealed(stored):
        return stored
    return json.loads(unseal(stored))


class EncryptedText(TypeDecorator[str]):
    """A text column stored encrypted (`seal`); VARCHAR as before, so no schema change."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else seal(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else unseal(value)

    def __repr__(self) -> str:
        return "EncryptedText()"


class EncryptedJSON(TypeDecorator[Any]):
    """A JSON column (JSONB on PostgreSQL) whose value is stored as an encrypted JSON string.

    SQL NULL stays NULL (``none_as_null``). Operators on the JSON inside (``->``, containment)
    cannot work on encrypted values; nothing queries these columns by content."""

    impl = JSON
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(none_as_null=True)

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(JSONB(none_as_null=True))
        return dialect.type_descriptor(JSON(none_as_null=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else seal_json(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else unseal_json(value)

    def __repr__(self) -> str:
        return "EncryptedJSON()"
