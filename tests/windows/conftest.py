"""Fixtures of the Windows suite: Wine, the win-amd64 pyz, each embeddable Python.

Without Wine (a laptop) every test here is skipped, saying what to install; under CI
(CI=true) that is a failure: CI must run this suite (`.ci/run` installs Wine).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sharedkit
import winekit
from winekit import Wine


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the Windows suite: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def win_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Future[Path]]:
    """The gateway-host pyz for 3.11, 3.12 and 3.13 (built once per run, see sharedkit;
    tests/pkg/test_cross_target.py looks inside the same file), started at once: it is
    built while the Wine prefix is made and booted, not after."""
    problem = winekit.missing()
    if problem is not None:
        _unavailable(problem)
    with ThreadPoolExecutor(1) as pool:
        yield pool.submit(sharedkit.win_amd64_pyz, tmp_path_factory, winekit.PYTHONS)


@pytest.fixture(scope="session")
def wine(tmp_path_factory: pytest.TempPathFactory, win_build: Future[Path]) -> Iterator[Wine]:
    try:
        template = winekit.ensure_template()
    except winekit.DownloadError as exc:
        _unavailable(f"cannot fetch the embeddable Pythons: {exc}")
    with winekit.session(template, tmp_path_factory.mktemp("wine") / "prefix") as running:
        yield running


@pytest.fixture(scope="session")
def win_pyz(wine: Wine, win_build: Future[Path]) -> str:
    """The win-amd64 pyz (`win_build`), at C:\\mxgw.pyz."""
    try:
        built = win_build.result()
    except sharedkit.BuildFailed as exc:
        text = exc.output.strip()
        if "Could not find a version" in text or "connection" in text.lower():
            _unavailable(f"cannot fetch the Windows wheels: {text.splitlines()[-1]}")
        raise
    shutil.copyfile(built, wine.drive_c / "mxgw.pyz")
    return "C:\\mxgw.pyz"


@pytest.fixture(scope="session", params=winekit.PYTHONS)
def py(request: pytest.FixtureRequest) -> str:
    """Each Windows Python in turn ("3.11", ...); tests using it run once per Python."""
    return str(request.param)


@dataclass
class FirstRun:
    done: subprocess.CompletedProcess[str]
    seconds: float
    folder: Path  # the extraction, as a Linux path


@dataclass
class Mxgw:
    """`python.exe C:\\mxgw.pyz ...` with one embeddable Python, in the session's prefix."""

    wine: Wine
    python: str
    pyz: str
    version: str
    first: FirstRun

    def run(self, *args: str, env: dict[str, str] | None = None, stdin: str | None = None,
            ) -> subprocess.CompletedProcess[str]:
        return self.wine.run(self.python, self.pyz, *args, env=env, stdin=stdin)

    def popen(self, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
        return self.wine.popen(self.python, self.pyz, *args, env=env)


_first_runs: dict[str, FirstRun] = {}


def build_id(wine: Wine, pyz: str) -> str:
    import zipfile

    with zipfile.ZipFile(wine.drive_c / pyz[3:]) as zf:
        text = zf.read("__main__.py").decode()
    start = text.index("'build_id': '") + len("'build_id': '")
    return text[start:start + 16]


def claim_python(request: pytest.FixtureRequest, factory: pytest.TempPathFactory,
                 py: str) -> None:
    """Under `--dist loadgroup` one worker runs all the tests of Python `py` (tests/conftest.py,
    GroupScheduling), so one first run per Python is made in the whole run: a second one
    means the grouping is broken, and each worker is repeating every Wine start-up."""
    if not getattr(request.config.option, "loadgroup", False):  # set on xdist's workers
        return
    claims = sharedkit.run_folder(factory) / "windows-pythons"
    claims.mkdir(parents=True, exist_ok=True)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    try:
        with open(claims / py, "x") as f:
            f.write(worker)
    except FileExistsError:
        owner = (claims / py).read_text()
        pytest.fail(f"tests of Windows Python {py} ran on {owner} and {worker}: the "
                    "scheduler's groups (tests/conftest.py) are not in use", pytrace=False)


@pytest.fixture(scope="session")
def mxgw(wine: Wine, win_pyz: str, py: str, request: pytest.FixtureRequest,
         tmp_path_factory: pytest.TempPathFactory) -> Mxgw:
    """Runs the pyz with Python `py`. Its first use is that Python's first run: `version`
    with no extraction in %USERPROFILE%\\.shiv yet (tests/windows/test_win_launcher.py
    checks what it did)."""
    if py not in _first_runs:
        claim_python(request, tmp_path_factory, py)
        folder = wine.profile / ".shiv" / f"mxgw-{build_id(wine, win_pyz)}"
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        done = wine.run(wine.python(py), win_pyz, "version")
        _first_runs[py] = FirstRun(done, time.perf_counter() - started, folder)
    return Mxgw(wine, wine.python(py), win_pyz, py, _first_runs[py])


class Running:
    """A Windows process whose stdout and stderr lines are collected as they come.

    With `events`, it runs under wintool.py, which delivers console control events
    (`send`) the way the console host does; without, Ctrl-C is Unix SIGINT, which Wine
    turns into CTRL_C_EVENT as it does for a terminal's Ctrl-C.
    """

    def __init__(self, wine: Wine, argv: list[str], env: dict[str, str] | None = None,
                 events: Path | None = None) -> None:
        self.events = events
        if events is not None:
            argv = [argv[0], "C:\\wintool.py", "run", wine.windows_path(events), "--", *argv]
        self.proc = wine.popen(*argv, env=env)
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self._changed = threading.Condition()
        self._open = 2  # pipes not at their end yet
        for stream, sink in ((self.proc.stdout, self.stdout), (self.proc.stderr, self.stderr)):
            threading.Thread(target=self._pump, args=(stream, sink), daemon=True).start()

    def _pump(self, stream: Any, sink: list[str]) -> None:
        with stream:
            for line in stream:
                with self._changed:
                    sink.append(line.rstrip("\r\n"))
                    self._changed.notify_all()
        with self._changed:
            self._open -= 1
            self._changed.notify_all()

    def wait_for(self, needle: str, stream: str = "stdout", bound: float = winekit.BOUND
                 ) -> str:
        """The first line containing `needle` (waits, bounded)."""
        sink = self.stdout if stream == "stdout" else self.stderr
        deadline = time.monotonic() + bound
        with self._changed:
            while True:
                found = next((line for line in sink if needle in line), None)
                if found is not None:
                    return found
                left = deadline - time.monotonic()
                if left <= 0 or self._open == 0:
                    raise AssertionError(f"{needle!r} not in {stream}; stdout {self.stdout}, "
                                         f"stderr {self.stderr[-20:]}")
                self._changed.wait(min(left, 0.5))

    def send(self, event: str) -> None:
        """Deliver a console control event: ctrl-c, ctrl-break or close."""
        if self.events is None:
            assert event == "ctrl-c", "ctrl-break and close need events=..."
            os.kill(self.proc.pid, signal.SIGINT)
        else:
            with open(self.events, "a", encoding="ascii") as f:
                f.write(event + "\n")

    def wait(self, bound: float = winekit.BOUND) -> int:
        try:
            code = self.proc.wait(bound)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"still running after {bound} s; stdout {self.stdout}, "
                                 f"stderr {self.stderr[-20:]}") from None
        with self._changed:  # every line is in before the caller looks
            self._changed.wait_for(lambda: self._open == 0, timeout=bound)
        return code

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(30)
