"""Replies -> the public records: bulk results, TagValue, StatusInfo, timestamps.

Each builder makes the public dataclass straight from the message (no intermediate rows).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from .._frozen import filled
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
_stamps: dict[int, datetime] = {}  # by seconds * 10**9 + nanos
_quality_texts: dict[int, str] = {}
# Timestamp.ToDatetime(tzinfo=UTC), in range, is this sum; its Python code costs ~1 µs a
# stamp more, which a stream of new source timestamps pays per event.
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_FIRST_SECOND, _LAST_SECOND = -62_135_596_800, 253_402_300_799  # 0001-01-01 .. 9999-12-31
_NANOS = 1_000_000_000


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
    seconds, nanos = stamp.seconds, stamp.nanos
    if not (_FIRST_SECOND <= seconds <= _LAST_SECOND and 0 <= nanos < _NANOS):
        return stamp.ToDatetime(tzinfo=UTC)  # out of range: its ValueError, nothing kept
    # Keyed by one int, not a (seconds, nanos) tuple: a stream of new stamps keeps tens of
    # thousands, and ints are not tracked by the garbage collector (tuples are).
    key = seconds * _NANOS + nanos
    found = _stamps.get(key)
    if found is None:
        if len(_stamps) >= _CACHE_LIMIT:
            _stamps.clear()
        found = _stamps[key] = _EPOCH + timedelta(0, seconds, nanos // 1000)
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
    # A read-bulk of 1,000 tags makes 1,000 of these: filled, not the frozen __init__
    # (tests/client/test_records.py compares it with the constructor's).
    ok = r.was_successful
    message = r.error_message
    return filled(BulkReadResult, {
        "server_handle": r.server_handle, "tag_address": r.tag_address,
        "item_handle": r.item_handle, "was_successful": ok, "error_message": message,
        "was_cached": r.was_cached,
        "value": tag_value(contract, r, None if ok else (message or "read failed"))})


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
