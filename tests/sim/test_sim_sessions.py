"""Session limits, errors, the event queue bound, the replay ring, the lease."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import grpc
import pytest
from simkit import WAIT, Gw, code_of, connected, mx, pb, take, until

from mxgw.sim._options import MAX_LEASE_SECONDS


@pytest.mark.asyncio
async def test_unknown_session_is_not_found(gw: Gw) -> None:
    missing = "session-" + "0" * 32
    assert await code_of(gw.register(missing)) == grpc.StatusCode.NOT_FOUND
    assert await code_of(gw.close(missing)) == grpc.StatusCode.NOT_FOUND
    assert await code_of(gw.stream(missing).read()) == grpc.StatusCode.NOT_FOUND
    assert await code_of(gw.register("")) == grpc.StatusCode.INVALID_ARGUMENT


@pytest.mark.asyncio
async def test_malformed_commands_are_invalid_argument(gw: Gw) -> None:
    session_id = await gw.open()
    mismatched = pb.MxCommand(kind=pb.MX_COMMAND_KIND_WRITE,
                              register_command=pb.RegisterCommand())
    for command in (mismatched, pb.MxCommand(), None):
        request = pb.MxCommandRequest(session_id=session_id)
        if command is not None:
            request.command.CopyFrom(command)
        assert await code_of(gw.stub.Invoke(request, metadata=gw.metadata)) == \
            grpc.StatusCode.INVALID_ARGUMENT
    server = await gw.register(session_id)
    assert await code_of(gw.drain(session_id, max_events=-1)) == grpc.StatusCode.INVALID_ARGUMENT
    read = gw.invoke(session_id, read_bulk_command=pb.ReadBulkCommand(
        server_handle=server, tag_addresses=["TestChildObject.TestInt"], timeout_ms=-1))
    assert await code_of(read) == grpc.StatusCode.INVALID_ARGUMENT
    negative = gw.stub.OpenSession(pb.OpenSessionRequest(
        requested_lease={"seconds": -5}), metadata=gw.metadata)
    assert await code_of(negative) == grpc.StatusCode.INVALID_ARGUMENT


@pytest.mark.asyncio
async def test_session_limit_is_resource_exhausted() -> None:
    async with connected(max_sessions=2) as gw:
        first = await gw.open()
        await gw.open()
        assert await code_of(gw.open()) == grpc.StatusCode.RESOURCE_EXHAUSTED
        await gw.close(first)
        await gw.open()


@pytest.mark.asyncio
async def test_one_event_subscriber_per_session(gw: Gw) -> None:
    session_id, _, _ = await gw.subscribe("TestChildObject.TestInt")
    first = gw.stream(session_id)
    await take(first, 1)
    assert await code_of(gw.stream(session_id).read()) == grpc.StatusCode.ALREADY_EXISTS
    first.cancel()
    await until(lambda: gw.control.cancelled_streams == 1)
    second = gw.stream(session_id)
    gw.control.tick()  # TestInt does not move: use a write to see the new stream works
    gw.control.set_value("TestChildObject.TestInt", 3)
    (event,) = await take(second, 1)
    assert event.value.int32_value == 3
    second.cancel()


@pytest.mark.asyncio
async def test_queue_overflow_faults_the_session_and_ends_the_stream() -> None:
    async with connected(event_queue_limit=5) as gw:
        session_id, _, _ = await gw.subscribe("TestMachine_001.TestChangingInt")
        call = gw.stream(session_id)
        await take(call, 1)
        # Nobody reads while ten changes arrive at once: the bounded queue overflows.
        gw.control.tick(10)
        # The stream ends with the fault at once: nothing of the overflowed queue follows.
        assert await code_of(asyncio.wait_for(call.read(), WAIT)) == \
            grpc.StatusCode.FAILED_PRECONDITION
        assert "EventQueueOverflow" in (await call.details())
        (info,) = gw.control.sessions()
        assert info.state == "FAULTED"
        assert await code_of(gw.register(session_id)) == grpc.StatusCode.FAILED_PRECONDITION
        assert (await gw.close(session_id)).final_state == pb.SESSION_STATE_CLOSED


@pytest.mark.asyncio
async def test_overflow_without_a_stream_faults_too() -> None:
    async with connected(event_queue_limit=3) as gw:
        session_id, _, _ = await gw.subscribe("TestMachine_001.TestChangingInt")
        gw.control.tick(5)
        assert await code_of(gw.drain(session_id)) == grpc.StatusCode.FAILED_PRECONDITION


@pytest.mark.asyncio
async def test_replay_after_sequence_and_gap_sentinel() -> None:
    async with connected(replay_ring=4) as gw:
        session_id, _, _ = await gw.subscribe("TestMachine_001.TestChangingInt")
        gw.control.tick(7)  # sequences 1..8
        assert len(await gw.drain(session_id)) == 8
        call = gw.stream(session_id, after=5)
        replayed = await take(call, 3)
        assert [e.worker_sequence for e in replayed] == [6, 7, 8]
        call.cancel()
        call = gw.stream(session_id, after=2)  # 3 and 4 fell out of the 4-event ring
        gap, *rest = await take(call, 5)
        assert gap.family == pb.MX_EVENT_FAMILY_UNSPECIFIED and gap.WhichOneof("body") is None
        assert gap.HasField("replay_gap")
        assert (gap.replay_gap.requested_after_sequence,
                gap.replay_gap.oldest_available_sequence) == (2, 5)
        assert [e.worker_sequence for e in rest] == [5, 6, 7, 8]
        gw.control.tick()
        (live,) = await take(call, 1)
        assert live.worker_sequence == 9
        call.cancel()
        future = gw.stream(session_id, after=100)
        assert await code_of(future.read()) == grpc.StatusCode.INVALID_ARGUMENT


@pytest.mark.asyncio
async def test_replay_ring_ages_out() -> None:
    async with connected(replay_seconds=10) as gw:
        session_id, _, _ = await gw.subscribe("TestMachine_001.TestChangingInt")
        gw.control.tick(2)
        await gw.drain(session_id)
        gw.control.advance_time(11)
        call = gw.stream(session_id, after=1)
        (gap,) = await take(call, 1)
        assert gap.replay_gap.oldest_available_sequence == 4
        call.cancel()


@pytest.mark.asyncio
async def test_lease_expiry_closes_idle_sessions_only() -> None:
    async with connected(lease_seconds=60) as gw:
        idle = await gw.open()
        busy, _, _ = await gw.subscribe("TestChildObject.TestInt")
        call = gw.stream(busy)
        await take(call, 1)
        gw.control.advance_time(61)
        assert [s.session_id for s in gw.control.sessions()] == [busy]
        assert await code_of(gw.register(idle)) == grpc.StatusCode.NOT_FOUND
        assert (await gw.close(idle)).final_state == pb.SESSION_STATE_CLOSED
        call.cancel()


@pytest.mark.asyncio
async def test_any_call_renews_the_lease() -> None:
    async with connected(lease_seconds=60) as gw:
        session_id = await gw.open()
        gw.control.advance_time(50)
        await gw.register(session_id)  # renews: the lease now ends 60 s from here
        gw.control.advance_time(50)
        assert [s.session_id for s in gw.control.sessions()] == [session_id]
        gw.control.advance_time(11)
        assert gw.control.open_session_count == 0


@pytest.mark.asyncio
async def test_requested_lease_is_honoured(gw: Gw) -> None:
    reply = await gw.stub.OpenSession(pb.OpenSessionRequest(
        requested_lease={"seconds": 5}), metadata=gw.metadata)
    assert reply.backend_name == "mxaccess-worker"
    assert reply.protocol_status.code == pb.PROTOCOL_STATUS_CODE_OK
    gw.control.advance_time(6)
    assert gw.control.open_session_count == 0


@pytest.mark.asyncio
@pytest.mark.parametrize("seconds", [10**12, 2**62])
async def test_a_huge_requested_lease_is_granted_as_the_longest_lease(gw: Gw, seconds: int
                                                                       ) -> None:
    # Any peer may send these (grpc-js does): they were OverflowError, OpenSession UNKNOWN.
    before = time.time()
    reply = await gw.stub.OpenSession(pb.OpenSessionRequest(
        requested_lease={"seconds": seconds}), metadata=gw.metadata)
    assert reply.protocol_status.code == pb.PROTOCOL_STATUS_CODE_OK
    granted = reply.lease_expires_at.ToSeconds() - before
    assert MAX_LEASE_SECONDS - 60 < granted < MAX_LEASE_SECONDS + 60


@pytest.mark.asyncio
async def test_pending_command_limit() -> None:
    async with connected(max_pending_commands=2) as gw:
        session_id = await gw.open()
        gw.control.set_latency(1.0)  # long enough that all three are in flight together
        calls = [asyncio.ensure_future(code_of(gw.register(session_id))) for _ in range(3)]
        codes = await asyncio.wait_for(asyncio.gather(*calls), WAIT)
        assert sorted(c.name for c in codes) == ["OK", "OK", "RESOURCE_EXHAUSTED"]


@pytest.mark.asyncio
async def test_write_with_bad_handles_fails_per_mxaccess(gw: Gw) -> None:
    session_id = await gw.open()
    reply = await gw.write(session_id, 5, 1, mx(int32_value=1))
    assert reply.protocol_status.code == pb.PROTOCOL_STATUS_CODE_MXACCESS_FAILURE


@pytest.mark.asyncio
async def test_reconnect_right_after_cancel_takes_over(gw: Gw) -> None:
    session_id, _, _ = await gw.subscribe("TestMachine_001.TestChangingInt")
    last = 0
    for _ in range(10):
        call = gw.stream(session_id, after=last)
        gw.control.tick()
        (event, *_) = await take(call, 1)
        last = event.worker_sequence
        call.cancel()  # and reconnect at once, as a client resuming would
    assert last >= 10


class _Context:
    """A stand-in for a stream's grpc context: whether the call has ended."""

    def __init__(self, finished: bool = False) -> None:
        self.finished = finished

    def cancelled(self) -> bool:
        return self.finished

    def done(self) -> bool:
        return self.finished


