"""Sequence gaps inside a stream and duplicates after a reconnect.

The gateway (and so the simulator) never skips a worker_sequence on a live stream, so the
wire cannot produce this case: a scripted call object stands in for the gRPC call here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import grpc
import pytest

import mxgw
from mxgw import _resume, _streams
from mxgw._proto import gateway_pb2 as pb
from mxgw._rpc._calls import Rpc
from mxgw._rpc._contract import Contract


class ScriptedCall:
    """An async-iterable stand-in for a grpc.aio stream call."""

    def __init__(self, sequences: list[int], error: BaseException | None = None) -> None:
        self._events = [pb.MxEvent(worker_sequence=s, family=pb.MX_EVENT_FAMILY_ON_DATA_CHANGE)
                        for s in sequences]
        self._error = error
        self.cancelled = False

    def cancel(self) -> bool:
        self.cancelled = True
        return True

    async def _iterate(self) -> AsyncIterator[Any]:
        for event in self._events:
            yield event
        if self._error is not None:
            raise self._error

    def __aiter__(self) -> AsyncIterator[Any]:
        return self._iterate()


def rpc_error(code: grpc.StatusCode = grpc.StatusCode.UNAVAILABLE) -> grpc.aio.AioRpcError:
    return grpc.aio.AioRpcError(code, grpc.aio.Metadata(), grpc.aio.Metadata(),
                                details="scripted")


class Opener:
    def __init__(self, *calls: ScriptedCall) -> None:
        self.calls = list(calls)
        self.after: list[int] = []

    def __call__(self, after: int) -> ScriptedCall:
        self.after.append(after)
        return self.calls.pop(0)


RPC = Rpc.__new__(Rpc)  # only .errors() and .contract are used: no channel needed
RPC._tls, RPC._endpoint, RPC.contract = False, "scripted", Contract.builtin()
FAST = _resume.ResumePolicy(max_retries=2, initial_backoff=0.0, max_backoff=0.0)


async def collect(opener: Opener, on_gap: Any, resume: bool = False) -> list[Any]:
    stream = _resume.events(opener, RPC, _streams.CallRegistry(), after_sequence=0,
                             resume=resume, on_gap=on_gap, policy=FAST)
    return [item async for item in stream]


@pytest.mark.asyncio
async def test_sequence_gap_raises_by_default() -> None:
    call = ScriptedCall([1, 2, 5])
    with pytest.raises(mxgw.MxGatewayStreamGapError) as info:
        await collect(Opener(call), "raise")
    assert (info.value.expected, info.value.received) == (3, 5)
    assert call.cancelled


@pytest.mark.asyncio
async def test_sequence_gap_as_event_then_continues() -> None:
    items = await collect(Opener(ScriptedCall([1, 2, 5, 6])), "event")
    gap = items[2]
    assert isinstance(gap, mxgw.StreamGap) and (gap.kind, gap.lost) == ("sequence", 2)
    assert [e.worker_sequence for e in items if not isinstance(e, mxgw.StreamGap)] == [
        1, 2, 5, 6]


@pytest.mark.asyncio
async def test_resume_passes_last_sequence_and_drops_replayed_duplicates() -> None:
    final = rpc_error(grpc.StatusCode.NOT_FOUND)  # not retried: ends the iteration
    opener = Opener(ScriptedCall([1, 2, 3], rpc_error()), ScriptedCall([2, 3, 4]),
                    ScriptedCall([], final))
    items: list[Any] = []
    stream = _resume.events(opener, RPC, _streams.CallRegistry(), after_sequence=0,
                             resume=True, on_gap="raise", policy=FAST)
    with pytest.raises(mxgw.MxGatewaySessionError):
        async for item in stream:
            items.append(item)
    assert [e.worker_sequence for e in items] == [1, 2, 3, 4]
    assert opener.after == [0, 3, 4]  # a clean end is a drop too: resumed after 4


@pytest.mark.asyncio
async def test_resume_reports_a_gap_across_reconnects() -> None:
    opener = Opener(ScriptedCall([1, 2], rpc_error()), ScriptedCall([7]))
    with pytest.raises(mxgw.MxGatewayStreamGapError) as info:
        await collect(opener, "raise", resume=True)
    assert (info.value.expected, info.value.received) == (3, 7)


def test_resume_backoff_doubles_up_to_the_cap() -> None:
    policy = mxgw.ResumePolicy(max_retries=6, initial_backoff=0.1, max_backoff=0.5)
    assert [policy.delay(n) for n in range(1, 6)] == pytest.approx([0.1, 0.2, 0.4, 0.5, 0.5])
