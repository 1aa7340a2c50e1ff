"""Value types, in one table: their names, how Python values and text become them, and
the value/quality/timestamp record `TagValue`. Pure Python: no grpc, no protobuf.

    normalize_type("i4")            ("int32", False)    every alias of the table below
    normalize_type("MxTime[]")      ("datetime", True)  Galaxy, proto enum and array forms
    parse_value("1,2,3", "int32[]")  [1, 2, 3]           text, as the CLI takes it
    parse_value("now", "datetime")   the current time (UTC); no offset means UTC too

`mxgw.to_mx_value` / `mxgw.from_mx_value` (in the seam, mxgw._rpc._values) turn these
values into MxValue messages and back. A value that does not fit its type raises
MxGatewayConfigError (a ValueError); a Python type that cannot be written at all (a dict,
an object) raises TypeError.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from ._errors import MxGatewayConfigError
from ._frozen import filled
from ._status import StatusInfo, failures, is_good

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
FLOAT32_MAX = 3.4028235e38


class ValueType(NamedTuple):
    """One row of the table: the MxValue member that carries the value, the MxDataType
    and VARIANT type it is sent as, and every other name it goes by."""

    member: str     # "int32" -> MxValue.int32_value (see mxgw._rpc._values)
    data_type: str  # MxDataType value, without its prefix
    variant: str
    aliases: tuple[str, ...] = ()


# Canonical name -> row. The aliases cover our older names, the library's, the Galaxy's
# data_type_name (`MxInteger`) and the proto enum's (`MX_DATA_TYPE_INTEGER`, `INTEGER`
# as TagValue.data_type has it); all case-insensitive, and each with `[]` for an array.
TYPES: dict[str, ValueType] = {
    "bool": ValueType("bool", "BOOLEAN", "VT_BOOL", (
        "boolean", "mxboolean", "mx_data_type_boolean")),
    "int32": ValueType("int32", "INTEGER", "VT_I4", (
        "int", "integer", "i4", "mxinteger", "mx_data_type_integer")),
    "int64": ValueType("int64", "INTEGER", "VT_I8", ("long", "i8")),
    "float": ValueType("float", "FLOAT", "VT_R4", (
        "float32", "single", "real", "mxfloat", "mx_data_type_float")),
    "double": ValueType("double", "DOUBLE", "VT_R8", (
        "float64", "mxdouble", "mx_data_type_double")),
    "string": ValueType("string", "STRING", "VT_BSTR", (
        "str", "mxstring", "mx_data_type_string", "big_string", "mxbigstring",
        "mx_data_type_big_string", "internationalized_string", "mxinternationalizedstring",
        "mx_data_type_internationalized_string")),
    "datetime": ValueType("time", "TIME", "VT_DATE", (
        "time", "date_time", "timestamp", "mxtime", "mx_data_type_time")),
    "elapsed": ValueType("elapsed", "ELAPSED_TIME", "VT_R8", (
        "elapsed_time", "elapsedtime", "mxelapsedtime", "mx_data_type_elapsed_time",
        "timedelta", "duration")),
    "bytes": ValueType("raw", "UNKNOWN", "VT_ARRAY|VT_UI1", ("raw",)),
}
# MXAccess's own data type numbers (MxValue.raw_data_type), by MxDataType value: they do
# not follow the contract's MxDataType numbers, which a gateway's contract may renumber.
NATIVE_DATA_TYPES = {"UNKNOWN": -1, "NO_DATA": 0, "BOOLEAN": 1, "INTEGER": 2, "FLOAT": 3,
                     "DOUBLE": 4, "STRING": 5, "TIME": 6, "ELAPSED_TIME": 7}
_NAMES = {name: key for key, row in TYPES.items() for name in (key, *row.aliases)}
TYPE_NAMES = tuple(TYPES) + tuple(f"{key}[]" for key in TYPES)
"""The canonical type names (what `--help` lists)."""


def normalize_type(name: str) -> tuple[str, bool]:
    """(canonical type name, is an array) for any name of the table, `[]` for arrays."""
    text = name.strip().lower()
    is_array = text.endswith("[]")
    key = _NAMES.get(text.removesuffix("[]"))
    if key is None:
        raise MxGatewayConfigError(
            f"unknown type {name!r}; use one of {', '.join(TYPE_NAMES)} (or an alias: "
            "i4, mxinteger, time, ...)")
    return key, is_array


def infer_type(value: Any) -> str:
    """The canonical type a Python value is written as when no type is given."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        if INT32_MIN <= value <= INT32_MAX:
            return "int32"
        if INT64_MIN <= value <= INT64_MAX:
            return "int64"
        raise MxGatewayConfigError(f"{value} does not fit in 64 bits")
    if isinstance(value, float):
        return "double"
    if isinstance(value, str):
        return "string"
    if isinstance(value, _dt.datetime):
        return "datetime"
    if isinstance(value, _dt.timedelta):
        return "elapsed"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "bytes"
    raise TypeError(f"cannot write a {type(value).__name__}; pass bool, int, float, str, "
                    "datetime, timedelta, bytes or a list of one of them")


