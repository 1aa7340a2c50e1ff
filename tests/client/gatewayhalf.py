"""A stand-in gateway for the contract check: server reflection from a descriptor set of
our choosing, and the tool's services answering UNIMPLEMENTED while recording every call
that reaches them (so a test can tell that nothing was sent)."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import descriptor_pool
from grpc_reflection.v1alpha import reflection

from mxgw import Contract
from mxgw._rpc._contract import services


def pool_of(path: Path) -> descriptor_pool.DescriptorPool:
    """The descriptor set at `path` (tests/contractkit.py makes them) in a pool of its own."""
    return Contract.load(path, check=False).pool


@dataclass
class GatewayHalf:
    endpoint: str
    calls: list[str] = dataclasses.field(default_factory=list)  # the tool's rpcs that reached it
    reflection_calls: int = 0


class _Counter(grpc.aio.ServerInterceptor):
    """Sees every call (grpc caches what the generic handlers answer per method)."""

    def __init__(self, half: GatewayHalf) -> None:
        self.half = half

    async def intercept_service(self, continuation: Any, handler_call_details: Any) -> Any:
        method = handler_call_details.method
        if "ServerReflection" in method:
            self.half.reflection_calls += 1
        else:
            self.half.calls.append(method)
        return await continuation(handler_call_details)


class _Recorder(grpc.GenericRpcHandler):
    def service(self, handler_call_details: Any) -> Any:
        if "ServerReflection" in handler_call_details.method:
            return None  # the reflection servicer answers (or UNIMPLEMENTED)

        def refuse(request: bytes, context: Any) -> bytes:
            context.abort(grpc.StatusCode.UNIMPLEMENTED, "a stand-in")

        return grpc.unary_unary_rpc_method_handler(refuse)


@asynccontextmanager
async def serve(files: Path | None, port: int = 0) -> AsyncIterator[GatewayHalf]:
    """Reflection of the descriptor set `files` (None: no reflection at all) and the
    recorder, on `port` (0: any free one)."""
    half = GatewayHalf("")
    server = grpc.aio.server(interceptors=[_Counter(half)])
    server.add_generic_rpc_handlers((_Recorder(),))
    if files is not None:
        reflection.enable_server_reflection([*services(), reflection.SERVICE_NAME], server,
                                            pool=pool_of(files))
    port = server.add_insecure_port(f"127.0.0.1:{port}")
    await server.start()
    half.endpoint = f"127.0.0.1:{port}"
    try:
        yield half
    finally:
        await server.stop(None)
