"""The standalone server: start line, verbose logs without secrets, clean shutdown."""

from __future__ import annotations

import asyncio
import logging
import math
import re
import signal
import socket
from pathlib import Path
from typing import Any

import grpc
import pytest
from simkit import WAIT, Gw, pb, standalone, take

from mxgw._proto import galaxy_pb2 as gpb
from mxgw._proto import galaxy_pb2_grpc
from mxgw.sim.__main__ import build_parser, install_stop_handlers, main


async def _exercise(info: dict[str, Any]) -> tuple[Any, grpc.aio.Channel]:
    """Open a session, authenticate (a password on the wire), attach a stream."""
    channel = grpc.aio.insecure_channel(info["endpoint"])
    gw = Gw(None, channel, info["apiKey"])
    session_id = await gw.open()
    server = await gw.register(session_id)
    reply = await gw.invoke(session_id, authenticate_user_command=pb.AuthenticateUserCommand(
        server_handle=server, user_name="operator", password="operator-pw"))
    assert reply.protocol_status.code == pb.PROTOCOL_STATUS_CODE_OK
    item = await gw.add(session_id, server, "TestChildObject.TestInt")
    await gw.advise(session_id, server, item)
    call = gw.stream(session_id)
    await take(call, 1)
    return call, channel


async def _stop(proc: Any, call: Any, channel: grpc.aio.Channel, sig: int) -> str:
    proc.send_signal(sig)
    while await asyncio.wait_for(call.read(), WAIT) != grpc.aio.EOF:
        pass
    _, stderr = await asyncio.wait_for(proc.communicate(), 30)
    await channel.close()
    assert proc.returncode == 0, stderr
    return str(stderr.decode())


@pytest.mark.asyncio
async def test_start_line_verbose_log_and_sigterm() -> None:
    async with standalone("--verbose") as (proc, info):
        assert info["transport"] == "plaintext" and info["galaxy"]["objects"] == 22
        assert info["endpoint"].startswith("127.0.0.1:")
        call, channel = await _exercise(info)
        log = await _stop(proc, call, channel, signal.SIGTERM)
    assert "OpenSession" in log and "AUTHENTICATE_USER" in log and "simulator stopped" in log
    for secret in (info["apiKey"], info["readOnlyApiKey"], "operator-pw", "Bearer"):
        assert secret not in log


@pytest.mark.asyncio
async def test_tls_start_line_prints_the_fingerprint_in_the_clients_form() -> None:
    # The SHA-256 of the DER certificate the server presents, in colon hex: what the
    # client pins, stores and prints, so `mxgw --tls-pin VALUE` takes it as printed.
    from mxgw import _channel
    from mxgw._endpoint import parse_endpoint

    async with standalone("--tls") as (_, info):
        presented = await _channel.probe_certificate(parse_endpoint(info["endpoint"]), 10)
    assert info["transport"] != "plaintext"
    assert info["certificateSha256"] == _channel.fingerprint(presented)
    assert re.fullmatch(r"([0-9a-f]{2}:){31}[0-9a-f]{2}", info["certificateSha256"])


@pytest.mark.asyncio
async def test_ctrl_c_without_loop_signal_handlers_still_stops_cleanly() -> None:
    async with standalone("--verbose", windows=True) as (proc, info):
        call, channel = await _exercise(info)
        log = await _stop(proc, call, channel, signal.SIGINT)
    assert "simulator stopped" in log and "Traceback" not in log


def test_install_stop_handlers_reports_unsupported_loops() -> None:
    class NoSignals:
        def add_signal_handler(self, *args: Any) -> None:
            raise NotImplementedError

    assert install_stop_handlers(NoSignals(), lambda: None) is False  # type: ignore[arg-type]


