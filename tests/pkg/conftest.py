"""Fixtures for the packaging tests (the host pyz, `host_pyz`, is built once per run:
tests/conftest.py and sharedkit)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pkgkit import clean_env


@pytest.fixture(scope="session")
def shared_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("shared-shiv-root")


@pytest.fixture
def env(tmp_path: Path, shared_root: Path) -> dict[str, str]:
    """A clean environment whose SHIV_ROOT is shared by the session (one extraction);
    launcher tests that look at extraction use clean_env(tmp_path) instead."""
    return clean_env(tmp_path, SHIV_ROOT=str(shared_root))
