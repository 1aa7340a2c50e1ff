import datetime

from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ProtocolStatusCode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PROTOCOL_STATUS_CODE_UNSPECIFIED: _ClassVar[ProtocolStatusCode]
    PROTOCOL_STATUS_CODE_OK: _ClassVar[ProtocolStatusCode]
    PROTOCOL_STATUS_CODE_INVALID_REQUEST: _ClassVar[ProtocolStatusCode]
    PROTOCOL_STATUS_CODE_SESSION_NOT_FOUND: _ClassVar[ProtocolStatusCode]
    PROTOCOL_STATUS_CODE_SESSION_NOT_READY: _ClassVar[ProtocolStatusCode]
    PROTOCOL_STATUS_CODE_WORKER_UNAVAILABLE: _ClassVar[ProtocolStatusCode]
    PROTOCOL_STATUS_CODE_TIMEOUT: _ClassVar[ProtocolStatusCode]
    PROTOCOL_STATUS_CODE_CANCELED: _ClassVar[ProtocolStatusCode]
    PROTOCOL_STATUS_CODE_PROTOCOL_VIOLATION: _ClassVar[ProtocolStatusCode]
    PROTOCOL_STATUS_CODE_MXACCESS_FAILURE: _ClassVar[ProtocolStatusCode]

class SessionState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SESSION_STATE_UNSPECIFIED: _ClassVar[SessionState]
    SESSION_STATE_OPENING: _ClassVar[SessionState]
    SESSION_STATE_READY: _ClassVar[SessionState]
    SESSION_STATE_CLOSING: _ClassVar[SessionState]
    SESSION_STATE_CLOSED: _ClassVar[SessionState]
    SESSION_STATE_FAULTED: _ClassVar[SessionState]

class MxCommandKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MX_COMMAND_KIND_UNSPECIFIED: _ClassVar[MxCommandKind]
    MX_COMMAND_KIND_REGISTER: _ClassVar[MxCommandKind]
    MX_COMMAND_KIND_UNREGISTER: _ClassVar[MxCommandKind]
    MX_COMMAND_KIND_ADD_ITEM: _ClassVar[MxCommandKind]
    MX_COMMAND_KIND_ADD_ITEM2: _ClassVar[MxCommandKind]
    MX_COMMAND_KIND_REMOVE_ITEM: _ClassVar[MxCommandKind]
    MX_COMMAND_KIND_ADVISE: _ClassVar[MxCommandKind]
    MX_COMMAND_KIND_ADVISE_SUPERVISORY: _ClassVar[MxCommandKind]
    MX_COMMAND_KIND_UN_ADVISE: _ClassVar[MxCommandKind]
    MX_COMMAND_KIND_WRITE: _ClassVar[MxCommandKind]
    MX_COMMAND_KIND_WRITE2: _ClassVar[MxCommandKind]
    MX_COMMAND_KIND_WRITE_SECURED: _ClassVar[MxCommandKind]
    MX_COMMAND_KIND_WRITE_SECURED2: _ClassVar[MxCommandKind]
    MX_COMMAND_KIND_AUTHENTICATE_USER: _ClassVar[MxCommandKind]
    MX_COMMAND_KIND_ARCHESTRA_USER_TO_ID: _ClassVar[MxCommandKind]
    MX_COMMAND_KIND_SUSPEND: _ClassVar[MxCommandKind]
    MX_COMMAND_KIND_ACTIVATE: _ClassVar[MxCommandKind]
    MX_COMMAND_KIND_DRAIN_EVENTS: _ClassVar[MxCommandKind]
    MX_COMMAND_KIND_ADD_ITEM_BULK: _ClassVar[MxCommandKind]
    MX_COMMAND_KIND_ADVISE_ITEM_BULK: _ClassVar[MxCommandKind]
    MX_COMMAND_KIND_REMOVE_ITEM_BULK: _ClassVar[MxCommandKind]
    MX_COMMAND_KIND_UN_ADVISE_ITEM_BULK: _ClassVar[MxCommandKind]
    MX_COMMAND_KIND_SUBSCRIBE_BULK: _ClassVar[MxCommandKind]
    MX_COMMAND_KIND_UNSUBSCRIBE_BULK: _ClassVar[MxCommandKind]
    MX_COMMAND_KIND_SUBSCRIBE_ALARMS: _ClassVar[MxCommandKind]
    MX_COMMAND_KIND_UNSUBSCRIBE_ALARMS: _ClassVar[MxCommandKind]
    MX_COMMAND_KIND_ACKNOWLEDGE_ALARM: _ClassVar[MxCommandKind]
    MX_COMMAND_KIND_QUERY_ACTIVE_ALARMS: _ClassVar[MxCommandKind]
    MX_COMMAND_KIND_ACKNOWLEDGE_ALARM_BY_NAME: _ClassVar[MxCommandKind]
    MX_COMMAND_KIND_READ_BULK: _ClassVar[MxCommandKind]
    MX_COMMAND_KIND_WRITE_BULK: _ClassVar[MxCommandKind]
    MX_COMMAND_KIND_WRITE2_BULK: _ClassVar[MxCommandKind]
    MX_COMMAND_KIND_WRITE_SECURED_BULK: _ClassVar[MxCommandKind]
    MX_COMMAND_KIND_WRITE_SECURED2_BULK: _ClassVar[MxCommandKind]

