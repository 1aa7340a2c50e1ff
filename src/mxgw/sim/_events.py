"""The wire form of session events, built for throughput.

An `MxEvent` is assembled from byte fragments: a per-session prefix (session_id, family),
the sequence number, the item's handles, and a fragment shared by every subscriber of the
same change (value, quality, timestamps, statuses, body). Protobuf allows fields in any
order, so concatenation is a valid encoding and each change is serialized once per tick,
not once per subscriber. The servicer sends these bytes as they are.
"""

from __future__ import annotations

from typing import Any

from mxgw._proto import gateway_pb2 as pb

from ._galaxy import BAD, Attribute
from ._status import INDEX_OUT_OF_RANGE, INVALID_REFERENCE, failure_status, ok_status
from ._values import null_value, to_mx, utc_now

SEQUENCE_TAG = b"\x18"  # MxEvent.worker_sequence = 3, varint


def varint(value: int) -> bytes:
    if value < 0:
        value += 1 << 64
    out = bytearray()
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def session_prefix(session_id: str, family: int) -> bytes:
    return pb.MxEvent(session_id=session_id, family=family).SerializeToString()


def handles(server_handle: int, item_handle: int) -> bytes:
    return pb.MxEvent(server_handle=server_handle, item_handle=item_handle).SerializeToString()


def value_of(
    attr: Attribute | None, index: int | None
) -> tuple[pb.MxValue, int, list[pb.MxStatusProxy]]:
    """An item's value, quality and statuses: unknown tag and bad index are bad quality."""
    if attr is None:
        return null_value(), BAD, [failure_status(INVALID_REFERENCE)]
    if index:  # Attr[n], 1-based
        values: Any = attr.value or []
        if not attr.is_array or index > len(values):
            return null_value(), BAD, [failure_status(INDEX_OUT_OF_RANGE)]
        return to_mx(values[index - 1], attr.dtype), attr.quality, [ok_status()]
    return to_mx(attr.value, attr.dtype, attr.is_array), attr.quality, [ok_status()]


def data_change_fragment(attr: Attribute | None, index: int | None) -> bytes:
    """The shared part of an OnDataChange for this attribute and index (cached per change)."""
    if attr is not None:
        cached = attr.fragments.get(index)
        if cached is not None:
            return cached
    value, quality, statuses = value_of(attr, index)
    now = utc_now()
    event = pb.MxEvent(value=value, quality=quality, statuses=statuses,
                       on_data_change=pb.OnDataChangeEvent())
    event.source_timestamp.FromDatetime(attr.timestamp if attr is not None else now)
    event.worker_timestamp.FromDatetime(now)
    event.gateway_receive_timestamp.FromDatetime(now)
    data = event.SerializeToString()
    if attr is not None:
        attr.fragments[index] = data
    return data


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
