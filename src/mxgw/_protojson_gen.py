"""Compiles `_protojson`'s encoders: a pair of Python functions per message type.

For each message type two functions are built as Python syntax trees from the descriptor
and compiled once: one returns the compact JSON text as a single f-string whose keys were
sorted here, the other builds the dict. A field with presence (a message, a oneof member,
an `optional` scalar) is a conditional piece of that f-string; every other field is
always printed, as `always_print_fields_with_no_presence` does. Commas go around the
first always-printed field, so no piece needs to know which others were printed.

Anything whose printed form is not obvious comes from json_format itself and is cached:
enum names (an unknown number prints as the number), 32-bit floats (json_format rounds
them to the shortest repr), durations (their own ToJsonString, which is what json_format
calls, per (seconds, nanos)) and timestamps: ToJsonString of the whole second, cached per
second, then the fraction (0, 3, 6 or 9 digits, as ToJsonString writes them), cached per
nanos value, so a new source timestamp in a second already seen costs two lookups; the
(seconds, nanos) cache stays for `to_jsonable`, where the events of one tick share one
string. Values out of range raise there, and json_format then gives its own answer.
The other well-known types json_format prints its own way
(Any, Struct, Value, ListValue, FieldMask) and messages with extensions go through
json_format whole. Doubles, int64 (quoted), bytes (base64), strings (json's own C
escaper), repeated and map fields are written here; the tests compare every message type
of the contract with json_format.
"""

from __future__ import annotations

import ast
import json
import math
import threading
from binascii import b2a_base64
from collections.abc import Callable
from json.encoder import encode_basestring_ascii
from typing import Any

from google.protobuf import json_format, message_factory
from google.protobuf.descriptor import Descriptor, FieldDescriptor

from ._jsontext_gen import fstring, name_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from google.protobuf.message import Message

    TextFn = Callable[[Message], str]
    JsonFn = Callable[[Message], Any]

# The well-known types json_format prints its own way (its _WKTJSONMETHODS; a test keeps
# this in step). Timestamp and Duration are cached here, the rest go through json_format.
SPECIAL_TYPES = frozenset({
    "google.protobuf.Any", "google.protobuf.Duration", "google.protobuf.FieldMask",
    "google.protobuf.ListValue", "google.protobuf.Struct", "google.protobuf.Timestamp",
    "google.protobuf.Value",
})
_TIMESTAMP = "google.protobuf.Timestamp"
_TIME_TYPES = frozenset({_TIMESTAMP, "google.protobuf.Duration"})
_WRAPPERS_FILE = "google/protobuf/wrappers.proto"  # json_format's test for a wrapper
_CACHE_LIMIT = 65536  # entries per value cache, then it starts again

_INT64 = frozenset({FieldDescriptor.CPPTYPE_INT64, FieldDescriptor.CPPTYPE_UINT64})
_INT32 = frozenset({FieldDescriptor.CPPTYPE_INT32, FieldDescriptor.CPPTYPE_UINT32})
# A scalar element's printer (text, json) by C++ type ("bytes" apart from strings).
_ELEMENTS: dict[object, tuple[str, str]] = {
    FieldDescriptor.CPPTYPE_BOOL: ("_bool_text", "_same"),
    FieldDescriptor.CPPTYPE_INT32: ("str", "_same"),
    FieldDescriptor.CPPTYPE_UINT32: ("str", "_same"),
    FieldDescriptor.CPPTYPE_INT64: ("_int64_text", "str"),
    FieldDescriptor.CPPTYPE_UINT64: ("_int64_text", "str"),
    FieldDescriptor.CPPTYPE_DOUBLE: ("_double_text", "_double_json"),
    FieldDescriptor.CPPTYPE_STRING: ("_esc", "_same"),
    "bytes": ("_bytes_text", "_bytes_json"),
}
_dumps = json.JSONEncoder(ensure_ascii=True, sort_keys=True, separators=(",", ":")).encode


# ------------------------------------------------------------------ run-time helpers


def _nonfinite_text(value: float) -> str:
    return '"-Infinity"' if value < 0 else '"Infinity"' if value > 0 else '"NaN"'


def _nonfinite_json(value: float) -> str:
    return "-Infinity" if value < 0 else "Infinity" if value > 0 else "NaN"


