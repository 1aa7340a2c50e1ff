"""Fixtures for the packaging tests: the host pyz, built once per session (see pkgkit)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pkgkit import ROOT, build, clean_env


@pytest.fixture(scope="session")
def host_pyz(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The README's first command, once per session: `python3 build.py` builds
    dist/mxgw.pyz and prints the JSON of a `get` against the embedded simulator.
    Tests use a copy, so a rebuild of dist/ while they run cannot change it under them."""
    done = build()
    smoke = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert smoke, done.stdout
    assert json.loads(smoke[-1])["values"][0]["tag"] == "TestChildObject.TestInt", smoke
    out = tmp_path_factory.mktemp("host-pyz") / "mxgw.pyz"
    shutil.copyfile(ROOT / "dist" / "mxgw.pyz", out)
    return out


@pytest.fixture(scope="session")
def shared_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("shared-shiv-root")


@pytest.fixture
def env(tmp_path: Path, shared_root: Path) -> dict[str, str]:
    """A clean environment whose SHIV_ROOT is shared by the session (one extraction);
    launcher tests that look at extraction use clean_env(tmp_path) instead."""
    return clean_env(tmp_path, SHIV_ROOT=str(shared_root))
