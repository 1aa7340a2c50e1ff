"""Build a `Galaxy` from a spec: the built-in demo galaxy, or a user's JSON file.

File format (all keys optional except `objects`; see the README, section Simulator)::

    {"name": "Galaxy", "platform": "GR_Platform", "engine": "AppEngine_001",
     "areas": ["Area_A", {"name": "Area_B", "parent": "Area_A"}],
     "templates": {"$Valve": {"base": "$UserDefined", "attributes": [ATTR, ...]}},
     "objects": [{"tag_name": "Valve001", "area": "Area_A", "template": "$Valve",
                  "attributes": [ATTR, ...]}]}

    ATTR = {"name": "Open", "type": "bool|int|float|double|string|time|elapsed",
            "array": false, "value": ..., "security": "FreeAccess|Operate|SecuredWrite|
            VerifiedWrite|Tune|Configure|ViewOnly", "historized": false,
            "behaviour": {"kind": "counter|sine|ramp|toggle", ...parameters},
            "alarm": {"kind": "hi|lo|bool", "source": "Level", "limit": "HiLimit" or 80,
                      "severity": 500, "type": "Hi", "category": "Process",
                      "description": "..."}}
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from ._galaxy import (
    SECURITY_NAMES,
    AlarmDef,
    Attribute,
    Behaviour,
    Counter,
    Galaxy,
    GObject,
    Ramp,
    Sine,
    Toggle,
)
from ._values import TYPES, from_json

CATEGORY_PLATFORM, CATEGORY_ENGINE, CATEGORY_AREA, CATEGORY_USER = 1, 3, 13, 10
_BEHAVIOURS: dict[str, type[Behaviour]] = {
    "counter": Counter,
    "sine": Sine,
    "ramp": Ramp,
    "toggle": Toggle,
}


class GalaxyFileError(ValueError):
    """The galaxy file is not valid; the message names the place."""


def load_file(path: str | Path, seed: int = 0) -> Galaxy:
    try:
        spec = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GalaxyFileError(f"cannot read galaxy file {path}: {exc}") from exc
    return build(spec, seed)


def build(spec: dict[str, Any], seed: int = 0) -> Galaxy:
    """A galaxy from a spec; `seed` sets the per-object phases of moving values."""
    try:
        return _Builder(spec, random.Random(seed)).galaxy
    except GalaxyFileError:
        raise
    except KeyError as exc:
        raise GalaxyFileError(f"invalid galaxy spec: missing or unknown name {exc}") from exc
    except (TypeError, ValueError, AttributeError) as exc:
        raise GalaxyFileError(f"invalid galaxy spec: {exc}") from exc


class _Builder:
    def __init__(self, spec: dict[str, Any], rng: random.Random) -> None:
        self.rng = rng
        self.galaxy = Galaxy(spec.get("name", "Galaxy"))
        self.next_id = 1
        self.templates: dict[str, dict[str, Any]] = spec.get("templates", {})
        platform = self._object(spec.get("platform", "GR_Platform"), CATEGORY_PLATFORM,
                                ["$WinPlatform"], parent=None, area="")
        engine = self._object(spec.get("engine", "AppEngine_001"), CATEGORY_ENGINE,
                              ["$AppEngine"], parent=platform, area="")
        engine.hosted_by = platform.gobject_id
        areas: dict[str, GObject] = {}
        for entry in spec.get("areas", []):
            entry = {"name": entry} if isinstance(entry, str) else entry
            parent = areas[entry["parent"]] if entry.get("parent") else None
            area = self._object(entry["name"], CATEGORY_AREA, ["$Area"], parent, entry["name"])
            area.is_area = True
            area.hosted_by = engine.gobject_id
            areas[entry["name"]] = area
        for entry in spec["objects"]:
            area_obj = areas[entry["area"]] if entry.get("area") else None
            chain = self._chain(entry.get("template"))
            obj = self._object(entry["tag_name"], CATEGORY_USER, chain, area_obj,
                               entry.get("area", ""))
            obj.hosted_by = area_obj.gobject_id if area_obj else engine.gobject_id
            attrs = self._template_attributes(entry.get("template")) + entry.get("attributes", [])
            for attr_spec in attrs:
                obj.add(self._attribute(obj, attr_spec))
            for attr_spec in attrs:
                if "alarm" in attr_spec:
                    self._alarm(obj, attr_spec)
        self.galaxy.index_attributes()

    def _object(self, tag: str, category: int, chain: list[str], parent: GObject | None,
                area: str) -> GObject:
        path = f"{parent.hierarchical_name}.{tag}" if parent else tag
        obj = GObject(self.next_id, tag, parent.gobject_id if parent else 0, 0, False, category,
                      chain, area, path)
        self.next_id += 1
        return self.galaxy.add_object(obj)

    def _chain(self, template: str | None) -> list[str]:
        chain = []
        while template:
            chain.append(template)
            template = self.templates.get(template, {}).get("base")
        if not chain or chain[-1] != "$UserDefined":
            chain.append("$UserDefined")
        return chain

    def _template_attributes(self, template: str | None) -> list[dict[str, Any]]:
        if not template:
            return []
        if template not in self.templates:
            if template == "$UserDefined":
                return []
            raise GalaxyFileError(f"unknown template {template!r}")
        t = self.templates[template]
        return self._template_attributes(t.get("base")) + list(t.get("attributes", []))

    def _attribute(self, obj: GObject, spec: dict[str, Any]) -> Attribute:
        dtype = TYPES[spec.get("type", "double")]
        is_array = bool(spec.get("array", False))
        value = spec.get("value")
        value = [from_json(v, dtype) for v in value or []] if is_array else from_json(value, dtype)
        behaviour = None
        if "behaviour" in spec:
            params = dict(spec["behaviour"])
            cls = _BEHAVIOURS[params.pop("kind")]
            if cls in (Sine, Ramp):
                phase = params.pop("phase", "random")
                params["phase"] = self.rng.uniform(0, 40) if phase == "random" else float(phase)
            behaviour = cls(**params)
        security = spec.get("security", "Operate")
        return Attribute(
            obj, spec["name"], dtype, is_array,
            SECURITY_NAMES[security] if isinstance(security, str) else int(security),
            bool(spec.get("historized", False)), "alarm" in spec, behaviour, value,
        )

    def _alarm(self, obj: GObject, spec: dict[str, Any]) -> None:
        alarm = spec["alarm"]
        attr = obj.attributes[spec["name"].lower()]
        source = obj.attributes[alarm.get("source", spec["name"]).lower()]
        limit: Any = alarm.get("limit")
        if isinstance(limit, str):
            limit = obj.attributes[limit.lower()]
        self.galaxy.alarms.append(AlarmDef(
            attr, source, alarm.get("kind", "bool"), limit, int(alarm.get("severity", 500)),
            alarm.get("type", spec["name"].rsplit(".", 1)[-1]), alarm.get("category", "Process"),
            alarm.get("description", f"{obj.tag_name}.{spec['name']}"),
        ))