class MxEventFamily(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MX_EVENT_FAMILY_UNSPECIFIED: _ClassVar[MxEventFamily]
    MX_EVENT_FAMILY_ON_DATA_CHANGE: _ClassVar[MxEventFamily]
    MX_EVENT_FAMILY_ON_WRITE_COMPLETE: _ClassVar[MxEventFamily]
    MX_EVENT_FAMILY_OPERATION_COMPLETE: _ClassVar[MxEventFamily]
    MX_EVENT_FAMILY_ON_BUFFERED_DATA_CHANGE: _ClassVar[MxEventFamily]
    MX_EVENT_FAMILY_ON_ALARM_TRANSITION: _ClassVar[MxEventFamily]

class MxDataType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MX_DATA_TYPE_UNSPECIFIED: _ClassVar[MxDataType]
    MX_DATA_TYPE_UNKNOWN: _ClassVar[MxDataType]
    MX_DATA_TYPE_NO_DATA: _ClassVar[MxDataType]
    MX_DATA_TYPE_BOOLEAN: _ClassVar[MxDataType]
    MX_DATA_TYPE_INTEGER: _ClassVar[MxDataType]
    MX_DATA_TYPE_FLOAT: _ClassVar[MxDataType]
    MX_DATA_TYPE_DOUBLE: _ClassVar[MxDataType]
    MX_DATA_TYPE_STRING: _ClassVar[MxDataType]
    MX_DATA_TYPE_TIME: _ClassVar[MxDataType]
    MX_DATA_TYPE_ELAPSED_TIME: _ClassVar[MxDataType]
    MX_DATA_TYPE_REFERENCE_TYPE: _ClassVar[MxDataType]
    MX_DATA_TYPE_STATUS_TYPE: _ClassVar[MxDataType]
    MX_DATA_TYPE_DATA_TYPE_ENUM: _ClassVar[MxDataType]
    MX_DATA_TYPE_SECURITY_CLASSIFICATION_ENUM: _ClassVar[MxDataType]
    MX_DATA_TYPE_DATA_QUALITY_TYPE: _ClassVar[MxDataType]
    MX_DATA_TYPE_QUALIFIED_ENUM: _ClassVar[MxDataType]
    MX_DATA_TYPE_QUALIFIED_STRUCT: _ClassVar[MxDataType]
    MX_DATA_TYPE_INTERNATIONALIZED_STRING: _ClassVar[MxDataType]
    MX_DATA_TYPE_BIG_STRING: _ClassVar[MxDataType]

class MxStatusCategory(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MX_STATUS_CATEGORY_UNSPECIFIED: _ClassVar[MxStatusCategory]
    MX_STATUS_CATEGORY_UNKNOWN: _ClassVar[MxStatusCategory]
    MX_STATUS_CATEGORY_OK: _ClassVar[MxStatusCategory]
    MX_STATUS_CATEGORY_PENDING: _ClassVar[MxStatusCategory]
    MX_STATUS_CATEGORY_WARNING: _ClassVar[MxStatusCategory]
    MX_STATUS_CATEGORY_COMMUNICATION_ERROR: _ClassVar[MxStatusCategory]
    MX_STATUS_CATEGORY_CONFIGURATION_ERROR: _ClassVar[MxStatusCategory]
    MX_STATUS_CATEGORY_OPERATIONAL_ERROR: _ClassVar[MxStatusCategory]
    MX_STATUS_CATEGORY_SECURITY_ERROR: _ClassVar[MxStatusCategory]
    MX_STATUS_CATEGORY_SOFTWARE_ERROR: _ClassVar[MxStatusCategory]
    MX_STATUS_CATEGORY_OTHER_ERROR: _ClassVar[MxStatusCategory]

class MxStatusSource(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MX_STATUS_SOURCE_UNSPECIFIED: _ClassVar[MxStatusSource]
    MX_STATUS_SOURCE_UNKNOWN: _ClassVar[MxStatusSource]
    MX_STATUS_SOURCE_REQUESTING_LMX: _ClassVar[MxStatusSource]
    MX_STATUS_SOURCE_RESPONDING_LMX: _ClassVar[MxStatusSource]
    MX_STATUS_SOURCE_REQUESTING_NMX: _ClassVar[MxStatusSource]
    MX_STATUS_SOURCE_RESPONDING_NMX: _ClassVar[MxStatusSource]
    MX_STATUS_SOURCE_REQUESTING_AUTOMATION_OBJECT: _ClassVar[MxStatusSource]
    MX_STATUS_SOURCE_RESPONDING_AUTOMATION_OBJECT: _ClassVar[MxStatusSource]

class AlarmTransitionKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ALARM_TRANSITION_KIND_UNSPECIFIED: _ClassVar[AlarmTransitionKind]
    ALARM_TRANSITION_KIND_RAISE: _ClassVar[AlarmTransitionKind]
    ALARM_TRANSITION_KIND_ACKNOWLEDGE: _ClassVar[AlarmTransitionKind]
    ALARM_TRANSITION_KIND_CLEAR: _ClassVar[AlarmTransitionKind]
    ALARM_TRANSITION_KIND_RETRIGGER: _ClassVar[AlarmTransitionKind]

class AlarmConditionState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ALARM_CONDITION_STATE_UNSPECIFIED: _ClassVar[AlarmConditionState]
    ALARM_CONDITION_STATE_ACTIVE: _ClassVar[AlarmConditionState]
    ALARM_CONDITION_STATE_ACTIVE_ACKED: _ClassVar[AlarmConditionState]
    ALARM_CONDITION_STATE_RETURNED_UNACKED: _ClassVar[AlarmConditionState]
    ALARM_CONDITION_STATE_CLEARED: _ClassVar[AlarmConditionState]

class AlarmProviderMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ALARM_PROVIDER_MODE_UNSPECIFIED: _ClassVar[AlarmProviderMode]
    ALARM_PROVIDER_MODE_ALARMMGR: _ClassVar[AlarmProviderMode]
    ALARM_PROVIDER_MODE_SUBTAG: _ClassVar[AlarmProviderMode]
PROTOCOL_STATUS_CODE_UNSPECIFIED: ProtocolStatusCode
PROTOCOL_STATUS_CODE_OK: ProtocolStatusCode
PROTOCOL_STATUS_CODE_INVALID_REQUEST: ProtocolStatusCode
PROTOCOL_STATUS_CODE_SESSION_NOT_FOUND: ProtocolStatusCode
PROTOCOL_STATUS_CODE_SESSION_NOT_READY: ProtocolStatusCode
PROTOCOL_STATUS_CODE_WORKER_UNAVAILABLE: ProtocolStatusCode
PROTOCOL_STATUS_CODE_TIMEOUT: ProtocolStatusCode
PROTOCOL_STATUS_CODE_CANCELED: ProtocolStatusCode
PROTOCOL_STATUS_CODE_PROTOCOL_VIOLATION: ProtocolStatusCode
PROTOCOL_STATUS_CODE_MXACCESS_FAILURE: ProtocolStatusCode
SESSION_STATE_UNSPECIFIED: SessionState
SESSION_STATE_OPENING: SessionState
SESSION_STATE_READY: SessionState
SESSION_STATE_CLOSING: SessionState
SESSION_STATE_CLOSED: SessionState
SESSION_STATE_FAULTED: SessionState
MX_COMMAND_KIND_UNSPECIFIED: MxCommandKind
MX_COMMAND_KIND_REGISTER: MxCommandKind
MX_COMMAND_KIND_UNREGISTER: MxCommandKind
MX_COMMAND_KIND_ADD_ITEM: MxCommandKind
MX_COMMAND_KIND_ADD_ITEM2: MxCommandKind
MX_COMMAND_KIND_REMOVE_ITEM: MxCommandKind
MX_COMMAND_KIND_ADVISE: MxCommandKind
MX_COMMAND_KIND_ADVISE_SUPERVISORY: MxCommandKind
MX_COMMAND_KIND_UN_ADVISE: MxCommandKind
MX_COMMAND_KIND_WRITE: MxCommandKind
MX_COMMAND_KIND_WRITE2: MxCommandKind
MX_COMMAND_KIND_WRITE_SECURED: MxCommandKind
MX_COMMAND_KIND_WRITE_SECURED2: MxCommandKind
MX_COMMAND_KIND_AUTHENTICATE_USER: MxCommandKind
MX_COMMAND_KIND_ARCHESTRA_USER_TO_ID: MxCommandKind
MX_COMMAND_KIND_SUSPEND: MxCommandKind
MX_COMMAND_KIND_ACTIVATE: MxCommandKind
MX_COMMAND_KIND_DRAIN_EVENTS: MxCommandKind
MX_COMMAND_KIND_ADD_ITEM_BULK: MxCommandKind
MX_COMMAND_KIND_ADVISE_ITEM_BULK: MxCommandKind
MX_COMMAND_KIND_REMOVE_ITEM_BULK: MxCommandKind
MX_COMMAND_KIND_UN_ADVISE_ITEM_BULK: MxCommandKind
MX_COMMAND_KIND_SUBSCRIBE_BULK: MxCommandKind
MX_COMMAND_KIND_UNSUBSCRIBE_BULK: MxCommandKind
MX_COMMAND_KIND_SUBSCRIBE_ALARMS: MxCommandKind
MX_COMMAND_KIND_UNSUBSCRIBE_ALARMS: MxCommandKind
MX_COMMAND_KIND_ACKNOWLEDGE_ALARM: MxCommandKind
MX_COMMAND_KIND_QUERY_ACTIVE_ALARMS: MxCommandKind
MX_COMMAND_KIND_ACKNOWLEDGE_ALARM_BY_NAME: MxCommandKind
MX_COMMAND_KIND_READ_BULK: MxCommandKind
MX_COMMAND_KIND_WRITE_BULK: MxCommandKind
MX_COMMAND_KIND_WRITE2_BULK: MxCommandKind
MX_COMMAND_KIND_WRITE_SECURED_BULK: MxCommandKind
MX_COMMAND_KIND_WRITE_SECURED2_BULK: MxCommandKind
MX_EVENT_FAMILY_UNSPECIFIED: MxEventFamily
MX_EVENT_FAMILY_ON_DATA_CHANGE: MxEventFamily
MX_EVENT_FAMILY_ON_WRITE_COMPLETE: MxEventFamily
MX_EVENT_FAMILY_OPERATION_COMPLETE: MxEventFamily
MX_EVENT_FAMILY_ON_BUFFERED_DATA_CHANGE: MxEventFamily
MX_EVENT_FAMILY_ON_ALARM_TRANSITION: MxEventFamily
MX_DATA_TYPE_UNSPECIFIED: MxDataType
MX_DATA_TYPE_UNKNOWN: MxDataType
MX_DATA_TYPE_NO_DATA: MxDataType
MX_DATA_TYPE_BOOLEAN: MxDataType
MX_DATA_TYPE_INTEGER: MxDataType
MX_DATA_TYPE_FLOAT: MxDataType
MX_DATA_TYPE_DOUBLE: MxDataType
MX_DATA_TYPE_STRING: MxDataType
MX_DATA_TYPE_TIME: MxDataType
MX_DATA_TYPE_ELAPSED_TIME: MxDataType
MX_DATA_TYPE_REFERENCE_TYPE: MxDataType
MX_DATA_TYPE_STATUS_TYPE: MxDataType
MX_DATA_TYPE_DATA_TYPE_ENUM: MxDataType
MX_DATA_TYPE_SECURITY_CLASSIFICATION_ENUM: MxDataType
MX_DATA_TYPE_DATA_QUALITY_TYPE: MxDataType
MX_DATA_TYPE_QUALIFIED_ENUM: MxDataType
MX_DATA_TYPE_QUALIFIED_STRUCT: MxDataType
MX_DATA_TYPE_INTERNATIONALIZED_STRING: MxDataType
MX_DATA_TYPE_BIG_STRING: MxDataType
MX_STATUS_CATEGORY_UNSPECIFIED: MxStatusCategory
MX_STATUS_CATEGORY_UNKNOWN: MxStatusCategory
MX_STATUS_CATEGORY_OK: MxStatusCategory
MX_STATUS_CATEGORY_PENDING: MxStatusCategory
MX_STATUS_CATEGORY_WARNING: MxStatusCategory
MX_STATUS_CATEGORY_COMMUNICATION_ERROR: MxStatusCategory
MX_STATUS_CATEGORY_CONFIGURATION_ERROR: MxStatusCategory
MX_STATUS_CATEGORY_OPERATIONAL_ERROR: MxStatusCategory
MX_STATUS_CATEGORY_SECURITY_ERROR: MxStatusCategory
MX_STATUS_CATEGORY_SOFTWARE_ERROR: MxStatusCategory
MX_STATUS_CATEGORY_OTHER_ERROR: MxStatusCategory
MX_STATUS_SOURCE_UNSPECIFIED: MxStatusSource
MX_STATUS_SOURCE_UNKNOWN: MxStatusSource
MX_STATUS_SOURCE_REQUESTING_LMX: MxStatusSource
MX_STATUS_SOURCE_RESPONDING_LMX: MxStatusSource
MX_STATUS_SOURCE_REQUESTING_NMX: MxStatusSource
MX_STATUS_SOURCE_RESPONDING_NMX: MxStatusSource
MX_STATUS_SOURCE_REQUESTING_AUTOMATION_OBJECT: MxStatusSource
MX_STATUS_SOURCE_RESPONDING_AUTOMATION_OBJECT: MxStatusSource
ALARM_TRANSITION_KIND_UNSPECIFIED: AlarmTransitionKind
ALARM_TRANSITION_KIND_RAISE: AlarmTransitionKind
ALARM_TRANSITION_KIND_ACKNOWLEDGE: AlarmTransitionKind
ALARM_TRANSITION_KIND_CLEAR: AlarmTransitionKind
ALARM_TRANSITION_KIND_RETRIGGER: AlarmTransitionKind
ALARM_CONDITION_STATE_UNSPECIFIED: AlarmConditionState
ALARM_CONDITION_STATE_ACTIVE: AlarmConditionState
ALARM_CONDITION_STATE_ACTIVE_ACKED: AlarmConditionState
ALARM_CONDITION_STATE_RETURNED_UNACKED: AlarmConditionState
ALARM_CONDITION_STATE_CLEARED: AlarmConditionState
ALARM_PROVIDER_MODE_UNSPECIFIED: AlarmProviderMode
ALARM_PROVIDER_MODE_ALARMMGR: AlarmProviderMode
ALARM_PROVIDER_MODE_SUBTAG: AlarmProviderMode

class ProtocolStatus(_message.Message):
    __slots__ = ("code", "message")
    CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    code: ProtocolStatusCode
    message: str
    def __init__(self, code: _Optional[_Union[ProtocolStatusCode, str]] = ..., message: _Optional[str] = ...) -> None: ...

class MxStatusProxy(_message.Message):
    __slots__ = ("success", "category", "detected_by", "detail", "raw_category", "raw_detected_by", "diagnostic_text")
    SUCCESS_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    DETECTED_BY_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    RAW_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    RAW_DETECTED_BY_FIELD_NUMBER: _ClassVar[int]
    DIAGNOSTIC_TEXT_FIELD_NUMBER: _ClassVar[int]
    success: int
    category: MxStatusCategory
    detected_by: MxStatusSource
    detail: int
    raw_category: int
    raw_detected_by: int
    diagnostic_text: str
    def __init__(self, success: _Optional[int] = ..., category: _Optional[_Union[MxStatusCategory, str]] = ..., detected_by: _Optional[_Union[MxStatusSource, str]] = ..., detail: _Optional[int] = ..., raw_category: _Optional[int] = ..., raw_detected_by: _Optional[int] = ..., diagnostic_text: _Optional[str] = ...) -> None: ...

class MxValue(_message.Message):
    __slots__ = ("data_type", "variant_type", "is_null", "raw_data_type", "bool_value", "int32_value", "int64_value", "float_value", "double_value", "string_value", "time_value", "elapsed_value", "array_value", "raw_value")
    DATA_TYPE_FIELD_NUMBER: _ClassVar[int]
    VARIANT_TYPE_FIELD_NUMBER: _ClassVar[int]
    IS_NULL_FIELD_NUMBER: _ClassVar[int]
    RAW_DATA_TYPE_FIELD_NUMBER: _ClassVar[int]
    BOOL_VALUE_FIELD_NUMBER: _ClassVar[int]
    INT32_VALUE_FIELD_NUMBER: _ClassVar[int]
    INT64_VALUE_FIELD_NUMBER: _ClassVar[int]
    FLOAT_VALUE_FIELD_NUMBER: _ClassVar[int]
    DOUBLE_VALUE_FIELD_NUMBER: _ClassVar[int]
    STRING_VALUE_FIELD_NUMBER: _ClassVar[int]
    TIME_VALUE_FIELD_NUMBER: _ClassVar[int]
    ELAPSED_VALUE_FIELD_NUMBER: _ClassVar[int]
    ARRAY_VALUE_FIELD_NUMBER: _ClassVar[int]
    RAW_VALUE_FIELD_NUMBER: _ClassVar[int]
    data_type: MxDataType
    variant_type: str
    is_null: bool
    raw_data_type: int
    bool_value: bool
    int32_value: int
    int64_value: int
    float_value: float
    double_value: float
    string_value: str
    time_value: _timestamp_pb2.Timestamp
    elapsed_value: _duration_pb2.Duration
    array_value: MxArray
    raw_value: bytes
    def __init__(self, data_type: _Optional[_Union[MxDataType, str]] = ..., variant_type: _Optional[str] = ..., is_null: _Optional[bool] = ..., raw_data_type: _Optional[int] = ..., bool_value: _Optional[bool] = ..., int32_value: _Optional[int] = ..., int64_value: _Optional[int] = ..., float_value: _Optional[float] = ..., double_value: _Optional[float] = ..., string_value: _Optional[str] = ..., time_value: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., elapsed_value: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., array_value: _Optional[_Union[MxArray, _Mapping]] = ..., raw_value: _Optional[bytes] = ...) -> None: ...

class MxArray(_message.Message):
    __slots__ = ("element_data_type", "element_variant_type", "values")
    ELEMENT_DATA_TYPE_FIELD_NUMBER: _ClassVar[int]
    ELEMENT_VARIANT_TYPE_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    element_data_type: MxDataType
    element_variant_type: str
    values: _containers.RepeatedCompositeFieldContainer[MxValue]
    def __init__(self, element_data_type: _Optional[_Union[MxDataType, str]] = ..., element_variant_type: _Optional[str] = ..., values: _Optional[_Iterable[_Union[MxValue, _Mapping]]] = ...) -> None: ...

class OpenSessionRequest(_message.Message):
    __slots__ = ("client_session_name", "client_version", "requested_lease")
    CLIENT_SESSION_NAME_FIELD_NUMBER: _ClassVar[int]
    CLIENT_VERSION_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_LEASE_FIELD_NUMBER: _ClassVar[int]
    client_session_name: str
    client_version: str
    requested_lease: _duration_pb2.Duration
    def __init__(self, client_session_name: _Optional[str] = ..., client_version: _Optional[str] = ..., requested_lease: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class OpenSessionReply(_message.Message):
    __slots__ = ("session_id", "backend_name", "gateway_protocol_version", "worker_protocol_version", "protocol_status", "capabilities", "lease_expires_at")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    BACKEND_NAME_FIELD_NUMBER: _ClassVar[int]
    GATEWAY_PROTOCOL_VERSION_FIELD_NUMBER: _ClassVar[int]
    WORKER_PROTOCOL_VERSION_FIELD_NUMBER: _ClassVar[int]
    PROTOCOL_STATUS_FIELD_NUMBER: _ClassVar[int]
    CAPABILITIES_FIELD_NUMBER: _ClassVar[int]
    LEASE_EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    backend_name: str
    gateway_protocol_version: int
    worker_protocol_version: int
    protocol_status: ProtocolStatus
    capabilities: _containers.RepeatedScalarFieldContainer[str]
    lease_expires_at: _timestamp_pb2.Timestamp
    def __init__(self, session_id: _Optional[str] = ..., backend_name: _Optional[str] = ..., gateway_protocol_version: _Optional[int] = ..., worker_protocol_version: _Optional[int] = ..., protocol_status: _Optional[_Union[ProtocolStatus, _Mapping]] = ..., capabilities: _Optional[_Iterable[str]] = ..., lease_expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CloseSessionRequest(_message.Message):
    __slots__ = ("session_id", "reason")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    reason: str
    def __init__(self, session_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class CloseSessionReply(_message.Message):
    __slots__ = ("session_id", "final_state", "protocol_status")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    FINAL_STATE_FIELD_NUMBER: _ClassVar[int]
    PROTOCOL_STATUS_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    final_state: SessionState
    protocol_status: ProtocolStatus
    def __init__(self, session_id: _Optional[str] = ..., final_state: _Optional[_Union[SessionState, str]] = ..., protocol_status: _Optional[_Union[ProtocolStatus, _Mapping]] = ...) -> None: ...

class StreamEventsRequest(_message.Message):
    __slots__ = ("session_id", "after_worker_sequence")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    AFTER_WORKER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    after_worker_sequence: int
    def __init__(self, session_id: _Optional[str] = ..., after_worker_sequence: _Optional[int] = ...) -> None: ...

class MxCommandRequest(_message.Message):
    __slots__ = ("session_id", "command", "client_correlation_id")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    CLIENT_CORRELATION_ID_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    command: MxCommand
    client_correlation_id: str
    def __init__(self, session_id: _Optional[str] = ..., command: _Optional[_Union[MxCommand, _Mapping]] = ..., client_correlation_id: _Optional[str] = ...) -> None: ...

class MxCommand(_message.Message):
    __slots__ = ("kind", "register_command", "unregister_command", "add_item_command", "add_item2_command", "remove_item_command", "advise_command", "advise_supervisory_command", "un_advise_command", "write_command", "write2_command", "write_secured_command", "write_secured2_command", "authenticate_user_command", "archestra_user_to_id_command", "suspend_command", "activate_command", "drain_events_command", "add_item_bulk_command", "advise_item_bulk_command", "remove_item_bulk_command", "un_advise_item_bulk_command", "subscribe_bulk_command", "unsubscribe_bulk_command", "subscribe_alarms_command", "unsubscribe_alarms_command", "acknowledge_alarm_command", "query_active_alarms_command", "acknowledge_alarm_by_name_command", "read_bulk_command", "write_bulk_command", "write2_bulk_command", "write_secured_bulk_command", "write_secured2_bulk_command")
    KIND_FIELD_NUMBER: _ClassVar[int]
    REGISTER_COMMAND_FIELD_NUMBER: _ClassVar[int]
    UNREGISTER_COMMAND_FIELD_NUMBER: _ClassVar[int]
    ADD_ITEM_COMMAND_FIELD_NUMBER: _ClassVar[int]
    ADD_ITEM2_COMMAND_FIELD_NUMBER: _ClassVar[int]
    REMOVE_ITEM_COMMAND_FIELD_NUMBER: _ClassVar[int]
    ADVISE_COMMAND_FIELD_NUMBER: _ClassVar[int]
    ADVISE_SUPERVISORY_COMMAND_FIELD_NUMBER: _ClassVar[int]
    UN_ADVISE_COMMAND_FIELD_NUMBER: _ClassVar[int]
    WRITE_COMMAND_FIELD_NUMBER: _ClassVar[int]
    WRITE2_COMMAND_FIELD_NUMBER: _ClassVar[int]
    WRITE_SECURED_COMMAND_FIELD_NUMBER: _ClassVar[int]
    WRITE_SECURED2_COMMAND_FIELD_NUMBER: _ClassVar[int]
    AUTHENTICATE_USER_COMMAND_FIELD_NUMBER: _ClassVar[int]
    ARCHESTRA_USER_TO_ID_COMMAND_FIELD_NUMBER: _ClassVar[int]
    SUSPEND_COMMAND_FIELD_NUMBER: _ClassVar[int]
    ACTIVATE_COMMAND_FIELD_NUMBER: _ClassVar[int]
    DRAIN_EVENTS_COMMAND_FIELD_NUMBER: _ClassVar[int]
    ADD_ITEM_BULK_COMMAND_FIELD_NUMBER: _ClassVar[int]
    ADVISE_ITEM_BULK_COMMAND_FIELD_NUMBER: _ClassVar[int]
    REMOVE_ITEM_BULK_COMMAND_FIELD_NUMBER: _ClassVar[int]
    UN_ADVISE_ITEM_BULK_COMMAND_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIBE_BULK_COMMAND_FIELD_NUMBER: _ClassVar[int]
    UNSUBSCRIBE_BULK_COMMAND_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIBE_ALARMS_COMMAND_FIELD_NUMBER: _ClassVar[int]
    UNSUBSCRIBE_ALARMS_COMMAND_FIELD_NUMBER: _ClassVar[int]
    ACKNOWLEDGE_ALARM_COMMAND_FIELD_NUMBER: _ClassVar[int]
    QUERY_ACTIVE_ALARMS_COMMAND_FIELD_NUMBER: _ClassVar[int]
    ACKNOWLEDGE_ALARM_BY_NAME_COMMAND_FIELD_NUMBER: _ClassVar[int]
    READ_BULK_COMMAND_FIELD_NUMBER: _ClassVar[int]
    WRITE_BULK_COMMAND_FIELD_NUMBER: _ClassVar[int]
    WRITE2_BULK_COMMAND_FIELD_NUMBER: _ClassVar[int]
    WRITE_SECURED_BULK_COMMAND_FIELD_NUMBER: _ClassVar[int]
    WRITE_SECURED2_BULK_COMMAND_FIELD_NUMBER: _ClassVar[int]
    kind: MxCommandKind
    register_command: RegisterCommand
    unregister_command: UnregisterCommand
    add_item_command: AddItemCommand
    add_item2_command: AddItem2Command
    remove_item_command: RemoveItemCommand
    advise_command: AdviseCommand
    advise_supervisory_command: AdviseSupervisoryCommand
    un_advise_command: UnAdviseCommand
    write_command: WriteCommand
    write2_command: Write2Command
    write_secured_command: WriteSecuredCommand
    write_secured2_command: WriteSecured2Command
    authenticate_user_command: AuthenticateUserCommand
    archestra_user_to_id_command: ArchestraUserToIdCommand
    suspend_command: SuspendCommand
    activate_command: ActivateCommand
    drain_events_command: DrainEventsCommand
    add_item_bulk_command: AddItemBulkCommand
    advise_item_bulk_command: AdviseItemBulkCommand
    remove_item_bulk_command: RemoveItemBulkCommand
    un_advise_item_bulk_command: UnAdviseItemBulkCommand
    subscribe_bulk_command: SubscribeBulkCommand
    unsubscribe_bulk_command: UnsubscribeBulkCommand
    subscribe_alarms_command: SubscribeAlarmsCommand
    unsubscribe_alarms_command: UnsubscribeAlarmsCommand
    acknowledge_alarm_command: AcknowledgeAlarmCommand
    query_active_alarms_command: QueryActiveAlarmsCommand
    acknowledge_alarm_by_name_command: AcknowledgeAlarmByNameCommand
    read_bulk_command: ReadBulkCommand
    write_bulk_command: WriteBulkCommand
    write2_bulk_command: Write2BulkCommand
    write_secured_bulk_command: WriteSecuredBulkCommand
    write_secured2_bulk_command: WriteSecured2BulkCommand
    def __init__(self, kind: _Optional[_Union[MxCommandKind, str]] = ..., register_command: _Optional[_Union[RegisterCommand, _Mapping]] = ..., unregister_command: _Optional[_Union[UnregisterCommand, _Mapping]] = ..., add_item_command: _Optional[_Union[AddItemCommand, _Mapping]] = ..., add_item2_command: _Optional[_Union[AddItem2Command, _Mapping]] = ..., remove_item_command: _Optional[_Union[RemoveItemCommand, _Mapping]] = ..., advise_command: _Optional[_Union[AdviseCommand, _Mapping]] = ..., advise_supervisory_command: _Optional[_Union[AdviseSupervisoryCommand, _Mapping]] = ..., un_advise_command: _Optional[_Union[UnAdviseCommand, _Mapping]] = ..., write_command: _Optional[_Union[WriteCommand, _Mapping]] = ..., write2_command: _Optional[_Union[Write2Command, _Mapping]] = ..., write_secured_command: _Optional[_Union[WriteSecuredCommand, _Mapping]] = ..., write_secured2_command: _Optional[_Union[WriteSecured2Command, _Mapping]] = ..., authenticate_user_command: _Optional[_Union[AuthenticateUserCommand, _Mapping]] = ..., archestra_user_to_id_command: _Optional[_Union[ArchestraUserToIdCommand, _Mapping]] = ..., suspend_command: _Optional[_Union[SuspendCommand, _Mapping]] = ..., activate_command: _Optional[_Union[ActivateCommand, _Mapping]] = ..., drain_events_command: _Optional[_Union[DrainEventsCommand, _Mapping]] = ..., add_item_bulk_command: _Optional[_Union[AddItemBulkCommand, _Mapping]] = ..., advise_item_bulk_command: _Optional[_Union[AdviseItemBulkCommand, _Mapping]] = ..., remove_item_bulk_command: _Optional[_Union[RemoveItemBulkCommand, _Mapping]] = ..., un_advise_item_bulk_command: _Optional[_Union[UnAdviseItemBulkCommand, _Mapping]] = ..., subscribe_bulk_command: _Optional[_Union[SubscribeBulkCommand, _Mapping]] = ..., unsubscribe_bulk_command: _Optional[_Union[UnsubscribeBulkCommand, _Mapping]] = ..., subscribe_alarms_command: _Optional[_Union[SubscribeAlarmsCommand, _Mapping]] = ..., unsubscribe_alarms_command: _Optional[_Union[UnsubscribeAlarmsCommand, _Mapping]] = ..., acknowledge_alarm_command: _Optional[_Union[AcknowledgeAlarmCommand, _Mapping]] = ..., query_active_alarms_command: _Optional[_Union[QueryActiveAlarmsCommand, _Mapping]] = ..., acknowledge_alarm_by_name_command: _Optional[_Union[AcknowledgeAlarmByNameCommand, _Mapping]] = ..., read_bulk_command: _Optional[_Union[ReadBulkCommand, _Mapping]] = ..., write_bulk_command: _Optional[_Union[WriteBulkCommand, _Mapping]] = ..., write2_bulk_command: _Optional[_Union[Write2BulkCommand, _Mapping]] = ..., write_secured_bulk_command: _Optional[_Union[WriteSecuredBulkCommand, _Mapping]] = ..., write_secured2_bulk_command: _Optional[_Union[WriteSecured2BulkCommand, _Mapping]] = ...) -> None: ...

class RegisterCommand(_message.Message):
    __slots__ = ("client_name",)
    CLIENT_NAME_FIELD_NUMBER: _ClassVar[int]
    client_name: str
    def __init__(self, client_name: _Optional[str] = ...) -> None: ...

class UnregisterCommand(_message.Message):
    __slots__ = ("server_handle",)
    SERVER_HANDLE_FIELD_NUMBER: _ClassVar[int]
    server_handle: int
    def __init__(self, server_handle: _Optional[int] = ...) -> None: ...

class AddItemCommand(_message.Message):
    __slots__ = ("server_handle", "tag_address")
    SERVER_HANDLE_FIELD_NUMBER: _ClassVar[int]
    TAG_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    server_handle: int
    tag_address: str
    def __init__(self, server_handle: _Optional[int] = ..., tag_address: _Optional[str] = ...) -> None: ...

class AddItem2Command(_message.Message):
    __slots__ = ("server_handle", "tag_address", "item_context")
    SERVER_HANDLE_FIELD_NUMBER: _ClassVar[int]
    TAG_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    ITEM_CONTEXT_FIELD_NUMBER: _ClassVar[int]
    server_handle: int
    tag_address: str
    item_context: str
    def __init__(self, server_handle: _Optional[int] = ..., tag_address: _Optional[str] = ..., item_context: _Optional[str] = ...) -> None: ...

class RemoveItemCommand(_message.Message):
    __slots__ = ("server_handle", "item_handle")
    SERVER_HANDLE_FIELD_NUMBER: _ClassVar[int]
    ITEM_HANDLE_FIELD_NUMBER: _ClassVar[int]
    server_handle: int
    item_handle: int
    def __init__(self, server_handle: _Optional[int] = ..., item_handle: _Optional[int] = ...) -> None: ...

class AdviseCommand(_message.Message):
    __slots__ = ("server_handle", "item_handle")
    SERVER_HANDLE_FIELD_NUMBER: _ClassVar[int]
    ITEM_HANDLE_FIELD_NUMBER: _ClassVar[int]
    server_handle: int
    item_handle: int
    def __init__(self, server_handle: _Optional[int] = ..., item_handle: _Optional[int] = ...) -> None: ...

class AdviseSupervisoryCommand(_message.Message):
    __slots__ = ("server_handle", "item_handle")
    SERVER_HANDLE_FIELD_NUMBER: _ClassVar[int]
    ITEM_HANDLE_FIELD_NUMBER: _ClassVar[int]
    server_handle: int
    item_handle: int
    def __init__(self, server_handle: _Optional[int] = ..., item_handle: _Optional[int] = ...) -> None: ...

class UnAdviseCommand(_message.Message):
    __slots__ = ("server_handle", "item_handle")
    SERVER_HANDLE_FIELD_NUMBER: _ClassVar[int]
    ITEM_HANDLE_FIELD_NUMBER: _ClassVar[int]
    server_handle: int
    item_handle: int
    def __init__(self, server_handle: _Optional[int] = ..., item_handle: _Optional[int] = ...) -> None: ...

class SuspendCommand(_message.Message):
    __slots__ = ("server_handle", "item_handle")
    SERVER_HANDLE_FIELD_NUMBER: _ClassVar[int]
    ITEM_HANDLE_FIELD_NUMBER: _ClassVar[int]
    server_handle: int
    item_handle: int
    def __init__(self, server_handle: _Optional[int] = ..., item_handle: _Optional[int] = ...) -> None: ...

class ActivateCommand(_message.Message):
    __slots__ = ("server_handle", "item_handle")
    SERVER_HANDLE_FIELD_NUMBER: _ClassVar[int]
    ITEM_HANDLE_FIELD_NUMBER: _ClassVar[int]
    server_handle: int
    item_handle: int
    def __init__(self, server_handle: _Optional[int] = ..., item_handle: _Optional[int] = ...) -> None: ...

class WriteCommand(_message.Message):
    __slots__ = ("server_handle", "item_handle", "value", "user_id")
    SERVER_HANDLE_FIELD_NUMBER: _ClassVar[int]
    ITEM_HANDLE_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    server_handle: int
    item_handle: int
    value: MxValue
    user_id: int
    def __init__(self, server_handle: _Optional[int] = ..., item_handle: _Optional[int] = ..., value: _Optional[_Union[MxValue, _Mapping]] = ..., user_id: _Optional[int] = ...) -> None: ...

class Write2Command(_message.Message):
    __slots__ = ("server_handle", "item_handle", "value", "timestamp_value", "user_id")
    SERVER_HANDLE_FIELD_NUMBER: _ClassVar[int]
    ITEM_HANDLE_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_VALUE_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    server_handle: int
    item_handle: int
    value: MxValue
    timestamp_value: MxValue
    user_id: int
    def __init__(self, server_handle: _Optional[int] = ..., item_handle: _Optional[int] = ..., value: _Optional[_Union[MxValue, _Mapping]] = ..., timestamp_value: _Optional[_Union[MxValue, _Mapping]] = ..., user_id: _Optional[int] = ...) -> None: ...

class WriteSecuredCommand(_message.Message):
    __slots__ = ("server_handle", "item_handle", "value", "current_user_id", "verifier_user_id")
    SERVER_HANDLE_FIELD_NUMBER: _ClassVar[int]
    ITEM_HANDLE_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    CURRENT_USER_ID_FIELD_NUMBER: _ClassVar[int]
    VERIFIER_USER_ID_FIELD_NUMBER: _ClassVar[int]
    server_handle: int
    item_handle: int
    value: MxValue
    current_user_id: int
    verifier_user_id: int
    def __init__(self, server_handle: _Optional[int] = ..., item_handle: _Optional[int] = ..., value: _Optional[_Union[MxValue, _Mapping]] = ..., current_user_id: _Optional[int] = ..., verifier_user_id: _Optional[int] = ...) -> None: ...

class WriteSecured2Command(_message.Message):
    __slots__ = ("server_handle", "item_handle", "value", "current_user_id", "verifier_user_id", "timestamp_value")
    SERVER_HANDLE_FIELD_NUMBER: _ClassVar[int]
    ITEM_HANDLE_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    CURRENT_USER_ID_FIELD_NUMBER: _ClassVar[int]
    VERIFIER_USER_ID_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_VALUE_FIELD_NUMBER: _ClassVar[int]
    server_handle: int
    item_handle: int
    value: MxValue
    current_user_id: int
    verifier_user_id: int
    timestamp_value: MxValue
    def __init__(self, server_handle: _Optional[int] = ..., item_handle: _Optional[int] = ..., value: _Optional[_Union[MxValue, _Mapping]] = ..., current_user_id: _Optional[int] = ..., verifier_user_id: _Optional[int] = ..., timestamp_value: _Optional[_Union[MxValue, _Mapping]] = ...) -> None: ...

class AuthenticateUserCommand(_message.Message):
    __slots__ = ("server_handle", "user_name", "password")
    SERVER_HANDLE_FIELD_NUMBER: _ClassVar[int]
    USER_NAME_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    server_handle: int
    user_name: str
    password: str
    def __init__(self, server_handle: _Optional[int] = ..., user_name: _Optional[str] = ..., password: _Optional[str] = ...) -> None: ...

class ArchestraUserToIdCommand(_message.Message):
    __slots__ = ("server_handle", "user_id_guid")
    SERVER_HANDLE_FIELD_NUMBER: _ClassVar[int]
    USER_ID_GUID_FIELD_NUMBER: _ClassVar[int]
    server_handle: int
    user_id_guid: str
    def __init__(self, server_handle: _Optional[int] = ..., user_id_guid: _Optional[str] = ...) -> None: ...

class DrainEventsCommand(_message.Message):
    __slots__ = ("max_events",)
    MAX_EVENTS_FIELD_NUMBER: _ClassVar[int]
    max_events: int
    def __init__(self, max_events: _Optional[int] = ...) -> None: ...

class AddItemBulkCommand(_message.Message):
    __slots__ = ("server_handle", "tag_addresses")
    SERVER_HANDLE_FIELD_NUMBER: _ClassVar[int]
    TAG_ADDRESSES_FIELD_NUMBER: _ClassVar[int]
    server_handle: int
    tag_addresses: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, server_handle: _Optional[int] = ..., tag_addresses: _Optional[_Iterable[str]] = ...) -> None: ...

class SubscribeBulkCommand(_message.Message):
    __slots__ = ("server_handle", "tag_addresses")
    SERVER_HANDLE_FIELD_NUMBER: _ClassVar[int]
    TAG_ADDRESSES_FIELD_NUMBER: _ClassVar[int]
    server_handle: int
    tag_addresses: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, server_handle: _Optional[int] = ..., tag_addresses: _Optional[_Iterable[str]] = ...) -> None: ...

class ReadBulkCommand(_message.Message):
    __slots__ = ("server_handle", "tag_addresses", "timeout_ms")
    SERVER_HANDLE_FIELD_NUMBER: _ClassVar[int]
    TAG_ADDRESSES_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_MS_FIELD_NUMBER: _ClassVar[int]
    server_handle: int
    tag_addresses: _containers.RepeatedScalarFieldContainer[str]
    timeout_ms: int
    def __init__(self, server_handle: _Optional[int] = ..., tag_addresses: _Optional[_Iterable[str]] = ..., timeout_ms: _Optional[int] = ...) -> None: ...

class AdviseItemBulkCommand(_message.Message):
    __slots__ = ("server_handle", "item_handles")
    SERVER_HANDLE_FIELD_NUMBER: _ClassVar[int]
    ITEM_HANDLES_FIELD_NUMBER: _ClassVar[int]
    server_handle: int
    item_handles: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, server_handle: _Optional[int] = ..., item_handles: _Optional[_Iterable[int]] = ...) -> None: ...

class RemoveItemBulkCommand(_message.Message):
    __slots__ = ("server_handle", "item_handles")
    SERVER_HANDLE_FIELD_NUMBER: _ClassVar[int]
    ITEM_HANDLES_FIELD_NUMBER: _ClassVar[int]
    server_handle: int
    item_handles: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, server_handle: _Optional[int] = ..., item_handles: _Optional[_Iterable[int]] = ...) -> None: ...

class UnAdviseItemBulkCommand(_message.Message):
    __slots__ = ("server_handle", "item_handles")
    SERVER_HANDLE_FIELD_NUMBER: _ClassVar[int]
    ITEM_HANDLES_FIELD_NUMBER: _ClassVar[int]
    server_handle: int
    item_handles: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, server_handle: _Optional[int] = ..., item_handles: _Optional[_Iterable[int]] = ...) -> None: ...

class UnsubscribeBulkCommand(_message.Message):
    __slots__ = ("server_handle", "item_handles")
    SERVER_HANDLE_FIELD_NUMBER: _ClassVar[int]
    ITEM_HANDLES_FIELD_NUMBER: _ClassVar[int]
    server_handle: int
    item_handles: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, server_handle: _Optional[int] = ..., item_handles: _Optional[_Iterable[int]] = ...) -> None: ...

