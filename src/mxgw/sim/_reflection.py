"""gRPC server reflection, v1 and v1alpha, for the contract the simulator speaks.

grpcio-reflection serves only v1alpha. v1 is the same protocol under another package name
(every message, field and number alike), so its one method is the same servicer behind a
second path: what a v1 client (grpcurl, grpc-js, `mxgw contract fetch`) and a v1alpha
client send and receive is byte for byte the same. Like grpcio's own reflection service,
and as ASP.NET Core's is usually mapped, it needs no API key.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
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
    servicer = _Reflection([*services, *SERVICES], pool)
    # Bytes in and out: the reflection package (and descriptor_pb2, ~25 ms) loads on the
    # first reflection call, not at every start (`--endpoint sim` starts one per command).
    method: grpc.RpcMethodHandler[bytes, bytes] = grpc.stream_stream_rpc_method_handler(
        servicer.info)
    return tuple(grpc.method_handlers_generic_handler(service, {_METHOD: method})
                 for service in SERVICES)


class _Reflection:
    def __init__(self, services: list[str], pool: DescriptorPool) -> None:
        self._services = services
        self._pool = pool
        self._loaded: tuple[Any, Any] | None = None

    def _load(self) -> tuple[Any, Any]:
        if self._loaded is None:
            # No stubs ship with it; what is used of it is typed where it is used.
            from grpc_reflection.v1alpha import (  # type: ignore[import-untyped]
                reflection,
                reflection_pb2,
            )

            self._loaded = (reflection.aio.ReflectionServicer(self._services, pool=self._pool),
                            reflection_pb2.ServerReflectionRequest)
        return self._loaded

    async def info(self, requests: AsyncIterator[bytes], context: Any) -> AsyncIterator[bytes]:
        servicer, request_class = self._load()

        async def parsed() -> AsyncIterator[Any]:
            async for data in requests:
                yield request_class.FromString(data)

        async for response in servicer.ServerReflectionInfo(parsed(), context):
            yield response.SerializeToString()
