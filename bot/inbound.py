"""The async edge of one inbound message: ordering, a worker thread, one transaction, a wake-up.

Webhook routes (Telegram, Twilio, web simulator) call `receive` after authenticating the request
and before answering the provider, so a provider only ever gets 2xx for a message whose turn is
committed (invariant 1). A repeated delivery is recognised by its provider id and acknowledged
without a second turn (invariant 2).
"""

from __future__ import annotations

import asyncio
import weakref

from bot.context import AppContext
from bot.runner import InboundResult, handle_inbound

# One lock per sender address in this process: two messages from one person are handled in
# arrival order. (Across instances the session row lock serialises them.)
_locks: weakref.WeakValueDictionary[tuple[str, str], asyncio.Lock] = weakref.WeakValueDictionary()


def _lock_for(channel: str, address: str) -> asyncio.Lock:
    key = (channel, address)
    lock = _locks.get(key)
    if lock is None:
        lock = asyncio.Lock()
        _locks[key] = lock
    return lock


def receive_sync(
    ctx: AppContext, channel: str, address: str, text: str, provider_id: str | None
) -> InboundResult:
    with ctx.database.transaction() as db:
        return handle_inbound(db, ctx.flows, channel=channel, address=address, text=text,
                              provider_id=provider_id, now=ctx.clock())


async def receive(
    ctx: AppContext, channel: str, address: str, text: str, provider_id: str | None
) -> InboundResult:
    lock = _lock_for(channel, address)
    async with lock:
        result = await asyncio.to_thread(receive_sync, ctx, channel, address, text, provider_id)
    if result.queued and ctx.sender is not None:
        ctx.sender.wake()
    return result