class WriteBulkEntry(_message.Message):
    __slots__ = ("item_handle", "value", "user_id")
    ITEM_HANDLE_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    item_handle: int
    value: MxValue
    user_id: int
    def __init__(self, item_handle: _Optional[int] = ..., value: _Optional[_Union[MxValue, _Mapping]] = ..., user_id: _Optional[int] = ...) -> None: ...

class Write2BulkEntry(_message.Message):
    __slots__ = ("item_handle", "value", "timestamp_value", "user_id")
    ITEM_HANDLE_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_VALUE_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    item_handle: int
    value: MxValue
    timestamp_value: MxValue
    user_id: int
    def __init__(self, item_handle: _Optional[int] = ..., value: _Optional[_Union[MxValue, _Mapping]] = ..., timestamp_value: _Optional[_Union[MxValue, _Mapping]] = ..., user_id: _Optional[int] = ...) -> None: ...

class WriteSecuredBulkEntry(_message.Message):
    __slots__ = ("item_handle", "value", "current_user_id", "verifier_user_id")
    ITEM_HANDLE_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    CURRENT_USER_ID_FIELD_NUMBER: _ClassVar[int]
    VERIFIER_USER_ID_FIELD_NUMBER: _ClassVar[int]
    item_handle: int
    value: MxValue
    current_user_id: int
    verifier_user_id: int
    def __init__(self, item_handle: _Optional[int] = ..., value: _Optional[_Union[MxValue, _Mapping]] = ..., current_user_id: _Optional[int] = ..., verifier_user_id: _Optional[int] = ...) -> None: ...

