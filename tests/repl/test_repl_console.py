"""The prompt, driven with prompt_toolkit's pipe input and a dummy output."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from mxgw import _errors

BOUND = 20.0  # seconds: a bound on waits, never an assertion


@pytest.mark.asyncio
async def test_top_level_await_result_is_displayed(driver_factory: Any) -> None:
    driver = driver_factory({"asyncio": asyncio})
    driver.start()
    driver.type("await asyncio.sleep(0, 'slept') + '!'")
    await driver.screen.wait_for("'slept!'")
    assert await driver.finish() == "exit"


@pytest.mark.asyncio
async def test_exit_call_ends_the_prompt(driver_factory: Any) -> None:
    driver = driver_factory({})
    driver.start()
    driver.type("exit()")
    assert await asyncio.wait_for(driver.task, BOUND) == "exit"


@pytest.mark.asyncio
async def test_ctrl_z_then_enter_quits_where_the_os_cannot_suspend(driver_factory: Any
                                                                   ) -> None:
    # ctrl_z_quits is what Windows gets by default (no SIGTSTP); the Wine suite presses
    # Ctrl-Z on a real console (tests/windows/test_win_repl.py).
    driver = driver_factory({}, ctrl_z_quits=True)
    driver.start()
    driver.pipe.send_text("\x1a\r")
    assert await asyncio.wait_for(driver.task, BOUND) == "exit"


@pytest.mark.asyncio
async def test_banner_names_endpoint_transport_session_and_help(driver_factory: Any) -> None:
    driver = driver_factory({})
    driver.start()
    await driver.screen.wait_for("mxhelp")
    banner = driver.screen.text
    for expected in ("127.0.0.1:1", "plaintext", "session-test", "loaded: client, session",
                     "server handle 1"):
        assert expected in banner
    await driver.finish()


@pytest.mark.asyncio
async def test_gateway_error_is_one_line_and_prompt_survives(driver_factory: Any) -> None:
    async def fail() -> None:
        raise _errors.MxGatewayTransportError("gateway 127.0.0.1:1 unavailable",
                                              grpc_code="UNAVAILABLE")

    driver = driver_factory({"fail": fail})
    driver.start()
    driver.type("await fail()")
    await driver.screen.wait_for("MxGatewayTransportError")
    driver.type("6 * 7")
    await driver.screen.wait_for("42")
    error_lines = [line for line in driver.screen.text.splitlines() if "Transport" in line]
    assert error_lines == [
        "MxGatewayTransportError: gateway 127.0.0.1:1 unavailable (grpc=UNAVAILABLE)"]
    assert "Traceback" not in driver.screen.text
    await driver.finish()


@pytest.mark.asyncio
async def test_debug_shows_the_traceback_of_gateway_errors(driver_factory: Any) -> None:
    async def fail() -> None:
        raise _errors.MxGatewaySessionError("session gone")

    driver = driver_factory({"fail": fail}, debug=True)
    driver.start()
    driver.type("await fail()")
    await driver.screen.wait_for("MxGatewaySessionError: session gone")
    assert "Traceback (most recent call last)" in driver.screen.text
    await driver.finish()


@pytest.mark.asyncio
async def test_python_errors_show_the_users_traceback(driver_factory: Any) -> None:
    driver = driver_factory({})
    driver.start()
    driver.type("1 / 0")
    await driver.screen.wait_for("ZeroDivisionError")
    text = driver.screen.text
    assert "Traceback" in text and '<stdin>", line 1' in text
    assert "_console.py" not in text and "ptpython" not in text
    await driver.finish()


@pytest.mark.asyncio
async def test_secrets_are_not_displayed(driver_factory: Any) -> None:
    key = "mxgw_ab12_SECRETSECRETSECRET"
    driver = driver_factory({"key": key})
    driver.start()
    driver.type("key")
    await driver.screen.wait_for("<redacted>")
    assert "SECRETSECRET" not in driver.screen.text
    await driver.finish()


@pytest.mark.asyncio
async def test_sigterm_path_leaves_the_prompt(driver_factory: Any) -> None:
    driver = driver_factory({})
    driver.start()
    await driver.screen.wait_for("mxhelp")

    async def prompt_running() -> None:
        while not driver.console.app.is_running:
            await asyncio.sleep(0.02)

    # The prompt is up (test_terminate_while_the_prompt_is_starting covers the other
    # case); then what the SIGTERM/SIGHUP handler calls (the e2e test sends the signal).
    await asyncio.wait_for(prompt_running(), BOUND)
    driver.console.terminate("SIGTERM")
    assert await asyncio.wait_for(driver.task, BOUND) == "SIGTERM"


@pytest.mark.asyncio
async def test_quit_builtin_ends_the_prompt_without_killing_the_loop(driver_factory: Any
                                                                    ) -> None:
    driver = driver_factory({})
    driver.start()
    driver.type("quit()")
    assert await asyncio.wait_for(driver.task, BOUND) == "exit"
    assert asyncio.get_running_loop().is_running()


@pytest.mark.asyncio
async def test_tab_completes_a_cached_tag_inside_a_string(driver_factory: Any) -> None:
    from mxgw.repl._completion import TagCache

    cache = TagCache()
    cache.set_names(["TestChildObject.TestInt", "TestChildObject.TestFloat", "Pump001.Speed"])
    driver = driver_factory({}, tag_cache=cache)
    driver.start()
    driver.pipe.send_text('x = "TestChildObject.TestI')
    buffer = driver.console.default_buffer

    async def until(condition: Any) -> None:
        while not condition():
            await asyncio.sleep(0.02)

    # Completion runs in a thread while typing; Tab picks from what it found.
    await asyncio.wait_for(until(lambda: buffer.complete_state is not None
                                 and buffer.complete_state.completions), BOUND)
    driver.pipe.send_text("\t")
    await asyncio.wait_for(until(lambda: "TestChildObject.TestInt" in buffer.text), BOUND)
    driver.type('"')
    driver.type("x")
    await driver.screen.wait_for("'TestChildObject.TestInt'")
    await driver.finish()


@pytest.mark.asyncio
async def test_a_failing_prompt_is_reported_and_retried_then_given_up(
        driver_factory: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    driver = driver_factory({})

    def broken() -> str:
        raise RuntimeError("completer bug")

    monkeypatch.setattr(driver.console, "read", broken)
    driver.start()
    with pytest.raises(RuntimeError):
        await asyncio.wait_for(driver.task, BOUND)
    assert driver.screen.text.count("prompt error") == 3


def test_debug_log_handlers_follow_the_prompt_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import logging
    import sys

    from mxgw.repl._console import _logs_above_prompt

    real, proxy = io.StringIO(), io.StringIO()
    handler = logging.StreamHandler(real)
    logger = logging.getLogger("mxgw")
    logger.addHandler(handler)
    try:
        monkeypatch.setattr(sys, "stderr", proxy)  # what patch_stdout does
        with _logs_above_prompt(real):
            assert handler.stream is proxy
        assert handler.stream is real
    finally:
        logger.removeHandler(handler)


@pytest.mark.asyncio
async def test_terminate_while_the_prompt_is_starting_still_ends_it(
        driver_factory: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    driver = driver_factory({})
    entered, release = threading.Event(), threading.Event()
    real_read = driver.console.read

    def slow_start() -> str:
        # The read thread has begun but the prompt application is not running yet.
        entered.set()
        release.wait(BOUND)
        return real_read()

    monkeypatch.setattr(driver.console, "read", slow_start)
    driver.start()
    assert await asyncio.to_thread(entered.wait, BOUND)
    driver.console.terminate("SIGTERM")
    release.set()
    assert await asyncio.wait_for(driver.task, BOUND) == "SIGTERM"
