"""The fast JSON encoder prints exactly what json_format + json.dumps print.

Every message type of the contract (src/mxgw/_proto) is filled with generated values
(hypothesis) and with hand-picked edge values; so is a contract built here at run time in
its own descriptor pool, with what ours lacks (maps, Struct, Any, every scalar type,
proto2, a custom json_name, a keyword as a field name). Compared: the compact text byte for
byte, and `to_jsonable` through json.dumps compact and pretty (so True, 1 and 1.0, or 0.0
and -0.0, cannot pass for each other); where json_format raises, the same error.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from google.protobuf import (
    any_pb2,
    descriptor_pb2,
    descriptor_pool,
    duration_pb2,
    empty_pb2,
    field_mask_pb2,
    json_format,
    message_factory,
    struct_pb2,
    timestamp_pb2,
    wrappers_pb2,
)
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mxgw import _protojson, _protojson_gen
from mxgw._proto import galaxy_pb2, gateway_pb2

FD = FieldDescriptor
MIN_TIMESTAMP, MAX_TIMESTAMP = -62135596800, 253402300799  # 0001-01-01 .. 9999-12-31
MAX_DURATION = 315576000000


def _types(descriptor: Any) -> Iterator[Descriptor]:
    for message in descriptor.message_types_by_name.values():
        yield from _nested(message)


def _nested(message: Descriptor) -> Iterator[Descriptor]:
    if not message.GetOptions().map_entry:
        yield message
    for inner in message.nested_types:
        yield from _nested(inner)


CONTRACT = [*_types(gateway_pb2.DESCRIPTOR), *_types(galaxy_pb2.DESCRIPTOR)]


def _outcome(fn: Callable[[Message], Any], message: Message) -> tuple[Any, ...]:
    try:
        return ("ok", fn(message))
    except Exception as exc:  # noqa: BLE001 - the error is what is compared
        return ("error", type(exc), str(exc))


def _dumps(pretty: bool) -> Callable[[Any], str]:
    return lambda obj: json.dumps(obj, sort_keys=True, ensure_ascii=True,
                                  indent=2 if pretty else None,
                                  separators=None if pretty else (",", ":"))


def assert_same(message: Message) -> None:
    expected = _outcome(_protojson.reference_text, message)
    assert _outcome(_protojson.to_json_text, message) == expected
    for pretty in (False, True):
        dumps = _dumps(pretty)
        ours = _outcome(lambda m, d=dumps: d(_protojson.to_jsonable(m)), message)
        assert ours == _outcome(lambda m, d=dumps: d(_protojson.reference_jsonable(m)), message)
    if expected[0] == "ok":
        # And by the compiled functions alone: a bug there must not hide behind the
        # fallback to json_format.
        compiled_text = _protojson._TEXT[message.DESCRIPTOR]
        compiled_json = _protojson._JSONABLE[message.DESCRIPTOR]
        assert compiled_text(message) == expected[1]
        assert _dumps(True)(compiled_json(message)) == _dumps(True)(
            _protojson.reference_jsonable(message))


# ------------------------------------------------------------------ generated values

_INTS = {
    FD.TYPE_INT32: (-(2**31), 2**31 - 1), FD.TYPE_SINT32: (-(2**31), 2**31 - 1),
    FD.TYPE_SFIXED32: (-(2**31), 2**31 - 1), FD.TYPE_UINT32: (0, 2**32 - 1),
    FD.TYPE_FIXED32: (0, 2**32 - 1), FD.TYPE_INT64: (-(2**63), 2**63 - 1),
    FD.TYPE_SINT64: (-(2**63), 2**63 - 1), FD.TYPE_SFIXED64: (-(2**63), 2**63 - 1),
    FD.TYPE_UINT64: (0, 2**64 - 1), FD.TYPE_FIXED64: (0, 2**64 - 1),
}


def _integers(low: int, high: int) -> st.SearchStrategy[int]:
    return st.one_of(st.sampled_from([low, high, 0, -1 if low else 1]),
                     st.integers(low, high))


def _nanos() -> st.SearchStrategy[int]:
    # Whole milliseconds and microseconds print 3 and 6 digits: draw them often.
    return st.one_of(st.just(0), st.integers(0, 999).map(lambda n: n * 1_000_000),
                     st.integers(0, 999_999).map(lambda n: n * 1000),
                     st.integers(0, 999_999_999))


def _scalar(field: FieldDescriptor) -> st.SearchStrategy[Any]:
    kind = field.type
    if kind in _INTS:
        return _integers(*_INTS[kind])
    if kind == FD.TYPE_BOOL:
        return st.booleans()
    if kind == FD.TYPE_STRING:
        return st.one_of(st.text(), st.sampled_from(["", "é\u2028\x00\x1f\"\\/ 😀"]))
    if kind == FD.TYPE_BYTES:
        return st.binary(max_size=40)
    if kind == FD.TYPE_DOUBLE:
        return st.floats()
    if kind == FD.TYPE_FLOAT:
        return st.floats(width=32)
    assert kind == FD.TYPE_ENUM
    known = [value.number for value in field.enum_type.values]
    if field.enum_type.is_closed:
        return st.sampled_from(known)
    return st.one_of(st.sampled_from(known), _integers(-(2**31), 2**31 - 1))


@st.composite
def messages(draw: st.DrawFn, descriptor: Descriptor, depth: int = 0) -> Message:
    message = message_factory.GetMessageClass(descriptor)()
    name = descriptor.full_name
    if name == "google.protobuf.Timestamp":
        message.seconds = draw(st.integers(MIN_TIMESTAMP, MAX_TIMESTAMP))
        message.nanos = draw(_nanos())
        return message
    if name == "google.protobuf.Duration":
        seconds = draw(st.integers(-MAX_DURATION, MAX_DURATION))
        nanos = draw(_nanos())
        message.seconds, message.nanos = seconds, -nanos if seconds < 0 else nanos
        return message
    chosen = {o.name: draw(st.sampled_from([None, *o.fields])) for o in descriptor.oneofs}
    for field in descriptor.fields:
        oneof = field.containing_oneof
        if oneof is not None and chosen[oneof.name] is not field:
            continue
        if field.type == FD.TYPE_MESSAGE and depth >= 3:
            continue
        if oneof is None and field.has_presence and not draw(st.booleans()):
            continue
        _fill(draw, message, field, depth)
    return message


def _fill(draw: st.DrawFn, message: Message, field: FieldDescriptor, depth: int) -> None:
    target = getattr(message, field.name)
    entry = field.message_type
    if entry is not None and entry.GetOptions().map_entry:
        key, value = entry.fields_by_name["key"], entry.fields_by_name["value"]
        for k in draw(st.lists(_scalar(key), max_size=3)):
            if value.type == FD.TYPE_MESSAGE:
                target[k].CopyFrom(draw(messages(value.message_type, depth + 1)))
            else:
                target[k] = draw(_scalar(value))
    elif field.is_repeated and field.type == FD.TYPE_MESSAGE:
        for item in draw(st.lists(messages(entry, depth + 1), max_size=2 if depth < 2 else 0)):
            target.add().CopyFrom(item)
    elif field.is_repeated:
        target.extend(draw(st.lists(_scalar(field), max_size=3)))
    elif field.type == FD.TYPE_MESSAGE:
        target.CopyFrom(draw(messages(entry, depth + 1)))
        target.SetInParent()  # present even when empty
    else:
        setattr(message, field.name, draw(_scalar(field)))


_GENERATED = settings(max_examples=30, deadline=None,
                      suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.parametrize("descriptor", CONTRACT, ids=lambda d: d.name)
@_GENERATED
@given(data=st.data())
def test_every_contract_type_prints_as_json_format_does(descriptor: Descriptor,
                                                       data: st.DataObject) -> None:
    assert_same(data.draw(messages(descriptor)))


@pytest.mark.parametrize("descriptor", CONTRACT, ids=lambda d: d.name)
def test_empty_messages(descriptor: Descriptor) -> None:
    assert_same(message_factory.GetMessageClass(descriptor)())


def test_the_contract_types_are_compiled_not_handed_to_json_format() -> None:
    for descriptor in CONTRACT:
        _protojson.to_json_text(message_factory.GetMessageClass(descriptor)())
        assert _protojson._TEXT[descriptor] is not _protojson.reference_text, descriptor.name
        assert _protojson._JSONABLE[descriptor] is not _protojson.reference_jsonable


def test_the_special_types_are_json_formats_own() -> None:
    assert _protojson_gen.SPECIAL_TYPES == set(json_format._WKTJSONMETHODS)


# ------------------------------------------------------------------ hand-picked edges

pb = gateway_pb2


def _value(**kwargs: Any) -> pb.MxValue:
    return pb.MxValue(data_type=pb.MX_DATA_TYPE_DOUBLE, variant_type="VT_R8", **kwargs)


def _stamped(seconds: int, nanos: int) -> pb.MxEvent:
    event = pb.MxEvent(worker_sequence=1)
    event.source_timestamp.seconds, event.source_timestamp.nanos = seconds, nanos
    return event


def _packed(message: Message) -> any_pb2.Any:
    packed = any_pb2.Any()
    packed.Pack(message)
    return packed


EDGES = {
    "int64 extremes": [pb.MxValue(int64_value=-(2**63)), pb.MxValue(int64_value=2**63 - 1),
                       pb.StreamEventsRequest(after_worker_sequence=2**64 - 1),
                       pb.MxEvent(worker_sequence=2**64 - 1, hresult=-(2**31))],
    "int32 extremes": [pb.MxValue(int32_value=-(2**31)), pb.MxStatusProxy(detail=2**31 - 1)],
    "doubles": [_value(double_value=v) for v in (
        float("nan"), float("inf"), float("-inf"), -0.0, 0.0, 1e16, 1e-7, 5e-324,
        1.7976931348623157e308, 0.1, 123456789.125, -2.5)],
    "floats": [_value(float_value=v) for v in (
        float("nan"), float("inf"), float("-inf"), -0.0, 0.0, 0.1, 1 / 3, 16777217.0,
        3.4028234663852886e38, 1e-45, 1.17549435e-38, 0.3, 2.675, 1e10, 123.456)],
    "arrays": [
        _value(array_value=pb.MxArray()),
        _value(array_value=pb.MxArray(values=[pb.MxValue(), _value(double_value=1.5)])),
        _value(array_value=pb.MxArray(values=[_value(array_value=pb.MxArray(
            values=[_value(array_value=pb.MxArray()), _value(string_value="x")]))])),
    ],
    "timestamps": [pb.MxEvent(), _stamped(0, 0), _stamped(1_780_000_000, 0),
                   _stamped(1_780_000_000, 123_000_000), _stamped(1_780_000_000, 123_456_000),
                   _stamped(1_780_000_000, 123_456_789), _stamped(-1, 999_999_999),
                   _stamped(-86_400 * 365 * 30, 500_000_000), _stamped(MIN_TIMESTAMP, 0),
                   _stamped(MAX_TIMESTAMP, 999_999_999)],
    "bad timestamps": [_stamped(MAX_TIMESTAMP + 1, 0), _stamped(0, 1_000_000_000),
                       _stamped(0, -1), _stamped(MIN_TIMESTAMP - 1, 0)],
    "durations": [_value(elapsed_value=duration_pb2.Duration(seconds=s, nanos=n))
                  for s, n in ((0, 0), (1, 500_000_000), (-1, -500_000_000), (0, -1),
                               (0, 1), (MAX_DURATION, 0), (3, 1000))],
    "unknown enums": [pb.MxEvent(family=99), pb.MxEvent(family=-5),
                      pb.MxStatusProxy(category=2**31 - 1, detected_by=-(2**31)),
                      pb.MxArray(element_data_type=4096)],
    "strings": [pb.ProtocolStatus(message=s) for s in (
        "", "plain", "é ü ß", "\u2028\u2029", "\x00\x01\x1f\x7f", '"\\/\b\f\n\r\t',
        "😀 \U0010ffff", "中文")],
    "bytes": [_value(raw_value=b""), _value(raw_value=b"\x00\xff" * 7),
              _value(raw_value=bytes(range(256)))],
    "oneof defaults": [pb.MxValue(int32_value=0), pb.MxValue(bool_value=False),
                       pb.MxValue(string_value=""), pb.MxValue(raw_value=b""),
                       pb.MxValue(double_value=0.0), pb.MxValue(float_value=0.0),
                       pb.MxValue(int64_value=0), pb.MxValue(time_value={}),
                       pb.MxValue(array_value={}), pb.MxEvent(on_data_change={}),
                       pb.MxCommand(register_command={}), pb.AlarmFeedMessage(
                           snapshot_complete={}),
                       galaxy_pb2.DiscoverHierarchyRequest(root_gobject_id=0)],
    "optional zero": [pb.MxEvent(hresult=0), pb.MxEvent(replay_gap={}),
                      galaxy_pb2.DiscoverHierarchyRequest(include_attributes=False),
                      galaxy_pb2.BrowseChildrenRequest(include_attributes=True)],
    "wrappers": [galaxy_pb2.DiscoverHierarchyRequest(max_depth=wrappers_pb2.Int32Value()),
                 galaxy_pb2.DiscoverHierarchyRequest(
                     max_depth=wrappers_pb2.Int32Value(value=-(2**31)))],
    "repeated": [galaxy_pb2.BrowseChildrenReply(child_has_children=[True, False, True]),
                 galaxy_pb2.GalaxyObject(template_chain=["$Pump", "", "é"]),
                 galaxy_pb2.DiscoverHierarchyRequest(category_ids=[0, -1, 2**31 - 1]),
                 pb.MxCommandReply(statuses=[pb.MxStatusProxy(), pb.MxStatusProxy(success=-1)])],
    "well-known types alone": [
        timestamp_pb2.Timestamp(seconds=5, nanos=1000), duration_pb2.Duration(seconds=-3),
        wrappers_pb2.Int32Value(value=4), wrappers_pb2.StringValue(value="é"),
        wrappers_pb2.BytesValue(value=b"\x01"), wrappers_pb2.FloatValue(value=0.1),
        wrappers_pb2.DoubleValue(value=float("nan")), wrappers_pb2.UInt64Value(value=2**64 - 1),
        wrappers_pb2.BoolValue(value=True), empty_pb2.Empty(),
        struct_pb2.Struct(fields={"b": struct_pb2.Value(number_value=1.0),
                                  "a": struct_pb2.Value(string_value="x")}),
        struct_pb2.Value(number_value=float("nan")), struct_pb2.ListValue(),
        field_mask_pb2.FieldMask(paths=["a.b", "c_d"]),
        _packed(pb.ProtocolStatus(code=1)), any_pb2.Any(),
    ],
}


@pytest.mark.parametrize("case", sorted(EDGES))
def test_edge_values(case: str) -> None:
    for message in EDGES[case]:
        assert_same(message)


def test_a_bad_timestamp_raises_json_formats_error() -> None:
    event = _stamped(MAX_TIMESTAMP + 1, 0)
    with pytest.raises(json_format.SerializeToJsonError):
        _protojson.to_json_text(event)
    with pytest.raises(ValueError):
        _protojson.to_jsonable(event.source_timestamp)


@settings(max_examples=300, deadline=None)
@given(seconds=st.integers(MIN_TIMESTAMP, MAX_TIMESTAMP), nanos=_nanos())
def test_a_timestamps_text_is_its_seconds_and_its_fractions(seconds: int, nanos: int) -> None:
    # The text is put together from a cache by second and one by fraction: every width
    # (0, 3, 6, 9 digits), each half met before with the other half new, as json_format.
    for other in (0, nanos, 999_999_999, nanos // 1000 * 1000):
        assert_same(timestamp_pb2.Timestamp(seconds=seconds, nanos=other))
        assert_same(_stamped(seconds, other))
    assert_same(_stamped(max(MIN_TIMESTAMP, seconds - 86_400), nanos))


@pytest.mark.parametrize(("seconds", "nanos"), [
    (MAX_TIMESTAMP + 1, 0), (MIN_TIMESTAMP - 1, 999_999_999), (0, -1), (0, 1_000_000_000),
    (1_780_000_000, 2**31 - 1), (1_780_000_000, -(2**31)), (2**63 - 1, 0), (-(2**63), 5)])
def test_an_out_of_range_timestamp_is_json_formats_and_is_not_kept(seconds: int,
                                                                     nanos: int) -> None:
    for _ in range(2):  # the second time, from the caches if the first had kept it
        assert _outcome(_protojson.to_json_text, _stamped(seconds, nanos))[0] == "error"
        assert_same(_stamped(seconds, nanos))
        assert_same(timestamp_pb2.Timestamp(seconds=seconds, nanos=nanos))
    assert_same(_stamped(1_780_000_000, 0))  # and the caches still serve valid ones


def test_timestamps_of_one_tick_share_one_text() -> None:
    first, second = _stamped(1_780_000_000, 250_000_000), _stamped(1_780_000_000, 250_000_000)
    assert _protojson.to_json_text(first) == _protojson.to_json_text(second)
    assert (_protojson.to_jsonable(first)["sourceTimestamp"]
            is _protojson.to_jsonable(second)["sourceTimestamp"])


def test_results_are_not_shared_between_calls() -> None:
    event = pb.MxEvent(statuses=[pb.MxStatusProxy()], value=_value(double_value=1.0))
    first = _protojson.to_jsonable(event)
    first["statuses"].append("changed")
    first["value"]["doubleValue"] = 2.0
    assert _protojson.to_jsonable(event) == _protojson.reference_jsonable(event)


# ------------------------------------------------------------------ a contract loaded at run time

def _runtime_pool() -> descriptor_pool.DescriptorPool:
    pool = descriptor_pool.DescriptorPool()
    for module in (timestamp_pb2, duration_pb2, struct_pb2, any_pb2, field_mask_pb2,
                   wrappers_pb2, empty_pb2):
        proto = descriptor_pb2.FileDescriptorProto()
        module.DESCRIPTOR.CopyToProto(proto)
        pool.Add(proto)
    pool.Add(_runtime_file())
    pool.Add(_runtime_proto2_file())
    return pool


def _field(message: descriptor_pb2.DescriptorProto, name: str, number: int, kind: int,
           *, label: int = FD.LABEL_OPTIONAL, type_name: str = "", **options: Any
           ) -> descriptor_pb2.FieldDescriptorProto:
    field = message.field.add(name=name, number=number, type=kind, label=label, **options)
    if type_name:
        field.type_name = type_name
    return field


def _map(file: descriptor_pb2.FileDescriptorProto, message: descriptor_pb2.DescriptorProto,
         name: str, number: int, key: int, value: int, value_type: str = "") -> None:
    entry = message.nested_type.add(name=name.title().replace("_", "") + "Entry")
    entry.options.map_entry = True
    _field(entry, "key", 1, key)
    _field(entry, "value", 2, value, type_name=value_type)
    _field(message, name, number, FD.TYPE_MESSAGE, label=FD.LABEL_REPEATED,
           type_name=f".{file.package}.{message.name}.{entry.name}")


_SCALARS = [FD.TYPE_DOUBLE, FD.TYPE_FLOAT, FD.TYPE_INT64, FD.TYPE_UINT64, FD.TYPE_INT32,
            FD.TYPE_FIXED64, FD.TYPE_FIXED32, FD.TYPE_BOOL, FD.TYPE_STRING, FD.TYPE_BYTES,
            FD.TYPE_UINT32, FD.TYPE_SFIXED32, FD.TYPE_SFIXED64, FD.TYPE_SINT32, FD.TYPE_SINT64]


def _runtime_file() -> descriptor_pb2.FileDescriptorProto:
    file = descriptor_pb2.FileDescriptorProto(
        name="rt/v1/everything.proto", package="rt.v1", syntax="proto3",
        dependency=["google/protobuf/struct.proto", "google/protobuf/any.proto",
                    "google/protobuf/field_mask.proto", "google/protobuf/wrappers.proto",
                    "google/protobuf/timestamp.proto", "google/protobuf/duration.proto",
                    "google/protobuf/empty.proto"])
    file.enum_type.add(name="Color").value.extend([
        descriptor_pb2.EnumValueDescriptorProto(name="COLOR_UNSPECIFIED", number=0),
        descriptor_pb2.EnumValueDescriptorProto(name="COLOR_RED", number=1),
        descriptor_pb2.EnumValueDescriptorProto(name="COLOR_ALIAS_BLUE", number=-7)])
    leaf = file.message_type.add(name="Leaf")
    _field(leaf, "note", 1, FD.TYPE_STRING)
    _field(leaf, "color", 2, FD.TYPE_ENUM, type_name=".rt.v1.Color")
    message = file.message_type.add(name="Everything")
    number = 1
    for kind in _SCALARS:
        _field(message, f"one_{kind}", number, kind)
        _field(message, f"many_{kind}", number + 1, kind, label=FD.LABEL_REPEATED)
        number += 2
    _field(message, "color", number, FD.TYPE_ENUM, type_name=".rt.v1.Color")
    _field(message, "colors", number + 1, FD.TYPE_ENUM, type_name=".rt.v1.Color",
           label=FD.LABEL_REPEATED)
    _field(message, "leaf", number + 2, FD.TYPE_MESSAGE, type_name=".rt.v1.Leaf")
    _field(message, "leaves", number + 3, FD.TYPE_MESSAGE, type_name=".rt.v1.Leaf",
           label=FD.LABEL_REPEATED)
    _field(message, "from", number + 4, FD.TYPE_INT32)  # a Python keyword
    _field(message, "odd_key", number + 5, FD.TYPE_STRING, json_name='odd "kéy"\\{}')
    _field(message, "early", number + 6, FD.TYPE_INT32, json_name="AAA")
    number += 7
    for name, type_name in (("struct", "Struct"), ("value", "Value"), ("list", "ListValue"),
                            ("any", "Any"), ("mask", "FieldMask"), ("empty", "Empty"),
                            ("stamp", "Timestamp"), ("span", "Duration"),
                            ("i64", "Int64Value"), ("u32", "UInt32Value"),
                            ("f32", "FloatValue"), ("raw", "BytesValue")):
        _field(message, name, number, FD.TYPE_MESSAGE, type_name=f".google.protobuf.{type_name}")
        number += 1
    _field(message, "stamps", number, FD.TYPE_MESSAGE, type_name=".google.protobuf.Timestamp",
           label=FD.LABEL_REPEATED)
    _field(message, "spans", number + 1, FD.TYPE_MESSAGE,
           type_name=".google.protobuf.Duration", label=FD.LABEL_REPEATED)
    _field(message, "wrapped", number + 2, FD.TYPE_MESSAGE,
           type_name=".google.protobuf.DoubleValue", label=FD.LABEL_REPEATED)
    number += 3
    _map(file, message, "by_name", number, FD.TYPE_STRING, FD.TYPE_INT64)
    _map(file, message, "by_number", number + 1, FD.TYPE_INT32, FD.TYPE_MESSAGE, ".rt.v1.Leaf")
    _map(file, message, "by_flag", number + 2, FD.TYPE_BOOL, FD.TYPE_DOUBLE)
    _map(file, message, "by_big", number + 3, FD.TYPE_UINT64, FD.TYPE_ENUM, ".rt.v1.Color")
    _map(file, message, "by_stamp", number + 4, FD.TYPE_SINT32, FD.TYPE_MESSAGE,
         ".google.protobuf.Timestamp")
    number += 5
    for i, (name, kind) in enumerate((("pick_text", FD.TYPE_STRING),
                                      ("pick_float", FD.TYPE_FLOAT),
                                      ("pick_bytes", FD.TYPE_BYTES))):
        _field(message, name, number + i, kind).oneof_index = 0
    _field(message, "pick_leaf", number + 3, FD.TYPE_MESSAGE,
           type_name=".rt.v1.Leaf").oneof_index = 0
    message.oneof_decl.add(name="pick")
    # proto3 `optional`: a synthetic oneof, declared after the real ones
    _field(message, "maybe", number + 4, FD.TYPE_DOUBLE, proto3_optional=True).oneof_index = 1
    message.oneof_decl.add(name="_maybe")
    file.message_type.add(name="Nothing")
    return file


def _runtime_proto2_file() -> descriptor_pb2.FileDescriptorProto:
    file = descriptor_pb2.FileDescriptorProto(name="rt/v1/old.proto", package="rt.v1",
                                              syntax="proto2")
    file.enum_type.add(name="Closed").value.extend([
        descriptor_pb2.EnumValueDescriptorProto(name="CLOSED_ONE", number=1),
        descriptor_pb2.EnumValueDescriptorProto(name="CLOSED_TWO", number=2)])
    message = file.message_type.add(name="Old")
    _field(message, "count", 1, FD.TYPE_INT32, default_value="7")
    _field(message, "state", 2, FD.TYPE_ENUM, type_name=".rt.v1.Closed")
    _field(message, "names", 3, FD.TYPE_STRING, label=FD.LABEL_REPEATED)
    _field(message, "need", 4, FD.TYPE_STRING, label=FD.LABEL_REQUIRED)
    extended = file.message_type.add(name="Extended")
    _field(extended, "plain", 1, FD.TYPE_INT32)
    extended.extension_range.add(start=100, end=200)
    file.extension.add(name="extra", number=100, type=FD.TYPE_STRING,
                       label=FD.LABEL_OPTIONAL, extendee=".rt.v1.Extended")
    return file


RUNTIME = _runtime_pool()
RUNTIME_TYPES = [RUNTIME.FindMessageTypeByName(f"rt.v1.{name}")
                 for name in ("Everything", "Leaf", "Nothing", "Old", "Extended")]


@pytest.mark.parametrize("descriptor", RUNTIME_TYPES, ids=lambda d: d.name)
@_GENERATED
@given(data=st.data())
def test_a_contract_loaded_at_run_time(descriptor: Descriptor, data: st.DataObject) -> None:
    assert_same(data.draw(messages(descriptor)))


def test_run_time_types_are_compiled_and_extensions_go_to_json_format() -> None:
    classes = {d.name: message_factory.GetMessageClass(d) for d in RUNTIME_TYPES}
    everything = classes["Everything"](**{"from": 3})
    everything.by_flag[True] = float("nan")
    everything.by_flag[False] = -0.0
    everything.by_name["zeta"] = -(2**63)
    everything.by_name["Alpha"] = 1
    everything.by_name["é"] = 2
    assert_same(everything)
    assert '"from":3' in _protojson.to_json_text(everything)
    assert _protojson._TEXT[RUNTIME_TYPES[0]] is not _protojson.reference_text
    extended = classes["Extended"](plain=1)
    extended.Extensions[RUNTIME.FindExtensionByName("rt.v1.extra")] = "x"
    assert_same(extended)
    assert '"[rt.v1.extra]":"x"' in _protojson.to_json_text(extended)


def test_a_type_that_cannot_be_compiled_prints_through_json_format(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    # The generator failing is a case no descriptor of ours produces: make it fail.
    def fail(*args: Any) -> None:
        raise RuntimeError("cannot compile")

    pool = _runtime_pool()
    leaf = message_factory.GetMessageClass(pool.FindMessageTypeByName("rt.v1.Leaf"))
    monkeypatch.setattr(_protojson_gen, "compile_encoders", fail)
    message = leaf(note="é", color=-7)
    assert _protojson.to_json_text(message) == _protojson.reference_text(message)
    assert _protojson.to_jsonable(message) == {"note": "é", "color": "COLOR_ALIAS_BLUE"}
    assert "printing rt.v1.Leaf through json_format" in caplog.text


def test_the_encoder_imports_no_grpc() -> None:
    code = ("import sys; from google.protobuf import timestamp_pb2; "
            "from mxgw._protojson import to_json_text, to_jsonable; "
            "print(to_json_text(timestamp_pb2.Timestamp(seconds=1)), "
            "to_jsonable(timestamp_pb2.Timestamp())); "
            "assert not [m for m in sys.modules if m.split('.')[0] == 'grpc'], 'grpc'")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ['"1970-01-01T00:00:01Z"', "1970-01-01T00:00:00Z"]