class WriteSecured2BulkEntry(_message.Message):
    __slots__ = ("item_handle", "value", "timestamp_value", "current_user_id", "verifier_user_id")
    ITEM_HANDLE_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_VALUE_FIELD_NUMBER: _ClassVar[int]
    CURRENT_USER_ID_FIELD_NUMBER: _ClassVar[int]
    VERIFIER_USER_ID_FIELD_NUMBER: _ClassVar[int]
    item_handle: int
    value: MxValue
    timestamp_value: MxValue
    current_user_id: int
    verifier_user_id: int
    def __init__(self, item_handle: _Optional[int] = ..., value: _Optional[_Union[MxValue, _Mapping]] = ..., timestamp_value: _Optional[_Union[MxValue, _Mapping]] = ..., current_user_id: _Optional[int] = ..., verifier_user_id: _Optional[int] = ...) -> None: ...

class WriteBulkCommand(_message.Message):
    __slots__ = ("server_handle", "entries")
    SERVER_HANDLE_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    server_handle: int
    entries: _containers.RepeatedCompositeFieldContainer[WriteBulkEntry]
    def __init__(self, server_handle: _Optional[int] = ..., entries: _Optional[_Iterable[_Union[WriteBulkEntry, _Mapping]]] = ...) -> None: ...

