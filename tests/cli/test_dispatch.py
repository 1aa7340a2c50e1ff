"""The dispatcher without a gateway: startup cost, usage errors, output layout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_harness import SimThread

from mxgw.cli import main
from mxgw.cli._exit import CollectLimitError
from mxgw.cli._output import Output, dumps

HEAVY = ("grpc", "google.protobuf", "ptpython", "prompt_toolkit", "mxgw.sim", "mxgw.testing")


def error_of(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err
    doc = json.loads(lines[0])
    assert set(doc["error"]) == {"type", "message", "exitCode", "grpcCode", "protocolStatus",
                                 "hresult"}
    return doc["error"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("argv", [["--help"], ["version"], ["put", "--help"],
                                  ["watch", "--help"], ["get", "--help"],
                                  ["doctor", "--help"]])
def test_startup_does_not_import_heavy_modules(argv: list[str]) -> None:
    code = (
        "import sys\n"
        "from mxgw.cli import main\n"
        f"rc = main({argv!r})\n"
        f"heavy = sorted(m for m in sys.modules if m.startswith({HEAVY!r}))\n"
        "print('HEAVY', heavy, rc, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=False)
    assert "HEAVY [] 0" in done.stderr, done.stderr


# What `mxgw version` and `mxgw --help` skip on top of HEAVY: they run without an event loop,
# and print no record (ast: what compiles a record's printer).
EVENT_LOOP_PATH = ("asyncio", "logging", "dataclasses", "typing", "difflib", "mxgw.cli._context",
                   "ast")


# What a one-shot `get` over plaintext does without (tests/bench_startup.py times it
# against a floor script): TLS-only modules (known gateways, the probe, and with them the
# atomic file writer's tempfile, shutil and random), shutil for argparse's terminal width,
# the json package (the compact printer writes the output), and on top of HEAVY's the
# simulator's, the REPL's and the other commands' modules.
GET_SKIPS = ("shutil", "tempfile", "random", "json", "bz2", "lzma", "mxgw._known",
             "mxgw._netprobe", "mxgw._files", "mxgw._x509", "mxgw._galaxy", "mxgw.repl",
             "mxgw.sim", "mxgw.testing", "ptpython", "prompt_toolkit", "mxgw.cli._doctor",
             "mxgw.cli.cmd_doctor", "mxgw.cli.cmd_contract", "mxgw.cli.cmd_bulk",
             "mxgw._protojson_gen", "difflib", "tomllib",
             # what only subscriptions, event streams, writes, alarms and browsing use
             "mxgw.cli.cmd_alarms", "mxgw.cli.cmd_galaxy", "mxgw._changes", "mxgw._resume",
             "mxgw._write_results", "mxgw._rpc._events",
             # pathlib imports urllib.parse and ipaddress (~3.5 ms): mxgw._paths has the text
             "pathlib", "urllib.parse", "ipaddress", "google.protobuf.descriptor_pb2")


def test_a_plaintext_get_imports_only_what_it_uses(sim: SimThread, tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from mxgw.cli import main\n"
        f"rc = main(['get', 'TestChildObject.TestInt', '--endpoint', {sim.endpoint!r},"
        " '--plaintext'])\n"
        f"loaded = sorted(m for m in sys.modules if m.startswith({GET_SKIPS!r}))\n"
        "print('LOADED', loaded, rc, file=sys.stderr)\n"
    )
    env = {**os.environ, "MXGATEWAY_API_KEY": sim.api_key, "MXGW_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=False, env=env)
    assert "LOADED [] 0" in done.stderr, done.stderr
    assert '"ok":true' in done.stdout


@pytest.mark.parametrize("argv", [["--help"], ["version"], ["--version"]])
def test_offline_path_skips_the_event_loop(argv: list[str]) -> None:
    code = (
        "import sys\n"
        "from mxgw.cli import main\n"
        f"rc = main({argv!r})\n"
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {EVENT_LOOP_PATH!r}"
        f" or m in {EVENT_LOOP_PATH!r})\n"
        "print('LOADED', loaded, rc, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=False)
    assert "LOADED [] 0" in done.stderr, done.stderr


def test_python_dash_m_runs_version() -> None:
    done = subprocess.run([sys.executable, "-m", "mxgw", "version"], capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0
    assert json.loads(done.stdout)["version"]


def test_version_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["version", "--compact"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert set(json.loads(out)) == {"version", "python", "platform", "executable", "commit",
                                    "dirty", "target", "pythons", "contract", "contractInUse",
                                    "pyz"}


def test_help_lists_every_command_and_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    from mxgw.cli._table import COMMANDS

    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in COMMANDS:
        assert f"  {name} " in out
    assert "130  interrupted" in out


def test_unknown_command_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pign"]) == 2
    err = error_of(capsys)
    assert err["type"] == "UsageError"
    assert "did you mean 'ping'" in str(err["message"])


def test_unknown_flag_suggests_and_hides_value(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ping", "--api-kye=mxgw_abc_secretvalue", "--endpoint", "x:1"]) == 2
    err = error_of(capsys)
    assert "did you mean --api-key" in str(err["message"])
    assert "secretvalue" not in str(err["message"])


@pytest.mark.parametrize("argv", [[], ["--endpoint", "x:1"], ["--api-key", "hunter2-key"],
                                  ["--pretty", "--timeout", "5"]])
def test_no_command_is_one_error_line(capsys: pytest.CaptureFixture[str],
                                      argv: list[str]) -> None:
    # A script whose command word came out empty (`mxgw $CMD --endpoint ...`) gets the one
    # JSON line of every failure, not the command list in front of it.
    assert main(argv) == 2
    err = error_of(capsys)
    assert err["exitCode"] == 2 and err["type"] == "UsageError"
    assert "hunter2" not in str(err["message"])


def test_no_command_on_a_terminal_also_lists_the_commands(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    assert main([]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "usage: mxgw" in captured.err
    assert json.loads(captured.err.strip().splitlines()[-1])["error"]["exitCode"] == 2


def test_plaintext_and_tls_are_exclusive(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ping", "--endpoint", "h:1", "--plaintext", "--tls"]) == 2
    assert "not allowed with" in str(error_of(capsys)["message"])


@pytest.mark.parametrize("endpoint,flag", [("https://h:1", "--plaintext"),
                                           ("http://h:1", "--tls")])
def test_scheme_contradicting_flag(endpoint: str, flag: str,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ping", "--endpoint", endpoint, flag]) == 2
    assert "contradicts" in str(error_of(capsys)["message"])


def test_options_before_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--compact", "version"]) == 0
    assert json.loads(capsys.readouterr().out)["version"]


def test_missing_command_module_is_a_clear_error(capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from mxgw.cli import _table

    spec = _table.CommandSpec("nothing", "mxgw.cli.cmd_does_not_exist", "x", "local")
    monkeypatch.setitem(_table.COMMANDS, "nothing", spec)
    assert main(["nothing"]) == 1
    err = error_of(capsys)
    assert "not available in this build" in str(err["message"])


def test_dumps_is_sorted_ascii_and_finite() -> None:
    text = dumps({"b": "\u00e9", "a": float("nan")})
    assert text == '{"a":"nan","b":"\\u00e9"}'


def test_collect_is_capped() -> None:
    import io

    out = Output(io.StringIO(), collect=True, collect_limit=3)
    for i in range(3):
        out.item({"i": i})
    with pytest.raises(CollectLimitError, match="at most 3"):
        out.item({"i": 3})
