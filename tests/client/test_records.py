"""The seam's fast record makers for bulk rows and timestamps (mxgw._rpc._records): each
must give what the plain way gives (the frozen constructor, Timestamp.ToDatetime), and the
rows must print the same bytes, on edge values."""

from __future__ import annotations

import copy
import dataclasses
import json
import math
import pickle
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from mxgw import BulkReadResult, to_mx_value
from mxgw._frozen import filled
from mxgw._json import dumps, to_jsonable
from mxgw._proto import gateway_pb2 as pb
from mxgw._rpc import _records
from mxgw._rpc._contract import Contract
from mxgw._rpc._records import read_result, read_results, tag_value, timestamp
from mxgw.cli.cmd_tasks import Reading

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
FIRST, LAST = -62_135_596_800, 253_402_300_799  # 0001-01-01T00:00:00Z, 9999-12-31T23:59:59Z


def reference(obj: Any) -> str:
    return json.dumps(to_jsonable(obj), sort_keys=True, ensure_ascii=True,
                      separators=(",", ":"))


@pytest.mark.parametrize(("seconds", "nanos"), [
    (0, 0), (1_780_000_000, 253_000_000), (1_780_000_000, 999_999_999), (1, 999),
    (-1, 1), (FIRST, 0), (LAST, 999_999_999), (-86_400 * 365, 500_000_000)])
def test_a_timestamp_is_what_to_datetime_makes(seconds: int, nanos: int) -> None:
    _records._stamps.clear()
    event = pb.MxEvent()
    event.source_timestamp.seconds, event.source_timestamp.nanos = seconds, nanos
    made = timestamp(event.source_timestamp, event, "source_timestamp")
    expected = event.source_timestamp.ToDatetime(tzinfo=UTC)
    assert made is not None
    assert (made, made.tzinfo, made.isoformat()) == (expected, expected.tzinfo,
                                                     expected.isoformat())
    assert type(made) is datetime


@pytest.mark.parametrize(("seconds", "nanos"), [
    (FIRST - 1, 0), (LAST + 1, 0), (0, -1), (0, 1_000_000_000), (INT64_MAX, 0)])
def test_an_out_of_range_timestamp_raises_to_datetimes_error_and_is_not_kept(
        seconds: int, nanos: int) -> None:
    _records._stamps.clear()
    event = pb.MxEvent()
    event.source_timestamp.seconds, event.source_timestamp.nanos = seconds, nanos
    with pytest.raises(ValueError) as expected:
        event.source_timestamp.ToDatetime(tzinfo=UTC)
    with pytest.raises(ValueError) as raised:
        timestamp(event.source_timestamp, event, "source_timestamp")
    assert str(raised.value) == str(expected.value)
    assert not _records._stamps


def test_an_unset_timestamp_is_none() -> None:
    event = pb.MxEvent()
    assert timestamp(event.source_timestamp, event, "source_timestamp") is None


def _row(n: int, **fields: Any) -> pb.BulkReadResult:
    row = pb.BulkReadResult(server_handle=3, tag_address=f"Tank{n}.Level", item_handle=n,
                            was_successful=True, quality=192)
    row.source_timestamp.seconds, row.source_timestamp.nanos = 1_780_000_000 + n, n * 1000
    for name, value in fields.items():
        if name == "value":
            row.value.CopyFrom(value)
        elif name == "statuses":
            row.statuses.extend(value)
        else:
            setattr(row, name, value)
    return row


def _edge_rows() -> list[pb.BulkReadResult]:
    unknown_type = to_mx_value(5)
    unknown_type.data_type = 99  # a number the contract does not name
    no_stamp = _row(9)
    no_stamp.ClearField("source_timestamp")
    return [
        _row(1, value=to_mx_value(1.5)),
        _nan_row(),
        _row(3, value=to_mx_value(INT64_MAX)),
        _row(4, value=to_mx_value(INT64_MIN)),
        _row(5, value=to_mx_value([], "int32[]")),
        _row(6, value=unknown_type),
        _row(7, value=to_mx_value("caf\u00e9 \"\\\n"), quality=4),  # bad quality
        _row(8, was_successful=False, error_message=""),  # failed, no message
        _row(10, was_successful=False, error_message="no such tag", was_cached=True),
        _row(11, value=to_mx_value(2), statuses=[pb.MxStatusProxy(
            category=77, detected_by=99, detail=1007, diagnostic_text="")]),  # unknown enums
        _row(12, value=to_mx_value(True), quality=0x41),  # uncertain, limited
        no_stamp,
    ]


def _nan_row() -> pb.BulkReadResult:
    row = _row(2)
    row.value.data_type = pb.MX_DATA_TYPE_DOUBLE
    row.value.double_value = math.nan
    return row


def _comparable(record: Any) -> bool:
    value = record.value.value
    # NaN is not equal to itself (and hashes by identity)
    return not (isinstance(value, float) and math.isnan(value))


def _constructed(contract: Contract, r: pb.BulkReadResult) -> BulkReadResult:
    """The row as the frozen constructor makes it (what read_result made before)."""
    error = None if r.was_successful else (r.error_message or "read failed")
    return BulkReadResult(r.server_handle, r.tag_address, r.item_handle, r.was_successful,
                          r.error_message, r.was_cached, tag_value(contract, r, error))


@pytest.mark.parametrize("index", range(len(_edge_rows())))
def test_a_read_row_is_the_constructors_record_and_prints_its_bytes(index: int) -> None:
    contract = Contract.builtin()
    message = _edge_rows()[index]
    fast, made = read_result(contract, message), _constructed(contract, message)
    assert list(vars(fast)) == [f.name for f in dataclasses.fields(BulkReadResult)]
    if _comparable(made):
        assert fast == made
        if not isinstance(made.value.value, list):  # a list makes the record unhashable
            assert hash(fast) == hash(made)
    assert repr(fast) == repr(made)
    assert fast.ok == made.ok
    assert dumps(fast) == dumps(made) == reference(made)
    assert pickle.loads(pickle.dumps(fast)).tag_address == copy.copy(fast).tag_address
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.item_handle = 0  # type: ignore[misc]


def test_a_document_of_rows_prints_the_same_as_of_constructed_rows() -> None:
    # Over COMPILE_AFTER rows, so both the walked and the compiled layouts print.
    contract = Contract.builtin()
    messages = _edge_rows() * 4
    reply = pb.MxCommandReply(bulk_read=pb.BulkReadReply(results=messages))
    rows = read_results(contract, reply)
    made = [_constructed(contract, m) for m in messages]
    assert dumps({"serverHandle": 3, "results": rows}) == reference(
        {"serverHandle": 3, "results": made})
    readings = [filled(Reading, {"tag": r.tag_address, "value": r.value}) for r in rows]
    plain = [Reading(r.tag_address, r.value) for r in made]
    assert [r for r in readings if _comparable(r)] == [r for r in plain if _comparable(r)]
    assert [repr(r) for r in readings] == [repr(r) for r in plain]
    assert dumps({"values": readings}) == reference({"values": plain})


def test_the_timestamp_of_a_row_prints_as_before() -> None:
    row = read_result(Contract.builtin(), _row(1, value=to_mx_value(1)))
    assert row.value.timestamp == datetime(1970, 1, 1, tzinfo=UTC) + timedelta(
        seconds=1_780_000_001, microseconds=1)
    assert to_jsonable(row)["timestamp"] == row.value.timestamp.isoformat()[:-6] + "Z"
