"""SIGTERM, SIGHUP and Ctrl-C take the same path in every command: cancel, close the
sessions, exit 130 (issue 9, item 1).

Real signals to a real `python -m mxgw` process against a simulator process, whose
`--verbose` log shows, from the gateway's side, that every OpenSession got its
CloseSession. Commands that end by themselves (get, put, smoke) are stopped in the
middle in-process instead: a real signal to this process while the command waits.
"""

from __future__ import annotations

import asyncio
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import pytest
from cli_harness import Cli

pytestmark = pytest.mark.skipif(sys.platform == "win32",
                                reason="POSIX signals (the Windows suite runs under Wine)")

BOUND = 60.0  # seconds: a bound on waits, never an assertion


def _lines(stream: IO[str], into: queue.Queue[str]) -> None:
    for line in stream:
        into.put(line)


class SimProcess:
    """`python -m mxgw.sim --verbose` as a process; its log is collected line by line."""

    def __init__(self, home: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mxgw.sim", "--port", "0", "--verbose",
             "--tick-interval", "0.05"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
        assert self.proc.stdout is not None and self.proc.stderr is not None
        out: queue.Queue[str] = queue.Queue()
        self._log: queue.Queue[str] = queue.Queue()
        self._readers = [
            threading.Thread(target=_lines, args=(self.proc.stdout, out), daemon=True),
            threading.Thread(target=_lines, args=(self.proc.stderr, self._log), daemon=True)]
        for reader in self._readers:
            reader.start()
        self.log: list[str] = []
        start = json.loads(out.get(timeout=BOUND))
        self.endpoint = str(start["endpoint"])
        self.api_key = str(start["apiKey"])
        self.home = home

    def env(self) -> dict[str, str]:
        return {**os.environ, "MXGATEWAY_ENDPOINT": f"http://{self.endpoint}",
                "MXGATEWAY_API_KEY": self.api_key, "MXGW_HOME": str(self.home),
                "PYTHONUNBUFFERED": "1"}

    def since(self, mark: int, text: str) -> list[str]:
        self._drain()
        return [line for line in self.log[mark:] if text in line]

    def mark(self) -> int:
        self._drain()
        return len(self.log)

    def wait_for(self, condition: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + BOUND
        while not condition():
            assert time.monotonic() < deadline, f"no {what} within {BOUND} s: {self.log}"
            try:
                self.log.append(self._log.get(timeout=0.05))
            except queue.Empty:
                pass

    def _drain(self) -> None:
        while True:
            try:
                self.log.append(self._log.get_nowait())
            except queue.Empty:
                return

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(BOUND)
        for reader in self._readers:
            reader.join(BOUND)
        for pipe in (self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                pipe.close()


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimProcess]:
    sim = SimProcess(tmp_path_factory.mktemp("home"))
    try:
        yield sim
    finally:
        sim.stop()


class Child:
    """`python -m mxgw ARGV` with its output read on threads (never a blocking read)."""

    def __init__(self, gateway: SimProcess, argv: list[str], *, stdin: bool = False) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mxgw", *argv], env=gateway.env(), text=True,
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert self.proc.stdout is not None and self.proc.stderr is not None
        self.out: queue.Queue[str] = queue.Queue()
        self.err: queue.Queue[str] = queue.Queue()
        self._readers = [
            threading.Thread(target=_lines, args=(self.proc.stdout, self.out), daemon=True),
            threading.Thread(target=_lines, args=(self.proc.stderr, self.err), daemon=True)]
        for reader in self._readers:
            reader.start()

    def first_line(self) -> str:
        return self.out.get(timeout=BOUND)

    def finish(self, signum: int) -> tuple[int, str]:
        """Send `signum`, wait for the exit (stdin stays open until then); return the exit
        code and stderr."""
        self.proc.send_signal(signum)
        try:
            code = self.proc.wait(BOUND)
        finally:
            self.proc.kill()
            self.proc.wait(BOUND)
            for reader in self._readers:
                reader.join(BOUND)
            for pipe in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
                if pipe is not None:
                    pipe.close()
        return code, "".join(self.err.queue)


def _closed_every_session(gateway: SimProcess, mark: int) -> None:
    """The simulator saw as many CloseSession as OpenSession since `mark` (at least one)."""
    opened = gateway.since(mark, "OpenSession  -> OK")
    assert opened, gateway.log[mark:]
    gateway.wait_for(lambda: len(gateway.since(mark, "CloseSession session-")) >= len(opened),
                     "CloseSession")
    closes = gateway.since(mark, "CloseSession session-")
    assert all("-> OK" in line for line in closes), closes


STREAMS = {
    "watch": ["watch", "TestMachine_001.TestChangingInt"],
    "alarms --follow": ["alarms", "--follow"],
    "stream-alarms": ["stream-alarms"],
    "galaxy-watch": ["galaxy-watch"],
}


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT],
                         ids=["SIGTERM", "SIGHUP", "SIGINT"])
def test_watch_closes_its_session_and_exits_130(gateway: SimProcess, signum: int) -> None:
    mark = gateway.mark()
    child = Child(gateway, STREAMS["watch"])
    assert '"tag":"TestMachine_001.TestChangingInt"' in child.first_line()
    code, err = child.finish(signum)
    assert (code, err) == (130, "")
    _closed_every_session(gateway, mark)


