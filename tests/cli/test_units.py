"""CLI pieces that need no gateway: values, percentiles, batch line splitting, contract."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from mxgw import MxGatewayConfigError
from mxgw._values import normalize_type, parse_value
from mxgw.cli import main
from mxgw.cli._exit import USAGE, UsageError, exit_code_for
from mxgw.cli._words import expand_arguments, split_assignment
from mxgw.cli.cmd_batch import split_line
from mxgw.cli.cmd_bench import latency_summary, percentile


@pytest.mark.parametrize("texts,type_name,expected", [
    (["42"], "int32", 42),
    (["0x10"], "int64", 16),
    (["yes"], "bool", True),
    (["1.5"], "double", 1.5),
    (["a,b"], "string", "a,b"),
    (["1,2,3"], "int32[]", [1, 2, 3]),
    (["a,b", "c"], "string[]", ["a,b", "c"]),
    (["01:02:03.5"], "elapsed", dt.timedelta(hours=1, minutes=2, seconds=3.5)),
    (["2.5"], "elapsed", dt.timedelta(seconds=2.5)),
    (["2026-01-02T03:04:05"], "datetime",
     dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)),
    (["2026-01-02T03:04:05+01:00"], "datetime",
     dt.datetime(2026, 1, 2, 2, 4, 5, tzinfo=dt.UTC)),
])
def test_parse_value(texts: list[str], type_name: str, expected: object) -> None:
    assert parse_value(texts, type_name) == expected


@pytest.mark.parametrize("texts,type_name,match", [
    (["nan"], "double", "NaN"),
    (["inf"], "float", "NaN"),
    (["1e39"], "float", "32-bit"),
    (["3000000000"], "int32", "range"),
    (["maybe"], "bool", "boolean"),
    (["1", "2"], "int32", "exactly one"),
    (["1"], "decimal", "unknown type"),
])
def test_parse_value_refuses(texts: list[str], type_name: str, match: str) -> None:
    # The library's one table refuses (MxGatewayConfigError); the CLI makes it exit 2.
    with pytest.raises(MxGatewayConfigError, match=match) as refused:
        parse_value(texts, type_name)
    assert exit_code_for(refused.value) == USAGE


def test_type_names_from_galaxy_and_proto() -> None:
    assert normalize_type("MxDouble") == ("double", False)
    assert normalize_type("MX_DATA_TYPE_INTEGER") == ("int32", False)
    assert normalize_type("MxTime[]") == ("datetime", True)


def test_split_assignment() -> None:
    assert split_assignment("Pump001.SetPoint=1=2") == ("Pump001.SetPoint", "1=2")
    with pytest.raises(UsageError):
        split_assignment("=3")


def test_expand_arguments(tmp_path: Path) -> None:
    listing = tmp_path / "tags.txt"
    listing.write_text("# pumps\nPump001.Speed\n\n  Pump002.Speed \n", encoding="utf-8")
    assert expand_arguments(["A", f"@{listing}", "-"], stdin_text="B\nC\n") == [
        "A", "Pump001.Speed", "Pump002.Speed", "B", "C"]
    with pytest.raises(UsageError, match="cannot read"):
        expand_arguments([f"@{tmp_path / 'missing.txt'}"])
    with pytest.raises(UsageError, match="needs a file name after it"):
        expand_arguments(["@", "tags.txt"])


def test_percentile_rank_interpolation() -> None:
    values = [1.0, 2.0, 3.0, 4.0]
    assert percentile(values, 0.5) == 2.5  # rank 1.5
    assert percentile(values, 0.95) == pytest.approx(3.85)  # rank 2.85
    assert percentile([7.0], 0.99) == 7.0
    assert latency_summary([]) == {"p50": 0.0, "p95": 0.0, "p99": 0.0, "max": 0.0, "mean": 0.0}
    assert latency_summary([3.0, 1.0, 2.0])["mean"] == 2.0


def test_batch_line_keeps_backslashes_and_quotes() -> None:
    assert split_line(r'get "Tank001.Level" --ca-file C:\certs\ca.pem') == [
        "get", "Tank001.Level", "--ca-file", r"C:\certs\ca.pem"]
    with pytest.raises(UsageError):
        split_line('get "unterminated')


def test_contract_show(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["contract", "--compact"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["packages"] == ["galaxy_repository.v1", "mxaccess_gateway.v1"]
    assert "Invoke" in doc["services"]["mxaccess_gateway.v1.MxAccessGateway"]
    assert len(doc["sha256"]) == 64


def _protoset(tmp_path: Path, mutate: bool) -> Path:
    from google.protobuf import descriptor_pb2

    from mxgw.cli.cmd_contract import builtin_files

    files = builtin_files()
    if mutate:
        for message in files[0].message_type:
            if message.name == "WriteCommand":
                message.field[0].number = 99
        files[0].enum_type[0].value.add(name="EXTRA_VALUE", number=77)
    path = tmp_path / "gateway.protoset"
    path.write_bytes(descriptor_pb2.FileDescriptorSet(file=files).SerializeToString())
    return path


def test_contract_diff_agrees(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["contract", "diff", "--protoset", str(_protoset(tmp_path, False))]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["agree"] is True and doc["differences"] == [] and doc["extra"] == []


def test_contract_diff_reports_numbers(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["contract", "diff", "--protoset", str(_protoset(tmp_path, True))]) == 6
    doc = json.loads(capsys.readouterr().out)
    assert doc["agree"] is False
    [difference] = doc["differences"]
    assert difference["name"] == "mxaccess_gateway.v1.WriteCommand.server_handle"
    assert difference["gateway"]["number"] == 99
    assert any(name.endswith(".EXTRA_VALUE") for name in doc["extra"])


def test_contract_diff_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.protoset"
    bad.write_bytes(b"\xff\xff\xff")
    assert main(["contract", "diff", "--protoset", str(bad)]) == 2
    assert json.loads(capsys.readouterr().err)["error"]["exitCode"] == 2
    assert main(["contract", "diff"]) == 2


def test_read_only_error_is_a_usage_exit() -> None:
    from mxgw._errors import MxGatewayReadOnlyError
    from mxgw.cli._exit import USAGE, exit_code_for

    assert exit_code_for(MxGatewayReadOnlyError("write refused: read-only")) == USAGE
