"""The RPC seam stays a seam: only mxgw._rpc knows the generated code, its table of proto
names is what the code uses and agrees with the contract, and the library's import graph
has no cycles (mxgw._session and mxgw._tags used to import each other)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from google.protobuf import descriptor_pb2, descriptor_pool

from mxgw._rpc import _galaxy_names, _names
from mxgw._rpc._commands import COMMANDS, member
from mxgw._rpc._contract import Contract
from mxgw._rpc._table import ENUMS, MESSAGES, METHODS, ONEOFS, fields
from mxgw._values import TYPES

SRC = Path(__file__).resolve().parents[1] / "src" / "mxgw"
SEAM = SRC / "_rpc"
# The other side of the wire builds its own messages; the generated code is itself.
OUTSIDE = (SRC / "sim", SRC / "_proto")


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        if any(path.is_relative_to(skip) for skip in OUTSIDE[1:]):
            continue
        parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """Every module `name` imports, anywhere in it (TYPE_CHECKING blocks and functions
    too), resolved to mxgw module names where it names one."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            for alias in node.names:
                full = f"{module}.{alias.name}"
                found.add(full if full in MODULES or full.startswith("mxgw._proto.")
                          else module)
    return found


def test_only_the_seam_imports_the_generated_code() -> None:
    offenders = sorted(
        f"{name} imports {target}"
        for name, path in MODULES.items()
        if not path.is_relative_to(SEAM) and not path.is_relative_to(OUTSIDE[0])
        for target in _imports(name, path)
        if target == "mxgw._proto" or target.startswith("mxgw._proto."))
    assert offenders == []


def test_the_guard_sees_every_form_of_import(tmp_path: Path) -> None:
    # The guard would be worthless if it missed a relative or a lazy import.
    probe = tmp_path / "probe.py"
    probe.write_text("from .._proto import gateway_pb2\n"
                     "def f():\n    from mxgw._proto.x import y\n"
                     "if TYPE_CHECKING:\n    import mxgw._proto\n", encoding="utf-8")
    found = _imports("mxgw.cli.probe", probe)
    assert {"mxgw._proto.gateway_pb2", "mxgw._proto.x.y", "mxgw._proto"} <= found


def test_the_import_graph_has_no_cycles() -> None:
    graph = {name: {t for t in _imports(name, path) if t in MODULES and t != name}
             for name, path in MODULES.items()}
    assert "mxgw._session" not in graph["mxgw._tags"]
    cycles: list[list[str]] = []
    done: set[str] = set()

    def visit(node: str, stack: list[str]) -> None:
        stack.append(node)
        for target in sorted(graph[node]):
            if target in stack:
                cycles.append([*stack[stack.index(target):], target])
            elif target not in done:
                visit(target, stack)
        stack.pop()
        done.add(node)

    for node in sorted(graph):
        if node not in done:
            visit(node, [])
    assert cycles == []


# ---------------------------------------------------------------- the table


def test_the_builtin_contract_has_every_name_of_the_table() -> None:
    assert Contract.builtin().problems() == []


def _doctored(edit: str) -> Contract:
    """The built-in contract's files in a pool of their own, with one change."""
    files = Contract.builtin().files()
    gateway = next(f for f in files if f.package == _names.GATEWAY)
    messages = {m.name: m for m in gateway.message_type}
    if edit == "rename":
        field = next(f for f in messages["MxValue"].field if f.name == "int32_value")
        field.name = "int_value"
    elif edit == "retype":
        field = next(f for f in messages["MxEvent"].field if f.name == "worker_sequence")
        field.type = descriptor_pb2.FieldDescriptorProto.TYPE_STRING
    elif edit == "enum":
        kinds = next(e for e in gateway.enum_type if e.name == "MxCommandKind")
        value = next(v for v in kinds.value if v.name == "MX_COMMAND_KIND_WRITE")
        value.name = "MX_COMMAND_KIND_WRITE_VALUE"
    elif edit == "renumber":
        field = next(f for f in messages["MxValue"].field if f.name == "int32_value")
        field.number = 99
    elif edit == "rpc":
        service = gateway.service[0]
        method = next(m for m in service.method if m.name == "Invoke")
        method.server_streaming = True
    pool = descriptor_pool.DescriptorPool()
    from google.protobuf import duration_pb2, timestamp_pb2, wrappers_pb2

    for well_known in (duration_pb2, timestamp_pb2, wrappers_pb2):
        proto = descriptor_pb2.FileDescriptorProto()
        well_known.DESCRIPTOR.CopyToProto(proto)
        pool.Add(proto)
    for proto in files:
        pool.Add(proto)
    return Contract(pool, [pool.FindFileByName(f.name) for f in files], source="doctored")


