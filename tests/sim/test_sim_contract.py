"""`mxgw sim --contract FILE` / `run_simulator(contract=...)`: the simulator speaks a
contract loaded at run time. A variant of the built-in contract (tests/contractkit.py:
the same names, other numbers) is driven over real gRPC by a client built from the
variant, and checked from both sides: what the simulator stored or sent, decoded with the
variant's classes, is right; the same bytes decoded with the built-in classes are not,
so the numbers really differ on the wire."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import grpc
import pytest
import pytest_asyncio
from contractkit import ENUM_OFFSET, load, number, variant
from google.protobuf import unknown_fields
from simkit import Gw, code_of, reflect, reflected_files, standalone, take

import mxgw
from mxgw._proto import galaxy_pb2, gateway_pb2
from mxgw.sim.__main__ import main
from mxgw.testing import run_simulator

G = "mxaccess_gateway.v1"
GATEWAY = f"{G}.MxAccessGateway"
GALAXY = "galaxy_repository.v1.GalaxyRepository"
TAG = "TestChildObject.TestInt"
HIHI = "Galaxy!Area_Tanks.Tank001.Level.HiHi"


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return variant(tmp_path)


@pytest_asyncio.fixture
async def gw(path: Path) -> AsyncIterator[Gw]:
    async with run_simulator(tick_interval=None, contract=path) as sim, \
            grpc.aio.insecure_channel(sim.endpoint) as channel:
        yield Gw(sim, channel, sim.api_key, load(path))


async def raw(gw: Gw, rpc: str, request: Any, service: str = GATEWAY) -> bytes:
    """A unary call's reply as the bytes on the wire."""
    call = gw.channel.unary_unary(f"/{service}/{rpc}",
                                  request_serializer=type(request).SerializeToString)
    data: bytes = await call(request, metadata=gw.metadata)
    return data


def raw_stream(gw: Gw, rpc: str, request: Any) -> Any:
    return gw.channel.unary_stream(f"/{GATEWAY}/{rpc}",
                                   request_serializer=type(request).SerializeToString)(
        request, metadata=gw.metadata)


def no_unknown_fields(message: Any) -> bool:
    """Every byte the simulator sent is a field of the message's contract."""
    return len(unknown_fields.UnknownFieldSet(message)) == 0


async def subscribed(gw: Gw, *tags: str) -> tuple[str, int, list[int]]:
    session_id = await gw.open()
    server = await gw.register(session_id)
    items = [await gw.add(session_id, server, tag) for tag in tags]
    for item in items:
        await gw.advise(session_id, server, item)
    return session_id, server, items


@pytest.mark.asyncio
async def test_open_session_reply_carries_the_variants_numbers(gw: Gw, path: Path) -> None:
    assert gw.sim is not None and gw.sim.contract.source == "file"
    data = await raw(gw, "OpenSession", gw.pb.OpenSessionRequest(client_session_name="v"))
    reply = gw.pb.OpenSessionReply.FromString(data)
    assert reply.session_id.startswith("session-") and reply.backend_name == "mxaccess-worker"
    assert reply.protocol_status.code == gw.pb.PROTOCOL_STATUS_CODE_OK
    assert reply.HasField("lease_expires_at") and no_unknown_fields(reply)
    assert [s.session_id for s in gw.control.sessions()] == [reply.session_id]
    builtin = gateway_pb2.OpenSessionReply.FromString(data)
    assert (builtin.session_id, builtin.backend_name) == ("", "")  # 101, 102 are not 1, 2
    assert number(path, f"{G}.OpenSessionReply.session_id") == 101


