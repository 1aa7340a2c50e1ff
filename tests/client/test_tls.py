"""TLS against a self-signed simulator: trust-on-first-use, CA file, mismatches, and the
Windows machine store (simulated enumeration, real handshake)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

import mxgw
from mxgw import _channel
from mxgw.testing import RunningSimulator, run_simulator


@pytest_asyncio.fixture
async def tls_sim() -> AsyncIterator[RunningSimulator]:
    async with run_simulator(tick_interval=None, tls=True) as running:
        assert running.ca_pem is not None and not running.plaintext
        yield running


def pem_file(tmp_path: Path, pem: bytes, name: str = "ca.pem") -> str:
    path = tmp_path / name
    path.write_bytes(pem)
    return str(path)


@pytest.mark.asyncio
async def test_trust_on_first_use_pins_the_presented_certificate(
        tls_sim: RunningSimulator, options_for: Any) -> None:
    # known_gateways=None: pinned for the channel only (test_known_gateways.py has the rest)
    options = options_for(tls_sim, known_gateways=None)
    plan = await _channel.plan_channel(options)
    assert plan.tls and plan.root_certificates is not None
    assert dict(plan.options)["grpc.ssl_target_name_override"] == "localhost"
    assert tls_sim.ca_pem is not None
    pinned = _channel.fingerprint(tls_sim.ca_pem)
    async with await mxgw.GatewayClient.connect(options) as client:
        assert client.transport_description == (
            f"TLS (trust-on-first-use, pinned SHA-256 {pinned})")
        async with await client.open_session() as session:
            assert (await session.read("TestChildObject.TestInt"))[
                "TestChildObject.TestInt"].ok


@pytest.mark.asyncio
async def test_server_name_override_is_kept_with_tofu(tls_sim: RunningSimulator,
                                                      options_for: Any) -> None:
    plan = await _channel.plan_channel(options_for(tls_sim, server_name_override="127.0.0.1"))
    assert dict(plan.options)["grpc.ssl_target_name_override"] == "127.0.0.1"


@pytest.mark.asyncio
async def test_ca_file_verifies_the_gateway(tls_sim: RunningSimulator, options_for: Any,
                                            tmp_path: Path) -> None:
    assert tls_sim.ca_pem is not None
    ca = pem_file(tmp_path, tls_sim.ca_pem)
    async with await mxgw.GatewayClient.connect(options_for(tls_sim, ca_file=ca)) as client:
        assert client.transport_description == f"TLS (CA file {ca})"
        async with await client.open_session():
            pass


@pytest.mark.asyncio
async def test_ca_file_of_another_gateway_is_refused(tls_sim: RunningSimulator,
                                                     options_for: Any, tmp_path: Path) -> None:
    async with run_simulator(tick_interval=None, tls=True) as other:
        assert other.ca_pem is not None
        wrong = pem_file(tmp_path, other.ca_pem)
    options = options_for(tls_sim, ca_file=wrong, timeout=5)
    async with await mxgw.GatewayClient.connect(options) as client:
        with pytest.raises(mxgw.MxGatewayTransportError, match="not trusted") as info:
            await client.open_session()
    assert "--ca-file" in str(info.value)
    assert tls_sim.control.open_session_count == 0


@pytest.mark.asyncio
async def test_host_name_mismatch_is_refused(tls_sim: RunningSimulator, options_for: Any,
                                             tmp_path: Path) -> None:
    assert tls_sim.ca_pem is not None
    options = options_for(tls_sim, ca_file=pem_file(tmp_path, tls_sim.ca_pem),
                          server_name_override="wrong.example", timeout=5)
    async with await mxgw.GatewayClient.connect(options) as client:
        with pytest.raises(mxgw.MxGatewayTransportError, match="server-name-override"):
            await client.open_session()


@pytest.mark.asyncio
async def test_system_roots_do_not_trust_a_self_signed_gateway(
        tls_sim: RunningSimulator, options_for: Any) -> None:
    options = options_for(tls_sim, require_certificate_validation=True, timeout=5)
    async with await mxgw.GatewayClient.connect(options) as client:
        with pytest.raises(mxgw.MxGatewayTransportError, match="not trusted"):
            await client.open_session()


@pytest.mark.asyncio
async def test_plaintext_client_against_tls_gateway_fails(tls_sim: RunningSimulator,
                                                          options_for: Any) -> None:
    options = options_for(tls_sim, plaintext=True, timeout=5)
    async with await mxgw.GatewayClient.connect(options) as client:
        with pytest.raises(mxgw.MxGatewayTransportError):
            await client.open_session()
