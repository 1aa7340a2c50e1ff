"""The banner/toolbar facts of a running REPL, and the connection state it shows.

The toolbar is drawn in the prompt's thread and must not touch grpc; a small task
on the REPL's loop polls the channel's connectivity once a second and leaves a
plain string for the toolbar to read. `follow_link` keeps the toolbar in step with
reconnects and redraws it when anything it shows changes (prompt_toolkit redraws on
its own only on input).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from ._toolbar import ReplInfo, contract_line

if TYPE_CHECKING:
    from .._client import GatewayClient
    from ._completion import TagCache
    from ._main import Connected, ReplSettings
    from ._reconnect import SessionLink

POLL_SECONDS = 1.0


class ConnectionMonitor:
    """`state` is "up", "connecting", "idle", "down" or "unknown"."""

    def __init__(self, probe: Callable[[], str]) -> None:
        self._probe = probe
        self.state = "unknown"
        self._task: asyncio.Task[None] | None = None
        self.on_change: Callable[[str], None] = lambda state: None

    def start(self) -> ConnectionMonitor:
        self._poll_once()
        self._task = asyncio.get_running_loop().create_task(self._poll(), name="mxgw-conn")
        return self

    def _poll_once(self) -> None:
        try:
            state = self._probe()
        except Exception:  # noqa: BLE001 - a closed channel while shutting down
            state = "unknown"
        if state != self.state:
            self.state = state
            self.on_change(state)

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(POLL_SECONDS)
            self._poll_once()

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()


_STATES = {
    "READY": "up",
    "IDLE": "idle",
    "CONNECTING": "connecting",
    "TRANSIENT_FAILURE": "down",
    "SHUTDOWN": "closed",
}


def channel_probe(client: GatewayClient) -> Callable[[], str]:
    """Read the grpc.aio channel's connectivity without trying to connect."""

    def probe() -> str:
        state = client.channel.get_state(try_to_connect=False)
        return _STATES.get(getattr(state, "name", str(state)), "unknown")

    return probe


def connection_monitor(client: GatewayClient) -> ConnectionMonitor:
    return ConnectionMonitor(channel_probe(client)).start()


def repl_info(
    connected: Connected, settings: ReplSettings, monitor: ConnectionMonitor, cache: TagCache
) -> ReplInfo:
    client = connected.client
    link = connected.link
    return ReplInfo(
        endpoint=str(client.options.endpoint),
        transport=str(client.transport_description),
        session_id=str(link.session.session_id),
        client_name=settings.client_name,
        server=link.server,
        profile=settings.profile,
        read_only=connected.helpers.read_only,
        connection=lambda: link.connection_text(monitor.state),
        tags=lambda: cache.state,
        contract=contract_line(client.contract_status()),
    )


def follow_link(link: SessionLink, info: ReplInfo, monitor: ConnectionMonitor,
                cache: TagCache, redraw: Callable[[], None]) -> None:
    """After a reconnect show the new session, reload a tag list that failed to load
    while the gateway was away; a failing channel starts the reconnect; redraw."""

    def session_changed() -> None:
        info.session_id, info.server = str(link.session.session_id), link.server
        if link.state == "up" and cache.state.startswith("failed"):
            cache.reload()
        redraw()

    def channel_changed(state: str) -> None:
        if state == "down":
            link.channel_down()
        redraw()

    link.on_change(session_changed)
    monitor.on_change = channel_changed
