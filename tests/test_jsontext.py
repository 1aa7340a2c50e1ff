"""mxgw._jsontext, the compact printer behind `mxgw._json.dumps`: it writes the text straight
from the object, and must give exactly what `json.dumps(to_jsonable(obj))` gives (the
reference, which the golden bytes of tests/test_json.py pin down), for every record, every
value a record can hold and the documents the CLI builds of them.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import enum
import json
import pickle
from typing import Any

import pytest
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
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
from mxgw._json import dumps, prints_as_message, to_jsonable
from mxgw._proto import galaxy_pb2 as gpb
from mxgw._proto import gateway_pb2 as pb
from mxgw._rpc._galaxy import galaxy_object
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


def _fresh_printer() -> Any:
    """A printer of its own: no record class printed by it before."""
    from mxgw import _json, _jsontext

    return _jsontext.compact_printer(_json.record_plan, _json.is_message_type,
                                     _json.message_printer, _json._compact)


@pytest.mark.parametrize("count", [0, 10**9], ids=["compiled", "walked"])
def test_a_record_prints_the_same_by_its_compiled_layout_and_walked_key_by_key(
        count: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # The first records of a class are walked key by key (no layout compiled for a
    # one-shot `get`), later ones print by the layout: both are the reference's bytes.
    from mxgw import _jsontext

    monkeypatch.setattr(_jsontext, "COMPILE_AFTER", count)
    text = _fresh_printer()

    @settings(max_examples=150, deadline=None)
    @given(records)
    def check(record: Any) -> None:
        assert text(record) == reference(record)

    check()


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


# ---------------------------------------------------------------- lazy Galaxy objects

int32s = st.integers(-(2**31), 2**31 - 1)
galaxy_attributes = st.builds(
    gpb.GalaxyAttribute, attribute_name=st.text(), full_tag_reference=st.text(),
    mx_data_type=int32s, data_type_name=st.text(), is_array=st.booleans(),
    array_dimension=int32s, mx_attribute_category=int32s, security_classification=int32s,
    is_built_in=st.booleans(), is_historized=st.booleans(), is_alarm=st.booleans())
galaxy_messages = st.builds(
    gpb.GalaxyObject, gobject_id=int32s, tag_name=st.text(), contained_name=st.text(),
    browse_name=st.text(), parent_gobject_id=int32s, is_area=st.booleans(),
    category_id=int32s, template_chain=st.lists(st.text(), max_size=3),
    attributes=st.lists(galaxy_attributes, max_size=3), hierarchical_name=st.text(),
    hosted_by_gobject_id=int32s)


@settings(max_examples=200, deadline=None)
@given(galaxy_messages)
def test_an_unread_galaxy_object_prints_what_the_record_prints(message: Any) -> None:
    # As from a reply: the seam's record holds the message until a field is read.
    wire = gpb.GalaxyObject.FromString(message.SerializeToString())
    unread, read = galaxy_object(wire), galaxy_object(wire)
    assert "_message" in vars(unread)
    expected = reference(read)  # reads its fields
    assert "_message" not in vars(read)
    assert dumps(unread) == expected == dumps(read)
    assert "_message" in vars(unread)  # printing did not read it
    pretty = json.dumps(to_jsonable(read), sort_keys=True, ensure_ascii=True, indent=2)
    assert dumps(galaxy_object(wire), pretty=True) == pretty  # reads it (to_jsonable)
    doc = {"children": [{"object": unread, "hasChildren": True}]}
    assert dumps(doc) == reference({"children": [{"object": read, "hasChildren": True}]})


def test_an_unread_galaxy_object_is_the_record_it_reads_to() -> None:
    wire = gpb.GalaxyObject(gobject_id=7, tag_name="Pump001", template_chain=["$Pump"],
                            attributes=[gpb.GalaxyAttribute(attribute_name="Speed")])
    record = galaxy_object(wire)
    made = GalaxyObject(7, "Pump001", "", "", 0, False, 0, ("$Pump",),
                        (GalaxyAttribute("Speed", "", 0, "", False, 0, 0, 0, False, False,
                                         False),), "", 0)
    for unread in (lambda: galaxy_object(wire), lambda: record):
        assert unread() == made
        assert made == unread()
        assert hash(unread()) == hash(made)
        assert repr(unread()) == repr(made)
        assert dataclasses.replace(unread(), tag_name="P") == dataclasses.replace(made,
                                                                               tag_name="P")
        assert vars(copy.copy(galaxy_object(wire))) == vars(made)  # fields, no message
        assert pickle.loads(pickle.dumps(galaxy_object(wire))) == made
    with pytest.raises(AttributeError, match="no attribute 'tag'"):
        _ = galaxy_object(wire).tag  # type: ignore[attr-defined]
    with pytest.raises(dataclasses.FrozenInstanceError):
        galaxy_object(wire).tag_name = "P"  # type: ignore[misc]


def _galaxy_variant(change: Any) -> Any:
    """The Galaxy file's GalaxyObject in a pool of its own, after `change(file)`."""
    pool = descriptor_pool.DescriptorPool()
    for dependency in gpb.DESCRIPTOR.dependencies:
        pool.AddSerializedFile(dependency.serialized_pb)
    file = descriptor_pb2.FileDescriptorProto()
    gpb.DESCRIPTOR.CopyToProto(file)
    change({m.name: m for m in file.message_type})
    pool.Add(file)
    return message_factory.GetMessageClass(
        pool.FindMessageTypeByName("galaxy_repository.v1.GalaxyObject"))


