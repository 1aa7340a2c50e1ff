"""Ask a gateway by gRPC server reflection for its service list and its descriptors.

Each request is one call on the v1 service and, when that is not served (older
grpcio-reflection serves only v1alpha), on v1alpha. The two reflection protocols are the
same messages under two package names, so one set of message classes, built here from a
minimal descriptor (the fields used, with their real numbers) in a pool of its own,
serves both; no reflection package is needed.

    found = await list_services(client.channel, metadata, timeout=5.0)
    if found is None: ...     # the gateway offers no reflection (UNIMPLEMENTED)
    found = await fetch_files(channel, metadata, 5.0, ["mxaccess_gateway.v1.MxAccessGateway"])
    service, files, undescribed = found   # files: serialized FileDescriptorProtos
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

from . import _errors
from ._rpc._errors import map_errors

SERVICES = ("grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection")
_METHOD = "ServerReflectionInfo"
# How a failed reflection call is reported: by default as "server reflection: ..."; the
# contract check before a call reports it as that call's failure ("open session: ...").
Errors = Callable[[], contextlib.AbstractContextManager[None]]


def _own_errors() -> contextlib.AbstractContextManager[None]:
    return map_errors("server reflection")


@cache
def _messages() -> tuple[Any, Any]:
    """(ServerReflectionRequest, ServerReflectionResponse) classes, fields as in
    grpc/reflection/v1/reflection.proto."""
    f = descriptor_pb2.FieldDescriptorProto
    file = descriptor_pb2.FileDescriptorProto(name="mxgw_reflection_probe.proto",
                                              package="mxgw.reflection_probe", syntax="proto3")

    def message(name: str, *fields: tuple[str, int, int, str, int | None, bool]) -> None:
        msg = file.message_type.add(name=name)
        if any(oneof is not None for *_, oneof, _ in fields):
            msg.oneof_decl.add(name="message")
        for field_name, number, kind, type_name, oneof, repeated in fields:
            field = msg.field.add(name=field_name, number=number, type=kind,
                                  label=f.LABEL_REPEATED if repeated else f.LABEL_OPTIONAL)
            if type_name:
                field.type_name = f".mxgw.reflection_probe.{type_name}"
            if oneof is not None:
                field.oneof_index = oneof

    message("ServerReflectionRequest", ("host", 1, f.TYPE_STRING, "", None, False),
            ("file_by_filename", 3, f.TYPE_STRING, "", 0, False),
            ("file_containing_symbol", 4, f.TYPE_STRING, "", 0, False),
            ("list_services", 7, f.TYPE_STRING, "", 0, False))
    message("FileDescriptorResponse",
            ("file_descriptor_proto", 1, f.TYPE_BYTES, "", None, True))
    message("ServiceResponse", ("name", 1, f.TYPE_STRING, "", None, False))
    message("ListServiceResponse",
            ("service", 1, f.TYPE_MESSAGE, "ServiceResponse", None, True))
    message("ErrorResponse", ("error_code", 1, f.TYPE_INT32, "", None, False),
            ("error_message", 2, f.TYPE_STRING, "", None, False))
    message("ServerReflectionResponse", ("valid_host", 1, f.TYPE_STRING, "", None, False),
            ("file_descriptor_response", 4, f.TYPE_MESSAGE, "FileDescriptorResponse", 0,
             False),
            ("list_services_response", 6, f.TYPE_MESSAGE, "ListServiceResponse", 0, False),
            ("error_response", 7, f.TYPE_MESSAGE, "ErrorResponse", 0, False))
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    return tuple(  # type: ignore[return-value]
        message_factory.GetMessageClass(pool.FindMessageTypeByName(
            f"mxgw.reflection_probe.{name}"))
        for name in ("ServerReflectionRequest", "ServerReflectionResponse"))


# grpc's NOT_FOUND in a reflection error_response: the server does not know the symbol.
NOT_FOUND = 5


class ReflectionError(_errors.MxGatewayCommandError):
    """The reflection service answered with an error_response (`code` is a grpc code)."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


async def _ask(channel: grpc.aio.Channel, service: str,
               metadata: Sequence[tuple[str, str]], timeout: float, errors: Errors,
               **request: str) -> Any:
    """One reflection request's answer (an error_response raises ReflectionError)."""
    request_class, response_class = _messages()
    # ServerReflectionInfo is a bidi stream, called here as unary-stream: on the wire that
    # is one request and a half-close, which the server answers as usual. A bidi call's
    # separate write can race a server that answers UNIMPLEMENTED at once, and grpc then
    # reports INTERNAL "Internal error from Core" instead of the server's status.
    call: Any = channel.unary_stream(
        f"/{service}/{_METHOD}", request_serializer=request_class.SerializeToString,
        response_deserializer=response_class.FromString)(
            request_class(**request), metadata=tuple(metadata), timeout=timeout)
    try:
        with errors():
            reply = await call.read()
    finally:
        call.cancel()
    if reply is grpc.aio.EOF:
        raise _errors.MxGatewayCommandError(
            f"server reflection: no answer to {', '.join(request)}")
    if reply.WhichOneof("message") == "error_response":
        raise ReflectionError(
            f"server reflection: error {reply.error_response.error_code}: "
            f"{reply.error_response.error_message}", reply.error_response.error_code)
    return reply


