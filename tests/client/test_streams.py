"""Event iteration, cancellation, resume after drops and replay gaps."""

from __future__ import annotations

import contextlib
from typing import Any

import grpc
import pytest

import mxgw
from mxgw import _rpc
from mxgw.testing import RunningSimulator, run_simulator

INT = "TestChildObject.TestInt"
FAST = mxgw.ResumePolicy(max_retries=3, initial_backoff=0.01, max_backoff=0.05)


async def advised(session: mxgw.Session, tag: str = INT) -> tuple[int, int]:
    server = await session.register("pytest")
    item = await session.add_item(server, tag)
    await session.advise(server, item)
    return server, item


@pytest.mark.asyncio
async def test_events_arrive_in_sequence(session: mxgw.Session, sim: RunningSimulator) -> None:
    await advised(session)
    seen: list[int] = []
    async with contextlib.aclosing(session.stream_events()) as events:
        async for event in events:
            info = _rpc.event_info(event)
            seen.append(info.sequence)
            if len(seen) == 3:
                break
            sim.control.set_value(INT, len(seen))
    assert seen == [seen[0], seen[0] + 1, seen[0] + 2]


@pytest.mark.asyncio
async def test_cancelling_the_task_cancels_the_call(session: mxgw.Session,
                                                    sim: RunningSimulator,
                                                    cancel_consumer: Any) -> None:
    await advised(session)
    await cancel_consumer(session.stream_events(), sim)
    # the session's one stream slot is free again
    async with contextlib.aclosing(session.stream_events()) as events:
        sim.control.set_value(INT, 9)
        assert _rpc.event_info(await anext(events)).family == "ON_DATA_CHANGE"


@pytest.mark.asyncio
async def test_second_subscriber_is_a_session_error(session: mxgw.Session) -> None:
    await advised(session)
    async with contextlib.aclosing(session.stream_events()) as first:
        await anext(first)
        with pytest.raises(mxgw.MxGatewaySessionError, match="ALREADY_EXISTS"):
            async for _ in session.stream_events():
                pass


@pytest.mark.asyncio
async def test_dropped_stream_without_resume_is_a_transport_error(
        session: mxgw.Session, sim: RunningSimulator) -> None:
    await advised(session)
    with pytest.raises(mxgw.MxGatewayTransportError, match="UNAVAILABLE"):
        async for _ in session.stream_events():
            sim.control.drop_event_streams(session.session_id)


@pytest.mark.asyncio
async def test_resume_after_a_dropped_stream_loses_nothing(
        session: mxgw.Session, sim: RunningSimulator) -> None:
    await advised(session)
    sequences: list[int] = []
    values: list[Any] = []
    async with contextlib.aclosing(session.stream_events(resume=True, policy=FAST)) as events:
        async for event in events:
            sequences.append(_rpc.event_info(event).sequence)
            values.append(mxgw.TagValue.from_message(event).value)
            if len(sequences) == 1:
                sim.control.drop_event_streams(session.session_id)
                # changes while no stream is attached: replayed after the reconnect
                sim.control.set_value(INT, 1)
                sim.control.set_value(INT, 2)
            if len(sequences) == 3:
                break
    assert sequences == list(range(sequences[0], sequences[0] + 3))
    assert values == [0, 1, 2]


@pytest.mark.asyncio
async def test_replay_gap_is_reported_not_hidden(options_for: Any) -> None:
    async with run_simulator(tick_interval=None, replay_ring=2) as sim:
        async with await mxgw.GatewayClient.connect(options_for(sim)) as client:
            async with await client.open_session() as session:
                await advised(session)
                for value in range(1, 6):
                    sim.control.set_value(INT, value)
                drained = await session.drain_events()
                last = _rpc.event_info(drained[-1]).sequence
                # ask for events long gone from the 2-event ring
                with pytest.raises(mxgw.MxGatewayStreamGapError) as info:
                    async for _ in session.stream_events(after_sequence=1):
                        pass
                assert info.value.expected == 2 and info.value.received > 2
                items = []
                stream = session.stream_events(after_sequence=1, on_gap="event", resume=True,
                                               policy=FAST)
                async with contextlib.aclosing(stream) as events:
                    async for item in events:
                        items.append(item)
                        if isinstance(item, mxgw.StreamGap):
                            continue
                        sequence = _rpc.event_info(item).sequence
                        if sequence == last:  # replay done: drop, resume, change once more
                            sim.control.drop_event_streams(session.session_id)
                            sim.control.set_value(INT, 99)
                        if sequence == last + 1:
                            assert mxgw.TagValue.from_message(item).value == 99
                            break
                gap = items[0]
                assert isinstance(gap, mxgw.StreamGap) and gap.kind == "replay"
                assert gap.expected == 2 and gap.lost == gap.received - 2
                assert [_rpc.event_info(e).sequence for e in items[1:]] == list(
                    range(gap.received, last + 2))


@pytest.mark.asyncio
async def test_resume_gives_up_after_bounded_retries(session: mxgw.Session,
                                                     sim: RunningSimulator) -> None:
    await advised(session)
    sim.control.fail_next(10, grpc.StatusCode.UNAVAILABLE, "down", method="StreamEvents")
    with pytest.raises(mxgw.MxGatewayTransportError, match="gave up after 3 reconnects"):
        async for _ in session.stream_events(resume=True, policy=FAST):
            pass


@pytest.mark.parametrize("code, error", [
    (grpc.StatusCode.UNAUTHENTICATED, mxgw.MxGatewayAuthenticationError),
    (grpc.StatusCode.PERMISSION_DENIED, mxgw.MxGatewayAuthorizationError),
    (grpc.StatusCode.INVALID_ARGUMENT, mxgw.MxGatewayCommandError),
    (grpc.StatusCode.NOT_FOUND, mxgw.MxGatewaySessionError),
])
@pytest.mark.asyncio
async def test_resume_never_retries_final_errors(
        session: mxgw.Session, sim: RunningSimulator, code: grpc.StatusCode,
        error: type[Exception]) -> None:
    await advised(session)
    sim.control.fail_next(1, code, "no", method="StreamEvents")
    sim.control.fail_next(1, grpc.StatusCode.UNAVAILABLE, "second attempt", method="StreamEvents")
    with pytest.raises(error, match=code.name):
        async for _ in session.stream_events(resume=True, policy=FAST):
            pass


@pytest.mark.asyncio
async def test_closing_the_session_ends_its_streams_quietly(session: mxgw.Session) -> None:
    await advised(session)
    received = []
    async for event in session.stream_events():
        received.append(event)
        await session.close()
    assert len(received) == 1 and session.closed


@pytest.mark.asyncio
async def test_resume_stops_when_the_session_faulted(session: mxgw.Session,
                                                     sim: RunningSimulator) -> None:
    await advised(session)
    with pytest.raises(mxgw.MxGatewaySessionError):
        async for _ in session.stream_events(resume=True, policy=FAST):
            sim.control.fault_session(session.session_id)


def test_the_backoff_is_capped_and_never_overflows() -> None:
    policy = mxgw.ResumePolicy(max_retries=10_000, initial_backoff=0.1, max_backoff=2.0)
    assert [policy.delay(n) for n in (1, 2, 3, 5, 6)] == [0.1, 0.2, 0.4, 1.6, 2.0]
    # A caller that keeps trying for hours (the REPL's reconnect) gets past 2 ** 1024.
    assert policy.delay(5000) == 2.0
