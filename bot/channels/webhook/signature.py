"""The ``X-PeerCheckin-Signature`` header: ``t=<unix seconds>,v1=<hex HMAC-SHA256>``.

The HMAC is over ``"<t>.<raw body>"`` with the program's webhook secret, as Stripe signs its
webhooks: the time inside the signed text lets a receiver refuse an old request replayed, and
the body is signed exactly as sent (a receiver must check the raw bytes, not re-encoded JSON).
Each attempt is signed afresh, so a retry carries a new time and the same event id.
"""

from __future__ import annotations

import hashlib
import hmac

HEADER = "X-PeerCheckin-Signature"
# How old a signature a receiver should accept (seconds); docs/webhooks.md says the same.
DEFAULT_TOLERANCE = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The header's value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, header: str, body: bytes, now: int,
           tolerance: int = DEFAULT_TOLERANCE) -> bool:
    """What a receiver does: the header's time is recent and one of its v1 values matches."""
    parts = [item.partition("=") for item in header.split(",")]
    times = [value for key, _, value in parts if key.strip() == "t"]
    signatures = [value for key, _, value in parts if key.strip() == "v1"]
    if len(times) != 1 or not times[0].isdigit() or not signatures:
        return False
    timestamp = int(times[0])
    if abs(now - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body).partition(",v1=")[2]
    return any(hmac.compare_digest(expected, candidate) for candidate in signatures)
