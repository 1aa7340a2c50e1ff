"""Python <-> MxValue conversion, TagValue and statuses."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone

import pytest

from mxgw import StatusInfo, TagValue, _rpc, from_mx_value, quality_text, to_mx_value
from mxgw._proto import gateway_pb2 as pb


def kind(mx: object) -> str:
    return str(mx.WhichOneof("value"))  # type: ignore[attr-defined]


def dtype(mx: object) -> str:
    return str(pb.MxDataType.Name(mx.data_type))  # type: ignore[attr-defined]


def test_bool_is_not_an_int() -> None:
    mx = to_mx_value(True)
    assert kind(mx) == "bool_value" and dtype(mx) == "MX_DATA_TYPE_BOOLEAN"
    assert from_mx_value(mx) is True


@pytest.mark.parametrize("value, member", [
    (0, "int32_value"), (2**31 - 1, "int32_value"), (-(2**31), "int32_value"),
    (2**31, "int64_value"), (-(2**31) - 1, "int64_value"), (2**63 - 1, "int64_value"),
])
def test_int32_or_int64_by_range(value: int, member: str) -> None:
    mx = to_mx_value(value)
    assert kind(mx) == member and dtype(mx) == "MX_DATA_TYPE_INTEGER"
    assert from_mx_value(mx) == value


def test_int_beyond_64_bits_is_refused() -> None:
    with pytest.raises(ValueError, match="64 bits"):
        to_mx_value(2**64)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_nan_and_infinity_are_refused(bad: float) -> None:
    with pytest.raises(ValueError, match="NaN and infinity"):
        to_mx_value(bad)
    with pytest.raises(ValueError):
        to_mx_value([1.0, bad])
    with pytest.raises(ValueError):
        to_mx_value(str(bad), "float")


def test_float_is_double_and_round_trips() -> None:
    mx = to_mx_value(1.25)
    assert kind(mx) == "double_value" and from_mx_value(mx) == 1.25
    assert kind(to_mx_value(1.25, "float")) == "float_value"


def test_string_and_bytes() -> None:
    assert from_mx_value(to_mx_value("héllo")) == "héllo"
    mx = to_mx_value(b"\x00\x01")
    assert kind(mx) == "raw_value" and from_mx_value(mx) == b"\x00\x01"


def test_aware_datetime_round_trips_in_utc() -> None:
    when = datetime(2026, 1, 2, 3, 4, 5, 600000, tzinfo=timezone(timedelta(hours=2)))
    mx = to_mx_value(when)
    assert kind(mx) == "time_value" and dtype(mx) == "MX_DATA_TYPE_TIME"
    back = from_mx_value(mx)
    assert back == when and back.tzinfo == UTC


def test_naive_datetime_is_refused_clearly() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        to_mx_value(datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="no time zone"):
        to_mx_value("2026-01-01T00:00:00", "time")


def test_timedelta_is_elapsed_time() -> None:
    mx = to_mx_value(timedelta(seconds=90, microseconds=5))
    assert kind(mx) == "elapsed_value" and dtype(mx) == "MX_DATA_TYPE_ELAPSED_TIME"
    assert from_mx_value(mx) == timedelta(seconds=90, microseconds=5)
    assert from_mx_value(to_mx_value("1.5", "elapsed")) == timedelta(seconds=1.5)


def test_homogeneous_lists_are_arrays() -> None:
    mx = to_mx_value([1, 2, 3])
    assert kind(mx) == "array_value"
    assert mx.array_value.element_data_type == pb.MX_DATA_TYPE_INTEGER
    assert from_mx_value(mx) == [1, 2, 3]
    assert from_mx_value(to_mx_value(["a", "b"])) == ["a", "b"]
    assert from_mx_value(to_mx_value([1, 2**40]))== [1, 2**40]
    assert from_mx_value(to_mx_value([1, 2.5])) == [1.0, 2.5]  # whole + decimal: double


@pytest.mark.parametrize("bad, message", [
    ([1, "a"], "share one type"), ([True, 1], "share one type"), ([[1], [2]], "nested"),
    ([], "empty list"), (None, "None"),
])
def test_bad_lists_and_none(bad: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        to_mx_value(bad)


def test_unsupported_type() -> None:
    with pytest.raises(TypeError, match="cannot write a dict"):
        to_mx_value({"a": 1})


@pytest.mark.parametrize("value, data_type, expected", [
    ("7", "int32", 7), ("0x10", "int", 16), (3.0, "int32", 3), ("true", "bool", True),
    ("off", "boolean", False), (1, "bool", True), ("2.5", "double", 2.5), (5, "double", 5.0),
    ("x", "string", "x"), ([1, 2], "double", [1.0, 2.0]), ([], "int32", []),
])
def test_explicit_data_type_converts(value: object, data_type: str, expected: object) -> None:
    assert from_mx_value(to_mx_value(value, data_type)) == expected


@pytest.mark.parametrize("value, data_type", [
    (2**31, "int32"), (1.5, "int32"), ("maybe", "bool"), (2, "bool"), ("x", "double"),
    (5, "string"), (1, "nosuchtype"),
])
def test_explicit_data_type_refuses_lossy_values(value: object, data_type: str) -> None:
    with pytest.raises(ValueError):
        to_mx_value(value, data_type)


def test_null_value_reads_as_none() -> None:
    assert from_mx_value(pb.MxValue(is_null=True, int32_value=5)) is None
    assert from_mx_value(pb.MxValue()) is None


def test_quality_text() -> None:
    assert quality_text(192) == "Good"
    assert quality_text(4) == "Bad: configuration error"
    assert quality_text(0) == "Bad"
    assert quality_text(0x18) == "Bad: communication failure"
    assert quality_text(0x41) == "Uncertain (low limited)"
    assert quality_text(0xC3) == "Good (constant)"


def test_placeholder_statuses_are_not_failures() -> None:
    for category in ("UNSPECIFIED", "UNKNOWN", "OK", "PENDING"):
        assert not StatusInfo.from_parts(category, "UNKNOWN", 0, "").is_failure
    failed = StatusInfo.from_parts("CONFIGURATION_ERROR", "RESPONDING_LMX", 1007, "")
    assert failed.is_failure and failed.detail_name == "MX_E_NotWriteable"
    assert "not writeable" in failed.text
    assert StatusInfo.from_parts("WARNING", "UNKNOWN", 99999, "").detail_name == "MX_E_99999"


def test_tag_value_from_event_message() -> None:
    event = pb.MxEvent(value=to_mx_value(5), quality=192)
    event.source_timestamp.FromDatetime(datetime(2026, 1, 1, tzinfo=UTC))
    event.statuses.add(category=pb.MX_STATUS_CATEGORY_UNSPECIFIED)  # placeholder
    value = TagValue.from_message(event)
    assert (value.value, value.data_type, value.quality_text, value.ok) == (5, "INTEGER",
                                                                            "Good", True)
    assert value.to_dict()["timestamp"] == "2026-01-01T00:00:00Z"
    bad = TagValue.from_message(pb.MxEvent(quality=4))
    assert not bad.ok and bad.quality_text == "Bad: configuration error"
    assert bad.value is None and bad.timestamp is None


def test_rpc_value_parts_names_the_data_type() -> None:
    assert _rpc.value_parts(to_mx_value(1.5))[2] == "DOUBLE"
