"""The generated descriptors carry every name and number the contract spec marks exact.

These are what the real gateway uses; a change here breaks the wire with it.
"""

from __future__ import annotations

from google.protobuf.descriptor import FieldDescriptor

from mxgw._proto import galaxy_pb2, gateway_pb2

GW = gateway_pb2.DESCRIPTOR
GR = galaxy_pb2.DESCRIPTOR


def fields(message: str, file: object = GW) -> dict[str, int]:
    desc = file.message_types_by_name[message]  # type: ignore[attr-defined]
    return {f.name: f.number for f in desc.fields}


def test_packages() -> None:
    assert GW.package == "mxaccess_gateway.v1"
    assert GR.package == "galaxy_repository.v1"


def test_gateway_service_rpcs_in_order() -> None:
    service = GW.services_by_name["MxAccessGateway"]
    assert [(m.name, m.input_type.name, m.output_type.name, m.server_streaming)
            for m in service.methods] == [
        ("OpenSession", "OpenSessionRequest", "OpenSessionReply", False),
        ("CloseSession", "CloseSessionRequest", "CloseSessionReply", False),
        ("Invoke", "MxCommandRequest", "MxCommandReply", False),
        ("StreamEvents", "StreamEventsRequest", "MxEvent", True),
        ("AcknowledgeAlarm", "AcknowledgeAlarmRequest", "AcknowledgeAlarmReply", False),
        ("StreamAlarms", "StreamAlarmsRequest", "AlarmFeedMessage", True),
        ("QueryActiveAlarms", "QueryActiveAlarmsRequest", "ActiveAlarmSnapshot", True),
    ]


def test_galaxy_service_rpcs_in_order() -> None:
    service = GR.services_by_name["GalaxyRepository"]
    assert [(m.name, m.input_type.name, m.output_type.name, m.server_streaming)
            for m in service.methods] == [
        ("TestConnection", "TestConnectionRequest", "TestConnectionReply", False),
        ("GetLastDeployTime", "GetLastDeployTimeRequest", "GetLastDeployTimeReply", False),
        ("DiscoverHierarchy", "DiscoverHierarchyRequest", "DiscoverHierarchyReply", False),
        ("WatchDeployEvents", "WatchDeployEventsRequest", "DeployEvent", True),
        ("BrowseChildren", "BrowseChildrenRequest", "BrowseChildrenReply", False),
    ]


def test_mx_event_exact_fields() -> None:
    desc = GW.message_types_by_name["MxEvent"]
    got = {f.name: (f.number, f.message_type.name if f.message_type else f.type)
           for f in desc.fields}
    assert got["gateway_receive_timestamp"] == (11, "Timestamp")
    assert got["hresult"] == (12, FieldDescriptor.TYPE_INT32)
    assert got["raw_status"] == (13, FieldDescriptor.TYPE_STRING)
    assert got["replay_gap"] == (14, "ReplayGap")
    assert got["on_data_change"] == (20, "OnDataChangeEvent")
    assert got["on_alarm_transition"] == (24, "OnAlarmTransitionEvent")
    assert desc.fields_by_name["hresult"].has_presence
    assert desc.fields_by_name["replay_gap"].has_presence
    assert desc.fields_by_name["on_data_change"].containing_oneof.name == "body"
    assert fields("ReplayGap") == {"requested_after_sequence": 1, "oldest_available_sequence": 2}


def test_command_and_reply_payloads() -> None:
    assert fields("MxCommand")["acknowledge_alarm_by_name_command"] == 38
    cmd = GW.message_types_by_name["MxCommand"]
    assert cmd.fields_by_name["acknowledge_alarm_by_name_command"].containing_oneof.name == "payload"
    reply = GW.message_types_by_name["MxCommandReply"]
    ack = reply.fields_by_name["acknowledge_alarm"]
    query = reply.fields_by_name["query_active_alarms"]
    assert (ack.number, ack.message_type.name) == (34, "AcknowledgeAlarmReplyPayload")
    assert (query.number, query.message_type.name) == (35, "QueryActiveAlarmsReplyPayload")