@pytest.mark.parametrize("name", ["alarms --follow", "stream-alarms", "galaxy-watch"])
def test_session_less_streams_stop_on_sigterm_with_130(gateway: SimProcess,
                                                      name: str) -> None:
    mark = gateway.mark()
    child = Child(gateway, STREAMS[name])
    assert json.loads(child.first_line())
    code, err = child.finish(signal.SIGTERM)
    assert (code, err) == (130, "")
    rpc = "WatchDeployEvents" if name == "galaxy-watch" else "StreamAlarms"
    gateway.wait_for(lambda: bool(gateway.since(mark, f"{rpc}  -> CANCELLED")),
                     f"{rpc} cancelled")


@pytest.mark.parametrize("command,busy", [("bench-read-bulk", "READ_BULK"),
                                          ("bench-stream-events", "SUBSCRIBE_BULK")])
def test_benchmarks_close_their_session_on_sigterm(gateway: SimProcess, command: str,
                                                   busy: str) -> None:
    mark = gateway.mark()
    child = Child(gateway, [command, "--duration", "600", "--warmup", "0"])
    gateway.wait_for(lambda: bool(gateway.since(mark, busy)), f"{busy} from {command}")
    code, err = child.finish(signal.SIGTERM)
    assert (code, err) == (130, "")
    _closed_every_session(gateway, mark)


def _library(gateway: SimProcess, body: Callable[[Any], Any]) -> Any:
    import mxgw

    async def run() -> Any:
        options = mxgw.ClientOptions(gateway.endpoint, api_key=gateway.api_key,
                                     plaintext=True)
        async with await mxgw.GatewayClient.connect(options) as client:
            return await body(client)

    return asyncio.run(run())


def test_stream_events_cancels_its_stream_on_sigterm(gateway: SimProcess) -> None:
    async def advised(client: Any) -> str:
        session = await client.open_session(name="signals")  # left open for the child
        server = await session.register("signals")
        item = await session.add_item(server, "TestMachine_001.TestChangingInt")
        await session.advise(server, item)
        return str(session.session_id)

    sid = _library(gateway, advised)
    mark = gateway.mark()
    child = Child(gateway, ["stream-events", "--session-id", sid])
    assert json.loads(child.first_line())["sessionId"] == sid
    code, err = child.finish(signal.SIGTERM)
    assert (code, err) == (130, "")
    gateway.wait_for(lambda: bool(gateway.since(mark, f"StreamEvents {sid} -> CANCELLED")),
                     "StreamEvents cancelled")
    assert _library(gateway, lambda client: client.close_session(sid)) == "CLOSED"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_batch_waiting_for_a_line_stops_at_once(gateway: SimProcess, signum: int) -> None:
    # stdin stays open: before, SIGINT hung for ever (asyncio joined the thread blocked
    # in readline) and SIGTERM killed the process with 143.
    mark = gateway.mark()
    child = Child(gateway, ["batch"], stdin=True)
    assert child.proc.stdin is not None
    child.proc.stdin.write("get TestChildObject.TestInt\n")
    child.proc.stdin.flush()
    assert json.loads(child.first_line())["values"]
    assert child.first_line().strip() == "__MXGW_BATCH_EOR__"
    code, err = child.finish(signum)
    assert (code, err) == (130, "")
    _closed_every_session(gateway, mark)


# ------------------------------------------------------------------ in-process


def _stall_with(signum: int) -> Callable[..., Any]:
    """A replacement for a session method: deliver `signum` to this process, then wait
    (at most BOUND) as a slow gateway would."""

    async def stall(*args: object, **kwargs: object) -> None:
        os.kill(os.getpid(), signum)
        await asyncio.sleep(BOUND)
        raise AssertionError(f"signal {signum} did not cancel the command")

    return stall


@pytest.fixture
def guarded() -> Iterator[list[int]]:
    """A SIGTERM/SIGHUP handler of the test's own, so a signal the command failed to take
    is recorded instead of killing pytest; mxgw's handler replaces it while it runs."""
    seen: list[int] = []
    before = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP)}
    for s in before:
        signal.signal(s, lambda signum, frame: seen.append(signum))
    try:
        yield seen
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)


@pytest.mark.parametrize("argv,method", [
    (["get", "TestChildObject.TestInt"], "read"),
    (["put", "TestChildObject.TestInt=5"], "write_tag"),
    (["smoke"], "advise"),
    (["ping"], "close"),
], ids=["get", "put", "smoke", "ping-while-closing"])
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_commands_stopped_midway_close_their_session(cli: Cli, guarded: list[int],
                                                     argv: list[str], method: str,
                                                     signum: int) -> None:
    from mxgw._session import Session

    if method == "close":
        # The signal arrives while the session is being closed: the close goes on.
        real_close = Session.close

        async def close_after_signal(self: Session, reason: str = "") -> str:
            os.kill(os.getpid(), signum)
            await asyncio.sleep(0)
            return await real_close(self, reason)

        cli.monkeypatch.setattr(Session, "close", close_after_signal)
    else:
        cli.monkeypatch.setattr(Session, method, _stall_with(signum))
    result = cli(*argv)
    assert (result.code, result.out, result.err, guarded) == (130, "", "", [])
    assert cli.sim.open_sessions() == 0
