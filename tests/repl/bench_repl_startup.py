"""How long until the `mxgw repl` prompt appears (not collected by pytest).

    .venv/bin/python tests/repl/bench_repl_startup.py [--runs N] [--pyz dist/mxgw.pyz]

Starts `python -m mxgw repl` under a pseudo-terminal N times and measures the time
from spawning to the banner and to the first `>>>` prompt, for
    sim        `--endpoint sim` (the simulator starts inside the REPL process)
    external   a simulator already running (in this process), so only the REPL's own
               start-up counts
    pyz        `python mxgw.pyz repl --endpoint sim`, when --pyz is given
and a baseline: the same spawn path running `python -c pass` (the pty trampoline
costs one extra interpreter start, included in every number). Prints one JSON doc.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from pty_session import PtySession

from mxgw.testing import run_simulator


async def _one(argv: list[str], env: dict[str, str], until: str | None) -> dict[str, float]:
    start = time.perf_counter()
    term = PtySession(argv, env=env)
    try:
        if until is None:
            await term.wait_exit()
            return {"exit": time.perf_counter() - start}
        await term.expect(r"mxgw \S+ REPL")
        banner = time.perf_counter() - start
        await term.expect(until)
        prompt = time.perf_counter() - start
        term.type("\x04")
        await term.wait_exit()
        return {"banner": banner, "prompt": prompt}
    finally:
        term.close()


def _summary(samples: list[dict[str, float]]) -> dict[str, dict[str, float]]:
    keys = samples[0].keys()
    return {k: {"median": round(statistics.median(s[k] for s in samples), 3),
                "min": round(min(s[k] for s in samples), 3),
                "max": round(max(s[k] for s in samples), 3)} for k in keys}


async def main(runs: int, pyz: str | None = None) -> dict[str, object]:
    home = tempfile.mkdtemp(prefix="mxgw-bench-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MXGATEWAY_")}
    env["MXGW_HOME"] = home
    py = sys.executable
    result: dict[str, object] = {"runs": runs, "python": sys.version.split()[0]}
    baseline = [await _one([py, "-c", "pass"], env, None) for _ in range(runs)]
    result["baseline_python_start"] = _summary(baseline)
    sim_runs = [await _one([py, "-m", "mxgw", "repl", "--endpoint", "sim"], env, ">>>")
                for _ in range(runs)]
    result["endpoint_sim"] = _summary(sim_runs)
    async with run_simulator() as sim:
        ext_env = dict(env, MXGATEWAY_API_KEY=sim.api_key)
        ext = [await _one([py, "-m", "mxgw", "repl", "--endpoint", sim.endpoint,
                           "--plaintext"], ext_env, ">>>") for _ in range(runs)]
    result["external_sim"] = _summary(ext)
    if pyz is not None:
        pyz_runs = [await _one([py, pyz, "repl", "--endpoint", "sim"], env, ">>>")
                    for _ in range(runs)]
        result["pyz_endpoint_sim"] = _summary(pyz_runs)
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pyz", help="also measure this mxgw.pyz")
    options = parser.parse_args()
    print(json.dumps(asyncio.run(main(options.runs, options.pyz)), indent=2))
