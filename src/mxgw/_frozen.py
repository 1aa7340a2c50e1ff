"""Frozen records made without their `__init__`: a frozen dataclass's `__init__` sets each
field through object.__setattr__, which a stream or a 10,000-object discover pays per
record. `filled(cls, fields)` gives the same record (fields, equality, repr, hash,
pickling, dataclasses.replace) for a fraction of that.

    filled(TagValue, {"value": 5, "data_type": "INTEGER", ...})   # every field, by name

Only for a frozen dataclass without `__post_init__` or slots, given every field: the
callers' tests compare what it makes with the constructor's record.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeVar

    R = TypeVar("R")

_new = object.__new__
_set = object.__setattr__


def filled(cls: type[R], fields: dict[str, Any]) -> R:
    """`cls(**fields)`, without the frozen `__init__` (one __setattr__ of `__dict__`)."""
    record = _new(cls)
    _set(record, "__dict__", fields)
    return record
