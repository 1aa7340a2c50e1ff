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
import os
import types
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar, cast

from google.protobuf import message_factory
from google.protobuf.descriptor import FieldDescriptor

from .._errors import MxGatewayConfigError, MxGatewayContractError
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
                 source: str, python_names: dict[str, Any] | None = None,
                 details: dict[str, str] | None = None, agrees: bool = False) -> None:
        self.source = source  # "built-in", "file" or "fetched"
        # Where it came from, for `version`, `ping` and the banner: path and sha256 of a
        # file; endpoint and time of a fetch.
        self.details = dict(details or {})
        self._pool = pool
        self._files = tuple(files)
        # None: built from the files when the REPL first asks (it costs a few ms).
        self._python_names = None if python_names is None else dict(python_names)
        self._classes: dict[type[Any], type[Any]] = {}
        self._numbers: dict[str, dict[str, int]] = {}
        self._short: dict[str, dict[int, str]] = {}
        # The table's check is known to pass (problems() == []): the built-in contract
        # (tests/test_seam.py keeps it so) and any built with check. disagreements() uses it.
        self._agrees = agrees

    @classmethod
    @functools.cache
    def builtin(cls) -> Contract:
        """The contract `proto/` describes, compiled into mxgw._proto."""
        from google.protobuf import descriptor_pool

        from .._proto import galaxy_pb2, galaxy_pb2_grpc, gateway_pb2, gateway_pb2_grpc

        modules = {"gateway_pb2": gateway_pb2, "gateway_pb2_grpc": gateway_pb2_grpc,
                   "galaxy_pb2": galaxy_pb2, "galaxy_pb2_grpc": galaxy_pb2_grpc}
        return cls(descriptor_pool.Default(), [gateway_pb2.DESCRIPTOR, galaxy_pb2.DESCRIPTOR],
                   source="built-in", python_names=modules, agrees=True)

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, check: bool = True) -> Contract:
        """A descriptor set file, as `protoc --include_imports --descriptor_set_out` writes
        it (the gateway repository's `mxaccessgw-client-v1.protoset`, say).

        An unreadable file, or one that is not a descriptor set, is MxGatewayConfigError;
        with `check`, names the tool uses that the set lacks or types differently are one
        MxGatewayContractError listing each (see `problems()`).
        """
        from .._contract_file import read_file

        data, details = read_file(path)
        return cls.from_descriptor_set(data, source="file", details=details, check=check)

    @classmethod
    def from_descriptor_set(cls, data: bytes, *, source: str = "file",
                            details: dict[str, str] | None = None,
                            check: bool = True) -> Contract:
        """A serialized FileDescriptorSet (what `load` reads, what reflection sends)."""
        from google.protobuf import descriptor_pb2
        from google.protobuf.message import DecodeError

        where = _where(source, details)
        found = descriptor_pb2.FileDescriptorSet()
        try:
            found.ParseFromString(data)
        except DecodeError:
            found.Clear()
        if not found.file:
            raise MxGatewayConfigError(
                f"contract {where}: not a descriptor set (make one with protoc "
                "--include_imports --descriptor_set_out=FILE)")
        return cls.from_files(list(found.file), source=source, details=details, check=check)

    @classmethod
    def from_files(cls, protos: Sequence[descriptor_pb2.FileDescriptorProto], *,
                   source: str, details: dict[str, str] | None = None,
                   check: bool = True) -> Contract:
        """Proto files (FileDescriptorProto) in a fresh pool; imports the set does not
        carry are taken from protobuf's own well-known types, else refused."""
        from google.protobuf import descriptor_pool

        where = _where(source, details)
        pool = descriptor_pool.DescriptorPool()
        by_name = {proto.name: proto for proto in protos}
        added: set[str] = set()

        def add(name: str, chain: tuple[str, ...]) -> None:
            if name in added:
                return
            if name in chain:
                raise MxGatewayConfigError(f"contract {where}: {name} imports itself")
            proto = by_name.get(name) or _well_known(name)
            if proto is None:
                raise MxGatewayConfigError(
                    f"contract {where}: {chain[-1] if chain else name} imports {name}, "
                    "which the set does not include (make it with protoc --include_imports)")
            for dependency in proto.dependency:
                add(dependency, (*chain, name))
            try:
                pool.Add(proto)
            except (TypeError, ValueError) as exc:  # a duplicate or unresolvable name
                raise MxGatewayConfigError(f"contract {where}: {name}: {exc}") from None
            added.add(name)

        for proto in protos:
            add(proto.name, ())
        files = [pool.FindFileByName(proto.name) for proto in protos]
        contract = cls(pool, files, source=source, details=details)
        problems = contract.problems() if check else []
        if problems:
            raise refusal(f"contract {where} disagrees with the tool", problems)
        contract._agrees = check
        return contract

    def describe(self) -> dict[str, str]:
        """`{"source": "file", "path": ..., "sha256": ...}`: what `version` prints."""
        return {"source": self.source, **self.details}

    def __repr__(self) -> str:
        return f"<Contract {_where(self.source, self.details)}>"

    @property
    def pool(self) -> DescriptorPool:
        """The descriptor pool of the contract's files (what the simulator's server
        reflection answers from)."""
        return self._pool

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

    def adopt(self, spec: type[M], message: object) -> M:
        """`message` as this contract's class: itself when it is one, else copied by
        field and enum value names (a request built with the built-in classes, sent on a
        client that speaks another contract, carries the other contract's numbers)."""
        cls: Any = self.cls(spec)
        if isinstance(message, cls):
            return cast("M", message)
        from google.protobuf import text_format  # the text format names fields and values

        copied: Any = text_format.Parse(text_format.MessageToString(cast(Any, message)), cls())
        return cast("M", copied)

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
        if self._python_names is None:
            self._python_names = _namespaces(self._files)
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

    def disagreements(self, gateway: Contract,
                      packages: Sequence[str] | None = None) -> list[str]:
        """Every name of the table on which `gateway` (the gateway's own contract, from
        reflection) and this one disagree: names it lacks or types differently (what
        `problems()` finds in it), field numbers, oneof membership, enum numbers. Only
        the names under `packages` (None: all), the ones the gateway described.

            mxaccess_gateway.v1.MxValue.int32_value: number 3 here, 5 at the gateway
        """
        if self._agrees and self._serialized() == gateway._serialized():
            # Byte-identical files (a gateway built from the same proto/, the usual case)
            # that pass the table's check: nothing can differ. Saves ~4 ms of every
            # one-shot command's first call.
            return []
        whole_table()

        def wanted(name: str) -> bool:
            return packages is None or any(name.startswith(p + ".") for p in packages)

        found = [f"{problem} at the gateway" for problem in gateway.problems()
                 if wanted(problem)]
        lacking = {problem.split(":", 1)[0] for problem in found}
        for spec, full_name in MESSAGES.items():
            if not wanted(full_name) or full_name in lacking:
                continue
            ours, theirs = self.descriptor(spec), gateway.descriptor(spec)
            for name in fields(spec):
                here, there = ours.fields_by_name.get(name), theirs.fields_by_name.get(name)
                if here is None or there is None:
                    continue  # a problem of one contract, reported as such
                if here.number != there.number:
                    found.append(f"{full_name}.{name}: number {here.number} here, "
                                 f"{there.number} at the gateway")
                group, their_group = (f.containing_oneof.name if f.containing_oneof else None
                                      for f in (here, there))
                if group != their_group:
                    found.append(f"{full_name}.{name}: in oneof {group} here, "
                                 f"{their_group} at the gateway")
        for enum in ENUMS.values():
            if not wanted(enum.full_name) or enum.full_name in lacking:
                continue
            here_values = self._pool.FindEnumTypeByName(enum.full_name).values_by_name
            there_values = gateway._pool.FindEnumTypeByName(enum.full_name).values_by_name
            for value in enum.values:
                mine, theirs_value = (v.get(enum.prefix + value)
                                      for v in (here_values, there_values))
                if (mine is not None and theirs_value is not None
                        and mine.number != theirs_value.number):
                    found.append(f"{enum.full_name}.{enum.prefix}{value}: number "
                                 f"{mine.number} here, {theirs_value.number} at the gateway")
        return found

    def serves_as(self, files: Sequence[bytes], *, source: str,
                  details: dict[str, str] | None = None) -> Contract | None:
        """This contract again, as `source`, when `files` (serialized FileDescriptorProtos,
        what server reflection sends) are its own files byte for byte: every one of them
        but protobuf's well-known ones (which a gateway need not send) and nothing else,
        and this contract passes the table's check. Then nothing can differ from it
        (disagreements() would be []) and no file need be parsed: the contract check
        before every one-shot command's first call, without descriptor_pb2 (~2 ms) or a
        second descriptor pool. None when they are not (compare them, parsed)."""
        ours = self._serialized()
        sent = set(files)
        if not self._agrees or not sent <= set(ours.values()) or any(
                data not in sent for name, data in ours.items()
                if not name.startswith("google/protobuf/")):
            return None
        return Contract(self._pool, self._files, source=source, details=details,
                        agrees=True)

    def _serialized(self) -> dict[str, bytes]:
        """The contract's files and all they import, serialized, by name."""
        found: dict[str, bytes] = {}
        todo = list(self._files)
        while todo:
            file = todo.pop()
            if file.name not in found:
                found[file.name] = file.serialized_pb
                todo.extend(file.dependencies)
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
        return [f"{name}: is {rpc_shape(*actual)}, the tool needs {rpc_shape(*wanted)}"]


