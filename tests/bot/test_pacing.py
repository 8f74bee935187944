"""The SMS limiter: one send per interval, urgent waiters first (invariant 3)."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from bot.channels.pacing import LanePacer


async def _acquire_all(pacer: LanePacer, names: list[str], order: list[str],
                       times: list[float]) -> None:
    loop = asyncio.get_running_loop()

    async def one(name: str) -> None:
        await pacer.acquire(urgent=name.startswith("urgent"))
        order.append(name)
        times.append(loop.time())

    tasks = []
    for name in names:
        tasks.append(asyncio.create_task(one(name)))
        await asyncio.sleep(0)  # each joins the queue before the next: arrival order is known
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=10)


async def test_an_urgent_waiter_goes_before_routine_waiters_that_came_first() -> None:
    pacer = LanePacer(rate_per_second=50)
    order: list[str] = []
    times: list[float] = []
    await _acquire_all(pacer, ["routine 1", "routine 2", "routine 3", "routine 4", "urgent 1",
                               "routine 5", "urgent 2"], order, times)
    # routine 1 found the pacer free; then the two urgent ones, in their own arrival order;
    # then the routine ones in theirs.
    assert order == ["routine 1", "urgent 1", "urgent 2", "routine 2", "routine 3",
                     "routine 4", "routine 5"]


async def test_acquisitions_are_spaced_without_a_burst() -> None:
    pacer = LanePacer(rate_per_second=40)  # one every 25 ms
    order: list[str] = []
    times: list[float] = []
    await _acquire_all(pacer, [f"routine {n}" for n in range(6)], order, times)
    assert order == [f"routine {n}" for n in range(6)]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 0.025 * 0.9  # the loop's clock; a little slack for its resolution


async def test_a_cancelled_waiter_gives_its_place_up() -> None:
    pacer = LanePacer(rate_per_second=50)
    await pacer.acquire()  # takes the free slot
    order: list[str] = []

    async def one(name: str) -> None:
        await pacer.acquire()
        order.append(name)

    gone = asyncio.create_task(one("gone"))
    await asyncio.sleep(0)
    kept = asyncio.create_task(one("kept"))
    await asyncio.sleep(0)
    assert pacer.waiting() == 2
    gone.cancel()
    await asyncio.wait_for(kept, timeout=5)
    assert order == ["kept"]
    assert pacer.waiting() == 0


def test_a_rate_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        LanePacer(0)
