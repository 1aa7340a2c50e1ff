"""Alarms driven by tag values: raise, acknowledge, clear, retrigger; feeds and queries."""

from __future__ import annotations

import asyncio

import grpc
import pytest
from simkit import WAIT, Gw, pb, take

HIHI = "Galaxy!Area_Tanks.Tank001.Level.HiHi"
HI = "Galaxy!Area_Tanks.Tank001.Level.Hi"
K = pb.AlarmTransitionKind


def _feed(gw: Gw, prefix: str = "") -> grpc.aio.UnaryStreamCall:
    return gw.stub.StreamAlarms(pb.StreamAlarmsRequest(alarm_filter_prefix=prefix),
                                metadata=gw.metadata)


async def _active(gw: Gw, prefix: str = "") -> list[pb.ActiveAlarmSnapshot]:
    call = gw.stub.QueryActiveAlarms(pb.QueryActiveAlarmsRequest(alarm_filter_prefix=prefix),
                                     metadata=gw.metadata)
    return [s async for s in call]


async def _ack(gw: Gw, reference: str) -> pb.AcknowledgeAlarmReply:
    return await gw.stub.AcknowledgeAlarm(pb.AcknowledgeAlarmRequest(
        alarm_full_reference=reference, comment="seen", operator_user="operator"),
        metadata=gw.metadata)


@pytest.mark.asyncio
async def test_feed_snapshot_then_transitions(gw: Gw) -> None:
    gw.control.set_value("Tank001.Level", 97.0)  # over Hi (80) and HiHi (95)
    feed = _feed(gw, "Galaxy!Area_Tanks.Tank001")
    hi, hihi, complete, provider = await take(feed, 4)
    assert {hi.active_alarm.alarm_full_reference, hihi.active_alarm.alarm_full_reference} == \
        {HI, HIHI}
    assert hihi.active_alarm.condition_state == pb.ALARM_CONDITION_STATE_ACTIVE
    assert hihi.active_alarm.area == "Area_Tanks"
    assert complete.WhichOneof("payload") == "snapshot_complete"
    assert provider.provider_status.mode == pb.ALARM_PROVIDER_MODE_ALARMMGR
    assert not provider.provider_status.degraded
    assert gw.control.get_value("Tank001.Level.HiHi") is True

    reply = await _ack(gw, HIHI)
    assert reply.protocol_status.code == pb.PROTOCOL_STATUS_CODE_OK and reply.native_status == 0
    (ack,) = await take(feed, 1)
    assert ack.transition.transition_kind == K.ALARM_TRANSITION_KIND_ACKNOWLEDGE
    assert ack.transition.condition_state == pb.ALARM_CONDITION_STATE_ACTIVE_ACKED
    assert ack.transition.operator_user == "operator"

    gw.control.set_value("Tank001.Level", 10.0)  # HiHi (acked) clears; Hi returns unacked
    a, b = await take(feed, 2)
    states = {t.transition.alarm_full_reference: t.transition.condition_state for t in (a, b)}
    assert states == {HIHI: pb.ALARM_CONDITION_STATE_CLEARED,
                      HI: pb.ALARM_CONDITION_STATE_RETURNED_UNACKED}
    assert [s.alarm_full_reference for s in await _active(gw)] == [HI]

    gw.control.set_value("Tank001.Level", 85.0)  # Hi again before anyone acked it
    (retrigger,) = await take(feed, 1)
    assert retrigger.transition.transition_kind == K.ALARM_TRANSITION_KIND_RETRIGGER
    feed.cancel()


@pytest.mark.asyncio
async def test_many_subscribers_and_ack_by_guid(gw: Gw) -> None:
    feeds = [_feed(gw) for _ in range(3)]
    for feed in feeds:
        assert (await take(feed, 2))[-1].WhichOneof("payload") == "provider_status"
    gw.control.set_value("Pump003.PumpFault", True)
    raises = [(await take(feed, 1))[0].transition for feed in feeds]
    assert {r.alarm_full_reference for r in raises} == {"Galaxy!Area_Pumps.Pump003.PumpFault"}
    assert raises[0].transition_kind == K.ALARM_TRANSITION_KIND_RAISE
    assert raises[0].severity == 300
    assert (await _ack(gw, "{" + raises[0].alarm_guid + "}")).native_status == 0
    for feed in feeds:
        (ack,) = await take(feed, 1)
        assert ack.transition.transition_kind == K.ALARM_TRANSITION_KIND_ACKNOWLEDGE
        feed.cancel()


