"""The README's CLI examples, copied here line by line, run against the simulator.

A README line that drifts from this list fails `test_examples_match_the_readme`; a line
that stops working fails `test_examples_run`. The examples run in order, as a reader
would type them, with MXGATEWAY_ENDPOINT / MXGATEWAY_API_KEY pointing at the simulator.
Only these adjustments are made: `gateway01:5120` is the simulator's address, `--duration`
is shortened (a later option wins in argparse), and `sim`/`repl`, which would keep
running, get `--help` (their other options are then looked up in the help text). The
examples of "Trusting the gateway's certificate" run against a TLS simulator instead, with
the README's example fingerprint replaced by the simulator's.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from cli_harness import Cli, SimThread

README = Path(__file__).resolve().parents[2] / "README.md"

# "Trusting the gateway's certificate": run against a TLS simulator, with the README's
# example fingerprint replaced by the simulator's.
README_FINGERPRINT = "84:f4:86:4e:ce:f2:af:ca:4f:bb:50:68:d4:6d:5b:b0:5a:d9:f2:6d:50:20:e0:c6:dd:e3:3a:d6:7e:cc:14:00"
TLS_EXAMPLES = [
    "mxgw ping --endpoint gateway01:5120",
    "mxgw trust list",
    "mxgw trust forget gateway01:5120",
    f"mxgw trust add gateway01:5120 --pin {README_FINGERPRINT}",
    "mxgw trust add gateway01:5120",
    f"mxgw --tls-pin {README_FINGERPRINT} ping --endpoint gateway01:5120",
]

EXAMPLES = [
    "mxgw ping --endpoint gateway01:5120 --plaintext",
    "mxgw ping --profile plant",
    "mxgw ping --endpoint sim",
    *TLS_EXAMPLES,
    "mxgw contract fetch",
    "mxgw ping",
    "mxgw contract diff",
    "mxgw --contract mxaccessgw-client-v1.protoset put TestChildObject.TestInt=42",
    "mxgw contract diff --contract mxaccessgw-client-v1.protoset",
    "mxgw version",
    "mxgw ping",
    "mxgw get TestChildObject.TestInt Pump001.Speed",
    "mxgw put TestChildObject.TestInt=42 TestChildObject.TestString=hello",
    "mxgw put --type double --dry-run Tank001.HiHiLimit=96",
    "mxgw put '@setpoints.txt'",
    "mxgw put --user operator Pump001.SetPoint=55",
    "mxgw watch TestMachine_001.TestChangingInt --count 3",
    "mxgw browse Pump001",
    "mxgw put Pump001.PumpFault=true",
    "mxgw alarms --prefix 'Galaxy!Area_Pumps'",
    ("mxgw ack 'Galaxy!Area_Pumps.Pump001.PumpFault' --comment \"checked on site\" "
     "--operator jdoe"),
    "mxgw smoke --item TestChildObject.TestInt",
    'mxgw watch TestChildObject.TestInt --until "value == 42" --duration 10',
    ("mxgw watch Pump001.PumpFault Pump002.PumpFault --until \"tag == 'Pump001.PumpFault' "
     "and value == true\" --count 100"),
    'mxgw watch Pump001.PumpFault --until "value == true and quality == Good" --duration 60',
    "mxgw doctor --endpoint gateway01:5120 --plaintext --tag Pump001.Speed",
    "mxgw doctor --endpoint sim",
    "mxgw open-session --name nightly-check",
    "mxgw register --client-name nightly-check",
    "mxgw add-item --server-handle 1 --tag TestChildObject.TestInt",
    "mxgw add-item2 --server-handle 1 --tag TestChildObject.TestDouble --item-context ctx",
    "mxgw advise --server-handle 1 --item-handle 1",
    "mxgw advise-supervisory --server-handle 1 --item-handle 2",
    "mxgw write --server-handle 1 --item-handle 1 --type int32 --value 123",
    ("mxgw write2 --server-handle 1 --item-handle 1 --type int32 --value 124 "
     "--timestamp 2026-01-01T08:00:00Z"),
    "mxgw drain-events --max-events 100",
    "mxgw stream-events --max-events 5 --duration 10",
    "mxgw unadvise --server-handle 1 --item-handle 2",
    "mxgw remove-item --server-handle 1 --item-handle 2",
    "mxgw add-item-bulk --server-handle 1 Pump001.Speed Pump001.SetPoint",
    "mxgw advise-item-bulk --server-handle 1 2 3",
    "mxgw read-bulk --server-handle 1 Pump001.Speed Tank001.Level --strict",
    "mxgw write-bulk --server-handle 1 --type int32 1=7",
    "mxgw write2-bulk --server-handle 1 --type int32 1=8 --timestamp now",
    "mxgw authenticate-user --server-handle 1 --user operator",
    ("mxgw write-secured --server-handle 1 --item-handle 3 --type double --value 55 "
     "--user operator"),
    ("mxgw write-secured2 --server-handle 1 --item-handle 3 --type double --value 56 "
     "--user operator --timestamp now"),
    "mxgw write-secured-bulk --server-handle 1 --type double 3=57 --user operator",
    ("mxgw write-secured2-bulk --server-handle 1 --type double 3=58 --user operator "
     "--timestamp now"),
    "mxgw unadvise-item-bulk --server-handle 1 2 3",
    "mxgw remove-item-bulk --server-handle 1 2 3",
    "mxgw subscribe-bulk --server-handle 1 Tank001.Level Tank002.Level",
    "mxgw unsubscribe-bulk --server-handle 1 2 3",
    "mxgw unregister --server-handle 1",
    "mxgw close-session --reason \"nightly check done\"",
    "mxgw query-active-alarms --prefix 'Galaxy!Area_Pumps'",
    "mxgw stream-alarms --max-messages 10 --duration 30",
    ("mxgw acknowledge-alarm --reference 'Galaxy!Area_Pumps.Pump001.PumpFault' "
     "--comment \"seen\" --operator jdoe"),
    "mxgw galaxy-test-connection",
    "mxgw galaxy-last-deploy",
    "mxgw galaxy-discover --root-tag Area_Tanks --max-depth 1 --no-attributes",
    "mxgw galaxy-browse Area_Pumps --glob 'Pump00*'",
    "mxgw galaxy-watch --count 1",
    "mxgw bench-read-bulk --bulk-size 100 --duration 30 --warmup 5",
    "mxgw bench-stream-events --duration 30",
    "mxgw batch < commands.txt",
    "mxgw contract",
    "mxgw contract diff --protoset mxaccessgw-client-v1.protoset",
    "mxgw sim --port 5120",
    "mxgw repl",
]


def readme_examples() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("<!-- section: cli -->", 1)[1].split("<!-- /section: cli -->", 1)[0]
    lines = []
    for block in re.findall(r"```[a-z]*\n(.*?)```", section, flags=re.DOTALL):
        lines += [line for line in block.splitlines() if line.startswith("mxgw ")]
    return lines


def readme_block(after: str, language: str) -> str:
    section = README.read_text(encoding="utf-8").split("<!-- section: cli -->", 1)[1]
    tail = section.split(after, 1)[1]
    return tail.split(f"```{language}\n", 1)[1].split("```", 1)[0]


def test_examples_match_the_readme() -> None:
    assert readme_examples() == EXAMPLES


def test_every_command_has_an_example() -> None:
    from mxgw.cli._table import COMMANDS

    used = {shlex.split(line)[1] for line in EXAMPLES}
    assert set(COMMANDS) - used == set()


def test_examples_run(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from google.protobuf import descriptor_pb2

    from mxgw.cli.cmd_contract import builtin_files

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MXGW_PASSWORD", "operator-pw")
    (tmp_path / "setpoints.txt").write_text("# line setpoints\nTestChildObject.TestDouble=1.5\n")
    (tmp_path / "commands.txt").write_text(readme_block("Example `commands.txt`", "text"))
    (tmp_path / "config.toml").write_text(readme_block("(`MXGW_HOME` overrides)", "toml"))
    monkeypatch.setenv("PLANT_GATEWAY_KEY", cli.sim.read_only_api_key)
    # The README's profile (read-only, default_profile) is in place for its own line only.
    profile = (tmp_path / "config.toml").read_text().replace("gateway01:5120", cli.sim.endpoint)
    protoset = descriptor_pb2.FileDescriptorSet(file=builtin_files())
    (tmp_path / "mxaccessgw-client-v1.protoset").write_bytes(protoset.SerializeToString())
    for line in EXAMPLES:
        if line in TLS_EXAMPLES:
            continue  # test_tls_examples_run
        argv = shlex.split(line.replace("gateway01:5120", cli.sim.endpoint))[1:]
        stdin = None
        if "<" in argv:
            stdin = (tmp_path / argv[argv.index("<") + 1]).read_text()
            argv = argv[:argv.index("<")]
        unchecked: list[str] = []
        if argv[0] in ("sim", "repl"):
            # --help exits before argparse looks at the other options, so the README's
            # options are checked against the help text instead.
            unchecked = [w.split("=", 1)[0] for w in argv[1:] if w.startswith("--")]
            argv.append("--help")
        if "--duration" in argv:
            argv += ["--duration", "0.3"]
        if "--warmup" in argv:
            argv += ["--warmup", "0"]
        if "--profile" in argv:
            (cli.home / "config.toml").write_text(profile)
            monkeypatch.delenv("MXGATEWAY_ENDPOINT")
            monkeypatch.delenv("MXGATEWAY_API_KEY")
        result = cli(*argv, stdin=stdin)
        if "--profile" in argv:
            (cli.home / "config.toml").unlink()
            monkeypatch.setenv("MXGATEWAY_ENDPOINT", f"http://{cli.sim.endpoint}")
            monkeypatch.setenv("MXGATEWAY_API_KEY", cli.sim.api_key)
        if argv[0] == "batch":
            assert result.out.count("__MXGW_BATCH_EOR__") == 3, result.out
            assert result.code == 7  # the README's third line is a bad tag
            continue
        assert result.code == 0, f"{line}\n{result.err}"
        for flag in unchecked:
            assert re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", result.out), (
                f"{line}: {flag} is not an option of `mxgw {argv[0]}`")
        if argv[0] == "open-session":
            monkeypatch.setenv("MXGW_SESSION_ID", result.doc["sessionId"])
        if argv[0] == "close-session":
            monkeypatch.delenv("MXGW_SESSION_ID")
    assert cli.sim.control("get_value", "TestChildObject.TestDouble") == 1.5
    assert "Tank001.HiHiLimit" in (cli.home / "audit.jsonl").read_text()


def test_tls_examples_run(tls_sim: SimThread, capsys: pytest.CaptureFixture[str],
                          monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    cli = Cli(tls_sim, capsys, monkeypatch, tmp_path)
    fingerprint = str(tls_sim.sim.certificate_sha256)
    results = []
    for line in TLS_EXAMPLES:
        line = line.replace("gateway01:5120", tls_sim.endpoint)
        result = cli(*shlex.split(line.replace(README_FINGERPRINT, fingerprint))[1:])
        assert result.code == 0, f"{line}\n{result.err}"
        results.append(result)
    first_contact, listed, forgotten, added, fetched, pinned = results
    assert "trusting new gateway certificate" in first_contact.err
    assert [g["sha256"] for g in listed.doc["gateways"]] == [fingerprint]
    assert forgotten.doc["forgotten"] is True
    assert (added.doc["change"], fetched.doc["change"]) == ("added", "unchanged")
    assert pinned.doc["transport"] == f"TLS (pinned by tls_pin, SHA-256 {fingerprint})"
    assert tls_sim.open_sessions() == 0
