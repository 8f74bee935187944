"""What logs, audit details and dashboard pages may show of an address or a provider's error:
never a whole phone number or chat id (design invariant 5).

Used by the outbox sender, the sender limits and the delivery page; a leaf module, so any of
them can import it."""

from __future__ import annotations

import re

_DIGITS = re.compile(r"\+?\d[\d\s().-]{5,}\d")


def mask_address(address: str) -> str:
    """Last four characters only: enough to tell two contacts apart in a log."""
    return "…" + address[-4:] if len(address) > 4 else "…"


def redact(text: str) -> str:
    """Mask anything that looks like a phone number (providers quote the 'To' number)."""
    return _DIGITS.sub(lambda m: mask_address(re.sub(r"\D", "", m.group())), text)
