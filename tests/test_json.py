"""mxgw._json, the one home of "a result as JSON": golden bytes of every library record,
a message and the error line, the one scrubber, and the records' shapes.

The golden bytes were written before JSON got its own module (issue 11), from what the CLI
printed then: they must not change. Messages use the proto3 JSON mapping with every field
printed (64-bit integers as strings, NaN as a string, enum numbers the contract does not
name as numbers).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from mxgw import (
    BulkReadResult,
    BulkWriteResult,
    DataChange,
    DeployEvent,
    DeployInfo,
    GalaxyConnection,
    MxAccessError,
    MxGatewayTransportError,
    StatusInfo,
    StreamGap,
    SubscribeResult,
    TagValue,
    _json,
)
from mxgw._json import dumps, error_line, redact, scrub, to_jsonable
from mxgw._known import KnownGateway
from mxgw._proto import gateway_pb2 as pb
from mxgw.cli._exit import error_fields

T = dt.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=dt.UTC)
FAILED = StatusInfo.from_parts("CONFIGURATION_ERROR", "RESPONDING_LMX", 6, "")
OK = StatusInfo.from_parts("OK", "UNSPECIFIED", 0, "")
GOOD = TagValue(42.5, "DOUBLE", 192, "Good", T, (OK,))
BAD = TagValue(None, "UNKNOWN", 4, "Bad: configuration error", None, (FAILED,), "no such tag")

OBJECTS = {
    "tag_value": GOOD,
    "bad": BAD,
    "array": TagValue([1, 2, 3], "INTEGER", 192, "Good", T),
    "odd": TagValue([T, dt.timedelta(seconds=1.5), b"\x00\xff", float("nan"), "caf\u00e9"],
                    "UNKNOWN", 0xD8, "Good: local override", T),
    "change": DataChange("Pump001.Speed", GOOD, 17),
    "subscribe": SubscribeResult(1, "Pump001.Speed", 3, True, ""),
    "subscribe_bad": SubscribeResult(1, "No.Such", 0, False, "refused"),
    "read": BulkReadResult(1, "Pump001.Speed", 3, True, "", True, GOOD),
    "read_bad": BulkReadResult(1, "No.Such", 0, False, "no such", False, BAD),
    "write": BulkWriteResult(1, 3, True, "", 0, (OK,)),
    "write_bad": BulkWriteResult(1, 4, False, "nope", -2147024809, (FAILED,)),
    "gap": StreamGap(5, 9, "sequence"),
    "deploy": DeployEvent(3, T, T, 1),
    "deploy_none": DeployEvent(1, None, None),
    "deploy_info": DeployInfo(T, "Healthy"),
    "conn": GalaxyConnection(True, "ok"),
    "known": KnownGateway("gw:5120", "AA:BB", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"),
    "get_doc": {"values": [{"tag": "A.B", **json.loads(dumps(GOOD))}]},
}

GOLDEN = {
    'tag_value': '{"dataType":"DOUBLE","error":null,"ok":true,"quality":192,"qualityText":"Good","statuses":[{"category":"OK","detail":0,"detailName":"MX_S_Success","isFailure":false,"source":"UNSPECIFIED","text":""}],"timestamp":"2026-01-02T03:04:05.678901Z","value":42.5}',
    'bad': '{"dataType":"UNKNOWN","error":"no such tag","ok":false,"quality":4,"qualityText":"Bad: configuration error","statuses":[{"category":"CONFIGURATION_ERROR","detail":6,"detailName":"MX_E_InvalidReference","isFailure":true,"source":"RESPONDING_LMX","text":"invalid reference (no such object or attribute)"}],"timestamp":null,"value":null}',
    'array': '{"dataType":"INTEGER","error":null,"ok":true,"quality":192,"qualityText":"Good","statuses":[],"timestamp":"2026-01-02T03:04:05.678901Z","value":[1,2,3]}',
    'odd': '{"dataType":"UNKNOWN","error":null,"ok":true,"quality":216,"qualityText":"Good: local override","statuses":[],"timestamp":"2026-01-02T03:04:05.678901Z","value":["2026-01-02T03:04:05.678901Z",1.5,"AP8=","nan","caf\\u00e9"]}',
    'change': '{"dataType":"DOUBLE","error":null,"ok":true,"quality":192,"qualityText":"Good","sequence":17,"statuses":[{"category":"OK","detail":0,"detailName":"MX_S_Success","isFailure":false,"source":"UNSPECIFIED","text":""}],"tag":"Pump001.Speed","timestamp":"2026-01-02T03:04:05.678901Z","value":42.5}',
    'subscribe': '{"errorMessage":"","itemHandle":3,"serverHandle":1,"tagAddress":"Pump001.Speed","wasSuccessful":true}',
    'subscribe_bad': '{"errorMessage":"refused","itemHandle":0,"serverHandle":1,"tagAddress":"No.Such","wasSuccessful":false}',
    'read': '{"dataType":"DOUBLE","error":null,"errorMessage":"","itemHandle":3,"ok":true,"quality":192,"qualityText":"Good","serverHandle":1,"statuses":[{"category":"OK","detail":0,"detailName":"MX_S_Success","isFailure":false,"source":"UNSPECIFIED","text":""}],"tagAddress":"Pump001.Speed","timestamp":"2026-01-02T03:04:05.678901Z","value":42.5,"wasCached":true,"wasSuccessful":true}',
    'read_bad': '{"dataType":"UNKNOWN","error":"no such tag","errorMessage":"no such","itemHandle":0,"ok":false,"quality":4,"qualityText":"Bad: configuration error","serverHandle":1,"statuses":[{"category":"CONFIGURATION_ERROR","detail":6,"detailName":"MX_E_InvalidReference","isFailure":true,"source":"RESPONDING_LMX","text":"invalid reference (no such object or attribute)"}],"tagAddress":"No.Such","timestamp":null,"value":null,"wasCached":false,"wasSuccessful":false}',
    'write': '{"errorMessage":"","hresult":0,"itemHandle":3,"serverHandle":1,"statuses":[{"category":"OK","detail":0,"detailName":"MX_S_Success","isFailure":false,"source":"UNSPECIFIED","text":""}],"wasSuccessful":true}',
    'write_bad': '{"errorMessage":"nope","hresult":-2147024809,"itemHandle":4,"serverHandle":1,"statuses":[{"category":"CONFIGURATION_ERROR","detail":6,"detailName":"MX_E_InvalidReference","isFailure":true,"source":"RESPONDING_LMX","text":"invalid reference (no such object or attribute)"}],"wasSuccessful":false}',
    'gap': '{"expected":5,"gap":"sequence","lost":4,"received":9}',
    'deploy': '{"missed":1,"observedAt":"2026-01-02T03:04:05.678901Z","sequence":3,"timeOfLastDeploy":"2026-01-02T03:04:05.678901Z"}',
    'deploy_none': '{"missed":0,"observedAt":null,"sequence":1,"timeOfLastDeploy":null}',
    'deploy_info': '{"cacheState":"Healthy","timeOfLastDeploy":"2026-01-02T03:04:05.678901Z"}',
    'conn': '{"message":"ok","ok":true}',
    'known': '{"endpoint":"gw:5120","firstSeen":"2026-01-01T00:00:00Z","lastSeen":"2026-01-02T00:00:00Z","sha256":"AA:BB"}',
    'get_doc': '{"values":[{"dataType":"DOUBLE","error":null,"ok":true,"quality":192,"qualityText":"Good","statuses":[{"category":"OK","detail":0,"detailName":"MX_S_Success","isFailure":false,"source":"UNSPECIFIED","text":""}],"tag":"A.B","timestamp":"2026-01-02T03:04:05.678901Z","value":42.5}]}',
}


@pytest.mark.parametrize("name", sorted(OBJECTS))
def test_records_print_the_same_bytes(name: str) -> None:
    assert dumps(OBJECTS[name]) == GOLDEN[name]


def _event() -> object:
    event = pb.MxEvent(session_id="s", family=pb.MX_EVENT_FAMILY_ON_DATA_CHANGE,
                       worker_sequence=2**63 + 5, server_handle=1, item_handle=2, quality=192,
                       value=pb.MxValue(data_type=pb.MX_DATA_TYPE_DOUBLE, variant_type="VT_R8",
                                        double_value=float("nan")))
    event.source_timestamp.FromDatetime(T)
    return event


def test_messages_print_every_field() -> None:
    assert dumps(_event()) == (
        '{"family":"MX_EVENT_FAMILY_ON_DATA_CHANGE","itemHandle":2,"quality":192,"rawStatus":"","serverHandle":1,"sessionId":"s","sourceTimestamp":"2026-01-02T03:04:05.678901Z","statuses":[],"value":{"dataType":"MX_DATA_TYPE_DOUBLE","doubleValue":"NaN","isNull":false,"rawDataType":0,"variantType":"VT_R8"},"workerSequence":"9223372036854775813"}')
    assert dumps({"events": [pb.MxEvent(family=99)]}) == (
        '{"events":[{"family":99,"itemHandle":0,"quality":0,"rawStatus":"","serverHandle":0,"sessionId":"","statuses":[],"workerSequence":"0"}]}')


@pytest.mark.parametrize("error,line", [
    (MxAccessError("write: MXACCESS_FAILURE [HRESULT 0x80070057]", hresult=-2147024809,
                   protocol_status="PROTOCOL_STATUS_CODE_MXACCESS_FAILURE"),
     '{"error": {"exitCode": 7, "grpcCode": null, "hresult": -2147024809, "message": "write: MXACCESS_FAILURE [HRESULT 0x80070057]", "protocolStatus": "PROTOCOL_STATUS_CODE_MXACCESS_FAILURE", "type": "MxAccessError", "warnings": ["w1 <redacted>"]}}'),
    (MxGatewayTransportError("open session: UNAVAILABLE: down mxgw_abc_defSECRET",
                             grpc_code="UNAVAILABLE"),
     '{"error": {"exitCode": 3, "grpcCode": "UNAVAILABLE", "hresult": null, "message": "open session: UNAVAILABLE: down <redacted>", "protocolStatus": null, "type": "MxGatewayTransportError", "warnings": ["w1 <redacted>"]}}'),
    (ValueError("boom secretvalue"),
     '{"error": {"exitCode": 1, "grpcCode": null, "hresult": null, "message": "internal error: ValueError: boom <redacted> (run with --debug)", "protocolStatus": null, "type": "ValueError", "warnings": ["w1 <redacted>"]}}'),
])
def test_the_error_line(error: BaseException, line: str) -> None:
    fields = error_fields(error, {"secretvalue"}, ["w1 secretvalue"])
    assert error_line(fields) == line


def test_notices_in_the_error_line_are_scrubbed_like_every_field() -> None:
    notice = {"notice": "trusting new gateway certificate", "file": "C:\\secretvalue\\k.json"}
    fields = error_fields(MxGatewayTransportError("down"), {"secretvalue"}, notices=[notice])
    assert fields["notices"] == [{"notice": "trusting new gateway certificate",
                                  "file": "C:\\<redacted>\\k.json"}]
    assert "notices" not in error_fields(MxGatewayTransportError("down"))


def test_the_repl_and_the_cli_print_a_result_alike() -> None:
    from mxgw.repl._main import json_ready

    for name, obj in OBJECTS.items():
        assert json.dumps(json_ready(obj), sort_keys=True, separators=(",", ":")) == (
            GOLDEN[name]), name


def test_every_special_shape_names_a_record_and_its_fields() -> None:
    import dataclasses
    import importlib

    for path, shape in _json._SHAPES.items():
        module, name = path.rsplit(".", 1)
        cls = getattr(importlib.import_module(module), name)
        names = {f.name for f in dataclasses.fields(cls)}
        assert set(shape.inline) | set(shape.rename) <= names, path
        assert all(isinstance(getattr(cls, p), property) for p in shape.properties), path


def test_library_records_carry_no_json_of_their_own() -> None:
    # camelCase keys are this module's business: no record has a to_dict any more.
    for obj in [*OBJECTS.values(), OK]:
        assert not hasattr(obj, "to_dict"), type(obj)
    assert not hasattr(MxAccessError("x"), "to_dict")


# ---------------------------------------------------------------- the one scrubber


def test_redact_removes_keys_bearer_tokens_and_known_secrets() -> None:
    text = "key mxgw_ab12_SECRETSECRET, Bearer abc.def, and hunter2"
    assert redact(text, {"hunter2"}) == (
        "key <redacted>, Bearer <redacted>, and <redacted>")
    assert redact("nothing secret") == "nothing secret"


def test_a_bearer_token_ends_where_its_characters_do() -> None:
    # RFC 6750's b64token: the punctuation after it is the message's, and stays.
    assert redact("missing API key (authorization: Bearer ...)") == (
        "missing API key (authorization: Bearer <redacted>)")
    assert redact('bearer a-b.c_d~e+f/g== "rejected"') == 'bearer <redacted> "rejected"'


def test_a_short_secret_is_redacted_where_it_stands_alone_not_inside_words() -> None:
    # `--api-key a` once turned "unauthenticated" into "un<redacted>uthentic<redacted>ted".
    text = "api key a rejected: unauthenticated (key=a)"
    assert redact(text, {"a"}) == "api key <redacted> rejected: unauthenticated (key=<redacted>)"
    assert redact("pw x1! sent", {"x1!"}) == "pw <redacted> sent"
    assert redact("abcd inside abcdef", {"abcd"}) == "<redacted> inside <redacted>ef"


def test_scrub_replaces_secret_named_keys_and_redacts_every_string() -> None:
    assert scrub({"apiKey": "x", "nested": [{"password": "y"}]}) == {
        "apiKey": "<redacted>", "nested": [{"password": "<redacted>"}]}
    doc = {"apiKey": "x", "nested": [{"password": "y", "note": "pw hunter2"}],
           "Token": 5, "value": "mxgw_ab12_SECRETSECRET", "n": 1.5}
    assert scrub(doc, ["hunter2"]) == {
        "apiKey": "<redacted>", "nested": [{"password": "<redacted>",
                                            "note": "pw <redacted>"}],
        "Token": "<redacted>", "value": "<redacted>", "n": 1.5}


def test_secret_forms_cover_the_bare_secret_of_a_key() -> None:
    key = "mxgw_k1_" + "s" * 43
    assert _json.secret_forms(key) == {key, "s" * 43}
    assert _json.secret_forms("pw") == {"pw"}


def test_messages_have_one_way_to_json() -> None:
    event = _event()
    assert to_jsonable(event) == _json.message_to_jsonable(event)
    compact = _json.message_to_jsonable(pb.OpenSessionReply(session_id="s"),
                                        every_field=False, proto_names=True)
    assert compact == {"session_id": "s"}


def test_what_cannot_be_json_says_so() -> None:
    with pytest.raises(TypeError, match="cannot print a object"):
        to_jsonable(object())


def test_only_this_module_turns_messages_into_json() -> None:
    from pathlib import Path

    src = Path(_json.__file__).parent
    users = sorted(str(p.relative_to(src)) for p in src.rglob("*.py")
                   if "_proto" not in p.parts and "json_format" in p.read_text("utf-8"))
    # _protojson* are the fast encoders message_to_jsonable calls (json_format: their
    # reference and fallback).
    assert users == ["_json.py", "_protojson.py", "_protojson_gen.py"]
    assert not any(p.name != "_json.py" and "_protojson" in p.read_text("utf-8")
                   for p in src.rglob("*.py") if not p.name.startswith("_protojson"))
