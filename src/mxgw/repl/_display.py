"""How results and errors look at the prompt.

Values read from the gateway come back as `TagValue` records, dictionaries of them,
`DataChange`s, bulk results, Galaxy records, alarms and other protobuf messages. A raw
protobuf text dump is several screens of `{ ... }` for one reply, so messages are shown
as `Name{"field": value}` with default fields left out, other records (Galaxy objects,
deploy events) the same way, and the records that read as a table (tag values, bulk
results, alarms: see `_rows`) as one aligned line each:

    Pump001.Speed  42.5  DOUBLE  Good  2026-11-21T00:41:02.123Z

Secrets never reach the screen: fields named like passwords or API keys are replaced
with `<redacted>`, and every line goes through the one scrubber, mxgw._json.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import traceback
from collections.abc import Mapping
from typing import Any

from .._errors import MxGatewayError
from .._json import is_message, message_to_jsonable, redact, scrub, to_jsonable
from ._rows import SHORT, cells, rows_of, table


def format_message(message: Any) -> str:
    """`Name{...}` with only the fields that are set, on one line."""
    return _named(message, message_to_jsonable(message, every_field=False, proto_names=True))


def _is_record(obj: Any) -> bool:
    """One of the library's records (a user's own dataclass keeps its repr, and so do
    the REPL's own, `browse()`'s rows: they are written to be read at the prompt)."""
    cls = type(obj)
    return (hasattr(cls, "__dataclass_fields__") and cls.__module__.startswith("mxgw.")
            and not cls.__module__.startswith("mxgw.repl."))


def format_record(record: Any) -> str:
    """A library record (a frozen dataclass: GalaxyObject, DeployEvent, ...) the way a
    message shows: `Name{"field": value, ...}` on one line, bounded."""
    fields = type(record).__dataclass_fields__
    return _named(record, {name: to_jsonable(getattr(record, name))
                           for name, field in fields.items() if field.repr})


def _named(obj: Any, body: dict[str, Any]) -> str:
    text = json.dumps(scrub(body), ensure_ascii=False, separators=(", ", ": "), default=str)
    if len(text) > 2000:
        text = text[:2000] + " ...}"
    return f"{type(obj).__name__}{text}"


def _compact(obj: Any, depth: int = 0) -> str:
    """repr() that shows messages and tag values compactly wherever they are nested."""
    row = cells(obj)
    if row is not None:
        return f"<{table([row])}>"
    if is_message(obj):
        return format_message(obj)
    if _is_record(obj):
        return format_record(obj)
    if depth > 4:
        return "..."
    limit = SHORT.maxlist
    if isinstance(obj, Mapping):
        items = [f"{_compact(k, depth + 1)}: {_compact(v, depth + 1)}"
                 for k, v in list(obj.items())[:limit]]
        more = ", ..." if len(obj) > limit else ""
        return "{" + ", ".join(items) + more + "}"
    if type(obj) in (list, tuple):
        items = [_compact(v, depth + 1) for v in obj[:limit]]
        more = ", ..." if len(obj) > limit else ""
        if isinstance(obj, tuple):
            return "(" + ", ".join(items) + ("," if len(obj) == 1 else "") + more + ")"
        return "[" + ", ".join(items) + more + "]"
    if isinstance(obj, str):
        return SHORT.repr(obj)
    return repr(obj)


def format_result(obj: Any) -> str:
    """What the prompt shows for an evaluated expression (no trailing newline)."""
    rows = rows_of(obj)
    if rows is not None:
        return table(rows)
    if isinstance(obj, (list, tuple)) and obj and all(
            is_message(v) or _is_record(v) for v in obj):
        return "\n".join(format_result(v) for v in obj)
    return redact(_compact(obj))


def _machinery_dirs() -> tuple[str, ...]:
    dirs = [os.path.dirname(os.path.abspath(__file__)) + os.sep]
    ptpython = sys.modules.get("ptpython")
    if ptpython is not None and ptpython.__file__:
        dirs.append(os.path.dirname(os.path.abspath(ptpython.__file__)) + os.sep)
    return tuple(dirs)


def _user_traceback(exc: BaseException) -> str:
    # Drop the frames of the REPL machinery (ours and ptpython's) above the user's
    # own code, so a traceback starts at the line that was typed.
    machinery = _machinery_dirs()
    tb = exc.__traceback__
    while tb is not None and os.path.abspath(tb.tb_frame.f_code.co_filename).startswith(
        machinery
    ):
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(exc), exc, tb))


def format_error(exc: BaseException, debug: bool = False) -> str:
    """Gateway errors as one readable line (the traceback too with --debug);
    other exceptions as a Python traceback of the user's code; cancellation as a word."""
    if isinstance(exc, (asyncio.CancelledError, KeyboardInterrupt)):
        return "cancelled"
    if isinstance(exc, MxGatewayError):
        details = [
            f"{name}={value}"
            for name, value in (
                ("grpc", exc.grpc_code),
                ("status", exc.protocol_status),
                # 0 is S_OK: MXAccess put the reason in the status, not in the HRESULT.
                ("hresult", f"0x{exc.hresult & 0xFFFFFFFF:08X}" if exc.hresult else None),
            )
            if value is not None
        ]
        line = f"{type(exc).__name__}: {exc.message}"
        if details:
            line += f" ({', '.join(details)})"
        if debug:
            return redact(_user_traceback(exc).rstrip() + "\n" + line)
        return redact(line)
    return redact(_user_traceback(exc).rstrip())
