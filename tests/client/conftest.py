"""Fixtures: the simulator over real gRPC on 127.0.0.1, a connected client and a session."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
import pytest_asyncio

import mxgw
from mxgw.testing import RunningSimulator, run_simulator


@pytest_asyncio.fixture
async def sim() -> AsyncIterator[RunningSimulator]:
    # tick_interval=None: values change only when a test says so (no timing in tests).
    async with run_simulator(tick_interval=None) as running:
        yield running


OptionsFor = Callable[..., mxgw.ClientOptions]


def _options_for(sim: RunningSimulator, **overrides: object) -> mxgw.ClientOptions:
    values: dict[str, object] = {"api_key": sim.api_key, "plaintext": sim.plaintext}
    values.update(overrides)
    return mxgw.ClientOptions(sim.endpoint, **values)  # type: ignore[arg-type]


@pytest.fixture
def options_for() -> OptionsFor:
    """options_for(sim, **overrides): ClientOptions for the simulator."""
    return _options_for


CancelConsumer = Callable[[AsyncIterator[Any], RunningSimulator], Awaitable[None]]


@pytest.fixture
def cancel_consumer() -> CancelConsumer:
    """cancel_consumer(stream, sim): consume in a task, cancel it after the first item,
    and check the simulator saw the client cancel the call."""

    async def run(stream: AsyncIterator[Any], sim: RunningSimulator) -> None:
        started = asyncio.Event()

        async def consume() -> None:
            async for _ in stream:
                started.set()

        task = asyncio.create_task(consume())
        await started.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        for _ in range(500):  # the server learns of the cancel asynchronously
            if sim.control.cancelled_streams:
                break
            await asyncio.sleep(0.01)
        assert sim.control.cancelled_streams == 1

    return run


@pytest_asyncio.fixture
async def client(sim: RunningSimulator) -> AsyncIterator[mxgw.GatewayClient]:
    async with await mxgw.GatewayClient.connect(_options_for(sim)) as connected:
        yield connected


@pytest_asyncio.fixture
async def session(client: mxgw.GatewayClient) -> AsyncIterator[mxgw.Session]:
    async with await client.open_session(name="pytest") as opened:
        yield opened
