"""Trust on first use between real processes: `mxgw sim --tls` as a server, `mxgw` as the
client, a restart with a new certificate on the same port, and clients racing on first
contact."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from test_process import _first_line

MXGW = [sys.executable, "-m", "mxgw"]


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "MXGW_HOME": str(home), "PYTHONUNBUFFERED": "1", **extra}
    env.pop("MXGATEWAY_ENDPOINT", None)
    return env


@contextmanager
def tls_sim(home: Path, port: int = 0) -> Iterator[tuple[dict[str, Any], list[str]]]:
    """`mxgw sim --tls --verbose`; yields its start line and, once stopped, its log lines."""
    proc = subprocess.Popen([*MXGW, "sim", "--tls", "--verbose", "--port", str(port),
                             "--tick-interval", "none"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=_env(home))
    log: list[str] = []
    try:
        yield json.loads(_first_line(proc.stdout)), log
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=60)
        log.extend(err.splitlines())


def mxgw(home: Path, sim: dict[str, Any], *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*MXGW, *argv, "--endpoint", sim["endpoint"], "--timeout", "20"],
                          capture_output=True, text=True, timeout=120, check=False,
                          env=_env(home, MXGATEWAY_API_KEY=sim["apiKey"]))


def calls(log: list[str], rpc: str) -> int:
    return sum(1 for line in log if f" {rpc} " in f" {line} ")


def test_printed_fingerprint_pins_and_a_restart_with_a_new_certificate_is_refused(
        tmp_path: Path) -> None:
    with tls_sim(tmp_path) as (first, first_log):
        printed = first["certificateSha256"]
        # The simulator prints the client's form: what `trust add` fetches from it.
        fetched = subprocess.run([*MXGW, "trust", "add", first["endpoint"]],
                                 capture_output=True, text=True, timeout=120,
                                 check=False, env=_env(tmp_path))
        assert json.loads(fetched.stdout)["sha256"] == printed, fetched.stderr
        pinned = mxgw(tmp_path / "other-home", first, "--tls-pin", printed, "ping")
        assert pinned.returncode == 0 and pinned.stderr == "", pinned.stderr
        assert json.loads(pinned.stdout)["transport"] == (
            f"TLS (pinned by tls_pin, SHA-256 {printed})")
        wrong = mxgw(tmp_path / "other-home", first, "--tls-pin", "0" * 64, "ping")
        assert wrong.returncode == 3 and wrong.stdout == ""
        assert json.loads(wrong.stderr)["error"]["type"] == "MxGatewayCertificateChangedError"
        known = mxgw(tmp_path, first, "ping", "--tls")
        assert known.returncode == 0 and known.stderr == "", known.stderr
    assert calls(first_log, "OpenSession") == 2  # the two accepted pings, not the refused
    port = int(first["endpoint"].rsplit(":", 1)[1])

    with tls_sim(tmp_path, port) as (second, second_log):
        new = second["certificateSha256"]
        assert second["endpoint"] == first["endpoint"] and new != printed
        refused = mxgw(tmp_path, second, "ping", "--tls")
        assert refused.returncode == 3 and refused.stdout == ""
        lines = refused.stderr.splitlines()
        assert len(lines) == 1, refused.stderr
        error = json.loads(lines[0])["error"]
        assert error["type"] == "MxGatewayCertificateChangedError" and error["exitCode"] == 3
        assert printed in error["message"] and new in error["message"]
        assert second["apiKey"] not in refused.stderr
        accepted = mxgw(tmp_path, second, "--tls-pin", new, "ping")
        assert accepted.returncode == 0, accepted.stderr
    # The refused ping sent nothing: the only session is the accepted one's.
    assert calls(second_log, "OpenSession") == 1
    assert calls(second_log, "CloseSession") == 1


def test_clients_racing_on_first_contact_leave_one_valid_file(tmp_path: Path) -> None:
    with tls_sim(tmp_path / "server") as (sim, _):
        env = _env(tmp_path, MXGATEWAY_API_KEY=sim["apiKey"])
        racers = [subprocess.Popen([*MXGW, "ping", "--tls", "--endpoint", sim["endpoint"],
                                    "--timeout", "20"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env=env)
                  for _ in range(4)]
        results = [proc.communicate(timeout=120) + (proc.returncode,) for proc in racers]
    for out, err, code in results:
        assert code == 0, err
        assert json.loads(out)["ok"] is True
    notices = [json.loads(err) for _, err, _ in results if err]
    assert len(notices) == 1  # exactly one of them met a new gateway; the rest found it known
    assert notices[0]["sha256"] == sim["certificateSha256"]
    doc = json.loads((tmp_path / "known_gateways.json").read_text())
    assert doc["gateways"] == {sim["endpoint"]: doc["gateways"][sim["endpoint"]]}
    assert doc["gateways"][sim["endpoint"]]["sha256"] == sim["certificateSha256"]
