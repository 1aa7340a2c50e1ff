"""Compact JSON text of a result, fast: the exact bytes of

    json.dumps(mxgw._json.to_jsonable(obj), sort_keys=True, ensure_ascii=True,
               separators=(",", ":"))

written straight from the object, without building the JSON types first. Streams print
every line through here, and one-shot documents are joined from the same fragments.

    text = compact_printer(plan, is_message_type, message_printer, fallback)
    text(obj)    records, messages, dicts, lists, datetimes, ... -> one line of JSON

mxgw._json makes the one `text` (its `dumps(obj)`), handing in what it owns: the records'
shapes, what a message is and what prints it, and the fallback. One printer per type,
found by the exact type (a subclass gets the fallback's, so nothing passes for what it is
not): str, int, bool, None, float, datetime, timedelta, bytes, list, tuple and dict are
written here; a message by the compiled encoders; a record (a dataclass) by an f-string
made once per class from its plan (camel-cased keys, inlined fields, properties), keys
sorted once (a lazy record not read yet by its message's encoder: the same text; a shared
record, StatusInfo, by the text kept for it); anything else by the fallback, which is by
definition what it prints.

Imports no grpc and no protobuf (a message being printed has loaded protobuf already).
"""

from __future__ import annotations

import datetime as _dt
from _json import encode_basestring_ascii as _esc  # json.encoder's, without json's ~2 ms
from binascii import b2a_base64
from operator import attrgetter

from ._timefmt import iso_utc

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

# A record class's first records are printed by walking its keys: compiling its layout
# (ast, compile) costs ~2-3 ms, more than a one-shot `get` spends printing all it prints.
COMPILE_AFTER = 16
_TIME_CACHE_LIMIT = 65536  # printed datetimes kept, then it starts again
_KEPT_LIMIT = 4096  # texts of shared records kept, per class
_times: dict[_dt.datetime, str] = {}


def _float(value: float) -> str:
    # to_jsonable prints NaN and the infinities as the strings "nan", "inf", "-inf".
    return float.__repr__(value) if value - value == 0.0 else f'"{value}"'


def _datetime(stamp: _dt.datetime) -> str:
    # Only UTC and naive stamps are cached: an equal instant in another zone prints its
    # own offset, so it must not find the UTC text.
    tz = stamp.tzinfo
    if tz is not _dt.UTC and tz is not None:
        return f'"{iso_utc(stamp)}"'
    found = _times.get(stamp)
    if found is None:
        if len(_times) >= _TIME_CACHE_LIMIT:
            _times.clear()
        found = _times[stamp] = f'"{iso_utc(stamp)}"'
    return found


def _bytes(value: bytes | bytearray) -> str:
    return '"' + b2a_base64(value, newline=False).decode("ascii") + '"'


def compact_printer(plan: Callable[[type], list[tuple[str, str, bool]]],
                    is_message_type: Callable[[type], bool],
                    message_printer: Callable[[], Callable[[Any], str]],
                    fallback: Callable[[Any], str]) -> Callable[[Any], str]:
    """`text(obj)`, given what mxgw._json decides: a record class's plan (key, attribute,
    inlined), what a message is and what prints it, and the fallback (to_jsonable, then
    json.dumps) for every other type."""

    def text(obj: Any) -> str:
        printer = printers.get(type(obj))
        if printer is None:
            printer = printers[type(obj)] = printer_of(type(obj))
        return printer(obj)

    def printer_of(cls: type) -> Callable[[Any], str]:
        if hasattr(cls, "__dataclass_fields__"):
            lazy = getattr(cls, "_unread_prints_as_message", False)
            shared = getattr(cls, "_shared_record", False)

            def wrapped(layout: Callable[[Any], str]) -> Callable[[Any], str]:
                if lazy:
                    return _unless_lazy(layout, message_printer())
                return _kept(layout) if shared else layout

            def install(layout: Callable[[Any], str]) -> None:
                printers[cls] = wrapped(layout)

            return wrapped(_Record(cls, plan, text, fallback, install))
        if is_message_type(cls):
            return message_printer()
        return fallback

    def in_list(items: Any) -> str:
        return "[" + ",".join([text(item) for item in items]) + "]"

    def in_dict(mapping: dict[Any, Any]) -> str:
        # Keys as to_jsonable makes them (str(key), a later duplicate winning), sorted.
        found = {str(key): value for key, value in mapping.items()}
        return "{" + ",".join([_esc(key) + ":" + text(found[key])
                               for key in sorted(found)]) + "}"

    # By exact type: a subclass (an IntEnum, a str enum) gets the fallback's answer.
    printers: dict[type, Callable[[Any], str]] = {
        str: _esc,
        int: int.__repr__,
        bool: {False: "false", True: "true"}.__getitem__,
        type(None): lambda _: "null",
        float: _float,
        _dt.datetime: _datetime,
        _dt.timedelta: lambda delta: float.__repr__(delta.total_seconds()),
        bytes: _bytes,
        bytearray: _bytes,
        list: in_list,
        tuple: in_list,
        dict: in_dict,
    }
    return text


