"""TLS serving and the fault-injection knobs of the control handle."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import grpc
import pytest
from simkit import WAIT, Gw, code_of, pb, take, until

from mxgw.sim import _tls
from mxgw.testing import RunningSimulator, run_simulator


async def _tls_roundtrip(**options: Any) -> None:
    async with run_simulator(tick_interval=None, tls=True, **options) as sim:
        assert not sim.plaintext and sim.ca_pem and b"BEGIN CERTIFICATE" in sim.ca_pem
        credentials = grpc.ssl_channel_credentials(root_certificates=sim.ca_pem)
        async with grpc.aio.secure_channel(sim.endpoint, credentials) as channel:
            gw = Gw(sim, channel, sim.api_key)
            assert (await gw.open()).startswith("session-")
        port = sim.endpoint.rsplit(":", 1)[1]
        async with grpc.aio.secure_channel(f"localhost:{port}", credentials) as channel:
            assert await Gw(sim, channel, sim.api_key).open()
        async with grpc.aio.insecure_channel(sim.endpoint) as channel:
            code = await code_of(Gw(sim, channel, sim.api_key).stub.OpenSession(
                pb.OpenSessionRequest(), metadata=(), timeout=WAIT))
            assert code == grpc.StatusCode.UNAVAILABLE


@pytest.mark.asyncio
async def test_tls_with_generated_certificate() -> None:
    await _tls_roundtrip()


@pytest.mark.asyncio
@pytest.mark.skipif(_tls.shutil.which("openssl") is None, reason="no openssl command")
async def test_tls_with_given_files_made_by_openssl(tmp_path: Path) -> None:
    cert, key = _tls.self_signed(use_cryptography=False)
    (tmp_path / "c.pem").write_bytes(cert)
    (tmp_path / "k.pem").write_bytes(key)
    await _tls_roundtrip(cert_file=str(tmp_path / "c.pem"), key_file=str(tmp_path / "k.pem"))


def test_tls_without_any_generator_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # The environment cannot be produced over the wire: hide the openssl command.
    monkeypatch.setattr(_tls.shutil, "which", lambda name: None)
    with pytest.raises(_tls.TlsSetupError, match="cryptography.*openssl"):
        _tls.self_signed(use_cryptography=False)


@pytest.mark.asyncio
async def test_missing_certificate_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(_tls.TlsSetupError, match="cannot read"):
        async with run_simulator(tls=True, cert_file=str(tmp_path / "no.pem"),
                                 key_file=str(tmp_path / "no.key")):
            pass


@pytest.mark.asyncio
async def test_latency_makes_deadlines_expire(gw: Gw) -> None:
    gw.control.set_latency(2.0)
    call = gw.stub.OpenSession(pb.OpenSessionRequest(), metadata=gw.metadata, timeout=0.05)
    assert await code_of(call) == grpc.StatusCode.DEADLINE_EXCEEDED
    gw.control.set_latency(0)
    assert await gw.open()


@pytest.mark.asyncio
async def test_fail_next_n_calls_optionally_for_one_method(gw: Gw) -> None:
    session_id = await gw.open()
    gw.control.fail_next(2, grpc.StatusCode.UNAVAILABLE, "maintenance", method="Invoke")
    assert await gw.open()  # another method is not affected
    for _ in range(2):
        with pytest.raises(grpc.aio.AioRpcError) as info:
            await gw.register(session_id)
        assert info.value.code() == grpc.StatusCode.UNAVAILABLE
        assert info.value.details() == "maintenance"
    assert await gw.register(session_id) == 1
    gw.control.fail_next(1, grpc.StatusCode.DEADLINE_EXCEEDED)
    assert await code_of(gw.open()) == grpc.StatusCode.DEADLINE_EXCEEDED


@pytest.mark.asyncio
async def test_fault_session_ends_stream_and_refuses_commands(gw: Gw) -> None:
    session_id, _, _ = await gw.subscribe("TestChildObject.TestInt")
    call = gw.stream(session_id)
    await take(call, 1)
    gw.control.fault_session(session_id)
    assert await code_of(asyncio.wait_for(call.read(), WAIT)) == grpc.StatusCode.UNAVAILABLE
    assert [s.state for s in gw.control.sessions()] == ["FAULTED"]
    assert await code_of(gw.register(session_id)) == grpc.StatusCode.FAILED_PRECONDITION
    assert await code_of(gw.stream(session_id).read()) == grpc.StatusCode.FAILED_PRECONDITION


@pytest.mark.asyncio
async def test_drop_event_streams_then_resume_with_replay(gw: Gw) -> None:
    session_id, _, _ = await gw.subscribe("TestMachine_001.TestChangingInt")
    call = gw.stream(session_id)
    (first,) = await take(call, 1)
    assert gw.control.drop_event_streams() == 1
    assert await code_of(asyncio.wait_for(call.read(), WAIT)) == grpc.StatusCode.UNAVAILABLE
    gw.control.tick(2)
    resumed = gw.stream(session_id, after=first.worker_sequence)
    assert [e.worker_sequence for e in await take(resumed, 2)] == [2, 3]
    resumed.cancel()


@pytest.mark.asyncio
async def test_stop_and_resume_accepting(gw: Gw) -> None:
    gw.control.stop_accepting()
    assert await code_of(gw.open()) == grpc.StatusCode.UNAVAILABLE
    gw.control.resume_accepting()
    assert await gw.open()


@pytest.mark.asyncio
async def test_cancelled_streams_are_counted(gw: Gw) -> None:
    session_id, _, _ = await gw.subscribe("TestChildObject.TestInt")
    call = gw.stream(session_id)
    await take(call, 1)
    assert gw.control.cancelled_streams == 0
    call.cancel()
    await until(lambda: gw.control.cancelled_streams == 1)
    assert [s.state for s in gw.control.sessions()] == ["READY"]


def test_fault_knobs_reject_unknown_sessions_and_bad_values(sim: RunningSimulator) -> None:
    with pytest.raises(KeyError):
        sim.control.fault_session("session-" + "0" * 32)
    with pytest.raises(ValueError):
        sim.control.set_latency(-1)
    with pytest.raises(ValueError):
        sim.control.fail_next(0, grpc.StatusCode.UNAVAILABLE)
    assert sim.control.drop_event_streams() == 0
