"""The one module that writes to stdout (and the one notice a command may put on stderr).

Every document is a result as JSON by mxgw._json (`dumps`: sorted keys, ASCII escapes,
since Windows consoles and pipes may use a legacy code page). Pretty when stdout is a
terminal, compact otherwise; `--pretty` / `--compact` override. Streams print JSON Lines,
one object per line, unless `--collect` asks for one array (capped).

Flushing: a document, a batch record and a REPL line are flushed at once. Stream lines
are flushed `FLUSH_AFTER` seconds after the first line not yet flushed, by the event
loop: a busy stream costs a write per 50 ms instead of one per line, and a line printed
before the stream goes quiet still reaches a pipe within 50 ms (`mxgw watch ... | tool`
sees each change). A flush that fails there (a closed pipe) is raised by the next line
or by `finish`/`close`.
"""

from __future__ import annotations

import sys

from .._json import dumps, to_jsonable
from ._exit import CollectLimitError

# typing is not imported at run time: this module is on `mxgw version`'s start-up path.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from asyncio import TimerHandle
    from typing import Any, TextIO

COLLECT_LIMIT = 10_000
FLUSH_AFTER = 0.05  # seconds a stream line may wait in the buffer


def notice(doc: Any) -> None:
    """One JSON line on stderr that is not an error (the first-contact notice)."""
    sys.stderr.write(dumps(doc, False) + "\n")
    sys.stderr.flush()


def flush_notices(pending: list[Any]) -> None:
    """Print the notices held back so far (the list is emptied).

    A notice waits until the command is known to go on (its first output, or its end):
    a command that fails before that carries them in its error line, so stderr holds one
    line, as every failure's does."""
    for doc in pending:
        notice(doc)
    pending.clear()


class Output:
    """Writes JSON to stdout. `emit` one document; `item` per stream element; `finish`."""

    def __init__(self, stream: TextIO | None = None, pretty: bool | None = None,
                 collect: bool = False, collect_limit: int | None = None,
                 bounds: tuple[str, ...] = ()) -> None:
        self._stream = stream
        self.pretty = pretty
        self.collect = collect
        self.collect_limit = COLLECT_LIMIT if collect_limit is None else collect_limit
        self.bounds = bounds  # the command's own flags that bound or narrow its stream
        self._collected: list[Any] = []
        self.pending: list[Any] = []  # notices held back until the first output
        self._flush_timer: TimerHandle | None = None
        self._flush_error: OSError | None = None

    @property
    def stream(self) -> TextIO:
        # Looked up late so redirect_stdout / capsys see the output.
        return self._stream if self._stream is not None else sys.stdout

    def _pretty(self) -> bool:
        if self.pretty is not None:
            return self.pretty
        isatty = getattr(self.stream, "isatty", None)
        return bool(isatty and isatty())

    def _write(self, text: str) -> None:
        """Put a line in the stream's buffer (flushing is the callers' business), after
        the notices held back."""
        if self.pending:
            flush_notices(self.pending)
        self.stream.write(text + "\n")

    def flush(self) -> None:
        """Flush now (and drop a pending timed flush); raise a timed flush's failure."""
        if self._flush_timer is not None:
            self._flush_timer.cancel()
            self._flush_timer = None
        self._raise_flush_error()
        self.stream.flush()

    def _raise_flush_error(self) -> None:
        error, self._flush_error = self._flush_error, None
        if error is not None:
            raise error

    def _flush_soon(self) -> None:
        """Flush FLUSH_AFTER seconds from now, unless a flush is due already; at once
        outside an event loop."""
        if self._flush_timer is not None:
            return
        # asyncio is not imported for this: no loop runs unless asyncio is loaded.
        asyncio = sys.modules.get("asyncio")
        try:
            loop = asyncio.get_running_loop() if asyncio is not None else None
        except RuntimeError:
            loop = None
        if loop is None:
            self.flush()
            return
        self._flush_timer = loop.call_later(FLUSH_AFTER, self._timed_flush)

    def _timed_flush(self) -> None:
        self._flush_timer = None
        try:
            self.stream.flush()
        except OSError as exc:  # BrokenPipeError: the next line or finish raises it
            self._flush_error = exc

    def emit(self, doc: Any) -> None:
        """Print one JSON document (a command's whole result)."""
        self._write(dumps(doc, self._pretty()))
        self.flush()

    def line(self, obj: Any) -> None:
        """Print one JSON Lines record, compact, flushed at once."""
        self._write(dumps(obj, False))
        self.flush()

    def item(self, obj: Any) -> None:
        """One stream element: a JSON line (flushed soon), or kept for --collect."""
        if self.collect:
            self._keep(obj)
            return
        # Per event of a stream: the checks are made here so that the calls, each a
        # noticeable share of a line's cost, are made only when they have work to do.
        if self._flush_error is not None:
            self._raise_flush_error()
        self._write(dumps(obj, False))
        if self._flush_timer is None:
            self._flush_soon()

    def _keep(self, obj: Any) -> None:
        """Keep a stream element for the --collect array."""
        if len(self._collected) >= self.collect_limit:
            narrow = f", or narrow it with {', '.join(self.bounds)}" if self.bounds else ""
            raise CollectLimitError(
                f"--collect holds at most {self.collect_limit} items; drop --collect to "
                f"stream JSON Lines{narrow}")
        self._collected.append(to_jsonable(obj))

    def check_count(self, count: int, flag: str) -> None:
        """Refuse before connecting a count bound (`flag`, the command's name for it) that
        the --collect cap would cut short.

        Without this, `watch --collect --count 20000` streams for hours (a tag changes
        about once a second) before it is told exit 2."""
        if self.collect and count > self.collect_limit:
            raise CollectLimitError(
                f"--collect holds at most {self.collect_limit} items and {flag} asks for "
                f"{count}; drop --collect to stream JSON Lines, or lower {flag}")

    def finish(self) -> None:
        """End a stream: print the --collect array (nothing for JSON Lines)."""
        if self.collect:
            items, self._collected = self._collected, []
            self.emit(items)
        else:
            self.flush()

    def close(self) -> None:
        """The command is over, however it ended: flush what its stream printed."""
        if self._flush_timer is not None:
            self.flush()

    def raw(self, text: str) -> None:
        """A line that is not JSON (only the batch end-of-record marker uses this)."""
        self._write(text)
        self.flush()