def _add_unit(messages: dict[str, Any]) -> None:
    messages["GalaxyAttribute"].field.add(
        name="unit", json_name="unit", number=99,
        type=descriptor_pb2.FieldDescriptorProto.TYPE_STRING,
        label=descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL)


def _widen_id(messages: dict[str, Any]) -> None:
    for field in messages["GalaxyObject"].field:
        if field.name == "gobject_id":
            field.type = descriptor_pb2.FieldDescriptorProto.TYPE_INT64


def test_a_galaxy_object_whose_message_prints_otherwise_is_read_at_once() -> None:
    # A contract loaded at run time may add a field (printed by the message, not by the
    # record) or widen one (int64 prints quoted): then the record is read at once.
    assert prints_as_message(GalaxyObject, gpb.GalaxyObject.DESCRIPTOR,
                             {"attributes": GalaxyAttribute})
    assert not prints_as_message(GalaxyObject, gpb.GalaxyObject.DESCRIPTOR)
    assert not prints_as_message(DeployEvent, gpb.DeployEvent.DESCRIPTOR)
    for change in (_add_unit, _widen_id):
        cls = _galaxy_variant(change)
        wire = cls(gobject_id=2**31 - 1, tag_name="T", attributes=[{"attribute_name": "A"}])
        record = galaxy_object(wire)
        assert "_message" not in vars(record)
        assert record.gobject_id == 2**31 - 1
        assert dumps(record) == reference(record)
        assert '"unit"' not in dumps(record)


@pytest.mark.parametrize("count", [0, 10**9], ids=["compiled", "walked"])
def test_a_shared_record_prints_its_kept_text_which_is_its_own(
        count: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # StatusInfo's text is kept by the record's id (the seam shares equal ones): each
    # record, new or kept, made and let go by the thousand, prints its own bytes.
    from mxgw import _jsontext

    monkeypatch.setattr(_jsontext, "COMPILE_AFTER", count)
    monkeypatch.setattr(_jsontext, "_KEPT_LIMIT", 7)
    text = _fresh_printer()
    shared = StatusInfo.from_parts("OK", "RESPONDING_LMX", 0, "")
    rows = [TagValue(1, "INTEGER", 192, "Good", None, (shared, shared), None)] * 3
    assert [text(row) for row in rows] == [reference(row) for row in rows]
    for n in range(2000):
        status = StatusInfo.from_parts("CONFIGURATION_ERROR", "RESPONDING_LMX", n,
                                       "caf\u00e9" * (n % 3))
        assert text(status) == reference(status)
        assert text(status) == reference(status)  # kept by now
        assert text((status, shared)) == reference((status, shared))
    assert text(shared) == reference(shared)


def test_only_a_shared_record_class_has_its_texts_kept() -> None:
    assert getattr(StatusInfo, "_shared_record", False) is True
    assert "_shared_record" not in {f.name for f in dataclasses.fields(StatusInfo)}
    for cls in (TagValue, DataChange, BulkReadResult, DeployEvent, GalaxyObject, Reading):
        assert not getattr(cls, "_shared_record", False)
