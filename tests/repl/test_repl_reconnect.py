"""The REPL's reconnect (`_reconnect.SessionLink`, `_proxy.ReplSession`) against the
in-process simulator: restarted on the same port, refusing calls, faulting the session.

The end-to-end version (a REPL process under a pseudo-terminal, a simulator process
stopped and started again) is in test_repl_e2e.py.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import re
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import grpc
import pytest
import pytest_asyncio

import mxgw
from mxgw import _paths
from mxgw._resume import ResumePolicy
from mxgw.repl._completion import TagCache
from mxgw.repl._info import ConnectionMonitor, follow_link
from mxgw.repl._main import Connected, ReplSettings, with_session
from mxgw.repl._proxy import ReplSession
from mxgw.repl._reconnect import BACKOFF, SessionLink
from mxgw.repl._toolbar import ReplInfo, toolbar_fragments
from mxgw.repl._watch import Watches
from mxgw.testing import RunningSimulator, run_simulator

BOUND = 30.0  # seconds: an upper bound on every wait, never an assertion
FAST = ResumePolicy(initial_backoff=0.01, max_backoff=0.05)
TAG = "TestChildObject.TestInt"


async def until(condition: Callable[[], bool]) -> None:
    async def poll() -> None:
        while not condition():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), BOUND)


class Gateway:
    """An in-process simulator that can be stopped and started again on the same port,
    as a restarted gateway service is (no API key: a restart would change it)."""

    def __init__(self, **options: Any) -> None:
        self.options = {"tick_interval": None, "auth": False, **options}
        self.port = 0
        self.sim: RunningSimulator | None = None
        self._stack: AsyncExitStack | None = None

    async def start(self) -> RunningSimulator:
        self._stack = AsyncExitStack()
        self.sim = await self._stack.enter_async_context(
            run_simulator(port=self.port, **self.options))
        self.port = int(self.sim.endpoint.rsplit(":", 1)[1])
        return self.sim

    async def stop(self) -> None:
        if self._stack is not None:
            stack, self._stack = self._stack, None
            await stack.aclose()

    def session_ids(self) -> set[str]:
        assert self.sim is not None
        return {s.session_id for s in self.sim.control.sessions()}


class Rig:
    """A session, its link (fast backoff), watches and what they said."""

    def __init__(self, client: Any, session: Any, server: int, *, enabled: bool = True
                 ) -> None:
        self.client = client
        self.notices: list[str] = []
        self.changes: list[Any] = []
        self.link = SessionLink(client, "repl-test", session, server,
                                notice=self.notices.append, enabled=enabled, policy=FAST)
        self.watches = Watches(self.link, lambda w, c: self.changes.append(c),
                               self.notices.append)
        self.session = self.link.proxy

    async def said(self, pattern: str) -> re.Match[str]:
        regex = re.compile(pattern)
        found: list[re.Match[str]] = []

        def seen() -> bool:
            found.extend(m for m in map(regex.search, self.notices) if m)
            return bool(found)

        try:
            await until(seen)
        except TimeoutError:
            raise AssertionError(f"{pattern!r} never said; notices: {self.notices}") from None
        return found[0]


@pytest_asyncio.fixture
async def gateway() -> AsyncIterator[Gateway]:
    gw = Gateway()
    await gw.start()
    try:
        yield gw
    finally:
        await gw.stop()


async def _rig(gateway: Gateway, *, timeout: float = 10.0, enabled: bool = True
               ) -> AsyncIterator[Rig]:
    assert gateway.sim is not None
    options = mxgw.ClientOptions(f"127.0.0.1:{gateway.port}", plaintext=True, timeout=timeout)
    async with await mxgw.GatewayClient.connect(options) as client:
        session = await client.open_session(name="repl-test")
        rig = Rig(client, session, int(await session.register("repl-test")), enabled=enabled)
        try:
            yield rig
        finally:
            await rig.watches.stop_all()
            await rig.link.aclose("test over", report=False)


@pytest_asyncio.fixture
async def rig(gateway: Gateway) -> AsyncIterator[Rig]:
    async for value in _rig(gateway):
        yield value


async def _lose(rig: Rig, gateway: Gateway) -> str:
    """The gateway stops taking calls; the next call finds out and starts the reconnect."""
    assert gateway.sim is not None
    old = rig.link.session.session_id
    gateway.sim.control.stop_accepting()
    with pytest.raises(mxgw.MxGatewayTransportError, match="UNAVAILABLE"):
        await rig.session.read(TAG)
    assert rig.link.state == "reconnecting"
    assert re.fullmatch(rf"session {old} lost \(\w[\w ]*: UNAVAILABLE: gateway is not "
                        r"accepting calls\); reconnecting", rig.notices[-1]), rig.notices
    return str(old)


def test_the_backoff_grows_to_its_cap_and_survives_a_long_outage() -> None:
    delays = [BACKOFF.delay(attempt) for attempt in range(1, 7)]
    assert delays == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0]
    # The REPL never gives up; after hours of attempts 2 ** attempt overflowed a float.
    assert BACKOFF.delay(5000) == 5.0


@pytest.mark.asyncio
async def test_a_restarted_gateway_gets_a_new_session_the_namespace_follows() -> None:
    gateway = Gateway()
    await gateway.start()
    options = mxgw.ClientOptions(f"127.0.0.1:{gateway.port}", plaintext=True, timeout=10)
    notices: list[str] = []
    changes: list[Any] = []
    seen: dict[str, Any] = {}

    async def body(connected: Connected) -> int:
        ns = connected.namespace
        held = ns["session"]  # what a user's `s = session` keeps
        first = connected.link.session
        seen["first"] = first.session_id
        ns["watch"](TAG)
        await until(lambda: len(changes) >= 1)

        await gateway.stop()
        # The call that finds the gateway gone fails (it is never sent twice) ...
        with pytest.raises(mxgw.MxGatewayTransportError):
            await ns["read"](TAG)
        assert connected.link.state == "reconnecting"
        sim = await gateway.start()  # the same port, a gateway that knows no session
        await until(lambda: any(n.startswith("reconnected (session ") for n in notices))
        second = connected.link.session
        seen["second"] = second.session_id
        assert notices[-1] == f"reconnected (session {second.session_id})"
        # ... and the ones after it work, through the same `session` object.
        assert ns["session"] is held and held.session_id == second.session_id != first.session_id
        assert ns["server"] == connected.link.server
        assert (await held.read(TAG))[TAG].ok
        assert (await ns["read"](TAG)).ok
        await until(lambda: first.closed)  # the old one: closed here (the gateway forgot it)
        with pytest.raises(mxgw.MxGatewaySessionError, match=r"session \S+ is clos"):
            await first.read(TAG)
        # The watch subscribed again on the new session and goes on printing.
        sim.control.set_value(TAG, 4321)
        await until(lambda: any(c.value.value == 4321 for c in changes))
        assert gateway.session_ids() == {second.session_id}
        return 0

    try:
        async with await mxgw.GatewayClient.connect(options) as client:
            code = await asyncio.wait_for(with_session(
                client, ReplSettings(reconnect=True), body,
                on_change=lambda w, c: changes.append(c), notice=notices.append,
                report_close=True), BOUND)
        assert code == 0
        # Leaving closed the session that was open: the new one.
        assert notices[-1] == f"session {seen['second']} closed (CLOSED)"
        assert gateway.session_ids() == set()
        lost = [n for n in notices if n.endswith("; reconnecting")]
        assert len(lost) == 1 and seen["first"] in lost[0], notices
    finally:
        await gateway.stop()


@pytest.mark.asyncio
async def test_a_call_made_while_reconnecting_waits_for_the_new_session(
        rig: Rig, gateway: Gateway) -> None:
    assert gateway.sim is not None
    old = await _lose(rig, gateway)
    call = asyncio.get_running_loop().create_task(rig.session.read(TAG))
    await rig.said(r"^still reconnecting: open session: UNAVAILABLE")
    assert not call.done()  # it waits: the gateway still refuses
    assert "connection reconnecting" in "".join(
        text for _, text in toolbar_fragments(_info(rig)))
    gateway.sim.control.resume_accepting()
    values = await asyncio.wait_for(call, BOUND)
    assert values[TAG].ok
    new = rig.link.session.session_id
    assert new != old and rig.notices[-1] == f"reconnected (session {new})"
    # The old session is closed on the gateway too (it still knew it): nothing leaks.
    await until(lambda: gateway.session_ids() == {new})


def _info(rig: Rig, channel: Callable[[], str] = lambda: "up") -> ReplInfo:
    """The toolbar's facts, its connection word from the link (as repl_info does)."""
    return ReplInfo(endpoint=rig.link.endpoint, transport="plaintext",
                    session_id=rig.link.session.session_id, client_name="repl-test",
                    server=rig.link.server,
                    connection=lambda: rig.link.connection_text(channel()))


