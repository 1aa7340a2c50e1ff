"""A result as JSON, in one place: records, messages and errors become JSON here, names
are camel-cased here, and secrets are scrubbed here, for the CLI, the REPL and the audit
log alike.

    to_jsonable(obj)          JSON types for records, messages, datetimes, bytes, ...
    dumps(obj, pretty)        the text: sorted keys, ASCII escapes (Windows code pages);
                              compact text is written straight from the object by
                              mxgw._jsontext, the same bytes, several times faster
    message_to_jsonable(m)    the one way a protobuf message becomes JSON
    redact(text, secrets)     API keys, bearer tokens and known secrets -> <redacted>
    scrub(doc, secrets)       the same through a document, and secret-named keys' values
    error_fields(exc, code)   the fields of the one-line JSON error; error_line(fields)

Records (frozen dataclasses) print their fields camel-cased, as the proto3 JSON mapping
names fields; the few that print otherwise are in `_SHAPES` (the library's, by name) or
say so beside their class (`@shaped`, a layer above: `mxgw get`'s rows). Messages use the
proto3 JSON mapping with every field printed, so keys never come and go between runs.
`prints_as_message(cls, descriptor)` tells when a record made from a message prints as
that message does, so a lazy record may be printed as its message (mxgw._galaxy_records).

Cheap to import (no grpc; protobuf only once a message is printed, dataclasses never):
`mxgw version` prints through this module, and mxgw._errors redacts with it.
"""

from __future__ import annotations

import datetime as _dt
import enum
import math
import re
import sys

from ._jsontext import compact_printer
from ._timefmt import iso_utc

# typing is not imported at run time: this module is on `mxgw version`'s start-up path.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from typing import Any

REDACTED = "<redacted>"
_KEY_PATTERN = re.compile(r"mxgw_[A-Za-z0-9]+_[A-Za-z0-9_\-]+")
# RFC 6750's b64token, so that the punctuation after a token stays the message's.
_BEARER_PATTERN = r"(?i)(bearer\s+)[A-Za-z0-9\-._~+/]+=*"  # compiled when first used
# Keys whose values are secrets wherever they appear in a document.
_SECRET_KEYS = ("password", "apikey", "api_key", "secret", "token")
_SHORT_SECRET = 4  # characters; a shorter secret is redacted only where it stands alone


# ---------------------------------------------------------------- secrets


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with every known secret and anything shaped like an API key or a bearer
    token replaced by `<redacted>`."""
    for secret in secrets:
        if len(secret) >= _SHORT_SECRET:
            text = text.replace(secret, REDACTED)
        elif secret:
            # A secret of a few characters is found inside ordinary words ("a" in
            # "failed"): replaced everywhere it would leave the message unreadable and
            # tell which letters it has. Replaced where it stands alone.
            text = re.sub(rf"(?<![0-9A-Za-z]){re.escape(secret)}(?![0-9A-Za-z])",
                          REDACTED, text)
    text = _KEY_PATTERN.sub(REDACTED, text)
    return re.sub(_BEARER_PATTERN, r"\1" + REDACTED, text)


def secret_forms(value: str) -> set[str]:
    """The strings to scrub for one secret: the value itself and, for an API key, its
    bare secret part (the text after `mxgw_<keyId>_`, which alone is the secret)."""
    forms = {value}
    if _KEY_PATTERN.fullmatch(value):
        forms.add(value.split("_", 2)[2])
    return forms


def is_secret_key(key: object) -> bool:
    low = str(key).lower()
    return any(word in low for word in _SECRET_KEYS)


def scrub(doc: Any, secrets: Iterable[str] = ()) -> Any:
    """A JSON-like document with its strings redacted and the values of secret-named
    keys (password, api_key, token, ...) replaced. Scrub before encoding: a secret with
    a quote, a backslash or a non-ASCII letter no longer matches itself once escaped."""
    known = tuple(secrets)
    if isinstance(doc, str):
        return redact(doc, known)
    if isinstance(doc, dict):
        return {key: REDACTED if is_secret_key(key) else scrub(value, known)
                for key, value in doc.items()}
    if isinstance(doc, (list, tuple)):
        return [scrub(value, known) for value in doc]
    return doc


# ---------------------------------------------------------------- names and messages


def camel(name: str) -> str:
    """snake_case -> lowerCamelCase, as the proto3 JSON mapping names fields."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def is_message(obj: object) -> bool:
    return is_message_type(type(obj))


