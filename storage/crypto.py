"""Encryption at rest of people's words: message bodies, answers, conversation state, evidence.

Keys come from the ``DATA_KEYS`` setting, newest first: the newest encrypts, every one of them
decrypts, so a new key can be put in front and the old rows re-encrypted later (`checkin keys
rotate`) without a moment where anything is unreadable. A data key is a Fernet key (32 random
bytes, url-safe base64; `checkin keys new`), which is what the first format used directly.

Two stored formats, told apart by a marker:

- ``enc2:`` (every new write): AES-256-GCM (``cryptography``'s AESGCM, one call into OpenSSL
  that encrypts and authenticates), under a key derived from the data key with HKDF-SHA256, so
  each data key gives one AES key and a 4-byte key id. The stored text is ``enc2:`` followed by
  base64 of key id, a random 12-byte nonce, the ciphertext and the 16-byte tag. The
  associated data is the column's name (``message.body``): a value copied into another column
  (an answer into a message body, one person's evidence into another's notes) fails to open
  there instead of being shown as if it belonged. The key id picks the key at once, where
  Fernet's MultiFernet tried every key in turn.
- ``enc1:`` (written before): a Fernet token (AES-128-CBC + HMAC-SHA256, no column binding).
  Still read; `checkin keys rotate` re-writes such rows as ``enc2:`` under the newest key.

What encryption costs a turn (measured: README, "Encryption at rest") is a few microseconds per
value sealed or opened, in either format (recent ``cryptography`` releases run Fernet in Rust
too), so the work is in sealing and opening fewer values: a conversation state that holds only
numbers and yes/no answers stays plain (`stays_plain`), and a value this process has just
sealed or opened is not decrypted again (`Keyring.open`). enc2 is also smaller (a 100-character
body is stored as 181 characters instead of 233) and picks its key by id.

The marker is what tells an encrypted value from plaintext written before a key was configured:
such rows stay readable, and the migration and `checkin keys rotate` find them by it. JSON
columns store the marked text as a JSON *string*, so no column changes type on either database
(an empty list or object is stored as it is: it says nothing, and SQL can find erased evidence
by it; so is a number or a yes/no, which `Answer.value_num` holds in plaintext anyway). A value
that carries a marker but that no configured key opens raises `DataKeyError` naming the cause:
ciphertext is never handed on as if it were the text.

A plaintext that happens to begin with a marker and was written with no key configured would be
taken for ciphertext; with a key configured every text is encrypted, so only development
databases without a key could hold one.

Random 96-bit nonces are safe for about 2**32 values per key (NIST SP 800-38D); a program
writing a million values a day reaches that in over ten years, and `checkin keys rotate` to a
new key starts the count again.

The keyring is process-wide (`configure`): the column types below are called by SQLAlchemy (and
by `storage.prepared`, which caches their processors per dialect, not per engine), and one
process serves one database with one set of keys.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import threading
from collections.abc import Sequence
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import JSON, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

MARK = "enc2:"  # what new writes carry
MARK_FERNET = "enc1:"  # written before enc2; read, and re-written by `checkin keys rotate`
MARKS = (MARK, MARK_FERNET)
_KEY_ID = 4  # bytes of key id in front of an enc2 value
_NONCE = 12
_HEAD = _KEY_ID + _NONCE
# Values this process sealed or opened lately, per keyring: (column, stored) -> text. A turn
# reads back what it or the turn before just wrote (the sender limits read a sender's recent
# messages, the outbox sender each body it sends), and an entry spares that decryption. The
# texts are in this process's memory while it works on them anyway; the database is what the
# encryption protects. Bounded: emptied when full.
_OPENED_MAX = 4096
# Where people's words are stored: (table, column, "text" or "json"). An enc2 value is bound
# to its "table.column" (the associated data).
ENCRYPTED_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("message", "body", "text"),
    ("answer", "raw_text", "text"),
    ("answer", "value", "json"),
    ("checkin_session", "context", "json"),
    ("escalation", "evidence", "json"),
    ("escalation_note", "body", "text"),
    ("program", "webhook_secret", "text"),
)


class DataKeyError(RuntimeError):
    """A key problem: a malformed key, or stored text that no configured key opens."""


def _derive(raw_key: bytes, purpose: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None,
                info=b"peer-checkin data key: " + purpose).derive(raw_key)


class Keyring:
    """The configured data keys, newest first, and the AES-GCM keys derived from them."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise DataKeyError("no data key given")
        fernets = []
        self._by_id: dict[bytes, AESGCM] = {}
        raw_by_id: dict[bytes, bytes] = {}
        ids: list[bytes] = []
        for number, key in enumerate(keys, start=1):
            try:
                fernets.append(Fernet(key.strip().encode("ascii")))
                raw = base64.urlsafe_b64decode(key.strip().encode("ascii"))
            except (ValueError, UnicodeEncodeError):
                raise DataKeyError(
                    f"data key {number} is not a Fernet key (32 url-safe base64-encoded bytes); "
                    "make one with `checkin keys new`") from None
            key_id = _derive(raw, b"enc2 key id", _KEY_ID)
            if raw_by_id.setdefault(key_id, raw) != raw:  # 1 in 4 billion: refuse, not guess
                raise DataKeyError(f"data key {number} has the same key id as an earlier one: "
                                   "make another with `checkin keys new`")
            if key_id not in self._by_id:  # a key listed twice is the same key
                self._by_id[key_id] = AESGCM(_derive(raw, b"enc2 aes-256-gcm", 32))
            ids.append(key_id)
        self.keys = [key.strip() for key in keys]  # for migrations, which import no storage/
        self.count = len(fernets)
        self._newest_id = ids[0]
        self._newest = self._by_id[ids[0]]
        self._fernets = MultiFernet(fernets)
        self._opened: dict[tuple[str, str], str] = {}

    def seal(self, text: str, column: str) -> str:
        """`text` encrypted under the newest key, bound to `column` ("table.column")."""
        nonce = os.urandom(_NONCE)
        sealed = self._newest.encrypt(nonce, text.encode("utf-8"), column.encode("ascii"))
        stored = MARK + binascii.b2a_base64(self._newest_id + nonce + sealed,
                                            newline=False).decode("ascii")
        self._remember(column, stored, text)
        return stored

    def open(self, stored: str, column: str) -> str:
        """A stored value of `column` decrypted (either format); `DataKeyError` if no key opens
        it, it was altered, or it belongs to another column."""
        # Keyed by the column too: a value copied into another column is not found here, and
        # fails the check below.
        known = self._opened.get((column, stored))
        if known is not None:
            return known
        if stored.startswith(MARK_FERNET):
            return self._open_fernet(stored)
        try:
            blob = binascii.a2b_base64(stored[len(MARK):], strict_mode=True)
        except (ValueError, binascii.Error):
            raise _damaged(column) from None
        aead = self._by_id.get(blob[:_KEY_ID])
        if aead is None:
            raise DataKeyError(
                "stored text is encrypted with a key that is not in DATA_KEYS: put the key it "
                "was written with back in DATA_KEYS (newest first)")
        try:
            plain = aead.decrypt(blob[_KEY_ID:_HEAD], blob[_HEAD:], column.encode("ascii"))
        except (InvalidTag, ValueError):
            raise _damaged(column) from None
        text = plain.decode("utf-8")
        self._remember(column, stored, text)
        return text

    def _remember(self, column: str, stored: str, text: str) -> None:
        opened = self._opened
        if len(opened) >= _OPENED_MAX:
            opened.clear()  # (not oldest-first: simple, and safe with several threads)
        opened[(column, stored)] = text

    def _open_fernet(self, stored: str) -> str:
        try:
            return self._fernets.decrypt(
                stored[len(MARK_FERNET):].encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeEncodeError):
            raise DataKeyError(
                "stored text is encrypted with a key that is not in DATA_KEYS (or is damaged): "
                "put the key it was written with back in DATA_KEYS (newest first)") from None

    def is_newest(self, stored: str) -> bool:
        """Whether `stored` is already in the current format under the newest key (`keys
        rotate` leaves such values alone); an enc1 value never is."""
        if not stored.startswith(MARK):
            return False
        try:
            head = binascii.a2b_base64(stored[len(MARK):len(MARK) + 8], strict_mode=True)
        except (ValueError, binascii.Error):
            return False
        return head[:_KEY_ID] == self._newest_id