@pytest.mark.asyncio
async def test_a_call_fails_clearly_when_the_reconnect_outlasts_its_timeout(
        gateway: Gateway) -> None:
    assert gateway.sim is not None
    async for rig in _rig(gateway, timeout=2.0):
        await _lose(rig, gateway)
        with pytest.raises(mxgw.MxGatewayTransportError) as info:
            await rig.session.read(TAG)
        assert str(info.value) == (f"not sent: still reconnecting to 127.0.0.1:{gateway.port} "
                                   "after 2 s (the REPL keeps trying; the toolbar says when "
                                   "it is back)")
        assert rig.link.state == "reconnecting"
        gateway.sim.control.resume_accepting()
        await rig.said(r"^reconnected \(session ")
        assert (await rig.session.read(TAG))[TAG].ok


@pytest.mark.asyncio
async def test_ctrl_c_cancels_a_call_waiting_for_the_reconnect(rig: Rig,
                                                               gateway: Gateway) -> None:
    assert gateway.sim is not None
    await _lose(rig, gateway)
    call = asyncio.get_running_loop().create_task(rig.session.read(TAG))
    await rig.said(r"^still reconnecting")
    call.cancel()  # what the console's Ctrl-C does to the running statement
    with pytest.raises(asyncio.CancelledError):
        await call
    assert rig.link.state == "reconnecting"  # the reconnect itself goes on
    gateway.sim.control.resume_accepting()
    await rig.said(r"^reconnected")


