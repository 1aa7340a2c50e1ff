"""The table of every proto name the tool uses on the GalaxyRepository service: its
messages (the fields the code touches) and its rpcs. See `_names` and `_table`."""

from __future__ import annotations

from ._names import Int32Value, Timestamp
from ._table import Int32, Message, Protocol, Repeated, UInt64, message, method

GALAXY = "galaxy_repository.v1"
GALAXY_SERVICE = f"{GALAXY}.GalaxyRepository"


@message(GALAXY)
class TestConnectionRequest(Message, Protocol):
    pass


@message(GALAXY)
class TestConnectionReply(Message, Protocol):
    ok: bool
    message: str


@message(GALAXY)
class GetLastDeployTimeRequest(Message, Protocol):
    pass


@message(GALAXY)
class GetLastDeployTimeReply(Message, Protocol):
    time_of_last_deploy: Timestamp
    cache_state: str


class PagedRequest(Message, Protocol):
    """The paging and the filters DiscoverHierarchy and BrowseChildren both take (a part
    of two messages, not a message)."""

    page_size: Int32
    page_token: str
    category_ids: Repeated[Int32]
    template_chain_contains: Repeated[str]
    tag_name_glob: str
    include_attributes: bool
    alarm_bearing_only: bool
    historized_only: bool


@message(GALAXY)
class DiscoverHierarchyRequest(PagedRequest, Protocol):
    root_gobject_id: Int32
    root_tag_name: str
    root_contained_path: str
    max_depth: Int32Value


@message(GALAXY)
class BrowseChildrenRequest(PagedRequest, Protocol):
    parent_gobject_id: Int32
    parent_tag_name: str
    parent_contained_path: str


@message(GALAXY)
class GalaxyAttribute(Message, Protocol):
    attribute_name: str
    full_tag_reference: str
    mx_data_type: Int32
    data_type_name: str
    is_array: bool
    array_dimension: Int32
    mx_attribute_category: Int32
    security_classification: Int32
    is_built_in: bool
    is_historized: bool
    is_alarm: bool


@message(GALAXY)
class GalaxyObject(Message, Protocol):
    gobject_id: Int32
    tag_name: str
    contained_name: str
    browse_name: str
    parent_gobject_id: Int32
    is_area: bool
    category_id: Int32
    template_chain: Repeated[str]
    attributes: Repeated[GalaxyAttribute]
    hierarchical_name: str
    hosted_by_gobject_id: Int32


@message(GALAXY)
class DiscoverHierarchyReply(Message, Protocol):
    objects: Repeated[GalaxyObject]
    next_page_token: str
    total_object_count: Int32


@message(GALAXY)
class BrowseChildrenReply(Message, Protocol):
    children: Repeated[GalaxyObject]
    next_page_token: str
    child_has_children: Repeated[bool]


@message(GALAXY)
class WatchDeployEventsRequest(Message, Protocol):
    pass


@message(GALAXY)
class DeployEvent(Message, Protocol):
    sequence: UInt64
    time_of_last_deploy: Timestamp
    observed_at: Timestamp


TEST_CONNECTION = method(GALAXY_SERVICE, "TestConnection", TestConnectionRequest,
                         TestConnectionReply)
LAST_DEPLOY_TIME = method(GALAXY_SERVICE, "GetLastDeployTime", GetLastDeployTimeRequest,
                          GetLastDeployTimeReply)
DISCOVER_HIERARCHY = method(GALAXY_SERVICE, "DiscoverHierarchy", DiscoverHierarchyRequest,
                            DiscoverHierarchyReply)
WATCH_DEPLOY_EVENTS = method(GALAXY_SERVICE, "WatchDeployEvents", WatchDeployEventsRequest,
                             DeployEvent, stream=True)
BROWSE_CHILDREN = method(GALAXY_SERVICE, "BrowseChildren", BrowseChildrenRequest,
                         BrowseChildrenReply)
