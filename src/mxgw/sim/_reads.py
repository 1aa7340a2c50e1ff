"""ReadBulk: answer from the session's cache when the item is already advised.

An item the session has added and advised is answered from the last value it received
(`was_cached` true, its own item handle). Otherwise the gateway adds, advises, waits for
the first value, unadvises and removes; the simulator resolves the value directly, so no
events reach the session and the result carries no item handle (`was_cached` false).
A reply that would pass the message limit is refused as a whole while it is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._galaxy import parse_address
from ._limits import Budget
from ._status import INVALID_REFERENCE

if TYPE_CHECKING:
    from mxgw._proto import gateway_pb2 as pb

    from ._sessions import Server, Session


def read_bulk(session: Session, server: Server, tags: list[str]) -> list[pb.BulkReadResult]:
    advised = {
        item.address.text.lower(): item for item in server.items.values() if item.advised
    }
    wire = session.manager.wire
    result_class, status = wire.pb.BulkReadResult, wire.status
    results = []
    budget = Budget()
    for tag in tags:
        result = result_class(server_handle=server.handle, tag_address=tag)
        address = parse_address(tag)
        if address is None:
            result.error_message = f"invalid tag address syntax: {tag!r}"
            result.statuses.append(status.failure_status(INVALID_REFERENCE))
            budget.add(result.ByteSize())
            results.append(result)
            continue
        item = advised.get(tag.lower())
        attr = item.attr if item else session.manager.galaxy.attribute(address.reference)
        if item is not None:
            result.was_cached = True
            result.item_handle = item.handle
        value, quality, statuses = wire.events.value_of(attr, address.index)
        result.value.CopyFrom(value)
        result.quality = quality
        result.statuses.extend(statuses)
        if attr is not None:
            result.source_timestamp.FromDatetime(attr.timestamp)
        result.was_successful = all(st.category == status.ok_category for st in statuses)
        if not result.was_successful:
            result.error_message = statuses[0].diagnostic_text if statuses else "bad quality"
        budget.add(result.ByteSize())
        results.append(result)
    return results