@pytest.mark.asyncio
async def test_ramp_raises_alarms_on_its_own(gw: Gw) -> None:
    gw.control.tick(40)  # the tank ramp covers 0..100 in 40 ticks
    active = await _active(gw, "Galaxy!Area_Tanks")
    assert active and all(a.severity in (100, 500) for a in active)


@pytest.mark.asyncio
async def test_acknowledge_errors(gw: Gw) -> None:
    unknown = await _ack(gw, "Galaxy!Area_Tanks.Tank001.Level.Nope")
    assert unknown.protocol_status.code == pb.PROTOCOL_STATUS_CODE_MXACCESS_FAILURE
    assert unknown.native_status != 0
    inactive = await _ack(gw, HIHI)
    assert inactive.protocol_status.code == pb.PROTOCOL_STATUS_CODE_MXACCESS_FAILURE
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await _ack(gw, " ")
    assert info.value.code() == grpc.StatusCode.INVALID_ARGUMENT


@pytest.mark.asyncio
async def test_alarm_commands_through_invoke(gw: Gw) -> None:
    session_id = await gw.open()
    await gw.invoke(session_id, subscribe_alarms_command=pb.SubscribeAlarmsCommand(
        subscription_expression="Galaxy!Area_Tanks"))
    gw.control.set_value("Tank002.Level", 90.0)
    gw.control.set_value("Pump001.PumpFault", True)  # not matched by the expression
    (event,) = await gw.drain_until(session_id, 1)
    assert event.family == pb.MX_EVENT_FAMILY_ON_ALARM_TRANSITION
    assert event.on_alarm_transition.alarm_full_reference == "Galaxy!Area_Tanks.Tank002.Level.Hi"
    query = await gw.invoke(session_id, query_active_alarms_command=pb.QueryActiveAlarmsCommand(
        alarm_filter_prefix="Galaxy!Area_Tanks.Tank002"))
    assert len(query.query_active_alarms.snapshots) == 1
    by_name = await gw.invoke(
        session_id, acknowledge_alarm_by_name_command=pb.AcknowledgeAlarmByNameCommand(
            provider_name="Galaxy", group_name="Area_Tanks", alarm_name="Tank002.Level.Hi"))
    assert by_name.protocol_status.code == pb.PROTOCOL_STATUS_CODE_OK
    assert by_name.acknowledge_alarm.native_status == 0
    by_guid = await gw.invoke(session_id, acknowledge_alarm_command=pb.AcknowledgeAlarmCommand(
        alarm_guid="not-a-guid"))
    assert by_guid.protocol_status.code == pb.PROTOCOL_STATUS_CODE_MXACCESS_FAILURE
    assert by_guid.acknowledge_alarm.native_status == 1  # unknown alarm
    await gw.invoke(session_id, unsubscribe_alarms_command=pb.UnsubscribeAlarmsCommand())
    gw.control.set_value("Tank002.Level", 5.0)
    assert [e.family for e in await gw.drain(session_id)] == [
        pb.MX_EVENT_FAMILY_ON_ALARM_TRANSITION]  # the acknowledge, before unsubscribing


@pytest.mark.asyncio
async def test_alarm_feed_ends_when_simulator_stops() -> None:
    from mxgw.testing import run_simulator

    async with run_simulator(tick_interval=None) as sim:
        channel = grpc.aio.insecure_channel(sim.endpoint)
        gw = Gw(sim, channel, sim.api_key)
        feed = _feed(gw)
        await take(feed, 2)
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await asyncio.wait_for(feed.read(), WAIT)
    assert info.value.code() == grpc.StatusCode.UNAVAILABLE  # the feed closed, not a crash
    await channel.close()


@pytest.mark.asyncio
async def test_alarm_provider_health_reaches_open_and_new_feeds(gw: Gw) -> None:
    feed = _feed(gw, "no-such-prefix!")
    healthy = (await take(feed, 2))[-1].provider_status
    assert not healthy.degraded and healthy.reason == ""
    gw.control.set_alarm_provider(True, "AlarmMgr not responding")
    (change,) = await take(feed, 1)
    assert change.provider_status.degraded
    assert change.provider_status.reason == "AlarmMgr not responding"
    assert change.provider_status.since.ToDatetime() >= healthy.since.ToDatetime()
    late = _feed(gw, "no-such-prefix!")
    assert (await take(late, 2))[-1].provider_status == change.provider_status
    gw.control.set_alarm_provider(False, "ignored when healthy")
    (recovered,) = await take(feed, 1)
    assert not recovered.provider_status.degraded and recovered.provider_status.reason == ""
    feed.cancel()
    late.cancel()
