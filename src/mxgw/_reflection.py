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
from google.protobuf import descriptor_pool, message_factory

from . import _errors
from ._rpc._errors import map_errors

SERVICES = ("grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection")
_METHOD = "ServerReflectionInfo"
# How a failed reflection call is reported: by default as "server reflection: ..."; the
# contract check before a call reports it as that call's failure ("open session: ...").
Errors = Callable[[], contextlib.AbstractContextManager[None]]


def _own_errors() -> contextlib.AbstractContextManager[None]:
    return map_errors("server reflection")


# The messages of grpc/reflection/v1/reflection.proto this module uses (the fields used,
# with their real numbers), in a file of their own (package mxgw.reflection_probe), and
# FileHeader: the name (1) and imports (3) of a FileDescriptorProto, all this module
# reads of the files it fetches. Serialized, as protoc's generated modules hold their
# files: building it here would import descriptor_pb2, ~2 ms of every one-shot command's
# contract check. tests/sim/test_sim_reflection.py checks each field against grpc's own
# reflection.proto and protobuf's descriptor.proto.
#   ServerReflectionRequest { host = 1; oneof message { file_by_filename = 3;
#                             file_containing_symbol = 4; list_services = 7; } }
#   ServerReflectionResponse { valid_host = 1; oneof message {
#       FileDescriptorResponse file_descriptor_response = 4 { repeated bytes
#           file_descriptor_proto = 1; }
#       ListServiceResponse list_services_response = 6 { repeated ServiceResponse
#           service = 1 { name = 1; } }
#       ErrorResponse error_response = 7 { int32 error_code = 1; error_message = 2; } } }
PROBE = (
    b'\n\x1bmxgw_reflection_probe.proto\x12\x15mxgw.reflection_probe"\x89\x01\n\x17Ser'
    b"verReflectionRequest\x12\x0c\n\x04host\x18\x01 \x01(\t\x12\x1a\n\x10file_by_file"
    b"name\x18\x03 \x01(\tH\x00\x12 \n\x16file_containing_symbol\x18\x04 \x01(\tH\x00"
    b'\x12\x17\n\rlist_services\x18\x07 \x01(\tH\x00B\t\n\x07message"7\n\x16FileDescri'
    b'ptorResponse\x12\x1d\n\x15file_descriptor_proto\x18\x01 \x03(\x0c"\x1f\n\x0fServ'
    b'iceResponse\x12\x0c\n\x04name\x18\x01 \x01(\t"N\n\x13ListServiceResponse\x127\n'
    b'\x07service\x18\x01 \x03(\x0b2&.mxgw.reflection_probe.ServiceResponse":\n\rError'
    b"Response\x12\x12\n\nerror_code\x18\x01 \x01(\x05\x12\x15\n\rerror_message\x18"
    b'\x02 \x01(\t"\x9a\x02\n\x18ServerReflectionResponse\x12\x12\n\nvalid_host\x18'
    b"\x01 \x01(\t\x12Q\n\x18file_descriptor_response\x18\x04 \x01(\x0b2-.mxgw.reflect"
    b"ion_probe.FileDescriptorResponseH\x00\x12L\n\x16list_services_response\x18\x06 "
    b"\x01(\x0b2*.mxgw.reflection_probe.ListServiceResponseH\x00\x12>\n\x0eerror_respo"
    b"nse\x18\x07 \x01(\x0b2$.mxgw.reflection_probe.ErrorResponseH\x00B\t\n\x07message"
    b'".\n\nFileHeader\x12\x0c\n\x04name\x18\x01 \x01(\t\x12\x12\n\ndependency\x18\x03'
    b" \x03(\tb\x06proto3"
)


@cache
def _messages() -> tuple[Any, Any, Any]:
    """(ServerReflectionRequest, ServerReflectionResponse, FileHeader) classes."""
    pool = descriptor_pool.DescriptorPool()
    pool.AddSerializedFile(PROBE)
    return tuple(  # type: ignore[return-value]
        message_factory.GetMessageClass(pool.FindMessageTypeByName(
            f"mxgw.reflection_probe.{name}"))
        for name in ("ServerReflectionRequest", "ServerReflectionResponse", "FileHeader"))


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
    request_class, response_class, _ = _messages()
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
    imports: dict[str, list[str]] = {}
    undescribed: list[str] = []
    header = _messages()[2]

    def take(reply: Any) -> None:
        for data in reply.file_descriptor_response.file_descriptor_proto:
            found = header.FromString(data)
            if found.name not in files:
                files[found.name], imports[found.name] = data, list(found.dependency)

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
        wanted = sorted({dependency for names in imports.values() for dependency in names
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
