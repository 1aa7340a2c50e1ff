"""Galaxy Repository queries: filters, ordering, paging and page tokens.

Children sort areas first, then by tag name case-insensitively; DiscoverHierarchy walks
depth-first in that order. A page token is opaque (base64 JSON) and bound to the cache
sequence and a fingerprint of the request without its paging fields, so a token from
before a deploy or from a different query is refused with INVALID_ARGUMENT.
"""

from __future__ import annotations

import base64
import binascii
import fnmatch
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._galaxy import Galaxy, GObject
from ._rpc import invalid, not_found

if TYPE_CHECKING:
    from mxgw._proto import galaxy_pb2 as gpb

DISCOVER_PAGE, BROWSE_PAGE, MAX_PAGE = 1000, 500, 5000


def page_size(requested: int, default: int) -> int:
    if requested < 0:
        raise invalid("page_size must not be negative")
    return min(requested or default, MAX_PAGE)


def _fingerprint(request: Any) -> str:
    bare = type(request)()
    bare.CopyFrom(request)
    bare.ClearField("page_size")
    bare.ClearField("page_token")
    # The rpc's request type too: without filters a DiscoverHierarchyRequest and a
    # BrowseChildrenRequest serialize alike, and fields of one number differ in meaning.
    query = type(request).DESCRIPTOR.full_name.encode() + b"\0"
    return hashlib.sha256(query + bare.SerializeToString(deterministic=True)).hexdigest()[:16]


def make_token(request: Any, sequence: int, offset: int) -> str:
    raw = json.dumps({"s": sequence, "f": _fingerprint(request), "o": offset}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def read_token(request: Any, sequence: int) -> int:
    """The offset a page token stands for (0 without a token)."""
    token = request.page_token
    if not token:
        return 0
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        seq, fingerprint, offset = int(data["s"]), str(data["f"]), int(data["o"])
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise invalid("malformed page token") from None
    if seq != sequence:
        raise invalid("stale page token: the galaxy was deployed since (cache sequence "
                      f"{seq} -> {sequence}); start again without a token")
    if fingerprint != _fingerprint(request) or offset < 0:
        raise invalid("page token does not match this request's root and filters")
    return offset


class Filter:
    def __init__(self, request: Any) -> None:
        self.categories = set(request.category_ids)
        self.templates = [t.lower() for t in request.template_chain_contains]
        self.glob = request.tag_name_glob.lower()
        self.alarms_only = request.alarm_bearing_only
        self.historized_only = request.historized_only
        self.attributes = (request.include_attributes
                           if request.HasField("include_attributes") else True)

    def __call__(self, obj: GObject) -> bool:
        if self.categories and obj.category_id not in self.categories:
            return False
        if self.templates and not any(
            t in chain.lower() for t in self.templates for chain in obj.template_chain
        ):
            return False
        if self.glob and not fnmatch.fnmatchcase(obj.tag_name.lower(), self.glob):
            return False
        attrs = obj.attributes.values()
        if self.alarms_only and not any(a.is_alarm for a in attrs):
            return False
        return not self.historized_only or any(a.historized for a in attrs)


class Tree:
    """The containment tree of a galaxy, children in browse order."""

    def __init__(self, galaxy: Galaxy) -> None:
        self.galaxy = galaxy
        self.children: dict[int, list[GObject]] = {}
        for obj in galaxy.objects.values():
            self.children.setdefault(obj.parent_id, []).append(obj)
        for kids in self.children.values():
            kids.sort(key=lambda o: (not o.is_area, o.tag_name.casefold()))
        self._by_path = {o.hierarchical_name.lower(): o for o in galaxy.objects.values()}

    def find(self, gobject_id: int | None = None, tag_name: str | None = None,
             path: str | None = None) -> GObject:
        if gobject_id is not None:
            obj = self.galaxy.objects.get(gobject_id)
        elif tag_name is not None:
            obj = self.galaxy.object(tag_name)
        else:
            obj = self._by_path.get((path or "").lower())
        if obj is None:
            named = gobject_id if gobject_id is not None else repr(
                tag_name if tag_name is not None else path)
            raise not_found(f"no galaxy object {named}")
        return obj

    def walk(self, root: GObject | None, max_depth: int | None) -> Iterator[GObject]:
        stack: list[tuple[GObject, int]] = (
            [(root, 0)] if root else [(o, 0) for o in reversed(self.children.get(0, []))])
        while stack:
            obj, depth = stack.pop()
            yield obj
            if max_depth is None or depth < max_depth:
                kids = self.children.get(obj.gobject_id, [])
                stack.extend((kid, depth + 1) for kid in reversed(kids))


@dataclass(frozen=True)
class Page:
    objects: list[GObject]
    next_token: str
    total: int
    sequence: int
    with_attributes: bool

    def messages(self, messages: Any) -> list[gpb.GalaxyObject]:
        """The page's objects as `messages.GalaxyObject` (the contract's galaxy_pb2)."""
        return [to_message(messages, o, self.with_attributes) for o in self.objects]


def paginate(request: Any, candidates: Iterable[GObject], default_size: int, sequence: int
             ) -> Page:
    """One page of the candidates that pass the request's filters, and the next token."""
    size = page_size(request.page_size, default_size)
    offset = read_token(request, sequence)
    keep = Filter(request)
    matches = [o for o in candidates if keep(o)]
    more = offset + size < len(matches)
    return Page(matches[offset:offset + size],
                make_token(request, sequence, offset + size) if more else "",
                len(matches), sequence, keep.attributes)


def to_message(messages: Any, obj: GObject, with_attributes: bool) -> gpb.GalaxyObject:
    message = messages.GalaxyObject(
        gobject_id=obj.gobject_id, tag_name=obj.tag_name, contained_name=obj.tag_name,
        browse_name=obj.tag_name, parent_gobject_id=obj.parent_id, is_area=obj.is_area,
        category_id=obj.category_id, template_chain=obj.template_chain,
        hierarchical_name=obj.hierarchical_name, hosted_by_gobject_id=obj.hosted_by,
    )
    if with_attributes:
        for a in obj.attributes.values():
            message.attributes.add(
                attribute_name=a.name, full_tag_reference=a.reference,
                mx_data_type=a.dtype.native, data_type_name=a.dtype.type_name,
                is_array=a.is_array, array_dimension=len(a.value or []) if a.is_array else 0,
                mx_attribute_category=2 if a.writable else 6,
                security_classification=a.security, is_built_in=False,
                is_historized=a.historized, is_alarm=a.is_alarm,
            )
    return message
