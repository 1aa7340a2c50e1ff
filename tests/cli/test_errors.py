"""Every error class's exit code and one-line stderr JSON, and the bad-input sweep.

The `cli` fixture checks after each test that no session is left open in the simulator.
"""

from __future__ import annotations

from pathlib import Path

import grpc
import pytest
from cli_harness import Cli

WRONG_KEY = "mxgw_nokey_" + "x" * 43


def assert_error(cli: Cli, code: int, *argv: str, stdin: str | None = None,
                 type_name: str | None = None, grpc_code: str | None = None) -> dict[str, object]:
    result = cli(*argv, stdin=stdin)
    assert result.code == code, result.err
    assert result.out == ""
    error = result.error
    if type_name:
        assert error["type"] == type_name
    if grpc_code:
        assert error["grpcCode"] == grpc_code
    return error


# ------------------------------------------------------------------ the bad-input sweep


def test_unknown_command(cli: Cli) -> None:
    assert "did you mean 'put'" in str(assert_error(cli, 2, "pt", "X=1")["message"])


def test_unknown_flag(cli: Cli) -> None:
    assert_error(cli, 2, "get", "--colour", "TestChildObject.TestInt", type_name="UsageError")


def test_missing_required_flag(cli: Cli) -> None:
    error = assert_error(cli, 2, "add-item", "--session-id", "session-x", "--tag", "A.B")
    assert "--server-handle" in str(error["message"])


def test_bad_type(cli: Cli) -> None:
    assert "unknown type" in str(assert_error(cli, 2, "put", "--type", "decimal",
                                              "TestChildObject.TestInt=1")["message"])
    assert "int32" in str(assert_error(cli, 2, "put", "--type", "int32",
                                       "TestChildObject.TestInt=1.5")["message"])


@pytest.mark.parametrize("argv", [
    ("put", "--type", "double", "TestChildObject.TestDouble=nan"),
    ("put", "TestChildObject.TestDouble=NaN"),
    ("write", "--session-id", "session-x", "--server-handle", "1", "--item-handle", "1",
     "--type", "double", "--value", "inf"),
])
def test_nan(cli: Cli, argv: tuple[str, ...]) -> None:
    assert "NaN" in str(assert_error(cli, 2, *argv)["message"])


def test_oversized_bulk(cli: Cli) -> None:
    tags = "\n".join(f"Pump{i:03d}.Speed" for i in range(1001)) + "\n"
    error = assert_error(cli, 2, "read-bulk", "--session-id", "session-x", "--server-handle",
                         "1", "-", stdin=tags)
    assert "1001 entries" in str(error["message"])


def test_unknown_tag(cli: Cli) -> None:
    error = assert_error(cli, 7, "put", "--type", "int32", "No.Such.Tag=1",
                         type_name="MxAccessError")
    assert "No.Such.Tag" in str(error["message"])


def test_wrong_key(cli: Cli) -> None:
    error = assert_error(cli, 4, "get", "--api-key", WRONG_KEY, "TestChildObject.TestInt",
                         type_name="MxGatewayAuthenticationError", grpc_code="UNAUTHENTICATED")
    assert "x" * 43 not in str(error["message"])


def test_read_only_key_writing(cli: Cli) -> None:
    cli.monkeypatch.setenv("MXGATEWAY_API_KEY", cli.sim.read_only_api_key)
    assert_error(cli, 4, "put", "--type", "int32", "TestChildObject.TestInt=3",
                 grpc_code="PERMISSION_DENIED")
    assert cli.audit()[-1]["outcome"] == "MxGatewayAuthorizationError"


def test_gateway_down(cli: Cli) -> None:
    assert_error(cli, 3, "ping", "--endpoint", "127.0.0.1:1", "--plaintext", "--timeout", "5",
                 type_name="MxGatewayTransportError")


def test_tls_against_a_plaintext_simulator(cli: Cli) -> None:
    assert_error(cli, 3, "ping", "--endpoint", cli.sim.endpoint, "--tls", "--timeout", "5",
                 type_name="MxGatewayTransportError")


def test_proxy_variables_are_ignored_unless_use_proxy(cli: Cli) -> None:
    for name in ("http_proxy", "https_proxy", "grpc_proxy"):
        cli.monkeypatch.setenv(name, "http://127.0.0.1:9")  # nothing listens there
    cli.monkeypatch.delenv("no_proxy", raising=False)
    cli.monkeypatch.delenv("NO_PROXY", raising=False)
    assert cli.ok("ping").doc
    assert_error(cli, 3, "ping", "--use-proxy", "--timeout", "5",
                 type_name="MxGatewayTransportError")


