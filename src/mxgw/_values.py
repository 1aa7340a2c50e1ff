"""Python values <-> MxValue, and the value/quality/timestamp record `TagValue`.

    to_mx_value(42)                      INTEGER, int32
    to_mx_value(2**40)                   INTEGER, int64 (outside the int32 range)
    to_mx_value(1.5)                     DOUBLE (NaN and infinity are refused)
    to_mx_value("7", data_type="int32")  INTEGER 7: an explicit type converts text too
    to_mx_value([1, 2, 3])               array of INTEGER
    to_mx_value(datetime.now(timezone.utc))   TIME (naive datetimes are refused)
    to_mx_value(timedelta(seconds=5))    ELAPSED_TIME

A value that does not fit its type raises MxGatewayConfigError (a ValueError); a Python
type that cannot be written at all (a dict, an object) raises TypeError.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from . import _rpc
from ._errors import MxGatewayConfigError
from ._status import StatusInfo, failures, is_good, quality_text
from ._timefmt import iso_utc

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1

# Our type names -> (MxValue member, MxDataType name, VARIANT type). Aliases below.
_TYPES: dict[str, tuple[str, str, str]] = {
    "bool": ("bool", "BOOLEAN", "VT_BOOL"),
    "int32": ("int32", "INTEGER", "VT_I4"),
    "int64": ("int64", "INTEGER", "VT_I8"),
    "float": ("float", "FLOAT", "VT_R4"),
    "double": ("double", "DOUBLE", "VT_R8"),
    "string": ("string", "STRING", "VT_BSTR"),
    "time": ("time", "TIME", "VT_DATE"),
    "elapsed": ("elapsed", "ELAPSED_TIME", "VT_R8"),
    "bytes": ("raw", "UNKNOWN", "VT_ARRAY|VT_UI1"),
}
_ALIASES = {
    "boolean": "bool", "int": "int32", "integer": "int32", "i4": "int32", "long": "int64",
    "i8": "int64", "float32": "float", "single": "float", "real": "float", "float64": "double",
    "str": "string", "big_string": "string", "datetime": "time", "date_time": "time",
    "timestamp": "time", "elapsed_time": "elapsed", "timedelta": "elapsed", "duration": "elapsed",
    "raw": "bytes",
}


def normalize_type(name: str) -> str:
    key = name.strip().lower().removesuffix("[]")
    key = _ALIASES.get(key, key)
    if key not in _TYPES:
        raise MxGatewayConfigError(
            f"unknown data type {name!r}; use one of {', '.join(sorted(_TYPES))}")
    return key


def _infer(value: Any) -> str:
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
    if isinstance(value, datetime):
        return "time"
    if isinstance(value, timedelta):
        return "elapsed"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "bytes"
    raise TypeError(f"cannot write a {type(value).__name__}; pass bool, int, float, str, "
                    "datetime, timedelta, bytes or a list of one of them")


_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def _coerce(value: Any, key: str) -> Any:
    """Convert `value` to the Python type of `key`, refusing lossy or unsafe values
    with MxGatewayConfigError."""
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
    if key in ("float", "double"):
        number = float(value.strip()) if isinstance(value, str) else value
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            raise MxGatewayConfigError(f"{value!r} is not a number")
        number = float(number)
        if not math.isfinite(number):
            raise MxGatewayConfigError(f"{value!r}: NaN and infinity cannot be written")
        return number
    if key == "string":
        if not isinstance(value, str):
            raise MxGatewayConfigError(f"{value!r} is not a string")
        return value
    if key == "time":
        if isinstance(value, str):
            value = datetime.fromisoformat(value.strip())
        if not isinstance(value, datetime):
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
            value = timedelta(seconds=value)
        if not isinstance(value, timedelta):
            raise MxGatewayConfigError(f"{value!r} is not a timedelta or a number of seconds")
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise MxGatewayConfigError(f"{value!r} is not bytes")


def _scalar(value: Any, key: str) -> Any:
    kind, data_type, variant = _TYPES[key]
    return _rpc.make_value(kind, _coerce(value, key), data_type, variant)


def _array_type(values: Sequence[Any]) -> str:
    if any(isinstance(v, (list, tuple)) for v in values):
        raise MxGatewayConfigError("nested lists cannot be written; arrays are one-dimensional")
    kinds = {_infer(v) for v in values}
    if kinds <= {"int32", "int64"}:
        return "int64" if "int64" in kinds else "int32"
    if kinds <= {"int32", "int64", "double"}:
        return "double"  # a mix of whole and decimal numbers is a double array
    if len(kinds) != 1:
        raise MxGatewayConfigError(
            f"array elements must share one type, not {', '.join(sorted(kinds))}")
    return kinds.pop()


def to_mx_value(value: Any, data_type: str | None = None) -> Any:
    """An MxValue message for `value`; `data_type` ("int32", "double", "time", ...) forces
    the type and converts text, so `to_mx_value("7", "int32")` is an INTEGER 7."""
    key = normalize_type(data_type) if data_type else None
    if isinstance(value, (list, tuple)):
        if key is None:
            if not value:
                raise MxGatewayConfigError(
                    "cannot infer the element type of an empty list; pass data_type")
            key = _array_type(value)
        elements = [_scalar(v, key) for v in value]
        _, type_name, variant = _TYPES[key]
        return _rpc.make_value("array", (type_name, variant, elements), type_name,
                               f"VT_ARRAY|{variant}")
    if value is None:
        raise MxGatewayConfigError("None cannot be written; pass a value")
    return _scalar(value, key or _infer(value))


def from_mx_value(mx: Any) -> Any:
    """The Python value of an MxValue: bool, int, float, str, aware datetime, timedelta,
    bytes, a list for arrays, or None for a null or empty value."""
    kind, payload, _, is_null = _rpc.value_parts(mx)
    if is_null or kind is None:
        return None
    if kind == "array":
        return [from_mx_value(v) for v in payload]
    if kind == "raw":
        return bytes(payload)
    return payload


def json_value(value: Any) -> Any:
    """A JSON-friendly form: datetimes as ISO-8601, timedeltas as seconds, bytes as base64."""
    if isinstance(value, datetime):
        return iso_utc(value)
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, list):
        return [json_value(v) for v in value]
    return value


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
    timestamp: datetime | None
    statuses: tuple[StatusInfo, ...] = ()
    error: str | None = None

    @classmethod
    def from_sample(cls, sample: _rpc.Sample, error: str | None = None) -> TagValue:
        _, _, data_type, _ = _rpc.value_parts(sample.value)
        return cls(from_mx_value(sample.value), data_type, sample.quality,
                   quality_text(sample.quality), sample.timestamp, sample.statuses,
                   error or None)

    @classmethod
    def from_message(cls, message: Any) -> TagValue:
        """From an MxEvent or a bulk read result message."""
        return cls.from_sample(_rpc.sample(message))

    @property
    def ok(self) -> bool:
        return self.error is None and is_good(self.quality) and not failures(self.statuses)

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": json_value(self.value),
            "dataType": self.data_type,
            "quality": self.quality,
            "qualityText": self.quality_text,
            "timestamp": iso_utc(self.timestamp) if self.timestamp else None,
            "statuses": [s.to_dict() for s in self.statuses],
            "ok": self.ok,
            "error": self.error,
        }


@dataclass(frozen=True)
class DataChange:
    """One data change of a subscribed tag: `session.subscribe()` yields these."""

    tag: str
    value: TagValue
    sequence: int

    def to_dict(self) -> dict[str, Any]:
        return {"tag": self.tag, "sequence": self.sequence, **self.value.to_dict()}
