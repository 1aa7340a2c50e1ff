"""Close: once, concurrently, always on context exit; use after close is a clear error."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import grpc
import pytest

import mxgw
from mxgw.testing import RunningSimulator


@pytest.mark.asyncio
async def test_context_manager_closes_the_session(client: mxgw.GatewayClient,
                                                  sim: RunningSimulator) -> None:
    with pytest.raises(RuntimeError):
        async with await client.open_session() as session:
            assert sim.control.open_session_count == 1
            raise RuntimeError("boom")
    assert session.closed and sim.control.open_session_count == 0


@pytest.mark.asyncio
async def test_failed_close_does_not_hide_the_blocks_exception(
        client: mxgw.GatewayClient, sim: RunningSimulator,
        caplog: pytest.LogCaptureFixture) -> None:
    sim.control.fail_next(1, grpc.StatusCode.UNAVAILABLE, "close down", method="CloseSession")
    with pytest.raises(RuntimeError, match="boom"):
        async with await client.open_session() as session:
            raise RuntimeError("boom")
    assert session.closed and "close down" in caplog.text
    # Without an exception in flight, the failed close is the error.
    sim.control.fail_next(1, grpc.StatusCode.UNAVAILABLE, "close down", method="CloseSession")
    with pytest.raises(mxgw.MxGatewayTransportError, match="close down"):
        async with await client.open_session():
            pass


@pytest.mark.asyncio
async def test_concurrent_close_sends_one_close_session(client: mxgw.GatewayClient,
                                                        sim: RunningSimulator) -> None:
    session = await client.open_session()
    # If two CloseSession calls went out, one would fail (injected) and one succeed.
    sim.control.fail_next(1, grpc.StatusCode.UNAVAILABLE, "once", method="CloseSession")
    results = await asyncio.gather(*(session.close() for _ in range(5)),
                                   return_exceptions=True)
    assert all(isinstance(r, mxgw.MxGatewayTransportError) for r in results)
    assert sim.control.open_session_count == 1  # the one CloseSession failed
    assert await client.close_session(session.session_id) == "CLOSED"
    other = await client.open_session()
    assert await asyncio.gather(other.close(), other.close()) == ["CLOSED", "CLOSED"]
    assert sim.control.open_session_count == 0


@pytest.mark.asyncio
async def test_use_after_close_is_a_clear_error(client: mxgw.GatewayClient) -> None:
    session = await client.open_session()
    await session.close()
    with pytest.raises(mxgw.MxGatewaySessionError, match="is closed"):
        await session.register("x")
    with pytest.raises(mxgw.MxGatewaySessionError, match="is closed"):
        session.stream_events()
    await client.close()
    await client.close()  # idempotent
    with pytest.raises(mxgw.MxGatewayTransportError, match="is closed"):
        await client.open_session()
    with pytest.raises(mxgw.MxGatewayTransportError, match="is closed"):
        await client.galaxy.test_connection()


@pytest.mark.asyncio
async def test_a_session_left_open_by_a_closed_client_is_a_clear_error(
        client: mxgw.GatewayClient, sim: RunningSimulator) -> None:
    # client.close() leaves the session open on the gateway (its id can be handed on);
    # using the Session object then says why, as the client does (not grpc's UsageError).
    session = await client.open_session()
    await client.close()
    assert sim.control.open_session_count == 1
    with pytest.raises(mxgw.MxGatewayTransportError, match="client for .* is closed"):
        await session.read("TestChildObject.TestInt")
    with pytest.raises(mxgw.MxGatewayTransportError, match="client for .* is closed"):
        await session.register("x")
    with pytest.raises(mxgw.MxGatewayTransportError, match="client for .* is closed"):
        async for _ in session.stream_events():
            break
    with pytest.raises(mxgw.MxGatewayTransportError, match="client for .* is closed"):
        await session.close()
    assert sim.control.open_session_count == 1
    async with await mxgw.GatewayClient.connect(client.options) as other:
        assert await other.close_session(session.session_id) == "CLOSED"


@pytest.mark.asyncio
async def test_closing_a_closed_session_by_id_is_idempotent(client: mxgw.GatewayClient) -> None:
    session = await client.open_session()
    assert await client.close_session(session.session_id) == "CLOSED"
    assert await client.close_session(session.session_id) == "CLOSED"


@pytest.mark.asyncio
async def test_attach_session_drives_an_existing_session(client: mxgw.GatewayClient) -> None:
    opened = await client.open_session()
    attached = client.attach_session(opened.session_id)
    assert await attached.register("attached") == 1
    assert await attached.close() == "CLOSED"
    with pytest.raises(ValueError):
        client.attach_session(" ")


@pytest.mark.asyncio
async def test_client_close_can_close_its_sessions(sim: RunningSimulator,
                                                   options_for: Any) -> None:
    client = await mxgw.GatewayClient.connect(options_for(sim))
    kept = await client.open_session()
    await client.close()  # default: sessions stay open for a later command
    assert sim.control.open_session_count == 1
    client = await mxgw.GatewayClient.connect(options_for(sim))
    await client.close_session(kept.session_id)
    await client.open_session()
    await client.open_session()
    await client.close(close_sessions=True)
    assert sim.control.open_session_count == 0


@pytest.mark.asyncio
async def test_connect_accepts_keywords(sim: RunningSimulator) -> None:
    client = await mxgw.GatewayClient.connect(endpoint=sim.endpoint, api_key=sim.api_key,
                                              plaintext=True)
    async with client:
        assert client.transport_description == "plaintext (h2c)"
        assert sim.api_key not in repr(client)
    async with await mxgw.GatewayClient.connect(f"http://{sim.endpoint}",
                                                api_key=sim.api_key) as client:
        assert client.options.uses_plaintext
    with pytest.raises(TypeError):
        await mxgw.GatewayClient.connect(sim.endpoint, bogus=1)


@pytest.mark.asyncio
async def test_channel_state_is_visible(client: mxgw.GatewayClient) -> None:
    async with await client.open_session():
        state = client.channel.get_state(try_to_connect=False)
    assert state == grpc.ChannelConnectivity.READY


@pytest.mark.asyncio
@pytest.mark.parametrize("fail", ["unary", "session", "stream"])
async def test_close_does_not_wait_on_a_failed_call_still_held(
        sim: RunningSimulator, options_for: Any, monkeypatch: pytest.MonkeyPatch,
        fail: str) -> None:
    # The error of a failed call is kept while the client closes (the CLI reports it after
    # its `finally`; `except E as e: errors.append(e)`). Its grpc frames held the call, so
    # the channel outlived close() and the connection watch waited out its bound: every
    # failing mxgw command took a second longer. The bound is made long to show it.
    from mxgw._rpc import _calls

    monkeypatch.setattr(_calls, "WATCH_CLOSE_BOUND", 20.0)
    client = await mxgw.GatewayClient.connect(options_for(sim))
    try:
        if fail == "unary":
            await client.galaxy.browse_children(parent_tag_name="No_Such_Object")
        elif fail == "session":
            await client.close_session("session-" + "0" * 32)
        else:
            async for _ in client.attach_session("session-" + "0" * 32).stream_events():
                pass
    except mxgw.MxGatewayError as exc:
        held = exc
    else:
        pytest.fail("the call did not fail")
    started = asyncio.get_running_loop().time()
    await client.close()
    assert asyncio.get_running_loop().time() - started < 5.0
    assert held.__cause__ is not None  # still chained: --debug tracebacks show the grpc error


@pytest.mark.asyncio
@pytest.mark.parametrize("stream", ["alarms", "deploys", "events", "events before verify"])
async def test_close_does_not_wait_on_a_stream_left_early(
        sim: RunningSimulator, options_for: Any, monkeypatch: pytest.MonkeyPatch,
        stream: str) -> None:
    # A stream left after its first message (a --count/--max-messages reached) left grpc's
    # message generator suspended, holding its call in a reference cycle: the channel
    # outlived close() until a garbage collection, and `mxgw stream-alarms --max-messages 1`
    # (galaxy-watch --count, stream-events --max-events, alarms --follow) took a second
    # longer. The bound is made long to show it.
    from mxgw._rpc import _calls

    monkeypatch.setattr(_calls, "WATCH_CLOSE_BOUND", 20.0)
    client = await mxgw.GatewayClient.connect(options_for(sim))
    if stream != "events before verify":
        await client.galaxy.test_connection()  # verified: the stream is grpc's own call
    session = await client.open_session()
    messages: Any = {"alarms": lambda: client.stream_alarms(),
                     "deploys": lambda: client.galaxy.watch_deploy_events(),
                     }.get(stream, lambda: session.stream_events())()
    if stream.startswith("events"):
        server = await session.register("close-test")  # advised: at least one event
        await session.advise(server, await session.add_item(server, "TestChildObject.TestInt"))
    async with contextlib.aclosing(messages):
        async for _ in messages:
            break
    await session.close()
    started = asyncio.get_running_loop().time()
    await client.close()
    assert asyncio.get_running_loop().time() - started < 5.0
