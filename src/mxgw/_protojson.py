"""Protobuf messages as proto3 JSON, byte for byte what `json_format` prints, fast.

The CLI prints a message as::

    json.dumps(json_format.MessageToDict(m, always_print_fields_with_no_presence=True),
               sort_keys=True, ensure_ascii=True, separators=(",", ":"))

which costs about 100 µs per MxEvent, nearly all in `MessageToDict`. This module gives the
same results for 10-20 µs, most of it reading the fields through protobuf (every field,
each sub-message a new Python object):

    to_json_text(event)   # exactly those compact bytes
    to_jsonable(event)    # == that MessageToDict(...), for larger documents and pretty output

The first message of a type compiles a pair of encoders for it from its descriptor (see
`_protojson_gen`) and caches them per descriptor, so any contract works, one loaded at run
time from a descriptor set included. Nothing names a field of ours. When an encoder fails
(a timestamp out of range, NaN in a `google.protobuf.Value`), the message goes through
`json_format` itself, so the result, or the error raised, is json_format's.

Imports no grpc; protobuf is imported when the first message is printed.
"""

from __future__ import annotations

import json

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from google.protobuf.message import Message

# Per message descriptor (any pool's, so the key is typed loosely).
_TEXT: dict[Any, Callable[[Message], str]] = {}
_JSONABLE: dict[Any, Callable[[Message], Any]] = {}


def to_json_text(message: Message) -> str:
    """The message as compact proto3 JSON text: sorted keys, ASCII escapes, every field.

        to_json_text(gateway_pb2.ProtocolStatus(code=1))
        # '{"code":"PROTOCOL_STATUS_CODE_OK","message":""}'
    """
    text: str = _encode(message, 0, _TEXT, reference_text)
    return text


def to_jsonable(message: Message) -> Any:
    """The message as JSON types (a dict, for all but some well-known types), equal to
    `json_format.MessageToDict(message, always_print_fields_with_no_presence=True)`."""
    return _encode(message, 1, _JSONABLE, reference_jsonable)


def _encode(message: Message, position: int, cache: dict[Any, Callable[[Message], Any]],
            reference: Callable[[Message], Any]) -> Any:
    """The compiled function of the message's type (0: text, 1: jsonable), or json_format
    when that fails, for json_format's answer or its error."""
    descriptor = message.DESCRIPTOR
    compiled = cache.get(descriptor)
    if compiled is None:
        compiled = _compile(descriptor)[position]
    try:
        return compiled(message)
    except Exception:  # noqa: BLE001 - json_format then gives the answer, or its own error
        return reference(message)


def reference_jsonable(message: Message) -> Any:
    """What `to_jsonable` matches: json_format's MessageToDict, every field printed."""
    from google.protobuf import json_format

    return json_format.MessageToDict(message, always_print_fields_with_no_presence=True)


def reference_text(message: Message) -> str:
    """What `to_json_text` matches: `reference_jsonable` through the CLI's json.dumps."""
    return json.dumps(reference_jsonable(message), sort_keys=True, ensure_ascii=True,
                      separators=(",", ":"))


def _compile(descriptor: Any) -> tuple[Callable[[Message], str], Callable[[Message], Any]]:
    from ._protojson_gen import compile_encoders

    try:
        encoders = compile_encoders(descriptor, reference_text, reference_jsonable)
    except Exception:  # a type we cannot compile still prints, slowly
        import logging

        logging.getLogger("mxgw").warning("printing %s through json_format",
                                          descriptor.full_name, exc_info=True)
        encoders = {descriptor: (reference_text, reference_jsonable)}
    for found, (text, jsonable) in encoders.items():
        _TEXT.setdefault(found, text)
        _JSONABLE.setdefault(found, jsonable)
    return _TEXT[descriptor], _JSONABLE[descriptor]
