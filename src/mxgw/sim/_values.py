"""Attribute data types and conversions between Python values and `MxValue`.

Attributes keep plain Python values (bool, int, float, str, datetime, timedelta, or a
list of one of those for arrays); the wire form is built from them here and nowhere else,
by the `Values` of the simulator's contract (its MxDataType numbers, its MxValue class).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from mxgw._values import NATIVE_DATA_TYPES

if TYPE_CHECKING:
    from mxgw._proto import gateway_pb2 as pb


class WriteTypeError(ValueError):
    """The written value cannot be stored in the attribute (MXAccess IncorrectDataType)."""


@dataclass(frozen=True)
class DataType:
    name: str  # the name used in galaxy files: "int", "double", ...
    enum: str  # its MxDataType value without the prefix: "INTEGER"
    variant: str
    field: str  # MxValue oneof member
    type_name: str  # GalaxyAttribute.data_type_name

    @property
    def native(self) -> int:
        """The MXAccess number (raw_data_type, GalaxyAttribute.mx_data_type)."""
        return NATIVE_DATA_TYPES[self.enum]


# Native numbers are MXAccess's own (the library's one table): they do not follow the
# contract's MxDataType numbers.
_TYPES = [
    DataType("bool", "BOOLEAN", "VT_BOOL", "bool_value", "MxBoolean"),
    DataType("int", "INTEGER", "VT_I4", "int32_value", "MxInteger"),
    DataType("float", "FLOAT", "VT_R4", "float_value", "MxFloat"),
    DataType("double", "DOUBLE", "VT_R8", "double_value", "MxDouble"),
    DataType("string", "STRING", "VT_BSTR", "string_value", "MxString"),
    DataType("time", "TIME", "VT_DATE", "time_value", "MxTime"),
    DataType("elapsed", "ELAPSED_TIME", "VT_I8", "elapsed_value", "MxElapsedTime"),
]
TYPES: dict[str, DataType] = {t.name: t for t in _TYPES}
_NATIVE_UNKNOWN = NATIVE_DATA_TYPES["UNKNOWN"]
_INT32 = (-(2**31), 2**31 - 1)
_EXACT_KINDS: dict[str, type] = {"bool": bool, "string": str, "time": datetime,
                                 "elapsed": timedelta}


class Values:
    """MxValue messages in one contract: its classes and MxDataType numbers."""

    def __init__(self, messages: Any) -> None:
        self._pb = messages
        self.numbers = {t.name: getattr(messages, f"MX_DATA_TYPE_{t.enum}") for t in _TYPES}
        self._unknown = messages.MX_DATA_TYPE_UNKNOWN

    def to_mx(self, value: Any, dtype: DataType, is_array: bool = False) -> pb.MxValue:
        """The wire form of an attribute value (`None` is a null of the attribute's type)."""
        pb, number = self._pb, self.numbers[dtype.name]
        if is_array:
            items = [self.to_mx(v, dtype) for v in (value or [])]
            return pb.MxValue(
                data_type=number,
                variant_type=f"VT_ARRAY|{dtype.variant}",
                raw_data_type=dtype.native,
                array_value=pb.MxArray(
                    element_data_type=number, element_variant_type=dtype.variant,
                    values=items),
            )
        mx = pb.MxValue(data_type=number, variant_type=dtype.variant, raw_data_type=dtype.native)
        if value is None:
            mx.is_null = True
        elif dtype.field == "time_value":
            mx.time_value.FromDatetime(value)
        elif dtype.field == "elapsed_value":
            mx.elapsed_value.FromTimedelta(value)
        else:
            setattr(mx, dtype.field, value)
        return mx

    def null_value(self) -> pb.MxValue:
        return self._pb.MxValue(data_type=self._unknown, variant_type="VT_EMPTY",
                                is_null=True, raw_data_type=_NATIVE_UNKNOWN)


def utc_now() -> datetime:
    return datetime.now(UTC)


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
