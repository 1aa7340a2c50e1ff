"""Fixtures: a live in-process simulator (values move only on control.tick()) and a Gw."""

from __future__ import annotations

from collections.abc import AsyncIterator

import grpc
import pytest_asyncio
from simkit import Gw

from mxgw.testing import RunningSimulator, run_simulator


@pytest_asyncio.fixture
async def sim() -> AsyncIterator[RunningSimulator]:
    async with run_simulator(tick_interval=None) as running:
        yield running


@pytest_asyncio.fixture
async def gw(sim: RunningSimulator) -> AsyncIterator[Gw]:
    async with grpc.aio.insecure_channel(sim.endpoint) as channel:
        yield Gw(sim, channel, sim.api_key)
