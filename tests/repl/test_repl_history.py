"""History: kept in the data folder, secret-looking lines never written."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import pytest

from mxgw import _paths
from mxgw.repl._history import is_secret, open_history

BOUND = 20.0  # seconds: a bound on waits, never an assertion


@pytest.mark.parametrize("line", [
    'await session.authenticate_user(server, "operator", "operator-pw")',
    'password = "hunter2"',
    "opts = ClientOptions(endpoint='x', api_key=k)",
    'os.environ["MXGATEWAY_API_KEY"]',
    "client_secret = 'abc'",
    "token = get()",
    'headers = {"key": 1}',
    "'mxgw_ab12_abcdefABCDEF0123'",
])
def test_secret_lines_are_recognised(line: str) -> None:
    assert is_secret(line)


@pytest.mark.parametrize("line", [
    'await read("TestChildObject.TestInt")',
    'w = watch("Pump001.Speed")',
    "await write('Tank001.HiHiLimit', 95.0)",
    "monkeys = 3",
])
def test_ordinary_lines_are_kept(line: str) -> None:
    assert not is_secret(line)


def test_history_file_lives_in_the_data_folder(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    monkeypatch.setenv("MXGW_HOME", str(tmp_path))
    open_history()
    target = Path(_paths.history_file())
    assert target.parent == tmp_path and target.exists()
    if os.name == "posix":
        assert target.stat().st_mode & 0o077 == 0


@pytest.mark.asyncio
async def test_typed_secret_lines_never_reach_the_file(driver_factory: Any,
                                                       tmp_path: Path) -> None:
    path = tmp_path / "repl_history"
    history = open_history(path)
    driver = driver_factory({}, history=history)
    driver.start()
    driver.type("1 + 1")
    await driver.screen.wait_for("2")
    driver.type("password = 'hunter2'")
    driver.type("'after'")
    await driver.screen.wait_for("'after'")
    await driver.finish()

    async def written() -> str:
        # ThreadedHistory writes from its own thread; wait (bounded) for the last line.
        while "'after'" not in path.read_text():
            await asyncio.sleep(0.02)
        return path.read_text()

    text = await asyncio.wait_for(written(), BOUND)
    assert "1 + 1" in text
    assert "hunter2" not in text and "password" not in text