def is_message_type(cls: type) -> bool:
    if "google.protobuf.message" not in sys.modules:
        return False  # nothing has made a message yet, so this is none
    from google.protobuf.message import Message

    return issubclass(cls, Message)


def message_printer() -> Callable[[Any], str]:
    """What prints a message as compact JSON text: `dumps` of `message_to_jsonable(m)`,
    byte for byte (mxgw._protojson's compiled encoders)."""
    from ._protojson import to_json_text

    return to_json_text


def message_to_jsonable(message: Any, *, every_field: bool = True,
                        proto_names: bool = False) -> Any:
    """The proto3 JSON mapping of a message: lowerCamelCase keys, enum names, 64-bit
    integers as strings, every field even when zero (mxgw._protojson's encoders, byte
    for byte what json_format prints). The REPL's compact display asks for the fields
    that are set, under their proto names (`every_field=False, proto_names=True`)."""
    if every_field and not proto_names:
        from ._protojson import to_jsonable as encoded

        return encoded(message)
    from google.protobuf import json_format

    return json_format.MessageToDict(message, always_print_fields_with_no_presence=every_field,
                                     preserving_proto_field_name=proto_names)


# ---------------------------------------------------------------- records


class _Shape:
    """How a record prints when not simply as its camel-cased fields."""

    def __init__(self, *, inline: tuple[str, ...] = (), rename: dict[str, str] | None = None,
                 properties: tuple[str, ...] = ()) -> None:
        self.inline = inline          # fields whose own keys are merged into the record's
        self.rename = rename or {}    # field -> key
        self.properties = properties  # properties printed as well (camel-cased)


# By class (module and name; this module imports none of them). The golden tests
# (tests/test_json.py) hold every record's bytes.
_SHAPES = {
    "mxgw._values.TagValue": _Shape(properties=("ok",)),
    "mxgw._changes.DataChange": _Shape(inline=("value",)),
    "mxgw._results.BulkReadResult": _Shape(inline=("value",)),
    "mxgw._resume.StreamGap": _Shape(rename={"kind": "gap"}, properties=("lost",)),
}


def shaped(*, inline: tuple[str, ...] = ()) -> Callable[[type], type]:
    """A class decorator for a record of a layer above the library (`mxgw get`'s rows):
    how it prints, kept beside it, as `_SHAPES` keeps the library's."""

    def register(cls: type) -> type:
        _SHAPES[f"{cls.__module__}.{cls.__qualname__}"] = _Shape(inline=inline)
        return cls

    return register


# Class -> [(key, attribute, inline)], made once per record type.
_PLANS: dict[type, list[tuple[str, str, bool]]] = {}


def record_plan(cls: type) -> list[tuple[str, str, bool]]:
    """How a record class prints: (key, attribute, inlined) per field and property."""
    plan = _PLANS.get(cls)
    if plan is None:
        shape = _SHAPES.get(f"{cls.__module__}.{cls.__qualname__}", _Shape())
        fields = getattr(cls, "__dataclass_fields__", {}).values()
        plan = [(shape.rename.get(f.name, camel(f.name)), f.name, f.name in shape.inline)
                for f in fields if f.repr]
        plan += [(camel(name), name, False) for name in shape.properties]
        _PLANS[cls] = plan
    return plan


# FieldDescriptor types that print alike as a record's value (the value as read) and in
# the proto3 JSON mapping: strings, bools and 32-bit integers (64-bit ones are quoted
# there), each alone or repeated (a record holds a tuple).
_SAME_TYPES = frozenset({9, 8, 5, 13, 15, 17, 7})  # string bool int32 uint32 sfixed32 sint32 fixed32
_MESSAGE_TYPE = 11


