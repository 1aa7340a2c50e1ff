"""GatewayClient: one channel to the gateway, sessions, alarms and the Galaxy browser.

    options = ClientOptions.from_env(endpoint="gateway01:5120", plaintext=True)
    async with await GatewayClient.connect(options) as client:
        async with await client.open_session() as session:
            print(await session.read("TestChildObject.TestInt"))
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncGenerator
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, cast

from . import _channel, _errors, _streams
from ._contract_store import chosen
from ._log import log
from ._options import ClientOptions
from ._rpc._calls import Rpc
from ._rpc._records import OpenedSession
from ._session import Session
from ._version import __version__

# The longest lease open_session asks for (a year); the gateway's default is 1800 s.
MAX_LEASE = 365 * 24 * 3600.0

if TYPE_CHECKING:
    import grpc

    from ._galaxy import GalaxyRepositoryClient
    from ._known import CertificateTrust
    from ._rpc._contract import Contract
    from ._rpc._types import (
        ActiveAlarmSnapshot,
        AlarmFeedMessage,
        MxCommandReply,
        MxCommandRequest,
    )
    from ._rpc._verify import ContractVerification


class GatewayClient:
    """A connection to one gateway. Create with `await GatewayClient.connect(options)`;
    use as an async context manager. Closing the client cancels its streams and closes the
    channel; sessions stay open on the gateway until closed (use `async with session`) or
    until their lease runs out, so `mxgw open-session` can hand one to a later command."""

    def __init__(self, options: ClientOptions, channel: grpc.aio.Channel, rpc: Rpc,
                 description: str, certificate_trust: CertificateTrust | None = None) -> None:
        self._options = options
        self._channel = channel
        self._rpc = rpc
        self._description = description
        self._trust = certificate_trust
        self._sessions: set[Session] = set()
        self._calls = _streams.CallRegistry()
        self._close_task: asyncio.Task[None] | None = None
        self._galaxy: GalaxyRepositoryClient | None = None

    @classmethod
    async def connect(cls, options: ClientOptions | str | None = None, **overrides: Any
                      ) -> GatewayClient:
        """Open the channel. With TLS trust-on-first-use this probes the gateway's
        certificate now (a failure is an MxGatewayTransportError naming the endpoint) and
        checks it against `tls_pin` or known_gateways.json (a different one raises
        MxGatewayCertificateChangedError before any call); otherwise the first call
        connects.

            client = await GatewayClient.connect(ClientOptions("gw:5120", plaintext=True))
            client = await GatewayClient.connect(endpoint="gw:5120", plaintext=True)
            client = await GatewayClient.connect("http://gw:5120", api_key=key)
        """
        if isinstance(options, str):
            options = ClientOptions(options, **overrides)
        elif options is None:
            options = ClientOptions(**overrides)
        elif overrides:
            options = dataclasses.replace(options, **overrides)
        # Loaded and checked first: a contract the tool cannot speak is refused before
        # anything connects (MxGatewayContractError, naming each name).
        contract = chosen(options.contract, options.endpoint)
        plan = await _channel.plan_channel(options)
        channel = _channel.open_channel(plan)
        rpc = Rpc(channel, _channel.auth_metadata(options.api_key), options.timeout,
                  tls=plan.tls, endpoint=plan.target, read_only=options.read_only,
                  profile=options.profile, contract=contract)
        return cls(options, channel, rpc, plan.description, plan.trust)

    @property
    def options(self) -> ClientOptions:
        return self._options

    @property
    def transport_description(self) -> str:
        """"plaintext (h2c)", "TLS (CA file ...)", "TLS (system trust roots)", or for
        trust-on-first-use "TLS (trust-on-first-use: new, now pinned SHA-256 ..)",
        "TLS (trust-on-first-use: pinned, known since ..., SHA-256 ..)",
        "TLS (pinned by tls_pin, SHA-256 ..)"."""
        return self._description

    @property
    def certificate_trust(self) -> CertificateTrust | None:
        """How the gateway's certificate was trusted on connecting (`status` "new",
        "known", "pinned" or "not-stored"); None for plaintext, a CA file or system roots."""
        return self._trust

    async def check_certificate(self) -> None:
        """Probe the gateway's certificate again and raise MxGatewayCertificateChangedError
        when it is not the one this client trusted on connecting (trust-on-first-use or
        `tls_pin`): after a gateway restart, say, when calls fail with UNAVAILABLE.

            try:
                await client.check_certificate()
            except mxgw.MxGatewayCertificateChangedError as exc:
                print("refused:", exc.presented)

        Never trusts anything new: the channel accepts only the certificate it was built
        with. Plaintext, CA-file and system-root clients have nothing to check (their
        handshake verifies on its own). A failed probe is an MxGatewayTransportError.
        """
        if self._trust is not None:
            await _channel.check_pinned(self._options, self._trust)

    @property
    def galaxy(self) -> GalaxyRepositoryClient:
        """The Galaxy Repository service on the same channel (made on first use, so a
        command that never browses does not import it)."""
        if self._galaxy is None:
            from ._galaxy import GalaxyRepositoryClient

            self._galaxy = GalaxyRepositoryClient(self._rpc, self._calls)
        return self._galaxy

    @property
    def contract(self) -> Contract:
        """The wire contract this client speaks: `options.contract`, else the one
        `mxgw contract fetch` stored for the endpoint, else the built-in one (`proto/`).
        Its message classes are the REPL's preloaded modules; `contract.describe()` says
        where it came from."""
        return self._rpc.contract

    @property
    def contract_verification(self) -> ContractVerification | None:
        """Whether the contract was checked against the gateway's own (server reflection,
        before the first call on the channel): None until a call was made, then
        `verified` True ("reflection") or False ("not offered")."""
        return self._rpc.verification

    def contract_status(self) -> dict[str, Any]:
        """Where the contract came from and whether the gateway confirmed it, as `ping`
        prints it: `{"source": "file", "path", "sha256", "verified": True,
        "how": "reflection"}`; `how` is "not checked" before the first call."""
        verification = self._rpc.verification
        checked = verification.describe() if verification is not None else {
            "verified": False, "how": "not checked"}
        return {**self.contract.describe(), **checked}

    async def verify_contract(self) -> ContractVerification:
        """Check the contract against the gateway's now (what the first call does by
        itself); MxGatewayContractError naming each field that disagrees."""
        self._check_open()
        return await self._rpc.verify()

    @property
    def channel(self) -> grpc.aio.Channel:
        """The underlying grpc.aio channel, e.g. for
        `client.channel.get_state(try_to_connect=False)`; do not close it yourself."""
        return self._channel

    @property
    def closed(self) -> bool:
        return self._close_task is not None

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<GatewayClient {self._options.endpoint} {self._description} {state}>"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.close()

    def _check_open(self) -> None:
        if self.closed:
            raise self._rpc.closed_error()

    # ------------------------------------------------------------ sessions

    async def open_session(self, name: str = "mxgw", lease: float | None = None) -> Session:
        """Open a session (one MXAccess worker); `lease` in seconds (None = gateway default).

        OpenSession gets at least 5 s whatever the client timeout, so a tiny timeout does
        not give up on a session the gateway is creating. When the calling task is
        cancelled while OpenSession is in flight, the reply is still awaited and a session
        it names is closed before the cancellation goes on.
        """
        self._check_open()
        if lease is not None and not 1 <= lease <= MAX_LEASE:
            raise _errors.MxGatewayConfigError(
                f"lease must be 1 to {MAX_LEASE:g} seconds (got {lease!r})")
        opening = asyncio.ensure_future(
            self._rpc.open_session(name, f"mxgw {__version__}", lease))
        # Retrieved here even when nobody awaits it any more (a second cancellation):
        # asyncio would print "Task exception was never retrieved" on stderr.
        opening.add_done_callback(lambda task: task.cancelled() or task.exception())
        try:
            opened = await asyncio.shield(opening)
        except asyncio.CancelledError:
            await self._close_late(opening)
            raise
        session = Session(self._rpc, opened.session_id, name=name,
                          on_closed=self._sessions.discard,
                          lease_expires_at=opened.lease_expires_at)
        self._sessions.add(session)
        return session

    async def _close_late(self, opening: asyncio.Future[OpenedSession]) -> None:
        """Close the session an OpenSession whose caller was cancelled may still open."""
        try:
            session_id = (await opening).session_id
        except _errors.MxGatewayError:
            return  # nothing was opened
        try:
            await self._rpc.close_session(session_id, "cancelled while opening")
        except _errors.MxGatewayError as exc:
            log.warning("closing session %s (cancelled while opening) failed: %s",
                        session_id, exc)

    def attach_session(self, session_id: str, name: str = "mxgw") -> Session:
        """A Session for an existing session id (no RPC). Closing it closes that session."""
        self._check_open()
        if not session_id.strip():
            raise _errors.MxGatewayConfigError("session id is empty")
        return Session(self._rpc, session_id, name=name)

    async def close_session(self, session_id: str, reason: str = "") -> str:
        """Close a session by id; returns the final state name ("CLOSED")."""
        self._check_open()
        return await self._rpc.close_session(session_id, reason)

    async def invoke(self, request: MxCommandRequest) -> MxCommandReply:
        """Send a prepared command for the session named in it; raise on any failure.
        Build it with `client.contract`'s classes (the REPL's `gateway_pb2`); one of
        another contract's is copied by field names. The reply is the contract's class."""
        return await self._invoke(request, strict=True)

    async def invoke_raw(self, request: MxCommandRequest) -> MxCommandReply:
        """Like `invoke`, checking only the protocol status (HRESULT and statuses are yours)."""
        return await self._invoke(request, strict=False)

    async def _invoke(self, request: MxCommandRequest, *, strict: bool) -> MxCommandReply:
        self._check_open()
        # The public types are the built-in contract's classes, the seam's its table (a
        # request of another contract's classes is carried over by names there).
        prepared: Any = request
        reply: Any = await self._rpc.invoke(prepared, "invoke", strict=strict)
        return cast("MxCommandReply", reply)

    # ------------------------------------------------------------ alarms (session-less)

    async def acknowledge_alarm(self, reference: str, comment: str = "", operator: str = "",
                                node: str = "", domain: str = "", full_name: str = "") -> int:
        """Acknowledge an alarm by GUID or `Provider!Group.Tag`; returns the native status."""
        self._check_open()
        return await self._rpc.acknowledge_alarm(reference, comment, operator, node, domain,
                                                 full_name)

    def stream_alarms(self, prefix: str = "") -> AsyncGenerator[AlarmFeedMessage, None]:
        """Active alarms, snapshot_complete, provider status, then transitions until you stop.

        `mxgw.alarm_feed_kind(message)` names the member that is set."""
        self._check_open()
        return _streams.iterate(self._rpc.stream_alarms(prefix), self._rpc, "stream alarms",
                                self._calls)

    def query_active_alarms(self, prefix: str = "") -> AsyncGenerator[ActiveAlarmSnapshot, None]:
        """The currently active alarms (the stream ends after the last one)."""
        self._check_open()
        return _streams.iterate(self._rpc.query_active_alarms(prefix), self._rpc,
                                "query active alarms", self._calls)

    # ------------------------------------------------------------ close

    async def close(self, *, close_sessions: bool = False) -> None:
        """Cancel the client's streams and close the channel; with `close_sessions`, first
        close the sessions this client opened and has not closed. Safe to call more than
        once and from several tasks at the same time."""
        if self._close_task is None:
            self._close_task = asyncio.get_running_loop().create_task(
                self._close(close_sessions))
        await asyncio.shield(self._close_task)

    async def _close(self, close_sessions: bool) -> None:
        try:
            # A close in flight (its caller cancelled by Ctrl-C or SIGTERM) finishes first:
            # closing the channel under it would leave the session open on the gateway.
            pending = [task for s in self._sessions if (task := s.closing) is not None]
            if pending:
                await asyncio.wait(pending)
            for session in list(self._sessions) if close_sessions else []:
                try:
                    await session.close("client closed")
                except _errors.MxGatewayError as exc:
                    log.warning("closing session %s failed: %s", session.session_id, exc)
            self._calls.close()
        finally:
            await self._rpc.close()
