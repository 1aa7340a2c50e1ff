"""A gateway-host pyz built on this machine: win-amd64 for CPython 3.11, 3.12 and 3.13
from downloaded Windows wheels. Checks what is inside (each Python's extension modules,
nothing Linux-only) and that it refuses this host with a message naming what it supports.

Needs the package index (or a warm .venv/mxgw-build-cache); skipped with the reason
printed when it cannot be reached.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pkgkit import clean_env, one_json_error, pyz_names, run_pyz
from sharedkit import win_amd64_pyz

from mxgw._launcher import host_target

pytestmark = [pytest.mark.slow, pytest.mark.network]

PYTHONS = ("3.11", "3.12", "3.13")


def index_reachable(tmp_path: Path) -> str | None:
    """None when pip can fetch a Windows wheel, else why not (pip's last words)."""
    done = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
         "--only-binary=:all:", "--platform", "win_amd64", "--python-version", "3.13",
         "--implementation", "cp", "--dest", str(tmp_path), "grpcio>=1.85.1"],
        capture_output=True, text=True, timeout=180, check=False)
    if done.returncode == 0:
        return None
    lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
    network = [line for line in lines if "Retrying" in line or "connection" in line.lower()]
    return "; ".join([*network[:1], *lines[-1:]]) or f"pip exited with {done.returncode}"


@pytest.fixture(scope="module")
def win_pyz(tmp_path_factory: pytest.TempPathFactory) -> Path:
    probe = tmp_path_factory.mktemp("probe")
    problem = index_reachable(probe)
    if problem is not None:
        pytest.skip(f"package index not reachable for Windows wheels: {problem}")
    return win_amd64_pyz(tmp_path_factory, PYTHONS)  # once per run: tests/windows uses it too


def test_each_python_has_its_extension_modules(win_pyz: Path) -> None:
    names = set(pyz_names(win_pyz)[1])
    for version in PYTHONS:
        tag = version.replace(".", "")
        assert f"site-packages/grpc/_cython/cygrpc.cp{tag}-win_amd64.pyd" in names
    assert "site-packages/google/_upb/_message.pyd" in names  # abi3: one for all Pythons
    # pure Python (py3-none-any): the simulator's server reflection
    assert "site-packages/grpc_reflection/v1alpha/_async.py" in names


def test_nothing_linux_only(win_pyz: Path) -> None:
    names = pyz_names(win_pyz)[1]
    with zipfile.ZipFile(win_pyz) as zf:
        launcher = zf.read("__main__.py").decode()
    linux = [n for n in names if n.endswith(".so") or ".so." in n or "linux" in n.lower()
             or "manylinux" in n]
    assert linux == []
    assert [n for n in names if n.startswith("site-packages/grpc_tools/")] == []
    assert "'target': 'win-amd64'" in launcher
    assert "'pythons': ['3.11', '3.12', '3.13']" in launcher


@pytest.mark.skipif(host_target() == "win-amd64", reason="this host is the pyz's target")
def test_refuses_this_host_naming_what_it_supports(win_pyz: Path, tmp_path: Path) -> None:
    done = run_pyz(win_pyz, "version", env=clean_env(tmp_path))
    assert done.returncode == 9
    error = one_json_error(done)
    assert error["type"] == "UnsupportedPlatform"
    assert "built for win-amd64 with CPython 3.11, 3.12, 3.13" in str(error["message"])
