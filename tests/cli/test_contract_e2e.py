"""The whole stack on a renumbered contract (tests/contractkit.py): a simulator speaking
the variant, and the CLI, the library and the REPL speaking it with --contract, or by
themselves after `contract fetch`, or refusing it with the built-in contract. Values are
checked from the simulator's side."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_harness import Cli, SimThread, checked_cli
from contractkit import variant

import mxgw

TAG = "TestChildObject.TestInt"
# The built-in contract against the variant simulator: the first of the names it lists.
BUILTIN_VS_VARIANT = "mxaccess_gateway.v1.MxValue.data_type: number 1 here, 101 at the gateway"


@pytest.fixture(scope="module")
def variant_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return variant(tmp_path_factory.mktemp("variant"))


@pytest.fixture(scope="module")
def variant_sim(variant_path: Path) -> Iterator[SimThread]:
    thread = SimThread(tick_interval=None, contract=str(variant_path))
    try:
        yield thread
    finally:
        thread.stop()


@pytest.fixture
def vcli(variant_sim: SimThread, capsys: pytest.CaptureFixture[str],
         monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Cli]:
    yield from checked_cli(variant_sim, capsys, monkeypatch, tmp_path)


def test_the_variant_contract_reads_and_writes_the_right_values(
        vcli: Cli, variant_path: Path) -> None:
    contract = ["--contract", str(variant_path)]
    vcli.ok(*contract, "put", f"{TAG}=4242")
    assert vcli.sim.control("get_value", TAG) == 4242
    vcli.sim.control("set_value", TAG, 777)
    [value] = vcli.ok(*contract, "get", TAG).doc["values"]
    assert (value["value"], value["dataType"], value["qualityText"]) == (777, "INTEGER", "Good")
    vcli.sim.control("set_value", "TestChildObject.TestDouble", 2.5)
    [double] = vcli.ok(*contract, "get", "TestChildObject.TestDouble").doc["values"]
    assert (double["value"], double["dataType"]) == (2.5, "DOUBLE")
    ping = vcli.ok(*contract, "ping").doc["contract"]
    assert (ping["source"], ping["verified"], ping["how"]) == ("file", True, "reflection")


def test_the_builtin_contract_is_refused_by_a_variant_gateway(
        vcli: Cli, caplog: pytest.LogCaptureFixture) -> None:
    vcli.sim.control("set_value", TAG, 5)
    caplog.set_level(logging.INFO, logger="mxgw.sim")
    for argv in (["put", f"{TAG}=6"], ["write-bulk", "--server-handle", "1", "--type",
                                          "int32", "--session-id", "s", "1=7"],
                 ["ack", "Galaxy!Area_Pumps.Pump001.PumpFault"], ["get", TAG]):
        result = vcli(*argv)
        assert result.code == 6 and result.out == "", argv
        assert BUILTIN_VS_VARIANT in result.error["message"]
        assert "MX_COMMAND_KIND_WRITE: number 9 here, 29 at the gateway" in (
            result.error["message"])
    assert [r for r in caplog.records if r.name == "mxgw.sim"] == []  # nothing reached it
    assert vcli.sim.control("get_value", TAG) == 5


def test_fetch_then_the_same_commands_without_contract(vcli: Cli) -> None:
    fetched = vcli.ok("contract", "fetch").doc
    assert fetched["endpoint"] == vcli.sim.endpoint
    vcli.ok("put", f"{TAG}=31337")
    assert vcli.sim.control("get_value", TAG) == 31337
    vcli.sim.control("set_value", TAG, 99)
    assert vcli.ok("get", TAG).doc["values"][0]["value"] == 99
    assert vcli.ok("ping").doc["contract"]["source"] == "fetched"
    assert vcli.ok("contract", "diff").doc["agree"] is True


def test_a_variant_renaming_a_used_field_is_the_load_time_error(vcli: Cli,
                                                               tmp_path: Path) -> None:
    renamed = variant(tmp_path, rename="mxaccess_gateway.v1.WriteCommand.value",
                      name="renamed.protoset")
    result = vcli("--contract", str(renamed), "put", f"{TAG}=1")
    assert result.code == 6
    assert "mxaccess_gateway.v1.WriteCommand.value: missing" in result.error["message"]


@pytest.mark.asyncio
async def test_the_library_speaks_the_variant(variant_path: Path) -> None:
    from mxgw.testing import run_simulator

    async with run_simulator(tick_interval=None, contract=str(variant_path)) as sim:
        options = mxgw.ClientOptions(sim.endpoint, api_key=sim.api_key, plaintext=True,
                                     contract=str(variant_path))
        async with await mxgw.GatewayClient.connect(options) as client:
            async with await client.open_session() as session:
                await session.write_tag(TAG, 1234)
                assert sim.control.get_value(TAG) == 1234
                sim.control.set_value(TAG, 4321)
                assert (await session.read(TAG))[TAG].value == 4321
            assert client.contract_status()["verified"] is True
        # the built-in contract: refused before the session opens
        builtin = mxgw.ClientOptions(sim.endpoint, api_key=sim.api_key, plaintext=True)
        async with await mxgw.GatewayClient.connect(builtin) as client:
            with pytest.raises(mxgw.MxGatewayContractError) as caught:
                await client.open_session()
            assert BUILTIN_VS_VARIANT in caught.value.problems
        assert sim.control.open_session_count == 0


async def _repl(args: list[str], stdin: str, env: dict[str, str]) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "mxgw", "repl", *args, stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env)
    out, err = await asyncio.wait_for(proc.communicate(stdin.encode()), 120)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


@pytest.mark.asyncio
async def test_the_repl_speaks_the_variant_and_refuses_the_builtin(
        variant_path: Path, tmp_path: Path) -> None:
    from mxgw.testing import run_simulator

    env = {k: v for k, v in os.environ.items() if not k.startswith(("MXGATEWAY_", "MXGW_"))}
    async with run_simulator(tick_interval=None, contract=str(variant_path)) as sim:
        env.update(MXGW_HOME=str(tmp_path), MXGATEWAY_API_KEY=sim.api_key)
        base = ["--endpoint", sim.endpoint, "--plaintext", "--no-history"]
        sim.control.set_value(TAG, 10)
        script = (f"await write('{TAG}', 11)\n"
                  f"(await read('{TAG}')).value\n"
                  "type(gateway_pb2.MxValue(int32_value=1)).DESCRIPTOR.fields_by_name"
                  "['int32_value'].number\n")
        code, out, err = await _repl([*base, "--contract", str(variant_path)], script, env)
        assert code == 0, err
        # the value read back, and the variant's number in the REPL's own gateway_pb2
        assert [json.loads(line) for line in out.splitlines()][-2:] == [11, 111], out
        assert sim.control.get_value(TAG) == 11
        code, out, err = await _repl(base, f"await write('{TAG}', 12)\n", env)
        assert code == 6 and out == ""
        assert BUILTIN_VS_VARIANT in json.loads(err.strip().splitlines()[-1])["error"][
            "message"]
        assert sim.control.get_value(TAG) == 11
        assert sim.control.open_session_count == 0


def test_doctor_names_the_disagreement(vcli: Cli, variant_path: Path) -> None:
    result = vcli("doctor")
    assert result.code == 6
    contract = next(s for s in result.doc["steps"] if s["name"] == "contract")
    assert contract["status"] == "fail"
    assert BUILTIN_VS_VARIANT in contract["detail"]
    assert "mxgw contract fetch" in contract["hint"]
    agreeing = vcli("doctor", "--contract", str(variant_path))
    assert agreeing.code == 0, agreeing.out
    steps = {s["name"]: s for s in agreeing.doc["steps"]}
    assert steps["contract"]["status"] == "ok"
    assert "the contract in use (file " in steps["contract"]["detail"]