def array_type(values: Sequence[Any]) -> str:
    """The element type of a list written without a type (one type, or whole and decimal
    numbers together as double)."""
    if any(isinstance(v, (list, tuple)) for v in values):
        raise MxGatewayConfigError("nested lists cannot be written; arrays are one-dimensional")
    kinds = {infer_type(v) for v in values}
    if kinds <= {"int32", "int64"}:
        return "int64" if "int64" in kinds else "int32"
    if kinds <= {"int32", "int64", "double"}:
        return "double"
    if len(kinds) != 1:
        raise MxGatewayConfigError(
            f"array elements must share one type, not {', '.join(sorted(kinds))}")
    return kinds.pop()


_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def coerce(value: Any, key: str) -> Any:
    """`value` as the Python type of canonical type `key`, refusing lossy or unsafe
    values with MxGatewayConfigError."""
    try:
        return _convert(value, key)
    except MxGatewayConfigError:
        raise
    except (ValueError, OverflowError) as exc:  # int("x"), fromisoformat, timedelta range
        raise MxGatewayConfigError(f"{value!r} is not a valid {key}: {exc}") from None


def _convert(value: Any, key: str) -> Any:
    if key == "bool":
        if isinstance(value, str):
            text = value.strip().lower()
            if text in _TRUE | _FALSE:
                return text in _TRUE
            raise MxGatewayConfigError(f"{value!r} is not a boolean (true/false)")
        if isinstance(value, (bool, int)) and value in (0, 1):
            return bool(value)
        raise MxGatewayConfigError(f"{value!r} is not a boolean")
    if key in ("int32", "int64"):
        return _integer(value, key)
    if key in ("float", "double"):
        return _number(value, key)
    if key == "string":
        if not isinstance(value, str):
            raise MxGatewayConfigError(f"{value!r} is not a string")
        return value
    if key == "datetime":
        if isinstance(value, str):
            value = _dt.datetime.fromisoformat(value.strip())
        if not isinstance(value, _dt.datetime):
            raise MxGatewayConfigError(f"{value!r} is not a datetime")
        if value.tzinfo is None or value.utcoffset() is None:
            raise MxGatewayConfigError(
                f"{value.isoformat()} has no time zone: use an aware datetime, "
                "e.g. datetime.now(timezone.utc) or '...+00:00'")
        return value
    if key == "elapsed":
        if isinstance(value, str):
            value = float(value.strip())
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if not math.isfinite(value):
                raise MxGatewayConfigError("NaN and infinity cannot be written")
            value = _dt.timedelta(seconds=value)
        if not isinstance(value, _dt.timedelta):
            raise MxGatewayConfigError(f"{value!r} is not a timedelta or a number of seconds")
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise MxGatewayConfigError(f"{value!r} is not bytes")


def _integer(value: Any, key: str) -> int:
    if isinstance(value, bool):
        value = int(value)
    elif isinstance(value, str):
        value = int(value.strip(), 0)
    elif isinstance(value, float):
        if not value.is_integer():
            raise MxGatewayConfigError(f"{value!r} is not a whole number")
        value = int(value)
    if not isinstance(value, int):
        raise MxGatewayConfigError(f"{value!r} is not an integer")
    low, high = (INT32_MIN, INT32_MAX) if key == "int32" else (INT64_MIN, INT64_MAX)
    if not low <= value <= high:
        raise MxGatewayConfigError(f"{value} is outside the {key} range")
    return value


def _number(value: Any, key: str) -> float:
    number = float(value.strip()) if isinstance(value, str) else value
    if isinstance(number, bool) or not isinstance(number, (int, float)):
        raise MxGatewayConfigError(f"{value!r} is not a number")
    number = float(number)
    if not math.isfinite(number):
        raise MxGatewayConfigError(f"{value!r}: NaN and infinity cannot be written")
    if key == "float" and abs(number) > FLOAT32_MAX:
        raise MxGatewayConfigError(f"{value!r} is out of the float (32-bit) range; use double")
    return number


