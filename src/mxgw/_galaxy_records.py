"""What the Galaxy Repository answers, as plain records (the seam, mxgw._rpc._galaxy,
fills them from the replies). Field names follow the contract.

    obj.tag_name, obj.is_area, obj.template_chain[0]        a GalaxyObject
    [a.full_tag_reference for a in obj.attributes]          its GalaxyAttributes

A GalaxyObject from the seam is lazy (mxgw._frozen.FromMessage): it holds its message
until a field is first read, and then reads them all at once; equality, repr, hash, copies
and pickles read fields, so they never see the difference. `galaxy-discover` prints 10,000 objects
without reading them: an unread object prints as its message (mxgw._jsontext), which is
the same text (records are made by mxgw._frozen.filled, not the frozen `__init__`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ._frozen import FromMessage


@dataclass(frozen=True)
class GalaxyAttribute:
    """One attribute of a Galaxy object. `mx_data_type` is the native MXAccess number,
    `data_type_name` the Galaxy's name (`MxDouble`); `security_classification` 0
    FreeAccess, 1 Operate, 2 SecuredWrite, 3 VerifiedWrite, 4 Tune, 5 Configure,
    6 ViewOnly."""

    attribute_name: str
    full_tag_reference: str  # "tag_name.attribute"
    mx_data_type: int
    data_type_name: str
    is_array: bool
    array_dimension: int
    mx_attribute_category: int
    security_classification: int
    is_built_in: bool
    is_historized: bool
    is_alarm: bool


@dataclass(frozen=True)
class GalaxyObject(FromMessage):
    """An object or area of the Galaxy; `template_chain` nearest template first
    (`$Pump`, `$UserDefined`), `attributes` empty when they were not asked for."""

    # The seam lends an unread one its message only when both print alike.
    _unread_prints_as_message = True

    gobject_id: int
    tag_name: str
    contained_name: str
    browse_name: str
    parent_gobject_id: int
    is_area: bool
    category_id: int
    template_chain: tuple[str, ...]
    attributes: tuple[GalaxyAttribute, ...]
    hierarchical_name: str
    hosted_by_gobject_id: int


@dataclass(frozen=True)
class GalaxyConnection:
    ok: bool
    message: str


@dataclass(frozen=True)
class DeployInfo:
    time_of_last_deploy: datetime | None
    cache_state: str  # "Healthy", "Stale"


@dataclass(frozen=True)
class DeployEvent:
    """A deploy notification; `missed` counts events this subscriber dropped before it."""

    sequence: int
    time_of_last_deploy: datetime | None
    observed_at: datetime | None
    missed: int = 0
