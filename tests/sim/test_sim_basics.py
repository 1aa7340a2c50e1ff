"""The first milestone: sessions, handles, advise, events, writes, control."""

from __future__ import annotations

import asyncio

import grpc
import pytest
from simkit import WAIT, Gw, connected, mx, pb, take


@pytest.mark.asyncio
async def test_open_register_add_advise_streams_values(gw: Gw) -> None:
    session_id, server, item = await gw.subscribe("TestMachine_001.TestChangingInt")
    assert session_id.startswith("session-") and len(session_id) == len("session-") + 32
    assert (server, item) == (1, 1)
    call = gw.stream(session_id)
    first, = await take(call, 1)
    assert first.family == pb.MX_EVENT_FAMILY_ON_DATA_CHANGE
    assert first.WhichOneof("body") == "on_data_change"
    assert (first.session_id, first.server_handle, first.item_handle) == (session_id, 1, 1)
    assert first.value.int32_value == 0 and first.quality == 192
    gw.control.tick(3)
    events = await take(call, 3)
    assert [e.value.int32_value for e in events] == [1, 2, 3]
    assert [e.worker_sequence for e in [first, *events]] == [1, 2, 3, 4]
    call.cancel()


@pytest.mark.asyncio
async def test_write_completes_then_changes(gw: Gw) -> None:
    session_id, server, item = await gw.subscribe("TestChildObject.TestInt")
    await gw.drain_until(session_id, 1)
    reply = await gw.write(session_id, server, item, mx(int32_value=42))
    assert reply.protocol_status.code == pb.PROTOCOL_STATUS_CODE_OK
    complete, change = await gw.drain_until(session_id, 2)
    assert complete.family == pb.MX_EVENT_FAMILY_ON_WRITE_COMPLETE
    assert complete.statuses[0].category == pb.MX_STATUS_CATEGORY_OK
    assert change.value.int32_value == 42
    assert gw.control.get_value("TestChildObject.TestInt") == 42


@pytest.mark.asyncio
async def test_item_handles_reused_after_remove(gw: Gw) -> None:
    session_id = await gw.open()
    server = await gw.register(session_id)
    assert await gw.register(session_id) == 2
    a = await gw.add(session_id, server, "TestChildObject.TestInt")
    b = await gw.add(session_id, server, "TestChildObject.TestBool")
    await gw.invoke(session_id, remove_item_command=pb.RemoveItemCommand(
        server_handle=server, item_handle=a))
    assert (a, b) == (1, 2)
    assert await gw.add(session_id, server, "TestChildObject.TestString") == 1
    reply = await gw.invoke(session_id, add_item2_command=pb.AddItem2Command(
        server_handle=server, tag_address="TestChildObject.TestFloat", item_context="ctx"))
    assert reply.add_item2.item_handle == 3
    correlated = await gw.stub.Invoke(pb.MxCommandRequest(
        session_id=session_id, client_correlation_id="abc-1", command=pb.MxCommand(
            kind=pb.MX_COMMAND_KIND_REGISTER, register_command=pb.RegisterCommand())),
        metadata=gw.metadata)
    assert (correlated.correlation_id, correlated.kind) == ("abc-1", pb.MX_COMMAND_KIND_REGISTER)
    assert correlated.session_id == session_id


@pytest.mark.asyncio
async def test_unadvise_stops_events(gw: Gw) -> None:
    session_id, server, item = await gw.subscribe("TestMachine_002.TestChangingInt")
    await gw.invoke(session_id, un_advise_command=pb.UnAdviseCommand(
        server_handle=server, item_handle=item))
    gw.control.tick(2)
    assert len(await gw.drain(session_id)) == 1  # only the advise's first value


@pytest.mark.asyncio
async def test_close_is_idempotent_and_control_lists_sessions(gw: Gw) -> None:
    session_id = await gw.open("my-client")
    (info,) = gw.control.sessions()
    assert (info.session_id, info.state, info.client_name) == (session_id, "READY", "my-client")
    assert gw.control.open_session_count == 1
    assert (await gw.close(session_id)).final_state == pb.SESSION_STATE_CLOSED
    assert (await gw.close(session_id)).final_state == pb.SESSION_STATE_CLOSED
    assert gw.control.open_session_count == 0


@pytest.mark.asyncio
async def test_set_value_reaches_subscriber(gw: Gw) -> None:
    session_id, _, _ = await gw.subscribe("Tank001.Level")
    gw.control.set_value("Tank001.Level", 12.5)
    events = await gw.drain_until(session_id, 2)
    assert events[-1].value.double_value == 12.5
    assert gw.control.get_value("Tank001.Level") == 12.5


@pytest.mark.asyncio
async def test_closing_session_ends_its_stream(gw: Gw) -> None:
    session_id, _, _ = await gw.subscribe("TestChildObject.TestInt")
    call = gw.stream(session_id)
    await take(call, 1)
    await gw.close(session_id)
    assert await asyncio.wait_for(call.read(), WAIT) == grpc.aio.EOF
    assert await asyncio.wait_for(call.code(), WAIT) == grpc.StatusCode.OK


@pytest.mark.asyncio
async def test_values_tick_on_their_own_by_default() -> None:
    async with connected(tick_interval=0.01) as gw:
        session_id, _, _ = await gw.subscribe("TestMachine_003.TestChangingInt")
        events = await gw.drain_until(session_id, 3)
        assert events[2].value.int32_value > events[0].value.int32_value
