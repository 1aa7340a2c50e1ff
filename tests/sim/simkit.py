"""Helpers for the simulator tests: a thin wrapper over the generated stubs.

Every test talks to the simulator over real gRPC (grpc.aio, 127.0.0.1) with the generated
stubs. Values only move on `control.tick()` (tick_interval=None), and every wait is
bounded with asyncio.wait_for.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import grpc

from mxgw._proto import galaxy_pb2, galaxy_pb2_grpc, gateway_pb2, gateway_pb2_grpc
from mxgw.sim._commands import COMMANDS
from mxgw.testing import RunningSimulator, run_simulator

pb = gateway_pb2
WAIT = 5.0  # seconds: a bound for waits, never an assertion
def kinds(messages: Any) -> dict[str, int]:
    """Payload field -> the MxCommandKind number of a contract's `gateway_pb2`."""
    return {field: messages.MxCommandKind.Value(f"MX_COMMAND_KIND_{kind}")
            for kind, (field, _) in COMMANDS.items()}


class Stub:
    """A stub for one service of a contract loaded at run time (the generated stubs are
    the built-in contract's): one callable per rpc, named as the rpc."""

    def __init__(self, channel: grpc.aio.Channel, service: Any) -> None:
        from google.protobuf import message_factory

        for method in service.methods:
            request = message_factory.GetMessageClass(method.input_type)
            response = message_factory.GetMessageClass(method.output_type)
            make = channel.unary_stream if method.server_streaming else channel.unary_unary
            setattr(self, method.name, make(
                f"/{service.full_name}/{method.name}",
                request_serializer=request.SerializeToString,
                response_deserializer=response.FromString))


class Gw:
    """A connected channel plus helpers that keep the tests short. With `contract` (a
    loaded mxgw.Contract), every message is that contract's: `gw.pb` is its gateway_pb2."""

    def __init__(self, sim: RunningSimulator | None, channel: grpc.aio.Channel, key: str,
                 contract: Any = None) -> None:
        self.sim = sim  # None for a simulator in another process
        if sim is not None:
            self.control = sim.control
        self.channel = channel
        self.contract = contract
        self.metadata: tuple[tuple[str, str], ...] = (("authorization", f"Bearer {key}"),)
        if contract is None:
            self.pb: Any = pb
            self.gpb: Any = galaxy_pb2
            self.stub: Any = gateway_pb2_grpc.MxAccessGatewayStub(channel)
            self.galaxy: Any = galaxy_pb2_grpc.GalaxyRepositoryStub(channel)
        else:
            self.pb = contract.python_names()["gateway_pb2"]
            self.gpb = contract.python_names()["galaxy_pb2"]
            self.stub = Stub(channel, contract.pool.FindServiceByName(
                "mxaccess_gateway.v1.MxAccessGateway"))
            self.galaxy = Stub(channel, contract.pool.FindServiceByName(
                "galaxy_repository.v1.GalaxyRepository"))
        self.kinds = kinds(self.pb)

    def with_key(self, key: str | None) -> Gw:
        other = Gw(self.sim, self.channel, "", self.contract)
        other.metadata = (("authorization", f"Bearer {key}"),) if key else ()
        return other

    async def open(self, name: str = "test") -> str:
        reply = await self.stub.OpenSession(
            self.pb.OpenSessionRequest(client_session_name=name), metadata=self.metadata)
        return reply.session_id

    async def close(self, session_id: str) -> pb.CloseSessionReply:
        return await self.stub.CloseSession(
            self.pb.CloseSessionRequest(session_id=session_id), metadata=self.metadata)

    async def invoke(self, session_id: str, **payload: Any) -> pb.MxCommandReply:
        ((field, message),) = payload.items()
        command = self.pb.MxCommand(kind=self.kinds[field], **{field: message})
        return await self.stub.Invoke(
            self.pb.MxCommandRequest(session_id=session_id, command=command),
            metadata=self.metadata)

    async def register(self, session_id: str) -> int:
        reply = await self.invoke(session_id, register_command=self.pb.RegisterCommand(
            client_name="test"))
        return reply.register.server_handle

    async def add(self, session_id: str, server: int, tag: str) -> int:
        reply = await self.invoke(session_id, add_item_command=self.pb.AddItemCommand(
            server_handle=server, tag_address=tag))
        assert reply.protocol_status.code == self.pb.PROTOCOL_STATUS_CODE_OK, reply
        return reply.add_item.item_handle

    async def advise(self, session_id: str, server: int, item: int) -> pb.MxCommandReply:
        return await self.invoke(session_id, advise_command=self.pb.AdviseCommand(
            server_handle=server, item_handle=item))

    async def subscribe(self, tag: str) -> tuple[str, int, int]:
        """A new session with `tag` added and advised: (session_id, server, item)."""
        session_id = await self.open()
        server = await self.register(session_id)
        item = await self.add(session_id, server, tag)
        await self.advise(session_id, server, item)
        return session_id, server, item

    async def write(self, session_id: str, server: int, item: int, value: pb.MxValue,
                    **extra: Any) -> pb.MxCommandReply:
        return await self.invoke(session_id, write_command=self.pb.WriteCommand(
            server_handle=server, item_handle=item, value=value, **extra))

    async def drain(self, session_id: str, max_events: int = 0) -> list[pb.MxEvent]:
        reply = await self.invoke(session_id, drain_events_command=self.pb.DrainEventsCommand(
            max_events=max_events))
        return list(reply.drain_events.events)

    async def drain_until(self, session_id: str, count: int) -> list[pb.MxEvent]:
        """Drain until `count` events arrived (writes complete on the next loop turn)."""
        events: list[pb.MxEvent] = []

        async def loop() -> None:
            while len(events) < count:
                events.extend(await self.drain(session_id))
        await asyncio.wait_for(loop(), WAIT)
        return events

    def stream(self, session_id: str, after: int = 0) -> Any:
        return self.stub.StreamEvents(
            self.pb.StreamEventsRequest(session_id=session_id, after_worker_sequence=after),
            metadata=self.metadata)