@pytest.mark.parametrize("edit, problem", [
    ("rename", "mxaccess_gateway.v1.MxValue.int32_value: missing"),
    ("retype", "mxaccess_gateway.v1.MxEvent.worker_sequence: has another type"),
    ("enum", "mxaccess_gateway.v1.MxCommandKind.MX_COMMAND_KIND_WRITE: missing"),
    ("rpc", "mxaccess_gateway.v1.MxAccessGateway.Invoke: is "
            + "(mxaccess_gateway.v1.MxCommandRequest) -> stream"),
])
def test_a_contract_that_disagrees_is_named_field_by_field(edit: str, problem: str) -> None:
    problems = _doctored(edit).problems()
    assert len(problems) == 1 and problems[0].startswith(problem), problems


@pytest.mark.parametrize("edit", ["none", "renumber"])
def test_a_contract_in_a_pool_of_its_own_agrees_when_its_names_do(edit: str) -> None:
    # What issue 12's run-time contracts are: the same names, perhaps other numbers.
    contract = _doctored(edit)
    assert contract.problems() == []
    mx = contract.new(_names.MxValue)
    mx.int32_value = 5
    assert mx.SerializeToString() == (b"\x98\x06\x05" if edit == "renumber" else b"X\x05")


def _seam_sources() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEAM.glob("*.py")))


def test_every_field_named_in_a_string_is_in_the_table() -> None:
    # Attribute access is checked by mypy against the table's Protocols; names passed as
    # strings (HasField, WhichOneof, a timestamp's field) are checked here.
    known = {name for spec in MESSAGES for name in fields(spec)}
    oneofs = {name for names in ONEOFS.values() for name in names}
    text = _seam_sources()
    has = set(re.findall(r'HasField\("(\w+)"\)', text))
    has |= set(re.findall(r'timestamp\([^)]*?, "(\w+)"\)', text))
    which = set(re.findall(r'WhichOneof\("(\w+)"\)', text))
    assert has and which
    assert has - known == set()
    assert which - oneofs == set()


def test_names_made_of_parts_are_fields_of_the_table() -> None:
    from mxgw._rpc._galaxy import RootSpec

    for kind in ("gobject_id", "tag_name", "contained_path"):
        assert RootSpec(kind, None).kind == kind
        assert f"root_{kind}" in fields(_galaxy_names.DiscoverHierarchyRequest)
        assert f"parent_{kind}" in fields(_galaxy_names.BrowseChildrenRequest)
    assert "tag_name_glob" in fields(_galaxy_names.BrowseChildrenRequest)  # a shared part


def test_value_members_and_command_members_are_fields_of_the_table() -> None:
    value_fields = fields(_names.MxValue)
    for row in TYPES.values():
        assert f"{row.member}_value" in value_fields, row
        assert row.data_type in _names.DATA_TYPE.values, row
    for op in COMMANDS:
        assert member(op) in fields(_names.MxCommand), op


def test_every_rpc_row_names_table_messages_and_the_table_names_each_service() -> None:
    assert {m.service for m in METHODS} == {_names.GATEWAY_SERVICE,
                                            _galaxy_names.GALAXY_SERVICE}
    for rpc in METHODS:
        assert rpc.request in MESSAGES and rpc.response in MESSAGES, rpc
    assert all(enum.full_name.endswith(name) for name, enum in ENUMS.items())
