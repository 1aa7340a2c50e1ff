"""Fixtures for the CLI tests (the harness itself is in cli_harness.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_harness import Cli, SimThread, checked_cli


@pytest.fixture(scope="module")
def sim() -> Iterator[SimThread]:
    thread = SimThread(tick_interval=0.05)
    try:
        yield thread
    finally:
        thread.stop()


@pytest.fixture(scope="module")
def tls_sim() -> Iterator[SimThread]:
    """A simulator serving TLS with a self-signed certificate (new at every start)."""
    thread = SimThread(tick_interval=None, tls=True)
    try:
        yield thread
    finally:
        thread.stop()


@pytest.fixture
def cli(sim: SimThread, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> Iterator[Cli]:
    yield from checked_cli(sim, capsys, monkeypatch, tmp_path)


@pytest.fixture
def tcli(tls_sim: SimThread, capsys: pytest.CaptureFixture[str],
         monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Cli]:
    """Like `cli`, against the TLS simulator."""
    yield from checked_cli(tls_sim, capsys, monkeypatch, tmp_path)
