"""Results shown compactly: tag values as one line, messages without text dumps."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

import mxgw
from mxgw import DataChange, TagValue, _errors
from mxgw._proto import gateway_pb2
from mxgw.repl._display import format_error, format_result, scrub_secrets
from mxgw.testing import run_simulator


def _Value(value: Any, data_type: str, quality: int, quality_text: str,
           timestamp: dt.datetime | None, error: str | None = None) -> TagValue:
    return TagValue(value, data_type, quality, quality_text, timestamp, error=error)


STAMP = dt.datetime(2026, 11, 21, 0, 41, 2, 123000, tzinfo=dt.UTC)


def test_tag_value_is_one_line() -> None:
    text = format_result(_Value(42, "Integer", 192, "Good", STAMP))
    assert text == "42  Integer  Good  2026-11-21T00:41:02.123Z"


def test_dict_of_tag_values_is_aligned_by_column() -> None:
    text = format_result({
        "TestChildObject.TestInt": _Value(42, "Integer", 192, "Good", STAMP),
        "Pump001.Speed": _Value(1.5, "Double", 0, "Bad: not connected", None),
    })
    assert text.splitlines() == [
        "TestChildObject.TestInt  42   Integer  Good                2026-11-21T00:41:02.123Z",
        "Pump001.Speed            1.5  Double   Bad: not connected  -",
    ]


def test_message_is_compact_and_named() -> None:
    reply = gateway_pb2.OpenSessionReply(session_id="session-1", backend_name="mxaccess-worker")
    text = format_result(reply)
    assert text == 'OpenSessionReply{"session_id": "session-1", "backend_name": "mxaccess-worker"}'
    assert "\n" not in text


def test_password_fields_in_messages_are_redacted() -> None:
    command = gateway_pb2.AuthenticateUserCommand(
        server_handle=1, user_name="operator", password="operator-pw")
    text = format_result(command)
    assert "operator-pw" not in text and "<redacted>" in text


def test_api_keys_in_plain_values_are_redacted() -> None:
    assert "SECRET" not in format_result({"k": "mxgw_ab12_SECRETSECRET"})
    assert scrub_secrets({"apiKey": "x", "nested": [{"password": "y"}]}) == {
        "apiKey": "<redacted>", "nested": [{"password": "<redacted>"}]}


def test_gateway_error_line_carries_codes() -> None:
    error = _errors.MxAccessError("write refused", hresult=-2147467259,
                                  protocol_status="PROTOCOL_STATUS_CODE_MXACCESS_FAILURE")
    assert format_error(error) == (
        "MxAccessError: write refused "
        "(status=PROTOCOL_STATUS_CODE_MXACCESS_FAILURE, hresult=0x80004005)")


def test_cancellation_is_one_word() -> None:
    assert format_error(asyncio.CancelledError()) == "cancelled"


def test_messages_nested_in_containers_are_compact_too() -> None:
    reply = gateway_pb2.OpenSessionReply(session_id="session-1")
    text = format_result([(reply, True)])
    assert text == '[(OpenSessionReply{"session_id": "session-1"}, True)]'


def test_failed_read_shows_its_error() -> None:
    value = _Value(None, "UNKNOWN", 0, "Bad", None, error="MX_E_InvalidReference")
    assert format_result(value).endswith("error: MX_E_InvalidReference")


def test_data_change_shows_its_tag() -> None:
    change = DataChange("Pump001.Speed", _Value(42.5, "DOUBLE", 192, "Good", STAMP), 7)
    assert format_result(change) == "Pump001.Speed  42.5  DOUBLE  Good  2026-11-21T00:41:02.123Z"


def test_zero_hresult_is_not_shown() -> None:
    error = _errors.MxAccessError("write Pump001.Model failed: MX_E_NotWriteable", hresult=0)
    assert format_error(error) == "MxAccessError: write Pump001.Model failed: MX_E_NotWriteable"


# ------------------------------------------------------------------ records from the simulator

STAMP_PATTERN = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"


@pytest_asyncio.fixture
async def session() -> AsyncIterator[Any]:
    async with run_simulator(tick_interval=None) as sim:
        options = mxgw.ClientOptions(sim.endpoint, api_key=sim.api_key, plaintext=True)
        async with (await mxgw.GatewayClient.connect(options) as client,
                    await client.open_session(name="display-test") as opened):
            opened.sim = sim
            opened.client = client
            yield opened


def _columns(line: str) -> list[str]:
    return re.split(r"\s{2,}", line.strip())


def _starts(lines: list[str], column: int) -> set[int]:
    """Where column `column` starts on each line (one value when they are aligned)."""
    found = set()
    for line in lines:
        spans = [m.start() for m in re.finditer(r"(?:^|(?<=\s\s))\S", line)]
        found.add(spans[column])
    return found


@pytest.mark.asyncio
async def test_active_alarms_print_one_aligned_line_each(session: Any) -> None:
    session.sim.control.set_value("Tank001.Level", 97.0)
    session.sim.control.set_value("Pump001.PumpFault", True)
    alarms = [a async for a in session.client.query_active_alarms()]
    lines = format_result(alarms).splitlines()
    assert len(lines) == len(alarms) == 3
    by_reference = {_columns(line)[0]: _columns(line) for line in lines}
    hihi = by_reference["Galaxy!Area_Tanks.Tank001.Level.HiHi"]
    assert hihi[1:4] == ["ACTIVE", "severity 100", "97.0 vs limit 95.0"]
    assert re.fullmatch(STAMP_PATTERN, hihi[4])
    assert by_reference["Galaxy!Area_Pumps.Pump001.PumpFault"][1:4] == [
        "ACTIVE", "severity 300", "True"]
    for column in range(5):
        assert len(_starts(lines, column)) == 1, lines
    # One alarm alone is the same single line.
    assert _columns(format_result(alarms[0])) == _columns(lines[0])


@pytest.mark.asyncio
async def test_alarm_feed_messages_are_one_line_each(session: Any) -> None:
    session.sim.control.set_value("Tank001.Level", 97.0)
    feed = session.client.stream_alarms(prefix="Galaxy!Area_Tanks.Tank001.Level.HiHi")
    messages = []
    try:
        async for message in feed:
            messages.append(message)
            kind = mxgw.alarm_feed_kind(message)
            if kind == "snapshot_complete":
                # A transition: acknowledging the alarm.
                await session.client.acknowledge_alarm(
                    "Galaxy!Area_Tanks.Tank001.Level.HiHi", comment="seen", operator="jdoe")
            if kind == "transition":
                break
    finally:
        await feed.aclose()
    lines = [format_result(m) for m in messages]
    assert all("\n" not in line for line in lines)
    kinds = [mxgw.alarm_feed_kind(m) for m in messages]
    text = dict(zip(kinds, lines))
    assert _columns(text["active_alarm"])[:3] == [
        "Galaxy!Area_Tanks.Tank001.Level.HiHi", "ACTIVE", "severity 100"]
    assert text["snapshot_complete"] == "snapshot complete"
    transition = _columns(text["transition"])
    assert transition[:4] == ["Galaxy!Area_Tanks.Tank001.Level.HiHi",
                              "ACKNOWLEDGE -> ACTIVE_ACKED", "severity 100",
                              "97.0 vs limit 95.0"]
    assert transition[-1] == "by jdoe: seen"
    if "provider_status" in text:
        assert _columns(text["provider_status"])[0] == "alarm provider"


@pytest.mark.asyncio
async def test_bulk_results_print_as_aligned_rows(session: Any) -> None:
    server = await session.register("display-test")
    subscribed = await session.subscribe_bulk(server, ["Pump001.Speed", "TestChildObject.TestInt"])
    lines = format_result(subscribed).splitlines()
    assert [_columns(line) for line in lines] == [
        ["Pump001.Speed", f"item {subscribed[0].item_handle}", "ok"],
        ["TestChildObject.TestInt", f"item {subscribed[1].item_handle}", "ok"]]
    assert len(_starts(lines, 1)) == 1

    read = await session.read_bulk(server, ["Pump001.Speed", "Pump001.Model", "No.Such.Tag"])
    lines = format_result(read).splitlines()
    assert len(lines) == 3, lines
    speed, model, bad = (_columns(line) for line in lines)
    assert speed[0] == "Pump001.Speed" and speed[2:4] == ["DOUBLE", "Good"]
    assert speed[5] == f"item {read[0].item_handle} (cached)"
    assert model[:4] == ["Pump001.Model", "'PX-200'", "STRING", "Good"]
    assert model[5] == "item 0"
    assert bad[0] == "No.Such.Tag" and bad[-1].startswith("error: ")
    for column in range(5):
        assert len(_starts(lines, column)) == 1, lines

    written = await session.write_bulk(server, {subscribed[1].item_handle: 5, 999: 6})
    lines = format_result(written).splitlines()
    assert _columns(lines[0]) == [f"item {subscribed[1].item_handle}", "ok"]
    assert _columns(lines[1])[0] == "item 999" and _columns(lines[1])[1].startswith("failed: ")


@pytest.mark.asyncio
async def test_data_changes_and_a_list_of_reads(session: Any) -> None:
    changes = session.subscribe(["TestChildObject.TestInt", "TestChildObject.TestString"])
    try:
        first = [await anext(changes), await anext(changes)]
    finally:
        await changes.aclose()
    lines = format_result(first).splitlines()
    assert {_columns(line)[0] for line in lines} == {"TestChildObject.TestInt",
                                                     "TestChildObject.TestString"}
    assert len(_starts(lines, 1)) == 1
    # asyncio.gather of single reads gives a list of TagValue: rows too.
    values = list((await session.read("TestChildObject.TestInt", "Pump001.Model")).values())
    assert [_columns(line)[1] for line in format_result(values).splitlines()] == [
        "INTEGER", "STRING"]


def test_record_cells_are_redacted() -> None:
    value = _Value("mxgw_ab12_SECRETSECRETSECRET", "STRING", 192, "Good", STAMP)
    text = format_result([value, value])
    assert "SECRET" not in text and "<redacted>" in text
