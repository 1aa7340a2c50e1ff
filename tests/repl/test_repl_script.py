"""`mxgw repl` without a terminal: piped stdin and --exec FILE, against a real simulator."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import sysconfig
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

import mxgw
from mxgw.testing import RunningSimulator, run_simulator

BOUND = 120.0  # seconds: an upper bound on every wait, never an assertion


async def _mxgw(*args: str, stdin: str = "", env: dict[str, str] | None = None,
                python_flags: tuple[str, ...] = ()) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, *python_flags, "-m", "mxgw", *args, stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env)
    try:
        out, err = await asyncio.wait_for(proc.communicate(stdin.encode()), BOUND)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MXGATEWAY_", "MXGW_"))}
    env.update(MXGW_HOME=str(tmp_path), **extra)
    return env


@pytest_asyncio.fixture
async def sim() -> AsyncIterator[RunningSimulator]:
    async with run_simulator(tick_interval=None) as running:
        yield running


def _args(sim: RunningSimulator, *extra: str) -> list[str]:
    return ["repl", "--endpoint", sim.endpoint, "--plaintext", *extra]


def _lines(stdout: str) -> list[Any]:
    return [json.loads(line) for line in stdout.splitlines()]


@pytest.mark.asyncio
async def test_endpoint_sim_piped_statements_print_json_lines(tmp_path: Path) -> None:
    script = (
        "value = await read('TestChildObject.TestIntArray[]')\n"
        "value.value\n"
        "server\n"
        "session.session_id.startswith('session-')\n"
        "import sys\n"
        "[m for m in ('ptpython', 'prompt_toolkit') if m in sys.modules]\n"
    )
    code, out, err = await _mxgw("repl", "--endpoint", "sim", stdin=script,
                                 env=_env(tmp_path))
    assert code == 0, err
    # The last line: scripted runs never import the interactive prompt.
    assert _lines(out) == [[10, 20, 30, 40, 50], 1, True, []]


@pytest.mark.asyncio
async def test_piped_script_uses_preloaded_namespace_and_closes_session(
        sim: RunningSimulator, tmp_path: Path) -> None:
    sim.control.set_value("TestChildObject.TestInt", 31)
    script = (
        "await write('TestChildObject.TestInt', 32)\n"
        "v = await session.read('TestChildObject.TestInt')\n"
        "v['TestChildObject.TestInt']\n"
        "[type(x).__name__ for x in (client, galaxy, gateway_pb2, asyncio)]\n"
    )
    code, out, err = await _mxgw(*_args(sim), stdin=script,
                                 env=_env(tmp_path, MXGATEWAY_API_KEY=sim.api_key))
    assert code == 0, err
    value, names = _lines(out)
    assert value["value"] == 32 and value["qualityText"] == "Good"
    assert names == ["GatewayClient", "GalaxyRepositoryClient", "module", "module"]
    assert sim.control.get_value("TestChildObject.TestInt") == 32
    assert sim.control.open_session_count == 0


@pytest.mark.asyncio
async def test_exec_file_stops_at_first_error_with_file_and_line(
        sim: RunningSimulator, tmp_path: Path) -> None:
    job = tmp_path / "job.py"
    job.write_text("1 + 1\nnot_defined\nawait write('TestChildObject.TestInt', 5)\n")
    sim.control.set_value("TestChildObject.TestInt", 4)
    code, out, err = await _mxgw(*_args(sim, "--exec", str(job)),
                                 env=_env(tmp_path, MXGATEWAY_API_KEY=sim.api_key))
    assert code == 1
    assert _lines(out) == [2]
    error = json.loads(err.strip().splitlines()[-1])["error"]
    assert error["type"] == "NameError"
    assert error["message"].startswith(f"{job} line 2: NameError")
    assert "Traceback" in err
    assert sim.control.get_value("TestChildObject.TestInt") == 4
    assert sim.control.open_session_count == 0


@pytest.mark.asyncio
async def test_read_only_profile_refuses_write_helper(sim: RunningSimulator,
                                                      tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        "[profiles.ro]\n"
        f'endpoint = "{sim.endpoint}"\nplaintext = true\nread_only = true\n')
    sim.control.set_value("Tank001.HiHiLimit", 95.0)
    code, out, err = await _mxgw(
        "repl", "--config", str(config), "--profile", "ro",
        stdin="await read('Tank001.HiHiLimit')\nawait write('Tank001.HiHiLimit', 90.0)\n",
        env=_env(tmp_path, MXGATEWAY_API_KEY=sim.api_key))
    assert code == 2, err
    assert _lines(out)[0]["value"] == 95.0
    error = json.loads(err.strip().splitlines()[-1])["error"]
    assert error["type"] == "MxGatewayReadOnlyError" and "line 2" in error["message"]
    # The library refused (the REPL has no guard of its own), in the library's words.
    from mxgw._errors import read_only_refusal

    assert error["message"] == f"<stdin> line 2: {read_only_refusal('write', 'ro')}"
    assert "Traceback" not in err
    assert sim.control.get_value("Tank001.HiHiLimit") == 95.0
    assert sim.control.open_session_count == 0


@pytest.mark.asyncio
async def test_gateway_error_in_script_is_one_line_and_mapped(sim: RunningSimulator,
                                                              tmp_path: Path) -> None:
    code, out, err = await _mxgw(
        *_args(sim), stdin="await write('Pump001.Model', 'X')\n",
        env=_env(tmp_path, MXGATEWAY_API_KEY=sim.api_key))
    assert code == 7, err  # MXAccess failure: Model is not writeable
    assert err.count("\n") == 1 and out == ""
    assert json.loads(err)["error"]["type"] == "MxAccessError"
    assert sim.control.open_session_count == 0


@pytest.mark.asyncio
@pytest.mark.parametrize(("name", "content", "said"), [
    ("blob.py", b"\xff\xfe\x00garbage", "UTF-8"),
    ("nope.py", None, "nope.py"),  # missing
], ids=["binary", "missing"])
async def test_unreadable_exec_file_is_a_usage_error(
        sim: RunningSimulator, tmp_path: Path, name: str, content: bytes | None,
        said: str) -> None:
    script = tmp_path / name
    if content is not None:
        script.write_bytes(content)
    code, out, err = await _mxgw(*_args(sim, "--exec", str(script)),
                                 env=_env(tmp_path, MXGATEWAY_API_KEY=sim.api_key))
    assert code == 2 and out == ""
    error = json.loads(err)["error"]
    assert error["type"] == "UsageError" and said in error["message"]
    assert sim.control.open_session_count == 0


def _without_site(env: dict[str, str]) -> dict[str, str]:
    """`python -S` reads no .pth files, so name mxgw's source and the .venv's packages."""
    paths = sysconfig.get_paths()
    folders = [str(Path(mxgw.__file__).resolve().parents[1]), paths["purelib"], paths["platlib"]]
    return {**env, "PYTHONPATH": os.pathsep.join(dict.fromkeys(folders))}


@pytest.mark.asyncio
@pytest.mark.parametrize(("line", "code", "flags"), [
    ("exit(3)", 3, ()),
    ("exit(3)", 3, ("-S",)),    # no `site`, as in the embeddable Windows Python
    ("quit(4)", 4, ("-S",)),
], ids=["exit", "exit-without-site", "quit-without-site"])
async def test_exit_in_script_sets_the_code_and_still_closes(
        sim: RunningSimulator, tmp_path: Path, line: str, code: int,
        flags: tuple[str, ...]) -> None:
    env = _env(tmp_path, MXGATEWAY_API_KEY=sim.api_key)
    if flags:
        env = _without_site(env)
    got, out, err = await _mxgw(*_args(sim), stdin=f"1\n{line}\n2\n", env=env,
                                python_flags=flags)
    assert (got, _lines(out)) == (code, [1]), err
    assert sim.control.open_session_count == 0


@pytest.mark.asyncio
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_signal_during_a_script_closes_the_session(sim: RunningSimulator,
                                                         tmp_path: Path, signum: int) -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "mxgw", *_args(sim), stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        env=_env(tmp_path, MXGATEWAY_API_KEY=sim.api_key))
    try:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(b"'started'\nawait asyncio.sleep(3600)\n")
        proc.stdin.close()
        assert await asyncio.wait_for(proc.stdout.readline(), BOUND) == b'"started"\n'
        assert sim.control.open_session_count == 1
        proc.send_signal(signum)
        assert await asyncio.wait_for(proc.wait(), BOUND) == 130
        assert sim.control.open_session_count == 0
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


@pytest.mark.asyncio
async def test_a_script_whose_session_is_lost_fails_fast_without_reconnecting(
        sim: RunningSimulator, tmp_path: Path) -> None:
    # The gateway forgets the session (as after a restart): a script stops at the next
    # statement with the session exit code instead of reconnecting behind its back.
    script = ("await client.close_session(session.session_id)\n"
              "await read('TestChildObject.TestInt')\n"
              "'not reached'\n")
    code, out, err = await _mxgw(*_args(sim), stdin=script,
                                 env=_env(tmp_path, MXGATEWAY_API_KEY=sim.api_key))
    assert code == 5, err
    assert _lines(out) == ["CLOSED"]
    lines = err.splitlines()
    error = json.loads(lines[-1])["error"]
    assert error["type"] == "MxGatewaySessionError" and error["grpcCode"] == "NOT_FOUND"
    assert error["message"].startswith("<stdin> line 2: ")
    assert not any("reconnect" in line for line in lines), err
    assert sim.control.open_session_count == 0


@pytest.mark.asyncio
async def test_a_script_that_fails_after_first_contact_has_one_stderr_line(
        tmp_path: Path) -> None:
    # The first-contact notice is held back until the first output; a script that fails
    # before any carries it in its error line, as every other command does.
    async with run_simulator(tls=True, tick_interval=None) as sim:
        code, out, err = await _mxgw(
            "repl", "--endpoint", sim.endpoint, "--tls",
            stdin="await write('Pump001.Model', 'X')\n",
            env=_env(tmp_path, MXGATEWAY_API_KEY=sim.api_key))
        assert sim.control.open_session_count == 0
    assert code == 7, err
    assert err.count("\n") == 1 and out == "", err
    error = json.loads(err)["error"]
    assert error["type"] == "MxAccessError"
    assert [n["notice"] for n in error["notices"]] == ["trusting new gateway certificate"]
    assert error["notices"][0]["sha256"] == sim.certificate_sha256
