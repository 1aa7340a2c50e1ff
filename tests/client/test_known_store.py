"""known_gateways.json as a file: endpoint keys, fingerprint forms, tolerant of a missing
file but not of a corrupt one, the lock, atomic writes, and processes racing on it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from mxgw import ClientOptions, MxGatewayCertificateChangedError, _files, _known
from mxgw._endpoint import parse_endpoint
from mxgw._errors import KnownGatewaysFileError

A = "aa:" * 31 + "aa"
B = "bb:" * 31 + "bb"
ENTRY = {"sha256": A, "firstSeen": "t", "lastSeen": "t"}


@pytest.mark.parametrize(("written", "key"), [
    ("GW01", "gw01:5120"),
    ("https://Gateway01.Plant.Local:5121", "gateway01.plant.local:5121"),
    ("gw01.:5120", "gw01:5120"),
    ("[::1]", "[::1]:5120"),
    ("[0:0:0:0:0:0:0:1]:5120", "[::1]:5120"),
    ("[FE80::1]:7", "[fe80::1]:7"),
    ("127.0.0.1:5120", "127.0.0.1:5120"),
])
def test_endpoint_keys_are_normalised(written: str, key: str) -> None:
    assert parse_endpoint(written).key == key


@pytest.mark.parametrize("text", [A, A.upper(), A.replace(":", ""), " " + A.upper() + "\n",
                                  A.replace(":", " ")])
def test_fingerprints_are_accepted_in_colon_or_plain_hex_any_case(text: str) -> None:
    assert _known.parse_fingerprint(text) == A


@pytest.mark.parametrize("text", ["", "aa", A + "aa", A.replace("a", "g"), "sha256:" + A])
def test_bad_fingerprints_are_refused_naming_the_option(text: str) -> None:
    with pytest.raises(ValueError, match="^--tls-pin: not a SHA-256 fingerprint"):
        _known.parse_fingerprint(text, "--tls-pin")


def test_client_options_normalise_and_check_the_pin() -> None:
    assert ClientOptions("gw", tls_pin=A.upper()).tls_pin == A
    for contradiction in ({"plaintext": True}, {"ca_file": "ca.pem"},
                          {"require_certificate_validation": True}):
        with pytest.raises(ValueError, match="tls_pin"):
            ClientOptions("gw", tls_pin=A, **contradiction)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="tls_pin: not a SHA-256"):
        ClientOptions("gw", tls_pin="12:34")
    with pytest.raises(ValueError, match="known_gateways is empty"):
        ClientOptions("gw", known_gateways="")


def test_known_gateways_defaults_to_the_config_folder(tmp_path: Path) -> None:
    env = {"MXGW_HOME": str(tmp_path / "home")}
    assert ClientOptions("gw").known_gateways == os.path.join(
        os.environ["MXGW_HOME"], "known_gateways.json")
    resolved = ClientOptions.resolve({"endpoint": "gw"}, env=env)
    assert resolved.known_gateways == str(tmp_path / "home" / "known_gateways.json")
    assert ClientOptions("gw", known_gateways=tmp_path / "k.json").known_gateways == str(
        tmp_path / "k.json")


def test_a_profile_may_pin_but_not_move_the_file(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(
        f'[profiles.p]\nendpoint = "gw:5120"\ntls_pin = "{A.upper()}"\n')
    env = {"MXGW_HOME": str(tmp_path)}
    assert ClientOptions.resolve(env=env, profile="p").tls_pin == A
    (tmp_path / "config.toml").write_text(
        '[profiles.p]\nendpoint = "gw:5120"\nknown_gateways = "x.json"\n')
    with pytest.raises(ValueError, match="unknown key"):
        ClientOptions.resolve(env=env, profile="p")


def test_check_stores_first_contact_and_refuses_a_change(tmp_path: Path) -> None:
    store = _known.KnownGateways(tmp_path / "k.json")
    assert store.entries() == []  # a missing file is an empty one
    assert not (tmp_path / "k.json").exists()
    first = store.check("gw:5120", A)
    assert first.status == "new" and first.sha256 == A
    assert store.check("gw:5120", A).status == "known"
    before = (tmp_path / "k.json").read_bytes()
    with pytest.raises(MxGatewayCertificateChangedError) as info:
        store.check("gw:5120", B)
    assert (info.value.expected, info.value.presented) == (A, B)
    assert info.value.first_seen == first.first_seen
    assert (tmp_path / "k.json").read_bytes() == before


def test_add_replaces_only_when_asked_and_forget_removes(tmp_path: Path) -> None:
    store = _known.KnownGateways(tmp_path / "k.json")
    entry, previous = store.add("gw:5120", A, replace=False)
    assert previous is None and entry.sha256 == A
    assert store.add("gw:5120", A, replace=False) == (entry, entry)
    with pytest.raises(MxGatewayCertificateChangedError):
        store.add("gw:5120", B, replace=False)
    entry, previous = store.add("gw:5120", B, replace=True)
    assert previous is not None and previous.sha256 == A and entry.sha256 == B
    assert store.forget("gw:5120") == entry
    assert store.forget("gw:5120") is None
    assert store.entries() == []


def test_hand_written_keys_are_normalised_on_reading(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    path.write_text(json.dumps({"version": 1, "gateways": {
        "GW01": {"sha256": A.replace(":", "").upper(), "firstSeen": "t0", "lastSeen": "t0"}}}))
    store = _known.KnownGateways(path)
    assert store.check("gw01:5120", A).status == "known"
    assert list(json.loads(path.read_text())["gateways"]) == ["gw01:5120"]


def test_a_file_saved_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    # Windows PowerShell 5.1 (`Set-Content -Encoding UTF8`) and older Notepads save UTF-8
    # with a BOM: a file fixed by hand that way was refused as "not valid JSON".
    path = tmp_path / "k.json"
    doc = {"version": 1, "gateways": {"gw01:5120": ENTRY}}
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(doc, indent=2).replace("\n", "\r\n").encode())
    store = _known.KnownGateways(path)
    assert [e.sha256 for e in store.entries()] == [A]
    assert store.check("gw01:5120", A).status == "known"
    assert json.loads(path.read_bytes())["gateways"]["gw01:5120"]["sha256"] == A


@pytest.mark.parametrize(("text", "problem"), [
    ("", "not valid JSON"),
    ("{not json", "not valid JSON"),
    ("[]", "not a known gateways file"),
    ('{"gateways": {}}', "version None is not 1"),
    ('{"version": 2, "gateways": {}}', "version 2 is not 1"),
    ('{"version": 1, "gateways": {"gw": {"sha256": "aa"}}}', "needs the strings"),
    ('{"version": 1, "gateways": {"gw": {"sha256": "aa", "firstSeen": "t", "lastSeen": "t"}}}',
     "not a SHA-256 fingerprint"),
    (json.dumps({"version": 1, "gateways": {"gw:1/x": ENTRY}}), "no path"),
    ('{"version": 1, "gateways": {"gw": ENTRY, "GW:5120": ENTRY}}'.replace(
        "ENTRY", json.dumps(ENTRY)), "listed twice"),
])
def test_a_corrupt_file_is_refused_naming_it(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "k.json"
    path.write_text(text)
    store = _known.KnownGateways(path)
    for attempt in (store.entries, lambda: store.check("new:5120", A),
                    lambda: store.forget("gw:5120")):
        with pytest.raises(KnownGatewaysFileError) as info:
            attempt()
        assert str(path) in str(info.value) and problem in str(info.value)
        assert "move it away" in str(info.value)
    assert path.read_text() == text


def test_a_held_lock_times_out_with_a_clear_error(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "k.json"
    path.write_text('{"version": 1, "gateways": {}}')  # a missing file is read unlocked
    monkeypatch.setattr(_files, "LOCK_TIMEOUT", 0.2)
    with _files.locked(path):
        # Another thread of this process: a different open file, so it is excluded too.
        failures: list[BaseException] = []

        def other() -> None:
            try:
                _known.KnownGateways(path).entries()
            except KnownGatewaysFileError as exc:
                failures.append(exc)

        thread = threading.Thread(target=other)
        thread.start()
        thread.join(30)
    assert len(failures) == 1
    assert "locked by another process" in str(failures[0]) and str(path) in str(failures[0])
    assert _known.KnownGateways(path).entries() == []  # released: usable again


def test_an_unwritable_folder_is_an_error_naming_the_file(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")  # a file where the folder should be: no user can create it
    store = _known.KnownGateways(blocker / "k.json")
    with pytest.raises(KnownGatewaysFileError, match="cannot lock it") as info:
        store.check("gw:5120", A)
    assert str(blocker / "k.json") in str(info.value)
    # Reading needs no lock when there is no file (`mxgw trust list` on a read-only
    # profile): before, listing nothing failed the same way.
    assert store.entries() == [] and store.lookup("gw:5120") is None


def test_write_private_retries_a_refused_rename_and_leaves_no_temp_file(
        tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    refusals = [PermissionError("in use"), PermissionError("in use")]

    def flaky(src: str, dst: Path) -> None:
        if refusals:
            raise refusals.pop()
        os.replace(src, dst)

    _files.write_private(path, "one\n", replace=flaky)
    assert path.read_text() == "one\n" and refusals == []

    def never(src: str, dst: Path) -> None:
        raise PermissionError("in use")

    with pytest.raises(PermissionError):
        _files.write_private(path, "two\n", replace=never)
    assert path.read_text() == "one\n"
    assert [p.name for p in tmp_path.iterdir()] == ["k.json"]


_RACER = """
import json, sys
from mxgw._known import KnownGateways
store, worker, sha256 = KnownGateways(sys.argv[1]), sys.argv[2], sys.argv[3]
statuses = []
for i in range(20):
    statuses.append(store.check(f"gw-{worker}-{i}:5120", sha256).status)
    statuses.append(store.check("shared:5120", sha256).status)
