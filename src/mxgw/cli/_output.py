"""The one module that writes to stdout (and the one notice a command may put on stderr).

Every document is a result as JSON by mxgw._json (`dumps`: sorted keys, ASCII escapes,
since Windows consoles and pipes may use a legacy code page). Pretty when stdout is a
terminal, compact otherwise; `--pretty` / `--compact` override. Streams print JSON Lines,
one object per line, flushed per line, unless `--collect` asks for one array (capped).
"""

from __future__ import annotations

import sys

from .._json import dumps, to_jsonable
from ._exit import CollectLimitError

# typing is not imported at run time: this module is on `mxgw version`'s start-up path.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TextIO

COLLECT_LIMIT = 10_000


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
        if self.pending:
            flush_notices(self.pending)
        self.stream.write(text + "\n")
        self.stream.flush()

    def emit(self, doc: Any) -> None:
        """Print one JSON document (a command's whole result)."""
        self._write(dumps(doc, self._pretty()))

    def line(self, obj: Any) -> None:
        """Print one JSON Lines record, compact, flushed at once."""
        self._write(dumps(obj, False))

    def item(self, obj: Any) -> None:
        """One stream element: a JSON line now, or kept for the --collect array."""
        if not self.collect:
            self.line(obj)
            return
        if len(self._collected) >= self.collect_limit:
            narrow = f", or narrow it with {', '.join(self.bounds)}" if self.bounds else ""
            raise CollectLimitError(
                f"--collect holds at most {self.collect_limit} items; drop --collect to "
                f"stream JSON Lines{narrow}")
        self._collected.append(to_jsonable(obj))

    def finish(self) -> None:
        """End a stream: print the --collect array (nothing for JSON Lines)."""
        if self.collect:
            items, self._collected = self._collected, []
            self.emit(items)

    def raw(self, text: str) -> None:
        """A line that is not JSON (only the batch end-of-record marker uses this)."""
        self._write(text)
