"""`mxgw doctor` through main() against simulators over real gRPC: a healthy one, a down
port, TLS against plaintext both ways, certificates changed, expired or misnamed, an
unknown key, the read-only key, a degraded alarm provider, a clock ahead, a slow gateway."""

from __future__ import annotations

import datetime
import io
import ipaddress
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_harness import Cli, Result, SimThread

from mxgw.cli._doctor import STEPS

OTHER = "0f:" * 31 + "0f"
TAG = "TestChildObject.TestInt"


def doctor(cli: Cli, *args: str) -> Result:
    return cli("doctor", "--timeout", "10", *args)


def steps(result: Result) -> dict[str, dict[str, Any]]:
    doc = result.doc
    assert set(doc) == {"ok", "endpoint", "steps"}
    assert [s["name"] for s in doc["steps"]] == list(STEPS)
    for step in doc["steps"]:
        assert set(step) == {"name", "status", "ms", "detail", "hint"}
        assert step["status"] in ("ok", "fail", "skip") and isinstance(step["ms"], float)
    return {s["name"]: s for s in doc["steps"]}


def statuses(result: Result) -> dict[str, str]:
    return {name: s["status"] for name, s in steps(result).items()}


def failed(result: Result, code: int, step: str, error_type: str) -> dict[str, Any]:
    """A failed run: the report on stdout, the first failure's error line on stderr."""
    assert result.code == code, result.err
    assert result.doc["ok"] is False
    first = next(s for s in result.doc["steps"] if s["status"] == "fail")
    assert first["name"] == step
    assert result.error["type"] == error_type and result.error["message"] == first["detail"]
    return first


def blocked(result: Result, *names: str) -> None:
    for name in names:
        assert steps(result)[name]["detail"].startswith("skipped: the "), name


def tls_doctor(cli: Cli, *args: str) -> Result:
    return doctor(cli, "--endpoint", cli.sim.endpoint, *args)


# ------------------------------------------------------------------ healthy


def test_a_healthy_gateway(cli: Cli) -> None:
    result = cli.ok("doctor", "--tag", TAG)
    assert result.doc["ok"] is True and result.doc["endpoint"] == f"http://{cli.sim.endpoint}"
    assert statuses(result) == {**dict.fromkeys(STEPS, "ok"), "certificate": "skip"}
    found = steps(result)
    assert found["transport"]["detail"].startswith("plaintext (h2c)")
    assert found["certificate"]["detail"] == "plaintext: no certificate"
    assert found["auth"]["detail"] == (
        "key accepted; scopes: session:open, session:close, invoke:read, invoke:write, "
        "invoke:secure, events:read, metadata:read")
    assert found["session"]["detail"].startswith("opened session-")
    assert "closed (CLOSED" in found["session"]["detail"]
    assert "the clocks agree" in found["session"]["detail"]
    assert found["read"]["detail"].startswith(f"{TAG} = ")
    assert "(INTEGER, Good, " in found["read"]["detail"]
    assert found["galaxy"]["detail"].startswith("TestConnection ok")
    assert found["alarms"]["detail"].startswith("alarm provider ALARMMGR, healthy since ")
    # the simulator serves reflection by default (v1 and v1alpha), and agrees
    assert found["contract"]["detail"] == (
        "reflection offered (grpc.reflection.v1.ServerReflection); the contract in use "
        "(built-in) agrees with the gateway's on every message, field and enum value the "
        "tool uses")
    assert all(s["hint"] is None for s in found.values())
    # the write probes went to handle 0 in a session with nothing in it: nothing changed
    assert cli.sim.control("get_value", TAG) == json.loads(
        found["read"]["detail"].split(" = ", 1)[1].split(" (", 1)[0])


def test_the_read_is_skipped_without_a_tag_but_not_against_the_builtin_simulator(
        cli: Cli) -> None:
    result = cli.ok("doctor")
    read = steps(result)["read"]
    assert (read["status"], read["detail"]) == ("skip", "no tag to read")
    assert "--tag" in read["hint"]
    assert result.doc["ok"] is True  # a step that does not apply is no failure
    sim = cli.ok("doctor", "--endpoint", "sim")
    assert steps(sim)["read"]["status"] == "ok"
    assert steps(sim)["read"]["detail"].startswith(f"{TAG} = ")


