"""Endpoint strings: `host:port`, `host`, `[::1]:5120`, `http://host:port`, `https://host:port`.

No grpc here: the CLI validates options before it pays for grpc. Plaintext is never
inferred from the host name (not even localhost); only `http://` or an explicit flag
asks for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._errors import MxGatewayConfigError

DEFAULT_PORT = 5120  # where deployed gateways listen


@dataclass(frozen=True)
class Endpoint:
    host: str
    port: int
    scheme: str | None  # "http", "https" or None (no scheme given)

    @property
    def target(self) -> str:
        """The gRPC target, `host:port` with IPv6 hosts in brackets."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def key(self) -> str:
        """The endpoint's name in known_gateways.json: `target` with the host lower-cased
        (no trailing dot, IPv6 compressed), so `GW01.`, `gw01:5120` and
        `https://gw01` are one gateway."""
        host = self.host.lower().rstrip(".")
        if ":" in host:
            import ipaddress  # only for IPv6 literals

            try:
                host = ipaddress.IPv6Address(host).compressed
            except ValueError:
                pass  # not a literal grpc would accept either; keep it as written
        return Endpoint(host, self.port, None).target


def parse_endpoint(text: str) -> Endpoint:
    """Split an endpoint into host, port and scheme; raise MxGatewayConfigError (a ValueError)
    saying what is wrong."""
    raw = text.strip()
    if not raw:
        raise MxGatewayConfigError("endpoint is empty: give host:port, e.g. gateway01:5120")
    scheme: str | None = None
    rest = raw
    if "://" in raw:
        scheme, rest = raw.split("://", 1)
        scheme = scheme.lower()
        if scheme not in ("http", "https"):
            raise MxGatewayConfigError(f"endpoint {raw!r}: scheme must be http:// or https://")
    rest = rest.rstrip("/")
    if "/" in rest:
        raise MxGatewayConfigError(f"endpoint {raw!r}: a gRPC endpoint has no path")
    if rest.startswith("["):
        host, sep, tail = rest[1:].partition("]")
        if not sep or (tail and not tail.startswith(":")):
            raise MxGatewayConfigError(f"endpoint {raw!r}: bad IPv6 address, use [addr]:port")
        port_text = tail[1:] if tail else ""
    elif rest.count(":") > 1:
        raise MxGatewayConfigError(
            f"endpoint {raw!r}: put an IPv6 address in brackets, [addr]:port")
    else:
        host, _, port_text = rest.partition(":")
    if not host:
        raise MxGatewayConfigError(f"endpoint {raw!r}: the host is missing")
    if port_text:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise MxGatewayConfigError(f"endpoint {raw!r}: port must be a number 1..65535")
        port = int(port_text)
    else:
        port = DEFAULT_PORT
    return Endpoint(host=host, port=port, scheme=scheme)
