"""The one module that writes to stdout (and the one notice a command may put on stderr).

Every document goes through `to_jsonable` and `json.dumps(sort_keys=True)` with ASCII
escapes (Windows consoles and pipes may use a legacy code page). Pretty when stdout is a
terminal, compact otherwise; `--pretty` / `--compact` override. Streams print JSON Lines,
one object per line, flushed per line, unless `--collect` asks for one array (capped).

Protobuf messages use the proto3 JSON mapping with every field printed, so keys never come
and go between runs. protobuf is imported only when a message is actually printed.
"""

from __future__ import annotations

import datetime as _dt
import enum
import json
import math
import sys
from collections.abc import Mapping

from .._timefmt import iso_utc
from ._exit import CollectLimitError

# typing is not imported at run time: this module is on `mxgw version`'s start-up path.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TextIO

COLLECT_LIMIT = 10_000


def _is_message(obj: Any) -> bool:
    if "google.protobuf.message" not in sys.modules:
        return False
    from google.protobuf.message import Message

    return isinstance(obj, Message)


def message_to_dict(message: Any) -> dict[str, Any]:
    """proto3 JSON mapping: lowerCamelCase keys, enum names, every field even when zero."""
    from google.protobuf import json_format

    result: dict[str, Any] = json_format.MessageToDict(
        message, always_print_fields_with_no_presence=True
    )
    return result


def to_jsonable(obj: Any) -> Any:
    """Turn library objects (messages, dataclasses, TagValue, datetimes...) into JSON types."""
    if obj is None or isinstance(obj, (bool, int, str)):
        return obj
    if isinstance(obj, float):
        # JSON has no NaN/Infinity; a string keeps the output parseable everywhere.
        return obj if math.isfinite(obj) else str(obj)
    if isinstance(obj, enum.Enum):
        return obj.name
    if isinstance(obj, _dt.datetime):
        return iso_utc(obj)
    if isinstance(obj, _dt.timedelta):
        return obj.total_seconds()
    if isinstance(obj, (bytes, bytearray)):
        import base64

        return base64.b64encode(bytes(obj)).decode("ascii")
    if isinstance(obj, Mapping):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in obj]
    if _is_message(obj):
        return message_to_dict(obj)
    to_dict = getattr(obj, "to_dict", None)
    if callable(to_dict):
        return to_jsonable(to_dict())
    import dataclasses

    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {camel(f.name): to_jsonable(getattr(obj, f.name))
                for f in dataclasses.fields(obj) if f.repr}
    raise TypeError(f"cannot print a {type(obj).__name__} as JSON")


def camel(name: str) -> str:
    """snake_case -> lowerCamelCase, as the proto3 JSON mapping names fields."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def dumps(obj: Any, pretty: bool = False) -> str:
    return json.dumps(to_jsonable(obj), sort_keys=True, ensure_ascii=True,
                      indent=2 if pretty else None,
                      separators=None if pretty else (",", ":"))


def notice(doc: Any) -> None:
    """One JSON line on stderr that is not an error (the first-contact notice)."""
    sys.stderr.write(dumps(doc, False) + "\n")
    sys.stderr.flush()


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
