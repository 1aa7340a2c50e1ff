"""gRPC server reflection: served by default on v1 and v1alpha for the contract the
simulator speaks, off with `--no-reflection` / `reflection=False`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import grpc
import pytest
from simkit import code_of, connected, reflect, reflected_files, standalone

from mxgw import _reflection
from mxgw._proto import galaxy_pb2, gateway_pb2

V1 = "grpc.reflection.v1.ServerReflection"
V1ALPHA = "grpc.reflection.v1alpha.ServerReflection"
OURS = ["galaxy_repository.v1.GalaxyRepository", "mxaccess_gateway.v1.MxAccessGateway"]


@pytest.mark.asyncio
@pytest.mark.parametrize("service", [V1, V1ALPHA])
async def test_reflection_lists_the_services_and_sends_the_files(service: str) -> None:
    async with connected() as gw:
        listed = await reflect(gw.channel, service, list_services="")
        assert sorted(s.name for s in listed.list_services_response.service) == sorted(
            [*OURS, V1, V1ALPHA])
        files = await reflected_files(gw.channel, service, OURS[1])
        gateway = files[gateway_pb2.DESCRIPTOR.name]
        assert gateway.package == "mxaccess_gateway.v1"
        assert "google/protobuf/timestamp.proto" in files  # with its imports
        assert [m.name for m in gateway.service[0].method] == [
            m.name for m in gateway_pb2.DESCRIPTOR.services_by_name["MxAccessGateway"].methods]
        value = next(m for m in gateway.message_type if m.name == "MxValue")
        numbers = {f.name: f.number for f in value.field}
        assert numbers["int32_value"] == 11 and numbers["double_value"] == 14
        by_name = await reflect(gw.channel, service,
                                file_by_filename=galaxy_pb2.DESCRIPTOR.name)
        (galaxy,) = by_name.file_descriptor_response.file_descriptor_proto[:1]
        assert b"galaxy_repository.v1" in galaxy
        missing = await reflect(gw.channel, service, file_containing_symbol="no.such.Thing")
        assert missing.error_response.error_code == grpc.StatusCode.NOT_FOUND.value[0]


@pytest.mark.asyncio
async def test_reflection_needs_no_api_key_and_the_client_probe_sees_v1() -> None:
    async with connected() as gw:
        # no metadata at all: like grpcio's own reflection service
        found = await _reflection.list_services(gw.channel, (), timeout=10)
        assert found is not None
        assert found[0] == V1 and sorted(found[1]) == sorted([*OURS, V1, V1ALPHA])


@pytest.mark.asyncio
@pytest.mark.parametrize("service", [V1, V1ALPHA])
async def test_without_reflection_it_is_unimplemented(service: str) -> None:
    async with connected(reflection=False) as gw:
        assert await code_of(reflect(gw.channel, service, list_services="")) == \
            grpc.StatusCode.UNIMPLEMENTED
        assert await _reflection.list_services(gw.channel, (), timeout=10) is None
        # the gateway's own services are still there
        assert (await gw.open()).startswith("session-")


@pytest.mark.asyncio
async def test_the_flag_and_the_start_line() -> None:
    async with standalone() as (_, line):
        assert line["reflection"] is True
        assert line["contract"] == {"source": "built-in"}
        async with grpc.aio.insecure_channel(line["endpoint"]) as channel:
            listed = await reflect(channel, V1, list_services="")
            assert len(listed.list_services_response.service) == 4
    async with standalone("--no-reflection") as (_, line):
        assert line["reflection"] is False
        async with grpc.aio.insecure_channel(line["endpoint"]) as channel:
            assert await code_of(reflect(channel, V1, list_services="")) == \
                grpc.StatusCode.UNIMPLEMENTED


_LAZY = """
import asyncio, sys
import grpc
from mxgw.testing import run_simulator
sys.path.insert(0, sys.argv[1])
from simkit import reflect

async def main():
    async with run_simulator(tick_interval=None) as sim:
        print("grpc_reflection.v1alpha" in sys.modules)
        async with grpc.aio.insecure_channel(sim.endpoint) as channel:
            await reflect(channel, "grpc.reflection.v1.ServerReflection", list_services="")
        print("grpc_reflection.v1alpha" in sys.modules)
asyncio.run(main())
"""


def test_the_reflection_package_loads_on_the_first_reflection_call() -> None:
    # `--endpoint sim` starts a simulator for each one-shot command: reflection must not
    # add its imports (descriptor_pb2 among them) to every start. (grpc itself imports
    # the empty top-level grpc_reflection package when it is installed.)
    done = subprocess.run([sys.executable, "-c", _LAZY, str(Path(__file__).parent)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]


def test_the_probe_file_has_grpc_s_reflection_fields_and_the_file_header() -> None:
    """_reflection.PROBE (serialized, so that the contract check needs no descriptor_pb2):
    every field is the one of grpc's reflection.proto (v1alpha's: the same messages as
    v1) or, for FileHeader, of protobuf's FileDescriptorProto, by name, number,
    repetition, type, message type and membership of a oneof."""
    from google.protobuf import descriptor_pb2, descriptor_pool
    from grpc_reflection.v1alpha import reflection_pb2

    pool = descriptor_pool.DescriptorPool()
    probe = pool.AddSerializedFile(_reflection.PROBE)
    originals = {name: reflection_pb2.DESCRIPTOR.message_types_by_name[name]
                 for name in probe.message_types_by_name if name != "FileHeader"}
    originals["FileHeader"] = descriptor_pb2.FileDescriptorProto.DESCRIPTOR
    assert set(probe.message_types_by_name) == {
        "ServerReflectionRequest", "ServerReflectionResponse", "FileDescriptorResponse",
        "ListServiceResponse", "ServiceResponse", "ErrorResponse", "FileHeader"}

    def shape(field: Any) -> tuple[object, ...]:
        return (field.number, field.is_repeated, field.type,
                field.message_type.name if field.message_type else None,
                field.containing_oneof is not None)

    for name, message in probe.message_types_by_name.items():
        original = originals[name]
        assert message.fields, name
        for field in message.fields:
            assert shape(field) == shape(original.fields_by_name[field.name]), (name, field.name)
        # The probe's oneof (named "message": what _ask reads) is the original's one oneof.
        assert len({original.fields_by_name[f.name].containing_oneof.name
                    for f in message.fields if f.containing_oneof is not None}) <= 1, name
