"""gRPC server reflection, v1 and v1alpha, for the contract the simulator speaks.

grpcio-reflection serves only v1alpha. v1 is the same protocol under another package name
(every message, field and number alike), so its one method is the same servicer behind a
second path: what a v1 client (grpcurl, grpc-js, `mxgw contract fetch`) and a v1alpha
client send and receive is byte for byte the same. Like grpcio's own reflection service,
and as ASP.NET Core's is usually mapped, it needs no API key.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import grpc

if TYPE_CHECKING:
    from google.protobuf.descriptor_pool import DescriptorPool

V1 = "grpc.reflection.v1.ServerReflection"
V1ALPHA = "grpc.reflection.v1alpha.ServerReflection"
SERVICES = (V1, V1ALPHA)
_METHOD = "ServerReflectionInfo"


def reflection_handlers(services: Sequence[str], pool: DescriptorPool
                        ) -> tuple[grpc.GenericRpcHandler, ...]:
    """Handlers for both reflection services, answering from `pool` (the contract's):
    the service list is `services` and the two reflection services."""
    # No stubs ship with it; the two names used here are typed at their use.
    from grpc_reflection.v1alpha import (  # type: ignore[import-untyped]
        reflection,
        reflection_pb2,
    )

    servicer: Any = reflection.aio.ReflectionServicer([*services, *SERVICES], pool=pool)
    method = grpc.stream_stream_rpc_method_handler(
        servicer.ServerReflectionInfo,
        request_deserializer=reflection_pb2.ServerReflectionRequest.FromString,
        response_serializer=reflection_pb2.ServerReflectionResponse.SerializeToString)
    return tuple(grpc.method_handlers_generic_handler(service, {_METHOD: method})
                 for service in SERVICES)
