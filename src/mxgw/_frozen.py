"""Frozen records made without their `__init__`, at once or lazily from a message.

A frozen dataclass's `__init__` sets each field through object.__setattr__, which a
stream or a 10,000-object discover pays per record. `filled(cls, fields)` gives the same
record (fields, equality, repr, hash, pickling, dataclasses.replace) for a fraction of
that.

    filled(TagValue, {"value": 5, "data_type": "INTEGER", ...})   # every field, by name
    GalaxyObject.lazy(message, read)          # the fields read from the message when
    DataChange.lazy(event, read, {"tag": t, "sequence": s})   # first used (FromMessage)

Only for a frozen dataclass without `__post_init__` or slots, given every field (at once,
or by `read`): the callers' tests compare what it makes with the constructor's record.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, Self, TypeVar

    R = TypeVar("R")

_new = object.__new__
_set = object.__setattr__


def filled(cls: type[R], fields: dict[str, Any]) -> R:
    """`cls(**fields)`, without the frozen `__init__` (one __setattr__ of `__dict__`)."""
    record = _new(cls)
    _set(record, "__dict__", fields)
    return record


class FromMessage:
    """A record that can be made lazily (`lazy(cls, message, read, known)`): until a field
    not in `known` is first read it holds only those, `_message` and `_read`; then
    `read(message)` gives every other field at once and the message is let go (its reply's
    memory with it). Equality, repr, hash, `dataclasses.replace`/`asdict`, copies and
    pickles read the fields, so they never see the difference; `vars()` of an unread
    record shows the message.

    A failure of `read` (a payload that cannot be converted) is raised by that first read,
    as its own type, and leaves the record unread: the next read raises it again.

    Threads: two reading an unread record at once may both call `read`; each gets the
    same fields (the record is frozen, and `read` is a pure function of the message).

    The record printer (mxgw._jsontext) prints an unread record by reading it, unless its
    class says `_unread_prints_as_message`: then as that message, which the seam lends it
    only when both print the same bytes (mxgw._json.prints_as_message)."""

    __slots__ = ()
    _unread_prints_as_message = False  # what mxgw._jsontext looks for (it imports no records)

    @classmethod
    def lazy(cls, message: Any, read: Callable[[Any], dict[str, Any]],
             known: dict[str, Any] | None = None) -> Self:
        """A record of `cls` whose fields not in `known` (a dict it takes over) are
        `read(message)`, on first use."""
        held = {} if known is None else known
        held["_message"] = message
        held["_read"] = read
        return filled(cls, held)

    def _fill(self) -> bool:
        """Read the fields from the message if not yet done; False if there was none."""
        held = self.__dict__
        message, read = held.get("_message"), held.get("_read")
        if message is None or read is None:
            return False
        held.update(read(message))  # a failure leaves the record as it was
        # Popped, not cleared: a second thread filling it meanwhile found the same fields.
        held.pop("_message", None)
        held.pop("_read", None)
        return True

    # Hidden from mypy: a class with __getattr__ would let any misspelt field pass.
    if not TYPE_CHECKING:
        def __getattr__(self, name: str) -> Any:
            # Only reached for a name the record does not hold: a field of an unread one
            # (or one another thread has just filled: looked up again after _fill).
            if not name.startswith("__"):
                self._fill()
                held = self.__dict__
                if name in held:
                    return held[name]
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __getstate__(self) -> dict[str, Any]:
        # Copies and pickles carry the fields, never the message.
        self._fill()
        return dict(self.__dict__)
