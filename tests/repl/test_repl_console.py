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
    assert "Traceback" in text and "_console.py" not in text
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
    # What the SIGTERM/SIGHUP handler calls (the e2e test sends the real signal).
    await asyncio.sleep(0.2)
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

