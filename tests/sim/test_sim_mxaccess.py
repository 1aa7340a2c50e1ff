"""MXAccess semantics: unknown tags, write outcomes, security, arrays, bulk, ReadBulk."""

from __future__ import annotations

import pytest
from simkit import Gw, mx, pb

E_INVALIDARG = 0x80070057 - 2**32
OK = pb.PROTOCOL_STATUS_CODE_OK
FAILURE = pb.PROTOCOL_STATUS_CODE_MXACCESS_FAILURE


async def _write_outcome(gw: Gw, tag: str, value: pb.MxValue, **extra: object) -> pb.MxEvent:
    session_id, server, item = await gw.subscribe(tag)
    await gw.drain_until(session_id, 1)
    reply = await gw.write(session_id, server, item, value, **extra)
    assert reply.protocol_status.code == OK
    (complete, *_) = await gw.drain_until(session_id, 1)
    assert complete.family == pb.MX_EVENT_FAMILY_ON_WRITE_COMPLETE
    return complete


@pytest.mark.asyncio
async def test_unknown_tag_is_found_on_advise(gw: Gw) -> None:
    session_id = await gw.open()
    server = await gw.register(session_id)
    item = await gw.add(session_id, server, "NoSuchObject.NoSuchAttr")  # syntax only
    assert (await gw.advise(session_id, server, item)).protocol_status.code == OK
    (event,) = await gw.drain_until(session_id, 1)
    assert event.quality == 0
    assert event.statuses[0].category == pb.MX_STATUS_CATEGORY_CONFIGURATION_ERROR
    assert event.statuses[0].detail == 6


@pytest.mark.asyncio
async def test_bad_syntax_fails_add_item(gw: Gw) -> None:
    session_id = await gw.open()
    server = await gw.register(session_id)
    reply = await gw.invoke(session_id, add_item_command=pb.AddItemCommand(
        server_handle=server, tag_address="no dots here"))
    assert reply.protocol_status.code == FAILURE and reply.hresult == E_INVALIDARG


@pytest.mark.asyncio
async def test_writing_an_unadvised_item_fails_at_once(gw: Gw) -> None:
    session_id = await gw.open()
    server = await gw.register(session_id)
    item = await gw.add(session_id, server, "TestChildObject.TestInt")
    reply = await gw.write(session_id, server, item, mx(int32_value=1))
    assert reply.protocol_status.code == FAILURE
    assert reply.hresult == E_INVALIDARG == -2147024809
    assert await gw.drain(session_id) == []


@pytest.mark.asyncio
@pytest.mark.parametrize(("tag", "value", "detail"), [
    ("Pump001.Model", mx(string_value="X"), 1007),
    ("TestChildObject.TestInt", mx(string_value="not a number"), 1005),
    ("TestChildObject.TestBool", mx(int32_value=1), 1005),
    ("Pump001.SetPoint", mx(double_value=60.0), 1012),
    ("Pump001.MaintenanceMode", mx(bool_value=True), 1013),
    ("TestChildObject.TestIntArray[9]", mx(int32_value=1), 1003),
    ("TestChildObject.TestIntArray", mx(int32_value=1), 1005),
    ("NoSuch.Thing", mx(int32_value=1), 6),
])
async def test_write_failures_come_as_write_complete_statuses(
        gw: Gw, tag: str, value: pb.MxValue, detail: int) -> None:
    complete = await _write_outcome(gw, tag, value)
    (status,) = complete.statuses
    assert status.detail == detail and status.success == 0
    assert status.category not in (pb.MX_STATUS_CATEGORY_OK, pb.MX_STATUS_CATEGORY_PENDING)


@pytest.mark.asyncio
async def test_numeric_widening_is_accepted(gw: Gw) -> None:
    complete = await _write_outcome(gw, "TestChildObject.TestDouble", mx(int32_value=7))
    assert complete.statuses[0].category == pb.MX_STATUS_CATEGORY_OK
    assert gw.control.get_value("TestChildObject.TestDouble") == 7.0


async def _authenticate(gw: Gw, session_id: str, server: int, user: str) -> int:
    reply = await gw.invoke(session_id, authenticate_user_command=pb.AuthenticateUserCommand(
        server_handle=server, user_name=user, password=f"{user}-pw"))
    assert reply.protocol_status.code == OK
    return reply.authenticate_user.user_id


