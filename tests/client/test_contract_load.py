"""mxgw.Contract.load: a descriptor set read at run time, checked against the seam's table."""

from __future__ import annotations

from pathlib import Path

import pytest
from google.protobuf import descriptor_pb2

from mxgw import Contract, MxGatewayConfigError, MxGatewayContractError
from mxgw._rpc import _names as n


def builtin_set() -> descriptor_pb2.FileDescriptorSet:
    found = descriptor_pb2.FileDescriptorSet()
    found.file.extend(Contract.builtin().files())
    return found


def write(path: Path, files: descriptor_pb2.FileDescriptorSet) -> Path:
    path.write_bytes(files.SerializeToString())
    return path


def field(files: descriptor_pb2.FileDescriptorSet, message: str,
          name: str) -> descriptor_pb2.FieldDescriptorProto:
    for file in files.file:
        for found in file.message_type:
            if found.name == message:
                return next(f for f in found.field if f.name == name)
    raise LookupError(message)


def test_the_builtin_contract_written_out_loads_and_agrees(tmp_path: Path) -> None:
    path = write(tmp_path / "gw.protoset", builtin_set())
    contract = Contract.load(path)
    assert contract.problems() == []
    assert contract.describe()["source"] == "file"
    assert contract.describe()["path"] == str(path)
    assert len(contract.describe()["sha256"]) == 64
    assert sorted(contract.python_names()) == ["galaxy_pb2", "gateway_pb2"]
    value = contract.python_names()["gateway_pb2"].MxValue(int32_value=7)
    assert value.int32_value == 7


def test_renumbered_fields_are_fine_and_used(tmp_path: Path) -> None:
    files = builtin_set()
    field(files, "MxValue", "int32_value").number = 901
    contract = Contract.load(write(tmp_path / "v.protoset", files))
    cls = contract.cls(n.MxValue)
    encoded = cls(int32_value=1).SerializeToString()
    assert encoded[:2] == b"\xa8\x38"  # field 901, varint: the variant's number on the wire


def test_a_renamed_field_is_one_error_naming_it_in_full(tmp_path: Path) -> None:
    files = builtin_set()
    field(files, "MxValue", "int32_value").name = "i32"
    with pytest.raises(MxGatewayContractError) as caught:
        Contract.load(write(tmp_path / "v.protoset", files))
    assert "mxaccess_gateway.v1.MxValue.int32_value: missing" in caught.value.problems
    assert "mxaccess_gateway.v1.MxValue.int32_value: missing" in str(caught.value)


def test_a_retyped_field_is_refused(tmp_path: Path) -> None:
    files = builtin_set()
    field(files, "MxValue", "int32_value").type = descriptor_pb2.FieldDescriptorProto.TYPE_STRING
    with pytest.raises(MxGatewayContractError) as caught:
        Contract.load(write(tmp_path / "v.protoset", files))
    assert any(p.startswith("mxaccess_gateway.v1.MxValue.int32_value: has another type")
               for p in caught.value.problems)


def test_unreadable_and_foreign_files_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(MxGatewayConfigError, match="cannot read it"):
        Contract.load(tmp_path / "missing.protoset")
    (tmp_path / "junk").write_bytes(b"\xff\xfe not protobuf")
    with pytest.raises(MxGatewayConfigError, match="not a descriptor set"):
        Contract.load(tmp_path / "junk")


def test_a_set_without_its_imports_is_refused_by_name(tmp_path: Path) -> None:
    files = builtin_set()
    gateway = next(f for f in files.file if f.package == "mxaccess_gateway.v1")
    only = descriptor_pb2.FileDescriptorSet()
    only.file.add().CopyFrom(gateway)
    gateway.dependency.append("plant/extra.proto")
    only.file[0].dependency.append("plant/extra.proto")
    with pytest.raises(MxGatewayConfigError, match="plant/extra.proto.*--include_imports"):
        Contract.load(write(tmp_path / "v.protoset", only))


def test_a_request_of_the_builtin_classes_is_adopted_by_names(tmp_path: Path) -> None:
    from contractkit import number, variant

    from mxgw._rpc import _names as names

    path = variant(tmp_path)
    contract = Contract.load(path)
    builtin = Contract.builtin()
    request = builtin.new(names.MxCommandRequest)
    request.session_id = "s"
    request.command.kind = builtin.number(names.COMMAND_KIND, "WRITE")
    request.command.write_command.value.int32_value = 42
    adopted = contract.adopt(names.MxCommandRequest, request)
    assert isinstance(adopted, contract.cls(names.MxCommandRequest))
    assert adopted.command.kind == number(path, "mxaccess_gateway.v1.MxCommandKind."
                                                "MX_COMMAND_KIND_WRITE") == 29
    assert adopted.command.write_command.value.int32_value == 42
    encoded = adopted.command.write_command.value.SerializeToString()
    tag = number(path, "mxaccess_gateway.v1.MxValue.int32_value") << 3  # varint wire type
    assert encoded[:2] == bytes([0x80 | tag & 0x7F, tag >> 7])  # the variant's number
    assert contract.adopt(names.MxCommandRequest, adopted) is adopted


def test_raw_data_type_is_the_native_mxaccess_number_whatever_the_contract(
        tmp_path: Path) -> None:
    # The variant renumbers MxDataType; MxValue.raw_data_type is MXAccess's own number
    # (Boolean 1, Integer 2, Double 4, String 5, Unknown -1), as the simulator sends it.
    from contractkit import variant

    from mxgw import to_mx_value
    from mxgw._rpc._values import encode

    renumbered = Contract.load(variant(tmp_path))
    for value, native in ((True, 1), (42, 2), (1.5, 4), ("x", 5), (b"\x00", -1), ([1, 2], 2)):
        assert encode(renumbered, value).raw_data_type == native, value
        assert to_mx_value(value).raw_data_type == native, value
