"""The galaxy object model: objects, attributes, values that evolve per tick.

A `Galaxy` is built from a spec (see `_galaxy_file`), holds every attribute's current value,
quality and timestamp, and tells its listeners (sessions, alarms) which attributes changed,
in one batch per tick or write so the event path can share work across subscribers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ._values import DataType, coerce, utc_now

GOOD = 192
BAD = 0

# GalaxyAttribute.security_classification
FREE_ACCESS, OPERATE, SECURED_WRITE, VERIFIED_WRITE, TUNE, CONFIGURE, VIEW_ONLY = range(7)
SECURITY_NAMES = {
    "FreeAccess": FREE_ACCESS,
    "Operate": OPERATE,
    "SecuredWrite": SECURED_WRITE,
    "VerifiedWrite": VERIFIED_WRITE,
    "Tune": TUNE,
    "Configure": CONFIGURE,
    "ViewOnly": VIEW_ONLY,
}

# A tag address: Object.Attribute[.Sub...] with an optional [] or [n] on the end.
_ADDRESS = re.compile(r"^[A-Za-z_$][\w$-]*(?:\.[A-Za-z_$][\w$-]*)+(?:\[(\d*)\])?$")


class Behaviour:
    """How an attribute's value moves: its value at `tick`, `ticks` after `current`."""

    def value(self, tick: int, current: Any, ticks: int = 1) -> Any:
        raise NotImplementedError


@dataclass
class Counter(Behaviour):
    step: int = 1

    def value(self, tick: int, current: Any, ticks: int = 1) -> Any:
        return (int(current or 0) + self.step * ticks) % 2**31


@dataclass
class Sine(Behaviour):
    amplitude: float = 50.0
    offset: float = 50.0
    period: float = 40.0  # ticks
    phase: float = 0.0

    def value(self, tick: int, current: Any, ticks: int = 1) -> Any:
        angle = 2 * math.pi * (tick + self.phase) / self.period
        return round(self.offset + self.amplitude * math.sin(angle), 6)


@dataclass
class Ramp(Behaviour):
    minimum: float = 0.0
    maximum: float = 100.0
    step: float = 2.5
    phase: float = 0.0

    def value(self, tick: int, current: Any, ticks: int = 1) -> Any:
        span = self.maximum - self.minimum
        return round(self.minimum + (self.phase + tick * self.step) % span, 6)