def _double_text(value: float) -> str:
    return float.__repr__(value) if value - value == 0.0 else _nonfinite_text(value)


def _double_json(value: float) -> float | str:
    return value if value - value == 0.0 else _nonfinite_json(value)


def _float_text(printed: Any) -> str:
    """json_format's value of a 32-bit float (the shortest double that rounds to it, or
    the name of a non-finite one) as JSON text: repr, as json.dumps writes a float."""
    return float.__repr__(printed) if type(printed) is float else _dumps(printed)


def _int64_text(value: int) -> str:
    return f'"{value}"'


def _bytes_json(value: bytes) -> str:
    return b2a_base64(value, newline=False).decode("ascii")


def _bytes_text(value: bytes) -> str:
    return f'"{_bytes_json(value)}"'


def _same(value: Any) -> Any:
    return value


def _first(pair: tuple[str, Any]) -> str:
    return pair[0]


def _map_text(mapping: Any, key: Callable[[Any], str], value: Callable[[Any], str]) -> str:
    items = sorted([(key(k), v) for k, v in mapping.items()], key=_first)
    return "{" + ",".join([encode_basestring_ascii(k) + ":" + value(v) for k, v in items]) + "}"


def _map_json(mapping: Any, key: Callable[[Any], str], value: Callable[[Any], Any]
              ) -> dict[str, Any]:
    return {key(k): value(v) for k, v in mapping.items()}


class _Rendered(dict[Any, Any]):
    """Printed forms by value, computed on a miss by `render` (json_format's own code).

    Only `keep`-worthy values are stored: unknown enum numbers are unbounded, NaN never
    finds itself and 0.0 and -0.0 share a key but print differently."""

    def __init__(self, render: Callable[[Any], Any], keep: Callable[[Any], bool]) -> None:
        super().__init__()
        self.render = render
        self.keep = keep

    def __missing__(self, key: Any) -> Any:
        out = self.render(key)
        if self.keep(key):
            if len(self) >= _CACHE_LIMIT:
                self.clear()
            self[key] = out
        return out


def _stamp_seconds(text: str) -> str:
    """The opening quote and the date and time of `text`, json_format's timestamp of a
    whole second ("2026-05-28T12:00:00Z")."""
    if len(text) != 20 or text[-1] != "Z":
        raise ValueError(f"unexpected timestamp text {text!r}")  # json_format decides
    return '"' + text[:-1]


def _stamp_fraction(nanos: int) -> str:
    """A timestamp's text after its seconds, to the closing quote: as json_format's
    Timestamp.ToJsonString writes it, 0, 3, 6 or 9 digits, as few as are exact."""
    if not 0 <= nanos < 1_000_000_000:
        raise ValueError(f"nanos {nanos} out of range")  # json_format raises its own error
    if not nanos:
        return 'Z"'
    if not nanos % 1_000_000:
        return f'.{nanos // 1_000_000:03d}Z"'
    if not nanos % 1000:
        return f'.{nanos // 1000:06d}Z"'
    return f'.{nanos:09d}Z"'


def _never(key: Any) -> bool:
    return False


def _always(key: Any) -> bool:
    return True


def _nonzero_number(value: float) -> bool:
    return bool(value) and not math.isnan(value)


# ------------------------------------------------------------------ syntax helpers

def _call(func: ast.expr, *args: ast.expr) -> ast.expr:
    return ast.Call(func, list(args), [])


def _method(obj: ast.expr, name: str, *args: ast.expr) -> ast.expr:
    return _call(ast.Attribute(obj, name, ast.Load()), *args)


def _str(value: ast.expr) -> ast.expr:
    """`{value!s}`: for an int, cheaper than `{value}` (no format spec to apply)."""
    return ast.FormattedValue(value, ord("s"), None)


def _if(test: ast.expr, body: ast.expr, orelse: ast.expr) -> ast.expr:
    return ast.IfExp(test, body, orelse)


def _walrus(value: ast.expr) -> ast.expr:
    return ast.NamedExpr(ast.Name("_v", ast.Store()), value)


def _finite(value: ast.expr) -> ast.expr:
    """`(_v := value) - _v == 0.0`: false for infinities and NaN."""
    return ast.Compare(ast.BinOp(_walrus(value), ast.Sub(), name_of("_v")), [ast.Eq()],
                       [ast.Constant(0.0)])


