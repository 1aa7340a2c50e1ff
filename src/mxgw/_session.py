"""A gateway session: every MXAccess command, events, and the tag conveniences.

    async with await client.open_session(name="nightly-check") as session:
        values = await session.read("Pump001.Speed", "Tank001.Level")
        await session.write_tag("TestChildObject.TestInt", 42)

Every command method raises the typed errors of `mxgw._errors`; the `*_raw` methods
(`invoke_raw`) check only the protocol status and leave HRESULTs and statuses to you.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Self, TypeVar, overload

from . import _errors, _streams
from ._log import log
from ._results import MAX_BULK_ITEMS, BulkReadResult, check_bulk_size
from ._rpc import _commands, _records
from ._rpc._calls import Rpc
from ._rpc._values import encode
from ._tags import Tags, flatten
from ._values import TagValue

if TYPE_CHECKING:
    # Only annotations here: `mxgw get` (a read) does not import these modules.
    from ._changes import DataChange
    from ._resume import ResumePolicy, StreamGap
    from ._rpc._events import EventInfo
    from ._rpc._types import MxCommandReply, MxCommandRequest, MxEvent
    from ._until import Condition
    from ._write_results import BulkWriteResult, SubscribeResult

T = TypeVar("T")
WriteValues = Mapping[int, Any] | Sequence[tuple[int, Any]]


def _pairs(values: WriteValues) -> list[tuple[int, Any]]:
    return list(values.items()) if isinstance(values, Mapping) else [tuple(v) for v in values]


class Session:
    """An open gateway session (one MXAccess worker). Use it as an async context manager:
    it is always closed on exit. Methods raise MxGatewaySessionError once it is closed."""

    MAX_BULK_ITEMS = MAX_BULK_ITEMS  # most items one bulk command may carry

    def __init__(
        self,
        rpc: Rpc,
        session_id: str,
        *,
        name: str = "mxgw",
        on_closed: Callable[[Session], None] | None = None,
        lease_expires_at: datetime | None = None,
    ) -> None:
        self._rpc = rpc
        self._lease_expires_at = lease_expires_at
        self._id = session_id
        self._name = name
        self._on_closed = on_closed
        self._state = "open"
        self._close_task: asyncio.Task[str] | None = None
        self._calls = _streams.CallRegistry()
        self._hub = _streams.EventHub(self._hub_events, rpc.contract)
        self._tags = Tags(self, rpc.contract)

    @property
    def session_id(self) -> str:
        return self._id

    @property
    def name(self) -> str:
        """The session's client name (also the conveniences' MXAccess registration)."""
        return self._name

    @property
    def lease_expires_at(self) -> datetime | None:
        """When the lease granted at OpenSession runs out, by the gateway's clock (any call
        renews it); None for an attached session or a gateway that sends no time."""
        return self._lease_expires_at

    @property
    def timeout(self) -> float | None:
        """The per-call deadline in seconds (ClientOptions.timeout)."""
        return self._rpc.timeout

    @property
    def closed(self) -> bool:
        return self._state != "open"

    @property
    def closing(self) -> asyncio.Task[str] | None:
        """The CloseSession in flight, if any (the client lets it finish before closing
        the channel, also when the task that started it was cancelled)."""
        task = self._close_task
        return task if task is not None and not task.done() else None

    def __repr__(self) -> str:
        return f"<Session {self._id} {self._state}>"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        try:
            await self.close()
        except _errors.MxGatewayError as error:
            if exc is None:
                raise
            # Do not hide the exception that ended the block behind a failed close.
            log.warning("closing session %s failed: %s", self._id, error)

    def _check_open(self) -> None:
        if self._state != "open":
            raise _errors.MxGatewaySessionError(f"session {self._id} is {self._state}")

    # ------------------------------------------------------------ raw commands

    async def _send(self, request: Any, operation: str, *, strict: bool,
                    timeout: float | None = None) -> Any:
        self._check_open()
        return await self._rpc.invoke(request, operation, strict=strict, timeout=timeout)

    async def invoke(self, request: MxCommandRequest) -> MxCommandReply:
        """Send a prepared MxCommandRequest (session_id filled in when empty); raise on any
        failure: protocol status, negative HRESULT or a failing status entry."""
        return await self._invoke(request, strict=True)

    async def invoke_raw(self, request: MxCommandRequest) -> MxCommandReply:
        """Like `invoke`, but only the protocol status is checked: an OK reply is returned
        even with a negative HRESULT or failing statuses, for you to inspect."""
        return await self._invoke(request, strict=False)

    async def _invoke(self, request: MxCommandRequest, *, strict: bool) -> MxCommandReply:
        if not request.session_id:
            request.session_id = self._id
        reply: MxCommandReply = await self._send(request, "invoke", strict=strict)
        return reply

    async def _command(self, op: str, *args: Any, timeout: float | None = None) -> Any:
        request = _commands.command(self._rpc.contract, self._id, op, *args)
        return await self._send(request, op.replace("_", " "), strict=True, timeout=timeout)

    def _value(self, value: Any, data_type: str | None) -> Any:
        return encode(self._rpc.contract, value, data_type)

    async def register(self, client_name: str) -> int:
        """Register with MXAccess; returns the server handle."""
        return _records.server_handle(await self._command("register", client_name))

    async def unregister(self, server_handle: int) -> None:
        await self._command("unregister", server_handle)

    async def add_item(self, server_handle: int, tag: str) -> int:
        """Add an item; returns its handle. MXAccess checks only the syntax here: an
        unknown tag shows up on advise, as bad quality with MX_E_InvalidReference."""
        return _records.item_handle(await self._command("add_item", server_handle, tag),
                                    "add_item")

    async def add_item2(self, server_handle: int, tag: str, context: str) -> int:
        reply = await self._command("add_item2", server_handle, tag, context)
        return _records.item_handle(reply, "add_item2")

    async def remove_item(self, server_handle: int, item_handle: int) -> None:
        await self._command("remove_item", server_handle, item_handle)

    async def advise(self, server_handle: int, item_handle: int) -> None:
        await self._command("advise", server_handle, item_handle)

    async def advise_supervisory(self, server_handle: int, item_handle: int) -> None:
        await self._command("advise_supervisory", server_handle, item_handle)

    async def unadvise(self, server_handle: int, item_handle: int) -> None:
        await self._command("unadvise", server_handle, item_handle)

    async def write(self, server_handle: int, item_handle: int, value: Any, *, user_id: int = 0,
                    data_type: str | None = None) -> None:
        """Write a value; the outcome arrives later as an OnWriteComplete event
        (`write_tag` waits for it)."""
        await self._command("write", server_handle, item_handle, self._value(value, data_type),
                            user_id)

    async def write2(self, server_handle: int, item_handle: int, value: Any, timestamp: datetime,
                     *, user_id: int = 0, data_type: str | None = None) -> None:
        await self._command("write2", server_handle, item_handle, self._value(value, data_type),
                            self._value(timestamp, "datetime"), user_id)

    async def write_secured(self, server_handle: int, item_handle: int, value: Any, *,
                            current_user_id: int, verifier_user_id: int = 0,
                            data_type: str | None = None) -> None:
        await self._command("write_secured", server_handle, item_handle,
                            self._value(value, data_type), current_user_id, verifier_user_id)

    async def write_secured2(self, server_handle: int, item_handle: int, value: Any,
                             timestamp: datetime, *, current_user_id: int,
                             verifier_user_id: int = 0, data_type: str | None = None) -> None:
        await self._command("write_secured2", server_handle, item_handle,
                            self._value(value, data_type), current_user_id, verifier_user_id,
                            self._value(timestamp, "datetime"))

    async def authenticate_user(self, server_handle: int, user: str, password: str) -> int:
        """Authenticate an ArchestrA user for secured writes; returns the user id.
        The password goes to the gateway only; it is never logged or kept."""
        reply = await self._command("authenticate_user", server_handle, user, password)
        return _records.user_id(reply)

    # ------------------------------------------------------------ bulk commands

    def _check_size(self, op: str, items: Sequence[Any]) -> None:
        check_bulk_size(op.replace("_", " "), len(items))

    async def _subscribe_like(self, op: str, server_handle: int,
                              items: Sequence[Any]) -> list[SubscribeResult]:
        self._check_size(op, items)
        reply = await self._command(op, server_handle, list(items))
        return _records.subscribe_results(reply)

    async def add_item_bulk(self, server_handle: int, tags: Sequence[str]) -> list[SubscribeResult]:
        return await self._subscribe_like("add_item_bulk", server_handle, tags)

    async def advise_item_bulk(self, server_handle: int,
                               item_handles: Sequence[int]) -> list[SubscribeResult]:
        return await self._subscribe_like("advise_item_bulk", server_handle, item_handles)

    async def remove_item_bulk(self, server_handle: int,
                               item_handles: Sequence[int]) -> list[SubscribeResult]:
        return await self._subscribe_like("remove_item_bulk", server_handle, item_handles)

    async def unadvise_item_bulk(self, server_handle: int,
                                 item_handles: Sequence[int]) -> list[SubscribeResult]:
        return await self._subscribe_like("unadvise_item_bulk", server_handle, item_handles)

    async def subscribe_bulk(self, server_handle: int,
                             tags: Sequence[str]) -> list[SubscribeResult]:
        """Add and advise each tag; results in input order."""
        return await self._subscribe_like("subscribe_bulk", server_handle, tags)

    async def unsubscribe_bulk(self, server_handle: int,
                               item_handles: Sequence[int]) -> list[SubscribeResult]:
        return await self._subscribe_like("unsubscribe_bulk", server_handle, item_handles)

    async def read_bulk(self, server_handle: int, tags: Sequence[str],
                        timeout_ms: int = 0) -> list[BulkReadResult]:
        """Read tags (from the cache when advised in this session); results in input order."""
        self._check_size("read_bulk", tags)
        deadline = None
        if timeout_ms and self._rpc.timeout is not None:
            deadline = max(self._rpc.timeout, timeout_ms / 1000 + 5)
        reply = await self._command("read_bulk", server_handle, list(tags), timeout_ms,
                                    timeout=deadline)
        return _records.read_results(self._rpc.contract, reply)

    async def _write_bulk(self, op: str, server_handle: int, rows: list[tuple[Any, ...]]
                          ) -> list[BulkWriteResult]:
        self._check_size(op, rows)
        reply = await self._command(op, server_handle, rows)
        return _records.write_results(self._rpc.contract, reply)

    async def write_bulk(self, server_handle: int, values: WriteValues, *, user_id: int = 0,
                         data_type: str | None = None) -> list[BulkWriteResult]:
        """Write {item_handle: value} (or (handle, value) pairs); per-item results."""
        rows = [(h, self._value(v, data_type), user_id) for h, v in _pairs(values)]
        return await self._write_bulk("write_bulk", server_handle, rows)

    async def write2_bulk(self, server_handle: int,
                          entries: Sequence[tuple[int, Any, datetime]], *, user_id: int = 0,
                          data_type: str | None = None) -> list[BulkWriteResult]:
        rows = [(h, self._value(v, data_type), self._value(t, "datetime"), user_id)
                for h, v, t in entries]
        return await self._write_bulk("write2_bulk", server_handle, rows)

    async def write_secured_bulk(self, server_handle: int, values: WriteValues, *,
                                 current_user_id: int, verifier_user_id: int = 0,
                                 data_type: str | None = None) -> list[BulkWriteResult]:
        rows = [(h, self._value(v, data_type), current_user_id, verifier_user_id)
                for h, v in _pairs(values)]
        return await self._write_bulk("write_secured_bulk", server_handle, rows)

    async def write_secured2_bulk(self, server_handle: int,
                                  entries: Sequence[tuple[int, Any, datetime]], *,
                                  current_user_id: int, verifier_user_id: int = 0,
                                  data_type: str | None = None) -> list[BulkWriteResult]:
        rows = [(h, self._value(v, data_type), self._value(t, "datetime"), current_user_id,
                 verifier_user_id) for h, v, t in entries]
        return await self._write_bulk("write_secured2_bulk", server_handle, rows)

    async def chunked(self, method: Callable[..., Awaitable[list[T]]], server_handle: int,
                      items: Sequence[Any], *args: Any, chunk_size: int = MAX_BULK_ITEMS,
                      **kwargs: Any) -> list[T]:
        """Call a bulk method on slices of `items`, one after another; results keep order.

            results = await session.chunked(session.read_bulk, server, tags_10k)
        """
        if not 0 < chunk_size <= MAX_BULK_ITEMS:
            raise _errors.MxGatewayConfigError(f"chunk_size must be 1..{MAX_BULK_ITEMS}")
        results: list[T] = []
        for start in range(0, len(items), chunk_size):
            chunk = items[start:start + chunk_size]
            results.extend(await method(server_handle, chunk, *args, **kwargs))
        return results

    # ------------------------------------------------------------ events

    async def drain_events(self, max_events: int = 0) -> list[MxEvent]:
        """Take up to `max_events` queued events (0 = all) without a stream."""
        return _records.drained_events(await self._command("drain_events", max_events))

    @overload
    def stream_events(self, after_sequence: int = 0, resume: bool = False, *,
                      on_gap: Literal["raise"] = "raise",
                      policy: ResumePolicy | None = None
                      ) -> AsyncGenerator[MxEvent, None]: ...

    @overload
    def stream_events(self, after_sequence: int = 0, resume: bool = False, *,
                      on_gap: Literal["event"],
                      policy: ResumePolicy | None = None
                      ) -> AsyncGenerator[MxEvent | StreamGap, None]: ...

    def stream_events(self, after_sequence: int = 0, resume: bool = False, *,
                      on_gap: Literal["raise", "event"] = "raise",
                      policy: ResumePolicy | None = None) -> AsyncGenerator[Any, None]:
        """The session's events as an async iterator (one stream per session).

        `after_sequence` asks the gateway to replay events after that worker_sequence.
        `resume=True` reconnects after UNAVAILABLE or a dropped stream with bounded backoff.
        Lost events raise MxGatewayStreamGapError, or arrive as `StreamGap` items with
        `on_gap="event"`. Cancelling the consuming task cancels the gRPC call.
        Do not combine with `subscribe()`/`write_tag()` on the same session: those share
        the session's one stream.
        """
        from ._resume import ResumePolicy, events

        self._check_open()
        return events(
            lambda after: self._rpc.stream_events(self._id, after), self._rpc, self._calls,
            after_sequence=after_sequence, resume=resume, on_gap=on_gap,
            policy=policy or ResumePolicy())

    def _hub_events(self) -> AsyncGenerator[Any, None]:
        return self.stream_events(resume=True)

    def listen(self, accept: Callable[[EventInfo], bool]) -> _streams.Listener:
        """A listener on the shared event stream (used by `subscribe` and `write_tag`)."""
        self._check_open()
        return self._hub.listen(accept)

    def unlisten(self, listener: _streams.Listener) -> None:
        self._hub.remove(listener)

    # ------------------------------------------------------------ conveniences

    async def read(self, *tags: str | Sequence[str], timeout_ms: int = 0) -> dict[str, TagValue]:
        """Current value, quality and timestamp of each tag, keyed by tag, in input order.

            values = await session.read("Pump001.Speed", "Tank001.Level")
            values["Pump001.Speed"].quality_text   # "Good"

        A tag that cannot be read is returned with `ok` false and `error` set.
        """
        return await self._tags.read(flatten(tags), timeout_ms)

    def subscribe(self, tags: str | Sequence[str]) -> AsyncGenerator[DataChange, None]:
        """Data changes of `tags` (the current value first), with the tag name resolved."""
        return self._tags.subscribe(flatten([tags]))

    async def wait_for(self, tags: str | Sequence[str], condition: str | Condition, *,
                       timeout: float | None, max_changes: int = 0,
                       on_change: Callable[[DataChange], None] | None = None) -> DataChange:
        """Subscribe to `tags` and return the first data change for which `condition`
        holds; the subscription is removed on the way out.

            stopped = await session.wait_for("Pump001.Running", "value == false", timeout=60)
            await session.wait_for(["Tank001.Level", "Tank002.Level"],
                                   "value > 80 and quality == Good", timeout=300)

        `condition` is a string in the condition language (`mxgw.Condition`; a bad one
        raises `mxgw.ConditionError` before anything is sent) or a parsed Condition. It is
        evaluated per change. The current value of each tag arrives first, so a condition
        that already holds returns at once. Raises MxGatewayConditionTimeoutError (a
        TimeoutError) when it has not held after `timeout` seconds (None: no limit) or
        after `max_changes` changes (0: no limit). `on_change` sees every change first.
        """
        from ._until import Condition  # the parser loads only when a wait needs it

        return await self._tags.wait_for(flatten([tags]), Condition.of(condition), timeout,
                                         max_changes, on_change)

    async def write_tag(self, tag: str, value: Any, *, data_type: str | None = None,
                        timeout: float | None = None, current_user_id: int | None = None,
                        verifier_user_id: int = 0) -> None:
        """Advise the tag if needed, write, and wait for its OnWriteComplete.

        Raises MxAccessError when MXAccess refuses the write (e.g. MX_E_NotWriteable).
        With `current_user_id` the write is a WriteSecured; authenticate the user on
        `await session.default_server()`:

            server = await session.default_server()
            user = await session.authenticate_user(server, "operator", password)
            await session.write_tag("Pump001.SetPoint", 60.0, current_user_id=user)
        """
        await self._tags.write_tag(tag, value, data_type, timeout, current_user_id,
                                   verifier_user_id)

    async def default_server(self) -> int:
        """The server handle `read`, `subscribe` and `write_tag` use (registered once,
        under the session's name)."""
        return await self._tags.server()

    async def write_and_wait(self, server_handle: int, item_handle: int,
                             send: Callable[[], Awaitable[None]], *,
                             timeout: float | None = None, label: str = "write") -> None:
        """Run `send()` (a write of that advised item) and wait for the item's
        OnWriteComplete; raise MxAccessError if it reports failure, MxGatewayWorkerError
        if none arrives within `timeout` (default: the client timeout)."""
        await self._tags.write_and_wait(server_handle, item_handle, send, timeout=timeout,
                                        label=label)

    # ------------------------------------------------------------ close

    async def close(self, reason: str = "") -> str:
        """Close the session (CloseSession once, even under concurrent calls); returns the
        final state name, e.g. "CLOSED". Further calls return the same result.

        CloseSession has a deadline of its own (the client timeout, at least 5 s and at
        most 30 s). When the gateway does not confirm the close, this raises the error and
        the session counts as `closed` here but may still be open on the gateway until
        its lease runs out; calling close() again retries.
        """
        task = self._close_task
        if task is None or (task.done() and (task.cancelled() or task.exception())):
            self._state = "closing"
            task = self._close_task = asyncio.get_running_loop().create_task(
                self._close(reason))
        return await asyncio.shield(task)

    async def _close(self, reason: str) -> str:
        await self._hub.close()
        self._calls.close()
        try:
            state = await self._rpc.close_session(self._id, reason)
        except BaseException:
            self._state = "closed (unconfirmed)"
            raise
        self._state = "closed"
        if self._on_closed is not None:
            self._on_closed(self)
        return state
