"""Start-up benchmark of mxgw.pyz (issue 6). A script, not a test (no timed assertions).

    python3 tests/bench_startup.py [--pyz dist/mxgw.pyz] [--runs 15] [--no-windows]

Measures, each as the median of warm runs (after one untimed run):
- `python -c pass`, a trivial shiv pyz (python plus shiv's own bootstrap), and
  `python mxgw.pyz version`: target version <= 1.5 x the trivial shiv pyz;
- a one-shot `mxgw.pyz get TAG` against a simulator process (`mxgw.pyz sim`) versus
  tests/bench_startup_floor.py, which imports grpc and the generated stubs and makes the
  same four RPCs: target <= 1.25 x the floor;
- the first run (extraction into an empty SHIV_ROOT), the pyz size and extracted file
  count, and the size of a win-amd64 pyz for CPython 3.11, 3.12 and 3.13 (built unless
  --no-windows; needs the package index or a warm build cache).
Prints one line per figure and a JSON summary last.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOOR = Path(__file__).resolve().parent / "bench_startup_floor.py"
TAG = "TestChildObject.TestInt"


def timed(cmds: dict[str, list[str]], env: dict[str, str], runs: int) -> dict[str, float]:
    """Median wall time of each command over `runs` rounds, after one untimed round.

    The commands take turns within each round, so load from other processes on the
    machine falls on all of them alike and the ratios stay meaningful.
    """
    def once(cmd: list[str]) -> float:
        start = time.perf_counter()
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr}")
        return elapsed

    samples: dict[str, list[float]] = {name: [] for name in cmds}
    for round_ in range(runs + 1):
        for name, cmd in cmds.items():
            elapsed = once(cmd)
            if round_:
                samples[name].append(elapsed)
    return {name: statistics.median(values) for name, values in samples.items()}


def build(*args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "build.py"), "--no-run", *args], check=True,
                   cwd=ROOT, stdout=subprocess.DEVNULL)


def trivial_shiv(work: Path) -> Path:
    """A pyz that does nothing, made by shiv itself: python plus shiv's bootstrap."""
    site = work / "trivial-site"
    site.mkdir()
    (site / "trivial.py").write_text("def main() -> int:\n    return 0\n")
    out = work / "trivial.pyz"
    venv_python = ROOT / ".venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    subprocess.run([str(venv_python), "-m", "shiv", "--site-packages", str(site),
                    "--entry-point", "trivial:main", "--output-file", str(out),
                    "--reproducible"], check=True, stdout=subprocess.DEVNULL)
    return out


def start_sim(mxgw: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[str],
                                                             dict[str, str]]:
    """`mxgw sim` (`mxgw`: the command that runs mxgw, a pyz or `python -m mxgw`) and its
    start line."""
    proc = subprocess.Popen([*mxgw, "sim", "--port", "0", "--tick-interval", "none"],
                            env=env, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    return proc, json.loads(proc.stdout.readline())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pyz", type=Path, help="default: build one into a temp folder")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--no-windows", action="store_true")
    args = parser.parse_args()
    python = sys.executable
    figures: dict[str, float | str] = {}

    def report(name: str, value: float | str, text: str) -> None:
        figures[name] = round(value, 4) if isinstance(value, float) else value
        print(text, flush=True)

    with tempfile.TemporaryDirectory(prefix="mxgw-bench-") as tmp:
        work = Path(tmp)
        pyz = args.pyz
        if pyz is None:
            pyz = work / "mxgw.pyz"
            build("--output", str(pyz))
        root = work / "shiv-root"
        env = {k: v for k, v in os.environ.items()
               if k != "PYTHONPATH" and not k.startswith(("SHIV_", "MXGATEWAY_"))}
        env.update(SHIV_ROOT=str(root), MXGW_HOME=str(work / "home"))

        firsts = []
        for _ in range(3):
            shutil.rmtree(root, ignore_errors=True)
            start = time.perf_counter()
            subprocess.run([python, str(pyz), "version"], env=env, check=True,
                           stdout=subprocess.DEVNULL)
            firsts.append(time.perf_counter() - start)
        [folder] = [p for p in root.iterdir() if "." not in p.name]
        files = sum(1 for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        report("first_run_s", statistics.median(firsts),
               f"first run (extract {files} files): {statistics.median(firsts):.3f} s")
        report("pyz_bytes", pyz.stat().st_size,
               f"host pyz: {pyz.stat().st_size / 1e6:.1f} MB, {files} files extracted")
        figures["extracted_files"] = files

        warm = timed({"bare": [python, "-c", "pass"],
                      "shiv": [python, str(trivial_shiv(work))],
                      "version": [python, str(pyz), "version"]}, env, args.runs)
        bare, shiv, version = warm["bare"], warm["shiv"], warm["version"]
        report("python_c_pass_s", bare, f"python -c pass:           {bare * 1000:7.1f} ms")
        report("trivial_shiv_s", shiv, f"trivial shiv pyz:         {shiv * 1000:7.1f} ms")
        report("version_s", version, f"mxgw.pyz version (warm):  {version * 1000:7.1f} ms")
        report("version_ratio", version / shiv,
               f"  version / trivial shiv = {version / shiv:.2f} (target <= 1.5)")

        proc, sim = start_sim([python, str(pyz)], env)
        try:
            tcp = {**env, "MXGATEWAY_API_KEY": sim["apiKey"]}
            one_shot = timed({
                "get": [python, str(pyz), "get", TAG, "--endpoint", sim["endpoint"],
                        "--plaintext"],
                "floor": [python, str(FLOOR), str(folder), sim["endpoint"], TAG]},
                tcp, args.runs)
            get, floor = one_shot["get"], one_shot["floor"]
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            if proc.stdout:
                proc.stdout.close()
        report("floor_get_s", floor, f"floor script (same RPCs): {floor * 1000:7.1f} ms")
        report("get_s", get, f"mxgw.pyz get (warm):      {get * 1000:7.1f} ms")
        report("get_ratio", get / floor, f"  get / floor = {get / floor:.2f} (target <= 1.25)")

        if not args.no_windows:
            win = work / "mxgw-win-amd64.pyz"
            try:
                build("--target", "win-amd64", "--python", "3.11,3.12,3.13", "--output", str(win))
            except subprocess.CalledProcessError as exc:
                report("win_amd64_3py_bytes", "unavailable",
                       f"win-amd64 x3 pyz: not built ({exc}); is the package index reachable?")
            else:
                report("win_amd64_3py_bytes", win.stat().st_size,
                       f"win-amd64 pyz, CPython 3.11-3.13: {win.stat().st_size / 1e6:.1f} MB")
    print(json.dumps(figures, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
