"""Records as aligned rows: tag values, bulk results, data changes and alarms.

A list (or a dict) of them is shown one record per line, every column but the last
padded so the columns line up, the way an engineer reads a table:

    Pump001.Speed  20.74198   DOUBLE  Good  2026-11-21T00:53:05.682Z
    Tank001.Level  38.824515  DOUBLE  Good  2026-11-21T00:53:05.656Z

    Galaxy!Area_Tanks.Tank001.Level.HiHi  ACTIVE  severity 100  97.0 vs limit 95.0  2026-...Z
    Galaxy!Area_Pumps.Pump001.PumpFault   ACTIVE  severity 300  True                2026-...Z

`cells(obj)` gives one record's columns (None for anything that is not such a record);
`table(rows)` lines them up. Every cell goes through `mxgw._errors.redact()`.
"""

from __future__ import annotations

import datetime as _dt
import re
import reprlib
import sys
from collections.abc import Mapping
from typing import Any

from .._errors import redact
from .._results import BulkReadResult, BulkWriteResult, SubscribeResult
from .._status import failures
from .._values import DataChange, TagValue, from_mx_value

Cells = list[str]

# repr() with limits: a 10,000-element array must not fill the screen.
SHORT = reprlib.Repr()
SHORT.maxstring = 200
SHORT.maxother = 200
SHORT.maxlist = SHORT.maxdict = SHORT.maxtuple = SHORT.maxset = 50

_ALARMS = frozenset({"ActiveAlarmSnapshot", "OnAlarmTransitionEvent", "AlarmFeedMessage",
                     "AlarmProviderStatus"})


def is_message(obj: Any) -> bool:
    if "google.protobuf.message" not in sys.modules:
        return False
    from google.protobuf.message import Message

    return isinstance(obj, Message)


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


def _enum_name(message: Any, field: str) -> str:
    """`ALARM_CONDITION_STATE_ACTIVE` -> `ACTIVE`, from the message's own descriptor (so
    a contract loaded at run time names its values too)."""
    number = getattr(message, field)
    enum = message.DESCRIPTOR.fields_by_name[field].enum_type
    value = enum.values_by_number.get(number)
    if value is None:
        return str(number)
    prefix = re.sub(r"(?<!^)(?=[A-Z])", "_", enum.name).upper() + "_"
    return str(value.name).removeprefix(prefix)


def _stamp(message: Any, *fields: str) -> str:
    """The first of `fields` that the message has and that is set."""
    known = message.DESCRIPTOR.fields_by_name
    for field in fields:
        if field in known and message.HasField(field):
            return timestamp_text(getattr(message, field).ToDatetime(tzinfo=_dt.UTC))
    return "-"


def _against_limit(alarm: Any) -> str:
    if not alarm.HasField("current_value"):
        return "-"
    text = value_text(from_mx_value(alarm.current_value))
    if alarm.HasField("limit_value"):
        text += f" vs limit {value_text(from_mx_value(alarm.limit_value))}"
    return text


def _alarm(alarm: Any) -> Cells:
    """reference, state, severity, value against limit, time (and who acknowledged)."""
    kind = type(alarm).DESCRIPTOR.name
    state = _enum_name(alarm, "condition_state")
    if kind == "OnAlarmTransitionEvent":
        state = f"{_enum_name(alarm, 'transition_kind')} -> {state}"
    found = [alarm.alarm_full_reference, state, f"severity {alarm.severity}",
             _against_limit(alarm),
             _stamp(alarm, "transition_time", "last_transition_time", "original_raise_time")]
    if alarm.operator_user:
        found.append(f"by {alarm.operator_user}"
                     + (f": {alarm.operator_comment}" if alarm.operator_comment else ""))
    return found


def _provider(status: Any) -> Cells:
    health = f"degraded: {status.reason or 'no reason given'}" if status.degraded else "ok"
    return ["alarm provider", _enum_name(status, "mode"), health, _stamp(status, "since")]


def _alarm_message(message: Any) -> Cells | None:
    kind = type(message).DESCRIPTOR.name
    if kind not in _ALARMS:
        return None
    if kind == "AlarmFeedMessage":
        member = message.WhichOneof("payload")
        if member is None:
            return ["(empty alarm feed message)"]
        if member == "snapshot_complete":
            return ["snapshot complete"]
        message = getattr(message, member)
        kind = type(message).DESCRIPTOR.name
    return _provider(message) if kind == "AlarmProviderStatus" else _alarm(message)


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