# ------------------------------------------------------------------ the generator


class _Generator:
    """Compiles encoders into one namespace; nested types are found there by name."""

    def __init__(self, reference_text: TextFn, reference_json: JsonFn) -> None:
        self.reference_text = reference_text
        self.reference_json = reference_json
        # json_format's own printer renders the values cached here (enum names, floats).
        self.printer = json_format._Printer(  # type: ignore[attr-defined]
            always_print_fields_with_no_presence=True)
        self.ns: dict[str, Any] = {
            "_esc": encode_basestring_ascii, "_repr": float.__repr__,
            "_nonfinite_text": _nonfinite_text, "_nonfinite_json": _nonfinite_json,
            "_double_text": _double_text, "_double_json": _double_json,
            "_int64_text": _int64_text, "_bytes_text": _bytes_text, "_bytes_json": _bytes_json,
            "_bool_text": {False: "false", True: "true"}.__getitem__,
            "_bool_key": {False: "false", True: "true"}.__getitem__,
            "_same": _same, "_map_text": _map_text, "_map_json": _map_json,
        }
        self.names: dict[Any, str] = {}  # descriptor (or enum, or "float") -> name suffix
        self.compiled: dict[Descriptor, tuple[TextFn, JsonFn]] = {}
        self.pending: list[Descriptor] = []
        self.lock = threading.Lock()

    def encoders(self, descriptor: Descriptor) -> tuple[TextFn, JsonFn]:
        with self.lock:
            if descriptor not in self.compiled:
                self._message(descriptor)
                while self.pending:
                    self._build(self.pending.pop())
            return self.compiled[descriptor]

    def _suffix(self, key: Any, label: str) -> tuple[str, bool]:
        """A unique name suffix for `key` and whether it is new."""
        if key in self.names:
            return self.names[key], False
        suffix = f"{label}_{len(self.names)}"
        self.names[key] = suffix
        return suffix, True

    def _message(self, descriptor: Descriptor) -> str:
        suffix, new = self._suffix(descriptor, descriptor.name)
        if new:
            self.pending.append(descriptor)
        return suffix

    def _build(self, descriptor: Descriptor) -> None:
        suffix = self.names[descriptor]
        full_name = descriptor.full_name
        if full_name in _TIME_TYPES:
            self._time_type(descriptor, suffix)
        elif full_name in SPECIAL_TYPES or descriptor.extension_ranges:
            self.ns["text_" + suffix] = self.reference_text
            self.ns["json_" + suffix] = self.reference_json
        else:
            self._exec(self._functions(descriptor, suffix))
        self.compiled[descriptor] = (self.ns["text_" + suffix], self.ns["json_" + suffix])

    def _time_type(self, descriptor: Descriptor, suffix: str) -> None:
        cls = message_factory.GetMessageClass(descriptor)

        def render_json(key: tuple[int, int]) -> Any:
            # What json_format prints for both (its _GenericMessageToJsonObject), without
            # its machinery around.
            stamp: Any = cls(seconds=key[0], nanos=key[1])
            return stamp.ToJsonString()

        as_json = _Rendered(render_json, _always)
        self.ns["json_cache_" + suffix] = as_json
        self.ns["json_" + suffix] = lambda m: as_json[(m.seconds, m.nanos)]
        if descriptor.full_name != _TIMESTAMP:
            text = _Rendered(lambda key: _dumps(render_json(key)), _always)
            self.ns["text_cache_" + suffix] = text
            self.ns["text_" + suffix] = lambda m: text[(m.seconds, m.nanos)]
            return
        # A stream's source timestamps are mostly new, but their second is not: the text
        # is the second's (json_format's own, cached) and the fraction's (cached too).
        seconds = _Rendered(lambda key: _stamp_seconds(render_json((key, 0))), _always)
        fraction = _Rendered(_stamp_fraction, _always)
        self.ns["text_seconds_" + suffix] = seconds
        self.ns["text_fraction_" + suffix] = fraction
        self.ns["text_" + suffix] = lambda m: seconds[m.seconds] + fraction[m.nanos]

    def _exec(self, functions: list[ast.stmt]) -> None:
        module = ast.fix_missing_locations(ast.Module(functions, []))
        exec(compile(module, "<mxgw._protojson>", "exec"), self.ns)  # noqa: S102 - built here

    # -------------------------------------------------------- one message type

    def _functions(self, descriptor: Descriptor, suffix: str) -> list[ast.stmt]:
        if descriptor.file.name == _WRAPPERS_FILE:
            value = descriptor.fields_by_name["value"]
            return [self._def("text_" + suffix, [], fstring(self._text(value, _field(value)))),
                    self._def("json_" + suffix, [], self._json(value, _field(value)))]
        fields = sorted(descriptor.fields, key=lambda f: f.json_name)
        prologue, gates = _gates(fields)
        return [self._def("text_" + suffix, prologue, self._text_object(fields, gates)),
                self._def_json("json_" + suffix, prologue, fields, gates)]

    def _text_object(self, fields: list[FieldDescriptor],
                     gates: dict[FieldDescriptor, ast.expr]) -> ast.expr:
        pieces = [(gates.get(f), [encode_basestring_ascii(f.json_name) + ":",
                                  *self._text(f, _field(f))]) for f in fields]
        anchor = next((i for i, (gate, _) in enumerate(pieces) if gate is None), None)
        if anchor is None:
            # Every field has presence: each piece leads with a comma, and the first goes.
            body = fstring([_piece(gate, [",", *piece]) for gate, piece in pieces])
            if not pieces:
                return ast.Constant("{}")
            return fstring(["{", ast.Subscript(body, ast.Slice(ast.Constant(1)), ast.Load()),
                            "}"])
        parts: list[str | ast.expr] = ["{"]
        for i, (gate, piece) in enumerate(pieces):
            if i < anchor:
                parts.append(_piece(gate, [*piece, ","]))
            elif i == anchor:
                parts += piece
            elif gate is None:
                parts += [",", *piece]
            else:
                parts.append(_piece(gate, [",", *piece]))
        return fstring([*parts, "}"])

    def _def_json(self, name: str, prologue: list[ast.stmt], fields: list[FieldDescriptor],
                  gates: dict[FieldDescriptor, ast.expr]) -> ast.stmt:
        always = [f for f in fields if f not in gates]
        display = ast.Dict([ast.Constant(f.json_name) for f in always],
                           [self._json(f, _field(f)) for f in always])
        present = [f for f in fields if f in gates]
        if not present:
            return self._def(name, prologue, display)
        body: list[ast.stmt] = [ast.Assign([ast.Name("d", ast.Store())], display)]
        for f in present:
            target = ast.Subscript(name_of("d"), ast.Constant(f.json_name), ast.Store())
            body.append(ast.If(gates[f], [ast.Assign([target], self._json(f, _field(f)))], []))
        return self._def(name, prologue + body, name_of("d"))

    @staticmethod
    def _def(name: str, body: list[ast.stmt], result: ast.expr) -> ast.stmt:
        arguments = ast.arguments([], [ast.arg("m")], None, [], [], None, [])
        return ast.FunctionDef(name, arguments, [*body, ast.Return(result)], [], None)

    # -------------------------------------------------------- one field's value

    def _text(self, field: FieldDescriptor, value: ast.expr) -> list[str | ast.expr]:
        """The field's printed value as f-string parts."""
        if _is_map(field):
            key, item = _type(field).fields_by_name["key"], _map_value(field)
            key_fn = name_of("_bool_key" if key.cpp_type == key.CPPTYPE_BOOL else "str")
            return [_call(name_of("_map_text"), value, key_fn, self._element(item, "text"))]
        if field.is_repeated:
            joined = _method(ast.Constant(","), "join",
                             _call(name_of("map"), self._element(field, "text"), _copy(value)))
            return ["[", joined, "]"]
        cpp = field.cpp_type
        if cpp == field.CPPTYPE_MESSAGE:
            message = _type(field)
            if _fieldless(message):
                return ["{}"]  # without reading the field: that costs more than the rest
            suffix = self._message(message)
            if message.full_name == _TIMESTAMP:
                return _stamp_parts(suffix, value)
            if message.full_name in _TIME_TYPES:
                return [_time_key(name_of("text_cache_" + suffix), value)]
            return [_call(name_of("text_" + suffix), value)]
        if cpp == field.CPPTYPE_ENUM:
            return [ast.Subscript(name_of(self._enum(field, "text")), value, ast.Load())]
        if cpp == field.CPPTYPE_STRING:
            helper = "_bytes_text" if field.type == field.TYPE_BYTES else "_esc"
            return [_call(name_of(helper), value)]
        if cpp == field.CPPTYPE_BOOL:
            return [_if(value, ast.Constant("true"), ast.Constant("false"))]
        if cpp in _INT64:
            return ['"', _str(value), '"']
        if cpp in _INT32:
            return [_str(value)]
        if cpp == field.CPPTYPE_DOUBLE:
            return [_if(_finite(value), _call(name_of("_repr"), name_of("_v")),
                        _call(name_of("_nonfinite_text"), name_of("_v")))]
        return [ast.Subscript(name_of(self._float(field, "text")), value, ast.Load())]

    def _element(self, field: FieldDescriptor, mode: str) -> ast.expr:
        """A function printing one element of the (repeated or map) field, in `mode`
        "text" or "json"."""
        cpp = field.cpp_type
        if cpp == field.CPPTYPE_MESSAGE:
            return name_of(f"{mode}_{self._message(_type(field))}")
        if cpp == field.CPPTYPE_ENUM:
            return ast.Attribute(name_of(self._enum(field, mode)), "__getitem__", ast.Load())
        if cpp == field.CPPTYPE_FLOAT:
            return ast.Attribute(name_of(self._float(field, mode)), "__getitem__", ast.Load())
        kind = "bytes" if field.type == field.TYPE_BYTES else cpp
        return name_of(_ELEMENTS[kind][mode == "json"])

    def _json(self, field: FieldDescriptor, value: ast.expr) -> ast.expr:
        """The field's value as JSON types."""
        if _is_map(field):
            key = _type(field).fields_by_name["key"]
            key_fn = name_of("_bool_key" if key.cpp_type == key.CPPTYPE_BOOL else "str")
            return _call(name_of("_map_json"), value, key_fn, self._element(_map_value(field), "json"))
        if field.is_repeated:
            element = self._element(field, "json")
            if isinstance(element, ast.Name) and element.id == "_same":
                return _copy(value)
            return _call(name_of("list"), _call(name_of("map"), element, _copy(value)))
        cpp = field.cpp_type
        if cpp == field.CPPTYPE_MESSAGE:
            message = _type(field)
            if _fieldless(message):
                return ast.Dict([], [])
            suffix = self._message(message)
            if message.full_name in _TIME_TYPES:
                return _time_key(name_of("json_cache_" + suffix), value)
            return _call(name_of("json_" + suffix), value)
        if cpp == field.CPPTYPE_ENUM:
            return ast.Subscript(name_of(self._enum(field, "json")), value, ast.Load())
        if cpp == field.CPPTYPE_STRING and field.type == field.TYPE_BYTES:
            return _call(name_of("_bytes_json"), value)
        if cpp in _INT64:
            return _call(name_of("str"), value)
        if cpp == field.CPPTYPE_DOUBLE:
            return _if(_finite(value), name_of("_v"), _call(name_of("_nonfinite_json"), name_of("_v")))
        if cpp == field.CPPTYPE_FLOAT:
            return ast.Subscript(name_of(self._float(field, "json")), value, ast.Load())
        return value  # strings, bools and 32-bit integers are themselves

    # -------------------------------------------------------- cached printed values

    def _enum(self, field: FieldDescriptor, mode: str) -> str:
        """The name of the enum's table: json_format's printed form per number."""
        enum = field.enum_type
        assert enum is not None
        suffix, new = self._suffix(enum, enum.name)
        if new:
            def render(number: int) -> Any:
                return self.printer._FieldToJsonObject(field, number)

            def render_text(number: int) -> str:
                return _dumps(render(number))

            for name, fn in (("json_enum_", render), ("text_enum_", render_text)):
                table = _Rendered(fn, _never)
                table.update({value.number: fn(value.number) for value in enum.values})
                self.ns[name + suffix] = table
        return f"{mode}_enum_{suffix}"

    def _float(self, field: FieldDescriptor, mode: str) -> str:
        """The name of the 32-bit float cache: json_format's printed form per value."""
        suffix, new = self._suffix("float", "float")
        if new:
            def render(value: float) -> Any:
                return self.printer._FieldToJsonObject(field, value)

            self.ns["json_float_" + suffix] = _Rendered(render, _nonzero_number)
            self.ns["text_float_" + suffix] = _Rendered(lambda v: _float_text(render(v)),
                                                        _nonzero_number)
        return f"{mode}_float_{suffix}"


