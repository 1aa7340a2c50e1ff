"""Task, Galaxy, bench and batch commands through main() against the simulator."""

from __future__ import annotations

import json
from pathlib import Path

import grpc
import pytest
from cli_harness import Cli

from mxgw._json import to_jsonable
from mxgw.cli.cmd_batch import END_OF_RECORD

BENCH_KEYS = {"language", "command", "endpoint", "clientName", "bulkSize", "durationSeconds",
              "warmupSeconds", "durationMs", "tags", "totalCalls", "successfulCalls",
              "failedCalls", "totalReadResults", "cachedReadResults", "callsPerSecond",
              "latencyMs"}


def test_get(cli: Cli) -> None:
    doc = cli.ok("get", "TestChildObject.TestString", "TestChildObject.TestIntArray[]").doc
    assert [v["tag"] for v in doc["values"]] == ["TestChildObject.TestString",
                                                 "TestChildObject.TestIntArray[]"]
    assert all(v["quality"] == 192 and v["qualityText"] == "Good" for v in doc["values"])
    assert isinstance(doc["values"][1]["value"], list)


def test_get_unknown_tag_is_exit_7_unless_allowed(cli: Cli) -> None:
    result = cli("get", "TestChildObject.TestInt", "No.Such.Tag")
    assert result.code == 7 and result.out == ""
    assert "No.Such.Tag" in result.error["message"]
    doc = cli.ok("get", "--allow-bad", "No.Such.Tag").doc
    assert doc["values"][0]["ok"] is False


def test_get_error_line_names_the_first_bad_tags_and_counts_the_rest(cli: Cli,
                                                                     tmp_path: Path) -> None:
    tags = tmp_path / "tags.txt"
    tags.write_text("".join(f"No.Such.Tag{n}\n" for n in range(25)))
    result = cli("get", "TestChildObject.TestInt", f"@{tags}")
    assert result.code == 7 and result.out == ""
    message = result.error["message"]
    assert message.startswith("25 tag(s) bad: No.Such.Tag0: ")
    assert "No.Such.Tag9:" in message and "No.Such.Tag10:" not in message
    assert "; and 15 more (--allow-bad prints them all)" in message
    assert len(cli.ok("get", "--allow-bad", f"@{tags}").doc["values"]) == 25


def test_put_types_from_current_value_and_audit(cli: Cli) -> None:
    doc = cli.ok("put", "TestChildObject.TestInt=17", "TestChildObject.TestBool=true",
                 "TestChildObject.TestIntArray[]=4,5,6").doc
    assert [w["type"] for w in doc["writes"]] == ["int32", "bool", "int32[]"]
    assert cli.sim.control("get_value", "TestChildObject.TestInt") == 17
    assert cli.sim.control("get_value", "TestChildObject.TestIntArray") == [4, 5, 6]
    assert [a["tag"] for a in cli.audit()] == ["TestChildObject.TestInt",
                                               "TestChildObject.TestBool",
                                               "TestChildObject.TestIntArray[]"]


def test_put_with_type_from_a_file(cli: Cli, tmp_path: Path) -> None:
    values = tmp_path / "values.txt"
    values.write_text("# setpoints\nTestChildObject.TestDouble=2.25\n")
    cli.ok("put", "--type", "double", f"@{values}")
    assert cli.sim.control("get_value", "TestChildObject.TestDouble") == 2.25


@pytest.mark.parametrize("type_name", ["i4", "mxinteger", "MX_DATA_TYPE_INTEGER", "int"])
def test_put_takes_every_name_of_the_librarys_type_table(cli: Cli, type_name: str) -> None:
    doc = cli.ok("put", "--type", type_name, "TestChildObject.TestInt=21").doc
    assert doc["writes"][0]["value"] == 21
    assert cli.sim.control("get_value", "TestChildObject.TestInt") == 21


