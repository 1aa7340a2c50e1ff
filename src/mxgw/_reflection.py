"""Ask a gateway whether it offers gRPC server reflection, and for its service list.

Only what `mxgw doctor` needs today: one `list_services` request, on the v1 service and,
when that is not served (grpcio-reflection serves only v1alpha), on v1alpha. The two
reflection protocols are the same messages under two package names, so one set of message
classes, built here from a minimal descriptor (the fields used, with their real numbers)
in a pool of its own, serves both; no reflection package is needed.

    services = await list_services(client.channel, metadata, timeout=5.0)
    if services is None: ...     # the gateway offers no reflection (UNIMPLEMENTED)
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from functools import cache
from typing import Any

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

from . import _errors, _rpc

SERVICES = ("grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection")
_METHOD = "ServerReflectionInfo"


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
            ("list_services", 7, f.TYPE_STRING, "", 0, False))
    message("ServiceResponse", ("name", 1, f.TYPE_STRING, "", None, False))
    message("ListServiceResponse",
            ("service", 1, f.TYPE_MESSAGE, "ServiceResponse", None, True))
    message("ErrorResponse", ("error_code", 1, f.TYPE_INT32, "", None, False),
            ("error_message", 2, f.TYPE_STRING, "", None, False))
    message("ServerReflectionResponse", ("valid_host", 1, f.TYPE_STRING, "", None, False),
            ("list_services_response", 6, f.TYPE_MESSAGE, "ListServiceResponse", 0, False),
            ("error_response", 7, f.TYPE_MESSAGE, "ErrorResponse", 0, False))
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    return tuple(  # type: ignore[return-value]
        message_factory.GetMessageClass(pool.FindMessageTypeByName(
            f"mxgw.reflection_probe.{name}"))
        for name in ("ServerReflectionRequest", "ServerReflectionResponse"))


async def _ask(channel: grpc.aio.Channel, service: str,
               metadata: Sequence[tuple[str, str]], timeout: float) -> list[str]:
    request_class, response_class = _messages()
    # ServerReflectionInfo is a bidi stream, called here as unary-stream: on the wire that
    # is one request and a half-close, which the server answers as usual. A bidi call's
    # separate write can race a server that answers UNIMPLEMENTED at once, and grpc then
    # reports INTERNAL "Internal error from Core" instead of the server's status.
    call: Any = channel.unary_stream(
        f"/{service}/{_METHOD}", request_serializer=request_class.SerializeToString,
        response_deserializer=response_class.FromString)(
            request_class(list_services=""), metadata=tuple(metadata), timeout=timeout)
    try:
        with _rpc.map_errors("server reflection"):
            reply = await call.read()
    finally:
        call.cancel()
    if reply is grpc.aio.EOF:
        raise _errors.MxGatewayCommandError("server reflection: no answer to list_services")
    if reply.WhichOneof("message") == "error_response":
        raise _errors.MxGatewayCommandError(
            f"server reflection: error {reply.error_response.error_code}: "
            f"{reply.error_response.error_message}")
    return sorted(s.name for s in reply.list_services_response.service)


async def list_services(channel: grpc.aio.Channel, metadata: Sequence[tuple[str, str]],
                        timeout: float) -> tuple[str, list[str]] | None:
    """(the reflection service that answered, the services the server lists), or None when
    it serves neither reflection version (UNIMPLEMENTED). Other failures raise the mapped
    MxGatewayError. Both attempts together take at most `timeout` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    for service in SERVICES:
        try:
            return service, await _ask(channel, service, metadata,
                                       max(0.001, deadline - loop.time()))
        except _errors.MxGatewayError as exc:
            if exc.grpc_code != "UNIMPLEMENTED":
                raise
    return None
