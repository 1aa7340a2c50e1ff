"""The gRPC channel: endpoint, TLS (trust-on-first-use, CA file, system roots), proxy, key.

Trust posture, exactly as the design document gives it. When the channel is not
plaintext and neither `ca_file` nor `require_certificate_validation` is set, the client
fetches the certificate the gateway presents with one unverified TLS probe, pins it as
the channel's only trust root, and (because the gateway's self-generated certificate
always names localhost) sets `grpc.ssl_target_name_override` to `localhost` unless a
`server_name_override` was given. A failed probe is a transport error naming the endpoint.
Before the channel exists the probed certificate must be `tls_pin`, or the one remembered
for the endpoint in known_gateways.json (stored now on first contact; mxgw._known);
anything else raises MxGatewayCertificateChangedError, so no call and no key goes out.
`ca_file` verifies against that CA; `require_certificate_validation` against the system
roots (on Windows the machine's certificate store, which grpcio ignores on its own).

grpc is imported inside functions: `prepare_grpc_environment` must run before grpc loads.
"""

from __future__ import annotations

import asyncio
import os
import socket
import ssl
from collections.abc import Callable, Iterable, MutableMapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import _errors
from ._endpoint import Endpoint, parse_endpoint
from ._log import log
from ._options import TIMEOUT_RANGE, ClientOptions, check_range

# _known (with _files: tempfile, shutil, random) and _netprobe serve TLS only and are
# imported where used: a plaintext one-shot command starts without them.
if TYPE_CHECKING:
    import grpc

    from ._known import CertificateTrust


_SERVER_AUTH = "1.3.6.1.5.5.7.3.1"  # extended key usage: TLS server authentication
TOFU_SERVER_NAME = "localhost"
# The advice for a TLS handshake that meets a plaintext gateway: the probe and the
# channel (mxgw._rpc._errors) both give it.
PLAINTEXT_HINT = ("the gateway may be serving plaintext (h2c, the usual on port 5120); "
                  "connect with --plaintext (ClientOptions(plaintext=True)) or an http:// "
                  "endpoint")


def prepare_grpc_environment(
    env: MutableMapping[str, str] | None = None, os_name: str | None = None
) -> None:
    """On Windows resolve host names through the OS (NetBIOS and WINS names work).

    grpc's default c-ares resolver only speaks DNS; the choice is read when grpc starts,
    so this runs before the first channel. An explicit GRPC_DNS_RESOLVER is kept.
    """
    env = os.environ if env is None else env
    if (os.name if os_name is None else os_name) == "nt":
        env.setdefault("GRPC_DNS_RESOLVER", "native")


def auth_metadata(api_key: str | None) -> tuple[tuple[str, str], ...]:
    """The metadata every unary and streaming call carries: `authorization: Bearer <key>`."""
    return (("authorization", f"Bearer {api_key}"),) if api_key else ()


# A gateway's error message may quote a long name back (galaxy-browse with a 16 KB name):
# with grpc's default 8 KiB soft limit that answer turned into RESOURCE_EXHAUSTED, at
# random between 8 and 16 KiB. Status texts up to this size arrive as sent.
METADATA_BYTES = 1024 * 1024
# Without an answer to a ping within this long (or the interval, if shorter) the
# connection is declared dead and every call on it ends UNAVAILABLE.
KEEPALIVE_TIMEOUT = 20.0
# grpc backs off up to 120 s between attempts to reconnect a dropped channel; a gateway
# that restarts (a service restart takes seconds) is found again within this instead.
MAX_RECONNECT_BACKOFF_MS = 10_000


def channel_options(options: ClientOptions) -> list[tuple[str, Any]]:
    """grpc channel arguments: message and metadata limits, keepalive, reconnect backoff,
    no retries, the proxy switch.

    Keepalive pings are sent only while a call is open (a stream that runs until you stop
    it has no deadline; the ping is what notices a dead network under it), and without a
    cap on pings between data frames, so an idle stream keeps being checked.
    grpc honours http_proxy/https_proxy even for loopback addresses, which silently breaks
    a gateway on the same machine behind a corporate proxy; so proxies are off unless asked.
    """
    size = options.max_message_bytes
    result: list[tuple[str, Any]] = [
        ("grpc.max_send_message_length", size),
        ("grpc.max_receive_message_length", size),
        ("grpc.max_metadata_size", METADATA_BYTES),
        ("grpc.absolute_max_metadata_size", METADATA_BYTES),
        ("grpc.max_reconnect_backoff_ms", MAX_RECONNECT_BACKOFF_MS),
        # No transparent retries: grpc re-sends a call caught by a closing connection on a
        # new one, which may reach another gateway (restarted, upgraded, another node behind
        # a balancer) whose contract was never checked. Such a call fails UNAVAILABLE
        # instead, and the next call checks the contract again (_rpc/_calls.py).
        ("grpc.enable_retries", 0),
    ]
    if options.keepalive_seconds:
        interval = int(options.keepalive_seconds * 1000)
        wait = min(interval, int(KEEPALIVE_TIMEOUT * 1000))
        result += [
            ("grpc.keepalive_time_ms", interval),
            ("grpc.keepalive_timeout_ms", wait),
            # grpc-core (1.6x and later) waits for a ping's ACK with this one (default
            # one minute), whatever keepalive_timeout_ms says.
            ("grpc.http2.ping_timeout_ms", wait),
            ("grpc.keepalive_permit_without_calls", 0),
            ("grpc.http2.max_pings_without_data", 0),
        ]
    if not options.use_proxy:
        result.append(("grpc.enable_http_proxy", 0))
    return result


