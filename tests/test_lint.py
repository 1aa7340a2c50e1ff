"""ruff and mypy --strict are part of the test suite, so CI keeps the code clean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *argv], cwd=ROOT, capture_output=True, check=False,
                          text=True, timeout=600)


@pytest.mark.slow
def test_ruff_is_clean() -> None:
    result = _run("ruff", "check", "--no-cache", "src", "tests", "build.py")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_strict_is_clean() -> None:
    # The cache lives in .venv so a clean clone starts cold and later runs are quick.
    result = _run("mypy", "--strict", "--cache-dir", str(ROOT / ".venv" / "mypy-cache"), "src")
    assert result.returncode == 0, result.stdout + result.stderr
