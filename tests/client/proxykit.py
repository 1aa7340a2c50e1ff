"""A TCP proxy between a client and the simulator, for the faults the wire cannot produce
on 127.0.0.1: a network that goes silent (nothing refused, nothing arrives) and replies
that are late. It runs on the test's event loop, like the simulator."""

from __future__ import annotations

import asyncio
import contextlib
from types import TracebackType
from typing import Self


class Proxy:
    """Forward 127.0.0.1:`port` to `target` ("host:port").

        async with Proxy(sim.endpoint) as proxy:
            options = mxgw.ClientOptions(proxy.endpoint, ...)
            proxy.blackhole()      # from now on every byte, either way, is dropped
            proxy.hold_replies()   # bytes from the server wait ...
            proxy.release()        # ... until now, then flow again
    """

    def __init__(self, target: str) -> None:
        host, _, port = target.rpartition(":")
        self._target = (host.strip("[]"), int(port))
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._writers: list[asyncio.StreamWriter] = []
        self._held: list[tuple[asyncio.StreamWriter, bytes]] = []
        self.blackholed = False
        self.holding = False
        self.port = 0

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.port}"

    async def __aenter__(self) -> Self:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, OSError):
                await task
        for writer in self._writers:
            writer.close()
        await self._server.wait_closed()

    def blackhole(self) -> None:
        self.blackholed = True

    def hold_replies(self) -> None:
        self.holding = True

    def release(self) -> None:
        """Send what was held, in order, and stop holding (no await in between, so nothing
        newer can overtake it)."""
        self.holding = False
        held, self._held = self._held, []
        for writer, data in held:
            writer.write(data)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self._target)
        self._writers += [writer, up_writer]
        for task in (self._pump(reader, up_writer, reply=False),
                     self._pump(up_reader, writer, reply=True)):
            running = asyncio.get_running_loop().create_task(task)
            self._tasks.add(running)
            running.add_done_callback(self._tasks.discard)

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *,
                    reply: bool) -> None:
        with contextlib.suppress(ConnectionError):
            while data := await reader.read(65536):
                if self.blackholed:
                    continue  # read and dropped: the sender sees a silent peer
                if reply and self.holding:
                    self._held.append((writer, data))
                    continue
                writer.write(data)
                await writer.drain()
