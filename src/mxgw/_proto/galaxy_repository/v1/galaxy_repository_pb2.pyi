import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import wrappers_pb2 as _wrappers_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TestConnectionRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class TestConnectionReply(_message.Message):
    __slots__ = ("ok", "message")
    OK_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    ok: bool
    message: str
    def __init__(self, ok: _Optional[bool] = ..., message: _Optional[str] = ...) -> None: ...

class GetLastDeployTimeRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetLastDeployTimeReply(_message.Message):
    __slots__ = ("time_of_last_deploy", "cache_state")
    TIME_OF_LAST_DEPLOY_FIELD_NUMBER: _ClassVar[int]
    CACHE_STATE_FIELD_NUMBER: _ClassVar[int]
    time_of_last_deploy: _timestamp_pb2.Timestamp
    cache_state: str
    def __init__(self, time_of_last_deploy: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., cache_state: _Optional[str] = ...) -> None: ...

class DiscoverHierarchyRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "root_gobject_id", "root_tag_name", "root_contained_path", "max_depth", "category_ids", "template_chain_contains", "tag_name_glob", "include_attributes", "alarm_bearing_only", "historized_only")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    ROOT_GOBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ROOT_TAG_NAME_FIELD_NUMBER: _ClassVar[int]
    ROOT_CONTAINED_PATH_FIELD_NUMBER: _ClassVar[int]
    MAX_DEPTH_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_IDS_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_CHAIN_CONTAINS_FIELD_NUMBER: _ClassVar[int]
    TAG_NAME_GLOB_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    ALARM_BEARING_ONLY_FIELD_NUMBER: _ClassVar[int]
    HISTORIZED_ONLY_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    root_gobject_id: int
    root_tag_name: str
    root_contained_path: str
    max_depth: _wrappers_pb2.Int32Value
    category_ids: _containers.RepeatedScalarFieldContainer[int]
    template_chain_contains: _containers.RepeatedScalarFieldContainer[str]
    tag_name_glob: str
    include_attributes: bool
    alarm_bearing_only: bool
    historized_only: bool
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., root_gobject_id: _Optional[int] = ..., root_tag_name: _Optional[str] = ..., root_contained_path: _Optional[str] = ..., max_depth: _Optional[_Union[_wrappers_pb2.Int32Value, _Mapping]] = ..., category_ids: _Optional[_Iterable[int]] = ..., template_chain_contains: _Optional[_Iterable[str]] = ..., tag_name_glob: _Optional[str] = ..., include_attributes: _Optional[bool] = ..., alarm_bearing_only: _Optional[bool] = ..., historized_only: _Optional[bool] = ...) -> None: ...

