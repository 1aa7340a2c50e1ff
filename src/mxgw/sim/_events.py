"""The wire form of session events, built for throughput.

An `MxEvent` is assembled from byte fragments: a per-session prefix (session_id, family),
the sequence number, the item's handles, and a fragment shared by every subscriber of the
same change (value, quality, timestamps, statuses, body). Protobuf allows fields in any
order, so concatenation is a valid encoding and each change is serialized once per tick,
not once per subscriber. The servicer sends these bytes as they are.

The hand-encoded parts (field tags, the common scalar values) are made from the field
numbers of the contract the simulator speaks, once per `EventCodec`, so a renumbered
contract (`mxgw sim --contract`) costs nothing per event.
"""

from __future__ import annotations

import struct
from datetime import datetime
from typing import TYPE_CHECKING, Any

from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.timestamp_pb2 import Timestamp

from ._galaxy import BAD, GOOD, Attribute
from ._status import INDEX_OUT_OF_RANGE, INVALID_REFERENCE, Statuses
from ._values import TYPES, DataType, Values, utc_now

if TYPE_CHECKING:
    from mxgw._proto import gateway_pb2 as pb

# The families the simulator sends (MxEventFamily values without the prefix).
DATA_CHANGE, WRITE_COMPLETE, ALARM_TRANSITION = (
    "ON_DATA_CHANGE", "ON_WRITE_COMPLETE", "ON_ALARM_TRANSITION")
FAMILIES = (DATA_CHANGE, WRITE_COMPLETE, ALARM_TRANSITION)


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


# Wire types (protobuf encoding): varint 0, fixed64 1, length-delimited 2, fixed32 5.
_WIRE_TYPES = {
    FieldDescriptor.TYPE_DOUBLE: 1, FieldDescriptor.TYPE_FIXED64: 1,
    FieldDescriptor.TYPE_SFIXED64: 1, FieldDescriptor.TYPE_FLOAT: 5,
    FieldDescriptor.TYPE_FIXED32: 5, FieldDescriptor.TYPE_SFIXED32: 5,
    FieldDescriptor.TYPE_STRING: 2, FieldDescriptor.TYPE_BYTES: 2,
    FieldDescriptor.TYPE_MESSAGE: 2,
}


def tag(message: Any, field: str) -> bytes:
    """The encoded key of `field` of a message class: its number and wire type."""
    found = message.DESCRIPTOR.fields_by_name[field]
    return varint(found.number << 3 | _WIRE_TYPES.get(found.type, 0))


def _length_delimited(key: bytes, data: bytes) -> bytes:
    return key + varint(len(data)) + data


_STAMPS: dict[datetime, bytes] = {}


def _stamp(when: datetime) -> bytes:
    """A Timestamp's length and encoding, cached: the changes of one tick share a time.
    (google.protobuf.Timestamp is the same in every contract.)"""
    data = _STAMPS.get(when)
    if data is None:
        if len(_STAMPS) > 4096:
            _STAMPS.clear()
        stamp = Timestamp()
        stamp.FromDatetime(when)
        data = _STAMPS[when] = _length_delimited(b"", stamp.SerializeToString())
    return data


_DOUBLE, _FLOAT = struct.Struct("<d"), struct.Struct("<f")