def test_exact_enum_values() -> None:
    kind = GW.enum_types_by_name["MxCommandKind"].values_by_name
    assert kind["MX_COMMAND_KIND_ACKNOWLEDGE_ALARM_BY_NAME"].number == 29
    assert "MX_COMMAND_KIND_REGISTER" in kind and "MX_COMMAND_KIND_WRITE" in kind
    status = GW.enum_types_by_name["ProtocolStatusCode"].values_by_name
    assert status["PROTOCOL_STATUS_CODE_MXACCESS_FAILURE"].number == 9
    assert set(status) == {f"PROTOCOL_STATUS_CODE_{n}" for n in (
        "UNSPECIFIED", "OK", "INVALID_REQUEST", "SESSION_NOT_FOUND", "SESSION_NOT_READY",
        "WORKER_UNAVAILABLE", "TIMEOUT", "CANCELED", "PROTOCOL_VIOLATION", "MXACCESS_FAILURE")}
    family = GW.enum_types_by_name["MxEventFamily"].values_by_name
    assert family["MX_EVENT_FAMILY_ON_ALARM_TRANSITION"].number == 5
    mode = GW.enum_types_by_name["AlarmProviderMode"].values_by_name
    assert {v.name: v.number for v in mode.values()} == {
        "ALARM_PROVIDER_MODE_UNSPECIFIED": 0,
        "ALARM_PROVIDER_MODE_ALARMMGR": 1,
        "ALARM_PROVIDER_MODE_SUBTAG": 2,
    }
    state = GW.enum_types_by_name["SessionState"].values_by_name
    assert {"SESSION_STATE_READY", "SESSION_STATE_CLOSING", "SESSION_STATE_CLOSED",
            "SESSION_STATE_FAULTED"} <= set(state)
    transition = GW.enum_types_by_name["AlarmTransitionKind"].values_by_name
    assert {"ALARM_TRANSITION_KIND_RAISE", "ALARM_TRANSITION_KIND_ACKNOWLEDGE",
            "ALARM_TRANSITION_KIND_CLEAR", "ALARM_TRANSITION_KIND_RETRIGGER"} <= set(transition)


def test_alarm_messages() -> None:
    assert fields("QueryActiveAlarmsRequest") == {
        "session_id": 1, "client_correlation_id": 2, "alarm_filter_prefix": 3}
    assert fields("AlarmProviderStatus") == {"mode": 1, "degraded": 2, "reason": 3, "since": 4}
    feed = GW.message_types_by_name["AlarmFeedMessage"]
    assert [f.name for f in feed.oneofs_by_name["payload"].fields] == [
        "active_alarm", "snapshot_complete", "transition", "provider_status"]
    assert {f.name for f in GW.message_types_by_name["SubscribeResult"].fields} == {
        "server_handle", "tag_address", "item_handle", "was_successful", "error_message"}


def test_browse_children_request_is_exact() -> None:
    assert fields("BrowseChildrenRequest", GR) == {
        "parent_gobject_id": 1, "parent_tag_name": 2, "parent_contained_path": 3,
        "page_size": 4, "page_token": 5, "category_ids": 6, "template_chain_contains": 7,
        "tag_name_glob": 8, "include_attributes": 9, "alarm_bearing_only": 10,
        "historized_only": 11,
    }
    req = GR.message_types_by_name["BrowseChildrenRequest"]
    assert [f.name for f in req.oneofs_by_name["parent"].fields] == [
        "parent_gobject_id", "parent_tag_name", "parent_contained_path"]
    assert req.fields_by_name["include_attributes"].has_presence
    assert fields("BrowseChildrenReply", GR)["children"] == 1


def test_galaxy_exact_fields() -> None:
    attribute = fields("GalaxyAttribute", GR)
    assert attribute["is_historized"] == 10
    assert attribute["is_alarm"] == 11
    assert fields("TestConnectionReply", GR)["ok"] == 1