# A value of each canonical type, as text.
_TEXTS = {"bool": "true", "int32": "5", "int64": "5", "float": "1.5", "double": "1.5",
          "string": "x", "datetime": "2026-01-02T03:04:05", "elapsed": "1:02:03",
          "bytes": "AAE="}


def test_the_cli_and_the_library_take_one_table_of_type_names(cli: Cli) -> None:
    # Every name the library knows (aliases, Galaxy and proto forms, arrays) is one the
    # CLI takes, with the library's value; a name it does not know, neither does the CLI.
    from mxgw import _values, to_mx_value
    from mxgw.cli import _common, cmd_tasks

    assert _common.parse_value is _values.parse_value is cmd_tasks.parse_value
    names = {name for key, row in _values.TYPES.items() for name in (key, *row.aliases)}
    assert {"i4", "mxinteger", "time", "datetime", "mxtime", "mx_data_type_double"} <= names
    for name in sorted(names):
        for array in ("", "[]"):
            key, _ = _values.normalize_type(name)
            line = f"Some.Tag={_TEXTS[key]}"
            doc = cli.ok("put", "--dry-run", "--no-audit", "--type", name + array, line).doc
            expected = _values.parse_value(_TEXTS[key], name + array)
            printed = json.loads(json.dumps(to_jsonable(expected)))
            assert doc["writes"][0]["value"] == printed, name
            assert to_mx_value(expected, name + array) is not None
    result = cli("put", "--dry-run", "--type", "decimal", "Some.Tag=1")
    assert result.code == 2 and "unknown type 'decimal'" in result.error["message"]
    assert "int32[]" in cli.ok("put", "--help").out


def test_put_dry_run_sends_nothing(cli: Cli) -> None:
    before = cli.sim.control("get_value", "TestChildObject.TestString")
    doc = cli.ok("put", "--dry-run", "TestChildObject.TestString=changed").doc
    assert doc == {"dryRun": True, "action": "put", "writes": [
        {"tag": "TestChildObject.TestString", "type": "string", "value": "changed"}]}
    assert cli.sim.control("get_value", "TestChildObject.TestString") == before
    assert cli.audit()[0]["outcome"] == "dry-run"


def test_put_not_writeable_is_exit_7(cli: Cli) -> None:
    result = cli("put", "Pump001.Model=X")
    assert result.code == 7 and "NotWriteable" in result.error["message"]
    assert cli.audit()[0]["outcome"] == "MxAccessError"


def test_a_put_that_fails_part_way_names_what_it_wrote(cli: Cli) -> None:
    # The first write stays made; the error line said only why the second failed.
    result = cli("put", "TestChildObject.TestInt=9", "Pump001.Model=X",
                 "TestChildObject.TestString=never")
    assert (result.code, result.out) == (7, "")
    assert "NotWriteable" in result.error["message"]
    assert result.error["warnings"] == [
        "put stopped after 1 of 3 writes; written: TestChildObject.TestInt"]
    assert cli.sim.control("get_value", "TestChildObject.TestInt") == 9
    assert cli.sim.control("get_value", "TestChildObject.TestString") != "never"


def test_a_long_put_that_fails_names_the_first_ten_written(cli: Cli) -> None:
    writes = [f"TestChildObject.TestInt={n}" for n in range(12)]
    result = cli("put", *writes, "Pump001.Model=X")
    assert result.code == 7
    [warning] = result.error["warnings"]
    assert warning == ("put stopped after 12 of 13 writes; written: "
                       + ", ".join(["TestChildObject.TestInt"] * 10) + ", and 2 more")


def test_a_put_that_fails_first_has_no_written_warning(cli: Cli) -> None:
    result = cli("put", "Pump001.Model=X", "TestChildObject.TestInt=9")
    assert result.code == 7 and "warnings" not in result.error


def test_watch_counts(cli: Cli) -> None:
    lines = cli.ok("watch", "TestMachine_001.TestChangingInt", "--count", "3").lines
    assert len(lines) == 3
    assert {line["tag"] for line in lines} == {"TestMachine_001.TestChangingInt"}


