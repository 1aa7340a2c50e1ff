"""The table of every proto name the tool uses on the MxAccessGateway service: its enums
(the values the code names), its messages (the fields the code touches) and its rpcs.
The Galaxy Repository's are in `_galaxy_names`; how the table works is in `_table`.

This is the source the seam is written against: a field, enum value or rpc that is not
here cannot be reached (mypy, and `Contract.number`, refuse it), and issue 12's load-time
check of a run-time contract verifies exactly these names.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from datetime import tzinfo as TzInfo

from ._table import (
    Bytes,
    Double,
    Float,
    Int32,
    Int64,
    Message,
    Protocol,
    Repeated,
    UInt64,
    enum,
    message,
    method,
)

GATEWAY = "mxaccess_gateway.v1"
WELL_KNOWN = "google.protobuf"

# ---------------------------------------------------------------- enums

PROTOCOL_STATUS = enum(GATEWAY, "ProtocolStatusCode", "UNSPECIFIED", "OK", "INVALID_REQUEST",
                       "SESSION_NOT_FOUND", "SESSION_NOT_READY", "WORKER_UNAVAILABLE",
                       "TIMEOUT", "CANCELED", "PROTOCOL_VIOLATION", "MXACCESS_FAILURE")
SESSION_STATE = enum(GATEWAY, "SessionState")  # decoded only (close's final state)
COMMAND_KIND = enum(GATEWAY, "MxCommandKind", "REGISTER", "UNREGISTER", "ADD_ITEM",
                    "ADD_ITEM2", "REMOVE_ITEM", "ADVISE", "ADVISE_SUPERVISORY", "UN_ADVISE",
                    "WRITE", "WRITE2", "WRITE_SECURED", "WRITE_SECURED2", "AUTHENTICATE_USER",
                    "DRAIN_EVENTS", "ADD_ITEM_BULK", "ADVISE_ITEM_BULK", "REMOVE_ITEM_BULK",
                    "UN_ADVISE_ITEM_BULK", "SUBSCRIBE_BULK", "UNSUBSCRIBE_BULK",
                    "ACKNOWLEDGE_ALARM", "ACKNOWLEDGE_ALARM_BY_NAME", "READ_BULK",
                    "WRITE_BULK", "WRITE2_BULK", "WRITE_SECURED_BULK", "WRITE_SECURED2_BULK")
EVENT_FAMILY = enum(GATEWAY, "MxEventFamily", "ON_DATA_CHANGE", "ON_WRITE_COMPLETE")
DATA_TYPE = enum(GATEWAY, "MxDataType", "UNKNOWN", "BOOLEAN", "INTEGER", "FLOAT", "DOUBLE",
                 "STRING", "TIME", "ELAPSED_TIME")
STATUS_CATEGORY = enum(GATEWAY, "MxStatusCategory", "UNSPECIFIED", "UNKNOWN", "OK", "PENDING")
STATUS_SOURCE = enum(GATEWAY, "MxStatusSource")
TRANSITION_KIND = enum(GATEWAY, "AlarmTransitionKind")
CONDITION_STATE = enum(GATEWAY, "AlarmConditionState")
PROVIDER_MODE = enum(GATEWAY, "AlarmProviderMode")

# Enum-typed fields are annotated with the enum's name.
ProtocolStatusCode = int
SessionState = int
MxCommandKind = int
MxEventFamily = int
MxDataType = int
MxStatusCategory = int
MxStatusSource = int
AlarmTransitionKind = int
AlarmConditionState = int
AlarmProviderMode = int


# ---------------------------------------------------------------- well-known types


@message(WELL_KNOWN)
class Timestamp(Message, Protocol):
    seconds: Int64  # read as the key of mxgw._rpc._records' cache of datetimes
    nanos: Int32

    def ToDatetime(self, tzinfo: TzInfo | None = None) -> datetime: ...
    def FromDatetime(self, dt: datetime) -> None: ...


@message(WELL_KNOWN)
class Duration(Message, Protocol):
    seconds: Int64
    nanos: Int32

    def FromTimedelta(self, td: timedelta) -> None: ...


@message(WELL_KNOWN)
class Int32Value(Message, Protocol):
    value: Int32


# ---------------------------------------------------------------- shared


@message(GATEWAY)
class ProtocolStatus(Message, Protocol):
    code: ProtocolStatusCode
    message: str


@message(GATEWAY)
class MxStatusProxy(Message, Protocol):
    category: MxStatusCategory
    detected_by: MxStatusSource
    detail: Int32
    diagnostic_text: str


@message(GATEWAY, "value")
class MxValue(Message, Protocol):
    data_type: MxDataType
    variant_type: str
    is_null: bool
    raw_data_type: Int32
    bool_value: bool
    int32_value: Int32
    int64_value: Int64
    float_value: Float
    double_value: Double
    string_value: str
    time_value: Timestamp
    elapsed_value: Duration
    array_value: MxArray
    raw_value: Bytes


@message(GATEWAY)
class MxArray(Message, Protocol):
    element_data_type: MxDataType
    element_variant_type: str
    values: Repeated[MxValue]


# ---------------------------------------------------------------- sessions


@message(GATEWAY)
class OpenSessionRequest(Message, Protocol):
    client_session_name: str
    client_version: str
    requested_lease: Duration


@message(GATEWAY)
class OpenSessionReply(Message, Protocol):
    session_id: str
    protocol_status: ProtocolStatus
    lease_expires_at: Timestamp


@message(GATEWAY)
class CloseSessionRequest(Message, Protocol):
    session_id: str
    reason: str


@message(GATEWAY)
class CloseSessionReply(Message, Protocol):
    final_state: SessionState
    protocol_status: ProtocolStatus


@message(GATEWAY)
class StreamEventsRequest(Message, Protocol):
    session_id: str
    after_worker_sequence: UInt64


# ---------------------------------------------------------------- commands
# A payload's fields are declared in the order the session passes them.


@message(GATEWAY)
class RegisterCommand(Message, Protocol):
    client_name: str


@message(GATEWAY)
class UnregisterCommand(Message, Protocol):
    server_handle: Int32


@message(GATEWAY)
class AddItemCommand(Message, Protocol):
    server_handle: Int32
    tag_address: str


@message(GATEWAY)
class AddItem2Command(Message, Protocol):
    server_handle: Int32
    tag_address: str
    item_context: str


@message(GATEWAY)
class RemoveItemCommand(Message, Protocol):
    server_handle: Int32
    item_handle: Int32


@message(GATEWAY)
class AdviseCommand(Message, Protocol):
    server_handle: Int32
    item_handle: Int32


@message(GATEWAY)
class AdviseSupervisoryCommand(Message, Protocol):
    server_handle: Int32
    item_handle: Int32


@message(GATEWAY)
class UnAdviseCommand(Message, Protocol):
    server_handle: Int32
    item_handle: Int32


@message(GATEWAY)
class WriteCommand(Message, Protocol):
    server_handle: Int32
    item_handle: Int32
    value: MxValue
    user_id: Int32


@message(GATEWAY)
class Write2Command(Message, Protocol):
    server_handle: Int32
    item_handle: Int32
    value: MxValue
    timestamp_value: MxValue
    user_id: Int32


@message(GATEWAY)
class WriteSecuredCommand(Message, Protocol):
    server_handle: Int32
    item_handle: Int32
    value: MxValue
    current_user_id: Int32
    verifier_user_id: Int32


@message(GATEWAY)
class WriteSecured2Command(Message, Protocol):
    server_handle: Int32
    item_handle: Int32
    value: MxValue
    current_user_id: Int32
    verifier_user_id: Int32
    timestamp_value: MxValue


@message(GATEWAY)
class AuthenticateUserCommand(Message, Protocol):
    server_handle: Int32
    user_name: str
    password: str


@message(GATEWAY)
class DrainEventsCommand(Message, Protocol):
    max_events: Int32


@message(GATEWAY)
class AddItemBulkCommand(Message, Protocol):
    server_handle: Int32
    tag_addresses: Repeated[str]


@message(GATEWAY)
class SubscribeBulkCommand(Message, Protocol):
    server_handle: Int32
    tag_addresses: Repeated[str]


@message(GATEWAY)
class ReadBulkCommand(Message, Protocol):
    server_handle: Int32
    tag_addresses: Repeated[str]
    timeout_ms: Int32


@message(GATEWAY)
class AdviseItemBulkCommand(Message, Protocol):
    server_handle: Int32
    item_handles: Repeated[Int32]


@message(GATEWAY)
class RemoveItemBulkCommand(Message, Protocol):
    server_handle: Int32
    item_handles: Repeated[Int32]


@message(GATEWAY)
class UnAdviseItemBulkCommand(Message, Protocol):
    server_handle: Int32
    item_handles: Repeated[Int32]


@message(GATEWAY)
class UnsubscribeBulkCommand(Message, Protocol):
    server_handle: Int32
    item_handles: Repeated[Int32]


@message(GATEWAY)
class WriteBulkEntry(Message, Protocol):
    item_handle: Int32
    value: MxValue
    user_id: Int32


@message(GATEWAY)
class Write2BulkEntry(Message, Protocol):
    item_handle: Int32
    value: MxValue
    timestamp_value: MxValue
    user_id: Int32


@message(GATEWAY)
class WriteSecuredBulkEntry(Message, Protocol):
    item_handle: Int32
    value: MxValue
    current_user_id: Int32
    verifier_user_id: Int32


@message(GATEWAY)
class WriteSecured2BulkEntry(Message, Protocol):
    item_handle: Int32
    value: MxValue
    timestamp_value: MxValue
    current_user_id: Int32
    verifier_user_id: Int32


@message(GATEWAY)
class WriteBulkCommand(Message, Protocol):
    server_handle: Int32
    entries: Repeated[WriteBulkEntry]


@message(GATEWAY)
class Write2BulkCommand(Message, Protocol):
    server_handle: Int32
    entries: Repeated[Write2BulkEntry]


@message(GATEWAY)
class WriteSecuredBulkCommand(Message, Protocol):
    server_handle: Int32
    entries: Repeated[WriteSecuredBulkEntry]


@message(GATEWAY)
class WriteSecured2BulkCommand(Message, Protocol):
    server_handle: Int32
    entries: Repeated[WriteSecured2BulkEntry]


@message(GATEWAY)
class MxCommand(Message, Protocol):
    """`kind` and the payload members the tool sends (member `x_command`, kind `X`)."""

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
    drain_events_command: DrainEventsCommand
    add_item_bulk_command: AddItemBulkCommand
    advise_item_bulk_command: AdviseItemBulkCommand
    remove_item_bulk_command: RemoveItemBulkCommand
    un_advise_item_bulk_command: UnAdviseItemBulkCommand
    subscribe_bulk_command: SubscribeBulkCommand
    unsubscribe_bulk_command: UnsubscribeBulkCommand
    read_bulk_command: ReadBulkCommand
    write_bulk_command: WriteBulkCommand
    write2_bulk_command: Write2BulkCommand
    write_secured_bulk_command: WriteSecuredBulkCommand
    write_secured2_bulk_command: WriteSecured2BulkCommand


@message(GATEWAY)
class MxCommandRequest(Message, Protocol):
    session_id: str
    command: MxCommand


@message(GATEWAY)
class RegisterReply(Message, Protocol):
    server_handle: Int32


@message(GATEWAY)
class AddItemReply(Message, Protocol):
    item_handle: Int32


@message(GATEWAY)
class UserIdReply(Message, Protocol):
    user_id: Int32


@message(GATEWAY)
class DrainEventsReply(Message, Protocol):
    events: Repeated[MxEvent]


@message(GATEWAY)
class SubscribeResult(Message, Protocol):
    server_handle: Int32
    tag_address: str
    item_handle: Int32
    was_successful: bool
    error_message: str


@message(GATEWAY)
class BulkSubscribeReply(Message, Protocol):
    results: Repeated[SubscribeResult]


@message(GATEWAY)
class BulkReadResult(Message, Protocol):
    server_handle: Int32
    tag_address: str
    item_handle: Int32
    was_successful: bool
    error_message: str
    was_cached: bool
    value: MxValue
    quality: Int32
    source_timestamp: Timestamp
    statuses: Repeated[MxStatusProxy]


@message(GATEWAY)
class BulkReadReply(Message, Protocol):
    results: Repeated[BulkReadResult]


@message(GATEWAY)
class BulkWriteResult(Message, Protocol):
    server_handle: Int32
    item_handle: Int32
    was_successful: bool
    error_message: str
    hresult: Int32
    statuses: Repeated[MxStatusProxy]


@message(GATEWAY)
class BulkWriteReply(Message, Protocol):
    results: Repeated[BulkWriteResult]


@message(GATEWAY)
class MxCommandReply(Message, Protocol):
    kind: MxCommandKind
    protocol_status: ProtocolStatus
    hresult: Int32
    statuses: Repeated[MxStatusProxy]
    diagnostic_message: str
    register: RegisterReply
    add_item: AddItemReply
    add_item2: AddItemReply
    authenticate_user: UserIdReply
    drain_events: DrainEventsReply
    bulk_subscribe: BulkSubscribeReply
    bulk_read: BulkReadReply
    bulk_write: BulkWriteReply


# ---------------------------------------------------------------- events


@message(GATEWAY)
class ReplayGap(Message, Protocol):
    requested_after_sequence: UInt64
    oldest_available_sequence: UInt64


@message(GATEWAY)
class MxEvent(Message, Protocol):
    family: MxEventFamily
    worker_sequence: UInt64
    server_handle: Int32
    item_handle: Int32
    value: MxValue
    quality: Int32
    source_timestamp: Timestamp
    statuses: Repeated[MxStatusProxy]
    gateway_receive_timestamp: Timestamp
    hresult: Int32  # proto3 optional: HasField tells
    replay_gap: ReplayGap


# ---------------------------------------------------------------- alarms


@message(GATEWAY)
class AcknowledgeAlarmRequest(Message, Protocol):
    alarm_full_reference: str
    comment: str
    operator_user: str
    operator_node: str
    operator_domain: str
    operator_full_name: str


@message(GATEWAY)
class AcknowledgeAlarmReply(Message, Protocol):
    protocol_status: ProtocolStatus
    hresult: Int32
    native_status: Int32
    diagnostic_message: str


@message(GATEWAY)
class StreamAlarmsRequest(Message, Protocol):
    alarm_filter_prefix: str


@message(GATEWAY)
class QueryActiveAlarmsRequest(Message, Protocol):
    alarm_filter_prefix: str


@message(GATEWAY)
class AlarmProviderStatus(Message, Protocol):
    mode: AlarmProviderMode
    degraded: bool
    reason: str
    since: Timestamp


@message(GATEWAY)
class ActiveAlarmSnapshot(Message, Protocol):
    alarm_full_reference: str
    condition_state: AlarmConditionState
    severity: Int32
    original_raise_time: Timestamp
    last_transition_time: Timestamp
    operator_user: str
    operator_comment: str
    current_value: MxValue
    limit_value: MxValue


@message(GATEWAY)
class OnAlarmTransitionEvent(Message, Protocol):
    alarm_full_reference: str
    transition_kind: AlarmTransitionKind
    condition_state: AlarmConditionState
    severity: Int32
    original_raise_time: Timestamp
    transition_time: Timestamp
    operator_user: str
    operator_comment: str
    current_value: MxValue
    limit_value: MxValue


@message(GATEWAY, "payload")
class AlarmFeedMessage(Message, Protocol):
    active_alarm: ActiveAlarmSnapshot
    transition: OnAlarmTransitionEvent
    provider_status: AlarmProviderStatus


# ---------------------------------------------------------------- rpcs

GATEWAY_SERVICE = f"{GATEWAY}.MxAccessGateway"

OPEN_SESSION = method(GATEWAY_SERVICE, "OpenSession", OpenSessionRequest, OpenSessionReply)
CLOSE_SESSION = method(GATEWAY_SERVICE, "CloseSession", CloseSessionRequest,
                       CloseSessionReply)
INVOKE = method(GATEWAY_SERVICE, "Invoke", MxCommandRequest, MxCommandReply)
STREAM_EVENTS = method(GATEWAY_SERVICE, "StreamEvents", StreamEventsRequest, MxEvent,
                       stream=True)
ACKNOWLEDGE_ALARM = method(GATEWAY_SERVICE, "AcknowledgeAlarm", AcknowledgeAlarmRequest,
                           AcknowledgeAlarmReply)
STREAM_ALARMS = method(GATEWAY_SERVICE, "StreamAlarms", StreamAlarmsRequest,
                       AlarmFeedMessage, stream=True)
QUERY_ACTIVE_ALARMS = method(GATEWAY_SERVICE, "QueryActiveAlarms", QueryActiveAlarmsRequest,
                             ActiveAlarmSnapshot, stream=True)
