"""`contract fetch` and `contract diff` against a live simulator (it serves reflection),
and the check before the first call: a contract in use that disagrees with the gateway's
refuses every command, writes first, naming the fields, with nothing sent."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest
from cli_harness import Cli
from contractkit import variant

TAG = "TestChildObject.TestInt"
RENUMBERED = "mxaccess_gateway.v1.MxValue.int32_value: number 111 here, 11 at the gateway"


def test_fetch_stores_the_gateways_contract_and_later_commands_use_it(cli: Cli) -> None:
    doc = cli.ok("contract", "fetch").doc
    assert doc["endpoint"] == cli.sim.endpoint
    assert doc["services"] == ["galaxy_repository.v1.GalaxyRepository",
                               "mxaccess_gateway.v1.MxAccessGateway"]
    assert doc["reflection"] == "grpc.reflection.v1.ServerReflection"
    assert len(doc["sha256"]) == 64 and doc["fetched"].endswith("Z")
    stored = Path(doc["file"])
    assert stored.parent == cli.home / "contracts"
    if os.name != "nt":
        assert stored.stat().st_mode & 0o777 == 0o600
    audited = [e for e in cli.audit() if e["action"] == "contract"]
    assert len(audited) == 1 and audited[0]["sha256"] == doc["sha256"]
    assert audited[0]["change"] == "fetched"
    ping = cli.ok("ping").doc["contract"]
    assert ping == {"source": "fetched", "endpoint": cli.sim.endpoint,
                    "fetched": doc["fetched"], "sha256": doc["sha256"], "file": str(stored),
                    "verified": True, "how": "reflection"}
    version = json.loads(cli.ok("version", "--compact").out)["contractInUse"]
    assert version["source"] == "fetched" and version["sha256"] == doc["sha256"]
    assert cli.ok("contract", "diff").doc["agree"] is True


def test_a_damaged_stored_contract_is_a_config_error_and_fetch_mends_it(cli: Cli) -> None:
    stored = Path(cli.ok("contract", "fetch").doc["file"])
    stored.write_text("{", encoding="utf-8")
    result = cli("get", TAG)
    assert result.code == 2 and "is damaged" in result.error["message"]
    cli.ok("contract", "fetch")  # fetching does not load the stored one
    cli.ok("get", TAG)


def test_a_disagreeing_contract_refuses_writes_and_reads_naming_fields(
        cli: Cli, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = variant(tmp_path)
    before = cli.sim.control("get_value", TAG)
    caplog.set_level(logging.INFO, logger="mxgw.sim")
    for argv in (["put", f"{TAG}=4242"], ["get", TAG], ["ack", "Provider!Group.Tag"],
                 ["ping"], ["alarms"], ["galaxy-watch", "--count", "1"]):
        result = cli("--contract", str(path), *argv)
        assert result.code == 6 and result.out == "", argv
        error = result.error
        assert error["type"] == "MxGatewayContractError"
        assert RENUMBERED in error["message"]
        assert "nothing was sent" in error["message"]
    assert [r for r in caplog.records if r.name == "mxgw.sim"] == []
    assert cli.sim.control("get_value", TAG) == before


def test_contract_diff_against_the_live_gateway(cli: Cli, tmp_path: Path) -> None:
    path = variant(tmp_path)
    result = cli("contract", "diff", "--contract", str(path))
    assert result.code == 6, result.err
    report = result.doc
    assert report["agree"] is False
    assert report["inUse"]["source"] == "file" and report["inUse"]["path"] == str(path)
    assert report["gateway"]["endpoint"] == f"http://{cli.sim.endpoint}"
    found = {d["name"]: d for d in report["differences"]}
    assert found["mxaccess_gateway.v1.MxValue.int32_value"]["inUse"]["number"] == 111
    assert found["mxaccess_gateway.v1.MxValue.int32_value"]["gateway"]["number"] == 11


def test_fetch_from_a_gateway_without_reflection_says_what_to_do(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from cli_harness import SimThread

    thread = SimThread(tick_interval=None, reflection=False)
    try:
        tcli = Cli(thread, capsys, monkeypatch, tmp_path)
        result = tcli("contract", "fetch")
        assert result.code == 6
        assert "offers no server reflection" in result.error["message"]
        assert "--contract FILE" in result.error["message"]
        assert not (tmp_path / "contracts").exists()
        ping = tcli.ok("ping").doc["contract"]
        assert ping == {"source": "built-in", "verified": False, "how": "not offered"}
    finally:
        thread.stop()


def test_contract_show_and_diff_protoset_stay_offline(cli: Cli, tmp_path: Path) -> None:
    path = variant(tmp_path)
    doc = cli.ok("contract", "--contract", str(path)).doc
    assert doc["source"] == "file" and doc["path"] == str(path)
    assert cli.ok("contract").doc["source"] == "built-in"
    result = cli("contract", "diff", "--protoset", str(path))
    assert result.code == 6 and result.doc["agree"] is False
