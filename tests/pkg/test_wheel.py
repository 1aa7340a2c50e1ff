"""`pip wheel . --no-deps` through the real build backend: the wheel builds, ships every
file of the package (py.typed, the .pyi stubs, the simulator and its data), and works.

The test suite runs against an editable install, which would not notice a pyproject.toml
that setuptools refuses or package data that never reaches the wheel.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pkgkit import clean_env
from sharedkit import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # A copy of the project, so setuptools' build/ and egg-info stay out of the shared tree.
    project = tmp_path_factory.mktemp("project")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, project / name)
    shutil.copytree(ROOT / "src", project / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
    out = project / "wheelhouse"
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--quiet",
                           "--wheel-dir", str(out)], cwd=project, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    [built] = out.glob("mxgw-*-py3-none-any.whl")
    return built


def test_wheel_ships_every_file_of_the_package(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    package = wheel.parents[1] / "src" / "mxgw"  # the copy it was built from
    on_disk = {f"mxgw/{p.relative_to(package).as_posix()}" for p in package.rglob("*")
               if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}
    assert sorted(on_disk - names) == []
    assert "mxgw/py.typed" in names
    stubs = [n for n in names if n.startswith("mxgw/_proto/") and n.endswith("_pb2.pyi")]
    assert len(stubs) >= 2  # one per proto file: type checkers see the messages
    assert {"mxgw/sim/__main__.py", "mxgw/testing.py", "mxgw/_launcher.py"} <= names
    outside = sorted(n for n in names if n.split("/")[0] != "mxgw"
                     and not n.split("/")[0].endswith(".dist-info"))
    assert outside == []  # no tests, no build.py, no proto/ sources


def test_wheel_metadata_and_entry_point(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        info = next(n.split("/")[0] for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = zf.read(f"{info}/METADATA").decode()
        entry_points = zf.read(f"{info}/entry_points.txt").decode()
    from mxgw import __version__

    assert f"Version: {__version__}" in metadata
    for requirement in ("grpcio", "protobuf", "ptpython", "prompt-toolkit",
                        "grpcio-reflection"):
        assert f"Requires-Dist: {requirement}" in metadata
    assert "mxgw = mxgw.cli:run" in entry_points


def test_installed_wheel_runs_against_its_own_simulator(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--target", str(target), str(wheel)], check=True, timeout=300)
    # PYTHONPATH first: the wheel's mxgw, not the editable checkout, with .venv's grpc.
    env = clean_env(tmp_path, PYTHONPATH=str(target))
    done = subprocess.run([sys.executable, "-m", "mxgw", "get", "TestChildObject.TestInt",
                           "--endpoint", "sim", "--compact"], env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["values"][0]["ok"] is True
    where = subprocess.run([sys.executable, "-c", "import mxgw.sim; print(mxgw.sim.__file__)"],
                           env=env, capture_output=True, text=True, check=True)
    assert where.stdout.startswith(str(target))
