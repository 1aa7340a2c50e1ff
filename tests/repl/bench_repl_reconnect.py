"""How long after a restarted gateway is back the REPL has its new session.

    python tests/repl/bench_repl_reconnect.py [--outages 1 30 150] [--grpc-default]

For each outage (seconds the gateway is down) an in-process simulator is stopped and
started again on the same port; the REPL's SessionLink (with its real backoff) notices
through a failing call and reconnects. The figure is the lag from the simulator
accepting again to `reconnected`, and its ratio to the lag after the shortest outage
(the floor: connection set-up, one OpenSession and Register). `--grpc-default` puts back
grpc's own reconnect backoff (up to 120 s) instead of mxgw's 10 s cap, to compare.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_repl_reconnect import TAG, Gateway

import mxgw
from mxgw import _channel
from mxgw.repl._reconnect import SessionLink


async def lag(outage: float) -> float:
    gateway = Gateway()
    await gateway.start()
    options = mxgw.ClientOptions(f"127.0.0.1:{gateway.port}", plaintext=True, timeout=5)
    back = asyncio.Event()

    def notice(text: str) -> None:
        if text.startswith("reconnected"):
            back.set()

    try:
        async with await mxgw.GatewayClient.connect(options) as client:
            session = await client.open_session(name="bench")
            link = SessionLink(client, "bench", session, await session.register("bench"),
                               notice=notice)
            await gateway.stop()
            try:
                await link.proxy.read(TAG)
            except mxgw.MxGatewayError:
                pass  # the call that finds the gateway gone; the reconnect starts
            await asyncio.sleep(outage)
            await gateway.start()
            started = time.perf_counter()
            await asyncio.wait_for(back.wait(), 300)
            took = time.perf_counter() - started
            await link.aclose("bench over", report=False)
            return took
    finally:
        await gateway.stop()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--outages", type=float, nargs="+", default=[1.0, 30.0, 150.0])
    parser.add_argument("--grpc-default", action="store_true")
    args = parser.parse_args()
    if args.grpc_default:
        _channel.MAX_RECONNECT_BACKOFF_MS = 120_000
    results = [(outage, await lag(outage)) for outage in sorted(args.outages)]
    floor = results[0][1]
    cap = "grpc default (120 s)" if args.grpc_default else "mxgw (10 s)"
    print(f"reconnect backoff cap: {cap}; floor {floor:.2f} s after a {results[0][0]:g} s outage")
    for outage, took in results:
        print(f"outage {outage:5.0f} s: reconnected {took:6.2f} s after the gateway was back "
              f"({took / floor:5.1f} x floor)")


if __name__ == "__main__":
    asyncio.run(main())