def test_a_bad_tag_fails_the_read_with_exit_7(cli: Cli) -> None:
    result = doctor(cli, "--tag", "No.Such.Tag")
    read = failed(result, 7, "read", "MxAccessError")
    assert read["detail"].startswith("No.Such.Tag: ") and "mxgw browse" in read["hint"]
    assert statuses(result)["galaxy"] == "ok"  # the steps after it still ran


def test_progress_on_a_terminal_only(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli.ok("doctor").err == ""  # stderr is not a terminal: nothing there

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    result = cli("doctor")
    assert result.code == 0
    lines = terminal.getvalue().splitlines()
    assert [line.split()[2] for line in lines if line.startswith("doctor:")] == list(STEPS)
    assert lines[0].startswith("doctor: ok   resolve")
    assert any(line.strip().startswith("hint: pass --tag") for line in lines)


# ------------------------------------------------------------------ network


def test_a_down_port(cli: Cli, free_port: int) -> None:
    result = doctor(cli, "--endpoint", f"127.0.0.1:{free_port}", "--plaintext")
    connect = failed(result, 3, "connect", "MxGatewayTransportError")
    assert "connection refused" in connect["detail"] and "5120" in connect["hint"]
    assert statuses(result)["resolve"] == "ok"
    blocked(result, *STEPS[2:])


def test_a_name_that_does_not_resolve(cli: Cli) -> None:
    result = doctor(cli, "--endpoint", "no-such-host.invalid:5120")
    resolve = failed(result, 3, "resolve", "MxGatewayTransportError")
    assert resolve["detail"].startswith("cannot resolve no-such-host.invalid")
    blocked(result, *STEPS[1:])


@pytest.mark.parametrize("host", ["gw..plant", "g" * 64 + ".plant"])
def test_a_name_that_cannot_be_one(cli: Cli, host: str) -> None:
    # Before: the socket module's UnicodeError (IDNA) was an internal error, exit 1,
    # and no report was printed.
    result = doctor(cli, "--endpoint", f"{host}:5120", "--plaintext")
    resolve = failed(result, 3, "resolve", "MxGatewayTransportError")
    assert resolve["detail"] == (f"cannot resolve {host}: not a valid host name (label "
                                 "empty or too long)")
    blocked(result, *STEPS[1:])


def test_tls_asked_of_a_plaintext_gateway(cli: Cli) -> None:
    result = doctor(cli, "--endpoint", cli.sim.endpoint, "--tls")
    transport = failed(result, 3, "transport", "MxGatewayTransportError")
    assert transport["detail"] == f"{cli.sim.endpoint} speaks plaintext (h2c), but TLS was asked for"
    assert transport["hint"].startswith("connect with --plaintext")
    blocked(result, "certificate", "auth", "session", "read", "galaxy", "alarms", "contract")


@pytest.mark.parametrize(("how", "source"), [
    (["--plaintext"], "--plaintext"), (["http"], "the http:// endpoint")])
def test_plaintext_asked_of_a_tls_gateway(tcli: Cli, how: list[str], source: str) -> None:
    endpoint = f"http://{tcli.sim.endpoint}" if how == ["http"] else tcli.sim.endpoint
    result = doctor(tcli, "--endpoint", endpoint, *(how if how != ["http"] else []))
    transport = failed(result, 3, "transport", "MxGatewayTransportError")
    assert transport["detail"] == (
        f"{tcli.sim.endpoint} speaks TLS, but plaintext was asked for ({source})")
    assert transport["hint"].startswith(f"connect with TLS: drop {source}")


def test_a_silent_port_is_bounded_by_the_timeout(cli: Cli) -> None:
    with socket.socket() as listener:  # accepts (in the backlog), never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        result = cli("doctor", "--endpoint", f"127.0.0.1:{port}", "--timeout", "0.5")
    transport = failed(result, 3, "transport", "MxGatewayTransportError")
    assert transport["detail"] == "transport: no answer within 0.5 s"
    assert "--timeout" in transport["hint"]


def test_proxy_variables_set_and_ignored(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("https_proxy", "http://jdoe:s3cret@proxy.invalid:3128")
    result = cli.ok("doctor")
    connect = steps(result)["connect"]["detail"]
    assert ("proxy variables set and ignored: https_proxy=http://<redacted>@proxy.invalid:3128"
            " (--use-proxy routes through them)") in connect
    assert "s3cret" not in result.out


# ------------------------------------------------------------------ TLS and certificates


def test_first_contact_is_reported_and_never_stored(tcli: Cli) -> None:
    result = tcli.ok("doctor", "--endpoint", tcli.sim.endpoint)  # stderr stays empty: no notice
    sha = str(tcli.sim.sim.certificate_sha256)
    certificate = steps(result)["certificate"]
    assert certificate["status"] == "ok"
    assert certificate["detail"].startswith(f"first contact: {tcli.sim.endpoint} is not in ")
    assert f"SHA-256 {sha}" in certificate["detail"]
    assert "names localhost, " in certificate["detail"] and "127.0.0.1, ::1" in certificate["detail"]
    assert certificate["detail"].endswith("; self-signed")
    assert certificate["hint"] == (f"check the SHA-256 on the gateway host, then store it: "
                                   f"mxgw trust add {tcli.sim.endpoint} --pin {sha}")
    assert steps(result)["transport"]["detail"].startswith("TLS (TLSv1.")
    assert statuses(result)["auth"] == "ok" and statuses(result)["alarms"] == "ok"
    assert not (tcli.home / "known_gateways.json").exists()
    assert tcli.audit() == []
    tcli.ok("trust", "add", tcli.sim.endpoint)
    again = steps(tcli.ok("doctor", "--endpoint", tcli.sim.endpoint))["certificate"]
    assert again["detail"].startswith("known gateway: the certificate trusted since ")
    assert again["hint"] is None


def test_a_changed_certificate(tcli: Cli) -> None:
    tcli.ok("trust", "add", tcli.sim.endpoint, "--pin", OTHER)
    before = (tcli.home / "known_gateways.json").read_text()
    result = tls_doctor(tcli)
    certificate = failed(result, 3, "certificate", "MxGatewayCertificateChangedError")
    sha = str(tcli.sim.sim.certificate_sha256)
    assert OTHER in certificate["detail"] and sha in certificate["detail"]
    assert certificate["hint"].endswith(f"mxgw trust add {tcli.sim.endpoint} --pin {sha}")
    blocked(result, "auth", "session", "read", "galaxy", "alarms", "contract")
    assert (tcli.home / "known_gateways.json").read_text() == before


def test_tls_pin_and_ca_file(tcli: Cli, tmp_path: Path) -> None:
    sha = str(tcli.sim.sim.certificate_sha256)
    pinned = steps(tcli.ok("doctor", "--endpoint", tcli.sim.endpoint, "--tls-pin", sha))
    assert pinned["certificate"]["detail"].startswith("pinned by --tls-pin: it matches")
    refused = tls_doctor(tcli, "--tls-pin", OTHER)
    failed(refused, 3, "certificate", "MxGatewayCertificateChangedError")
    ca = tmp_path / "ca.pem"
    ca.write_bytes(tcli.sim.sim.ca_pem)
    verified = steps(tcli.ok("doctor", "--endpoint", tcli.sim.endpoint, "--ca-file", str(ca)))
    assert verified["certificate"]["detail"].startswith(
        f"verified against CA file {ca} for the name 127.0.0.1")
    assert verified["auth"]["status"] == "ok"
    misnamed = tls_doctor(tcli, "--ca-file", str(ca), "--server-name-override", "gw01.plant")
    certificate = failed(misnamed, 3, "certificate", "MxGatewayTransportError")
    assert "gw01.plant" in certificate["detail"]
    assert "--server-name-override" in certificate["hint"] and "localhost" in certificate["hint"]
    system = tls_doctor(tcli, "--require-cert-validation")
    certificate = failed(system, 3, "certificate", "MxGatewayTransportError")
    assert certificate["detail"].startswith("not trusted by the system trust roots")
    assert "--ca-file" in certificate["hint"]


def test_no_reflection_every_time_over_tls(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # A bidi reflection call with a separate write raced the simulator's UNIMPLEMENTED
    # (on another thread, as here) and grpc reported INTERNAL about half the time.
    thread = SimThread(tick_interval=None, tls=True, reflection=False)
    try:
        tcli = Cli(thread, capsys, monkeypatch, tmp_path)
        for _ in range(8):
            result = tcli.ok("doctor", "--endpoint", tcli.sim.endpoint, "--tls-pin",
                             str(tcli.sim.sim.certificate_sha256))
            assert steps(result)["contract"]["detail"] == "the gateway offers no reflection"
        assert thread.open_sessions() == 0
    finally:
        thread.stop()


def _certificate(tmp_path: Path, *, names: tuple[str, ...] = ("localhost", "127.0.0.1"),
                 days: tuple[int, int] = (-1, 90)) -> tuple[str, str]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    now = datetime.datetime.now(datetime.UTC)
    sans: list[x509.GeneralName] = []
    for name in names:
        try:
            sans.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            sans.append(x509.DNSName(name))
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now + datetime.timedelta(days=days[0]))
            .not_valid_after(now + datetime.timedelta(days=days[1]))
            .add_extension(x509.SubjectAlternativeName(sans), critical=False)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_file), str(key_file)


@pytest.fixture
def served(tmp_path: Path, capsys: pytest.CaptureFixture[str],
           monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """served(**certificate) -> Cli for a TLS simulator serving that certificate."""
    threads: list[SimThread] = []

    def start(**certificate: Any) -> Cli:
        cert_file, key_file = _certificate(tmp_path, **certificate)
        thread = SimThread(tick_interval=None, tls=True, cert_file=cert_file,
                           key_file=key_file)
        threads.append(thread)
        return Cli(thread, capsys, monkeypatch, tmp_path / "home")

    yield start
    for thread in threads:
        assert thread.open_sessions() == 0
        thread.stop()


def test_an_expired_certificate(served: Any) -> None:
    cli = served(days=(-30, -1))
    certificate = failed(tls_doctor(cli), 3, "certificate", "MxGatewayTransportError")
    assert certificate["detail"].startswith("the certificate expired on ")
    assert "clock" in certificate["hint"]


def test_a_certificate_not_valid_yet(served: Any) -> None:
    cli = served(days=(2, 90))
    certificate = failed(tls_doctor(cli), 3, "certificate", "MxGatewayTransportError")
    assert certificate["detail"].startswith("the certificate is not valid before ")
    assert "clock" in certificate["hint"]


def test_a_certificate_that_expires_soon_says_so(served: Any) -> None:
    cli = served(days=(-300, 10))
    certificate = steps(cli.ok("doctor", "--endpoint", cli.sim.endpoint))["certificate"]
    assert ": renew it soon; self-signed" in certificate["detail"]


def test_a_certificate_without_localhost_needs_a_server_name(served: Any) -> None:
    cli = served(names=("gw01.plant.local", "127.0.0.1"))
    result = tls_doctor(cli)
    certificate = failed(result, 3, "certificate", "MxGatewayTransportError")
    assert certificate["detail"] == (
        "the certificate does not name localhost, which trust-on-first-use checks (it "
        "names gw01.plant.local, 127.0.0.1)")
    assert certificate["hint"] == (
        "pass --server-name-override with one of its names (gw01.plant.local)")
    # and with it, gRPC agrees: every step passes
    fixed = cli.ok("doctor", "--endpoint", cli.sim.endpoint, "--server-name-override",
                   "gw01.plant.local")
    assert statuses(fixed)["auth"] == statuses(fixed)["alarms"] == "ok"


# ------------------------------------------------------------------ keys and scopes


def test_an_unknown_key(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    unknown = "mxgw_0123456789ab_" + "A" * 43
    monkeypatch.setenv("MXGATEWAY_API_KEY", unknown)
    result = doctor(cli)
    auth = failed(result, 4, "auth", "MxGatewayAuthenticationError")
    assert auth["detail"] == "the gateway refused the API key: UNAUTHENTICATED: unknown API key"
    assert "MXGATEWAY_API_KEY" in auth["hint"]
    blocked(result, "session", "read", "galaxy", "alarms")
    assert statuses(result)["contract"] == "ok"  # reflection needs no key: it still ran
    assert steps(result)["contract"]["detail"].startswith(
        "reflection offered (grpc.reflection.v1.ServerReflection); the contract in use")
    assert unknown not in result.out + result.err


def test_no_key_at_all(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MXGATEWAY_API_KEY")
    auth = failed(doctor(cli), 4, "auth", "MxGatewayAuthenticationError")
    # Before: the gateway's message was cut at its last ": ", leaving "Bearer <redacted>".
    assert auth["detail"].startswith(
        "the gateway refused the API key: UNAUTHENTICATED: missing API key"), auth
    assert auth["hint"].startswith("no API key was given: set MXGATEWAY_API_KEY")


def test_the_key_on_the_command_line_never_shows(cli: Cli, monkeypatch: pytest.MonkeyPatch
                                                 ) -> None:
    monkeypatch.delenv("MXGATEWAY_API_KEY")
    result = cli.ok("doctor", "--api-key", cli.sim.api_key, "--tag", TAG)
    assert cli.sim.api_key not in result.out


def test_the_read_only_key_reports_its_scopes(cli: Cli, monkeypatch: pytest.MonkeyPatch
                                              ) -> None:
    monkeypatch.setenv("MXGATEWAY_API_KEY", cli.sim.read_only_api_key)
    result = cli.ok("doctor", "--tag", TAG)
    auth = steps(result)["auth"]
    assert auth["detail"] == (
        "key accepted; scopes: session:open, session:close, invoke:read, events:read, "
        "metadata:read; missing: invoke:write, invoke:secure")
    assert auth["hint"].startswith("calls that need invoke:write, invoke:secure get "
                                   "PERMISSION_DENIED (exit 4)")
    assert statuses(result)["read"] == statuses(result)["alarms"] == "ok"


def test_a_narrow_key_skips_what_it_cannot_do(cli: Cli, monkeypatch: pytest.MonkeyPatch
                                              ) -> None:
    key = cli.sim.control("make_key", {"session:open", "session:close", "metadata:read"})
    monkeypatch.setenv("MXGATEWAY_API_KEY", key)
    result = cli.ok("doctor", "--tag", TAG)
    found = steps(result)
    assert found["auth"]["detail"] == (
        "key accepted; scopes: session:open, session:close, metadata:read; missing: "
        "invoke:read, invoke:write, invoke:secure, events:read")
    assert (found["read"]["status"], found["read"]["detail"]) == (
        "skip", "the key lacks invoke:read")
    assert (found["alarms"]["status"], found["alarms"]["detail"]) == (
        "skip", "the key lacks events:read")
    assert found["galaxy"]["status"] == found["session"]["status"] == "ok"


def test_a_key_without_session_open(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    key = cli.sim.control("make_key", {"events:read", "metadata:read"})
    monkeypatch.setenv("MXGATEWAY_API_KEY", key)
    result = cli.ok("doctor", "--tag", TAG)
    found = steps(result)
    assert found["auth"]["detail"] == (
        "key accepted; scopes: events:read, metadata:read; missing: session:open, "
        "session:close; not probed: invoke:read, invoke:write, invoke:secure (they need a "
        "session)")
    assert (found["session"]["status"], found["session"]["detail"]) == (
        "skip", "the key lacks session:open")
    assert found["read"]["status"] == "skip" and not found["read"]["detail"].startswith(
        "skipped")


def test_a_read_only_profile_sends_no_write_probe(cli: Cli) -> None:
    config = cli.home / "config.toml"
    config.write_text(f'[profiles.plant]\nendpoint = "http://{cli.sim.endpoint}"\n'
                      "read_only = true\n")
    result = cli.ok("doctor", "--profile", "plant")
    assert steps(result)["auth"]["detail"].endswith(
        "; not probed: invoke:write, invoke:secure (the profile is read-only: no write is "
        "sent)")


# ------------------------------------------------------------------ gateway health


def test_a_degraded_alarm_provider(cli: Cli) -> None:
    cli.sim.control("set_alarm_provider", True, "AlarmMgr not responding")
    try:
        result = doctor(cli)
    finally:
        cli.sim.control("set_alarm_provider", False)
    alarms = failed(result, 6, "alarms", "MxGatewayCommandError")
    assert alarms["detail"].startswith("the alarm provider (ALARMMGR) is degraded since ")
    assert alarms["detail"].endswith(": AlarmMgr not responding")
    assert statuses(result)["contract"] == "ok"  # the step after it still ran


def test_the_gateway_clock_ahead(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from mxgw.sim import _servicer_gateway

    real = _servicer_gateway.utc_now
    monkeypatch.setattr(_servicer_gateway, "utc_now",
                        lambda: real() + datetime.timedelta(minutes=10))
    session = steps(cli.ok("doctor"))["session"]
    assert "is 10 min later than 60 s from now: the gateway's clock is that much ahead of " \
           "this machine's" in session["detail"]
    assert "w32tm /resync" in session["hint"]


def test_a_slow_gateway_fails_within_the_timeout(cli: Cli) -> None:
    with cli.latency(2.0):
        result = cli("doctor", "--timeout", "0.5")
    auth = failed(result, 3, "auth", "MxGatewayTransportError")
    # the call's deadline and the step's are both 0.5 s: either may end it first
    assert "DEADLINE_EXCEEDED" in auth["detail"] or auth["detail"] == (
        "auth: no answer within 0.5 s")
    blocked(result, "session", "read", "galaxy", "alarms")


def test_a_backend_unavailable_during_the_scope_probes_is_not_the_key(cli: Cli) -> None:
    import grpc

    cli.sim.control("fail_next", 1, grpc.StatusCode.UNAVAILABLE, "repository down",
                    "GetLastDeployTime")
    result = cli.ok("doctor")
    auth = steps(result)["auth"]
    assert auth["detail"].endswith("; not probed: metadata:read (the gateway answered "
                                   "UNAVAILABLE)")
    assert "metadata:read" not in auth["detail"].split("; not probed")[0]
    assert statuses(result)["galaxy"] == "ok"  # the step that needs it says how it is


def test_a_source_time_ahead_of_this_clock(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from mxgw.sim import _galaxy

    real = _galaxy.utc_now
    try:
        with monkeypatch.context() as patch:
            patch.setattr(_galaxy, "utc_now", lambda: real() + datetime.timedelta(minutes=10))
            cli.sim.control("set_value", TAG, 5)  # stamped by the simulator's patched clock
        read = steps(cli.ok("doctor", "--tag", TAG))["read"]
    finally:
        cli.sim.control("set_value", TAG, 0)  # a time of now again for the other tests
    assert read["detail"].startswith(f"{TAG} = 5 (INTEGER, Good, ")
    assert read["detail"].endswith("; its source time is 10 min ahead of this machine's clock "
                                   "(the gateway's or the data source's clock is ahead)")


def test_a_galaxy_repository_that_answers_not_ok(cli: Cli) -> None:
    cli.sim.control("set_galaxy_connection", False, "cannot open database GR")
    try:
        result = doctor(cli)
        test_connection = cli("galaxy-test-connection")
    finally:
        cli.sim.control("set_galaxy_connection", True)
    galaxy = failed(result, 3, "galaxy", "MxGatewayTransportError")
    # one rule with `galaxy-test-connection`: the same error, the same exit code
    assert test_connection.code == 3 and test_connection.error["message"] == galaxy["detail"]
    assert galaxy["detail"] == ("galaxy test connection: the gateway cannot reach the Galaxy "
                                "Repository database: cannot open database GR")
    assert "SQL Server" in galaxy["hint"]
    assert statuses(result)["alarms"] == "ok"
    assert cli.ok("galaxy-test-connection").doc["message"] == "Galaxy Repository cache is healthy"


def test_a_corrupt_known_gateways_file_is_exit_2_and_left_alone(tcli: Cli) -> None:
    tcli.home.mkdir(exist_ok=True)
    (tcli.home / "known_gateways.json").write_text("{not json")
    result = tls_doctor(tcli)
    certificate = failed(result, 2, "certificate", "KnownGatewaysFileError")
    assert "not valid JSON" in certificate["detail"]
    assert (tcli.home / "known_gateways.json").read_text() == "{not json"
