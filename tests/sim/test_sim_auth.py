"""API keys and scopes: UNAUTHENTICATED and PERMISSION_DENIED exactly where the contract says."""

from __future__ import annotations

import re

import grpc
import pytest
from simkit import Gw, code_of, connected, pb

from mxgw._proto import galaxy_pb2 as gpb
from mxgw.testing import RunningSimulator


def test_keys_have_the_documented_shape(sim: RunningSimulator) -> None:
    for key in (sim.api_key, sim.read_only_api_key, sim.control.make_key({"admin"})):
        assert re.fullmatch(r"mxgw_[A-Za-z0-9]+_[A-Za-z0-9_-]{43}", key)
    assert sim.api_key not in repr(sim) and sim.read_only_api_key not in repr(sim)


def test_key_and_password_hashes_stay_out_of_reprs(sim: RunningSimulator) -> None:
    simulator = sim.control._sim
    records = [*simulator.keys._keys.values(), *simulator.users._by_name.values()]
    assert len(records) == 4  # the two keys and the two demo users
    for record in records:
        assert "digest" not in repr(record) and repr(record.digest) not in repr(record)


@pytest.mark.asyncio
@pytest.mark.parametrize("key", [None, "nonsense", "mxgw_abc_short",
                                 "mxgw_abc_" + "x" * 43])
async def test_missing_malformed_or_unknown_key_is_unauthenticated(gw: Gw, key: str | None
                                                                   ) -> None:
    other = gw.with_key(key)
    assert await code_of(other.open()) == grpc.StatusCode.UNAUTHENTICATED
    assert await code_of(other.galaxy.TestConnection(
        gpb.TestConnectionRequest(), metadata=other.metadata)) == grpc.StatusCode.UNAUTHENTICATED


@pytest.mark.asyncio
async def test_wrong_secret_for_known_key_id_is_unauthenticated(gw: Gw) -> None:
    forged = gw.sim.api_key[:-43] + ("A" * 43)
    assert await code_of(gw.with_key(forged).open()) == grpc.StatusCode.UNAUTHENTICATED


@pytest.mark.asyncio
async def test_read_only_key_reads_but_cannot_write(gw: Gw) -> None:
    ro = gw.with_key(gw.sim.read_only_api_key)
    session_id, server, item = await ro.subscribe("TestChildObject.TestInt")
    assert len(await ro.drain(session_id)) == 1
    assert await code_of(ro.write(session_id, server, item, pb.MxValue(int32_value=1))) == \
        grpc.StatusCode.PERMISSION_DENIED
    secured = ro.invoke(session_id, authenticate_user_command=pb.AuthenticateUserCommand(
        server_handle=server, user_name="operator", password="operator-pw"))
    assert await code_of(secured) == grpc.StatusCode.PERMISSION_DENIED
    ack = ro.stub.AcknowledgeAlarm(pb.AcknowledgeAlarmRequest(
        alarm_full_reference="x"), metadata=ro.metadata)
    assert await code_of(ack) == grpc.StatusCode.PERMISSION_DENIED
    assert (await ro.close(session_id)).final_state == pb.SESSION_STATE_CLOSED


@pytest.mark.asyncio
@pytest.mark.parametrize(("scope", "allowed"), [
    ("session:open", "OpenSession"), ("metadata:read", "Galaxy"), ("events:read", "Alarms")])
async def test_each_scope_grants_only_its_calls(gw: Gw, scope: str, allowed: str) -> None:
    only = gw.with_key(gw.control.make_key({scope}))
    session_id = await gw.open()
    calls = {
        "OpenSession": only.open(),
        "CloseSession": only.close(session_id),
        "Invoke": only.register(session_id),
        "Galaxy": only.galaxy.GetLastDeployTime(gpb.GetLastDeployTimeRequest(),
                                                metadata=only.metadata),
        "Alarms": only.stub.QueryActiveAlarms(pb.QueryActiveAlarmsRequest(),
                                              metadata=only.metadata).read(),
    }
    for name, call in calls.items():
        expected = grpc.StatusCode.OK if name == allowed else grpc.StatusCode.PERMISSION_DENIED
        assert await code_of(call) == expected, name


@pytest.mark.asyncio
async def test_admin_only_commands_fail_closed(gw: Gw) -> None:
    # A key with every scope except invoke:secure cannot run secured commands.
    key = gw.control.make_key({"session:open", "invoke:read", "invoke:write", "events:read"})
    limited = gw.with_key(key)
    session_id = await limited.open()
    server = await limited.register(session_id)
    call = limited.invoke(session_id, write_secured_command=pb.WriteSecuredCommand(
        server_handle=server, item_handle=1))
    assert await code_of(call) == grpc.StatusCode.PERMISSION_DENIED


@pytest.mark.asyncio
async def test_no_auth_mode_accepts_anything() -> None:
    async with connected(auth=False) as keyed:
        gw = keyed.with_key(None)
        session_id = await gw.open()
        assert await gw.register(session_id) == 1
