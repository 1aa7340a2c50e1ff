"""What every call goes through: faults, authentication, scope, the message limit,
logging, error mapping.

Servicers describe their rpcs as `Rpc` entries; `generic_handler` wraps each one so that
state objects can simply raise `RpcError` and never touch the gRPC context. The methods
served, and the class each request is parsed with, come from the contract's service
descriptor (`mxgw sim --contract`). The wrappers serialize replies themselves, so that a
message over the limit ends the call as the real gateway ends it (see `_limits`), not with
grpc's own wording.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import grpc
from google.protobuf import message_factory

from ._auth import AuthError, KeyStore
from ._faults import Faults
from ._limits import checked
from ._rpc import RpcError

if TYPE_CHECKING:
    from google.protobuf.descriptor import ServiceDescriptor

log = logging.getLogger("mxgw.sim")
Scope = str | Callable[[Any], str]


@dataclass(frozen=True)
class Rpc:
    name: str
    handler: Callable[..., Any]  # async fn(request, context) or async generator
    scope: Scope
    streaming: bool = False
    raw: bool = False  # the handler yields bytes, not messages (the event stream)
    own_latency: bool = False  # the handler applies latency itself (Invoke: while pending)


class CallContext:
    """Shared by every call of one simulator."""

    def __init__(self, keys: KeyStore, faults: Faults) -> None:
        self.keys = keys
        self.faults = faults
        self.stopping = False

    async def prologue(self, rpc: Rpc, request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> None:
        if not self.faults.accepting:
            raise RpcError(grpc.StatusCode.UNAVAILABLE, "gateway is not accepting calls")
        failure = self.faults.take_failure(rpc.name)
        if failure is not None:
            raise RpcError(*failure)
        authorization = None
        for key, value in context.invocation_metadata() or ():
            if key == "authorization":
                authorization = value if isinstance(value, str) else value.decode()
        try:
            scopes = self.keys.authenticate(authorization)
            scope = rpc.scope if isinstance(rpc.scope, str) else rpc.scope(request)
            self.keys.authorize(scopes, scope)
        except AuthError as exc:
            raise RpcError(getattr(grpc.StatusCode, exc.code), str(exc)) from None
        if not rpc.own_latency:
            await self.faults.delay()


def _describe(request: Any) -> str:
    """Names only: never a value, key or password (they do not appear in these fields)."""
    parts = []
    session_id = getattr(request, "session_id", "")
    if session_id:
        parts.append(session_id)
    command = getattr(request, "command", None)
    if command is not None and command.kind:
        # A kind the contract does not name (a client speaking another one): its digits.
        kind = type(command).DESCRIPTOR.fields_by_name["kind"].enum_type.values_by_number.get(
            command.kind)
        parts.append(kind.name.removeprefix("MX_COMMAND_KIND_") if kind else str(command.kind))
    return " ".join(parts)


def _log(rpc: Rpc, request: Any, started: float, outcome: str) -> None:
    if log.isEnabledFor(logging.INFO):
        took = (time.perf_counter() - started) * 1000
        log.info("%s %s -> %s (%.1f ms)", rpc.name, _describe(request), outcome, took)


def _serialize(message: Any) -> bytes:
    return message.SerializeToString()


def _wrap_unary(calls: CallContext, rpc: Rpc) -> Callable[..., Awaitable[bytes]]:
    async def handle(request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> bytes:
        started = time.perf_counter()
        try:
            await calls.prologue(rpc, request, context)
            reply = checked(_serialize(await rpc.handler(request, context)))
        except RpcError as exc:
            _log(rpc, request, started, exc.code.name)
            await context.abort(exc.code, exc.details)
        _log(rpc, request, started, "OK")
        return reply

    return handle


def _wrap_stream(calls: CallContext, rpc: Rpc) -> Callable[..., Awaitable[None]]:
    serialize = None if rpc.raw else _serialize

    # A coroutine that writes, rather than a generator that re-yields: one layer less per
    # message on the event path.
    async def handle(request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> None:
        started = time.perf_counter()
        outcome = "OK"
        try:
            await calls.prologue(rpc, request, context)
            write = context.write
            # aclosing: a message refused here runs the handler's cleanup at once (the
            # event stream detaches its subscriber), not whenever the generator is collected.
            async with contextlib.aclosing(rpc.handler(request, context)) as messages:
                async for message in messages:
                    await write(checked(message if serialize is None else serialize(message)))
        except RpcError as exc:
            outcome = exc.code.name
            await context.abort(exc.code, exc.details)
        except asyncio.CancelledError:
            outcome = "CANCELLED"
            if not calls.stopping:
                calls.faults.cancelled_streams += 1
            raise
        finally:
            _log(rpc, request, started, outcome)

    return handle


def generic_handler(service: ServiceDescriptor, rpcs: list[Rpc], calls: CallContext
                    ) -> grpc.GenericRpcHandler:
    """The contract's methods of `service`, each served by the `Rpc` of its name (the
    contract was checked to have them all, with the shapes these have)."""
    by_name = {rpc.name: rpc for rpc in rpcs}
    handlers: dict[str, grpc.RpcMethodHandler[Any, bytes]] = {}
    for method in service.methods:
        rpc = by_name.get(method.name)
        if rpc is None:
            continue  # a method the simulator does not serve: UNIMPLEMENTED
        parse = message_factory.GetMessageClass(method.input_type).FromString
        if rpc.streaming:
            handlers[rpc.name] = grpc.unary_stream_rpc_method_handler(
                _wrap_stream(calls, rpc), parse)
        else:
            handlers[rpc.name] = grpc.unary_unary_rpc_method_handler(
                _wrap_unary(calls, rpc), parse)
    return grpc.method_handlers_generic_handler(service.full_name, handlers)