@dataclass
class Toggle(Behaviour):
    period: int = 10  # ticks between flips

    def value(self, tick: int, current: Any, ticks: int = 1) -> Any:
        return (tick // self.period) % 2 == 0


class Ticker:
    """The galaxy's tick count, shared by its attributes so they can catch up lazily."""

    def __init__(self) -> None:
        self.count = 0


@dataclass(eq=False, slots=True)
class Attribute:
    """One attribute of one object, with its live value."""

    obj: GObject
    name: str
    dtype: DataType
    is_array: bool = False
    security: int = OPERATE
    historized: bool = False
    is_alarm: bool = False
    behaviour: Behaviour | None = None
    value: Any = None
    quality: int = GOOD
    timestamp: datetime = field(default_factory=utc_now)
    changed_at: datetime = field(default_factory=utc_now)  # when the worker saw the change
    ticker: Ticker | None = None
    tick: int = 0  # the tick `value` was computed for
    watched: bool = False  # an alarm watches it: evaluate on every tick
    # Items (in any session) advised on this attribute; maintained by the sessions.
    subscribers: set[Any] = field(default_factory=set)
    # Encoded event fragments per index, rebuilt lazily after each change (see _events).
    fragments: dict[Any, bytes] = field(default_factory=dict)

    @property
    def reference(self) -> str:
        return f"{self.obj.tag_name}.{self.name}"

    @property
    def writable(self) -> bool:
        return self.security != VIEW_ONLY

    def store(self, value: Any, quality: int = GOOD, when: datetime | None = None,
              now: datetime | None = None) -> None:
        self.value = value
        self.quality = quality
        self.changed_at = now or utc_now()
        self.timestamp = when or self.changed_at
        self.fragments.clear()

    def refresh(self) -> None:
        """Bring a moving value up to the current tick. Ticks skip attributes nobody
        watches (so 10,000 idle objects cost nothing); readers call this first."""
        ticker = self.ticker
        if self.behaviour is None or ticker is None or self.tick == ticker.count:
            return
        value = self.behaviour.value(ticker.count, self.value, ticker.count - self.tick)
        self.tick = ticker.count
        if value != self.value or self.quality != GOOD:
            self.store(value, GOOD)


@dataclass(eq=False, slots=True)
class GObject:
    gobject_id: int
    tag_name: str
    parent_id: int = 0
    hosted_by: int = 0
    is_area: bool = False
    category_id: int = 10
    template_chain: list[str] = field(default_factory=list)
    area: str = ""
    hierarchical_name: str = ""
    attributes: dict[str, Attribute] = field(default_factory=dict)  # lower-case name

    def add(self, attribute: Attribute) -> None:
        self.attributes[attribute.name.lower()] = attribute


@dataclass(frozen=True)
class Address:
    """A parsed tag address; `index` is None (scalar or whole array), 0 for `[]`, n for `[n]`
    (1-based; `[0]` names no element and is kept as -1, which every check finds out of
    range)."""

    text: str
    reference: str
    index: int | None


def parse_address(text: str) -> Address | None:
    """Syntax check only (what AddItem does); None when the address is malformed."""
    match = _ADDRESS.match(text)
    if match is None:
        return None
    bracket = text.find("[")
    if bracket < 0:
        return Address(text, text, None)
    digits = match.group(1)
    return Address(text, text[:bracket], (int(digits) or -1) if digits else 0)


@dataclass(eq=False)
class AlarmDef:
    """An alarm condition on an attribute: `kind` "hi" (source > limit), "lo" or "bool"."""

    attr: Attribute  # the alarm attribute, e.g. Tank001.Level.HiHi (True while in alarm)
    source: Attribute  # the value it watches, e.g. Tank001.Level
    kind: str
    limit: Attribute | float | None
    severity: int
    type_name: str
    category: str
    description: str

    def limit_value(self) -> float | None:
        if isinstance(self.limit, Attribute):
            return float(self.limit.value) if self.limit.value is not None else None
        return self.limit

    def condition(self) -> bool:
        """Whether the source is in alarm now (bad quality never alarms). Runs for every
        watched change of every tick, hence the plain code."""
        source = self.source
        value = source.value
        if value is None or source.quality != GOOD:
            return False
        kind = self.kind
        if kind == "bool":
            return bool(value)
        limit = self.limit
        if isinstance(limit, Attribute):
            limit = limit.value
        if limit is None:
            return False
        return bool(value > limit) if kind == "hi" else bool(value < limit)


Listener = Callable[[list[Attribute]], None]


class Galaxy:
    """The objects, their attributes, and the tick that moves values."""

    def __init__(self, name: str = "Galaxy") -> None:
        self.name = name
        self.objects: dict[int, GObject] = {}
        self._by_tag: dict[str, GObject] = {}
        self._attributes: dict[str, Attribute] = {}
        self._moving: list[Attribute] = []
        self.listeners: list[Listener] = []
        self.alarms: list[AlarmDef] = []
        self.ticker = Ticker()

    # -- building
    def add_object(self, obj: GObject) -> GObject:
        if obj.tag_name.lower() in self._by_tag:
            raise ValueError(f"duplicate tag name {obj.tag_name!r}")
        self.objects[obj.gobject_id] = obj
        self._by_tag[obj.tag_name.lower()] = obj
        return obj

    def index_attributes(self) -> None:
        """Call once after building: fills the lookup tables."""
        self._attributes = {
            attr.reference.lower(): attr
            for obj in self.objects.values()
            for attr in obj.attributes.values()
        }
        self._moving = [a for a in self._attributes.values() if a.behaviour is not None]
        for attr in self._moving:
            attr.ticker = self.ticker

    # -- lookup
    def object(self, tag_name: str) -> GObject | None:
        return self._by_tag.get(tag_name.lower())

    def attribute(self, reference: str) -> Attribute | None:
        return self._attributes.get(reference.lower())

    def attributes(self) -> Iterable[Attribute]:
        return self._attributes.values()

    @property
    def tick_count(self) -> int:
        return self.ticker.count

    @property
    def size(self) -> dict[str, int]:
        return {"objects": len(self.objects), "attributes": len(self._attributes)}

    # -- changes
    def tick(self, n: int = 1) -> None:
        """Advance `n` ticks; listeners hear once per tick with every changed attribute."""
        ticker = self.ticker
        for _ in range(n):
            ticker.count += 1
            tick = ticker.count
            now = utc_now()
            changed = []
            for attr in self._moving:
                if not (attr.subscribers or attr.watched):
                    continue  # caught up lazily by refresh() when someone reads it
                behaviour = attr.behaviour
                assert behaviour is not None
                value = behaviour.value(tick, attr.value, tick - attr.tick)
                attr.tick = tick
                if value != attr.value or attr.quality != GOOD:
                    attr.store(value, GOOD, None, now)
                    changed.append(attr)
            self.notify(changed)

    def set(self, attr: Attribute, value: Any, quality: int = GOOD) -> None:
        """Store a value (a write or control.set_value) and tell the listeners."""
        attr.store(value, quality)
        self.notify([attr])

    def set_tag(self, reference: str, value: Any, quality: int = GOOD) -> None:
        """control.set_value: `reference` is `Object.Attribute`; value in Python types."""
        attr = self.attribute(reference)
        if attr is None:
            raise KeyError(f"no attribute {reference!r}")
        if value is not None:
            if attr.is_array:
                value = [coerce(v, attr.dtype) for v in value]
            else:
                value = coerce(value, attr.dtype)
        self.set(attr, value, quality)

    def notify(self, changed: list[Attribute]) -> None:
        if changed:
            for listener in self.listeners:
                listener(changed)
