"""The variant kit (tests/contractkit.py) makes what it says: a descriptor set the client
loads, with the built-in names and other numbers, or with one name changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from contractkit import ENUM_OFFSET, FIELD_OFFSET, classes, load, number, variant

import mxgw
from mxgw._proto import galaxy_pb2, gateway_pb2

G = "mxaccess_gateway.v1"


def test_the_renumbered_variant_loads_and_moves_the_numbers(tmp_path: Path) -> None:
    path = variant(tmp_path)
    assert mxgw.Contract.load(path).problems() == []  # same names: the tool's check passes
    builtin = {
        f"{G}.MxValue.int32_value": gateway_pb2.MxValue.DESCRIPTOR,
        f"{G}.MxValue.data_type": gateway_pb2.MxValue.DESCRIPTOR,
        f"{G}.MxCommand.write_command": gateway_pb2.MxCommand.DESCRIPTOR,
        f"{G}.WriteCommand.value": gateway_pb2.WriteCommand.DESCRIPTOR,
        f"{G}.WriteSecuredBulkEntry.verifier_user_id":
            gateway_pb2.WriteSecuredBulkEntry.DESCRIPTOR,
        f"{G}.OpenSessionReply.session_id": gateway_pb2.OpenSessionReply.DESCRIPTOR,
        f"{G}.MxEvent.worker_sequence": gateway_pb2.MxEvent.DESCRIPTOR,
        "galaxy_repository.v1.GalaxyObject.tag_name": galaxy_pb2.GalaxyObject.DESCRIPTOR,
    }
    for name, descriptor in builtin.items():
        old = descriptor.fields_by_name[name.rsplit(".", 1)[1]].number
        assert number(path, name) == old + FIELD_OFFSET, name
    assert number(path, f"{G}.MxValue.int32_value") == 111
    assert number(path, f"{G}.MxDataType.MX_DATA_TYPE_INTEGER") == 4 + ENUM_OFFSET
    assert number(path, f"{G}.MxEventFamily.MX_EVENT_FAMILY_ON_DATA_CHANGE") == 1 + ENUM_OFFSET
    assert number(path, f"{G}.MxCommandKind.MX_COMMAND_KIND_WRITE") == 9 + ENUM_OFFSET
    assert number(path, f"{G}.MxDataType.MX_DATA_TYPE_UNSPECIFIED") == 0
    # what is not in the list keeps its number
    assert number(path, f"{G}.MxCommandReply.protocol_status") == 4
    assert number(path, f"{G}.ProtocolStatusCode.PROTOCOL_STATUS_CODE_OK") == 1
    pb = classes(path)["gateway_pb2"]
    assert pb.MxValue(int32_value=7).SerializeToString() != gateway_pb2.MxValue(
        int32_value=7).SerializeToString()


def test_without_renumbering_it_is_the_builtin_contract(tmp_path: Path) -> None:
    path = variant(tmp_path, renumber=False)
    builtin = {f.name: f for f in mxgw.Contract.builtin().files()}
    loaded = {f.name: f for f in load(path).files()}
    assert {name: loaded[name] for name in builtin} == builtin
    assert set(loaded) - set(builtin) == {  # with its imports, as protoc writes a set
        "google/protobuf/timestamp.proto", "google/protobuf/duration.proto",
        "google/protobuf/wrappers.proto"}


def test_a_renamed_field_is_the_load_time_error(tmp_path: Path) -> None:
    path = variant(tmp_path, rename=f"{G}.MxValue.int32_value")
    with pytest.raises(mxgw.MxGatewayContractError) as caught:
        mxgw.Contract.load(path)
    assert f"{G}.MxValue.int32_value: missing" in str(caught.value)
    assert number(path, f"{G}.MxValue.int32_value_renamed") == 111
    with pytest.raises(ValueError, match="no field or enum value"):
        variant(tmp_path, rename=f"{G}.MxValue.no_such_field")
