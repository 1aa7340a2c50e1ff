"""Python values <-> MxValue messages: `mxgw.to_mx_value` and `mxgw.from_mx_value`.

The type names, the conversion rules and the text forms are mxgw._values' one table;
this part only knows which MxValue member, MxDataType and VARIANT type carry them.
"""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

from .._errors import MxGatewayConfigError
from .._values import NATIVE_DATA_TYPES, TYPES, array_type, coerce, infer_type, normalize_type
from . import _names as n
from ._contract import Contract


def to_mx_value(value: Any, data_type: str | None = None) -> Any:
    """An MxValue message for `value`, with the type inferred or forced by `data_type`.

        to_mx_value(42)                      INTEGER, int32
        to_mx_value(2**40)                   INTEGER, int64 (outside the int32 range)
        to_mx_value(1.5)                     DOUBLE (NaN and infinity are refused)
        to_mx_value("7", "int32")            INTEGER 7: an explicit type converts text too
        to_mx_value(5, "mxinteger")          any name of the type table (i4, MxInteger, ...)
        to_mx_value([1, 2, 3])               array of INTEGER
        to_mx_value(datetime.now(UTC))       TIME (naive datetimes are refused)
        to_mx_value(timedelta(seconds=5))    ELAPSED_TIME

    A value that does not fit its type raises MxGatewayConfigError (a ValueError); a
    Python type that cannot be written at all (a dict, an object) raises TypeError.
    """
    return encode(Contract.builtin(), value, data_type)


def from_mx_value(mx: Any) -> Any:
    """The Python value of an MxValue: bool, int, float, str, aware datetime, timedelta,
    bytes, a list for arrays, or None for a null or empty value."""
    member = mx.WhichOneof("value")
    if mx.is_null or member is None:
        return None
    if member == "time_value":
        return mx.time_value.ToDatetime(tzinfo=UTC)
    if member == "elapsed_value":
        return timedelta(seconds=mx.elapsed_value.seconds,
                         microseconds=mx.elapsed_value.nanos // 1000)
    if member == "array_value":
        return [from_mx_value(v) for v in mx.array_value.values]
    if member == "raw_value":
        return bytes(mx.raw_value)
    return getattr(mx, member)


def data_type_name(contract: Contract, mx: n.MxValue) -> str:
    """The MxDataType of a value without its prefix ("INTEGER", "DOUBLE", ...)."""
    return contract.short_name(n.DATA_TYPE, mx.data_type)


def encode(contract: Contract, value: Any, data_type: str | None = None) -> n.MxValue:
    """`to_mx_value` with the message classes of `contract`."""
    key = normalize_type(data_type)[0] if data_type else None
    if isinstance(value, (list, tuple)):
        if key is None:
            if not value:
                raise MxGatewayConfigError(
                    "cannot infer the element type of an empty list; pass data_type")
            key = array_type(value)
        row = TYPES[key]
        mx = _new(contract, row.data_type, f"VT_ARRAY|{row.variant}")
        array = mx.array_value
        array.element_data_type = contract.number(n.DATA_TYPE, row.data_type)
        array.element_variant_type = row.variant
        array.values.extend([_scalar(contract, v, key) for v in value])
        return mx
    if value is None:
        raise MxGatewayConfigError("None cannot be written; pass a value")
    return _scalar(contract, value, key or infer_type(value))


def _new(contract: Contract, data_type: str, variant: str) -> n.MxValue:
    mx = contract.new(n.MxValue)
    mx.data_type, mx.variant_type = contract.number(n.DATA_TYPE, data_type), variant
    mx.raw_data_type = NATIVE_DATA_TYPES[data_type]
    return mx


def _scalar(contract: Contract, value: Any, key: str) -> n.MxValue:
    row = TYPES[key]
    payload = coerce(value, key)
    mx = _new(contract, row.data_type, row.variant)
    try:
        if row.member == "time":
            mx.time_value.FromDatetime(payload)
        elif row.member == "elapsed":
            mx.elapsed_value.FromTimedelta(payload)
        else:
            setattr(mx, f"{row.member}_value", payload)
    except (ValueError, OverflowError) as exc:  # UnicodeEncodeError is a ValueError
        # What protobuf cannot hold: a time or elapsed time out of its range, a string
        # with a lone surrogate.
        raise MxGatewayConfigError(f"the value cannot be sent: {exc}") from None
    return mx
