"""The pyz's launcher on Windows CPython (under Wine): where it extracts, the fallbacks,
the cleanup, and refusing a pyz built for another platform. Each test runs on 3.11,
3.12 and 3.13.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from conftest import Mxgw, build_id

pytestmark = [pytest.mark.windows, pytest.mark.slow]

DAY = 24 * 3600


def one_json_error(done: subprocess.CompletedProcess[str]) -> dict[str, object]:
    """Nothing on stdout, one JSON line on stderr, its exitCode the process's."""
    assert done.stdout == "", done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    error = json.loads(lines[0])["error"]
    assert error["exitCode"] == done.returncode
    return dict(error)


def extraction_name(mxgw: Mxgw) -> str:
    return f"mxgw-{build_id(mxgw.wine, mxgw.pyz)}"


def test_first_run_extracts_to_the_profile_and_compiles_for_this_python(mxgw: Mxgw) -> None:
    first = mxgw.first
    assert first.done.returncode == 0, first.done.stderr
    version = json.loads(first.done.stdout)
    assert version["platform"] == "win32" and version["target"] == "win-amd64"
    assert version["python"].startswith(mxgw.version + ".")
    assert version["executable"] == mxgw.python and version["pyz"] is True
    # %USERPROFILE%\.shiv\mxgw-<16 hex>, with this Python's bytecode of what every
    # command imports (compiled at extraction), and no half-made folders left over.
    assert first.folder.is_dir(), sorted(first.folder.parent.iterdir())
    tag = "cpython-" + mxgw.version.replace(".", "")
    assert (first.folder / "mxgw" / "__pycache__" / f"_errors.{tag}.pyc").is_file()
    assert (first.folder / "grpc" / "__pycache__" / f"__init__.{tag}.pyc").is_file()
    assert [p.name for p in first.folder.parent.iterdir() if "." in p.name] == []
    print(f"first run on {mxgw.version}: {first.seconds:.1f} s")


def test_later_run_uses_the_extraction(mxgw: Mxgw) -> None:
    before = mxgw.first.folder.stat().st_mtime_ns
    marker = mxgw.first.folder / "kept.txt"
    marker.write_text("not extracted again")
    done = mxgw.run("version")
    assert done.returncode == 0, done.stderr
    assert marker.is_file()
    assert mxgw.first.folder.stat().st_mtime_ns >= before  # stamped "last started"


def test_shiv_root_then_force_extract(mxgw: Mxgw, tmp_path: Path) -> None:
    root = tmp_path / "shiv root"  # a space in the path, as in C:\Program Files
    env = {"SHIV_ROOT": mxgw.wine.windows_path(root)}
    done = mxgw.run("version", env=env)
    assert done.returncode == 0, done.stderr
    folder = root / extraction_name(mxgw)
    assert folder.is_dir()
    marker = folder / "mxgw" / "planted.txt"
    marker.write_text("a damaged extraction")
    done = mxgw.run("version", env={**env, "SHIV_FORCE_EXTRACT": "1"})
    assert done.returncode == 0, done.stderr
    assert folder.is_dir() and not marker.exists()
    assert sorted(p.name for p in root.iterdir()) == [folder.name]


def test_unwritable_profile_falls_back_to_temp(mxgw: Mxgw) -> None:
    home_root = mxgw.wine.profile / ".shiv"
    aside = home_root.with_name(".shiv-aside")
    # %TEMP%\mxgw-%USERNAME% (Wine's %TEMP% is C:\users\<user>\Temp)
    temp_root = mxgw.wine.profile / "Temp" / f"mxgw-{mxgw.wine.profile.name}"
    shutil.rmtree(temp_root, ignore_errors=True)
    home_root.rename(aside)
    home_root.write_text("a file where the folder should be: cannot extract here")
    try:
        done = mxgw.run("version")
        assert done.returncode == 0, done.stderr
        assert (temp_root / extraction_name(mxgw) / "mxgw").is_dir()
    finally:
        home_root.unlink()
        aside.rename(home_root)
        # Or the next start would use it: an existing extraction in any root is used.
        shutil.rmtree(temp_root, ignore_errors=True)


def test_too_deep_a_root_is_refused_with_a_short_path_hint(mxgw: Mxgw, tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 60) / ("e" * 60) / ("f" * 60)
    done = mxgw.run("version", env={"SHIV_ROOT": mxgw.wine.windows_path(deep)})
    assert done.returncode == 9
    error = one_json_error(done)
    assert error["type"] == "ExtractionError"
    message = str(error["message"])
    assert "too deep for the longest bundled path" in message
    assert "with a short path, e.g. C:\\mxgw" in message
    assert not deep.exists() or not any(deep.iterdir())


def test_stale_extractions_of_other_builds_are_removed(mxgw: Mxgw) -> None:
    root = mxgw.first.folder.parent
    old = time.time() - 2 * DAY
    stale = root / "mxgw-0123456789abcdef"
    recent = root / "mxgw-fedcba9876543210"
    leftover = root / "mxgw-00000000000000aa.del"
    foreign = root / "something-else"
    for folder in (stale, recent, leftover, foreign):
        (folder / "pkg").mkdir(parents=True, exist_ok=True)
    for folder in (stale, leftover, foreign):
        os.utime(folder, (old, old))
    done = mxgw.run("version")
    assert done.returncode == 0, done.stderr
    assert not stale.exists() and not leftover.exists()
    assert recent.is_dir() and foreign.is_dir()  # not stale / not ours
    shutil.rmtree(recent)
    shutil.rmtree(foreign)


def test_linux_pyz_refuses_windows_with_exit_9(mxgw: Mxgw, host_pyz: Path) -> None:
    target = mxgw.wine.drive_c / "mxgw-linux.pyz"
    if not target.is_file():
        shutil.copyfile(host_pyz, target)  # this Linux host's pyz (tests/conftest.py)
    done = mxgw.wine.run(mxgw.python, "C:\\mxgw-linux.pyz", "version")
    assert done.returncode == 9
    error = one_json_error(done)
    assert error["type"] == "UnsupportedPlatform"
    assert str(error["message"]).endswith("; this is win-amd64")
    assert error["target"] == "win-amd64" and error["python"] == mxgw.version
