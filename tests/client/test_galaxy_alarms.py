"""Galaxy browsing and session-less alarms over real gRPC."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest

import mxgw
from mxgw.testing import RunningSimulator

HIHI = "Galaxy!Area_Tanks.Tank001.Level.HiHi"


@pytest.mark.asyncio
async def test_connection_and_last_deploy(client: mxgw.GatewayClient,
                                          sim: RunningSimulator) -> None:
    status = await client.galaxy.test_connection()
    assert status.ok
    before = await client.galaxy.last_deploy_time()
    assert before.time_of_last_deploy is not None and before.cache_state
    sim.control.deploy()
    after = await client.galaxy.last_deploy_time()
    assert after.time_of_last_deploy is not None
    assert after.time_of_last_deploy >= before.time_of_last_deploy


@pytest.mark.asyncio
async def test_hierarchy_pages_lazily_and_in_full(client: mxgw.GatewayClient) -> None:
    everything = await client.galaxy.discover_hierarchy()
    paged = [obj async for obj in client.galaxy.iter_hierarchy(page_size=3)]
    assert [o.tag_name for o in paged] == [o.tag_name for o in everything]
    assert len(everything) > 3
    names = {o.tag_name for o in everything}
    assert {"Area_Tanks", "Tank001", "Pump001", "TestChildObject"} <= names
    tanks = await client.galaxy.discover_hierarchy(root_tag_name="Area_Tanks",
                                                   include_attributes=False)
    assert "Tank001" in {o.tag_name for o in tanks}
    assert not any(o.attributes for o in tanks)
    with pytest.raises(ValueError):
        await client.galaxy.discover_hierarchy(root_tag_name="a", root_gobject_id=1)


@pytest.mark.asyncio
async def test_browse_children(client: mxgw.GatewayClient) -> None:
    top = await client.galaxy.browse_children(page_size=2)
    names = [obj.tag_name for obj, _ in top]
    assert "Area_Tanks" in names
    children = await client.galaxy.browse_children(parent_tag_name="Area_Tanks")
    assert "Tank001" in [obj.tag_name for obj, _ in children]
    assert all(isinstance(flag, bool) for _, flag in children)
    assert {obj.tag_name: flag for obj, flag in top}["Area_Tanks"] is True


@pytest.mark.asyncio
async def test_watch_deploy_events(client: mxgw.GatewayClient, sim: RunningSimulator) -> None:
    async with contextlib.aclosing(client.galaxy.watch_deploy_events()) as events:
        first = await anext(events)
        sim.control.deploy()
        second = await anext(events)
    assert second.sequence == first.sequence + 1 and second.missed == 0


@pytest.mark.asyncio
async def test_alarm_feed_query_and_acknowledge(client: mxgw.GatewayClient,
                                                sim: RunningSimulator) -> None:
    sim.control.set_value("Tank001.Level", 97.0)  # raises Level.Hi and Level.HiHi
    active = [s async for s in client.query_active_alarms(prefix="Galaxy!Area_Tanks")]
    assert HIHI in {s.alarm_full_reference for s in active}
    kinds: list[str] = []
    async with contextlib.aclosing(client.stream_alarms()) as feed:
        async for message in feed:
            kinds.append(mxgw.alarm_feed_kind(message))
            if kinds[-1] == "provider_status":
                await client.acknowledge_alarm(HIHI, comment="seen", operator="operator")
            if kinds[-1] == "transition":
                assert message.transition.alarm_full_reference == HIHI
                break
    assert kinds[:len(active)] == ["active_alarm"] * len(active)
    assert kinds[len(active):] == ["snapshot_complete", "provider_status", "transition"]


@pytest.mark.asyncio
async def test_cancelled_alarm_feed_cancels_the_call(client: mxgw.GatewayClient,
                                                     sim: RunningSimulator,
                                                     cancel_consumer: Any) -> None:
    await cancel_consumer(client.stream_alarms(), sim)


@pytest.mark.asyncio
async def test_acknowledging_an_unknown_alarm_is_refused(client: mxgw.GatewayClient) -> None:
    with pytest.raises(mxgw.MxGatewayError) as info:
        await client.acknowledge_alarm("Galaxy!Nowhere.Nothing")
    assert isinstance(info.value, mxgw.MxAccessError)
    assert info.value.hresult is not None and "Nowhere" in str(info.value)


@pytest.mark.asyncio
async def test_a_repeated_page_token_is_an_error_not_a_loop() -> None:
    # The simulator, like the gateway, never repeats a token: a scripted fetch stands in.
    from mxgw._galaxy import _pages

    asked: list[str] = []

    async def fetch(token: str) -> tuple[list[int], str]:
        asked.append(token)
        return [len(asked)], "again"

    pages: list[list[int]] = []
    with pytest.raises(mxgw.MxGatewayCommandError, match="browse children: .*repeated"):
        async for page in _pages(fetch, "browse children"):
            pages.append(page)
    assert asked == ["", "again"] and pages == [[1], [2]]


@pytest.mark.asyncio
async def test_cancelled_deploy_watch_cancels_the_call(client: mxgw.GatewayClient,
                                                       sim: RunningSimulator,
                                                       cancel_consumer: Any) -> None:
    await cancel_consumer(client.galaxy.watch_deploy_events(), sim)


@pytest.mark.asyncio
async def test_closing_the_client_ends_its_streams_quietly(sim: RunningSimulator,
                                                           options_for: Any) -> None:
    client = await mxgw.GatewayClient.connect(options_for(sim))
    kinds: list[str] = []
    async for message in client.stream_alarms():
        kinds.append(mxgw.alarm_feed_kind(message))
        if kinds[-1] == "snapshot_complete":
            await client.close()
    assert kinds[-1] == "snapshot_complete" and client.closed
