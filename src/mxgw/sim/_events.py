"""The wire form of session events, built for throughput.

An `MxEvent` is assembled from byte fragments: a per-session prefix (session_id, family),
the sequence number, the item's handles, and a fragment shared by every subscriber of the
same change (value, quality, timestamps, statuses, body). Protobuf allows fields in any
order, so concatenation is a valid encoding and each change is serialized once per tick,
not once per subscriber. The servicer sends these bytes as they are.
"""

from __future__ import annotations

import struct
from datetime import datetime
from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp

from mxgw._proto import gateway_pb2 as pb

from ._galaxy import BAD, GOOD, Attribute
from ._status import INDEX_OUT_OF_RANGE, INVALID_REFERENCE, failure_status, ok_status
from ._values import TYPES, DataType, null_value, to_mx, utc_now

SEQUENCE_TAG = b"\x18"  # MxEvent.worker_sequence = 3, varint


def varint(value: int) -> bytes:
    # Sequence numbers and handles are small: answer the common sizes without a loop.
    if 0 <= value < 0x80:
        return bytes((value,))
    if 0 <= value < 0x4000:
        return bytes((value & 0x7F | 0x80, value >> 7))
    if 0 <= value < 0x200000:
        return bytes((value & 0x7F | 0x80, (value >> 7) & 0x7F | 0x80, value >> 14))
    if value < 0:
        value += 1 << 64
    out = bytearray()
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def session_prefix(session_id: str, family: pb.MxEventFamily) -> bytes:
    return pb.MxEvent(session_id=session_id, family=family).SerializeToString()


def handles(server_handle: int, item_handle: int) -> bytes:
    return pb.MxEvent(server_handle=server_handle, item_handle=item_handle).SerializeToString()


def value_of(
    attr: Attribute | None, index: int | None
) -> tuple[pb.MxValue, int, list[pb.MxStatusProxy]]:
    """An item's value, quality and statuses: unknown tag and bad index are bad quality."""
    if attr is None:
        return null_value(), BAD, [failure_status(INVALID_REFERENCE)]
    attr.refresh()
    if index:  # Attr[n], 1-based
        values: Any = attr.value or []
        if not attr.is_array or index > len(values):
            return null_value(), BAD, [failure_status(INDEX_OUT_OF_RANGE)]
        return to_mx(values[index - 1], attr.dtype), attr.quality, [ok_status()]
    return to_mx(attr.value, attr.dtype, attr.is_array), attr.quality, [ok_status()]


def _length_delimited(tag: bytes, data: bytes) -> bytes:
    return tag + varint(len(data)) + data


_STAMPS: dict[datetime, bytes] = {}


def _stamp(when: datetime) -> bytes:
    """A Timestamp's length and encoding, cached: the changes of one tick share a time."""
    data = _STAMPS.get(when)
    if data is None:
        if len(_STAMPS) > 4096:
            _STAMPS.clear()
        stamp = Timestamp()
        stamp.FromDatetime(when)
        data = _STAMPS[when] = _length_delimited(b"", stamp.SerializeToString())
    return data


# MxEvent fields: value 6, quality 7, source_timestamp 8, statuses 9, worker_timestamp 10,
# gateway_receive_timestamp 11, on_data_change 20 (an empty message).
_VALUE, _QUALITY, _SOURCE_TS, _STATUS = b"\x32", b"\x38", b"\x42", b"\x4a"
_WORKER_TS, _GATEWAY_TS, _ON_DATA_CHANGE = b"\x52", b"\x5a", b"\xa2\x01\x00"
_GOOD_QUALITY = _QUALITY + varint(GOOD)
_OK_STATUS = _length_delimited(_STATUS, ok_status().SerializeToString())


def _encode_value(value: Any, dtype: DataType, is_array: bool) -> bytes:
    """MxValue bytes, by hand for the common scalars (the per-event hot path)."""
    if not is_array and value is not None:
        header = _HEADERS[dtype.name]
        kind = dtype.name
        if kind == "double":
            return header + b"\x71" + _DOUBLE.pack(value)  # double_value 14, fixed64
        if kind == "int":
            return header + b"\x58" + varint(value)  # int32_value 11
        if kind == "bool":
            return header + (b"\x50\x01" if value else b"\x50\x00")  # bool_value 10
        if kind == "float":
            return header + b"\x6d" + _FLOAT.pack(value)  # float_value 13, fixed32
    return to_mx(value, dtype, is_array).SerializeToString()


_DOUBLE, _FLOAT = struct.Struct("<d"), struct.Struct("<f")
_HEADERS = {
    name: pb.MxValue(data_type=t.proto, variant_type=t.variant,
                     raw_data_type=t.native).SerializeToString()
    for name, t in TYPES.items()
}


def data_change_fragment(attr: Attribute | None, index: int | None, fresh: bool = False
                         ) -> bytes:
    """The shared part of an OnDataChange for this attribute and index, cached per change
    (`fresh`: not from the cache, stamped now, for the first value after an Advise)."""
    if attr is None or index:
        value, quality, statuses = value_of(attr, index)
        event = pb.MxEvent(value=value, quality=quality, statuses=statuses)
        now = utc_now()
        return event.SerializeToString() + _tail(attr.timestamp if attr else now, now)
    attr.refresh()
    if not fresh:
        cached = attr.fragments.get(index)
        if cached is not None:
            return cached
    now = attr.changed_at if not fresh else utc_now()
    value_bytes = _encode_value(attr.value, attr.dtype, attr.is_array)
    quality_field = (_GOOD_QUALITY if attr.quality == GOOD
                     else _QUALITY + varint(attr.quality))
    data = (_length_delimited(_VALUE, value_bytes) + quality_field + _OK_STATUS
            + _tail(attr.timestamp, now))
    if not fresh:
        attr.fragments[index] = data
    return data


def _tail(source: datetime, now: datetime) -> bytes:
    stamp = _stamp(now)
    return _SOURCE_TS + _stamp(source) + _WORKER_TS + stamp + _GATEWAY_TS + stamp + _ON_DATA_CHANGE


def write_complete_fragment(status: pb.MxStatusProxy, hresult: int) -> bytes:
    now = utc_now()
    event = pb.MxEvent(statuses=[status], hresult=hresult,
                       on_write_complete=pb.OnWriteCompleteEvent())
    event.worker_timestamp.FromDatetime(now)
    event.gateway_receive_timestamp.FromDatetime(now)
    return event.SerializeToString()


def alarm_fragment(transition: pb.OnAlarmTransitionEvent) -> bytes:
    now = utc_now()
    event = pb.MxEvent(on_alarm_transition=transition)
    event.worker_timestamp.FromDatetime(now)
    event.gateway_receive_timestamp.FromDatetime(now)
    return event.SerializeToString()


def replay_gap(session_id: str, requested: int, oldest: int) -> bytes:
    """The sentinel: family UNSPECIFIED, no body, worker_sequence 0, `replay_gap` set."""
    event = pb.MxEvent(
        session_id=session_id,
        replay_gap=pb.ReplayGap(requested_after_sequence=requested,
                                oldest_available_sequence=oldest),
    )
    event.gateway_receive_timestamp.FromDatetime(utc_now())
    return event.SerializeToString()