def test_no_plaintext_without_asking(cli: Cli) -> None:
    # A loopback endpoint without --plaintext or http:// is TLS, so it fails like above.
    cli.monkeypatch.setenv("MXGATEWAY_ENDPOINT", cli.sim.endpoint)
    assert_error(cli, 3, "ping", "--timeout", "5")


@pytest.mark.parametrize("argv", [("ping", "--tls"), ("get", "TestChildObject.TestInt", "--tls"),
                                  ("--tls", "doctor"), ("contract", "fetch", "--tls"),
                                  ("ping", "--tls", "--profile", "plant")])
def test_tls_flag_against_an_http_endpoint_from_the_environment_or_a_profile(
        cli: Cli, argv: tuple[str, ...]) -> None:
    # --tls was dropped when the http:// endpoint came from MXGATEWAY_ENDPOINT or the
    # profile: the command went out in plaintext although TLS was asked for.
    if "--profile" in argv:
        cli.monkeypatch.delenv("MXGATEWAY_ENDPOINT")
        (cli.home / "config.toml").write_text(
            f'[profiles.plant]\nendpoint = "http://{cli.sim.endpoint}"\n')
    error = assert_error(cli, 2, *argv, type_name="UsageError")
    assert "--tls contradicts the http:// endpoint" in str(error["message"])


def test_tls_flag_of_batch_against_an_http_endpoint(cli: Cli) -> None:
    result = cli("--tls", "batch", stdin="ping\n")
    assert result.code == 2
    record = result.out.split("__MXGW_BATCH_EOR__")[0]
    assert "--tls contradicts the http:// endpoint" in record


# ------------------------------------------------------------------ every error class


@pytest.mark.parametrize("code,status,type_name", [
    (3, grpc.StatusCode.UNAVAILABLE, "MxGatewayTransportError"),
    (3, grpc.StatusCode.DEADLINE_EXCEEDED, "MxGatewayTransportError"),
    (4, grpc.StatusCode.UNAUTHENTICATED, "MxGatewayAuthenticationError"),
    (4, grpc.StatusCode.PERMISSION_DENIED, "MxGatewayAuthorizationError"),
    (5, grpc.StatusCode.RESOURCE_EXHAUSTED, "MxGatewaySessionError"),
    (6, grpc.StatusCode.INVALID_ARGUMENT, "MxGatewayCommandError"),
    (8, grpc.StatusCode.ABORTED, "MxGatewayWorkerError"),
])
def test_grpc_errors_map_to_exit_codes(cli: Cli, code: int, status: grpc.StatusCode,
                                       type_name: str) -> None:
    cli.sim.control("fail_next", 1, status, "injected", "OpenSession")
    error = assert_error(cli, code, "get", "TestChildObject.TestInt", type_name=type_name,
                         grpc_code=status.name)
    assert "injected" in str(error["message"])


def test_session_error_is_exit_5(cli: Cli) -> None:
    assert_error(cli, 5, "drain-events", "--session-id", "session-" + "f" * 32,
                 type_name="MxGatewaySessionError")


def test_mxaccess_error_carries_hresult(cli: Cli) -> None:
    sid = cli.ok("open-session").doc["sessionId"]
    try:
        cli.ok("register", "--session-id", sid)
        cli.ok("add-item", "--session-id", sid, "--server-handle", "1", "--tag",
               "TestChildObject.TestInt")
        error = assert_error(cli, 7, "write", "--session-id", sid, "--server-handle", "1",
                             "--item-handle", "1", "--type", "int32", "--value", "1")
        assert error["hresult"] == -2147024809  # E_INVALIDARG: the item is not advised
        assert error["protocolStatus"] == "PROTOCOL_STATUS_CODE_MXACCESS_FAILURE"
    finally:
        cli.ok("close-session", "--session-id", sid)


def test_read_only_profile_refuses_writes(cli: Cli) -> None:
    config = cli.home / "config.toml"
    config.write_text(f'[profiles.plant]\nendpoint = "http://{cli.sim.endpoint}"\n'
                      "read_only = true\n")
    error = assert_error(cli, 2, "put", "--profile", "plant", "TestChildObject.TestInt=1")
    assert "read-only" in str(error["message"])
    assert_error(cli, 2, "ack", "--profile", "plant", "Galaxy!Area_Tanks.Tank001.Level.HiHi")
    assert cli.ok("get", "--profile", "plant", "TestChildObject.TestInt").doc["values"]
    assert cli.audit() == []