class Write2BulkCommand(_message.Message):
    __slots__ = ("server_handle", "entries")
    SERVER_HANDLE_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    server_handle: int
    entries: _containers.RepeatedCompositeFieldContainer[Write2BulkEntry]
    def __init__(self, server_handle: _Optional[int] = ..., entries: _Optional[_Iterable[_Union[Write2BulkEntry, _Mapping]]] = ...) -> None: ...

class WriteSecuredBulkCommand(_message.Message):
    __slots__ = ("server_handle", "entries")
    SERVER_HANDLE_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    server_handle: int
    entries: _containers.RepeatedCompositeFieldContainer[WriteSecuredBulkEntry]
    def __init__(self, server_handle: _Optional[int] = ..., entries: _Optional[_Iterable[_Union[WriteSecuredBulkEntry, _Mapping]]] = ...) -> None: ...

class WriteSecured2BulkCommand(_message.Message):
    __slots__ = ("server_handle", "entries")
    SERVER_HANDLE_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    server_handle: int
    entries: _containers.RepeatedCompositeFieldContainer[WriteSecured2BulkEntry]
    def __init__(self, server_handle: _Optional[int] = ..., entries: _Optional[_Iterable[_Union[WriteSecured2BulkEntry, _Mapping]]] = ...) -> None: ...