def _damaged(column: str) -> DataKeyError:
    return DataKeyError(
        f"stored text in {column} fails its integrity check: it was altered, or copied there "
        "from another column; it is not shown")


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
    return isinstance(stored, str) and stored.startswith(MARKS)


def seal(text: str, column: str) -> str:
    """`text` as it is stored in `column`: encrypted under the newest key, or as it is
    without one."""
    ring = _keyring
    return text if ring is None else ring.seal(text, column)


def unseal(stored: str, column: str) -> str:
    """A stored text of `column` as the application reads it: decrypted, or plaintext as it
    was."""
    if not stored.startswith(MARKS):
        return stored
    ring = _keyring
    if ring is None:
        raise DataKeyError("stored text is encrypted but DATA_KEYS is not set: set DATA_KEYS to "
                           "the keys the database was written with")
    return ring.open(stored, column)


SESSION_STATE = "checkin_session.context"
# The fields of a conversation's state (flows.state.SessionState) that hold nothing but what
# the database keeps in plaintext elsewhere anyway: flow and state names, counters, times, the
# levels and reasons raised (`Escalation.reasons`), the template values (the first name, the
# program's name and texts: `Person`, `Program`). Only "answers" can hold a person's words.
# A field not listed here (one added later) makes the state encrypted until it is judged.
_STATE_FIELDS = frozenset({
    "flow_id", "flow_version", "language", "status", "current", "turn", "waiting_since",
    "misses", "nudged", "replies", "answers", "raised", "values"})


