"""One-shot commands on Windows CPython (under Wine), against `mxgw sim` running under
Windows too: the printed key, a bad key, the audit log and the profile in their Windows
folders, Ctrl-C, batch files with Windows paths and CRLF. Each test runs on 3.11, 3.12
and 3.13. Sessions are counted in the simulator's --verbose log (one line per call).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import Mxgw, Running

pytestmark = [pytest.mark.windows, pytest.mark.slow]


@dataclass
class WinSim:
    running: Running
    start: dict[str, object]

    @property
    def endpoint(self) -> str:
        return str(self.start["endpoint"])

    @property
    def key(self) -> dict[str, str]:
        return {"MXGATEWAY_API_KEY": str(self.start["apiKey"])}

    def mark(self) -> int:
        return len(self.running.stderr)

    def calls(self, since: int, rpc: str) -> list[str]:
        return [line for line in self.running.stderr[since:] if f" {rpc} " in line]

    def sessions_balanced(self, since: int) -> tuple[int, int]:
        """(OpenSession calls, CloseSession calls) logged since `since`."""
        return len(self.calls(since, "OpenSession")), len(self.calls(since, "CloseSession"))


@pytest.fixture(scope="module")
def sim(mxgw: Mxgw) -> Iterator[WinSim]:
    running = Running(mxgw.wine, [mxgw.python, mxgw.pyz, "sim", "--port", "0", "--verbose"])
    try:
        start = json.loads(running.wait_for('"endpoint"'))
        yield WinSim(running, start)
    finally:
        if running.proc.poll() is None:
            running.send("ctrl-c")
            running.wait()


def connect(sim: WinSim) -> list[str]:
    return ["--endpoint", sim.endpoint, "--plaintext"]


def test_get_against_the_embedded_simulator(mxgw: Mxgw) -> None:
    done = mxgw.run("get", "TestChildObject.TestInt", "--endpoint", "sim")
    assert done.returncode == 0, done.stderr
    value = json.loads(done.stdout)["values"][0]
    assert value["tag"] == "TestChildObject.TestInt" and value["ok"] is True


def test_ping_with_the_printed_key(mxgw: Mxgw, sim: WinSim) -> None:
    since = sim.mark()
    done = mxgw.run("ping", *connect(sim), env=sim.key)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["ok"] is True
    assert sim.sessions_balanced(since) == (1, 1)


def test_bad_key_is_exit_4_with_json_on_stderr_only(mxgw: Mxgw, sim: WinSim) -> None:
    bad = "mxgw_000000000000_" + "x" * 43
    done = mxgw.run("ping", *connect(sim), env={"MXGATEWAY_API_KEY": bad})
    assert done.returncode == 4
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    error = json.loads(lines[0])["error"]
    assert error["type"] == "MxGatewayAuthenticationError" and error["exitCode"] == 4
    assert "x" * 43 not in done.stderr


def test_put_writes_the_audit_log_in_local_appdata(mxgw: Mxgw, sim: WinSim) -> None:
    audit = mxgw.wine.profile / "AppData" / "Local" / "mxgw" / "audit.jsonl"
    before = audit.read_text().splitlines() if audit.is_file() else []
    done = mxgw.run("put", f"TestChildObject.TestInt={mxgw.version[-2:]}", *connect(sim),
                    env=sim.key)
    assert done.returncode == 0, done.stderr
    added = audit.read_text().splitlines()[len(before):]
    assert len(added) == 1, added
    entry = json.loads(added[0])
    assert entry["command"] == "put" and entry["tag"] == "TestChildObject.TestInt"
    assert entry["outcome"] == "ok" and entry["osUser"] == mxgw.wine.profile.name
    assert entry["value"] in (mxgw.version[-2:], int(mxgw.version[-2:]))
    assert str(sim.start["apiKey"]) not in added[0]


def test_read_only_profile_in_appdata_refuses_put_before_connecting(mxgw: Mxgw,
                                                                   sim: WinSim) -> None:
    config = mxgw.wine.profile / "AppData" / "Roaming" / "mxgw" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'[profiles.plant]\nendpoint = "{sim.endpoint}"\nplaintext = true\n'
                      'read_only = true\n', newline="\r\n")
    since = sim.mark()
    try:
        done = mxgw.run("put", "--profile", "plant", "TestChildObject.TestInt=1", env=sim.key)
    finally:
        config.unlink()
    assert done.returncode == 2
    error = json.loads(done.stderr.strip().splitlines()[-1])["error"]
    assert "read-only" in error["message"]
    assert sim.calls(since, "OpenSession") == []


@pytest.mark.parametrize("event", ["ctrl-c", "ctrl-break"])
def test_watch_stopped_by_a_console_event_closes_its_session(mxgw: Mxgw, sim: WinSim,
                                                            tmp_path: Path, event: str) -> None:
    since = sim.mark()
    watch = Running(mxgw.wine, [mxgw.python, mxgw.pyz, "watch",
                                "TestMachine_001.TestChangingInt", *connect(sim)], env=sim.key,
                    events=tmp_path / "events")
    try:
        json.loads(watch.wait_for('"tag"'))
        watch.send(event)
        assert watch.wait() == 130
    finally:
        watch.kill()
    assert sim.sessions_balanced(since) == (1, 1)
    assert all(json.loads(line)["tag"] == "TestMachine_001.TestChangingInt"
               for line in watch.stdout)


def test_batch_with_windows_paths_and_crlf(mxgw: Mxgw, sim: WinSim) -> None:
    setpoints = mxgw.wine.drive_c / "setpoints.txt"
    setpoints.write_bytes(b"# set by the Windows suite\r\nTestChildObject.TestInt=7\r\n"
                          b"TestChildObject.TestString=two words\r\n")
    commands = ('put "@C:\\setpoints.txt"\r\nget TestChildObject.TestInt '
                'TestChildObject.TestString\r\n')
    since = sim.mark()
    # batch lines take the connection from the environment like any command would.
    env = {**sim.key, "MXGATEWAY_ENDPOINT": f"http://{sim.endpoint}"}
    done = mxgw.run("batch", env=env, stdin=commands)
    assert done.returncode == 0, done.stdout + done.stderr
    records = done.stdout.split("__MXGW_BATCH_EOR__")
    assert len(records) == 3 and records[-1].strip() == "", done.stdout
    put = json.loads(records[0])
    assert [w["tag"] for w in put["writes"]] == ["TestChildObject.TestInt",
                                                  "TestChildObject.TestString"], put
    values = {v["tag"]: v["value"] for v in json.loads(records[1])["values"]}
    assert values == {"TestChildObject.TestInt": 7, "TestChildObject.TestString": "two words"}
    assert sim.sessions_balanced(since)[0] == sim.sessions_balanced(since)[1] >= 1


def test_sim_stops_on_ctrl_c_with_exit_0(sim: WinSim) -> None:
    # Last in this file: the simulator of this module and Python stops here.
    sim.running.send("ctrl-c")
    assert sim.running.wait() == 0
    assert "simulator stopped" not in " ".join(sim.running.stdout)  # stdout: the start line
    assert sim.running.stdout[0].startswith("{")
    assert len(sim.running.stdout) == 1, sim.running.stdout
    # ... and the --verbose log on stderr ends with the clean stop (sessions closed first).
    assert "simulator stopped" in sim.running.stderr[-1], sim.running.stderr[-5:]