def test_bad_options_exit_2_with_one_line(capsys: pytest.CaptureFixture[str],
                                          tmp_path: Path) -> None:
    assert main(["--objects", "-1"]) == 2
    assert main(["--cert-file", "c.pem"]) == 2
    bad = tmp_path / "galaxy.json"
    bad.write_text("{not json")
    assert main(["--port", "0", "--galaxy-file", str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and all(line.startswith("mxgw sim: ") for line in err)
    assert main(["--tick-interval", "-3"]) == 2
    assert main(["--help"]) == 0


@pytest.mark.parametrize(("field", "value"), [
    ("tick_interval", math.nan),    # before: accepted, and ticked without pause (a core)
    ("deploy_period", math.inf),
    ("lease_seconds", math.nan),    # before: every OpenSession failed UNKNOWN
    ("lease_seconds", 1e12),        # before: the same, the lease end past year 9999
    ("replay_seconds", -math.inf),
])
def test_periods_must_be_finite(field: str, value: float) -> None:
    from mxgw.sim import SimOptions

    with pytest.raises(ValueError, match=field):
        SimOptions(**{field: value})


@pytest.mark.parametrize("word", ["none", "off", "0", "OFF", "None"])
@pytest.mark.parametrize("flag", ["--tick-interval", "--deploy-period"])
def test_the_words_for_never_that_the_readme_lists(flag: str, word: str) -> None:
    args = build_parser().parse_args([flag, word])
    assert getattr(args, flag[2:].replace("-", "_")) is None
    assert getattr(build_parser().parse_args([flag, "2.5"]), flag[2:].replace("-", "_")) == 2.5


@pytest.mark.parametrize("argv", [
    ["--tick-interval", "nan"],
    ["--lease-seconds", "inf"],
    ["--tick-interval", "soon"],
    ["--objects", "many"],
    ["--bogus"],                    # before: the usage text, then the error: 11 lines
    ["--api-key", "hunter2-secret"],
    ["--api-key=hunter2-secret"],
], ids=lambda argv: " ".join(argv))
def test_every_bad_option_is_exit_2_with_one_line_and_no_value_echoed(
        capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    assert main(["--port", "0", *argv]) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert captured.out == "" and len(lines) == 1 and lines[0].startswith("mxgw sim: "), lines
    assert "hunter2" not in captured.err


def test_objects_beyond_the_cap_are_refused_before_building(
        capsys: pytest.CaptureFixture[str]) -> None:
    # `--objects 99999999999` built its galaxy until memory ran out, with no line at all.
    assert main(["--port", "0", "--objects", "99999999999"]) == 2
    assert capsys.readouterr().err.strip() == (
        "mxgw sim: objects must be 0..100000, not 99999999999")


def test_port_in_use_exits_3(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        assert main(["--port", str(sock.getsockname()[1])]) == 3
    assert "cannot listen" in capsys.readouterr().err


def test_every_option_has_a_flag() -> None:
    import dataclasses

    from mxgw.sim import SimOptions
    from mxgw.sim.__main__ import options_from_args

    args = build_parser().parse_args([])
    fields = {f.name for f in dataclasses.fields(SimOptions)}
    assert fields <= set(vars(args))
    assert options_from_args(args).port == 5120


@pytest.mark.asyncio
async def test_deploy_period_flag_deploys() -> None:
    async with standalone("--deploy-period", "0.05") as (_, info), \
            grpc.aio.insecure_channel(info["endpoint"]) as channel:
        stub = galaxy_pb2_grpc.GalaxyRepositoryStub(channel)
        call = stub.WatchDeployEvents(gpb.WatchDeployEventsRequest(), metadata=(
            ("authorization", f"Bearer {info['apiKey']}"),))
        first, second = await take(call, 2)
        assert second.sequence == first.sequence + 1
        call.cancel()


@pytest.mark.asyncio
async def test_plaintext_flag_is_the_explicit_default(capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    assert build_parser().parse_args(["--plaintext"]).tls is False
    assert build_parser().parse_args([]).tls is False
    async with standalone("--plaintext") as (_, info):
        assert info["transport"] == "plaintext" and "certificateSha256" not in info
    assert main(["--plaintext", "--tls"]) == 2
    assert "not allowed with argument" in capsys.readouterr().err


def _pem_pair(tmp_path: Path, name: str) -> tuple[Path, Path]:
    from mxgw.sim import _tls

    cert, key = _tls.self_signed()
    (tmp_path / f"{name}.crt").write_bytes(cert)
    (tmp_path / f"{name}.key").write_bytes(key)
    return tmp_path / f"{name}.crt", tmp_path / f"{name}.key"


def test_bad_tls_files_exit_2_naming_the_file(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization

    cert, key = _pem_pair(tmp_path, "good")
    _, other_key = _pem_pair(tmp_path, "other")
    bad = tmp_path / "bad.pem"
    bad.write_text("not a certificate\n")
    locked = tmp_path / "locked.key"
    locked.write_bytes(serialization.load_pem_private_key(key.read_bytes(), None).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"pw")))
    cases = [
        (bad, bad, "bad.pem: no PEM certificate"),
        (cert, bad, "bad.pem: no PEM private key"),
        (key, key, "good.key: no PEM certificate"),
        (cert, other_key, "other.key: the private key does not match the certificate in"),
        (cert, locked, "locked.key: the private key is encrypted"),
    ]
    for cert_file, key_file, message in cases:
        code = main(["--port", "0", "--tls", "--cert-file", str(cert_file),
                     "--key-file", str(key_file)])
        err = capsys.readouterr().err
        assert code == 2, (message, err)
        assert err.count("\n") == 1 and err.startswith("mxgw sim: ") and message in err, err


@pytest.mark.asyncio
async def test_the_verbose_log_of_a_kind_the_contract_does_not_name(
        caplog: pytest.LogCaptureFixture) -> None:
    # A client speaking another contract sends kind numbers this one lacks: the call is
    # INVALID_ARGUMENT and the log line names the kind by its digits. Before: the log's
    # description raised KeyError, so under --verbose the call failed UNKNOWN instead.
    from simkit import code_of, connected

    caplog.set_level(logging.INFO, logger="mxgw.sim")
    async with connected() as gw:
        session_id = await gw.open()
        request = pb.MxCommandRequest(session_id=session_id, command=pb.MxCommand(
            kind=999, write_command=pb.WriteCommand()))
        code = await code_of(gw.stub.Invoke(request, metadata=gw.metadata))
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert any(m.startswith(f"Invoke {session_id} 999 -> INVALID_ARGUMENT")
               for m in caplog.messages), caplog.messages
