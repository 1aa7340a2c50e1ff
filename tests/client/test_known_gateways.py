"""Trust on first use that remembers: known_gateways.json and tls_pin, over real TLS with
the simulator (the store's file handling is in test_known_store.py)."""

from __future__ import annotations

import json
import logging
import os
import stat
import sys
from pathlib import Path

import pytest

import mxgw
from mxgw import _channel, _paths
from mxgw.testing import RunningSimulator, run_simulator


def known_file() -> Path:
    return Path(_paths.known_gateways_file())  # under the test's own MXGW_HOME


def options(sim: RunningSimulator, **overrides: object) -> mxgw.ClientOptions:
    return mxgw.ClientOptions(sim.endpoint, api_key=sim.api_key, timeout=10,
                              **overrides)  # type: ignore[arg-type]


def gateway_calls(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The simulator's --verbose log: one record per call that reached it."""
    return [r.getMessage() for r in caplog.records if r.name == "mxgw.sim" and " -> " in
            r.getMessage()]


async def read_int(client: mxgw.GatewayClient) -> None:
    async with await client.open_session(name="known-gateways") as session:
        assert (await session.read("TestChildObject.TestInt"))["TestChildObject.TestInt"].ok


@pytest.mark.asyncio
async def test_first_contact_stores_then_the_same_certificate_is_known(
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="mxgw")
    async with run_simulator(tick_interval=None, tls=True) as sim:
        assert not known_file().exists()
        async with await mxgw.GatewayClient.connect(options(sim)) as client:
            trust = client.certificate_trust
            assert trust is not None and trust.status == "new"
            assert trust.sha256 == sim.certificate_sha256
            assert trust.endpoint == sim.endpoint and trust.file == str(known_file())
            assert client.transport_description == (
                f"TLS (trust-on-first-use: new, now pinned SHA-256 {sim.certificate_sha256})")
            await read_int(client)
        stored = json.loads(known_file().read_text())
        entry = stored["gateways"][sim.endpoint]
        assert stored["version"] == 1 and entry["sha256"] == sim.certificate_sha256
        assert entry["firstSeen"] == entry["lastSeen"] == trust.first_seen
        notices = [r for r in caplog.records if r.name == "mxgw"
                   and "trusting new gateway certificate" in r.getMessage()]
        assert len(notices) == 1 and notices[0].levelno == logging.INFO
        assert str(sim.certificate_sha256) in notices[0].getMessage()

        async with await mxgw.GatewayClient.connect(options(sim)) as again:
            known = again.certificate_trust
            assert known is not None and known.status == "known"
            assert known.first_seen == entry["firstSeen"]
            assert again.transport_description == (
                f"TLS (trust-on-first-use: pinned, known since {entry['firstSeen']}, "
                f"SHA-256 {sim.certificate_sha256})")
            await read_int(again)
        later = json.loads(known_file().read_text())["gateways"][sim.endpoint]
        assert later["firstSeen"] == entry["firstSeen"]
        assert later["lastSeen"] >= entry["lastSeen"]
    assert len([r for r in caplog.records if "trusting new" in r.getMessage()]) == 1


@pytest.mark.asyncio
async def test_a_restarted_gateway_with_a_new_certificate_is_refused_before_any_call(
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="mxgw.sim")
    async with run_simulator(tick_interval=None, tls=True) as first:
        async with await mxgw.GatewayClient.connect(options(first)) as client:
            await read_int(client)
        port = int(first.endpoint.rsplit(":", 1)[1])
        old = first.certificate_sha256
    before = known_file().read_bytes()
    async with run_simulator(tick_interval=None, tls=True, port=port) as second:
        new = second.certificate_sha256
        assert second.endpoint == first.endpoint and new != old
        caplog.clear()
        with pytest.raises(mxgw.MxGatewayCertificateChangedError) as info:
            await mxgw.GatewayClient.connect(options(second))
        error = info.value
        assert isinstance(error, mxgw.MxGatewayTransportError)
        assert (error.endpoint, error.expected, error.presented) == (second.endpoint, old, new)
        stored = json.loads(before)["gateways"][second.endpoint]
        assert error.first_seen == stored["firstSeen"]
        message = str(error)
        for part in (second.endpoint, str(old), str(new), stored["firstSeen"],
                     f"mxgw trust add {second.endpoint} --pin {new}", str(known_file())):
            assert part in message
        assert second.api_key not in message
        # Nothing reached the gateway: no call in its log, no session; the file is as it was.
        assert gateway_calls(caplog) == []
        assert second.control.open_session_count == 0
        assert known_file().read_bytes() == before
        # Retrying changes nothing: never accepted by a retry.
        with pytest.raises(mxgw.MxGatewayCertificateChangedError):
            await mxgw.GatewayClient.connect(options(second))
        assert gateway_calls(caplog) == []
        # The log does see calls (so the empty list above means something).
        async with await mxgw.GatewayClient.connect(options(second, tls_pin=new)) as client:
            await read_int(client)
        assert any(line.startswith("OpenSession") for line in gateway_calls(caplog))


@pytest.mark.asyncio
async def test_tls_pin_accepts_only_that_certificate_and_needs_no_file() -> None:
    async with run_simulator(tick_interval=None, tls=True) as sim:
        pin = str(sim.certificate_sha256)
        plain_upper = pin.replace(":", "").upper()
        async with await mxgw.GatewayClient.connect(options(sim, tls_pin=plain_upper)) as client:
            assert client.options.tls_pin == pin
            trust = client.certificate_trust
            assert trust is not None and trust.status == "pinned" and trust.file is None
            assert client.transport_description == f"TLS (pinned by tls_pin, SHA-256 {pin})"
            await read_int(client)
        other = "ab:" * 31 + "ab"
        with pytest.raises(mxgw.MxGatewayCertificateChangedError) as info:
            await mxgw.GatewayClient.connect(options(sim, tls_pin=other))
        assert other in str(info.value) and pin in str(info.value)
        assert info.value.first_seen is None
        assert sim.control.open_session_count == 0
    assert not known_file().exists()


@pytest.mark.asyncio
async def test_known_gateways_none_remembers_nothing_and_a_path_uses_that_file(
        tmp_path: Path) -> None:
    elsewhere = tmp_path / "team" / "known.json"
    async with run_simulator(tick_interval=None, tls=True) as sim:
        async with await mxgw.GatewayClient.connect(options(sim, known_gateways=None)) as c:
            trust = c.certificate_trust
            assert trust is not None and trust.status == "not-stored"
            assert c.transport_description == (
                f"TLS (trust-on-first-use, pinned SHA-256 {sim.certificate_sha256})")
            await read_int(c)
        assert not known_file().exists()
        async with await mxgw.GatewayClient.connect(options(sim, known_gateways=elsewhere)) as c:
            assert c.certificate_trust is not None and c.certificate_trust.status == "new"
        assert sim.endpoint in json.loads(elsewhere.read_text())["gateways"]
        assert not known_file().exists()


@pytest.mark.asyncio
async def test_a_corrupt_file_is_an_error_naming_it_and_is_left_alone() -> None:
    path = known_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"version": 1, "gateways": {"gw:5120": {"sha256": "nope"')
    async with run_simulator(tick_interval=None, tls=True) as sim:
        # The public name (README: `mxgw.KnownGatewaysFileError`), not only the module's.
        with pytest.raises(mxgw.KnownGatewaysFileError) as info:
            await mxgw.GatewayClient.connect(options(sim))
        assert isinstance(info.value, mxgw.MxGatewayConfigError)
        assert isinstance(info.value, ValueError)
        assert str(path) in str(info.value) and "not valid JSON" in str(info.value)
        assert sim.control.open_session_count == 0
    assert path.read_text().endswith('"nope"')


@pytest.mark.asyncio
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
async def test_the_file_is_private_on_posix(tmp_path: Path) -> None:
    path = tmp_path / "fresh" / "known_gateways.json"
    async with run_simulator(tick_interval=None, tls=True) as sim:
        async with await mxgw.GatewayClient.connect(options(sim, known_gateways=path)):
            pass
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(str(path) + ".lock").st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == [
        "known_gateways.json", "known_gateways.json.lock"]  # no temp file left behind


@pytest.mark.asyncio
async def test_a_ca_file_or_system_roots_do_not_touch_the_file(tmp_path: Path) -> None:
    async with run_simulator(tick_interval=None, tls=True) as sim:
        assert sim.ca_pem is not None
        ca = tmp_path / "ca.pem"
        ca.write_bytes(sim.ca_pem)
        async with await mxgw.GatewayClient.connect(options(sim, ca_file=str(ca))) as client:
            assert client.certificate_trust is None
            await read_int(client)
    assert not known_file().exists()


def test_the_fingerprint_is_of_the_first_certificate_of_a_pem() -> None:
    from mxgw.sim._tls import self_signed

    leaf, _ = self_signed()
    other, _ = self_signed()
    chain = b"Bag Attributes\n    friendlyName: gw\n" + leaf + other
    assert _channel.fingerprint(chain) == _channel.fingerprint(leaf)
    assert _channel.fingerprint(other) != _channel.fingerprint(leaf)
    with pytest.raises(ValueError, match="not a PEM certificate"):
        _channel.fingerprint(b"garbage")


@pytest.mark.asyncio
async def test_check_certificate_refuses_a_restarted_gateway_and_retrusts_nothing() -> None:
    async with run_simulator(tick_interval=None, tls=True, auth=False) as first:
        old = str(first.certificate_sha256)
        tofu = await mxgw.GatewayClient.connect(options(first))
        pinned = await mxgw.GatewayClient.connect(options(first, tls_pin=old))
        await tofu.check_certificate()  # the same gateway: nothing to say
        await pinned.check_certificate()
        port = int(first.endpoint.rsplit(":", 1)[1])
    try:
        before = known_file().read_bytes()
        async with run_simulator(tick_interval=None, tls=True, auth=False, port=port) as second:
            new = str(second.certificate_sha256)
            with pytest.raises(mxgw.MxGatewayCertificateChangedError) as info:
                await tofu.check_certificate()
            error = info.value
            assert (error.endpoint, error.expected, error.presented) == (second.endpoint, old, new)
            assert error.first_seen == json.loads(before)["gateways"][second.endpoint]["firstSeen"]
            assert str(known_file()) in str(error)
            with pytest.raises(mxgw.MxGatewayCertificateChangedError, match="--tls-pin"):
                await pinned.check_certificate()
            assert known_file().read_bytes() == before
            assert second.control.open_session_count == 0
    finally:
        await tofu.close()
        await pinned.close()
    # Plaintext has no pinned certificate to check (and no gateway is asked).
    async with await mxgw.GatewayClient.connect("127.0.0.1:1", plaintext=True) as plain:
        await plain.check_certificate()
