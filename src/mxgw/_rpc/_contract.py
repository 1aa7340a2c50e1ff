"""The wire contract in use: message classes, enum numbers and rpc paths for the names in
the seam's table (`_names`, `_galaxy_names`), looked up in a descriptor pool.

    contract = Contract.builtin()
    request = contract.new(n.OpenSessionRequest)
    request.command.kind = contract.number(n.COMMAND_KIND, "WRITE")
    contract.short_name(n.EVENT_FAMILY, event.family)     # "ON_DATA_CHANGE", or "7"
    contract.problems()                                   # [] when the table agrees

The built-in contract is the generated code in `mxgw._proto`, and this is the one module
that imports it at run time (`_types` names its classes for type checkers). A contract loaded at run time (issue 12: a descriptor set, server
reflection) is another pool behind the same methods; `problems()` is its load-time check.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar, cast

from google.protobuf import message_factory
from google.protobuf.descriptor import FieldDescriptor

from ._table import ENUMS, MESSAGES, METHODS, ONEOFS, Enum, Message, Method, fields, named

if TYPE_CHECKING:
    from google.protobuf import descriptor_pb2
    from google.protobuf.descriptor import Descriptor, FileDescriptor
    from google.protobuf.descriptor_pool import DescriptorPool

M = TypeVar("M", bound=Message)



def whole_table() -> None:
    """Import every part of the table (a command imports only the parts it uses)."""
    from . import _galaxy_names, _names  # noqa: F401 - importing them fills the table


def services() -> tuple[str, ...]:
    """The services the tool calls, by full name (what server reflection lists)."""
    whole_table()
    return tuple(dict.fromkeys(rpc.service for rpc in METHODS))

# Annotation of a scalar field in the table -> its wire type.
_SCALARS = {
    "str": FieldDescriptor.TYPE_STRING, "bool": FieldDescriptor.TYPE_BOOL,
    "Int32": FieldDescriptor.TYPE_INT32, "Int64": FieldDescriptor.TYPE_INT64,
    "UInt64": FieldDescriptor.TYPE_UINT64, "Float": FieldDescriptor.TYPE_FLOAT,
    "Double": FieldDescriptor.TYPE_DOUBLE, "Bytes": FieldDescriptor.TYPE_BYTES,
}


class Contract:
    """Message classes, enum values and rpcs of one contract, for the table's names."""

    def __init__(self, pool: DescriptorPool, files: Sequence[FileDescriptor], *,
                 source: str, python_names: dict[str, Any] | None = None) -> None:
        self.source = source  # "built-in" (issue 12: "file ...", "fetched ...")
        self._pool = pool
        self._files = tuple(files)
        self._python_names = dict(python_names or {})
        self._classes: dict[type[Any], type[Any]] = {}
        self._numbers: dict[str, dict[str, int]] = {}
        self._short: dict[str, dict[int, str]] = {}

    @classmethod
    @functools.cache
    def builtin(cls) -> Contract:
        """The contract `proto/` describes, compiled into mxgw._proto."""
        from google.protobuf import descriptor_pool

        from .._proto import galaxy_pb2, galaxy_pb2_grpc, gateway_pb2, gateway_pb2_grpc

        modules = {"gateway_pb2": gateway_pb2, "gateway_pb2_grpc": gateway_pb2_grpc,
                   "galaxy_pb2": galaxy_pb2, "galaxy_pb2_grpc": galaxy_pb2_grpc}
        return cls(descriptor_pool.Default(), [gateway_pb2.DESCRIPTOR, galaxy_pb2.DESCRIPTOR],
                   source="built-in", python_names=modules)

    def __repr__(self) -> str:
        return f"<Contract {self.source}>"

    # ------------------------------------------------------------ messages

    def descriptor(self, spec: type[Any]) -> Descriptor:
        return self._pool.FindMessageTypeByName(MESSAGES[spec])

    def cls(self, spec: type[M]) -> type[M]:
        """The message class for a table message (`n.MxValue` -> the contract's MxValue)."""
        found = self._classes.get(spec)
        if found is None:
            found = self._classes[spec] = message_factory.GetMessageClass(
                self.descriptor(spec))
        return cast("type[M]", found)  # a class the table's Protocol describes

    def new(self, spec: type[M]) -> M:
        return self.cls(spec)()

    # ------------------------------------------------------------ enums

    def number(self, enum: Enum, value: str) -> int:
        """The number of a value the table names (KeyError for any other: add it there)."""
        numbers = self._numbers.get(enum.full_name)
        if numbers is None:
            values = self._pool.FindEnumTypeByName(enum.full_name).values_by_name
            numbers = self._numbers[enum.full_name] = {
                v: values[enum.prefix + v].number for v in enum.values
                if enum.prefix + v in values}
        return numbers[value]

    def short_names(self, enum: Enum) -> dict[int, str]:
        """Every value of the contract's enum by number, without the prefix."""
        short = self._short.get(enum.full_name)
        if short is None:
            found = self._pool.FindEnumTypeByName(enum.full_name)
            short = self._short[enum.full_name] = {
                v.number: v.name.removeprefix(enum.prefix) for v in found.values}
        return short

    def short_name(self, enum: Enum, number: int) -> str:
        """`MX_EVENT_FAMILY_ON_DATA_CHANGE` -> "ON_DATA_CHANGE"; a number the contract does
        not name -> its digits."""
        return self.short_names(enum).get(number) or str(number)

    # ------------------------------------------------------------ rpcs and files

    def method_classes(self, rpc: Method[Any, Any]) -> tuple[type[Any], type[Any]]:
        """(request class, response class) of an rpc row."""
        return self.cls(rpc.request), self.cls(rpc.response)

    def files(self) -> list[descriptor_pb2.FileDescriptorProto]:
        """The contract's proto files (what `mxgw contract` shows and diffs)."""
        from google.protobuf import descriptor_pb2  # 25 ms: only `contract` needs it

        protos = []
        for file in self._files:
            proto = descriptor_pb2.FileDescriptorProto()
            file.CopyToProto(proto)
            protos.append(proto)
        return protos

    def python_names(self) -> dict[str, Any]:
        """Modules (or namespaces) of message classes, for the REPL's namespace."""
        return dict(self._python_names)

    # ------------------------------------------------------------ the table's check

    def problems(self) -> list[str]:
        """Every name of the table that this contract lacks or types differently, by full
        name (`mxaccess_gateway.v1.MxValue.int32_value: missing`); [] when it agrees."""
        whole_table()
        found: list[str] = []
        for spec, full_name in MESSAGES.items():
            try:
                descriptor = self.descriptor(spec)
            except KeyError:
                found.append(f"{full_name}: missing")
                continue
            for name in ONEOFS.get(spec, ()):
                if name not in descriptor.oneofs_by_name:
                    found.append(f"{full_name}.{name}: missing (a oneof)")
            for name, annotation in fields(spec).items():
                field = descriptor.fields_by_name.get(name)
                problem = "missing" if field is None else _mismatch(field, annotation)
                if problem:
                    found.append(f"{full_name}.{name}: {problem}")
        for enum in ENUMS.values():
            try:
                values = self._pool.FindEnumTypeByName(enum.full_name).values_by_name
            except KeyError:
                found.append(f"{enum.full_name}: missing")
                continue
            found += [f"{enum.full_name}.{enum.prefix}{v}: missing" for v in enum.values
                      if enum.prefix + v not in values]
        for rpc in METHODS:
            found += self._method_problems(rpc)
        return found

    def _method_problems(self, rpc: Method[Any, Any]) -> list[str]:
        name = f"{rpc.service}.{rpc.name}"
        try:
            service = self._pool.FindServiceByName(rpc.service)
        except KeyError:
            return [f"{rpc.service}: missing"]
        found = service.methods_by_name.get(rpc.name)
        if found is None:
            return [f"{name}: missing"]
        wanted = (MESSAGES[rpc.request], MESSAGES[rpc.response], rpc.server_streaming, False)
        actual = (found.input_type.full_name, found.output_type.full_name,
                  found.server_streaming, found.client_streaming)
        if wanted == actual:
            return []
        def shape(request: str, response: str, stream: bool) -> str:
            return f"({request}) -> {'stream ' if stream else ''}{response}"

        return [f"{name}: is {shape(*actual[:3])}, the tool needs {shape(*wanted[:3])}"]


def _mismatch(field: FieldDescriptor, annotation: str) -> str:
    """Why `field` is not what the table's annotation says ("" when it is)."""
    repeated = annotation.startswith("Repeated[")
    inner = annotation.removeprefix("Repeated[").removesuffix("]") if repeated else annotation
    if field.is_repeated != repeated:
        return "is repeated" if field.is_repeated else "is not repeated"
    if inner in _SCALARS:
        ok = field.type == _SCALARS[inner]
        wanted = inner.lower()
    elif inner in ENUMS:
        wanted = ENUMS[inner].full_name
        ok = field.enum_type is not None and field.enum_type.full_name == wanted
    else:
        spec = named(inner)
        if spec is None:
            raise TypeError(f"the table annotates a field with {annotation!r}: no such type")
        wanted = MESSAGES[spec]
        ok = field.message_type is not None and field.message_type.full_name == wanted
    return "" if ok else f"has another type (the tool needs {wanted})"
