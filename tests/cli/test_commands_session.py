"""Session, item, write, bulk and event commands through main() against the simulator."""

from __future__ import annotations

from typing import Any

from cli_harness import Cli


def open_session(cli: Cli) -> str:
    doc = cli.ok("open-session", "--name", "tests").doc
    assert doc["sessionId"].startswith("session-")
    cli.monkeypatch.setenv("MXGW_SESSION_ID", doc["sessionId"])
    return str(doc["sessionId"])


def close_session(cli: Cli, session_id: str) -> None:
    doc = cli.ok("close-session", "--session-id", session_id).doc
    assert doc == {"sessionId": session_id, "finalState": "CLOSED"}


def test_ping(cli: Cli) -> None:
    doc = cli.ok("ping").doc
    assert doc["ok"] is True
    assert doc["transport"].startswith("plaintext")
    assert doc["endpoint"] == f"http://{cli.sim.endpoint}"


def test_endpoint_sim_runs_its_own_simulator(cli: Cli) -> None:
    doc = cli.ok("ping", "--endpoint", "sim").doc
    assert doc["endpoint"] != f"http://{cli.sim.endpoint}"


def test_smoke(cli: Cli) -> None:
    doc = cli.ok("smoke", "--item", "TestChildObject.TestInt").doc
    assert doc["ok"] is True and doc["serverHandle"] == 1 and doc["itemHandle"] == 1
    assert doc["firstEvent"]["family"] == "MX_EVENT_FAMILY_ON_DATA_CHANGE"


def test_smoke_of_a_bad_item_fails_as_get_does(cli: Cli) -> None:
    # The path worked but the item did not: it said "ok": true and exited 0 before.
    result = cli("smoke", "--item", "No.Such.Tag")
    assert (result.code, result.out) == (7, "")
    message = str(result.error["message"])
    assert "No.Such.Tag is bad: MX_E_InvalidReference (quality 0 Bad)" in message
    assert cli.sim.open_sessions() == 0


def test_item_commands_on_an_open_session(cli: Cli) -> None:
    sid = open_session(cli)
    try:
        assert cli.ok("register", "--client-name", "t").doc == {"sessionId": sid,
                                                                "serverHandle": 1}
        added = cli.ok("add-item", "--server-handle", "1", "--tag",
                       "TestChildObject.TestInt").doc
        assert added == {"serverHandle": 1, "tag": "TestChildObject.TestInt", "itemHandle": 1}
        added2 = cli.ok("add-item2", "--server-handle", "1", "--tag", "Pump001.Speed",
                        "--item-context", "ctx").doc
        assert added2["itemHandle"] == 2
        for command in ("advise", "advise-supervisory", "unadvise", "advise"):
            doc = cli.ok(command, "--server-handle", "1", "--item-handle", "1").doc
            assert doc == {"ok": True, "serverHandle": 1, "itemHandle": 1}
        written = cli.ok("write", "--server-handle", "1", "--item-handle", "1",
                         "--type", "int32", "--value", "42").doc
        assert written["ok"] is True and written["value"] == 42
        cli.ok("write2", "--server-handle", "1", "--item-handle", "1", "--type", "int32",
               "--value", "43", "--timestamp", "2026-01-01T00:00:00Z")
        events = cli.ok("drain-events").doc["events"]
        families = [e["family"] for e in events]
        assert "MX_EVENT_FAMILY_ON_WRITE_COMPLETE" in families
        # proto3 JSON with every field printed: zero values keep their keys.
        assert all(set(e) >= {"sessionId", "family", "workerSequence", "serverHandle",
                              "itemHandle", "quality", "statuses"} for e in events)
        assert cli.sim.control("get_value", "TestChildObject.TestInt") == 43
        cli.ok("remove-item", "--server-handle", "1", "--item-handle", "2")
        cli.ok("unregister", "--server-handle", "1")
    finally:
        close_session(cli, sid)


def test_secured_writes_take_credentials_from_the_environment(cli: Cli) -> None:
    sid = open_session(cli)
    try:
        cli.ok("register")
        cli.ok("add-item", "--server-handle", "1", "--tag", "Pump001.SetPoint")
        cli.ok("advise", "--server-handle", "1", "--item-handle", "1")
        cli.monkeypatch.setenv("MXGW_PASSWORD", "operator-pw")
        user = cli.ok("authenticate-user", "--server-handle", "1", "--user", "operator").doc
        assert user["userId"] > 0
        cli.ok("write-secured", "--server-handle", "1", "--item-handle", "1", "--type",
               "double", "--value", "12.5", "--user", "operator")
        cli.ok("write-secured2", "--server-handle", "1", "--item-handle", "1", "--type",
               "double", "--value", "13.5", "--current-user-id", str(user["userId"]),
               "--timestamp", "now")
        events = cli.ok("drain-events").doc["events"]
        assert "operator-pw" not in str(events)
        audit = cli.audit()
        assert [a["command"] for a in audit] == ["write-secured", "write-secured2"]
        assert "operator-pw" not in str(audit)
    finally:
        close_session(cli, sid)


def test_password_is_never_taken_from_argv(cli: Cli) -> None:
    result = cli("authenticate-user", "--session-id", "session-x", "--server-handle", "1",
                 "--user", "operator", "--password", "operator-pw")
    assert result.code == 2
    assert "operator-pw" not in result.err


def test_missing_password_is_a_usage_error(cli: Cli) -> None:
    cli.monkeypatch.delenv("MXGW_PASSWORD", raising=False)
    result = cli("authenticate-user", "--session-id", "session-x", "--server-handle", "1",
                 "--user", "operator")
    assert result.code == 2 and "MXGW_PASSWORD" in result.error["message"]


