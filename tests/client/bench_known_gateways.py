"""What remembering a gateway's certificate adds to connecting (a script, not a test).

    .venv/bin/python tests/client/bench_known_gateways.py

Against an in-process TLS simulator, per connection (median of N): the certificate probe
alone (what trust-on-first-use always cost: the floor), then the probe plus the
known-gateways check of a known gateway (lock, read, refresh lastSeen, atomic write with
fsync), and `GatewayClient.connect` with `known_gateways=None` and with the file.
Figures are printed as milliseconds and as a ratio to the floor of the same run.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import mxgw
from mxgw import _channel, _known
from mxgw._endpoint import parse_endpoint
from mxgw.testing import run_simulator

N = 50


async def median_ms(step: Callable[[], Awaitable[object]]) -> float:
    times = []
    for _ in range(N):
        started = time.perf_counter()
        await step()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


async def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        path = Path(home) / "known_gateways.json"
        async with run_simulator(tick_interval=None, tls=True) as sim:
            endpoint = parse_endpoint(sim.endpoint)
            store = _known.KnownGateways(path)
            sha256 = str(sim.certificate_sha256)
            store.check(endpoint.key, sha256)

            async def probe() -> object:
                return await _channel.probe_certificate(endpoint, 10)

            async def probe_and_check() -> object:
                pem = await _channel.probe_certificate(endpoint, 10)
                return await asyncio.to_thread(store.check, endpoint.key,
                                               _channel.fingerprint(pem))

            async def connect(known: str | None) -> object:
                options = mxgw.ClientOptions(sim.endpoint, api_key=sim.api_key,
                                             known_gateways=known)
                client = await mxgw.GatewayClient.connect(options)
                await client.close()
                return client

            floor = await median_ms(probe)
            rows = [
                ("probe only (floor)", floor),
                ("probe + known-gateways check", await median_ms(probe_and_check)),
                ("connect, known_gateways=None", await median_ms(lambda: connect(None))),
                ("connect, known gateway in file", await median_ms(lambda: connect(str(path)))),
            ]
    print(f"median of {N} on Python {sys.version.split()[0]}:")
    for name, ms in rows:
        print(f"  {name:34} {ms:7.2f} ms  {ms / floor:5.2f} x floor")


if __name__ == "__main__":
    asyncio.run(main())
