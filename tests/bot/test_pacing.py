"""The send pacer: the configured rate, released on a coarse tick, urgent waiters first
(invariant 3)."""

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


def releases(times: list[float]) -> list[list[float]]:
    """Acquisitions grouped by the wake that released them (resumed within a few ms)."""
    groups: list[list[float]] = []
    for t in times:
        if groups and t - groups[-1][-1] < 0.005:
            groups[-1].append(t)
        else:
            groups.append([t])
    return groups


async def test_at_a_rate_slower_than_the_tick_acquisitions_are_spaced_without_a_burst() -> None:
    pacer = LanePacer(rate_per_second=40, tick=0.02)  # one every 25 ms, wakes at most every 20
    order: list[str] = []
    times: list[float] = []
    await _acquire_all(pacer, [f"routine {n}" for n in range(6)], order, times)
    assert order == [f"routine {n}" for n in range(6)]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 0.025 * 0.9  # the loop's clock; a little slack for its resolution


async def test_faster_rates_are_released_a_tick_at_a_time_at_the_same_average() -> None:
    pacer = LanePacer(rate_per_second=40, tick=0.1)  # a slot every 25 ms, a wake every 100
    order: list[str] = []
    times: list[float] = []
    await _acquire_all(pacer, [f"routine {n}" for n in range(17)], order, times)
    assert order == [f"routine {n}" for n in range(17)]  # still in arrival order
    wakes = releases(times[1:])  # the first found the pacer free
    # The rest were released together, one wake per tick ...
    assert all(b[0] - a[0] >= 0.1 * 0.9 for a, b in itertools.pairwise(wakes))
    # ... at most rate × tick + 1 at a time ...
    assert max(len(w) for w in wakes) <= 5 and len(wakes) < 16
    # ... and at the configured rate on average: 16 slots after the first, 25 ms apart.
    assert times[-1] - times[0] >= 16 * 0.025 * 0.9


async def test_slots_are_not_saved_up_while_idle() -> None:
    pacer = LanePacer(rate_per_second=40, tick=0.1)
    await pacer.acquire()
    await asyncio.sleep(0.5)  # 20 slots go by unused
    order: list[str] = []
    times: list[float] = []
    await _acquire_all(pacer, [f"routine {n}" for n in range(10)], order, times)
    # The first takes the free slot; the next release has at most one tick's worth.
    assert len(releases(times[1:])[0]) <= 5
    assert times[-1] - times[0] >= 8 * 0.025 * 0.9


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


async def test_an_urgent_waiter_is_not_held_for_the_tick_and_goes_out_alone() -> None:
    pacer = LanePacer(rate_per_second=40, tick=0.5)  # a slot every 25 ms, a wake every 500
    loop = asyncio.get_running_loop()
    released: dict[str, float] = {}

    async def one(name: str) -> None:
        await pacer.acquire(urgent=name == "urgent")
        released[name] = loop.time()

    started = loop.time()
    await pacer.acquire()  # the free slot
    routine = [asyncio.create_task(one(f"routine {n}")) for n in range(3)]
    await asyncio.sleep(0.05)  # routine 0 had the next slot; 1 and 2 now wait for the tick
    await asyncio.wait_for(one("urgent"), timeout=5)
    await asyncio.wait_for(asyncio.gather(*routine), timeout=5)
    assert released["urgent"] - started < 0.2  # its own slot, not the tick 0.5 s away
    # Not released with it: the routine waiters kept to the tick.
    assert released["routine 1"] - released["urgent"] > 0.3
    assert released["routine 2"] >= released["routine 1"]
