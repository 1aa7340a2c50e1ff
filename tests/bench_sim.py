"""Benchmark the simulator's event path (a script; pytest does not collect bench_*.py).

    .venv/bin/python tests/bench_sim.py [--seconds 5] [--contract FILE]

Starts `python -m mxgw.sim` in its own process (10,000 objects, values ticking every
0.25 s) and measures from this process, over real gRPC, with grpc's synchronous client in
threads (the cheapest reader Python has, so the figures are the simulator's, not ours):

  floor       a bare grpc.aio server streaming prebuilt bytes: the most this machine's
              Python gRPC can move to one reader, for scale;
  sustained   one subscriber offered 4,000 and 20,000 data changes/s: received rate,
              gaps, and whether the session faulted (EventQueueOverflow);
  ceiling     one subscriber offered 40,000/s with a 2,000,000-event queue;
  fan_out     50 concurrent sessions with subscriptions.

`--contract FILE` runs the simulator with that contract (`mxgw sim --contract`) and reads
with its classes: a renumbered variant (tests/contractkit.py) must cost what the built-in
contract costs, since the hand-encoded event parts are made once from its numbers.

Prints one JSON document. Run it on a quiet machine: other processes share the 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from typing import Any

import grpc

from mxgw._proto import gateway_pb2 as pb
from mxgw._proto import gateway_pb2_grpc

TICK = 0.25
STALL = 30.0  # seconds past the measuring window before a stream that stopped is given up


def deadline(seconds: float, warmup: float) -> float:
    """A stream's gRPC timeout: the run never waits without bound on a stalled stream."""
    return warmup + seconds + STALL


_FLOOR_SERVER = """
import asyncio, grpc
async def main():
    message = bytes(120)
    async def stream(request, context):
        while True:
            yield message
    handler = grpc.method_handlers_generic_handler(
        "floor", {"S": grpc.unary_stream_rpc_method_handler(stream, None, None)})
    server = grpc.aio.server()
    server.add_generic_rpc_handlers((handler,))
    print(server.add_insecure_port("127.0.0.1:0"), flush=True)
    await server.start()
    await server.wait_for_termination()
asyncio.run(main())
"""


CONTRACT: list[str] = []  # ["--contract", FILE] when given: every simulator speaks it


def start_sim(*extra: str) -> tuple[subprocess.Popen[bytes], dict[str, Any]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "mxgw.sim", "--port", "0", "--objects", "10000",
         "--tick-interval", str(TICK), *CONTRACT, *extra], stdout=subprocess.PIPE)
    assert proc.stdout is not None
    return proc, json.loads(proc.stdout.readline())


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    proc.wait(30)


def tags(count: int) -> list[str]:
    out = [f"Pump{i:03d}.Speed" for i in range(1, 5001)]
    out += [f"Tank{i:03d}.Level" for i in range(1, 5001)]
    return out[:count]


class _Stub:
    """The gateway service of a contract loaded at run time, for grpc's sync client."""

    def __init__(self, channel: grpc.Channel, contract: Any) -> None:
        from google.protobuf import message_factory

        service = contract.pool.FindServiceByName("mxaccess_gateway.v1.MxAccessGateway")
        for method in service.methods:
            make = channel.unary_stream if method.server_streaming else channel.unary_unary
            setattr(self, method.name, make(
                f"/{service.full_name}/{method.name}",
                request_serializer=message_factory.GetMessageClass(
                    method.input_type).SerializeToString,
                response_deserializer=message_factory.GetMessageClass(
                    method.output_type).FromString))