COUNTER = "TestMachine_001.TestChangingInt"  # counts up every tick (0.05 s here)


def test_watch_until_stops_at_the_first_change_that_holds(cli: Cli) -> None:
    # Usually a few changes are printed before the one that holds; on a slow machine the
    # first value may hold already (tests/client/test_wait_for.py waits deterministically).
    target = cli.sim.control("get_value", COUNTER) + 5
    lines = cli.ok("watch", COUNTER, "--until", f"value >= {target}").lines
    assert lines[-1]["value"] >= target
    assert all(line["value"] < target for line in lines[:-1])
    assert {line["tag"] for line in lines} == {COUNTER}


def test_watch_until_that_already_holds_prints_the_current_value_only(cli: Cli) -> None:
    current = cli.sim.control("get_value", "TestChildObject.TestInt")
    lines = cli.ok("watch", "TestChildObject.TestInt", "--until",
                   f"value == {current} and quality == Good").lines
    assert [line["value"] for line in lines] == [current]


def test_watch_until_with_several_tags_is_evaluated_per_change(cli: Cli) -> None:
    # TestInt's value passes `value >= target` but not the tag test: it must not stop the
    # watch. Its current value comes first (the simulator advises in the order given).
    cli.sim.control("set_value", "TestChildObject.TestInt", 10**6)
    target = cli.sim.control("get_value", COUNTER) + 2
    lines = cli.ok("watch", "TestChildObject.TestInt", COUNTER, "--until",
                   f"tag == '{COUNTER}' and value >= {target}", "--collect").doc
    assert lines[0]["tag"] == "TestChildObject.TestInt" and lines[0]["value"] == 10**6
    assert lines[-1]["tag"] == COUNTER and lines[-1]["value"] >= target
    assert all(line["value"] < target for line in lines[1:-1])


@pytest.mark.parametrize("bound", [["--duration", "0.3"], ["--count", "2"]])
def test_watch_until_that_never_holds_is_exit_10(cli: Cli, bound: list[str]) -> None:
    result = cli("watch", COUNTER, "--until", "value < 0", *bound)
    assert result.code == 10
    error = result.error
    assert error["type"] == "MxGatewayConditionTimeoutError"
    assert error["message"].startswith("value < 0 did not hold ")
    lines = result.lines
    assert lines and all(line["value"] >= 0 for line in lines)
    if bound[0] == "--count":
        assert len(lines) == 2 and "in 2 changes" in error["message"]


@pytest.mark.parametrize(("expression", "position"), [
    ("value >", 8),
    ("value = 5", 7),
    ("value == 5 && quality == Good", 12),
    ("quality == 'Good'", 12),
    ("tag == TestChildObject.TestInt", 8),
    ("value == 'open", 10),
    ("", 1),
    (f"tag == '{COUNTER}x' and value == 1", 8),  # not one of the watched tags
])
def test_watch_until_refuses_bad_expressions_before_connecting(
        cli: Cli, expression: str, position: int) -> None:
    result = cli("watch", "TestChildObject.TestInt", COUNTER, "--until", expression)
    assert result.code == 2 and result.out == ""
    assert result.error["type"] == "UsageError"
    assert f"--until: bad condition at position {position}: " in result.error["message"]


def test_watch_until_error_is_the_readmes(cli: Cli) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    shown = readme.split('(here `--until "value = 5"`):', 1)[1].split("```json\n", 1)[1]
    result = cli("watch", "TestChildObject.TestInt", "--until", "value = 5")
    assert result.code == 2
    assert json.loads(result.err) == json.loads(shown.split("```", 1)[0])


def test_watch_help_documents_until_and_exit_10(cli: Cli) -> None:
    text = cli.ok("watch", "--help").out
    assert "--until EXPR" in text
    assert "10   the --until condition did not hold in time" in text


