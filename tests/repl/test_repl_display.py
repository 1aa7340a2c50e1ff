"""Results shown compactly: tag values as one line, messages without text dumps."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from mxgw import DataChange, TagValue, _errors
from mxgw._proto import gateway_pb2
from mxgw.repl._display import format_error, format_result, scrub_secrets


def _Value(value: Any, data_type: str, quality: int, quality_text: str,
           timestamp: dt.datetime | None, error: str | None = None) -> TagValue:
    return TagValue(value, data_type, quality, quality_text, timestamp, error=error)


STAMP = dt.datetime(2026, 11, 21, 0, 41, 2, 123000, tzinfo=dt.UTC)


def test_tag_value_is_one_line() -> None:
    text = format_result(_Value(42, "Integer", 192, "Good", STAMP))
    assert text == "42  Integer  Good  2026-11-21T00:41:02.123Z"


def test_dict_of_tag_values_is_aligned_by_tag() -> None:
    text = format_result({
        "TestChildObject.TestInt": _Value(42, "Integer", 192, "Good", STAMP),
        "Pump001.Speed": _Value(1.5, "Double", 0, "Bad: not connected", None),
    })
    lines = text.splitlines()
    assert lines[0].startswith("TestChildObject.TestInt  42  Integer  Good")
    assert lines[1].startswith("Pump001.Speed            1.5  Double  Bad: not connected  -")


def test_message_is_compact_and_named() -> None:
    reply = gateway_pb2.OpenSessionReply(session_id="session-1", backend_name="mxaccess-worker")
    text = format_result(reply)
    assert text == 'OpenSessionReply{"session_id": "session-1", "backend_name": "mxaccess-worker"}'
    assert "\n" not in text


def test_password_fields_in_messages_are_redacted() -> None:
    command = gateway_pb2.AuthenticateUserCommand(
        server_handle=1, user_name="operator", password="operator-pw")
    text = format_result(command)
    assert "operator-pw" not in text and "<redacted>" in text


def test_api_keys_in_plain_values_are_redacted() -> None:
    assert "SECRET" not in format_result({"k": "mxgw_ab12_SECRETSECRET"})
    assert scrub_secrets({"apiKey": "x", "nested": [{"password": "y"}]}) == {
        "apiKey": "<redacted>", "nested": [{"password": "<redacted>"}]}


def test_gateway_error_line_carries_codes() -> None:
    error = _errors.MxAccessError("write refused", hresult=-2147467259,
                                  protocol_status="PROTOCOL_STATUS_CODE_MXACCESS_FAILURE")
    assert format_error(error) == (
        "MxAccessError: write refused "
        "(status=PROTOCOL_STATUS_CODE_MXACCESS_FAILURE, hresult=0x80004005)")


def test_cancellation_is_one_word() -> None:
    assert format_error(asyncio.CancelledError()) == "cancelled"


def test_messages_nested_in_containers_are_compact_too() -> None:
    reply = gateway_pb2.OpenSessionReply(session_id="session-1")
    text = format_result([(reply, True)])
    assert text == '[(OpenSessionReply{"session_id": "session-1"}, True)]'


def test_failed_read_shows_its_error() -> None:
    value = _Value(None, "UNKNOWN", 0, "Bad", None, error="MX_E_InvalidReference")
    assert format_result(value).endswith("error: MX_E_InvalidReference")


def test_data_change_shows_its_tag() -> None:
    change = DataChange("Pump001.Speed", _Value(42.5, "DOUBLE", 192, "Good", STAMP), 7)
    assert format_result(change) == "Pump001.Speed  42.5  DOUBLE  Good  2026-11-21T00:41:02.123Z"


def test_zero_hresult_is_not_shown() -> None:
    error = _errors.MxAccessError("write Pump001.Model failed: MX_E_NotWriteable", hresult=0)
    assert format_error(error) == "MxAccessError: write Pump001.Model failed: MX_E_NotWriteable"
