"""The contract one simulator speaks: `Wire`, handed to every state object that builds
or reads messages.

    wire = load_wire(None)                       # the built-in contract (mxgw._proto)
    wire = load_wire("gateway.protoset")         # `mxgw sim --contract FILE`
    wire.pb.MxValue(...), wire.gpb.GalaxyObject(...)   # that contract's classes
    wire.values.to_mx(...), wire.status.ok_status(), wire.events.data_change_fragment(...)

Per simulator, not per process: two simulators with different contracts serve side by
side in one test process. `wire.pb` / `wire.gpb` are shaped as mxgw._proto's
`gateway_pb2` / `galaxy_pb2` (message classes, enum wrappers, enum values), so the code
reads the same whichever contract it speaks; for the built-in contract they are those
modules. A contract must have every message, field, enum value and rpc of the built-in
one, by name and type (the simulator fills them all); numbers may differ: that is the
point (`problems`).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from mxgw._rpc._contract import Contract, refusal, rpc_shape, where_of
from mxgw._rpc._table import Enum as _EnumRow

from ._events import EventCodec
from ._status import Statuses
from ._values import Values

if TYPE_CHECKING:
    from google.protobuf.descriptor import (
        Descriptor,
        FieldDescriptor,
        FileDescriptor,
        ServiceDescriptor,
    )
    from google.protobuf.descriptor_pool import DescriptorPool

ContractSource = str | os.PathLike[str] | Contract
GATEWAY_PACKAGE = "mxaccess_gateway.v1"
T = TypeVar("T")


class Wire:
    """Message classes, enum numbers and encoders of one contract."""

    def __init__(self, contract: Contract) -> None:
        names = contract.python_names()
        self.contract = contract
        self.pb: Any = names["gateway_pb2"]
        self.gpb: Any = names["galaxy_pb2"]
        self.pool: DescriptorPool = contract.pool
        self.values = Values(self.pb)
        self.status = Statuses(self.pb)
        self.events = EventCodec(self.pb, self.values, self.status)

    @classmethod
    @functools.cache
    def builtin(cls) -> Wire:
        return cls(Contract.builtin())

    def service(self, full_name: str) -> ServiceDescriptor:
        return self.pool.FindServiceByName(full_name)

    def number(self, enum: str, name: str) -> int:
        """`number("SessionState", "READY")` -> the contract's SESSION_STATE_READY."""
        wrapper = getattr(self.pb, enum)
        return int(wrapper.Value(_prefix(enum) + name))

    def __repr__(self) -> str:
        return f"<Wire {self.contract!r}>"


def load_wire(source: ContractSource | None) -> Wire:
    """The built-in contract for None; else a descriptor set file (or a loaded Contract),
    checked against what the simulator fills (MxGatewayContractError, exit 6, naming
    each name it lacks; MxGatewayConfigError for a file that is no descriptor set)."""
    if source is None or source is Contract.builtin():
        return Wire.builtin()
    contract = source if isinstance(source, Contract) else Contract.load(source, check=False)
    found = problems(contract)
    if found:
        raise refusal(f"contract {where_of(contract)} disagrees with the simulator", found)
    return Wire(contract)


def problems(contract: Contract) -> list[str]:
    """Every message, field, oneof, enum value and rpc of the built-in contract that
    `contract` lacks or types differently, by full name; [] when it has them all."""
    builtin = Wire.builtin()
    theirs = contract.pool
    found: list[str] = []
    for file in (builtin.pb.DESCRIPTOR, builtin.gpb.DESCRIPTOR):
        found += _file_problems(file, theirs)
    return found


def _file_problems(file: FileDescriptor, theirs: DescriptorPool) -> list[str]:
    found: list[str] = []
    for message in file.message_types_by_name.values():
        found += _message_problems(message, theirs)
    for enum in file.enum_types_by_name.values():
        other = _find(theirs.FindEnumTypeByName, enum.full_name, found)
        if other is not None:
            found += [f"{enum.full_name}.{value.name}: missing" for value in enum.values
                      if value.name not in other.values_by_name]
    for service in file.services_by_name.values():
        other_service = _find(theirs.FindServiceByName, service.full_name, found)
        if other_service is None:
            continue
        for method in service.methods:
            other_method = other_service.methods_by_name.get(method.name)
            name = f"{service.full_name}.{method.name}"
            if other_method is None:
                found.append(f"{name}: missing")
            elif _method_shape(other_method) != _method_shape(method):
                found.append(f"{name}: is {_method_shape(other_method)}, the simulator "
                             f"needs {_method_shape(method)}")
    return found


def _find(lookup: Callable[[str], T], full_name: str, found: list[str]) -> T | None:
    """`lookup(full_name)`, or None with `full_name: missing` added to `found`."""
    try:
        return lookup(full_name)
    except KeyError:
        found.append(f"{full_name}: missing")
        return None


def _message_problems(message: Descriptor, theirs: DescriptorPool) -> list[str]:
    found: list[str] = []
    other = _find(theirs.FindMessageTypeByName, message.full_name, found)
    if other is None:
        return found
    for field in message.fields:
        name = f"{message.full_name}.{field.name}"
        other_field = other.fields_by_name.get(field.name)
        if other_field is None:
            found.append(f"{name}: missing")
        elif _shape(other_field) != _shape(field):
            found.append(f"{name}: is {_shape(other_field)}, the simulator needs "
                         f"{_shape(field)}")
    for oneof in message.oneofs:
        if oneof.name.startswith("_"):
            continue  # proto3 `optional`: a oneof of its own that the code never names
        other_oneof = other.oneofs_by_name.get(oneof.name)
        if other_oneof is None:
            found.append(f"{message.full_name}.{oneof.name}: missing (a oneof)")
            continue
        members = {f.name for f in other_oneof.fields}
        found += [f"{message.full_name}.{f.name}: not in the oneof {oneof.name}"
                  for f in oneof.fields if f.name not in members
                  and f.name in other.fields_by_name]
    return found


def _shape(field: FieldDescriptor) -> str:
    """`repeated mxaccess_gateway.v1.MxValue`, `int32`: a field's type and label."""
    kind = (field.message_type.full_name if field.message_type is not None
            else field.enum_type.full_name if field.enum_type is not None
            else _TYPE_NAMES.get(field.type, str(field.type)))
    return f"repeated {kind}" if field.is_repeated else kind


def _method_shape(method: Any) -> str:
    return rpc_shape(method.input_type.full_name, method.output_type.full_name,
                     method.server_streaming, method.client_streaming)


def _prefix(enum: str) -> str:
    """MxEventFamily -> MX_EVENT_FAMILY_ (the seam's rule for the proto3 enum style)."""
    return _EnumRow(f"{GATEWAY_PACKAGE}.{enum}", ()).prefix


def _type_names() -> dict[int, str]:
    from google.protobuf.descriptor import FieldDescriptor

    return {number: name.removeprefix("TYPE_").lower()
            for name, number in vars(FieldDescriptor).items()
            if name.startswith("TYPE_") and isinstance(number, int)}


_TYPE_NAMES = _type_names()
