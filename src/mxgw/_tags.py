"""Tag conveniences: read by name, subscribe by name, wait for a condition, write and wait.

A session holds one `Tags`, which owns the conveniences' state: one MXAccess server handle
per session (registered under the session's name) and the handles of the items it advised,
so repeated calls cost one command, not three. `Tags` sees the session only through
`TagSession`, the few methods it calls; it never imports the session.
"""

from __future__ import annotations

import asyncio
import logging
import reprlib
from collections.abc import AsyncGenerator, Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from . import _errors
from ._log import log
from ._rpc._contract import Contract
from ._rpc._errors import check_event, session_lost
from ._rpc._records import change_reader

if TYPE_CHECKING:
    # Annotations only: a read (`mxgw get`) does not import the subscription's modules.
    from ._changes import DataChange
    from ._results import BulkReadResult
    from ._rpc._events import EventInfo
    from ._streams import Listener
    from ._until import Condition
    from ._values import TagValue
    from ._write_results import SubscribeResult


class TagSession(Protocol):
    """What the conveniences use of a session."""

    @property
    def name(self) -> str: ...
    @property
    def timeout(self) -> float | None: ...
    @property
    def closed(self) -> bool: ...
    async def register(self, client_name: str) -> int: ...
    async def add_item(self, server_handle: int, tag: str) -> int: ...
    async def advise(self, server_handle: int, item_handle: int) -> None: ...
    async def remove_item(self, server_handle: int, item_handle: int) -> None: ...
    async def write(self, server_handle: int, item_handle: int, value: Any, *,
                    user_id: int = 0, data_type: str | None = None) -> None: ...
    async def write_secured(self, server_handle: int, item_handle: int, value: Any, *,
                            current_user_id: int, verifier_user_id: int = 0,
                            data_type: str | None = None) -> None: ...
    async def chunked(self, method: Callable[..., Awaitable[list[Any]]], server_handle: int,
                      items: Sequence[Any], *args: Any, chunk_size: int = ...,
                      **kwargs: Any) -> list[Any]: ...
    async def read_bulk(self, server_handle: int, tags: Sequence[str],
                        timeout_ms: int = 0) -> list[BulkReadResult]: ...
    async def subscribe_bulk(self, server_handle: int,
                             tags: Sequence[str]) -> list[SubscribeResult]: ...
    async def unsubscribe_bulk(self, server_handle: int,
                               item_handles: Sequence[int]) -> list[SubscribeResult]: ...
    def listen(self, accept: Callable[[EventInfo], bool]) -> Listener: ...
    def unlisten(self, listener: Listener) -> None: ...


def flatten(tags: Sequence[str | Sequence[str]]) -> list[str]:
    """Accept read("a", "b"), read(["a", "b"]) and read("a", ["b"])."""
    result: list[str] = []
    for tag in tags:
        if isinstance(tag, str):
            result.append(tag)
        else:
            result.extend(tag)
    if not result:
        raise _errors.MxGatewayConfigError("name at least one tag")
    return result


