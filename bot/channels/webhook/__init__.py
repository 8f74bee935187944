"""Signed outbound webhooks to a program's case-management system, as an outbox channel.

- ``adapter.py``: sending. Looks up the program's URL and secret, signs the stored JSON body
  (``X-PeerCheckin-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">``) and POSTs it; the
  receiver's answers mapped onto the three outcomes.
- ``signature.py``: the signature, made and checked (what a receiver does, in Python).
- ``channel.py``: the registry entry (always on; a program without a URL queues nothing).

The events themselves are queued by `bot.webhook_events`, in the transaction of the change they
report. Format and verification: docs/webhooks.md.
"""