def refusal(subject: str, problems: Sequence[str], *, then: str = "",
            hint: str = "") -> MxGatewayContractError:
    """The one wording of a contract disagreement: `SUBJECT in N names[THEN]: a; b[ HINT]`
    (the load check, the simulator's check, the gateway's reflection)."""
    count = f"{len(problems)} name{'s' if len(problems) > 1 else ''}"
    return MxGatewayContractError(
        f"{subject} in {count}{then}: {'; '.join(problems)}{' ' + hint if hint else ''}",
        problems=problems)


def rpc_shape(request: str, response: str, server_streaming: bool,
              client_streaming: bool = False) -> str:
    """`(pkg.Request) -> stream pkg.Reply`: how a disagreeing rpc is named."""
    return (f"({'stream ' if client_streaming else ''}{request}) -> "
            f"{'stream ' if server_streaming else ''}{response}")


def where_of(contract: Contract) -> str:
    """How messages name a contract: its file's path, a fetch's endpoint, else its kind."""
    return _where(contract.source, contract.details)


def _where(source: str, details: dict[str, str] | None) -> str:
    details = details or {}
    return details.get("path") or details.get("endpoint") or source


def _well_known(name: str) -> descriptor_pb2.FileDescriptorProto | None:
    """`google/protobuf/timestamp.proto` and the like, from protobuf itself."""
    if not name.startswith("google/protobuf/"):
        return None
    import importlib

    from google.protobuf import descriptor_pb2, descriptor_pool

    module = "google.protobuf." + name.removeprefix("google/protobuf/").removesuffix(
        ".proto").replace("/", ".") + "_pb2"
    try:
        importlib.import_module(module)
        file = descriptor_pool.Default().FindFileByName(name)
    except (ImportError, KeyError):
        return None
    proto = descriptor_pb2.FileDescriptorProto()
    file.CopyToProto(proto)
    return proto


# The built-in contract's module names (mxgw._proto's), by package.
_MODULES = {"mxaccess_gateway.v1": "gateway_pb2", "galaxy_repository.v1": "galaxy_pb2"}


def _namespaces(files: Sequence[FileDescriptor]) -> dict[str, Any]:
    """A loaded contract's files as the REPL sees the generated modules: `gateway_pb2`
    with its message classes, enum wrappers and enum values (the built-in contract's
    module names, whatever the gateway's files are called)."""
    from google.protobuf.internal import enum_type_wrapper

    found: dict[str, Any] = {}
    for file in files:
        if file.package.startswith("google.protobuf"):
            continue
        stem = os.path.splitext(os.path.basename(file.name))[0]
        key = _MODULES.get(file.package, stem + "_pb2")
        # A package may span files (enums in one, messages in another): one namespace.
        space = found.get(key) or types.SimpleNamespace(DESCRIPTOR=file)
        for name, message in file.message_types_by_name.items():
            setattr(space, name, message_factory.GetMessageClass(message))
        for name, enum in file.enum_types_by_name.items():
            setattr(space, name, enum_type_wrapper.EnumTypeWrapper(enum))
            for value in enum.values:
                setattr(space, value.name, value.number)
        found[key] = space
    return found


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
