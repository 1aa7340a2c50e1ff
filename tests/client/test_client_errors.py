"""Status and error mapping (one place: mxgw._rpc), auth, and API-key redaction."""

from __future__ import annotations

import logging
from typing import Any

import grpc
import pytest

import mxgw
from mxgw import _rpc
from mxgw._proto import gateway_pb2 as pb
from mxgw.testing import RunningSimulator


@pytest.mark.parametrize("code, error", [
    (grpc.StatusCode.UNAUTHENTICATED, mxgw.MxGatewayAuthenticationError),
    (grpc.StatusCode.PERMISSION_DENIED, mxgw.MxGatewayAuthorizationError),
    (grpc.StatusCode.UNAVAILABLE, mxgw.MxGatewayTransportError),
    (grpc.StatusCode.DEADLINE_EXCEEDED, mxgw.MxGatewayTransportError),
    (grpc.StatusCode.INVALID_ARGUMENT, mxgw.MxGatewayCommandError),
    (grpc.StatusCode.NOT_FOUND, mxgw.MxGatewaySessionError),
    (grpc.StatusCode.FAILED_PRECONDITION, mxgw.MxGatewaySessionError),
    (grpc.StatusCode.RESOURCE_EXHAUSTED, mxgw.MxGatewaySessionError),
    (grpc.StatusCode.ALREADY_EXISTS, mxgw.MxGatewaySessionError),
    (grpc.StatusCode.ABORTED, mxgw.MxGatewayWorkerError),
    (grpc.StatusCode.INTERNAL, mxgw.MxGatewayError),
])
@pytest.mark.asyncio
async def test_grpc_codes_map_to_typed_errors(session: mxgw.Session, sim: RunningSimulator,
                                              code: grpc.StatusCode, error: type[Exception]
                                              ) -> None:
    sim.control.fail_next(1, code, "injected", method="Invoke")
    with pytest.raises(error) as info:
        await session.register("x")
    assert type(info.value) is error
    assert info.value.grpc_code == code.name  # type: ignore[attr-defined]
    assert "register" in str(info.value) and "injected" in str(info.value)


@pytest.mark.asyncio
async def test_not_found_outside_a_session_is_a_refused_command(
        client: mxgw.GatewayClient) -> None:
    with pytest.raises(mxgw.MxGatewayCommandError) as info:
        await client.galaxy.browse_children(parent_tag_name="NoSuchObject")
    assert info.value.grpc_code == "NOT_FOUND"


def reply(code: str, hresult: int = 0, categories: tuple[str, ...] = ()) -> Any:
    message = pb.MxCommandReply(hresult=hresult)
    message.protocol_status.code = pb.ProtocolStatusCode.Value("PROTOCOL_STATUS_CODE_" + code)
    message.protocol_status.message = "said the gateway"
    for category in categories:
        message.statuses.add(category=pb.MxStatusCategory.Value("MX_STATUS_CATEGORY_" + category),
                             detail=1007)
    return message


@pytest.mark.parametrize("code, error", [
    ("INVALID_REQUEST", mxgw.MxGatewayCommandError),
    ("PROTOCOL_VIOLATION", mxgw.MxGatewayCommandError),
    ("CANCELED", mxgw.MxGatewayCommandError),
    ("SESSION_NOT_FOUND", mxgw.MxGatewaySessionError),
    ("SESSION_NOT_READY", mxgw.MxGatewaySessionError),
    ("WORKER_UNAVAILABLE", mxgw.MxGatewayWorkerError),
    ("TIMEOUT", mxgw.MxGatewayWorkerError),
    ("MXACCESS_FAILURE", mxgw.MxAccessError),
])
def test_protocol_status_codes_map_to_typed_errors(code: str, error: type[Exception]) -> None:
    # Built replies: the simulator, like the gateway, produces only some of these codes.
    with pytest.raises(error) as info:
        _rpc.check_reply(reply(code), "op")
    assert type(info.value) is error
    assert info.value.protocol_status == "PROTOCOL_STATUS_CODE_" + code  # type: ignore[attr-defined]
    if isinstance(info.value, mxgw.MxGatewayCommandError):
        assert info.value.reply is not None


def test_placeholder_statuses_never_fail_a_reply() -> None:
    ok = reply("OK", categories=("UNSPECIFIED", "UNKNOWN", "OK", "PENDING"))
    assert _rpc.check_reply(ok, "op") is ok


def test_failing_status_in_ok_reply_fails_unless_raw() -> None:
    bad = reply("OK", categories=("UNKNOWN", "CONFIGURATION_ERROR"))
    with pytest.raises(mxgw.MxAccessError) as info:
        _rpc.check_reply(bad, "op")
    assert [s.detail_name for s in info.value.statuses] == ["MX_E_NotWriteable"]
    assert _rpc.check_reply(bad, "op", strict=False) is bad
    negative = reply("OK", hresult=-2147024809)
    with pytest.raises(mxgw.MxAccessError, match="0x80070057"):
        _rpc.check_reply(negative, "op")
    assert _rpc.check_reply(negative, "op", strict=False) is negative


