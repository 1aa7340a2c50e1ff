"""The 16 MiB message limit: refused as grpc-dotnet refuses it, noticed before it is built."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import grpc
import pytest
from simkit import Gw, code_of, pb, standalone, take

from mxgw.sim._limits import MAX_MESSAGE_BYTES, TOO_LARGE
from mxgw.testing import run_simulator

TAG = "TestChildObject.TestString"
FIVE_MB = "x" * 5_000_000
# The client may receive more than the limit, so what refuses is the simulator.
_ROOMY = [("grpc.max_receive_message_length", 4 * MAX_MESSAGE_BYTES),
          ("grpc.max_send_message_length", MAX_MESSAGE_BYTES)]


@asynccontextmanager
async def _roomy(endpoint: str, key: str) -> AsyncIterator[Gw]:
    async with grpc.aio.insecure_channel(endpoint, options=_ROOMY) as channel:
        yield Gw(None, channel, key)


def _read_bulk(server: int, count: int) -> pb.ReadBulkCommand:
    return pb.ReadBulkCommand(server_handle=server, tag_addresses=[TAG] * count)


async def _refusal(awaitable: object) -> tuple[grpc.StatusCode, str]:
    try:
        await awaitable  # type: ignore[misc]
    except grpc.aio.AioRpcError as exc:
        return exc.code(), str(exc.details())
    raise AssertionError("the call succeeded")


@pytest.mark.asyncio
async def test_read_bulk_over_the_limit_is_refused_as_a_whole() -> None:
    async with run_simulator(tick_interval=None) as sim, \
            _roomy(sim.endpoint, sim.api_key) as gw:
        sim.control.set_value(TAG, FIVE_MB)
        session_id = await gw.open()
        server = await gw.register(session_id)
        fits = await gw.invoke(session_id, read_bulk_command=_read_bulk(server, 3))
        assert [r.value.string_value == FIVE_MB for r in fits.bulk_read.results] == [True] * 3
        refused = gw.invoke(session_id, read_bulk_command=_read_bulk(server, 100))
        assert await _refusal(refused) == (grpc.StatusCode.RESOURCE_EXHAUSTED, TOO_LARGE)
        small = await gw.invoke(session_id, read_bulk_command=pb.ReadBulkCommand(
            server_handle=server, tag_addresses=["TestChildObject.TestInt"]))
        assert small.bulk_read.results[0].was_successful  # the session goes on


def _peak_rss(pid: int) -> int:
    """The process's peak resident set so far, in bytes (Linux: VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


@pytest.mark.asyncio
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="peak RSS from /proc (Linux)")
async def test_refusing_a_huge_reply_keeps_the_simulators_memory_bounded() -> None:
    # The case: a 5 MB string read 100 times in one ReadBulk (a 500 MB reply).
    async with standalone() as (proc, info), _roomy(info["endpoint"], info["apiKey"]) as gw:
        session_id, server, item = await gw.subscribe(TAG)
        await gw.write(session_id, server, item, pb.MxValue(string_value=FIVE_MB))
        await gw.drain_until(session_id, 3)  # first value, write complete, the new value
        before = _peak_rss(proc.pid)
        refused = gw.invoke(session_id, read_bulk_command=_read_bulk(server, 100))
        assert await _refusal(refused) == (grpc.StatusCode.RESOURCE_EXHAUSTED, TOO_LARGE)
        grown = _peak_rss(proc.pid) - before
    # Building the whole reply took 2 GB; refusing it on the way takes about one message.
    assert grown < 3 * MAX_MESSAGE_BYTES, f"peak RSS grew by {grown / 2**20:.0f} MiB"


@pytest.mark.asyncio
async def test_drain_events_over_the_limit_takes_nothing() -> None:
    async with run_simulator(tick_interval=None) as sim, \
            _roomy(sim.endpoint, sim.api_key) as gw:
        session_id, _, _ = await gw.subscribe(TAG)  # event 1: the (empty) first value
        for n in range(4):  # events 2..5: four 5 MB values, 20 MB in all
            sim.control.set_value(TAG, str(n) * 5_000_000)
        assert await _refusal(gw.drain(session_id)) == (
            grpc.StatusCode.RESOURCE_EXHAUSTED, TOO_LARGE)
        events = await gw.drain(session_id, max_events=2) + await gw.drain(session_id)
        assert [e.worker_sequence for e in events] == [1, 2, 3, 4, 5]  # nothing lost
        assert [e.value.string_value[:1] for e in events[1:]] == ["0", "1", "2", "3"]


@pytest.mark.asyncio
async def test_an_event_too_large_for_a_message_ends_the_stream_as_the_gateway_does() -> None:
    async with run_simulator(tick_interval=None) as sim, \
            _roomy(sim.endpoint, sim.api_key) as gw:
        session_id, _, _ = await gw.subscribe(TAG)
        call = gw.stream(session_id)
        await take(call, 1)
        sim.control.set_value(TAG, "y" * MAX_MESSAGE_BYTES)  # the event is a little larger
        assert await _refusal(call.read()) == (grpc.StatusCode.RESOURCE_EXHAUSTED, TOO_LARGE)
        sim.control.set_value(TAG, "small")
        again = gw.stream(session_id, after=2)  # the stream detached: a new one may attach
        (event,) = await take(again, 1)
        assert (event.worker_sequence, event.value.string_value) == (3, "small")
        again.cancel()
        assert await code_of(gw.close(session_id)) == grpc.StatusCode.OK


@pytest.mark.asyncio
async def test_a_reply_just_over_the_limit_is_refused_exactly() -> None:
    # The entries alone fit; the reply's own fields push it over: the serialized reply is
    # what counts, as for grpc-dotnet.
    async with run_simulator(tick_interval=None) as sim, \
            _roomy(sim.endpoint, sim.api_key) as gw:
        session_id = await gw.open()
        server = await gw.register(session_id)
        length = MAX_MESSAGE_BYTES - 1000
        sim.control.set_value(TAG, "z" * length)
        fits = await gw.invoke(session_id, read_bulk_command=_read_bulk(server, 1))
        assert fits.ByteSize() <= MAX_MESSAGE_BYTES
        entry = fits.bulk_read.results[0].ByteSize() + 1 + 4  # its tag and length
        sim.control.set_value(TAG, "z" * (length + MAX_MESSAGE_BYTES - entry))
        refused = gw.invoke(session_id, read_bulk_command=_read_bulk(server, 1))
        assert await _refusal(refused) == (grpc.StatusCode.RESOURCE_EXHAUSTED, TOO_LARGE)