def test_browse(cli: Cli) -> None:
    top = cli.ok("browse").doc
    assert [c["tagName"] for c in top["children"]][:3] == ["Area_Pumps", "Area_Tanks",
                                                          "Area_Test"]
    pump = cli.ok("browse", "Pump001").doc
    writable = {a["name"]: a["writable"] for a in pump["object"]["attributes"]}
    assert writable["Model"] == "no" and writable["SetPoint"] == "secured"
    assert writable["Speed"] == "yes"
    area = cli.ok("browse", "Area_Pumps").doc
    assert "Pump001" in [c["tagName"] for c in area["children"]]


def test_galaxy_commands(cli: Cli) -> None:
    assert cli.ok("galaxy-test-connection").doc["ok"] is True
    assert cli.ok("galaxy-last-deploy").doc["cacheState"] == "Healthy"
    objects = cli.ok("galaxy-discover", "--root-tag", "Area_Tanks", "--no-attributes").lines
    assert objects[0]["tagName"] == "Area_Tanks" and objects[0]["attributes"] == []
    browse = cli.ok("galaxy-browse", "Area_Tanks").doc
    assert all(set(c) == {"object", "hasChildren"} for c in browse["children"])
    events = cli.ok("galaxy-watch", "--count", "1").lines
    assert len(events) == 1 and events[0]["sequence"] >= 0


def _raw_galaxy(cli: Cli) -> tuple[list[object], list[tuple[object, bool]]]:
    """The whole demo galaxy and the top level's children, straight from the wire."""
    from mxgw._proto import galaxy_pb2 as gpb
    from mxgw._proto import galaxy_pb2_grpc

    metadata = (("authorization", f"Bearer {cli.sim.api_key}"),)
    with grpc.insecure_channel(cli.sim.endpoint) as channel:
        stub = galaxy_pb2_grpc.GalaxyRepositoryStub(channel)
        objects: list[object] = []
        token = ""
        while True:
            reply = stub.DiscoverHierarchy(gpb.DiscoverHierarchyRequest(page_token=token),
                                           metadata=metadata, timeout=30)
            objects.extend(reply.objects)
            token = reply.next_page_token
            if not token:
                break
        browse = stub.BrowseChildren(gpb.BrowseChildrenRequest(), metadata=metadata, timeout=30)
    return objects, list(zip(browse.children, browse.child_has_children, strict=True))


def test_galaxy_objects_print_as_the_proto3_json_mapping(cli: Cli) -> None:
    # The bytes the commands printed when they printed the GalaxyObject messages.
    from google.protobuf import json_format

    def mapped(message: object) -> object:
        return json_format.MessageToDict(message,  # type: ignore[arg-type]
                                         always_print_fields_with_no_presence=True)

    objects, children = _raw_galaxy(cli)
    discovered = cli.ok("galaxy-discover", "--compact").out.splitlines()
    assert discovered == [json.dumps(mapped(o), sort_keys=True, separators=(",", ":"))
                          for o in objects]
    browsed = cli.ok("galaxy-browse", "--compact").out
    assert browsed == json.dumps({"parent": None, "children": [
        {"object": mapped(child), "hasChildren": has} for child, has in children]},
        sort_keys=True, separators=(",", ":")) + "\n"


def test_galaxy_unknown_parent_is_exit_6(cli: Cli) -> None:
    result = cli("galaxy-browse", "NoSuchObject")
    assert result.code == 6 and result.error["grpcCode"] == "NOT_FOUND"


@pytest.mark.parametrize("command", ["bench-read-bulk", "bench-stream-events"])
def test_bench_schema(cli: Cli, command: str) -> None:
    doc = cli.ok(command, "--duration", "0.3", "--warmup", "0.1", "--bulk-size", "4").doc
    assert set(doc) == BENCH_KEYS
    assert doc["language"] == "python" and doc["command"] == command
    assert doc["bulkSize"] == 4 and len(doc["tags"]) == 4
    assert set(doc["latencyMs"]) == {"p50", "p95", "p99", "max", "mean"}
    assert doc["totalCalls"] == doc["successfulCalls"] + doc["failedCalls"]
    assert doc["totalCalls"] > 0


