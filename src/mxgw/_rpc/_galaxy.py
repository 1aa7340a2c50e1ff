"""The Galaxy Repository's rpcs: requests from plain arguments, replies as records.

    objects, token, total = await discover(rpc, 0, "", RootSpec("tag_name", "Area_Tanks"),
                                           GalaxyFilters(), max_depth=None)

GalaxyObjects are lazy records (mxgw._frozen.FromMessage) when their message
prints as the record does, as the built-in contract's does: `galaxy-discover` prints
10,000 of them straight from their messages, none of their 60,000 records made. A page's
objects are made as they are iterated. Records are made with `filled`, not the frozen
`__init__`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import Any, NamedTuple

from .._frozen import filled
from .._galaxy_records import (
    DeployEvent,
    DeployInfo,
    GalaxyAttribute,
    GalaxyConnection,
    GalaxyObject,
)
from .._json import prints_as_message
from . import _galaxy_names as g
from ._calls import Rpc
from ._records import timestamp


class RootSpec(NamedTuple):
    kind: str | None  # "gobject_id", "tag_name", "contained_path" or None (whole galaxy)
    value: int | str | None


class GalaxyFilters(NamedTuple):
    category_ids: Sequence[int] = ()
    template_chain_contains: Sequence[str] = ()
    tag_name_glob: str = ""
    include_attributes: bool | None = None
    alarm_bearing_only: bool = False
    historized_only: bool = False


def _apply(request: g.PagedRequest, f: GalaxyFilters, page_size: int, page_token: str,
           where: str, place: RootSpec) -> None:
    """Paging, filters, and the root (`where` "root") or parent ("parent") if any."""
    request.page_size, request.page_token = page_size, page_token
    if place.kind is not None:
        # root_tag_name, parent_gobject_id, ...: fields of the table (tests/test_seam.py)
        setattr(request, f"{where}_{place.kind}", place.value)
    request.category_ids.extend(f.category_ids)
    request.template_chain_contains.extend(f.template_chain_contains)
    request.tag_name_glob = f.tag_name_glob
    if f.include_attributes is not None:
        request.include_attributes = f.include_attributes
    request.alarm_bearing_only = f.alarm_bearing_only
    request.historized_only = f.historized_only


def _attribute(a: g.GalaxyAttribute) -> GalaxyAttribute:
    return filled(GalaxyAttribute, {
        "attribute_name": a.attribute_name, "full_tag_reference": a.full_tag_reference,
        "mx_data_type": a.mx_data_type, "data_type_name": a.data_type_name,
        "is_array": a.is_array, "array_dimension": a.array_dimension,
        "mx_attribute_category": a.mx_attribute_category,
        "security_classification": a.security_classification,
        "is_built_in": a.is_built_in, "is_historized": a.is_historized,
        "is_alarm": a.is_alarm})


def _object_fields(o: g.GalaxyObject) -> dict[str, Any]:
    """A GalaxyObject's fields: each field of the message as it is, repeated ones as
    tuples (what `prints_as_message` takes for granted)."""
    return {
        "gobject_id": o.gobject_id, "tag_name": o.tag_name,
        "contained_name": o.contained_name, "browse_name": o.browse_name,
        "parent_gobject_id": o.parent_gobject_id, "is_area": o.is_area,
        "category_id": o.category_id, "template_chain": tuple(o.template_chain),
        "attributes": tuple([_attribute(a) for a in o.attributes]),
        "hierarchical_name": o.hierarchical_name,
        "hosted_by_gobject_id": o.hosted_by_gobject_id}


def _read_now(o: g.GalaxyObject) -> GalaxyObject:
    return filled(GalaxyObject, _object_fields(o))


def _unread(o: g.GalaxyObject) -> GalaxyObject:
    return GalaxyObject.lazy(o, _object_fields)


# GalaxyObject message descriptor -> what makes its records (a contract loaded at run time
# may add fields, or change their types, and then the message prints otherwise).
_MAKERS: dict[Any, Callable[[g.GalaxyObject], GalaxyObject]] = {}


def _maker(descriptor: Any) -> Callable[[g.GalaxyObject], GalaxyObject]:
    """What makes the records of this message type: lazy ones (read on first use, printed
    as their message until then) when the message prints as the record does, as the
    contract's own does; else records read at once."""
    found = _MAKERS.get(descriptor)
    if found is None:
        alike = prints_as_message(GalaxyObject, descriptor, {"attributes": GalaxyAttribute})
        found = _MAKERS[descriptor] = _unread if alike else _read_now
    return found


