"""Deploys: the Galaxy Repository cache's deploy time and sequence, and their watchers."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ._values import utc_now

if TYPE_CHECKING:
    from mxgw._proto import galaxy_pb2 as gpb

_WATCHER_BACKLOG = 256


class DeployState:
    def __init__(self, messages: Any) -> None:
        self._gpb = messages  # the contract's galaxy_pb2
        self.deploy_time: datetime = utc_now()
        self.sequence = 1  # DeployEvent.sequence and the cache sequence move together
        self._watchers: list[asyncio.Queue[gpb.DeployEvent | None]] = []

    def event(self) -> gpb.DeployEvent:
        event = self._gpb.DeployEvent(sequence=self.sequence)
        event.time_of_last_deploy.FromDatetime(self.deploy_time)
        event.observed_at.FromDatetime(utc_now())
        return event

    def deploy(self) -> None:
        """A deploy: new time, new cache sequence (old page tokens go stale), one event."""
        self.deploy_time = utc_now()
        self.sequence += 1
        event = self.event()
        for queue in self._watchers:
            if queue.qsize() < _WATCHER_BACKLOG:  # a slow watcher sees a sequence gap
                queue.put_nowait(event)

    def watch(self) -> asyncio.Queue[gpb.DeployEvent | None]:
        queue: asyncio.Queue[gpb.DeployEvent | None] = asyncio.Queue()
        queue.put_nowait(self.event())
        self._watchers.append(queue)
        return queue

    def unwatch(self, queue: asyncio.Queue[gpb.DeployEvent | None]) -> None:
        if queue in self._watchers:
            self._watchers.remove(queue)

    def close(self) -> None:
        for queue in self._watchers:
            queue.put_nowait(None)
