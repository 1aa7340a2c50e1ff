"""mxgw._jsontext, the compact printer behind `mxgw._json.dumps`: it writes the text straight
from the object, and must give exactly what `json.dumps(to_jsonable(obj))` gives (the
reference, which the golden bytes of tests/test_json.py pin down), for every record, every
value a record can hold and the documents the CLI builds of them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from sharedkit import modules_loaded

from mxgw import (
    BulkReadResult,
    BulkWriteResult,
    DataChange,
    DeployEvent,
    GalaxyAttribute,
    GalaxyObject,
    StatusInfo,
    StreamGap,
    SubscribeResult,
    TagValue,
)
from mxgw._json import dumps, to_jsonable
from mxgw._proto import gateway_pb2 as pb
from mxgw.cli.cmd_tasks import Reading


def reference(obj: Any) -> str:
    return json.dumps(to_jsonable(obj), sort_keys=True, ensure_ascii=True,
                      separators=(",", ":"))


class Color(enum.IntEnum):
    RED = 1


class Word(str, enum.Enum):
    HELLO = "hello"


class Text(str):
    pass


@dataclasses.dataclass(frozen=True)
class Merged:
    """Inlined keys that collide with the record's own: the later one wins."""

    quality: int
    value: Any
    tag: str


BERLIN = dt.timezone(dt.timedelta(hours=1))
stamps = st.datetimes(timezones=st.sampled_from([dt.UTC, BERLIN, dt.timezone(dt.timedelta(0))]))
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(),
    st.floats(allow_nan=True, allow_infinity=True), st.binary(max_size=8),
    stamps, st.datetimes(), st.timedeltas(),
    st.sampled_from([Color.RED, Word.HELLO, Text("sub"), 0.0, -0.0, 2**63, -(2**63) - 1,
                     "caf\u00e9 \U0001f600 \"\\\n", bytearray(b"\x00\xff")]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.tuples(inner, inner),
    st.dictionaries(st.one_of(st.text(max_size=4), st.integers(-3, 3)), inner, max_size=4)),
    max_leaves=12)
statuses = st.builds(StatusInfo.from_parts, st.sampled_from(["OK", "CONFIGURATION_ERROR"]),
                     st.sampled_from(["UNSPECIFIED", "RESPONDING_LMX"]),
                     st.integers(0, 2000), st.text(max_size=8))
tag_values = st.builds(TagValue, values, st.text(max_size=8), st.integers(0, 255),
                       st.text(max_size=8), st.none() | stamps,
                       st.lists(statuses, max_size=3).map(tuple), st.none() | st.text())
attributes = st.builds(GalaxyAttribute, st.text(), st.text(), st.integers(), st.text(),
                       st.booleans(), st.integers(), st.integers(), st.integers(0, 9),
                       st.booleans(), st.booleans(), st.booleans())
records = st.one_of(
    tag_values,
    st.builds(DataChange, st.text(), tag_values, st.integers(0, 2**64)),
    st.builds(BulkReadResult, st.integers(), st.text(), st.integers(), st.booleans(),
              st.text(), st.booleans(), tag_values),
    st.builds(BulkWriteResult, st.integers(), st.integers(), st.booleans(), st.text(),
              st.integers(), st.lists(statuses, max_size=2).map(tuple)),
    st.builds(SubscribeResult, st.integers(), st.text(), st.integers(), st.booleans(),
              st.text()),
    st.builds(StreamGap, st.integers(), st.integers(), st.sampled_from(["sequence", "replay"])),
    st.builds(DeployEvent, st.integers(), st.none() | stamps, st.none() | stamps,
              st.integers()),
    st.builds(GalaxyObject, st.integers(), st.text(), st.text(), st.text(), st.integers(),
              st.booleans(), st.integers(), st.lists(st.text(), max_size=3).map(tuple),
              st.lists(attributes, max_size=3).map(tuple), st.text(), st.integers()),
    st.builds(Reading, st.text(), tag_values),
    # An inlined field that is not a record, or whose keys collide with the record's.
    st.builds(DataChange, st.text(), st.dictionaries(st.text(max_size=3), values, max_size=3),
              st.integers()),
    st.builds(Merged, st.integers(), tag_values, st.text()),
)


@settings(max_examples=300, deadline=None)
@given(records)
def test_every_record_prints_what_the_reference_prints(record: Any) -> None:
    assert dumps(record) == reference(record)


@settings(max_examples=300, deadline=None)
@given(values)
def test_every_value_prints_what_the_reference_prints(value: Any) -> None:
    assert dumps(value) == reference(value)


@settings(max_examples=100, deadline=None)
@given(st.lists(records, max_size=4), st.dictionaries(st.text(max_size=4), records,
                                                      max_size=3))
def test_documents_of_records_print_what_the_reference_prints(
        rows: list[Any], named: dict[str, Any]) -> None:
    doc = {"values": rows, "serverHandle": 1, "named": named}
    assert dumps(doc) == reference(doc)
    assert dumps(doc, pretty=True) == json.dumps(to_jsonable(doc), sort_keys=True,
                                                 ensure_ascii=True, indent=2)


def test_messages_inside_documents_print_as_the_mapping_prints_them() -> None:
    event = pb.MxEvent(worker_sequence=2**64 - 1, family=99, quality=192)
    event.source_timestamp.FromDatetime(dt.datetime(2026, 1, 2, tzinfo=dt.UTC))
    doc = {"sessionId": "s", "events": [event, pb.MxEvent()], "first": event}
    assert dumps(doc) == reference(doc)
    assert dumps(event) == reference(event)


def test_an_equal_instant_in_another_zone_keeps_its_offset() -> None:
    utc = dt.datetime(2026, 1, 2, 12, tzinfo=dt.UTC)
    assert dumps(utc) == '"2026-01-02T12:00:00Z"'  # now cached
    assert dumps(utc.astimezone(BERLIN)) == '"2026-01-02T13:00:00+01:00"'


def test_a_type_it_cannot_print_raises_what_the_reference_raises() -> None:
    try:
        reference(object())
    except TypeError as exc:
        expected = str(exc)
    try:
        dumps(object())
    except TypeError as exc:
        assert str(exc) == expected
    else:
        raise AssertionError("printed an object")


def test_the_printer_does_not_load_protobuf_for_records() -> None:
    probe = ("import mxgw._json as j, mxgw._values as v; "
             "j.dumps(v.TagValue(1.5, 'DOUBLE', 192, 'Good', None))")
    assert modules_loaded(probe, "google.protobuf", "grpc") == []