def _unless_lazy(layout: Callable[[Any], str], message_text: Callable[[Any], str]
                 ) -> Callable[[Any], str]:
    """The printer of a class whose unread records print as their message (a lazy
    record, mxgw._frozen.FromMessage, with `_unread_prints_as_message`): one still holding
    its message prints as the message, which the seam lent it only if both print the same
    bytes (mxgw._json.prints_as_message); one read already prints by `layout`. Other lazy
    records (a DataChange) are printed by `layout`, which reads them."""

    def printer(record: Any) -> str:
        message = record.__dict__.get("_message")
        return layout(record) if message is None else message_text(message)

    return printer


def _kept(layout: Callable[[Any], str]) -> Callable[[Any], str]:
    """The printer of a shared record class (`_shared_record`, mxgw._status.StatusInfo):
    the seam hands out one record for equal ones, frozen and of immutable fields, so its
    text never changes and is kept, by the record's id (bounded). The record is kept with
    it: while it is, no other object can have its id."""
    kept: dict[int, tuple[Any, str]] = {}

    def printer(record: Any) -> str:
        found = kept.get(id(record))
        if found is not None:
            return found[1]
        printed = layout(record)
        if len(kept) >= _KEPT_LIMIT:
            kept.clear()
        kept[id(record)] = (record, printed)
        return printed

    return printer


class _Record:
    """The printer of one record class. Its keys depend on the types of its inlined
    fields (a DataChange's TagValue), so there is one layout per combination of them,
    made on first sight (by mxgw._jsontext_gen): one f-string of the sorted keys and their
    values' printers. The first layout replaces this object as the class's printer
    (`install`); it checks the types of the inlined fields it was made for and hands a
    record with others back to this object.

    The first COMPILE_AFTER records get no layout: they are printed key by key, each
    value by `text`, which is what a layout's fast paths print too.

    Each value is printed by the printer of the type the first record had there, inline
    and behind a check of the exact type (`_esc(v) if type(v) is str else text(v)`), so
    a record of another mix of types prints right, only not as fast."""

    def __init__(self, cls: type, plan: Callable[[type], list[tuple[str, str, bool]]],
                 text: Callable[[Any], str], fallback: Callable[[Any], str],
                 install: Callable[[Callable[[Any], str]], None]) -> None:
        self.name = cls.__qualname__
        self.plan = plan
        self.text = text
        self.fallback = fallback
        self.install = install
        self.fields = plan(cls)
        self.inline = [attrgetter(name) for _, name, inline in self.fields if inline]
        self.layouts: dict[tuple[type, ...], Callable[[Any], str]] = {}
        self.seen = 0  # records printed without a layout
        self.entries: dict[tuple[type, ...], list[tuple[str, tuple[str, ...]]] | None] = {}

    def __call__(self, obj: Any) -> str:
        kinds = tuple([type(get(obj)) for get in self.inline])
        layout = self.layouts.get(kinds)
        if layout is None:
            self.seen += 1
            if self.seen <= COMPILE_AFTER:
                return self._interpreted(kinds, obj)
            layout = self.layouts[kinds] = self._layout(kinds, obj)
        return layout(obj)

    def _interpreted(self, kinds: tuple[type, ...], obj: Any) -> str:
        """The text the layout for `kinds` would print, without making the layout."""
        entries = self._sorted_entries(kinds)
        if entries is None:
            return self.fallback(obj)  # as the layout would: to_jsonable decides
        text = self.text
        return "{" + ",".join([_esc(key) + ":" + text(attrgetter(".".join(path))(obj))
                               for key, path in entries]) + "}"

    def _layout(self, kinds: tuple[type, ...], sample: Any) -> Callable[[Any], str]:
        entries = self._sorted_entries(kinds)
        if entries is None:
            return self.fallback  # an inlined value that is not a record: to_jsonable decides
        from ._jsontext_gen import compile_layout  # ast: off `mxgw version`'s start-up path

        # The layout checks the inlined fields' types itself and hands a record with
        # others back here, so the first one replaces this object as the class's printer.
        names = [name for _, name, inline in self.fields if inline]
        layout = compile_layout(f"print_{self.name}", entries, sample,
                                self.text, {"_float": _float, "_datetime": _datetime},
                                list(zip(names, kinds)), self)
        if not self.layouts:
            self.install(layout)
        return layout

    def _sorted_entries(self, kinds: tuple[type, ...]) -> list[tuple[str, tuple[str, ...]]] | None:
        """The sorted (key, attribute path) entries for these inlined types (see
        `_entries`), worked out once."""
        if kinds not in self.entries:
            found = self._entries(self.fields, (), list(kinds))
            self.entries[kinds] = None if found is None else sorted(found.items())
        return self.entries[kinds]

    def _entries(self, fields: list[tuple[str, str, bool]], path: tuple[str, ...],
                 kinds: list[type]) -> dict[str, tuple[str, ...]] | None:
        """Key -> attribute path, merged as to_jsonable merges (a later key wins); None
        when an inlined value is not a record without inlined fields of its own."""
        found: dict[str, tuple[str, ...]] = {}
        for key, name, inline in fields:
            if not inline:
                found[key] = (*path, name)
                continue
            kind = kinds.pop(0)
            if not hasattr(kind, "__dataclass_fields__"):
                return None
            inner = self.plan(kind)
            if any(nested for _, _, nested in inner):
                return None
            merged = self._entries(inner, (*path, name), [])
            assert merged is not None
            found.update(merged)
        return found
