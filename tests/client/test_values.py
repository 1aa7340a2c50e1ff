"""Python <-> MxValue conversion, TagValue and statuses."""

from __future__ import annotations

import copy
import dataclasses
import math
import pickle
from datetime import UTC, datetime, timedelta, timezone

import pytest

import mxgw
from mxgw import StatusInfo, from_mx_value, parse_value, quality_text, to_mx_value
from mxgw._json import to_jsonable
from mxgw._proto import gateway_pb2 as pb
from mxgw._rpc._contract import Contract
from mxgw._rpc._records import tag_value
from mxgw._rpc._values import data_type_name
from mxgw._values import TagValue, new_tag_value, normalize_type


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
    value = tag_value(Contract.builtin(), event)
    assert (value.value, value.data_type, value.quality_text, value.ok) == (5, "INTEGER",
                                                                            "Good", True)
    assert to_jsonable(value)["timestamp"] == "2026-01-01T00:00:00Z"
    bad = tag_value(Contract.builtin(), pb.MxEvent(quality=4))
    assert not bad.ok and bad.quality_text == "Bad: configuration error"
    assert bad.value is None and bad.timestamp is None


def test_fast_record_makers_make_the_same_records() -> None:
    # new_tag_value fills __dict__ directly: it must stay in step with the dataclass's
    # fields and give records the constructor would give (the lazy DataChange:
    # tests/client/test_lazy_changes.py).
    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    parts = (1.5, "DOUBLE", 192, "Good", stamp, (StatusInfo.from_parts("OK", "X", 0, ""),),
             None)
    fast, made = new_tag_value(*parts), TagValue(*parts)
    assert list(vars(fast)) == [f.name for f in dataclasses.fields(TagValue)]
    assert (fast, repr(fast), hash(fast), vars(fast)) == (made, repr(made), hash(made),
                                                          vars(made))
    assert pickle.loads(pickle.dumps(fast)) == copy.copy(fast) == made
    assert dataclasses.replace(fast, quality=0) == dataclasses.replace(made, quality=0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.quality = 0  # type: ignore[misc]


def test_rpc_value_parts_names_the_data_type() -> None:
    assert data_type_name(Contract.builtin(), to_mx_value(1.5)) == "DOUBLE"


# ---------------------------------------------------------------- the one type table


@pytest.mark.parametrize("name", ["i4", "mxinteger", "MxInteger", "MX_DATA_TYPE_INTEGER",
                                  "integer", "int"])
def test_every_alias_of_the_table_works_in_the_library(name: str) -> None:
    mx = to_mx_value(5, name)
    assert from_mx_value(mx) == 5 and mx.WhichOneof("value") == "int32_value"
    assert from_mx_value(to_mx_value(["1", "2"], name + "[]")) == [1, 2]


@pytest.mark.parametrize("name, key", [
    ("MxDouble", ("double", False)), ("MX_DATA_TYPE_INTEGER", ("int32", False)),
    ("MxTime[]", ("datetime", True)), ("time", ("datetime", False)),
    ("DOUBLE", ("double", False)), ("ELAPSED_TIME", ("elapsed", False)),
    ("BIG_STRING", ("string", False)), ("raw", ("bytes", False)),
])
def test_type_names_from_the_galaxy_the_proto_and_the_library(name: str,
                                                              key: tuple[str, bool]) -> None:
    assert normalize_type(name) == key


@pytest.mark.parametrize("text, type_name, expected", [
    ("42", "i4", 42),
    ("1,2,3", "mxinteger[]", [1, 2, 3]),
    (["a,b", "c"], "string[]", ["a,b", "c"]),
    ("", "int32[]", []),
    ("2026-01-02T03:04:05", "time", datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)),
    ("1.02:03:04", "elapsed", timedelta(days=1, hours=2, minutes=3, seconds=4)),
    ("36:00:59.5", "elapsed", timedelta(hours=36, seconds=59.5)),  # no day count: any hours
    ("AAE=", "bytes", b"\x00\x01"),
    ("3.4e38", "float", 3.4e38),
])
def test_parse_value_takes_the_command_lines_text(text: str | list[str], type_name: str,
                                                  expected: object) -> None:
    assert parse_value(text, type_name) == expected


def test_parse_value_now_is_the_current_utc_time() -> None:
    before = datetime.now(UTC)
    now = parse_value("now", "datetime")
    assert before <= now <= datetime.now(UTC) and now.tzinfo is UTC


@pytest.mark.parametrize("text, type_name, match", [
    ("1e39", "float", "32-bit"), ("nan", "double", "NaN"), ("AA", "bytes", "base64"),
    ("yesterday", "datetime", "not a valid datetime"), ("1", "decimal", "unknown type"),
    # A typo was another duration: 25:99:99 was 96,039 s, 1:75:00 was 2:15:00.
    ("25:99:99", "elapsed", "minutes and seconds run 0-59"),
    ("1:75:00", "elapsed", "minutes and seconds run 0-59"),
    ("1:00:60", "elapsed", "minutes and seconds run 0-59"),
    ("1.24:00:00", "elapsed", "hours 0-23 after a day count"),
])
def test_parse_value_refuses_with_the_librarys_error(text: str, type_name: str,
                                                     match: str) -> None:
    with pytest.raises(mxgw.MxGatewayConfigError, match=match):
        parse_value(text, type_name)


def test_a_float_beyond_32_bits_is_refused_whatever_the_entry_point() -> None:
    with pytest.raises(mxgw.MxGatewayConfigError, match="32-bit"):
        to_mx_value(1e39, "float")
    assert from_mx_value(to_mx_value(1e39, "double")) == 1e39