def read_ca_file(path: str) -> bytes:
    """The PEM bundle of `path`, checked now: grpc would only fail at the handshake, with
    C-level log lines and a message about plaintext gateways."""
    from pathlib import Path  # TLS only (with urllib.parse and ipaddress: ~3.5 ms)

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise _errors.MxGatewayConfigError(
            f"cannot read CA file {path}: {exc.strerror or exc}") from None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # empty: no system roots mixed in
    try:
        context.load_verify_locations(cadata=data.decode("ascii"))
    except (UnicodeDecodeError, ssl.SSLError, ValueError):
        pass
    loaded = context.get_ca_certs()
    if not loaded:
        raise _errors.MxGatewayConfigError(
            f"CA file {path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
    return data


def windows_root_pems(
    enum_certificates: Callable[[str], Iterable[tuple[bytes, str, Any]]] | None = None,
) -> bytes:
    """PEM bundle of the Windows machine store's trusted roots and CAs (ROOT, CA).

    Certificates whose trust list excludes server authentication are skipped.
    """
    # Windows-only attribute: looked up by name so the module imports everywhere.
    enum = enum_certificates or getattr(ssl, "enum_certificates")  # noqa: B009
    pems: list[str] = []
    for store in ("ROOT", "CA"):
        for der, encoding, trust in enum(store):
            if encoding != "x509_asn":
                continue
            if trust is True or (isinstance(trust, (set, frozenset)) and _SERVER_AUTH in trust):
                pems.append(ssl.DER_cert_to_PEM_cert(der))
    return "".join(pems).encode("ascii")


def system_root_pems(
    os_name: str | None = None,
    enum_certificates: Callable[[str], Iterable[tuple[bytes, str, Any]]] | None = None,
) -> bytes | None:
    """The system's trust roots for grpc, or None to use grpc's own bundle."""
    if (os.name if os_name is None else os_name) == "nt":
        return windows_root_pems(enum_certificates) or None
    from pathlib import Path

    cafile = ssl.get_default_verify_paths().cafile
    if cafile and Path(cafile).is_file():
        return Path(cafile).read_bytes()
    return None


def fingerprint(pem: bytes) -> str:
    """SHA-256 of the DER certificate in colon hex: the form pins, known_gateways.json and
    `mxgw sim --tls` use."""
    import hashlib  # TLS pinning only

    from . import _known

    # The first certificate of the PEM: a --cert-file may hold a chain or openssl's
    # "Bag Attributes" text around it; the server presents that first one.
    text = pem.decode("ascii", "replace")
    begin, end = "-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE-----"
    start = text.find(begin)
    stop = text.find(end, start)
    if start < 0 or stop < 0:
        raise ValueError("not a PEM certificate")
    der = ssl.PEM_cert_to_DER_cert(text[start:stop + len(end)])
    return _known.colon_hex(hashlib.sha256(der).hexdigest())


def _probe_certificate(endpoint: Endpoint, timeout: float) -> bytes:
    # What ssl.get_server_certificate does, plus ALPN "h2" and the raw SSLError for the
    # hint; the probe only reads the certificate to pin it.
    from . import _netprobe

    info = _netprobe.tls_handshake(endpoint.host, endpoint.port, timeout,
                                   _netprobe.unverified_context())
    return ssl.DER_cert_to_PEM_cert(info.der).encode("ascii")


async def probe_certificate(endpoint: Endpoint, timeout: float | None) -> bytes:
    """Fetch the certificate the gateway presents (trust-on-first-use); map failures."""
    check_range("timeout", timeout, TIMEOUT_RANGE, none="30 seconds")
    where = endpoint.target
    try:
        return await asyncio.to_thread(_probe_certificate, endpoint, timeout or 30.0)
    except ssl.SSLError as exc:
        raise _errors.MxGatewayTransportError(
            f"TLS handshake with {where} failed ({exc.reason or exc}): {PLAINTEXT_HINT}"
        ) from exc
    except (ConnectionResetError, ConnectionAbortedError) as exc:
        raise _errors.MxGatewayTransportError(
            f"TLS handshake with {where} failed: the connection was closed; {PLAINTEXT_HINT}"
        ) from exc
    except socket.gaierror as exc:
        raise _errors.MxGatewayTransportError(
            f"cannot resolve {endpoint.host}: {exc.strerror}") from exc
    except TimeoutError as exc:
        raise _errors.MxGatewayTransportError(f"no answer from {where} (timed out)") from exc
    except OSError as exc:
        raise _errors.MxGatewayTransportError(
            f"cannot connect to {where}: {exc.strerror or exc}") from exc


@dataclass(frozen=True)
class ChannelPlan:
    """What `open_channel` will build: used by tests to check option construction."""

    target: str
    tls: bool
    root_certificates: bytes | None
    options: list[tuple[str, Any]]
    description: str
    trust: CertificateTrust | None = None  # how a trust-on-first-use certificate was trusted


async def plan_channel(
    options: ClientOptions,
    *,
    os_name: str | None = None,
    enum_certificates: Callable[[str], Iterable[tuple[bytes, str, Any]]] | None = None,
) -> ChannelPlan:
    endpoint = parse_endpoint(options.endpoint)
    grpc_options = channel_options(options)
    if options.uses_plaintext:
        return ChannelPlan(endpoint.target, False, None, grpc_options, "plaintext (h2c)")
    name = options.server_name_override
    trust: CertificateTrust | None = None
    if options.ca_file is not None:
        roots: bytes | None = read_ca_file(options.ca_file)
        description = f"TLS (CA file {options.ca_file})"
    elif options.require_certificate_validation:
        roots = system_root_pems(os_name, enum_certificates)
        description = "TLS (system trust roots)"
    else:
        roots = await probe_certificate(endpoint, options.timeout)
        trust = await trust_certificate(options, endpoint, fingerprint(roots))
        name = name or TOFU_SERVER_NAME
        description = trust.description
    if name:
        grpc_options.append(("grpc.ssl_target_name_override", name))
    return ChannelPlan(endpoint.target, True, roots, grpc_options, description, trust)


async def trust_certificate(options: ClientOptions, endpoint: Endpoint, presented: str
                            ) -> CertificateTrust:
    """Accept the probed certificate (its fingerprint `presented`) or raise
    MxGatewayCertificateChangedError: `tls_pin` when given, else known_gateways.json."""
    from . import _known

    key = endpoint.key
    if options.tls_pin is not None:
        if presented != options.tls_pin:
            raise _known.pin_error(key, options.tls_pin, presented)
        return _known.CertificateTrust(key, presented, "pinned")
    if options.known_gateways is None:
        return _known.CertificateTrust(key, presented, "not-stored")
    store = _known.KnownGateways(options.known_gateways)
    # A thread: the lock may be held for a moment by another process.
    trust = await asyncio.to_thread(store.check, key, presented)
    if trust.status == "new":
        log.info("trusting new gateway certificate: %s SHA-256 %s (stored in %s)",
                 key, presented, trust.file)
    return trust


async def check_pinned(options: ClientOptions, trust: CertificateTrust) -> None:
    """Probe the gateway again and raise MxGatewayCertificateChangedError when it presents
    a certificate other than `trust.sha256`, the channel's only trust root. Nothing is
    stored or re-trusted here: the channel can never accept another certificate anyway."""
    from . import _known

    presented = fingerprint(await probe_certificate(parse_endpoint(options.endpoint),
                                                    options.timeout))
    if presented == trust.sha256:
        return
    if trust.status == "pinned":
        raise _known.pin_error(trust.endpoint, trust.sha256, presented)
    entry = _known.KnownGateway(trust.endpoint, trust.sha256,
                                trust.first_seen or "this client connected", "")
    raise _known.changed_error(entry, presented, trust.file or "none: known_gateways=None")


def open_channel(plan: ChannelPlan) -> grpc.aio.Channel:
    prepare_grpc_environment()
    import grpc

    if not plan.tls:
        return grpc.aio.insecure_channel(plan.target, options=plan.options)
    credentials = grpc.ssl_channel_credentials(root_certificates=plan.root_certificates)
    return grpc.aio.secure_channel(plan.target, credentials, options=plan.options)
