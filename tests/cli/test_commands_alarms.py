"""Alarm commands against a simulator whose values change only when the test says so."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cli_harness import Cli, SimThread

HIHI = "Galaxy!Area_Tanks.Tank001.Level.HiHi"


@pytest.fixture(scope="module")
def sim() -> Iterator[SimThread]:
    thread = SimThread(tick_interval=None)
    try:
        thread.control("set_value", "Tank001.Level", 99.0)
        yield thread
    finally:
        thread.stop()


def test_query_active_alarms(cli: Cli) -> None:
    lines = cli.ok("query-active-alarms", "--prefix", "Galaxy!Area_Tanks.Tank001").lines
    references = [a["alarmFullReference"] for a in lines]
    assert HIHI in references
    collected = cli.ok("query-active-alarms", "--collect").doc
    assert {a["alarmFullReference"] for a in collected} >= {HIHI}


def test_stream_alarms_snapshot_then_complete(cli: Cli) -> None:
    lines = cli.ok("stream-alarms", "--prefix", "Galaxy!Area_Tanks.Tank001",
                   "--max-messages", "3", "--duration", "5").lines
    kinds = [next(k for k in ("activeAlarm", "snapshotComplete", "providerStatus",
                              "transition") if k in m) for m in lines]
    assert kinds[0] == "activeAlarm" and "snapshotComplete" in kinds


def test_alarms_task_and_follow(cli: Cli) -> None:
    assert any(a["alarmFullReference"] == HIHI for a in cli.ok("alarms").lines)
    followed = cli.ok("alarms", "--follow", "--count", "2").lines
    assert len(followed) == 2


def test_acknowledge_alarm_dry_run_audit_and_ack(cli: Cli) -> None:
    dry = cli.ok("acknowledge-alarm", "--reference", HIHI, "--comment", "checked",
                 "--operator", "operator", "--dry-run").doc
    assert dry["dryRun"] is True and dry["reference"] == HIHI
    done = cli.ok("acknowledge-alarm", "--reference", HIHI, "--comment", "checked",
                  "--operator", "operator").doc
    assert done["ok"] is True
    again = cli.ok("ack", HIHI, "--comment", "again").doc
    assert again["ok"] is True
    states = {a["alarmFullReference"]: a["conditionState"]
              for a in cli.ok("query-active-alarms").lines}
    assert states[HIHI] == "ALARM_CONDITION_STATE_ACTIVE_ACKED"
    audit = cli.audit()
    assert [(a["action"], a["outcome"]) for a in audit] == [
        ("acknowledge-alarm", "dry-run"), ("acknowledge-alarm", "ok"),
        ("acknowledge-alarm", "ok")]
    assert cli.sim.api_key not in (cli.home / "audit.jsonl").read_text()


def test_no_audit(cli: Cli) -> None:
    cli.ok("ack", HIHI, "--no-audit")
    assert cli.audit() == []


def test_ack_with_a_read_only_key_is_exit_4(cli: Cli) -> None:
    cli.monkeypatch.setenv("MXGATEWAY_API_KEY", cli.sim.read_only_api_key)
    result = cli("ack", HIHI)
    assert result.code == 4
    assert result.error["grpcCode"] == "PERMISSION_DENIED"
    assert cli.sim.read_only_api_key not in result.err