# ---------------------------------------------------------------- text

# Compiled on first use (re's cache), not at import: ~0.3 ms of every command's start.
_ELAPSED = r"^(?:(?P<d>\d+)\.)?(?P<h>\d+):(?P<m>\d{1,2}):(?P<s>\d{1,2}(?:\.\d+)?)$"


def _parse_text(text: str, key: str) -> Any:
    if key != "string":
        text = text.strip()
    if key == "datetime":
        if text.lower() == "now":
            return _dt.datetime.now(_dt.UTC)
        try:
            stamp = _dt.datetime.fromisoformat(text)
        except ValueError as exc:
            raise MxGatewayConfigError(f"{text!r} is not a valid datetime: {exc}") from None
        return stamp if stamp.tzinfo else stamp.replace(tzinfo=_dt.UTC)
    if key == "elapsed" and (match := re.match(_ELAPSED, text)):
        hours, minutes, seconds = int(match["h"]), int(match["m"]), float(match["s"])
        # A typo such as 1:75:00 must not become another duration (2:15:00) in a plant.
        if minutes >= 60 or seconds >= 60 or (match["d"] is not None and hours >= 24):
            raise MxGatewayConfigError(
                f"{text!r} is not an elapsed time: minutes and seconds run 0-59"
                + (", and hours 0-23 after a day count" if match["d"] is not None else ""))
        return _dt.timedelta(days=int(match["d"] or 0), hours=hours, minutes=minutes,
                             seconds=seconds)
    if key == "bytes":
        import base64
        import binascii

        try:
            return base64.b64decode(text, validate=True)
        except binascii.Error as exc:
            raise MxGatewayConfigError(f"{text!r} is not base64: {exc}") from None
    return coerce(text, key)


def parse_value(text: str | Sequence[str], data_type: str) -> Any:
    """The Python value that text stands for, as the command line writes it.

        parse_value("42", "i4")                  42
        parse_value("1,2,3", "int32[]")          [1, 2, 3]   one text: commas split it
        parse_value(["a,b", "c"], "string[]")    ["a,b", "c"]   several: one element each
        parse_value("2026-01-02T03:04", "time")  UTC (a time without an offset is UTC)
        parse_value("now", "datetime")           the current time
        parse_value("1:02:03.5", "elapsed")      [D.]HH:MM:SS, or seconds ("3723.5")
        parse_value("AAE=", "bytes")             base64

    The rules of `to_mx_value` apply (NaN and infinity are refused, integers and floats
    must fit); a float beyond the 32-bit range is refused. Raises MxGatewayConfigError.
    """
    key, is_array = normalize_type(data_type)
    items = [text] if isinstance(text, str) else list(text)
    if not is_array:
        if len(items) != 1:
            raise MxGatewayConfigError(
                f"a {key} takes exactly one value ({len(items)} given)")
        return _parse_text(items[0], key)
    if len(items) == 1:
        items = items[0].split(",") if items[0].strip() else []
    return [_parse_text(item, key) for item in items]


# ---------------------------------------------------------------- records


@dataclass(frozen=True)
class TagValue:
    """A value with its OPC DA quality, source timestamp and decoded statuses.

    `quality_text` reads "Good", "Bad: configuration error", ...; `ok` is true when the
    quality is good, no status entry is a real failure and the read itself succeeded
    (`error` is the gateway's message when it did not).
    """

    value: Any
    data_type: str
    quality: int
    quality_text: str
    timestamp: _dt.datetime | None
    statuses: tuple[StatusInfo, ...] = ()
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and is_good(self.quality) and not failures(self.statuses)


# A stream makes a record per event: this skips the frozen __init__ (mxgw._frozen).
# tests/client/test_values.py compares it with the constructor.
def new_tag_value(value: Any, data_type: str, quality: int, quality_text: str,
                  timestamp: _dt.datetime | None, statuses: tuple[StatusInfo, ...],
                  error: str | None) -> TagValue:
    """TagValue(value, data_type, ...), made faster."""
    return filled(TagValue, {"value": value, "data_type": data_type, "quality": quality,
                             "quality_text": quality_text, "timestamp": timestamp,
                             "statuses": statuses, "error": error})