@pytest.mark.asyncio
@pytest.mark.parametrize(("code", "error"), [
    (grpc.StatusCode.UNAUTHENTICATED, mxgw.MxGatewayAuthenticationError),
    (grpc.StatusCode.PERMISSION_DENIED, mxgw.MxGatewayAuthorizationError),
])
async def test_authentication_and_permission_errors_stop_reconnecting(
        rig: Rig, gateway: Gateway, code: grpc.StatusCode, error: type[Exception]) -> None:
    sim = gateway.sim
    assert sim is not None
    old = rig.link.session.session_id
    watch = rig.watches.start([TAG])
    await until(lambda: len(rig.changes) >= 1)
    # The worker dies (FAILED_PRECONDITION from now on); the gateway then refuses the
    # key once. A second OpenSession would succeed: none must be sent.
    sim.control.fault_session(old)
    sim.control.fail_next(1, code, method="OpenSession")
    await rig.said(r"^reconnecting stopped: ")
    stopped = [n for n in rig.notices if n.startswith("reconnecting stopped")]
    assert len(stopped) == 1 and code.name in stopped[0] and "not retried" in stopped[0]
    assert rig.link.state == "stopped" and isinstance(rig.link.final_error, error)
    assert gateway.session_ids() == {old}  # no new session was opened
    with pytest.raises(mxgw.MxGatewaySessionError, match="^not sent: the session was lost "
                                                         "and reconnecting stopped"):
        await rig.session.read(TAG)
    await until(lambda: not watch.running)
    assert "failed" in repr(watch)
    assert rig.link.connection_text("up") == "lost (not reconnecting)"
    assert len([n for n in rig.notices if n.startswith("reconnecting stopped")]) == 1


@pytest.mark.asyncio
async def test_no_reconnect_says_so_once_and_leaves_the_session_lost(
        gateway: Gateway) -> None:
    sim = gateway.sim
    assert sim is not None
    async for rig in _rig(gateway, enabled=False):
        old = rig.link.session.session_id
        # A failing channel alone proves nothing: the gateway may keep the session.
        rig.link.channel_down()
        assert rig.link.state == "up" and rig.notices == []
        sim.control.fault_session(old)
        for _ in range(2):  # each call reaches the gateway and gets its answer
            with pytest.raises(mxgw.MxGatewaySessionError, match="FAILED_PRECONDITION"):
                await rig.session.read(TAG)
        assert rig.link.state == "lost" and rig.link.session.session_id == old
        said = (f"session {old} lost (register: FAILED_PRECONDITION: session faulted: worker "
                "process exited); not reconnecting (--no-reconnect)")
        assert rig.notices == [said]
        assert rig.link.connection_text("up") == "lost (--no-reconnect)"
        assert gateway.session_ids() == {old}


