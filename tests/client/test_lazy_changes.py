"""subscribe()'s DataChanges are lazy (mxgw._frozen.FromMessage): `tag` and `sequence` set,
`value` read from the event on first use. For a user they are the record the constructor
makes: compared here, unread each time, over real gRPC with the simulator."""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import json
import pickle
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import Any

import pytest
from google.protobuf.timestamp_pb2 import Timestamp

import mxgw
from mxgw._changes import DataChange, lazy_data_change
from mxgw._json import dumps, to_jsonable
from mxgw._rpc._contract import Contract
from mxgw._rpc._records import change_reader, tag_value
from mxgw._until import Condition
from mxgw._values import TagValue
from mxgw.repl._rows import format_row
from mxgw.sim import _events as sim_events
from mxgw.testing import RunningSimulator

# Scalars of every kind the simulator has (hash() needs a hashable value: no arrays).
SCALARS = ["TestChildObject.TestInt", "TestChildObject.TestDouble",
           "TestChildObject.TestString", "TestChildObject.TestBool",
           "TestChildObject.TestDateTime", "TestChildObject.TestFloat",
           "TestChildObject.TestElapsed"]
ARRAY = "TestChildObject.TestIntArray"


async def _first_changes(session: mxgw.Session, tags: list[str]) -> list[DataChange]:
    """The current value of each tag, as subscribe() yields it (unread)."""
    async with contextlib.aclosing(session.subscribe(tags)) as changes:
        return [await anext(changes) for _ in tags]


def _unread(change: DataChange) -> Callable[[], DataChange]:
    """A maker of fresh unread copies of `change` (reading one fills it)."""
    held = vars(change)
    message, read = held["_message"], held["_read"]
    return lambda: lazy_data_change(change.tag, change.sequence, message, read)


def _eager(change: DataChange, value: TagValue) -> DataChange:
    """The record the constructors make for the same change."""
    fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(TagValue)}
    return DataChange(change.tag, TagValue(**fields), change.sequence)


@pytest.mark.asyncio
async def test_an_unread_data_change_is_the_record_the_constructor_makes(
        session: mxgw.Session) -> None:
    changes = await _first_changes(session, SCALARS)
    values = await session.read(SCALARS)  # the same current values, read eagerly
    assert [c.tag for c in changes] == SCALARS  # tag set without reading the value
    for change in changes:
        assert "_message" in vars(change)  # the tag (and sequence) did not read it
        unread = _unread(change)
        made = _eager(change, values[change.tag])
        assert isinstance(unread(), DataChange) and isinstance(unread().value, TagValue)
        assert dataclasses.is_dataclass(unread())
        assert dataclasses.fields(unread()) == dataclasses.fields(made)
        assert unread() == made and made == unread()
        assert hash(unread()) == hash(made)
        assert repr(unread()) == repr(made)
        assert dataclasses.asdict(unread()) == dataclasses.asdict(made)
        assert dataclasses.astuple(unread()) == dataclasses.astuple(made)
        assert dataclasses.replace(unread(), sequence=99) == dataclasses.replace(
            made, sequence=99)
        assert dataclasses.replace(unread(), tag="X").value == made.value
        assert vars(copy.copy(unread())) == vars(made)  # fields, no message
        assert copy.deepcopy(unread()) == made
        assert pickle.loads(pickle.dumps(unread())) == made
        assert "_message" not in vars(pickle.loads(pickle.dumps(unread())))
        # The record printer (the CLI's `watch` lines) and to_jsonable (--pretty, the
        # REPL) print the same bytes as for the eager record.
        assert dumps(unread()) == dumps(made)
        assert dumps(unread(), pretty=True) == dumps(made, pretty=True)
        assert json.dumps(to_jsonable(unread())) == json.dumps(to_jsonable(made))
        assert format_row(unread()) == format_row(made)  # the REPL's watch line
        for text in ("quality == Good", "value > 1", "value == true", f"tag == '{change.tag}'"):
            assert Condition.of(text).holds(unread()) == Condition.of(text).holds(made)
        with pytest.raises(dataclasses.FrozenInstanceError):
            unread().sequence = 1  # type: ignore[misc]
        with pytest.raises(AttributeError, match="no attribute 'missing'"):
            _ = unread().missing  # type: ignore[attr-defined]
        record = unread()
        assert record.value is record.value  # read once, then held
        assert "_message" not in vars(record) and set(vars(record)) == {
            "tag", "value", "sequence"}


