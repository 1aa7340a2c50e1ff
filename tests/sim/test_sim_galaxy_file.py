"""A user's galaxy file, seeds, and scaling the demo galaxy."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from simkit import connected, mx, pb

from mxgw.sim import SimOptions, Simulator
from mxgw.sim._galaxy_file import GalaxyFileError, load_file

VALVES = {
    "name": "Plant",
    "areas": ["Area_A", {"name": "Area_B", "parent": "Area_A"}],
    "templates": {"$Valve": {"attributes": [
        {"name": "Open", "type": "bool", "value": False, "historized": True},
        {"name": "Position", "type": "double", "value": 0,
         "behaviour": {"kind": "ramp", "minimum": 0, "maximum": 100, "step": 30, "phase": 0}},
        {"name": "Position.Hi", "type": "bool", "value": False,
         "alarm": {"kind": "hi", "source": "Position", "limit": 50, "severity": 400}}]}},
    "objects": [{"tag_name": "Valve001", "area": "Area_B", "template": "$Valve",
                 "attributes": [{"name": "Tag", "type": "string", "value": "V-1",
                                 "security": "ViewOnly"},
                                {"name": "Opened", "type": "time",
                                 "value": "2025-05-01T12:00:00Z"}]}],
}


@pytest.mark.asyncio
async def test_user_galaxy_file(tmp_path: Path) -> None:
    path = tmp_path / "plant.json"
    path.write_text(json.dumps(VALVES))
    async with connected(galaxy_file=str(path)) as gw:
        session_id, server, _ = await gw.subscribe("Valve001.Position")
        gw.control.tick(2)  # 30, 60: over the limit
        events = await gw.drain_until(session_id, 3)
        assert [e.value.double_value for e in events] == [0.0, 30.0, 60.0]
        alarms = [s async for s in gw.stub.QueryActiveAlarms(
            pb.QueryActiveAlarmsRequest(), metadata=gw.metadata)]
        assert [a.alarm_full_reference for a in alarms] == ["Plant!Area_B.Valve001.Position.Hi"]
        tag = await gw.add(session_id, server, "Valve001.Tag")
        await gw.advise(session_id, server, tag)
        await gw.write(session_id, server, tag, mx(string_value="x"))
        complete = [e for e in await gw.drain_until(session_id, 2)
                    if e.family == pb.MX_EVENT_FAMILY_ON_WRITE_COMPLETE]
        assert complete[0].statuses[0].detail == 1007
        assert gw.control.get_value("Valve001.Opened") == "2025-05-01T12:00:00+00:00"


@pytest.mark.parametrize(("change", "named"), [
    ({"objects": [{"tag_name": "V", "template": "$Nope"}]}, "unknown template '\\$Nope'"),
    ({"templates": {"$Valve": {"base": "$Typo"}}}, "unknown template '\\$Typo'"),
    ({"objects": [{"tag_name": "V", "attributes": [{"name": "A", "type": "complex"}]}]},
     "'complex'"),
    ({"objects": [{"tag_name": "V"}, {"tag_name": "v"}]}, "duplicate tag name 'v'"),
    ({"objects": [{"tag_name": "V", "area": "Area_Missing"}]}, "'Area_Missing'"),
    ({"areas": [], "objects": "nope"}, "invalid galaxy spec"),
])
def test_invalid_galaxy_files_name_the_problem(tmp_path: Path, change: dict[str, object],
                                               named: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({**VALVES, **change}))
    with pytest.raises(GalaxyFileError, match=named):
        load_file(path)


def test_unreadable_galaxy_file_is_a_galaxy_file_error(tmp_path: Path) -> None:
    with pytest.raises(GalaxyFileError, match="cannot read"):
        load_file(tmp_path / "missing.json")


def _values_after_ticks(seed: int) -> list[object]:
    sim = Simulator(SimOptions(tick_interval=None, seed=seed))
    sim.galaxy.tick(3)
    control_tags = ["Pump001.Speed", "Pump002.FlowRate", "Tank001.Level"]
    values = []
    for tag in control_tags:
        attr = sim.galaxy.attribute(tag)
        assert attr is not None
        attr.refresh()
        values.append(attr.value)
    return values


def test_seed_makes_values_repeatable() -> None:
    assert _values_after_ticks(7) == _values_after_ticks(7)
    assert _values_after_ticks(7) != _values_after_ticks(8)


def test_ten_thousand_objects_build_and_tick() -> None:
    started = time.perf_counter()
    sim = Simulator(SimOptions(objects=10_000, tick_interval=None))
    sim.galaxy.tick()
    assert sim.galaxy.object("Pump5000") and sim.galaxy.object("Tank5000")
    assert sim.galaxy.size["objects"] == 10_000 + 7 + 3 + 2
    # Not a timing assertion: printed for the record when run with -s.
    print(f"10,000 objects built and ticked in {time.perf_counter() - started:.2f} s")


def test_explicit_phase_is_kept() -> None:
    from mxgw.sim._galaxy_file import build

    spec = {"objects": [{"tag_name": "V", "attributes": [
        {"name": "P", "type": "double", "value": 0,
         "behaviour": {"kind": "ramp", "step": 30, "phase": 10}}]}]}
    galaxy = build(spec)
    galaxy.tick()
    attr = galaxy.attribute("V.P")
    assert attr is not None
    attr.refresh()
    assert attr.value == 40.0
