"""The README's promises under faults and bad input, command by command (issue 9:
sessions, deadlines, exit codes, one stderr line, secrets, batch and bench options).

The `cli` fixture checks after each test that no session is left open in the simulator.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import grpc
import pytest
from cli_harness import Cli, SimThread

BOUND = 60.0  # seconds: a bound on waits, never an assertion


def when_a_session_opens(cli: Cli, action: Callable[[], None]) -> threading.Thread:
    """Run `action` on a thread as soon as the simulator holds a session."""

    def run() -> None:
        deadline = time.monotonic() + BOUND
        while cli.sim.open_sessions() == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        action()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def reap_orphans(cli: Cli) -> None:
    """Let the one-shot lease (120 s) run out, as it would for a session a dead network
    orphaned; the simulator closes the session."""
    cli.sim.control("advance_time", 121)
    assert cli.sim.open_sessions() == 0


# ------------------------------------------------------------------ sessions and deadlines


def test_a_tiny_timeout_fails_the_call_not_the_session(cli: Cli) -> None:
    # Before: OpenSession itself got the 1 ms deadline and gave up while the gateway was
    # creating the session, which then stayed open (about 1 run in 10; every run here,
    # with a gateway that takes 0.2 s per call).
    with cli.latency(0.2):
        result = cli("get", "TestChildObject.TestInt", "--timeout", "0.001")
    assert result.code == 3 and result.out == ""
    error = result.error
    assert error["grpcCode"] == "DEADLINE_EXCEEDED"
    assert str(error["message"]).startswith("register:"), error  # the first call after opening


def test_an_unconfirmed_close_after_success_is_a_warning(cli: Cli) -> None:
    cli.sim.control("fail_next", 1, grpc.StatusCode.UNAVAILABLE, "gone", "CloseSession")
    result = cli("get", "TestChildObject.TestInt")
    assert result.code == 0
    assert result.doc["values"][0]["ok"] is True
    [line] = result.err.splitlines()
    [orphan] = cli.sim.control("sessions")
    assert orphan.session_id in json.loads(line)["warning"]
    reap_orphans(cli)


def test_when_the_gateway_goes_away_the_first_error_is_reported(cli: Cli) -> None:
    # The stream's failure is the error; the close that could not follow is a warning in
    # the same line. Before: the error was "close session: UNAVAILABLE", and the library's
    # "unsubscribing 1 tags failed" reached stderr through Python's last-resort handler.
    def gateway_goes_away() -> None:
        cli.sim.control("stop_accepting")
        cli.sim.control("drop_event_streams")

    thread = when_a_session_opens(cli, gateway_goes_away)
    result = cli("watch", "TestMachine_001.TestChangingInt")
    thread.join(BOUND)
    cli.sim.control("resume_accepting")
    assert result.code == 3
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    error = json.loads(lines[0])["error"]
    assert error["grpcCode"] == "UNAVAILABLE"
    assert not str(error["message"]).startswith("close session"), error
    [warning] = error["warnings"]
    assert warning.startswith("close session session-") and "lease" in warning
    reap_orphans(cli)


def test_query_active_alarms_carries_the_timeout(cli: Cli) -> None:
    with cli.latency(3.0):
        result = cli("query-active-alarms", "--timeout", "0.5")
    assert result.code == 3 and result.out == ""
    assert result.error["grpcCode"] == "DEADLINE_EXCEEDED"


@pytest.mark.parametrize("value", ["1e10", "86401", "0", "-1", "nan", "inf", "0.0001"])
def test_a_timeout_out_of_range_is_a_usage_error(cli: Cli, value: str) -> None:
    result = cli("get", "TestChildObject.TestInt", "--timeout", value)
    assert (result.code, result.out) == (2, "")
    assert "0.001 to 86400 seconds" in str(result.error["message"])


def test_a_timeout_that_is_not_a_number_is_a_usage_error(cli: Cli) -> None:
    result = cli("get", "TestChildObject.TestInt", "--timeout", "soon")
    assert result.code == 2 and "not a number" in str(result.error["message"])


# ------------------------------------------------------------------ exit codes


@pytest.mark.parametrize("method,details,code", [
    ("BrowseChildren", "too many requests", 6),
    ("Invoke", "Received message larger than max (20971520 vs. 16777216)", 6),
    ("Invoke", "too many pending commands (limit 128)", 5),
])
def test_resource_exhausted_exit_codes(cli: Cli, method: str, details: str,
                                       code: int) -> None:
    cli.sim.control("fail_next", 1, grpc.StatusCode.RESOURCE_EXHAUSTED, details, method)
    argv = ("galaxy-browse",) if method == "BrowseChildren" else (
        "get", "TestChildObject.TestInt")
    result = cli(*argv)
    assert result.code == code, result.err
    if "max" in details:
        assert "size limit" in str(result.error["message"])


def test_a_reply_over_the_message_limit_is_exit_6_saying_so(cli: Cli, tmp_path: Path) -> None:
    # The gateway refuses a 20 MB ReadBulk reply with RESOURCE_EXHAUSTED, as grpc-dotnet
    # does. Before: exit 5 "session", though the session is fine.
    tags = tmp_path / "tags.txt"
    tags.write_text("TestChildObject.TestString\n" * 100)
    cli.sim.control("set_value", "TestChildObject.TestString", "x" * 200_000)
    try:
        result = cli("get", f"@{tags}")
    finally:
        cli.sim.control("set_value", "TestChildObject.TestString", "")
    assert (result.code, result.out) == (6, "")
    error = result.error
    assert error["grpcCode"] == "RESOURCE_EXHAUSTED" and "size limit" in str(error["message"])


def test_a_long_name_is_not_found_every_time(cli: Cli) -> None:
    # The gateway quotes the name back; at 10-16 KB grpc's metadata limit turned that
    # into RESOURCE_EXHAUSTED (exit 5) at random.
    for _ in range(3):
        result = cli("galaxy-browse", "A" * 16_000)
        assert result.code == 6 and result.error["grpcCode"] == "NOT_FOUND"


@pytest.fixture
def unreachable_database(monkeypatch: pytest.MonkeyPatch) -> Iterator[SimThread]:
    """A simulator whose Galaxy Repository database is down (TestConnection ok: false)."""
    from mxgw.sim import _servicer_galaxy

    async def down(self: _servicer_galaxy.GalaxyServicer, request: object,
                   context: object) -> object:
        return self.gpb.TestConnectionReply(ok=False, message="SQL login failed")

    monkeypatch.setattr(_servicer_galaxy.GalaxyServicer, "test_connection", down)
    thread = SimThread(tick_interval=None)
    try:
        yield thread
    finally:
        thread.stop()


def test_galaxy_test_connection_fails_when_the_database_is_unreachable(
        cli: Cli, unreachable_database: SimThread) -> None:
    result = cli("galaxy-test-connection", "--endpoint",
                 f"http://{unreachable_database.endpoint}", "--api-key",
                 unreachable_database.api_key)
    assert (result.code, result.out) == (3, "")
    assert "SQL login failed" in str(result.error["message"])


def test_the_collect_cap_names_the_commands_own_flags(cli: Cli) -> None:
    from mxgw.cli import _output

    cli.monkeypatch.setattr(_output, "COLLECT_LIMIT", 3)
    message = str(cli("galaxy-discover", "--collect").error["message"])
    assert "--root-tag, --root-path, --max-depth, --glob" in message
    assert "--count" not in message and "--max-events" not in message
    message = str(cli("watch", "TestMachine_001.TestChangingInt", "--collect").error["message"])
    assert "--count, --duration" in message


@pytest.mark.parametrize("argv", [
    ["watch", "TestMachine_001.TestChangingInt", "--count", "10001"],
    ["stream-events", "--session-id", "s", "--max-events", "20000"],
    ["stream-alarms", "--max-messages", "10001"],
    ["alarms", "--follow", "--count", "50000"],
    ["galaxy-watch", "--count", "10001"],
])
def test_a_count_over_the_collect_cap_is_refused_before_connecting(
        cli: Cli, argv: list[str]) -> None:
    # A gateway that is down would be exit 3: exit 2 shows nothing was dialled, so the
    # engineer is told at once instead of after hours of a tag changing once a second.
    result = cli(*argv, "--collect", "--endpoint", "http://127.0.0.1:1")
    assert (result.code, result.out) == (2, "")
    flag = argv[-2]
    message = str(result.error["message"])
    assert f"at most 10000 items and {flag} asks for {argv[-1]}" in message
    assert f"lower {flag}" in message


def test_a_count_at_the_collect_cap_still_runs(cli: Cli) -> None:
    result = cli("stream-alarms", "--max-messages", "10000", "--duration", "0.2", "--collect")
    assert result.code == 0 and isinstance(result.doc, list)


# ------------------------------------------------------------------ one line on stderr


def _sim_env(cli: Cli) -> dict[str, str]:
    return {**os.environ, "MXGATEWAY_ENDPOINT": f"http://{cli.sim.endpoint}",
            "MXGATEWAY_API_KEY": cli.sim.api_key, "MXGW_HOME": str(cli.home)}


@pytest.mark.parametrize("launcher", ["python -m mxgw", "console script"])
@pytest.mark.parametrize("case", ["require-cert-validation", "garbage CA file",
                                  "non-ASCII key", "TLS to plaintext"])
def test_a_failing_process_writes_exactly_one_line(cli: Cli, tmp_path: Path, launcher: str,
                                                   case: str) -> None:
    # grpc's own C-core log lines came first (and once glued onto the JSON line);
    # GRPC_VERBOSITY=ERROR did not stop them.
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a certificate\n")
    target = cli.sim.endpoint
    argv, code = {
        "require-cert-validation": (["--endpoint", target, "--require-cert-validation"], 3),
        "garbage CA file": (["--endpoint", f"https://{target}", "--ca-file", str(garbage)], 2),
        "non-ASCII key": (["--api-key", "mxgw_k\u00e9y_hunter2"], 2),
        "TLS to plaintext": (["--endpoint", target, "--tls"], 3),
    }[case]
    command = ([sys.executable, "-m", "mxgw"] if launcher == "python -m mxgw"
               else [str(Path(sys.executable).with_name("mxgw"))])
    env = _sim_env(cli)
    env.pop("GRPC_VERBOSITY", None)
    done = subprocess.run([*command, "get", "TestChildObject.TestInt", "--timeout", "5",
                           *argv], capture_output=True, text=True, env=env, timeout=BOUND,
                          check=False)
    assert (done.returncode, done.stdout) == (code, "")
    [line] = done.stderr.splitlines()
    assert json.loads(line)["error"]["exitCode"] == code
    assert "hunter2" not in done.stderr


# ------------------------------------------------------------------ secrets


@pytest.mark.parametrize("argv", [
    ["--api-kye", "hunter2-secret", "get", "TestChildObject.TestInt"],
    ["--api-key-evn", "HUNTER2_SECRET_VAR", "get", "TestChildObject.TestInt"],
    ["--plaintext", "--apikey", "hunter2-secret", "ping"],
])
def test_a_mistyped_option_before_the_command_never_echoes_its_value(
        cli: Cli, argv: list[str]) -> None:
    result = cli(*argv)
    assert (result.code, result.out) == (2, "")
    assert "hunter2" not in result.err.lower()
    unknown = next(word for word in argv if word.startswith("--api"))
    assert unknown in result.err


def test_a_command_option_before_the_command_word_says_where_it_goes(cli: Cli) -> None:
    result = cli("--lease", "60", "open-session")
    assert result.code == 2
    assert "after it" in str(result.error["message"]) and "60" not in result.err
    assert cli.ok("--allow-bad", "get", "TestChildObject.TestInt").doc["values"]


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
def test_the_audit_log_is_private(cli: Cli) -> None:
    home = cli.home / "fresh"
    cli.monkeypatch.setenv("MXGW_HOME", str(home))
    cli.ok("put", "--dry-run", "--type", "int32", "TestChildObject.TestInt=1")
    log = home / "audit.jsonl"
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    log.chmod(0o644)  # written by an older mxgw
    cli.ok("put", "--dry-run", "--type", "int32", "TestChildObject.TestInt=2")
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert len(log.read_text().splitlines()) == 2


def test_an_audit_log_that_cannot_be_written_is_a_warning(cli: Cli) -> None:
    blocker = cli.home / "not-a-folder"
    blocker.write_text("")
    cli.monkeypatch.setenv("MXGW_HOME", str(blocker))
    result = cli("put", "--dry-run", "--type", "int32", "TestChildObject.TestInt=1")
    assert result.code == 0 and result.doc["dryRun"] is True
    [line] = result.err.splitlines()
    assert "audit log" in json.loads(line)["warning"]


def test_the_history_filter_knows_the_secrets_in_use() -> None:
    from mxgw._json import secret_forms
    from mxgw.repl._history import is_secret

    key = "mxgw_0123456789ab_" + "S" * 43
    bare = "S" * 43
    assert not is_secret(f"x = '{bare}'")  # nothing says it is a secret ...
    assert is_secret(f"x = '{bare}'", secret_forms(key))  # ... but it is the key in use
    assert is_secret(f"x = '{key}'")
    assert not is_secret("await read('Pump001.Speed')", secret_forms(key))


def test_the_repl_history_file_leaves_out_the_bare_secret(tmp_path: Path) -> None:
    from mxgw._json import secret_forms
    from mxgw.repl._history import FilteredFileHistory

    key = "mxgw_0123456789ab_" + "T" * 43
    path = tmp_path / "history"
    history = FilteredFileHistory(str(path), secret_forms(key))
    history.store_string("token_part = '" + "T" * 43 + "'")
    history.store_string("1 + 1")
    text = path.read_text()
    assert "1 + 1" in text and "T" * 43 not in text


def test_a_repl_script_never_shows_the_bare_secret_of_the_key_in_use(cli: Cli) -> None:
    # The history leaves it out, the error line redacts it: a result line must as well.
    bare = cli.sim.api_key.split("_", 2)[2]
    result = cli("repl", stdin=f"'{bare}'\n['x{bare}']\n")
    assert result.code == 0, result.err
    assert bare not in result.out
    assert result.lines == ["<redacted>", ["x<redacted>"]]


# ------------------------------------------------------------------ bench and batch


def test_bench_accepts_the_cross_language_flag_names(cli: Cli) -> None:
    doc = cli.ok("bench-read-bulk", "--duration-seconds", "0.2", "--warmup-seconds", "0").doc
    assert (doc["durationSeconds"], doc["warmupSeconds"]) == (0.2, 0.0)
    doc = cli.ok("bench-stream-events", "--duration-seconds", "0.2",
                 "--warmup-seconds", "0").doc
    assert doc["durationSeconds"] == 0.2


def test_batch_takes_connection_options_as_defaults_for_its_lines(cli: Cli) -> None:
    cli.monkeypatch.delenv("MXGATEWAY_ENDPOINT")
    cli.monkeypatch.delenv("MXGATEWAY_API_KEY")
    lines = ("get TestChildObject.TestInt\n"
             "ping --endpoint 127.0.0.1:1 --timeout 2\n"    # its own endpoint wins
             "ping --api-key mxgw_nokey_" + "x" * 43 + "\n"  # its own key wins
             "version\n")                                    # takes no connection options
    result = cli("--endpoint", cli.sim.endpoint, "--plaintext", "--api-key", cli.sim.api_key,
                 "batch", stdin=lines)
    records = [line for line in result.out.splitlines() if line != "__MXGW_BATCH_EOR__"]
    got, unreachable, unknown_key, version = (json.loads(r) for r in records)
    assert got["values"][0]["ok"] is True
    assert (unreachable["type"], unreachable["exitCode"]) == ("error", 3)
    assert unknown_key["exitCode"] == 4
    assert version["version"]
    assert result.code == 4 and cli.sim.api_key not in result.out + result.err


def test_a_batch_line_that_is_not_text_is_a_usage_error(
        cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    data = b"\xff\xfe get\nget TestChildObject.TestInt\n"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    result = cli("batch")
    records = [json.loads(r) for r in result.out.splitlines() if r != "__MXGW_BATCH_EOR__"]
    assert records[0]["exitCode"] == 2 and "line 1" in records[0]["error"]
    assert records[1]["values"][0]["ok"] is True
    assert result.code == 2 and result.err == ""


# ------------------------------------------------------------------ the table itself


def test_protocol_timeout_is_a_worker_error_exit_8() -> None:
    from mxgw._proto import gateway_pb2 as pb
    from mxgw._rpc._contract import Contract
    from mxgw._rpc._errors import check_reply
    from mxgw.cli._exit import WORKER, exit_code_for

    reply = pb.MxCommandReply()
    reply.protocol_status.code = pb.PROTOCOL_STATUS_CODE_TIMEOUT
    with pytest.raises(Exception) as raised:
        check_reply(Contract.builtin(), reply, "read bulk")
    assert exit_code_for(raised.value) == WORKER


def test_the_readme_and_help_list_the_same_exit_codes() -> None:
    import re

    from mxgw.cli._exit import EXIT_CODES_HELP

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    table = readme.split("### Exit codes", 1)[1].split("\n\n", 2)[1]
    in_readme = {int(code) for code in re.findall(r"^\| (\d+) \|", table, re.MULTILINE)}
    in_help = {int(code) for code in re.findall(r"^  (\d+) ", EXIT_CODES_HELP, re.MULTILINE)}
    assert in_readme == in_help and {0, 2, 3, 130} <= in_help