class SubscribeAlarmsCommand(_message.Message):
    __slots__ = ("subscription_expression",)
    SUBSCRIPTION_EXPRESSION_FIELD_NUMBER: _ClassVar[int]
    subscription_expression: str
    def __init__(self, subscription_expression: _Optional[str] = ...) -> None: ...

class UnsubscribeAlarmsCommand(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class AcknowledgeAlarmCommand(_message.Message):
    __slots__ = ("alarm_guid", "comment", "operator_user", "operator_node", "operator_domain", "operator_full_name")
    ALARM_GUID_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_USER_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_NODE_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_DOMAIN_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_FULL_NAME_FIELD_NUMBER: _ClassVar[int]
    alarm_guid: str
    comment: str
    operator_user: str
    operator_node: str
    operator_domain: str
    operator_full_name: str
    def __init__(self, alarm_guid: _Optional[str] = ..., comment: _Optional[str] = ..., operator_user: _Optional[str] = ..., operator_node: _Optional[str] = ..., operator_domain: _Optional[str] = ..., operator_full_name: _Optional[str] = ...) -> None: ...

class QueryActiveAlarmsCommand(_message.Message):
    __slots__ = ("alarm_filter_prefix",)
    ALARM_FILTER_PREFIX_FIELD_NUMBER: _ClassVar[int]
    alarm_filter_prefix: str
    def __init__(self, alarm_filter_prefix: _Optional[str] = ...) -> None: ...

class AcknowledgeAlarmByNameCommand(_message.Message):
    __slots__ = ("alarm_name", "provider_name", "group_name", "comment", "operator_user", "operator_node", "operator_domain", "operator_full_name")
    ALARM_NAME_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_NAME_FIELD_NUMBER: _ClassVar[int]
    GROUP_NAME_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_USER_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_NODE_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_DOMAIN_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_FULL_NAME_FIELD_NUMBER: _ClassVar[int]
    alarm_name: str
    provider_name: str
    group_name: str
    comment: str
    operator_user: str
    operator_node: str
    operator_domain: str
    operator_full_name: str
    def __init__(self, alarm_name: _Optional[str] = ..., provider_name: _Optional[str] = ..., group_name: _Optional[str] = ..., comment: _Optional[str] = ..., operator_user: _Optional[str] = ..., operator_node: _Optional[str] = ..., operator_domain: _Optional[str] = ..., operator_full_name: _Optional[str] = ...) -> None: ...

class MxCommandReply(_message.Message):
    __slots__ = ("session_id", "correlation_id", "kind", "protocol_status", "hresult", "return_value", "statuses", "diagnostic_message", "register", "add_item", "add_item2", "authenticate_user", "archestra_user_to_id", "suspend", "activate", "drain_events", "bulk_subscribe", "bulk_read", "bulk_write", "acknowledge_alarm", "query_active_alarms")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    CORRELATION_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    PROTOCOL_STATUS_FIELD_NUMBER: _ClassVar[int]
    HRESULT_FIELD_NUMBER: _ClassVar[int]
    RETURN_VALUE_FIELD_NUMBER: _ClassVar[int]
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    DIAGNOSTIC_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    REGISTER_FIELD_NUMBER: _ClassVar[int]
    ADD_ITEM_FIELD_NUMBER: _ClassVar[int]
    ADD_ITEM2_FIELD_NUMBER: _ClassVar[int]
    AUTHENTICATE_USER_FIELD_NUMBER: _ClassVar[int]
    ARCHESTRA_USER_TO_ID_FIELD_NUMBER: _ClassVar[int]
    SUSPEND_FIELD_NUMBER: _ClassVar[int]
    ACTIVATE_FIELD_NUMBER: _ClassVar[int]
    DRAIN_EVENTS_FIELD_NUMBER: _ClassVar[int]
    BULK_SUBSCRIBE_FIELD_NUMBER: _ClassVar[int]
    BULK_READ_FIELD_NUMBER: _ClassVar[int]
    BULK_WRITE_FIELD_NUMBER: _ClassVar[int]
    ACKNOWLEDGE_ALARM_FIELD_NUMBER: _ClassVar[int]
    QUERY_ACTIVE_ALARMS_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    correlation_id: str
    kind: MxCommandKind
    protocol_status: ProtocolStatus
    hresult: int
    return_value: MxValue
    statuses: _containers.RepeatedCompositeFieldContainer[MxStatusProxy]
    diagnostic_message: str
    register: RegisterReply
    add_item: AddItemReply
    add_item2: AddItemReply
    authenticate_user: UserIdReply
    archestra_user_to_id: UserIdReply
    suspend: StatusReply
    activate: StatusReply
    drain_events: DrainEventsReply
    bulk_subscribe: BulkSubscribeReply
    bulk_read: BulkReadReply
    bulk_write: BulkWriteReply
    acknowledge_alarm: AcknowledgeAlarmReplyPayload
    query_active_alarms: QueryActiveAlarmsReplyPayload
    def __init__(self, session_id: _Optional[str] = ..., correlation_id: _Optional[str] = ..., kind: _Optional[_Union[MxCommandKind, str]] = ..., protocol_status: _Optional[_Union[ProtocolStatus, _Mapping]] = ..., hresult: _Optional[int] = ..., return_value: _Optional[_Union[MxValue, _Mapping]] = ..., statuses: _Optional[_Iterable[_Union[MxStatusProxy, _Mapping]]] = ..., diagnostic_message: _Optional[str] = ..., register: _Optional[_Union[RegisterReply, _Mapping]] = ..., add_item: _Optional[_Union[AddItemReply, _Mapping]] = ..., add_item2: _Optional[_Union[AddItemReply, _Mapping]] = ..., authenticate_user: _Optional[_Union[UserIdReply, _Mapping]] = ..., archestra_user_to_id: _Optional[_Union[UserIdReply, _Mapping]] = ..., suspend: _Optional[_Union[StatusReply, _Mapping]] = ..., activate: _Optional[_Union[StatusReply, _Mapping]] = ..., drain_events: _Optional[_Union[DrainEventsReply, _Mapping]] = ..., bulk_subscribe: _Optional[_Union[BulkSubscribeReply, _Mapping]] = ..., bulk_read: _Optional[_Union[BulkReadReply, _Mapping]] = ..., bulk_write: _Optional[_Union[BulkWriteReply, _Mapping]] = ..., acknowledge_alarm: _Optional[_Union[AcknowledgeAlarmReplyPayload, _Mapping]] = ..., query_active_alarms: _Optional[_Union[QueryActiveAlarmsReplyPayload, _Mapping]] = ...) -> None: ...

class RegisterReply(_message.Message):
    __slots__ = ("server_handle",)
    SERVER_HANDLE_FIELD_NUMBER: _ClassVar[int]
    server_handle: int
    def __init__(self, server_handle: _Optional[int] = ...) -> None: ...

class AddItemReply(_message.Message):
    __slots__ = ("item_handle",)
    ITEM_HANDLE_FIELD_NUMBER: _ClassVar[int]
    item_handle: int
    def __init__(self, item_handle: _Optional[int] = ...) -> None: ...

class UserIdReply(_message.Message):
    __slots__ = ("user_id",)
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: int
    def __init__(self, user_id: _Optional[int] = ...) -> None: ...

class StatusReply(_message.Message):
    __slots__ = ("status",)
    STATUS_FIELD_NUMBER: _ClassVar[int]
    status: MxStatusProxy
    def __init__(self, status: _Optional[_Union[MxStatusProxy, _Mapping]] = ...) -> None: ...

class DrainEventsReply(_message.Message):
    __slots__ = ("events",)
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[MxEvent]
    def __init__(self, events: _Optional[_Iterable[_Union[MxEvent, _Mapping]]] = ...) -> None: ...

class SubscribeResult(_message.Message):
    __slots__ = ("server_handle", "tag_address", "item_handle", "was_successful", "error_message")
    SERVER_HANDLE_FIELD_NUMBER: _ClassVar[int]
    TAG_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    ITEM_HANDLE_FIELD_NUMBER: _ClassVar[int]
    WAS_SUCCESSFUL_FIELD_NUMBER: _ClassVar[int]
    ERROR_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    server_handle: int
    tag_address: str
    item_handle: int
    was_successful: bool
    error_message: str
    def __init__(self, server_handle: _Optional[int] = ..., tag_address: _Optional[str] = ..., item_handle: _Optional[int] = ..., was_successful: _Optional[bool] = ..., error_message: _Optional[str] = ...) -> None: ...

class BulkSubscribeReply(_message.Message):
    __slots__ = ("results",)
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[SubscribeResult]
    def __init__(self, results: _Optional[_Iterable[_Union[SubscribeResult, _Mapping]]] = ...) -> None: ...

class BulkReadResult(_message.Message):
    __slots__ = ("server_handle", "tag_address", "item_handle", "was_successful", "error_message", "was_cached", "value", "quality", "source_timestamp", "statuses")
    SERVER_HANDLE_FIELD_NUMBER: _ClassVar[int]
    TAG_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    ITEM_HANDLE_FIELD_NUMBER: _ClassVar[int]
    WAS_SUCCESSFUL_FIELD_NUMBER: _ClassVar[int]
    ERROR_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    WAS_CACHED_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    QUALITY_FIELD_NUMBER: _ClassVar[int]
    SOURCE_TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    server_handle: int
    tag_address: str
    item_handle: int
    was_successful: bool
    error_message: str
    was_cached: bool
    value: MxValue
    quality: int
    source_timestamp: _timestamp_pb2.Timestamp
    statuses: _containers.RepeatedCompositeFieldContainer[MxStatusProxy]
    def __init__(self, server_handle: _Optional[int] = ..., tag_address: _Optional[str] = ..., item_handle: _Optional[int] = ..., was_successful: _Optional[bool] = ..., error_message: _Optional[str] = ..., was_cached: _Optional[bool] = ..., value: _Optional[_Union[MxValue, _Mapping]] = ..., quality: _Optional[int] = ..., source_timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., statuses: _Optional[_Iterable[_Union[MxStatusProxy, _Mapping]]] = ...) -> None: ...

class BulkReadReply(_message.Message):
    __slots__ = ("results",)
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[BulkReadResult]
    def __init__(self, results: _Optional[_Iterable[_Union[BulkReadResult, _Mapping]]] = ...) -> None: ...

class BulkWriteResult(_message.Message):
    __slots__ = ("server_handle", "item_handle", "was_successful", "error_message", "hresult", "statuses")
    SERVER_HANDLE_FIELD_NUMBER: _ClassVar[int]
    ITEM_HANDLE_FIELD_NUMBER: _ClassVar[int]
    WAS_SUCCESSFUL_FIELD_NUMBER: _ClassVar[int]
    ERROR_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    HRESULT_FIELD_NUMBER: _ClassVar[int]
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    server_handle: int
    item_handle: int
    was_successful: bool
    error_message: str
    hresult: int
    statuses: _containers.RepeatedCompositeFieldContainer[MxStatusProxy]
    def __init__(self, server_handle: _Optional[int] = ..., item_handle: _Optional[int] = ..., was_successful: _Optional[bool] = ..., error_message: _Optional[str] = ..., hresult: _Optional[int] = ..., statuses: _Optional[_Iterable[_Union[MxStatusProxy, _Mapping]]] = ...) -> None: ...

class BulkWriteReply(_message.Message):
    __slots__ = ("results",)
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[BulkWriteResult]
    def __init__(self, results: _Optional[_Iterable[_Union[BulkWriteResult, _Mapping]]] = ...) -> None: ...

class AcknowledgeAlarmReplyPayload(_message.Message):
    __slots__ = ("native_status",)
    NATIVE_STATUS_FIELD_NUMBER: _ClassVar[int]
    native_status: int
    def __init__(self, native_status: _Optional[int] = ...) -> None: ...

class QueryActiveAlarmsReplyPayload(_message.Message):
    __slots__ = ("snapshots",)
    SNAPSHOTS_FIELD_NUMBER: _ClassVar[int]
    snapshots: _containers.RepeatedCompositeFieldContainer[ActiveAlarmSnapshot]
    def __init__(self, snapshots: _Optional[_Iterable[_Union[ActiveAlarmSnapshot, _Mapping]]] = ...) -> None: ...

class MxEvent(_message.Message):
    __slots__ = ("session_id", "family", "worker_sequence", "server_handle", "item_handle", "value", "quality", "source_timestamp", "statuses", "worker_timestamp", "gateway_receive_timestamp", "hresult", "raw_status", "replay_gap", "on_data_change", "on_write_complete", "operation_complete", "on_buffered_data_change", "on_alarm_transition")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    FAMILY_FIELD_NUMBER: _ClassVar[int]
    WORKER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    SERVER_HANDLE_FIELD_NUMBER: _ClassVar[int]
    ITEM_HANDLE_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    QUALITY_FIELD_NUMBER: _ClassVar[int]
    SOURCE_TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    WORKER_TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    GATEWAY_RECEIVE_TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    HRESULT_FIELD_NUMBER: _ClassVar[int]
    RAW_STATUS_FIELD_NUMBER: _ClassVar[int]
    REPLAY_GAP_FIELD_NUMBER: _ClassVar[int]
    ON_DATA_CHANGE_FIELD_NUMBER: _ClassVar[int]
    ON_WRITE_COMPLETE_FIELD_NUMBER: _ClassVar[int]
    OPERATION_COMPLETE_FIELD_NUMBER: _ClassVar[int]
    ON_BUFFERED_DATA_CHANGE_FIELD_NUMBER: _ClassVar[int]
    ON_ALARM_TRANSITION_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    family: MxEventFamily
    worker_sequence: int
    server_handle: int
    item_handle: int
    value: MxValue
    quality: int
    source_timestamp: _timestamp_pb2.Timestamp
    statuses: _containers.RepeatedCompositeFieldContainer[MxStatusProxy]
    worker_timestamp: _timestamp_pb2.Timestamp
    gateway_receive_timestamp: _timestamp_pb2.Timestamp
    hresult: int
    raw_status: str
    replay_gap: ReplayGap
    on_data_change: OnDataChangeEvent
    on_write_complete: OnWriteCompleteEvent
    operation_complete: OperationCompleteEvent
    on_buffered_data_change: OnBufferedDataChangeEvent
    on_alarm_transition: OnAlarmTransitionEvent
    def __init__(self, session_id: _Optional[str] = ..., family: _Optional[_Union[MxEventFamily, str]] = ..., worker_sequence: _Optional[int] = ..., server_handle: _Optional[int] = ..., item_handle: _Optional[int] = ..., value: _Optional[_Union[MxValue, _Mapping]] = ..., quality: _Optional[int] = ..., source_timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., statuses: _Optional[_Iterable[_Union[MxStatusProxy, _Mapping]]] = ..., worker_timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., gateway_receive_timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., hresult: _Optional[int] = ..., raw_status: _Optional[str] = ..., replay_gap: _Optional[_Union[ReplayGap, _Mapping]] = ..., on_data_change: _Optional[_Union[OnDataChangeEvent, _Mapping]] = ..., on_write_complete: _Optional[_Union[OnWriteCompleteEvent, _Mapping]] = ..., operation_complete: _Optional[_Union[OperationCompleteEvent, _Mapping]] = ..., on_buffered_data_change: _Optional[_Union[OnBufferedDataChangeEvent, _Mapping]] = ..., on_alarm_transition: _Optional[_Union[OnAlarmTransitionEvent, _Mapping]] = ...) -> None: ...

class OnDataChangeEvent(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class OnWriteCompleteEvent(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class OperationCompleteEvent(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class BufferedSample(_message.Message):
    __slots__ = ("value", "quality", "source_timestamp")
    VALUE_FIELD_NUMBER: _ClassVar[int]
    QUALITY_FIELD_NUMBER: _ClassVar[int]
    SOURCE_TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    value: MxValue
    quality: int
    source_timestamp: _timestamp_pb2.Timestamp
    def __init__(self, value: _Optional[_Union[MxValue, _Mapping]] = ..., quality: _Optional[int] = ..., source_timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class OnBufferedDataChangeEvent(_message.Message):
    __slots__ = ("data_type", "samples")
    DATA_TYPE_FIELD_NUMBER: _ClassVar[int]
    SAMPLES_FIELD_NUMBER: _ClassVar[int]
    data_type: MxDataType
    samples: _containers.RepeatedCompositeFieldContainer[BufferedSample]
    def __init__(self, data_type: _Optional[_Union[MxDataType, str]] = ..., samples: _Optional[_Iterable[_Union[BufferedSample, _Mapping]]] = ...) -> None: ...

class ReplayGap(_message.Message):
    __slots__ = ("requested_after_sequence", "oldest_available_sequence")
    REQUESTED_AFTER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    OLDEST_AVAILABLE_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    requested_after_sequence: int
    oldest_available_sequence: int
    def __init__(self, requested_after_sequence: _Optional[int] = ..., oldest_available_sequence: _Optional[int] = ...) -> None: ...

class AcknowledgeAlarmRequest(_message.Message):
    __slots__ = ("alarm_full_reference", "comment", "operator_user", "operator_node", "operator_domain", "operator_full_name", "client_correlation_id")
    ALARM_FULL_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_USER_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_NODE_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_DOMAIN_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_FULL_NAME_FIELD_NUMBER: _ClassVar[int]
    CLIENT_CORRELATION_ID_FIELD_NUMBER: _ClassVar[int]
    alarm_full_reference: str
    comment: str
    operator_user: str
    operator_node: str
    operator_domain: str
    operator_full_name: str
    client_correlation_id: str
    def __init__(self, alarm_full_reference: _Optional[str] = ..., comment: _Optional[str] = ..., operator_user: _Optional[str] = ..., operator_node: _Optional[str] = ..., operator_domain: _Optional[str] = ..., operator_full_name: _Optional[str] = ..., client_correlation_id: _Optional[str] = ...) -> None: ...

class AcknowledgeAlarmReply(_message.Message):
    __slots__ = ("protocol_status", "hresult", "native_status", "diagnostic_message", "status")
    PROTOCOL_STATUS_FIELD_NUMBER: _ClassVar[int]
    HRESULT_FIELD_NUMBER: _ClassVar[int]
    NATIVE_STATUS_FIELD_NUMBER: _ClassVar[int]
    DIAGNOSTIC_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    protocol_status: ProtocolStatus
    hresult: int
    native_status: int
    diagnostic_message: str
    status: MxStatusProxy
    def __init__(self, protocol_status: _Optional[_Union[ProtocolStatus, _Mapping]] = ..., hresult: _Optional[int] = ..., native_status: _Optional[int] = ..., diagnostic_message: _Optional[str] = ..., status: _Optional[_Union[MxStatusProxy, _Mapping]] = ...) -> None: ...

class StreamAlarmsRequest(_message.Message):
    __slots__ = ("alarm_filter_prefix", "client_correlation_id")
    ALARM_FILTER_PREFIX_FIELD_NUMBER: _ClassVar[int]
    CLIENT_CORRELATION_ID_FIELD_NUMBER: _ClassVar[int]
    alarm_filter_prefix: str
    client_correlation_id: str
    def __init__(self, alarm_filter_prefix: _Optional[str] = ..., client_correlation_id: _Optional[str] = ...) -> None: ...

class QueryActiveAlarmsRequest(_message.Message):
    __slots__ = ("session_id", "client_correlation_id", "alarm_filter_prefix")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    CLIENT_CORRELATION_ID_FIELD_NUMBER: _ClassVar[int]
    ALARM_FILTER_PREFIX_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    client_correlation_id: str
    alarm_filter_prefix: str
    def __init__(self, session_id: _Optional[str] = ..., client_correlation_id: _Optional[str] = ..., alarm_filter_prefix: _Optional[str] = ...) -> None: ...

class AlarmFeedMessage(_message.Message):
    __slots__ = ("active_alarm", "snapshot_complete", "transition", "provider_status")
    ACTIVE_ALARM_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_COMPLETE_FIELD_NUMBER: _ClassVar[int]
    TRANSITION_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_STATUS_FIELD_NUMBER: _ClassVar[int]
    active_alarm: ActiveAlarmSnapshot
    snapshot_complete: SnapshotComplete
    transition: OnAlarmTransitionEvent
    provider_status: AlarmProviderStatus
    def __init__(self, active_alarm: _Optional[_Union[ActiveAlarmSnapshot, _Mapping]] = ..., snapshot_complete: _Optional[_Union[SnapshotComplete, _Mapping]] = ..., transition: _Optional[_Union[OnAlarmTransitionEvent, _Mapping]] = ..., provider_status: _Optional[_Union[AlarmProviderStatus, _Mapping]] = ...) -> None: ...

class SnapshotComplete(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class AlarmProviderStatus(_message.Message):
    __slots__ = ("mode", "degraded", "reason", "since")
    MODE_FIELD_NUMBER: _ClassVar[int]
    DEGRADED_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    mode: AlarmProviderMode
    degraded: bool
    reason: str
    since: _timestamp_pb2.Timestamp
    def __init__(self, mode: _Optional[_Union[AlarmProviderMode, str]] = ..., degraded: _Optional[bool] = ..., reason: _Optional[str] = ..., since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class OnAlarmTransitionEvent(_message.Message):
    __slots__ = ("alarm_full_reference", "source_object_reference", "alarm_type_name", "transition_kind", "severity", "original_raise_time", "transition_time", "operator_user", "operator_comment", "category", "description", "current_value", "limit_value", "degraded", "alarm_guid", "condition_state")
    ALARM_FULL_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_OBJECT_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    ALARM_TYPE_NAME_FIELD_NUMBER: _ClassVar[int]
    TRANSITION_KIND_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    ORIGINAL_RAISE_TIME_FIELD_NUMBER: _ClassVar[int]
    TRANSITION_TIME_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_USER_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_COMMENT_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CURRENT_VALUE_FIELD_NUMBER: _ClassVar[int]
    LIMIT_VALUE_FIELD_NUMBER: _ClassVar[int]
    DEGRADED_FIELD_NUMBER: _ClassVar[int]
    ALARM_GUID_FIELD_NUMBER: _ClassVar[int]
    CONDITION_STATE_FIELD_NUMBER: _ClassVar[int]
    alarm_full_reference: str
    source_object_reference: str
    alarm_type_name: str
    transition_kind: AlarmTransitionKind
    severity: int
    original_raise_time: _timestamp_pb2.Timestamp
    transition_time: _timestamp_pb2.Timestamp
    operator_user: str
    operator_comment: str
    category: str
    description: str
    current_value: MxValue
    limit_value: MxValue
    degraded: bool
    alarm_guid: str
    condition_state: AlarmConditionState
    def __init__(self, alarm_full_reference: _Optional[str] = ..., source_object_reference: _Optional[str] = ..., alarm_type_name: _Optional[str] = ..., transition_kind: _Optional[_Union[AlarmTransitionKind, str]] = ..., severity: _Optional[int] = ..., original_raise_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., transition_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., operator_user: _Optional[str] = ..., operator_comment: _Optional[str] = ..., category: _Optional[str] = ..., description: _Optional[str] = ..., current_value: _Optional[_Union[MxValue, _Mapping]] = ..., limit_value: _Optional[_Union[MxValue, _Mapping]] = ..., degraded: _Optional[bool] = ..., alarm_guid: _Optional[str] = ..., condition_state: _Optional[_Union[AlarmConditionState, str]] = ...) -> None: ...

class ActiveAlarmSnapshot(_message.Message):
    __slots__ = ("alarm_full_reference", "source_object_reference", "alarm_type_name", "condition_state", "severity", "original_raise_time", "last_transition_time", "operator_user", "operator_comment", "category", "description", "current_value", "limit_value", "degraded", "alarm_guid", "area")
    ALARM_FULL_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_OBJECT_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    ALARM_TYPE_NAME_FIELD_NUMBER: _ClassVar[int]
    CONDITION_STATE_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    ORIGINAL_RAISE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_TRANSITION_TIME_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_USER_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_COMMENT_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CURRENT_VALUE_FIELD_NUMBER: _ClassVar[int]
    LIMIT_VALUE_FIELD_NUMBER: _ClassVar[int]
    DEGRADED_FIELD_NUMBER: _ClassVar[int]
    ALARM_GUID_FIELD_NUMBER: _ClassVar[int]
    AREA_FIELD_NUMBER: _ClassVar[int]
    alarm_full_reference: str
    source_object_reference: str
    alarm_type_name: str
    condition_state: AlarmConditionState
    severity: int
    original_raise_time: _timestamp_pb2.Timestamp
    last_transition_time: _timestamp_pb2.Timestamp
    operator_user: str
    operator_comment: str
    category: str
    description: str
    current_value: MxValue
    limit_value: MxValue
    degraded: bool
    alarm_guid: str
    area: str
    def __init__(self, alarm_full_reference: _Optional[str] = ..., source_object_reference: _Optional[str] = ..., alarm_type_name: _Optional[str] = ..., condition_state: _Optional[_Union[AlarmConditionState, str]] = ..., severity: _Optional[int] = ..., original_raise_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_transition_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., operator_user: _Optional[str] = ..., operator_comment: _Optional[str] = ..., category: _Optional[str] = ..., description: _Optional[str] = ..., current_value: _Optional[_Union[MxValue, _Mapping]] = ..., limit_value: _Optional[_Union[MxValue, _Mapping]] = ..., degraded: _Optional[bool] = ..., alarm_guid: _Optional[str] = ..., area: _Optional[str] = ...) -> None: ...
