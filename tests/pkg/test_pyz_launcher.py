"""The launcher through the real host pyz: where it extracts, what it cleans up, what it
refuses, and that nothing on PYTHONPATH can shadow what it bundles."""

from __future__ import annotations

import json
import marshal
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pkgkit import PYTHON, clean_env, extractions, one_json_error, rewrite_launcher, run_pyz

from mxgw._launcher import STALE_SECONDS, host_target

pytestmark = pytest.mark.slow


def test_shiv_root_is_where_it_extracts(host_pyz: Path, tmp_path: Path) -> None:
    env = clean_env(tmp_path, SHIV_ROOT=str(tmp_path / "my root"))
    assert run_pyz(host_pyz, "version", env=env).returncode == 0
    [folder] = extractions(tmp_path / "my root")
    assert (folder / "mxgw" / "cli" / "__init__.py").is_file()
    assert len(folder.name) == len("mxgw-") + 16  # short: Windows' 260-character paths
    assert sorted(os.listdir(tmp_path / "my root")) == [folder.name]  # no temp leftovers


def test_first_run_compiles_what_every_command_imports(host_pyz: Path, tmp_path: Path) -> None:
    """Even where Python may not write bytecode itself (PYTHONDONTWRITEBYTECODE, as in
    many containers), later starts load .pyc files instead of compiling again."""
    env = clean_env(tmp_path, PYTHONDONTWRITEBYTECODE="1")
    assert run_pyz(host_pyz, "version", env=env).returncode == 0
    [folder] = extractions(Path(env["SHIV_ROOT"]))
    tag = sys.implementation.cache_tag
    for module in ("mxgw/cli/__init__", "mxgw/_client", "grpc/aio/__init__",
                   "google/protobuf/descriptor"):
        package, _, name = module.rpartition("/")
        pyc = folder / package / "__pycache__" / f"{name}.{tag}.pyc"
        assert pyc.is_file(), pyc
    code = marshal.loads((folder / "mxgw" / "__pycache__" / f"__init__.{tag}.pyc")
                         .read_bytes()[16:])
    assert code.co_filename == str(folder / "mxgw" / "__init__.py")  # not the .tmp folder