@pytest.mark.asyncio
async def test_secured_and_verified_writes_with_authenticated_users(gw: Gw) -> None:
    session_id = await gw.open()
    server = await gw.register(session_id)
    operator = await _authenticate(gw, session_id, server, "operator")
    supervisor = await _authenticate(gw, session_id, server, "supervisor")
    assert operator != supervisor and operator > 0
    handles = []
    for tag in ("Pump001.SetPoint", "Pump001.MaintenanceMode", "Pump001.MaintenanceMode"):
        handles.append(await gw.add(session_id, server, tag))
        await gw.advise(session_id, server, handles[-1])
    await gw.drain_until(session_id, 3)
    writes = [
        (handles[0], mx(double_value=61.5), operator, 0),      # SecuredWrite: one user
        (handles[1], mx(bool_value=True), operator, operator),  # Verified: same user: no
        (handles[2], mx(bool_value=True), operator, supervisor),
    ]
    for item, value, current, verifier in writes:
        reply = await gw.invoke(session_id, write_secured_command=pb.WriteSecuredCommand(
            server_handle=server, item_handle=item, value=value, current_user_id=current,
            verifier_user_id=verifier))
        assert reply.protocol_status.code == OK
    events = await gw.drain_until(session_id, 6)
    completes = [e for e in events if e.family == pb.MX_EVENT_FAMILY_ON_WRITE_COMPLETE]
    assert [c.statuses[0].detail for c in completes] == [0, 1013, 0]
    assert gw.control.get_value("Pump001.SetPoint") == 61.5
    assert gw.control.get_value("Pump001.MaintenanceMode") is True


@pytest.mark.asyncio
async def test_authenticate_with_wrong_password_fails(gw: Gw) -> None:
    session_id = await gw.open()
    server = await gw.register(session_id)
    reply = await gw.invoke(session_id, authenticate_user_command=pb.AuthenticateUserCommand(
        server_handle=server, user_name="operator", password="wrong"))
    assert reply.protocol_status.code == FAILURE
    assert "wrong" not in str(reply)


@pytest.mark.asyncio
async def test_array_whole_and_element(gw: Gw) -> None:
    session_id = await gw.open()
    server = await gw.register(session_id)
    whole = await gw.add(session_id, server, "TestChildObject.TestIntArray[]")
    second = await gw.add(session_id, server, "TestChildObject.TestIntArray[2]")
    await gw.advise(session_id, server, whole)
    await gw.advise(session_id, server, second)
    first_whole, first_second = await gw.drain_until(session_id, 2)
    assert [v.int32_value for v in first_whole.value.array_value.values] == [10, 20, 30, 40, 50]
    assert first_whole.value.variant_type == "VT_ARRAY|VT_I4"
    assert first_second.value.int32_value == 20
    await gw.write(session_id, server, second, mx(int32_value=99))
    await gw.drain_until(session_id, 3)  # complete + two changes
    assert gw.control.get_value("TestChildObject.TestIntArray") == [10, 99, 30, 40, 50]
    new = pb.MxValue(array_value=pb.MxArray(values=[mx(int32_value=1), mx(int32_value=2)]))
    await gw.write(session_id, server, whole, new)
    await gw.drain_until(session_id, 3)
    assert gw.control.get_value("TestChildObject.TestIntArray") == [1, 2]


@pytest.mark.asyncio
async def test_element_zero_and_brackets_on_a_scalar_are_out_of_range(gw: Gw) -> None:
    # Elements are 1-based, so `[0]` is no element (not the whole array), and a scalar has
    # no `[]`: reading, advising and writing them all say IndexOutOfRange (1003), as
    # writing `TestInt[]` always did.
    tags = ["TestChildObject.TestIntArray[0]", "TestChildObject.TestInt[]",
            "TestChildObject.TestFloat[0]"]
    session_id = await gw.open()
    server = await gw.register(session_id)
    items = [await gw.add(session_id, server, tag) for tag in tags]
    for item in items:
        await gw.advise(session_id, server, item)
    firsts = await gw.drain_until(session_id, len(tags))
    assert [(e.quality, e.statuses[0].detail) for e in firsts] == [(0, 1003)] * len(tags)
    reply = await gw.invoke(session_id, read_bulk_command=pb.ReadBulkCommand(
        server_handle=server, tag_addresses=tags))
    results = reply.bulk_read.results
    assert [(r.was_successful, r.quality, r.statuses[0].detail) for r in results] == [
        (False, 0, 1003)] * len(tags)
    for item in items:
        await gw.write(session_id, server, item, mx(int32_value=7))
    completes = await gw.drain_until(session_id, len(tags))
    assert [e.family for e in completes] == [pb.MX_EVENT_FAMILY_ON_WRITE_COMPLETE] * len(tags)
    assert [e.statuses[0].detail for e in completes] == [1003] * len(tags)
    assert gw.control.get_value("TestChildObject.TestIntArray") == [10, 20, 30, 40, 50]
    assert gw.control.get_value("TestChildObject.TestInt") == 0


