"""A client used in one asyncio.run after another leaves nothing behind for the next loop.

A connection watch still pending when a client closed its channel completed on grpc's
poller thread after its loop had ended, and asyncio printed "Event loop is closed"
tracebacks on stderr during the next asyncio.run: a script that connects more than once,
pytest with a loop per test, `mxgw.cli.main` called twice. This needs loops that end, so it
runs in a child process against a simulator process (one loop cannot outlive another in the
same process).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import asyncio, json, subprocess, sys
    import mxgw

    sim = subprocess.Popen([sys.executable, "-m", "mxgw", "sim", "--port", "0",
                            "--tick-interval", "none"], stdout=subprocess.PIPE, text=True)
    try:
        info = json.loads(sim.stdout.readline())

        async def once() -> None:
            options = mxgw.ClientOptions(endpoint=info["endpoint"], plaintext=True,
                                         api_key=info["apiKey"], known_gateways=None)
            async with await mxgw.GatewayClient.connect(options) as client:
                await client.galaxy.test_connection()
                async with await client.open_session() as session:
                    await session.read("TestChildObject.TestInt")

        for _ in range(8):
            asyncio.run(once())
        print("ran 8 loops")
    finally:
        sim.terminate()
        sim.wait(30)
""")


def test_one_client_per_asyncio_run_prints_nothing_on_stderr() -> None:
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ran 8 loops"
    assert "Event loop is closed" not in result.stderr
    assert "Traceback" not in result.stderr, result.stderr
