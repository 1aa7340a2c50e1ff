"""The CLI side of trust on first use: the first-contact notice, --quiet, --tls-pin, the
`trust` commands, refusals and the audit log, against a TLS simulator over real gRPC."""

from __future__ import annotations

import json
import logging
import sys

import pytest
from cli_harness import Cli, Result

OTHER = "0f:" * 31 + "0f"


def sha(cli: Cli) -> str:
    return str(cli.sim.sim.certificate_sha256)


def ping(cli: Cli, *extra: str) -> Result:
    return cli("ping", "--endpoint", cli.sim.endpoint, "--tls", "--timeout", "10", *extra)


def known(cli: Cli) -> dict[str, dict[str, str]]:
    doc = json.loads((cli.home / "known_gateways.json").read_text())
    gateways: dict[str, dict[str, str]] = doc["gateways"]
    return gateways


def trust_records(cli: Cli) -> list[tuple[str, str, str | None]]:
    return [(r["change"], r["sha256"], r["previous"]) for r in cli.audit()
            if r["action"] == "trust"]


def test_first_contact_says_so_once_then_the_gateway_is_known(tcli: Cli) -> None:
    first = ping(tcli)
    assert first.code == 0, first.err
    lines = first.err.splitlines()
    assert len(lines) == 1, first.err  # the notice, and nothing else
    assert json.loads(lines[0]) == {
        "notice": "trusting new gateway certificate", "endpoint": tcli.sim.endpoint,
        "sha256": sha(tcli), "file": str(tcli.home / "known_gateways.json")}
    assert first.doc["transport"] == f"TLS (trust-on-first-use: new, now pinned SHA-256 {sha(tcli)})"
    entry = known(tcli)[tcli.sim.endpoint]
    assert entry["sha256"] == sha(tcli)
    again = tcli.ok("ping", "--endpoint", tcli.sim.endpoint, "--tls")  # stderr stays empty
    assert again.doc["transport"] == (
        f"TLS (trust-on-first-use: pinned, known since {entry['firstSeen']}, "
        f"SHA-256 {sha(tcli)})")
    assert trust_records(tcli) == [("first-contact", sha(tcli), None)]
    record = next(r for r in tcli.audit() if r["action"] == "trust")
    assert record["endpoint"] == tcli.sim.endpoint and tcli.sim.api_key not in json.dumps(record)


def test_a_command_that_fails_after_first_contact_has_one_stderr_line(tcli: Cli) -> None:
    # The certificate is stored before the key is sent; the key is then refused. The
    # notice rides in the error line (it was a second line before it).
    failed = tcli("get", "TestChildObject.TestInt", "--endpoint", tcli.sim.endpoint, "--tls",
                  "--api-key", "not-the-key", "--timeout", "10")
    assert failed.code == 4, failed.err
    lines = failed.err.splitlines()
    assert len(lines) == 1, failed.err
    error = json.loads(lines[0])["error"]
    assert error["notices"] == [{
        "notice": "trusting new gateway certificate", "endpoint": tcli.sim.endpoint,
        "sha256": sha(tcli), "file": str(tcli.home / "known_gateways.json")}]
    assert "not-the-key" not in failed.err
    assert known(tcli)[tcli.sim.endpoint]["sha256"] == sha(tcli)  # stored all the same


def test_a_stream_says_so_before_its_first_line(tcli: Cli) -> None:
    tcli.capsys.readouterr()
    tcli.monkeypatch.setattr("sys.stderr", sys.stdout)  # one stream: the order shows
    done = tcli("watch", "TestChildObject.TestInt", "--count", "1", "--endpoint",
                tcli.sim.endpoint, "--tls", "--timeout", "10")
    assert done.code == 0, done.out
    lines = [json.loads(line) for line in done.out.splitlines()]
    assert [line.get("notice") for line in lines] == [
        "trusting new gateway certificate", None]
    assert lines[1]["tag"] == "TestChildObject.TestInt"


def test_quiet_drops_the_notice_but_not_the_trust_or_the_audit(tcli: Cli) -> None:
    tcli.ok("ping", "--endpoint", tcli.sim.endpoint, "--tls", "--quiet")
    assert known(tcli)[tcli.sim.endpoint]["sha256"] == sha(tcli)
    assert trust_records(tcli) == [("first-contact", sha(tcli), None)]


def test_trust_list_forget_and_a_new_first_contact(tcli: Cli) -> None:
    assert tcli.ok("trust", "list").doc == {"file": str(tcli.home / "known_gateways.json"),
                                            "gateways": []}
    ping(tcli, "--quiet")
    listed = tcli.ok("trust", "list").doc["gateways"]
    assert [(g["endpoint"], g["sha256"]) for g in listed] == [(tcli.sim.endpoint, sha(tcli))]
    forgotten = tcli.ok("trust", "forget", f"https://{tcli.sim.endpoint}").doc
    assert forgotten["forgotten"] is True and forgotten["sha256"] == sha(tcli)
    assert tcli.ok("trust", "list").doc["gateways"] == []
    assert tcli.ok("trust", "forget", tcli.sim.endpoint).doc["forgotten"] is False
    fresh = ping(tcli)
    assert fresh.code == 0 and "trusting new gateway certificate" in fresh.err
    assert [change for change, _, _ in trust_records(tcli)] == [
        "first-contact", "forget", "first-contact"]