class Client:
    def __init__(self, info: dict[str, Any]) -> None:
        self.channel = grpc.insecure_channel(info["endpoint"])
        self.stub: Any = gateway_pb2_grpc.MxAccessGatewayStub(self.channel)
        self.pb: Any = pb
        if CONTRACT:
            from mxgw import Contract

            contract = Contract.load(CONTRACT[1])
            self.pb = contract.python_names()["gateway_pb2"]
            self.stub = _Stub(self.channel, contract)
        self.md = (("authorization", f"Bearer {info['apiKey']}"),)

    def invoke(self, sid: str, kind: int, **payload: Any) -> pb.MxCommandReply:
        pb = self.pb
        return self.stub.Invoke(pb.MxCommandRequest(
            session_id=sid, command=pb.MxCommand(kind=kind, **payload)), metadata=self.md)

    def subscribe(self, count: int) -> str:
        pb = self.pb
        sid = self.stub.OpenSession(pb.OpenSessionRequest(client_session_name="bench"),
                                    metadata=self.md).session_id
        server = self.invoke(sid, pb.MX_COMMAND_KIND_REGISTER, register_command=pb.RegisterCommand(
            client_name="bench")).register.server_handle
        names = tags(count)
        for start in range(0, len(names), 1000):
            self.invoke(sid, pb.MX_COMMAND_KIND_SUBSCRIBE_BULK,
                        subscribe_bulk_command=pb.SubscribeBulkCommand(
                            server_handle=server, tag_addresses=names[start:start + 1000]))
        return sid

    def consume(self, sid: str, seconds: float, warmup: float = 1.0) -> dict[str, Any]:
        call = self.stub.StreamEvents(self.pb.StreamEventsRequest(session_id=sid), metadata=self.md,
                                      timeout=deadline(seconds, warmup))
        return measure(call, seconds, warmup, check_sequence=True)


def measure(call: Any, seconds: float, warmup: float, check_sequence: bool) -> dict[str, Any]:
    count, gaps, last, error = 0, 0, 0, None
    begin = time.perf_counter() + warmup
    end = begin + seconds
    first = None
    try:
        for event in call:
            now = time.perf_counter()
            if check_sequence:
                if last and event.worker_sequence != last + 1:
                    gaps += 1
                last = event.worker_sequence
            if now >= begin:
                first = first or now
                count += 1
                if now >= end:
                    break
    except grpc.RpcError as exc:
        error = f"{exc.code().name}: {exc.details()}"
    call.cancel()
    elapsed = time.perf_counter() - (first or begin)
    return {"events": count, "events_per_second": round(count / elapsed) if elapsed > 0 else 0,
            "gaps": gaps, "error": error}


def floor(seconds: float) -> dict[str, Any]:
    proc = subprocess.Popen([sys.executable, "-c", _FLOOR_SERVER], stdout=subprocess.PIPE)
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline())
        channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        call = channel.unary_stream("/floor/S")(b"", timeout=deadline(seconds, 1.0))
        return measure(call, seconds, 1.0, check_sequence=False)
    finally:
        stop(proc)


def single(items: int, seconds: float, *extra: str) -> dict[str, Any]:
    proc, info = start_sim(*extra)
    try:
        client = Client(info)
        result = client.consume(client.subscribe(items), seconds)
    finally:
        stop(proc)
    return {"offered_per_second": round(items / TICK), **result}


def fan_out(sessions: int, items: int, seconds: float) -> dict[str, Any]:
    proc, info = start_sim()
    try:
        client = Client(info)
        sids = [client.subscribe(items) for _ in range(sessions)]
        results: list[dict[str, Any]] = []
        threads = [threading.Thread(target=lambda s=s: results.append(client.consume(s, seconds)))
                   for s in sids]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        stop(proc)
    return {"sessions": sessions, "items_per_session": items,
            "offered_per_second": round(sessions * items / TICK),
            "events_per_second_total": sum(r["events_per_second"] for r in results),
            "slowest_session_per_second": min(r["events_per_second"] for r in results),
            "gaps": sum(r["gaps"] for r in results),
            "errors": sorted({r["error"] for r in results if r["error"]})}


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--contract", metavar="FILE",
                        help="the simulator speaks this descriptor set (default: built-in)")
    args = parser.parse_args()
    if args.contract:
        CONTRACT.extend(["--contract", args.contract])
    report = {
        "load_average_at_start": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        "contract": args.contract or "built-in",
        "floor_bare_grpc_stream": floor(args.seconds),
        "sustained_4k_offered": single(1000, args.seconds),
        "sustained_20k_offered": single(5000, args.seconds),
        "ceiling_40k_offered": single(10000, args.seconds, "--event-queue-limit", "2000000"),
        "fan_out_50_sessions": fan_out(50, 20, args.seconds),
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