@pytest.mark.asyncio
async def test_lazy_and_eager_changes_print_alike_in_a_stream(
        session: mxgw.Session, sim: RunningSimulator) -> None:
    # The printer compiles a layout after its first records: both ways print alike, also
    # for a mix of types and arrays (the CLI's `watch` bytes do not change).
    tags = [*SCALARS, ARRAY]
    values = await session.read(tags)
    for _ in range(3):
        changes = await _first_changes(session, tags)
        for change in changes:
            made = _eager(change, values[change.tag])
            assert dumps(change) == dumps(made)
            assert change == made


def _out_of_range(when: datetime) -> bytes:
    # A Timestamp beyond year 9999 (protobuf parses it; converting it fails), as the
    # simulator's _stamp encodes one: its length, then the message.
    data = Timestamp(seconds=2**40).SerializeToString()
    return bytes([len(data)]) + data


@pytest.mark.asyncio
async def test_a_value_that_cannot_be_read_fails_at_first_read_with_its_own_error(
        session: mxgw.Session, monkeypatch: pytest.MonkeyPatch) -> None:
    # The simulator stamps the change with a source timestamp out of datetime's range.
    # An eager record raised ValueError from the iteration; the lazy one raises the same
    # error where its value is first read (the CLI and REPL print it there, inside the
    # same loop), and again at every read: the record stays unread.
    monkeypatch.setattr(sim_events, "_stamp", _out_of_range)
    tag = "TestChildObject.TestInt"
    (change,) = await _first_changes(session, [tag])
    assert change.tag == tag and change.sequence > 0  # set: no conversion
    message = vars(change)["_message"]
    with pytest.raises(ValueError) as eager:
        tag_value(Contract.builtin(), message)  # what subscribe() made per event before
    for read in (lambda: change.value, lambda: hash(change), lambda: dumps(change),
                 lambda: pickle.dumps(change), lambda: format_row(change)):
        with pytest.raises(ValueError) as lazy:
            read()
        assert str(lazy.value) == str(eager.value)
        assert "_message" in vars(change)


def test_a_record_filled_by_another_thread_meanwhile_still_answers() -> None:
    # A thread misses a field (normal lookup fails), another fills the record before the
    # first reaches __getattr__: the first must find the field, not AttributeError.
    from mxgw._proto import gateway_pb2 as pb

    change = lazy_data_change("A.B", 3, pb.MxEvent(quality=192),
                              change_reader(Contract.builtin()))
    assert change._fill()  # the other thread  # type: ignore[attr-defined]
    value = change.__getattr__("value")  # type: ignore[attr-defined]
    assert value is change.value and value.quality_text == "Good"


async def _values_of(changes: AsyncIterator[DataChange], count: int) -> list[Any]:
    return [(await anext(changes)).value.value for _ in range(count)]


@pytest.mark.asyncio
async def test_subscribe_still_yields_only_its_own_tags(
        session: mxgw.Session, sim: RunningSimulator) -> None:
    # The handle -> tag filter stays eager: changes of another subscription's tags are
    # never made into records here.
    mine, other = "TestChildObject.TestInt", "TestChildObject.TestDouble"
    async with contextlib.aclosing(session.subscribe(mine)) as changes, \
            contextlib.aclosing(session.subscribe(other)) as others:
        await anext(changes)
        await anext(others)
        sim.control.set_value(other, 2.5)
        sim.control.set_value(mine, 41)
        assert await _values_of(others, 1) == [2.5]
        got = await anext(changes)
        assert (got.tag, got.value.value) == (mine, 41)
