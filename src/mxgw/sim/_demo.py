"""The built-in demo galaxy (names shared by the whole project; see the README)."""

from __future__ import annotations

from typing import Any

_TEST_CHILD = [
    {"name": "TestInt", "type": "int", "value": 0, "historized": True},
    {"name": "TestFloat", "type": "float", "value": 0.0},
    {"name": "TestDouble", "type": "double", "value": 0.0},
    {"name": "TestString", "type": "string", "value": ""},
    {"name": "TestBool", "type": "bool", "value": False},
    {"name": "TestDateTime", "type": "time", "value": "2024-01-01T00:00:00Z"},
    {"name": "TestElapsed", "type": "elapsed", "value": 0},
    {"name": "TestIntArray", "type": "int", "array": True, "value": [10, 20, 30, 40, 50]},
]
_PUMP = [
    {"name": "Speed", "type": "double", "value": 50.0, "historized": True,
     "behaviour": {"kind": "sine", "amplitude": 40, "offset": 50, "period": 40}},
    {"name": "Running", "type": "bool", "value": True},
    {"name": "FlowRate", "type": "double", "value": 120.0, "historized": True,
     "behaviour": {"kind": "sine", "amplitude": 20, "offset": 120, "period": 60}},
    {"name": "Model", "type": "string", "value": "PX-200", "security": "ViewOnly"},
    {"name": "SetPoint", "type": "double", "value": 50.0, "security": "SecuredWrite"},
    {"name": "MaintenanceMode", "type": "bool", "value": False, "security": "VerifiedWrite"},
    {"name": "PumpFault", "type": "bool", "value": False,
     "alarm": {"kind": "bool", "severity": 300, "type": "Discrete",
               "description": "Pump fault"}},
]
_TANK = [
    {"name": "Level", "type": "double", "value": 0.0, "historized": True,
     "behaviour": {"kind": "ramp", "minimum": 0, "maximum": 100, "step": 2.5}},
    {"name": "HiLimit", "type": "double", "value": 80.0, "security": "Tune"},
    {"name": "HiHiLimit", "type": "double", "value": 95.0, "security": "Tune"},
    {"name": "Level.Hi", "type": "bool", "value": False,
     "alarm": {"kind": "hi", "source": "Level", "limit": "HiLimit", "severity": 500,
               "type": "Hi", "description": "Tank level high"}},
    {"name": "Level.HiHi", "type": "bool", "value": False,
     "alarm": {"kind": "hi", "source": "Level", "limit": "HiHiLimit", "severity": 100,
               "type": "HiHi", "description": "Tank level high-high"}},
]


def demo_spec(objects: int = 10) -> dict[str, Any]:
    """The demo galaxy with `objects` pumps and tanks (pumps get the odd one)."""
    pumps, tanks = (objects + 1) // 2, objects // 2
    objs: list[dict[str, Any]] = [
        {"tag_name": "TestChildObject", "area": "Area_Test", "template": "$TestChild"}
    ]
    objs += [
        {"tag_name": f"TestMachine_{i:03d}", "area": "Area_Test", "template": "$TestMachine"}
        for i in range(1, 7)
    ]
    objs += [{"tag_name": f"Pump{i:03d}", "area": "Area_Pumps", "template": "$Pump"}
             for i in range(1, pumps + 1)]
    objs += [{"tag_name": f"Tank{i:03d}", "area": "Area_Tanks", "template": "$Tank"}
             for i in range(1, tanks + 1)]
    return {
        "name": "Galaxy",
        "platform": "GR_Platform",
        "engine": "AppEngine_001",
        "areas": ["Area_Pumps", "Area_Tanks", "Area_Test"],
        "templates": {
            "$TestChild": {"attributes": _TEST_CHILD},
            "$TestMachine": {"attributes": [
                {"name": "TestChangingInt", "type": "int", "value": 0,
                 "behaviour": {"kind": "counter"}}]},
            "$Pump": {"attributes": _PUMP},
            "$Tank": {"attributes": _TANK},
        },
        "objects": objs,
    }
