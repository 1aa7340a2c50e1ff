"""The doctor's network steps: resolve, connect, transport, certificate (no gRPC yet).

They look at the gateway from below gRPC (mxgw._netprobe, in a thread with the step's
timeout on every socket), so each failure names its layer. The certificate step only
reads known_gateways.json: the doctor never stores or changes trust (`mxgw trust add`
does); on first contact it goes on with the presented certificate for this run only.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import os
import re
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .. import _errors, _known, _netprobe
from .._endpoint import Endpoint
from .._timefmt import iso_utc
from .._x509 import CertificateInfo, parse_certificate
from ._doctor import Doctor, Failed, NotApplicable

if TYPE_CHECKING:
    from .._options import ClientOptions

_PROXY_VARIABLES = ("grpc_proxy", "https_proxy", "http_proxy")
_EXPIRY_WARNING_DAYS = 30
_HOSTNAME_MISMATCH = 62  # X509_V_ERR_HOSTNAME_MISMATCH
_NOT_TRUSTED = frozenset({18, 19, 20, 21})  # self-signed, untrusted chain, no issuer


@dataclass
class Target:
    """What the network steps learn, for the steps after them."""

    doctor: Doctor
    options: ClientOptions
    endpoint: Endpoint
    plaintext_source: str | None  # what asked for plaintext ("--plaintext", ...); None: TLS
    tls: _netprobe.TlsInfo | None = None
    sha256: str | None = None

    @property
    def timeout(self) -> float:
        return self.doctor.timeout

    @property
    def where(self) -> str:
        return self.endpoint.target

    def connect_options(self) -> ClientOptions:
        """The options the gateway steps connect with: trust-on-first-use becomes a pin of
        the certificate the certificate step accepted, so connecting stores nothing."""
        o = self.options
        if o.uses_plaintext or o.ca_file or o.require_certificate_validation or not self.sha256:
            return o
        return dataclasses.replace(o, tls_pin=self.sha256, known_gateways=None)


def proxy_note(options: ClientOptions, env: Mapping[str, str] | None = None) -> str | None:
    """Proxy variables grpc would honour: ignored unless --use-proxy (then used)."""
    env = os.environ if env is None else env
    found: dict[str, str] = {}
    for name in _PROXY_VARIABLES + tuple(n.upper() for n in _PROXY_VARIABLES):
        if env.get(name) and name.lower() not in found:
            # user:password@ in a proxy URL is a secret
            found[name.lower()] = f"{name}={re.sub(r'//[^/@]*@', '//<redacted>@', env[name])}"
    if not found:
        return None
    listed = ", ".join(found.values())
    if options.use_proxy:
        return (f"--use-proxy: gRPC goes through {listed}; these network checks went "
                "direct")
    return f"proxy variables set and ignored: {listed} (--use-proxy routes through them)"


async def resolve(t: Target) -> str:
    host, port = t.endpoint.host, t.endpoint.port
    try:
        addresses: list[str] = await asyncio.to_thread(_netprobe.resolve, host, port)
    except OSError as exc:
        raise Failed(_errors.MxGatewayTransportError(
            f"cannot resolve {host}: {getattr(exc, 'strerror', None) or exc}"),
            "check the host name (a typo, a missing DNS suffix?), or give its IP address"
        ) from exc
    if addresses == [host.strip("[]")]:
        return f"{host} is an address: nothing to resolve"
    return f"{host}: {', '.join(addresses)}"


async def connect(t: Target) -> str:
    try:
        address: str = await asyncio.to_thread(_netprobe.connect, t.endpoint.host,
                                               t.endpoint.port, t.timeout)
    except ConnectionRefusedError as exc:
        raise Failed(_errors.MxGatewayTransportError(
            f"cannot connect to {t.where}: connection refused (nothing listens there)"),
            "is the gateway service running, and is the port right (deployed gateways "
            "listen on 5120)?") from exc
    except TimeoutError as exc:
        raise Failed(_errors.MxGatewayTransportError(
            f"cannot connect to {t.where}: no answer within {t.timeout:g} s"),
            "a firewall may drop the connection; check the host, the port and the "
            "gateway host's firewall") from exc
    except OSError as exc:
        raise Failed(_errors.MxGatewayTransportError(
            f"cannot connect to {t.where}: {exc.strerror or exc}")) from exc
    note = proxy_note(t.options)
    return f"TCP connection to {address} port {t.endpoint.port}" + (f"; {note}" if note else "")


_ANSWERS = {"tls": "it answered with a TLS alert", "http/1": "it is an HTTP/1 server",
            "closed": "it closed the connection", "silent": "it did not answer",
            "other": "it answered something else"}


async def transport(t: Target) -> str:
    host, port = t.endpoint.host, t.endpoint.port
    if t.plaintext_source is not None:
        answer = await asyncio.to_thread(_netprobe.h2c_answer, host, port, t.timeout)
        if answer == "h2c":
            return "plaintext (h2c): the gateway answered the HTTP/2 preface"
        try:
            await asyncio.to_thread(_netprobe.tls_handshake, host, port, t.timeout,
                                    _netprobe.unverified_context())
        except (ssl.SSLError, OSError):
            raise Failed(_errors.MxGatewayTransportError(
                f"{t.where} does not speak HTTP/2 in plaintext ({_ANSWERS[answer]}), nor "
                "TLS"), "is this the gateway's port?") from None
        raise Failed(_errors.MxGatewayTransportError(
            f"{t.where} speaks TLS, but plaintext was asked for ({t.plaintext_source})"),
            f"connect with TLS: drop {t.plaintext_source} (TLS is the default), or pass "
            "--tls or an https:// endpoint")
    try:
        t.tls = await asyncio.to_thread(_netprobe.tls_handshake, host, port, t.timeout,
                                        _netprobe.unverified_context())
    except (ssl.SSLError, OSError) as exc:
        answer = await asyncio.to_thread(_netprobe.h2c_answer, host, port, t.timeout)
        if answer == "h2c":
            raise Failed(_errors.MxGatewayTransportError(
                f"{t.where} speaks plaintext (h2c), but TLS was asked for"),
                "connect with --plaintext (or an http:// endpoint, or plaintext = true in "
                "the profile)") from exc
        reason = getattr(exc, "reason", None) or exc
        raise Failed(_errors.MxGatewayTransportError(
            f"TLS handshake with {t.where} failed: {reason}"),
            "is this the gateway's port?") from exc
    t.sha256 = _known.colon_hex(hashlib.sha256(t.tls.der).hexdigest())
    if t.tls.alpn != "h2":
        raise Failed(_errors.MxGatewayTransportError(
            f"{t.where} speaks TLS ({t.tls.version}) but not HTTP/2: it chose no ALPN h2"),
            "gRPC needs HTTP/2; is this the gateway's port?")
    return f"TLS ({t.tls.version}, ALPN h2)"


# ------------------------------------------------------------------ certificate


async def certificate(t: Target) -> str:
    if t.plaintext_source is not None or t.tls is None or t.sha256 is None:
        raise NotApplicable("plaintext: no certificate")
    o = t.options
    info: CertificateInfo | None = None
    try:
        info = parse_certificate(t.tls.der)
    except ValueError as exc:
        undecoded = f"; its fields could not be decoded ({exc})"
    else:
        undecoded = ""
        _check_validity(info)
    if o.ca_file or o.require_certificate_validation:
        trust = await _verify_chain(t, info)
    elif o.tls_pin is not None:
        if t.sha256 != o.tls_pin:
            raise Failed(_known.pin_error(t.endpoint.key, o.tls_pin, t.sha256),
                         "check the certificate on the gateway host; pin the one it shows")
        trust = "pinned by --tls-pin: it matches"
    else:
        trust = await _known_gateway(t)
        name = o.server_name_override or "localhost"
        if info is not None and not info.matches(name):
            raise Failed(_errors.MxGatewayTransportError(
                f"the certificate does not name {name}, which trust-on-first-use checks "
                f"(it names {', '.join(info.names) or 'nothing'})"),
                f"pass --server-name-override with one of its names"
                f"{' (' + info.names[0] + ')' if info.names else ''}")
    return f"{trust}; SHA-256 {t.sha256}" + (_describe(info) if info else undecoded)


def _check_validity(info: CertificateInfo) -> None:
    now = datetime.now(UTC)
    if now > info.not_after:
        raise Failed(_errors.MxGatewayTransportError(
            f"the certificate expired on {iso_utc(info.not_after)}"),
            "the gateway must renew its certificate (a self-signed one is made again when "
            "its file is removed and the service restarted); check this machine's clock too")
    if now < info.not_before:
        raise Failed(_errors.MxGatewayTransportError(
            f"the certificate is not valid before {iso_utc(info.not_before)}"),
            "this machine's clock is probably behind (or the gateway's was ahead when it "
            "made the certificate): check both clocks")


def _describe(info: CertificateInfo) -> str:
    days = (info.not_after - datetime.now(UTC)).days
    text = (f"; names {', '.join(info.names) or 'none'}; valid until "
            f"{iso_utc(info.not_after)} ({days} days)")
    if days < _EXPIRY_WARNING_DAYS:
        text += ": renew it soon"
    return text + ("; self-signed" if info.self_signed else f"; issued by {info.issuer_cn}")


async def _known_gateway(t: Target) -> str:
    path = t.options.known_gateways
    if path is None:
        return "trust-on-first-use for this run only (no known gateways file)"
    store = _known.KnownGateways(path)
    key = t.endpoint.key
    entry = await asyncio.to_thread(store.lookup, key)
    assert t.sha256 is not None
    if entry is None:
        t.doctor.hint("certificate", f"check the SHA-256 on the gateway host, then store it: "
                                   f"mxgw trust add {key} --pin {t.sha256}")
        return (f"first contact: {key} is not in {path}, and doctor does not store it (any "
                "other command would, trusting it on first use)")
    if entry.sha256 != t.sha256:
        raise Failed(_known.changed_error(entry, t.sha256, str(path)),
                     f"only once checked on the gateway host: mxgw trust add {key} --pin "
                     f"{t.sha256}")
    return f"known gateway: the certificate trusted since {entry.first_seen}"


async def _verify_chain(t: Target, info: CertificateInfo | None) -> str:
    o = t.options
    from .._channel import system_root_pems

    if o.ca_file:
        try:
            cadata: str | None = Path(o.ca_file).read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as exc:
            raise Failed(_errors.MxGatewayTransportError(
                f"cannot read --ca-file {o.ca_file}: {exc}")) from exc
        source = f"CA file {o.ca_file}"
    else:
        pems = await asyncio.to_thread(system_root_pems)
        cadata = pems.decode("ascii") if pems else None
        source = "the system trust roots"
    name = o.server_name_override or t.endpoint.host
    try:
        context = _netprobe.verifying_context(cadata)
        await asyncio.to_thread(_netprobe.tls_handshake, t.endpoint.host, t.endpoint.port,
                                t.timeout, context, name)
    except ssl.SSLCertVerificationError as exc:
        raise Failed(_errors.MxGatewayTransportError(
            f"not trusted by {source}: {exc.verify_message}"),
            _verify_hint(exc, name, info.names if info else ())) from exc
    except ssl.SSLError as exc:
        raise Failed(_errors.MxGatewayTransportError(
            f"cannot use {source}: {exc.reason or exc}")) from exc
    return f"verified against {source} for the name {name}"


def _verify_hint(exc: ssl.SSLCertVerificationError, name: str, names: tuple[str, ...]
                 ) -> str | None:
    if exc.verify_code == _HOSTNAME_MISMATCH:
        return (f"the certificate does not name {name}: pass --server-name-override with a "
                f"name it carries ({', '.join(names) or 'it names none'})")
    if exc.verify_code in _NOT_TRUSTED:
        return ("give the CA that issued the gateway's certificate with --ca-file, or drop "
                "--ca-file / --require-cert-validation to trust it on first use")
    return None
