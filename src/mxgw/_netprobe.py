"""Socket-level looks at a gateway, below gRPC: name resolution, TCP, TLS and h2c.

Blocking functions with a socket timeout (run them in a thread): the trust-on-first-use
probe in mxgw._channel fetches the certificate with `tls_handshake`, and `mxgw doctor`
uses all of them to say which layer fails. No grpc here.

    info = tls_handshake("gw01", 5120, 10.0, unverified_context())
    info.der, info.version, info.alpn          # the certificate, "TLSv1.3", "h2"
    h2c_answer("gw01", 5120, 10.0)             # "h2c", "tls", "http/1", "closed", ...
"""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass

# The HTTP/2 connection preface and an empty SETTINGS frame: what a gRPC client sends
# first on a plaintext (h2c, "prior knowledge") connection.
_H2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + bytes([0, 0, 0, 4, 0, 0, 0, 0, 0])
_FRAME_HEADER = 9
_SETTINGS = 0x04
_TLS_ALERT = 0x15  # content type of a TLS alert record


@dataclass(frozen=True)
class TlsInfo:
    """What a TLS handshake showed: the server's certificate (DER) and the session."""

    der: bytes
    version: str | None  # "TLSv1.3"
    alpn: str | None  # the protocol the server chose, "h2" for gRPC


def _name(host: str) -> str:
    """`host`, checked as the socket and ssl modules encode it (IDNA): a name with an
    empty label or one over 63 characters ("gw..plant", a pasted typo) is a resolution
    failure (socket.gaierror), as grpc reports it, not a UnicodeError."""
    try:
        host.encode("idna")
    except UnicodeError as exc:
        cause = exc.__cause__ or exc
        raise socket.gaierror(socket.EAI_NONAME, f"not a valid host name ({cause})") from None
    return host


def _open(host: str, port: int, timeout: float) -> socket.socket:
    return socket.create_connection((_name(host), port), timeout=timeout)


def resolve(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to, in the resolver's order, without duplicates."""
    found: list[str] = []
    for *_, address in socket.getaddrinfo(_name(host), port, type=socket.SOCK_STREAM):
        if str(address[0]) not in found:
            found.append(str(address[0]))
    return found


def connect(host: str, port: int, timeout: float) -> str:
    """Open and close a TCP connection; returns the address that answered."""
    with _open(host, port, timeout) as sock:
        return str(sock.getpeername()[0])


def h2c_answer(host: str, port: int, timeout: float) -> str:
    """How the server answers an HTTP/2 plaintext preface: "h2c" (an HTTP/2 SETTINGS
    frame: it speaks gRPC without TLS), "tls" (a TLS alert), "http/1", "closed" (it hung
    up), "silent" (nothing within `timeout`) or "other"."""
    head = b""
    try:
        with _open(host, port, timeout) as sock:
            sock.sendall(_H2_PREFACE)
            while len(head) < _FRAME_HEADER:
                chunk = sock.recv(_FRAME_HEADER - len(head))
                if not chunk:
                    break
                head += chunk
    except TimeoutError:
        if not head:
            return "silent"
    except (ConnectionResetError, ConnectionAbortedError, BrokenPipeError):
        if not head:
            return "closed"
    if len(head) == _FRAME_HEADER and head[3] == _SETTINGS and head[5:9] == bytes(4):
        return "h2c"
    if head[:1] == bytes([_TLS_ALERT]):
        return "tls"
    if head.startswith(b"HTTP/"):
        return "http/1"
    return "closed" if not head else "other"


def unverified_context() -> ssl.SSLContext:
    """A client context that accepts any certificate, offering ALPN "h2" as grpc does (a
    server that insists on ALPN answers too): for reading the certificate, never trust."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.set_alpn_protocols(["h2"])
    return context


def verifying_context(cadata: str | None) -> ssl.SSLContext:
    """A client context that verifies the chain and the host name against `cadata` (PEM
    roots), or against the system's defaults when None."""
    context = ssl.create_default_context(cadata=cadata) if cadata else (
        ssl.create_default_context())
    context.set_alpn_protocols(["h2"])
    return context


def tls_handshake(host: str, port: int, timeout: float, context: ssl.SSLContext,
                  server_hostname: str | None = None) -> TlsInfo:
    """Connect, complete a TLS handshake with `context` and hang up.

    Raises what the socket and ssl modules raise (ssl.SSLCertVerificationError for an
    untrusted or misnamed certificate, ssl.SSLError, OSError, TimeoutError).
    """
    with (_open(host, port, timeout) as sock,
          context.wrap_socket(sock, server_hostname=_name(server_hostname or host)) as tls):
        der = tls.getpeercert(binary_form=True)
        version, alpn = tls.version(), tls.selected_alpn_protocol()
    if not der:
        raise ssl.SSLError("the server presented no certificate")
    return TlsInfo(der, version, alpn)