# A minimal command line for each command the table marks `write`.
WRITE_LINES = {
    "write": ("--session-id", "s", "--server-handle", "1", "--item-handle", "1",
              "--type", "int32", "--value", "1"),
    "write2": ("--session-id", "s", "--server-handle", "1", "--item-handle", "1",
               "--type", "int32", "--value", "1", "--timestamp", "now"),
    "write-secured": ("--session-id", "s", "--server-handle", "1", "--item-handle", "1",
                      "--type", "int32", "--value", "1", "--current-user-id", "1"),
    "write-secured2": ("--session-id", "s", "--server-handle", "1", "--item-handle", "1",
                       "--type", "int32", "--value", "1", "--current-user-id", "1",
                       "--timestamp", "now"),
    "write-bulk": ("--session-id", "s", "--server-handle", "1", "--type", "int32", "1=1"),
    "write2-bulk": ("--session-id", "s", "--server-handle", "1", "--type", "int32", "1=1",
                    "--timestamp", "now"),
    "write-secured-bulk": ("--session-id", "s", "--server-handle", "1", "--type", "int32",
                           "1=1", "--current-user-id", "1"),
    "write-secured2-bulk": ("--session-id", "s", "--server-handle", "1", "--type", "int32",
                            "1=1", "--current-user-id", "1", "--timestamp", "now"),
    "acknowledge-alarm": ("--reference", "Galaxy!Area_Tanks.Tank001.Level.HiHi"),
    "put": ("TestChildObject.TestInt=1",),
    "ack": ("Galaxy!Area_Tanks.Tank001.Level.HiHi",),
}


def test_every_write_command_of_the_table_is_listed_here() -> None:
    from mxgw.cli._table import COMMANDS

    assert {name for name, spec in COMMANDS.items() if spec.write} == set(WRITE_LINES)


@pytest.mark.parametrize("name", sorted(WRITE_LINES))
def test_a_read_only_profile_refuses_each_write_command_before_connecting(
        cli: Cli, name: str) -> None:
    # Nothing listens on the profile's endpoint: a command that tried to connect would
    # exit 3. The refusal is the library's error, in the library's words.
    from mxgw._errors import read_only_refusal

    (cli.home / "config.toml").write_text(
        '[profiles.plant]\nendpoint = "http://127.0.0.1:1"\nread_only = true\n')
    error = assert_error(cli, 2, name, "--profile", "plant", *WRITE_LINES[name],
                         type_name="MxGatewayReadOnlyError")
    assert error["message"] == str(read_only_refusal(f"mxgw {name}", "plant"))
    assert cli.audit() == []


def test_unknown_profile_is_a_usage_error(cli: Cli) -> None:
    assert "nosuch" in str(assert_error(cli, 2, "ping", "--profile", "nosuch")["message"])


def test_internal_error_without_and_with_debug(cli: Cli) -> None:
    from mxgw.cli import cmd_version

    def broken(*args: object) -> int:
        raise RuntimeError("boom " + cli.sim.api_key)

    cli.monkeypatch.setattr(cmd_version, "run_offline", broken)
    error = assert_error(cli, 1, "version", type_name="RuntimeError")
    assert "boom" in str(error["message"]) and cli.sim.api_key not in str(error["message"])
    result = cli("version", "--debug")
    assert result.code == 1 and "Traceback" in result.err
    assert cli.sim.api_key not in result.err


