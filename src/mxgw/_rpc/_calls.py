"""The call layer: the gateway's rpcs on one channel.

    rpc = Rpc(channel, metadata, timeout, tls=False, endpoint="gw:5120", read_only=False)
    opened = await rpc.open_session("mxgw", "mxgw 1.0", lease=None)
    reply = await rpc.invoke(command(rpc.contract, opened.session_id, "register", "x"),
                             "register", strict=True)
    await rpc.close()  # closes the channel too

Stubs are made (on first use) from the table's rpc rows with the contract's message
classes, so a contract loaded at run time needs no generated code. Every call carries
the API-key metadata and, unless it runs until cancelled, the per-call deadline.

Read-only is enforced here and nowhere else in the library: every write the gateway
knows is an Invoke of a write command kind or an AcknowledgeAlarm, and both ask
`check_writable` first.

The contract is checked against the gateway's here too, before the first call on the
channel (`_verify`: server reflection, once; a disagreement is MxGatewayContractError and
nothing is sent), so no call, write or read, goes out in a contract known to disagree.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import Any, cast

import grpc

from .. import _errors
from . import _names as n
from ._commands import is_write
from ._contract import Contract
from ._errors import check_reply, check_status, map_errors
from ._records import OpenedSession, final_state, opened
from ._table import Message, Method
from ._verify import ContractVerification

# Deadlines of their own for opening and closing a session, whatever the per-call timeout:
# a tiny --timeout must not leave a session open on the gateway (an OpenSession that
# expires after the gateway created the session, a CloseSession cut short).
SESSION_CALL_FLOOR = 5.0
CLOSE_DEADLINE_CAP = 30.0
# How long a close waits for the connection watch to see the channel close (it takes
# a loop turn or two; the bound only keeps a close from hanging on a grpc that never says).
WATCH_CLOSE_BOUND = 1.0


def close_deadline(timeout: float | None) -> float:
    """CloseSession's deadline: the per-call timeout, at least 5 s and at most 30 s."""
    return min(max(timeout or CLOSE_DEADLINE_CAP, SESSION_CALL_FLOOR), CLOSE_DEADLINE_CAP)


def open_deadline(timeout: float | None) -> float | None:
    """OpenSession's deadline: the per-call timeout, at least 5 s (None stays None)."""
    return None if timeout is None else max(timeout, SESSION_CALL_FLOOR)


