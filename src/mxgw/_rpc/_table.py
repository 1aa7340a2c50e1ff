"""The machinery of the seam's table of proto names (`_names`, `_galaxy_names`).

Every message the tool builds or reads is a Protocol class decorated with
`@message(PACKAGE)`: its annotated attributes are exactly the fields the code touches, so
mypy refuses a field that is not in the table, and `Contract.problems()` checks each one
(name, type, label) against the contract in use. Every enum is an `Enum` row naming the
values the code sends or compares (the contract encodes no other); decoding shows whatever
the contract names. Every rpc is a `Method` row; the call layer makes its stubs from these.

Annotations are proto types: `Int32`, `UInt64`, ... are `int` to mypy and name the wire
type to the check; an enum field is annotated with its enum's name (an alias of `int`),
a repeated field with `Repeated[...]`, a message field with its Protocol class.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from typing import Protocol
else:
    class Protocol:
        """At run time the table's classes are plain: they are descriptions (read by the
        contract's check, never instantiated or isinstance-checked), and a one-shot
        command imports all of them, so they should cost what a plain class costs
        rather than what a typing.Protocol does. mypy sees typing.Protocol."""

        def __class_getitem__(cls, item: object) -> type:
            return cls

__all__ = ["ENUMS", "MESSAGES", "METHODS", "ONEOFS", "Bytes", "Double", "Enum", "Float",
           "Int32", "Int64", "Message", "Method", "Protocol", "Repeated", "UInt64", "enum",
           "fields", "message", "method", "named"]

# Wire types (mypy sees the Python type; the check reads the annotation's text).
Int32 = int
Int64 = int
UInt64 = int
Float = float
Double = float
Bytes = bytes

T = TypeVar("T")
M = TypeVar("M", bound="Message")


class Repeated(Protocol[T]):
    """A repeated field."""

    def __iter__(self) -> Iterator[T]: ...
    def __len__(self) -> int: ...
    def __getitem__(self, index: int) -> T: ...
    def extend(self, values: Iterable[T]) -> None: ...
    def add(self) -> T: ...


class Message(Protocol):
    """What every message offers (protobuf's Message API, the part the seam calls)."""

    def HasField(self, field_name: str) -> bool: ...
    def WhichOneof(self, oneof_group: str) -> str | None: ...
    def CopyFrom(self, other_msg: Any) -> None: ...
    def SetInParent(self) -> None: ...


MESSAGES: dict[type[Any], str] = {}  # Protocol class -> full message name
ONEOFS: dict[type[Any], tuple[str, ...]] = {}  # oneof groups the code asks WhichOneof about


def message(package: str, *oneofs: str) -> Callable[[type[M]], type[M]]:
    """Register a Protocol class as the message `package.ClassName` (with its oneofs)."""

    def register(cls: type[M]) -> type[M]:
        MESSAGES[cls] = f"{package}.{cls.__name__}"
        if oneofs:
            ONEOFS[cls] = oneofs
        return cls

    return register


class Enum:
    """An enum and the values the code names (without the SCREAMING_SNAKE prefix).

    A plain class, as the table's others: made at every start of a one-shot command."""

    __slots__ = ("full_name", "prefix", "values")

    def __init__(self, full_name: str, values: tuple[str, ...]) -> None:
        self.full_name = full_name
        self.values = values
        # MxCommandKind -> MX_COMMAND_KIND_ (the proto3 style the contract follows).
        name = full_name.rsplit(".", 1)[1]
        self.prefix = "".join("_" + c if c.isupper() and i else c
                              for i, c in enumerate(name)).upper() + "_"

    def __repr__(self) -> str:
        return f"Enum({self.full_name!r}, {self.values!r})"


ENUMS: dict[str, Enum] = {}


def enum(package: str, name: str, *values: str) -> Enum:
    row = ENUMS[name] = Enum(f"{package}.{name}", values)
    return row


Q = TypeVar("Q", bound=Message)
R = TypeVar("R", bound=Message)


class Method(Generic[Q, R]):
    """One rpc: its service, name, request and response messages, and whether the
    server streams the response."""

    __slots__ = ("name", "path", "request", "response", "server_streaming", "service")

    def __init__(self, service: str, name: str, request: type[Q], response: type[R],
                 server_streaming: bool = False) -> None:
        self.service, self.name = service, name
        self.request, self.response = request, response
        self.server_streaming = server_streaming
        self.path = f"/{service}/{name}"

    def __repr__(self) -> str:
        return f"Method({self.path!r})"


METHODS: list[Method[Any, Any]] = []


def method(service: str, name: str, request: type[Q], response: type[R], *,
           stream: bool = False) -> Method[Q, R]:
    row = Method(service, name, request, response, stream)
    METHODS.append(row)
    return row


def fields(cls: type[Any]) -> dict[str, str]:
    """A table message's fields and their annotations (as written), in declaration order
    (those of a shared part it derives from first)."""
    found: dict[str, str] = {}
    for part in reversed(cls.__mro__):
        if part is not Message and Message in part.__mro__:
            found.update((name, str(kind))
                         for name, kind in inspect.get_annotations(part).items())
    return found


def named(name: str) -> type[Any] | None:
    """The table's message whose Protocol class is `name` (None: not a message, a scalar)."""
    return next((cls for cls in MESSAGES if cls.__name__ == name), None)
