"""One reusable HTTP client per thread for posting to services on 127.0.0.1.

`httpx.post(...)` builds a new client for every call, and with it an SSL context that loads the
certificate bundle: about 40 ms each, which made the webhook fuzz tests spend most of their time
in `ssl.create_default_context` rather than in the service. Loopback URLs are plain HTTP, so the
client skips certificate loading (``verify=False``) and ignores proxy settings from the
environment. One client per thread: tests post from several threads at once.
"""

from __future__ import annotations

import threading

import httpx

_local = threading.local()


def loopback_client() -> httpx.Client:
    client: httpx.Client | None = getattr(_local, "client", None)
    if client is None:
        client = _local.client = httpx.Client(verify=False, trust_env=False)
    return client