class Rpc:
    """The rpcs on one channel, the API-key metadata, the unary deadline, the read-only
    guard, and the contract whose messages they carry."""

    def __init__(
        self,
        channel: grpc.aio.Channel,
        metadata: tuple[tuple[str, str], ...],
        timeout: float | None,
        *,
        tls: bool,
        endpoint: str,
        read_only: bool = False,
        profile: str | None = None,
        contract: Contract | None = None,
    ) -> None:
        self.contract = contract or Contract.builtin()
        self.timeout = timeout
        self.read_only = read_only
        self._channel = channel
        self._stubs: dict[Method[Any, Any], Any] = {}
        self._metadata = metadata  # holds the API key: never printed
        self._tls = tls
        self._endpoint = endpoint
        self._profile = profile
        # None until the first call compared the contract with the gateway's.
        self.verification: ContractVerification | None = None
        self._verifying: asyncio.Lock | None = None
        self._refused: _errors.MxGatewayContractError | None = None
        self._watcher: asyncio.Task[None] | None = None
        self._closed = False

    def __repr__(self) -> str:
        return f"<Rpc {self._endpoint}>"

    def closed_error(self) -> _errors.MxGatewayTransportError:
        """What any call on a closed client raises (the client's own methods too)."""
        return _errors.MxGatewayTransportError(f"the client for {self._endpoint} is closed")

    def check_open(self) -> None:
        """A session outliving its client (client.close() leaves sessions open) says so,
        as the client does, instead of grpc's `UsageError: Channel is closed.`"""
        if self._closed:
            raise self.closed_error()

    @contextlib.contextmanager
    def errors(self, operation: str, *, session: bool = False) -> Iterator[None]:
        """map_errors for this channel. A call that failed UNAVAILABLE lost its connection
        (or never had one), and the next one may reach another gateway: the check goes."""
        with map_errors(operation, session=session, tls=self._tls, endpoint=self._endpoint):
            try:
                yield
            except grpc.aio.AioRpcError as exc:
                if exc.code() == grpc.StatusCode.UNAVAILABLE:
                    self._forget()
                raise

    def check_writable(self, operation: str) -> None:
        """Refuse a write on read-only options (MxGatewayReadOnlyError), before sending."""
        if self.read_only:
            raise _errors.read_only_refusal(operation, self._profile)

    def _stub(self, rpc: Method[Any, Any]) -> Any:
        stub = self._stubs.get(rpc)
        if stub is None:
            request, response = self.contract.method_classes(rpc)
            # What the generated stubs do (a registered method costs less per call); the
            # grpc stubs do not know the keyword.
            make: Any = (self._channel.unary_stream if rpc.server_streaming
                         else self._channel.unary_unary)
            stub = self._stubs[rpc] = make(
                rpc.path, request_serializer=request.SerializeToString,
                response_deserializer=response.FromString, _registered_method=True)
        return stub

    async def verify(self, operation: str = "server reflection") -> ContractVerification:
        """Compare the contract with the gateway's, once per channel (concurrent first
        calls wait for the one exchange). A disagreement is remembered: every later call
        raises it again without asking. A failed reflection call is reported as a failure
        of `operation` (the call it precedes), and asked again by the next call."""
        standing = self._standing()
        if standing is not None:
            return standing
        if self._verifying is None:
            self._verifying = asyncio.Lock()
        async with self._verifying:
            if self._refused is not None:
                raise _errors.MxGatewayContractError(self._refused.message,
                                                     problems=self._refused.problems)
            if self.verification is None:
                from ._verify import verify

                try:
                    # OpenSession's floor: a tiny --timeout fails the call, not the check
                    # that precedes it.
                    self.verification = await verify(
                        self._channel, self._metadata, open_deadline(self.timeout),
                        self.contract, lambda: self.errors(operation))
                except _errors.MxGatewayContractError as exc:
                    self._refused = exc
                    self._watch_connection()
                    raise
                self._watch_connection()
        return self.verification

    def _watch_connection(self) -> None:
        """Forget the check when the connection leaves READY: the gateway may come back
        upgraded, with another contract, and grpc reconnects under us without a failed
        call (an idle channel too), so the next call must ask again."""
        if self._watcher is None or self._watcher.done():
            self._watcher = asyncio.get_running_loop().create_task(self._forget_on_change())

    async def close(self) -> None:
        """Close the channel, then let the connection watch see it close.

        The watch is a grpc operation of its own: cancelling its task does not end it, and
        one still pending when the loop ends completes on grpc's poller thread later, when
        asyncio prints "Event loop is closed" tracebacks on stderr (a second asyncio.run in
        the same process, pytest). Closing the channel ends it; waiting here lets it end
        while the loop still runs."""
        self._closed = True
        try:
            await self._channel.close()
        finally:
            watcher, self._watcher = self._watcher, None
            if watcher is not None and not watcher.done():
                # wait(), not wait_for(): the watch's own end (or cancellation) is no error
                # of the close, and a cancellation of the close itself still propagates.
                await asyncio.wait({watcher}, timeout=WATCH_CLOSE_BOUND)
                if not watcher.done():
                    watcher.cancel()
                elif not watcher.cancelled():
                    watcher.exception()  # retrieved: asyncio would log one left unread

    async def _forget_on_change(self) -> None:
        state = self._channel.get_state()
        while state == grpc.ChannelConnectivity.READY:
            await self._channel.wait_for_state_change(state)
            state = self._channel.get_state()
        self._forget()

    def _forget(self) -> None:
        self.verification = None
        self._refused = None

    def _standing(self) -> ContractVerification | None:
        """The check made on this connection if it still holds (a refusal is kept the same
        way), asked of the channel itself before each call. The watch alone came too late under load: its
        state change arrives through the event loop, and a gateway restarted with another
        contract got a call of the old check (seen in CI). What no client can see is a
        gateway replaced between grpc's own GOAWAY and its reading of it."""
        if (self.verification is not None or self._refused is not None) and (
                self._channel.get_state() != grpc.ChannelConnectivity.READY):
            self._forget()
        return self.verification

    async def unary(self, rpc: Method[Any, Any], request: Message, operation: str, *,
                    session: bool, timeout: float | None = None) -> Any:
        self.check_open()
        if self._standing() is None:
            await self.verify(operation)
        deadline = self.timeout if timeout is None else timeout
        with self.errors(operation, session=session):
            return await self._stub(rpc)(request, metadata=self._metadata, timeout=deadline)

    def stream(self, rpc: Method[Any, Any], request: Message,
               timeout: float | None = None) -> AsyncIterator[Any]:
        """A server stream; `timeout` for streams that end by themselves, none for those
        that run until cancelled (keepalive pings watch their connection). Before the
        channel's contract is verified, the call starts when it is first iterated, after
        the check (grpc sends a stream's request as soon as the call is made)."""
        self.check_open()
        if self._standing() is None:
            return cast(AsyncIterator[Any], _VerifiedStream(self, rpc, request, timeout))
        call = self._stub(rpc)(request, metadata=self._metadata, timeout=timeout)
        return cast(AsyncIterator[Any], call)

    # ------------------------------------------------------------ sessions

    async def open_session(self, name: str, version: str, lease: float | None
                           ) -> OpenedSession:
        with self.errors("open session"):
            request = self.contract.new(n.OpenSessionRequest)
            request.client_session_name, request.client_version = name, version
        if lease is not None:
            request.requested_lease.seconds = int(lease)
        reply: n.OpenSessionReply = await self.unary(
            n.OPEN_SESSION, request, "open session", session=True,
            timeout=open_deadline(self.timeout))
        check_status(self.contract, reply.protocol_status, "open session")
        return opened(reply)

    async def close_session(self, session_id: str, reason: str) -> str:
        operation = f"close session {session_id}"
        with self.errors(operation):
            request = self.contract.new(n.CloseSessionRequest)
            request.session_id, request.reason = session_id, reason
        reply: n.CloseSessionReply = await self.unary(
            n.CLOSE_SESSION, request, operation, session=True,
            timeout=close_deadline(self.timeout))
        check_status(self.contract, reply.protocol_status, operation)
        return final_state(self.contract, reply)

    async def invoke(self, request: n.MxCommandRequest, operation: str, *, strict: bool,
                     timeout: float | None = None) -> n.MxCommandReply:
        # `client.invoke(request)` may hand a request of another contract's classes.
        request = self.contract.adopt(n.MxCommandRequest, request)
        if is_write(self.contract, request):
            self.check_writable(operation)
        reply: n.MxCommandReply = await self.unary(n.INVOKE, request, operation, session=True,
                                                   timeout=timeout)
        return check_reply(self.contract, reply, operation, strict=strict)

    def stream_events(self, session_id: str, after_sequence: int) -> AsyncIterator[Any]:
        with self.errors("stream events"):
            request = self.contract.new(n.StreamEventsRequest)
            request.session_id, request.after_worker_sequence = session_id, after_sequence
        return self.stream(n.STREAM_EVENTS, request)

    # ------------------------------------------------------------ alarms (session-less)

    async def acknowledge_alarm(self, reference: str, comment: str, operator: str, node: str,
                                domain: str, full_name: str) -> int:
        self.check_writable("acknowledge alarm")
        with self.errors("acknowledge alarm"):
            request = self.contract.new(n.AcknowledgeAlarmRequest)
            request.alarm_full_reference, request.comment = reference, comment
            request.operator_user, request.operator_node = operator, node
            request.operator_domain, request.operator_full_name = domain, full_name
        reply: n.AcknowledgeAlarmReply = await self.unary(
            n.ACKNOWLEDGE_ALARM, request, "acknowledge alarm", session=False)
        check_status(self.contract, reply.protocol_status, "acknowledge alarm",
                     hresult=reply.hresult, diagnostic=reply.diagnostic_message, reply=reply)
        return int(reply.native_status)

    def stream_alarms(self, prefix: str) -> AsyncIterator[Any]:
        with self.errors("stream alarms"):
            request = self.contract.new(n.StreamAlarmsRequest)
            request.alarm_filter_prefix = prefix
        return self.stream(n.STREAM_ALARMS, request)

    def query_active_alarms(self, prefix: str) -> AsyncIterator[Any]:
        # Ends by itself after the last active alarm, so it carries the call deadline.
        with self.errors("query active alarms"):
            request = self.contract.new(n.QueryActiveAlarmsRequest)
            request.alarm_filter_prefix = prefix
        return self.stream(n.QUERY_ACTIVE_ALARMS, request, self.timeout)