def _descriptor(message: Any) -> Any:
    return message.DESCRIPTOR  # the table's Protocols leave it out (the seam rarely needs it)


def galaxy_object(o: g.GalaxyObject) -> GalaxyObject:
    return _maker(_descriptor(o))(o)


async def test_connection(rpc: Rpc) -> GalaxyConnection:
    reply: g.TestConnectionReply = await rpc.unary(
        g.TEST_CONNECTION, rpc.contract.new(g.TestConnectionRequest),
        "galaxy test connection", session=False)
    return GalaxyConnection(bool(reply.ok), str(reply.message))


async def last_deploy(rpc: Rpc) -> DeployInfo:
    reply: g.GetLastDeployTimeReply = await rpc.unary(
        g.LAST_DEPLOY_TIME, rpc.contract.new(g.GetLastDeployTimeRequest),
        "galaxy last deploy time", session=False)
    return DeployInfo(timestamp(reply.time_of_last_deploy, reply, "time_of_last_deploy"),
                      str(reply.cache_state))


async def discover(rpc: Rpc, page_size: int, page_token: str, root: RootSpec,
                   filters: GalaxyFilters, max_depth: int | None
                   ) -> tuple[Iterator[GalaxyObject], str, int]:
    """A page of objects, made one by one as they are iterated: a record printed and let
    go before the next is made never reaches the garbage collector."""
    operation = "galaxy discover hierarchy"
    with rpc.errors(operation):
        request = rpc.contract.new(g.DiscoverHierarchyRequest)
        _apply(request, filters, page_size, page_token, "root", root)
        if max_depth is not None:
            request.max_depth.value = max_depth
    reply: g.DiscoverHierarchyReply = await rpc.unary(
        g.DISCOVER_HIERARCHY, request, operation, session=False)
    objects = _descriptor(reply).fields_by_name["objects"].message_type
    return (map(_maker(objects), reply.objects), str(reply.next_page_token),
            int(reply.total_object_count))


async def browse(rpc: Rpc, page_size: int, page_token: str, parent: RootSpec,
                 filters: GalaxyFilters) -> tuple[list[tuple[GalaxyObject, bool]], str]:
    operation = "galaxy browse children"
    with rpc.errors(operation):
        request = rpc.contract.new(g.BrowseChildrenRequest)
        _apply(request, filters, page_size, page_token, "parent", parent)
    reply: g.BrowseChildrenReply = await rpc.unary(g.BROWSE_CHILDREN, request, operation,
                                                   session=False)
    flags = list(reply.child_has_children) + [False] * len(reply.children)
    return ([(galaxy_object(c), bool(f)) for c, f in zip(reply.children, flags)],
            str(reply.next_page_token))


def watch(rpc: Rpc) -> AsyncIterator[Any]:
    """The raw WatchDeployEvents stream (`deploy_event` reads each message)."""
    return rpc.stream(g.WATCH_DEPLOY_EVENTS, rpc.contract.new(g.WatchDeployEventsRequest))


def deploy_event(message: g.DeployEvent, missed: int) -> DeployEvent:
    return filled(DeployEvent, {
        "sequence": int(message.sequence),
        "time_of_last_deploy": timestamp(message.time_of_last_deploy, message,
                                         "time_of_last_deploy"),
        "observed_at": timestamp(message.observed_at, message, "observed_at"),
        "missed": missed})


def sequence(message: g.DeployEvent) -> int:
    return int(message.sequence)
