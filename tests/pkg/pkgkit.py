"""Helpers for the packaging tests: build.py, running a pyz, reading its errors.

Each run gets a clean environment: no PYTHONPATH or SHIV_* from the developer's shell,
its own SHIV_ROOT (so tests never touch ~/.shiv) and MXGW_HOME (no real profiles or
history), unless a test says otherwise.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Mapping
from pathlib import Path

PYTHON = f"{sys.version_info[0]}.{sys.version_info[1]}"
# Modules `mxgw version` must never import (issue 6 and the developers' guide).
HEAVY = ("grpc", "google.protobuf", "ptpython", "prompt_toolkit", "mxgw.sim", "mxgw.testing")


def clean_env(tmp: Path, **extra: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k != "PYTHONPATH" and not k.startswith(("SHIV_", "MXGATEWAY_", "GRPC_"))}
    env["SHIV_ROOT"] = str(tmp / "shiv-root")
    env["MXGW_HOME"] = str(tmp / "mxgw-home")
    for key, value in extra.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run_pyz(pyz: Path, *args: str, env: Mapping[str, str], stdin: str | None = None,
            python_flags: tuple[str, ...] = (), timeout: float = 120
            ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *python_flags, str(pyz), *args], env=dict(env),
                          input=stdin, capture_output=True, text=True, timeout=timeout,
                          check=False)


def one_json_error(done: subprocess.CompletedProcess[str]) -> dict[str, object]:
    """The launcher's (or CLI's) failure: nothing on stdout, one JSON line on stderr."""
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    error = json.loads(lines[0])["error"]
    assert isinstance(error, dict)
    assert error["exitCode"] == done.returncode
    return error


def pyz_names(pyz: Path) -> tuple[list[str], list[str]]:
    """(the pyz's own entries, the entries of its bundled payload archive)."""
    with zipfile.ZipFile(pyz) as outer:
        payload = io.BytesIO(outer.read("site-packages.zip"))
        names = outer.namelist()
    with zipfile.ZipFile(payload) as inner:
        return names, inner.namelist()


def extractions(root: Path) -> list[Path]:
    return sorted(p for p in root.glob("mxgw-*") if p.is_dir() and "." not in p.name)


def rewrite_launcher(pyz: Path, out: Path, old: str, new: str) -> Path:
    """A copy of `pyz` whose __main__.py has `old` replaced (to fake another build)."""
    with zipfile.ZipFile(pyz) as src, open(out, "wb") as fd:
        fd.write(b"#!/usr/bin/env python3\n")
        with zipfile.ZipFile(fd, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = src.read(info)
                if info.filename == "__main__.py":
                    text = data.decode()
                    assert old in text, f"{old!r} not in the launcher"
                    data = text.replace(old, new).encode()
                dst.writestr(info, data)
    return out