@pytest.mark.asyncio
async def test_wrong_key_is_authentication_error_without_the_key(
        sim: RunningSimulator, options_for: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "mxgw_nokey_" + "x" * 43
    async with await mxgw.GatewayClient.connect(options_for(sim, api_key=wrong)) as client:
        with pytest.raises(mxgw.MxGatewayAuthenticationError) as info:
            await client.open_session()
        assert wrong not in repr(client) and wrong not in str(client.options)
    text = str(info.value) + repr(info.value) + str(info.value.to_dict()) + caplog.text
    assert wrong not in text and "x" * 43 not in text


@pytest.mark.asyncio
async def test_missing_key_is_authentication_error(sim: RunningSimulator,
                                                   options_for: Any) -> None:
    async with await mxgw.GatewayClient.connect(options_for(sim, api_key=None)) as client:
        with pytest.raises(mxgw.MxGatewayAuthenticationError):
            await client.open_session()


@pytest.mark.asyncio
async def test_key_without_scope_is_authorization_error(sim: RunningSimulator,
                                                        options_for: Any) -> None:
    options = options_for(sim, api_key=sim.read_only_api_key)
    async with await mxgw.GatewayClient.connect(options) as client:
        async with await client.open_session() as session:
            server = await session.register("ro")
            (item,) = await session.subscribe_bulk(server, ["TestChildObject.TestInt"])
            with pytest.raises(mxgw.MxGatewayAuthorizationError, match="PERMISSION_DENIED"):
                await session.write(server, item.item_handle, 1)


@pytest.mark.asyncio
async def test_key_is_sent_on_unary_and_streaming_calls(sim: RunningSimulator,
                                                        options_for: Any) -> None:
    # The simulator checks the bearer key on every rpc: both kinds succeed with it ...
    sim.control.set_value("Tank001.Level", 97.0)  # raises alarms: the stream carries some
    async with await mxgw.GatewayClient.connect(options_for(sim)) as client:
        snapshots = [s async for s in client.query_active_alarms()]
        assert isinstance(snapshots, list)
        assert snapshots, "the keyed streaming call returned nothing"
    # ... and a streaming call fails without it.
    async with await mxgw.GatewayClient.connect(options_for(sim, api_key=None)) as client:
        with pytest.raises(mxgw.MxGatewayAuthenticationError):
            async for _ in client.query_active_alarms():
                pass


def test_errors_redact_keys_that_reach_them() -> None:
    key = "mxgw_abc_" + "k" * 43
    error = mxgw.MxGatewayTransportError(f"failed with Bearer {key}")
    assert key not in str(error) and "<redacted>" in str(error)


@pytest.mark.asyncio
async def test_password_never_reaches_errors_or_logs(
        session: mxgw.Session, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    password = "Sup3r-Secret-Pw"
    server = await session.register("pytest")
    with pytest.raises(mxgw.MxAccessError) as info:
        await session.authenticate_user(server, "operator", password)
    error = info.value
    assert "authenticate user" in str(error)
    text = str(error) + repr(error) + str(error.to_dict()) + str(error.reply) + caplog.text
    assert password not in text


@pytest.mark.parametrize("code, lost", [
    (grpc.StatusCode.UNAVAILABLE, True),           # the channel or the worker is gone
    (grpc.StatusCode.NOT_FOUND, True),             # the gateway no longer knows the session
    (grpc.StatusCode.FAILED_PRECONDITION, True),   # ... or has faulted it
    (grpc.StatusCode.DEADLINE_EXCEEDED, False),    # slow, not gone
    (grpc.StatusCode.UNAUTHENTICATED, False),
    (grpc.StatusCode.PERMISSION_DENIED, False),
    (grpc.StatusCode.INVALID_ARGUMENT, False),
    (grpc.StatusCode.RESOURCE_EXHAUSTED, False),
    (grpc.StatusCode.ABORTED, False),
])
@pytest.mark.asyncio
async def test_session_lost_names_the_errors_after_which_a_session_is_gone(
        session: mxgw.Session, sim: RunningSimulator, code: grpc.StatusCode, lost: bool
) -> None:
    sim.control.fail_next(1, code, "injected", method="Invoke")
    with pytest.raises(mxgw.MxGatewayError) as info:
        await session.register("x")
    assert _rpc.session_lost(info.value) is lost


@pytest.mark.asyncio
async def test_session_lost_is_false_for_local_and_session_less_errors(
        client: mxgw.GatewayClient, session: mxgw.Session) -> None:
    # NOT_FOUND from the Galaxy (no such object) says nothing about a session.
    with pytest.raises(mxgw.MxGatewayError) as galaxy:
        await client.galaxy.browse_children(parent_tag_name="NoSuchObject")
    assert galaxy.value.grpc_code == "NOT_FOUND" and not _rpc.session_lost(galaxy.value)
    await session.close()
    with pytest.raises(mxgw.MxGatewaySessionError) as closed:
        await session.register("x")  # closed here, not lost on the gateway
    assert not _rpc.session_lost(closed.value)
    assert not _rpc.session_lost(ValueError("not a gateway error"))