def _session() -> Any:
    from mxgw.sim import SimOptions
    from mxgw.sim._demo import demo_spec
    from mxgw.sim._galaxy_file import build
    from mxgw.sim._sessions import SessionManager

    return SessionManager(SimOptions(), build(demo_spec(2)), lambda: 0.0).open("x", None)


# The wire shows these orders only now and then (the grpc-js test below them makes them
# often), so these drive Session.attach with stand-in contexts.
@pytest.mark.asyncio
async def test_attach_takes_over_from_a_finished_stream_at_once() -> None:
    session = _session()
    finished, new = _Context(), _Context()
    await session.attach(finished)
    finished.finished = True  # cancelled, its cleanup not run yet
    await session.attach(new)
    session.detach(finished)  # the old stream's late cleanup leaves the new one attached
    assert session.subscriber is new


@pytest.mark.asyncio
async def test_attach_waits_for_a_cancel_that_arrives_after_the_reconnect() -> None:
    session = _session()
    old, new = _Context(), _Context()
    await session.attach(old)
    attaching = asyncio.ensure_future(session.attach(new))
    await asyncio.sleep(0)  # the new stream is waiting: the old one still looks live
    assert not attaching.done() and session.subscriber is old
    session.detach(old)  # now the old stream's cancel is acted on
    await asyncio.wait_for(attaching, WAIT)
    assert session.subscriber is new


@pytest.mark.asyncio
async def test_attach_refuses_a_subscriber_that_stays_live(monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    from mxgw.sim import _sessions
    from mxgw.sim._rpc import RpcError

    monkeypatch.setattr(_sessions, "TAKEOVER_GRACE", 0.05)  # shortens the wait, not a bound
    session = _session()
    live = _Context()
    await session.attach(live)
    # Two newcomers at once: neither takes over from a stream that does not end.
    refusals = await asyncio.gather(session.attach(_Context()), session.attach(_Context()),
                                    return_exceptions=True)
    assert [getattr(r, "code", r) for r in refusals] == [grpc.StatusCode.ALREADY_EXISTS] * 2
    assert isinstance(refusals[0], RpcError) and session.subscriber is live