def test_tls_pin_accepts_the_simulators_fingerprint_and_refuses_another(tcli: Cli) -> None:
    for pin in (sha(tcli), sha(tcli).replace(":", "").upper()):
        done = tcli.ok("--tls-pin", pin, "ping", "--endpoint", tcli.sim.endpoint)
        assert done.doc["transport"] == f"TLS (pinned by tls_pin, SHA-256 {sha(tcli)})"
    assert not (tcli.home / "known_gateways.json").exists()  # a pin needs no file
    refused = ping(tcli, "--tls-pin", OTHER)
    assert refused.code == 3
    error = refused.error
    assert error["type"] == "MxGatewayCertificateChangedError"
    assert OTHER in error["message"] and sha(tcli) in error["message"]
    bad = ping(tcli, "--tls-pin", "12:34")
    assert bad.code == 2 and bad.error["message"].startswith("--tls-pin: not a SHA-256")
    assert ping(tcli, "--tls-pin", sha(tcli), "--ca-file", "ca.pem").code == 2


def test_a_changed_certificate_is_refused_before_the_key_is_sent(
        tcli: Cli, caplog: pytest.LogCaptureFixture) -> None:
    # What a restarted gateway with a new certificate looks like from the client's side
    # (test_trust_process.py restarts a real one): the stored fingerprint differs.
    added = tcli.ok("trust", "add", tcli.sim.endpoint, "--pin", OTHER.upper()).doc
    assert (added["sha256"], added["change"], added["source"]) == (OTHER, "added", "pin")
    caplog.set_level(logging.INFO, logger="mxgw.sim")
    caplog.clear()
    refused = ping(tcli)
    assert refused.code == 3 and refused.out == ""
    message = refused.error["message"]
    for part in (tcli.sim.endpoint, OTHER, sha(tcli), added["firstSeen"],
                 f"mxgw trust add {tcli.sim.endpoint} --pin {sha(tcli)}"):
        assert part in message
    assert [r for r in caplog.records if r.name == "mxgw.sim"] == []  # no call arrived
    # Fetching does not replace a different stored certificate; a checked pin does.
    fetched = tcli("trust", "add", tcli.sim.endpoint)
    assert fetched.code == 3 and "--pin" in fetched.error["message"]
    replaced = tcli.ok("trust", "add", tcli.sim.endpoint, "--pin", sha(tcli)).doc
    assert (replaced["change"], replaced["previous"]) == ("replaced", OTHER)
    tcli.ok("ping", "--endpoint", tcli.sim.endpoint, "--tls")  # known now: no notice
    assert any(r.name == "mxgw.sim" for r in caplog.records)
    assert trust_records(tcli) == [("added", OTHER, None), ("replaced", sha(tcli), OTHER)]


def test_trust_add_fetches_and_stores_what_the_gateway_presents(tcli: Cli) -> None:
    added = tcli.ok("trust", "add", tcli.sim.endpoint).doc
    assert (added["endpoint"], added["sha256"], added["source"], added["change"]) == (
        tcli.sim.endpoint, sha(tcli), "gateway", "added")
    assert tcli.ok("trust", "add", tcli.sim.endpoint).doc["change"] == "unchanged"
    tcli.ok("ping", "--endpoint", tcli.sim.endpoint, "--tls")
    assert trust_records(tcli) == [("added", sha(tcli), None)]
    assert tcli.sim.open_sessions() == 0


@pytest.mark.parametrize(("argv", "code", "text"), [
    (["trust", "add"], 2, "needs an ENDPOINT"),
    (["trust", "forget"], 2, "needs an ENDPOINT"),
    (["trust", "add", "http://gw:5120"], 2, "plaintext"),
    (["trust", "add", "gw:99999"], 2, "port"),
    (["trust", "add", "gw:5120", "--pin", "xyz"], 2, "--pin: not a SHA-256"),
    (["trust", "list", "gw:5120"], 2, "takes no ENDPOINT"),
    (["trust", "forget", "gw:5120", "--pin", OTHER], 2, "takes no --pin"),
    (["trust", "remove", "gw:5120"], 2, "invalid choice"),
    (["trust", "add", "127.0.0.1:1", "--timeout", "5"], 3, "cannot connect"),
    # the range of every other --timeout (1e10 was an OverflowError in the socket: exit 1)
    (["trust", "add", "127.0.0.1:1", "--timeout", "1e10"], 2, "must be 0.001 to 86400 seconds"),
    (["trust", "add", "127.0.0.1:1", "--timeout", "0.0001"], 2, "must be 0.001 to 86400"),
])
def test_trust_usage_errors(tcli: Cli, argv: list[str], code: int, text: str) -> None:
    result = tcli(*argv)
    assert result.code == code and result.out == ""
    assert text in result.error["message"]
    assert not (tcli.home / "known_gateways.json").exists()
    assert trust_records(tcli) == []


def test_a_corrupt_file_is_exit_2_naming_it(tcli: Cli) -> None:
    path = tcli.home / "known_gateways.json"
    path.write_text("{")
    for argv in (("ping", "--endpoint", tcli.sim.endpoint, "--tls"), ("trust", "list"),
                 ("trust", "add", tcli.sim.endpoint, "--pin", OTHER)):
        result = tcli(*argv)
        assert result.code == 2 and result.out == ""
        assert result.error["type"] == "KnownGatewaysFileError"
        assert str(path) in result.error["message"]
    assert path.read_text() == "{"
