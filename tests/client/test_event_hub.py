"""The session's one event stream shared by subscribe() and write_tag() (the EventHub):
several consumers, cancellation, close and a busy consumer, over real gRPC."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

import mxgw
from mxgw.testing import RunningSimulator, run_simulator

INT = "TestChildObject.TestInt"
OTHER = "TestChildObject.TestDouble"


async def _next_value(changes: AsyncIterator[mxgw.DataChange], value: object) -> None:
    """Take changes until one carries `value` (a write also sends its own change)."""
    while (await anext(changes)).value.value != value:
        pass


@pytest.mark.asyncio
async def test_two_subscribers_on_one_session_each_get_every_change(
        session: mxgw.Session, sim: RunningSimulator) -> None:
    async with contextlib.aclosing(session.subscribe(INT)) as first, \
            contextlib.aclosing(session.subscribe([INT, OTHER])) as second:
        assert (await anext(first)).tag == INT  # the current value of each first
        assert {(await anext(second)).tag for _ in range(2)} == {INT, OTHER}
        for value in (11, 12, 13):
            sim.control.set_value(INT, value)
        got_first = [(await anext(first)).value.value for _ in range(3)]
        got_second = [(await anext(second)).value.value for _ in range(3)]
        assert got_first == got_second == [11, 12, 13]
        await first.aclose()  # the other subscription goes on alone
        sim.control.set_value(INT, 14)
        assert (await anext(second)).value.value == 14


@pytest.mark.asyncio
async def test_a_subscriber_reading_while_write_tag_waits_for_its_completion(
        session: mxgw.Session, sim: RunningSimulator) -> None:
    seen: list[object] = []
    got_five = asyncio.Event()

    async def consume() -> None:
        async for change in session.subscribe(INT):
            seen.append(change.value.value)
            if change.value.value == 5:
                got_five.set()

    task = asyncio.create_task(consume())
    try:
        while not seen:  # the subscription has its current value
            await asyncio.sleep(0.01)
        await session.write_tag(INT, 5)  # its OnWriteComplete reaches write_tag
        await asyncio.wait_for(got_five.wait(), 10)  # and the change the subscriber
        await session.write_tag(INT, 6)
        assert sim.control.get_value(INT) == 6
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


@pytest.mark.asyncio
async def test_a_consumer_cancelled_while_it_reads_then_a_new_subscription(
        session: mxgw.Session, sim: RunningSimulator) -> None:
    waiting = asyncio.Event()

    async def consume() -> None:
        async for _ in session.subscribe(INT):
            waiting.set()  # then waits in the stream: nothing more changes

    task = asyncio.create_task(consume())
    await waiting.wait()
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    async with contextlib.aclosing(session.subscribe(INT)) as changes:
        assert (await anext(changes)).tag == INT
        sim.control.set_value(INT, 21)
        await _next_value(changes, 21)
    await session.write_tag(INT, 22)  # write_tag still gets its completion
    assert sim.control.get_value(INT) == 22


@pytest.mark.asyncio
async def test_cancelling_one_of_two_consumers_loses_no_event_of_the_other(
        session: mxgw.Session, sim: RunningSimulator) -> None:
    started = asyncio.Event()

    async def consume() -> None:
        async for _ in session.subscribe(INT):
            started.set()

    async with contextlib.aclosing(session.subscribe(INT)) as kept:
        await anext(kept)
        task = asyncio.create_task(consume())
        await started.wait()
        sim.control.set_value(INT, 31)
        await asyncio.sleep(0.05)  # the change is on its way to both
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        sim.control.set_value(INT, 32)
        assert [(await anext(kept)).value.value for _ in range(2)] == [31, 32]


@pytest.mark.asyncio
async def test_session_close_ends_consumers_that_are_reading(session: mxgw.Session) -> None:
    ended: list[int] = []
    first = asyncio.Event()

    async def consume(tags: list[str]) -> None:
        count = 0
        async for _ in session.subscribe(tags):
            count += 1
            first.set()
        ended.append(count)

    lone = asyncio.create_task(consume([INT]))
    await first.wait()
    await asyncio.sleep(0.05)  # the lone consumer waits in the stream's read
    await session.close()
    await asyncio.wait_for(lone, 10)
    assert ended == [1]


@pytest.mark.asyncio
async def test_session_close_ends_two_consumers(session: mxgw.Session) -> None:
    ended: list[str] = []
    ready = [asyncio.Event(), asyncio.Event()]

    async def consume(number: int) -> None:
        async for _ in session.subscribe(INT):
            ready[number].set()
        ended.append(f"consumer {number}")

    tasks = [asyncio.create_task(consume(n)) for n in range(2)]
    for event in ready:
        await event.wait()
    await session.close()
    await asyncio.wait_for(asyncio.gather(*tasks), 10)
    assert sorted(ended) == ["consumer 0", "consumer 1"]


@pytest_asyncio.fixture
async def small_queue() -> AsyncIterator[RunningSimulator]:
    # 50 undelivered events fault the session: the client must keep reading.
    async with run_simulator(tick_interval=None, event_queue_limit=50) as running:
        yield running


@pytest.mark.asyncio
async def test_a_busy_subscriber_still_has_the_stream_drained(
        small_queue: RunningSimulator, options_for: object) -> None:
    # The subscriber takes one change and then does not ask for more while 1,000 arrive
    # (20 times the gateway's queue bound): all arrive, in order, and the session lives.
    sim = small_queue
    async with await mxgw.GatewayClient.connect(options_for(sim)) as client, \
            await client.open_session(name="busy") as session, \
            contextlib.aclosing(session.subscribe(INT)) as changes:
        await anext(changes)
        for value in range(1000):
            sim.control.set_value(INT, value)
            await asyncio.sleep(0.001)
        got = [(await anext(changes)).value.value for _ in range(1000)]
        assert got == list(range(1000))
        assert not session.closed
        await session.write_tag(INT, 7)  # the session is still READY
