"""`watch(...)`: data changes printed in the background while the prompt stays usable.

Each watch is an asyncio task on the REPL's loop that iterates `session.subscribe()`
and hands each change to `on_change`: the console prints one line through
prompt_toolkit's `patch_stdout` (so it appears above the prompt instead of inside
it); a script prints one JSON line. Problems go to `notice` as one line of text.

When the session is lost (the link, `_reconnect.SessionLink`, says so), a watch waits
for the new session and subscribes again there: it goes on printing after a reconnect.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any, Protocol

from ._display import format_error
from ._rows import format_row

Notice = Callable[[str], None]
OnChange = Callable[["Watch", Any], None]


class _Link(Protocol):
    """What a watch needs of `_reconnect.SessionLink`."""

    async def ready(self, timeout: float | None = None) -> Any: ...

    def lost(self, error: BaseException, session: Any) -> bool: ...

    def replaced(self, session: Any) -> bool: ...


class Watch:
    """One running `watch`: `.stop()` ends it; `repr()` shows its state."""

    def __init__(self, watch_id: int, tags: tuple[str, ...]) -> None:
        self.id = watch_id
        self.tags = tags
        self.changes = 0
        self.error: str | None = None
        self.task: asyncio.Task[None] | None = None
        self.waiting = False  # for a reconnect

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done()

    def stop(self) -> None:
        """Stop this watch (its subscription is removed in the background: `stopping`
        until that is done)."""
        if self.task is not None:
            self.task.cancel()

    def __repr__(self) -> str:
        if self.running:
            state = ("stopping" if self.task is not None and self.task.cancelling()
                     else "waiting for the reconnect" if self.waiting else "running")
        else:
            state = "failed" if self.error else "stopped"
        return f"<watch {self.id} {state}, {self.changes} changes: {', '.join(self.tags)}>"


class Watches:
    """The REPL's watches: start, list, stop, and stop all on exit."""

    def __init__(
        self, link: _Link, on_change: OnChange, notice: Notice, debug: bool = False
    ) -> None:
        self._link = link
        self._on_change = on_change
        self._notice = notice
        self._debug = debug
        self._ids = itertools.count(1)
        self._watches: dict[int, Watch] = {}

    def start(self, tags: Sequence[str]) -> Watch:
        watch = Watch(next(self._ids), tuple(tags))
        watch.task = asyncio.get_running_loop().create_task(
            self._run(watch), name=f"mxgw-watch-{watch.id}"
        )
        self._watches[watch.id] = watch
        return watch

    async def _run(self, watch: Watch) -> None:
        while True:
            watch.waiting = True
            try:
                session = await self._link.ready()
            except Exception as exc:  # noqa: BLE001 - reconnecting stopped (and said so)
                watch.error = format_error(exc)
                return
            finally:
                watch.waiting = False
            if not await self._follow(watch, session):
                return

    async def _follow(self, watch: Watch, session: Any) -> bool:
        """Print the changes from `session`; True to subscribe again on a new session."""
        changes = session.subscribe(list(watch.tags))
        try:
            async for change in changes:
                watch.changes += 1
                self._on_change(watch, change)
        except Exception as exc:  # noqa: BLE001 - shown to the user, the prompt lives on
            if self._link.lost(exc, session):
                return True
            watch.error = format_error(exc, self._debug)
            self._notice(f"[watch {watch.id}] stopped: {watch.error}")
            return False
        finally:
            await self._close(watch, changes)
        # The stream ended quietly: its session was closed, by a reconnect or for good.
        return self._link.replaced(session)

    async def _close(self, watch: Watch, changes: AsyncIterator[Any]) -> None:
        aclose = getattr(changes, "aclose", None)
        if aclose is None:
            return
        try:
            # Unsubscribes on the gateway; shielded so a second cancel does not
            # leave advised items behind.
            await asyncio.shield(aclose())
        except Exception as exc:  # noqa: BLE001 - reported, the watch is over anyway
            self._notice(f"[watch {watch.id}] unsubscribe failed: {format_error(exc)}")

    def list(self) -> list[Watch]:
        return list(self._watches.values())

    def get(self, watch_id: int) -> Watch:
        try:
            return self._watches[watch_id]
        except KeyError:
            raise LookupError(f"no watch {watch_id}; watches() lists them") from None

    async def stop_all(self, timeout: float = 10.0) -> None:
        """Cancel every watch and wait (bounded) until each has unsubscribed."""
        tasks = [w.task for w in self._watches.values() if w.task is not None]
        for task in tasks:
            task.cancel()
        if tasks:
            # asyncio.wait neither raises the tasks' CancelledError nor swallows
            # a cancellation of the caller.
            await asyncio.wait(tasks, timeout=timeout)


def print_change(write: Callable[[str], None]) -> OnChange:
    """The console's `on_change`: `[watch 1] Pump001.Speed  42.5  Double  Good  ...`."""

    def on_change(watch: Watch, change: Any) -> None:
        write(f"[watch {watch.id}] {format_row(change)}\n")

    return on_change