class Tags:
    """The conveniences of one session, with their server handle and advised items."""

    def __init__(self, session: TagSession, contract: Contract) -> None:
        self._session = session
        self._contract = contract
        self._server: int | None = None
        self._items: dict[str, int] = {}
        self._lock = asyncio.Lock()
        self._writing: dict[str, asyncio.Lock] = {}

    async def server(self) -> int:
        """The server handle of the conveniences (registered once, under the session's
        name)."""
        async with self._lock:
            if self._server is None:
                self._server = await self._session.register(self._session.name)
            return self._server

    async def _advised_item(self, tag: str) -> tuple[int, int]:
        server = await self.server()
        async with self._lock:
            item = self._items.get(tag)
            if item is None:
                item = await self._session.add_item(server, tag)
                try:
                    await self._session.advise(server, item)
                except _errors.MxGatewayError:
                    await self._session.remove_item(server, item)
                    raise
                self._items[tag] = item
            return server, item

    async def read(self, tags: list[str], timeout_ms: int) -> dict[str, TagValue]:
        session = self._session
        results = await session.chunked(session.read_bulk, await self.server(), tags,
                                        timeout_ms)
        return {r.tag_address or tag: r.value for tag, r in zip(tags, results)}

    async def subscribe(self, tags: list[str]) -> AsyncGenerator[DataChange, None]:
        from ._changes import lazy_data_change  # once per subscription, not per event

        session = self._session
        server = await self.server()
        handles: dict[int, str] = {}
        # Accept every data change of the server now and filter when consuming: the first
        # values may arrive before subscribe_bulk has told us the item handles.
        listener = session.listen(lambda info: info.server_handle == server
                                  and info.family == "ON_DATA_CHANGE")
        try:
            results = await session.chunked(session.subscribe_bulk, server, tags)
            handles.update((r.item_handle, r.tag_address or tag)
                           for tag, r in zip(tags, results) if r.was_successful)
            refused = [f"{r.tag_address}: {r.error_message}" for r in results
                       if not r.was_successful]
            if refused:
                raise _errors.MxGatewayCommandError("subscribe refused " + "; ".join(refused))
            # Per event only the handle's tag is looked up here; the value is read from
            # the event when the consumer first reads it (a lazy DataChange).
            read = change_reader(self._contract)
            while True:
                got = await listener.get()
                if got is None:
                    return
                info, event = got
                tag = handles.get(info.item_handle)
                if tag is not None:
                    yield lazy_data_change(tag, info.sequence, event, read)
        finally:
            session.unlisten(listener)
            if handles and not session.closed:
                try:
                    await session.chunked(session.unsubscribe_bulk, server, list(handles))
                except _errors.MxGatewayError as exc:
                    # A session that is gone has nothing left to unsubscribe: no warning.
                    level = logging.INFO if session_lost(exc) else logging.WARNING
                    log.log(level, "unsubscribing %d tags failed: %s", len(handles), exc)

    async def wait_for(self, tags: list[str], condition: Condition, timeout: float | None,
                       max_changes: int,
                       on_change: Callable[[DataChange], None] | None) -> DataChange:
        """The first data change of `tags` for which `condition` holds (Session.wait_for)."""
        if timeout is not None and not timeout > 0:
            raise _errors.MxGatewayConfigError(
                f"timeout must be a positive number of seconds or None, not {timeout}")
        if max_changes < 0:
            raise _errors.MxGatewayConfigError(
                f"max_changes must be 0 (no limit) or more, not {max_changes}")
        condition.check_tags(tags)
        changes = self.subscribe(tags)
        seen = 0
        last: DataChange | None = None
        window = asyncio.timeout(timeout)
        try:
            async with window:
                async for change in changes:
                    seen, last = seen + 1, change
                    if on_change is not None:
                        on_change(change)
                    if condition.holds(change):
                        return change
                    if seen == max_changes:
                        raise _not_held(condition, f"in {_changes(seen)}", seen, last)
        except TimeoutError:
            if not window.expired():
                raise  # not ours: e.g. the condition error just raised, itself a TimeoutError
            raise _not_held(condition, f"within {timeout:g} s", seen, last) from None
        finally:
            await changes.aclose()
        raise _errors.MxGatewaySessionError(
            f"waiting for {condition}: the session's event stream ended (session closed?)")

    async def write_tag(self, tag: str, value: Any, data_type: str | None,
                        timeout: float | None, current_user_id: int | None,
                        verifier_user_id: int) -> None:
        # One write_tag at a time per tag, so each waits for its own OnWriteComplete.
        async with self._writing.setdefault(tag, asyncio.Lock()):
            server, item = await self._advised_item(tag)
            session = self._session

            async def send() -> None:
                if current_user_id is None:
                    await session.write(server, item, value, data_type=data_type)
                else:
                    await session.write_secured(server, item, value, data_type=data_type,
                                                current_user_id=current_user_id,
                                                verifier_user_id=verifier_user_id)

            await self.write_and_wait(server, item, send, timeout=timeout,
                                      label=f"write {tag}")

    async def write_and_wait(self, server: int, item: int,
                             send: Callable[[], Awaitable[None]], *, timeout: float | None,
                             label: str) -> None:
        session = self._session
        listener = session.listen(lambda info: info.family == "ON_WRITE_COMPLETE"
                                  and info.server_handle == server and info.item_handle == item)
        try:
            await send()
            wait = timeout if timeout is not None else session.timeout
            try:
                got = await asyncio.wait_for(listener.get(), wait)
            except TimeoutError:
                raise _errors.MxGatewayWorkerError(
                    f"{label}: no OnWriteComplete within {wait} s") from None
            if got is None:
                raise _errors.MxGatewaySessionError(f"{label}: the session was closed")
            check_event(self._contract, got[1], label)
        finally:
            session.unlisten(listener)


def _changes(count: int) -> str:
    return f"{count} change" + ("" if count == 1 else "s")


def _not_held(condition: Condition, when: str, seen: int,
              last: DataChange | None) -> _errors.MxGatewayConditionTimeoutError:
    details = [] if when.startswith("in ") else [_changes(seen)]
    if last is not None:
        details.append(f"last {last.tag} = {reprlib.repr(last.value.value)} "
                       f"({last.value.quality_text})")
    return _errors.MxGatewayConditionTimeoutError(
        f"{condition} did not hold {when} ({', '.join(details) or 'no data change'})",
        changes=seen, last=last)
