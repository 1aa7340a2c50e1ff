"""MxEvent: what streams and listeners read of it.

    info = event_info(contract, event)   # sequence, family, handles, hresult, replay gap
    replay_gap(event)                    # just the replay gap (what a stream checks)
    tag_value(contract, event)           # (in _records) the value of a data change

Events themselves reach callers as messages (printed with the proto3 JSON mapping).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, NamedTuple

from . import _names as n
from ._contract import Contract
from ._records import timestamp


class EventInfo(NamedTuple):
    sequence: int
    family: str  # "ON_DATA_CHANGE", "ON_WRITE_COMPLETE", ..., "UNSPECIFIED"
    server_handle: int
    item_handle: int
    hresult: int | None
    replay_gap: tuple[int, int] | None  # (requested_after_sequence, oldest_available_sequence)


_new_info = tuple.__new__  # EventInfo(...) without the Python frame of its __new__


def event_info(contract: Contract, event: n.MxEvent) -> EventInfo:
    """What listeners filter on (the hub builds it once per event: `event_reader`)."""
    return event_reader(contract)(event)


def event_reader(contract: Contract) -> Callable[[n.MxEvent], EventInfo]:
    """`event_info` for one contract, its family names looked up once."""
    families = contract.short_names(n.EVENT_FAMILY)

    def info(event: n.MxEvent) -> EventInfo:
        family = event.family
        has = event.HasField
        return _new_info(EventInfo, (
            event.worker_sequence, families.get(family) or str(family),
            event.server_handle, event.item_handle,
            event.hresult if has("hresult") else None,
            replay_gap(event) if has("replay_gap") else None))

    return info


def replay_gap(event: n.MxEvent) -> tuple[int, int] | None:
    """(requested_after_sequence, oldest_available_sequence) of the gateway's replay_gap
    sentinel; None for any other event. With `worker_sequence`, all a stream checks."""
    if not event.HasField("replay_gap"):
        return None
    return (int(event.replay_gap.requested_after_sequence),
            int(event.replay_gap.oldest_available_sequence))


def received_at(event: Any) -> datetime | None:
    """When the gateway received the event from its worker (None when it does not say)."""
    return timestamp(event.gateway_receive_timestamp, event, "gateway_receive_timestamp")
