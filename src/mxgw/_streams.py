"""Server streams: one cancelling iterator for every stream, and the hub that lets
`subscribe()` and `write_tag()` share a session's single event stream (event resume,
`session.events()`, is mxgw._resume's).

Leaving an iteration for any reason (break, an error, task cancellation) cancels the gRPC
call, so the gateway sees the subscriber go at once. Closing the session or client cancels
the calls it still has open; their iterators then end quietly.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

from . import _errors
from ._rpc._calls import close_messages

if TYPE_CHECKING:
    from ._rpc._calls import Rpc
    from ._rpc._contract import Contract
    from ._rpc._events import EventInfo


class CallRegistry:
    """The open stream calls of a session or client, cancelled when it closes."""

    def __init__(self) -> None:
        self._calls: set[Any] = set()
        self.closed = False

    def add(self, call: Any) -> None:
        if self.closed:
            call.cancel()
            raise _errors.MxGatewaySessionError("cannot open a stream: already closed")
        self._calls.add(call)

    def discard(self, call: Any) -> None:
        self._calls.discard(call)

    def close(self) -> None:
        self.closed = True
        for call in list(self._calls):
            call.cancel()
        self._calls.clear()

    def __len__(self) -> int:
        return len(self._calls)


async def iterate(
    call: Any, rpc: Rpc, operation: str, calls: CallRegistry, *, session: bool = False
) -> AsyncGenerator[Any, None]:
    """Yield a stream call's messages with errors mapped; always cancel the call on exit."""
    calls.add(call)
    messages = call.__aiter__()
    try:
        with rpc.errors(operation, session=session):
            async for message in messages:
                yield message
    except asyncio.CancelledError:
        task = asyncio.current_task()
        if calls.closed and task is not None and not task.cancelling():
            return  # our own close() cancelled the call: end quietly
        raise
    except _errors.MxGatewayError as exc:
        if calls.closed and exc.grpc_code == "CANCELLED":
            return  # the same, where grpc reports the cancel as a status
        raise
    finally:
        calls.discard(call)
        call.cancel()
        # A stream left early (a count reached, a break) leaves grpc's own message
        # generator suspended, holding its call in a cycle that only the garbage
        # collector breaks: until then the channel outlives close(), which waited out the
        # connection watch's bound. Closed here, the call goes when the stream does.
        await close_messages(messages)
        # An error kept after the stream failed holds this frame: without the call in it,
        # the channel can close at once (see map_errors).
        del call, messages


class Listener:
    """The events `accept` wants, queued by the hub for one consumer (a deque and one
    waiter: cheaper per event than asyncio.Queue, and the consumer takes every queued
    event without waiting again)."""

    def __init__(self, accept: Callable[[EventInfo], bool]) -> None:
        self.accept = accept
        self._items: collections.deque[tuple[EventInfo, Any] | BaseException | None] = (
            collections.deque())
        self._waiter: asyncio.Future[None] | None = None

    def _put(self, item: tuple[EventInfo, Any] | BaseException | None) -> None:
        self._items.append(item)
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def offer(self, info: EventInfo, event: Any) -> None:
        if self.accept(info):
            self._put((info, event))

    def fail(self, error: BaseException) -> None:
        self._put(error)

    def end(self) -> None:
        self._put(None)

    async def get(self) -> tuple[EventInfo, Any] | None:
        """The next accepted event; None once the session is closed."""
        while not self._items:
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        item = self._items.popleft()
        if isinstance(item, BaseException):
            raise item
        return item


class EventHub:
    """One resuming event stream per session, fanned out to listeners."""

    def __init__(self, open_events: Callable[[], AsyncIterator[Any]],
                 contract: Contract) -> None:
        self._open_events = open_events
        self._contract = contract
        self._listeners: set[Listener] = set()
        # What the pump offers each event to: a copy made when listeners come and go,
        # not per event.
        self._offers: tuple[Callable[[EventInfo, Any], None], ...] = ()
        self._task: asyncio.Task[None] | None = None

    def listen(self, accept: Callable[[EventInfo], bool]) -> Listener:
        listener = Listener(accept)
        self._listeners.add(listener)
        self._offers = tuple(each.offer for each in self._listeners)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._pump())
        return listener

    def remove(self, listener: Listener) -> None:
        self._listeners.discard(listener)
        self._offers = tuple(each.offer for each in self._listeners)

    async def _pump(self) -> None:
        from ._rpc._events import event_reader  # a session that only reads never pumps

        error: BaseException
        info_of = event_reader(self._contract)
        try:
            async for event in self._open_events():
                info = info_of(event)
                for offer in self._offers:
                    offer(info, event)
            error = _errors.MxGatewaySessionError("the session's event stream ended")
        except Exception as exc:  # noqa: BLE001 - handed to every listener, which raises it
            error = exc
        for listener in list(self._listeners):
            listener.fail(error)

    async def close(self) -> None:
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for listener in list(self._listeners):
            listener.end()
        self._listeners.clear()
        self._offers = ()