@pytest.mark.asyncio
async def test_read_bulk_cache_semantics(gw: Gw) -> None:
    session_id, server, item = await gw.subscribe("TestChildObject.TestInt")
    gw.control.set_value("TestChildObject.TestString", "hello")
    reply = await gw.invoke(session_id, read_bulk_command=pb.ReadBulkCommand(
        server_handle=server, tag_addresses=[
            "TestChildObject.TestInt", "TestChildObject.TestString", "Nope.Nope", "bad tag"]))
    cached, fresh, unknown, bad = reply.bulk_read.results
    assert reply.protocol_status.code == OK
    assert cached.was_cached and cached.item_handle == item and cached.was_successful
    assert not fresh.was_cached and fresh.value.string_value == "hello" and fresh.quality == 192
    assert not unknown.was_successful and unknown.quality == 0
    assert unknown.statuses[0].detail == 6
    assert not bad.was_successful and bad.tag_address == "bad tag"
    assert len(await gw.drain(session_id)) == 1  # the advise only: reads make no events


@pytest.mark.asyncio
async def test_bulk_commands_report_per_item_in_order(gw: Gw) -> None:
    session_id = await gw.open()
    server = await gw.register(session_id)
    tags = ["TestChildObject.TestInt", "bad tag", "TestChildObject.TestBool"]
    reply = await gw.invoke(session_id, add_item_bulk_command=pb.AddItemBulkCommand(
        server_handle=server, tag_addresses=tags))
    results = reply.bulk_subscribe.results
    assert [r.tag_address for r in results] == tags
    assert [r.was_successful for r in results] == [True, False, True]
    assert [r.item_handle for r in results] == [1, 0, 2]
    assert results[1].error_message
    advise = await gw.invoke(session_id, advise_item_bulk_command=pb.AdviseItemBulkCommand(
        server_handle=server, item_handles=[2, 77, 1]))
    assert [r.was_successful for r in advise.bulk_subscribe.results] == [True, False, True]
    assert [r.item_handle for r in advise.bulk_subscribe.results] == [2, 77, 1]
    await gw.drain_until(session_id, 2)
    write = await gw.invoke(session_id, write_bulk_command=pb.WriteBulkCommand(
        server_handle=server, entries=[
            pb.WriteBulkEntry(item_handle=1, value=mx(int32_value=5)),
            pb.WriteBulkEntry(item_handle=9, value=mx(int32_value=5))]))
    ok, missing = write.bulk_write.results
    assert ok.was_successful and not missing.was_successful and missing.hresult == E_INVALIDARG
    unadvise = await gw.invoke(session_id, un_advise_item_bulk_command=pb.UnAdviseItemBulkCommand(
        server_handle=server, item_handles=[1]))
    assert unadvise.bulk_subscribe.results[0].was_successful
    remove = await gw.invoke(session_id, remove_item_bulk_command=pb.RemoveItemBulkCommand(
        server_handle=server, item_handles=[1, 2, 3]))
    assert [r.was_successful for r in remove.bulk_subscribe.results] == [True, True, False]


@pytest.mark.asyncio
async def test_subscribe_and_unsubscribe_bulk(gw: Gw) -> None:
    session_id = await gw.open()
    server = await gw.register(session_id)
    reply = await gw.invoke(session_id, subscribe_bulk_command=pb.SubscribeBulkCommand(
        server_handle=server, tag_addresses=["Pump001.Speed", "Pump002.Speed"]))
    assert all(r.was_successful for r in reply.bulk_subscribe.results)
    assert len(await gw.drain_until(session_id, 2)) == 2
    gw.control.tick()
    assert len(await gw.drain_until(session_id, 2)) == 2
    unsub = await gw.invoke(session_id, unsubscribe_bulk_command=pb.UnsubscribeBulkCommand(
        server_handle=server, item_handles=[1, 2]))
    assert all(r.was_successful for r in unsub.bulk_subscribe.results)
    gw.control.tick()
    assert await gw.drain(session_id) == []


