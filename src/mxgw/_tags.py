"""Tag conveniences on a session: read by name, subscribe by name, write and wait.

They register one MXAccess server handle per session (named after the session) and keep
the handles of items they advised, so repeated calls cost one command, not three.
"""

from __future__ import annotations

import asyncio
import logging
import reprlib
from collections.abc import AsyncGenerator, Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

from . import _errors, _rpc
from ._log import log
from ._values import DataChange, TagValue

if TYPE_CHECKING:
    from ._session import Session
    from ._until import Condition



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


class TagCache:
    """The session's convenience server handle and the items advised through it."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._server: int | None = None
        self._items: dict[str, int] = {}
        self._lock = asyncio.Lock()
        self._writing: dict[str, asyncio.Lock] = {}

    def write_lock(self, tag: str) -> asyncio.Lock:
        """One write_tag at a time per tag, so each waits for its own OnWriteComplete."""
        return self._writing.setdefault(tag, asyncio.Lock())

    async def server(self) -> int:
        async with self._lock:
            if self._server is None:
                self._server = await self._session.register(self._session.name)
            return self._server

    async def advised_item(self, tag: str) -> tuple[int, int]:
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


async def read(session: Session, tags: list[str], timeout_ms: int) -> dict[str, TagValue]:
    server = await session.default_server()
    results = await session.chunked(session.read_bulk, server, tags, timeout_ms)
    return {r.tag_address or tag: r.value for tag, r in zip(tags, results)}


async def subscribe(session: Session, tags: list[str]) -> AsyncGenerator[DataChange, None]:
    server = await session.default_server()
    handles: dict[int, str] = {}
    # Accept every data change of the server now and filter when consuming: the first
    # values may arrive before subscribe_bulk has told us the item handles.
    listener = session.listen(lambda info: info.server_handle == server
                              and info.family == "ON_DATA_CHANGE")
    try:
        results = await session.chunked(session.subscribe_bulk, server, tags)
        handles.update((r.item_handle, r.tag_address or tag)
                       for tag, r in zip(tags, results) if r.was_successful)
        refused = [f"{r.tag_address}: {r.error_message}" for r in results if not r.was_successful]
        if refused:
            raise _errors.MxGatewayCommandError("subscribe refused " + "; ".join(refused))
        while True:
            got = await listener.get()
            if got is None:
                return
            info, event = got
            tag = handles.get(info.item_handle)
            if tag is not None:
                yield DataChange(tag, TagValue.from_message(event), info.sequence)
    finally:
        session.unlisten(listener)
        if handles and not session.closed:
            try:
                await session.chunked(session.unsubscribe_bulk, server, list(handles))
            except _errors.MxGatewayError as exc:
                # A session that is gone has nothing left to unsubscribe: not worth a warning.
                level = logging.INFO if _rpc.session_lost(exc) else logging.WARNING
                log.log(level, "unsubscribing %d tags failed: %s", len(handles), exc)


async def wait_for(session: Session, tags: list[str], condition: Condition,
                   timeout: float | None, max_changes: int,
                   on_change: Callable[[DataChange], None] | None) -> DataChange:
    """The first data change of `tags` for which `condition` holds (see Session.wait_for)."""
    if timeout is not None and not timeout > 0:
        raise _errors.MxGatewayConfigError(
            f"timeout must be a positive number of seconds or None, not {timeout}")
    if max_changes < 0:
        raise _errors.MxGatewayConfigError(
            f"max_changes must be 0 (no limit) or more, not {max_changes}")
    condition.check_tags(tags)
    changes = subscribe(session, tags)
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


async def write_tag(session: Session, tag: str, value: Any, data_type: str | None,
                    timeout: float | None, current_user_id: int | None,
                    verifier_user_id: int) -> None:
    async with session._tag_cache.write_lock(tag):
        server, item = await session._tag_cache.advised_item(tag)

        async def send() -> None:
            if current_user_id is None:
                await session.write(server, item, value, data_type=data_type)
            else:
                await session.write_secured(server, item, value, data_type=data_type,
                                            current_user_id=current_user_id,
                                            verifier_user_id=verifier_user_id)

        await write_and_wait(session, server, item, send, timeout=timeout, label=f"write {tag}")


async def write_and_wait(session: Session, server: int, item: int,
                         send: Callable[[], Awaitable[None]], *, timeout: float | None,
                         label: str) -> None:
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
        _rpc.check_event(got[1], label)
    finally:
        session.unlisten(listener)
