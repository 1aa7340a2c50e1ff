"""Replies -> the public records: bulk results, TagValue, StatusInfo, timestamps.

Each builder makes the public dataclass straight from the message (no intermediate rows).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from .._results import BulkReadResult
from .._status import StatusInfo, quality_text
from .._values import TagValue, new_tag_value
from . import _names as n
from ._contract import Contract
from ._table import Message, Protocol, Repeated
from ._values import data_type_name, from_mx_value

if TYPE_CHECKING:
    from .._write_results import BulkWriteResult, SubscribeResult

# Records are frozen, so equal ones are shared: a stream's events repeat a handful of
# statuses and, within a tick, their timestamps. Bounded: cleared when full.
_CACHE_LIMIT = 65536
_statuses: dict[tuple[str, str, int, str], StatusInfo] = {}
_stamps: dict[tuple[int, int], datetime] = {}
_quality_texts: dict[int, str] = {}


def statuses(contract: Contract, proxies: Iterable[n.MxStatusProxy]) -> tuple[StatusInfo, ...]:
    """Repeated MxStatusProxy as StatusInfo records (category and source by name)."""
    categories = contract.short_names(n.STATUS_CATEGORY)
    sources = contract.short_names(n.STATUS_SOURCE)
    found = []
    for p in proxies:
        key = (categories.get(p.category) or str(p.category),
               sources.get(p.detected_by) or str(p.detected_by), p.detail, p.diagnostic_text)
        info = _statuses.get(key)
        if info is None:
            if len(_statuses) >= _CACHE_LIMIT:
                _statuses.clear()
            info = _statuses[key] = StatusInfo.from_parts(*key)
        found.append(info)
    return tuple(found)


def timestamp(stamp: n.Timestamp, message: Message, name: str) -> datetime | None:
    """`stamp` (the field `name` of `message`) as an aware datetime; None when unset."""
    if not message.HasField(name):
        return None
    key = (stamp.seconds, stamp.nanos)
    found = _stamps.get(key)
    if found is None:
        found = stamp.ToDatetime(tzinfo=UTC)  # out of range: its ValueError, not cached
        if len(_stamps) >= _CACHE_LIMIT:
            _stamps.clear()
        _stamps[key] = found
    return found


class Sampled(Message, Protocol):
    """A message with a value and its quality, time and statuses (MxEvent, BulkReadResult)."""

    value: n.MxValue
    quality: int
    source_timestamp: n.Timestamp
    statuses: Repeated[n.MxStatusProxy]


def tag_value(contract: Contract, message: Sampled, error: str | None = None) -> TagValue:
    """The value, quality, source timestamp and statuses of an MxEvent or a bulk read."""
    quality = message.quality
    value = message.value  # each read of a submessage makes its wrapper again
    text = _quality_texts.get(quality)
    if text is None:
        if len(_quality_texts) >= _CACHE_LIMIT:
            _quality_texts.clear()
        text = _quality_texts[quality] = quality_text(quality)
    return new_tag_value(from_mx_value(value), data_type_name(contract, value), quality, text,
                         timestamp(message.source_timestamp, message, "source_timestamp"),
                         statuses(contract, message.statuses), error or None)


def change_reader(contract: Contract) -> Callable[[Sampled], dict[str, Any]]:
    """What reads a lazy DataChange's value from its event (mxgw._changes.lazy_data_change)."""

    def read(event: Sampled) -> dict[str, Any]:
        return {"value": tag_value(contract, event)}

    return read


# ---------------------------------------------------------------- Invoke replies


def subscribe_results(reply: n.MxCommandReply) -> list[SubscribeResult]:
    from .._write_results import SubscribeResult  # not made by a read (`mxgw get`)

    return [SubscribeResult(r.server_handle, r.tag_address, r.item_handle, r.was_successful,
                            r.error_message) for r in reply.bulk_subscribe.results]


def read_results(contract: Contract, reply: n.MxCommandReply) -> list[BulkReadResult]:
    return [read_result(contract, r) for r in reply.bulk_read.results]


def read_result(contract: Contract, r: n.BulkReadResult) -> BulkReadResult:
    error = None if r.was_successful else (r.error_message or "read failed")
    return BulkReadResult(r.server_handle, r.tag_address, r.item_handle, r.was_successful,
                          r.error_message, r.was_cached, tag_value(contract, r, error))


def write_results(contract: Contract, reply: n.MxCommandReply) -> list[BulkWriteResult]:
    from .._write_results import BulkWriteResult

    return [BulkWriteResult(r.server_handle, r.item_handle, r.was_successful, r.error_message,
                            r.hresult, statuses(contract, r.statuses))
            for r in reply.bulk_write.results]


def server_handle(reply: n.MxCommandReply) -> int:
    return int(reply.register.server_handle)


def item_handle(reply: n.MxCommandReply, op: str) -> int:
    """AddItem's or AddItem2's item handle (`op` "add_item" or "add_item2")."""
    return int((reply.add_item2 if op == "add_item2" else reply.add_item).item_handle)


def user_id(reply: n.MxCommandReply) -> int:
    return int(reply.authenticate_user.user_id)


def drained_events(reply: n.MxCommandReply) -> list[Any]:
    return list(reply.drain_events.events)


# ---------------------------------------------------------------- sessions


class OpenedSession(NamedTuple):
    session_id: str
    lease_expires_at: datetime | None  # the gateway's clock: None when it sends none


def opened(reply: n.OpenSessionReply) -> OpenedSession:
    return OpenedSession(str(reply.session_id),
                         timestamp(reply.lease_expires_at, reply, "lease_expires_at"))


def final_state(contract: Contract, reply: n.CloseSessionReply) -> str:
    return contract.short_name(n.SESSION_STATE, reply.final_state)