@pytest.mark.asyncio
async def test_read_and_write_with_the_variants_numbers(gw: Gw) -> None:
    pb = gw.pb
    gw.control.set_value(TAG, 4321)
    session_id, server, (item,) = await subscribed(gw, TAG)
    read = pb.MxCommand(kind=gw.kinds["read_bulk_command"],
                        read_bulk_command=pb.ReadBulkCommand(server_handle=server,
                                                             tag_addresses=[TAG]))
    data = await raw(gw, "Invoke", pb.MxCommandRequest(session_id=session_id, command=read))
    (result,) = pb.MxCommandReply.FromString(data).bulk_read.results
    assert result.was_cached and result.item_handle == item
    assert result.value.int32_value == 4321
    assert result.value.data_type == pb.MX_DATA_TYPE_INTEGER == 4 + ENUM_OFFSET
    assert no_unknown_fields(result.value)
    (old,) = gateway_pb2.MxCommandReply.FromString(data).bulk_read.results
    assert old.value.int32_value == 0 and old.value.data_type == 0  # not where it was

    reply = await gw.write(session_id, server, item, pb.MxValue(
        data_type=pb.MX_DATA_TYPE_INTEGER, int32_value=777))
    assert reply.protocol_status.code == pb.PROTOCOL_STATUS_CODE_OK
    events = await gw.drain_until(session_id, 3)  # advise, write complete, data change
    assert gw.control.get_value(TAG) == 777  # the simulator read the variant's value field
    assert [e.family for e in events] == [
        pb.MX_EVENT_FAMILY_ON_DATA_CHANGE, pb.MX_EVENT_FAMILY_ON_WRITE_COMPLETE,
        pb.MX_EVENT_FAMILY_ON_DATA_CHANGE]
    assert events[1].statuses[0].category == pb.MX_STATUS_CATEGORY_OK
    assert events[-1].value.int32_value == 777

    # The built-in contract's write, sent as it is to the variant simulator: its kind
    # and payload are at numbers the variant does not have, so it is refused, not done.
    builtin = gateway_pb2.MxCommandRequest(session_id=session_id, command=gateway_pb2.MxCommand(
        kind=gateway_pb2.MX_COMMAND_KIND_WRITE, write_command=gateway_pb2.WriteCommand(
            server_handle=server, item_handle=item,
            value=gateway_pb2.MxValue(int32_value=5))))
    assert await code_of(raw(gw, "Invoke", builtin)) == grpc.StatusCode.INVALID_ARGUMENT
    assert gw.control.get_value(TAG) == 777


@pytest.mark.asyncio
async def test_secured_writes_single_and_bulk(gw: Gw) -> None:
    pb = gw.pb
    session_id, server, (item,) = await subscribed(gw, "Pump001.SetPoint")
    reply = await gw.invoke(session_id, authenticate_user_command=pb.AuthenticateUserCommand(
        server_handle=server, user_name="operator", password="operator-pw"))
    operator = reply.authenticate_user.user_id
    assert operator > 0
    reply = await gw.invoke(session_id, write_secured_command=pb.WriteSecuredCommand(
        server_handle=server, item_handle=item, value=pb.MxValue(double_value=61.5),
        current_user_id=operator))
    assert reply.protocol_status.code == pb.PROTOCOL_STATUS_CODE_OK
    events = await gw.drain_until(session_id, 3)
    assert events[1].statuses[0].detail == 0  # the user id reached the simulator
    assert gw.control.get_value("Pump001.SetPoint") == 61.5
    reply = await gw.invoke(session_id, write_secured_bulk_command=pb.WriteSecuredBulkCommand(
        server_handle=server, entries=[pb.WriteSecuredBulkEntry(
            item_handle=item, value=pb.MxValue(double_value=12.0), current_user_id=operator)]))
    assert reply.bulk_write.results[0].was_successful
    await gw.drain_until(session_id, 2)
    assert gw.control.get_value("Pump001.SetPoint") == 12.0
    # without the user: SecuredWrite (1012), nothing stored
    await gw.write(session_id, server, item, pb.MxValue(double_value=1.0))
    (complete, ) = await gw.drain_until(session_id, 1)
    assert complete.statuses[0].detail == 1012
    assert gw.control.get_value("Pump001.SetPoint") == 12.0


@pytest.mark.asyncio
async def test_stream_events_are_hand_encoded_with_the_variants_numbers(gw: Gw) -> None:
    pb = gw.pb
    tags = [f"TestChildObject.Test{kind}" for kind in (
        "Int", "Double", "Float", "Bool", "String", "DateTime", "Elapsed", "IntArray")]
    for tag, value in zip(tags[:5], (12, 2.5, 0.75, True, "text"), strict=True):
        gw.control.set_value(tag, value)
    session_id, server, items = await subscribed(gw, *tags, "No.Such.Tag")
    call = raw_stream(gw, "StreamEvents", pb.StreamEventsRequest(session_id=session_id))
    first = await take(call, len(items))
    gw.control.set_value(TAG, 99)
    gw.control.set_value("TestChildObject.TestDouble", -7.25)
    changed = await take(call, 2)
    call.cancel()
    events = [pb.MxEvent.FromString(data) for data in first + changed]
    assert all(no_unknown_fields(e) for e in events)
    assert [e.worker_sequence for e in events] == list(range(1, len(items) + 3))
    assert {e.family for e in events} == {pb.MX_EVENT_FAMILY_ON_DATA_CHANGE}
    assert all(e.session_id == session_id and e.server_handle == server for e in events)
    assert [e.item_handle for e in events[:len(items)]] == items
    values = [e.value for e in events]
    assert [values[0].int32_value, values[1].double_value, values[2].float_value,
            values[3].bool_value, values[4].string_value] == [12, 2.5, 0.75, True, "text"]
    assert values[0].data_type == pb.MX_DATA_TYPE_INTEGER
    assert values[1].data_type == pb.MX_DATA_TYPE_DOUBLE
    assert values[5].HasField("time_value") and values[6].HasField("elapsed_value")
    assert [v.int32_value for v in values[7].array_value.values] == [10, 20, 30, 40, 50]
    unknown = events[len(tags)]
    assert unknown.quality == 0 and unknown.value.is_null
    assert unknown.statuses[0].category == pb.MX_STATUS_CATEGORY_CONFIGURATION_ERROR
    assert all(e.quality == 192 and e.HasField("on_data_change") for e in events
               if e is not unknown)
    assert (values[-2].int32_value, values[-1].double_value) == (99, -7.25)
    # the built-in classes find none of it
    old = [gateway_pb2.MxEvent.FromString(data) for data in first + changed]
    assert all(o.session_id == "" and o.worker_sequence == 0 and not o.HasField("value")
               and o.WhichOneof("body") is None for o in old)


