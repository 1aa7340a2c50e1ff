"""`session.wait_for(tags, condition)` against the simulator (values move only when the
test sets them: tick_interval=None)."""

from __future__ import annotations

import asyncio

import pytest

import mxgw
from mxgw.testing import RunningSimulator

INT = "TestChildObject.TestInt"
STRING = "TestChildObject.TestString"
BOUND = 30.0  # seconds: an upper bound on a wait that must succeed, never an assertion


async def _advised(session: mxgw.Session, tag: str) -> bool:
    """Whether `tag` is still advised in the session (ReadBulk answers advised items from
    the cache)."""
    server = await session.default_server()
    return (await session.read_bulk(server, [tag]))[0].was_cached


@pytest.mark.asyncio
async def test_a_condition_that_already_holds_returns_the_current_value(
        session: mxgw.Session, sim: RunningSimulator) -> None:
    sim.control.set_value(INT, 42)
    change = await session.wait_for(INT, "value == 42", timeout=BOUND)
    assert (change.tag, change.value.value, change.value.quality) == (INT, 42, 192)
    assert not await _advised(session, INT)


@pytest.mark.asyncio
async def test_waits_for_a_later_change(session: mxgw.Session, sim: RunningSimulator) -> None:
    sim.control.set_value(INT, 1)
    seen: list[mxgw.DataChange] = []

    def step(change: mxgw.DataChange) -> None:
        seen.append(change)
        sim.control.set_value(INT, change.value.value + 1)   # 1, 2, 3, ...

    condition = mxgw.Condition.parse("value >= 4 and quality == Good")
    change = await session.wait_for([INT], condition, timeout=BOUND, on_change=step)
    assert change.value.value == 4
    assert [c.value.value for c in seen] == [1, 2, 3, 4]
    assert seen[-1] is change
    assert not await _advised(session, INT)


@pytest.mark.asyncio
async def test_several_tags_are_evaluated_per_change(session: mxgw.Session,
                                                     sim: RunningSimulator) -> None:
    sim.control.set_value(INT, 0)
    sim.control.set_value(STRING, "idle")
    seen: list[tuple[str, object]] = []

    def step(change: mxgw.DataChange) -> None:
        seen.append((change.tag, change.value.value))
        if len(seen) == 2:            # both current values are in
            sim.control.set_value(INT, 9)       # value == 9, but the wrong tag
        if change.tag == INT and change.value.value == 9:
            sim.control.set_value(STRING, "9")  # the right tag, but a string
        if change.tag == STRING and change.value.value == "9":
            sim.control.set_value(STRING, "done")

    change = await session.wait_for(
        [INT, STRING], f"tag == '{STRING.lower()}' and value == 'done' or "
                       f"tag == '{STRING}' and value == 9", timeout=BOUND, on_change=step)
    assert (change.tag, change.value.value) == (STRING, "done")
    assert (INT, 9) in seen and (STRING, "9") in seen


@pytest.mark.asyncio
async def test_quality_good_includes_local_override(session: mxgw.Session,
                                                    sim: RunningSimulator) -> None:
    sim.control.set_value(INT, 3, quality=0x40)

    def step(change: mxgw.DataChange) -> None:
        if change.value.quality == 0x40:
            sim.control.set_value(INT, 3, quality=216)   # Good: local override

    change = await session.wait_for(INT, "quality == Good", timeout=BOUND, on_change=step)
    assert (change.value.quality, change.value.quality_text) == (216, "Good: local override")


@pytest.mark.asyncio
async def test_timeout_raises_and_unsubscribes(session: mxgw.Session,
                                               sim: RunningSimulator) -> None:
    sim.control.set_value(INT, 7)
    with pytest.raises(mxgw.MxGatewayConditionTimeoutError) as caught:
        # Long enough for the current value to arrive on a loaded machine (0.2 s was not).
        await session.wait_for(INT, "value == 8", timeout=2)
    error = caught.value
    assert isinstance(error, TimeoutError) and isinstance(error, mxgw.MxGatewayError)
    assert error.changes == 1 and error.last is not None and error.last.value.value == 7
    assert str(error) == (f"value == 8 did not hold within 2 s "
                          f"(1 change, last {INT} = 7 (Good))")
    assert not await _advised(session, INT)
    # The session is fine afterwards.
    assert (await session.read(INT))[INT].value == 7


@pytest.mark.asyncio
async def test_max_changes_gives_up_after_that_many(session: mxgw.Session,
                                                    sim: RunningSimulator) -> None:
    sim.control.set_value(INT, 7)
    # max_changes=1: only the current values are looked at ("does it hold now?").
    assert (await session.wait_for(INT, "value == 7", timeout=None, max_changes=1)
            ).value.value == 7
    with pytest.raises(mxgw.MxGatewayConditionTimeoutError) as caught:
        await session.wait_for([INT, STRING], "value == 8", timeout=None, max_changes=2)
    assert caught.value.changes == 2
    assert str(caught.value).startswith("value == 8 did not hold in 2 changes (last ")
    assert not await _advised(session, INT) and not await _advised(session, STRING)


@pytest.mark.asyncio
async def test_bad_conditions_are_refused_before_subscribing(session: mxgw.Session) -> None:
    with pytest.raises(mxgw.ConditionError, match="position 8"):
        await session.wait_for(INT, "value >", timeout=1)
    with pytest.raises(mxgw.ConditionError, match="'No.Such' is not one of the watched tags"):
        await session.wait_for(INT, "tag == 'No.Such' and value == 1", timeout=1)
    with pytest.raises(ValueError, match="timeout"):
        await session.wait_for(INT, "value == 1", timeout=0)
    with pytest.raises(ValueError, match="max_changes"):
        await session.wait_for(INT, "value == 1", timeout=1, max_changes=-1)
    # Nothing was registered: the session's convenience server handle does not exist yet.
    assert session._tags._server is None


@pytest.mark.asyncio
async def test_session_closed_while_waiting(session: mxgw.Session) -> None:
    closing: list[asyncio.Task[str]] = []

    def close(change: mxgw.DataChange) -> None:
        closing.append(asyncio.get_running_loop().create_task(session.close()))

    with pytest.raises(mxgw.MxGatewaySessionError, match="event stream ended"):
        await session.wait_for(INT, "value == -1", timeout=BOUND, on_change=close)
    assert await closing[0] == "CLOSED"


@pytest.mark.asyncio
async def test_cancelling_the_wait_unsubscribes(session: mxgw.Session) -> None:
    started = asyncio.Event()
    task = asyncio.create_task(session.wait_for(INT, "value == -1", timeout=None,
                                                on_change=lambda change: started.set()))
    await asyncio.wait_for(started.wait(), BOUND)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert not await _advised(session, INT)
