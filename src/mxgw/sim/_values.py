"""Attribute data types and conversions between Python values and `MxValue`.

Attributes keep plain Python values (bool, int, float, str, datetime, timedelta, or a
list of one of those for arrays); the wire form is built from them here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from mxgw._proto import gateway_pb2 as pb


class WriteTypeError(ValueError):
    """The written value cannot be stored in the attribute (MXAccess IncorrectDataType)."""


@dataclass(frozen=True)
class DataType:
    name: str  # the name used in galaxy files: "int", "double", ...
    proto: pb.MxDataType
    variant: str
    field: str  # MxValue oneof member
    type_name: str  # GalaxyAttribute.data_type_name

    @property
    def native(self) -> int:
        return self.proto - 2  # contract: proto number = native number + 2


_TYPES = [
    DataType("bool", pb.MX_DATA_TYPE_BOOLEAN, "VT_BOOL", "bool_value", "MxBoolean"),
    DataType("int", pb.MX_DATA_TYPE_INTEGER, "VT_I4", "int32_value", "MxInteger"),
    DataType("float", pb.MX_DATA_TYPE_FLOAT, "VT_R4", "float_value", "MxFloat"),
    DataType("double", pb.MX_DATA_TYPE_DOUBLE, "VT_R8", "double_value", "MxDouble"),
    DataType("string", pb.MX_DATA_TYPE_STRING, "VT_BSTR", "string_value", "MxString"),
    DataType("time", pb.MX_DATA_TYPE_TIME, "VT_DATE", "time_value", "MxTime"),
    DataType("elapsed", pb.MX_DATA_TYPE_ELAPSED_TIME, "VT_I8", "elapsed_value", "MxElapsedTime"),
]
TYPES: dict[str, DataType] = {t.name: t for t in _TYPES}
_INT32 = (-(2**31), 2**31 - 1)
_EXACT_KINDS: dict[str, type] = {"bool": bool, "string": str, "time": datetime,
                                 "elapsed": timedelta}


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_mx(value: Any, dtype: DataType, is_array: bool = False) -> pb.MxValue:
    """The wire form of an attribute value (`None` is a null of the attribute's type)."""
    if is_array:
        items = [to_mx(v, dtype) for v in (value or [])]
        return pb.MxValue(
            data_type=dtype.proto,
            variant_type=f"VT_ARRAY|{dtype.variant}",
            raw_data_type=dtype.native,
            array_value=pb.MxArray(
                element_data_type=dtype.proto, element_variant_type=dtype.variant, values=items
            ),
        )
    mx = pb.MxValue(data_type=dtype.proto, variant_type=dtype.variant, raw_data_type=dtype.native)
    if value is None:
        mx.is_null = True
    elif dtype.field == "time_value":
        mx.time_value.FromDatetime(value)
    elif dtype.field == "elapsed_value":
        mx.elapsed_value.FromTimedelta(value)
    else:
        setattr(mx, dtype.field, value)
    return mx


def null_value() -> pb.MxValue:
    return pb.MxValue(
        data_type=pb.MX_DATA_TYPE_UNKNOWN, variant_type="VT_EMPTY", is_null=True, raw_data_type=-1
    )


def from_mx(mx: pb.MxValue) -> Any:
    """The Python value carried by an `MxValue` (lists for arrays, None for null)."""
    which = mx.WhichOneof("value")
    if which is None or mx.is_null:
        return None
    if which == "array_value":
        return [from_mx(v) for v in mx.array_value.values]
    if which == "time_value":
        return mx.time_value.ToDatetime(tzinfo=UTC)
    if which == "elapsed_value":
        return mx.elapsed_value.ToTimedelta()
    return getattr(mx, which)


def coerce(value: Any, dtype: DataType) -> Any:
    """`value` as a scalar of `dtype`, with MXAccess's numeric widening; else WriteTypeError.

    Numbers convert between each other when nothing is lost (an integral double may be
    written to an int); strings, booleans, times and durations only accept their own kind.
    """
    name = dtype.name
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if name in ("float", "double") and number:
        return float(value)
    if name == "int" and number and _INT32[0] <= value <= _INT32[1] and value == int(value):
        return int(value)
    kind = _EXACT_KINDS.get(name)
    if kind is not None and isinstance(value, kind):
        return value
    raise WriteTypeError(f"{type(value).__name__} is not {name}")


def from_json(value: Any, dtype: DataType) -> Any:
    """A galaxy-file or command-line value (JSON types) as a Python value of `dtype`."""
    if value is None:
        return None
    if dtype.name == "time" and isinstance(value, str):
        parsed = datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)  # naive means UTC
    if dtype.name == "elapsed" and isinstance(value, (int, float)):
        return timedelta(seconds=value)
    return coerce(value, dtype)


def to_json(value: Any) -> Any:
    """A Python attribute value as JSON types (for control.get_value and logs)."""
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    return value