class DiscoverHierarchyReply(_message.Message):
    __slots__ = ("objects", "next_page_token", "total_object_count", "cache_sequence")
    OBJECTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_OBJECT_COUNT_FIELD_NUMBER: _ClassVar[int]
    CACHE_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    objects: _containers.RepeatedCompositeFieldContainer[GalaxyObject]
    next_page_token: str
    total_object_count: int
    cache_sequence: int
    def __init__(self, objects: _Optional[_Iterable[_Union[GalaxyObject, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total_object_count: _Optional[int] = ..., cache_sequence: _Optional[int] = ...) -> None: ...

class BrowseChildrenRequest(_message.Message):
    __slots__ = ("parent_gobject_id", "parent_tag_name", "parent_contained_path", "page_size", "page_token", "category_ids", "template_chain_contains", "tag_name_glob", "include_attributes", "alarm_bearing_only", "historized_only")
    PARENT_GOBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    PARENT_TAG_NAME_FIELD_NUMBER: _ClassVar[int]
    PARENT_CONTAINED_PATH_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_IDS_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_CHAIN_CONTAINS_FIELD_NUMBER: _ClassVar[int]
    TAG_NAME_GLOB_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    ALARM_BEARING_ONLY_FIELD_NUMBER: _ClassVar[int]
    HISTORIZED_ONLY_FIELD_NUMBER: _ClassVar[int]
    parent_gobject_id: int
    parent_tag_name: str
    parent_contained_path: str
    page_size: int
    page_token: str
    category_ids: _containers.RepeatedScalarFieldContainer[int]
    template_chain_contains: _containers.RepeatedScalarFieldContainer[str]
    tag_name_glob: str
    include_attributes: bool
    alarm_bearing_only: bool
    historized_only: bool
    def __init__(self, parent_gobject_id: _Optional[int] = ..., parent_tag_name: _Optional[str] = ..., parent_contained_path: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., category_ids: _Optional[_Iterable[int]] = ..., template_chain_contains: _Optional[_Iterable[str]] = ..., tag_name_glob: _Optional[str] = ..., include_attributes: _Optional[bool] = ..., alarm_bearing_only: _Optional[bool] = ..., historized_only: _Optional[bool] = ...) -> None: ...

class BrowseChildrenReply(_message.Message):
    __slots__ = ("children", "next_page_token", "child_has_children", "cache_sequence")
    CHILDREN_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    CHILD_HAS_CHILDREN_FIELD_NUMBER: _ClassVar[int]
    CACHE_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    children: _containers.RepeatedCompositeFieldContainer[GalaxyObject]
    next_page_token: str
    child_has_children: _containers.RepeatedScalarFieldContainer[bool]
    cache_sequence: int
    def __init__(self, children: _Optional[_Iterable[_Union[GalaxyObject, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., child_has_children: _Optional[_Iterable[bool]] = ..., cache_sequence: _Optional[int] = ...) -> None: ...

class GalaxyObject(_message.Message):
    __slots__ = ("gobject_id", "tag_name", "contained_name", "browse_name", "parent_gobject_id", "is_area", "category_id", "template_chain", "attributes", "hierarchical_name", "hosted_by_gobject_id")
    GOBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    TAG_NAME_FIELD_NUMBER: _ClassVar[int]
    CONTAINED_NAME_FIELD_NUMBER: _ClassVar[int]
    BROWSE_NAME_FIELD_NUMBER: _ClassVar[int]
    PARENT_GOBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    IS_AREA_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_ID_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_CHAIN_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    HIERARCHICAL_NAME_FIELD_NUMBER: _ClassVar[int]
    HOSTED_BY_GOBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    gobject_id: int
    tag_name: str
    contained_name: str
    browse_name: str
    parent_gobject_id: int
    is_area: bool
    category_id: int
    template_chain: _containers.RepeatedScalarFieldContainer[str]
    attributes: _containers.RepeatedCompositeFieldContainer[GalaxyAttribute]
    hierarchical_name: str
    hosted_by_gobject_id: int
    def __init__(self, gobject_id: _Optional[int] = ..., tag_name: _Optional[str] = ..., contained_name: _Optional[str] = ..., browse_name: _Optional[str] = ..., parent_gobject_id: _Optional[int] = ..., is_area: _Optional[bool] = ..., category_id: _Optional[int] = ..., template_chain: _Optional[_Iterable[str]] = ..., attributes: _Optional[_Iterable[_Union[GalaxyAttribute, _Mapping]]] = ..., hierarchical_name: _Optional[str] = ..., hosted_by_gobject_id: _Optional[int] = ...) -> None: ...

class GalaxyAttribute(_message.Message):
    __slots__ = ("attribute_name", "full_tag_reference", "mx_data_type", "data_type_name", "is_array", "array_dimension", "mx_attribute_category", "security_classification", "is_built_in", "is_historized", "is_alarm")
    ATTRIBUTE_NAME_FIELD_NUMBER: _ClassVar[int]
    FULL_TAG_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    MX_DATA_TYPE_FIELD_NUMBER: _ClassVar[int]
    DATA_TYPE_NAME_FIELD_NUMBER: _ClassVar[int]
    IS_ARRAY_FIELD_NUMBER: _ClassVar[int]
    ARRAY_DIMENSION_FIELD_NUMBER: _ClassVar[int]
    MX_ATTRIBUTE_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    SECURITY_CLASSIFICATION_FIELD_NUMBER: _ClassVar[int]
    IS_BUILT_IN_FIELD_NUMBER: _ClassVar[int]
    IS_HISTORIZED_FIELD_NUMBER: _ClassVar[int]
    IS_ALARM_FIELD_NUMBER: _ClassVar[int]
    attribute_name: str
    full_tag_reference: str
    mx_data_type: int
    data_type_name: str
    is_array: bool
    array_dimension: int
    mx_attribute_category: int
    security_classification: int
    is_built_in: bool
    is_historized: bool
    is_alarm: bool
    def __init__(self, attribute_name: _Optional[str] = ..., full_tag_reference: _Optional[str] = ..., mx_data_type: _Optional[int] = ..., data_type_name: _Optional[str] = ..., is_array: _Optional[bool] = ..., array_dimension: _Optional[int] = ..., mx_attribute_category: _Optional[int] = ..., security_classification: _Optional[int] = ..., is_built_in: _Optional[bool] = ..., is_historized: _Optional[bool] = ..., is_alarm: _Optional[bool] = ...) -> None: ...

class WatchDeployEventsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DeployEvent(_message.Message):
    __slots__ = ("sequence", "time_of_last_deploy", "observed_at")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    TIME_OF_LAST_DEPLOY_FIELD_NUMBER: _ClassVar[int]
    OBSERVED_AT_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    time_of_last_deploy: _timestamp_pb2.Timestamp
    observed_at: _timestamp_pb2.Timestamp
    def __init__(self, sequence: _Optional[int] = ..., time_of_last_deploy: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., observed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
