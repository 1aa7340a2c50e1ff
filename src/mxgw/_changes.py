"""DataChange: what `session.subscribe()` yields. Kept apart from mxgw._values so that
a read (`mxgw get`) does not make the class."""

from __future__ import annotations

from dataclasses import dataclass

from ._frozen import filled
from ._values import TagValue


@dataclass(frozen=True)
class DataChange:
    """One data change of a subscribed tag: `session.subscribe()` yields these."""

    tag: str
    value: TagValue
    sequence: int


# A stream makes one per event: it skips the frozen __init__ (mxgw._frozen), as
# mxgw._values.new_tag_value does. tests/client/test_values.py compares it with the class.
def new_data_change(tag: str, value: TagValue, sequence: int) -> DataChange:
    """DataChange(tag, value, sequence), made faster."""
    return filled(DataChange, {"tag": tag, "value": value, "sequence": sequence})
