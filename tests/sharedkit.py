"""What a test run builds once for all its workers (the pyz files), and build.py itself.

Under pytest-xdist every worker is a pytest session of its own, so a session fixture
runs once per worker. `shared()` builds into the run's temporary folder that all its
workers see, under a lock: whichever worker asks first builds, the others wait for it
and get the same file. Without xdist the run is one session and it builds once as well.

    pyz = shared(tmp_path_factory, "host", "mxgw.pyz", make)   # make(out) runs once
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from mxgw._files import locked

ROOT = Path(__file__).resolve().parents[1]
BUILD_PY = ROOT / "build.py"
BUILD_BOUND = 900.0  # seconds: a cold cross-build fetches wheels; an upper bound, no more


def load_build_script() -> ModuleType:
    """build.py as a module (stdlib only at import), for tests of its functions."""
    spec = importlib.util.spec_from_file_location("mxgw_build_script", BUILD_PY)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class BuildFailed(AssertionError):
    """build.py exited non-zero; the message holds the tail of its output."""

    def __init__(self, args: tuple[str, ...], output: str) -> None:
        super().__init__(f"build.py {' '.join(args)} failed:\n{output}")
        self.output = output


def modules_loaded(code: str, *roots: str) -> list[str]:
    """The modules named `root` or `root.<...>` (for any of `roots`) that running `code`
    in a fresh interpreter loaded, sorted: the import probe of the start-up tests."""
    probe = (f"{code}\nimport json, sys\n"
             f"print(json.dumps(sorted(m for m in sys.modules if any("
             f"m == r or m.startswith(r + '.') for r in {roots!r}))))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    found: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def build(*args: str, timeout: float = BUILD_BOUND) -> subprocess.CompletedProcess[str]:
    """Run build.py with this interpreter (the test .venv has the build's packages)."""
    done = subprocess.run([sys.executable, str(BUILD_PY), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise BuildFailed(args, f"{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
    return done


def run_folder(factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of this run that every worker sees: xdist gives each worker
    a basetemp of its own inside the run's."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def shared(factory: pytest.TempPathFactory, key: str, name: str,
           make: Callable[[Path], None]) -> Path:
    """The file `name`, made once per run and `key` by `make(path)`; a failed `make` leaves
    nothing behind, so the next worker that asks tries again (and reports its own failure)."""
    folder = run_folder(factory) / "shared" / key
    with locked(folder, timeout=BUILD_BOUND):
        if not folder.is_dir():
            work = folder.with_name(f"{folder.name}.partial")
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            make(work / name)
            work.rename(folder)
    return folder / name


def host_pyz(factory: pytest.TempPathFactory) -> Path:
    """The README's first command: `python3 build.py` builds dist/mxgw.pyz and prints the
    JSON of a `get` against the embedded simulator. A copy is returned, so a rebuild of
    dist/ while tests run cannot change it under them."""

    def make(out: Path) -> None:
        done = build()
        smoke = [line for line in done.stdout.splitlines() if line.startswith("{")]
        assert smoke, done.stdout
        assert json.loads(smoke[-1])["values"][0]["tag"] == "TestChildObject.TestInt", smoke
        shutil.copyfile(ROOT / "dist" / "mxgw.pyz", out)

    return shared(factory, "host", "mxgw.pyz", make)


def win_amd64_pyz(factory: pytest.TempPathFactory, pythons: tuple[str, ...]) -> Path:
    """`build.py --target win-amd64 --python <pythons>`, once per run."""

    def make(out: Path) -> None:
        build("--target", "win-amd64", "--python", ",".join(pythons), "--no-run",
              "--output", str(out))

    return shared(factory, f"win-amd64-{'-'.join(pythons)}", "mxgw-win-amd64.pyz", make)