def prints_as_message(cls: type, descriptor: Any, nested: Mapping[str, type] | None = None
                      ) -> bool:
    """Whether a record of `cls` made from a message of `descriptor` by reading each field
    as it is (a repeated field as a tuple; a field named in `nested` as a tuple of records
    of that class, made the same way) prints as that message prints (message_printer):
    the same keys, and only values both print alike. Then the message may be printed for
    the record (a lazy record: mxgw._galaxy_records)."""
    plan = record_plan(cls)
    fields = {f.name: f for f in descriptor.fields}
    if len(plan) != len(fields):
        return False
    for key, name, inline in plan:
        field = fields.get(name)
        if inline or field is None or key != field.json_name or field.has_presence:
            return False
        if nested and name in nested:
            if (field.type != _MESSAGE_TYPE or not field.is_repeated
                    or not prints_as_message(nested[name], field.message_type)):
                return False
        elif field.type not in _SAME_TYPES:
            return False
    return True


def to_jsonable(obj: Any) -> Any:
    """JSON types for library records (frozen dataclasses), protobuf messages, mappings,
    sequences, datetimes (ISO-8601, `Z`), timedeltas (seconds), bytes (base64), enums
    (names) and floats (NaN and infinities as strings: JSON has none)."""
    if obj is None or isinstance(obj, (bool, int, str)):
        return obj
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else str(obj)
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in obj]
    if hasattr(type(obj), "__dataclass_fields__"):
        found: dict[str, Any] = {}
        for key, name, inline in record_plan(type(obj)):
            value = to_jsonable(getattr(obj, name))
            if inline:
                found.update(value)
            else:
                found[key] = value
        return found
    if isinstance(obj, _dt.datetime):
        return iso_utc(obj)
    if isinstance(obj, _dt.timedelta):
        return obj.total_seconds()
    if isinstance(obj, (bytes, bytearray)):
        import base64  # rare: kept off `mxgw version`'s start-up path

        return base64.b64encode(bytes(obj)).decode("ascii")
    if isinstance(obj, enum.Enum):
        return obj.name
    if is_message(obj):
        return message_to_jsonable(obj)
    if _is_mapping(obj):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    raise TypeError(f"cannot print a {type(obj).__name__} as JSON")


def _is_mapping(obj: object) -> bool:
    from collections.abc import Mapping

    return isinstance(obj, Mapping)


def _compact(obj: Any) -> str:
    import json  # (json is imported where used: the compact printer writes most output)

    return json.dumps(to_jsonable(obj), sort_keys=True, ensure_ascii=True,
                      separators=(",", ":"))


# What `dumps` prints compact, written straight from the object (the same bytes).
_text = compact_printer(record_plan, is_message_type, message_printer, _compact)


def dumps(obj: Any, pretty: bool = False) -> str:
    """`obj` as JSON text: sorted keys, ASCII escapes, compact unless `pretty`."""
    if not pretty:
        return _text(obj)
    import json

    return json.dumps(to_jsonable(obj), sort_keys=True, ensure_ascii=True, indent=2)


# ---------------------------------------------------------------- errors


def error_fields(exc: BaseException, exit_code: int, *, message: str | None = None,
                 secrets: Iterable[str] = (), warnings: Iterable[str] = (),
                 notices: Iterable[Any] = ()) -> dict[str, Any]:
    """The fields of the one-line JSON error: type, message (scrubbed), exitCode,
    grpcCode, protocolStatus, hresult (None unless the gateway said), and `warnings` and
    `notices` (the CLI's first-contact notices, as objects) only when there are any."""
    known = tuple(secrets)
    text = message if message is not None else (str(exc) or type(exc).__name__)
    fields: dict[str, Any] = {
        "type": type(exc).__name__,
        "message": redact(text, known),
        "exitCode": exit_code,
        "grpcCode": getattr(exc, "grpc_code", None),
        "protocolStatus": getattr(exc, "protocol_status", None),
        "hresult": getattr(exc, "hresult", None),
    }
    found = [redact(w, known) for w in warnings]
    if found:
        fields["warnings"] = found
    told = [scrub(notice, known) for notice in notices]  # as every field of the line
    if told:
        fields["notices"] = told
    return fields


def error_line(fields: Mapping[str, Any]) -> str:
    """The JSON error line (stderr): `{"error": {...}}`."""
    import json

    return json.dumps({"error": dict(fields)}, sort_keys=True, ensure_ascii=True)


def warning_line(warning: str) -> str:
    """A JSON warning line (stderr): `{"warning": "..."}`."""
    import json

    return json.dumps({"warning": warning}, sort_keys=True, ensure_ascii=True)
