"""A grpc-js peer for tests and benchmarks: node scripts under tests/peers/js.

The scripts load the repository's proto/ files with @grpc/proto-loader, so they are a
client written from the contract alone, in another gRPC runtime. Their npm packages are
installed once with `npm ci` into a cache folder outside the work tree, keyed by the hash
of package.json and package-lock.json (`MXGW_TEST_CACHE` moves the cache)::

    peer = install()                          # or the `jspeer` pytest fixture
    command = peer.command("reconnect.js", "--endpoint", endpoint)
    subprocess.run(command, env=peer.env(MXGATEWAY_API_KEY=key))

In tests, `peer_or_skip()` (and the fixture) skip with the reason when node or npm is
missing or the install fails, except under CI (`CI=true`), where that is a failure.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from mxgw._files import locked

SCRIPTS = Path(__file__).resolve().parent / "js"
_MANIFESTS = ("package.json", "package-lock.json")
INSTALL_BOUND = 600.0  # seconds: an upper bound on `npm ci`, and on waiting for another's


class PeerUnavailable(Exception):
    """The peer cannot run here; the message says why."""


@dataclass(frozen=True)
class JsPeer:
    node: str
    modules: Path  # the installed node_modules folder

    def command(self, script: str, *args: str) -> list[str]:
        return [self.node, str(SCRIPTS / script), *args]

    def env(self, **extra: str) -> dict[str, str]:
        """This process's environment, with the peer's packages on NODE_PATH."""
        return {**os.environ, "NODE_PATH": str(self.modules), **extra}


def cache_root() -> Path:
    if os.environ.get("MXGW_TEST_CACHE"):
        return Path(os.environ["MXGW_TEST_CACHE"])
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"])
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "mxgw-test-peers"


def _key() -> str:
    digest = hashlib.sha256()
    for name in _MANIFESTS:
        digest.update((SCRIPTS / name).read_bytes())
    return digest.hexdigest()[:16]


def install() -> JsPeer:
    """The installed peer, running `npm ci` first when this lock file is not cached yet."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        raise PeerUnavailable("node and npm are not on PATH")
    target = cache_root() / f"js-{_key()}"
    # Runs at once (two test runs, a benchmark) install once: the others wait for it.
    with locked(target, timeout=INSTALL_BOUND):
        if not (target / "node_modules").is_dir():
            _npm_ci(npm, target)
    return JsPeer(node, target / "node_modules")


def _npm_ci(npm: str, target: Path) -> None:
    # Install beside the target and rename: a run that stops half-way never leaves a
    # half-filled target behind.
    work = Path(tempfile.mkdtemp(prefix=f"{target.name}-", dir=target.parent))
    try:
        for name in _MANIFESTS:
            shutil.copy(SCRIPTS / name, work / name)
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=work,
            capture_output=True, text=True, timeout=INSTALL_BOUND, check=False)
        if done.returncode != 0:
            lines = (done.stderr or done.stdout).strip().splitlines() or ["no output"]
            raise PeerUnavailable(f"npm ci failed: {lines[-1]}")
        shutil.rmtree(target, ignore_errors=True)  # one without node_modules: unfinished
        work.rename(target)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def peer_or_skip() -> JsPeer:
    try:
        return install()
    except (PeerUnavailable, OSError, subprocess.TimeoutExpired) as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the grpc-js peer is needed under CI: {exc}")
        pytest.skip(f"grpc-js peer unavailable: {exc}")


@pytest.fixture(scope="session")
def jspeer() -> JsPeer:
    return peer_or_skip()
