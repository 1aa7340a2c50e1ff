"""The Galaxy Repository service: paging, tokens, ordering, filters, deploys."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import grpc
import pytest
import pytest_asyncio
from google.protobuf.wrappers_pb2 import Int32Value
from simkit import WAIT, Gw, code_of, connected, take

from mxgw._proto import galaxy_pb2 as gpb


@pytest_asyncio.fixture
async def big() -> AsyncIterator[Gw]:
    async with connected(objects=1200) as gw:
        yield gw


async def _discover(gw: Gw, **fields: Any) -> gpb.DiscoverHierarchyReply:
    return await gw.galaxy.DiscoverHierarchy(gpb.DiscoverHierarchyRequest(**fields),
                                             metadata=gw.metadata)


async def _browse(gw: Gw, **fields: Any) -> gpb.BrowseChildrenReply:
    return await gw.galaxy.BrowseChildren(gpb.BrowseChildrenRequest(**fields),
                                          metadata=gw.metadata)


@pytest.mark.asyncio
async def test_connection_and_deploy_time(gw: Gw) -> None:
    reply = await gw.galaxy.TestConnection(gpb.TestConnectionRequest(), metadata=gw.metadata)
    assert reply.ok
    first = await gw.galaxy.GetLastDeployTime(gpb.GetLastDeployTimeRequest(),
                                              metadata=gw.metadata)
    assert first.cache_state == "Healthy"
    gw.control.deploy()
    second = await gw.galaxy.GetLastDeployTime(gpb.GetLastDeployTimeRequest(),
                                               metadata=gw.metadata)
    assert second.time_of_last_deploy.ToDatetime() >= first.time_of_last_deploy.ToDatetime()


@pytest.mark.asyncio
async def test_discover_pages_default_and_cap(big: Gw) -> None:
    first = await _discover(big, include_attributes=False)
    assert len(first.objects) == 1000 and first.total_object_count == 1200 + 7 + 3 + 2
    rest = await _discover(big, include_attributes=False, page_token=first.next_page_token)
    assert len(rest.objects) == first.total_object_count - 1000 and not rest.next_page_token
    names = [o.tag_name for o in first.objects] + [o.tag_name for o in rest.objects]
    assert len(set(names)) == len(names)
    capped = await _discover(big, page_size=100_000, include_attributes=False)
    assert len(capped.objects) == capped.total_object_count  # under the 5,000 cap
    assert await code_of(_discover(big, page_size=-1)) == grpc.StatusCode.INVALID_ARGUMENT


@pytest.mark.asyncio
async def test_browse_defaults_to_500_and_orders_areas_first(big: Gw) -> None:
    root = await _browse(big)
    assert [o.tag_name for o in root.children] == [
        "Area_Pumps", "Area_Tanks", "Area_Test", "GR_Platform"]
    assert all(root.child_has_children)
    pumps = await _browse(big, parent_tag_name="Area_Pumps")
    assert len(pumps.children) == 500 and pumps.next_page_token
    assert pumps.children[0].tag_name == "Pump001"
    assert pumps.children[0].attributes[0].full_tag_reference == "Pump001.Speed"
    more = await _browse(big, parent_tag_name="Area_Pumps", page_token=pumps.next_page_token)
    assert len(more.children) == 100 and not more.next_page_token


@pytest.mark.asyncio
async def test_page_tokens_are_bound_to_filters_and_sequence(big: Gw) -> None:
    page = await _browse(big, parent_tag_name="Area_Pumps", page_size=10)
    mismatched = _browse(big, parent_tag_name="Area_Tanks", page_token=page.next_page_token)
    assert await code_of(mismatched) == grpc.StatusCode.INVALID_ARGUMENT
    garbage = _browse(big, parent_tag_name="Area_Pumps", page_token="%%%")
    assert await code_of(garbage) == grpc.StatusCode.INVALID_ARGUMENT
    big.control.deploy()
    stale = _browse(big, parent_tag_name="Area_Pumps", page_token=page.next_page_token)
    assert await code_of(stale) == grpc.StatusCode.INVALID_ARGUMENT
    again = await _browse(big, parent_tag_name="Area_Pumps", page_size=10)
    assert again.cache_sequence == page.cache_sequence + 1


@pytest.mark.asyncio
async def test_a_page_token_of_one_rpc_is_refused_by_the_other(gw: Gw) -> None:
    # Without filters both requests serialize to nothing: the token must still say which
    # query it continues (a DiscoverHierarchy offset is not a BrowseChildren offset).
    discovered = await _discover(gw, page_size=2)
    browsed = await _browse(gw, page_size=2)
    assert discovered.next_page_token and browsed.next_page_token
    mixed = (_browse(gw, page_size=2, page_token=discovered.next_page_token),
             _discover(gw, page_size=2, page_token=browsed.next_page_token))
    for call in mixed:
        assert await code_of(call) == grpc.StatusCode.INVALID_ARGUMENT
    # Field 10 is include_attributes in one request and alarm_bearing_only in the other.
    attributes = await _discover(gw, page_size=2, include_attributes=True)
    alarms = _browse(gw, page_size=2, alarm_bearing_only=True,
                     page_token=attributes.next_page_token)
    assert await code_of(alarms) == grpc.StatusCode.INVALID_ARGUMENT
    more = await _discover(gw, page_size=2, page_token=discovered.next_page_token)
    assert [o.tag_name for o in more.objects] == ["Pump002", "Pump003"]


@pytest.mark.asyncio
async def test_unknown_gobject_id_zero_is_named_in_not_found(gw: Gw) -> None:
    for call in (_browse, _discover):
        field = "parent_gobject_id" if call is _browse else "root_gobject_id"
        with pytest.raises(grpc.aio.AioRpcError) as raised:
            await call(gw, **{field: 0})
        assert raised.value.code() == grpc.StatusCode.NOT_FOUND
        assert raised.value.details() == "no galaxy object 0"


@pytest.mark.asyncio
async def test_unknown_root_or_parent_is_not_found(gw: Gw) -> None:
    for call in (_browse(gw, parent_gobject_id=99999), _browse(gw, parent_tag_name="Nope"),
                 _discover(gw, root_contained_path="Area_X.Nope"),
                 _discover(gw, root_tag_name="Nope")):
        assert await code_of(call) == grpc.StatusCode.NOT_FOUND


@pytest.mark.asyncio
async def test_discover_root_depth_and_filters(gw: Gw) -> None:
    tanks = await _discover(gw, root_contained_path="Area_Tanks", max_depth=Int32Value(value=0))
    assert [o.tag_name for o in tanks.objects] == ["Area_Tanks"]
    sub = await _discover(gw, root_tag_name="Area_Test", include_attributes=False)
    assert [o.tag_name for o in sub.objects][:3] == ["Area_Test", "TestChildObject",
                                                     "TestMachine_001"]
    assert not sub.objects[1].attributes
    alarms = await _discover(gw, alarm_bearing_only=True)
    assert {o.tag_name[:4] for o in alarms.objects} == {"Pump", "Tank"}
    hist = await _discover(gw, historized_only=True, tag_name_glob="tank*")
    assert [o.tag_name for o in hist.objects] == [f"Tank00{i}" for i in range(1, 6)]
    templ = await _discover(gw, template_chain_contains=["$Pump"])
    assert len(templ.objects) == 5 and templ.objects[0].template_chain == [
        "$Pump", "$UserDefined"]
    areas = await _discover(gw, category_ids=[13])
    assert all(o.is_area for o in areas.objects) and len(areas.objects) == 3
    level = next(a for a in hist.objects[0].attributes if a.attribute_name == "Level")
    assert level.is_historized and level.mx_data_type == 4 and level.data_type_name == "MxDouble"
    hihi = next(a for a in hist.objects[0].attributes if a.attribute_name == "Level.HiHi")
    assert hihi.is_alarm
    sp = await _browse(gw, parent_tag_name="Area_Pumps", tag_name_glob="Pump001")
    setpoint = next(a for a in sp.children[0].attributes if a.attribute_name == "SetPoint")
    assert setpoint.security_classification == 2


@pytest.mark.asyncio
async def test_watch_deploy_events(gw: Gw) -> None:
    call = gw.galaxy.WatchDeployEvents(gpb.WatchDeployEventsRequest(), metadata=gw.metadata)
    (current,) = await take(call, 1)
    gw.control.deploy()
    gw.control.deploy()
    a, b = await take(call, 2)
    assert current.sequence == 1  # the current state at once, before any deploy
    assert [a.sequence, b.sequence] == [current.sequence + 1, current.sequence + 2]
    assert b.time_of_last_deploy.ToDatetime() >= current.time_of_last_deploy.ToDatetime()
    call.cancel()



@pytest.mark.asyncio
async def test_a_deploy_watch_is_cut_off_when_the_simulator_stops() -> None:
    # Before: it ended cleanly, so `mxgw galaxy-watch` exited 0 when the gateway went away
    # (the alarm feeds end UNAVAILABLE, as the streams of a gateway that stops do).
    from mxgw.testing import run_simulator

    async with run_simulator(tick_interval=None) as sim:
        channel = grpc.aio.insecure_channel(sim.endpoint)
        gw = Gw(sim, channel, sim.api_key)
        call = gw.galaxy.WatchDeployEvents(gpb.WatchDeployEventsRequest(), metadata=gw.metadata)
        await take(call, 1)
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await asyncio.wait_for(call.read(), WAIT)
    assert info.value.code() == grpc.StatusCode.UNAVAILABLE
    await channel.close()