async def close_messages(messages: Any) -> None:
    """aclose() an async iterator that has one (grpc's and ours are async generators)."""
    aclose = getattr(messages, "aclose", None)
    if aclose is not None:
        await aclose()


class _VerifiedStream:
    """A stream call made only once the contract is verified: what `_streams.iterate`
    needs of a grpc call (iteration, `cancel`)."""

    def __init__(self, rpc: Rpc, method: Method[Any, Any], request: Message,
                 timeout: float | None) -> None:
        self._rpc, self._method, self._request, self._timeout = rpc, method, request, timeout
        self._call: Any = None
        self._cancelled = False
        self._operation = f"stream {method.name}"

    def cancel(self) -> bool:
        self._cancelled = True
        return bool(self._call.cancel()) if self._call is not None else True

    async def _messages(self) -> AsyncIterator[Any]:
        await self._rpc.verify(self._operation)
        if self._cancelled:
            raise asyncio.CancelledError
        self._call = self._rpc.stream(self._method, self._request, self._timeout)
        messages = self._call.__aiter__()
        try:
            async for message in messages:
                yield message
        finally:
            # grpc's generator, left suspended, would keep the call (and the channel)
            # alive until a garbage collection: see _streams.iterate.
            await close_messages(messages)

    def __aiter__(self) -> AsyncIterator[Any]:
        return self._messages()