@pytest.mark.asyncio
async def test_scripts_do_not_reconnect_and_say_nothing(gateway: Gateway) -> None:
    assert gateway.sim is not None
    options = mxgw.ClientOptions(f"127.0.0.1:{gateway.port}", plaintext=True, timeout=10)
    notices: list[str] = []

    async def body(connected: Connected) -> int:
        assert gateway.sim is not None
        gateway.sim.control.fault_session(connected.link.session.session_id)
        with pytest.raises(mxgw.MxGatewaySessionError, match="FAILED_PRECONDITION"):
            await connected.namespace["read"](TAG)
        assert connected.link.state == "lost"
        return 0

    async with await mxgw.GatewayClient.connect(options) as client:
        await with_session(client, ReplSettings(interactive=False, reconnect=False), body,
                           on_change=lambda w, c: None, notice=notices.append)
    assert notices == []  # a script's stderr is its failing statement's error only


@pytest.mark.asyncio
async def test_a_session_opened_by_a_failed_attempt_is_closed(rig: Rig,
                                                              gateway: Gateway) -> None:
    sim = gateway.sim
    assert sim is not None
    old = rig.link.session.session_id
    sim.control.fault_session(old)
    with pytest.raises(mxgw.MxGatewaySessionError):
        await rig.session.read(TAG)
    # The first attempt opens a session and its Register fails: that session must not
    # stay open on the gateway while the second attempt opens another.
    sim.control.fail_next(1, grpc.StatusCode.UNAVAILABLE, method="Invoke")
    await rig.said(r"^reconnected \(session ")
    new = rig.link.session.session_id
    await until(lambda: gateway.session_ids() == {new})


@pytest.mark.asyncio
async def test_leaving_while_reconnecting_stops_it_and_returns(gateway: Gateway) -> None:
    sim = gateway.sim
    assert sim is not None
    options = mxgw.ClientOptions(f"127.0.0.1:{gateway.port}", plaintext=True, timeout=10)
    notices: list[str] = []
    links: list[SessionLink] = []

    async def body(connected: Connected) -> int:
        links.append(connected.link)
        sim.control.stop_accepting()
        with pytest.raises(mxgw.MxGatewayTransportError):
            await connected.namespace["read"](TAG)
        await until(lambda: any(n.startswith("still reconnecting") for n in notices))
        return 0

    async with await mxgw.GatewayClient.connect(options) as client:
        code = await asyncio.wait_for(with_session(
            client, ReplSettings(), body, on_change=lambda w, c: None,
            notice=notices.append, report_close=True), BOUND)
    assert code == 0 and links[0].state == "closed"
    # The lost session's close was tried (the gateway refused it: best effort, bounded).
    assert notices[-1].startswith(f"closing session {links[0].session.session_id}: ")
    sim.control.resume_accepting()
    assert len(gateway.session_ids()) == 1  # the old one only: no reconnect after leaving


@pytest.mark.asyncio
async def test_a_restarted_gateway_with_a_new_certificate_is_refused_not_retrusted() -> None:
    gateway = Gateway(tls=True)
    first = await gateway.start()
    options = mxgw.ClientOptions(first.endpoint, timeout=10)  # trust-on-first-use
    try:
        async with await mxgw.GatewayClient.connect(options) as client:
            assert client.certificate_trust is not None
            session = await client.open_session(name="repl-test")
            rig = Rig(client, session, int(await session.register("repl-test")))
            known = Path(_paths.known_gateways_file())
            before = known.read_bytes()
            await gateway.stop()
            second = await gateway.start()  # the same port, a new self-signed certificate
            assert second.certificate_sha256 != first.certificate_sha256
            with pytest.raises(mxgw.MxGatewayTransportError):
                await rig.session.read(TAG)  # the pinned channel refuses the handshake
            await rig.said(r"^reconnecting stopped: MxGatewayCertificateChangedError: ")
            refused = rig.link.final_error
            assert isinstance(refused, mxgw.MxGatewayCertificateChangedError)
            assert (refused.expected, refused.presented) == (
                first.certificate_sha256, second.certificate_sha256)
            assert known.read_bytes() == before  # nothing re-trusted or stored
            entry = json.loads(before)["gateways"][first.endpoint]
            assert entry["sha256"] == first.certificate_sha256
            assert gateway.session_ids() == set()  # no session on the impostor
            await rig.link.aclose("test over", report=False)
    finally:
        await gateway.stop()


