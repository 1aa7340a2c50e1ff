"""Bounded smoke flows against a real gateway: only with MXGATEWAY_INTEGRATION=1.

    MXGATEWAY_INTEGRATION=1 MXGATEWAY_ENDPOINT=http://gateway01:5120 \\
    MXGATEWAY_API_KEY=mxgw_... python3 build.py test tests/client/test_integration.py

The endpoint and key come from the environment (or MXGATEWAY_PROFILE); use an http://
endpoint for a plaintext gateway. MXGATEWAY_INTEGRATION_ITEM names the tag to read
(default TestChildObject.TestInt); writes run only with MXGATEWAY_INTEGRATION_WRITE=1.
Every flow closes its session in `finally` (via `async with`).
"""

from __future__ import annotations

import asyncio
import contextlib
import os

import pytest

import mxgw
from mxgw._rpc._contract import Contract
from mxgw._rpc._events import event_info

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(os.environ.get("MXGATEWAY_INTEGRATION") != "1",
                       reason="real gateway tests run only with MXGATEWAY_INTEGRATION=1"),
]

ITEM = os.environ.get("MXGATEWAY_INTEGRATION_ITEM", "TestChildObject.TestInt")
BOUND = 30.0  # seconds any one flow may take


def options() -> mxgw.ClientOptions:
    return mxgw.ClientOptions.resolve({})


@pytest.mark.asyncio
async def test_smoke_register_advise_first_event() -> None:
    async with await mxgw.GatewayClient.connect(options()) as client:
        async with await client.open_session(name="mxgw-integration") as session:
            server = await session.register("mxgw-integration")
            item = await session.add_item(server, ITEM)
            await session.advise(server, item)
            async with contextlib.aclosing(session.stream_events()) as events:
                event = await asyncio.wait_for(anext(events), BOUND)
            assert event_info(Contract.builtin(), event).item_handle == item
            await session.unadvise(server, item)
            await session.remove_item(server, item)


@pytest.mark.asyncio
async def test_read_and_galaxy() -> None:
    async with await mxgw.GatewayClient.connect(options()) as client:
        assert (await asyncio.wait_for(client.galaxy.test_connection(), BOUND)).ok
        async with await client.open_session(name="mxgw-integration") as session:
            values = await asyncio.wait_for(session.read(ITEM), BOUND)
            assert ITEM in values


@pytest.mark.skipif(os.environ.get("MXGATEWAY_INTEGRATION_WRITE") != "1",
                    reason="writes to a real gateway need MXGATEWAY_INTEGRATION_WRITE=1")
@pytest.mark.asyncio
async def test_write_tag_round_trip() -> None:
    async with await mxgw.GatewayClient.connect(options()) as client:
        async with await client.open_session(name="mxgw-integration") as session:
            before = (await session.read(ITEM))[ITEM].value
            await asyncio.wait_for(session.write_tag(ITEM, before), BOUND)
