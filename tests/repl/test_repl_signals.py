"""Ctrl-C cancels the running call, also where the loop has no add_signal_handler.

Windows event loops raise NotImplementedError from `loop.add_signal_handler`
(ptpython issue #582); we simulate that on Linux by patching the running loop,
then deliver a real SIGINT while an awaited call is running.
"""

from __future__ import annotations

import asyncio
import signal
from typing import Any

import pytest

from mxgw._signals import install_signal_handler

BOUND = 20.0  # seconds: a bound on waits, never an assertion


def _no_signal_support(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    loop = asyncio.get_running_loop()

    def unsupported(*args: Any, **kwargs: Any) -> None:
        calls.append("called")
        raise NotImplementedError

    monkeypatch.setattr(loop, "add_signal_handler", unsupported)
    monkeypatch.setattr(loop, "remove_signal_handler", unsupported)
    return calls


@pytest.mark.asyncio
@pytest.mark.parametrize("windows_like", [True, False], ids=["no-add_signal_handler", "posix"])
async def test_ctrl_c_cancels_running_call_and_prompt_survives(
    driver_factory: Any, monkeypatch: pytest.MonkeyPatch, windows_like: bool
) -> None:
    calls = _no_signal_support(monkeypatch) if windows_like else []
    before = signal.getsignal(signal.SIGINT)
    started = asyncio.Event()
    driver = driver_factory({"asyncio": asyncio, "started": started})
    driver.start()
    driver.type("started.set(); await asyncio.sleep(3600)")
    await asyncio.wait_for(started.wait(), BOUND)
    signal.raise_signal(signal.SIGINT)
    await driver.screen.wait_for("cancelled")
    driver.type("'still here'")
    await driver.screen.wait_for("'still here'")
    assert await driver.finish() == "exit"
    if windows_like:
        assert calls, "the loop's add_signal_handler was not even tried"
    assert signal.getsignal(signal.SIGINT) is before


@pytest.mark.asyncio
async def test_fallback_routes_signal_to_loop_and_restores_previous_handler(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _no_signal_support(monkeypatch)
    loop = asyncio.get_running_loop()
    before = signal.getsignal(signal.SIGINT)
    fired = asyncio.Event()
    undo = install_signal_handler(loop, signal.SIGINT, fired.set)
    try:
        assert signal.getsignal(signal.SIGINT) is not before
        signal.raise_signal(signal.SIGINT)
        await asyncio.wait_for(fired.wait(), BOUND)
    finally:
        undo()
    assert signal.getsignal(signal.SIGINT) is before


@pytest.mark.asyncio
async def test_loop_handler_restores_previous_python_handler() -> None:
    loop = asyncio.get_running_loop()

    def previous(signum: int, frame: Any) -> None:
        raise AssertionError("not expected to run")

    original = signal.signal(signal.SIGTERM, previous)
    try:
        fired = asyncio.Event()
        undo = install_signal_handler(loop, signal.SIGTERM, fired.set)
        signal.raise_signal(signal.SIGTERM)
        await asyncio.wait_for(fired.wait(), BOUND)
        undo()
        assert signal.getsignal(signal.SIGTERM) is previous
    finally:
        signal.signal(signal.SIGTERM, original)
