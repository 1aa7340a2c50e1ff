"""The simulator: its state objects, the grpc.aio server, and the background tasks."""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

import grpc

from ._alarms import AlarmManager
from ._auth import ALL_SCOPES, READ_ONLY_SCOPES, KeyStore
from ._calls import CallContext, generic_handler
from ._commands import CommandRunner
from ._demo import demo_spec
from ._deploy import DeployState
from ._faults import Faults
from ._galaxy import Galaxy
from ._galaxy_file import build, load_file
from ._limits import MAX_MESSAGE_BYTES
from ._options import SimOptions
from ._servicer_galaxy import SERVICE as GALAXY_SERVICE
from ._servicer_galaxy import GalaxyServicer
from ._servicer_gateway import SERVICE as GATEWAY_SERVICE
from ._servicer_gateway import GatewayServicer
from ._sessions import SessionManager
from ._users import Users
from ._wire import load_wire


def _host_port(host: str, port: int) -> str:
    """`host:port`, with an IPv6 host in brackets."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def load_galaxy(options: SimOptions) -> Galaxy:
    if options.galaxy_file:
        return load_file(options.galaxy_file, options.seed)
    return build(demo_spec(options.objects), options.seed)


class Simulator:
    """One simulated gateway. `start()` binds and serves; `stop()` cancels everything."""

    def __init__(self, options: SimOptions) -> None:
        self.options = options
        # First: a contract that cannot be loaded or lacks a name refuses the start.
        self.wire = wire = load_wire(options.contract)
        self._clock_offset = 0.0
        self.galaxy = load_galaxy(options)
        self.keys = KeyStore(enabled=options.auth)
        self.api_key = self.keys.make_key(ALL_SCOPES)
        self.read_only_api_key = self.keys.make_key(READ_ONLY_SCOPES)
        self.users = Users()
        self.faults = Faults()
        self.alarms = AlarmManager(self.galaxy, wire)
        self.sessions = SessionManager(options, self.galaxy, self.clock, wire)
        self.alarms.listeners.append(self.sessions.on_alarm)
        self.deploys = DeployState(wire.gpb)
        self.calls = CallContext(self.keys, self.faults)
        self.gateway = GatewayServicer(
            self.sessions, CommandRunner(self.users, self.alarms, wire), self.alarms,
            self.faults, wire)
        self.galaxy_service = GalaxyServicer(self.galaxy, self.deploys, wire)
        self.port = 0
        self.ca_pem: bytes | None = None
        self._server: grpc.aio.Server | None = None
        self._tasks: list[asyncio.Task[None]] = []

    def clock(self) -> float:
        """Monotonic seconds; control.advance_time moves it for lease and replay tests."""
        return time.monotonic() + self._clock_offset

    def advance_time(self, seconds: float) -> None:
        self._clock_offset += seconds
        self.sessions.expire_leases()

    @property
    def endpoint(self) -> str:
        return _host_port(self.options.host, self.port)

    @property
    def transport(self) -> str:
        return "tls" if self.options.tls else "plaintext"

    async def start(self) -> None:
        server = grpc.aio.server(options=[
            ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
            ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
            ("grpc.so_reuseport", 0),
            # Allow clients' keepalive pings down to once a second (grpc-core's default
            # is once in 5 minutes, answered with GOAWAY too_many_pings), as an ASP.NET
            # Core gateway does: mxgw pings every 60 s, its tests every few seconds.
            # (GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS is spelled
            # "grpc.http2.min_ping_interval_without_data_ms"; grpc ignores unknown names.)
            ("grpc.http2.min_ping_interval_without_data_ms", 1000),
            ("grpc.keepalive_permit_without_calls", 1),
        ])
        wire = self.wire
        server.add_generic_rpc_handlers((
            generic_handler(wire.service(GATEWAY_SERVICE), self.gateway.rpcs(), self.calls),
            generic_handler(wire.service(GALAXY_SERVICE), self.galaxy_service.rpcs(),
                            self.calls),
        ))
        if self.options.reflection:
            from ._reflection import reflection_handlers

            server.add_generic_rpc_handlers(reflection_handlers(
                (GATEWAY_SERVICE, GALAXY_SERVICE), wire.pool))
        address = _host_port(self.options.host, self.options.port)
        try:
            if self.options.tls:
                from ._tls import server_credentials

                credentials, self.ca_pem = server_credentials(self.options)
                self.port = server.add_secure_port(address, credentials)
            else:
                self.port = server.add_insecure_port(address)
        except RuntimeError as exc:  # grpc reports a failed bind this way
            raise OSError(f"cannot listen on {address}: {exc}") from None
        if self.port == 0:
            raise OSError(f"cannot listen on {address}")
        await server.start()
        self._server = server
        self._spawn(self._reap_leases())
        if self.options.tick_interval is not None:
            self._spawn(self._every(self.options.tick_interval, self.galaxy.tick))
        if self.options.deploy_period is not None:
            self._spawn(self._every(self.options.deploy_period, self.deploys.deploy))

    def _spawn(self, coro: Any) -> None:
        self._tasks.append(asyncio.get_running_loop().create_task(coro))

    async def _every(self, period: float, action: Any) -> None:
        """Run `action` every `period` seconds on a fixed schedule: the time the action
        takes does not stretch the period; when it overruns, the next one runs at once."""
        loop = asyncio.get_running_loop()
        due = loop.time() + period
        while True:
            await asyncio.sleep(max(0.0, due - loop.time()))
            action()
            due = max(due + period, loop.time())

    async def _reap_leases(self) -> None:
        period = min(1.0, self.options.lease_seconds / 4)
        while True:
            await asyncio.sleep(period)
            self.sessions.expire_leases()

    async def stop(self, grace: float | None = 0.5) -> None:
        """Close every session (their streams end), cancel alarm and deploy feeds, stop."""
        self.calls.stopping = True
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        self.sessions.close_all()
        self.alarms.close_feeds()
        self.deploys.close()
        if self._server is not None:
            await self._server.stop(grace)
            self._server = None

    async def wait_closed(self) -> None:
        if self._server is not None:
            await self._server.wait_for_termination()