async def _first_served(channel: grpc.aio.Channel, metadata: Sequence[tuple[str, str]],
                        timeout: float, errors: Errors, requests: Sequence[dict[str, str]]
                        ) -> tuple[str, list[Any]] | None:
    """(the reflection service that answered, its answer to each request: None for a
    NOT_FOUND error_response), v1 first; None when neither is served (UNIMPLEMENTED).
    The requests go out together (one round trip, not one per request, when v1 is
    served); both attempts together take at most `timeout` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    for service in SERVICES:
        left = max(0.001, deadline - loop.time())
        answers = await asyncio.gather(
            *(_ask(channel, service, metadata, left, errors, **request)
              for request in requests), return_exceptions=True)
        failures = [a for a in answers if isinstance(a, BaseException)
                    and not (isinstance(a, ReflectionError) and a.code == NOT_FOUND)]
        unimplemented = [a for a in failures if isinstance(a, _errors.MxGatewayError)
                         and not isinstance(a, ReflectionError)
                         and a.grpc_code == "UNIMPLEMENTED"]
        if len(unimplemented) < len(failures):
            raise next(a for a in failures if a not in unimplemented)
        if not unimplemented:
            return service, [None if isinstance(a, BaseException) else a for a in answers]
    return None


async def list_services(channel: grpc.aio.Channel, metadata: Sequence[tuple[str, str]],
                        timeout: float) -> tuple[str, list[str]] | None:
    """(the reflection service that answered, the services the server lists), or None when
    it serves neither reflection version (UNIMPLEMENTED). Other failures raise the mapped
    MxGatewayError. Both attempts together take at most `timeout` seconds."""
    found = await _first_served(channel, metadata, timeout, _own_errors,
                                [{"list_services": ""}])
    if found is None:
        return None
    service, [reply] = found
    if reply is None:
        raise _errors.MxGatewayCommandError("server reflection: list_services not found")
    return service, sorted(s.name for s in reply.list_services_response.service)


async def fetch_files(channel: grpc.aio.Channel, metadata: Sequence[tuple[str, str]],
                      timeout: float, services: Sequence[str], errors: Errors | None = None
                      ) -> tuple[str, list[bytes], list[str]] | None:
    """The proto files that define `services`, with their imports: (the reflection
    service that answered, the files as serialized FileDescriptorProtos, the services it
    does not know), or None when the gateway offers no reflection (UNIMPLEMENTED).

    One request per service, all at once (v1 first, then v1alpha), then one per import
    the answers did not include; protobuf's own well-known files are not asked for.
    Other failures raise the mapped MxGatewayError (through `errors`; None: as "server
    reflection"), within `timeout` seconds in all."""
    report = errors or _own_errors
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout

    def left() -> float:
        return max(0.001, deadline - loop.time())

    files: dict[str, bytes] = {}
    undescribed: list[str] = []

    def take(reply: Any) -> None:
        for data in reply.file_descriptor_response.file_descriptor_proto:
            proto = descriptor_pb2.FileDescriptorProto.FromString(data)
            files.setdefault(proto.name, data)

    async def ask(service: str, **request: str) -> Any:
        try:
            return await _ask(channel, service, metadata, left(), report, **request)
        except ReflectionError as exc:
            if exc.code != NOT_FOUND:
                raise
            return None

    first = await _first_served(channel, metadata, timeout, report,
                                [{"file_containing_symbol": name} for name in services])
    if first is None:
        return None
    reflection, replies = first
    for name, reply in zip(services, replies, strict=True):
        if reply is None:
            undescribed.append(name)
        else:
            take(reply)
    asked: set[str] = set()
    while True:
        wanted = sorted({dependency for data in files.values()
                         for dependency in descriptor_pb2.FileDescriptorProto.FromString(
                             data).dependency
                         if dependency not in files
                         and not dependency.startswith("google/protobuf/")})
        if not wanted:
            return reflection, list(files.values()), undescribed
        if asked.intersection(wanted):
            raise _errors.MxGatewayCommandError(
                f"server reflection: {min(asked.intersection(wanted))} is imported "
                "but not served")
        asked.update(wanted)
        for name, reply in zip(wanted, await asyncio.gather(
                *(ask(reflection, file_by_filename=name) for name in wanted)), strict=True):
            if reply is None:
                raise _errors.MxGatewayCommandError(
                    f"server reflection: {name} is imported but not served")
            take(reply)