@pytest.mark.asyncio
async def test_the_toolbar_follows_the_link_and_redraws(rig: Rig, gateway: Gateway) -> None:
    sim = gateway.sim
    assert sim is not None
    channel = {"state": "up"}
    monitor = ConnectionMonitor(lambda: channel["state"])
    monitor.state = "up"
    failing = {"left": 1}

    async def names() -> AsyncIterator[str]:
        if failing["left"]:
            failing["left"] -= 1
            raise mxgw.MxGatewayTransportError("galaxy: UNAVAILABLE", grpc_code="UNAVAILABLE")
        yield "Pump001.Speed"

    cache = TagCache()
    cache.start(names)
    await until(lambda: cache.state.startswith("failed"))
    info = _info(rig, lambda: monitor.state)
    redraws: list[str] = []
    follow_link(rig.link, info, monitor, cache, lambda: redraws.append(rig.link.state))

    def toolbar() -> str:
        return "".join(text for _, text in toolbar_fragments(info))

    sim.control.stop_accepting()
    channel["state"] = "down"
    monitor._poll_once()  # what the monitor's task does every second
    assert rig.link.state == "reconnecting" and "reconnecting" in redraws
    assert rig.notices[-1] == f"connection to 127.0.0.1:{gateway.port} lost; reconnecting"
    assert "| connection reconnecting " in toolbar()
    sim.control.resume_accepting()
    await rig.said(r"^reconnected")
    channel["state"] = "up"
    monitor._poll_once()
    assert redraws[-1] == "up"
    assert info.session_id == rig.link.session.session_id and info.server == rig.link.server
    assert f"| {info.session_id} " in toolbar() and "| connection up " in toolbar()
    # The tag list failed to load while the gateway was away: loaded again now.
    await until(lambda: cache.state == "ready (1 tags)")


@pytest.mark.asyncio
async def test_session_is_a_faithful_stand_in(rig: Rig) -> None:
    real = rig.link.session
    proxy = rig.session
    assert isinstance(proxy, ReplSession) and repr(proxy) == repr(real)
    public = {n for n in dir(mxgw.Session) if not n.startswith("_")}
    assert public <= set(dir(proxy))
    # Completion and help(session.read) see the real signatures and docstrings.
    for name in ("read", "write_tag", "subscribe", "read_bulk", "stream_events"):
        assert inspect.signature(getattr(proxy, name)) == inspect.signature(getattr(real, name))
        assert getattr(proxy, name).__doc__ == getattr(mxgw.Session, name).__doc__
    assert proxy.session_id == real.session_id and proxy.MAX_BULK_ITEMS == real.MAX_BULK_ITEMS
    assert inspect.iscoroutinefunction(proxy.read)
    assert not inspect.iscoroutinefunction(proxy.subscribe)
    server = await proxy.default_server()
    assert isinstance(server, int)


@pytest.mark.asyncio
async def test_the_reconnect_goes_ahead_as_soon_as_the_channel_is_back(
        gateway: Gateway) -> None:
    # A backoff far longer than the bound of this test: only the channel connecting again
    # can wake the reconnect in time.
    options = mxgw.ClientOptions(f"127.0.0.1:{gateway.port}", plaintext=True, timeout=10)
    async with await mxgw.GatewayClient.connect(options) as client:
        session = await client.open_session(name="repl-test")
        notices: list[str] = []
        link = SessionLink(client, "repl-test", session, int(await session.register("x")),
                           notice=notices.append,
                           policy=ResumePolicy(initial_backoff=3600, max_backoff=3600))
        try:
            await gateway.stop()
            with pytest.raises(mxgw.MxGatewayTransportError):
                await link.proxy.read(TAG)
            assert link.state == "reconnecting"
            await gateway.start()
            await until(lambda: link.state == "up")
            assert notices[-1] == f"reconnected (session {link.session.session_id})"
        finally:
            await link.aclose("test over", report=False)
