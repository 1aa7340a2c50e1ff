"""Variant contracts for tests: the built-in contract with other numbers, or a name changed.

`proto/` is a reconstruction, so a test that builds both sides from it agrees with itself
whatever the numbers are. A variant proves the numbers really come from the contract in
use: the same names, other numbers on the wire.

    from contractkit import variant, number

    path = variant(tmp_path)                       # renumbered (RENUMBERED, ENUMS below)
    path = variant(tmp_path, rename=NAME)          # a field or enum value the tool uses,
                                                   # renamed: the load-time error
    number(path, "mxaccess_gateway.v1.MxValue.int32_value")          # 111
    number(path, "mxaccess_gateway.v1.MxDataType.MX_DATA_TYPE_INTEGER")  # 24
    gateway_pb2 = classes(path)["gateway_pb2"]     # the variant's message classes

What `renumber=True` changes (the file is a FileDescriptorSet with its imports, as
`protoc --include_imports --descriptor_set_out` writes it):
- every field of the messages in RENUMBERED gets FIELD_OFFSET added: MxValue (the value
  union: bool 110, int32 111, ..., data_type 101), MxCommand (kind and every payload
  member), every command payload (`*Command`, `*BulkEntry`: write values, handles, tag
  addresses, passwords), OpenSessionReply, MxEvent (its handles, sequence, value, body),
  and the Galaxy's GalaxyObject;
- every value but the zero of the enums in ENUMS gets ENUM_OFFSET added: MxDataType
  (INTEGER 4 -> 24), MxEventFamily (ON_DATA_CHANGE 1 -> 21), MxCommandKind (WRITE 9 -> 29).
Everything else (the other messages, names, types, rpcs) is the built-in contract's.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from google.protobuf import descriptor_pb2

from mxgw._rpc import _names as n
from mxgw._rpc._contract import Contract

GATEWAY = "mxaccess_gateway.v1"
GALAXY = "galaxy_repository.v1"
FIELD_OFFSET = 100
ENUM_OFFSET = 20
ENUMS = (f"{GATEWAY}.MxDataType", f"{GATEWAY}.MxEventFamily", f"{GATEWAY}.MxCommandKind")


def _renumbered(package: str, message: str) -> bool:
    if package == GALAXY:
        return message == "GalaxyObject"
    return (message in ("MxValue", "MxCommand", "OpenSessionReply", "MxEvent")
            or message.endswith(("Command", "BulkEntry")))


@cache
def _builtin() -> tuple[bytes, ...]:
    """The built-in contract's files and every file they import, imports first."""
    contract = Contract.builtin()
    files = contract.files()
    pool = contract.descriptor(n.MxValue).file.pool
    seen: dict[str, bytes] = {}

    def add(name: str) -> None:
        if name in seen:
            return
        proto = descriptor_pb2.FileDescriptorProto()
        pool.FindFileByName(name).CopyToProto(proto)
        for dependency in proto.dependency:
            add(dependency)
        seen[name] = proto.SerializeToString()

    for file in files:
        add(file.name)
    return tuple(seen.values())


def variant(tmp_path: Path, renumber: bool = True, rename: str | None = None,
            name: str = "variant.protoset") -> Path:
    """Write a variant of the built-in contract to `tmp_path / name` and return its path.

    `rename`: the full name of a field (`mxaccess_gateway.v1.MxValue.int32_value`) or an
    enum value (`mxaccess_gateway.v1.MxDataType.MX_DATA_TYPE_INTEGER`) to rename (it gets
    `_renamed` appended), for the error a contract lacking a used name gives."""
    found = descriptor_pb2.FileDescriptorSet()
    renamed = False
    for data in _builtin():
        proto = found.file.add()
        proto.ParseFromString(data)
        if proto.package not in (GATEWAY, GALAXY):
            continue
        for message in proto.message_type:
            full = f"{proto.package}.{message.name}"
            for field in message.field:
                if renumber and _renumbered(proto.package, message.name):
                    field.number += FIELD_OFFSET
                if rename == f"{full}.{field.name}":
                    field.name += "_renamed"
                    field.ClearField("json_name")
                    renamed = True
        for enum in proto.enum_type:
            full = f"{proto.package}.{enum.name}"
            for value in enum.value:
                if renumber and full in ENUMS and value.number:
                    value.number += ENUM_OFFSET
                if rename == f"{full}.{value.name}":
                    value.name += "_RENAMED"
                    renamed = True
    if rename is not None and not renamed:
        raise ValueError(f"no field or enum value {rename} in the built-in contract")
    path = tmp_path / name
    path.write_bytes(found.SerializeToString())
    return path


def load(path: Path) -> Contract:
    """The variant as the client loads it (unchecked: a renamed variant fails the check)."""
    return Contract.load(path, check=False)


def number(path: Path, full_name: str) -> int:
    """The number of a field or an enum value in the contract at `path`."""
    parent, leaf = full_name.rsplit(".", 1)
    pool = load(path).descriptor(n.MxValue).file.pool
    try:
        return int(pool.FindMessageTypeByName(parent).fields_by_name[leaf].number)
    except KeyError:
        return int(pool.FindEnumTypeByName(parent).values_by_name[leaf].number)


def classes(path: Path) -> dict[str, Any]:
    """The variant's modules as namespaces: `gateway_pb2`, `galaxy_pb2` (message classes,
    enum wrappers, enum values), as the REPL sees them."""
    return load(path).python_names()