def test_ctrl_c_closes_the_session_and_exits_130(cli: Cli) -> None:
    async def interrupted(self: object, *args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    cli.monkeypatch.setattr("mxgw._session.Session.read", interrupted)
    result = cli("get", "TestChildObject.TestInt")
    assert (result.code, result.out, result.err) == (130, "", "")
    assert cli.sim.open_sessions() == 0  # the transient session was closed on the way out


def test_broken_pipe_is_quiet_and_closes_the_session(cli: Cli) -> None:
    from mxgw.cli import _output

    def broken_pipe(self: object, text: str) -> None:
        raise BrokenPipeError

    cli.monkeypatch.setattr(_output.Output, "_write", broken_pipe)
    result = cli("watch", "TestMachine_001.TestChangingInt")
    assert (result.code, result.err) == (0, "")


def test_api_key_env_names_the_variable(cli: Cli) -> None:
    cli.monkeypatch.delenv("MXGATEWAY_API_KEY")
    assert_error(cli, 4, "ping", type_name="MxGatewayAuthenticationError")
    cli.monkeypatch.setenv("PLANT_GATEWAY_KEY", cli.sim.api_key)
    assert cli.ok("ping", "--api-key-env", "PLANT_GATEWAY_KEY").doc["ok"] is True
    cli.monkeypatch.delenv("PLANT_GATEWAY_KEY")
    error = assert_error(cli, 2, "ping", "--api-key-env", "PLANT_GATEWAY_KEY")
    assert "PLANT_GATEWAY_KEY" in str(error["message"])


def test_audit_log_scrubs_secrets_that_json_escapes(cli: Cli) -> None:
    from mxgw.cli._audit import append

    secret = 'k"\u00e9y\\'  # a quote, a non-ASCII letter and a backslash
    append("put", {"writes": [{"value": secret}]}, endpoint=None, profile=None,
           secrets=[secret])
    [record] = cli.audit()
    assert record["writes"][0]["value"] == "<redacted>"
    assert secret not in str(record)


def test_api_key_is_redacted_from_argv_errors(cli: Cli) -> None:
    secret = "not-a-key-shaped-secret"
    error = assert_error(cli, 4, "ping", "--api-key", secret)
    assert secret not in str(error)


def test_debug_log_tracebacks_are_scrubbed(cli: Cli) -> None:
    import logging

    from mxgw.cli import cmd_session
    from mxgw.cli._context import Command, CommandContext, no_arguments

    secret = "not-a-key-shaped-secret"

    async def logs_a_failure(ctx: CommandContext, args: object) -> int:
        try:
            raise RuntimeError(f"call failed with {secret}")
        except RuntimeError:
            logging.getLogger("mxgw.test").debug("retrying %s", secret, exc_info=True)
        return 0

    cli.monkeypatch.setitem(cmd_session.COMMANDS, "ping",
                            Command(no_arguments, logs_a_failure))
    result = cli("ping", "--debug", "--api-key", secret)
    assert result.code == 0
    assert "RuntimeError: call failed with <redacted>" in result.err
    assert secret not in result.err


def test_debug_log_is_scrubbed(cli: Cli) -> None:
    cli.monkeypatch.setenv("MXGW_PASSWORD", "operator-pw")
    result = cli("put", "--debug", "--user", "operator", "Pump001.SetPoint=50")
    assert result.code == 0
    assert "mxgw" in result.err  # the debug log went to stderr, stdout stayed JSON
    assert result.doc["ok"] is True
    assert "operator-pw" not in result.err and cli.sim.api_key not in result.err


def test_every_field_of_the_error_line_is_scrubbed() -> None:
    # The notices ride in the error line as the warnings do: a known secret (or anything
    # shaped like a key) in one of them is redacted too, not only in message and warnings.
    from mxgw.cli._exit import error_fields

    key = "mxgw_0123456789ab_" + "N" * 43
    fields = error_fields(
        RuntimeError(f"failed with {key}"), {key, "hunter2"}, [f"close: {key}"],
        notices=[{"notice": "n", "file": "/home/hunter2/known.json", "endpoint": key}])
    assert "hunter2" not in repr(fields) and "N" * 43 not in repr(fields)
    assert fields["notices"] == [{"notice": "n", "file": "/home/<redacted>/known.json",
                                  "endpoint": "<redacted>"}]


def test_an_entries_file_or_stdin_too_big_to_be_a_tag_list_is_refused(
        cli: Cli, tmp_path: Path) -> None:
    # `get @/dev/zero` (or a multi-GB log passed by mistake) was read until memory ran out.
    from mxgw.cli._words import MAX_ENTRIES_BYTES

    huge = tmp_path / "huge.log"
    with huge.open("wb") as file:
        file.truncate(MAX_ENTRIES_BYTES + 1)  # sparse: nothing written
    result = cli("get", f"@{huge}")
    assert (result.code, result.out) == (2, "")
    assert result.error["message"] == (
        f"{huge} holds more than 16 MB: give one entry per line")
    result = cli("get", "-", stdin="T\n" * (MAX_ENTRIES_BYTES // 2 + 1))
    assert (result.code, result.out) == (2, "")
    assert result.error["message"] == "stdin holds more than 16 MB: give one entry per line"


@pytest.mark.parametrize("argv", [["--api-key", ""], ["--api-key="]])
def test_an_empty_api_key_is_refused_not_replaced_by_the_environments(
        cli: Cli, argv: list[str]) -> None:
    # The harness sets MXGATEWAY_API_KEY: the empty flag fell back to it and succeeded.
    result = cli("get", "TestChildObject.TestInt", *argv)
    assert (result.code, result.out) == (2, "")
    assert result.error["message"].startswith("--api-key is empty (an unset variable?)")
