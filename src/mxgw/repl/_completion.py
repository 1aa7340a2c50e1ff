"""Tag-name completion from a Galaxy cache loaded in the background.

prompt_toolkit calls completers synchronously (in a worker thread), so completion
cannot await the gateway. After connecting, the REPL starts one task that walks the
Galaxy hierarchy and fills `TagCache`; the completer only reads the cache's current
snapshot and offers nothing until the first names arrive.

Completion triggers inside a string literal: `await read("Pump0<Tab>`.
"""

from __future__ import annotations

import asyncio
import bisect
import re
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from ._display import format_error

MAX_COMPLETIONS = 200
# An unterminated string literal at the cursor: the quote and what follows it.
_OPEN_STRING = re.compile(r"""(?:^|[^\w"'])["']([\w.\[\]!$-]*)$""")


class TagCache:
    """Sorted tag names; `state` is "loading", "ready (N tags)" or "failed: ..."."""

    def __init__(self) -> None:
        self._names: tuple[str, ...] = ()
        self._folded: tuple[str, ...] = ()
        self.state = "not loaded"
        self.task: asyncio.Task[None] | None = None
        self._source: Callable[[], AsyncIterator[str]] | None = None
        self._debug = False

    def set_names(self, names: Iterable[str]) -> None:
        # Replacing both tuples (not mutating) keeps the completer thread's reads safe.
        ordered = sorted(set(names), key=str.casefold)
        self._folded = tuple(n.casefold() for n in ordered)
        self._names = tuple(ordered)

    def matches(self, prefix: str, limit: int = MAX_COMPLETIONS) -> list[str]:
        names, folded = self._names, self._folded
        key = prefix.casefold()
        start = bisect.bisect_left(folded, key)
        found: list[str] = []
        for index in range(start, len(names)):
            if not folded[index].startswith(key) or len(found) >= limit:
                break
            found.append(names[index])
        return found

    def start(self, source: Callable[[], AsyncIterator[str]], debug: bool = False) -> None:
        """Load the names from `source()` in a background task on the running loop."""
        self._source, self._debug = source, debug
        self.state = "loading"
        self.task = asyncio.get_running_loop().create_task(
            self._load(source, debug), name="mxgw-tag-cache"
        )

    def reload(self) -> None:
        """Load again from the same source (after a reconnect, when loading had failed)."""
        if self._source is not None and (self.task is None or self.task.done()):
            self.start(self._source, self._debug)

    async def _load(self, source: Callable[[], AsyncIterator[str]], debug: bool) -> None:
        names: list[str] = []
        try:
            async for name in source():
                names.append(name)
                if len(names) % 5000 == 0:
                    # Partial results are useful on a large Galaxy.
                    self.set_names(names)
        except Exception as exc:  # noqa: BLE001 - completion is optional; the toolbar says why
            self.state = "failed: " + format_error(exc, debug).splitlines()[-1]
            self.set_names(names)
            return
        self.set_names(names)
        self.state = f"ready ({len(names)} tags)"

    async def stop(self) -> None:
        if self.task is not None and not self.task.done():
            self.task.cancel()
            await asyncio.wait([self.task], timeout=5.0)


async def galaxy_tag_names(galaxy: Any) -> AsyncIterator[str]:
    """Object names and `Object.Attribute` references from the Galaxy Repository."""
    async for obj in galaxy.iter_hierarchy():
        yield obj.tag_name
        for attribute in obj.attributes:
            yield attribute.full_tag_reference or f"{obj.tag_name}.{attribute.attribute_name}"


class TagCompleter(Completer):
    """Completes tag names inside string literals from a `TagCache`."""

    def __init__(self, cache: TagCache) -> None:
        self.cache = cache

    def get_completions(
        self, document: Document, complete_event: CompleteEvent
    ) -> Iterable[Completion]:
        match = _OPEN_STRING.search(document.current_line_before_cursor)
        if match is None:
            return
        prefix = match.group(1)
        if not prefix and not complete_event.completion_requested:
            return
        for name in self.cache.matches(prefix):
            yield Completion(name, start_position=-len(prefix), display_meta="tag")