def test_bench_tags_come_from_a_file_as_every_tag_list_does(cli: Cli, tmp_path: Path) -> None:
    # "@tags.txt" was taken as a tag name, and the bench measured reads of a bad tag.
    listing = tmp_path / "tags.txt"
    listing.write_text("# two\nTestChildObject.TestInt\nPump001.Speed\n", encoding="utf-8")
    doc = cli.ok("bench-read-bulk", "--tags", f"@{listing}", "--duration", "0.1",
                 "--warmup", "0").doc
    assert doc["tags"] == ["TestChildObject.TestInt", "Pump001.Speed"]
    assert doc["totalReadResults"] == 2 * doc["successfulCalls"] > 0


def test_an_unconfirmed_close_is_a_warning_and_a_short_lease_reclaims_the_session(
        cli: Cli) -> None:
    # The gateway does not confirm the close: the measurement is still the result (exit 0),
    # stderr names the session, and the session, orphaned on the gateway, is reclaimed
    # after the one-shot lease (120 s), not after the default 30 minutes.
    cli.sim.control("fail_next", 1, grpc.StatusCode.UNAVAILABLE, "gone", "CloseSession")
    result = cli("bench-read-bulk", "--subscribe", "--duration", "0.1", "--warmup", "0")
    assert result.code == 0 and result.doc["totalCalls"] > 0
    [line] = result.err.splitlines()
    warning = json.loads(line)["warning"]
    [orphan] = cli.sim.control("sessions")
    assert f"close session {orphan.session_id}: UNAVAILABLE" in warning
    assert "120 s lease" in warning
    cli.sim.control("advance_time", 60)
    assert cli.sim.open_sessions() == 1
    cli.sim.control("advance_time", 61)
    assert cli.sim.open_sessions() == 0


def test_batch_reuses_the_connection_and_continues_after_errors(cli: Cli) -> None:
    from mxgw.cli import _context

    connects: list[object] = []
    original = _context.Runtime.client

    async def counting(self: _context.Runtime, options: object, *rest: object) -> object:
        client = await original(self, options, *rest)  # type: ignore[arg-type]
        if client not in connects:
            connects.append(client)
        return client

    cli.monkeypatch.setattr(_context.Runtime, "client", counting)
    script = "\n".join([  # noqa: FLY002 - one command line per row
        "get TestChildObject.TestInt",
        "get No.Such.Tag",
        "batch",
        "version --pretty",
        'put "TestChildObject.TestString=two words"',
        "",
        "get TestChildObject.TestInt",
    ]) + "\n"
    result = cli("batch", stdin=script)
    records = result.out.split(END_OF_RECORD + "\n")
    assert records[-1] == ""
    records = records[:-1]
    assert len(records) == 5  # the empty line ended the batch
    assert json.loads(records[0])["values"][0]["tag"] == "TestChildObject.TestInt"
    error = json.loads(records[1])
    assert error["type"] == "error" and error["exitCode"] == 7
    assert json.loads(records[2])["errorType"] == "UsageError"
    assert json.loads(records[3])["version"]
    assert json.loads(records[4])["ok"] is True
    assert cli.sim.control("get_value", "TestChildObject.TestString") == "two words"
    assert len(connects) == 1
    assert result.code == 2  # the exit code of the last failing line


