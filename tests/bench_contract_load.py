"""What speaking a contract from a file costs a command's start (issue 12: at most 20 ms).
A script, not a test (no timed assertions).

    python3 tests/bench_contract_load.py [--runs 15]

Against a simulator process (`python -m mxgw sim`), the median wall time of a one-shot
`mxgw get TAG` (from the source tree, `python -m mxgw`) with the built-in contract (the
floor), with `--contract FILE` (the built-in contract written out as a descriptor set:
it agrees, so the same calls are made) and with the contract `mxgw contract fetch`
stored for the endpoint (`localhost:PORT`, the same simulator); and, in fresh interpreters with grpc already imported, the
median time to get the contract in use each way (`mxgw._contract_store.chosen`).
Prints one line per figure and a JSON summary last.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_startup import start_sim, timed

ROOT = Path(__file__).resolve().parents[1]
TAG = "TestChildObject.TestInt"
PYTHON = str(ROOT / ".venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python"))

# Time to the contract in use, grpc and the call layer imported first (a command has
# them loaded by then): prints milliseconds.
_CHOSEN = """
import sys, time
import grpc, mxgw._rpc._calls, mxgw._client
from mxgw._contract_store import chosen
start = time.perf_counter()
contract = chosen(sys.argv[1] or None, sys.argv[2])
contract.cls(__import__("mxgw._rpc._names", fromlist=["n"]).MxValue)
print((time.perf_counter() - start) * 1000)
"""

# The built-in contract written out as a descriptor set (so the file contract agrees).
_WRITE_BUILTIN = """
import sys
from google.protobuf import descriptor_pb2
from mxgw import Contract
found = descriptor_pb2.FileDescriptorSet()
found.file.extend(Contract.builtin().files())
open(sys.argv[1], "wb").write(found.SerializeToString())
"""


def in_process(contract: str, endpoint: str, env: dict[str, str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        done = subprocess.run([PYTHON, "-c", _CHOSEN, contract, endpoint], env=env,
                              capture_output=True, text=True, check=True)
        samples.append(float(done.stdout))
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    figures: dict[str, float] = {}

    def report(name: str, value: float, text: str) -> None:
        figures[name] = round(value, 4)
        print(text)

    with tempfile.TemporaryDirectory(prefix="mxgw-bench-contract-") as tmp:
        work = Path(tmp)
        env = {**os.environ, "MXGW_HOME": str(work / "home"), "GRPC_VERBOSITY": "NONE"}
        env.pop("MXGW_CONTRACT", None)
        # Compiled once (the untimed first round), as a pyz's extracted tree is: without
        # bytecode every run compiles ~70 modules, and that swamps what is measured.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        mxgw = [PYTHON, "-m", "mxgw"]
        proc, sim = start_sim(mxgw, env)
        try:
            env["MXGATEWAY_API_KEY"] = sim["apiKey"]
            endpoint = sim["endpoint"]
            protoset = work / "gateway.protoset"
            subprocess.run([PYTHON, "-c", _WRITE_BUILTIN, str(protoset)], env=env, check=True)
            get = [*mxgw, "get", TAG, "--endpoint", endpoint, "--plaintext"]
            # The same simulator under another name: the fetched contract is stored for
            # that name only, so the three commands take turns in one environment.
            fetched = endpoint.replace("127.0.0.1", "localhost")
            subprocess.run([*mxgw, "contract", "fetch", "--endpoint", fetched,
                            "--plaintext"], env=env, check=True, stdout=subprocess.DEVNULL)
            walls = timed({"builtin": get, "file": [*get, "--contract", str(protoset)],
                           "fetched": [*mxgw, "get", TAG, "--endpoint", fetched,
                                       "--plaintext"]}, env, args.runs)
            report("get_builtin_s", walls["builtin"],
                   f"get, built-in contract (floor): {walls['builtin'] * 1000:7.1f} ms")
            for name in ("file", "fetched"):
                added = (walls[name] - walls["builtin"]) * 1000
                report(f"get_{name}_s", walls[name],
                       f"get, {name} contract:          {walls[name] * 1000:7.1f} ms "
                       f"({walls[name] / walls['builtin']:.3f} x the floor, "
                       f"{added:+.1f} ms; target <= +20 ms)")
                figures[f"get_{name}_added_ms"] = round(added, 1)
            loads = {"builtin": in_process("", endpoint, env, args.runs),
                     "file": in_process(str(protoset), endpoint, env, args.runs),
                     "fetched": in_process("", fetched, env, args.runs)}
            for name, ms in loads.items():
                report(f"contract_{name}_ms", ms,
                       f"contract in use, {name}: {ms:6.1f} ms "
                       f"({ms / loads['builtin']:.2f} x the built-in one)")
        finally:
            proc.terminate()
            proc.wait(30)
    print(json.dumps(figures, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
