"""Before the first call on a channel the contract in use is compared with the gateway's
(server reflection); a disagreement refuses every call, naming each name, and nothing
reaches the gateway. Against a stand-in gateway (tests/client/gatewayhalf.py) that
records every call of the tool's services."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import threading
from pathlib import Path

import grpc
import pytest
from contractkit import variant
from gatewayhalf import serve

import mxgw
from mxgw import ClientOptions, Contract, GatewayClient, MxGatewayContractError

# The built-in contract against the variant's reflection: two of the names it lists.
KIND = "mxaccess_gateway.v1.MxCommandKind.MX_COMMAND_KIND_WRITE"
RENUMBERED = ("mxaccess_gateway.v1.MxValue.int32_value: number 11 here, 111 at the gateway",
              f"{KIND}: number 9 here, 29 at the gateway")


def builtin_set(tmp_path: Path) -> Path:
    return variant(tmp_path, renumber=False, name="builtin.protoset")


def renumbered(tmp_path: Path) -> Path:
    return variant(tmp_path)


def options(endpoint: str, **extra: object) -> ClientOptions:
    return ClientOptions(endpoint, plaintext=True, known_gateways=None, timeout=10,
                         **extra)  # type: ignore[arg-type]


@pytest.mark.asyncio
async def test_an_agreeing_gateway_is_verified_by_reflection_and_then_called(tmp_path: Path) -> None:
    async with serve(builtin_set(tmp_path)) as half:
        async with await GatewayClient.connect(options(half.endpoint)) as client:
            assert client.contract_verification is None  # nothing asked yet
            with pytest.raises(mxgw.MxGatewayError):
                await client.open_session()  # the stand-in answers UNIMPLEMENTED
            verification = client.contract_verification
            assert verification is not None and verification.verified
            assert verification.how == "reflection"
            assert verification.reflection == "grpc.reflection.v1alpha.ServerReflection"
    assert half.calls == ["/mxaccess_gateway.v1.MxAccessGateway/OpenSession"]


@pytest.mark.asyncio
async def test_a_disagreeing_gateway_gets_no_call_at_all(tmp_path: Path) -> None:
    async with serve(renumbered(tmp_path)) as half:
        async with await GatewayClient.connect(options(half.endpoint)) as client:
            with pytest.raises(MxGatewayContractError) as caught:
                await client.open_session()
            problems = caught.value.problems
            assert set(RENUMBERED) <= set(problems), problems
            assert "nothing was sent" in caught.value.message
            # Every later call, writes first, is refused the same, without asking again.
            asked = half.reflection_calls
            session = client.attach_session("session-x")
            with pytest.raises(MxGatewayContractError):
                await session.write(1, 2, 42)
            with pytest.raises(MxGatewayContractError):
                await client.acknowledge_alarm("Provider!Group.Tag")
            with pytest.raises(MxGatewayContractError):
                async for _ in client.stream_alarms():
                    pass
            with pytest.raises(MxGatewayContractError):
                await client.galaxy.test_connection()
            assert half.reflection_calls == asked
            assert client.contract_verification is None
    assert half.calls == []


@pytest.mark.asyncio
async def test_a_stream_as_first_call_is_checked_before_it_is_sent(tmp_path: Path) -> None:
    async with serve(renumbered(tmp_path)) as half:
        async with await GatewayClient.connect(options(half.endpoint)) as client:
            with pytest.raises(MxGatewayContractError):
                async for _ in client.query_active_alarms():
                    pass
    assert half.calls == []


@pytest.mark.asyncio
async def test_the_gateways_contract_as_the_contract_in_use_agrees(tmp_path: Path) -> None:
    path = renumbered(tmp_path)
    async with serve(path) as half:
        async with await GatewayClient.connect(options(half.endpoint,
                                                       contract=str(path))) as client:
            assert client.contract.describe()["source"] == "file"
            verification = await client.verify_contract()
            assert verification.verified
            session = client.attach_session("session-x")
            with pytest.raises(mxgw.MxGatewayError):
                await session.write(1, 2, 42)  # reaches the stand-in, which refuses it
    assert half.calls == ["/mxaccess_gateway.v1.MxAccessGateway/Invoke"]


@pytest.mark.asyncio
async def test_a_renamed_field_at_the_gateway_is_named_as_missing_there(
        tmp_path: Path) -> None:
    renamed = variant(tmp_path, renumber=False, rename="mxaccess_gateway.v1.WriteCommand.value")
    async with serve(renamed) as half:
        async with await GatewayClient.connect(options(half.endpoint)) as client:
            with pytest.raises(MxGatewayContractError) as caught:
                await client.verify_contract()
    assert caught.value.problems == (
        "mxaccess_gateway.v1.WriteCommand.value: missing at the gateway",)
    assert half.calls == []


@pytest.mark.asyncio
async def test_without_reflection_calls_go_on_unverified() -> None:
    async with serve(None) as half:
        async with await GatewayClient.connect(options(half.endpoint)) as client:
            verification = await client.verify_contract()
            assert not verification.verified and verification.how == "not offered"
            assert verification.describe() == {"verified": False, "how": "not offered"}


@pytest.mark.asyncio
async def test_concurrent_first_calls_share_one_reflection_exchange(tmp_path: Path) -> None:
    async with serve(builtin_set(tmp_path)) as half:
        async with await GatewayClient.connect(options(half.endpoint)) as client:
            results = await asyncio.gather(
                *(client.close_session(f"s{i}") for i in range(5)), return_exceptions=True)
            assert all(isinstance(r, mxgw.MxGatewayError) for r in results)
            assert client.contract_verification is not None
    # v1 for both services at once (UNIMPLEMENTED at grpcio-reflection), then v1alpha
    assert half.reflection_calls == 4
    assert len(half.calls) == 5


@pytest.mark.asyncio
async def test_a_gateway_that_is_down_fails_as_the_call_would(free_port: int) -> None:
    async with await GatewayClient.connect(options(f"127.0.0.1:{free_port}")) as client:
        with pytest.raises(mxgw.MxGatewayTransportError, match="^open session: UNAVAILABLE"):
            await client.open_session()
        assert client.contract_verification is None


def test_the_builtin_contract_agrees_with_itself() -> None:
    builtin = Contract.builtin()
    assert builtin.disagreements(builtin) == []


def test_identical_files_agree_at_once_only_for_a_contract_that_passed_the_check(
        tmp_path: Path) -> None:
    # The gateway's reflection gives the built-in files byte for byte: no comparison needed.
    assert Contract.builtin().disagreements(Contract.load(builtin_set(tmp_path))) == []
    # A contract that skipped the table's check is compared name by name even then: here,
    # against an identical gateway, what both lack is reported.
    lacking = variant(tmp_path, renumber=False, rename="mxaccess_gateway.v1.MxValue.int32_value")
    ours, theirs = (Contract.load(lacking, check=False) for _ in range(2))
    assert ours.disagreements(theirs) == [
        "mxaccess_gateway.v1.MxValue.int32_value: missing at the gateway"]


def test_the_files_reflection_sends_are_taken_as_the_contract_only_when_they_are_its_own(
        tmp_path: Path) -> None:
    # What the check before the first call does without parsing: byte-identical files
    # (protobuf's well-known ones may be left out) are the contract itself, as "gateway".
    builtin = Contract.builtin()
    files = builtin._serialized()
    own = [data for name, data in files.items() if not name.startswith("google/")]
    for sent in (list(files.values()), own):
        gateway = builtin.serves_as(sent, source="gateway", details={"reflection": "v1"})
        assert gateway is not None and gateway.describe() == {"source": "gateway",
                                                              "reflection": "v1"}
        assert builtin.disagreements(gateway) == []
    renumbered_files = list(Contract.load(renumbered(tmp_path))._serialized().values())
    unchecked = Contract.load(builtin_set(tmp_path), check=False)
    for contract, sent in ((builtin, own[:1]),                           # one file missing
                           (builtin, [*own, b"\n\x05x.proto"]),           # one more file
                           (builtin, renumbered_files),                  # other numbers
                           (unchecked, list(unchecked._serialized().values()))):  # no check
        assert contract.serves_as(sent, source="gateway") is None


@pytest.mark.asyncio
async def test_the_doctor_contract_step_fails_naming_the_fields(tmp_path: Path) -> None:
    from mxgw._endpoint import parse_endpoint
    from mxgw.cli import _doctor_gateway
    from mxgw.cli._doctor import Doctor
    from mxgw.cli._doctor_net import Target

    async with serve(renumbered(tmp_path)) as half:
        doctor = Doctor(timeout=10)
        gateway = _doctor_gateway.Gateway(
            Target(doctor, options(half.endpoint), parse_endpoint(half.endpoint),
                   "--plaintext"), None)
        try:
            await doctor.step("contract", (), lambda: _doctor_gateway.contract(gateway))
        finally:
            await gateway.aclose()
    record = doctor.records["contract"]
    assert record.status == "fail"
    assert RENUMBERED[0] in str(record.detail)
    assert "mxgw contract fetch" in str(record.hint)
    assert isinstance(doctor.failure, MxGatewayContractError)
    assert half.calls == []


async def _first_call(client: GatewayClient, kind: str) -> None:
    if kind == "unary":
        await client.open_session()
    else:  # a stream's check is made when it is first iterated
        async for _ in client.stream_alarms():
            pass


@pytest.mark.asyncio
@pytest.mark.parametrize("watch", ["on time", "late"])
@pytest.mark.parametrize("kind", ["unary", "stream"])
async def test_a_gateway_back_with_another_contract_is_checked_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, watch: str, kind: str) -> None:
    # Verified once, then the gateway restarts on the same port, upgraded: grpc reconnects
    # by itself, so no call fails on the way, and the old check must not stand. Under load
    # the connection watch's state change came after the next call (CI); "late" makes it
    # never come, so the call itself must ask the channel.
    if watch == "late":
        from mxgw._rpc._calls import Rpc

        async def never(self: Rpc) -> None:
            return None

        monkeypatch.setattr(Rpc, "_forget_on_change", never)
    async with serve(builtin_set(tmp_path)) as half:
        port = int(half.endpoint.rsplit(":", 1)[1])
        client = await GatewayClient.connect(options(half.endpoint))
        with pytest.raises(mxgw.MxGatewayError):
            await client.open_session()
        assert client.contract_verification is not None
    try:
        async with serve(renumbered(tmp_path), port=port) as upgraded:
            try:
                await _first_call(client, kind)
            except mxgw.MxGatewayTransportError as exc:
                # Caught by the old connection's close before grpc read it: no retry sends
                # it on the new connection, and the next call checks again.
                assert exc.grpc_code == "UNAVAILABLE", exc
            except MxGatewayContractError as exc:
                assert RENUMBERED[0] in exc.problems
            with pytest.raises(MxGatewayContractError) as caught:
                await _first_call(client, kind)
            assert RENUMBERED[0] in caught.value.problems
            assert upgraded.calls == []
    finally:
        await client.close()


@pytest.mark.asyncio
async def test_a_call_that_lost_its_connection_drops_the_check(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The failed call itself must drop the check: grpc may reconnect (to whatever listens
    # there now) before the next call asks the channel its state. The watch is made late
    # and the channel made to say READY, as when grpc has not yet read the connection's
    # end: the one case a real channel cannot be made to show on demand.
    from mxgw._rpc._calls import Rpc

    async def never(self: Rpc) -> None:
        return None

    monkeypatch.setattr(Rpc, "_forget_on_change", never)
    async with serve(builtin_set(tmp_path)) as half:
        client = await GatewayClient.connect(options(half.endpoint))
        with pytest.raises(mxgw.MxGatewayError):
            await client.open_session()
        assert client.contract_verification is not None
    try:
        monkeypatch.setattr(client._rpc._channel, "get_state",
                            lambda try_to_connect=False: grpc.ChannelConnectivity.READY)
        with pytest.raises(mxgw.MxGatewayTransportError) as caught:
            await client.open_session()
        assert caught.value.grpc_code == "UNAVAILABLE"
        assert client.contract_verification is None
    finally:
        await client.close()


def test_contract_fetch_from_a_gateway_lacking_a_used_name_stores_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    # The simulator cannot speak such a contract (it needs every name), so the stand-in
    # serves its reflection; `mxgw contract fetch` runs its own event loop meanwhile.
    from mxgw.cli import main

    renamed = variant(tmp_path, renumber=False, rename="mxaccess_gateway.v1.WriteCommand.value")
    ready: concurrent.futures.Future[str] = concurrent.futures.Future()
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()

    async def gateway() -> None:
        async with serve(renamed) as half:
            ready.set_result(half.endpoint)
            await stop.wait()

    thread = threading.Thread(target=loop.run_until_complete, args=(gateway(),))
    thread.start()
    try:
        endpoint = ready.result(timeout=30)
        monkeypatch.setenv("MXGW_HOME", str(tmp_path / "home"))
        code = main(["contract", "fetch", "--endpoint", endpoint, "--plaintext",
                     "--timeout", "10"])
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(30)
        loop.close()
    captured = capsys.readouterr()
    assert code == 6 and captured.out == "", captured.err
    [line] = captured.err.splitlines()
    error = json.loads(line)["error"]
    assert error["type"] == "MxGatewayContractError"
    assert error["message"].startswith(f"contract {endpoint} disagrees with the tool in ")
    assert "mxaccess_gateway.v1.WriteCommand.value: missing" in error["message"]
    assert not (tmp_path / "home" / "contracts").exists()
