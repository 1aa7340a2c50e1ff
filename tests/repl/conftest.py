"""Helpers for driving the REPL console with prompt_toolkit's pipe input."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import pytest_asyncio
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output import DummyOutput

from mxgw.repl._console import ReplConsole, interact
from mxgw.repl._toolbar import ReplInfo

BOUND = 20.0  # seconds: an upper bound on every wait, never an assertion


class Screen:
    """Collects what the console writes; `wait_for` polls with a bound."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    async def wait_for(self, needle: str, bound: float = BOUND) -> None:
        async def poll() -> None:
            while needle not in self.text:
                await asyncio.sleep(0.02)

        try:
            await asyncio.wait_for(poll(), bound)
        except TimeoutError:
            raise AssertionError(f"{needle!r} never appeared; screen:\n{self.text}") from None


def make_info(**overrides: Any) -> ReplInfo:
    fields: dict[str, Any] = {
        "endpoint": "127.0.0.1:1", "transport": "plaintext", "session_id": "session-test",
        "client_name": "mxgw-repl", "server": 1}
    fields.update(overrides)
    return ReplInfo(**fields)


@pytest.fixture
def pipe() -> Iterator[PipeInput]:
    with create_pipe_input() as pipe_input:
        yield pipe_input


class Driver:
    def __init__(self, console: ReplConsole, screen: Screen, pipe: PipeInput) -> None:
        self.console = console
        self.screen = screen
        self.pipe = pipe
        self.task: asyncio.Task[str] | None = None

    def start(self) -> None:
        self.task = asyncio.get_running_loop().create_task(
            interact(self.console, use_patch_stdout=False))

    def type(self, line: str) -> None:
        self.pipe.send_text(line + "\r")

    async def finish(self) -> str:
        """Ctrl-D, then wait (bounded) for the prompt to end; returns the exit reason."""
        assert self.task is not None
        if not self.task.done():
            self.pipe.send_text("\x04")
        return await asyncio.wait_for(self.task, BOUND)


@pytest_asyncio.fixture
async def driver_factory(pipe: PipeInput) -> AsyncIterator[Any]:
    drivers: list[Driver] = []

    def make(namespace: dict[str, Any], **kwargs: Any) -> Driver:
        screen = Screen()
        info = kwargs.pop("info", None) or make_info()
        console = ReplConsole(namespace, info, screen.write, input=pipe, output=DummyOutput(),
                              **kwargs)
        driver = Driver(console, screen, pipe)
        drivers.append(driver)
        return driver

    yield make
    for driver in drivers:
        if driver.task is not None and not driver.task.done():
            driver.console.terminate("test teardown")
            await asyncio.wait_for(asyncio.wait([driver.task]), BOUND)