def test_concurrent_first_runs_share_one_extraction(host_pyz: Path, tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    procs = [subprocess.Popen([sys.executable, str(host_pyz), "version"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(3)]
    results = [proc.communicate(timeout=120) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0, 0], results
    root = Path(env["SHIV_ROOT"])
    assert len(extractions(root)) == 1
    assert [p.name for p in root.iterdir() if "." in p.name] == []  # losers cleaned up


@pytest.mark.skipif(sys.platform == "win32", reason="HOME is a POSIX notion")
def test_unwritable_home_falls_back_to_a_private_temp_folder(host_pyz: Path,
                                                             tmp_path: Path) -> None:
    # HOME is a file, so ~/.shiv cannot be made (chmod would not stop root, which CI is).
    home = tmp_path / "home-is-a-file"
    home.write_text("")
    temp = tmp_path / "temp"
    temp.mkdir()
    env = clean_env(tmp_path, SHIV_ROOT=None, HOME=str(home), TMPDIR=str(temp))
    done = run_pyz(host_pyz, "get", "TestChildObject.TestInt", "--endpoint", "sim", env=env)
    assert done.returncode == 0, done.stderr
    [private] = list(temp.iterdir())
    assert private.name == f"mxgw-{os.getuid()}"
    assert private.stat().st_mode & 0o077 == 0
    assert len(extractions(private)) == 1


def test_no_writable_folder_is_one_json_line(host_pyz: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    done = run_pyz(host_pyz, "version", env=clean_env(tmp_path, SHIV_ROOT=str(blocked)))
    assert done.returncode == 9
    error = one_json_error(done)
    assert error["type"] == "ExtractionError"
    assert "SHIV_ROOT must name a writable folder" in str(error["message"])


def test_old_extractions_are_removed(host_pyz: Path, tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    old = time.time() - 2 * STALE_SECONDS
    for name, mtime in (("mxgw-aaaaaaaaaaaaaaaa", old), ("mxgw-bbbbbbbbbbbbbbbb", time.time()),
                        ("mxgw-cccccccccccccccc.77.tmp", old), ("not-mxgw", old)):
        (root / name / "mxgw").mkdir(parents=True)
        os.utime(root / name, (mtime, mtime))
    assert run_pyz(host_pyz, "version", env=clean_env(tmp_path, SHIV_ROOT=str(root))
                   ).returncode == 0
    left = sorted(os.listdir(root))
    assert "mxgw-aaaaaaaaaaaaaaaa" not in left and "mxgw-cccccccccccccccc.77.tmp" not in left
    assert "mxgw-bbbbbbbbbbbbbbbb" in left  # started recently: may be running
    assert "not-mxgw" in left
    assert len(extractions(root)) == 2  # ours and the recent one


def test_pythonpath_cannot_shadow_bundled_packages(host_pyz: Path, tmp_path: Path) -> None:
    shadow = tmp_path / "shadow"
    for package in ("mxgw", "grpc", "google", "ptpython"):
        (shadow / package).mkdir(parents=True)
        (shadow / package / "__init__.py").write_text(
            f"raise SystemExit('shadowed: {package} came from PYTHONPATH')\n")
    env = clean_env(tmp_path, PYTHONPATH=str(shadow))
    done = run_pyz(host_pyz, "get", "TestChildObject.TestInt", "--endpoint", "sim", env=env)
    assert done.returncode == 0, done.stderr
    done = run_pyz(host_pyz, "repl", "--endpoint", "sim", "--no-history", env=env,
                   stdin="import grpc, google.protobuf, mxgw\n"
                         "[m.__file__.startswith(__import__('sys').path[0]) "
                         "for m in (grpc, google.protobuf, mxgw)]\n")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [True, True, True]


def test_damaged_extraction_is_reported_and_force_extract_repairs(host_pyz: Path,
                                                                  tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    assert run_pyz(host_pyz, "version", env=env).returncode == 0
    [folder] = extractions(Path(env["SHIV_ROOT"]))
    (folder / "mxgw" / "cli" / "__init__.py").unlink()
    (folder / "mxgw" / "cli" / "_main.py").unlink()
    done = run_pyz(host_pyz, "version", env=env)
    assert done.returncode == 9
    assert "SHIV_FORCE_EXTRACT=1" in str(one_json_error(done)["message"])
    done = run_pyz(host_pyz, "version", env={**env, "SHIV_FORCE_EXTRACT": "1"})
    assert done.returncode == 0, done.stderr
    assert run_pyz(host_pyz, "version", env=env).returncode == 0


@pytest.mark.parametrize(("old", "new", "kind", "named"), [
    (f"'pythons': ['{PYTHON}']", "'pythons': ['3.10', '3.99']", "UnsupportedPython",
     "CPython 3.10, 3.99"),
    (f"'target': '{host_target()}'", "'target': 'win32'", "UnsupportedPlatform",
     "built for win32"),
])
def test_wrong_platform_or_python_fails_at_once(host_pyz: Path, tmp_path: Path, old: str,
                                                new: str, kind: str, named: str) -> None:
    other = rewrite_launcher(host_pyz, tmp_path / "other.pyz", old, new)
    env = clean_env(tmp_path)
    done = run_pyz(other, "get", "TestChildObject.TestInt", "--endpoint", "sim", env=env)
    assert done.returncode == 9
    error = one_json_error(done)
    assert error["type"] == kind
    assert named in str(error["message"])
    assert not Path(env["SHIV_ROOT"]).exists()  # refused before extracting anything


def _interpreters(versions: tuple[str, ...]) -> list[str]:
    """Working interpreters of these versions on this machine (PATH or pyenv)."""
    found = []
    for version in versions:
        candidates = [shutil.which(f"python{version}"),
                      *sorted(str(p) for p in Path.home().glob(
                          f".pyenv/versions/{version}.*/bin/python"))]
        for candidate in filter(None, candidates):
            done = subprocess.run([candidate, "-c", "import sys; print(sys.version_info[1])"],
                                  capture_output=True, text=True, check=False)
            if done.returncode == 0 and done.stdout.strip() == version.split(".")[1]:
                found.append(candidate)
                break
    return found


def test_old_interpreters_get_the_json_error_too(host_pyz: Path, tmp_path: Path) -> None:
    """Python 2.7 and 3.6 cannot even parse the launcher: __main__ checks first."""
    pythons = _interpreters(("2.7", "3.6", "3.10"))
    if not pythons:
        pytest.skip("no Python 2.7, 3.6 or 3.10 on this machine to try")
    for python in pythons:
        done = subprocess.run([python, str(host_pyz), "version"], env=clean_env(tmp_path),
                              capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 9, (python, done.stderr)
        error = one_json_error(done)
        assert error["type"] == "UnsupportedPython"
        assert f"CPython {PYTHON}" in str(error["message"])
