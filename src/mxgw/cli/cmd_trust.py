"""`trust list`, `trust add ENDPOINT [--pin SHA256]`, `trust forget ENDPOINT`: the
certificates remembered in known_gateways.json (see mxgw._known).

`add` without --pin fetches the certificate the gateway presents (a TLS handshake, no
call and no API key) and stores it; it refuses to replace a different stored one, since
that is the case a person must check: `add --pin` stores exactly the certificate checked
on the gateway host, replacing any other. `forget` of an unknown endpoint is not an
error (`"forgotten": false`). Every change is appended to the audit log, always.
"""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from .. import _paths
from .._endpoint import Endpoint, parse_endpoint
from .._json import to_jsonable
from .._known import KnownGateway, KnownGateways, parse_fingerprint
from .._options import TIMEOUT_RANGE
from ._context import CommandContext
from ._exit import UsageError
from ._parser import number


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["list", "add", "forget"],
                        help="list the known gateways, add (fetch or --pin) or forget one")
    parser.add_argument("endpoint", nargs="?", metavar="ENDPOINT",
                        help="host:port of the gateway (default port 5120), for add and forget")
    parser.add_argument("--pin", metavar="SHA256",
                        help="add: store this SHA-256 (colon or plain hex) instead of fetching "
                             "the certificate; replaces a different stored one")
    parser.add_argument("--timeout", metavar="SECONDS", type=number, default=30.0,
                        help="add: how long to wait for the gateway's TLS handshake, "
                             f"{TIMEOUT_RANGE[0]:g} to {TIMEOUT_RANGE[1]:g} (default 30)")


def _endpoint(args: argparse.Namespace) -> Endpoint:
    if not args.endpoint:
        raise UsageError(f"`mxgw trust {args.action}` needs an ENDPOINT (host:port)")
    try:
        endpoint = parse_endpoint(args.endpoint)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if endpoint.scheme == "http":
        raise UsageError(f"{args.endpoint} is a plaintext (http://) endpoint: it has no "
                         "certificate to trust")
    return endpoint


def _record(ctx: CommandContext, change: str, entry: KnownGateway,
            previous: KnownGateway | None, store: KnownGateways) -> None:
    ctx.audit("trust", {"change": change, "endpoint": entry.endpoint, "sha256": entry.sha256,
                        "previous": previous.sha256 if previous else None,
                        "file": str(store.path)}, always=True)


async def run(ctx: CommandContext, args: argparse.Namespace) -> int:
    store = KnownGateways(_paths.known_gateways_file())
    if args.action == "list":
        if args.endpoint is not None or args.pin is not None:
            raise UsageError("`mxgw trust list` takes no ENDPOINT or --pin")
        entries = await asyncio.to_thread(store.entries)
        ctx.out.emit({"file": str(store.path), "gateways": list(entries)})
        return 0
    endpoint = _endpoint(args)
    if args.action == "forget":
        if args.pin is not None:
            raise UsageError("`mxgw trust forget` takes no --pin")
        old = await asyncio.to_thread(store.forget, endpoint.key)
        if old is not None:
            _record(ctx, "forget", old, old, store)
        ctx.out.emit({"endpoint": endpoint.key, "forgotten": old is not None,
                      "sha256": old.sha256 if old else None, "file": str(store.path)})
        return 0
    ctx.out.emit(await _add(ctx, args, endpoint, store))
    return 0


async def _add(ctx: CommandContext, args: argparse.Namespace, endpoint: Endpoint,
               store: KnownGateways) -> dict[str, Any]:
    if args.pin is not None:
        try:
            sha256 = parse_fingerprint(args.pin, "--pin")
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        source = "pin"
    else:
        from .._channel import fingerprint, probe_certificate

        sha256 = fingerprint(await probe_certificate(endpoint, args.timeout))
        source = "gateway"
    entry, previous = await asyncio.to_thread(
        store.add, endpoint.key, sha256, replace=args.pin is not None)
    if previous is None:
        change = "added"
    elif previous.sha256 == entry.sha256:
        change = "unchanged"
    else:
        change = "replaced"
    if change != "unchanged":
        _record(ctx, change, entry, previous, store)
    return {**to_jsonable(entry), "source": source, "change": change,
            "previous": previous.sha256 if previous and change == "replaced" else None,
            "file": str(store.path)}