def _type(field: FieldDescriptor) -> Descriptor:
    """The field's message type (of a message field: never None)."""
    message = field.message_type
    assert message is not None
    return message


def _field(field: FieldDescriptor) -> ast.expr:
    return ast.Attribute(name_of("m"), field.name, ast.Load())


def _fieldless(message: Descriptor) -> bool:
    """A type that always prints as {} (the bodies of MxEvent and AlarmFeedMessage)."""
    return not (message.fields or message.extension_ranges
                or message.full_name in SPECIAL_TYPES)


def _copy(value: ast.expr) -> ast.expr:
    """`value[:]`, a list: upb's repeated fields iterate by indexing until IndexError,
    which costs more than the elements when there are few."""
    return ast.Subscript(value, ast.Slice(), ast.Load())


def _is_map(field: FieldDescriptor) -> bool:
    if field.type != field.TYPE_MESSAGE:
        return False
    message = _type(field)
    return message.has_options and bool(message.GetOptions().map_entry)


def _map_value(field: FieldDescriptor) -> FieldDescriptor:
    value: FieldDescriptor = _type(field).fields_by_name["value"]
    return value


def _time_key(cache: ast.expr, value: ast.expr) -> ast.expr:
    """`cache[((_v := value).seconds, _v.nanos)]`: one read of the field."""
    key = ast.Tuple([ast.Attribute(_walrus(value), "seconds", ast.Load()),
                     ast.Attribute(name_of("_v"), "nanos", ast.Load())], ast.Load())
    return ast.Subscript(cache, key, ast.Load())


