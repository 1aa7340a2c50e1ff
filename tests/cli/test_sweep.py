"""The bad-input sweep (issue 9, "Done when"): a table of bad inputs and faults, each run
through `main()` in-process and (the marked subset) as a `python -m mxgw` process.

For every row: the documented exit code, exactly one JSON line on stderr (the error),
no traceback, stdout empty or valid JSON, no secret in any output, and (the `cli`
fixture) no session left open in the simulator.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import grpc
import pytest
from cli_harness import Cli

PASSWORD = "op3rator-hunter2"  # a wrong password: it must never be printed
ARGV_KEY = "hunter2-argv-key"


@dataclass(frozen=True)
class Case:
    name: str
    argv: tuple[str, ...]
    code: int
    stdin: bytes | None = None
    files: dict[str, bytes] = field(default_factory=dict)  # written to the test's folder
    fault: tuple[object, ...] | None = None                 # sim.control.fail_next(...)
    process: bool = False                                   # also run as a process


WRONG_KEY = "mxgw_nokey_" + "x" * 43
T = "TestChildObject.TestInt"

CASES = [
    Case("unknown command", ("pt", "X=1"), 2, process=True),
    Case("unknown option", ("get", "--colour", T), 2),
    Case("missing required option", ("add-item", "--session-id", "s", "--tag", T), 2),
    Case("mistyped key option", ("--api-kye", "hunter2-secret", "get", T), 2, process=True),
    Case("mistyped key-env option", ("--api-key-evn", "HUNTER2_VAR", "get", T), 2),
    Case("undecodable argv", ("get", "\udcff"), 2, process=True),
    Case("binary stdin", ("get", "-"), 2, stdin=b"\xff\xfe\x00binary\n", process=True),
    Case("binary @file", ("get", "@{tmp}/tags.bin"), 2, files={"tags.bin": b"\x80\x81\n"}),
    Case("missing @file", ("get", "@{tmp}/missing.txt"), 2),
    Case("missing CA file", ("get", T, "--endpoint", "https://127.0.0.1:1", "--ca-file",
                             "{tmp}/none.pem"), 2),
    Case("garbage CA file", ("get", T, "--endpoint", "https://127.0.0.1:1", "--ca-file",
                             "{tmp}/bad.pem"), 2, files={"bad.pem": b"garbage\n"},
         process=True),
    Case("line break in key", ("get", T, "--api-key", "hunter2\nkey"), 2, process=True),
    Case("non-ASCII key", ("get", T, "--api-key", "hunter2-k\u00e9y"), 2, process=True),
    Case("huge timeout", ("get", T, "--timeout", "1e10"), 2, process=True),
    Case("huge trust timeout", ("trust", "add", "127.0.0.1:1", "--timeout", "1e10"), 2),
    Case("zero timeout", ("--timeout", "0", "get", T), 2),
    Case("NaN timeout", ("get", T, "--timeout", "nan"), 2),
    Case("bad endpoint", ("get", T, "--endpoint", "gw:99999"), 2),
    Case("empty label in host", ("ping", "--endpoint", "gw..plant:5120", "--timeout", "5"), 3),
    Case("label over 63 in host", ("trust", "add", "g" * 64 + ".plant:5120"), 3),
    Case("scheme contradicts flag", ("ping", "--endpoint", "https://h:1", "--plaintext"), 2),
    Case("NaN value", ("put", "TestChildObject.TestDouble=nan"), 2),
    Case("bad type", ("put", "--type", "decimal", f"{T}=1"), 2),
    Case("value out of range", ("put", "--type", "int32", f"{T}=3000000000"), 2),
    Case("undecodable value", ("put", "--type", "string", "TestChildObject.TestString=\udcff"),
         2),
    Case("bad --until", ("watch", T, "--until", "value = 5"), 2),
    Case("--until beyond a float", ("watch", T, "--until", "value == 1" + "0" * 400, "--count",
                                    "1"), 10),
    Case("lease out of range", ("open-session", "--lease", "1e12"), 2),
    Case("bench bulk size 0", ("bench-read-bulk", "--bulk-size", "0"), 2),
    Case("too many bulk entries", ("read-bulk", "--session-id", "session-x",
                                   "--server-handle", "1", "-"), 2,
         stdin=b"".join(b"Pump%03d.Speed\n" % i for i in range(1001))),
    Case("unknown tag", ("get", "No.Such.Tag"), 7),
    Case("wrong key", ("get", T, "--api-key", WRONG_KEY), 4, process=True),
    Case("wrong password", ("put", "--user", "operator", "Pump001.SetPoint=50"), 7),
    Case("gateway down", ("ping", "--endpoint", "127.0.0.1:1", "--plaintext",
                          "--timeout", "5"), 3, process=True),
    Case("TLS to plaintext", ("ping", "--tls", "--endpoint", "{sim}", "--timeout", "5"), 3),
    Case("system roots against plaintext", ("ping", "--endpoint", "{sim}",
                                            "--require-cert-validation", "--timeout", "5"),
         3, process=True),
    Case("unknown session", ("drain-events", "--session-id", "session-" + "f" * 32), 5),
    Case("long name", ("galaxy-browse", "A" * 20_000), 6),
    Case("too many sessions", ("get", T), 5,
         fault=(1, grpc.StatusCode.RESOURCE_EXHAUSTED, "too many sessions", "OpenSession")),
    Case("reply over the size limit", ("get", T), 6,
         fault=(1, grpc.StatusCode.RESOURCE_EXHAUSTED,
                "Received message larger than max (20971520 vs. 16777216)", "Invoke")),
    Case("gateway fails mid-command", ("get", T), 3,
         fault=(1, grpc.StatusCode.UNAVAILABLE, "worker went away", "Invoke")),
    Case("worker aborted", ("get", T), 8,
         fault=(1, grpc.StatusCode.ABORTED, "worker aborted", "Invoke")),
]


def _argv(case: Case, cli: Cli, tmp: Path) -> list[str]:
    for name, data in case.files.items():
        (tmp / name).write_bytes(data)
    return [a.replace("{tmp}", str(tmp)).replace("{sim}", cli.sim.endpoint)
            for a in case.argv]


def _secrets(cli: Cli) -> list[str]:
    found = [PASSWORD, ARGV_KEY, "hunter2"]
    for key in (cli.sim.api_key, cli.sim.read_only_api_key):
        found += [key, key.split("_", 2)[2]]  # the key, and its bare secret part
    return found


def check(code: int, out: str, err: str, case: Case, secrets: list[str]) -> None:
    assert code == case.code, err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    error = json.loads(lines[0])["error"]
    assert error["exitCode"] == case.code
    for line in out.splitlines():
        json.loads(line)  # stdout is empty or JSON
    for secret in secrets:
        assert secret not in out and secret not in err, secret


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_in_process(cli: Cli, tmp_path: Path, case: Case) -> None:
    cli.monkeypatch.setenv("MXGW_PASSWORD", PASSWORD)
    if case.stdin is not None:
        cli.monkeypatch.setattr(
            "sys.stdin", io.TextIOWrapper(io.BytesIO(case.stdin), encoding="utf-8"))
    if case.fault is not None:
        cli.sim.control("fail_next", *case.fault)
    argv = _argv(case, cli, tmp_path)
    result = cli(*argv)
    check(result.code, result.out, result.err, case, _secrets(cli))


PROCESS_CASES = [c for c in CASES if c.process]


@pytest.mark.parametrize("case", PROCESS_CASES, ids=[c.name for c in PROCESS_CASES])
def test_as_a_process(cli: Cli, tmp_path: Path, case: Case) -> None:
    argv = _argv(case, cli, tmp_path)
    env = {**os.environ, "MXGATEWAY_ENDPOINT": f"http://{cli.sim.endpoint}",
           "MXGATEWAY_API_KEY": cli.sim.api_key, "MXGW_HOME": str(cli.home),
           "MXGW_PASSWORD": PASSWORD}
    env.pop("GRPC_VERBOSITY", None)
    # argv as bytes: an undecodable word reaches the child as the OS gives it.
    words = [os.fsencode(a) for a in [sys.executable, "-m", "mxgw", *argv]]
    done = subprocess.run(words, input=case.stdin or b"", capture_output=True, env=env,
                          timeout=120, check=False)
    out = done.stdout.decode("ascii")  # ASCII-only JSON, whatever the input was
    err = done.stderr.decode("ascii")
    check(done.returncode, out, err, case, _secrets(cli))
