"""DataChange: what `session.subscribe()` yields. Kept apart from mxgw._values so that
a read (`mxgw get`) does not make the class."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ._frozen import FromMessage
from ._values import TagValue


@dataclass(frozen=True)
class DataChange(FromMessage):
    """One data change of a subscribed tag: `session.subscribe()` yields these.

    `session.subscribe()`'s are lazy (mxgw._frozen.FromMessage): `tag` and `sequence` are
    set, `value` is read from the event on first use (a stream consumer that skips most
    changes does not pay for converting them)."""

    tag: str
    value: TagValue
    sequence: int


# A stream makes one per event, without the frozen __init__ (mxgw._frozen).
# tests/client/test_values.py and test_lazy_changes.py compare it with the constructor.
def lazy_data_change(tag: str, sequence: int, event: Any,
                     read: Callable[[Any], dict[str, Any]]) -> DataChange:
    """DataChange(tag, value, sequence) whose `value` is `read(event)["value"]`, read
    when first used (mxgw._rpc._records.change_reader makes `read`)."""
    return DataChange.lazy(event, read, {"tag": tag, "sequence": sequence})
