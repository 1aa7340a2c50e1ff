"""Asking for the service list by gRPC server reflection: a server that offers it
(grpcio-reflection, which serves v1alpha only), and a simulator that offers none
(`reflection=False`; it serves v1 and v1alpha by default: tests/sim/test_sim_reflection.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import grpc
import pytest
import pytest_asyncio
from grpc_reflection.v1alpha import reflection

import mxgw
from mxgw import _reflection
from mxgw._channel import auth_metadata
from mxgw._rpc._contract import services
from mxgw.testing import RunningSimulator, run_simulator

OURS = list(services())


@asynccontextmanager
async def serve_reflection(names: list[str]) -> AsyncIterator[str]:
    """A server that offers reflection, listing `names` and itself, and nothing else: the
    reflection half of a gateway."""
    server = grpc.aio.server()
    reflection.enable_server_reflection([*names, reflection.SERVICE_NAME], server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        await server.stop(None)


@pytest_asyncio.fixture
async def reflecting() -> AsyncIterator[str]:
    async with serve_reflection(OURS) as endpoint:
        yield endpoint


@pytest.mark.asyncio
async def test_the_service_list_of_a_server_that_offers_reflection(reflecting: str) -> None:
    async with grpc.aio.insecure_channel(reflecting) as channel:
        found = await _reflection.list_services(channel, (), timeout=10)
    # v1 is not served by grpcio-reflection, so the answer came from v1alpha
    assert found == ("grpc.reflection.v1alpha.ServerReflection",
                     sorted([*OURS, reflection.SERVICE_NAME]))


@pytest.mark.asyncio
@pytest.mark.parametrize("tls", [False, True])
async def test_no_reflection_is_none(tls: bool) -> None:
    # (tests/cli/test_commands_doctor.py repeats this against a simulator on another
    # thread, where a race with a bidi call's write showed.)
    async with run_simulator(tick_interval=None, tls=tls, reflection=False) as sim:
        channel = _channel(sim)
        try:
            assert await _reflection.list_services(
                channel, auth_metadata(sim.api_key), timeout=10) is None
        finally:
            await channel.close()


def _channel(sim: RunningSimulator) -> grpc.aio.Channel:
    if sim.plaintext:
        return grpc.aio.insecure_channel(sim.endpoint)
    credentials = grpc.ssl_channel_credentials(root_certificates=sim.ca_pem)
    return grpc.aio.secure_channel(sim.endpoint, credentials,
                                   options=[("grpc.ssl_target_name_override", "localhost")])


@pytest.mark.asyncio
async def test_a_gateway_that_is_down_is_a_transport_error(free_port: int) -> None:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{free_port}") as channel:
        with pytest.raises(mxgw.MxGatewayTransportError, match="UNAVAILABLE"):
            await _reflection.list_services(channel, (), timeout=10)


async def contract_step(endpoint: str) -> Any:
    from mxgw._endpoint import parse_endpoint
    from mxgw.cli import _doctor_gateway
    from mxgw.cli._doctor import Doctor
    from mxgw.cli._doctor_net import Target

    doctor = Doctor(timeout=10)
    options = mxgw.ClientOptions(endpoint, plaintext=True)
    gateway = _doctor_gateway.Gateway(
        Target(doctor, options, parse_endpoint(endpoint), "--plaintext"), None)
    try:
        await doctor.step("contract", (), lambda: _doctor_gateway.contract(gateway))
    finally:
        await gateway.aclose()
    assert doctor.failure is None
    return doctor.records["contract"]


@pytest.mark.asyncio
async def test_the_doctor_contract_step_sees_reflection_offered(reflecting: str) -> None:
    record = await contract_step(reflecting)
    assert (record.status, record.blocked) == ("ok", False)
    assert record.detail == (
        "reflection offered (grpc.reflection.v1alpha.ServerReflection); the contract in use "
        "(built-in) agrees with the gateway's on every message, field and enum value the "
        "tool uses")


@pytest.mark.asyncio
async def test_the_contract_step_names_services_the_gateway_does_not_list() -> None:
    async with serve_reflection(OURS[:1]) as endpoint:
        record = await contract_step(endpoint)
    assert record.detail.startswith(
        f"reflection offered (grpc.reflection.v1alpha.ServerReflection, without {OURS[1]}); ")