# Runs the server as on Windows: the loop has no add_signal_handler, so Ctrl-C arrives as
# KeyboardInterrupt. The environment cannot be produced otherwise on Linux.
_NO_SIGNALS = """
import asyncio, sys
def unsupported(*args, **kwargs):
    raise NotImplementedError
asyncio.unix_events._UnixSelectorEventLoop.add_signal_handler = unsupported
from mxgw.sim.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


@asynccontextmanager
async def standalone(*args: str, windows: bool = False
                     ) -> AsyncIterator[tuple[Any, dict[str, Any]]]:
    """`python -m mxgw.sim` in a child process (values only move on ticks it is told of):
    the process and its start line; killed at the end if it still runs."""
    launcher = ["-c", _NO_SIGNALS] if windows else ["-m", "mxgw.sim"]
    proc = await asyncio.create_subprocess_exec(
        sys.executable, *launcher, "--port", "0", "--tick-interval", "none", *args,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        assert proc.stdout is not None
        line = await asyncio.wait_for(proc.stdout.readline(), 30)
        yield proc, json.loads(line)
    finally:
        if proc.returncode is None:
            proc.kill()
            await asyncio.wait_for(proc.communicate(), 30)


@asynccontextmanager
async def connected(**options: Any) -> AsyncIterator[Gw]:
    """A simulator with these options (values still only on tick() unless a tick_interval
    is given) and a Gw on a plaintext channel to it, with the all-scopes key."""
    options.setdefault("tick_interval", None)
    async with run_simulator(**options) as sim, \
            grpc.aio.insecure_channel(sim.endpoint) as channel:
        yield Gw(sim, channel, sim.api_key)


async def until(condition: Callable[[], bool]) -> None:
    """Wait, bounded, until `condition()` holds (for state no RPC reports)."""
    async def poll() -> None:
        while not condition():
            await asyncio.sleep(0.005)
    await asyncio.wait_for(poll(), WAIT)


async def take(call: Any, n: int) -> list[Any]:
    """The next `n` messages of a stream, bounded in time."""
    out: list[Any] = []

    async def read() -> None:
        while len(out) < n:
            out.append(await call.read())
    await asyncio.wait_for(read(), WAIT)
    return out


async def code_of(awaitable: Any) -> grpc.StatusCode:
    """The status an RPC ends with (OK when it succeeds)."""
    try:
        await awaitable
    except grpc.aio.AioRpcError as exc:
        return exc.code()
    return grpc.StatusCode.OK


def mx(**value: Any) -> pb.MxValue:
    return pb.MxValue(**value)


async def reflect(channel: grpc.aio.Channel, service: str, **request: Any) -> Any:
    """One ServerReflectionInfo exchange on `service` (v1 or v1alpha: the messages are
    the same on the wire, so grpcio-reflection's v1alpha classes serve both)."""
    from grpc_reflection.v1alpha import reflection_pb2 as rpb

    # Called as unary-stream: on the wire one request and a half-close, as a bidi call
    # sends it, without the separate write that can race an UNIMPLEMENTED answer (see
    # mxgw/_reflection.py).
    call = channel.unary_stream(
        f"/{service}/ServerReflectionInfo",
        request_serializer=rpb.ServerReflectionRequest.SerializeToString,
        response_deserializer=rpb.ServerReflectionResponse.FromString)(
            rpb.ServerReflectionRequest(**request))

    async def exchange() -> Any:
        replies = [reply async for reply in call]
        assert len(replies) == 1, replies
        return replies[0]
    return await asyncio.wait_for(exchange(), WAIT)


async def reflected_files(channel: grpc.aio.Channel, service: str, symbol: str
                          ) -> dict[str, Any]:
    """The files (FileDescriptorProto by name) that reflection sends for `symbol`."""
    from google.protobuf import descriptor_pb2

    reply = await reflect(channel, service, file_containing_symbol=symbol)
    assert reply.WhichOneof("message_response") == "file_descriptor_response", reply
    found = {}
    for data in reply.file_descriptor_response.file_descriptor_proto:
        proto = descriptor_pb2.FileDescriptorProto.FromString(data)
        found[proto.name] = proto
    return found