@pytest.mark.asyncio
async def test_secured_bulk_writes_and_write2_timestamp(gw: Gw) -> None:
    session_id = await gw.open()
    server = await gw.register(session_id)
    operator = await _authenticate(gw, session_id, server, "operator")
    item = await gw.add(session_id, server, "Pump002.SetPoint")
    await gw.advise(session_id, server, item)
    reply = await gw.invoke(session_id, write_secured_bulk_command=pb.WriteSecuredBulkCommand(
        server_handle=server, entries=[pb.WriteSecuredBulkEntry(
            item_handle=item, value=mx(double_value=12.0), current_user_id=operator)]))
    assert reply.bulk_write.results[0].was_successful
    stamp = pb.MxValue()
    stamp.time_value.FromJsonString("2030-01-02T03:04:05Z")
    reply = await gw.invoke(session_id, write2_command=pb.Write2Command(
        server_handle=server, item_handle=item, value=mx(double_value=1.0),
        timestamp_value=stamp))
    assert reply.protocol_status.code == OK
    events = await gw.drain_until(session_id, 4)
    assert events[-1].family == pb.MX_EVENT_FAMILY_ON_WRITE_COMPLETE
    assert events[-1].statuses[0].detail == 1012  # Write2 is not secured
    assert gw.control.get_value("Pump002.SetPoint") == 12.0


@pytest.mark.asyncio
async def test_write2_timestamp_becomes_the_source_timestamp(gw: Gw) -> None:
    session_id, server, item = await gw.subscribe("TestChildObject.TestInt")
    await gw.drain_until(session_id, 1)
    stamp = pb.MxValue()
    stamp.time_value.FromJsonString("2030-01-02T03:04:05Z")
    reply = await gw.invoke(session_id, write2_command=pb.Write2Command(
        server_handle=server, item_handle=item, value=mx(int32_value=8), timestamp_value=stamp))
    assert reply.protocol_status.code == OK
    complete, change = await gw.drain_until(session_id, 2)
    assert complete.statuses[0].category == pb.MX_STATUS_CATEGORY_OK
    assert change.value.int32_value == 8
    assert change.source_timestamp.ToJsonString() == "2030-01-02T03:04:05Z"


@pytest.mark.asyncio
async def test_drain_events_respects_max(gw: Gw) -> None:
    session_id, _, _ = await gw.subscribe("TestMachine_004.TestChangingInt")
    gw.control.tick(4)
    first = await gw.drain(session_id, max_events=2)
    rest = await gw.drain(session_id)
    assert [e.worker_sequence for e in first + rest] == [1, 2, 3, 4, 5]


@pytest.mark.asyncio
async def test_suspend_and_activate(gw: Gw) -> None:
    session_id, server, item = await gw.subscribe("TestMachine_005.TestChangingInt")
    reply = await gw.invoke(session_id, suspend_command=pb.SuspendCommand(
        server_handle=server, item_handle=item))
    assert reply.suspend.status.category == pb.MX_STATUS_CATEGORY_OK
    gw.control.tick(2)
    assert len(await gw.drain(session_id)) == 1
    await gw.invoke(session_id, activate_command=pb.ActivateCommand(
        server_handle=server, item_handle=item))
    (event,) = await gw.drain(session_id)
    assert event.value.int32_value == 2


@pytest.mark.asyncio
async def test_archestra_user_to_id_and_unregister(gw: Gw) -> None:
    session_id = await gw.open()
    server = await gw.register(session_id)
    guid = gw.control._sim.users.guid("supervisor")
    reply = await gw.invoke(session_id, archestra_user_to_id_command=pb.ArchestraUserToIdCommand(
        server_handle=server, user_id_guid=guid))
    assert reply.archestra_user_to_id.user_id == 2
    assert (await gw.invoke(session_id, unregister_command=pb.UnregisterCommand(
        server_handle=server))).protocol_status.code == OK
    again = await gw.invoke(session_id, unregister_command=pb.UnregisterCommand(
        server_handle=server))
    assert again.protocol_status.code == FAILURE and again.hresult == E_INVALIDARG