def _stamp_parts(suffix: str, value: ast.expr) -> list[str | ast.expr]:
    """`{seconds[(_v := value).seconds]}{fraction[_v.nanos]}`: one read of the field, and
    no (seconds, nanos) key to make."""
    seconds = ast.Attribute(_walrus(value), "seconds", ast.Load())
    nanos = ast.Attribute(name_of("_v"), "nanos", ast.Load())
    return [ast.Subscript(name_of("text_seconds_" + suffix), seconds, ast.Load()),
            ast.Subscript(name_of("text_fraction_" + suffix), nanos, ast.Load())]


def _piece(gate: ast.expr | None, parts: list[str | ast.expr]) -> ast.expr:
    """Text printed only when the field is present."""
    assert gate is not None
    return _if(gate, fstring(parts), ast.Constant(""))


def _gates(fields: list[FieldDescriptor]) -> tuple[list[ast.stmt],
                                                   dict[FieldDescriptor, ast.expr]]:
    """What tells whether each field with presence is set, and the statements it needs:
    one WhichOneof per oneof of several fields, HasField for the rest."""
    prologue: list[ast.stmt] = []
    gates: dict[FieldDescriptor, ast.expr] = {}
    which: dict[str, str] = {}
    for f in fields:
        if not f.has_presence:
            continue
        oneof = f.containing_oneof
        if oneof is not None and len(oneof.fields) > 1:
            if oneof.name not in which:
                which[oneof.name] = f"w{len(which)}"
                call = _method(name_of("m"), "WhichOneof", ast.Constant(oneof.name))
                prologue.append(ast.Assign([ast.Name(which[oneof.name], ast.Store())], call))
            gates[f] = ast.Compare(name_of(which[oneof.name]), [ast.Eq()],
                                   [ast.Constant(f.name)])
        else:
            gates[f] = _method(name_of("m"), "HasField", ast.Constant(f.name))
    return prologue, gates


_GENERATOR: _Generator | None = None


def compile_encoders(descriptor: Descriptor, reference_text: TextFn, reference_json: JsonFn
                     ) -> dict[Descriptor, tuple[TextFn, JsonFn]]:
    """The encoders of `descriptor` and of every type compiled so far."""
    global _GENERATOR
    if _GENERATOR is None:
        _GENERATOR = _Generator(reference_text, reference_json)
    _GENERATOR.encoders(descriptor)
    return dict(_GENERATOR.compiled)
