"""Fixtures for the CLI tests (the harness itself is in cli_harness.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_harness import Cli, SimThread


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
    runner = Cli(sim, capsys, monkeypatch, tmp_path)
    yield runner
    # Whatever a test did, no command may leave a session open behind it.
    assert sim.open_sessions() == 0


@pytest.fixture
def tcli(tls_sim: SimThread, capsys: pytest.CaptureFixture[str],
         monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Cli]:
    """Like `cli`, against the TLS simulator."""
    runner = Cli(tls_sim, capsys, monkeypatch, tmp_path)
    yield runner
    assert tls_sim.open_sessions() == 0