class EventCodec:
    """MxEvent bytes in one contract: its message classes and field numbers."""

    def __init__(self, messages: Any, values: Values, statuses: Statuses) -> None:
        self._pb = pb = messages
        self._values = values
        self._statuses = statuses
        self.families = {name: getattr(pb, f"MX_EVENT_FAMILY_{name}") for name in FAMILIES}
        event = pb.MxEvent
        self.sequence_tag = tag(event, "worker_sequence")
        self._value, self._quality = tag(event, "value"), tag(event, "quality")
        self._source_ts, self._status = tag(event, "source_timestamp"), tag(event, "statuses")
        self._worker_ts = tag(event, "worker_timestamp")
        self._gateway_ts = tag(event, "gateway_receive_timestamp")
        self._on_data_change = tag(event, "on_data_change") + b"\x00"  # an empty message
        self._good_quality = self._quality + varint(GOOD)
        self._tails: dict[datetime, bytes] = {}
        self._ok_status = _length_delimited(
            self._status, statuses.ok_status().SerializeToString())
        # MxValue of the common scalars up to the value itself: data type, variant, raw
        # type, and the key of the union member.
        self._scalar = {
            name: pb.MxValue(data_type=values.numbers[name], variant_type=t.variant,
                             raw_data_type=t.native).SerializeToString()
            + tag(pb.MxValue, t.field)
            for name, t in TYPES.items() if name in ("double", "int", "bool", "float")}

    def session_prefix(self, session_id: str, family: str) -> bytes:
        return self._pb.MxEvent(session_id=session_id,
                                family=self.families[family]).SerializeToString()

    def handles(self, server_handle: int, item_handle: int) -> bytes:
        return self._pb.MxEvent(server_handle=server_handle,
                                item_handle=item_handle).SerializeToString()

    def value_of(self, attr: Attribute | None, index: int | None
                 ) -> tuple[pb.MxValue, int, list[pb.MxStatusProxy]]:
        """An item's value, quality and statuses: unknown tag and bad index are bad
        quality."""
        values, statuses = self._values, self._statuses
        if attr is None:
            return values.null_value(), BAD, [statuses.failure_status(INVALID_REFERENCE)]
        attr.refresh()
        if index is not None and not attr.is_array:  # Attr[] or Attr[n] on a scalar
            return values.null_value(), BAD, [statuses.failure_status(INDEX_OUT_OF_RANGE)]
        if index:  # Attr[n], 1-based
            items: Any = attr.value or []
            if not 1 <= index <= len(items):
                return (values.null_value(), BAD,
                        [statuses.failure_status(INDEX_OUT_OF_RANGE)])
            return (values.to_mx(items[index - 1], attr.dtype), attr.quality,
                    [statuses.ok_status()])
        return (values.to_mx(attr.value, attr.dtype, attr.is_array), attr.quality,
                [statuses.ok_status()])

    def _encode_value(self, value: Any, dtype: DataType, is_array: bool) -> bytes:
        """MxValue bytes, by hand for the common scalars (the per-event hot path)."""
        if not is_array and value is not None:
            kind = dtype.name
            if kind == "double":
                return self._scalar[kind] + _DOUBLE.pack(value)  # fixed64
            if kind == "int":
                return self._scalar[kind] + varint(value)
            if kind == "bool":
                return self._scalar[kind] + (b"\x01" if value else b"\x00")
            if kind == "float":
                return self._scalar[kind] + _FLOAT.pack(value)  # fixed32
        return self._values.to_mx(value, dtype, is_array).SerializeToString()

    def data_change_fragment(self, attr: Attribute | None, index: int | None,
                             fresh: bool = False) -> bytes:
        """The shared part of an OnDataChange for this attribute and index, cached per
        change (`fresh`: not from the cache, stamped now, for the first value after an
        Advise)."""
        if attr is None or index or (index is not None and not attr.is_array):
            value, quality, statuses = self.value_of(attr, index)
            event = self._pb.MxEvent(value=value, quality=quality, statuses=statuses)
            now = utc_now()
            return b"".join((event.SerializeToString(), self._source_ts,
                             _stamp(attr.timestamp if attr else now), self._stamped(now)))
        attr.refresh()
        if not fresh:
            cached = attr.fragments.get(index)
            if cached is not None:
                return cached
        now = attr.changed_at if not fresh else utc_now()
        value_bytes = self._encode_value(attr.value, attr.dtype, attr.is_array)
        quality = attr.quality
        data = b"".join((
            self._value, varint(len(value_bytes)), value_bytes,
            self._good_quality if quality == GOOD else self._quality + varint(quality),
            self._ok_status, self._source_ts, _stamp(attr.timestamp), self._stamped(now)))
        if not fresh:
            attr.fragments[index] = data
        return data

    def _stamped(self, now: datetime) -> bytes:
        """worker_timestamp, gateway_receive_timestamp and the empty body, cached: the
        changes of one tick share `now`."""
        data = self._tails.get(now)
        if data is None:
            if len(self._tails) > 4096:
                self._tails.clear()
            stamp = _stamp(now)
            data = self._tails[now] = (self._worker_ts + stamp + self._gateway_ts + stamp
                                       + self._on_data_change)
        return data

    def write_complete_fragment(self, status: pb.MxStatusProxy, hresult: int) -> bytes:
        now = utc_now()
        event = self._pb.MxEvent(statuses=[status], hresult=hresult,
                                 on_write_complete=self._pb.OnWriteCompleteEvent())
        event.worker_timestamp.FromDatetime(now)
        event.gateway_receive_timestamp.FromDatetime(now)
        return event.SerializeToString()

    def alarm_fragment(self, transition: pb.OnAlarmTransitionEvent) -> bytes:
        now = utc_now()
        event = self._pb.MxEvent(on_alarm_transition=transition)
        event.worker_timestamp.FromDatetime(now)
        event.gateway_receive_timestamp.FromDatetime(now)
        return event.SerializeToString()

    def replay_gap(self, session_id: str, requested: int, oldest: int) -> bytes:
        """The sentinel: family UNSPECIFIED, no body, worker_sequence 0, `replay_gap`
        set."""
        event = self._pb.MxEvent(
            session_id=session_id,
            replay_gap=self._pb.ReplayGap(requested_after_sequence=requested,
                                          oldest_available_sequence=oldest),
        )
        event.gateway_receive_timestamp.FromDatetime(utc_now())
        return event.SerializeToString()

    def decode(self, data: bytes) -> pb.MxEvent:
        """Event bytes as a message (DrainEvents sends messages, not bytes)."""
        return self._pb.MxEvent.FromString(data)

