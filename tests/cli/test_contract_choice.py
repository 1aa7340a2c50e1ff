"""The contract chosen at run time: --contract, MXGW_CONTRACT, the profile's `contract`,
and the load-time check (exit 6, each name in full, before anything is sent)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from cli_harness import Cli
from contractkit import variant
from google.protobuf import descriptor_pb2


@pytest.fixture
def renamed(tmp_path: Path) -> Path:
    """Two names the tool uses renamed (`..._renamed`)."""
    path = variant(tmp_path, renumber=False, rename="mxaccess_gateway.v1.MxValue.int32_value")
    files = descriptor_pb2.FileDescriptorSet.FromString(path.read_bytes())
    for file in files.file:
        for message in file.message_type:
            if message.name == "WriteCommand":
                next(f for f in message.field if f.name == "value").name = "value_renamed"
    path.write_bytes(files.SerializeToString())
    return path


@pytest.fixture
def same(tmp_path: Path) -> Path:
    return variant(tmp_path, renumber=False, name="same.protoset")


def test_a_contract_lacking_used_names_is_exit_6_before_anything_is_sent(
        cli: Cli, renamed: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="mxgw.sim")
    for argv in (["put", "TestChildObject.TestInt=5"], ["get", "TestChildObject.TestInt"],
                 ["ping"]):
        result = cli("--contract", str(renamed), *argv)
        assert result.code == 6 and result.out == ""
        error = result.error
        assert error["type"] == "MxGatewayContractError"
        assert "mxaccess_gateway.v1.MxValue.int32_value: missing" in error["message"]
        assert "mxaccess_gateway.v1.WriteCommand.value: missing" in error["message"]
    assert [r for r in caplog.records if r.name == "mxgw.sim"] == []  # no call at all
    assert cli.sim.control("get_value", "TestChildObject.TestInt") != 5


def test_the_environment_and_the_profile_choose_it_too(
        cli: Cli, renamed: Path, same: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MXGW_CONTRACT", str(renamed))
    assert cli("get", "TestChildObject.TestInt").code == 6
    # the flag beats the environment
    assert cli("--contract", str(same), "get", "TestChildObject.TestInt").code == 0
    monkeypatch.delenv("MXGW_CONTRACT")
    config = tmp_path / "config.toml"
    # a relative path in a profile is relative to the config file
    config.write_text(f'[profiles.p]\ncontract = "{renamed.name}"\n', encoding="utf-8")
    result = cli("get", "TestChildObject.TestInt", "--config", str(config), "--profile", "p")
    assert result.code == 6, result.err
    monkeypatch.setenv("MXGW_CONTRACT", str(same))  # the environment beats the profile
    cli.ok("get", "TestChildObject.TestInt", "--config", str(config), "--profile", "p")
    # the offline commands read the same variable: `contract` shows it, `version` names it
    assert cli.ok("contract").doc["path"] == str(same)
    assert json.loads(cli.ok("version", "--compact").out)["contractInUse"]["path"] == str(same)


def test_an_unreadable_contract_file_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    result = cli("--contract", str(tmp_path / "none.protoset"), "ping")
    assert result.code == 2 and "cannot read it" in result.error["message"]
    junk = tmp_path / "junk.protoset"
    junk.write_bytes(b"\xff\xfe not a descriptor set")
    result = cli("ping", "--contract", str(junk))
    assert result.code == 2 and "not a descriptor set" in result.error["message"]


def test_a_file_contract_is_spoken_and_reported(cli: Cli, same: Path) -> None:
    doc = cli.ok("ping", "--contract", str(same)).doc
    assert doc["contract"]["source"] == "file"
    assert doc["contract"]["path"] == str(same)
    cli.ok("--contract", str(same), "put", "TestChildObject.TestInt=31")
    assert cli.sim.control("get_value", "TestChildObject.TestInt") == 31


def test_version_names_the_contract_without_loading_protobuf(
        cli: Cli, same: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = json.loads(cli.ok("version", "--compact").out)
    assert doc["contractInUse"] == {"source": "built-in"}
    monkeypatch.setenv("MXGW_CONTRACT", str(same))
    doc = json.loads(cli.ok("version", "--compact").out)
    import hashlib

    assert doc["contractInUse"] == {"source": "file", "path": str(same),
                                    "sha256": hashlib.sha256(same.read_bytes()).hexdigest()}
    monkeypatch.delenv("MXGW_CONTRACT")
    doc = json.loads(cli.ok("version", "--compact", "--contract", str(same)).out)
    assert doc["contractInUse"]["source"] == "file"
    result = cli("version", "--contract", str(same.with_name("missing.protoset")))
    assert result.code == 2 and "cannot read it" in result.error["message"]


def test_version_with_a_contract_file_imports_neither_grpc_nor_protobuf(same: Path) -> None:
    import subprocess
    import sys

    code = ("import sys\nfrom mxgw.cli import main\n"
            f"rc = main(['version', '--contract', {str(same)!r}])\n"
            "heavy = sorted(m for m in sys.modules if m.startswith(('grpc', 'google.protobuf')))\n"
            "print('HEAVY', heavy, rc, file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=False)
    assert "HEAVY [] 0" in done.stderr, done.stderr
    assert json.loads(done.stdout)["contractInUse"]["source"] == "file"
