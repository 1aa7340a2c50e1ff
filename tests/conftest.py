"""Fixtures for the whole suite, and how its tests are spread over pytest-xdist workers.

Every test gets its own MXGW_HOME, so nothing writes the real user's config folder: TLS
connections remember certificates in known_gateways.json there by default, and a
simulator restarted on a reused port would otherwise meet the last run's entry.
Child processes inherit it through the environment. Tests that need a particular
folder set MXGW_HOME themselves (monkeypatch or a child's env) and win.

`build.py test` runs the suite on several pytest-xdist workers (`-n N --dist loadgroup`).
Tests that share something one worker must own run on one worker: `xdist_scope` names
the group of a test from its node id, and `GroupScheduling` hands each group to one
worker, largest first.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sharedkit

_WINDOWS_PYTHON = re.compile(r"\[(3\.\d+)[-\]]")  # the py parameter leads the id


def xdist_scope(nodeid: str) -> str:
    """The group a test runs in: tests of one group run on one worker, in order.

    tests/windows: a worker's session has one Wine prefix and one wineserver, and the
    tests of one Windows Python share its first run (the extraction in %USERPROFILE%),
    each module's Windows simulator (stopped by the module's last test) and the
    profile's folders; so each Python is a group, and three workers run the Windows
    suite at once, each in its own prefix. Every other test is a group of its own.
    What is built once for all workers (the pyz files, the Wine template, the grpc-js
    peer) needs no group: it is made under a lock (sharedkit, winekit, jspeer).
    """
    if nodeid.startswith("tests/windows/"):
        python = _WINDOWS_PYTHON.search(nodeid)
        return f"windows-{python[1]}" if python else "windows"
    return nodeid


class GroupScheduling:
    """Makes `--dist loadgroup` group by `xdist_scope`.

    xdist 3.8's own loadgroup puts a test's xdist_group mark into its node id by setting
    `item._nodeid`, which pytest 9.2 no longer reads (`nodeid` comes from `_id`): every
    test ended up in a group of its own, and the Windows suite ran on every worker, each
    making its own first run and simulator of each Python. A scheduler names the groups
    from node ids alone, which is all it sees (workers collect, the controller does not).
    """

    @pytest.hookimpl
    def pytest_xdist_make_scheduler(self, config: pytest.Config, log: Any) -> Any:
        if config.getvalue("dist") != "loadgroup":
            return None
        from xdist.scheduler import LoadScopeScheduling

        class Scheduling(LoadScopeScheduling):  # type: ignore[misc]
            def _split_scope(self, nodeid: str) -> str:
                return xdist_scope(nodeid)

        return Scheduling(config, log)


def pytest_configure(config: pytest.Config) -> None:
    if config.pluginmanager.hasplugin("xdist"):  # not with -p no:xdist
        config.pluginmanager.register(GroupScheduling(), "mxgw-group-scheduling")


@pytest.fixture(autouse=True)
def _private_mxgw_home(tmp_path_factory: pytest.TempPathFactory,
                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MXGW_HOME", str(tmp_path_factory.mktemp("mxgw-home")))


@pytest.fixture
def free_port() -> Iterator[int]:
    """A TCP port on 127.0.0.1 that nothing listens on, for the test's length: it stays
    bound (so no other test or worker can take it) and never listens (so a connection
    is refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def host_pyz(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/mxgw.pyz as the README's first command builds it, once per run (sharedkit):
    tests/pkg runs it, tests/windows shows Windows refusing it."""
    return sharedkit.host_pyz(tmp_path_factory)
