"""Fixtures for the whole suite.

Every test gets its own MXGW_HOME, so nothing writes the real user's config folder: TLS
connections remember certificates in known_gateways.json there by default, and a
simulator restarted on a reused port would otherwise meet the last run's entry.
Child processes inherit it through the environment. Tests that need a particular
folder set MXGW_HOME themselves (monkeypatch or a child's env) and win.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _private_mxgw_home(tmp_path_factory: pytest.TempPathFactory,
                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MXGW_HOME", str(tmp_path_factory.mktemp("mxgw-home")))


@pytest.fixture
def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
