"""Client benchmarks against the in-process simulator (not collected by pytest).

    .venv/bin/python tests/client/bench_client.py [--objects 1000] [--rounds 20]

Prints one JSON document: connect+open latency, read_bulk latency for 1000 tags,
write_tag round trips, and event throughput through stream_events.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import time
from typing import Any

import mxgw
from mxgw.testing import run_simulator


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"n": len(ordered), "medianMs": round(statistics.median(ordered) * 1000, 3),
            "p95Ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 3)}


async def bench(objects: int, rounds: int) -> dict[str, Any]:
    result: dict[str, Any] = {}
    async with run_simulator(tick_interval=None, objects=objects) as sim:
        options = mxgw.ClientOptions(sim.endpoint, api_key=sim.api_key, plaintext=True)
        opens = []
        for _ in range(rounds):
            start = time.perf_counter()
            async with await mxgw.GatewayClient.connect(options) as client:
                async with await client.open_session():
                    opens.append(time.perf_counter() - start)
        result["connectOpenClose"] = summary(opens)
        async with await mxgw.GatewayClient.connect(options) as client:
            async with await client.open_session() as session:
                tags = [f"TestMachine_00{i % 6 + 1}.TestChangingInt" for i in range(1000)]
                server = await session.register("bench")
                reads = []
                for _ in range(rounds):
                    start = time.perf_counter()
                    await session.read_bulk(server, tags)
                    reads.append(time.perf_counter() - start)
                result["readBulk1000"] = summary(reads)
                writes = []
                for value in range(rounds):
                    start = time.perf_counter()
                    await session.write_tag("TestChildObject.TestInt", value)
                    writes.append(time.perf_counter() - start)
                result["writeTagRoundTrip"] = summary(writes)
            # a fresh session: write_tag's shared event stream holds the other one's slot
            async with await client.open_session() as session:
                server = await session.register("bench")
                subscribed = await session.subscribe_bulk(
                    server, [f"TestMachine_00{i}.TestChangingInt" for i in range(1, 7)])
                assert all(r.was_successful for r in subscribed)
                await session.drain_events()
                ticks = 1500  # 9,000 queued events: under the 10,000-event queue limit
                for _ in range(ticks):
                    sim.control.tick()
                count = 0
                start = time.perf_counter()
                async with contextlib.aclosing(session.stream_events()) as events:
                    async for _ in events:
                        count += 1
                        if count >= ticks * 6 - 6:
                            break
                elapsed = time.perf_counter() - start
                result["streamEvents"] = {"events": count,
                                          "eventsPerSecond": round(count / elapsed)}
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--objects", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(bench(args.objects, args.rounds)), indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