@pytest.mark.asyncio
async def test_replay_after_a_reconnect(gw: Gw) -> None:
    pb = gw.pb
    session_id, _, _ = await subscribed(gw, TAG)
    for value in (1, 2, 3):
        gw.control.set_value(TAG, value)
    call = gw.stub.StreamEvents(pb.StreamEventsRequest(session_id=session_id),
                                metadata=gw.metadata)
    await take(call, 4)
    call.cancel()
    again = gw.stub.StreamEvents(pb.StreamEventsRequest(session_id=session_id,
                                                        after_worker_sequence=2),
                                 metadata=gw.metadata)
    replayed = await take(again, 2)
    again.cancel()
    assert [(e.worker_sequence, e.value.int32_value) for e in replayed] == [(3, 2), (4, 3)]


@pytest.mark.asyncio
async def test_alarms_with_the_variants_numbers(gw: Gw) -> None:
    pb = gw.pb
    session_id = await gw.open()
    await gw.invoke(session_id, subscribe_alarms_command=pb.SubscribeAlarmsCommand(
        subscription_expression="Galaxy!Area_Tanks.Tank001"))
    gw.control.set_value("Tank001.Level", 97.0)  # over Hi (80) and HiHi (95)
    feed = gw.stub.StreamAlarms(pb.StreamAlarmsRequest(
        alarm_filter_prefix="Galaxy!Area_Tanks.Tank001"), metadata=gw.metadata)
    messages = await take(feed, 4)
    assert [m.WhichOneof("payload") for m in messages] == [
        "active_alarm", "active_alarm", "snapshot_complete", "provider_status"]
    hihi = next(m.active_alarm for m in messages[:2]
                if m.active_alarm.alarm_full_reference == HIHI)
    assert hihi.current_value.double_value == 97.0 and no_unknown_fields(hihi.current_value)
    assert hihi.condition_state == pb.ALARM_CONDITION_STATE_ACTIVE
    assert messages[3].provider_status.mode == pb.ALARM_PROVIDER_MODE_ALARMMGR
    reply = await gw.stub.AcknowledgeAlarm(pb.AcknowledgeAlarmRequest(
        alarm_full_reference=HIHI, comment="seen", operator_user="operator"),
        metadata=gw.metadata)
    assert reply.protocol_status.code == pb.PROTOCOL_STATUS_CODE_OK
    (ack,) = await take(feed, 1)
    feed.cancel()
    assert ack.transition.transition_kind == pb.ALARM_TRANSITION_KIND_ACKNOWLEDGE
    assert ack.transition.operator_user == "operator"
    active = [s async for s in gw.stub.QueryActiveAlarms(pb.QueryActiveAlarmsRequest(
        alarm_filter_prefix=HIHI), metadata=gw.metadata)]
    assert [s.condition_state for s in active] == [pb.ALARM_CONDITION_STATE_ACTIVE_ACKED]
    events = await gw.drain_until(session_id, 3)  # Hi and HiHi raised, HiHi acknowledged
    assert {e.family for e in events} == {pb.MX_EVENT_FAMILY_ON_ALARM_TRANSITION}
    assert all(e.on_alarm_transition.current_value.double_value == 97.0 for e in events)