def test_put_secured_and_verified_with_passwords_from_the_environment(cli: Cli) -> None:
    refused = cli("put", "Pump001.SetPoint=61")
    assert refused.code == 7 and "SecuredWrite" in refused.error["message"]
    cli.monkeypatch.setenv("MXGW_PASSWORD", "operator-pw")
    cli.ok("put", "--user", "operator", "Pump001.SetPoint=61")
    assert cli.sim.control("get_value", "Pump001.SetPoint") == 61.0
    unverified = cli("put", "--user", "operator", "Pump001.MaintenanceMode=true")
    assert unverified.code == 7 and "VerifiedWrite" in unverified.error["message"]
    cli.monkeypatch.setenv("SUPERVISOR_PW", "supervisor-pw")
    cli.ok("put", "--user", "operator", "--verifier", "supervisor",
           "--verifier-password-env", "SUPERVISOR_PW", "Pump001.MaintenanceMode=true")
    assert cli.sim.control("get_value", "Pump001.MaintenanceMode") is True
    audit = (cli.home / "audit.jsonl").read_text()
    assert "operator-pw" not in audit and "supervisor-pw" not in audit
    assert [a["outcome"] for a in cli.audit()] == ["MxAccessError", "ok", "MxAccessError", "ok"]


@pytest.mark.parametrize("extra", [(), ("--dry-run",), ("--type", "int32", "--dry-run")])
def test_put_verifier_without_user_is_refused_before_connecting(cli: Cli,
                                                                extra: tuple[str, ...]) -> None:
    # Without --user the verifier was dropped: a plain write went out (no verification,
    # and none in the audit log) or the gateway refused a VerifiedWrite the script asked for.
    cli.monkeypatch.setenv("MXGW_VERIFIER_PASSWORD", "supervisor-pw")
    result = cli("put", *extra, "--verifier", "supervisor", "TestChildObject.TestInt=5")
    assert result.code == 2 and result.out == ""
    error = result.error
    assert error["type"] == "UsageError" and "--user" in str(error["message"])
    assert cli.sim.control("get_value", "TestChildObject.TestInt") != 5
    assert cli.audit() == []
    assert "supervisor-pw" not in result.err


def test_put_wrong_password_is_refused(cli: Cli) -> None:
    cli.monkeypatch.setenv("MXGW_PASSWORD", "not-the-password")
    result = cli("put", "--user", "operator", "Pump001.SetPoint=62")
    assert result.code == 7 and "authentication failed" in result.error["message"]
    assert "not-the-password" not in result.err


def test_bench_progress_only_on_a_terminal(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    result = cli("bench-read-bulk", "--duration", "0.2", "--warmup", "0")
    assert result.code == 0
    assert "bench-read-bulk:" in result.err and "calls" in result.err
    assert set(result.doc) == BENCH_KEYS  # stdout holds only the JSON document


@pytest.mark.parametrize("option", [("--warmup", "inf"), ("--warmup", "nan"), ("--warmup", "-1"),
                                    ("--duration", "inf"), ("--bulk-size", "0"),
                                    ("--bulk-size", "-3")])
def test_bench_refuses_unbounded_or_empty_runs(cli: Cli, option: tuple[str, str]) -> None:
    # `--warmup inf` would otherwise loop for ever, `--bulk-size -3` read no tags at all.
    result = cli("bench-read-bulk", *option)
    assert result.code == 2 and result.out == ""
    assert option[0] in result.error["message"]


def test_watch_of_a_value_that_cannot_be_read_fails_as_it_did_when_records_were_eager(
        cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    # The simulator stamps each change with a source timestamp beyond datetime's range.
    # subscribe()'s changes are lazy: the value is converted where `watch` prints it, and
    # the failure is the one the eager record raised from the stream: nothing printed,
    # the same error line, the same exit code, with --until too.
    from google.protobuf.timestamp_pb2 import Timestamp

    from mxgw.sim import _events as sim_events

    data = Timestamp(seconds=2**40).SerializeToString()
    monkeypatch.setattr(sim_events, "_stamp", lambda when: bytes([len(data)]) + data)
    for until in ((), ("--until", "value > 0")):
        result = cli("watch", "TestChildObject.TestInt", "--count", "1", *until)
        assert result.out == ""
        assert result.error["type"] == "ValueError" and "Timestamp" in result.error["message"]
        assert result.code == 1, result.error
