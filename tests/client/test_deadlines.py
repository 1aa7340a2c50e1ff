"""Deadlines, session opening and closing under faults, keepalive, and the library's
validation errors (issue 9, items 2-6 and 8), over real gRPC against the simulator.

The TCP proxy (proxykit) is the fake for what 127.0.0.1 cannot do: go silent, or hold
a reply back."""

from __future__ import annotations

import asyncio
import math
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import grpc
import pytest
from proxykit import Proxy

import mxgw
from mxgw.testing import RunningSimulator

BOUND = 60.0  # seconds: a bound on waits, never an assertion


def via(proxy: Proxy, sim: RunningSimulator, **overrides: Any) -> mxgw.ClientOptions:
    return mxgw.ClientOptions(proxy.endpoint, api_key=sim.api_key, plaintext=True, **overrides)


async def until(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(BOUND):
        while not condition():
            await asyncio.sleep(0.01)


# ------------------------------------------------------------------ opening and closing


@pytest.mark.asyncio
async def test_open_session_gets_a_floor_deadline(sim: RunningSimulator,
                                                  options_for: Any) -> None:
    # The gateway takes longer than the per-call timeout to open: before, the client gave
    # up (DEADLINE_EXCEEDED) while the gateway created the session, which stayed open.
    async with await mxgw.GatewayClient.connect(options_for(sim, timeout=0.05)) as client:
        sim.control.set_latency(0.3)
        session = await client.open_session()
        assert sim.control.open_session_count == 1
        assert await session.close() == "CLOSED"
    assert sim.control.open_session_count == 0


@pytest.mark.asyncio
async def test_a_close_slower_than_the_timeout_is_still_confirmed(sim: RunningSimulator,
                                                                   options_for: Any) -> None:
    async with await mxgw.GatewayClient.connect(options_for(sim, timeout=0.2)) as client:
        session = await client.open_session()
        sim.control.set_latency(0.6)  # CloseSession answers after 0.6 s > the 0.2 s timeout
        assert await session.close() == "CLOSED"
    assert sim.control.open_session_count == 0


@pytest.mark.asyncio
async def test_an_unconfirmed_close_raises_names_the_session_and_can_be_retried(
        sim: RunningSimulator, options_for: Any) -> None:
    async with await mxgw.GatewayClient.connect(options_for(sim)) as client:
        session = await client.open_session()
        sim.control.fail_next(1, grpc.StatusCode.UNAVAILABLE, "gone", "CloseSession")
        with pytest.raises(mxgw.MxGatewayTransportError,
                           match=f"close session {session.session_id}: UNAVAILABLE"):
            await session.close()
        assert session.closed and "unconfirmed" in repr(session)
        with pytest.raises(mxgw.MxGatewaySessionError, match="unconfirmed"):
            await session.read("TestChildObject.TestInt")
        assert sim.control.open_session_count == 1  # still open on the gateway
        assert await session.close() == "CLOSED"   # a second close() tries again
    assert sim.control.open_session_count == 0


@pytest.mark.asyncio
async def test_close_sessions_retries_an_unconfirmed_close(sim: RunningSimulator,
                                                          options_for: Any) -> None:
    client = await mxgw.GatewayClient.connect(options_for(sim))
    session = await client.open_session()
    sim.control.fail_next(1, grpc.StatusCode.UNAVAILABLE, "gone", "CloseSession")
    with pytest.raises(mxgw.MxGatewayTransportError):
        await session.close()
    await client.close(close_sessions=True)
    assert sim.control.open_session_count == 0


@pytest.mark.asyncio
async def test_a_task_cancelled_while_opening_closes_the_session_that_arrives_late(
        sim: RunningSimulator) -> None:
    # The gateway made the session but its reply has not arrived when the caller is
    # cancelled (Ctrl-C, SIGTERM): the reply is awaited and that session closed.
    async with Proxy(sim.endpoint) as proxy:
        async with await mxgw.GatewayClient.connect(via(proxy, sim)) as client:
            await client.galaxy.test_connection()  # the connection is up
            proxy.hold_replies()
            opening = asyncio.get_running_loop().create_task(client.open_session())
            await until(lambda: sim.control.open_session_count == 1)
            opening.cancel()
            await asyncio.sleep(0)
            proxy.release()
            with pytest.raises(asyncio.CancelledError):
                await opening
            assert sim.control.open_session_count == 0


@pytest.mark.asyncio
@pytest.mark.parametrize("lease", [0, 0.5, -1, math.nan, 1e12])
async def test_a_lease_out_of_range_is_refused(sim: RunningSimulator, options_for: Any,
                                               lease: float) -> None:
    async with await mxgw.GatewayClient.connect(options_for(sim)) as client:
        with pytest.raises(mxgw.MxGatewayConfigError, match="lease must be 1 to"):
            await client.open_session(lease=lease)
    assert sim.control.open_session_count == 0


# ------------------------------------------------------------------ deadlines


@pytest.mark.asyncio
async def test_query_active_alarms_carries_the_deadline(sim: RunningSimulator,
                                                        options_for: Any) -> None:
    async with await mxgw.GatewayClient.connect(options_for(sim, timeout=0.3)) as client:
        sim.control.set_latency(3.0)
        with pytest.raises(mxgw.MxGatewayTransportError, match="DEADLINE_EXCEEDED"):
            [alarm async for alarm in client.query_active_alarms()]


async def _first_of(client: mxgw.GatewayClient, stream: str) -> Any:
    """An endless stream of `stream` kind whose first message has arrived."""
    if stream == "events":
        session = await client.open_session()  # not closed: the network is about to die
        server = await session.register("keepalive")
        item = await session.add_item(server, "TestChildObject.TestInt")
        await session.advise(server, item)
        source: Any = session.stream_events()
    elif stream == "alarms":
        source = client.stream_alarms()
        while mxgw.alarm_feed_kind(await anext(source)) != "provider_status":
            pass  # the snapshot comes first; transitions only when values change
        return source
    else:
        source = client.galaxy.watch_deploy_events()
    await anext(source)
    return source


@pytest.mark.asyncio
@pytest.mark.parametrize("stream", ["events", "alarms", "deploys"])
async def test_keepalive_ends_an_endless_stream_when_the_network_goes_silent(
        sim: RunningSimulator, stream: str) -> None:
    async with Proxy(sim.endpoint) as proxy:
        options = via(proxy, sim, keepalive_seconds=2, timeout=5)
        async with await mxgw.GatewayClient.connect(options) as client:
            source = await _first_of(client, stream)
            proxy.blackhole()
            # Without keepalive pings this waited for ever (until BOUND here).
            with pytest.raises(mxgw.MxGatewayTransportError, match="UNAVAILABLE"):
                async with asyncio.timeout(BOUND):
                    await anext(source)


@pytest.mark.asyncio
@pytest.mark.parametrize("stream", ["events", "alarms", "deploys"])
async def test_the_simulator_accepts_keepalive_pings_on_an_idle_stream(
        sim: RunningSimulator, options_for: Any, stream: str) -> None:
    # The simulator's ping policy was set under a name grpc-core does not know, so its
    # default (a ping every 5 minutes at most) held: the GOAWAY "Too many pings" ended an
    # idle `mxgw stream-events` or quiet `mxgw watch` (exit 3) after 4 minutes of mxgw's
    # 60 s pings. Pings every second, as the README promises, make that a few seconds.
    async with await mxgw.GatewayClient.connect(
            options_for(sim, keepalive_seconds=1, timeout=5)) as client:
        source = await _first_of(client, stream)
        with pytest.raises(TimeoutError):  # nothing to say, and still connected
            async with asyncio.timeout(8):
                await anext(source)
        await source.aclose()


def test_keepalive_channel_options() -> None:
    from mxgw import _channel

    on = dict(_channel.channel_options(mxgw.ClientOptions("gw:1")))
    assert on["grpc.keepalive_time_ms"] == 60_000
    assert on["grpc.keepalive_timeout_ms"] == on["grpc.http2.ping_timeout_ms"] == 20_000
    assert on["grpc.keepalive_permit_without_calls"] == 0
    assert on["grpc.http2.max_pings_without_data"] == 0  # an idle stream is checked too
    off = dict(_channel.channel_options(mxgw.ClientOptions("gw:1", keepalive_seconds=0)))
    assert "grpc.keepalive_time_ms" not in off


# ------------------------------------------------------------------ RESOURCE_EXHAUSTED


@pytest.mark.asyncio
@pytest.mark.parametrize("method,details,expected", [
    ("Invoke", "too many pending commands (limit 128)", mxgw.MxGatewaySessionError),
    ("OpenSession", "too many sessions (limit 64)", mxgw.MxGatewaySessionError),
    ("Invoke", "Received message larger than max (20971520 vs. 16777216)",
     mxgw.MxGatewayCommandError),
    ("Invoke", "Sending message exceeds the maximum configured message size.",
     mxgw.MxGatewayCommandError),
    ("BrowseChildren", "too many requests", mxgw.MxGatewayCommandError),
])
async def test_resource_exhausted_is_a_session_error_only_when_it_is_about_sessions(
        sim: RunningSimulator, options_for: Any, method: str, details: str,
        expected: type[Exception]) -> None:
    async with await mxgw.GatewayClient.connect(options_for(sim)) as client:
        sim.control.fail_next(1, grpc.StatusCode.RESOURCE_EXHAUSTED, details, method)
        with pytest.raises(mxgw.MxGatewayError) as raised:
            if method == "BrowseChildren":
                await client.galaxy.browse_children()
            else:
                async with await client.open_session() as session:
                    await session.read("TestChildObject.TestInt")
        assert type(raised.value) is expected
        assert raised.value.grpc_code == "RESOURCE_EXHAUSTED"
        if "max" in details:
            assert "size limit" in raised.value.message


@pytest.mark.asyncio
async def test_a_long_name_quoted_back_arrives_as_the_gateways_own_error(
        sim: RunningSimulator, options_for: Any) -> None:
    # The simulator's NOT_FOUND quotes the 20 KB name: over grpc's default 16 KiB metadata
    # limit that arrived as RESOURCE_EXHAUSTED (between 8 and 16 KiB: at random).
    async with await mxgw.GatewayClient.connect(options_for(sim)) as client:
        with pytest.raises(mxgw.MxGatewayCommandError) as raised:
            await client.galaxy.browse_children(parent_tag_name="A" * 20_000)
    assert raised.value.grpc_code == "NOT_FOUND"
    assert len(raised.value.message) < 1000 and "more characters" in raised.value.message


# ------------------------------------------------------------------ validation


@pytest.mark.parametrize("timeout", [1e10, 86400.5, 0, -1, 0.0001, math.nan, math.inf])
def test_a_timeout_out_of_range_is_refused(timeout: float) -> None:
    with pytest.raises(mxgw.MxGatewayConfigError, match="0.001 to 86400 seconds"):
        mxgw.ClientOptions("gw:1", timeout=timeout)


@pytest.mark.parametrize("key", ["hunter2\nxyzzy", "mxgw_id_xyzzy\u00e9", "hunter2 xyzzy",
                                 "hunter2\txyzzy"])
def test_an_api_key_a_header_cannot_carry_is_refused_without_echoing_it(key: str) -> None:
    with pytest.raises(mxgw.MxGatewayConfigError, match="HTTP header") as raised:
        mxgw.ClientOptions("gw:1", api_key=key)
    assert "hunter2" not in str(raised.value) and "xyzzy" not in str(raised.value)


def test_a_pasted_key_loses_its_line_break() -> None:
    assert mxgw.ClientOptions("gw:1", api_key=" mxgw_a_b\r\n").api_key == "mxgw_a_b"


@pytest.mark.parametrize("make", [
    lambda: mxgw.ClientOptions(""),
    lambda: mxgw.ClientOptions("gw:99999"),
    lambda: mxgw.ClientOptions("http://gw:1", ca_file="ca.pem"),
    lambda: mxgw.to_mx_value("x", "int32"),
    lambda: mxgw.to_mx_value(float("nan")),
    lambda: mxgw.to_mx_value("\udcff"),
    lambda: mxgw.to_mx_value(10**30),
], ids=["empty endpoint", "port", "plaintext+ca", "int32 text", "nan", "surrogate", "int"])
def test_validation_failures_are_config_errors(make: Callable[[], Any]) -> None:
    with pytest.raises(mxgw.MxGatewayConfigError) as raised:
        make()
    assert isinstance(raised.value, ValueError)


@pytest.mark.asyncio
async def test_text_that_cannot_be_sent_is_a_config_error(sim: RunningSimulator,
                                                          options_for: Any) -> None:
    # What undecodable bytes in argv become: a lone surrogate. protobuf refused it with a
    # bare UnicodeEncodeError (the CLI's exit 1, "internal error").
    async with await mxgw.GatewayClient.connect(options_for(sim)) as client:
        async with await client.open_session() as session:
            with pytest.raises(mxgw.MxGatewayConfigError, match="UTF-8"):
                await session.read("\udcff")
        with pytest.raises(mxgw.MxGatewayConfigError, match="UTF-8"):
            await client.galaxy.browse_children(parent_tag_name="\udcff")


# ------------------------------------------------------------------ logging


def test_library_warnings_do_not_reach_stderr_unless_logging_is_configured() -> None:
    script = ("import logging, mxgw._session\n"
              "logging.getLogger('mxgw').warning('unsubscribing 3 tags failed')\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0 and done.stderr == ""