@pytest.mark.asyncio
async def test_galaxy_calls_with_the_variants_numbers(gw: Gw) -> None:
    gpb = gw.gpb
    data = await raw(gw, "DiscoverHierarchy", gpb.DiscoverHierarchyRequest(), GALAXY)
    reply = gpb.DiscoverHierarchyReply.FromString(data)
    names = {o.tag_name for o in reply.objects}
    assert {"Tank001", "Pump001", "TestChildObject"} <= names
    assert all(no_unknown_fields(o) for o in reply.objects)
    tank = next(o for o in reply.objects if o.tag_name == "Tank001")
    assert "Level" in {a.attribute_name for a in tank.attributes}
    old = galaxy_pb2.DiscoverHierarchyReply.FromString(data)
    assert {o.tag_name for o in old.objects} == {""}  # GalaxyObject's numbers moved
    children = await gw.galaxy.BrowseChildren(gpb.BrowseChildrenRequest(
        parent_tag_name="Area_Tanks"), metadata=gw.metadata)
    assert "Tank001" in {c.tag_name for c in children.children}
    assert (await gw.galaxy.TestConnection(gpb.TestConnectionRequest(),
                                           metadata=gw.metadata)).ok


@pytest.mark.asyncio
async def test_two_simulators_with_different_contracts_in_one_process(path: Path) -> None:
    loaded = load(path)  # a loaded mxgw.Contract serves as well as a path
    async with run_simulator(tick_interval=None) as builtin, \
            run_simulator(tick_interval=None, contract=loaded) as renumbered, \
            grpc.aio.insecure_channel(builtin.endpoint) as one, \
            grpc.aio.insecure_channel(renumbered.endpoint) as two:
        assert builtin.contract is mxgw.Contract.builtin() and renumbered.contract is loaded
        for sim, gw in ((builtin, Gw(builtin, one, builtin.api_key)),
                        (renumbered, Gw(renumbered, two, renumbered.api_key, loaded))):
            sim.control.set_value(TAG, 55)
            session_id, _, _ = await subscribed(gw, TAG)
            (event,) = await gw.drain_until(session_id, 1)
            assert event.value.int32_value == 55 and no_unknown_fields(event)
            assert event.family == gw.pb.MX_EVENT_FAMILY_ON_DATA_CHANGE
        assert gateway_pb2.MX_EVENT_FAMILY_ON_DATA_CHANGE != gw.pb.MX_EVENT_FAMILY_ON_DATA_CHANGE


# ------------------------------------------------------------------ refused contracts


@pytest.mark.parametrize("rename", [f"{G}.MxValue.int32_value",
                                    f"{G}.MxDataType.MX_DATA_TYPE_INTEGER"])
def test_a_contract_lacking_a_name_exits_6_before_listening(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], rename: str) -> None:
    renamed = variant(tmp_path, rename=rename)
    assert main(["--contract", str(renamed), "--port", "0"]) == 6
    out, err = capsys.readouterr()
    assert out == ""  # no start line: it never served
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"mxgw sim: contract {renamed} disagrees with the simulator in "
                          "1 name: ")
    assert f"{rename}: missing" in err


def test_through_the_cli_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from mxgw.cli import main as cli_main

    renamed = variant(tmp_path, rename=f"{G}.OpenSessionReply.session_id")
    assert cli_main(["sim", "--contract", str(renamed), "--port", "0"]) == 6
    out, err = capsys.readouterr()
    assert out == "" and f"{G}.OpenSessionReply.session_id: missing" in err


@pytest.mark.asyncio
async def test_run_simulator_refuses_it_with_each_name(tmp_path: Path) -> None:
    renamed = variant(tmp_path, rename=f"{G}.MxEvent.worker_sequence")
    with pytest.raises(mxgw.MxGatewayContractError) as caught:
        async with run_simulator(contract=renamed):
            pass
    assert list(caught.value.problems) == [f"{G}.MxEvent.worker_sequence: missing"]


