"""What the pyz's first run spends its time on, on Windows CPython under Wine.

    .venv/bin/python tests/windows/bench_wine_first_run.py [--python 3.11] [--repeat 3]

Builds the win-amd64 pyz, makes a Wine session (tests/windows/winekit.py), then for
each repeat, with an empty SHIV_ROOT: a driver runs the launcher's own extraction
(`_mxgw_launcher_extract.extract`, timing `compile_bytecode` inside it) and then
imports what `get` imports; then `version` as a first run and as a later run. The
floor is `python -c pass` under Wine in the same run. Medians, in seconds.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import winekit

DRIVER = r'''
import json, os, sys, time
start = time.perf_counter()
pyz, root = sys.argv[1], sys.argv[2]
sys.path.insert(0, pyz)
import _mxgw_launcher_extract as ex
spent = {}
compile_bytecode = ex.compile_bytecode
def timed(folder, final):
    t = time.perf_counter(); compile_bytecode(folder, final)
    spent["compile"] = time.perf_counter() - t
ex.compile_bytecode = timed
t = time.perf_counter()
folder = ex.extract(pyz, root, "mxgw-bench")
spent["unpack"] = time.perf_counter() - t - spent["compile"]
sys.path.insert(0, folder)
t = time.perf_counter()
import mxgw.cli._main, mxgw._client, grpc
spent["imports"] = time.perf_counter() - t
print(json.dumps(spent))
'''


def timed(wine: winekit.Wine, *argv: str, env: dict[str, str] | None = None
          ) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    done = wine.run(*argv, env=env)
    assert done.returncode == 0, done.stderr
    return time.perf_counter() - started, done


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--python", default="3.11", choices=winekit.PYTHONS)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if (problem := winekit.missing()) is not None:
        print(problem, file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="mxgw-bench-"))
    try:
        pyz = work / "mxgw.pyz"
        subprocess.run([sys.executable, str(winekit.ROOT / "build.py"), "--target",
                        "win-amd64", "--python", ",".join(winekit.PYTHONS), "--output",
                        str(pyz), "--no-run"], check=True, capture_output=True)
        with winekit.session(winekit.ensure_template(), work / "prefix") as wine:
            shutil.copyfile(pyz, wine.drive_c / "mxgw.pyz")
            (wine.drive_c / "bench_driver.py").write_text(DRIVER)
            python = wine.python(args.python)
            rows: dict[str, list[float]] = {}
            for n in range(args.repeat):
                root = work / f"root{n}"
                rows.setdefault("floor: python -c pass", []).append(
                    timed(wine, python, "-c", "pass")[0])
                _, done = timed(wine, python, "C:\\bench_driver.py", "C:\\mxgw.pyz",
                                wine.windows_path(work / f"driver{n}"))
                for phase, value in json.loads(done.stdout).items():
                    rows.setdefault(f"first run: {phase}", []).append(value)
                env = {"SHIV_ROOT": wine.windows_path(root)}
                rows.setdefault("first run: version, whole process", []).append(
                    timed(wine, python, "C:\\mxgw.pyz", "version", env=env)[0])
                rows.setdefault("later run: version, whole process", []).append(
                    timed(wine, python, "C:\\mxgw.pyz", "version", env=env)[0])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    floor = statistics.median(rows["floor: python -c pass"])
    print(f"CPython {args.python} under {winekit.wine_version()}, median of {args.repeat}")
    for name, values in rows.items():
        median = statistics.median(values)
        print(f"{name:40s} {median:6.2f} s  {median / floor:5.1f}x floor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
