"""Channel construction: metadata, proxy, message limits, resolver, TLS trust paths."""

from __future__ import annotations

import ssl
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

import mxgw
from mxgw import _channel
from mxgw.testing import RunningSimulator

KEY = "mxgw_k1_" + "s" * 43


def test_api_key_travels_as_bearer_metadata() -> None:
    assert _channel.auth_metadata(KEY) == (("authorization", f"Bearer {KEY}"),)
    assert _channel.auth_metadata(None) == ()


def test_channel_options_limits_and_proxy_off_by_default() -> None:
    opts = dict(_channel.channel_options(mxgw.ClientOptions("gw:1", max_message_bytes=4096)))
    assert opts["grpc.max_send_message_length"] == 4096
    assert opts["grpc.max_receive_message_length"] == 4096
    assert opts["grpc.enable_http_proxy"] == 0
    # A restarted gateway is found again within 10 s, not grpc's default of up to 120 s.
    assert opts["grpc.max_reconnect_backoff_ms"] == 10_000
    # A call caught by a closing connection is not re-sent to a gateway never checked.
    assert opts["grpc.enable_retries"] == 0
    with_proxy = dict(_channel.channel_options(mxgw.ClientOptions("gw:1", use_proxy=True)))
    assert "grpc.enable_http_proxy" not in with_proxy


def test_windows_uses_the_native_resolver() -> None:
    env: dict[str, str] = {}
    _channel.prepare_grpc_environment(env, "nt")
    assert env == {"GRPC_DNS_RESOLVER": "native"}
    kept = {"GRPC_DNS_RESOLVER": "ares"}
    _channel.prepare_grpc_environment(kept, "nt")
    assert kept == {"GRPC_DNS_RESOLVER": "ares"}
    posix: dict[str, str] = {}
    _channel.prepare_grpc_environment(posix, "posix")
    assert posix == {}


@pytest.mark.asyncio
async def test_plaintext_plan_only_when_asked(tmp_path: Path) -> None:
    from mxgw.sim._tls import self_signed

    plan = await _channel.plan_channel(mxgw.ClientOptions("http://gw:1"))
    assert not plan.tls and plan.description == "plaintext (h2c)"
    ca = tmp_path / "ca.pem"
    ca.write_bytes(self_signed()[0])
    plan = await _channel.plan_channel(mxgw.ClientOptions("localhost:1", ca_file=str(ca)))
    assert plan.tls and plan.root_certificates == ca.read_bytes()
    assert "grpc.ssl_target_name_override" not in dict(plan.options)


@pytest.mark.asyncio
async def test_missing_ca_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(mxgw.MxGatewayConfigError, match="cannot read CA file"):
        await _channel.plan_channel(mxgw.ClientOptions("gw:1", ca_file=str(tmp_path / "no.pem")))


@pytest.mark.asyncio
@pytest.mark.parametrize("content", [b"garbage\n", b"", b"\xff\xfe",
                                     (b"-----BEGIN CERTIFICATE-----\nAAAA\n"
                                      b"-----END CERTIFICATE-----\n")])
async def test_a_ca_file_without_a_certificate_is_refused_before_connecting(
        tmp_path: Path, content: bytes) -> None:
    # grpc took such a file and failed only at the handshake, with C-level log lines on
    # stderr and a message blaming a plaintext gateway.
    bad = tmp_path / "bad.pem"
    bad.write_bytes(content)
    with pytest.raises(mxgw.MxGatewayConfigError, match="holds no PEM certificate"):
        await _channel.plan_channel(mxgw.ClientOptions("gw:1", ca_file=str(bad)))


def _fake_store(pems: dict[str, list[tuple[bytes, str, Any]]]):  # type: ignore[no-untyped-def]
    def enum(store: str) -> Iterable[tuple[bytes, str, Any]]:
        return pems.get(store, [])
    return enum


def _der(pem: bytes) -> bytes:
    return ssl.PEM_cert_to_DER_cert(pem.decode("ascii"))


@pytest.mark.asyncio
async def test_windows_machine_store_becomes_the_trust_roots() -> None:
    # grpcio ignores the Windows store; the wire cannot produce Windows here, so the
    # store enumeration (ssl.enum_certificates) is simulated with real certificates.
    pem = Path(ssl.get_default_verify_paths().cafile or "").read_bytes() if Path(
        ssl.get_default_verify_paths().cafile or "/nonexistent").is_file() else None
    if pem is None:
        pytest.skip("no system CA bundle to borrow certificates from")
    first = pem.split(b"-----END CERTIFICATE-----")[0] + b"-----END CERTIFICATE-----\n"
    der = _der(first)
    store = _fake_store({
        "ROOT": [(der, "x509_asn", True), (b"junk", "pkcs_7_asn", True)],
        "CA": [(der, "x509_asn", {"1.3.6.1.5.5.7.3.3"}),  # code signing only: skipped
               (der, "x509_asn", {_channel._SERVER_AUTH})],
    })
    roots = _channel.windows_root_pems(store)
    assert roots.count(b"BEGIN CERTIFICATE") == 2
    plan = await _channel.plan_channel(
        mxgw.ClientOptions("gw:1", require_certificate_validation=True),
        os_name="nt", enum_certificates=store)
    assert plan.root_certificates == roots and plan.description == "TLS (system trust roots)"


@pytest.mark.asyncio
async def test_tls_against_plaintext_gateway_names_the_flag(
    sim: RunningSimulator, options_for: Any
) -> None:
    tofu = options_for(sim, plaintext=False)
    with pytest.raises(mxgw.MxGatewayTransportError, match="--plaintext") as info:
        await mxgw.GatewayClient.connect(tofu)
    assert sim.endpoint in str(info.value)
    verified = options_for(sim, plaintext=False, require_certificate_validation=True, timeout=5)
    async with await mxgw.GatewayClient.connect(verified) as client:
        assert client.transport_description == "TLS (system trust roots)"
        with pytest.raises(mxgw.MxGatewayTransportError, match="--plaintext"):
            await client.open_session()
    assert sim.control.open_session_count == 0


@pytest.mark.asyncio
async def test_unreachable_endpoint_is_a_transport_error() -> None:
    with pytest.raises(mxgw.MxGatewayTransportError, match="cannot connect"):
        await mxgw.GatewayClient.connect(mxgw.ClientOptions("127.0.0.1:9", timeout=5))


@pytest.mark.asyncio
async def test_proxy_variables_are_ignored_unless_asked(
    sim: RunningSimulator, monkeypatch: pytest.MonkeyPatch, options_for: Any
) -> None:
    for name in ("http_proxy", "https_proxy", "grpc_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    async with await mxgw.GatewayClient.connect(options_for(sim)) as client:
        async with await client.open_session():
            pass
    async with await mxgw.GatewayClient.connect(options_for(sim, use_proxy=True,
                                                            timeout=5)) as client:
        with pytest.raises(mxgw.MxGatewayTransportError, match="127.0.0.1:9"):
            await client.open_session()


@pytest.mark.asyncio
async def test_http_endpoint_connects_in_plaintext(sim: RunningSimulator) -> None:
    options = mxgw.ClientOptions(f"http://{sim.endpoint}", api_key=sim.api_key)
    async with await mxgw.GatewayClient.connect(options) as client:
        assert client.transport_description == "plaintext (h2c)"
        async with await client.open_session() as session:
            assert session.session_id.startswith("session-")
