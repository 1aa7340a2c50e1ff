"""The CLI test harness: a simulator on its own thread and event loop, so tests can call
the synchronous `main()` (which runs its own asyncio loop) against it over real gRPC."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from mxgw.cli import main


class SimThread:
    """run_simulator() served by a background loop; `call` runs control methods there."""

    def __init__(self, **overrides: Any) -> None:
        self._overrides = overrides
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._error: BaseException | None = None
        self.sim: Any = None
        self._thread = threading.Thread(target=self._run, name="mxgw-sim", daemon=True)
        self._thread.start()
        if not self._ready.wait(30):
            raise RuntimeError("simulator did not start")
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._serve())
        self._loop.close()

    async def _serve(self) -> None:
        from mxgw.testing import run_simulator

        self._stop = asyncio.Event()
        try:
            async with run_simulator(**self._overrides) as sim:
                self.sim = sim
                self._ready.set()
                await self._stop.wait()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test thread by __init__
            self._error = exc
            self._ready.set()

    def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        async def invoke() -> Any:
            return fn(*args)

        return asyncio.run_coroutine_threadsafe(invoke(), self._loop).result(30)

    @property
    def endpoint(self) -> str:
        return str(self.sim.endpoint)

    @property
    def api_key(self) -> str:
        return str(self.sim.api_key)

    @property
    def read_only_api_key(self) -> str:
        return str(self.sim.read_only_api_key)

    def open_sessions(self) -> int:
        return int(self.call(lambda: self.sim.control.open_session_count))

    def control(self, name: str, *args: Any) -> Any:
        return self.call(getattr(self.sim.control, name), *args)

    def stop(self) -> None:
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def doc(self) -> Any:
        return json.loads(self.out)

    @property
    def lines(self) -> list[Any]:
        return [json.loads(line) for line in self.out.splitlines() if line.strip()]

    @property
    def error(self) -> dict[str, Any]:
        lines = self.err.strip().splitlines()
        assert len(lines) == 1, self.err
        assert "Traceback" not in self.err
        doc = json.loads(lines[0])
        # warnings and notices are there only when there are any (a cleanup that failed,
        # a put stopped part way, a first contact).
        assert set(doc["error"]) - {"warnings", "notices"} == {
            "type", "message", "exitCode", "grpcCode", "protocolStatus", "hresult"}
        assert doc["error"]["exitCode"] == self.code
        return doc["error"]  # type: ignore[no-any-return]


class Cli:
    """Runs `main()` in-process with the simulator's endpoint and key in the environment."""

    def __init__(self, sim: SimThread, capsys: pytest.CaptureFixture[str],
                 monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
        self.sim = sim
        self.capsys = capsys
        self.monkeypatch = monkeypatch
        self.home = home
        monkeypatch.setenv("MXGATEWAY_ENDPOINT", f"http://{sim.endpoint}")
        monkeypatch.setenv("MXGATEWAY_API_KEY", sim.api_key)
        monkeypatch.setenv("MXGW_HOME", str(home))
        monkeypatch.delenv("MXGW_SESSION_ID", raising=False)
        monkeypatch.delenv("MXGATEWAY_PROFILE", raising=False)

    def __call__(self, *argv: str, stdin: str | None = None) -> Result:
        if stdin is not None:
            self.monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        self.capsys.readouterr()
        code = main(list(argv))
        captured = self.capsys.readouterr()
        return Result(code, captured.out, captured.err)

    def ok(self, *argv: str, stdin: str | None = None) -> Any:
        result = self(*argv, stdin=stdin)
        assert result.code == 0, result.err
        assert result.err == "", result.err
        return result

    @contextlib.contextmanager
    def latency(self, seconds: float) -> Iterator[None]:
        """Every call to the simulator takes `seconds` longer inside the block."""
        self.sim.control("set_latency", seconds)
        try:
            yield
        finally:
            self.sim.control("set_latency", 0)

    def audit(self) -> list[dict[str, Any]]:
        path = self.home / "audit.jsonl"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text().splitlines()]




def checked_cli(sim: SimThread, capsys: pytest.CaptureFixture[str],
                monkeypatch: pytest.MonkeyPatch, home: Path) -> Iterator[Cli]:
    """A fixture's body: a Cli on `sim`; whatever the test did, no command may leave a
    session open behind it."""
    yield Cli(sim, capsys, monkeypatch, home)
    assert sim.open_sessions() == 0
