"""The replay gateway (js/replay.js, the benchmarks' producer) sends exactly the bytes it
was given: the reply chosen by a request field, and a whole stream, then a clean end."""

from __future__ import annotations

import grpc
import pytest
from jspeer import JsPeer
from replay import Stream, Unary, path, replay_gateway

from mxgw._proto import gateway_pb2 as pb

INVOKE = path(pb, "MxAccessGateway", "Invoke")
OPEN = path(pb, "MxAccessGateway", "OpenSession")
EVENTS = path(pb, "MxAccessGateway", "StreamEvents")


def _command(kind: int) -> bytes:
    return pb.MxCommandRequest(session_id="s", command=pb.MxCommand(kind=kind)).SerializeToString()


@pytest.mark.asyncio
async def test_replies_by_request_field_and_streams_every_message(jspeer: JsPeer) -> None:
    register = pb.MxCommandReply(kind=pb.MX_COMMAND_KIND_REGISTER,
                                 register=pb.RegisterReply(server_handle=7))
    read = pb.MxCommandReply(kind=pb.MX_COMMAND_KIND_READ_BULK)
    events = [pb.MxEvent(worker_sequence=n, item_handle=n).SerializeToString()
              for n in range(1, 2001)]
    methods: dict[str, Unary | Stream] = {
        INVOKE: Unary({"MX_COMMAND_KIND_REGISTER": register.SerializeToString(),
                       "MX_COMMAND_KIND_READ_BULK": read.SerializeToString()},
                      key="command.kind"),
        OPEN: Unary({"": pb.OpenSessionReply(session_id="s1").SerializeToString()}),
        EVENTS: Stream(events),
    }
    with replay_gateway(jspeer, methods) as gateway:
        async with grpc.aio.insecure_channel(gateway.endpoint) as channel:
            invoke = channel.unary_unary(INVOKE)
            assert await invoke(_command(pb.MX_COMMAND_KIND_REGISTER)) == (
                register.SerializeToString())
            assert await invoke(_command(pb.MX_COMMAND_KIND_READ_BULK)) == (
                read.SerializeToString())
            with pytest.raises(grpc.aio.AioRpcError) as refused:
                await invoke(_command(pb.MX_COMMAND_KIND_ADVISE))
            assert refused.value.code() == grpc.StatusCode.UNIMPLEMENTED
            opened = await channel.unary_unary(OPEN)(b"")
            assert pb.OpenSessionReply.FromString(opened).session_id == "s1"
            call = channel.unary_stream(EVENTS)(b"\x0a\x01x")
            got = [message async for message in call]
            assert got == events
            assert await call.code() == grpc.StatusCode.OK
        calls = gateway.calls()
    assert [c.path for c in calls] == [INVOKE, INVOKE, INVOKE, OPEN, EVENTS]
    assert calls[0].request == _command(pb.MX_COMMAND_KIND_REGISTER)
    assert calls[-1].request == b"\x0a\x01x"
