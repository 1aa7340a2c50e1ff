"""Galaxy Repository browsing on the client's channel (`client.galaxy`).

    async for obj in client.galaxy.iter_hierarchy(root_tag_name="Area_Tanks"):
        print(obj.tag_name, [a.attribute_name for a in obj.attributes])

Objects are `mxgw.GalaxyObject` records (`tag_name`, `contained_name`, `is_area`,
`template_chain`, `attributes` of `mxgw.GalaxyAttribute`, ...; the contract's field
names). `iter_hierarchy` fetches one page at a time, so memory stays bounded by a page;
`discover_hierarchy` collects them in a list.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from . import _errors, _streams
from ._galaxy_records import DeployEvent, DeployInfo, GalaxyConnection, GalaxyObject
from ._rpc import _galaxy
from ._rpc._calls import Rpc

T = TypeVar("T")


def _root(gobject_id: int | None, tag_name: str | None,
          contained_path: str | None) -> _galaxy.RootSpec:
    given = [(k, v) for k, v in (("gobject_id", gobject_id), ("tag_name", tag_name),
                                 ("contained_path", contained_path)) if v is not None]
    if len(given) > 1:
        raise _errors.MxGatewayConfigError(
            "give at most one of the id, tag name and contained path")
    return _galaxy.RootSpec(*given[0]) if given else _galaxy.RootSpec(None, None)


async def _pages(fetch: Callable[[str], Awaitable[tuple[Iterable[T], str]]],
                 operation: str) -> AsyncGenerator[Iterable[T], None]:
    """Each page of a paged call, following next_page_token until it is empty. A token
    the gateway already gave is an error: following it would loop for ever."""
    token = ""
    seen: set[str] = set()
    while True:
        page, token = await fetch(token)
        yield page
        if not token:
            return
        if token in seen:
            raise _errors.MxGatewayCommandError(
                f"{operation}: the gateway repeated a page token")
        seen.add(token)


class GalaxyRepositoryClient:
    """The GalaxyRepository service. Filters: category_ids, template_chain_contains,
    tag_name_glob, include_attributes, alarm_bearing_only, historized_only."""

    def __init__(self, rpc: Rpc, calls: _streams.CallRegistry) -> None:
        self._rpc = rpc
        self._calls = calls

    def _check_open(self) -> None:
        if self._calls.closed:
            raise _errors.MxGatewayTransportError("the client is closed")

    async def test_connection(self) -> GalaxyConnection:
        self._check_open()
        return await _galaxy.test_connection(self._rpc)

    async def last_deploy_time(self) -> DeployInfo:
        self._check_open()
        return await _galaxy.last_deploy(self._rpc)

    async def iter_hierarchy(
        self, *, root_gobject_id: int | None = None, root_tag_name: str | None = None,
        root_contained_path: str | None = None, max_depth: int | None = None,
        page_size: int = 0, category_ids: Sequence[int] = (),
        template_chain_contains: Sequence[str] = (), tag_name_glob: str = "",
        include_attributes: bool | None = None, alarm_bearing_only: bool = False,
        historized_only: bool = False,
    ) -> AsyncGenerator[GalaxyObject, None]:
        """Objects of the hierarchy (areas first), one page fetched at a time."""
        self._check_open()
        root = _root(root_gobject_id, root_tag_name, root_contained_path)
        filters = _galaxy.GalaxyFilters(category_ids, template_chain_contains, tag_name_glob,
                                     include_attributes, alarm_bearing_only, historized_only)

        async def fetch(token: str) -> tuple[Iterator[GalaxyObject], str]:
            objects, next_token, _ = await _galaxy.discover(self._rpc, page_size, token, root,
                                                            filters, max_depth)
            return objects, next_token

        async with contextlib.aclosing(_pages(fetch, "discover hierarchy")) as pages:
            async for page in pages:
                for obj in page:
                    yield obj

    async def discover_hierarchy(self, **kwargs: Any) -> list[GalaxyObject]:
        """All objects of `iter_hierarchy(**kwargs)` in one list (large galaxies: iterate)."""
        return [obj async for obj in self.iter_hierarchy(**kwargs)]

    async def browse_children(
        self, *, parent_gobject_id: int | None = None, parent_tag_name: str | None = None,
        parent_contained_path: str | None = None, page_size: int = 0,
        category_ids: Sequence[int] = (), template_chain_contains: Sequence[str] = (),
        tag_name_glob: str = "", include_attributes: bool | None = None,
        alarm_bearing_only: bool = False, historized_only: bool = False,
    ) -> list[tuple[GalaxyObject, bool]]:
        """Children of a parent (no parent: the top level) as (object, has_children) pairs,
        all pages collected."""
        self._check_open()
        parent = _root(parent_gobject_id, parent_tag_name, parent_contained_path)
        filters = _galaxy.GalaxyFilters(category_ids, template_chain_contains, tag_name_glob,
                                     include_attributes, alarm_bearing_only, historized_only)

        async def fetch(token: str) -> tuple[list[tuple[GalaxyObject, bool]], str]:
            return await _galaxy.browse(self._rpc, page_size, token, parent, filters)

        return [child async for page in _pages(fetch, "browse children") for child in page]

    async def watch_deploy_events(self) -> AsyncGenerator[DeployEvent, None]:
        """The current deploy state at once, then one event per deploy, until you stop."""
        self._check_open()
        last: int | None = None
        stream = _streams.iterate(_galaxy.watch(self._rpc), self._rpc, "watch deploy events",
                                  self._calls)
        async with contextlib.aclosing(stream):
            async for message in stream:
                sequence = _galaxy.sequence(message)
                missed = sequence - last - 1 if last is not None and sequence > last + 1 else 0
                last = sequence
                yield _galaxy.deploy_event(message, missed)
