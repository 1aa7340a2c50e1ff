"""read / write_tag / subscribe: the tag-name conveniences, over real gRPC."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime, timedelta

import pytest

import mxgw
from mxgw.testing import RunningSimulator

INT = "TestChildObject.TestInt"


@pytest.mark.asyncio
async def test_read_returns_records_keyed_by_tag_in_order(session: mxgw.Session,
                                                          sim: RunningSimulator) -> None:
    sim.control.set_value("Pump001.Speed", 12.5)
    values = await session.read("Pump001.Speed", [INT, "No.Such"])
    assert list(values) == ["Pump001.Speed", INT, "No.Such"]
    speed = values["Pump001.Speed"]
    assert (speed.value, speed.data_type, speed.quality_text, speed.ok) == (12.5, "DOUBLE",
                                                                            "Good", True)
    assert speed.timestamp is not None and speed.timestamp.tzinfo is not None
    missing = values["No.Such"]
    assert not missing.ok and missing.statuses[0].detail_name == "MX_E_InvalidReference"
    assert missing.to_dict()["ok"] is False
    with pytest.raises(ValueError):
        await session.read()


@pytest.mark.asyncio
async def test_read_chunks_large_lists(session: mxgw.Session) -> None:
    tags = [f"TestMachine_00{i % 6 + 1}.TestChangingInt" for i in range(6)] * 200  # 1200
    values = await session.read(tags)
    assert len(values) == 6 and all(v.ok for v in values.values())


@pytest.mark.asyncio
async def test_write_tag_waits_for_completion(session: mxgw.Session,
                                              sim: RunningSimulator) -> None:
    await session.write_tag(INT, 42)
    assert sim.control.get_value(INT) == 42
    await session.write_tag(INT, "43", data_type="int32")
    assert sim.control.get_value(INT) == 43
    await session.write_tag("TestChildObject.TestIntArray[2]", 99)
    assert sim.control.get_value("TestChildObject.TestIntArray")[1] == 99
    await session.write_tag("TestChildObject.TestElapsed", timedelta(seconds=3))
    when = datetime(2026, 3, 1, 12, tzinfo=UTC)
    await session.write_tag("TestChildObject.TestDateTime", when)
    assert (await session.read("TestChildObject.TestDateTime"))[
        "TestChildObject.TestDateTime"].value == when


@pytest.mark.parametrize("tag, value, detail", [
    ("Pump001.Model", "x", "MX_E_NotWriteable"),
    ("Pump001.SetPoint", 1.0, "MX_E_SecuredWrite"),
    ("TestChildObject.TestIntArray[9]", 1, "MX_E_IndexOutOfRange"),
    ("No.Such", 1, "MX_E_InvalidReference"),
])
@pytest.mark.asyncio
async def test_write_tag_failures_are_mxaccess_errors(session: mxgw.Session, tag: str,
                                                      value: object, detail: str) -> None:
    with pytest.raises(mxgw.MxAccessError) as info:
        await session.write_tag(tag, value)
    assert [s.detail_name for s in info.value.statuses] == [detail]
    assert detail in str(info.value)


@pytest.mark.asyncio
async def test_subscribe_yields_changes_with_tag_names(session: mxgw.Session,
                                                       sim: RunningSimulator) -> None:
    tags = ["TestMachine_001.TestChangingInt", INT]
    changes: list[mxgw.DataChange] = []
    async with contextlib.aclosing(session.subscribe(tags)) as stream:
        async for change in stream:
            changes.append(change)
            if len(changes) == 2:
                sim.control.set_value(INT, 5)
            if len(changes) == 3:
                break
    assert {c.tag for c in changes[:2]} == set(tags)  # current values first
    assert (changes[2].tag, changes[2].value.value) == (INT, 5)
    assert changes[2].sequence > changes[1].sequence
    # write_tag shares the session's one event stream with subscribe
    async with contextlib.aclosing(session.subscribe(INT)) as stream:
        first = await anext(stream)
        assert first.value.value == 5
        await session.write_tag(INT, 6)
        assert (await anext(stream)).value.value == 6


@pytest.mark.asyncio
async def test_subscribe_ends_when_the_session_closes(session: mxgw.Session) -> None:
    seen = []
    async for change in session.subscribe(INT):
        seen.append(change)
        await session.close()
    assert len(seen) == 1


@pytest.mark.asyncio
async def test_concurrent_write_tags_each_get_their_completion(
        session: mxgw.Session, sim: RunningSimulator) -> None:
    await asyncio.gather(*(session.write_tag(INT, v) for v in range(1, 6)))
    assert sim.control.get_value(INT) == 5  # input order kept per tag


@pytest.mark.asyncio
async def test_write_tag_secured_and_verified(session: mxgw.Session,
                                              sim: RunningSimulator) -> None:
    server = await session.default_server()
    operator = await session.authenticate_user(server, "operator", "operator-pw")
    supervisor = await session.authenticate_user(server, "supervisor", "supervisor-pw")
    await session.write_tag("Pump001.SetPoint", 61.5, current_user_id=operator)
    assert sim.control.get_value("Pump001.SetPoint") == 61.5
    await session.write_tag("Pump001.SetPoint", 62.0, current_user_id=operator,
                            verifier_user_id=supervisor)
    assert sim.control.get_value("Pump001.SetPoint") == 62.0


@pytest.mark.asyncio
async def test_write_and_wait_with_own_handles(session: mxgw.Session,
                                               sim: RunningSimulator) -> None:
    server = await session.register("own")
    item = await session.add_item(server, INT)
    await session.advise(server, item)
    await session.write_and_wait(server, item, lambda: session.write(server, item, 8))
    assert sim.control.get_value(INT) == 8
    model = await session.add_item(server, "Pump001.Model")
    await session.advise(server, model)
    with pytest.raises(mxgw.MxAccessError, match="write model failed: .*MX_E_NotWriteable"):
        await session.write_and_wait(server, model, lambda: session.write(server, model, "x"),
                                     label="write model")


@pytest.mark.asyncio
async def test_a_subscription_of_a_lost_session_ends_without_a_warning(
        session: mxgw.Session, sim: RunningSimulator, caplog: pytest.LogCaptureFixture) -> None:
    # The worker died: unsubscribing cannot work and need not, so it is no warning
    # (it would print above the REPL's prompt after every gateway restart).
    caplog.set_level(logging.INFO, logger="mxgw")
    changes = session.subscribe(INT)
    await anext(changes)
    sim.control.fault_session(session.session_id)
    with pytest.raises(mxgw.MxGatewaySessionError, match="FAILED_PRECONDITION"):
        await anext(changes)
    unsubscribing = [r for r in caplog.records if "unsubscribing" in r.getMessage()]
    assert [r.levelno for r in unsubscribing] == [logging.INFO]
    assert "FAILED_PRECONDITION" in unsubscribing[0].getMessage()