def stays_plain(value: Any, column: str | None = None) -> bool:
    """A JSON value stored as it is, because encrypting it would cost every turn and hide
    nothing: an empty list or object says nothing (and retention's erased evidence, ``[]``, can
    then be told in SQL from evidence still there); a number or yes/no answer is stored in
    plaintext beside it anyway (``Answer.value_num``, for trends); and so is a conversation's
    state while every answer in it is a number or a yes/no. Once a free-text answer is in it,
    the state is encrypted, like the answer itself."""
    if isinstance(value, bool | int | float):
        return True
    if not isinstance(value, list | dict):
        return False
    if not value:
        return True
    if column != SESSION_STATE or not isinstance(value, dict) or not value.keys() <= _STATE_FIELDS:
        return False
    answers = value.get("answers") or {}
    return isinstance(answers, dict) and all(
        answer is None or isinstance(answer, bool | int | float) for answer in answers.values())


def seal_json(value: Any, column: str) -> Any:
    """A JSON value as stored: its JSON text encrypted, as a JSON string (or as it is)."""
    ring = _keyring
    if ring is None or stays_plain(value, column):
        return value
    return ring.seal(json.dumps(value, separators=(",", ":"), ensure_ascii=False), column)


def seal_json_text(encoded: str, column: str) -> str:
    """`seal_json` for a value already encoded as JSON text: the JSON text stored."""
    ring = _keyring
    if ring is None or encoded in ("[]", "{}"):
        return encoded
    if column == SESSION_STATE and stays_plain(json.loads(encoded), column):
        return encoded
    return json.dumps(ring.seal(encoded, column))


def unseal_json(stored: Any, column: str) -> Any:
    if not is_sealed(stored):
        return stored
    return json.loads(unseal(stored, column))


class EncryptedText(TypeDecorator[str]):
    """A text column stored encrypted (`seal`), bound to `column` ("table.column"); VARCHAR as
    before, so no schema change."""

    impl = String
    cache_ok = True

    def __init__(self, column: str) -> None:
        super().__init__()
        self.column = column  # named as the argument: part of SQLAlchemy's cache key

    def seal_stored(self, value: str) -> str:
        """A value as this column stores it (for inserts that skip the type's processing)."""
        return seal(value, self.column)

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else seal(value, self.column)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else unseal(value, self.column)

    def __repr__(self) -> str:
        return f"EncryptedText({self.column!r})"


class EncryptedJSON(TypeDecorator[Any]):
    """A JSON column (JSONB on PostgreSQL) whose value is stored as an encrypted JSON string,
    bound to `column` ("table.column").

    SQL NULL stays NULL (``none_as_null``). Operators on the JSON inside (``->``, containment)
    cannot work on encrypted values; nothing queries these columns by content."""

    impl = JSON
    cache_ok = True

    def __init__(self, column: str) -> None:
        super().__init__(none_as_null=True)
        self.column = column  # named as the argument: part of SQLAlchemy's cache key

    def seal_stored(self, encoded: str) -> str:
        """A value already encoded as JSON text, as this column stores it (JSON text)."""
        return seal_json_text(encoded, self.column)

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(JSONB(none_as_null=True))
        return dialect.type_descriptor(JSON(none_as_null=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else seal_json(value, self.column)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else unseal_json(value, self.column)

    def __repr__(self) -> str:
        return f"EncryptedJSON({self.column!r})"