@pytest.mark.parametrize("content", [None, b"not a descriptor set"])
def test_an_unreadable_contract_file_is_exit_2(tmp_path: Path, content: bytes | None,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.protoset"
    if content is not None:
        bad.write_bytes(content)
    assert main(["--contract", str(bad), "--port", "0"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and str(bad) in err


# ------------------------------------------------------------------ the standalone server


@pytest.mark.asyncio
async def test_standalone_contract_with_reflection(path: Path) -> None:
    async with standalone("--contract", str(path)) as (_, line):
        assert line["contract"] == {"source": "file", "path": str(path),
                                    "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
        assert line["reflection"] is True
        async with grpc.aio.insecure_channel(line["endpoint"]) as channel:
            # reflection serves the contract's files: what `contract fetch` would store
            files = {}
            for service in (GATEWAY, GALAXY):
                files.update(await reflected_files(
                    channel, "grpc.reflection.v1.ServerReflection", service))
            fetched = mxgw.Contract.from_files(list(files.values()), source="fetched")
            gateway = next(f for f in fetched.files() if f.package == G)
            value = next(m for m in gateway.message_type if m.name == "MxValue")
            assert {f.name: f.number for f in value.field}["int32_value"] == 111
            gw = Gw(None, channel, line["apiKey"], load(path))
            assert (await gw.open()).startswith("session-")


@pytest.mark.asyncio
async def test_standalone_contract_without_reflection(path: Path) -> None:
    async with standalone("--contract", str(path), "--no-reflection") as (_, line):
        assert line["reflection"] is False and line["contract"]["source"] == "file"
        async with grpc.aio.insecure_channel(line["endpoint"]) as channel:
            for service in ("grpc.reflection.v1.ServerReflection",
                            "grpc.reflection.v1alpha.ServerReflection"):
                assert await code_of(reflect(channel, service, list_services="")) == \
                    grpc.StatusCode.UNIMPLEMENTED
            gw = Gw(None, channel, line["apiKey"], load(path))
            session_id = await gw.open()
            server = await gw.register(session_id)
            item = await gw.add(session_id, server, TAG)
            await gw.advise(session_id, server, item)
            (event,) = await gw.drain_until(session_id, 1)
            assert event.family == gw.pb.MX_EVENT_FAMILY_ON_DATA_CHANGE
            assert no_unknown_fields(event)



def test_every_kind_of_disagreement_is_named(tmp_path: Path) -> None:
    from google.protobuf import descriptor_pb2

    from mxgw.sim._wire import problems

    found = descriptor_pb2.FileDescriptorSet.FromString(
        variant(tmp_path, renumber=False).read_bytes())
    (gateway,) = [f for f in found.file if f.package == G]
    messages = {m.name: m for m in gateway.message_type}
    fields = {f.name: f for f in messages["MxValue"].field}
    fields["int32_value"].type = descriptor_pb2.FieldDescriptorProto.TYPE_INT64
    fields["bool_value"].ClearField("oneof_index")  # out of the `value` union
    event_fields = {f.name: f for f in messages["MxEvent"].field}
    event_fields["statuses"].label = descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL
    (service,) = gateway.service
    stream = next(m for m in service.method if m.name == "StreamEvents")
    stream.server_streaming = False
    (kind,) = [e for e in gateway.enum_type if e.name == "SessionState"]
    del kind.value[-1]  # SESSION_STATE_FAULTED
    contract = mxgw.Contract.from_files(list(found.file), source="file", check=False)
    assert problems(contract) == [
        f"{G}.MxValue.int32_value: is int64, the simulator needs int32",
        f"{G}.MxValue.bool_value: not in the oneof value",
        (f"{G}.MxEvent.statuses: is {G}.MxStatusProxy, the simulator needs repeated "
         f"{G}.MxStatusProxy"),
        f"{G}.SessionState.SESSION_STATE_FAULTED: missing",
        (f"{G}.MxAccessGateway.StreamEvents: is ({G}.StreamEventsRequest) -> {G}.MxEvent, "
         f"the simulator needs ({G}.StreamEventsRequest) -> stream {G}.MxEvent"),
    ]
    assert problems(mxgw.Contract.builtin()) == []


@pytest.mark.asyncio
async def test_a_contract_whose_package_spans_two_files(tmp_path: Path) -> None:
    # The gateway's own descriptor set may keep its enums in a file of their own.
    from google.protobuf import descriptor_pb2

    found = descriptor_pb2.FileDescriptorSet.FromString(variant(tmp_path).read_bytes())
    (gateway,) = [f for f in found.file if f.package == G]
    enums = descriptor_pb2.FileDescriptorProto(
        name="mxaccess_gateway/v1/enums.proto", package=G, syntax="proto3")
    enums.enum_type.extend(gateway.enum_type)
    del gateway.enum_type[:]
    gateway.dependency.append(enums.name)
    found.file.insert(0, enums)
    split = tmp_path / "split.protoset"
    split.write_bytes(found.SerializeToString())
    async with run_simulator(tick_interval=None, contract=split) as sim, \
            grpc.aio.insecure_channel(sim.endpoint) as channel:
        gw = Gw(sim, channel, sim.api_key, load(split))
        assert gw.pb.MX_DATA_TYPE_INTEGER == 4 + ENUM_OFFSET  # from the other file
        sim.control.set_value(TAG, 8)
        session_id, _, _ = await subscribed(gw, TAG)
        (event,) = await gw.drain_until(session_id, 1)
        assert event.value.int32_value == 8 and no_unknown_fields(event)
        assert event.family == gw.pb.MX_EVENT_FAMILY_ON_DATA_CHANGE
