"""docs/webhooks.md's verification snippet is what a receiver copies: run it, as written,
against the signatures the service makes."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

from bot.channels.webhook.signature import sign

DOC = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"
SECRET = "whsec_docs-0123456789abcdefghij"


def _snippet() -> Callable[..., bool]:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S)
    [code] = [b for b in blocks if "def verify_peercheckin" in b]
    namespace: dict[str, object] = {}
    exec(compile(code, str(DOC), "exec"), namespace)  # our own documentation's code
    verify = namespace["verify_peercheckin"]
    assert callable(verify)
    return verify  # type: ignore[return-value]


def test_the_documented_snippet_accepts_our_signature_and_refuses_what_it_should() -> None:
    verify = _snippet()
    body = b'{"type":"escalation.raised","id":"evt_1"}'
    now = int(time.time())
    header = sign(SECRET, now, body)
    assert verify(SECRET, header, body)
    assert not verify(SECRET, header, body.replace(b"evt_1", b"evt_2"))  # altered body
    assert not verify("whsec_someone-else-0123456789ab", header, body)  # another secret
    assert not verify(SECRET, sign(SECRET, now - 3600, body), body)  # replayed an hour later
    assert not verify(SECRET, "v1=" + header.split("v1=")[1], body)  # no time
