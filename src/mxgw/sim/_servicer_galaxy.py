"""The `galaxy_repository.v1.GalaxyRepository` service over the simulator's galaxy."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import grpc

from ._auth import METADATA_READ
from ._browse import BROWSE_PAGE, DISCOVER_PAGE, Tree, paginate
from ._calls import Rpc
from ._deploy import DeployState
from ._galaxy import Galaxy, GObject
from ._rpc import RpcError, invalid

if TYPE_CHECKING:
    from mxgw._proto import galaxy_pb2 as gpb

    from ._wire import Wire

SERVICE = "galaxy_repository.v1.GalaxyRepository"
HEALTHY = "Galaxy Repository cache is healthy"


class GalaxyServicer:
    def __init__(self, galaxy: Galaxy, deploys: DeployState, wire: Wire) -> None:
        self.gpb = wire.gpb
        self.tree = Tree(galaxy)
        self.deploys = deploys
        # What TestConnection answers (control.set_galaxy_connection).
        self.connection = (True, HEALTHY)

    def rpcs(self) -> list[Rpc]:
        return [
            Rpc("TestConnection", self.test_connection, METADATA_READ),
            Rpc("GetLastDeployTime", self.get_last_deploy_time, METADATA_READ),
            Rpc("DiscoverHierarchy", self.discover_hierarchy, METADATA_READ),
            Rpc("WatchDeployEvents", self.watch_deploy_events, METADATA_READ, streaming=True),
            Rpc("BrowseChildren", self.browse_children, METADATA_READ),
        ]

    def _locate(self, request: Any, which: str) -> GObject:
        """The object named by the request's root/parent oneof (NOT_FOUND if unknown)."""
        value = getattr(request, which)
        if which.endswith("gobject_id"):
            return self.tree.find(gobject_id=value)
        if which.endswith("tag_name"):
            return self.tree.find(tag_name=value)
        return self.tree.find(path=value)

    async def test_connection(self, request: Any, context: Any) -> gpb.TestConnectionReply:
        ok, message = self.connection
        return self.gpb.TestConnectionReply(ok=ok, message=message)

    async def get_last_deploy_time(self, request: Any, context: Any
                                   ) -> gpb.GetLastDeployTimeReply:
        reply = self.gpb.GetLastDeployTimeReply(cache_state="Healthy")
        reply.time_of_last_deploy.FromDatetime(self.deploys.deploy_time)
        return reply

    async def discover_hierarchy(self, request: gpb.DiscoverHierarchyRequest, context: Any
                                 ) -> gpb.DiscoverHierarchyReply:
        which = request.WhichOneof("root")
        root = self._locate(request, which) if which is not None else None
        max_depth = request.max_depth.value if request.HasField("max_depth") else None
        if max_depth is not None and max_depth < 0:
            raise invalid("max_depth must not be negative")
        page = paginate(request, self.tree.walk(root, max_depth), DISCOVER_PAGE,
                        self.deploys.sequence)
        return self.gpb.DiscoverHierarchyReply(
            objects=page.messages(self.gpb), next_page_token=page.next_token,
            total_object_count=page.total, cache_sequence=page.sequence)

    async def browse_children(self, request: gpb.BrowseChildrenRequest, context: Any
                              ) -> gpb.BrowseChildrenReply:
        which = request.WhichOneof("parent")
        parent_id = self._locate(request, which).gobject_id if which is not None else 0
        page = paginate(request, self.tree.children.get(parent_id, []), BROWSE_PAGE,
                        self.deploys.sequence)
        return self.gpb.BrowseChildrenReply(
            children=page.messages(self.gpb), next_page_token=page.next_token,
            child_has_children=[bool(self.tree.children.get(o.gobject_id))
                                for o in page.objects],
            cache_sequence=page.sequence)

    async def watch_deploy_events(self, request: Any, context: Any
                                  ) -> AsyncIterator[gpb.DeployEvent]:
        queue = self.deploys.watch()
        try:
            while True:
                event = await queue.get()
                if event is None:  # stopping: the watch is cut off, as the alarm feeds
                    raise RpcError(grpc.StatusCode.UNAVAILABLE, "deploy watch closed")
                yield event
        finally:
            self.deploys.unwatch(queue)