print(json.dumps(statuses))
"""


def test_processes_racing_on_the_file_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    workers = [subprocess.Popen([sys.executable, "-c", _RACER, str(path), str(n), A],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for n in range(6)]
    statuses: list[str] = []
    for proc in workers:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        statuses += json.loads(out)
    gateways = json.loads(path.read_text())["gateways"]  # one valid file
    assert len(gateways) == 6 * 20 + 1  # no lost update
    assert statuses.count("new") == 6 * 20 + 1  # shared:5120 was new exactly once


def test_lookup_only_reads(tmp_path: Path) -> None:
    path = tmp_path / "config" / "known_gateways.json"
    store = _known.KnownGateways(path)
    assert store.lookup("gw01:5120") is None
    assert not path.parent.exists()  # a missing file: neither it, its lock nor its folder
    path.parent.mkdir()
    path.write_text(json.dumps({"version": 1, "gateways": {"gw01:5120": ENTRY}}))
    entry = store.lookup("gw01:5120")
    assert entry is not None and (entry.sha256, entry.last_seen) == (A, "t")
    assert store.lookup("gw02:5120") is None
    assert json.loads(path.read_text())["gateways"]["gw01:5120"] == ENTRY  # lastSeen kept
    path.write_text("not json")
    with pytest.raises(KnownGatewaysFileError, match="not valid JSON"):
        store.lookup("gw01:5120")