def bulk(cli: Cli, *argv: str, stdin: str | None = None) -> list[dict[str, Any]]:
    doc = cli.ok(*argv, stdin=stdin).doc
    assert doc["serverHandle"] == 1
    return doc["results"]  # type: ignore[no-any-return]


def test_bulk_commands(cli: Cli, tmp_path: Any) -> None:
    sid = open_session(cli)
    tags = tmp_path / "tags.txt"
    tags.write_text("TestChildObject.TestInt\nTestChildObject.TestDouble\n")
    try:
        cli.ok("register")
        added = bulk(cli, "add-item-bulk", "--server-handle", "1", f"@{tags}")
        assert [r["itemHandle"] for r in added] == [1, 2]
        assert all(r["wasSuccessful"] for r in added)
        bulk(cli, "advise-item-bulk", "--server-handle", "1", "1", "2")
        read = bulk(cli, "read-bulk", "--server-handle", "1", "TestChildObject.TestInt",
                    "Tank001.Level")
        assert [r["wasCached"] for r in read] == [True, False]
        written = bulk(cli, "write-bulk", "--server-handle", "1", "--type", "int32", "1=7")
        assert written[0]["wasSuccessful"] is True
        bulk(cli, "write2-bulk", "--server-handle", "1", "--type", "double", "2=1.25",
             "--timestamp", "now")
        bulk(cli, "unadvise-item-bulk", "--server-handle", "1", "1", "2")
        bulk(cli, "remove-item-bulk", "--server-handle", "1", "1", "2")
        subscribed = bulk(cli, "subscribe-bulk", "--server-handle", "1", "-",
                          stdin="Pump001.Speed\nPump001.Running\n")
        handles = [str(r["itemHandle"]) for r in subscribed]
        bulk(cli, "unsubscribe-bulk", "--server-handle", "1", *handles)
        cli.monkeypatch.setenv("MXGW_PASSWORD", "operator-pw")
        cli.ok("add-item-bulk", "--server-handle", "1", "Pump001.SetPoint")
        bulk(cli, "write-secured-bulk", "--server-handle", "1", "--type", "double", "1=3",
             "--user", "operator")
        bulk(cli, "write-secured2-bulk", "--server-handle", "1", "--type", "double", "1=4",
             "--user", "operator", "--timestamp", "now")
    finally:
        close_session(cli, sid)


def test_strict_bulk_exits_7_on_a_failed_item(cli: Cli) -> None:
    sid = open_session(cli)
    try:
        cli.ok("register")
        result = cli("read-bulk", "--server-handle", "1", "--strict", "No.Such.Tag")
        assert result.code == 7
        assert result.doc["results"][0]["ok"] is False  # the report is still printed
        assert result.error["type"] == "StrictFailureError"
        assert cli("read-bulk", "--server-handle", "1", "No.Such.Tag").code == 0
    finally:
        close_session(cli, sid)


def test_stream_events_bounded(cli: Cli) -> None:
    sid = open_session(cli)
    try:
        cli.ok("register")
        cli.ok("add-item", "--server-handle", "1", "--tag", "TestMachine_001.TestChangingInt")
        cli.ok("advise", "--server-handle", "1", "--item-handle", "1")
        lines = cli.ok("stream-events", "--max-events", "3").lines
        assert len(lines) == 3
        assert [e["workerSequence"] for e in lines] == sorted(e["workerSequence"] for e in lines)
        collected = cli.ok("stream-events", "--max-events", "2", "--collect").doc
        assert isinstance(collected, list) and len(collected) == 2
        replay = cli.ok("stream-events", "--after-sequence", "1", "--max-events", "1").lines
        assert replay[0]["workerSequence"] == "2"  # proto3 JSON: uint64 as a string
        timed = cli.ok("stream-events", "--duration", "0.2").lines
        assert isinstance(timed, list)
        assert all(e["sessionId"] == sid and "workerSequence" in e for e in timed)
    finally:
        close_session(cli, sid)


def test_stream_events_resume_survives_dropped_streams(cli: Cli) -> None:
    # The simulator ends the attached stream every 0.15 s; with --resume the command
    # reconnects after the last sequence it printed, so nothing is lost or repeated.
    import threading

    sid = open_session(cli)
    stop = threading.Event()

    def dropper() -> None:
        while not stop.wait(0.15):
            cli.sim.control("drop_event_streams", sid)

    thread = threading.Thread(target=dropper, daemon=True)
    try:
        cli.ok("register")
        cli.ok("add-item", "--server-handle", "1", "--tag", "TestMachine_001.TestChangingInt")
        cli.ok("advise", "--server-handle", "1", "--item-handle", "1")
        thread.start()
        lines = cli.ok("stream-events", "--resume", "--max-events", "20").lines
        sequences = [int(e["workerSequence"]) for e in lines]
        assert sequences == list(range(sequences[0], sequences[0] + 20))
        without = cli("stream-events", "--max-events", "1000")
        assert without.code == 3 and without.error["grpcCode"] == "UNAVAILABLE"
    finally:
        stop.set()
        thread.join(5)
        close_session(cli, sid)


def test_session_commands_need_a_session_id(cli: Cli) -> None:
    result = cli("register")
    assert result.code == 2
    assert "MXGW_SESSION_ID" in result.error["message"]


def test_unknown_session_is_exit_5(cli: Cli) -> None:
    result = cli("register", "--session-id", "session-" + "0" * 32)
    assert result.code == 5
    assert result.error["grpcCode"] == "NOT_FOUND"
