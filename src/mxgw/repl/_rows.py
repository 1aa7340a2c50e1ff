"""Records as aligned rows: tag values, bulk results, data changes and alarms.

A list (or a dict) of them is shown one record per line, every column but the last
padded so the columns line up, the way an engineer reads a table:

    Pump001.Speed  20.74198   DOUBLE  Good  2026-11-21T00:53:05.682Z
    Tank001.Level  38.824515  DOUBLE  Good  2026-11-21T00:53:05.656Z

    Galaxy!Area_Tanks.Tank001.Level.HiHi  ACTIVE  severity 100  97.0 vs limit 95.0  2026-...Z
    Galaxy!Area_Pumps.Pump001.PumpFault   ACTIVE  severity 300  True                2026-...Z

`cells(obj)` gives one record's columns (None for anything that is not such a record);
`table(rows)` lines them up. Every cell goes through mxgw._json.redact(). What an alarm
message shows comes from the seam (mxgw._rpc._alarms.alarm_summary): no proto field
names here.
"""

from __future__ import annotations

import datetime as _dt
import reprlib
from collections.abc import Mapping
from typing import Any

from .._changes import DataChange
from .._json import is_message, redact
from .._results import BulkReadResult
from .._rpc._alarms import AlarmSummary, ProviderStatus, alarm_summary
from .._status import failures
from .._values import TagValue
from .._write_results import BulkWriteResult, SubscribeResult

Cells = list[str]

# repr() with limits: a 10,000-element array must not fill the screen.
SHORT = reprlib.Repr()
SHORT.maxstring = 200
SHORT.maxother = 200
SHORT.maxlist = SHORT.maxdict = SHORT.maxtuple = SHORT.maxset = 50

def timestamp_text(value: Any) -> str:
    if isinstance(value, _dt.datetime):
        stamp: _dt.datetime = value
        if stamp.tzinfo is not None:
            stamp = stamp.astimezone(_dt.UTC).replace(tzinfo=None)
        return stamp.isoformat(timespec="milliseconds") + "Z"
    return "-" if value is None else str(value)


def value_text(value: Any) -> str:
    if isinstance(value, str):
        return repr(redact(value))
    return SHORT.repr(value)


def _tag_value(tv: TagValue) -> Cells:
    found = [value_text(tv.value), tv.data_type, tv.quality_text, timestamp_text(tv.timestamp)]
    if tv.error:
        found.append(f"error: {tv.error}")
    return found


def _bulk_read(result: BulkReadResult) -> Cells:
    found = [result.tag_address, *_tag_value(result.value)]
    item = f"item {result.item_handle}" + (" (cached)" if result.was_cached else "")
    found.insert(5, item)  # before the error, if any: the error stays the last column
    return found


def _outcome(ok: bool, error: str) -> str:
    return "ok" if ok else f"failed: {error or 'no reason given'}"


def _bulk_write(result: BulkWriteResult) -> Cells:
    reasons = [result.error_message] if result.error_message else []
    if result.hresult < 0:
        reasons.append(f"hresult 0x{result.hresult & 0xFFFFFFFF:08X}")
    reasons += [str(s) for s in failures(result.statuses)]
    return [f"item {result.item_handle}", _outcome(result.ok, "; ".join(reasons))]


# ------------------------------------------------------------------ alarms


def _alarm(found: AlarmSummary) -> Cells:
    """reference, state, severity, value against limit, time (and who acknowledged)."""
    against = "-"
    if found.has_value:
        against = value_text(found.value)
        if found.limit is not None:
            against += f" vs limit {value_text(found.limit)}"
    row = [found.reference, found.state, f"severity {found.severity}", against,
           timestamp_text(found.time) if found.time else "-"]
    if found.operator:
        row.append(f"by {found.operator}" + (f": {found.comment}" if found.comment else ""))
    return row


def _provider(status: ProviderStatus) -> Cells:
    health = f"degraded: {status.reason or 'no reason given'}" if status.degraded else "ok"
    return ["alarm provider", status.mode, health,
            timestamp_text(status.since) if status.since else "-"]


def _alarm_message(message: Any) -> Cells | None:
    found = alarm_summary(message)
    if isinstance(found, AlarmSummary):
        return _alarm(found)
    if isinstance(found, ProviderStatus):
        return _provider(found)
    return None if found is None else [found]


# ------------------------------------------------------------------ rows


def cells(obj: Any) -> Cells | None:
    """The columns of one record, or None when `obj` is not one of the record types."""
    found: Cells | None = None
    if isinstance(obj, DataChange):
        found = [obj.tag, *_tag_value(obj.value)]
    elif isinstance(obj, TagValue):
        found = _tag_value(obj)
    elif isinstance(obj, BulkReadResult):
        found = _bulk_read(obj)
    elif isinstance(obj, SubscribeResult):
        found = [obj.tag_address, f"item {obj.item_handle}",
                 _outcome(obj.was_successful, obj.error_message)]
    elif isinstance(obj, BulkWriteResult):
        found = _bulk_write(obj)
    elif is_message(obj):
        found = _alarm_message(obj)
    return None if found is None else [redact(str(cell)) for cell in found]


def table(rows: list[Cells]) -> str:
    """Rows one per line, two spaces apart, every column but a row's last padded."""
    widths: dict[int, int] = {}
    for row in rows:
        for index, cell in enumerate(row[:-1]):
            widths[index] = max(widths.get(index, 0), len(cell))
    return "\n".join(
        "  ".join([*(cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])), *row[-1:]])
        for row in rows
    )


def rows_of(obj: Any) -> list[Cells] | None:
    """Rows for a record, a non-empty list or tuple of records, or a non-empty dict whose
    values are records (the key is the first column); None for anything else."""
    single = cells(obj)
    if single is not None:
        return [single]
    found: list[Cells | None]
    if isinstance(obj, Mapping) and obj:
        found = [_keyed(key, value) for key, value in obj.items()]
    elif type(obj) in (list, tuple) and obj:
        found = [cells(value) for value in obj]
    else:
        return None
    return None if any(row is None for row in found) else [r for r in found if r is not None]


def _keyed(key: Any, value: Any) -> Cells | None:
    row = cells(value)
    return None if row is None else [redact(str(key)), *row]


def format_row(obj: Any) -> str:
    """One record on one line (a watch's data change, say); repr() for anything else."""
    row = cells(obj)
    return table([row]) if row is not None else redact(repr(obj))
